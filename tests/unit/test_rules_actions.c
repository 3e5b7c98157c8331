/* test_rules_actions.c: unit tests of rules_actions and of the action item forms the parser reads.
 */
#include "harness.h"

#include <string.h>

/* A complete, well-formed register: every rule must stay silent on it. */
static const char good_table[] =
    "# Checkout errors for 9% of shoppers\n"
    "\n"
    "## Lessons learned\n"
    "\n"
    "1. Pool limits were copied between services without load data.\n"
    "2. Nothing paged on pool saturation.\n"
    "\n"
    "## Action items\n"
    "\n"
    "| # | Action | Owner | Due | Priority | Lesson | Status | Link |\n"
    "|---|---|---|---|---|---|---|---|\n"
    "| 1 | Size the checkout pool from the p99 load test (40 connections) | @maria | 2026-12-10 | "
    "P1 | #1 | open | |\n"
    "| 2 | Page on-call when pool wait time exceeds 200 ms for 5 minutes | Ken Ito | 2026-12-05 | "
    "P2 | #2 | done | https://git.example.com/ops/pull/12 |\n";

static void test_good_register_is_clean(void **state)
{
    (void)state;
    const char *rules[] = {
        "actions/not-numbered", "actions/investigate",       "actions/vague",
        "actions/no-owner",     "actions/team-owner",        "actions/no-deadline",
        "actions/no-priority",  "actions/no-lesson-link",    "actions/boil-the-ocean",
        "actions/overdue",      "actions/done-without-link", "actions/deadline-too-far"};
    lint_md(good_table);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (findings_of(rules[i]))
            print_findings();
        assert_int_equal(findings_of(rules[i]), 0);
    }
    assert_int_equal(last_doc()->action_count, 2);
    lint_done();
}

static const char bullets[] =
    "# Search down\n"
    "\n"
    "## Action items\n"
    "\n"
    "- Investigate why the index job retried forever\n"
    "- Improve monitoring\n"
    "- Add a 3-retry limit to the index job (owner: @dana, due 2026-12-01, P1)\n";

static void test_investigate_fires_on_the_item(void **state)
{
    (void)state;
    assert_fires(bullets, "actions/investigate", 5);
    assert_int_equal(findings_of("actions/investigate"), 1);
    lint_done();
}

static void test_investigate_silent_on_a_concrete_change(void **state)
{
    (void)state;
    assert_silent(
        "# A\n\n## Action items\n\n- Add a retry limit of 3 to the index job, then alert\n",
        "actions/investigate");
    lint_done();
}

static void test_investigate_reads_past_we_will(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Follow-ups\n\n- We should consider a versioned config format\n",
                 "actions/investigate", 5);
    lint_done();
}

static void test_vague_fires_on_improve_monitoring(void **state)
{
    (void)state;
    assert_fires(bullets, "actions/vague", 6);
    assert_int_equal(findings_of("actions/vague"), 1);
    lint_done();
}

static void test_vague_fires_on_comparatives(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Action items\n\n- Add more tests\n- Be more careful with deploys\n",
                 "actions/vague", 5);
    assert_true(fires_at("actions/vague", 6));
    /* An issue number is a reference, not a figure that makes the item concrete. */
    assert_fires("# A\n\n## Action items\n\n- Better explain the upgrade steps (@lin) — #2208\n",
                 "actions/vague", 5);
    lint_done();
}

static void test_vague_silent_on_a_threshold(void **state)
{
    (void)state;
    assert_silent(
        "# A\n\n## Action items\n\n- Set up alerting for file watch usage above 80% of the limit\n"
        "- Increase rate limits so operators can poll more frequently\n",
        "actions/vague");
    assert_silent("# A\n\n## Action items\n\n- Better retry policy: 3 attempts with 2 s backoff "
                  "(@lin) — #2208\n",
                  "actions/vague");
    lint_done();
}

static void test_no_owner_fires_and_handle_is_an_owner(void **state)
{
    (void)state;
    assert_fires(bullets, "actions/no-owner", 5);
    assert_false(fires_at("actions/no-owner", 7));
    lint_done();
}

static void test_no_owner_silent_with_paren_handle_and_name(void **state)
{
    (void)state;
    assert_silent("# A\n\n## Action items\n\n- Add a retry limit to the index job (@dana)\n"
                  "- Rotate the deploy key (owner: Priya Shah)\n",
                  "actions/no-owner");
    lint_done();
}

static void test_no_owner_reads_a_status_in_parentheses_as_no_owner(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Action items\n\n- Pin the base image digest (Done)\n",
                 "actions/no-owner", 5);
    lint_done();
}

static void test_team_owner_fires_on_a_team(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Action items\n\n- Add a DLQ alert at 50 messages (owner: SRE team)\n",
                 "actions/team-owner", 5);
    lint_done();
}

