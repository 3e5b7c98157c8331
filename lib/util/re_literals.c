/* re_literals.c: the prefilter of a pattern: the words every match holds.
 *
 * The review runs some 130 patterns over every sentence, and most never
 * match: their words are not there. When a pattern is compiled, its text is
 * read once more for the words every match must contain ("careless",
 * "negligen", … for the blame pattern: one of them at least); a subject that
 * holds none of them is answered "no match" after one cheap pass, without
 * PCRE2. Invariants the prefilter relies on:
 * - a literal comes only from text a match consumes: lookarounds, optional
 *   parts, classes and escapes other than escaped punctuation give none;
 * - literals are ASCII and compared without case, which can only find more
 *   than a cased pattern would;
 * - under PCRE2_UTF and PCRE2_CASELESS, U+212A (Kelvin) matches 'k' and
 *   U+017F (long s) matches 's': a subject holding either skips the
 *   prefilter;
 * - whatever the reader does not know (\Q, \x, conditionals, extended mode,
 *   recursion, …) gives no prefilter at all: PCRE2 then decides alone. */
#include "re_literals.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Literals are found by a hash of their first three bytes. */
#define MIN_LITERAL 3
#define HASH_BITS 15

struct literal {
    const char *text; /* lower case */
    size_t len;
    unsigned hash; /* of its first three bytes */
};

/* The words of which any match holds one, all of three bytes or more; bit
 * H of `starts` is set when one of them starts with three bytes whose hash
 * is H. */
struct dbf__literals {
    struct literal *literals;
    size_t count;
    uint64_t starts[(1u << HASH_BITS) / 64];
};

/* A set of lower-case words, one of which a match must hold; ANY when the
 * reader found no such set. */
struct word_set {
    bool any;
    size_t count;
    char **words;
};

struct reader {
    const char *p;
    bool unknown; /* met syntax it does not read: no prefilter */
};

static const struct word_set any_set = {.any = true};

static void set_free(struct word_set *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->words[i]);
    free(s->words);
    *s = any_set;
}

static unsigned char lower(unsigned char c)
{
    return (unsigned char)(c | ((unsigned)(c - 'A') < 26u) << 5);
}

/* The hash of three bytes, without case: each shifted by 5 more than the
 * next (letters differ in their low 5 bits), so that sliding one byte on is a
 * shift, an exclusive or and a mask. */
static unsigned hash_next(unsigned hash, unsigned char c)
{
    return (hash << 5 ^ lower(c)) & ((1u << HASH_BITS) - 1);
}

static unsigned hash3(const unsigned char *s)
{
    return hash_next(hash_next(hash_next(0, s[0]), s[1]), s[2]);
}

static size_t shortest(const struct word_set *s)
{
    size_t min = SIZE_MAX;
    for (size_t i = 0; i < s->count; i++) {
        size_t len = strlen(s->words[i]);
        if (len < min)
            min = len;
    }
    return min;
}

/* Of two sets that a match must both satisfy, the one that rules out more
 * subjects: longer shortest word, then fewer words. Frees the other. */
static struct word_set better(struct word_set a, struct word_set b)
{
    if (a.any)
        return b;
    if (b.any)
        return a;
    size_t la = shortest(&a), lb = shortest(&b);
    bool keep_a = la != lb ? la > lb : a.count <= b.count;
    set_free(keep_a ? &b : &a);
    return keep_a ? a : b;
}

/* Either set will do: their union. Frees both, or gives ANY. */
static struct word_set either(struct word_set a, struct word_set b)
{
    if (a.any || b.any) {
        set_free(&a);
        set_free(&b);
        return any_set;
    }
    char **words = realloc(a.words, (a.count + b.count) * sizeof *words);
    if (!words) {
        set_free(&a);
        set_free(&b);
        return any_set;
    }
    memcpy(words + a.count, b.words, b.count * sizeof *words);
    free(b.words);
    return (struct word_set){.count = a.count + b.count, .words = words};
}

static struct word_set one_word(const char *text, size_t len)
{
    char *word = malloc(len + 1);
    char **words = malloc(sizeof *words);
    if (!word || !words || len == 0) {
        free(word);
        free(words);
        return any_set;
    }
    memcpy(word, text, len);
    word[len] = '\0';
    words[0] = word;
    return (struct word_set){.count = 1, .words = words};
}

