/* test_parse_cheap.c: the cheaper ways the parser builds its model (issue 7,
 * lint) find what the plain ones found: words counted eight bytes at a time,
 * headings matched through the alias index, comments found from their '<', the quick tests in
 * front of the why, action point and placeholder-time patterns, check marks
 * read as needles of the done pattern, the front matter read while another
 * thread holds the parse lock, ordered items' markers written without
 * printf, paragraphs split without a copy. */
#include "harness.h"
#include "parse/parse.h"
#include "util/re.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Words as the model counts them: runs of ASCII letters and digits and of
 * the bytes of non-ASCII characters, one byte at a time. */
static size_t words_one_by_one(const char *s, size_t len)
{
    size_t words = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        bool c = (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') || b >= 0x80;
        words += c && !in;
        in = c;
    }
    return words;
}

static void test_words_counted_eight_bytes_at_a_time(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a",  "word", "Z",   "09",   "x1y", " ", "  ", "\t", ".",  ",",    "-", "_", "@",  "`",
        "[",  "{",    "/",   ":",    "~",   "é", "—",  "ſ",  "€",  "日本", "'", "!", "\\", "^",
        "`z", "AZaz", "0_9", "12.5", "a-b", "+", "|",  "?",  "\"", "%",    "(", ")", "=",  "*x",
    };
    uint64_t seed = 7;
    for (int n = 0; n < 4000; n++) {
        char line[400];
        harness_random_text(line, sizeof line, pieces, sizeof pieces / sizeof pieces[0], &seed, 40);
        char text[512];
        snprintf(text, sizeof text, "# Outage\n\n## Impact\n\nText %s\n", line);
        struct dbf_doc *doc = parse_doc(text);
        size_t want = 0;
        for (size_t i = 0; i < doc->block_count; i++) {
            size_t words = words_one_by_one(doc->blocks[i].text, doc->blocks[i].len);
            if (doc->blocks[i].words != words)
                fail_msg("'%s': block %zu has %zu words, one by one %zu", line, i,
                         doc->blocks[i].words, words);
            want += words;
        }
        if (doc->words != want)
            fail_msg("'%s': %zu words, one by one %zu", line, doc->words, want);
        dbf_doc_free(doc);
    }
}

static void test_heading_kinds_by_index_and_by_scan(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "root",
        "cause",
        "causes",
        "Root Cause",
        "analysis",
        "what",
        "went",
        "well",
        "wrong",
        "lessons",
        "learned",
        "lesson",
        "action",
        "items",
        "Action",
        "item",
        "follow",
        "up",
        "follow-up",
        "next",
        "steps",
        "timeline",
        "Timeline",
        "of",
        "events",
        "the",
        "The",
        "and",
        "&",
        "impact",
        "Impact",
        "summary",
        "overview",
        "tl;dr",
        "TL;DR",
        "details",
        "incident",
        "response",
        "5",
        "whys",
        "five",
        "why",
        "did",
        "this",
        "happen",
        "detection",
        "glossary",
        "terms",
        "context",
        "background",
        "metrics",
        "graphs",
        "communication",
        "status",
        "page",
        "post",
        "post-incident",
        "recovery",
        "resolution",
        "mitigation",
        "trigger",
        "data",
        "fix",
        "todo",
        "to",
        "do",
        "we",
        "’re",
        "doing",
        "about",
        "it",
        "(draft)",
        "[WIP]",
        "1.",
        "2)",
        "IV.",
        "1.2",
        "?",
        ":",
        "**",
        "#",
        "-",
        "/",
        "blast",
        "radius",
        "affected",
        "customer",
        "sequence",
        "key",
        "takeaways",
        "retro",
    };
    uint64_t seed = 11;
    for (int n = 0; n < 20000; n++) {
        char heading[200];
        harness_random_text(heading, sizeof heading, pieces, sizeof pieces / sizeof pieces[0],
                            &seed, 6);
        /* Pieces joined with and without spaces between. */
        if (harness_random(&seed) % 2) {
            char spaced[sizeof heading];
            size_t len = 0;
            for (const char *p = heading; *p && len + 2 < sizeof spaced; p++) {
                spaced[len++] = *p;
                if (p[1] >= 'A' && p[1] <= 'Z')
                    spaced[len++] = ' ';
            }
            spaced[len] = '\0';
            memcpy(heading, spaced, len + 1);
        }
        enum dbf_section_kind first_index, first_scan;
        unsigned by_index = dbf__section_kinds_of_heading(heading, &first_index);
        unsigned by_scan = dbf__section_kinds_by_scan(heading, &first_scan);
        if (by_index != by_scan || first_index != first_scan)
            fail_msg("'%s': index %#x (%d), scan %#x (%d)", heading, by_index, first_index, by_scan,
                     first_scan);
    }
    /* Every phrase of the table, alone and among other words. */
    static const char *const headings[] = {
        "Root cause",
        "Root causes and resolution",
        "What went well?",
        "Lessons learned",
        "Action items",
        "Follow-ups",
        "Timeline of events",
        "Impact",
        "Blast radius",
        "Summary",
        "TL;DR",
        "Details of the issue",
        "Why did this happen?",
        "5 Whys",
        "What we’re doing about it",
        "Post-incident review",
        "Does this impact my wallet?",
        "1. Summary",
        "IV. Timeline",
        "Incident response (draft)",
        "Background & context",
    };
    for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++) {
        enum dbf_section_kind a, b;
        assert_int_equal(dbf__section_kinds_of_heading(headings[i], &a),
                         dbf__section_kinds_by_scan(headings[i], &b));
        assert_int_equal(a, b);
    }
    enum dbf_section_kind first;
    assert_int_equal(dbf__section_kinds_of_heading("Root cause and resolution", &first),
                     (1u << DBF_SECTION_ROOT_CAUSE) | (1u << DBF_SECTION_RESPONSE));
    assert_int_equal(first, DBF_SECTION_ROOT_CAUSE);
}

