/* test_rules_summary.c: unit tests of rules_summary. */
#include "harness.h"

#include <string.h>

static const char good[] =
    "# Shoppers unable to pay by card for 41 minutes\n"
    "\n"
    "## Summary\n"
    "payment-router sends every card payment to the bank after a fraud check. On\n"
    "2026-03-10 from 14:04 to 14:45 UTC (41 minutes), 3,870 card payments from EU\n"
    "shoppers were declined because a new fraud model was too slow. We rolled the\n"
    "model back. Shoppers were told on the status page at 14:27 UTC.\n";

static size_t element_findings(const struct dbf_review *r, const char *element)
{
    size_t n = 0;
    for (size_t i = 0; i < r->finding_count; i++)
        if (strcmp(r->findings[i].rule, "summary/missing-element") == 0 &&
            strstr(r->findings[i].message, element))
            n++;
    return n;
}

static void test_missing_element_fires_per_element(void **state)
{
    (void)state;
    const struct dbf_review *r =
        lint_md("# Checkout errors\n\n"
                "## Summary\n"
                "On Tuesday morning some customers saw errors at checkout\n"
                "after a config change lowered the pool size. We raised\n"
                "it again.\n");
    assert_true(fires_at("summary/missing-element", 3));
    assert_int_equal(element_findings(r, "time window"), 1);
    assert_int_equal(element_findings(r, "quantified impact"), 1);
    assert_int_equal(element_findings(r, "duration"), 1);
    assert_int_equal(element_findings(r, "service context"), 1);
    assert_int_equal(element_findings(r, "no cause"), 0);
    assert_int_equal(element_findings(r, "resolution"), 0);
    lint_done();
}

static void test_missing_element_silent_on_a_complete_summary(void **state)
{
    (void)state;
    assert_silent(good, "summary/missing-element");
    /* "No customers were affected" quantifies the impact of a near miss. */
    const struct dbf_review *r =
        lint_md("# Backups skipped for three nights\n\n"
                "## Summary\n"
                "The backup job, which copies the ledger database to cold\n"
                "storage, skipped runs from 01:00 UTC on 3 May to 01:00 UTC\n"
                "on 6 May after a cron typo; no customers were affected. We\n"
                "fixed the schedule.\n");
    assert_int_equal(element_findings(r, "quantified impact"), 0);
    /* No summary section: structure/missing-section speaks for it. */
    assert_silent("# Checkout errors\n\n## Timeline\n- 10:00 UTC errors\n",
                  "summary/missing-element");
    lint_done();
}

static void test_too_long(void **state)
{
    (void)state;
    struct dbf_buf text_buf;
    dbf_buf_init(&text_buf, 0);
    dbf_buf_adds(&text_buf, "# Title\n\n## Summary\n");
    for (int i = 0; i < 20; i++)
        dbf_buf_adds(&text_buf, "The search indexer fell behind and we kept looking at it.\n");
    const char *text = text_buf.data;
    assert_fires(text, "summary/too-long", 3);
    assert_silent(good, "summary/too-long");
    struct dbf_config *config = dbf_config_new();
    dbf_config_set_option(config, "summary/too-long", "words", 400);
    lint_md_with(text, config);
    assert_int_equal(findings_of("summary/too-long"), 0);
    dbf_config_free(config);
    dbf_buf_release(&text_buf);
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_element_fires_per_element),
        cmocka_unit_test(test_missing_element_silent_on_a_complete_summary),
        cmocka_unit_test(test_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
