/* re_literals.c: the prefilter of a pattern: the needles every match holds one of.
 *
 * The review runs some 140 patterns over every block of text, and most
 * never match: what they look for is not there. When a pattern is compiled,
 * its text is read once more for strings every match must contain
 * ("careless", "negligen", … for the blame pattern: one of them at least;
 * "@" for an e-mail address; a digit or "one", "two", … for a quantity); a
 * subject holding none of them is answered "no match" without PCRE2.
 *
 * The reader keeps, for each piece of the pattern, the exact strings it can
 * match when they are few ("e-?mail" is "email" or "e-mail"), and else the
 * needles one of which its matches hold; a sequence joins the exact strings
 * of neighbouring pieces and keeps the most telling needles it has seen.
 * Invariants the prefilter relies on:
 * - a needle comes only from text a match consumes: lookarounds and anchors
 *   match the empty string, and an optional piece may be absent;
 * - needles are compared without case, which can only find more than a
 *   cased pattern would;
 * - under PCRE2_UTF and PCRE2_CASELESS, U+212A (Kelvin) matches 'k' and
 *   U+017F (long s) matches 's': a subject holding either skips the
 *   prefilter; other non-ASCII characters become needles only when they have
 *   no other case (punctuation, currency, arrows);
 * - \s, \w and \d are ASCII (no PCRE2_UCP), but only \d is small enough to
 *   spell out;
 * - whatever the reader does not know (\Q, \x, \p, conditionals, extended
 *   mode, recursion, …) gives no prefilter at all: PCRE2 then decides alone. */
#include "re_literals.h"

#include "arena.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXACT 64  /* strings an exact set may hold before it is given up */
#define MAX_NEEDLE 96 /* bytes of one exact string */
#define MAX_CLASS 16  /* members of a character class spelled out */
#define SCAN_BITS 15  /* the scan's set of the needles' first triples */
/* Bytes kept of a needle: the start of a long one rules out nearly as much.
 * Phrases need more than a word's worth: cut to 8 bytes, "caused a human
 * error" was "caused a" and PCRE2 ran on every block saying "caused a
 * delay" (10% more of its time; 16 bytes save no more than 12, and double
 * the needle table's states). */
#define KEPT_BYTES 12

/* A string the reader knows a match holds or is: lower case, LEN bytes
 * (no NUL among them), in the pattern's text, in static storage or in the
 * reader's arena. */
struct word {
    const char *text;
    size_t len;
};

/* A set of words, with the length of its shortest (SIZE_MAX when empty),
 * which the reader asks for at every step. */
struct strings {
    size_t count;
    const struct word *items;
    size_t shortest;
};

/* What every match of a piece of a pattern holds: one of NEEDLES, and
 * also one of ALSO when that is not empty (two pieces of a sequence, each
 * with words of its own: "some" ... "users"), unless ANY (nothing known). */
struct need {
    bool any;
    struct strings needles;
    struct strings also;
};

/* What the reader knows of a piece: when EXACT, every match of it is one of
 * WORDS; and every match holds what NEED says. */
struct info {
    bool exact;
    struct strings words;
    struct need need;
};

struct reader {
    const char *p;
    bool unknown; /* met syntax it does not read: no prefilter */
    struct dbf__arena *arena;
};

static const struct need need_any = {.any = true};
static const struct info info_any = {.need = {.any = true}};
static const struct word empty_word = {"", 0};

/* The one word TEXT[0..LEN), which must outlive the reader. */
static struct strings strings_of(struct reader *r, const char *text, size_t len)
{
    struct word *items = dbf__arena_alloc(r->arena, sizeof *items);
    items[0] = (struct word){text, len};
    return (struct strings){1, items, len};
}

static struct info info_exact(struct strings words)
{
    return (struct info){.exact = true, .words = words, .need = need_any};
}

/* The empty string: what an anchor or a lookaround matches. */
static struct info info_empty(void)
{
    return info_exact((struct strings){1, &empty_word, 0});
}