/* Reads a quantifier at r->p, if any; sets *MIN to its least count. */
static bool read_quantifier(struct reader *r, long *min)
{
    const char *p = r->p;
    if (*p == '?' || *p == '*') {
        *min = 0;
        p++;
    } else if (*p == '+') {
        *min = 1;
        p++;
    } else if (*p == '{') {
        char *end;
        if (p[1] < '0' || p[1] > '9') {
            r->unknown = true; /* a literal '{', or {,n}: not read */
            return false;
        }
        *min = strtol(p + 1, &end, 10);
        if (*end == ',') {
            end++;
            while (*end >= '0' && *end <= '9')
                end++;
        }
        if (*end != '}') {
            r->unknown = true;
            return false;
        }
        p = end + 1;
    } else {
        return false;
    }
    if (*p == '?' || *p == '+')
        p++; /* lazy or possessive: the same text */
    r->p = p;
    return true;
}

/* Skips a character class at r->p (on its '['). */
static void skip_class(struct reader *r)
{
    const char *p = r->p + 1;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;
    while (*p && *p != ']') {
        if (*p == '\\') {
            if (strchr("xopPQEcNg", p[1]) && p[1])
                r->unknown = true;
            p += p[1] ? 2 : 1;
        } else if (p[0] == '[' && p[1] == ':') {
            const char *end = strstr(p, ":]");
            p = end ? end + 2 : p + 1;
        } else {
            p++;
        }
    }
    if (!*p)
        r->unknown = true;
    r->p = *p ? p + 1 : p;
}

static struct word_set read_alternatives(struct reader *r);

/* Reads a group at r->p (after its '('). Returns what a match of it must
 * hold; *CONSUMES is false for lookarounds and option settings, which match
 * no text. */
static struct word_set read_group(struct reader *r, bool *consumes)
{
    *consumes = true;
    const char *p = r->p;
    if (*p == '?') {
        p++;
        if (*p == ':' || *p == '>' || *p == '|') {
            p++;
        } else if (*p == '=' || *p == '!') {
            *consumes = false;
            p++;
        } else if (*p == '<' && (p[1] == '=' || p[1] == '!')) {
            *consumes = false;
            p += 2;
        } else if (*p == '<' || *p == '\'' || (*p == 'P' && p[1] == '<')) {
            const char *end = strpbrk(p + 1, ">'");
            if (!end) {
                r->unknown = true;
                return any_set;
            }
            p = end + 1;
        } else {
            /* Option letters: (?i:…) is a group; (?i) alone changes case
             * only, which the caseless comparison already covers. */
            const char *q = p;
            while ((*q >= 'a' && *q <= 'z') || *q == '-' || (*q >= 'A' && *q <= 'Z'))
                q++;
            if (q == p || memchr(p, 'x', (size_t)(q - p)) || (*q != ':' && *q != ')')) {
                r->unknown = true;
                return any_set;
            }
            if (*q == ')') {
                r->p = q; /* the caller consumes the ')' */
                *consumes = false;
                return any_set;
            }
            p = q + 1;
        }
    }
    r->p = p;
    struct word_set inner = read_alternatives(r);
    if (!*consumes)
        set_free(&inner);
    return inner;
}

