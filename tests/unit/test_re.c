/* test_re.c: the patterns' prefilter: what the reader takes from a pattern,
 * and that it never answers "no match" where PCRE2 finds one, by a scan of
 * the subject or through a summary of frozen memory. */
#include "harness.h"

#include "util/re.h"
#include "util/re_literals.h"
#include "util/re_split.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_needles(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The needles of LITS, sorted, joined by '|'; "(none)" for NULL. */
static const char *joined(const struct dbf__literals *lits)
{
    static char out[2048];
    if (!lits)
        return "(none)";
    const char *items[256];
    size_t count = dbf__literals_count(lits);
    assert_true(count <= 256);
    for (size_t i = 0; i < count; i++) {
        size_t len;
        items[i] = (const char *)dbf__literals_needle(lits, i, &len);
    }
    qsort(items, count, sizeof *items, compare_needles);
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof out - used, "%s%s", i ? "|" : "", items[i]);
    }
    return out;
}

/* The needles of PATTERN, as joined() gives them; "(none)" without a prefilter. */
static const char *needles(const char *pattern)
{
    struct dbf__literals *lits = dbf__literals_of(pattern);
    const char *out = joined(lits);
    dbf__literals_free(lits);
    return out;
}

/* The second needles of PATTERN (dbf__literals_also()), as joined() gives them. */
static const char *second_needles(const char *pattern)
{
    struct dbf__literals *lits = dbf__literals_of(pattern);
    const char *out = joined(lits ? dbf__literals_also(lits) : NULL);
    dbf__literals_free(lits);
    return out;
}

static void test_reads_a_second_set_of_needles(void **state)
{
    (void)state;
    /* Two words a sequence holds apart: the one that rules out more first. */
    assert_string_equal(needles("\\bsome\\s+\\w+\\s+users\\b"), "users");
    assert_string_equal(second_needles("\\bsome\\s+\\w+\\s+users\\b"), "some");
    assert_string_equal(needles("\\b(some|many)\\s+(users|clients)"), "clients|users");
    assert_string_equal(second_needles("\\b(some|many)\\s+(users|clients)"), "many|some");
    /* Alternatives each with two: the first sets joined, and the second. */
    assert_string_equal(needles("alpha\\s+beta|gammas\\s+delta"), "alpha|gammas");
    assert_string_equal(second_needles("alpha\\s+beta|gammas\\s+delta"), "beta|delta");
    /* An optional piece, or an alternative with one set, gives no second. */
    assert_string_equal(second_needles("some\\s+(users)?"), "(none)");
    assert_string_equal(second_needles("alpha\\s+beta|gamma"), "(none)");
    /* Both sets must be there for a match. */
    struct dbf__literals *lits = dbf__literals_of("\\bsome\\s+\\w+\\s+users\\b");
    assert_non_null(lits);
    const char *yes = "some of our users", *no = "some of our customers", *neither = "users only";
    assert_true(dbf__literals_may_match(lits, (const unsigned char *)yes, strlen(yes)));
    assert_false(dbf__literals_may_match(lits, (const unsigned char *)no, strlen(no)));
    assert_false(dbf__literals_may_match(lits, (const unsigned char *)neither, strlen(neither)));
    dbf__literals_free(lits);
}

static void test_reads_words_and_exact_strings(void **state)
{
    (void)state;
    assert_string_equal(needles("\\b(careless(?:ly|ness)?|sloppy)\\b"), "careless|sloppy");
    assert_string_equal(needles("e-?mail"), "e-mail|email");
    assert_string_equal(needles("(?:gke|aks|ip)-node"), "aks-node|gke-node|ip-node");
    assert_string_equal(needles("\\b(?:gke|aks|ip)-"), "aks-|gke-|ip-");
    assert_string_equal(needles("(?i)Abc"), "abc");
    assert_string_equal(needles("(?=abc)d"), "d");
    assert_string_equal(needles("(?<!x)[^a]bc"), "bc");
    assert_string_equal(needles("[$€£]\\s?\\d+"), "$|£|€");
    /* Check marks, arrows and emoji have no other case. */
    assert_string_equal(needles("✅|✔|☑|→|≈|🔥"), "→|≈|☑|✅|✔|🔥");
    assert_string_equal(needles("\\d{4}-\\d\\d"), "-0|-1|-2|-3|-4|-5|-6|-7|-8|-9");
    assert_string_equal(needles("a[0-3]"), "a0|a1|a2|a3");
    /* Long needles are cut, and a needle holding another is dropped. */
    assert_string_equal(needles("forwards a ticket now|forwards a ticket later"), "forwards a t");
    assert_string_equal(needles("notice|notices|noticed"), "notice");
    assert_string_equal(needles("xaby|ab"), "ab");
    /* Letters are read as one word, but a quantifier takes the last alone. */
    assert_string_equal(needles("colou?r"), "color|colour");
    assert_string_equal(needles("outage{2}s"), "outag");
    assert_string_equal(needles("TimeOut|Dead\\.Line"), "dead.line|timeout");
}

static void test_gives_up_where_it_cannot_tell(void **state)
{
    (void)state;
    assert_string_equal(needles("a*"), "(none)");
    assert_string_equal(needles("abc|"), "(none)");
    assert_string_equal(needles("abc|x?"), "(none)");
    assert_string_equal(needles("\\x41bc"), "(none)");
    assert_string_equal(needles("(?x)a b"), "(none)");
    assert_string_equal(needles("(?R)"), "(none)");
    assert_string_equal(needles("\\w+"), "(none)");
    /* A class whose range starts at an escape or a wide character is not
     * spelled out: "[\\.-9]" holds '/' and '0'. */
    assert_string_equal(needles("[\\.-9]"), "(none)");
    assert_string_equal(needles("[é-ü]x"), "x");
    /* A letter with another case outside ASCII is not a needle. */
    assert_string_equal(needles("é"), "(none)");
}

