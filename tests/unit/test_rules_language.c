/* test_rules_language.c: unit tests of rules_language. */
#include "harness.h"

static void test_blame_fires_on_shaming_words(void **state)
{
    (void)state;
    assert_fires("# Checkout down\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The on-call engineer carelessly pushed a config change without testing it.\n",
                 "language/blame", 5);
    lint_done();
}

static void test_blame_fires_on_named_author_of_change(void **state)
{
    (void)state;
    assert_fires("# Data loss\n"
                 "\n"
                 "## Timeline\n"
                 "\n"
                 "- 11:10 UTC upgrade of the operator to 1.14, merged by Dana Whitfield\n",
                 "language/blame", 5);
    lint_done();
}

static void test_blame_fires_on_possessive_mistake(void **state)
{
    (void)state;
    assert_fires("# Checkout down\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The outage was Priya's mistake: the wrong flag was set.\n",
                 "language/blame", 5);
    lint_done();
}

/* Saying that a mistake happened, in neutral words, is not blame. */
static void test_blame_silent_on_neutral_account(void **state)
{
    (void)state;
    assert_silent("# Checkout down\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "A config change set the pool to 5 connections. The change passed review:\n"
                  "the diff showed a variable name, not the effective value. The incident\n"
                  "was reported by Hubert Ritzdorf and fixed by the payments on-call.\n",
                  "language/blame");
    lint_done();
}

static void test_counterfactual_fires(void **state)
{
    (void)state;
    assert_fires("# Disk full\n"
                 "\n"
                 "## Detection\n"
                 "\n"
                 "The alert fired at 03:12.\n"
                 "The on-call engineer should have escalated to the database team sooner.\n",
                 "language/counterfactual", 6);
    lint_done();
}

static void test_counterfactual_fires_on_had_we(void **state)
{
    (void)state;
    assert_fires("# Launch overload\n"
                 "\n"
                 "## Lessons\n"
                 "\n"
                 "1. Had we run a load test before launch, we would have caught the bug.\n",
                 "language/counterfactual", 5);
    lint_done();
}

/* Plans, capabilities and log lines use the same words without judging. */
static void test_counterfactual_silent_on_plans_and_logs(void **state)
{
    (void)state;
    assert_silent("# Image pulls failing\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "Pods failed to start: the registry answered 'failed to fetch manifest'.\n"
                  "Every action item should have an owner and a due date.\n"
                  "An attacker could have used the token for an hour.\n",
                  "language/counterfactual");
    lint_done();
}

/* A named person whose change is then said to have broken something. */
static void test_blame_fires_on_person_whose_change_broke_things(void **state)
{
    (void)state;
    assert_fires("# Grading hub down\n"
                 "\n"
                 "## Timeline\n"
                 "\n"
                 "- 09:10 UTC Priyanka hurriedly pushed a patch to pin the kernel version.\n"
                 "  Unfortunately that patch broke the grading hub.\n",
                 "language/blame", 5);
    lint_done();
}

/* The same shape with a role and a word that opens sentences is not blame. */
static void test_blame_silent_on_role_whose_change_broke_things(void **state)
{
    (void)state;
    assert_silent("# Grading hub down\n"
                  "\n"
                  "## Timeline\n"
                  "\n"
                  "- 09:10 UTC The on-call engineer pushed a patch to pin the kernel version.\n"
                  "  Unfortunately that patch broke the grading hub, however the change had\n"
                  "  passed review. However it was written, the change broke the hub.\n",
                  "language/blame");
    lint_done();
}

static void test_blame_fires_on_not_bothering(void **state)
{
    (void)state;
    assert_fires("# Stale reports\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The export was started without bothering to check the lock table.\n",
                 "language/blame", 5);
    lint_done();
}

/* A defence judged by what it did not catch is a counterfactual. */
static void test_counterfactual_fires_on_defence_failing_to_catch(void **state)
{
    (void)state;
    assert_fires("# Account takeover\n"
                 "\n"
                 "## Detection\n"
                 "\n"
                 "The login anomaly scanner failed to flag the sign-in from a new country.\n",
                 "language/counterfactual", 5);
    lint_done();
}

/* A hypothetical loss sizes a risk; it does not judge what was done. */
static void test_counterfactual_silent_on_hypothetical_loss(void **state)
{
    (void)state;
    assert_silent(
        "# Backups not restorable\n"
        "\n"
        "## Impact\n"
        "\n"
        "No customers were affected. Had we needed a restore that week, we would have\n"
        "lost up to 5 days of records. The deploy script failed to remove its lock file.\n",
        "language/counterfactual");
    lint_done();
}

/* A named person who ignored a warning is made the cause. */
static void test_blame_fires_on_person_ignoring_alert(void **state)
{
    (void)state;
    assert_fires("# Dashboards stale\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The throttle step was skipped. Priya also ignored the lag alert for\n"
                 "twelve minutes.\n",
                 "language/blame", 5);
    lint_done();
}

static void test_blame_silent_on_alert_passed_over(void **state)
{
    (void)state;
    assert_silent("# Dashboards stale\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "The lag alert was ignored: it had fired forty times that week during\n"
                  "planned reassignments, so the on-call engineer read it as noise.\n",
                  "language/blame");
    lint_done();
}

/* "If we'd had an alert ..., we would have known": a missing defence used
 * to explain. */
static void test_counterfactual_fires_on_if_we_had_had(void **state)
{
    (void)state;
    assert_fires("# Sync delayed\n"
                 "\n"
                 "## What we learned\n"
                 "\n"
                 "If we'd had an alert on the queue size, we would have known before our\n"
                 "users did.\n",
                 "language/counterfactual", 5);
    lint_done();
}

static void test_counterfactual_silent_on_sized_risk(void **state)
{
    (void)state;
    assert_silent("# Backups skipped\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "If we'd had to restore that week, we would have lost six days of data.\n",
                  "language/counterfactual");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blame_fires_on_shaming_words),
        cmocka_unit_test(test_blame_fires_on_named_author_of_change),
        cmocka_unit_test(test_blame_fires_on_possessive_mistake),
        cmocka_unit_test(test_blame_silent_on_neutral_account),
        cmocka_unit_test(test_counterfactual_fires),
        cmocka_unit_test(test_counterfactual_fires_on_had_we),
        cmocka_unit_test(test_counterfactual_silent_on_plans_and_logs),
        cmocka_unit_test(test_blame_fires_on_person_whose_change_broke_things),
        cmocka_unit_test(test_blame_silent_on_role_whose_change_broke_things),
        cmocka_unit_test(test_blame_fires_on_not_bothering),
        cmocka_unit_test(test_counterfactual_fires_on_defence_failing_to_catch),
        cmocka_unit_test(test_counterfactual_silent_on_hypothetical_loss),
        cmocka_unit_test(test_blame_fires_on_person_ignoring_alert),
        cmocka_unit_test(test_blame_silent_on_alert_passed_over),
        cmocka_unit_test(test_counterfactual_fires_on_if_we_had_had),
        cmocka_unit_test(test_counterfactual_silent_on_sized_risk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
