/* test_rules_timeline.c: unit tests of rules_timeline and of the timeline
 * forms the parser reads. */
#include "harness.h"

#include <string.h>

/* A timeline that meets the standard: zone, trigger first, milestones, no gaps. */
static const char good[] = "# Card payments declined for 22% of EU shoppers\n"
                           "\n"
                           "## Timeline\n"
                           "\n"
                           "All times UTC.\n"
                           "\n"
                           "- 2026-03-10 14:00 Fraud model 7.2 promoted to every region [trigger]\n"
                           "- 14:04 Card declines start rising in eu-central\n"
                           "- 14:15 Decline-rate alert pages the payments on-call engineer\n"
                           "- 14:22 Incident declared; fraud-scoring on-call engineer paged\n"
                           "- 14:36 Scoring timeouts identified as the cause of the declines\n"
                           "- 14:40 Rollback of model 7.2 started\n"
                           "- 14:45 Declines back to normal; incident resolved\n";

static void test_good_timeline_is_clean(void **state)
{
    (void)state;
    const char *rules[] = {"timeline/no-timezone",
                           "timeline/mixed-timezones",
                           "timeline/starts-at-detection",
                           "timeline/gap",
                           "timeline/out-of-order",
                           "timeline/missing-milestone",
                           "timeline/names-not-roles",
                           "timeline/unparsable-time",
                           "timeline/no-date"};
    lint_md(good);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (findings_of(rules[i]))
            print_findings();
        assert_int_equal(findings_of(rules[i]), 0);
    }
    assert_int_equal(last_doc()->timeline_count, 7);
    lint_done();
}

static void test_no_timezone_fires_on_first_time(void **state)
{
    (void)state;
    assert_fires("# Search slow\n\n## Timeline\n\n- 09:02 Index job deployed\n"
                 "- 09:10 Latency alert fires\n",
                 "timeline/no-timezone", 5);
    lint_done();
}

static void test_no_timezone_silent_when_stated(void **state)
{
    (void)state;
    /* "Timeline (UTC)", a zone on one entry, or a zone beside a time in the prose. */
    assert_silent("# Search slow\n\n## Timeline (UTC)\n\n- 09:02 Index job deployed\n"
                  "- 09:10 Latency alert fires\n",
                  "timeline/no-timezone");
    assert_silent("# Search slow\n\n## Timeline\n\n- 09:02 PDT Index job deployed\n"
                  "- 09:10 Latency alert fires\n",
                  "timeline/no-timezone");
    assert_silent("# Search slow\n\nThe job was deployed at 9 AM PST.\n\n## Timeline\n\n"
                  "- 09:02 Index job deployed\n- 09:10 Latency alert fires\n",
                  "timeline/no-timezone");
    /* A declaration that names the zone in words and then abbreviates it. */
    assert_silent("# Search slow\n\n## Timeline\n\nTimes are US Pacific (PDT).\n\n"
                  "- 09:02 Index job deployed\n- 09:10 Latency alert fires\n",
                  "timeline/no-timezone");
    assert_string_equal(last_doc()->timeline_zone, "PDT");
    /* Dates without clock times are not a timeline with clock times. */
    assert_silent("# Bad release\n\n## Timeline\n\n| Date | Event |\n|---|---|\n"
                  "| 2026-01-04 | Faulty merge |\n| 2026-01-09 | Release |\n",
                  "timeline/no-timezone");
    lint_done();
}

static void test_mixed_timezones(void **state)
{
    (void)state;
    assert_fires("# Uploads failing\n\n## Timeline\n\n- 15:04 UTC Storage maintenance starts\n"
                 "- 08:10 PDT Upload error alert fires\n- 15:22 UTC Uploads failing for 40%\n",
                 "timeline/mixed-timezones", 6);
    assert_silent("# Uploads failing\n\n## Timeline\n\n- 15:04 UTC Storage maintenance starts\n"
                  "- 15:10 Z Upload error alert fires\n- 15:22 +00:00 Uploads failing\n",
                  "timeline/mixed-timezones");
    lint_done();
}

