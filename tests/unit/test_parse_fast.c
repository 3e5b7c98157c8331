/* test_parse_fast.c: the parser's shortcuts (issue 7, lint) find what the
 * plain searches they replace found: impact figures tried only where one can
 * start and openers refused on their first three bytes, [tags] in one pass, kinds decided once an
 * entry's text is whole, and the cheap tests in front of the zone and date patterns. */
#include "harness.h"
#include "parse/parse.h"
#include "util/re.h"

#include <stdio.h>
#include <string.h>

static struct dbf__re figure_everywhere = {.pattern = dbf__figure_pattern,
                                           .options = 0x00000008u /* PCRE2_CASELESS */};

/* The figures of DOC's blocks as the unanchored pattern finds them from
 * every byte, joined by '|', against the figures the parser found. */
static void assert_figures_as_everywhere(const struct dbf_doc *doc, const char *source)
{
    char want[4096] = "", got[4096] = "";
    size_t wl = 0, gl = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_CODE || b->type == DBF_BLOCK_HTML)
            continue;
        struct dbf__match m;
        size_t from = 0;
        while (from < b->len && dbf__re_search(&figure_everywhere, b->text, b->len, from, &m)) {
            from = m.end > from ? m.end : from + 1;
            wl += (size_t)snprintf(want + wl, sizeof want - wl, "%.*s|", (int)(m.end - m.start),
                                   b->text + m.start);
            if (wl >= sizeof want)
                fail_msg("too many figures in '%s'", source);
        }
    }
    for (size_t i = 0; i < doc->figure_count; i++) {
        gl += (size_t)snprintf(got + gl, sizeof got - gl, "%s|", doc->figures[i].text);
        if (gl >= sizeof got)
            fail_msg("too many figures in '%s'", source);
    }
    if (strcmp(want, got) != 0)
        fail_msg("in '%s': searched everywhere '%s', found '%s'", source, want, got);
}

static void test_figures_where_they_can_start(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "About 40 users, ſix students and Six accounts were hit. A hundred pods; a dozen hosts.",
        "Up to 3 ſervers. Over 10 minutes. ~17d later; 1h50m; $1,200 and €3.5m and £40 lost.",
        "Times 14:02 and 2026-03-02 and 10/12/2026 are not figures. 403 Forbidden, 1,200 orders.",
        "x1,200 orders; v2.3 releases; ab-12 users; 12-30 users; 12 – 30 users; 5+ users, 18%",
        "ALMOST 9 HOURS; nearly twenty teams; less than 2 KB; \"quoted 4 users\"; (7 users)",
        "Kelvin: 5 K users, 6 ms; more than a single cask; one; two; lesſ than 4 users",
        "Ünïcode 7 users; café 8 users; 2026 users in 2026; 1999 builds; 20 hours; 2019h",
        "at 09:00, 3 pods\nand 4\nusers; 12,\n500 orders; 1.5.2 releases; 3. users; 7/8 users",
        "2024-01-01 03:00 20 users; in 2026. 2026,5 users; 2026.5 users; 2019 min; 2020m; 1999\td",
        "2021–2022 users; 2021-2022 users; (2024) 4 hosts; 2024: 5 hosts; 2024_ 6 hosts",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char doc_text[1024];
        snprintf(doc_text, sizeof doc_text, "# Outage\n\n## Impact\n\n%s\n", texts[i]);
        struct dbf_doc *doc = parse_doc(doc_text);
        assert_true(doc->figure_count > 0);
        assert_figures_as_everywhere(doc, texts[i]);
        dbf_doc_free(doc);
    }
}

/* Random lines of pieces that start, end or spoil a figure, checked against
 * the pattern searched from every byte. */
static void test_figures_of_random_text(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "1",         "12",        "403",      "2026",   "1,200",   "3.5",       "10-30",
        " – ",       "5+",        "14:02",    "v",      "x",       "-",         "/",
        ":",         ".",         ",",        " ",      " ",       " ",         "\n",
        "about ",    "Over ",     "up to ",   "ſix",    "S",       "K",         "K",
        "é",         "€",         "£",        "$",      "~",       "users",     "hours",
        "h",         "m",         "d",        "min",    "%",       "percent",   "errors",
        "Forbidden", "a hundred", "A single", "dozens", "twenty",  "one",       "s",
        "tickets",   "ms",        "KB",       "USD",    "the ",    "of ",       "ſervers",
        "“",         "\"",        "(",        "ab",     "nearly ", "seventeen", "2019",
        "2024-",     ",5",        "\t",
    };
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (int n = 0; n < 3000; n++) {
        char line[512];
        harness_random_text(line, sizeof line, pieces, sizeof pieces / sizeof pieces[0], &seed, 14);
        char doc_text[1024];
        snprintf(doc_text, sizeof doc_text, "# Outage\n\n## Impact\n\nLoss: %s\n", line);
        struct dbf_doc *doc = parse_doc(doc_text);
        assert_figures_as_everywhere(doc, line);
        dbf_doc_free(doc);
    }
}

/* Words that share their first bytes with an opener ("the" with "three",
 * "for" with "four") or are openers, in either case, around numbers and
 * units, and runs of word bytes ended by others: the figures found must be
 * those the pattern finds from every byte. */
