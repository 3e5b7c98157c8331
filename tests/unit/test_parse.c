/* test_parse.c: unit tests of the Markdown walk: blocks, sections, the
 * title, and the forms real post mortems use for their headings. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static const struct dbf_doc *parse(const char *text)
{
    lint_md(text);
    assert_non_null(last_doc());
    return last_doc();
}

static const struct dbf_section *find_section(const struct dbf_doc *doc, const char *heading)
{
    for (size_t i = 0; i < doc->section_count; i++)
        if (strcmp(doc->sections[i].heading, heading) == 0)
            return &doc->sections[i];
    return NULL;
}

/* The section whose heading is HEADING; the test fails when there is none. */
static const struct dbf_section *section_named(const struct dbf_doc *doc, const char *heading)
{
    static const struct dbf_section none = {.parent = -2};
    const struct dbf_section *s = find_section(doc, heading);
    if (!s)
        fail_msg("no section '%s'", heading);
    return s ? s : &none;
}

static void test_title_and_h2_sections(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Shoppers unable to pay\n"
                                      "\n"
                                      "## Issue Summary\n"
                                      "Payments failed.\n"
                                      "\n"
                                      "## Root cause(s)\n"
                                      "A timeout.\n");
    assert_string_equal(doc->title, "Shoppers unable to pay");
    assert_int_equal(doc->title_pos.line, 1);
    const struct dbf_section *s = section_named(doc, "Issue Summary");
    assert_non_null(s);
    assert_int_equal(s->kind, DBF_SECTION_SUMMARY);
    assert_int_equal(s->pos.line, 3);
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_ROOT_CAUSE));
    lint_done();
}

static void test_h1_for_every_section(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("---\ntitle: Checkout errors for EU shoppers\n---\n"
                                      "# Summary\nCheckout failed.\n\n"
                                      "# Timeline\n- 10:00 UTC deploy\n\n"
                                      "# Lessons learned\n1. Timeouts matter.\n");
    assert_string_equal(doc->title, "Checkout errors for EU shoppers");
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_SUMMARY));
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_TIMELINE));
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_LESSONS));
    lint_done();
}

static void test_title_that_names_a_kind_is_still_the_title(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Retrospective: the spring sale launch\n\n"
                                      "## Summary\nThe shop slowed down.\n\n"
                                      "## Timeline\n- 09:00 UTC sale opens\n");
    assert_non_null(doc->title);
    assert_string_equal(doc->title, "Retrospective: the spring sale launch");
    /* The title must not make every section a lesson. */
    const struct dbf_section *s = section_named(doc, "Timeline");
    assert_non_null(s);
    assert_int_equal(s->effective, DBF_SECTION_TIMELINE);
    assert_false(dbf_doc_has_section(doc, DBF_SECTION_LESSONS));
    lint_done();
}

/* A first H1 with an identifier or a date is the title even when it names a
 * kind of section; a bare section name is a section. */
static void test_h1_with_an_identifier_is_the_title(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# OPS-318 retrospective\n\n"
                                      "## Summary\nThe exporter stalled.\n\n"
                                      "## Timeline\n- 09:00 UTC exporter stalls\n");
    assert_non_null(doc->title);
    assert_string_equal(doc->title, "OPS-318 retrospective");
    assert_false(dbf_doc_has_section(doc, DBF_SECTION_LESSONS));
    doc = parse("# Retrospective\n\n1. Timeouts matter.\n");
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_LESSONS));
    lint_done();
}

static void test_bold_and_plain_lines_as_headings(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Search results stale\n\n"
                                      "**Root cause**\n\n"
                                      "The indexer stopped.\n\n"
                                      "User Impact:\n\n"
                                      "Searches showed old prices.\n\n"
                                      "Action Items\n\n"
                                      "1. Alert on indexer lag.\n");
    const struct dbf_section *cause = section_named(doc, "Root cause");
    assert_non_null(cause);
    assert_int_equal(cause->kind, DBF_SECTION_ROOT_CAUSE);
    assert_int_equal(cause->pos.line, 3);
    const struct dbf_section *impact = section_named(doc, "User Impact");
    assert_non_null(impact);
    assert_int_equal(impact->kind, DBF_SECTION_IMPACT);
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_ACTIONS));
    lint_done();
}

/* A paragraph with no text (an image without alt text, inline HTML alone)
 * is no heading: it opened a section named '' that the review called
 * empty. */