static void test_team_owner_fires_on_a_group_that_promises(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Next steps\n\nThe platform team will add a canary stage to the deploy "
                 "pipeline.\n",
                 "actions/team-owner", 5);
    /* Work under way, with the team as its subject. */
    assert_fires("# A\n\n## What we are doing\n\n- Our storage team is adding a quota alert at "
                 "85% of each volume\n",
                 "actions/team-owner", 5);
    lint_done();
}

static void test_team_owner_silent_on_a_person_and_on_we(void **state)
{
    (void)state;
    assert_silent("# A\n\n## Action items\n\n- Add a DLQ alert at 50 messages (owner: Priya Shah)\n"
                  "- We will pin the broker version in all environments\n",
                  "actions/team-owner");
    /* A team described, not a team at work on the item. */
    assert_silent("# A\n\n## Action items\n\n- Add a quota alert at 85% of each volume, as our "
                  "storage team is missing one (@kofi)\n",
                  "actions/team-owner");
    lint_done();
}

static void test_no_deadline_fires_on_issue_link_only(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Action items\n\n- Add a retry limit to the indexer "
                 "[#311](https://example.com/i/311)\n",
                 "actions/no-deadline", 5);
    lint_done();
}

static void test_no_deadline_silent_with_due_date(void **state)
{
    (void)state;
    assert_silent("# A\n\n## Action items\n\n- Add a retry limit to the indexer, due 2026-12-01\n",
                  "actions/no-deadline");
    lint_done();
}

static void test_no_priority_fires_and_ignores_priority_classes(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Action items\n\n- Implement priority-classes for critical workloads\n",
                 "actions/no-priority", 5);
    assert_null(last_doc()->actions[0].priority);
    lint_done();
}

static void test_no_priority_silent_with_tag(void **state)
{
    (void)state;
    assert_silent("# A\n\n## Action items\n\n- [P1] Add a retry limit to the indexer\n"
                  "- Rotate the deploy key (priority: high)\n",
                  "actions/no-priority");
    lint_done();
}

static void test_alarm_set_to_high_priority_is_not_a_priority(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Action items\n\n- Change the indexer alarm to high priority\n",
                 "actions/no-priority", 5);
    lint_done();
}

static void test_no_actions_no_findings(void **state)
{
    (void)state;
    const char *text = "# A\n\n## Summary\n\nThe indexer stopped for an hour.\n";
    assert_silent(text, "actions/no-owner");
    assert_silent(text, "actions/no-deadline");
    assert_silent(text, "actions/no-priority");
    lint_done();
}

static void test_not_numbered(void **state)
{
    (void)state;
    assert_fires(bullets, "actions/not-numbered", 5);
    assert_silent(good_table, "actions/not-numbered");
    lint_done();
}

static void test_deadline_too_far(void **state)
{
    (void)state;
    const char *text = "---\ncreated: 2026-03-01\n---\n# A\n\n## Action items\n\n"
                       "1. Add a retry limit (owner: @dana, due 2026-06-30, P1)\n"
                       "2. Rotate the deploy key (owner: @dana, due 2026-03-20, P1)\n";
    assert_fires(text, "actions/deadline-too-far", 8);
    assert_int_equal(findings_of("actions/deadline-too-far"), 1);
    lint_done();
}

static void test_overdue_and_done(void **state)
{
    (void)state;
    const char *text = "# A\n\n## Action items\n\n"
                       "1. [ ] Add a retry limit (owner: @dana, due 2026-10-01, P1)\n"
                       "2. [x] Rotate the deploy key (owner: @dana, due 2026-10-01, P1)\n";
    assert_fires(text, "actions/overdue", 5);
    assert_int_equal(findings_of("actions/overdue"), 1);
    lint_done();
}

static void test_done_without_link(void **state)
{
    (void)state;
    const char *text = "# A\n\n## Action items\n\n"
                       "- [x] Rotate the deploy key\n"
                       "- [x] Pin the base image https://git.example.com/ops/pull/7\n";
    assert_fires(text, "actions/done-without-link", 5);
    assert_int_equal(findings_of("actions/done-without-link"), 1);
    lint_done();
}

static void test_no_lesson_link(void **state)
{
    (void)state;
    const char *text = "# A\n\n## Lessons learned\n\n1. Limits were guessed.\n\n## Action items\n\n"
                       "1. Size the pool from load data (lesson: #1)\n"
                       "2. Add a pool alert (lesson: #4)\n"
                       "3. Rotate the deploy key\n";
    lint_md(text);
    assert_false(fires_at("actions/no-lesson-link", 9));
    assert_true(fires_at("actions/no-lesson-link", 10));
    assert_true(fires_at("actions/no-lesson-link", 11));
    lint_done();
}

static void test_boil_the_ocean(void **state)
{
    (void)state;
    assert_fires(
        "# A\n\n## Action items\n\n1. Rewrite the entire billing system in a new language\n",
        "actions/boil-the-ocean", 5);
    assert_silent("# A\n\n## Action items\n\n1. Replace the retry loop in the billing worker with "
                  "a capped backoff\n",
                  "actions/boil-the-ocean");
    lint_done();
}