static struct strings strings_union(struct reader *r, struct strings a, struct strings b)
{
    struct word *items = dbf__arena_alloc(r->arena, (a.count + b.count) * sizeof *items);
    memcpy(items, a.items, a.count * sizeof *items);
    memcpy(items + a.count, b.items, b.count * sizeof *items);
    size_t shortest = a.shortest < b.shortest ? a.shortest : b.shortest;
    return (struct strings){a.count + b.count, items, shortest};
}

/* Every string of A followed by every string of B; false when there would
 * be too many or too long. */
static bool strings_product(struct reader *r, struct strings a, struct strings b,
                            struct strings *out)
{
    if (a.count * b.count > MAX_EXACT)
        return false;
    struct word *items = dbf__arena_alloc(r->arena, a.count * b.count * sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < a.count; i++) {
        struct word wa = a.items[i];
        for (size_t j = 0; j < b.count; j++) {
            struct word wb = b.items[j];
            if (wa.len + wb.len > MAX_NEEDLE)
                return false;
            char *joined = dbf__arena_alloc(r->arena, wa.len + wb.len);
            memcpy(joined, wa.text, wa.len);
            memcpy(joined + wa.len, wb.text, wb.len);
            items[n++] = (struct word){joined, wa.len + wb.len};
        }
    }
    *out = (struct strings){n, items, n ? a.shortest + b.shortest : SIZE_MAX};
    return true;
}

static size_t longest(struct strings s)
{
    size_t max = 0;
    for (size_t i = 0; i < s.count; i++)
        if (s.items[i].len > max)
            max = s.items[i].len;
    return max;
}

/* Does a match holding one of S say anything: does S hold no empty string? */
static bool telling(struct strings s)
{
    return s.count > 0 && s.shortest > 0;
}

/* Does set A rule out more subjects than set B: the longer shortest
 * needle, then fewer needles? A set that is not telling() rules out none. */
static bool tells_more(struct strings a, struct strings b)
{
    if (!telling(a) || !telling(b))
        return telling(a);
    if (a.shortest != b.shortest)
        return a.shortest > b.shortest;
    return a.count <= b.count;
}

/* Of two needs that a match must both meet, the two sets that rule out
 * the most subjects. */
static struct need better(struct need a, struct need b)
{
    if (a.any)
        return b;
    if (b.any)
        return a;
    struct strings sets[4] = {a.needles, a.also, b.needles, b.also};
    struct need out = {.needles = sets[0]};
    for (size_t i = 1; i < 4; i++) {
        if (tells_more(sets[i], out.needles)) {
            out.also = out.needles;
            out.needles = sets[i];
        } else if (tells_more(sets[i], out.also)) {
            out.also = sets[i];
        }
    }
    return out;
}

/* What every match of X holds: its need, or its exact strings when they
 * say more. A set holding the empty string says nothing. */
static struct need need_of(const struct info *x)
{
    if (!x->exact || x->words.count == 0 || x->words.shortest == 0)
        return x->need;
    return better(x->need, (struct need){.needles = x->words});
}

/* A piece that matches either A or B. */
static struct info alternate(struct reader *r, struct info a, struct info b)
{
    struct info out = info_any;
    if (a.exact && b.exact && a.words.count + b.words.count <= MAX_EXACT) {
        out.exact = true;
        out.words = strings_union(r, a.words, b.words);
    }
    /* (A1 and B1) or (A2 and B2) holds (A1 or A2) and (B1 or B2). */
    struct need na = need_of(&a), nb = need_of(&b);
    if (!na.any && !nb.any) {
        out.need = (struct need){.needles = strings_union(r, na.needles, nb.needles)};
        if (telling(na.also) && telling(nb.also))
            out.need.also = strings_union(r, na.also, nb.also);
    }
    return out;
}

/* X repeated MIN to MAX times (MAX < 0: no limit). */
static struct info repeat(struct reader *r, struct info x, long min, long max)
{
    if (min == 1 && max == 1)
        return x;
    if (min >= 1)
        return (struct info){.need = need_of(&x)};
    struct info out = info_any;
    if (max == 1 && x.exact && x.words.count < MAX_EXACT) {
        out.exact = true;
        out.words = strings_union(r, x.words, info_empty().words);
    }
    return out;
}