static void test_paragraph_without_text_is_no_heading(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Checkout failed\n\n"
                                      "## Impact\n\n"
                                      "![](graph.png)\n\n"
                                      "40 users could not pay.\n\n"
                                      "<span></span>\n\n"
                                      "The rest.\n");
    assert_int_equal(doc->section_count, 2);
    assert_null(find_section(doc, ""));
    assert_non_null(section_named(doc, "Impact"));
    lint_done();
}

static void test_heading_line_above_its_text(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Lost sessions\n\n"
                                      "## Timeline\n\n"
                                      "### 10:02\n\n"
                                      "Sessions dropped.\n"
                                      "Conclusion\n"
                                      "A cache flush logged everyone out.\n");
    const struct dbf_section *s = section_named(doc, "Conclusion");
    assert_non_null(s);
    assert_int_equal(s->kind, DBF_SECTION_ROOT_CAUSE);
    assert_int_equal(s->pos.line, 8);
    /* The prose before it stays in the timeline; its text is its own block. */
    assert_int_equal(doc->timeline_count, 1);
    bool found = false;
    for (size_t i = 0; i < doc->block_count; i++)
        if (doc->blocks[i].section == (int)(s - doc->sections) &&
            doc->blocks[i].type == DBF_BLOCK_PARAGRAPH) {
            assert_int_equal(doc->blocks[i].pos.line, 9);
            assert_non_null(strstr(doc->blocks[i].text, "cache flush"));
            found = true;
        }
    assert_true(found);
    lint_done();
}

static void test_faq_questions_are_not_sections(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Wallet balances wrong\n\n"
                                      "## FAQ\n\n"
                                      "**Does this change impact my savings?**\n\n"
                                      "No.\n\n"
                                      "**What went wrong?**\n\n"
                                      "A rounding bug.\n");
    assert_false(dbf_doc_has_section(doc, DBF_SECTION_IMPACT));
    assert_null(find_section(doc, "Does this change impact my savings?"));
    /* A question that is a section's name still is one. */
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_LESSONS));
    lint_done();
}

static void test_labelled_list_items(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Incident on 2026-02-03\n\n"
                                      "- **Impact**: the status page was down for 20 minutes\n"
                                      "- **Review actions**:\n"
                                      "\n"
                                      "Add a second status page host.\n");
    const struct dbf_section *impact = section_named(doc, "Impact");
    assert_non_null(impact);
    assert_int_equal(impact->level, 8);
    assert_int_equal(impact->pos.line, 3);
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_ACTIONS));
    lint_done();
}

static void test_timed_headings_stay_in_the_timeline(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("# Uploads failing\n\n"
                                      "## Timeline\n\n"
                                      "### 09:10\nDeploy.\n\n"
                                      "### 09:20\nErrors.\n\n"
                                      "## Feb 21, 13:00\nRollback.\n\n"
                                      "## Root cause\nA bad flag.\n");
    const struct dbf_section *timeline = section_named(doc, "Timeline");
    const struct dbf_section *second = section_named(doc, "09:20");
    const struct dbf_section *day = section_named(doc, "Feb 21, 13:00");
    assert_non_null(timeline);
    assert_non_null(second);
    assert_non_null(day);
    /* Siblings under the timeline, not nested in each other. */
    assert_int_equal(second->parent, (int)(timeline - doc->sections));
    assert_int_equal(day->effective, DBF_SECTION_TIMELINE);
    const struct dbf_section *cause = section_named(doc, "Root cause");
    assert_non_null(cause);
    assert_int_equal(cause->parent, 0);
    lint_done();
}

static void test_metadata_headings_before_the_first_h1(void **state)
{
    (void)state;
    const struct dbf_doc *doc = parse("## Owner: @dana\n"
                                      "## Meeting notes:\n\n"
                                      "# Overview\n\n"
                                      "Some downloads failed.\n");
    assert_true(dbf_doc_has_section(doc, DBF_SECTION_SUMMARY));
    assert_null(doc->title);
    lint_done();
}

static void test_section_aliases(void **state)
{
    (void)state;
    assert_int_equal(dbf_section_kind_of_heading("Corrective and Preventative Measures"),
                     DBF_SECTION_ACTIONS);
    assert_int_equal(dbf_section_kind_of_heading("What we're doing about it"), DBF_SECTION_ACTIONS);
    assert_int_equal(dbf_section_kind_of_heading("How did this happen?"), DBF_SECTION_ROOT_CAUSE);
    assert_int_equal(dbf_section_kind_of_heading("Details of the Issue"), DBF_SECTION_ROOT_CAUSE);
    assert_int_equal(
        dbf_section_kind_of_heading("Security flaw - description of the vulnerability"),
        DBF_SECTION_ROOT_CAUSE);
    assert_int_equal(dbf_section_kind_of_heading("Accounts impacted"), DBF_SECTION_IMPACT);
    assert_int_equal(dbf_section_kind_of_heading("TL;DR"), DBF_SECTION_SUMMARY);
    assert_int_equal(dbf_section_kind_of_heading("Partner developer questions"), DBF_SECTION_OTHER);
    /* An article does not change what a heading names. */
    assert_int_equal(dbf_section_kind_of_heading("Details of the exploit"), DBF_SECTION_ROOT_CAUSE);
    assert_int_equal(dbf_section_kind_of_heading("Details of outage"), DBF_SECTION_ROOT_CAUSE);
    assert_int_equal(dbf_section_kind_of_heading("The fix"), DBF_SECTION_RESPONSE);
}

