/* impact.c: figures (numbers with units) in the prose, with their section.
 *
 * A figure is a count of affected things, a percentage, an amount of money,
 * or a duration. Version numbers, dates, times and bare numbers are not. */
#include "../util/re.h"
#include "clock.h"
#include "parse.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Number words that size an impact as well as digits do ("two students",
 * "a single cask", "nine hours"). */
#define NUMBER_WORD                                                                                \
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"            \
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"                 \
    "a hundred|hundreds|a dozen|dozens|a single|single"

/* Money; a number (digits, a range "10-30", or a number word) with a
 * percent sign or a unit noun, an adjective allowed between ("600 running
 * pods"); or a compact duration ("1h50m", "~17d"). The units are people,
 * units of work, pieces of infrastructure, data, money (a currency's name or
 * its upper-case code or ticker: "2.7M USD", "40 ETH") and time. Years
 * ("March 3 2026 some users") and HTTP statuses ("403 Forbidden") are not
 * figures. The unit nouns are grouped by their first letter: PCRE2 tries a
 * list of alternatives one by one, and the unit is tried once or twice for
 * each of ~25 figures a document, so 25 tries instead of 130 made the
 * figure search a fifth cheaper. Any two units that both match at a place match
 * the same word there (a \b follows), so the order they are tried in does
 * not change a match. */
#define FIGURE_PATTERN                                                                               \
    "(?<![\\w.:/"                                                                                    \
    "-])(?:(?:[$€£]\\s?\\d+(?:,\\d{3})*(?:\\.\\d+)?(?:\\s?(?:k|m|bn|million|billion|thousand))?)" \
    "|(?:~|about |around |approximately |over |nearly |almost |more than |less than |up to )?"       \
    "(?![1-5]\\d\\d\\s+(?:errors?|responses?|status|forbidden|not "                                  \
    "found))(?!(?:19|20)\\d\\d\\b(?![,.]?\\d))"                                                      \
    "(\\d+(?:,\\d{3})*(?:\\.\\d+)?(?:\\s?[-–]\\s?\\d+(?:,\\d{3})*(?:\\.\\d+)?)?\\+?|(?"            \
    ":" NUMBER_WORD ")(?=\\s))\\s?(?:(%|percent\\b|per cent\\b)|"                                    \
    "(?:(?:k|m|million|thousand|hundred|billion)\\s+)?(?:(?:of\\s+)?(?:the\\s+|our\\s+|all\\s+|"     \
    "their\\s+)?(?:(?!(?:some|many|several|few|most|all|any|no|of|the)\\b)[a-z-]+\\s+)?)??"          \
    "(a(?:ccounts|pps?|pplications?)|b(?:uilds?|ytes|locks?)|c(?:ustomers?|alls|lusters?|oins?|"     \
    "ontainers?|redentials?)|d(?:ownloads?|evices?|ollars?|eployments?|atabases?|omains?|ays?)|"     \
    "e(?:-?mails?|vents|rrors?|uros?|ndpoints?)|f(?:ailures?|iles?)|h(?:osts?|ours?|rs?)|jobs|"      \
    "keys?|m(?:essages?|erchants?|achines?|embers?|s|illiseconds?|inutes?|ins?)|"                    \
    "n(?:odes?|otifications?)|o(?:rders?|rgani[sz]ations?|rgs?)|p(?:eople|ersons|ayments?|"          \
    "ipelines?|ages?|rojects?|ackages?|ods?|ounds?|articipants?|artners?|rs?|ull requests?)|"        \
    "queries|r(?:equests?|epositor(?:y|ies)|epos?|ecords?|ows?|eleases?)|s(?:tudents|ites?|"         \
    "ervers?|ervices?|essions?|ecrets?|ubscribers?|earches|econds?|ecs?)|"                           \
    "t(?:ransactions?|ickets?|okens?|eams?|enants?)|users?|v(?:ms?|isitors?|ersions?)|"              \
    "w(?:orkloads?|ebsites?|eeks?)|"                                                                 \
    "instances?|[kmgtpe]i?b|(?-i:[A-Z]{3,5}))\\b)"                                                   \
    "|(\\d{1,3}h(?:\\s?\\d{1,2}m)?|\\d{1,4}\\s?(?:min|m|d)|\\d{1,2}\\s?h)\\b)"