/* The parts of PATTERN (at most MOST), as "part{map}" joined by " || ",
 * where map lists the whole's group of each of the part's groups. */
static const char *parts_of(const char *pattern, size_t most)
{
    static char out[4096];
    struct dbf__re_part *parts;
    size_t count = dbf__re_split(pattern, most, &parts);
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(out);
        used += (size_t)snprintf(out + used, sizeof out - used, "%s%s{", i ? " || " : "",
                                 parts[i].pattern);
        for (unsigned g = 1; g <= parts[i].groups && g < 10; g++)
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%u", g > 1 ? "," : "",
                                     parts[i].group_of[g]);
        snprintf(out + used, sizeof out - used, "}");
    }
    dbf__re_parts_free(parts, count);
    return count ? out : "(whole)";
}

static void test_splits_alternatives(void **state)
{
    (void)state;
    assert_string_equal(parts_of("a|b(c)|(d)", 6), "a{} || b(c){1} || (d){2}");
    assert_string_equal(parts_of("a|b|c|d|e", 2), "a|b|c{} || d|e{}");
    assert_string_equal(parts_of("\\b(care|lazy)\\b", 6), "\\b(care)\\b{1} || \\b(lazy)\\b{1}");
    /* A prefix that matches one way only, groups inside and after. */
    assert_string_equal(parts_of("(?<!x)(?:a(b)|c)(d)", 6),
                        "(?<!x)(?:a(b))(d){1,2} || (?<!x)(?:c)(d){2}");
    assert_string_equal(parts_of("(a|(b))(c)", 6), "(a)(c){1,3} || ((b))(c){1,2,3}");
    /* Top-level parts cut again at their group. */
    assert_string_equal(parts_of("(x)y|\\b(a|b)", 6), "(x)y{1} || \\b(a){2} || \\b(b){2}");
    /* Classes and escapes hold no cut. */
    assert_string_equal(parts_of("[|(]a\\|b", 6), "(whole)");
    /* Nothing whose meaning reaches across a cut, nor a prefix or group
     * that could match more than one way. */
    assert_string_equal(parts_of("(a)|\\1", 6), "(whole)");
    assert_string_equal(parts_of("(?i)a|b", 6), "(whole)");
    assert_string_equal(parts_of("(?|(a)|(b))", 6), "(whole)");
    assert_string_equal(parts_of("a(*SKIP)b|c", 6), "(whole)");
    assert_string_equal(parts_of("x*(a|b)", 6), "(whole)");
    assert_string_equal(parts_of("(a|b)+", 6), "(whole)");
    assert_string_equal(parts_of("(?i:a|b)c", 6), "(whole)");
}

/* Pairs searched whole and by parts, for the random check. */
static struct dbf__re whole_patterns[] = {
    DBF_RE("\\b(careless(?:ly|ness)?|sloppy|negligen(?:t|ce)|lazy|dumb)\\b"),
    DBF_RE("\\b(one|two|ten)\\s+(users?|mails?)|\\b(notif(ied|y))\\b|(e)-?mail"),
    DBF_RE("(?<![\\w.])(todo|tbd|ask)(s)?\\b"),
    DBF_RE("\\b(?:gke|aks|ip)-([a-z0-9]+)\\b"),
    DBF_RE("(a|ab)(c|bcd)(d*)"),
    DBF_RE("(sk|s)(k?)|(z)|(less|le)(ss)?"),
};
static struct dbf__re part_patterns[] = {
    DBF_RE_PARTS("\\b(careless(?:ly|ness)?|sloppy|negligen(?:t|ce)|lazy|dumb)\\b"),
    DBF_RE_PARTS("\\b(one|two|ten)\\s+(users?|mails?)|\\b(notif(ied|y))\\b|(e)-?mail"),
    DBF_RE_PARTS("(?<![\\w.])(todo|tbd|ask)(s)?\\b"),
    DBF_RE_PARTS("\\b(?:gke|aks|ip)-([a-z0-9]+)\\b"),
    DBF_RE_PARTS("(a|ab)(c|bcd)(d*)"),
    DBF_RE_PARTS("(sk|s)(k?)|(z)|(less|le)(ss)?"),
};

/* Patterns with the constructs the reader reads, for the random check. */
static struct dbf__re patterns[] = {
    DBF_RE("\\b(careless(?:ly|ness)?|sloppy|negligen(?:t|ce))\\b"),
    DBF_RE("e-?mails?\\b|\\bnotif(?:ied|y)\\b"),
    DBF_RE("(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})"),
    DBF_RE("[$€£]\\s?\\d+(?:k|m)?|\\b(?:one|two|ten)\\s+users?"),
    DBF_RE("\\{\\{[^{}\\n]*\\}\\}|\\[(?:todo|tbd)\\]|…|\\.\\.\\."),
    DBF_RE("(?:^|\\s)@[a-z][\\w-]*"),
    DBF_RE("\\b(?:gke|aks|ip)-[a-z0-9]+\\b"),
    DBF_RE("(?:tick|clock)ed\\s+(?:at|by)\\b"),
    DBF_RE_CASED("\\b[A-Z]{2,5}\\b"),
    DBF_RE("(?-i:Kafka)|skew|ask"),
    DBF_RE("[a-c][x-z]q|zz"),
    DBF_RE("\\bso\\b|\\bsk\\b"),
};

