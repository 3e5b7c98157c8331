/* test_rules_rootcause.c: unit tests of rules_rootcause. */
#include "harness.h"

/* Five numbered whys that reach the defences, in two branches numbered 1.x
 * and 2.x. */
static const char deep_analysis[] =
    "# Card payments failing\n"
    "\n"
    "## Root cause\n"
    "\n"
    "1.1 Why did card payments fail? -> The certificate on the payments gateway\n"
    "expired at 06:58 UTC.\n"
    "\n"
    "1.2 Why did it expire? -> It was issued by hand and is not managed by the\n"
    "automatic renewal that covers our other certificates.\n"
    "\n"
    "1.3 Why was it outside the renewal? -> The gateway terminates TLS itself and\n"
    "the renewal job only knows about the load balancers.\n"
    "\n"
    "1.4 Why did no alert warn us? -> Expiry monitoring reads the same list of\n"
    "load balancers, so it never checked the gateway.\n"
    "\n"
    "1.5 Why did nobody notice the gap? -> There is no inventory of where TLS is\n"
    "terminated.\n"
    "\n"
    "2.1 Why did recovery take 40 minutes? -> Issuing a certificate by hand needs\n"
    "two approvals.\n";

static void test_shallow_fires_on_one_level(void **state)
{
    (void)state;
    assert_fires("# Card payments failing\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The certificate on the payments gateway expired because it was not renewed.\n",
                 "rootcause/shallow", 3);
    lint_done();
}

static void test_shallow_fires_without_root_cause(void **state)
{
    (void)state;
    assert_fires("# Card payments failing\n"
                 "\n"
                 "## Summary\n"
                 "\n"
                 "Card payments failed for 41 minutes.\n",
                 "rootcause/shallow", 1);
    lint_done();
}

static void test_shallow_silent_on_five_whys(void **state)
{
    (void)state;
    assert_silent(deep_analysis, "rootcause/shallow");
    lint_done();
}

/* Prose that asks why review and testing let the change through counts. */
static void test_shallow_silent_on_prose_about_defences(void **state)
{
    (void)state;
    assert_silent("# Orders failing\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "A config change lowered the orders-db pool to 5 connections.\n"
                  "The change passed review because the diff showed a variable name, not\n"
                  "the effective value. Config changes have no test stage, so nothing ran\n"
                  "them before production. The pool alert did not fire because it watches\n"
                  "errors, not saturation.\n",
                  "rootcause/shallow");
    lint_done();
}

static void test_human_error_fires(void **state)
{
    (void)state;
    assert_fires("# Queues deleted\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "An engineer ran the cleanup script against production instead of staging.\n"
                 "The root cause was human error.\n",
                 "rootcause/human-error", 6);
    lint_done();
}

/* Naming the slip and then asking why it was possible meets the standard. */
static void test_human_error_silent_when_analysis_goes_on(void **state)
{
    (void)state;
    assert_silent("# Queues deleted\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "1. Why were the queues deleted? -> The cleanup script was accidentally run\n"
                  "   against production.\n"
                  "2. Why was production targeted? -> The shell keeps the last context used.\n"
                  "3. Why did the script accept it? -> It has no confirmation step.\n"
                  "4. Why had nobody added one? -> It was never reviewed.\n"
                  "5. Why was it not reviewed? -> Runbook scripts live outside code review.\n",
                  "rootcause/human-error");
    lint_done();
}

static void test_bullets_not_numbers_fires(void **state)
{
    (void)state;
    assert_fires("# Export failed\n"
                 "\n"
                 "## Five whys\n"
                 "\n"
                 "- Why did the export fail? -> The staging prefix was gone.\n"
                 "- Why was it gone? -> A lifecycle rule deletes old objects.\n",
                 "rootcause/bullets-not-numbers", 5);
    lint_done();
}

static void test_bullets_not_numbers_silent_on_numbers(void **state)
{
    (void)state;
    assert_silent("# Export failed\n"
                  "\n"
                  "## Five whys\n"
                  "\n"
                  "1. Why did the export fail? -> The staging prefix was gone.\n"
                  "2. Why was it gone? -> A lifecycle rule deletes old objects.\n",
                  "rootcause/bullets-not-numbers");
    lint_done();
}

static void test_single_cause_fires(void **state)
{
    (void)state;
    assert_fires("# Nightly export missing\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The nightly export failed because a bucket lifecycle rule deleted its\n"
                 "staging files.\n",
                 "rootcause/single-cause", 3);
    lint_done();
}

static void test_single_cause_silent_with_contributing_factors(void **state)
{
    (void)state;
    assert_silent("# Nightly export missing\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "The nightly export failed because a bucket lifecycle rule deleted its\n"
                  "staging files.\n"
                  "\n"
                  "### Contributing factors\n"
                  "\n"
                  "- The rule was tested on a copy of the bucket with no staging prefix.\n"
                  "- The failure alert goes to a list nobody reads at night.\n",
                  "rootcause/single-cause");
    lint_done();
}

