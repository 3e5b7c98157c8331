/* rules_structure.c: the structure rules: required sections, empty sections,
 * placeholders left in.
 *
 * Sections are the parser's (lib/parse/sections.c knows their names); these
 * rules only judge what it found. Placeholders are looked for in the flattened
 * prose of each block, except for angle-bracket placeholders ("<fill in>"),
 * which Markdown reads as inline HTML and drops from the text: those are
 * looked for in the source lines of prose blocks. */
#include "rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* structure/missing-section: one finding per required kind (summary,
 * timeline, impact, root cause, lessons, actions) the document has no
 * section for. */

static bool opening_is_summary(const struct dbf_doc *doc)
{
    /* Prose between the title and the first section, long enough to say what
     * happened, serves as the summary (reviewers count it). */
    size_t words = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        const struct dbf_section *s = b->section >= 0 ? &doc->sections[b->section] : NULL;
        bool opening = !s || (doc->title && s->pos.line == doc->title_pos.line);
        if (!opening)
            break;
        if (b->type == DBF_BLOCK_PARAGRAPH)
            for (size_t k = 0, in = 0; k < b->len; k++) {
                bool c = isalnum((unsigned char)b->text[k]) != 0;
                words += c && !in;
                in = c;
            }
    }
    return words >= 30;
}

static bool has_kind(const struct dbf__lint *lint, enum dbf_section_kind kind)
{
    const struct dbf_doc *doc = lint->doc;
    if (dbf_doc_has_section(doc, kind))
        return true;
    switch (kind) {
    case DBF_SECTION_SUMMARY:
        return opening_is_summary(doc);
    case DBF_SECTION_TIMELINE:
        return doc->timeline_count >= 3; /* a list of timed events under any heading */
    default:
        return false;
    }
}

static const char *why_needed(enum dbf_section_kind kind)
{
    switch (kind) {
    case DBF_SECTION_SUMMARY:
        return "add a short summary a reader from another team can act on";
    case DBF_SECTION_TIMELINE:
        return "add a timeline of timestamped events from the trigger to the resolution";
    case DBF_SECTION_IMPACT:
        return "add an impact section saying who was affected, how many and for how long";
    case DBF_SECTION_ROOT_CAUSE:
        return "add a root cause section that asks why until the answer is something you can "
               "change";
    case DBF_SECTION_LESSONS:
        return "add the lessons learned, numbered, what went well and what did not";
    case DBF_SECTION_ACTIONS:
        return "add numbered action items, each with an owner, a deadline and a priority";
    default:
        return "add it";
    }
}

void dbf__check_structure_missing_section(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    /* The parts every post mortem needs. What a serious incident needs
     * beyond them has rules of its own: response/missing-phase,
     * metrics/none, communication/missing. */
    static const enum dbf_section_kind required[] = {
        DBF_SECTION_SUMMARY,    DBF_SECTION_TIMELINE, DBF_SECTION_IMPACT,
        DBF_SECTION_ROOT_CAUSE, DBF_SECTION_LESSONS,  DBF_SECTION_ACTIONS,
    };
    struct dbf_pos at = doc->title ? doc->title_pos : (struct dbf_pos){1, 1};
    if (at.line < 1)
        at = (struct dbf_pos){1, 1};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!has_kind(lint, required[i]))
            dbf__report(lint, at, "missing section '%s': %s", dbf_section_kind_name(required[i]),
                        why_needed(required[i]));
}

/* structure/empty-section: a heading with nothing under it, neither in its own
 * blocks nor in any of its sub-sections. */

static bool is_comment(const struct dbf_block *b)
{
    const char *s = b->text;
    size_t n = b->len;
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return n >= 7 && strncmp(s, "<!--", 4) == 0 && strncmp(s + n - 3, "-->", 3) == 0;
}

/* Does BLOCK say anything? The label item that opens a labelled part
 * ("- **Review actions**:") does not. */