static void test_starts_at_detection(void **state)
{
    (void)state;
    assert_fires("# Hub down\n\n## Timeline (UTC)\n\n"
                 "### 07:30 - First report\n\nStudents report that the hub does not load.\n\n"
                 "### 07:42\n\nNode limit raised; launches back to normal.\n",
                 "timeline/starts-at-detection", 5);
    assert_fires("# Token leak\n\n## Timeline (UTC)\n\n"
                 "- 2026-02-01 10:12 A researcher submits a disclosure report\n"
                 "- 2026-02-01 11:00 Token revoked\n",
                 "timeline/starts-at-detection", 5);
    /* A question about what looks wrong, and a ticket passed on from a
     * customer, are reports. */
    assert_fires("# Payroll files short\n\n## Timeline (UTC)\n\n"
                 "- 08:05 Payroll team asks in #hr-systems why only half the files arrived\n"
                 "- 08:40 Export job re-run\n",
                 "timeline/starts-at-detection", 5);
    assert_fires("# Old prices shown\n\n## Timeline (UTC)\n\n"
                 "- 11:20 Account manager forwards a ticket from a retail customer\n"
                 "- 11:45 Price cache flushed\n",
                 "timeline/starts-at-detection", 5);
    /* Tickets received, an issue a user opens, a ticket about what they see
     * (the symptom in their quoted words is the report, not its start). */
    assert_fires("# Reminders late\n\n## Timeline (UTC)\n\n"
                 "- 10:04 We get the first customer tickets saying reminders arrive late\n"
                 "- 10:30 Scheduler restarted\n",
                 "timeline/starts-at-detection", 5);
    assert_fires("# Bad checksum\n\n## Timeline (UTC)\n\n"
                 "- 16:40 A packager opens #912: \"checksum mismatch on 4.1 tarball\"\n"
                 "- 17:05 Tarball re-uploaded\n",
                 "timeline/starts-at-detection", 5);
    assert_fires("# Maps blank\n\n## Timeline (UTC)\n\n"
                 "- 08:12 Support hands over a second ticket this hour about maps \"stuck "
                 "loading\"\n"
                 "- 08:30 Tile cache flushed\n",
                 "timeline/starts-at-detection", 5);
    lint_done();
}

static void test_starts_at_trigger_is_silent(void **state)
{
    (void)state;
    assert_silent("# Hub down\n\n## Timeline (UTC)\n\n- 07:02 Chart upgrade deployed\n"
                  "- 07:30 Students report that the hub does not load\n",
                  "timeline/starts-at-detection");
    /* An entry whose time is unknown still counts: here it is the trigger. */
    assert_silent("# CI slow\n\n## Timeline (UTC)\n\n"
                  "* [???] Build cache volume fills up and runners start degrading\n"
                  "* [13:26] A maintainer reports on Slack that jobs are stuck\n"
                  "* [14:11] Node problems identified\n",
                  "timeline/starts-at-detection");
    assert_int_equal(last_doc()->timeline_count, 3);
    /* The symptom in the entry's own words is the impact beginning. */
    assert_silent("# Maps blank\n\n## Timeline (UTC)\n\n"
                  "- 08:02 Map tiles stuck loading; support receives the first tickets\n"
                  "- 08:30 Tile cache flushed\n",
                  "timeline/starts-at-detection");
    /* A change merged by opening a pull request is the trigger. */
    assert_silent("# Bad checksum\n\n## Timeline (UTC)\n\n"
                  "- 16:10 Release PR merged and tarball published\n"
                  "- 16:40 A packager opens #912 about a checksum mismatch\n",
                  "timeline/starts-at-detection");
    lint_done();
}

static void test_gap_fires_at_later_entry(void **state)
{
    (void)state;
    const char text[] = "# Checkout errors\n\n## Timeline (UTC)\n\n"
                        "- 14:02 Checkout errors start after the tax deploy\n"
                        "- 14:10 Payments on-call starts investigating checkout errors\n"
                        "- 14:48 Feature flag turned off; errors stop, service restored\n";
    assert_fires(text, "timeline/gap", 7);
    assert_int_equal(findings_of("timeline/gap"), 1);
    /* "The monitoring bot" is a system that posted, not someone watching. */
    assert_fires("# Transfers paused\n\n## Timeline (UTC)\n\n"
                 "- 01:10 Transfers start failing after the limits deploy\n"
                 "- 01:12 The monitoring bot posts an alert in the ops channel\n"
                 "- 02:20 The on-call engineer sees the alert and rolls back\n"
                 "- 02:31 Transfers back to normal\n",
                 "timeline/gap", 7);
    lint_done();
}

