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
    assert_clock("06:45am - first customer report", 6, 45);
    assert_clock("12:29p", 12, 29);
    assert_clock("10:45a", 10, 45);
    assert_clock("0:41:17 AM", 0, 41);
    assert_clock("12:00 AM", 0, 0);
    assert_clock("15:20 PM PST", 15, 20); /* the 24-hour clock wins */
    assert_clock("`07:35` Cache node replaced", 7, 35);
    assert_clock("[08:52] Config PR merged", 8, 52);
    assert_clock("~11:10-11:25", 11, 10);
    assert_clock("{{ 05:50 }}", 5, 50);
    assert_clock("4pm", 16, 0);
}

static void test_clock_after_date(void **state)
{
    (void)state;
    assert_clock("2026-03-09 1615: e-mail received", 16, 15);
    assert_date("2026-03-09 1615: e-mail received", 2026, 3, 9);
    assert_clock("2026-03-09 2040", 20, 40);
    assert_date("2026-03-09 2040", 2026, 3, 9);
    assert_clock("March 9th, 2026, 10:30 AM:", 10, 30);
    assert_date("March 9th, 2026, 10:30 AM:", 2026, 3, 9);
    assert_clock("2026-03-10T14:04:00Z", 14, 4);
    assert_clock("09-03-2026 - 08:25 - phone report", 8, 25);
    assert_clock("23-03-2026 13:05 \xe2\x80\x93 rollout began", 13, 5);
    assert_date("23-03-2026 13:05", 2026, 3, 23);
    assert_clock("03-23-2026 3:05 pm - PR approved", 15, 5);
    assert_date("03-23-2026 3:05 pm", 2026, 3, 23);
    assert_clock("{{ 2026-03-09 Between 03:00 and 03.45 PM }}", 15, 0);
    assert_date("21. March, 09:40", 0, 3, 21);
    assert_clock("21. March, 09:40", 9, 40);
}

static void test_date_after_clock(void **state)
{
    (void)state;
    assert_date("11:35 AM PST Monday Mar 2nd: first spike", 0, 3, 2);
    assert_clock("11:35 AM PST Monday Mar 2nd: first spike", 11, 35);
    assert_date("09:20 3rd Mar 2026 - upgrade commit", 2026, 3, 3);
    assert_date("[11-04 16:05] bug introduced", 0, 11, 4);
    assert_clock("[11-04 16:05] bug introduced", 16, 5);
}

static void test_date_order(void **state)
{
    (void)state;
    struct dbf_date d;
    assert_int_equal(dbf__date_scan_order("05-02-2026", 10, &d, DBF_DAY_FIRST), 10);
    assert_int_equal(d.month, 2);
    assert_int_equal(dbf__date_scan_order("05-02-2026", 10, &d, DBF_MONTH_FIRST), 10);
    assert_int_equal(d.month, 5);
    assert_int_equal(dbf__date_scan("3/14/2026", 9, &d), 9);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 14);
    assert_int_equal(dbf__date_scan("2026-02-30", 10, &d), 0);
}

static void test_zones(void **state)
{
    (void)state;
    size_t used;
    struct dbf_time t = scan("8:50 AM Eastern: leak reported", &used);
    assert_true(t.has_zone);
    assert_false(t.zone_is_fixed);
    t = scan("14:02 PDT", &used);
    assert_true(t.has_zone && t.zone_is_fixed);
    assert_int_equal(t.utc_offset, -420);
    t = scan("2026-03-10T14:02:00+01:00", &used);
    assert_true(t.has_zone);
    assert_int_equal(t.utc_offset, 60);
    t = scan("11:10-11:25 upload success drops", &used);
    assert_false(t.has_zone); /* a range, not an offset */
    t = scan("Mar 09, 2026, 22:15 (UTC):", &used);
    assert_true(t.has_zone);
    assert_int_equal(t.utc_offset, 0);
}