/* Bytes the random subjects are made of: letters of the patterns, digits,
 * punctuation, spaces, and the two characters that match ASCII letters of
 * another case (U+017F, U+212A) plus another wide one (U+2026). */
static const char *const pieces[] = {
    "a",      "b",    "c",     "e",    "g",      "i",   "k",  "l",    "m",   "n",    "o",
    "p",      "s",    "t",     "x",    "y",      "z",   "q",  "A",    "K",   "S",    "E",
    "M",      "0",    "1",     "7",    ".",      "-",   "$",  "@",    "{",   "}",    "[",
    "]",      " ",    "\n",    "ſ",    "\u212A", "…",   "£",  "todo", "one", "user", "mail",
    "care",   "less", "notif", "ied",  "gke",    "ask", "ab", "bcd",  "d",   "two",  "ten",
    "sloppy", "lazy", "tbd",   "aks-", "ip-",    "s",   "e-",
};

static size_t random_subject(char *out, size_t cap, unsigned *seed)
{
    size_t len = 0, count = (size_t)(rand_r(seed) % 24);
    for (size_t i = 0; i < count; i++) {
        const char *p = pieces[(size_t)rand_r(seed) % (sizeof pieces / sizeof *pieces)];
        size_t n = strlen(p);
        if (len + n + 1 > cap)
            break;
        memcpy(out + len, p, n);
        len += n;
    }
    out[len] = '\0';
    return len;
}

static void test_never_hides_a_match(void **state)
{
    (void)state;
    unsigned seed = 2026;
    char frozen[200];
    size_t matched = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = random_subject(frozen, sizeof frozen, &seed);
        for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
            size_t from = len / 2;
            dbf__re_set_prefilter(false);
            bool truth = dbf__re_search(&patterns[p], frozen, len, 0, NULL);
            bool truth_later = dbf__re_search(&patterns[p], frozen, len, from, NULL);
            dbf__re_set_prefilter(true);
            bool scanned = dbf__re_search(&patterns[p], frozen, len, 0, NULL);
            /* Through a summary of frozen memory: of the subject searched
             * from its start, then from further on (the whole subject's
             * summary), and of a fresh subject searched from further on. */
            dbf__re_frozen_begin();
            dbf__re_frozen_add(frozen, sizeof frozen);
            bool summarised = dbf__re_search(&patterns[p], frozen, len, 0, NULL);
            bool later = dbf__re_search(&patterns[p], frozen, len, from, NULL);
            dbf__re_frozen_begin();
            dbf__re_frozen_add(frozen, sizeof frozen);
            bool fresh_later = dbf__re_search(&patterns[p], frozen, len, from, NULL);
            dbf__re_frozen_end();
            if (truth != scanned || truth != summarised || truth_later != later ||
                truth_later != fresh_later)
                fail_msg("pattern %zu on \"%s\": PCRE2 %d (from %zu: %d), scan %d, summary %d "
                         "(from %zu: %d, fresh %d)",
                         p, frozen, truth, from, truth_later, scanned, summarised, from, later,
                         fresh_later);
            matched += truth;
        }
    }
    assert_true(matched > 1000); /* the subjects do reach the patterns */
}

/* Is S[0..LEN) all ASCII? The needle table gives the bytes of other
 * characters one class, so on those it may let through more than a
 * pattern's own needles do; on ASCII its answer is theirs. */
static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Frozen (by the needle table) and not (by the pattern's own needles), a
 * subject may match alike, or frozen only where the subject is not ASCII. */
static bool same_refusal(bool may, bool may_frozen, const char *s, size_t len)
{
    return may == may_frozen || (may_frozen && !is_ascii(s, len));
}

/* dbf__re_may_match() says no only where no part of the subject (searched
 * as a sentence of a block is: the block's text up to the part's end, from
 * its start) holds a match, frozen or not, and says yes where the subject
 * matches. */
static void test_may_match_never_hides_a_part(void **state)
{
    (void)state;
    unsigned seed = 7;
    char frozen[200];
    size_t refused = 0;
    for (int round = 0; round < 5000; round++) {
        size_t len = random_subject(frozen, sizeof frozen, &seed);
        for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
            bool may = dbf__re_may_match(&patterns[p], frozen, len);
            dbf__re_frozen_begin();
            dbf__re_frozen_add(frozen, sizeof frozen);
            bool may_frozen = dbf__re_may_match(&patterns[p], frozen, len);
            dbf__re_frozen_end();
            dbf__re_set_prefilter(false);
            bool truth = dbf__re_search(&patterns[p], frozen, len, 0, NULL);
            for (size_t start = 0; !may && start < len; start += 7)
                for (size_t end = start + 1; end <= len; end += 5)
                    if (dbf__re_search(&patterns[p], frozen, end, start, NULL))
                        fail_msg("pattern %zu said no to \"%s\" but matches in [%zu, %zu)", p,
                                 frozen, start, end);
            assert_true(dbf__re_may_match(&patterns[p], frozen, len));
            dbf__re_set_prefilter(true);
            if (!same_refusal(may, may_frozen, frozen, len) || (truth && !may))
                fail_msg("pattern %zu on \"%s\": may %d, frozen %d, PCRE2 %d", p, frozen, may,
                         may_frozen, truth);
            refused += !may;
        }
    }
    assert_true(refused > 1000); /* the needles do refuse subjects */
}

/* A set of patterns, some searched by parts, may match where one of them
 * may, frozen or not, and says no only where none of them matches. */
