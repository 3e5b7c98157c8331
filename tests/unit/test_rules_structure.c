/* test_rules_structure.c: unit tests of rules_structure. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

/* A post mortem with every section, for the structure rules' near misses. */
static const char complete[] =
    "# Shoppers unable to pay by card for 20 minutes\n" /* 1 */
    "\n"
    "## TL;DR\n" /* 3 */
    "Card payments failed from 10:00 to 10:20 UTC.\n"
    "\n"
    "## What was impacted\n" /* 6 */
    "1,200 payments failed.\n"
    "\n"
    "## Timeline\n" /* 9 */
    "- 09:58 UTC config change\n"
    "- 10:00 UTC payments fail\n"
    "- 10:20 UTC change reverted\n"
    "\n"
    "## How did this happen\n" /* 14 */
    "1. Why did payments fail? -> The gateway timed out.\n"
    "\n"
    "## Takeaways\n" /* 17 */
    "1. Config changes need a canary.\n"
    "\n"
    "## Follow-ups\n" /* 20 */
    "1. Add a canary stage to config pushes (owner: @li, due: 2026-12-01)\n";

static void test_missing_section_fires_per_kind_at_the_title(void **state)
{
    (void)state;
    lint_md("# Checkout errors for EU shoppers\n"
            "\n"
            "## Summary\n"
            "Checkout failed for 20 minutes.\n"
            "\n"
            "## Timeline\n"
            "- 10:00 UTC errors start\n"
            "- 10:05 UTC alert\n"
            "- 10:20 UTC rollback\n");
    assert_int_equal(findings_of("structure/missing-section"),
                     4); /* impact, root-cause, lessons, actions */
    assert_true(fires_at("structure/missing-section", 1));
    const struct dbf_review *r = lint_md("# Checkout errors\n\n## Summary\nx\n");
    bool named = false;
    for (size_t i = 0; i < r->finding_count; i++)
        if (strcmp(r->findings[i].rule, "structure/missing-section") == 0 &&
            strstr(r->findings[i].message, "missing section 'impact'"))
            named = true;
    assert_true(named);
    lint_done();
}

static void test_missing_section_accepts_common_names(void **state)
{
    (void)state;
    assert_silent(complete, "structure/missing-section");
    lint_done();
}

/* A title that calls the document a retrospective names no lessons section:
 * the missing lessons are found, at the title. */
static void test_missing_section_title_naming_a_retrospective(void **state)
{
    (void)state;
    const char *complete_body = strstr(complete, "\n## TL;DR");
    const char *lessons = strstr(complete, "## Takeaways");
    const char *actions = strstr(complete, "## Follow-ups");
    char text[2048];
    snprintf(text, sizeof text, "# PAY-77 retrospective%.*s%s", (int)(lessons - complete_body),
             complete_body, actions);
    assert_fires(text, "structure/missing-section", 1);
    snprintf(text, sizeof text, "# PAY-77 retrospective%s", complete_body);
    assert_silent(text, "structure/missing-section");
    lint_done();
}

static void test_missing_section_same_bar_for_serious_incidents(void **state)
{
    (void)state;
    /* The response analysis, graphs and customer communication that a serious
     * incident also needs are asked for by their own rules, not here. */
    char text[2048];
    snprintf(text, sizeof text, "---\ncustomer_facing: true\nseverity: SEV-1\n---\n%s", complete);
    assert_silent(text, "structure/missing-section");
    lint_done();
}

static void test_missing_section_opening_paragraph_is_the_summary(void **state)
{
    (void)state;
    static const char text[] =
        "# Uploads rejected for 40 minutes\n\n"
        "A storage quota change on the upload service rejected every upload larger than 5 MB "
        "from 14:00 to 14:40 UTC; about 900 uploads failed and the quota was restored after "
        "the alert fired, ending the errors.\n\n"
        "## Impact\n900 uploads failed.\n\n"
        "## Timeline\n- 14:00 UTC quota change\n- 14:10 UTC alert\n- 14:40 UTC restored\n\n"
        "## Root cause\nA typo in the quota.\n\n"
        "## Lessons learned\n1. Quotas need review.\n\n"
        "## Action items\n1. Validate quota changes (owner: @kim)\n";
    assert_silent(text, "structure/missing-section");
    lint_done();
}

