/* test_timeline_analysis.c: the milestones, durations and gaps of `debrief timeline`. */
#include "harness.h"

#include "debrief/timeline.h"

#include <stdio.h>
#include <string.h>

static struct dbf_doc *doc;
static struct dbf_timeline_analysis *analysis;

/* Parses TEXT and analyses it with gaps over GAP_MINUTES; the result lives
 * until the next call or done(). */
static const struct dbf_timeline_analysis *analyse_gap(const char *text, int gap_minutes)
{
    dbf_timeline_analysis_free(analysis);
    dbf_doc_free(doc);
    doc = parse_doc(text);
    analysis = dbf_timeline_analyse(doc, (int64_t)gap_minutes * 60);
    assert_non_null(analysis);
    return analysis;
}

static const struct dbf_timeline_analysis *analyse(const char *text)
{
    return analyse_gap(text, 15);
}

static int done(void **state)
{
    (void)state;
    dbf_timeline_analysis_free(analysis);
    dbf_doc_free(doc);
    analysis = NULL;
    doc = NULL;
    return 0;
}

/* The milestone M as ISO 8601, or "null". */
static const char *iso(enum dbf_milestone m)
{
    static char buf[64];
    if (!analysis->milestone[m].known)
        return "null";
    return dbf_timeline_format(analysis, analysis->milestone[m].at, buf, sizeof buf);
}

/* The duration D in seconds, or -1 when unknown. */
static long long seconds(enum dbf_duration d)
{
    return analysis->has_duration[d] ? (long long)analysis->duration[d] : -1;
}

static const char front_matter_doc[] =
    "---\n"
    "timezone: UTC\n"
    "incident:\n"
    "  trigger: 2026-03-10T14:02:00Z\n"
    "  impact_start: 2026-03-10T14:04:00Z\n"
    "  detected: 2026-03-10T14:15:00Z\n"
    "  mitigated: 2026-03-10T14:45:00Z\n"
    "  resolved: 2026-03-10T14:50:00Z\n"
    "---\n"
    "# Card payments declined\n"
    "\n"
    "## Timeline\n"
    "\n"
    "- 2026-03-10 14:02 model v12 promoted everywhere [trigger]\n"
    "- 2026-03-10 14:15 decline-rate alert pages the on-call engineer [detected]\n"
    "- 2026-03-10 14:19 the on-call engineer pages the incident commander [escalated]\n"
    "- 2026-03-10 14:24 the on-call engineer finds the declines carry fraud_timeout\n"
    "- 2026-03-10 14:36 the cache miss rate explains the latency [diagnosed]\n"
    "- 2026-03-10 14:38 the commander chooses a rollback over a cache resize\n"
    "- 2026-03-10 14:40 rollback of v12 starts [mitigation]\n"
    "- 2026-03-10 14:45 decline rate back to normal [resolved]\n";

static void test_front_matter_first(void **state)
{
    (void)state;
    analyse(front_matter_doc);
    assert_string_equal(analysis->zone, "UTC");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-03-10T14:02:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_IMPACT_START), "2026-03-10T14:04:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-03-10T14:15:00+00:00");
    /* Tagged entries outrank wording: 14:36, not 14:24; 14:40, not 14:38. */
    assert_string_equal(iso(DBF_MILESTONE_ESCALATED), "2026-03-10T14:19:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_DIAGNOSED), "2026-03-10T14:36:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_MITIGATION_STARTED), "2026-03-10T14:40:00+00:00");
    /* incident.resolved wins over the timeline's last resolved entry. */
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-03-10T14:50:00+00:00");
    assert_int_equal(analysis->milestone[DBF_MILESTONE_TRIGGER].source, DBF_SOURCE_FRONT_MATTER);
    assert_int_equal(analysis->milestone[DBF_MILESTONE_TRIGGER].line, 4);
    assert_int_equal(analysis->milestone[DBF_MILESTONE_DIAGNOSED].source, DBF_SOURCE_TIMELINE);
    assert_int_equal(analysis->milestone[DBF_MILESTONE_DIAGNOSED].line, 18);

    assert_int_equal(seconds(DBF_TIME_TO_DETECT), 11 * 60);
    assert_int_equal(seconds(DBF_TIME_TO_ENGAGE), 4 * 60);
    assert_int_equal(seconds(DBF_TIME_TO_DIAGNOSE), 21 * 60);
    assert_int_equal(seconds(DBF_TIME_TO_MITIGATE), 14 * 60);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 46 * 60);
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 48 * 60);
    assert_int_equal(analysis->gap_count, 0);
    assert_int_equal(analysis->entry_count, 8);
    assert_true(analysis->first < analysis->last);
    assert_int_equal(analysis->note_count, 0);
}

