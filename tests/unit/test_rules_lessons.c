/* test_rules_lessons.c: unit tests of rules_lessons and of what the parser takes for a lesson. */
#include "harness.h"

static const char numbered[] =
    "# Checkout errors\n"
    "\n"
    "## Lessons learned\n"
    "\n"
    "1. Pool limits were copied between services without load data.\n"
    "2. Nothing paged on pool saturation, so users found it first.\n"
    "\n"
    "## Action items\n"
    "\n"
    "1. Size the checkout pool from the load test (owner: @maria, due 2026-12-10, P1, lesson: #1)\n"
    "2. Page on pool wait above 200 ms for 5 minutes (owner: @ken, due 2026-12-05, P2, lesson: "
    "#2)\n";

static void test_not_numbered_fires_on_bullets(void **state)
{
    (void)state;
    assert_fires(
        "# A\n\n## Lessons learned\n\n- Limits were guessed.\n- Alerts watched errors only.\n",
        "lessons/not-numbered", 5);
    assert_int_equal(findings_of("lessons/not-numbered"), 1);
    lint_done();
}

static void test_not_numbered_fires_on_prose(void **state)
{
    (void)state;
    assert_fires(
        "# A\n\n## Takeaways\n\nThe rotation job and the gateway disagree about key lifetimes.\n",
        "lessons/not-numbered", 5);
    lint_done();
}

static void test_not_numbered_silent_on_numbered_and_without_section(void **state)
{
    (void)state;
    assert_silent(numbered, "lessons/not-numbered");
    assert_silent("# A\n\n## Summary\n\nThe cache filled up.\n", "lessons/not-numbered");
    /* A title that names the document a retrospective is not a lessons section. */
    assert_silent("# OPS-318 retrospective\n\nOwner: Billing\n\n## Summary\n\nThe cache "
                  "filled up.\n",
                  "lessons/not-numbered");
    lint_done();
}

static void test_sub_headings_are_the_lessons(void **state)
{
    (void)state;
    lint_md("# A\n\n## Lessons learned\n\n### Disclosure path\n\nSome forks heard late:\n\n"
            "1. one\n2. two\n\n### Fork monitoring\n\nThe monitor needed a restart.\n");
    assert_int_equal(last_doc()->lesson_count, 2);
    assert_int_equal(last_doc()->lessons[0].pos.line, 5);
    assert_int_equal(last_doc()->lessons[1].pos.line, 12);
    assert_true(fires_at("lessons/not-numbered", 5));
    lint_done();
}

static void test_went_well_sections_hold_lessons(void **state)
{
    (void)state;
    lint_md("# A\n\n## Lessons learned\n\n### What went well\n\n1. Rollback took 2 minutes.\n\n"
            "### What went poorly\n\n1. Nobody owned the cache.\n");
    assert_int_equal(last_doc()->lesson_count, 2);
    assert_int_equal(findings_of("lessons/not-numbered"), 0);
    lint_done();
}

static void test_restates_action_fires_on_an_instruction(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Lessons learned\n\n1. Add an alert on pool saturation.\n",
                 "lessons/restates-action", 5);
    lint_done();
}

static void test_restates_action_silent_on_an_insight(void **state)
{
    (void)state;
    assert_silent(numbered, "lessons/restates-action");
    lint_done();
}

static void test_too_specific_fires_on_we_need(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Lessons learned\n\n1. The pool was sized by hand.\n2. We need a retry "
                 "on the ledger client.\n",
                 "lessons/too-specific", 6);
    assert_int_equal(findings_of("lessons/too-specific"), 1);
    lint_done();
}

static void test_too_specific_silent_on_a_general_lesson(void **state)
{
    (void)state;
    assert_silent(numbered, "lessons/too-specific");
    lint_done();
}

static void test_unlinked_fires_once_when_nothing_links(void **state)
{
    (void)state;
    assert_fires(
        "# A\n\n## Lessons learned\n\n1. Limits were guessed.\n2. Alerts watched errors only.\n\n"
        "## Action items\n\n1. Size the pool from load data\n",
        "lessons/unlinked", 3);
    assert_int_equal(findings_of("lessons/unlinked"), 1);
    lint_done();
}

static void test_unlinked_fires_on_the_lesson_left_out(void **state)
{
    (void)state;
    assert_fires(
        "# A\n\n## Lessons learned\n\n1. Limits were guessed.\n2. Alerts watched errors only.\n\n"
        "## Action items\n\n1. Size the pool from load data (lesson: #1)\n",
        "lessons/unlinked", 6);
    assert_false(fires_at("lessons/unlinked", 5));
    lint_done();
}

static void test_unlinked_silent_when_every_lesson_is_addressed(void **state)
{
    (void)state;
    assert_silent(numbered, "lessons/unlinked");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_numbered_fires_on_bullets),
        cmocka_unit_test(test_not_numbered_fires_on_prose),
        cmocka_unit_test(test_not_numbered_silent_on_numbered_and_without_section),
        cmocka_unit_test(test_sub_headings_are_the_lessons),
        cmocka_unit_test(test_went_well_sections_hold_lessons),
        cmocka_unit_test(test_restates_action_fires_on_an_instruction),
        cmocka_unit_test(test_restates_action_silent_on_an_insight),
        cmocka_unit_test(test_too_specific_fires_on_we_need),
        cmocka_unit_test(test_too_specific_silent_on_a_general_lesson),
        cmocka_unit_test(test_unlinked_fires_once_when_nothing_links),
        cmocka_unit_test(test_unlinked_fires_on_the_lesson_left_out),
        cmocka_unit_test(test_unlinked_silent_when_every_lesson_is_addressed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