/* Reads a quantifier at r->p, if any, into *MIN and *MAX (1 and 1 when
 * there is none). */
static void read_quantifier(struct reader *r, long *min, long *max)
{
    const char *p = r->p;
    *min = *max = 1;
    if (*p == '?') {
        *min = 0;
        p++;
    } else if (*p == '*') {
        *min = 0;
        *max = -1;
        p++;
    } else if (*p == '+') {
        *max = -1;
        p++;
    } else if (*p == '{') {
        char *end;
        if (p[1] < '0' || p[1] > '9') {
            r->unknown = true; /* a literal '{', or {,n}: not read */
            return;
        }
        *min = *max = strtol(p + 1, &end, 10);
        if (*end == ',') {
            end++;
            *max = -1;
            if (*end >= '0' && *end <= '9')
                *max = strtol(end, &end, 10);
        }
        if (*end != '}') {
            r->unknown = true;
            return;
        }
        p = end + 1;
    } else {
        return;
    }
    if (*p == '?' || *p == '+')
        p++; /* lazy or possessive: the same text */
    r->p = p;
}

/* The length of the UTF-8 character at P, or 0 when it is not one. */
static size_t utf8_length(const unsigned char *p, uint32_t *code)
{
    size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || p[0] >= 0xf5)
        return 0;
    uint32_t c = p[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    *code = c;
    return n;
}

/* Is the non-ASCII character CODE matched only by itself, whatever the
 * case? Latin-1 signs (but the micro sign), general punctuation, currency
 * signs, arrows, mathematical and technical signs, box drawing and shapes,
 * symbols and dingbats (check marks), emoji: no character in those blocks
 * has another case in Unicode, nor is one elsewhere another case of them. */
static bool caseless_sign(uint32_t code)
{
    return (code >= 0xa0 && code <= 0xbf && code != 0xb5) || (code >= 0x2010 && code <= 0x205e) ||
           (code >= 0x20a0 && code <= 0x20cf) || (code >= 0x2190 && code <= 0x23ff) ||
           (code >= 0x2500 && code <= 0x27bf) || (code >= 0x2b00 && code <= 0x2bff) ||
           (code >= 0x1f300 && code <= 0x1faff);
}

/* Reads a non-ASCII character at r->p: itself when it has no other case. */
static struct info read_wide(struct reader *r)
{
    uint32_t code = 0;
    size_t n = utf8_length((const unsigned char *)r->p, &code);
    if (n == 0) {
        r->unknown = true;
        return info_any;
    }
    const char *at = r->p;
    r->p += n;
    return caseless_sign(code) ? info_exact(strings_of(r, at, n)) : info_any;
}

/* The members of a class so far, as strings; GAVE_UP once it is too big or
 * holds what cannot be spelled out. */
struct members {
    bool gave_up;
    size_t count;
    char text[MAX_CLASS][5];
};

static void add_member(struct members *m, const char *text, size_t len)
{
    if (m->gave_up)
        return;
    char lowered[5] = {0};
    for (size_t i = 0; i < len; i++)
        lowered[i] = (char)dbf__lower((unsigned char)text[i]);
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->text[i], lowered) == 0)
            return;
    if (m->count == MAX_CLASS) {
        m->gave_up = true;
        return;
    }
    memcpy(m->text[m->count++], lowered, sizeof lowered);
}

