/* text.c: finding a piece of flattened prose again in the line as written.
 *
 * Flattening keeps a code span's text but not its backticks, and drops
 * markup, so a rule that must tell prose from code, or wants the true column,
 * looks at the source line. */
#include "../util/swar.h"
#include "rules.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool word_bounds(const char *s, size_t len, size_t i, size_t n)
{
    bool starts = i == 0 || !isalnum((unsigned char)s[i - 1]);
    size_t after = i + n;
    if (after < len && s[after] == '\'')
        after++;
    if (after < len && s[after] == 's')
        after++;
    if (after > i + n && after < len && isalnum((unsigned char)s[after]))
        after = i + n;
    return starts && (after == len || !isalnum((unsigned char)s[after]));
}

int dbf__prose_column(const struct dbf_doc *doc, int line, const char *needle, size_t n,
                      unsigned flags)
{
    size_t len;
    const char *s = dbf_doc_line(doc, line, &len);
    if (!s || n == 0)
        return 1;
    bool found = false, in_code = false;
    for (size_t i = 0; i + n <= len; i++) {
        if (s[i] == '`') {
            size_t run = 1;
            while (i + run < len && s[i + run] == '`')
                run++;
            in_code = !in_code;
            i += run - 1;
            continue;
        }
        bool same = flags & DBF__CASELESS ? strncasecmp(s + i, needle, n) == 0
                                          : memcmp(s + i, needle, n) == 0;
        if (!same || ((flags & DBF__WHOLE_WORD) && !word_bounds(s, len, i, n)))
            continue;
        if (!in_code)
            return (int)i + 1;
        found = true;
    }
    return found ? 0 : 1;
}

static bool ends_sentence(char c)
{
    return c == '.' || c == '!' || c == '?';
}

/* The first '.', '!' or '?' at or after I in S[0..LEN), or LEN. Eight bytes
 * without one are passed over at once: most of a sentence's bytes. */
static size_t next_stop(const char *s, size_t len, size_t i)
{
    for (; i + 8 <= len; i += 8) {
        uint64_t x = dbf__load8(s + i);
        if (dbf__holds_byte(x, '.') || dbf__holds_byte(x, '!') || dbf__holds_byte(x, '?'))
            break;
    }
    while (i < len && !ends_sentence(s[i]))
        i++;
    return i;
}

bool dbf__next_sentence(const struct dbf_block *b, size_t *start, size_t *end)
{
    size_t i = *end;
    while (i < b->len && (b->text[i] == ' ' || b->text[i] == '\n' || b->text[i] == '\t'))
        i++;
    if (i >= b->len)
        return false;
    *start = i;
    while ((i = next_stop(b->text, b->len, i)) < b->len) {
        i++;
        if (i == b->len || b->text[i] == ' ' || b->text[i] == '\n')
            break;
    }
    *end = i;
    return true;
}

/* The set of lower-case words of a document's prose: open addressing over
 * pointers into the blocks' text, so no word is copied. */
struct dbf__word_set {
    const char **word; /* NULL for an empty slot */
    unsigned char *length;
    size_t cap;
};

static uint64_t hash_word(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 1099511628211u;
    return h;
}

static const char **slot(struct dbf__word_set *set, const char *word, size_t len)
{
    size_t i = (size_t)hash_word(word, len) & (set->cap - 1);
    while (set->word[i]) {
        if (set->length[i] == len && strncasecmp(set->word[i], word, len) == 0)
            break;
        i = (i + 1) & (set->cap - 1);
    }
    return &set->word[i];
}

/* A word standing alone in prose: after a space, a parenthesis or a quote,
 * and before a space or punctuation (so not part of a path or an address). */
static bool stands_alone(const char *s, size_t len, size_t start, size_t end)
{
    bool before = start == 0 || strchr(" \n(\"'", s[start - 1]);
    bool after = end == len || strchr(" \n),;:!?\"'", s[end]) ||
                 (s[end] == '.' && (end + 1 == len || s[end + 1] == ' ' || s[end + 1] == '\n'));
    return before && after;
}

static struct dbf__word_set *word_set_build(const struct dbf_doc *doc)
{
    struct dbf__word_set *set = calloc(1, sizeof *set);
    if (!set)
        return NULL;
    size_t words = doc->source_len / 4 + 16, cap = 64;
    while (cap < words * 2)
        cap *= 2;
    set->cap = cap;
    set->word = calloc(cap, sizeof *set->word);
    set->length = malloc(cap);
    if (!set->word || !set->length) {
        dbf__word_set_free(set);
        return NULL;
    }
    for (size_t b = 0; b < doc->block_count; b++) {
        const struct dbf_block *block = &doc->blocks[b];
        if (!dbf__is_prose(block))
            continue;
        const char *s = block->text;
        for (size_t i = 0; i < block->len;) {
            if (!islower((unsigned char)s[i])) {
                i++;
                continue;
            }
            size_t end = i;
            while (end < block->len && islower((unsigned char)s[end]))
                end++;
            if (end - i < 64 && stands_alone(s, block->len, i, end)) {
                const char **at = slot(set, s + i, end - i);
                if (!*at) {
                    *at = s + i;
                    set->length[at - set->word] = (unsigned char)(end - i);
                }
            }
            i = end;
        }
    }
    return set;
}

void dbf__word_set_free(struct dbf__word_set *set)
{
    if (!set)
        return;
    free(set->word);
    free(set->length);
    free(set);
}

bool dbf__written_lower_case(struct dbf__lint *lint, const char *word, size_t len)
{
    if (len == 0 || len >= 64)
        return len != 0;
    if (!lint->lower_words)
        lint->lower_words = word_set_build(lint->doc);
    if (!lint->lower_words)
        return false;
    return *slot(lint->lower_words, word, len) != NULL;
}
