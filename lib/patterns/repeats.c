/* repeats.c: how alike two action items are, by the words that carry their
 * meaning.
 *
 * Words are lower-cased and folded (plurals, -ing, -ed), and small words
 * ("the", "for", "we") and numbers are left out, so that "Add an alert on
 * queue depth" and "Alerting on the queue's depth" share alert, queue and
 * depth. */
#include "repeats.h"
#include "../util/re.h"
#include "debrief/patterns.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const small_words[] = {
    "a",    "about", "after", "again", "all",   "also", "an",    "and",   "any",  "are",
    "as",   "at",    "be",    "been",  "before", "but", "by",    "can",   "do",   "does",
    "each", "every", "for",   "from",  "has",   "have", "if",    "in",    "into", "is",
    "it",   "its",   "make",  "more",  "must",  "new",  "no",    "not",   "of",   "on",
    "once", "only",  "or",    "our",   "out",   "over", "per",   "should", "so",  "such",
    "than", "that",  "the",   "their", "them",  "then", "there", "these", "they", "this",
    "to",   "up",    "us",    "use",   "via",   "was",  "we",    "were",  "when", "where",
    "which", "while", "will", "with",  "within", "would",
};

static bool is_small(const char *w)
{
    for (size_t i = 0; i < sizeof small_words / sizeof small_words[0]; i++)
        if (strcmp(small_words[i], w) == 0)
            return true;
    return false;
}

/* Folds W in place: "alerts" -> "alert", "policies" -> "policy",
 * "alerting" -> "alert", "rotated" -> "rotat", "rotate" -> "rotat". */
static void fold(char *w)
{
    size_t n = strlen(w);
    if (n > 4 && strcmp(w + n - 3, "ies") == 0) {
        w[n - 3] = 'y';
        w[n - 2] = '\0';
        return;
    }
    if (n > 5 && strcmp(w + n - 3, "ing") == 0)
        w[n -= 3] = '\0';
    else if (n > 4 && strcmp(w + n - 2, "ed") == 0)
        w[n -= 2] = '\0';
    else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
        w[--n] = '\0';
    if (n > 3 && w[n - 1] == 'e')
        w[--n] = '\0';
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Inline fields ("owner: Jane, due: 2026-04-20") say who and when, not
 * what: the words stop where the first one starts. */
static struct dbf__re field_label =
    DBF_RE("(?:[,;(]|\\s[-\xe2\x80\x94]+)?\\s*\\b(?:owners?|assignees?|due|deadline|priority|"
           "lessons?|status|link|ticket|issue)\\s*:");

bool dbf__word_set_of(const char *text, struct dbf__word_set *set)
{
    set->words = NULL;
    set->count = 0;
    size_t cap = 0;
    char word[64];
    struct dbf__match m;
    size_t len = strlen(text);
    if (dbf__re_search(&field_label, text, len, 0, &m))
        len = m.start;
    const unsigned char *end = (const unsigned char *)text + len;
    for (const unsigned char *p = (const unsigned char *)text; p < end && *p;) {
        if (!isalnum(*p) && *p < 0x80) {
            p++;
            continue;
        }
        size_t n = 0;
        bool digit = false;
        while (p < end && (isalnum(*p) || *p >= 0x80 || (*p == '\'' && p + 1 < end && isalpha(p[1])))) {
            if (*p == '\'') { /* "queue's" -> "queue" */
                p++;
                while (p < end && isalpha(*p))
                    p++;
                break;
            }
            digit = digit || isdigit(*p);
            if (n < sizeof word - 1)
                word[n++] = (char)tolower(*p);
            p++;
        }
        word[n] = '\0';
        if (digit || n < 2 || is_small(word))
            continue;
        fold(word);
        if (set->count == cap) {
            cap = cap ? cap * 2 : 16;
            uint64_t *grown = realloc(set->words, cap * sizeof *grown);
            if (!grown) {
                dbf__word_set_release(set);
                return false;
            }
            set->words = grown;
        }
        set->words[set->count++] = hash(word);
    }
    if (set->count) {
        qsort(set->words, set->count, sizeof *set->words, by_value);
        size_t u = 1;
        for (size_t i = 1; i < set->count; i++)
            if (set->words[i] != set->words[u - 1])
                set->words[u++] = set->words[i];
        set->count = u;
        uint64_t *fitted = realloc(set->words, u * sizeof *fitted);
        if (fitted) /* kept for the whole report: no room to spare */
            set->words = fitted;
    }
    return true;
}

void dbf__word_set_release(struct dbf__word_set *set)
{
    free(set->words);
    set->words = NULL;
    set->count = 0;
}

double dbf__word_set_similarity(const struct dbf__word_set *a, const struct dbf__word_set *b)
{
    if (a->count < 2 || b->count < 2)
        return 0;
    size_t i = 0, j = 0, both = 0;
    while (i < a->count && j < b->count) {
        if (a->words[i] == b->words[j]) {
            both++;
            i++;
            j++;
        } else if (a->words[i] < b->words[j]) {
            i++;
        } else {
            j++;
        }
    }
    return (double)both / (double)(a->count + b->count - both);
}

double dbf_action_similarity(const char *a, const char *b)
{
    struct dbf__word_set x, y;
    if (!dbf__word_set_of(a, &x))
        return 0;
    if (!dbf__word_set_of(b, &y)) {
        dbf__word_set_release(&x);
        return 0;
    }
    double s = dbf__word_set_similarity(&x, &y);
    dbf__word_set_release(&x);
    dbf__word_set_release(&y);
    return s;
}

bool dbf__repeats_check(char *err, size_t errlen)
{
    return dbf__re_check(&field_label, err, errlen);
}