const char dbf__figure_pattern[] = FIGURE_PATTERN;
/* Anchored (\G): tried only where next_figure_start() says a figure can
 * begin. Searched unanchored, its lookbehind and optional lead words had PCRE2
 * try it at nearly every byte of every block. */
static struct dbf__re figure = DBF_RE("\\G" FIGURE_PATTERN);

/* Number words of figures besides the cardinals (dbf__number_word). */
static const struct {
    const char *word;
    double value;
} number_words[] = {
    {"a hundred", 100}, {"hundreds", 100}, {"a dozen", 12},
    {"dozens", 24},     {"a single", 1},   {"single", 1},
};

/* Where a match of `figure` can start: its lookbehind holds and it opens
 * with a currency sign, '~', a digit, a lead word ("about ", "up to ") or a
 * number word. Under PCRE2_CASELESS and PCRE2_UTF, U+017F (long s) matches
 * 's' and U+212A (Kelvin) 'k', the only non-ASCII characters that match an
 * ASCII letter: a word with one of them soon after its start counts as a
 * possible start, so that the scan never says no where PCRE2 would say yes. */
#define OPENER(w)                                                                                  \
    {                                                                                              \
        w, sizeof w - 1                                                                            \
    }
static const struct {
    const char *word;
    size_t len;
} figure_openers[] = {
    OPENER("about "),     OPENER("around "),    OPENER("approximately "),
    OPENER("over "),      OPENER("nearly "),    OPENER("almost "),
    OPENER("more than "), OPENER("less than "), OPENER("up to "),
    OPENER("one"),        OPENER("two"),        OPENER("three"),
    OPENER("four"),       OPENER("five"),       OPENER("six"),
    OPENER("seven"),      OPENER("eight"),      OPENER("nine"),
    OPENER("ten"),        OPENER("eleven"),     OPENER("twelve"),
    OPENER("thirteen"),   OPENER("fourteen"),   OPENER("fifteen"),
    OPENER("sixteen"),    OPENER("seventeen"),  OPENER("eighteen"),
    OPENER("nineteen"),   OPENER("twenty"),     OPENER("thirty"),
    OPENER("forty"),      OPENER("fifty"),      OPENER("sixty"),
    OPENER("a hundred"),  OPENER("hundreds"),   OPENER("a dozen"),
    OPENER("dozens"),     OPENER("a single"),   OPENER("single"),
};

/* Bytes after a word's start within which a long s or a Kelvin sign could
 * stand for one of an opener's letters. */
#define OPENER_REACH (3 * sizeof "approximately ")

/* The first long s (C5 BF) or Kelvin sign (E2 84 AA) at or after FROM in
 * S[0..LEN), or LEN: two memchr() runs, as both are rare. */
static size_t next_odd_case(const unsigned char *s, size_t len, size_t from)
{
    size_t best = len;
    for (const unsigned char *p = s + from;
         p < s + best && (p = memchr(p, 0xC5, best - (size_t)(p - s))); p++)
        if (p + 1 < s + len && p[1] == 0xBF) {
            best = (size_t)(p - s);
            break;
        }
    for (const unsigned char *p = s + from;
         p < s + best && (p = memchr(p, 0xE2, best - (size_t)(p - s))); p++)
        if (p + 2 < s + len && p[1] == 0x84 && p[2] == 0xAA) {
            best = (size_t)(p - s);
            break;
        }
    return best;
}

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* What next_figure_start() asks of a byte. */
enum {
    BEFORE_NO_FIGURE = 1, /* the lookbehind fails after it: \w . : / - */
    DIGIT = 2,
    STARTS = 4,      /* opens a figure by itself: '$', '~', a non-ASCII lead byte */
    NUMBER_TAIL = 8, /* may follow a number in a figure: space, % + -, a letter, non-ASCII */
    RUN = 16,        /* digits, commas, points: a number's run */
};

/* The byte classes; for each lower-case first letter the openers that start
 * with it, as indexes into figure_openers; and a bit for the hash of each
 * opener's first three bytes, so that most words ("the", "for") are refused
 * on those. */
struct opener_index {
    unsigned char class[256];
    unsigned char first[27]; /* openers of letter L: order[first[L]] to order[first[L + 1]] */
    unsigned char order[sizeof figure_openers / sizeof figure_openers[0]];
    uint64_t trigrams[64];
};

static struct opener_index openers;
static pthread_once_t openers_once = PTHREAD_ONCE_INIT;