static void test_comments_found_from_their_angle_bracket(void **state)
{
    (void)state;
    struct dbf_doc *doc = parse_doc("# Outage\n"
                                    "\n"
                                    "a < b <<!-- debrief-disable rule-a -->\n"
                                    "<p>html</p> <!- not one -> <!--\n"
                                    "debrief-disable-next-line rule-b, rule-c -->\n"
                                    "<!-- a note --> <!--debrief-enable rule-a-->\n"
                                    "text <");
    assert_int_equal(doc->directive_count, 3);
    assert_int_equal(doc->directives[0].line, 3);
    assert_int_equal(doc->directives[0].what, DBF_DISABLE);
    assert_string_equal(doc->directives[0].rules[0], "rule-a");
    assert_int_equal(doc->directives[1].line, 4);
    assert_int_equal(doc->directives[1].what, DBF_DISABLE_NEXT_LINE);
    assert_string_equal(doc->directives[1].rules[1], "rule-c");
    assert_int_equal(doc->directives[2].line, 6);
    assert_int_equal(doc->directives[2].what, DBF_ENABLE);
    dbf_doc_free(doc);
}

/* The quick tests in front of the why, action point and placeholder-time
 * patterns let through every opening those patterns take. */
static void test_openings_the_quick_tests_let_through(void **state)
{
    (void)state;
    struct dbf_doc *doc = parse_doc("# Outage\n"
                                    "\n"
                                    "## Root cause\n"
                                    "\n"
                                    "- Why did the disk fill?\n"
                                    "- **Why** was nobody paged? -> the alert was muted\n"
                                    "- 1.2) WHY did it retry?\n"
                                    "- Q3: what changed?\n"
                                    "- question: who owns it?\n"
                                    "- 2: why not sooner?\n"
                                    "- The cache was cold.\n"
                                    "\n"
                                    "## Summary\n"
                                    "\n"
                                    "**Action point**: add an alert on disk use.\n"
                                    "\n"
                                    "  Follow-up: rotate the keys.\n"
                                    "\n"
                                    "TODO: write the runbook.\n"
                                    "\n"
                                    "Actions were taken: none.\n");
    assert_int_equal(doc->why_count, 6);
    assert_int_equal(doc->action_count, 3);
    dbf_doc_free(doc);

    doc = parse_doc("# Outage\n"
                    "\n"
                    "## Timeline\n"
                    "\n"
                    "- 14:02 deploy\n"
                    "- [??:??] disk latency rises\n"
                    "- `xx:xx` cache empties\n"
                    "- HH:MM pager fires\n"
                    "- Around noon: rollback\n"
                    "- --:-- recovered\n"
                    "- ?? the team joins\n"
                    "- X: nobody knows\n"
                    "- 15:10 resolved\n");
    size_t unknown = 0;
    for (size_t i = 0; i < doc->timeline_count; i++)
        unknown += !doc->timeline[i].time_ok;
    assert_int_equal(doc->timeline_count, 9);
    assert_int_equal(unknown, 7);
    dbf_doc_free(doc);
}

/* Action items marked done with a check mark, whose bytes are needles of
 * the done pattern: the same statuses with the prefilter off. */
static void test_check_marks_with_and_without_the_prefilter(void **state)
{
    (void)state;
    static const enum dbf_action_status want[] = {DBF_ACTION_DONE, DBF_ACTION_DONE, DBF_ACTION_DONE,
                                                  DBF_ACTION_OPEN, DBF_ACTION_UNKNOWN};
    for (int on = 1; on >= 0; on--) {
        dbf__re_set_prefilter(on);
        struct dbf_doc *doc =
            parse_doc("# Outage\n"
                      "\n"
                      "## Action items\n"
                      "\n"
                      "- ✅ Add an alert on disk use (owner: @ana, due: 2026-01-10)\n"
                      "- Rotate the keys ✔ (owner: @bo, due: 2026-01-11)\n"
                      "- ☑ Write the runbook (owner: @cy, due: 2026-01-12)\n"
                      "- Raise the pool, status: open (owner: @di, due: 2026-01-13)\n"
                      "- Fix the retry loop (owner: @ed, due: 2026-01-14)\n");
        assert_int_equal(doc->action_count, 5);
        for (size_t i = 0; i < 5; i++)
            assert_int_equal(doc->actions[i].status, want[i]);
        dbf_doc_free(doc);
    }
    dbf__re_set_prefilter(true);
}