static void test_may_match_any_is_the_union(void **state)
{
    (void)state;
    unsigned seed = 11;
    char frozen[200];
    enum {
        WHOLE = sizeof patterns / sizeof *patterns,
        PARTS = sizeof part_patterns / sizeof *part_patterns
    };
    struct dbf__re *pool[WHOLE + PARTS];
    for (size_t i = 0; i < WHOLE + PARTS; i++)
        pool[i] = i < WHOLE ? &patterns[i] : &part_patterns[i - WHOLE];
    size_t count = WHOLE + PARTS, refused = 0;
    for (int round = 0; round < 6000; round++) {
        size_t len = random_subject(frozen, sizeof frozen, &seed);
        size_t first = (size_t)round % count, n = 1 + (size_t)round % 4;
        struct dbf__re *set[4];
        bool union_may = false, truth = false;
        for (size_t i = 0; i < n; i++) {
            set[i] = pool[(first + i) % count];
            union_may |= dbf__re_may_match(set[i], frozen, len);
        }
        bool may = dbf__re_may_match_any(set, n, frozen, len);
        dbf__re_frozen_begin();
        dbf__re_frozen_add(frozen, sizeof frozen);
        bool may_frozen = dbf__re_may_match_any(set, n, frozen, len);
        dbf__re_frozen_end();
        dbf__re_set_prefilter(false);
        for (size_t i = 0; i < n; i++)
            truth |= dbf__re_search(set[i], frozen, len, 0, NULL);
        assert_true(dbf__re_may_match_any(set, n, frozen, len));
        dbf__re_set_prefilter(true);
        if (may != union_may || !same_refusal(may, may_frozen, frozen, len) || (truth && !may))
            fail_msg("patterns %zu..%zu on \"%s\": any %d, frozen %d, each %d, PCRE2 %d", first,
                     first + n - 1, frozen, may, may_frozen, union_may, truth);
        refused += !may;
    }
    assert_false(dbf__re_may_match_any(NULL, 0, "anything", 8));
    assert_true(refused > 100); /* the needles do refuse subjects */
}

/* Sets of patterns for test_set_answers_as_its_patterns: whole ones, ones
 * searched by parts, both, and one with a pattern whose needles are not
 * known (every subject may match it). */
static struct dbf__re no_needles = DBF_RE("\\w{4,}");
static struct dbf__re *const set_whole[] = {&patterns[0], &patterns[1], &patterns[3]};
static struct dbf__re *const set_parts[] = {&part_patterns[0], &part_patterns[1]};
static struct dbf__re *const set_both[] = {&patterns[5], &part_patterns[2], &patterns[9],
                                           &part_patterns[3]};
static struct dbf__re *const set_unknown[] = {&patterns[0], &no_needles};
static struct dbf__re_set sets[] = {DBF_RE_SET(set_whole), DBF_RE_SET(set_parts),
                                    DBF_RE_SET(set_both), DBF_RE_SET(set_unknown)};

/* A set answers as dbf__re_may_match_any() of its patterns, frozen or not,
 * and says no only where none of them matches. */
static void test_set_answers_as_its_patterns(void **state)
{
    (void)state;
    unsigned seed = 12;
    char frozen[200];
    size_t refused[sizeof sets / sizeof *sets] = {0};
    for (int round = 0; round < 4000; round++) {
        size_t len = random_subject(frozen, sizeof frozen, &seed);
        for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
            struct dbf__re_set *set = &sets[k];
            bool may = dbf__re_set_may_match(set, frozen, len);
            bool any = dbf__re_may_match_any(set->res, set->count, frozen, len);
            dbf__re_frozen_begin();
            dbf__re_frozen_add(frozen, sizeof frozen);
            bool may_frozen = dbf__re_set_may_match(set, frozen, len);
            bool any_frozen = dbf__re_may_match_any(set->res, set->count, frozen, len);
            dbf__re_frozen_end();
            bool truth = false;
            dbf__re_set_prefilter(false);
            for (size_t i = 0; i < set->count; i++)
                truth |= dbf__re_search(set->res[i], frozen, len, 0, NULL);
            assert_true(dbf__re_set_may_match(set, frozen, len));
            dbf__re_set_prefilter(true);
            if (may != any || may_frozen != any_frozen || (truth && (!may || !may_frozen)))
                fail_msg("set %zu on \"%s\": %d (any %d), frozen %d (any %d), PCRE2 %d", k,
                         frozen, may, any, may_frozen, any_frozen, truth);
            refused[k] += !may_frozen;
        }
    }
    assert_true(refused[0] > 100 && refused[1] > 100 && refused[2] > 100);
    assert_int_equal(refused[3], 0); /* no needles known for one of its patterns */
}

/* Does S[0..LEN) hold NEEDLE (lower case), ASCII letters in either case? */
static bool holds(const char *s, size_t len, const unsigned char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        size_t j = 0;
        while (j < n &&
               (unsigned char)(s[i + j] | (s[i + j] >= 'A' && s[i + j] <= 'Z' ? 0x20 : 0)) ==
                   needle[j])
            j++;
        if (j == n)
            return true;
    }
    return false;
}

/* The table's one pass finds the id of every pattern one of whose needles
 * the subject holds, and no other: subjects of every length up to a few
 * hundred bytes (scanned in several streams from a length on), needles
 * across every place a subject may be cut. */