/* A text that says the failure went unnoticed explains the quiet hours
 * before the response began, and those only. */
static void test_gap_before_response_explained_when_unnoticed(void **state)
{
    (void)state;
    const char timeline[] = "## Timeline (UTC)\n\n"
                            "- 01:10 Transfers start failing after the limits deploy\n"
                            "- 01:12 The monitoring bot posts an alert in the ops channel\n"
                            "- 02:20 The on-call engineer sees the alert and rolls back\n"
                            "- 02:31 Transfers back to normal\n"
                            "- 03:45 Every transfer confirmed; incident resolved\n";
    char text[1024];
    snprintf(text, sizeof text, "# Transfers paused\n\n%s", timeline);
    lint_md(text);
    assert_true(fires_at("timeline/gap", 7));
    assert_true(fires_at("timeline/gap", 9));
    snprintf(text, sizeof text,
             "# Transfers paused\n\n## Summary\n\nThe failures went unnoticed for an "
             "hour.\n\n%s",
             timeline);
    lint_md(text);
    assert_false(fires_at("timeline/gap", 11));
    assert_true(fires_at("timeline/gap", 13));
    lint_done();
}

static void test_gap_explained_or_short_is_silent(void **state)
{
    (void)state;
    assert_silent("# Checkout errors\n\n## Timeline (UTC)\n\n"
                  "- 14:02 Checkout errors start after the tax deploy\n"
                  "- 14:10 Restore from snapshot started, waiting for it to finish\n"
                  "- 14:48 Restore complete; service restored\n",
                  "timeline/gap");
    /* A backlog draining, or a failure that repeats every night unattended,
     * says what the time went on. */
    assert_silent("# Receipts late\n\n## Timeline (UTC)\n\n"
                  "- 09:00 Receipt worker crashes on a bad message; receipts start queueing\n"
                  "- 09:06 Queue-depth alert pages the on-call engineer\n"
                  "- 09:14 Bad message skipped; the backlog drains at 2,000 receipts a minute\n"
                  "- 09:40 Queue empty; service restored\n",
                  "timeline/gap");
    assert_silent("# Archive copies missing\n\n## Timeline (UTC)\n\n"
                  "- 2026-05-01 01:00 Archive upload fails with an access error; this repeats "
                  "nightly\n"
                  "- 2026-05-06 09:30 Weekly archive check reports missing copies\n"
                  "- 2026-05-06 09:41 Access policy corrected; upload re-run\n"
                  "- 2026-05-06 09:55 Copies verified; incident resolved\n",
                  "timeline/gap");
    assert_silent("# Checkout errors\n\n## Timeline (UTC)\n\n"
                  "- 14:02 Checkout errors start after the tax deploy\n"
                  "- 14:14 Payments on-call paged\n"
                  "- 14:25 Flag turned off; service restored\n"
                  "- 16:00 Follow-up review scheduled\n",
                  "timeline/gap");
    /* A copy estimated to take an hour, with progress posted as it goes. */
    assert_silent("# Downloads failing\n\n## Timeline (UTC)\n\n"
                  "- 10:00 Lifecycle rule deletes archives; downloads start failing\n"
                  "- 10:09 Users report failed installs\n"
                  "- 10:20 Copy from the backup bucket starts, estimated 70 minutes\n"
                  "- 10:20 Progress posted to the status page every 20 minutes\n"
                  "- 11:32 Copy complete; downloads back to normal\n",
                  "timeline/gap");
    /* A fix that can only be seen working at the next scheduled run. */
    assert_silent("# Reports not sent\n\n## Timeline (UTC)\n\n"
                  "- 2026-04-02 06:00 Daily report job does not start; reports not sent\n"
                  "- 2026-04-02 09:10 Customers report missing reports\n"
                  "- 2026-04-02 09:25 Schedule corrected; next run shown as 2026-04-03 06:00\n"
                  "- 2026-04-03 06:00 Daily report job runs; reports sent, incident resolved\n",
                  "timeline/gap");
    lint_done();
}