/* A document parsed on a thread while this one holds cmark-gfm's parse
 * lock: its front matter is read while it waits (and broken front matter
 * ends the parse without the lock), and the model is the one a parse that
 * found the lock free makes. */
struct locked_parse {
    const char *text;
    struct dbf_doc *doc;
    char err[256];
};

static void *parse_on_thread(void *arg)
{
    struct locked_parse *p = arg;
    p->doc = dbf_doc_parse("held.md", p->text, strlen(p->text), p->err, sizeof p->err);
    return NULL;
}

static void test_front_matter_read_while_the_lock_is_held(void **state)
{
    (void)state;
    static const char good[] = "---\ntitle: Checkout failed for 3,000 shoppers\nseverity: SEV-2\n"
                               "---\n\n## Summary\n\nOrders failed from 14:02 to 14:43 UTC.\n";
    static const char bad[] = "---\ntitle: [unclosed\n---\n\n## Summary\n\nText.\n";
    struct locked_parse broken = {bad, NULL, ""}, fine = {good, NULL, ""};
    pthread_t thread;
    pthread_mutex_lock(&dbf__cmark_parse_lock);
    assert_int_equal(pthread_create(&thread, NULL, parse_on_thread, &broken), 0);
    assert_int_equal(pthread_join(thread, NULL), 0); /* never took the lock */
    assert_null(broken.doc);
    assert_non_null(strstr(broken.err, "front matter is not valid YAML"));
    assert_int_equal(pthread_create(&thread, NULL, parse_on_thread, &fine), 0);
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    pthread_mutex_unlock(&dbf__cmark_parse_lock);
    assert_int_equal(pthread_join(thread, NULL), 0);
    struct dbf_doc *free_lock = parse_doc(good);
    assert_non_null(fine.doc);
    assert_string_equal(fine.doc->title, free_lock->title);
    assert_int_equal(fine.doc->meta.severity_level, 2);
    assert_int_equal(fine.doc->block_count, free_lock->block_count);
    assert_int_equal(fine.doc->section_count, free_lock->section_count);
    assert_string_equal(fine.doc->blocks[fine.doc->block_count - 1].text,
                        free_lock->blocks[free_lock->block_count - 1].text);
    dbf_doc_free(fine.doc);
    dbf_doc_free(free_lock);
}

/* Ordered items' markers as "%d." writes them, and a paragraph split at a
 * line that names a section, its parts whole. */
static void test_markers_and_split_paragraphs(void **state)
{
    (void)state;
    static const int starts[] = {0, 1, 9, 99, 123456789};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        char text[128], want[32];
        snprintf(text, sizeof text, "# Outage\n\n%d. one\n2. two\n", starts[i]);
        struct dbf_doc *doc = parse_doc(text);
        assert_int_equal(doc->block_count, 3);
        for (size_t k = 0; k < 2; k++) {
            snprintf(want, sizeof want, "%d.", starts[i] + (int)k);
            assert_string_equal(doc->blocks[1 + k].marker, want);
        }
        dbf_doc_free(doc);
    }
    struct dbf_doc *doc = parse_doc("# Outage\n"
                                    "\n"
                                    "We saw errors for a while.\n"
                                    "Impact\n"
                                    "Forty users could not pay.\n"
                                    "Timeline\n"
                                    "14:02 deploy\n");
    assert_int_equal(doc->section_count, 3);
    assert_string_equal(doc->sections[1].heading, "Impact");
    assert_string_equal(doc->sections[2].heading, "Timeline");
    const char *const parts[] = {"Outage", "We saw errors for a while.",
                                 "Forty users could not pay.", "14:02 deploy"};
    assert_int_equal(doc->block_count, 4);
    for (size_t k = 0; k < 4; k++)
        assert_string_equal(doc->blocks[k].text, parts[k]);
    dbf_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_counted_eight_bytes_at_a_time),
        cmocka_unit_test(test_heading_kinds_by_index_and_by_scan),
        cmocka_unit_test(test_comments_found_from_their_angle_bracket),
        cmocka_unit_test(test_openings_the_quick_tests_let_through),
        cmocka_unit_test(test_check_marks_with_and_without_the_prefilter),
        cmocka_unit_test(test_front_matter_read_while_the_lock_is_held),
        cmocka_unit_test(test_markers_and_split_paragraphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