/* Reads a character class at r->p (on its '['): its members when few. */
static struct info read_class(struct reader *r)
{
    const char *p = r->p + 1;
    struct members m = {0};
    if (*p == '^') {
        m.gave_up = true; /* all but a few: too many */
        p++;
    }
    bool first = true;
    while (*p && (*p != ']' || first)) {
        first = false;
        unsigned char c = (unsigned char)*p;
        if (c == '\\') {
            unsigned char e = (unsigned char)p[1];
            if (!e || strchr("xopPQEcNgu", e)) {
                r->unknown = true;
                return info_any;
            }
            if (e == 'd')
                for (char d = '0'; d <= '9'; d++)
                    add_member(&m, &d, 1);
            else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || e >= 0x80)
                m.gave_up = true; /* \w, \s, \n, …: not spelled out */
            else
                add_member(&m, (const char *)&p[1], 1);
            p += 2;
            if (*p == '-' && p[1] && p[1] != ']')
                m.gave_up = true; /* a range from an escape: not spelled out */
        } else if (c == '[' && p[1] == ':') {
            const char *end = strstr(p, ":]");
            if (!end) {
                r->unknown = true;
                return info_any;
            }
            m.gave_up = true;
            p = end + 2;
        } else if (c >= 0x80) {
            uint32_t code = 0;
            size_t n = utf8_length((const unsigned char *)p, &code);
            if (n == 0) {
                r->unknown = true;
                return info_any;
            }
            if (caseless_sign(code))
                add_member(&m, p, n);
            else
                m.gave_up = true;
            p += n;
            if (*p == '-' && p[1] && p[1] != ']')
                m.gave_up = true; /* a range of wide characters */
        } else if (p[1] == '-' && p[2] && p[2] != ']') {
            unsigned char hi = (unsigned char)p[2];
            if (hi == '\\' || hi >= 0x80 || hi < c || hi - c >= MAX_CLASS) {
                m.gave_up = true; /* a wide range, or one ending in an escape */
                p += 2;           /* the end is read as a member, to no effect */
                continue;
            }
            for (unsigned v = c; v <= hi; v++) {
                char one = (char)v;
                add_member(&m, &one, 1);
            }
            p += 3;
        } else {
            add_member(&m, p, 1);
            p++;
        }
    }
    if (!*p) {
        r->unknown = true;
        return info_any;
    }
    r->p = p + 1;
    if (m.gave_up || m.count == 0)
        return info_any;
    struct word *items = dbf__arena_alloc(r->arena, m.count * sizeof *items);
    size_t shortest = SIZE_MAX;
    for (size_t i = 0; i < m.count; i++) {
        size_t len = strlen(m.text[i]);
        items[i] = (struct word){dbf__arena_strndup(r->arena, m.text[i], len), len};
        if (len < shortest)
            shortest = len;
    }
    return info_exact((struct strings){m.count, items, shortest});
}

static struct info read_alternatives(struct reader *r);

/* Reads a group at r->p (after its '('). Lookarounds and option settings
 * match the empty string. */
static struct info read_group(struct reader *r)
{
    const char *p = r->p;
    bool consumes = true;
    if (*p == '?') {
        p++;
        if (*p == ':' || *p == '>' || *p == '|') {
            p++;
        } else if (*p == '=' || *p == '!') {
            consumes = false;
            p++;
        } else if (*p == '<' && (p[1] == '=' || p[1] == '!')) {
            consumes = false;
            p += 2;
        } else if (*p == '<' || *p == '\'' || (*p == 'P' && p[1] == '<')) {
            const char *end = strpbrk(p + 1, ">'");
            if (!end) {
                r->unknown = true;
                return info_any;
            }
            p = end + 1;
        } else {
            /* Option letters: (?i:…) is a group; (?i) alone changes case
             * only, which the caseless comparison already covers. */
            const char *q = p;
            while (*q && strchr("imsnJU-^", *q))
                q++;
            if (q == p || (*q != ':' && *q != ')')) {
                r->unknown = true;
                return info_any;
            }
            if (*q == ')') {
                r->p = q; /* the caller consumes the ')' */
                return info_empty();
            }
            p = q + 1;
        }
    }
    r->p = p;
    struct info inner = read_alternatives(r);
    return consumes ? inner : info_empty();
}