static void test_unnumbered_branches_fires(void **state)
{
    (void)state;
    assert_fires("# Logins failing\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "### Why did logins fail?\n"
                 "\n"
                 "1. Why did logins fail? -> Tokens expired after 60 s.\n"
                 "2. Why 60 s? -> The change used seconds where minutes were expected.\n"
                 "\n"
                 "### Why was recovery slow?\n"
                 "\n"
                 "1. Why was the rollback slow? -> Config has no one-step rollback.\n"
                 "2. Why not? -> Changes are applied as patches.\n",
                 "rootcause/unnumbered-branches", 12);
    lint_done();
}

static void test_unnumbered_branches_silent_on_branch_numbers(void **state)
{
    (void)state;
    assert_silent(deep_analysis, "rootcause/unnumbered-branches");
    lint_done();
}

/* A written chain of three whys is three levels, whatever the prose around
 * it says about other factors. */
static void test_shallow_fires_on_short_why_chain(void **state)
{
    (void)state;
    assert_fires("# Builds queued\n"
                 "\n"
                 "## Five whys\n"
                 "\n"
                 "1. Why did builds queue? -> Only 8 runners were up.\n"
                 "2. Why only 8? -> The autoscaler maximum equalled its minimum.\n"
                 "3. Why? -> A cost experiment pinned it and it was not reverted.\n"
                 "\n"
                 "## Contributing factors\n"
                 "\n"
                 "- The queue alert did not fire because it averages over an hour.\n"
                 "- The runner upgrade was not tested on a busy afternoon.\n",
                 "rootcause/shallow", 3);
    lint_done();
}

/* A legacy component named as the cause stops short of why. */
static void test_human_error_fires_on_legacy_component(void **state)
{
    (void)state;
    assert_fires("# Partner API errors\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The root cause was the legacy quota service, written by a team that\n"
                 "no longer exists.\n",
                 "rootcause/human-error", 5);
    lint_done();
}

/* Three whys that go on from a typo to why it was possible: short of the
 * default five, enough for a team that asks rootcause/shallow for three,
 * which rootcause/human-error follows. */
static const char three_whys_past_a_typo[] =
    "# Checkout errors\n"
    "\n"
    "## Five whys\n"
    "\n"
    "1. Why did checkout fail? -> A typo in the payment host name was deployed.\n"
    "2. Why was the typo possible? -> The host name is typed by hand in each release.\n"
    "3. Why did nothing catch it? -> The release check does not resolve the host names.\n";

static void test_human_error_follows_the_whys_of_shallow(void **state)
{
    (void)state;
    assert_fires(three_whys_past_a_typo, "rootcause/human-error", 5);
    assert_fires(three_whys_past_a_typo, "rootcause/shallow", 3);
    struct dbf_config *config = dbf_config_new();
    assert_true(dbf_config_set_option(config, "rootcause/shallow", "whys", 3));
    lint_md_with(three_whys_past_a_typo, config);
    assert_int_equal(findings_of("rootcause/human-error"), 0);
    assert_int_equal(findings_of("rootcause/shallow"), 0);
    lint_done();
    dbf_config_free(config);
}

/* Mentioning a legacy component that is not the cause is no verdict. */
static void test_human_error_silent_on_legacy_mention(void **state)
{
    (void)state;
    assert_silent("# Partner API errors\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "The quota counters diverged between nodes because each keeps them in\n"
                  "memory; the replacement for the legacy gateway shares them through Redis.\n",
                  "rootcause/human-error");
    lint_done();
}

/* "A second thing" introduces another factor in plain words. */
static void test_single_cause_silent_on_a_second_thing(void **state)
{
    (void)state;
    assert_silent("# Empty search results\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "The ranking code assumed every index server had the new field.\n"
                  "There is a second thing we do not like: three servers ran from an old\n"
                  "snapshot for two days and nothing told us.\n",
                  "rootcause/single-cause");
    lint_done();
}

/* Whys that ask why two defences let the change through reach the
 * defences, however short the chain. */
static const char defence_whys[] =
    "# Package downloads failing\n"
    "\n"
    "## Causes\n"
    "\n"
    "A storage change set a 30-day expiry on every bucket instead of the logs bucket.\n"
    "\n"
    "Why did review not catch it? The plan listed two buckets and reviewers opened\n"
    "only the first.\n"
    "\n"
    "Why did users tell us first? We had no alert on the rate of missing files.\n";

static void test_shallow_silent_on_whys_about_two_defences(void **state)
{
    (void)state;
    assert_silent(defence_whys, "rootcause/shallow");
    lint_done();
}

static void test_single_cause_silent_on_whys_about_two_defences(void **state)
{
    (void)state;
    assert_silent(defence_whys, "rootcause/single-cause");
    lint_done();
}

