/* classify.c: which categories of failure a post mortem shows.
 *
 * Text is read one sentence at a time: a category's cue must match inside
 * the sentence and none of its vetoes (nor the generic ones) may, so that
 * "the rollback failed" counts and "the rollback worked" does not. Words a
 * team adds in `.debrief.yml` are plain phrases, matched as whole words
 * without regard to case or spacing. */
#include "taxonomy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct category_entry {
    struct dbf_category info;
    const struct dbf__builtin_category *builtin; /* NULL for a category of the configuration */
    const struct dbf_config_category **extra;    /* configuration entries for this id */
    size_t extra_count;
};

struct dbf_taxonomy {
    struct category_entry entries[DBF_MAX_CATEGORIES];
    size_t count;
};

int dbf_taxonomy_find(const struct dbf_taxonomy *taxonomy, const char *id)
{
    for (size_t i = 0; i < taxonomy->count; i++)
        if (strcmp(taxonomy->entries[i].info.id, id) == 0)
            return (int)i;
    return -1;
}

static bool add_extra(struct category_entry *e, const struct dbf_config_category *c)
{
    const struct dbf_config_category **grown =
        realloc(e->extra, (e->extra_count + 1) * sizeof *grown);
    if (!grown)
        return false;
    e->extra = grown;
    e->extra[e->extra_count++] = c;
    if (c->name)
        e->info.name = c->name;
    if (c->meaning)
        e->info.meaning = c->meaning;
    return true;
}

struct dbf_taxonomy *dbf_taxonomy_new(const struct dbf_config *config, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    struct dbf_taxonomy *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < dbf__builtin_category_count; i++) {
        const struct dbf__builtin_category *b = &dbf__builtin_categories[i];
        t->entries[t->count++] = (struct category_entry){
            .info = {b->id, b->name, b->meaning, true}, .builtin = b};
    }
    const struct dbf_config_patterns *pc = dbf_config_patterns(config);
    for (size_t i = 0; i < pc->category_count; i++) {
        const struct dbf_config_category *c = &pc->categories[i];
        int at = dbf_taxonomy_find(t, c->id);
        if (at < 0) {
            if (!c->word_count) {
                snprintf(err, errlen,
                         "line %d: new category '%s' needs 'words' that put a post mortem in it",
                         c->line, c->id);
                dbf_taxonomy_free(t);
                return NULL;
            }
            if (t->count == DBF_MAX_CATEGORIES) {
                snprintf(err, errlen, "line %d: more than %d categories", c->line,
                         DBF_MAX_CATEGORIES);
                dbf_taxonomy_free(t);
                return NULL;
            }
            at = (int)t->count++;
            t->entries[at].info = (struct dbf_category){
                c->id, c->id,
                "the same kind of failure keeps coming back: look at what the post mortems "
                "below share",
                false};
        }
        if (!add_extra(&t->entries[at], c)) {
            snprintf(err, errlen, "out of memory");
            dbf_taxonomy_free(t);
            return NULL;
        }
    }
    return t;
}

void dbf_taxonomy_free(struct dbf_taxonomy *taxonomy)
{
    if (!taxonomy)
        return;
    for (size_t i = 0; i < taxonomy->count; i++)
        free(taxonomy->entries[i].extra);
    free(taxonomy);
}

size_t dbf_taxonomy_count(const struct dbf_taxonomy *taxonomy)
{
    return taxonomy->count;
}

const struct dbf_category *dbf_taxonomy_at(const struct dbf_taxonomy *taxonomy, size_t index)
{
    return index < taxonomy->count ? &taxonomy->entries[index].info : NULL;
}

/* Phrases of the configuration. */

static bool is_word_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c >= 0x80;
}

/* Does PHRASE match TEXT at I (before END)? Sets *MATCH_END. Spaces in the
 * phrase match any run of white space. */