static void test_needle_table_finds_every_needle(void **state)
{
    (void)state;
    unsigned seed = 77;
    const char letters[] = "abcdeABCDE -";
    for (int round = 0; round < 300; round++) {
        struct dbf__literals *lits[12];
        size_t count = 1 + (size_t)rand_r(&seed) % 12;
        for (size_t p = 0; p < count; p++) {
            char pattern[128];
            size_t used = 0, alts = 1 + (size_t)rand_r(&seed) % 3;
            for (size_t a = 0; a < alts; a++) {
                size_t n = 2 + (size_t)rand_r(&seed) % 7;
                if (a)
                    pattern[used++] = '|';
                for (size_t i = 0; i < n; i++)
                    pattern[used++] = "abcde"[rand_r(&seed) % 5];
            }
            pattern[used] = '\0';
            lits[p] = dbf__literals_of(pattern);
            assert_non_null(lits[p]);
        }
        struct dbf__needle_table *table =
            dbf__needle_table_make((const struct dbf__literals *const *)lits, count);
        assert_non_null(table);
        for (int k = 0; k < 40; k++) {
            char subject[400];
            size_t len = (size_t)rand_r(&seed) % sizeof subject;
            for (size_t i = 0; i < len; i++)
                subject[i] = letters[rand_r(&seed) % (sizeof letters - 1)];
            uint64_t ids[DBF__ID_WORDS] = {0};
            dbf__needle_table_scan(table, (const unsigned char *)subject, len, ids);
            for (size_t p = 0; p < count; p++) {
                bool want = false;
                for (size_t i = 0; i < dbf__literals_count(lits[p]) && !want; i++) {
                    size_t n;
                    const unsigned char *needle = dbf__literals_needle(lits[p], i, &n);
                    want = holds(subject, len, needle, n);
                }
                if (want != (bool)(ids[p / 64] >> (p % 64) & 1))
                    fail_msg("pattern %zu in \"%.*s\" (%zu bytes): found %d", p, (int)len, subject,
                             len, !want);
            }
        }
        dbf__needle_table_free(table);
        for (size_t p = 0; p < count; p++)
            dbf__literals_free(lits[p]);
    }
}

static bool may_match(const char *pattern, const char *subject)
{
    struct dbf__literals *lits = dbf__literals_of(pattern);
    assert_non_null(lits);
    bool may = dbf__literals_may_match(lits, (const unsigned char *)subject, strlen(subject));
    dbf__literals_free(lits);
    return may;
}

/* A pattern's own prefilter finds its needles in either case, wherever they
 * are, and only them: bytes that differ in bit 5 alone but are not letters
 * ('@' and '`', '[' and '{') are different bytes. */
static void test_prefilter_finds_needles_in_either_case(void **state)
{
    (void)state;
    assert_true(may_match("outage", "an OUTAGE"));
    assert_true(may_match("outage", "OutAge"));
    assert_false(may_match("outage", "outag"));
    assert_true(may_match("a@b", "x A@B y"));
    assert_false(may_match("a@b", "x A`B y"));
    assert_true(may_match("[@]", "mail@host"));
    assert_false(may_match("[@]", "quoted `code`"));
    assert_true(may_match("x\\[y", "X[Y"));
    assert_false(may_match("x\\[y", "x{y"));
    /* U+212A (Kelvin) matches 'k' caselessly: any subject holding it may match. */
    assert_true(may_match("outage", "5 \xe2\x84\xaa"));
    assert_false(may_match("outage", "a dash \xe2\x80\x94"));
}

/* With more bytes in its needles than a row has classes for, the table
 * shares classes among the rarest: it still finds every needle a subject
 * holds, and on letters, digits and spaces finds exactly those. */
static void test_needle_table_shared_classes_hide_nothing(void **state)
{
    (void)state;
    static const char ascii[] = "!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~ abcdefghijklmnopqrstuvwxy"
                                      "0123456789";
    static const char *const wide[] = {"\xe2\x82\xac", "\xe2\x80\x94", "\xe2\x80\xa6",
                                       "\xe2\x9c\x85", "\xc2\xa3", "\xc3\xa9"};
    enum { ASCII = sizeof ascii - 1, WIDE = sizeof wide / sizeof wide[0] };
    struct dbf__literals *lits[ASCII + WIDE];
    char pattern[32];
    for (size_t p = 0; p < ASCII; p++) {
        bool word = (ascii[p] >= 'a' && ascii[p] <= 'z') || ascii[p] == ' ' ||
                    (ascii[p] >= '0' && ascii[p] <= '9');
        snprintf(pattern, sizeof pattern, word ? "q%cz" : "q\\%cz", ascii[p]);
        lits[p] = dbf__literals_of(pattern);
        assert_non_null(lits[p]);
    }
    for (size_t p = 0; p < WIDE; p++) {
        snprintf(pattern, sizeof pattern, "%s%d", wide[p], (int)p);
        lits[ASCII + p] = dbf__literals_of(pattern);
        assert_non_null(lits[ASCII + p]);
    }
    struct dbf__needle_table *table =
        dbf__needle_table_make((const struct dbf__literals *const *)lits, ASCII + WIDE);
    assert_non_null(table);
    unsigned seed = 64;
    size_t found = 0;
    for (int round = 0; round < 2000; round++) {
        char subject[300];
        size_t len = 0;
        bool plain = round % 2 == 0;
        while (len + 8 < sizeof subject && rand_r(&seed) % 64) {
            unsigned pick = (unsigned)rand_r(&seed) % 8;
            if (pick < 3)
                subject[len++] = "qzab0123 xy"[rand_r(&seed) % 11];
            else if (!plain && pick < 6)
                subject[len++] = ascii[rand_r(&seed) % ASCII];
            else if (!plain) {
                const char *w = wide[rand_r(&seed) % WIDE];
                memcpy(subject + len, w, strlen(w));
                len += strlen(w);
            }
        }
        uint64_t ids[DBF__ID_WORDS] = {0};
        dbf__needle_table_scan(table, (const unsigned char *)subject, len, ids);
        for (size_t p = 0; p < ASCII + WIDE; p++) {
            bool want = false;
            for (size_t i = 0; i < dbf__literals_count(lits[p]) && !want; i++) {
                size_t n;
                const unsigned char *needle = dbf__literals_needle(lits[p], i, &n);
                want = holds(subject, len, needle, n);
            }
            bool got = ids[p / 64] >> (p % 64) & 1;
            if ((want && !got) || (plain && got != want))
                fail_msg("needles of pattern %zu in \"%.*s\": held %d, found %d", p, (int)len,
                         subject, want, got);
            found += want;
        }
    }
    assert_true(found > 100); /* the subjects do hold needles */
    dbf__needle_table_free(table);
    for (size_t p = 0; p < ASCII + WIDE; p++)
        dbf__literals_free(lits[p]);
}

