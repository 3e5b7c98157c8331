/* test_rules_response.c: unit tests of rules_response. */
#include "harness.h"

static const char partial[] =
    "# Checkout errors for 9% of shoppers\n"
    "\n"
    "## Response\n"
    "\n"
    "### Detection\n"
    "\n"
    "The 5xx alert paged the payments on-call 7 minutes after errors began.\n"
    "\n"
    "### Mitigation\n"
    "\n"
    "Reverting the pool-size change took 12 minutes through the normal pipeline.\n";

static void test_missing_phase_one_per_phase(void **state)
{
    (void)state;
    assert_fires(partial, "response/missing-phase", 3);
    assert_int_equal(findings_of("response/missing-phase"), 2); /* diagnosis, blast radius */
    lint_done();
}

static void test_missing_phase_silent_when_complete(void **state)
{
    (void)state;
    assert_silent(
        "# Checkout errors for 9% of shoppers\n\n## Response\n\n### Detection\n\n"
        "The 5xx alert paged the payments on-call 7 minutes after errors began.\n\n"
        "### Diagnosis\n\nThe on-call engineer found the exhausted pool after 14 minutes.\n\n"
        "### Mitigation\n\nReverting the pool-size change took 12 minutes.\n\n"
        "### Blast radius\n\nAll regions were affected at once because config changes "
        "are not staged.\n",
        "response/missing-phase");
    /* A resolution section alone is not a response analysis. */
    assert_silent("# Checkout errors\n\n## Resolution\n\nThe change was reverted.\n",
                  "response/missing-phase");
    lint_done();
}

static void test_missing_phase_serious_incident_without_analysis(void **state)
{
    (void)state;
    static const char no_analysis[] = "---\nseverity: SEV-2\n---\n"
                                      "# Shoppers unable to pay by card for 20 minutes\n"
                                      "\n"
                                      "## Summary\n"
                                      "Card payments failed from 10:00 to 10:20 UTC.\n";
    assert_fires(no_analysis, "response/missing-phase", 4);
    assert_int_equal(findings_of("response/missing-phase"), 1);
    /* A minor internal incident may leave the analysis out. */
    assert_silent("---\nseverity: SEV-4\n---\n# Nightly report job ran twice\n\n"
                  "## Summary\nThe job ran twice on 3 March.\n",
                  "response/missing-phase");
    lint_done();
}

static void test_no_improvement(void **state)
{
    (void)state;
    assert_fires("# Checkout errors\n\n## Response\n\n### Detection\n\n"
                 "Detection took 18 minutes. Monitoring needs to be better.\n",
                 "response/no-improvement", 5);
    assert_silent("# Checkout errors\n\n## Response\n\n### Detection\n\n"
                  "Detection took 18 minutes: the only alert was on the hourly order count.\n"
                  "An alert on a checkout 5xx ratio above 2% for 3 minutes will page within 4\n"
                  "minutes of onset (action 2).\n",
                  "response/no-improvement");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_phase_one_per_phase),
        cmocka_unit_test(test_missing_phase_silent_when_complete),
        cmocka_unit_test(test_missing_phase_serious_incident_without_analysis),
        cmocka_unit_test(test_no_improvement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