/* The bit of three lower-case bytes in trigrams[]. */
static unsigned trigram_bit(unsigned char a, unsigned char b, unsigned char c)
{
    return ((unsigned)a * 961 + (unsigned)b * 31 + c) & 4095;
}

static void opener_index_make(void)
{
    struct opener_index *x = &openers;
    memset(x, 0, sizeof *x);
    for (unsigned c = 0; c < 256; c++) {
        bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        bool digit = c >= '0' && c <= '9';
        if (letter || digit || c == '_' || c == '.' || c == ':' || c == '/' || c == '-')
            x->class[c] |= BEFORE_NO_FIGURE;
        if (digit)
            x->class[c] |= DIGIT | RUN;
        if (c == ',' || c == '.')
            x->class[c] |= RUN;
        if (c == '$' || c == '~' || c >= 0xC0)
            x->class[c] |= STARTS;
        if (c <= ' ' || c == '%' || c == '+' || c == '-' || c >= 0x80 || letter)
            x->class[c] |= NUMBER_TAIL;
    }
    size_t n = 0;
    for (unsigned letter = 0; letter < 26; letter++) {
        x->first[letter] = (unsigned char)n;
        for (size_t k = 0; k < sizeof figure_openers / sizeof figure_openers[0]; k++)
            if ((unsigned char)figure_openers[k].word[0] == 'a' + letter) {
                const unsigned char *w = (const unsigned char *)figure_openers[k].word;
                x->order[n++] = (unsigned char)k;
                unsigned bit = trigram_bit(w[0], w[1], w[2]);
                x->trigrams[bit / 64] |= (uint64_t)1 << (bit % 64);
            }
    }
    x->first[26] = (unsigned char)n;
}

static bool opener_at(const struct opener_index *x, const char *s, size_t len, size_t i,
                      unsigned letter)
{
    /* Every opener has three bytes or more: one that fits has them here. */
    if (len - i < 3)
        return false;
    unsigned bit = trigram_bit((unsigned char)('a' + letter), ascii_lower((unsigned char)s[i + 1]),
                               ascii_lower((unsigned char)s[i + 2]));
    if (!(x->trigrams[bit / 64] >> (bit % 64) & 1))
        return false;
    for (unsigned o = x->first[letter]; o < x->first[letter + 1]; o++) {
        const char *w = figure_openers[x->order[o]].word;
        size_t n = figure_openers[x->order[o]].len, j = 1;
        if (n > len - i)
            continue;
        while (j < n && ascii_lower((unsigned char)s[i + j]) == (unsigned char)w[j])
            j++;
        if (j == n)
            return true;
    }
    return false;
}

/* Can a number that starts at digit I be followed by what a figure needs
 * after its number (a space, '%', '+', a range's dash, a unit's letter)? The
 * number itself can only end where its run of digits, commas and points
 * ends. A year ("2026-03-02", "in 2026.") opens no figure either: the
 * pattern refuses 19dd or 20dd then a word's end not followed by [,.]?\d,
 * and its compact durations need a space or a letter after their digits. */
