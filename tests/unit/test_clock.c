/* test_clock.c: unit tests of the time, date, zone and duration scanners,
 * and of how the timeline turns them into instants. */
#include "harness.h"
#include "parse/clock.h"

#include <string.h>

static struct dbf_time scan(const char *s, size_t *used)
{
    struct dbf_time t;
    memset(&t, 0, sizeof t);
    *used = dbf__time_scan(s, strlen(s), &t, false);
    return t;
}

static void assert_clock(const char *s, int hour, int minute)
{
    size_t used;
    struct dbf_time t = scan(s, &used);
    if (!used || !t.has_clock || t.hour != hour || t.minute != minute)
        print_message("'%s' read as %02d:%02d (used %zu)\n", s, t.hour, t.minute, used);
    assert_true(used > 0);
    assert_true(t.has_clock);
    assert_int_equal(t.hour, hour);
    assert_int_equal(t.minute, minute);
}

static void assert_date(const char *s, int year, int month, int day)
{
    size_t used;
    struct dbf_time t = scan(s, &used);
    assert_true(used > 0);
    assert_int_equal(t.date.year, year);
    assert_int_equal(t.date.month, month);
    assert_int_equal(t.date.day, day);
}

static void test_clock_forms(void **state)
{
    (void)state;
    assert_clock("14:08", 14, 8);
    assert_clock("4:19 pm", 16, 19);
    assert_clock("07:30am - First report", 7, 30);
    assert_clock("12:29p", 12, 29);
    assert_clock("10:45a", 10, 45);
    assert_clock("0:25:59 AM", 0, 25);
    assert_clock("12:00 AM", 0, 0);
    assert_clock("13:55 PM PST", 13, 55); /* the 24-hour clock wins */
    assert_clock("`07:35` Team funds the contract", 7, 35);
    assert_clock("[08:47] Bump PR merged", 8, 47);
    assert_clock("~13:30-13:45", 13, 30);
    assert_clock("{{ 06:10 }}", 6, 10);
    assert_clock("4pm", 16, 0);
}

static void test_clock_after_date(void **state)
{
    (void)state;
    assert_clock("2022-02-02 1625: e-mail received", 16, 25);
    assert_date("2022-02-02 1625: e-mail received", 2022, 2, 2);
    assert_clock("2022-02-02 2030", 20, 30);
    assert_date("2022-02-02 2030", 2022, 2, 2);
    assert_clock("June 14th, 2022, 10:00 AM:", 10, 0);
    assert_date("June 14th, 2022, 10:00 AM:", 2022, 6, 14);
    assert_clock("2026-03-10T14:04:00Z", 14, 4);
    assert_clock("24-10-2024 - 08:15 - verbal report", 8, 15);
    assert_clock("27-05-2025 13:44 \xe2\x80\x93 rollout began", 13, 44);
    assert_date("27-05-2025 13:44", 2025, 5, 27);
    assert_clock("07-27-2023 2:14 pm - PR approved", 14, 14);
    assert_date("07-27-2023 2:14 pm", 2023, 7, 27);
    assert_clock("{{ 2022-01-20 Between 02:00 and 02.30 PM }}", 14, 0);
    assert_date("19. April, 11:00", 0, 4, 19);
    assert_clock("19. April, 11:00", 11, 0);
}

static void test_date_after_clock(void **state)
{
    (void)state;
    assert_date("12:45 PM PST Saturday Oct 30th: first wave", 0, 10, 30);
    assert_clock("12:45 PM PST Saturday Oct 30th: first wave", 12, 45);
    assert_date("11:10 6th Nov 2023 - upgrade commit", 2023, 11, 6);
    assert_date("[12-05 16:21] bug introduced", 0, 12, 5);
    assert_clock("[12-05 16:21] bug introduced", 16, 21);
}

static void test_date_order(void **state)
{
    (void)state;
    struct dbf_date d;
    assert_int_equal(dbf__date_scan_order("04-03-2026", 10, &d, DBF_DAY_FIRST), 10);
    assert_int_equal(d.month, 3);
    assert_int_equal(dbf__date_scan_order("04-03-2026", 10, &d, DBF_MONTH_FIRST), 10);
    assert_int_equal(d.month, 4);
    assert_int_equal(dbf__date_scan("3/14/2026", 9, &d), 9);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 14);
    assert_int_equal(dbf__date_scan("2026-02-30", 10, &d), 0);
}