static void test_gap_option(void **state)
{
    (void)state;
    struct dbf_config *config = dbf_config_new();
    dbf_config_set_today(config, (struct dbf_date){2026, 11, 26});
    assert_true(dbf_config_set_option(config, "timeline/gap", "minutes", 60));
    lint_md_with("# Checkout errors\n\n## Timeline (UTC)\n\n"
                 "- 14:02 Checkout errors start after the tax deploy\n"
                 "- 14:48 Flag turned off; service restored\n",
                 config);
    assert_int_equal(findings_of("timeline/gap"), 0);
    dbf_config_free(config);
    lint_done();
}

static void test_out_of_order(void **state)
{
    (void)state;
    assert_fires("# Billing export\n\n## Timeline (UTC)\n\n- 22:40 Nightly export starts\n"
                 "- 23:15 Export job fails\n- 23:05 Lifecycle rule deletes the prefix\n",
                 "timeline/out-of-order", 7);
    /* Midnight rollover is not out of order. */
    assert_silent("# Billing export\n\n## Timeline (UTC)\n\n- 22:40 Nightly export starts\n"
                  "- 23:55 Export job fails\n- 00:10 Retry succeeds\n",
                  "timeline/out-of-order");
    lint_done();
}

static void test_missing_milestone_one_per_milestone(void **state)
{
    (void)state;
    const char text[] = "# API down\n\n## Timeline (UTC)\n\n"
                        "- 06:58 Certificate for the public API expires [trigger]\n"
                        "- 07:04 Synthetic check for the public API starts failing\n"
                        "- 07:40 API responding normally again\n";
    assert_fires(text, "timeline/missing-milestone", 3);
    assert_int_equal(findings_of("timeline/missing-milestone"),
                     3); /* detection, escalation, mitigation */
    lint_done();
}

static void test_names_not_roles(void **state)
{
    (void)state;
    assert_fires("# Queue full\n\n## Timeline (UTC)\n\n"
                 "- 03:12 Disk usage alert on the queue cluster; Priya acked the page\n"
                 "- 03:20 @tomasz looks at the broker logs\n",
                 "timeline/names-not-roles", 5);
    assert_true(fires_at("timeline/names-not-roles", 6));
    assert_silent("# Queue full\n\n## Timeline (UTC)\n\n"
                  "- 03:12 Disk usage alert; primary on-call acked the page\n"
                  "- 03:20 Messaging on-call looks at the broker logs\n",
                  "timeline/names-not-roles");
    /* Teams and tools act in timelines too; they are not people. */
    assert_silent("# Queue full\n\n## Timeline (UTC)\n\n"
                  "- 03:12 Support reports failed payments from three merchants\n"
                  "- 03:20 Datadog noticed the queue age; Security joined the call\n",
                  "timeline/names-not-roles");
    lint_done();
}

static void test_unparsable_time(void **state)
{
    (void)state;
    const char text[] = "# Warehouse slow\n\n## Timeline (UTC)\n\n- 14:05 Import job starts\n"
                        "- 14:7 Warehouse CPU at 100%\n- around lunch Analysts report timeouts\n";
    assert_fires(text, "timeline/unparsable-time", 6);
    assert_true(fires_at("timeline/unparsable-time", 7));
    assert_silent("# Warehouse slow\n\n## Timeline (UTC)\n\n- 14:05 Import job starts\n"
                  "- 14:07 Warehouse CPU at 100%\n- 14:30 (approximate) Analysts report timeouts\n",
                  "timeline/unparsable-time");
    lint_done();
}