static bool number_may_lead(const struct opener_index *x, const unsigned char *s, size_t len,
                            size_t i)
{
    if (i + 4 <= len && ((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')) &&
        (x->class[s[i + 2]] & DIGIT) && (x->class[s[i + 3]] & DIGIT)) {
        if (i + 4 == len)
            return false;
        unsigned char after = s[i + 4];
        bool word = (x->class[after] & DIGIT) || ((after | 0x20) >= 'a' && (after | 0x20) <= 'z') ||
                    after == '_';
        bool decimal =
            (after == ',' || after == '.') && i + 5 < len && (x->class[s[i + 5]] & DIGIT);
        if (after < 0x80 && after > ' ' && !word && !decimal)
            return false;
    }
    while (i < len && (x->class[s[i]] & RUN))
        i++;
    return i < len && (x->class[s[i]] & NUMBER_TAIL);
}

/* Is I, whose lookbehind holds, a place where a figure can start? */
static bool may_start_at(const struct opener_index *x, const unsigned char *s, size_t len, size_t i,
                         size_t *high)
{
    unsigned char c = s[i], class = x->class[c];
    if (class & DIGIT)
        return number_may_lead(x, s, len, i);
    if (class & STARTS)
        return true;
    unsigned letter = (unsigned)(c | 0x20) - 'a';
    if (letter >= 26 || x->first[letter] == x->first[letter + 1])
        return false;
    if (*high <= i)
        *high = next_odd_case(s, len, i);
    return (*high < len && *high < i + OPENER_REACH) ||
           opener_at(x, (const char *)s, len, i, letter);
}

/* The first I at or after FROM in S[0..LEN) where a figure can start, or LEN.
 * Only a byte after one the lookbehind allows is looked at: the runs of
 * word bytes between are skipped. *HIGH keeps, between calls on one subject,
 * where the next long s or Kelvin sign is (LEN when none); the caller sets
 * it to 0 before the first call. */
static size_t next_figure_start(const struct opener_index *x, const char *text, size_t len,
                                size_t from, size_t *high)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = from;
    if (i > 0 && i < len && (x->class[s[i - 1]] & BEFORE_NO_FIGURE)) {
        while (i < len && (x->class[s[i]] & BEFORE_NO_FIGURE))
            i++;
        i++; /* past the byte that ends the run */
    }
    while (i < len) {
        if (may_start_at(x, s, len, i, high))
            return i;
        if (x->class[s[i]] & BEFORE_NO_FIGURE) {
            i++;
            while (i < len && (x->class[s[i]] & BEFORE_NO_FIGURE))
                i++;
        }
        i++;
    }
    return len;
}

/* The value of the number at S: digits (commas dropped) or a number word. */
static double number_value(const char *s, size_t len)
{
    bool numeral = len && s[0] >= '0' && s[0] <= '9'; /* no number word starts so */
    /* The longest word written there: "sixteen", not "six". */
    int cardinal = 0;
    size_t longest = numeral ? 0 : dbf__number_word(s, len, &cardinal);
    double value = cardinal;
    for (size_t i = 0; !numeral && i < sizeof number_words / sizeof number_words[0]; i++) {
        size_t n = dbf__spells(s, len, number_words[i].word);
        if (n > longest) {
            longest = n;
            value = number_words[i].value;
        }
    }
    if (longest)
        return value;
    char digits[32];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof digits - 1; i++) {
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')
            digits[n++] = s[i];
        else if (s[i] != ',')
            break;
    }
    digits[n] = '\0';
    return strtod(digits, NULL);
}

void dbf__impact_extract(struct dbf_doc *doc)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    size_t cap = 0;
    pthread_once(&openers_once, opener_index_make);
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_CODE || b->type == DBF_BLOCK_HTML)
            continue;
        struct dbf__match m;
        size_t from = 0;
        size_t high = 0;
        while (from < b->len) {
            from = next_figure_start(&openers, b->text, b->len, from, &high);
            if (from == b->len)
                break;
            if (!dbf__re_search(&figure, b->text, b->len, from, &m)) {
                from++;
                continue;
            }
            from = m.end > from ? m.end : from + 1;
            struct dbf_impact_figure *f = DBF_PUSH(doc->figures, doc->figure_count, cap);
            f->pos = (struct dbf_pos){dbf_doc_block_line(b, m.start), b->pos.column};
            f->section = dbf_doc_block_kind(doc, b);
            f->text = dbf__arena_strndup(arena, b->text + m.start, m.end - m.start);
            size_t num_at = m.group_start[1] != SIZE_MAX   ? m.group_start[1]
                            : m.group_start[4] != SIZE_MAX ? m.group_start[4]
                                                           : m.start;
            while (num_at < m.end && !(b->text[num_at] >= '0' && b->text[num_at] <= '9') &&
                   m.group_start[1] == SIZE_MAX)
                num_at++;
            const char *num = b->text + num_at;
            f->value = number_value(num, m.end - num_at);
            if (m.group_start[2] != SIZE_MAX) {
                f->unit = "%";
            } else if (m.group_start[3] != SIZE_MAX) {
                f->unit = dbf__arena_strndup(arena, b->text + m.group_start[3],
                                             m.group_end[3] - m.group_start[3]);
                size_t used;
                int64_t secs = dbf__duration_scan(num, (size_t)(b->text + m.end - num), &used);
                if (secs >= 0) {
                    f->is_duration = true;
                    f->seconds = secs;
                }
            } else if (m.group_start[4] != SIZE_MAX) {
                size_t used;
                int64_t secs = dbf__duration_scan(num, m.end - num_at, &used);
                f->unit = secs >= 0 ? "duration" : "days";
                f->is_duration = true;
                f->seconds = secs >= 0 ? secs : (int64_t)(f->value * 86400);
            } else {
                f->unit = "money";
            }
        }
    }
    doc->internal->figure_cap = cap;
}