static void test_empty_section_fires_at_the_heading(void **state)
{
    (void)state;
    assert_fires("# Title\n\n## Summary\nText.\n\n## Lessons learned\n\n<!-- fill in -->\n\n"
                 "## Action items\n1. Do it.\n",
                 "structure/empty-section", 6);
    assert_int_equal(findings_of("structure/empty-section"), 1);
    lint_done();
}

static void test_empty_section_content_in_subsections_counts(void **state)
{
    (void)state;
    assert_silent("# Title\n\n## Response\n\n### Detection\nThe alert fired after 4 minutes.\n\n"
                  "## Timeline\n\n### 10:02\n\n### 10:05\nRollback.\n",
                  "structure/empty-section");
    assert_silent("## Owner: @ana\n## Call recording:\n\n# Summary\nText.\n",
                  "structure/empty-section");
    lint_done();
}

static void test_placeholder_fires_at_line_and_column(void **state)
{
    (void)state;
    lint_md("# Title\n\n## Impact\nAbout 300 orders, TBD with the data team.\n\n"
            "Search was stale for <fill in> minutes.\n\n"
            "## Root cause\n[Describe the root cause here]\n");
    assert_true(fires_at("structure/placeholder", 4));
    assert_true(fires_at("structure/placeholder", 6));
    assert_true(fires_at("structure/placeholder", 9));
    const struct dbf_review *r = lint_md("# T\n\nSee TODO: numbers.\n");
    assert_true(fires_at("structure/placeholder", 3));
    for (size_t i = 0; i < r->finding_count; i++)
        if (strcmp(r->findings[i].rule, "structure/placeholder") == 0)
            assert_int_equal(r->findings[i].pos.column, 5);
    assert_fires("---\ntitle: \"[Incident] {{ Checkout down }}\"\n---\nText.\n",
                 "structure/placeholder", 2);
    lint_done();
}

static void test_placeholder_silent_in_code_and_real_text(void **state)
{
    (void)state;
    assert_silent("# Title\n\nThe log said `TODO: retry` before the crash.\n\n"
                  "```\n# TODO remove\n```\n\n"
                  "Run `kubectl get pod <name>` and .save <filename> on the host.\n\n"
                  "Impact: 1,200 orders. Details were told to todo-list users.<br>\n",
                  "structure/placeholder");
    lint_done();
}

static void test_empty_section_fires_on_a_table_with_no_rows(void **state)
{
    (void)state;
    /* A template's table header alone says nothing; one filled row does. */
    assert_fires("# Checkout errors for EU shoppers\n\n## Timeline\n\n| Time (UTC) | Event |\n"
                 "|---|---|\n\n## Impact\n\n1,200 orders failed.\n",
                 "structure/empty-section", 3);
    assert_silent(
        "# Checkout errors for EU shoppers\n\n## Timeline\n\n| Time (UTC) | Event |\n"
        "|---|---|\n| 14:02 | Deploy of checkout 4.2 |\n\n## Impact\n\n1,200 orders failed.\n",
        "structure/empty-section");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_section_fires_per_kind_at_the_title),
        cmocka_unit_test(test_empty_section_fires_on_a_table_with_no_rows),
        cmocka_unit_test(test_missing_section_accepts_common_names),
        cmocka_unit_test(test_missing_section_same_bar_for_serious_incidents),
        cmocka_unit_test(test_missing_section_title_naming_a_retrospective),
        cmocka_unit_test(test_missing_section_opening_paragraph_is_the_summary),
        cmocka_unit_test(test_empty_section_fires_at_the_heading),
        cmocka_unit_test(test_empty_section_content_in_subsections_counts),
        cmocka_unit_test(test_placeholder_fires_at_line_and_column),
        cmocka_unit_test(test_placeholder_silent_in_code_and_real_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