/* A subject holding a character that matches an ASCII letter of another
 * case (U+212A Kelvin, U+017F long s) could match any pattern, wherever
 * the character is; a dash or a quote, which share its first byte, could
 * not. */
static void test_needle_table_odd_case_gives_every_id(void **state)
{
    (void)state;
    struct dbf__literals *lits[1] = {dbf__literals_of("outage")};
    struct dbf__needle_table *table =
        dbf__needle_table_make((const struct dbf__literals *const *)lits, 1);
    assert_non_null(table);
    static const char *const subjects[] = {"\xe2\x84\xaa", "a long \xe2\x80\x94 line, \xe2\x84\xaa",
                                           "\xc5\xbf at the start", "a quote \xe2\x80\x9c, \xc5\xbf"};
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        uint64_t ids[DBF__ID_WORDS] = {0};
        dbf__needle_table_scan(table, (const unsigned char *)subjects[i], strlen(subjects[i]), ids);
        for (size_t w = 0; w < DBF__ID_WORDS; w++)
            assert_int_equal(ids[w], UINT64_MAX);
    }
    static const char *const plain[] = {"\xe2\x80\x94 a dash \xe2\x80\x9cquoted\xe2\x80\x9d", "\xe2\x84",
                                        "\xc5", "ends \xe2\x84"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        uint64_t ids[DBF__ID_WORDS] = {0};
        dbf__needle_table_scan(table, (const unsigned char *)plain[i], strlen(plain[i]), ids);
        for (size_t w = 0; w < DBF__ID_WORDS; w++)
            assert_int_equal(ids[w], 0);
    }
    dbf__needle_table_free(table);
    dbf__literals_free(lits[0]);
}

static bool same_match(const struct dbf__match *a, const struct dbf__match *b)
{
    if (a->start != b->start || a->end != b->end)
        return false;
    for (int g = 1; g < 10; g++)
        if (a->group_start[g] != b->group_start[g] || a->group_end[g] != b->group_end[g])
            return false;
    return true;
}

/* Searches SUBJECT[0..LEN) (in a buffer of CAP bytes) from FROM with
 * TRUTH alone, whole, the prefilter off, and with RE, the prefilter on, in
 * memory plain and frozen; fails (naming pattern P) unless the three find
 * the same match, groups included. Returns whether TRUTH matched, and its
 * match in *WHOLE (if non-NULL). */
static bool same_search(struct dbf__re *truth_re, struct dbf__re *re, size_t p,
                        const char *subject, size_t cap, size_t len, size_t from,
                        struct dbf__match *whole)
{
    struct dbf__match truth_m, found_m, frozen_m;
    dbf__re_set_prefilter(false);
    bool truth = dbf__re_search(truth_re, subject, len, from, &truth_m);
    dbf__re_set_prefilter(true);
    bool found = dbf__re_search(re, subject, len, from, &found_m);
    dbf__re_frozen_begin();
    dbf__re_frozen_add(subject, cap);
    bool frozen = dbf__re_search(re, subject, len, from, &frozen_m);
    dbf__re_frozen_end();
    if (truth != found || truth != frozen ||
        (truth && (!same_match(&truth_m, &found_m) || !same_match(&truth_m, &frozen_m))))
        fail_msg("pattern %zu on \"%s\" from %zu: whole %d [%zu,%zu), searched %d [%zu,%zu), "
                 "frozen %d",
                 p, subject, from, truth, truth ? truth_m.start : 0, truth ? truth_m.end : 0,
                 found, found ? found_m.start : 0, found ? found_m.end : 0, frozen);
    if (whole)
        *whole = truth_m;
    return truth;
}

static void test_parts_find_the_same_match(void **state)
{
    (void)state;
    unsigned seed = 1127;
    char subject[200];
    size_t matched = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = random_subject(subject, sizeof subject, &seed);
        for (size_t p = 0; p < sizeof whole_patterns / sizeof *whole_patterns; p++) {
            for (size_t from = 0; from <= len; from += len / 3 + 1)
                matched += same_search(&whole_patterns[p], &part_patterns[p], p, subject,
                                       sizeof subject, len, from, NULL);
        }
    }
    for (size_t p = 0; p < sizeof part_patterns / sizeof *part_patterns; p++)
        if (part_patterns[p].alt_count < 2) /* each was searched by parts */
            fail_msg("pattern %zu was searched whole", p);
    assert_true(matched > 5000);
}