static void test_blast_radius_under_response_is_a_phase(void **state)
{
    (void)state;
    lint_md("# Search slow for all shoppers\n\n## Impact\n\n41,000 searches were slow.\n\n"
            "## Response\n\n### Blast radius\n\nEvery region shares the cluster.\n\n"
            "## Blast radius\n\nEvery region.\n");
    const struct dbf_doc *doc = last_doc();
    assert_int_equal(doc->section_count, 5);
    assert_int_equal(doc->sections[3].effective, DBF_SECTION_RESPONSE); /* under Response */
    assert_int_equal(doc->sections[4].effective, DBF_SECTION_IMPACT);   /* on its own */
    lint_done();
}

/* An address written bare is a block's link as GitHub's Markdown makes it
 * one: the scheme's, "http://" before "www.", "mailto:" before an e-mail,
 * trailing punctuation left out; the first link of the block, bare or not,
 * is its link; code and an image's text hold none. */
static void test_bare_addresses_are_links(void **state)
{
    (void)state;
    static const struct {
        const char *text, *link;
    } cases[] = {
        {"Alert added: https://git.example.com/o/r/pull/12.",
         "https://git.example.com/o/r/pull/12"},
        {"The runbook (www.example.com/runbook) says so", "http://www.example.com/runbook"},
        {"Write to ops@example.org, then wait", "mailto:ops@example.org"},
        {"See https://a.example.com/x and [the PR](https://b.example.com/y)",
         "https://a.example.com/x"},
        {"[The PR](https://b.example.com/y) and https://a.example.com/x",
         "https://b.example.com/y"},
        {"The `https://internal.example/health` check then https://c.example.com/z",
         "https://c.example.com/z"},
        {"![https://img.example.com/a](https://img.example.com/a.png) then www.d.example.com",
         "http://www.d.example.com"},
        {"Ask @alice, not foo@bar, on ftp://files.example.com/x", "ftp://files.example.com/x"},
        {"Write to ops&#64;example.org, then wait", "mailto:ops@example.org"},
        {"Only `www.example.com` in code", NULL},
        {"No address here: see the wiki", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "# Outage\n\n## Impact\n\n%s\n\n- %s\n\n| A |\n|---|\n| %s |\n",
                 cases[i].text, cases[i].text, cases[i].text);
        const struct dbf_doc *doc = parse(text);
        size_t checked = 0;
        for (size_t b = 0; b < doc->block_count; b++) {
            const struct dbf_block *block = &doc->blocks[b];
            if (block->type == DBF_BLOCK_HEADING ||
                (block->type == DBF_BLOCK_TABLE_CELL && block->table_row == 0))
                continue;
            bool same = cases[i].link ? block->link && strcmp(block->link, cases[i].link) == 0
                                      : !block->link;
            if (!same)
                fail_msg("'%s', block %zu: link %s, expected %s", cases[i].text, b,
                         block->link ? block->link : "(none)",
                         cases[i].link ? cases[i].link : "(none)");
            checked++;
        }
        assert_int_equal(checked, 3); /* the paragraph, the item, the cell */
        lint_done();
    }
    /* An address on a paragraph's later line, in a quote, in a list, below
     * front matter (the parse counts lines from the body's first). */
    const struct dbf_doc *doc =
        parse("---\ntitle: Outage\nseverity: SEV-2\n---\n"
              "# Outage\n\n## Impact\n\nIt was\nlogged at\nhttps://logs.example.com/q.\n\n"
              "> Seen\n> on www.status.example.com\n\n- one\n- two\n  ops@example.org\n");
    static const char *const links[] = {"https://logs.example.com/q",
                                        "http://www.status.example.com", NULL,
                                        "mailto:ops@example.org"};
    size_t found = 0;
    for (size_t b = 0; b < doc->block_count; b++) {
        const struct dbf_block *block = &doc->blocks[b];
        if (block->type == DBF_BLOCK_HEADING)
            continue;
        assert_true(found < sizeof links / sizeof links[0]);
        if (links[found])
            assert_string_equal(block->link ? block->link : "(none)", links[found]);
        else
            assert_null(block->link);
        found++;
    }
    assert_int_equal(found, 4);
    lint_done();
}

