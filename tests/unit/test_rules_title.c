/* test_rules_title.c: unit tests of rules_title. */
#include "harness.h"

static void test_states_cause_fires_on_mechanism(void **state)
{
    (void)state;
    assert_fires("# Connection pool exhaustion on orders-db\n\nText.\n", "title/states-cause", 1);
    assert_fires("---\ntitle: Expired certificate on the API gateway\n---\nText.\n",
                 "title/states-cause", 2);
    assert_fires("# 2026-01-05 Redis outage\n\nText.\n", "title/states-cause", 1);
    /* A component and "incident" alone is about the part that broke. */
    assert_fires("# Ledger sync incident response\n\nText.\n", "title/states-cause", 1);
    /* A component that failed, with nobody it hit. */
    assert_fires("# Weekly payout export job failed\n\nText.\n", "title/states-cause", 1);
    /* Load from outside is a cause too. */
    assert_fires("# Product launch traffic surge\n\nText.\n", "title/states-cause", 1);
    /* The change the trouble followed is its cause, said outright. */
    assert_fires("# Weekly exports skipped for two weeks after scheduler config edit\n\nText.\n",
                 "title/states-cause", 1);
    lint_done();
}

static void test_states_cause_silent_on_the_problem_people_had(void **state)
{
    (void)state;
    assert_silent("# Customers unable to place orders for 41 minutes in the EU\n\nText.\n",
                  "title/states-cause");
    assert_silent("# Invoices delayed after the ledger migration\n\nText.\n", "title/states-cause");
    assert_silent("# Incident report: 2026-01-05\n\nText.\n", "title/states-cause");
    assert_silent("# Security incident disclosure\n\nText.\n", "title/states-cause");
    /* The people and what they met, even in the mechanism's words. */
    assert_silent("# Tenants saw stale invoices in the billing portal for 3 hours\n\nText.\n",
                  "title/states-cause");
    assert_silent("# Report exports failed for 120 merchants\n\nText.\n", "title/states-cause");
    /* "After" a time or an event people saw is not a cause. */
    assert_silent("# Exports skipped for two weeks after the holidays\n\nText.\n",
                  "title/states-cause");
    assert_silent("## Summary\n\nNo title at all.\n", "title/states-cause");
    lint_done();
}

static void test_no_customer_impact_fires(void **state)
{
    (void)state;
    assert_fires("# Website outage\n\nText.\n", "title/no-customer-impact", 1);
    assert_fires("# 2026-02-03 - Kafka broker crash\n\nText.\n", "title/no-customer-impact", 1);
    /* No title at all: the reader cannot tell who was hit. */
    assert_fires("## Summary\n\nThe importer stopped.\n", "title/no-customer-impact", 1);
    /* A party word that only qualifies a thing names what broke, not who was hit. */
    assert_fires("# Leaked customer database password rotated\n\nText.\n",
                 "title/no-customer-impact", 1);
    assert_fires("# Stolen developer API key used to push a bad image\n\nText.\n",
                 "title/no-customer-impact", 1);
    lint_done();
}

static void test_no_customer_impact_silent_when_people_or_symptom_named(void **state)
{
    (void)state;
    assert_silent("# Merchants unable to download payout reports\n\nText.\n",
                  "title/no-customer-impact");
    assert_silent("# All instances unavailable for 2 hours\n\nText.\n", "title/no-customer-impact");
    assert_silent("# Data team's nightly reports delayed by 9 hours\n\nText.\n",
                  "title/no-customer-impact");
    /* A feature people use that stopped doing its job for them. */
    assert_silent("# Photos stopped uploading from the phone app\n\nText.\n",
                  "title/no-customer-impact");
    /* Something people do, held back. */
    assert_silent("# Wallet payouts halted for 6 hours\n\nText.\n", "title/no-customer-impact");
    assert_silent("# Stolen developer tokens exposed 40 customer accounts\n\nText.\n",
                  "title/no-customer-impact");
    lint_done();
}

static void test_missing_scope(void **state)
{
    (void)state;
    assert_fires("# Merchants unable to download payout reports\n\nText.\n", "title/missing-scope",
                 1);
    /* A date says when, not how long. */
    assert_fires("# 2026-03-02 Shoppers unable to log in\n\nText.\n", "title/missing-scope", 1);
    assert_silent("# Merchants unable to download payout reports for 3 hours\n\nText.\n",
                  "title/missing-scope");
    assert_silent("# Checkout errors for EU customers\n\nText.\n", "title/missing-scope");
    assert_silent("# Card payments declined for 22% of shoppers\n\nText.\n", "title/missing-scope");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_states_cause_fires_on_mechanism),
        cmocka_unit_test(test_states_cause_silent_on_the_problem_people_had),
        cmocka_unit_test(test_no_customer_impact_fires),
        cmocka_unit_test(test_no_customer_impact_silent_when_people_or_symptom_named),
        cmocka_unit_test(test_missing_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