static void test_zones(void **state)
{
    (void)state;
    size_t used;
    struct dbf_time t = scan("7:09 AM Eastern: token reported", &used);
    assert_true(t.has_zone);
    assert_false(t.zone_is_fixed);
    t = scan("14:02 PDT", &used);
    assert_true(t.has_zone && t.zone_is_fixed);
    assert_int_equal(t.utc_offset, -420);
    t = scan("2026-03-10T14:02:00+01:00", &used);
    assert_true(t.has_zone);
    assert_int_equal(t.utc_offset, 60);
    t = scan("13:30-13:45 launch success drops", &used);
    assert_false(t.has_zone); /* a range, not an offset */
    t = scan("Feb 04, 2021, 21:45 (UTC):", &used);
    assert_true(t.has_zone);
    assert_int_equal(t.utc_offset, 0);
}

static void test_invalid_times(void **state)
{
    (void)state;
    size_t used;
    const char *bad[] = {"25:10 restart", "14:75 restart", "2X:XX (not sure)", "1.5 hours later",
                         "[???] IOPS", "around lunch"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct dbf_time t = scan(bad[i], &used);
        assert_false(used > 0 && t.has_clock);
    }
}

static void test_durations(void **state)
{
    (void)state;
    size_t used;
    assert_int_equal(dbf__duration_scan("47 minutes", 10, &used), 47 * 60);
    assert_int_equal(dbf__duration_scan("2h 15m", 6, &used), 2 * 3600 + 15 * 60);
    assert_int_equal(dbf__duration_scan("three hours", 11, &used), 3 * 3600);
    assert_int_equal(dbf__duration_scan("many hours", 10, &used), -1);
}

static void test_midnight_rollover(void **state)
{
    (void)state;
    lint_md("# Reports late\n\n## Timeline\n\nAll times UTC.\n\n"
            "- 23:40 Nightly export starts\n"
            "- 23:58 Export fails writing to the bucket\n"
            "- 00:20 Retry succeeds\n"
            "- 07:05 Finance reads the reports\n");
    const struct dbf_doc *doc = last_doc();
    assert_int_equal(doc->timeline_count, 4);
    assert_int_equal(doc->timeline[2].at - doc->timeline[1].at, 22 * 60);
    assert_int_equal(doc->timeline[3].at - doc->timeline[2].at, (6 * 60 + 45) * 60);
    lint_done();
}

static void test_zone_gives_utc_instants(void **state)
{
    (void)state;
    lint_md("# Checkout down\n\n## Timeline\n\nAll times PST.\n\n"
            "- 2026-03-04 10:00 Deploy starts\n"
            "- 2026-03-04 10:05 Errors begin\n"
            "- 2026-03-05 09:00 Postmortem review\n");
    const struct dbf_doc *doc = last_doc();
    assert_int_equal(doc->timeline_count, 3);
    /* 10:00 PST is 18:00 UTC */
    assert_int_equal(doc->timeline[0].at % 86400, 18 * 3600);
    assert_int_equal(doc->timeline[2].at - doc->timeline[0].at, 23 * 3600);
    lint_done();
}

static void test_day_headings_carry_the_date(void **state)
{
    (void)state;
    lint_md("# Phishing\n\n## Timeline\n\nAll times UTC.\n\n"
            "### 2025-07-26 Saturday\n\n- 19:18 Admin escalates\n- 20:07 Admin leaves\n\n"
            "### 2025-07-28 Monday\n\n- 08:57 Staff begin follow-up\n");
    const struct dbf_doc *doc = last_doc();
    assert_int_equal(doc->timeline_count, 3);
    assert_int_equal(doc->timeline[2].time.date.day, 28);
    assert_int_equal(doc->timeline[2].at - doc->timeline[1].at, (36 * 60 + 50) * 60);
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_forms),
        cmocka_unit_test(test_clock_after_date),
        cmocka_unit_test(test_date_after_clock),
        cmocka_unit_test(test_date_order),
        cmocka_unit_test(test_zones),
        cmocka_unit_test(test_invalid_times),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_midnight_rollover),
        cmocka_unit_test(test_zone_gives_utc_instants),
        cmocka_unit_test(test_day_headings_carry_the_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
