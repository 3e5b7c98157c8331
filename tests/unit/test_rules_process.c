/* test_rules_process.c: unit tests of rules_process. */
#include "harness.h"

#include <string.h>

/* A post mortem that follows the workflow: every process rule is silent on it. */
static const char good[] =
    "---\n"
    "status: published\n"
    "visibility: internal\n"
    "owner_team: payments\n"
    "authors: [Marta Kovac]\n"
    "reviewer: Hana Sato\n"
    "reviewer_team: search\n"
    "incident:\n"
    "  resolved: 2026-03-10T14:45:00Z\n"
    "created: 2026-03-11T09:00:00Z\n"
    "review_started: 2026-03-16T10:00:00Z\n"
    "published: 2026-03-19T15:00:00Z\n"
    "---\n"
    "# Card payments declined for 22% of EU shoppers\n"
    "\n"
    "## Summary\n"
    "\n"
    "The fraud check timed out and card payments were declined. See https://status.example.com.\n";

static void test_good_workflow_is_clean(void **state)
{
    (void)state;
    const char *rules[] = {
        "process/late-draft",    "process/late-completion",         "process/short-review",
        "process/no-reviewer",   "process/security-not-restricted", "process/no-owner",
        "process/sensitive-data"};
    lint_md(good);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (findings_of(rules[i]))
            print_findings();
        assert_int_equal(findings_of(rules[i]), 0);
    }
    lint_done();
}

static void test_late_draft(void **state)
{
    (void)state;
    assert_fires("---\nstatus: draft\nincident:\n  resolved: 2026-03-10T14:45:00Z\ncreated: "
                 "2026-03-14\n---\n# A\n",
                 "process/late-draft", 5);
    assert_silent("---\nstatus: draft\nincident:\n  resolved: 2026-03-10T14:45:00Z\ncreated: "
                  "2026-03-11\n---\n# A\n",
                  "process/late-draft");
    lint_done();
}

static void test_late_completion_against_today(void **state)
{
    (void)state;
    assert_fires("---\nstatus: review\nincident:\n  resolved: 2026-10-01T10:00:00Z\n---\n# A\n",
                 "process/late-completion", 2);
    assert_silent("---\nstatus: review\nincident:\n  resolved: 2026-11-20T10:00:00Z\n---\n# A\n",
                  "process/late-completion");
    lint_done();
}

static void test_late_completion_by_published_date(void **state)
{
    (void)state;
    assert_fires("---\nstatus: published\nincident:\n  resolved: 2026-03-01T10:00:00Z\npublished: "
                 "2026-03-20\n---\n# A\n",
                 "process/late-completion", 5);
    lint_done();
}

static void test_short_review(void **state)
{
    (void)state;
    assert_fires("---\nstatus: published\nreview_started: 2026-03-06T09:00:00Z\npublished: "
                 "2026-03-06T12:00:00Z\n---\n# A\n",
                 "process/short-review", 4);
    assert_silent(
        "---\nstatus: published\nreview_started: 2026-03-05\npublished: 2026-03-06\n---\n# A\n",
        "process/short-review");
    lint_done();
}

static void test_no_reviewer_fires_on_an_author(void **state)
{
    (void)state;
    assert_fires(
        "---\nstatus: review\nowner_team: payments\nauthors: [Marta Kovac]\nreviewer: Marta Kovac\n"
        "reviewer_team: search\n---\n# A\n",
        "process/no-reviewer", 5);
    lint_done();
}

static void test_no_reviewer_fires_on_the_owner_team_and_on_none(void **state)
{
    (void)state;
    assert_fires("---\nstatus: review\nowner_team: payments\nreviewer: Luis Ortega\nreviewer_team: "
                 "payments\n---\n# A\n",
                 "process/no-reviewer", 5);
    assert_fires("---\nstatus: review\nowner_team: payments\n---\n# A\n", "process/no-reviewer", 2);
    lint_done();
}

static void test_workflow_rules_silent_without_front_matter(void **state)
{
    (void)state;
    const char *text = "# Search down\n\n## Summary\n\nSearch was down for 20 minutes.\n";
    assert_silent(text, "process/no-reviewer");
    assert_silent(text, "process/no-owner");
    assert_silent(text, "process/late-completion");
    lint_done();
}

static void test_no_owner(void **state)
{
    (void)state;
    assert_fires("---\nstatus: draft\nreviewer: Hana Sato\n---\n# A\n", "process/no-owner", 2);
    assert_silent("---\nstatus: draft\nowner_team: payments\n---\n# A\n", "process/no-owner");
    lint_done();
}