static void test_timeline_only(void **state)
{
    (void)state;
    analyse(
        "# Search results stale\n"
        "\n"
        "## Timeline\n"
        "\n"
        "All times UTC.\n"
        "\n"
        "| Time | Event |\n"
        "|---|---|\n"
        "| 2026-04-02 09:00 | index rebuild job deployed with the new snapshot path [trigger] |\n"
        "| 2026-04-02 09:05 | stale results start [impact] |\n"
        "| 2026-04-02 09:41 | freshness alert fires [detected] |\n"
        "| 2026-04-02 09:47 | search on-call pulls in the indexing team [escalated] |\n"
        "| 2026-04-02 10:02 | snapshot path found to point at last week [diagnosed] |\n"
        "| 2026-04-02 10:05 | rebuild from the right snapshot started [mitigation] |\n"
        "| 2026-04-02 10:20 | results fresh again [resolved] |\n"
        "| 2026-04-02 10:30 | all clear given in the channel [resolved] |\n");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-04-02T09:00:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_IMPACT_START), "2026-04-02T09:05:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-04-02T09:41:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_ESCALATED), "2026-04-02T09:47:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_DIAGNOSED), "2026-04-02T10:02:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_MITIGATION_STARTED), "2026-04-02T10:05:00+00:00");
    /* Recovery is the last resolved entry. */
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-04-02T10:30:00+00:00");
    assert_int_equal(analysis->milestone[DBF_MILESTONE_RECOVERED].line, 16);
    assert_int_equal(seconds(DBF_TIME_TO_DETECT), 36 * 60);
    assert_int_equal(seconds(DBF_TIME_TO_ENGAGE), 6 * 60);
    assert_int_equal(seconds(DBF_TIME_TO_DIAGNOSE), 21 * 60);
    assert_int_equal(seconds(DBF_TIME_TO_MITIGATE), 28 * 60);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 85 * 60);
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 90 * 60);
    /* 09:05 → 09:41 is longer than 15 minutes; 09:47 → 10:02 is exactly 15. */
    assert_int_equal(analysis->gap_count, 1);
    assert_int_equal(analysis->gaps[0].seconds, 36 * 60);
    assert_int_equal(analysis->gaps[0].line, 11);
}

static void test_gap_threshold_and_order(void **state)
{
    (void)state;
    const char *text =
        "# Queue backlog\n"
        "\n"
        "## Timeline\n"
        "\n"
        "- 2026-05-01 10:00 alert fired [detected]\n"
        "- 2026-05-01 10:40 consumers restarted [mitigation]\n"
        "- 2026-05-01 10:20 logged after the fact: on-call looked at lag [escalated]\n"
        "- 2026-05-01 11:30 backlog drained [resolved]\n";
    analyse_gap(text, 15);
    /* In time order: 10:00, 10:20, 10:40, 11:30: three gaps over 15 min. */
    assert_int_equal(analysis->gap_count, 3);
    char from[64], to[64];
    assert_string_equal(dbf_timeline_format(analysis, analysis->gaps[0].from, from, sizeof from),
                        "2026-05-01T10:00:00+00:00");
    assert_string_equal(dbf_timeline_format(analysis, analysis->gaps[0].to, to, sizeof to),
                        "2026-05-01T10:20:00+00:00");
    assert_int_equal(analysis->gaps[0].line, 7);
    assert_int_equal(analysis->gaps[2].seconds, 50 * 60);
    assert_int_equal(analysis->gaps[2].line, 8);
    analyse_gap(text, 20);
    assert_int_equal(analysis->gap_count, 1); /* exactly 20 minutes is not longer */
    assert_int_equal(analysis->gaps[0].seconds, 50 * 60);
    analyse_gap(text, 60);
    assert_int_equal(analysis->gap_count, 0);
    assert_true(analysis->gap_threshold == 3600);
}