static bool has_alnum(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/* Does B say something? Headings, comments, a table's header row and
 * blocks of punctuation only ("…", "- [ ]", "| | |") do not. */
static bool is_content(const struct dbf_doc *doc, const struct dbf_block *b)
{
    if (b->type == DBF_BLOCK_HEADING || (b->type == DBF_BLOCK_HTML && is_comment(b)))
        return false;
    if (b->type == DBF_BLOCK_TABLE_CELL && b->table_row == 0)
        return false;
    if (b->type != DBF_BLOCK_CODE && !has_alnum(b->text, b->len))
        return false;
    const struct dbf_section *s = b->section >= 0 ? &doc->sections[b->section] : NULL;
    if (s && s->level == 8 && b == &doc->blocks[s->first_block] && b->lead) {
        size_t lead = strlen(b->lead);
        for (size_t i = lead < b->len ? lead : b->len; i < b->len; i++)
            if (isalnum((unsigned char)b->text[i]))
                return true;
        return false;
    }
    return true;
}

/* A "Key: value" heading ("## Owner: @alice") is a field, not a part to fill. */
static bool is_field(const struct dbf_section *s)
{
    return s->kind == DBF_SECTION_OTHER && strchr(s->heading, ':') != NULL;
}

void dbf__check_structure_empty_section(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (!doc->section_count)
        return;
    bool *filled = calloc(doc->section_count, sizeof *filled);
    if (!filled)
        return;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->section < 0 || !is_content(doc, b))
            continue;
        for (int s = b->section; s >= 0 && !filled[s]; s = doc->sections[s].parent)
            filled[s] = true;
    }
    for (size_t i = 0; i < doc->section_count; i++) {
        const struct dbf_section *s = &doc->sections[i];
        if (filled[i] || is_field(s))
            continue;
        if (doc->title && s->pos.line == doc->title_pos.line)
            continue;
        if (s->kind == DBF_SECTION_OTHER && s->effective == DBF_SECTION_TIMELINE)
            continue; /* "### 14:08" alone is a timeline entry */
        dbf__report(lint, s->pos,
                    "section '%s' is empty; write it, or say in one sentence why it does not apply",
                    s->heading);
    }
    free(filled);
}

/* structure/placeholder: TODO, TBD, template markers and hints left in the
 * prose, and answers that are only an ellipsis. */

static struct dbf__re marker_words = DBF_RE_CASED("\\b(TODO|TBD|TBC|TBA|FIXME|XXX)\\b");
/* Template markers and hints: "{{ … }}", "[describe …]", "[link to the
 * issue]", "Describe the impact here.", and answers that are only "…". */
static struct dbf__re template_hints = DBF_RE(
    "\\{\\{[^{}\\n]*\\}\\}|\\blorem ipsum\\b|"
    "\\[[^\\]\\n]{0,80}\\b(describe|insert|fill in|to fill|link to|enter|explain|summari[sz]e|"
    "add (a |the |your )?(link|description|details)|your [a-z]+ here)\\b[^\\]\\n]{0,80}\\]|"
    "^\\s*(describe|insert|explain|list|summari[sz]e|write|fill in|add) "
    "(the |a |an |any |your |all )?[^.\\n]{1,60}\\b(here|below)\\b\\s*[.:]?\\s*$|\\breplace "
    "(this|me)\\b|"
    "^\\s*(\xe2\x80\xa6|\\.\\.\\.)\\s*$|(->|\xe2\x86\x92)\\s*(\xe2\x80\xa6|\\.\\.\\.)\\s*$|"
    "\\bwhy (\xe2\x80\xa6|\\.\\.\\.)\\?");
static struct dbf__re angle_text = DBF_RE("<([^<>\\n]{1,60})>");
static struct dbf__re html_tag = DBF_RE(
    "^/|^!|=|@|^[a-z][a-z0-9+.-]*:|^(a|b|i|u|s|p|br|hr|em|tt|td|th|tr|ul|ol|li|dl|dt|dd|h[1-6]|"
    "img|sup|sub|del|ins|kbd|pre|div|nav|span|code|mark|abbr|cite|font|small|table|tbody|thead|"
    "video|audio|source|center|strong|details|summary|figure|picture|section|iframe|blockquote|"
    "figcaption|strike|br\\s*/)\\b");
static struct dbf__re fill_word =
    DBF_RE("\\s|^(fill|insert|todo|tbd|date|time|owner|name|link|url|duration|team|service|ticket|"
           "number|value|description|placeholder|details)$");