static void test_invalid_times(void **state)
{
    (void)state;
    size_t used;
    const char *bad[] = {"25:10 restart",   "14:75 restart",   "1X:XX (time unknown)",
                         "1.5 hours later", "[???] disk full", "around lunch"};
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
    /* Number words: the longest spelled ("forty-five", not "forty";
     * "seventeen", not "seven"), then the articles. */
    assert_int_equal(dbf__duration_scan("forty-five minutes", 18, &used), 45 * 60);
    assert_int_equal(dbf__duration_scan("seventeen hours", 15, &used), 17 * 3600);
    assert_int_equal(dbf__duration_scan("an hour", 7, &used), 3600);
    assert_int_equal(dbf__duration_scan("a day", 5, &used), 86400);
    assert_int_equal(dbf__duration_scan("sevenfold hours", 15, &used), -1);
    int value = 0;
    assert_int_equal(dbf__number_word("sixteen hours", 13, &value), 7);
    assert_int_equal(value, 16);
    assert_int_equal(dbf__number_word("Six", 3, &value), 3);
    assert_int_equal(value, 6);
    assert_int_equal(dbf__number_word("\xc5\xbfixty", 6, &value), 6);
    assert_int_equal(value, 60);
    assert_int_equal(dbf__number_word("many", 4, &value), 0);
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
            "### 2026-03-07 Saturday\n\n- 19:18 Admin escalates\n- 20:07 Admin leaves\n\n"
            "### 2026-03-09 Monday\n\n- 08:57 Staff begin follow-up\n");
    const struct dbf_doc *doc = last_doc();
    assert_int_equal(doc->timeline_count, 3);
    assert_int_equal(doc->timeline[2].time.date.day, 9);
    assert_int_equal(doc->timeline[2].at - doc->timeline[1].at, (36 * 60 + 50) * 60);
    lint_done();
}

/* The front matter's dates and times read as sscanf("%4d-%2d-%2d%n") and
 * sscanf("%2d:%2d%n") read them, which they replace. */
static void test_front_matter_numbers_as_sscanf_reads_them(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "2026-03-11",   "2026-03-11T09:30:00Z", " 2026-3-1",  "2026- 03-  11", "+2026-03-11",
        "-201-03-11",   "20266-03-11",          "2026-003-11", "2026-03",      "2026-03-",
        "2026/03/11",   "26-3-11x",             "",            "-",            "2026--3-11",
        "2026-+3-11",   "9:30",                 "09:30:00",    " 9: 5",        "09:",
        "930",          "-1:-2",                "123:45",      "1:234",        "+:30",
        "\t2026-03-11", "2026-\n03-11",         "2026-03-1a",  "0000-00-00",  "2026-03-11+02:00"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *t = texts[i];
        int y = 0, m = 0, d = 0, n = 0;
        int read = sscanf(t, "%4d-%2d-%2d%n", &y, &m, &d, &n);
        struct dbf_date date = {0};
        size_t got = dbf__ymd_scan(t, strlen(t), &date);
        if (read == 3) {
            assert_int_equal(got, (size_t)n);
            assert_int_equal(date.year, y);
            assert_int_equal(date.month, m);
            assert_int_equal(date.day, d);
        } else {
            assert_int_equal(got, 0);
        }
        int h = 0, mi = 0, hours = 0, minutes = 0;
        n = 0;
        read = sscanf(t, "%2d:%2d%n", &h, &mi, &n);
        got = dbf__hm_scan(t, strlen(t), &hours, &minutes);
        if (read == 2) {
            assert_int_equal(got, (size_t)n);
            assert_int_equal(hours, h);
            assert_int_equal(minutes, mi);
        } else {
            assert_int_equal(got, 0);
        }
    }
    /* Never past the length given. */
    struct dbf_date date;
    assert_int_equal(dbf__ymd_scan("2026-03-11", 8, &date), 0);
    assert_int_equal(dbf__ymd_scan("2026-03-11", 9, &date), 9);
    assert_int_equal(date.day, 1);
}

static void test_iso_negative_offset_is_not_a_range(void **state)
{
    (void)state;
    const char *text = "2026-03-31T23:30:00-04:00";
    struct dbf_time t;
    size_t n = dbf__time_scan(text, strlen(text), &t, true);
    assert_int_equal(n, strlen(text));
    assert_int_equal(t.hour, 23);
    assert_int_equal(t.minute, 30);
    assert_true(t.has_zone && t.zone_is_fixed);
    assert_int_equal(t.utc_offset, -240);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_matter_numbers_as_sscanf_reads_them),
        cmocka_unit_test(test_iso_negative_offset_is_not_a_range),
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
