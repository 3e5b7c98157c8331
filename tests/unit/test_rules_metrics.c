/* test_rules_metrics.c: unit tests of rules_metrics. */
#include "harness.h"

static const char customer_facing_no_data[] =
    "---\n"
    "title: Customers unable to pay by card for 41 minutes\n"
    "customer_facing: true\n"
    "---\n"
    "# Customers unable to pay by card for 41 minutes\n"
    "\n"
    "## Impact\n"
    "\n"
    "9,800 card payments failed between 14:02 and 14:43 UTC.\n";

static void test_none_fires_at_title(void **state)
{
    (void)state;
    assert_fires(customer_facing_no_data, "metrics/none", 2);
    lint_done();
}

static void test_none_silent_with_graph_or_front_matter(void **state)
{
    (void)state;
    assert_silent(
        "---\ncustomer_facing: true\nmetrics:\n  - file: metrics/failures.csv\n"
        "    title: Failed card payments\n    unit: payments/min\n    label: Failed payments\n"
        "---\n# Customers unable to pay by card\n\n## Impact\n\n9,800 payments failed.\n",
        "metrics/none");
    assert_silent(
        "---\ncustomer_facing: true\n---\n# Customers unable to pay by card\n\n"
        "## Metrics\n\n![Failed card payments per minute, 13:30-15:30 UTC](img/failures.png)\n",
        "metrics/none");
    /* Not customer-facing: nothing to show customers' impact with. */
    assert_silent("---\ncustomer_facing: false\n---\n# Staging cluster rebuilt\n\n"
                  "## Impact\n\nNo customers were affected.\n",
                  "metrics/none");
    lint_done();
}

static void test_linked_not_embedded(void **state)
{
    (void)state;
    assert_fires("# Checkout slow\n\n## Metrics\n\n"
                 "- [Checkout overview](https://grafana.example.com/d/checkout-overview)\n"
                 "- [Orders DB](https://grafana.example.com/d/orders-db)\n",
                 "metrics/linked-not-embedded", 5);
    /* Dashboard links are that finding, not metrics/none's as well. */
    assert_silent("---\ncustomer_facing: true\n---\n# Checkout slow for shoppers\n\n## Metrics\n\n"
                  "- [Checkout overview](https://grafana.example.com/d/checkout-overview)\n",
                  "metrics/none");
    assert_silent("# Checkout slow\n\n## Metrics\n\n"
                  "![Checkout 5xx per second, impact window shaded](img/5xx.png)\n\n"
                  "Source: [Checkout overview](https://grafana.example.com/d/checkout-overview)\n",
                  "metrics/linked-not-embedded");
    lint_done();
}

static void test_too_many(void **state)
{
    (void)state;
    const char text[] = "# Checkout slow\n\n## Metrics\n\n"
                        "![5xx rate](img/1.png)\n\n![p99 latency](img/2.png)\n\n"
                        "![DB connections](img/3.png)\n\n![DB CPU](img/4.png)\n\n"
                        "![DB IO](img/5.png)\n\n![Memory](img/6.png)\n\n![GC pauses](img/7.png)\n";
    assert_fires(text, "metrics/too-many", 17);
    assert_int_equal(findings_of("metrics/too-many"), 1);
    assert_silent("# Checkout slow\n\n## Metrics\n\n![5xx rate](img/1.png)\n\n"
                  "![DB connections in use vs pool size](img/2.png)\n\n![p99 latency](img/3.png)\n",
                  "metrics/too-many");
    lint_done();
}

static void test_unlabeled_axis(void **state)
{
    (void)state;
    assert_fires("---\nmetrics:\n  - file: metrics/latency.csv\n    title: Checkout latency\n---\n"
                 "# Checkout slow\n",
                 "metrics/unlabeled-axis", 3);
    assert_silent("---\nmetrics:\n  - file: metrics/latency.csv\n    title: Checkout latency\n"
                  "    unit: ms\n    label: p99 latency of POST /checkout\n---\n# Checkout slow\n",
                  "metrics/unlabeled-axis");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none_fires_at_title),
        cmocka_unit_test(test_none_silent_with_graph_or_front_matter),
        cmocka_unit_test(test_linked_not_embedded),
        cmocka_unit_test(test_too_many),
        cmocka_unit_test(test_unlabeled_axis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
