/* test_rules_communication.c: unit tests of rules_communication. */
#include "harness.h"

static void test_missing_fires_when_customers_hit(void **state)
{
    (void)state;
    assert_fires("---\n"
                 "title: Customers unable to pay by card for 41 minutes\n"
                 "customer_facing: true\n"
                 "---\n"
                 "## Impact\n"
                 "\n"
                 "9,800 card payments failed between 14:02 and 14:43 UTC.\n",
                 "communication/missing", 2);
    lint_done();
}

/* Without front matter, customers hit are read from the text. */
static void test_missing_fires_from_text(void **state)
{
    (void)state;
    assert_fires("# Checkout errors\n"
                 "\n"
                 "## Summary\n"
                 "\n"
                 "For 41 minutes customers could not check out on the web site.\n",
                 "communication/missing", 1);
    lint_done();
}

/* A plan to set up a status page is not a record of what was said. */
static void test_missing_fires_when_only_planned(void **state)
{
    (void)state;
    assert_fires("# Checkout errors\n"
                 "\n"
                 "## Summary\n"
                 "\n"
                 "For 41 minutes customers could not check out on the web site.\n"
                 "\n"
                 "## Action items\n"
                 "\n"
                 "1. Set up a public status page to tell customers about outages.\n",
                 "communication/missing", 1);
    lint_done();
}

static void test_missing_silent_with_status_page_entry(void **state)
{
    (void)state;
    assert_silent("# Checkout errors\n"
                  "\n"
                  "## Summary\n"
                  "\n"
                  "For 41 minutes customers could not check out on the web site.\n"
                  "\n"
                  "## Timeline (UTC)\n"
                  "\n"
                  "- 14:15 Status page updated: checkout failing, investigating\n",
                  "communication/missing");
    lint_done();
}

static void test_missing_silent_when_nobody_hit(void **state)
{
    (void)state;
    assert_silent("# Leaked deploy token\n"
                  "\n"
                  "## Summary\n"
                  "\n"
                  "A deploy token was exposed for 2 hours and revoked. No customers were\n"
                  "affected.\n",
                  "communication/missing");
    lint_done();
}

/* "Customers impacted | None" in an impact table says nobody was hit. */
static void test_missing_silent_on_impact_table_none(void **state)
{
    (void)state;
    assert_silent("# Script injection in a CI workflow\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "| Customers Impacted | Customer Data Loss | Exposure Window |\n"
                  "| --- | --- | --- |\n"
                  "| None | None | ~17d |\n",
                  "communication/missing");
    lint_done();
}

/* A banner the operator's own terminal shows tells no customer anything. */
static void test_missing_fires_when_banner_is_not_for_customers(void **state)
{
    (void)state;
    assert_fires("# Portal read-only\n"
                 "\n"
                 "## Summary\n"
                 "\n"
                 "For 52 minutes customers could not update their accounts. The engineer\n"
                 "missed the production banner in the terminal.\n",
                 "communication/missing", 1);
    lint_done();
}

/* What went well may recount what customers were told. */
static void test_missing_silent_when_lessons_recount_telling(void **state)
{
    (void)state;
    assert_silent("# Stale reports\n"
                  "\n"
                  "## Summary\n"
                  "\n"
                  "For 9 hours customers could not export current reports.\n"
                  "\n"
                  "## What went well\n"
                  "\n"
                  "- Account managers contacted the 40 largest affected customers that day.\n",
                  "communication/missing");
    lint_done();
}

/* E-mails the product sends are its output, not word to the customers. */
static void test_missing_fires_on_product_emails(void **state)
{
    (void)state;
    assert_fires("# Invoices failing to save\n"
                 "\n"
                 "## Summary\n"
                 "\n"
                 "Some customers saw errors when saving invoices, and scheduled invoice\n"
                 "e-mails went out late.\n",
                 "communication/missing", 1);
    lint_done();
}

static void test_missing_silent_on_update_emails(void **state)
{
    (void)state;
    assert_silent("# Invoices failing to save\n"
                  "\n"
                  "## Summary\n"
                  "\n"
                  "Customers saw errors when saving invoices for 40 minutes. Update e-mails\n"
                  "were sent to the account owners at 10:15 and 11:02 UTC.\n",
                  "communication/missing");
    lint_done();
}

/* "No data was lost" leaves the people locked out affected. */
static void test_missing_fires_when_only_data_is_safe(void **state)
{
    (void)state;
    assert_fires("# Members logged out of the app\n"
                 "\n"
                 "## Summary\n"
                 "\n"
                 "For 61 minutes members could not stay logged in to the mobile app.\n"
                 "No data was lost or exposed.\n",
                 "communication/missing", 1);
    lint_done();
}

/* Viewers are people served, like users. */
static void test_missing_fires_for_viewers(void **state)
{
    (void)state;
    assert_fires("# Streams buffering\n"
                 "\n"
                 "## Impact\n"
                 "\n"
                 "About 41,000 viewers experienced buffering on live channels.\n",
                 "communication/missing", 1);
    lint_done();
}

static void test_missing_silent_when_nobody_affected(void **state)
{
    (void)state;
    assert_silent("# Backups skipped for six days\n"
                  "\n"
                  "## Impact\n"
                  "\n"
                  "No customers were affected and no data was lost.\n",
                  "communication/missing");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_fires_when_customers_hit),
        cmocka_unit_test(test_missing_fires_from_text),
        cmocka_unit_test(test_missing_fires_when_only_planned),
        cmocka_unit_test(test_missing_silent_with_status_page_entry),
        cmocka_unit_test(test_missing_silent_when_nobody_hit),
        cmocka_unit_test(test_missing_silent_on_impact_table_none),
        cmocka_unit_test(test_missing_fires_when_banner_is_not_for_customers),
        cmocka_unit_test(test_missing_silent_when_lessons_recount_telling),
        cmocka_unit_test(test_missing_fires_on_product_emails),
        cmocka_unit_test(test_missing_silent_on_update_emails),
        cmocka_unit_test(test_missing_fires_when_only_data_is_safe),
        cmocka_unit_test(test_missing_fires_for_viewers),
        cmocka_unit_test(test_missing_silent_when_nobody_affected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