/* dbf__re_shared_boundary() of PATTERN, "(none)" when it has none. */
static const char *shared(const char *pattern)
{
    static char out[256];
    char *made = dbf__re_shared_boundary(pattern);
    snprintf(out, sizeof out, "%s", made ? made : "(none)");
    free(made);
    return out;
}

static void test_shares_a_leading_boundary(void **state)
{
    (void)state;
    assert_string_equal(shared("\\bab|\\bc(d)|\\b"), "\\b(?:ab|c(d)|)");
    assert_string_equal(shared("\\b[|]a|\\b(x|y)"), "\\b(?:[|]a|(x|y))");
    /* Neighbours that start with it, between others. */
    assert_string_equal(shared("\\ba|\\bb|^c|\\bd|x|\\be|\\bf"),
                        "\\b(?:a|b)|^c|\\bd|x|\\b(?:e|f)");
    assert_string_equal(shared("x|\\ba(b)|\\bc"), "x|\\b(?:a(b)|c)");
    /* No two neighbours start with it, or none stands at the top. */
    assert_string_equal(shared("\\ba|b"), "(none)");
    assert_string_equal(shared("\\ba|b|\\bc"), "(none)");
    assert_string_equal(shared("\\\\b|\\ba"), "(none)"); /* an escaped backslash, then b */
    assert_string_equal(shared("\\Ba|\\Bb"), "(none)");
    assert_string_equal(shared("\\b(?:a|b)"), "(none)");
    /* What could mean otherwise once moved. */
    assert_string_equal(shared("\\b{2}a|\\bb"), "(none)");
    assert_string_equal(shared("(?i)\\ba|\\bb"), "(none)");
    assert_string_equal(shared("\\b(a)|\\b\\1"), "(none)");
    assert_string_equal(shared("\\b\\Q|\\E|\\bb"), "(none)");
}

/* dbf__re_unanchored() of PATTERN as "part{map}", "(none)" when it has none. */
static const char *unanchored(const char *pattern)
{
    static char out[256];
    struct dbf__re_part part;
    if (!dbf__re_unanchored(pattern, &part))
        return "(none)";
    size_t used = (size_t)snprintf(out, sizeof out, "%s{", part.pattern);
    for (unsigned g = 1; g <= part.groups && g < 10; g++)
        used += (size_t)snprintf(out + used, sizeof out - used, "%s%u", g > 1 ? "," : "",
                                 part.group_of[g]);
    snprintf(out + used, sizeof out - used, "}");
    free(part.pattern);
    return out;
}

static void test_leaves_out_alternatives_at_the_start(void **state)
{
    (void)state;
    assert_string_equal(unanchored("^a(b)|(c)|^d|e"), "(c)|e{2}");
    assert_string_equal(unanchored("(x)|^\\s*(y)(z)|[|^](w)"), "(x)|[|^](w){1,4}");
    assert_string_equal(unanchored("^x||b|"), "|b|{}"); /* empty alternatives stay */
    /* No alternative, or every one, starts with '^'; or one only looks
     * as if it did. */
    assert_string_equal(unanchored("^a|^b"), "(none)");
    assert_string_equal(unanchored("a|b"), "(none)");
    assert_string_equal(unanchored("^ab"), "(none)");
    assert_string_equal(unanchored("a|\\^b|(?:^c)"), "(none)");
    /* What dbf__re_split() does not cut. */
    assert_string_equal(unanchored("(a)|^\\1"), "(none)");
    assert_string_equal(unanchored("(?i)^a|b"), "(none)");
}

/* Patterns some of whose alternatives start with '^': searched from the
 * start anchored, and elsewhere without those alternatives. */
static struct dbf__re anchored_patterns[] = {
    DBF_RE("\\{\\{(x*)\\}\\}|^\\s*(ask|care)\\b[^.\\n]{0,9}(less)?$|\\b(todo|tbd)\\b|^(…|\\.\\.\\.)"),
    DBF_RE("^(a|ab)(c|bcd)|(sk|s)(k?)|^\\W*(one|two)|(?<=@)(mail)"),
    DBF_RE("^$|\\b(?:ten|two)\\s+(users?)|^(?!k)(\\w+)\\s"),
    DBF_RE_PARTS("\\b(care)less|^(gke|aks)-(\\w+)|(ip)-\\d+|^\\s*(e)-?mail|\\bnotif(ied|y)|^tbd|"
                 "(z)z|^(one)"),
};

static void test_start_and_elsewhere_find_the_same_match(void **state)
{
    (void)state;
    unsigned seed = 2026;
    char subject[200];
    size_t matched = 0, at_start = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = random_subject(subject, sizeof subject, &seed);
        for (size_t p = 0; p < sizeof anchored_patterns / sizeof *anchored_patterns; p++) {
            for (size_t from = 0; from <= len; from += len / 3 + 1) {
                struct dbf__match whole;
                bool truth = same_search(&anchored_patterns[p], &anchored_patterns[p], p, subject,
                                         sizeof subject, len, from, &whole);
                matched += truth;
                at_start += truth && whole.start == 0;
            }
        }
    }
    /* Each was searched in two: the whole patterns, and every part of the
     * last that has alternatives at the start. */
    for (size_t p = 0; p + 1 < sizeof anchored_patterns / sizeof *anchored_patterns; p++)
        if (!anchored_patterns[p].elsewhere)
            fail_msg("pattern %zu was searched whole", p);
    const struct dbf__re *last = &anchored_patterns[3];
    size_t split_parts = 0;
    for (size_t i = 0; i < last->alt_count; i++)
        split_parts += last->alts[i].elsewhere != NULL;
    if (last->alt_count < 2 || split_parts == 0)
        fail_msg("the parts were not searched in two");
    assert_true(matched > 5000);
    assert_true(at_start > 1000);
}