/* Reads an escape at r->p (on its '\'). */
static struct info read_escape(struct reader *r)
{
    unsigned char e = (unsigned char)r->p[1];
    if (!e) {
        r->unknown = true;
        return info_any;
    }
    r->p += 2;
    if (strchr("bBAzZG", e))
        return info_empty();
    if (e == 'd') {
        static const struct word digits[] = {{"0", 1}, {"1", 1}, {"2", 1}, {"3", 1}, {"4", 1},
                                             {"5", 1}, {"6", 1}, {"7", 1}, {"8", 1}, {"9", 1}};
        return info_exact((struct strings){10, digits, 1});
    }
    if (e == 'n' || e == 't')
        return info_exact(strings_of(r, e == 'n' ? "\n" : "\t", 1));
    if (strchr("DwWsShHvVRrfea", e) || (e >= '1' && e <= '9'))
        return info_any; /* a wide class, or a back reference */
    if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || e == '0' || e >= 0x80) {
        r->unknown = true; /* \x, \Q, \K, \p, \g, … */
        return info_any;
    }
    /* Punctuation, the same in either case: the word is the pattern's byte. */
    return info_exact(strings_of(r, r->p - 1, 1));
}

/* Does C stand for itself, outside a class? */
static bool plain(unsigned char c)
{
    switch (c) {
    case '\0':
    case '(':
    case ')':
    case '[':
    case '\\':
    case '^':
    case '$':
    case '.':
    case '|':
    case '*':
    case '+':
    case '?':
    case '{':
        return false;
    default:
        return c < 0x80;
    }
}

/* Reads the characters from r->p that stand for themselves, at most ROOM
 * of them (but one at least), as one word: "careless" at once rather than
 * letter by letter. A quantifier after them applies to the last alone,
 * which is then left to be read on its own. */
static struct info read_literals(struct reader *r, size_t room)
{
    const char *at = r->p;
    size_t n = 1;
    bool upper = (unsigned)(at[0] - 'A') < 26u;
    while (n < room && plain((unsigned char)at[n])) {
        upper |= (unsigned)(at[n] - 'A') < 26u;
        n++;
    }
    if (n > 1 && at[n] && strchr("?*+{", at[n]))
        n--;
    r->p += n;
    if (!upper)
        return info_exact(strings_of(r, at, n));
    char *lowered = dbf__arena_alloc(r->arena, n);
    for (size_t i = 0; i < n; i++)
        lowered[i] = (char)dbf__lower((unsigned char)at[i]);
    return info_exact(strings_of(r, lowered, n));
}

/* Reads one atom at r->p, without its quantifier; ROOM as for
 * read_literals(). */
static struct info read_atom(struct reader *r, size_t room)
{
    unsigned char c = (unsigned char)*r->p;
    if (c == '(') {
        r->p++;
        struct info group = read_group(r);
        if (*r->p != ')') {
            r->unknown = true;
            return info_any;
        }
        r->p++;
        return group;
    }
    if (c == '[')
        return read_class(r);
    if (c == '\\')
        return read_escape(r);
    if (c == '^' || c == '$') {
        r->p++;
        return info_empty();
    }
    if (c >= 0x80)
        return read_wide(r);
    if (c == '*' || c == '+' || c == '?' || c == '{') {
        r->unknown = true; /* a quantifier with nothing before it */
        return info_any;
    }
    if (c == '.') {
        r->p++;
        return info_any;
    }
    return read_literals(r, room);
}

/* Reads a sequence of atoms up to '|', ')' or the end. RUN is the exact
 * strings of the atoms since the last one that was not exact; NEED the best
 * of what the sequence before RUN holds. */
static struct info read_sequence(struct reader *r)
{
    struct info run = info_empty();
    struct need need = need_any;
    bool exact = true;
    while (*r->p && *r->p != '|' && *r->p != ')' && !r->unknown) {
        /* Characters that stand for themselves join the run as one word,
         * as many as the run's longest word has room for. */
        size_t run_longest = longest(run.words);
        struct info atom = read_atom(r, run_longest < MAX_NEEDLE ? MAX_NEEDLE - run_longest : 1);
        long min, max;
        if (!r->unknown)
            read_quantifier(r, &min, &max);
        if (r->unknown)
            break;
        atom = repeat(r, atom, min, max);
        struct strings joined;
        if (atom.exact && strings_product(r, run.words, atom.words, &joined)) {
            run = info_exact(joined);
            continue;
        }
        need = better(need, need_of(&run));
        if (atom.exact) {
            run = atom; /* too many strings: a new run */
        } else {
            need = better(need, need_of(&atom));
            run = info_empty();
        }
        exact = false;
    }
    if (exact)
        return run;
    return (struct info){.need = better(need, need_of(&run))};
}