static void test_midnight_rollover(void **state)
{
    (void)state;
    analyse("# Billing run failed\n"
            "\n"
            "## Timeline\n"
            "\n"
            "All times UTC.\n"
            "\n"
            "- 2026-06-30 23:40 billing job deployed with the new schema [trigger]\n"
            "- 23:52 invoices start failing [impact]\n"
            "- 00:07 alert fired for failed invoices [detected]\n"
            "- 00:12 billing on-call paged the payments team [escalated]\n"
            "- 00:30 schema mismatch identified [diagnosed]\n"
            "- 00:35 rolled back the job [mitigation]\n"
            "- 00:50 invoices flowing again [resolved]\n");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-06-30T23:40:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-07-01T00:07:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-07-01T00:50:00+00:00");
    assert_int_equal(seconds(DBF_TIME_TO_DETECT), 15 * 60);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 58 * 60);
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 70 * 60);
}

static void test_multi_day(void **state)
{
    (void)state;
    analyse("# Replication lag\n"
            "\n"
            "## Timeline\n"
            "\n"
            "All times CET.\n"
            "\n"
            "- 2026-01-12 22:10 storage firmware upgrade rolled out [trigger]\n"
            "- 2026-01-12 22:30 replication lag starts growing [impact]\n"
            "- 2026-01-13 07:45 a customer reports stale reads [detected]\n"
            "- 2026-01-13 08:00 storage team paged [escalated]\n"
            "- 2026-01-13 11:20 firmware write cache found disabled [diagnosed]\n"
            "- 2026-01-13 12:00 firmware rolled back [mitigation]\n"
            "- 2026-01-14 03:30 replicas caught up [resolved]\n");
    assert_string_equal(analysis->zone, "CET");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-01-12T22:10:00+01:00");
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-01-14T03:30:00+01:00");
    assert_int_equal(seconds(DBF_TIME_TO_DETECT), 9 * 3600 + 15 * 60);
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 29 * 3600 + 20 * 60);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 29 * 3600);
    /* UTC is one hour behind: 21:10 UTC. */
    assert_true(analysis->milestone[DBF_MILESTONE_TRIGGER].at % 86400 == 21 * 3600 + 10 * 60);
    assert_int_equal(analysis->milestone[DBF_MILESTONE_TRIGGER].utc_offset, 60);
    /* Every step but 07:45 → 08:00 is over 15 minutes; the last runs to
     * 03:30 the next day. */
    assert_int_equal(analysis->gap_count, 5);
    assert_int_equal(analysis->gaps[1].seconds, 9 * 3600 + 15 * 60);
    assert_int_equal(analysis->gaps[4].seconds, 15 * 3600 + 30 * 60);
    assert_int_equal(analysis->gaps[4].line, 13);
}

static const char spring_forward[] = "---\n"
                                     "timezone: America/New_York\n"
                                     "---\n"
                                     "# Queue stalled\n"
                                     "\n"
                                     "## Timeline\n"
                                     "\n"
                                     "- 2026-03-08 01:40 worker v3 deployed [trigger]\n"
                                     "- 01:50 queue consumers start failing [impact]\n"
                                     "- 03:05 alert fired for queue depth [detected]\n"
                                     "- 03:10 platform team paged [escalated]\n"
                                     "- 03:30 bad config identified [diagnosed]\n"
                                     "- 03:40 worker rolled back [mitigation]\n"
                                     "- 03:55 queue back to normal [resolved]\n";

static void test_dst_spring_forward(void **state)
{
    (void)state;
    analyse(spring_forward);
    assert_string_equal(analysis->zone, "America/New_York");
    /* 02:00 EST became 03:00 EDT: 01:50 to 03:05 is 15 minutes. */
    assert_string_equal(iso(DBF_MILESTONE_IMPACT_START), "2026-03-08T01:50:00-05:00");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-03-08T03:05:00-04:00");
    assert_int_equal(seconds(DBF_TIME_TO_DETECT), 15 * 60);
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 75 * 60);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 65 * 60);
    assert_int_equal(analysis->milestone[DBF_MILESTONE_IMPACT_START].utc_offset, -300);
    assert_int_equal(analysis->milestone[DBF_MILESTONE_DETECTED].utc_offset, -240);
    char abbrev[16];
    assert_string_equal(dbf_timeline_abbrev(analysis,
                                            analysis->milestone[DBF_MILESTONE_DETECTED].at, abbrev,
                                            sizeof abbrev),
                        "EDT");
    /* 01:50 → 03:05 is not a gap although the clocks moved 75 minutes. */
    assert_int_equal(analysis->gap_count, 1);
    assert_int_equal(analysis->gaps[0].seconds, 20 * 60);
}