static bool phrase_at(const char *text, size_t i, size_t end, const char *phrase,
                      size_t *match_end)
{
    const unsigned char *p = (const unsigned char *)phrase;
    while (*p == ' ')
        p++;
    if (!*p)
        return false;
    if (i > 0 && is_word_byte((unsigned char)text[i - 1]) && is_word_byte(*p))
        return false;
    size_t j = i;
    unsigned char last = 0;
    while (*p) {
        if (*p == ' ') {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            if (j >= end || !isspace((unsigned char)text[j]))
                return false;
            while (j < end && isspace((unsigned char)text[j]))
                j++;
            continue;
        }
        if (j >= end || tolower((unsigned char)text[j]) != tolower(*p))
            return false;
        last = *p;
        j++;
        p++;
    }
    if (j < end && is_word_byte((unsigned char)text[j]) && is_word_byte(last))
        return false;
    *match_end = j;
    return true;
}

static bool phrase_in(const char *text, size_t start, size_t end, const char *phrase,
                      size_t *match_start, size_t *match_end)
{
    for (size_t i = start; i < end; i++) {
        if (phrase_at(text, i, end, phrase, match_end)) {
            *match_start = i;
            return true;
        }
    }
    return false;
}

/* Sentences. */

/* The end of the sentence that starts at START: after a '.', '!' or '?'
 * followed by white space (not in "e.g." and the like), or at LEN. */
static size_t sentence_end(const char *text, size_t start, size_t len)
{
    for (size_t i = start; i < len; i++) {
        char c = text[i];
        if ((c == '.' || c == '!' || c == '?') && (i + 1 == len || isspace((unsigned char)text[i + 1]))) {
            if (c == '.' && i >= start + 3 &&
                (strncmp(text + i - 3, "e.g", 3) == 0 || strncmp(text + i - 3, "i.e", 3) == 0 ||
                 (strncmp(text + i - 2, "vs", 2) == 0 && !is_word_byte((unsigned char)text[i - 3]))))
                continue;
            return i + 1;
        }
    }
    return len;
}