static void test_security_not_restricted(void **state)
{
    (void)state;
    assert_fires("---\nsecurity: true\nvisibility: public\n---\n# A\n",
                 "process/security-not-restricted", 3);
    assert_silent("---\nsecurity: true\n---\n# A\n", "process/security-not-restricted");
    assert_fires("---\nstatus: draft\nvisibility: internal\n---\n# A\n\nA leaked token was used to "
                 "push a tag.\n",
                 "process/security-not-restricted", 3);
    lint_done();
}

static void test_sensitive_data_email_ip_host(void **state)
{
    (void)state;
    lint_md("# A\n\nThe page went to oncall@shop.io.\n\nThe pod at 10.4.2.17 restarted.\n\n"
            "```\nconnect db-07.prod.internal:5432 refused\n```\n");
    assert_true(fires_at("process/sensitive-data", 3));
    assert_true(fires_at("process/sensitive-data", 5));
    assert_true(fires_at("process/sensitive-data", 8));
    lint_done();
}

/* The message of the first sensitive-data finding of TEXT, or "". */
static const char *sensitive_message(const char *text)
{
    const struct dbf_review *r = lint_md(text);
    for (size_t i = 0; i < r->finding_count; i++)
        if (strcmp(r->findings[i].rule, "process/sensitive-data") == 0)
            return r->findings[i].message;
    return "";
}

/* Addresses where the rule's cheap scans for where one can start meet the
 * edges: at a block's first byte, three digits before the first dot, after
 * a harmless address, an IPv6 one after an early colon. */
static void test_sensitive_data_addresses_at_the_edges(void **state)
{
    (void)state;
    static const struct {
        const char *text, *shown;
    } cases[] = {
        {"# A\n\n10.2.3.4 answered.\n", "'10.2.3.4'"},
        {"# A\n\n192.168.10.20 answered.\n", "'192.168.10.20'"},
        {"# A\n\nAt 9.30 (not 127.0.0.1) then 172.16.5.9 answered.\n", "'172.16.5.9'"},
        {"# A\n\nfe80:0:0:0:0:0:0:1 answered.\n", "'fe80:0:0:0:0:0:0:1'"},
        {"# A\n\nAt 10:42: 2001:db8:85a3:0:0:8a2e:370:7334 answered.\n",
         "'2001:db8:85a3:0:0:8a2e:370:7334'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *message = sensitive_message(cases[i].text);
        if (!strstr(message, cases[i].shown))
            fail_msg("'%s': '%s'", cases[i].text, message);
        lint_done();
    }
    assert_silent("# A\n\nVersion 1.2 at 10:42 and 3.4; ports 80:443.\n", "process/sensitive-data");
    lint_done();
}

static void test_sensitive_data_secret_in_code(void **state)
{
    (void)state;
    assert_fires("# A\n\n```python\nclient = Client(api_key=\"sk9f83JD02kdP3mQ0x7Lw2\")\n```\n",
                 "process/sensitive-data", 4);
    lint_done();
}

static void test_sensitive_data_silent_on_versions_and_public_names(void **state)
{
    (void)state;
    assert_silent(
        "# A\n\nWe upgraded ingress-nginx to v1.14.3.0 and the node-ipc package; see "
        "https://github.com/org/repo and status.example.com. Bind to 0.0.0.0 or 127.0.0.1.\n"
        "The token was redacted as $TOKEN$ and api_key=<redacted>.\n",
        "process/sensitive-data");
    lint_done();
}

static void test_sensitive_data_silent_when_restricted(void **state)
{
    (void)state;
    assert_silent("---\nvisibility: restricted\n---\n# A\n\nThe pod at 10.4.2.17 restarted.\n",
                  "process/sensitive-data");
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_workflow_is_clean),
        cmocka_unit_test(test_late_draft),
        cmocka_unit_test(test_late_completion_against_today),
        cmocka_unit_test(test_late_completion_by_published_date),
        cmocka_unit_test(test_short_review),
        cmocka_unit_test(test_no_reviewer_fires_on_an_author),
        cmocka_unit_test(test_no_reviewer_fires_on_the_owner_team_and_on_none),
        cmocka_unit_test(test_workflow_rules_silent_without_front_matter),
        cmocka_unit_test(test_no_owner),
        cmocka_unit_test(test_security_not_restricted),
        cmocka_unit_test(test_sensitive_data_email_ip_host),
        cmocka_unit_test(test_sensitive_data_addresses_at_the_edges),
        cmocka_unit_test(test_sensitive_data_secret_in_code),
        cmocka_unit_test(test_sensitive_data_silent_on_versions_and_public_names),
        cmocka_unit_test(test_sensitive_data_silent_when_restricted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