static void test_dst_fall_back(void **state)
{
    (void)state;
    /* 01:00-02:00 happens twice on 2026-11-01 in New York: an entry that
     * would run back before the one above it is the second pass. */
    analyse("# Disk filled\n"
            "\n"
            "## Timeline\n"
            "\n"
            "All times America/New_York.\n"
            "\n"
            "- 2026-11-01 01:20 log rotation cron job changed [trigger]\n"
            "- 01:50 disk latency started to climb [impact]\n"
            "- 01:10 alert fired for disk usage [detected]\n"
            "- 01:40 old logs deleted [mitigation]\n"
            "- 01:45 disk usage back to normal [resolved]\n");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-11-01T01:20:00-04:00");
    assert_string_equal(iso(DBF_MILESTONE_IMPACT_START), "2026-11-01T01:50:00-04:00");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-11-01T01:10:00-05:00");
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-11-01T01:45:00-05:00");
    assert_int_equal(seconds(DBF_TIME_TO_DETECT), 20 * 60);
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 85 * 60);
}

static void test_entry_zone_and_declared_zone(void **state)
{
    (void)state;
    /* Declared PT follows daylight saving time; an entry in UTC keeps its own. */
    analyse("# Login errors\n"
            "\n"
            "## Timeline\n"
            "\n"
            "All times PT.\n"
            "\n"
            "- 2026-07-14 09:00 auth config change deployed [trigger]\n"
            "- 2026-07-14 16:20 UTC alert fired for login errors [detected]\n"
            "- 2026-07-14 09:40 change reverted [mitigation]\n"
            "- 2026-07-14 09:45 logins back to normal [resolved]\n");
    assert_string_equal(analysis->zone, "America/Los_Angeles");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-07-14T09:00:00-07:00");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-07-14T09:20:00-07:00");
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 45 * 60);

    /* Front matter IANA zone, winter and summer offsets. */
    analyse("---\n"
            "timezone: Europe/Paris\n"
            "incident:\n"
            "  detected: 2026-07-01 10:00\n"
            "  resolved: 2026-07-01T09:30:00Z\n"
            "---\n"
            "# Checkout slow\n");
    assert_string_equal(analysis->zone, "Europe/Paris");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-07-01T10:00:00+02:00");
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-07-01T11:30:00+02:00");
    assert_int_equal(seconds(DBF_IMPACT_DURATION), -1);
}

static void test_zone_from_first_entry(void **state)
{
    (void)state;
    analyse("# Pager storm\n"
            "\n"
            "## Timeline\n"
            "\n"
            "- 2026-02-03 10:00 PST alerting rules deployed [trigger]\n"
            "- 2026-02-03 10:30 PST pages start flooding [detected]\n"
            "- 2026-02-03 11:00 PST rules reverted [mitigation]\n");
    assert_string_equal(analysis->zone, "PST");
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-02-03T10:30:00-08:00");
}

static void test_unknown_zone_is_noted(void **state)
{
    (void)state;
    analyse("---\n"
            "timezone: Mars/Olympus\n"
            "---\n"
            "# Rover offline\n"
            "\n"
            "## Timeline\n"
            "\n"
            "- 2026-02-03 10:00 antenna firmware pushed [trigger]\n"
            "- 2026-02-03 10:30 telemetry alarm [detected]\n");
    assert_string_equal(analysis->zone, "UTC");
    assert_int_equal(analysis->note_count, 1);
    assert_int_equal(analysis->notes[0].line, 2);
    assert_non_null(strstr(analysis->notes[0].message, "unknown time zone 'Mars/Olympus'"));
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-02-03T10:30:00+00:00");
}

static void test_bad_front_matter_times(void **state)
{
    (void)state;
    analyse("---\n"
            "incident:\n"
            "  trigger: last tuesday\n"
            "  detected: 14:15\n"
            "  resolved: 2026-03-10T15:00:00Z\n"
            "---\n"
            "# Something broke\n");
    assert_int_equal(analysis->note_count, 2);
    assert_int_equal(analysis->notes[0].line, 3);
    assert_non_null(
        strstr(analysis->notes[0].message, "incident.trigger 'last tuesday' is not a time"));
    assert_int_equal(analysis->notes[1].line, 4);
    assert_non_null(strstr(analysis->notes[1].message, "has no date"));
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "null");
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-03-10T15:00:00+00:00");
}