/* Is the text between angle brackets a placeholder ("<fill in>", "<service
 * name>", "<date>") rather than HTML, an autolink or a command-line argument
 * ("<filename>")? */
static bool is_angle_placeholder(const char *s, size_t n)
{
    return !dbf__re_search(&html_tag, s, n, 0, NULL) && dbf__re_search(&fill_word, s, n, 0, NULL);
}

static void report_placeholder(struct dbf__lint *lint, const struct dbf_block *b,
                               const struct dbf__match *m)
{
    int line = dbf_doc_block_line(b, m->start);
    size_t n = m->end - m->start;
    while (n && b->text[m->start + n - 1] == '\n')
        n--;
    const char *nl = memchr(b->text + m->start, '\n', n);
    if (nl)
        n = (size_t)(nl - (b->text + m->start));
    int col =
        dbf__prose_column(lint->doc, line, b->text + m->start, n < 20 ? n : 20, DBF__CASELESS);
    if (col == 0)
        return; /* inside a code span */
    dbf__report(lint, (struct dbf_pos){line, col},
                "placeholder '%.*s' left in; write the text, or say plainly what is not known yet",
                (int)(n > 60 ? 60 : n), b->text + m->start);
}

static void scan_text(struct dbf__lint *lint, const struct dbf_block *b)
{
    static struct dbf__re *const patterns[] = {&marker_words, &template_hints};
    static struct dbf__re_set set = DBF_RE_SET(patterns);
    if (!dbf__re_set_may_match(&set, b->text, b->len))
        return;
    for (size_t p = 0; p < set.count; p++) {
        struct dbf__match m;
        size_t from = 0;
        while (from < b->len && dbf__re_search(patterns[p], b->text, b->len, from, &m)) {
            report_placeholder(lint, b, &m);
            from = m.end > m.start ? m.end : m.start + 1;
        }
    }
}

/* Angle placeholders on the source lines of a block (inline HTML is not in
 * its text). *LAST is the last line scanned, so lines shared by table cells
 * are read once. */
static void scan_source(struct dbf__lint *lint, const struct dbf_block *b, int *last)
{
    int first = b->pos.line > *last ? b->pos.line : *last + 1;
    int end = dbf_doc_block_line(b, b->len);
    for (int line = first; line <= end; line++) {
        size_t len;
        const char *s = dbf_doc_line(lint->doc, line, &len);
        if (!s)
            break;
        struct dbf__match m;
        size_t from = 0;
        while (from < len && dbf__re_search(&angle_text, s, len, from, &m)) {
            size_t n = m.end - m.start;
            const char *inner = s + m.group_start[1];
            size_t inner_len = m.group_end[1] - m.group_start[1];
            if (is_angle_placeholder(inner, inner_len) &&
                dbf__prose_column(lint->doc, line, s + m.start, n, DBF__CASELESS) != 0)
                dbf__report(lint, (struct dbf_pos){line, (int)m.start + 1},
                            "placeholder '%.*s' left in; write the text, or say plainly what is "
                            "not known yet",
                            (int)(n > 60 ? 60 : n), s + m.start);
            from = m.end;
        }
    }
    if (end > *last)
        *last = end;
}

void dbf__check_structure_placeholder(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    /* Most documents hold no text in angle brackets at all: one search of
     * the whole source (whose summary other rules share) spares a summary
     * of each of its lines. */
    bool angles = dbf__re_search(&angle_text, doc->source, doc->source_len, 0, NULL);
    int last = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b))
            continue;
        scan_text(lint, b);
        if (angles)
            scan_source(lint, b, &last);
    }
    if (doc->meta.title.text && doc->meta.title.pos.line > 0) {
        struct dbf__match m;
        if (dbf__re_search(&template_hints, doc->meta.title.text, strlen(doc->meta.title.text), 0,
                           &m) ||
            dbf__re_search(&marker_words, doc->meta.title.text, strlen(doc->meta.title.text), 0,
                           &m))
            dbf__report(
                lint, doc->meta.title.pos,
                "placeholder '%.*s' left in the title; write the title people will search for",
                (int)(m.end - m.start > 60 ? 60 : m.end - m.start), doc->meta.title.text + m.start);
    }
}