/* Reads a sequence of atoms up to '|', ')' or the end. */
static struct word_set read_sequence(struct reader *r)
{
    struct word_set best = any_set;
    char run[256];
    size_t run_len = 0;
    while (*r->p && *r->p != '|' && *r->p != ')' && !r->unknown) {
        unsigned char c = (unsigned char)*r->p;
        int literal = -1; /* the byte a literal atom matches */
        struct word_set atom = any_set;
        bool zero_width = false;
        if (c == '(') {
            r->p++;
            bool consumes;
            atom = read_group(r, &consumes);
            if (*r->p != ')') {
                set_free(&atom);
                r->unknown = true;
                break;
            }
            r->p++;
            zero_width = !consumes;
        } else if (c == '[') {
            skip_class(r);
        } else if (c == '\\') {
            unsigned char e = (unsigned char)r->p[1];
            if (!e) {
                r->unknown = true;
                break;
            }
            r->p += 2;
            if (strchr("bBAzZG", e))
                zero_width = true;
            else if (strchr("dDwWsShHvVRnrtfea", e) || (e >= '1' && e <= '9'))
                ; /* one character of a class, or a back reference */
            else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || e == '0' || e >= 0x80)
                r->unknown = true; /* \x, \Q, \K, \p, \g, … */
            else
                literal = e;
        } else if (c == '^' || c == '$') {
            r->p++;
            zero_width = true;
        } else if (c == '.' || c >= 0x80) {
            r->p++; /* any character; a non-ASCII one may match other cases */
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
            r->unknown = true; /* a quantifier with nothing before it */
            break;
        } else {
            r->p++;
            literal = c;
        }
        if (r->unknown) {
            set_free(&atom);
            break;
        }
        long min = 1;
        bool quantified = read_quantifier(r, &min);
        if (r->unknown) {
            set_free(&atom);
            break;
        }
        if (literal >= 0 && !quantified && run_len < sizeof run) {
            run[run_len++] = (char)lower((unsigned char)literal);
            continue;
        }
        if (zero_width && !quantified)
            continue; /* an assertion: the run of letters goes on around it */
        if (literal >= 0 && min >= 1 && run_len < sizeof run)
            run[run_len++] = (char)lower((unsigned char)literal);
        if (run_len)
            best = better(best, one_word(run, run_len));
        run_len = 0;
        if (min >= 1 && !zero_width)
            best = better(best, atom);
        else
            set_free(&atom);
    }
    if (run_len)
        best = better(best, one_word(run, run_len));
    return best;
}

static struct word_set read_alternatives(struct reader *r)
{
    struct word_set all = read_sequence(r);
    while (*r->p == '|' && !r->unknown) {
        r->p++;
        all = either(all, read_sequence(r));
    }
    return all;
}

struct dbf__literals *dbf__literals_of(const char *pattern)
{
    struct reader r = {.p = pattern};
    struct word_set set = read_alternatives(&r);
    if (r.unknown || *r.p || set.any || set.count == 0 || shortest(&set) < MIN_LITERAL) {
        set_free(&set);
        return NULL;
    }
    struct dbf__literals *lits = calloc(1, sizeof *lits);
    struct literal *items = calloc(set.count, sizeof *items);
    if (!lits || !items) {
        free(lits);
        free(items);
        set_free(&set);
        return NULL;
    }
    for (size_t i = 0; i < set.count; i++) {
        const unsigned char *w = (const unsigned char *)set.words[i];
        unsigned h = hash3(w);
        items[i] = (struct literal){set.words[i], strlen(set.words[i]), h};
        lits->starts[h / 64] |= (uint64_t)1 << (h % 64);
    }
    free(set.words); /* the words themselves now belong to items */
    lits->literals = items;
    lits->count = set.count;
    return lits;
}

/* Does one of the words whose first three bytes hash to H start at
 * S[0..LEFT)? */
static bool word_at(const struct dbf__literals *lits, unsigned h, const unsigned char *s,
                    size_t left)
{
    for (size_t k = 0; k < lits->count; k++) {
        const struct literal *l = &lits->literals[k];
        if (l->hash != h || l->len > left)
            continue;
        size_t j = 0;
        while (j < l->len && lower(s[j]) == (unsigned char)l->text[j])
            j++;
        if (j == l->len)
            return true;
    }
    return false;
}

/* Could a character at S[0..LEFT) match a letter of another case? */
static bool odd_case_at(const unsigned char *s, size_t left)
{
    return (left >= 2 && s[0] == 0xc5 && s[1] == 0xbf) ||
           (left >= 3 && s[0] == 0xe2 && s[1] == 0x84 && s[2] == 0xaa);
}

bool dbf__literals_may_match(const struct dbf__literals *lits, const unsigned char *s, size_t len)
{
    if (len < MIN_LITERAL)
        return odd_case_at(s, len);
    unsigned h = hash_next(hash_next(0, s[0]), s[1]);
    for (size_t i = 0; i + 2 < len; i++) {
        h = hash_next(h, s[i + 2]);
        if (s[i] >= 0xc5 && odd_case_at(s + i, len - i))
            return true;
        if ((lits->starts[h / 64] >> (h % 64) & 1) && word_at(lits, h, s + i, len - i))
            return true;
    }
    /* A long s in the last two bytes. */
    return odd_case_at(s + len - 2, 2);
}
