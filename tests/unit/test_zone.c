/* test_zone.c: time zones from the system's zone data, abbreviations and offsets. */
#include "harness.h"

#include "analysis/zone.h"
#include "parse/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* UTC seconds of a date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return dbf__days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static struct dbf__zone *open_zone(const char *spec)
{
    char err[200] = "";
    struct dbf__zone *z = dbf__zone_open(spec, err, sizeof err);
    if (!z)
        fprintf(stderr, "%s: %s\n", spec, err);
    assert_non_null(z);
    return z;
}

static void assert_offset(const struct dbf__zone *z, int64_t at, int offset, const char *abbrev)
{
    char buf[16];
    assert_int_equal(dbf__zone_offset_at(z, at), offset);
    assert_string_equal(dbf__zone_abbrev_at(z, at, buf, sizeof buf), abbrev);
}

static void test_new_york_both_ways(void **state)
{
    (void)state;
    struct dbf__zone *z = open_zone("America/New_York");
    assert_string_equal(dbf__zone_name(z), "America/New_York");
    assert_false(dbf__zone_is_fixed(z));
    assert_offset(z, utc(2026, 1, 15, 12, 0, 0), -5 * 3600, "EST");
    assert_offset(z, utc(2026, 7, 1, 12, 0, 0), -4 * 3600, "EDT");
    /* 2026-03-08 02:00 EST becomes 03:00 EDT at 07:00 UTC. */
    assert_offset(z, utc(2026, 3, 8, 6, 59, 59), -5 * 3600, "EST");
    assert_offset(z, utc(2026, 3, 8, 7, 0, 0), -4 * 3600, "EDT");
    /* 2026-11-01 02:00 EDT becomes 01:00 EST at 06:00 UTC. */
    assert_offset(z, utc(2026, 11, 1, 5, 59, 59), -4 * 3600, "EDT");
    assert_offset(z, utc(2026, 11, 1, 6, 0, 0), -5 * 3600, "EST");
    assert_int_equal(dbf__zone_standard_offset(z), -5 * 3600);
    dbf__zone_free(z);
}

static void test_europe_and_asia(void **state)
{
    (void)state;
    struct dbf__zone *paris = open_zone("Europe/Paris");
    /* Last Sunday of March 2026 is the 29th: 01:00 UTC. */
    assert_offset(paris, utc(2026, 3, 29, 0, 59, 59), 3600, "CET");
    assert_offset(paris, utc(2026, 3, 29, 1, 0, 0), 7200, "CEST");
    assert_offset(paris, utc(2026, 10, 25, 1, 0, 0), 3600, "CET");
    dbf__zone_free(paris);

    struct dbf__zone *kolkata = open_zone("Asia/Kolkata");
    assert_offset(kolkata, utc(2026, 7, 1, 0, 0, 0), 19800, "IST");
    assert_int_equal(dbf__zone_standard_offset(kolkata), 19800);
    dbf__zone_free(kolkata);

    struct dbf__zone *la = open_zone("America/Los_Angeles");
    assert_offset(la, utc(2026, 3, 10, 12, 0, 0), -7 * 3600, "PDT");
    assert_offset(la, utc(2026, 12, 10, 12, 0, 0), -8 * 3600, "PST");
    dbf__zone_free(la);

    /* A zone whose data names no abbreviation: shown as an offset. */
    struct dbf__zone *sp = open_zone("America/Sao_Paulo");
    assert_offset(sp, utc(2026, 7, 1, 0, 0, 0), -3 * 3600, "-03:00");
    dbf__zone_free(sp);
}