static struct info read_alternatives(struct reader *r)
{
    struct info all = read_sequence(r);
    while (*r->p == '|' && !r->unknown) {
        r->p++;
        all = alternate(r, all, read_sequence(r));
    }
    return all;
}

/* The scan folds case by setting bit 5 of every byte: an ASCII letter's
 * two cases become one, and so do a few pairs of other bytes ('@' and '`',
 * '[' and '{', …), which only sends the scan to check a needle that is not
 * there. One OR per byte, where dbf__lower() tests the byte first. */
#define FOLD 0x20u
#define FOLD_TRIPLE 0x202020u

/* A needle of the prefilter, lower case. */
struct needle {
    const unsigned char *text;
    size_t len;
    uint32_t first; /* its first three bytes folded, A << 16 | B << 8 | C, when it has three */
};

/* The needles one of which any match holds, and ALSO, when not NULL, the
 * needles one of which it holds as well. Bit H of `starts` is set when a
 * needle of three bytes or more starts with a folded triple whose slot is H;
 * bit B of `short_starts` when a shorter needle starts with folded byte B. */
struct dbf__literals {
    struct dbf__arena arena;
    struct needle *needles;
    size_t count;
    struct dbf__literals *also;
    bool has_short; /* some needle is under three bytes */
    uint64_t starts[(1u << SCAN_BITS) / 64];
    uint64_t short_starts[4];
};

static uint32_t slot_of(uint32_t triple)
{
    return (uint32_t)(triple * 0x9E3779B1u) >> (32 - SCAN_BITS);
}

/* A needle cut to its first KEPT_BYTES bytes, as a number: its first byte
 * the most significant, zeros after its end. No needle holds a NUL, so
 * keys compare as the needles do (strcmp), and a key tells its length. */
__extension__ typedef unsigned __int128 needle_key;
#define KEY_BYTES sizeof(needle_key)
static_assert(KEPT_BYTES <= KEY_BYTES, "a key holds the kept bytes of a needle");

static needle_key key_of(struct word needle)
{
    needle_key key = 0;
    for (size_t i = 0; i < KEY_BYTES; i++)
        key = key << 8 | (i < needle.len && i < KEPT_BYTES ? (unsigned char)needle.text[i] : 0);
    return key;
}

static size_t key_length(needle_key key)
{
    uint64_t low = (uint64_t)key;
    size_t zeros =
        low ? (size_t)__builtin_ctzll(low) : 64 + (size_t)__builtin_ctzll((uint64_t)(key >> 64));
    return KEY_BYTES - zeros / 8;
}

static int compare_keys(const void *a, const void *b)
{
    needle_key x = *(const needle_key *)a, y = *(const needle_key *)b;
    return (x > y) - (x < y);
}

/* The keys shorter than KEPT_BYTES, the only ones that can be a part of
 * another: a set of them, open addressing in SLOTS[0..MASK] (0: free; no
 * key is 0), and bit N of LENGTHS set when one is N bytes long. A key asks
 * for each of its parts: a look-up each. */
struct parts {
    needle_key *slots;
    size_t mask;
    unsigned lengths;
};

static size_t part_slot(needle_key key, size_t mask)
{
    uint64_t h = ((uint64_t)key ^ (uint64_t)(key >> 64)) * 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 32) & mask;
}

static void part_add(struct parts *parts, needle_key key)
{
    size_t i = part_slot(key, parts->mask);
    while (parts->slots[i] && parts->slots[i] != key)
        i = (i + 1) & parts->mask;
    parts->slots[i] = key;
    parts->lengths |= 1u << key_length(key);
}