/* A pattern is searched in two only where its other alternatives start
 * with fewer bytes than the whole: here with the same ones. */
static void test_no_split_where_as_many_bytes_start(void **state)
{
    (void)state;
    static struct dbf__re same_start = DBF_RE("^ask|\\b(?:ask|able)\\s+(mail)");
    static struct dbf__re fewer = DBF_RE("^\\s*(?:ask|tbd)|\\b(?:ask|able)\\s+(mail)");
    struct dbf__match m;
    assert_true(dbf__re_search(&same_start, "we ask mail", 11, 0, &m));
    assert_int_equal(m.group_start[1], 7);
    assert_null(same_start.elsewhere);
    assert_true(dbf__re_search(&fewer, "we ask mail", 11, 0, &m));
    assert_int_equal(m.group_start[1], 7);
    assert_non_null(fewer.elsewhere);
}

/* PCRE2's match of CODE in S[0..LEN) from FROM: its return code, and the
 * offsets of the match and its groups in OV. */
static int match_of(const pcre2_code *code, const char *s, size_t len, size_t from, size_t ov[20])
{
    pcre2_match_data *md = pcre2_match_data_create(10, NULL);
    int rc = pcre2_match(code, (PCRE2_SPTR)s, len, from, 0, md, NULL);
    const PCRE2_SIZE *got = pcre2_get_ovector_pointer(md);
    for (int i = 0; i < 20; i++)
        ov[i] = rc > 0 && i < 2 * rc ? got[i] : 0;
    pcre2_match_data_free(md);
    return rc;
}

/* The pattern with its boundary shared finds what the pattern finds, its
 * groups included, on random subjects from several places. */
static void test_shared_boundary_finds_the_same_match(void **state)
{
    (void)state;
    static const char *const patterns_shared[] = {
        "\\bone\\s+(users?)|\\bnotif(ied|y)\\b|\\b(two|ten)",
        "\\bcare(less)?|\\b[a-c]+\\b|\\bask",
        "\\b(?:sloppy|lazy)|\\bgke-(\\w+)|\\b(?=\\d)",
        "\\bso\\b|\\bsk\\b|\\b",
        "\\b(?:a|ab)(c|bcd)|\\b(e)-?mail|\\bmail(?!s)",
        "^(two|ten)|\\bone\\s+(users?)|\\bnotif(ied|y)\\b|(?<=@)(ask)|\\bask|\\bsk(s)?",
        "\\bcare|(less)\\b|\\b(?:ab|a)(bcd|c)|\\bz|\\b$",
    };
    uint32_t options = PCRE2_CASELESS | PCRE2_UTF;
    unsigned seed = 77;
    size_t matched = 0;
    for (size_t p = 0; p < sizeof patterns_shared / sizeof *patterns_shared; p++) {
        char *moved = dbf__re_shared_boundary(patterns_shared[p]);
        assert_non_null(moved);
        int err;
        PCRE2_SIZE at;
        pcre2_code *whole = pcre2_compile((PCRE2_SPTR)patterns_shared[p], PCRE2_ZERO_TERMINATED,
                                          options, &err, &at, NULL);
        pcre2_code *once =
            pcre2_compile((PCRE2_SPTR)moved, PCRE2_ZERO_TERMINATED, options, &err, &at, NULL);
        assert_non_null(whole);
        assert_non_null(once);
        char subject[200];
        for (int round = 0; round < 4000; round++) {
            size_t len = random_subject(subject, sizeof subject, &seed);
            for (size_t from = 0; from <= len; from += len / 3 + 1) {
                size_t a[20], b[20];
                int ra = match_of(whole, subject, len, from, a);
                int rb = match_of(once, subject, len, from, b);
                if (ra != rb || memcmp(a, b, sizeof a) != 0)
                    fail_msg("'%s' as '%s' on \"%s\" from %zu: %d [%zu,%zu) and %d [%zu,%zu)",
                             patterns_shared[p], moved, subject, from, ra, a[0], a[1], rb, b[0],
                             b[1]);
                matched += ra > 0;
            }
        }
        pcre2_code_free(whole);
        pcre2_code_free(once);
        free(moved);
    }
    assert_true(matched > 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_words_and_exact_strings),
        cmocka_unit_test(test_gives_up_where_it_cannot_tell),
        cmocka_unit_test(test_reads_a_second_set_of_needles),
        cmocka_unit_test(test_never_hides_a_match),
        cmocka_unit_test(test_needle_table_finds_every_needle),
        cmocka_unit_test(test_needle_table_odd_case_gives_every_id),
        cmocka_unit_test(test_prefilter_finds_needles_in_either_case),
        cmocka_unit_test(test_splits_alternatives),
        cmocka_unit_test(test_parts_find_the_same_match),
        cmocka_unit_test(test_shares_a_leading_boundary),
        cmocka_unit_test(test_shared_boundary_finds_the_same_match),
        cmocka_unit_test(test_leaves_out_alternatives_at_the_start),
        cmocka_unit_test(test_start_and_elsewhere_find_the_same_match),
        cmocka_unit_test(test_no_split_where_as_many_bytes_start),
        cmocka_unit_test(test_may_match_never_hides_a_part),
        cmocka_unit_test(test_may_match_any_is_the_union),
        cmocka_unit_test(test_set_answers_as_its_patterns),
        cmocka_unit_test(test_needle_table_shared_classes_hide_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