static void keep_evidence(struct dbf_category_evidence *ev, const char *text, size_t from,
                          size_t to, int line)
{
    size_t n = to - from;
    if (n > sizeof ev->text - 1) {
        n = sizeof ev->text - 1;
        while (n > 0 && ((unsigned char)text[from + n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
    }
    for (size_t i = 0; i < n; i++)
        ev->text[i] = text[from + i] == '\n' ? ' ' : text[from + i];
    ev->text[n] = '\0';
    ev->line = line;
}

static bool vetoed(const struct category_entry *e, const char *text, size_t start, size_t end)
{
    for (size_t i = 0; i < dbf__generic_veto_count; i++)
        if (dbf__re_search(&dbf__generic_vetoes[i], text, end, start, NULL))
            return true;
    if (e->builtin)
        for (size_t i = 0; i < e->builtin->veto_count; i++)
            if (dbf__re_search(&e->builtin->vetoes[i], text, end, start, NULL))
                return true;
    size_t ms, me;
    for (size_t x = 0; x < e->extra_count; x++)
        for (size_t i = 0; i < e->extra[x]->ignore_count; i++)
            if (phrase_in(text, start, end, e->extra[x]->ignore[i], &ms, &me))
                return true;
    return false;
}

/* The first cue of E in the sentence START..END, as a byte range. */
static bool cue_in(const struct category_entry *e, const char *text, size_t start, size_t end,
                   enum dbf_text_role role, size_t *from, size_t *to)
{
    if (e->builtin) {
        for (size_t i = 0; i < e->builtin->cue_count; i++) {
            struct dbf__cue *cue = &e->builtin->cues[i];
            struct dbf__match m;
            if ((cue->roles & role) && dbf__re_search(&cue->re, text, end, start, &m)) {
                *from = m.start;
                *to = m.end;
                return true;
            }
        }
    }
    for (size_t x = 0; x < e->extra_count; x++)
        for (size_t i = 0; i < e->extra[x]->word_count; i++)
            if (phrase_in(text, start, end, e->extra[x]->words[i], from, to))
                return true;
    return false;
}

/* Classifies TEXT; BLOCK (may be NULL) maps offsets to lines, else LINE. */
static uint64_t classify(const struct dbf_taxonomy *t, const char *text, size_t len,
                         enum dbf_text_role role, struct dbf_category_evidence *evidence,
                         const struct dbf_block *block, int line, uint64_t known)
{
    uint64_t found = 0;
    for (size_t start = 0; start < len;) {
        while (start < len && isspace((unsigned char)text[start]))
            start++;
        if (start >= len)
            break;
        size_t end = sentence_end(text, start, len);
        for (size_t c = 0; c < t->count; c++) {
            size_t from, to;
            const struct category_entry *e = &t->entries[c];
            if (!cue_in(e, text, start, end, role, &from, &to) || vetoed(e, text, start, end))
                continue;
            uint64_t bit = (uint64_t)1 << c;
            if (evidence && !((found | known) & bit))
                keep_evidence(&evidence[c], text, from, to,
                              block ? dbf_doc_block_line(block, from) : line);
            found |= bit;
        }
        start = end;
    }
    return found;
}

uint64_t dbf_taxonomy_classify_text(const struct dbf_taxonomy *taxonomy, const char *text,
                                    size_t len, enum dbf_text_role role,
                                    struct dbf_category_evidence *evidence)
{
    return classify(taxonomy, text, len, role, evidence, NULL, 0, 0);
}

static bool readable_block(const struct dbf_block *b)
{
    return b->type != DBF_BLOCK_HEADING && b->type != DBF_BLOCK_CODE && b->type != DBF_BLOCK_HTML;
}

/* "What went wrong" and its kin: causes written down under the lessons. */
static struct dbf__re went_wrong =
    DBF_RE("\\b(?:went (?:wrong|poorly|badly)|(?:didn'?t|did not) go (?:well|so well)|could have "
           "gone better|what was bad|problems? encountered)\\b");

static bool under_went_wrong(const struct dbf_doc *doc, int section)
{
    for (int depth = 0; section >= 0 && depth < 8; depth++) {
        const struct dbf_section *s = &doc->sections[section];
        if (s->heading && dbf__re_test(&went_wrong, s->heading))
            return true;
        section = s->parent;
    }
    return false;
}

bool dbf__classify_check(char *err, size_t errlen)
{
    return dbf__re_check(&went_wrong, err, errlen);
}

uint64_t dbf_taxonomy_classify(const struct dbf_taxonomy *taxonomy, const struct dbf_doc *doc,
                               struct dbf_category_evidence *evidence)
{
    uint64_t found = 0;
    if (doc->title)
        found |= classify(taxonomy, doc->title, strlen(doc->title), DBF_TEXT_CAUSE, evidence, NULL,
                          doc->title_pos.line, found);
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!readable_block(b))
            continue;
        enum dbf_section_kind kind = dbf_doc_block_kind(doc, b);
        if (kind == DBF_SECTION_SUMMARY || kind == DBF_SECTION_ROOT_CAUSE ||
            (kind == DBF_SECTION_LESSONS && under_went_wrong(doc, b->section)))
            found |= classify(taxonomy, b->text, b->len, DBF_TEXT_CAUSE, evidence, b, 0, found);
        else if (kind == DBF_SECTION_ACTIONS && doc->action_count == 0)
            found |= classify(taxonomy, b->text, b->len, DBF_TEXT_ACTION, evidence, b, 0, found);
    }
    for (size_t i = 0; i < doc->why_count; i++) {
        const struct dbf_why *w = &doc->whys[i];
        if (w->text)
            found |= classify(taxonomy, w->text, strlen(w->text), DBF_TEXT_CAUSE, evidence, NULL,
                              w->pos.line, found);
    }
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (a->description)
            found |= classify(taxonomy, a->description, strlen(a->description), DBF_TEXT_ACTION,
                              evidence, NULL, a->pos.line, found);
    }
    return found;
}