static bool part_held(const struct parts *parts, needle_key key)
{
    for (size_t i = part_slot(key, parts->mask); parts->slots[i]; i = (i + 1) & parts->mask)
        if (parts->slots[i] == key)
            return true;
    return false;
}

/* Is one of PARTS a part of KEY shorter than KEY? */
static bool holds_shorter(needle_key key, const struct parts *parts)
{
    size_t len = key_length(key);
    for (size_t n = 1; n < len; n++) {
        if (!(parts->lengths >> n & 1))
            continue;
        for (size_t from = 0; from + n <= len; from++)
            if (part_held(parts, key << 8 * from & ~(needle_key)0 << (8 * KEY_BYTES - 8 * n)))
                return true;
    }
    return false;
}

/* The keys of NEEDLES, in order, once each, without those that hold
 * another: a subject holding a needle holds its start, and a subject
 * holding "notices" holds "notice". Fewer and shorter needles cost less to
 * look for, and rule out nearly as much. */
static size_t shortened(struct reader *r, struct strings needles, needle_key **kept)
{
    needle_key *cut = dbf__arena_alloc(r->arena, needles.count * sizeof *cut);
    for (size_t i = 0; i < needles.count; i++)
        cut[i] = key_of(needles.items[i]);
    qsort(cut, needles.count, sizeof *cut, compare_keys);
    size_t unique = 0;
    for (size_t i = 0; i < needles.count; i++)
        if (unique == 0 || cut[unique - 1] != cut[i])
            cut[unique++] = cut[i];
    /* A cut needle holds no more than its kept bytes: the shorter ones
     * are all another can hold. */
    size_t slots = 8;
    while (slots < 2 * unique)
        slots *= 2;
    struct parts parts = {dbf__arena_alloc(r->arena, slots * sizeof *parts.slots), slots - 1, 0};
    memset(parts.slots, 0, slots * sizeof *parts.slots);
    for (size_t i = 0; i < unique; i++)
        if (key_length(cut[i]) < KEPT_BYTES)
            part_add(&parts, cut[i]);
    *kept = dbf__arena_alloc(r->arena, unique * sizeof **kept);
    size_t count = 0;
    for (size_t i = 0; i < unique; i++)
        if (!holds_shorter(cut[i], &parts))
            (*kept)[count++] = cut[i];
    return count;
}

/* The prefilter of the needles NEEDLES, which the reader R has read; NULL
 * when memory runs out. */
static struct dbf__literals *literals_make(struct reader *r, struct strings needles)
{
    struct dbf__literals *lits = calloc(1, sizeof *lits);
    if (!lits)
        return NULL;
    dbf__arena_init(&lits->arena);
    needle_key *kept;
    lits->count = shortened(r, needles, &kept);
    lits->needles = dbf__arena_alloc(&lits->arena, lits->count * sizeof *lits->needles);
    for (size_t i = 0; i < lits->count; i++) {
        struct needle *n = &lits->needles[i];
        n->len = key_length(kept[i]);
        unsigned char *text = dbf__arena_alloc(&lits->arena, n->len + 1);
        for (size_t j = 0; j < n->len; j++)
            text[j] = (unsigned char)(kept[i] >> (8 * (KEY_BYTES - 1 - j)));
        n->text = text;
        if (n->len < 3) {
            unsigned char folded = n->text[0] | FOLD;
            lits->short_starts[folded / 64] |= (uint64_t)1 << (folded % 64);
            lits->has_short = true;
            continue;
        }
        n->first =
            ((uint32_t)n->text[0] << 16 | (uint32_t)n->text[1] << 8 | n->text[2]) | FOLD_TRIPLE;
        uint32_t slot = slot_of(n->first);
        lits->starts[slot / 64] |= (uint64_t)1 << (slot % 64);
    }
    return lits;
}