static void test_impact_start_falls_back_to_trigger(void **state)
{
    (void)state;
    analyse("# Cache flushed\n"
            "\n"
            "## Timeline\n"
            "\n"
            "- 2026-08-20 12:00 cache cluster config change deployed [trigger]\n"
            "- 2026-08-20 12:25 alert fired for hit ratio [detected]\n"
            "- 2026-08-20 13:00 hit ratio back to normal [resolved]\n");
    const struct dbf_moment *impact = &analysis->milestone[DBF_MILESTONE_IMPACT_START];
    assert_true(impact->known);
    assert_int_equal(impact->source, DBF_SOURCE_ASSUMED);
    assert_int_equal(impact->stands_for, DBF_MILESTONE_TRIGGER);
    assert_string_equal(iso(DBF_MILESTONE_IMPACT_START), "2026-08-20T12:00:00+00:00");
    assert_int_equal(seconds(DBF_TIME_TO_DETECT), 25 * 60);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 60 * 60);
    /* Without diagnosis or escalation those durations are unknown. */
    assert_int_equal(seconds(DBF_TIME_TO_ENGAGE), -1);
    assert_int_equal(seconds(DBF_TIME_TO_DIAGNOSE), -1);
    assert_int_equal(seconds(DBF_TIME_TO_MITIGATE), -1);
    assert_string_equal(iso(DBF_MILESTONE_MITIGATION_STARTED), "null");
}

static void test_mitigated_in_front_matter(void **state)
{
    (void)state;
    /* `mitigated` is when the impact stopped: recovery when nothing says
     * resolved, and the latest the mitigation can have started. */
    analyse("---\n"
            "incident:\n"
            "  impact_start: 2026-09-01T08:00:00Z\n"
            "  detected: 2026-09-01T08:10:00Z\n"
            "  mitigated: 2026-09-01T08:40:00Z\n"
            "---\n"
            "# API errors\n");
    assert_string_equal(iso(DBF_MILESTONE_MITIGATION_STARTED), "2026-09-01T08:40:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-09-01T08:40:00+00:00");
    assert_int_equal(analysis->milestone[DBF_MILESTONE_RECOVERED].line, 5);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 40 * 60);
    assert_int_equal(seconds(DBF_TOTAL_DURATION), -1);
}

static void test_negative_durations_are_unknown(void **state)
{
    (void)state;
    analyse("---\n"
            "incident:\n"
            "  impact_start: 2026-09-01T09:00:00Z\n"
            "  detected: 2026-09-01T08:50:00Z\n"
            "  resolved: 2026-09-01T08:40:00Z\n"
            "---\n"
            "# Clock confusion\n");
    assert_int_equal(seconds(DBF_TIME_TO_DETECT), -1);
    assert_int_equal(seconds(DBF_IMPACT_DURATION), -1);
}

static void test_response_milestones_follow_detection(void **state)
{
    (void)state;
    /* A trigger after detection is not the trigger; a mitigation word before
     * detection is part of the run-up, not the response. */
    analyse("# Certificates\n"
            "\n"
            "## Timeline\n"
            "\n"
            "- 2026-10-05 08:00 cert rotation job deployed [trigger]\n"
            "- 2026-10-05 08:05 old certificate removed from the bundle [mitigation]\n"
            "- 2026-10-05 09:00 TLS errors alert [detected]\n"
            "- 2026-10-05 09:10 second deploy of the rotation job [trigger]\n"
            "- 2026-10-05 09:20 old certificate restored [mitigation]\n"
            "- 2026-10-05 09:30 TLS errors gone [resolved]\n");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-10-05T08:00:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_MITIGATION_STARTED), "2026-10-05T09:20:00+00:00");
}