/* The same length of chain about the mechanism only stays shallow. */
static void test_shallow_fires_on_whys_about_mechanism(void **state)
{
    (void)state;
    assert_fires("# Package downloads failing\n"
                 "\n"
                 "## Causes\n"
                 "\n"
                 "A storage change set a 30-day expiry on every bucket.\n"
                 "\n"
                 "Why did it reach every bucket? The module applied its default to all of\n"
                 "them.\n"
                 "\n"
                 "Why was the default used? The packages bucket sets no value of its own.\n",
                 "rootcause/shallow", 3);
    lint_done();
}

/* Saying what should have happened is not asking why it did not. */
static void test_shallow_fires_on_counterfactual_defences(void **state)
{
    (void)state;
    assert_fires("# Streams buffering\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The template used one TTL variable for live and recorded manifests.\n"
                 "\n"
                 "The change should have gone through the canary stage. If it had, the\n"
                 "canary probe would have caught the stale manifests, and review should\n"
                 "have spotted the shared variable.\n",
                 "rootcause/shallow", 3);
    lint_done();
}

/* "Why didn't we notice?" asks about detection, like "why no alert?". */
static void test_shallow_silent_on_why_not_noticed(void **state)
{
    (void)state;
    assert_silent("# Search returning nothing\n"
                  "\n"
                  "## Why it happened\n"
                  "\n"
                  "The ranking code assumed every index server had the new field.\n"
                  "\n"
                  "Why didn't we notice before shipping? The canary only reaches two index\n"
                  "servers, and both had the field.\n",
                  "rootcause/shallow");
    lint_done();
}

/* "Two things came together. First ... Second ..." names two conditions. */
static void test_single_cause_silent_on_two_things_together(void **state)
{
    (void)state;
    assert_silent("# Sync delayed\n"
                  "\n"
                  "## Why it happened\n"
                  "\n"
                  "Two things came together. The migration locked the table while it built\n"
                  "an index, and it ran at the busiest hour of the morning.\n",
                  "rootcause/single-cause");
    lint_done();
}

static void test_single_cause_silent_on_enumerated_conditions(void **state)
{
    (void)state;
    assert_silent("# Sync delayed\n"
                  "\n"
                  "## Root cause\n"
                  "\n"
                  "First, the migration locked the table while it built an index. Second,\n"
                  "it ran at the busiest hour of the morning.\n",
                  "rootcause/single-cause");
    lint_done();
}

/* A paragraph on what would have happened restates the one cause. */
static void test_single_cause_fires_despite_counterfactual_paragraph(void **state)
{
    (void)state;
    assert_fires("# Dashboards stale\n"
                 "\n"
                 "## Root cause\n"
                 "\n"
                 "The runbook for moving partitions says to set a replication throttle\n"
                 "first. This step was skipped, so replication traffic filled the network\n"
                 "links of the brokers and the consumers fell two hours behind.\n"
                 "\n"
                 "If the throttle had been set, the lag would have cleared within minutes\n"
                 "and none of the dashboard users would have seen stale numbers.\n",
                 "rootcause/single-cause", 3);
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shallow_fires_on_one_level),
        cmocka_unit_test(test_shallow_fires_without_root_cause),
        cmocka_unit_test(test_shallow_silent_on_five_whys),
        cmocka_unit_test(test_shallow_silent_on_prose_about_defences),
        cmocka_unit_test(test_human_error_fires),
        cmocka_unit_test(test_human_error_silent_when_analysis_goes_on),
        cmocka_unit_test(test_bullets_not_numbers_fires),
        cmocka_unit_test(test_bullets_not_numbers_silent_on_numbers),
        cmocka_unit_test(test_single_cause_fires),
        cmocka_unit_test(test_single_cause_silent_with_contributing_factors),
        cmocka_unit_test(test_unnumbered_branches_fires),
        cmocka_unit_test(test_unnumbered_branches_silent_on_branch_numbers),
        cmocka_unit_test(test_shallow_fires_on_short_why_chain),
        cmocka_unit_test(test_human_error_fires_on_legacy_component),
        cmocka_unit_test(test_human_error_silent_on_legacy_mention),
        cmocka_unit_test(test_single_cause_silent_on_a_second_thing),
        cmocka_unit_test(test_shallow_silent_on_whys_about_two_defences),
        cmocka_unit_test(test_single_cause_silent_on_whys_about_two_defences),
        cmocka_unit_test(test_shallow_fires_on_whys_about_mechanism),
        cmocka_unit_test(test_shallow_fires_on_counterfactual_defences),
        cmocka_unit_test(test_shallow_silent_on_why_not_noticed),
        cmocka_unit_test(test_single_cause_silent_on_two_things_together),
        cmocka_unit_test(test_single_cause_silent_on_enumerated_conditions),
        cmocka_unit_test(test_single_cause_fires_despite_counterfactual_paragraph),
        cmocka_unit_test(test_human_error_follows_the_whys_of_shallow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