static void test_southern_hemisphere(void **state)
{
    (void)state;
    struct dbf__zone *z = open_zone("Australia/Sydney");
    assert_offset(z, utc(2026, 1, 15, 0, 0, 0), 11 * 3600, "AEDT");
    assert_offset(z, utc(2026, 7, 1, 0, 0, 0), 10 * 3600, "AEST");
    /* Clocks go back at 03:00 AEDT on 2026-04-05 (16:00 UTC the day before)
     * and forward at 02:00 AEST on 2026-10-04 (16:00 UTC the day before). */
    assert_offset(z, utc(2026, 4, 4, 15, 59, 59), 11 * 3600, "AEDT");
    assert_offset(z, utc(2026, 4, 4, 16, 0, 0), 10 * 3600, "AEST");
    assert_offset(z, utc(2026, 10, 3, 15, 59, 59), 10 * 3600, "AEST");
    assert_offset(z, utc(2026, 10, 3, 16, 0, 0), 11 * 3600, "AEDT");
    assert_int_equal(dbf__zone_standard_offset(z), 10 * 3600);

    /* 02:30 on 2026-04-05 happens twice in Sydney. */
    int64_t first, second;
    assert_int_equal(dbf__zone_local(z, utc(2026, 4, 5, 2, 30, 0), &first, &second),
                     DBF_LOCAL_AMBIGUOUS);
    assert_true(first == utc(2026, 4, 4, 15, 30, 0));
    assert_true(second == utc(2026, 4, 4, 16, 30, 0));
    dbf__zone_free(z);
}

static void test_far_future_uses_the_rule(void **state)
{
    (void)state;
    /* Past the file's last listed change (2037), the footer's POSIX rule. */
    struct dbf__zone *z = open_zone("America/New_York");
    assert_offset(z, utc(2100, 7, 1, 12, 0, 0), -4 * 3600, "EDT");
    assert_offset(z, utc(2100, 1, 1, 12, 0, 0), -5 * 3600, "EST");
    /* Second Sunday of March 2099 is the 8th. */
    assert_offset(z, utc(2099, 3, 8, 6, 59, 59), -5 * 3600, "EST");
    assert_offset(z, utc(2099, 3, 8, 7, 0, 0), -4 * 3600, "EDT");
    dbf__zone_free(z);
    struct dbf__zone *s = open_zone("Australia/Sydney");
    assert_offset(s, utc(2090, 1, 10, 0, 0, 0), 11 * 3600, "AEDT");
    assert_offset(s, utc(2090, 6, 10, 0, 0, 0), 10 * 3600, "AEST");
    dbf__zone_free(s);
}

static void test_local_times_at_the_changes(void **state)
{
    (void)state;
    struct dbf__zone *z = open_zone("America/New_York");
    int64_t first, second;
    /* 02:30 does not exist on 2026-03-08: read with the offset before (EST). */
    assert_int_equal(dbf__zone_local(z, utc(2026, 3, 8, 2, 30, 0), &first, &second),
                     DBF_LOCAL_SKIPPED);
    assert_true(first == utc(2026, 3, 8, 7, 30, 0));
    assert_true(second == first);
    /* 01:30 happens twice on 2026-11-01: EDT first, then EST. */
    assert_int_equal(dbf__zone_local(z, utc(2026, 11, 1, 1, 30, 0), &first, &second),
                     DBF_LOCAL_AMBIGUOUS);
    assert_true(first == utc(2026, 11, 1, 5, 30, 0));
    assert_true(second == utc(2026, 11, 1, 6, 30, 0));
    assert_true(dbf__zone_to_utc(z, utc(2026, 11, 1, 1, 30, 0)) == first);
    /* Either side of the changes, one reading. */
    assert_int_equal(dbf__zone_local(z, utc(2026, 3, 8, 1, 59, 0), &first, NULL), DBF_LOCAL_UNIQUE);
    assert_true(first == utc(2026, 3, 8, 6, 59, 0));
    assert_int_equal(dbf__zone_local(z, utc(2026, 3, 8, 3, 0, 0), &first, NULL), DBF_LOCAL_UNIQUE);
    assert_true(first == utc(2026, 3, 8, 7, 0, 0));
    dbf__zone_free(z);
}

static void test_abbreviations_are_fixed(void **state)
{
    (void)state;
    struct dbf__zone *pst = open_zone("PST");
    assert_true(dbf__zone_is_fixed(pst));
    assert_string_equal(dbf__zone_name(pst), "PST");
    /* PST in July is still UTC-8: the writer said PST. */
    assert_offset(pst, utc(2026, 7, 1, 0, 0, 0), -8 * 3600, "PST");
    dbf__zone_free(pst);
    struct dbf__zone *cest = open_zone("CEST");
    assert_offset(cest, utc(2026, 1, 1, 0, 0, 0), 2 * 3600, "CEST");
    dbf__zone_free(cest);
    struct dbf__zone *ist = open_zone("IST");
    assert_offset(ist, utc(2026, 1, 1, 0, 0, 0), 19800, "IST");
    dbf__zone_free(ist);
    struct dbf__zone *z = open_zone("(UTC)");
    assert_offset(z, 0, 0, "UTC");
    assert_string_equal(dbf__zone_name(z), "UTC");
    dbf__zone_free(z);
}