static void test_figure_openers_refused_on_three_bytes(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "the ",
        "The ",
        "that ",
        "this ",
        "three ",
        "THREE ",
        "thirteen ",
        "thirty ",
        "thirst ",
        "for ",
        "four ",
        "forty ",
        "Fourteen ",
        "fort ",
        "sever ",
        "seven ",
        "Seventeen ",
        "six ",
        "sixty ",
        "sing ",
        "single ",
        "a single ",
        "A ",
        "a ",
        "a hundred ",
        "a dozen ",
        "dozens ",
        "dozen ",
        "hundreds ",
        "hunt ",
        "one ",
        "once ",
        "ones ",
        "ten ",
        "tent ",
        "two ",
        "twin ",
        "twelve ",
        "twenty ",
        "nine ",
        "ninth ",
        "nineteen ",
        "five ",
        "fifty ",
        "fifteen ",
        "fifth ",
        "eight ",
        "eighteen ",
        "eleven ",
        "about ",
        "abouts ",
        "around ",
        "arena ",
        "almost ",
        "alms ",
        "approximately ",
        "appro ",
        "over ",
        "overt ",
        "nearly ",
        "nearby ",
        "more than ",
        "mores ",
        "less than ",
        "lesser ",
        "up to ",
        "upper ",
        "3 ",
        "12 ",
        "users ",
        "hours ",
        "pods ",
        "%",
        ". ",
        ", ",
        "\n",
        "ſeven ",
        "Kelvin ",
        "é ",
        "(",
        ")",
        "-",
        "~",
        "$5 ",
        /* Long runs of word bytes, and what ends them. */
        "deployments",
        "a_b.c:d/e-f",
        ";",
        "ĭ",
        "7",
        "12",
        "x",
    };
    uint64_t seed = 13;
    for (int n = 0; n < 3000; n++) {
        char line[400];
        harness_random_text(line, sizeof line, pieces, sizeof pieces / sizeof pieces[0], &seed, 16);
        char text[600];
        snprintf(text, sizeof text, "# Outage\n\n## Impact\n\nLoss: %s\n", line);
        struct dbf_doc *doc = parse_doc(text);
        assert_figures_as_everywhere(doc, line);
        dbf_doc_free(doc);
    }
}

static const struct dbf_timeline_entry *entry_at(const struct dbf_doc *doc, int line)
{
    for (size_t i = 0; i < doc->timeline_count; i++)
        if (doc->timeline[i].pos.line == line)
            return &doc->timeline[i];
    static const struct dbf_timeline_entry none = {.kinds = ~0u};
    fail_msg("no timeline entry at line %d", line);
    return &none;
}

static void test_tags_and_kinds(void **state)
{
    (void)state;
    struct dbf_doc *doc = parse_doc("# Outage\n"
                                    "\n"
                                    "## Timeline\n"
                                    "\n"
                                    "All times UTC.\n"
                                    "\n"
                                    "- 14:02 Deployed the change [TRIGGER]\n"
                                    "- 14:03 [Customer] [detection] a note [trigger\n"
                                    "- 14:04 Errors \"stuck\" began to appear\n"
                                    "- 14:05 Errors began to appear\n"
                                    "- 14:06 “stuck” parcels noticed by on-call\n"
                                    "- 14:07 rolled back; [mitigated][resolved]\n"
                                    "- 14:08 nothing [unknown] [trig ger] [\n"
                                    "\n"
                                    "### 14:10\n"
                                    "\n"
                                    "The root cause was identified in the cache.\n");
    assert_int_equal(entry_at(doc, 7)->kinds, DBF_EVENT_TRIGGER);
    assert_true(entry_at(doc, 7)->tagged);
    assert_int_equal(entry_at(doc, 8)->kinds,
                     DBF_EVENT_CUSTOMER | DBF_EVENT_IMPACT_START | DBF_EVENT_DETECTED);
    /* a symptom inside quotes is someone else's words */
    assert_int_equal(entry_at(doc, 9)->kinds & DBF_EVENT_IMPACT_START, 0);
    assert_int_equal(entry_at(doc, 10)->kinds & DBF_EVENT_IMPACT_START, DBF_EVENT_IMPACT_START);
    assert_int_equal(entry_at(doc, 11)->kinds, DBF_EVENT_DETECTED);
    assert_int_equal(entry_at(doc, 12)->kinds, DBF_EVENT_MITIGATION | DBF_EVENT_RESOLVED);
    assert_true(entry_at(doc, 12)->tagged);
    assert_false(entry_at(doc, 13)->tagged);
    /* a timed heading's kinds come from the prose under it */
    assert_int_equal(entry_at(doc, 15)->kinds, DBF_EVENT_DIAGNOSED);
    dbf_doc_free(doc);
}

static void test_zone_and_calendar(void **state)
{
    (void)state;
    struct dbf_doc *doc = parse_doc("# Outage on 13/03/2026\n"
                                    "\n"
                                    "## Timeline\n"
                                    "\n"
                                    "Nothing here names a year or a zone: 14:00, 3-4 pods.\n"
                                    "\n"
                                    "TIMES ARE IN Europe/Paris.\n"
                                    "\n"
                                    "- 04/03 10:00 the first entry\n"
                                    "- 10:05 the second entry\n");
    assert_non_null(doc->timeline_zone);
    assert_string_equal(doc->timeline_zone, "Europe/Paris");
    assert_int_equal(doc->timeline_zone_pos.line, 7);
    /* the title's 13/03/2026 puts the day first: 04/03 is the 4th of March */
    assert_int_equal(doc->timeline[0].time.date.year, 2026);
    assert_int_equal(doc->timeline[0].time.date.month, 3);
    assert_int_equal(doc->timeline[0].time.date.day, 4);
    dbf_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_where_they_can_start),
        cmocka_unit_test(test_figures_of_random_text),
        cmocka_unit_test(test_figure_openers_refused_on_three_bytes),
        cmocka_unit_test(test_tags_and_kinds),
        cmocka_unit_test(test_zone_and_calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
