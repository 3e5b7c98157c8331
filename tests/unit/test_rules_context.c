/* test_rules_context.c: unit tests of rules_context. */
#include "harness.h"

static void test_undefined_acronym_fires_at_first_use(void **state)
{
    (void)state;
    lint_md("# Ledger backups stopped\n"
            "\n"
            "## Summary\n"
            "From 02:10 to 02:55 UTC the ledger's WAL volume filled up and the\n"
            "PITR backups stopped. The WAL grew again later.\n");
    assert_true(fires_at("context/undefined-acronym", 4));
    assert_true(fires_at("context/undefined-acronym", 5));
    assert_int_equal(findings_of("context/undefined-acronym"), 2); /* one per acronym */
    /* Plurals are uses too. */
    assert_fires("# T\n\nWe resized the PVCs of the hub.\n", "context/undefined-acronym", 3);
    lint_done();
}

static void test_undefined_acronym_silent_when_explained(void **state)
{
    (void)state;
    assert_silent("# T\n\nThe write-ahead log (WAL) filled up. The WAL was 40 GB.\n",
                  "context/undefined-acronym");
    assert_silent("# T\n\nThe WAL (write-ahead log) filled up.\n", "context/undefined-acronym");
    assert_silent("# T\n\nThe Chialisp Virtual Machine (CLVM) looped.\n",
                  "context/undefined-acronym");
    assert_silent("# T\n\nThe PITR backups stopped.\n\n## Glossary\n"
                  "- **PITR**: point-in-time recovery\n",
                  "context/undefined-acronym");
    /* Common acronyms, zones, code, shouting and amounts are not jargon. */
    assert_silent("# T\n\nAt 09:10 PST the API returned HTTP 500 over TLS; see `GKE_NODE`.\n\n"
                  "```\nRWO PVC\n```\n\nWe did NOT roll back. 2.7m USDC moved.\n",
                  "context/undefined-acronym");
    lint_done();
}

static void test_undefined_acronym_not_fooled_by_near_expansions(void **state)
{
    (void)state;
    /* The colon introduces a file name, not the acronym's long form. */
    assert_fires("# T\n\nThe notebook that rebuilt the PVCs: [pvc-list.ipynb](x.ipynb)\n",
                 "context/undefined-acronym", 3);
    /* A small count before it is not an amount: "3 EKS clusters". */
    assert_fires("# T\n\nWe run 3 EKS clusters.\n", "context/undefined-acronym", 3);
    lint_done();
}

static void test_undefined_acronym_configured_list(void **state)
{
    (void)state;
    struct dbf_config *config = dbf_config_new();
    dbf_config_allow_acronym(config, "WAL");
    lint_md_with("# T\n\nThe WAL filled up.\n", config);
    assert_int_equal(findings_of("context/undefined-acronym"), 0);
    dbf_config_free(config);
    lint_done();
}

static void test_no_architecture(void **state)
{
    (void)state;
    assert_fires("---\nservices: [checkout-api, tax-service, orders-db]\n---\n"
                 "# T\n\n## Context\ncheckout-api asks tax-service for the tax.\n",
                 "context/no-architecture", 6);
    assert_silent("---\nservices: [checkout-api, tax-service]\n---\n"
                  "# T\n\n## Context\ncheckout-api asks tax-service.\n\n"
                  "```dot\ndigraph { a -> b }\n```\n",
                  "context/no-architecture");
    assert_silent("---\nservices: [checkout-api, tax-service]\n---\n"
                  "# T\n\n## Context\n![How checkout calls tax](arch.png)\n",
                  "context/no-architecture");
    assert_silent("---\nservices: [checkout-api]\n---\n# T\n\nText.\n", "context/no-architecture");
    lint_done();
}

static void test_undefined_acronym_silent_on_a_phrase_in_capitals(void **state)
{
    (void)state;
    /* Emphasis in capitals is not a run of acronyms; two short acronyms are. */
    assert_silent("# Search down for all users\n\n## Timeline\n\n"
                  "- 14:54 **OUTAGE BEGINS** search backends fail under load\n"
                  "- 16:00 **OUTAGE ENDS** all traffic served again\n",
                  "context/undefined-acronym");
    assert_fires("# Search down for all users\n\n## Timeline\n\n"
                 "- 14:54 the GKE PVC filled up and search failed\n",
                 "context/undefined-acronym", 5);
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_undefined_acronym_silent_on_a_phrase_in_capitals),
        cmocka_unit_test(test_undefined_acronym_fires_at_first_use),
        cmocka_unit_test(test_undefined_acronym_silent_when_explained),
        cmocka_unit_test(test_undefined_acronym_not_fooled_by_near_expansions),
        cmocka_unit_test(test_undefined_acronym_configured_list),
        cmocka_unit_test(test_no_architecture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