struct dbf__literals *dbf__literals_of(const char *pattern)
{
    struct dbf__arena scratch;
    dbf__arena_init(&scratch);
    struct reader r = {.p = pattern, .arena = &scratch};
    struct info all = read_alternatives(&r);
    struct need need = need_of(&all);
    struct dbf__literals *lits = NULL;
    if (!r.unknown && !*r.p && !need.any && telling(need.needles)) {
        lits = literals_make(&r, need.needles);
        if (lits && telling(need.also))
            lits->also = literals_make(&r, need.also);
    }
    dbf__arena_release(&scratch);
    return lits;
}

const struct dbf__literals *dbf__literals_also(const struct dbf__literals *lits)
{
    return lits->also;
}

void dbf__literals_free(struct dbf__literals *lits)
{
    if (!lits)
        return;
    dbf__literals_free(lits->also);
    dbf__arena_release(&lits->arena);
    free(lits);
}

size_t dbf__literals_count(const struct dbf__literals *lits)
{
    return lits->count;
}

const unsigned char *dbf__literals_needle(const struct dbf__literals *lits, size_t i, size_t *len)
{
    *len = lits->needles[i].len;
    return lits->needles[i].text;
}

/* Does a needle (under three bytes when SHORT_ONLY, else one starting with
 * the folded triple FIRST) start at S[0..LEFT)? */
static bool needle_at(const struct dbf__literals *lits, bool short_only, uint32_t first,
                      const unsigned char *s, size_t left)
{
    for (size_t k = 0; k < lits->count; k++) {
        const struct needle *n = &lits->needles[k];
        if ((n->len < 3) != short_only || n->len > left)
            continue;
        if (!short_only && n->first != first)
            continue;
        size_t j = 0;
        while (j < n->len && dbf__lower(s[j]) == n->text[j])
            j++;
        if (j == n->len)
            return true;
    }
    return false;
}

/* Does S[0..LEN) hold the N bytes at SEQ? Their first byte is looked for
 * with memchr(), which passes over many bytes at once. */
static bool holds_bytes(const unsigned char *s, size_t len, const unsigned char *seq, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        const unsigned char *p = memchr(s + i, seq[0], len - n + 1 - i);
        if (!p)
            return false;
        if (memcmp(p + 1, seq + 1, n - 1) == 0)
            return true;
        i = (size_t)(p - s);
    }
    return false;
}

bool dbf__has_odd_case(const unsigned char *s, size_t len)
{
    static const unsigned char long_s[] = {0xc5, 0xbf}, kelvin[] = {0xe2, 0x84, 0xaa};
    return holds_bytes(s, len, long_s, sizeof long_s) || holds_bytes(s, len, kelvin, sizeof kelvin);
}

static bool has_short_needle(const struct dbf__literals *lits, const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i] | FOLD;
        if ((lits->short_starts[c / 64] >> (c % 64) & 1) &&
            needle_at(lits, true, 0, s + i, len - i))
            return true;
    }
    return false;
}

static bool has_long_needle(const struct dbf__literals *lits, const unsigned char *s, size_t len)
{
    uint32_t recent = 0;
    for (size_t i = 0; i < len; i++) {
        recent = (recent << 8 | s[i]) & 0xffffff;
        if (i < 2)
            continue;
        uint32_t first = recent | FOLD_TRIPLE, slot = slot_of(first);
        if ((lits->starts[slot / 64] >> (slot % 64) & 1) &&
            needle_at(lits, false, first, s + i - 2, len - i + 2))
            return true;
    }
    return false;
}

/* Does S[0..LEN) hold one of the needles of LITS (LITS->also aside)? One
 * test at a time over the whole subject, each the cheaper for it. */
static bool holds_needle(const struct dbf__literals *lits, const unsigned char *s, size_t len)
{
    return (lits->has_short && has_short_needle(lits, s, len)) || has_long_needle(lits, s, len);
}

/* The needles first: their scan stops at the first one found, where the
 * long s and the Kelvin sign, being rare, are looked for through to the end;
 * a rule's loop over its matches in one block would pay that at each. */
bool dbf__literals_may_match(const struct dbf__literals *lits, const unsigned char *s, size_t len)
{
    return (holds_needle(lits, s, len) && (!lits->also || holds_needle(lits->also, s, len))) ||
           dbf__has_odd_case(s, len);
}