static void test_prose_lines_under_actions_are_items(void **state)
{
    (void)state;
    lint_md("# A\n\n## Corrective and preventative measures\n\n"
            "Add negative tests for every amount field.\n"
            "Hire a second on-call engineer for the weekend.\n");
    assert_int_equal(last_doc()->action_count, 2);
    assert_int_equal(last_doc()->actions[1].pos.line, 6);
    lint_done();
}

static void test_commitments_are_items_without_an_actions_section(void **state)
{
    (void)state;
    lint_md("# A\n\n## Response\n\nWe revoked the token. We will add an expiry to every\n"
            "deploy token. The weather was fine.\n");
    assert_int_equal(last_doc()->action_count, 1);
    assert_null(last_doc()->actions[0].owner);
    assert_int_equal(last_doc()->actions[0].pos.line, 5);
    lint_done();
}

static void test_table_makes_lists_legends(void **state)
{
    (void)state;
    lint_md("# A\n\n## Action items\n\n* P0 - must ship this week\n* P1 - this quarter\n\n"
            "| Action | Priority |\n|---|---|\n| Add a pool alert | P0 |\n");
    assert_int_equal(last_doc()->action_count, 1);
    assert_string_equal(last_doc()->actions[0].priority, "P0");
    lint_done();
}

/* A review with no purpose or outcome only looks; one with a purpose is work. */
static void test_investigate_fires_on_a_bare_review(void **state)
{
    (void)state;
    assert_fires(
        "# A\n\n## Action items\n\n- Reviewing our disk replacement checklist.\n"
        "- Review bucket policies to remove public read access (owner: @li, due 2026-12-01, P2)\n",
        "actions/investigate", 5);
    assert_int_equal(findings_of("actions/investigate"), 1);
    lint_done();
}

/* Dash-separated fields: the owner may come before the date. */
static void test_owner_between_dashes(void **state)
{
    (void)state;
    assert_fires("# A\n\n## Follow-ups\n\n- Cap the runner disruption budget at 20% — SRE team — "
                 "due 2026-12-05\n",
                 "actions/team-owner", 5);
    assert_string_equal(last_doc()->actions[0].owner, "SRE team");
    lint_done();
}

/* "Dana to update …" names Dana; "Plan to …" names no one. */
static void test_owner_as_headline_subject(void **state)
{
    (void)state;
    lint_md("# A\n\n## Action items\n\n- Dana to update the failover runbook by 2026-12-01\n"
            "- Plan to move the export job off peak hours\n");
    assert_int_equal(last_doc()->action_count, 2);
    assert_string_equal(last_doc()->actions[0].owner, "Dana");
    assert_null(last_doc()->actions[1].owner);
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_register_is_clean),
        cmocka_unit_test(test_investigate_fires_on_the_item),
        cmocka_unit_test(test_investigate_silent_on_a_concrete_change),
        cmocka_unit_test(test_investigate_reads_past_we_will),
        cmocka_unit_test(test_vague_fires_on_improve_monitoring),
        cmocka_unit_test(test_vague_fires_on_comparatives),
        cmocka_unit_test(test_vague_silent_on_a_threshold),
        cmocka_unit_test(test_no_owner_fires_and_handle_is_an_owner),
        cmocka_unit_test(test_no_owner_silent_with_paren_handle_and_name),
        cmocka_unit_test(test_no_owner_reads_a_status_in_parentheses_as_no_owner),
        cmocka_unit_test(test_team_owner_fires_on_a_team),
        cmocka_unit_test(test_team_owner_fires_on_a_group_that_promises),
        cmocka_unit_test(test_team_owner_silent_on_a_person_and_on_we),
        cmocka_unit_test(test_no_deadline_fires_on_issue_link_only),
        cmocka_unit_test(test_no_deadline_silent_with_due_date),
        cmocka_unit_test(test_no_priority_fires_and_ignores_priority_classes),
        cmocka_unit_test(test_no_priority_silent_with_tag),
        cmocka_unit_test(test_alarm_set_to_high_priority_is_not_a_priority),
        cmocka_unit_test(test_no_actions_no_findings),
        cmocka_unit_test(test_not_numbered),
        cmocka_unit_test(test_deadline_too_far),
        cmocka_unit_test(test_overdue_and_done),
        cmocka_unit_test(test_done_without_link),
        cmocka_unit_test(test_no_lesson_link),
        cmocka_unit_test(test_boil_the_ocean),
        cmocka_unit_test(test_prose_lines_under_actions_are_items),
        cmocka_unit_test(test_commitments_are_items_without_an_actions_section),
        cmocka_unit_test(test_table_makes_lists_legends),
        cmocka_unit_test(test_investigate_fires_on_a_bare_review),
        cmocka_unit_test(test_owner_between_dashes),
        cmocka_unit_test(test_owner_as_headline_subject),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
