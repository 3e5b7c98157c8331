/* test_rules_impact.c: unit tests of rules_impact, and of the sentences
 * its rules read. */
#include "harness.h"

#include "lint/rules.h"

#include <stdio.h>
#include <string.h>

/* The sentence after byte *END of TEXT[0..LEN) as the rules' splitter did
 * it, one byte at a time: the reference the faster one is held to. */
static bool plain_next_sentence(const char *text, size_t len, size_t *start, size_t *end)
{
    size_t i = *end;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
        i++;
    if (i >= len)
        return false;
    *start = i;
    for (; i < len; i++) {
        char c = text[i];
        if ((c == '.' || c == '!' || c == '?') &&
            (i + 1 == len || text[i + 1] == ' ' || text[i + 1] == '\n')) {
            i++;
            break;
        }
    }
    *end = i;
    return true;
}

/* Random texts of words, stops and spaces split the same both ways. */
static void test_sentences_split_as_byte_by_byte(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a",     "word ",  "e.g. ", "3.5 ",
        "end. ", "end.",   "why?",  "! ",
        "?\n",   "..",     " ",     "\n",
        "\t",    "v1.2.3", "ok!x",  "long-sentence-without-any-stop-at-all "};
    uint64_t seed = 7;
    char text[512];
    for (int round = 0; round < 20000; round++) {
        harness_random_text(text, sizeof text, pieces, sizeof pieces / sizeof pieces[0], &seed, 40);
        size_t len = strlen(text);
        struct dbf_block b = {.text = text, .len = len};
        size_t start = 0, end = 0, want_start = 0, want_end = 0;
        bool more;
        do {
            more = dbf__next_sentence(&b, &start, &end);
            assert_int_equal(more, plain_next_sentence(text, len, &want_start, &want_end));
            if (more) {
                assert_int_equal(start, want_start);
                assert_int_equal(end, want_end);
            }
        } while (more);
    }
}

/* A vague size in the summary, with no figure in the sentence. */
static void test_vague_fires_on_some_customers(void **state)
{
    (void)state;
    assert_fires("# Checkout errors\n"
                 "\n"
                 "## Summary\n"
                 "\n"
                 "On 3 March 2026 some customers could not pay by card.\n",
                 "impact/vague", 5);
    lint_done();
}

/* "Significant" in the timeline counts when the sentence is about harm. */
static void test_vague_fires_outside_impact_section(void **state)
{
    (void)state;
    assert_fires("# Upload delays\n"
                 "\n"
                 "## Timeline\n"
                 "\n"
                 "- 14:02 UTC deploy of uploader v3\n"
                 "- 14:10 UTC uploads show significant delays in the EU\n",
                 "impact/vague", 6);
    lint_done();
}

/* The same words with a figure in the sentence meet the standard. */
static void test_vague_silent_with_figure(void **state)
{
    (void)state;
    assert_silent("# Checkout errors\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "Some customers (about 1,240, 3% of active sessions) could not pay by card.\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "A refactor made many code paths share one connection pool.\n",
                  "impact/vague");
    lint_done();
}

static void test_unquantified_fires_without_numbers(void **state)
{
    (void)state;
    assert_fires("# Feed refresh failures\n"
                 "\n"
                 "## Impact\n"
                 "\n"
                 "Users of the mobile app could not refresh their feed. The web site\n"
                 "was not affected.\n",
                 "impact/unquantified", 3);
    lint_done();
}

/* Number words count as figures. */
static void test_unquantified_silent_with_number_words(void **state)
{
    (void)state;
    assert_silent("# Notebook start failures\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "Two students could not start their servers for about nine hours.\n",
                  "impact/unquantified");
    lint_done();
}

/* A near miss that says plainly nobody was hit is quantified. */
static void test_unquantified_silent_on_zero_impact(void **state)
{
    (void)state;
    assert_silent("# Leaked deploy token\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "The token was revoked before use; no customer data was affected.\n",
                  "impact/unquantified");
    lint_done();
}

static void test_no_duration_fires(void **state)
{
    (void)state;
    assert_fires("# Payout reports unavailable\n"
                 "\n"
                 "## Impact\n"
                 "\n"
                 "3,100 merchants could not download their payout reports.\n",
                 "impact/no-duration", 3);
    lint_done();
}

static void test_no_duration_silent_with_window(void **state)
{
    (void)state;
    assert_silent("# Payout reports unavailable\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "3,100 merchants could not download their payout reports from 06:20 to\n"
                  "09:30 UTC.\n",
                  "impact/no-duration");
    lint_done();
}

/* A timeline that starts at the page does not give the start of the impact. */
static void test_no_duration_fires_when_timeline_starts_at_page(void **state)
{
    (void)state;
    assert_fires("# Checkout errors\n"
                 "\n"
                 "## Impact\n"
                 "\n"
                 "4,000 orders failed.\n"
                 "\n"
                 "## Timeline (UTC)\n"
                 "\n"
                 "- 09:14 Alert fired for the error rate [detected]\n"
                 "- 10:20 Error rate back to normal [resolved]\n",
                 "impact/no-duration", 3);
    lint_done();
}

/* Impact from 09:33 to 10:14 UTC (41 minutes); the summary says STATED. */
#define MISMATCH_DOC(stated)                                                                       \
    "---\n"                                                                                        \
    "incident:\n"                                                                                  \
    "  impact_start: 2026-03-12T09:33:00Z\n"                                                       \
    "  resolved: 2026-03-12T10:14:00Z\n"                                                           \
    "---\n"                                                                                        \
    "# Login failures\n"                                                                           \
    "\n"                                                                                           \
    "## Summary\n"                                                                                 \
    "\n"                                                                                           \
    "Customers could not log in for about " stated ".\n"