static void test_no_date(void **state)
{
    (void)state;
    assert_fires("# Reports missing\n\n## Timeline (UTC)\n\n- 16:20 Replica lag starts growing\n"
                 "- 23:40 Nightly reports fail\n- 09:15 Finance reports missing figures\n"
                 "- 17:30 Replica rebuilt\n- 08:00 Reports re-run\n",
                 "timeline/no-date", 7);
    assert_silent("# Reports missing\n\n## Timeline (UTC)\n\n"
                  "- 2026-03-30 16:20 Replica lag starts growing\n"
                  "- 2026-03-31 09:15 Finance reports missing figures\n"
                  "- 2026-04-02 08:00 Reports re-run\n",
                  "timeline/no-date");
    /* One night crossed within a day is read from the clock. */
    assert_silent("# Reports missing\n\n## Timeline (UTC)\n\n- 22:20 Replica lag starts growing\n"
                  "- 23:40 Nightly reports fail\n- 01:15 Reports re-run\n",
                  "timeline/no-date");
    lint_done();
}

static void test_key_events_give_way_to_full_timeline(void **state)
{
    (void)state;
    lint_md("# Incident on 2026-01-11\n\n"
            "- **Key events**\n"
            "  - First detected 2026-01-11 14:22\n"
            "  - Incident declared 2026-01-11 15:17\n"
            "  - Resolved 2026-01-11 15:51\n\n"
            "- **Context**:\n"
            "  - 2026-01-11 14:10 Registry password rotated\n"
            "  - 2026-01-11 14:22 Engineer observes failed image pulls\n"
            "  - 2026-01-11 15:17 Incident is declared\n"
            "  - 2026-01-11 15:51 Image pulls working again, incident resolved\n");
    const struct dbf_doc *doc = last_doc();
    assert_int_equal(doc->timeline_count, 4);
    assert_string_equal(doc->timeline[0].text, "Registry password rotated");
    lint_done();
}

static void test_gap_silent_when_a_watch_period_ends(void **state)
{
    (void)state;
    /* The closing entry says the half hour was the watch period before closing. */
    const char *text =
        "# Search down for all users\n\n## Timeline (UTC)\n\n"
        "- 14:02 Index deploy rolled out to every cluster [trigger]\n"
        "- 14:05 Search errors alert fires [detected]\n"
        "- 14:09 Incident declared, incident commander paged [escalated]\n"
        "- 14:12 Deploy rolled back [mitigation]\n"
        "- 14:15 Errors back to normal\n"
        "- 14:45 Incident closed after 30 minutes of nominal performance [resolved]\n";
    assert_silent(text, "timeline/gap");
    lint_done();
}

static void test_names_not_roles_silent_on_chat_broadcasts(void **state)
{
    (void)state;
    assert_silent("# Search down for all users\n\n## Timeline (UTC)\n\n"
                  "- 14:02 the on-call engineer: @here search is failing for everyone\n"
                  "- 14:05 the incident commander: @channel rolling back now\n",
                  "timeline/names-not-roles");
    assert_fires("# Search down for all users\n\n## Timeline (UTC)\n\n"
                 "- 14:02 @dana: search is failing for everyone\n",
                 "timeline/names-not-roles", 5);
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_not_roles_silent_on_chat_broadcasts),
        cmocka_unit_test(test_gap_silent_when_a_watch_period_ends),
        cmocka_unit_test(test_good_timeline_is_clean),
        cmocka_unit_test(test_no_timezone_fires_on_first_time),
        cmocka_unit_test(test_no_timezone_silent_when_stated),
        cmocka_unit_test(test_mixed_timezones),
        cmocka_unit_test(test_starts_at_detection),
        cmocka_unit_test(test_starts_at_trigger_is_silent),
        cmocka_unit_test(test_gap_fires_at_later_entry),
        cmocka_unit_test(test_gap_before_response_explained_when_unnoticed),
        cmocka_unit_test(test_gap_explained_or_short_is_silent),
        cmocka_unit_test(test_gap_option),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_missing_milestone_one_per_milestone),
        cmocka_unit_test(test_names_not_roles),
        cmocka_unit_test(test_unparsable_time),
        cmocka_unit_test(test_no_date),
        cmocka_unit_test(test_key_events_give_way_to_full_timeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