/* A figure's value is the number as written, the longest number word
 * included ("sixteen", not "six"), and read the way the figure was found
 * (a long s is an s under caseless matching). */
static void test_figure_values(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double value;
    } cases[] = {
        {"sixteen customers could not pay", 16},  {"Seventeen customers could not pay", 17},
        {"sixty customers could not pay", 60},    {"fourteen customers could not pay", 14},
        {"eighteen customers could not pay", 18}, {"nineteen customers could not pay", 19},
        {"six customers could not pay", 6},       {"\xc5\xbfix customers could not pay", 6},
        {"a dozen customers could not pay", 12},  {"1,200 customers could not pay", 1200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "# Outage\n\n## Impact\n\n%s.\n", cases[i].text);
        const struct dbf_doc *doc = parse(text);
        if (doc->figure_count != 1 || doc->figures[0].value != cases[i].value)
            fail_msg("'%s': %zu figures, the first %g, expected %g", cases[i].text,
                     doc->figure_count, doc->figure_count ? doc->figures[0].value : -1.0,
                     cases[i].value);
        lint_done();
    }
}

/* Durations written in words are read as the figures are: the whole word
 * ("sixteen hours"), and a long s as an s. */
static void test_figure_durations_in_words(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t seconds;
    } cases[] = {
        {"Checkout failed for sixteen hours", 16 * 3600},
        {"Checkout failed for sixty minutes", 3600},
        {"Checkout failed for eleven days", 11 * 86400},
        {"Checkout failed for \xc5\xbfix hours", 6 * 3600},
        {"Checkout failed for twenty minutes", 20 * 60},
        {"Checkout failed for 90 minutes", 90 * 60},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "# Outage\n\n## Impact\n\n%s.\n", cases[i].text);
        const struct dbf_doc *doc = parse(text);
        bool found = false;
        for (size_t f = 0; f < doc->figure_count; f++)
            found = found ||
                    (doc->figures[f].is_duration && doc->figures[f].seconds == cases[i].seconds);
        if (!found)
            fail_msg("'%s': no duration of %lld s among %zu figures", cases[i].text,
                     (long long)cases[i].seconds, doc->figure_count);
        lint_done();
    }
}

/* A file line's text and length: the last line with a newline and without,
 * a CRLF line (its CR read as a space), an empty line, and lines outside. */
static void test_file_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *want; /* NULL: outside the file */
    } cases[] = {
        {"# Title\n\nbody", 3, "body"},
        {"# Title\n\nbody\n", 3, "body"},
        {"# Title\n\nbody\n", 2, ""},
        {"# Title\r\n\r\nbody\r\n", 1, "# Title "},
        {"# Title\r\n\r\nbody\r\n", 3, "body "},
        {"# Title\n\nbody\n", 4, NULL},
        {"# Title\n\nbody", 4, NULL},
        {"# Title\n\nbody", 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct dbf_doc *doc = parse(cases[i].text);
        size_t len = 99;
        const char *s = dbf_doc_line(doc, cases[i].line, &len);
        if (!cases[i].want) {
            assert_null(s);
        } else {
            assert_non_null(s);
            assert_int_equal(len, strlen(cases[i].want));
            assert_memory_equal(s, cases[i].want, len);
        }
        lint_done();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_and_h2_sections),
        cmocka_unit_test(test_blast_radius_under_response_is_a_phase),
        cmocka_unit_test(test_h1_for_every_section),
        cmocka_unit_test(test_title_that_names_a_kind_is_still_the_title),
        cmocka_unit_test(test_h1_with_an_identifier_is_the_title),
        cmocka_unit_test(test_bold_and_plain_lines_as_headings),
        cmocka_unit_test(test_heading_line_above_its_text),
        cmocka_unit_test(test_faq_questions_are_not_sections),
        cmocka_unit_test(test_labelled_list_items),
        cmocka_unit_test(test_timed_headings_stay_in_the_timeline),
        cmocka_unit_test(test_metadata_headings_before_the_first_h1),
        cmocka_unit_test(test_section_aliases),
        cmocka_unit_test(test_paragraph_without_text_is_no_heading),
        cmocka_unit_test(test_bare_addresses_are_links),
        cmocka_unit_test(test_figure_values),
        cmocka_unit_test(test_figure_durations_in_words),
        cmocka_unit_test(test_file_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