static void test_undated_timeline(void **state)
{
    (void)state;
    /* No date anywhere: times of day, durations still right across midnight. */
    analyse("# Nightly export stuck\n"
            "\n"
            "## Timeline\n"
            "\n"
            "- 23:30 export job deployed [trigger]\n"
            "- 23:50 alert fired [detected]\n"
            "- 00:20 export finished [resolved]\n");
    assert_false(analysis->dated);
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "23:30:00+00:00");
    assert_int_equal(seconds(DBF_TOTAL_DURATION), 50 * 60);

    /* The front matter dates an undated timeline: the day that puts its
     * entries nearest the impact start. */
    analyse("---\n"
            "timezone: UTC\n"
            "incident:\n"
            "  trigger: 2026-02-27T14:10:00Z\n"
            "  impact_start: 2026-03-01T00:05:00Z\n"
            "---\n"
            "# Sign-in failures\n"
            "\n"
            "## Timeline\n"
            "\n"
            "- 23:55 key rotation ran\n"
            "- 00:05 first sign-in failures\n"
            "- 00:17 alert fired [detected]\n"
            "- 00:50 sign-ins back to normal [resolved]\n");
    assert_true(analysis->dated);
    assert_string_equal(iso(DBF_MILESTONE_DETECTED), "2026-03-01T00:17:00+00:00");
    assert_string_equal(iso(DBF_MILESTONE_RECOVERED), "2026-03-01T00:50:00+00:00");
    assert_int_equal(seconds(DBF_IMPACT_DURATION), 45 * 60);

    /* Or the summary does. */
    analyse("# Stale prices\n"
            "\n"
            "## Summary\n"
            "\n"
            "On 14 May 2026 prices were stale for 40 minutes.\n"
            "\n"
            "## Timeline\n"
            "\n"
            "- 10:00 price feed deployed [trigger]\n"
            "- 10:40 prices fresh [resolved]\n");
    assert_string_equal(iso(DBF_MILESTONE_TRIGGER), "2026-05-14T10:00:00+00:00");
}

static void test_empty_document(void **state)
{
    (void)state;
    analyse("# Nothing here\n");
    for (int m = 0; m < DBF_MILESTONE_COUNT; m++)
        assert_false(analysis->milestone[m].known);
    for (int d = 0; d < DBF_DURATION_COUNT; d++)
        assert_false(analysis->has_duration[d]);
    assert_int_equal(analysis->entry_count, 0);
    assert_true(analysis->first > analysis->last);
    assert_string_equal(analysis->zone, "UTC");
}

static void test_duration_format(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(dbf_duration_format(0, buf, sizeof buf), "0 s");
    assert_string_equal(dbf_duration_format(45, buf, sizeof buf), "45 s");
    assert_string_equal(dbf_duration_format(12 * 60, buf, sizeof buf), "12 min");
    assert_string_equal(dbf_duration_format(12 * 60 + 30, buf, sizeof buf), "12 min 30 s");
    assert_string_equal(dbf_duration_format(72 * 60, buf, sizeof buf), "1 h 12 min");
    assert_string_equal(dbf_duration_format(2 * 3600 + 20, buf, sizeof buf), "2 h");
    assert_string_equal(dbf_duration_format(86400 + 3 * 3600 + 5 * 60, buf, sizeof buf),
                        "1 d 3 h 5 min");
    assert_string_equal(dbf_duration_format(2 * 86400, buf, sizeof buf), "2 d");
    assert_string_equal(dbf_duration_format(-90, buf, sizeof buf), "-1 min 30 s");
    assert_string_equal(dbf_milestone_name(DBF_MILESTONE_MITIGATION_STARTED), "mitigation_started");
    assert_string_equal(dbf_duration_name(DBF_TIME_TO_ENGAGE), "time_to_engage");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_front_matter_first, done),
        cmocka_unit_test_teardown(test_timeline_only, done),
        cmocka_unit_test_teardown(test_gap_threshold_and_order, done),
        cmocka_unit_test_teardown(test_midnight_rollover, done),
        cmocka_unit_test_teardown(test_multi_day, done),
        cmocka_unit_test_teardown(test_dst_spring_forward, done),
        cmocka_unit_test_teardown(test_dst_fall_back, done),
        cmocka_unit_test_teardown(test_entry_zone_and_declared_zone, done),
        cmocka_unit_test_teardown(test_zone_from_first_entry, done),
        cmocka_unit_test_teardown(test_unknown_zone_is_noted, done),
        cmocka_unit_test_teardown(test_bad_front_matter_times, done),
        cmocka_unit_test_teardown(test_impact_start_falls_back_to_trigger, done),
        cmocka_unit_test_teardown(test_mitigated_in_front_matter, done),
        cmocka_unit_test_teardown(test_negative_durations_are_unknown, done),
        cmocka_unit_test_teardown(test_response_milestones_follow_detection, done),
        cmocka_unit_test_teardown(test_undated_timeline, done),
        cmocka_unit_test_teardown(test_empty_document, done),
        cmocka_unit_test(test_duration_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