static void test_generic_names_follow_dst(void **state)
{
    (void)state;
    const char *names[] = {"PT", "Pacific", "US/Pacific", "Pacific Time"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct dbf__zone *z = open_zone(names[i]);
        assert_string_equal(dbf__zone_name(z), "America/Los_Angeles");
        assert_offset(z, utc(2026, 7, 1, 0, 0, 0), -7 * 3600, "PDT");
        assert_offset(z, utc(2026, 1, 1, 0, 0, 0), -8 * 3600, "PST");
        dbf__zone_free(z);
    }
    struct dbf__zone *et = open_zone("Eastern");
    assert_string_equal(dbf__zone_name(et), "America/New_York");
    dbf__zone_free(et);
}

static void test_offsets(void **state)
{
    (void)state;
    const struct {
        const char *spec, *name;
        int offset;
    } cases[] = {
        {"+02:00", "+02:00", 7200},  {"-0700", "-07:00", -25200},
        {"UTC-7", "-07:00", -25200}, {"UTC+5:30", "+05:30", 19800},
        {"GMT+1", "+01:00", 3600},   {"Z", "UTC", 0},
        {"utc", "UTC", 0},           {"Etc/UTC", "UTC", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct dbf__zone *z = open_zone(cases[i].spec);
        assert_true(dbf__zone_is_fixed(z));
        assert_string_equal(dbf__zone_name(z), cases[i].name);
        assert_int_equal(dbf__zone_offset_at(z, utc(2026, 7, 1, 0, 0, 0)), cases[i].offset);
        assert_true(dbf__zone_to_utc(z, 10000) == 10000 - cases[i].offset);
        dbf__zone_free(z);
    }
    /* The POSIX sign of Etc/GMT+3 is west: three hours behind UTC. */
    struct dbf__zone *etc = open_zone("Etc/GMT+3");
    assert_int_equal(dbf__zone_offset_at(etc, 0), -3 * 3600);
    dbf__zone_free(etc);
}

static void test_unknown_zones(void **state)
{
    (void)state;
    const char *bad[] = {"Mars/Olympus", "../../etc/passwd", "/etc/localtime", "America/", "",
                         "Not a zone",   "Europe//Paris"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[200] = "";
        assert_null(dbf__zone_open(bad[i], err, sizeof err));
        assert_non_null(strstr(err, "unknown time zone"));
    }
    char err[200];
    assert_null(dbf__zone_open("Mars/Olympus", err, sizeof err));
    assert_string_equal(err, "unknown time zone 'Mars/Olympus'");
    assert_null(dbf__zone_open(NULL, NULL, 0));
}

/* ---- Hand-made TZif files in a folder named by TZDIR ---- */

static char tzdir[64];

static void put32(unsigned char **p, uint32_t v)
{
    (*p)[0] = (unsigned char)(v >> 24);
    (*p)[1] = (unsigned char)(v >> 16);
    (*p)[2] = (unsigned char)(v >> 8);
    (*p)[3] = (unsigned char)v;
    *p += 4;
}

static void header(unsigned char **p, char version, uint32_t timecnt, uint32_t typecnt,
                   uint32_t charcnt)
{
    memcpy(*p, "TZif", 4);
    (*p)[4] = (unsigned char)version;
    memset(*p + 5, 0, 15);
    *p += 20;
    put32(p, 0);
    put32(p, 0);
    put32(p, 0);
    put32(p, timecnt);
    put32(p, typecnt);
    put32(p, charcnt);
}

static void write_zone(const char *name, const unsigned char *data, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tzdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static int make_tzdir(void **state)
{
    (void)state;
    snprintf(tzdir, sizeof tzdir, "/tmp/debrief-tzdir-XXXXXX");
    if (!mkdtemp(tzdir))
        return -1;
    setenv("TZDIR", tzdir, 1);
    return 0;
}

static int remove_tzdir(void **state)
{
    (void)state;
    const char *names[] = {"Test/One", "Test/Slim", "Test/Broken", "Test/Garbage"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", tzdir, names[i]);
        unlink(path);
    }
    char sub[128];
    snprintf(sub, sizeof sub, "%s/Test", tzdir);
    rmdir(sub);
    rmdir(tzdir);
    unsetenv("TZDIR");
    return 0;
}

static void test_version_1_file(void **state)
{
    (void)state;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/Test", tzdir);
    mkdir(sub, 0700);
    /* One change at 2026-01-01T00:00Z from +01:00 "AAA" to +03:00 "BBB". */
    unsigned char data[256], *p = data;
    header(&p, 0, 1, 2, 8);
    put32(&p, (uint32_t)utc(2026, 1, 1, 0, 0, 0));
    *p++ = 1;
    put32(&p, 3600);
    *p++ = 0;
    *p++ = 0;
    put32(&p, 3 * 3600);
    *p++ = 0;
    *p++ = 4;
    memcpy(p, "AAA\0BBB\0", 8);
    p += 8;
    write_zone("Test/One", data, (size_t)(p - data));
    struct dbf__zone *z = open_zone("Test/One");
    assert_offset(z, utc(2025, 12, 31, 23, 59, 59), 3600, "AAA");
    assert_offset(z, utc(2026, 1, 1, 0, 0, 0), 3 * 3600, "BBB");
    dbf__zone_free(z);
}

static void test_version_2_footer_only(void **state)
{
    (void)state;
    /* A "slim" file: no changes listed, everything from the footer's rule. */
    unsigned char data[256], *p = data;
    header(&p, '2', 0, 1, 4);
    put32(&p, 0);
    *p++ = 0;
    *p++ = 0;
    memcpy(p, "UTC\0", 4);
    p += 4;
    header(&p, '2', 0, 1, 4);
    put32(&p, 0);
    *p++ = 0;
    *p++ = 0;
    memcpy(p, "UTC\0", 4);
    p += 4;
    const char *footer = "\n<-03>3<-02>,M3.5.0/-2,M10.5.0/-1\n";
    memcpy(p, footer, strlen(footer));
    p += strlen(footer);
    write_zone("Test/Slim", data, (size_t)(p - data));
    struct dbf__zone *z = open_zone("Test/Slim");
    /* A negative rule time (RFC 8536 version 3): "M3.5.0/-2" is two hours
     * before the last Sunday of March, 2026-03-28 22:00 -03, which is
     * 2026-03-29 01:00 UTC. */
    assert_offset(z, utc(2026, 3, 29, 0, 59, 59), -3 * 3600, "-03:00");
    assert_offset(z, utc(2026, 3, 29, 1, 0, 0), -2 * 3600, "-02:00");
    assert_offset(z, utc(2026, 7, 1, 0, 0, 0), -2 * 3600, "-02:00");
    assert_offset(z, utc(2026, 12, 1, 0, 0, 0), -3 * 3600, "-03:00");
    assert_int_equal(dbf__zone_standard_offset(z), -3 * 3600);
    dbf__zone_free(z);
}

static void test_malformed_files(void **state)
{
    (void)state;
    unsigned char data[256], *p = data;
    /* Counts that promise more data than the file has. */
    header(&p, '2', 200, 3, 40);
    write_zone("Test/Broken", data, (size_t)(p - data));
    write_zone("Test/Garbage", (const unsigned char *)"not a zone file at all", 22);
    char err[200];
    assert_null(dbf__zone_open("Test/Broken", err, sizeof err));
    assert_string_equal(err, "unknown time zone 'Test/Broken'");
    assert_null(dbf__zone_open("Test/Garbage", err, sizeof err));
    assert_null(dbf__zone_open("Test/Missing", err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_york_both_ways),
        cmocka_unit_test(test_europe_and_asia),
        cmocka_unit_test(test_southern_hemisphere),
        cmocka_unit_test(test_far_future_uses_the_rule),
        cmocka_unit_test(test_local_times_at_the_changes),
        cmocka_unit_test(test_abbreviations_are_fixed),
        cmocka_unit_test(test_generic_names_follow_dst),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_unknown_zones),
    };
    const struct CMUnitTest files[] = {
        cmocka_unit_test(test_version_1_file),
        cmocka_unit_test(test_version_2_footer_only),
        cmocka_unit_test(test_malformed_files),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed + cmocka_run_group_tests_name("tzif files", files, make_tzdir, remove_tzdir);
}