static void test_duration_mismatch_fires(void **state)
{
    (void)state;
    assert_fires(MISMATCH_DOC("20 minutes"), "impact/duration-mismatch", 10);
    lint_done();
}

static void test_duration_mismatch_silent_within_tolerance(void **state)
{
    (void)state;
    assert_silent(MISMATCH_DOC("40 minutes"), "impact/duration-mismatch");
    lint_done();
}

/* In the impact section every sentence is about harm, so "some customers"
 * needs no word of harm beside it. */
static void test_vague_fires_in_impact_section_without_harm_word(void **state)
{
    (void)state;
    assert_fires("# Stale dashboards\n"
                 "\n"
                 "## Impact\n"
                 "\n"
                 "Dashboards were 9 hours stale for 1,200 workspaces.\n"
                 "Several partners sent the numbers on to their own clients.\n",
                 "impact/vague", 6);
    lint_done();
}

/* "Some time" sizes nothing; a sentence saying nobody was affected is not
 * vague about who was. */
static void test_vague_silent_on_time_and_on_no_impact(void **state)
{
    (void)state;
    assert_silent("# Library vulnerability\n"
                  "\n"
                  "## Summary\n"
                  "\n"
                  "The flaw caused failures for some companies but we were not affected.\n"
                  "Deploys were blocked for some time while we checked.\n",
                  "impact/vague");
    lint_done();
}

/* A count of anything followed by what happened to it is a figure. */
static void test_unquantified_silent_on_counted_harm(void **state)
{
    (void)state;
    assert_silent("# Registry tampering\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "A single formula was compromised and has been reverted.\n",
                  "impact/unquantified");
    lint_done();
}

/* An amount in a currency code counts as money. */
static void test_unquantified_silent_on_currency_code(void **state)
{
    (void)state;
    assert_silent("# Vault exploit\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "The attacker drained 1,450 ETH from the vault.\n",
                  "impact/unquantified");
    lint_done();
}

/* Readers addressed and sized in the summary: the impact, unmeasured. */
static void test_vague_fires_on_some_of_you(void **state)
{
    (void)state;
    assert_fires("# Notes not syncing\n"
                 "\n"
                 "## What happened\n"
                 "\n"
                 "Some of you noticed that a note written on your phone was missing on\n"
                 "your laptop.\n",
                 "impact/vague", 5);
    lint_done();
}

static void test_vague_silent_on_some_of_you_with_figure(void **state)
{
    (void)state;
    assert_silent("# Notes not syncing\n"
                  "\n"
                  "## What happened\n"
                  "\n"
                  "Some of you, 3.8% of active accounts, had a note arrive late on another\n"
                  "device.\n",
                  "impact/vague");
    lint_done();
}

static void test_vague_fires_on_share_of_viewers(void **state)
{
    (void)state;
    assert_fires("# Streams buffering\n"
                 "\n"
                 "## Impact\n"
                 "\n"
                 "A large share of viewers in the region saw buffering.\n",
                 "impact/vague", 5);
    lint_done();
}

static void test_vague_fires_on_documents_viewed(void **state)
{
    (void)state;
    assert_fires("# Unauthorized access to the support tool\n"
                 "\n"
                 "## Data involved\n"
                 "\n"
                 "A small number of payslip documents were viewed by the attacker.\n",
                 "impact/vague", 5);
    lint_done();
}

/* Stalls and buffering are harm: a figure on them quantifies the impact. */
static void test_unquantified_silent_on_counted_stalls(void **state)
{
    (void)state;
    assert_silent("# Streams buffering\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "About 41,000 playback sessions stalled for longer than five seconds.\n",
                  "impact/unquantified");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_split_as_byte_by_byte),
        cmocka_unit_test(test_vague_fires_on_some_customers),
        cmocka_unit_test(test_vague_fires_outside_impact_section),
        cmocka_unit_test(test_vague_silent_with_figure),
        cmocka_unit_test(test_unquantified_fires_without_numbers),
        cmocka_unit_test(test_unquantified_silent_with_number_words),
        cmocka_unit_test(test_unquantified_silent_on_zero_impact),
        cmocka_unit_test(test_no_duration_fires),
        cmocka_unit_test(test_no_duration_silent_with_window),
        cmocka_unit_test(test_no_duration_fires_when_timeline_starts_at_page),
        cmocka_unit_test(test_duration_mismatch_fires),
        cmocka_unit_test(test_duration_mismatch_silent_within_tolerance),
        cmocka_unit_test(test_vague_fires_in_impact_section_without_harm_word),
        cmocka_unit_test(test_vague_silent_on_time_and_on_no_impact),
        cmocka_unit_test(test_unquantified_silent_on_counted_harm),
        cmocka_unit_test(test_unquantified_silent_on_currency_code),
        cmocka_unit_test(test_vague_fires_on_some_of_you),
        cmocka_unit_test(test_vague_silent_on_some_of_you_with_figure),
        cmocka_unit_test(test_vague_fires_on_share_of_viewers),
        cmocka_unit_test(test_vague_fires_on_documents_viewed),
        cmocka_unit_test(test_unquantified_silent_on_counted_stalls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
