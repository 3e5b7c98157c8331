/* test_metric_fast.c: the fast paths for metric numbers, times and CSV rows
 * agree with the general parsers, bit for bit, and leave them what they
 * cannot take; the column-by-column reduction agrees with the division. */
#include "harness.h"

#include "render/charts.h"
#include "render/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does the fast path read all of TEXT? Then *OUT is its value. */
static bool number_fast_whole(const char *text, double *out)
{
    const char *end = text + strlen(text);
    return dbf__metric_number_fast(text, end, out) == end;
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* TEXT is taken whole by the fast path, with the general parser's value
 * and strtod's (the correctly rounded one). */
static void number_taken(const char *text)
{
    double fast = 0, general = 0;
    bool whole = number_fast_whole(text, &fast);
    if (!whole)
        print_message("fast path refused '%s'\n", text);
    assert_true(whole);
    assert_int_equal(dbf__metric_number(text, strlen(text), &general), DBF__CELL_VALUE);
    double exact = strtod(text, NULL);
    if (!same_bits(fast, general) || !same_bits(fast, exact))
        print_message("'%s': fast %.17g, general %.17g, strtod %.17g\n", text, fast, general,
                      exact);
    assert_true(same_bits(fast, general));
    assert_true(same_bits(fast, exact));
}

/* TEXT is left to the general parser: the fast path stops before its end. */
static void number_left(const char *text)
{
    double v;
    bool whole = number_fast_whole(text, &v);
    if (whole)
        print_message("fast path took '%s'\n", text);
    assert_false(whole);
}

/* Calls CHECK with each of the texts in LIST, separated by '|'. */
static void each_of(const char *list, void (*check)(const char *))
{
    for (;;) {
        size_t n = strcspn(list, "|");
        char text[64];
        assert_true(n < sizeof text);
        memcpy(text, list, n);
        text[n] = '\0';
        check(text);
        if (!list[n])
            return;
        list += n + 1;
    }
}

static void test_numbers_at_the_edges(void **state)
{
    (void)state;
    each_of("0|-0|+0|0.31|173.16|-173.16|+2.5|1.|.5|-.5|007|"
            "000000000000000000000123.5|123456789012345|-123456789012345|"
            "999999999999999|0.999999999999999|12345678.9012345|"
            "0.000000000000000000001|0.0000000123456789012345|900719925474099|0.1|"
            "0.2|0.3|4.35|1.005|2.675|100.000000000000",
            number_taken);
    /* -0 keeps its sign, as strtod gives it */
    double z = 0;
    assert_true(number_fast_whole("-0.0", &z));
    assert_true(same_bits(z, -0.0));
    each_of("1234567890123456|12345678901234567|-1234567890123456|1.000000000000001|"
            "1.0000000000000001|0.10000000000000000|9007199254740993|"
            "9007199254740991|0.00000000000000000000001|"
            "0.0000000000000000000123456789012345|1e5|1E-3|2.5e+10| 1|1 |5%|nan|NaN|"
            "inf|null||-|+|.|-.|1,5|0x10|1_000",
            number_left);
    /* what the fast path leaves, the general parser still reads right */
    double v = 0;
    assert_int_equal(dbf__metric_number("1234567890123456", 16, &v), DBF__CELL_VALUE);
    assert_true(same_bits(v, 1234567890123456.0));
    assert_int_equal(dbf__metric_number("9007199254740993", 16, &v), DBF__CELL_VALUE);
    assert_true(same_bits(v, strtod("9007199254740993", NULL)));
    assert_int_equal(dbf__metric_number("12.5 %", 6, &v), DBF__CELL_VALUE);
    assert_true(same_bits(v, 12.5));
}

/* Random decimals of 1 to 17 digits with the point anywhere: whatever the
 * fast path takes is what strtod and the general parser give. */
static void test_numbers_random(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    size_t taken = 0, left = 0;
    for (int round = 0; round < 200000; round++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        uint64_t r = seed >> 11;
        int digits = 1 + (int)(r % 17);
        int point = (int)((r >> 5) % (uint64_t)(digits + 2)) - 1; /* -1: no point */
        int zeros = (int)((r >> 10) % 8); /* leading zeros after the point */
        char text[64];
        size_t n = 0;
        if ((r >> 13) & 1)
            text[n++] = '-';
        if (point == 0) {
            text[n++] = '.';
            for (int z = 0; z < zeros; z++)
                text[n++] = '0';
        }
        for (int d = 0; d < digits; d++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            text[n++] = (char)('0' + (seed >> 33) % 10);
            if (d + 1 == point)
                text[n++] = '.';
        }
        text[n] = '\0';
        double fast, general;
        if (!number_fast_whole(text, &fast)) {
            left++;
            continue;
        }
        taken++;
        assert_int_equal(dbf__metric_number(text, n, &general), DBF__CELL_VALUE);
        double exact = strtod(text, NULL);
        if (!same_bits(fast, general) || !same_bits(fast, exact))
            print_message("'%s': fast %.17g, general %.17g, strtod %.17g\n", text, fast, general,
                          exact);
        assert_true(same_bits(fast, general) && same_bits(fast, exact));
    }
    /* both sides of the 15-digit line were tried */
    assert_true(taken > 100000);
    assert_true(left > 10000);
}

/* Runs of 1 to 20 digits before each kind of byte that ends a field or is
 * not a digit, with more text after: the fast path stops at that byte with
 * the run's value (eight bytes are read at a time where there are eight). */
static void test_number_stops_at_any_byte(void **state)
{
    (void)state;
    static const char stops[] = {',', ';', '\t',   '\n',   '\r',   ' ',    '"',    '/', ':',
                                 'e', '%', '\x7f', '\x80', '\xbf', '\xc3', '\xff', '\0'};
    for (int n = 1; n <= 20; n++)
        for (size_t k = 0; k < sizeof stops; k++)
            for (int point = 0; point <= 1; point++) {
                char text[64];
                size_t len = 0;
                if (point)
                    text[len++] = '.';
                for (int d = 0; d < n; d++)
                    text[len++] = (char)('1' + (d * 7 + n) % 9);
                size_t digits_end = len;
                text[len++] = stops[k];
                memcpy(text + len, "98765432", 8);
                len += 8;
                double fast = 0;
                const char *stop = dbf__metric_number_fast(text, text + len, &fast);
                if (n > 15 || (point && n > 22)) {
                    assert_null(stop);
                    continue;
                }
                assert_ptr_equal(stop, text + digits_end);
                char copy[64];
                memcpy(copy, text, digits_end);
                copy[digits_end] = '\0';
                assert_true(same_bits(fast, strtod(copy, NULL)));
            }
}

/* TEXT is taken whole by the fast time path with the general parser's
 * value, which is EXPECT. */
static void time_taken(const char *text, int64_t expect)
{
    struct dbf__day_cache cache = {0};
    const char *end = text + strlen(text);
    int64_t fast = 0, general = 0;
    const char *stop = dbf__metric_time_fast(text, end, &cache, &fast);
    if (stop != end)
        print_message("fast path refused '%s'\n", text);
    assert_ptr_equal(stop, end);
    assert_true(dbf__metric_time(text, strlen(text), &general));
    if (fast != general || fast != expect)
        print_message("'%s': fast %lld, general %lld, expected %lld\n", text, (long long)fast,
                      (long long)general, (long long)expect);
    assert_true(fast == general && fast == expect);
    /* and again from the cache of its own date */
    int64_t again = 0;
    assert_ptr_equal(dbf__metric_time_fast(text, end, &cache, &again), end);
    assert_true(again == expect);
}

/* TEXT is left to the general parser; GENERAL_OK says whether that one
 * reads it. */
static void time_left(const char *text, bool general_ok)
{
    struct dbf__day_cache cache = {0};
    const char *end = text + strlen(text);
    int64_t v;
    const char *stop = dbf__metric_time_fast(text, end, &cache, &v);
    if (stop == end)
        print_message("fast path took '%s'\n", text);
    assert_true(stop != end);
    assert_int_equal(dbf__metric_time(text, strlen(text), &v), general_ok);
}

#define DAY_2026_03_10 1773100800 /* 2026-03-10T00:00:00Z */

static void test_times_at_the_edges(void **state)
{
    (void)state;
    time_taken("2026-03-10T14:02:00Z", DAY_2026_03_10 + 14 * 3600 + 2 * 60);
    time_taken("2026-03-10t14:02:00z", DAY_2026_03_10 + 14 * 3600 + 2 * 60);
    time_taken("2026-03-10T14:02:00.123Z", DAY_2026_03_10 + 14 * 3600 + 2 * 60);
    time_taken("2026-03-10T14:02:59.999999999Z", DAY_2026_03_10 + 14 * 3600 + 2 * 60 + 59);
    time_taken("2026-03-10T14:02:00", DAY_2026_03_10 + 14 * 3600 + 2 * 60);
    time_taken("2026-03-10 14:02", DAY_2026_03_10 + 14 * 3600 + 2 * 60);
    time_taken("2026-03-10T14:02Z", DAY_2026_03_10 + 14 * 3600 + 2 * 60);
    time_taken("2026-03-10", DAY_2026_03_10);
    time_taken("2026-03-10Z", DAY_2026_03_10);
    time_taken("2026/03/10T00:00:00Z", DAY_2026_03_10);
    time_taken("2026-03-10T14:02:00+05:30", DAY_2026_03_10 + 14 * 3600 + 2 * 60 - 330 * 60);
    time_taken("2026-03-10T14:02:00+0530", DAY_2026_03_10 + 14 * 3600 + 2 * 60 - 330 * 60);
    time_taken("2026-03-10T14:02:00-08", DAY_2026_03_10 + 22 * 3600 + 2 * 60);
    time_taken("2026-03-10T00:00:00.5-18:00", DAY_2026_03_10 + 18 * 3600);
    time_taken("2026-03-10T24:00:00Z", DAY_2026_03_10 + 86400);
    time_taken("2026-03-10T23:59:60Z", DAY_2026_03_10 + 86400);
    time_taken("2024-02-29T23:59:59Z", 1709251199);
    time_taken("2000-02-29T00:00:00Z", 951782400);
    time_taken("1900-01-01T00:00:00Z", -2208988800);
    time_taken("2200-12-31T00:00:00Z", 7289568000);
    time_taken("1773151320", 1773151320);
    time_taken("1773151320.75", 1773151320);
    time_taken("1773151320123", 1773151320);
    time_taken("1773151320123456", 1773151320);
    time_taken("1773151320123456789", 1773151320);
    time_taken("0", 0);
    time_taken("86400", 86400);

    time_left("2023-02-29T00:00:00Z", false); /* not a leap year */
    time_left("1900-02-29", false);           /* nor this: a century */
    time_left("2026-04-31", false);
    time_left("2026-13-01", false);
    time_left("2026-00-10", false);
    time_left("1899-12-31", false);
    time_left("2026-03/10", false);
    time_left("2026-03-10T25:00Z", false);
    time_left("2026-03-10T24:00:01Z", false);
    time_left("2026-03-10T14:60Z", false);
    time_left("2026-03-10T14:02:00+19:00", false);
    time_left("2026-03-10T14:02:00+05:60", false);
    time_left("2026-03-10T14:2", false);
    time_left("2026-03-10T14:02:00 UTC", true);
    time_left("2026-03-10T14:02:00 +01:00", true);
    time_left("2026-03-10T14:02:00UTC", true);
    time_left(" 2026-03-10T14:02:00Z", true);
    time_left("-1773151320", true);
    time_left("+1773151320", true);
    time_left("99999999999999999999", false);
    time_left("", false);
    time_left("T14:02", false);
    /* ',' may end the field, so it is never read as a decimal comma */
    const char *comma = "2026-03-10T14:02:00,5Z";
    struct dbf__day_cache cache = {0};
    int64_t t;
    assert_ptr_equal(dbf__metric_time_fast(comma, comma + strlen(comma), &cache, &t), comma + 19);
    assert_true(t == DAY_2026_03_10 + 14 * 3600 + 2 * 60);
}

static void test_time_day_cache(void **state)
{
    (void)state;
    struct dbf__day_cache cache = {0};
    static const char *const texts[] = {
        "2024-02-29T10:00:00Z", "2024-02-29T11:00:00Z", "2023-02-29T11:00:00Z",
        "2024-03-01T00:00:00Z", "2024-02-29T12:00:00Z", "2024/02/29T12:00:00Z",
    };
    static const bool valid[] = {true, true, false, true, true, true};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *end = texts[i] + strlen(texts[i]);
        int64_t fast = 0, general = 0;
        bool ok = dbf__metric_time_fast(texts[i], end, &cache, &fast) == end;
        assert_int_equal(ok, valid[i]);
        assert_int_equal(dbf__metric_time(texts[i], strlen(texts[i]), &general), valid[i]);
        if (ok)
            assert_true(fast == general);
    }
}

static char err[256];

static void parse_ok(const char *text, struct dbf__metric_data *data)
{
    err[0] = '\0';
    bool ok = dbf__metric_data_parse(text, strlen(text), data, err, sizeof err);
    if (!ok)
        print_message("refused: %s\n", err);
    assert_true(ok);
}

static void assert_refused(const char *text, const char *message)
{
    struct dbf__metric_data data;
    err[0] = '\0';
    assert_false(dbf__metric_data_parse(text, strlen(text), &data, err, sizeof err));
    if (strcmp(err, message) != 0)
        print_message("expected '%s', got '%s'\n", message, err);
    assert_string_equal(err, message);
}

/* Rows the fast path reads and rows it leaves to the record reader, mixed
 * in one file, give the points and messages the record reader alone does. */
static void test_csv_rows_fast_and_general(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    parse_ok("\xef\xbb\xbftime,a,b\r\n"
             "2026-03-10T00:00:00Z,1.5,2\r\n"                /* fast, CRLF */
             "\"2026-03-10T00:00:01Z\",\"3\",4\r\n"          /* quoted: a record */
             "\r\n"                                          /* blank line */
             "2026-03-10T00:00:02Z, 5 ,6%\n"                 /* spaces, '%': general fields */
             "2026-03-10T00:00:03Z,,8\n"                     /* blank cell */
             "2026-03-10T00:00:04Z,1e2,NaN\n"                /* exponent, NaN */
             "2026-03-10T00:00:05Z,1.0000000000000001,9,,\n" /* 17 digits, blank extra fields */
             "1773100806,7,\n"                               /* epoch seconds */
             "",
             &d);
    assert_int_equal(d.series_count, 2);
    const struct dbf__series *a = &d.series[0], *b = &d.series[1];
    assert_int_equal(a->count, 6);
    assert_int_equal(b->count, 5);
    static const double av[] = {1.5, 3, 5, 100, 1.0000000000000001, 7};
    static const int64_t at[] = {0, 1, 2, 4, 5, 6};
    for (size_t i = 0; i < 6; i++) {
        assert_true(same_bits(a->v[i], av[i]));
        assert_true(a->t[i] == DAY_2026_03_10 + at[i]);
    }
    static const double bv[] = {2, 4, 6, 8, 9};
    for (size_t i = 0; i < 5; i++)
        assert_true(same_bits(b->v[i], bv[i]));
    dbf__metric_data_release(&d);
}

static void test_csv_messages_after_fast_rows(void **state)
{
    (void)state;
    assert_refused("time,v\n2026-03-10T00:00:00Z,1\n2026-03-10T00:00:01Z,x\n",
                   "3: column 'v': 'x' is not a number");
    assert_refused("time,v\n2026-03-10T00:00:00Z,1\n\n2026-03-10T00:00:01Z,1,2\n",
                   "4: 3 fields, but the header has 2");
    /* a decimal comma in the time would hide the extra field */
    assert_refused("time,v\n2026-03-10T00:00:00Z,1\n2026-03-10T00:00:01,5,7\n",
                   "3: 3 fields, but the header has 2");
    assert_refused("time,v\n2026-03-10T00:00:00Z,1\n2026-03-10T00:00:01Z\n",
                   "3: 1 field, but the header has 2");
    assert_refused("time,v\n2026-03-10T00:00:00Z,1\n2023-02-29T00:00:00Z,1\n",
                   "3: '2023-02-29T00:00:00Z' is not a time: expected ISO 8601 "
                   "(2026-03-10T14:02:00Z), '2026-03-10 14:02' (UTC) or epoch seconds");
    assert_refused("time,v\n2026-03-10T00:00:00Z,1\n,1\n", "3: no time in the time column");
    assert_refused("time,v\n2026-03-10T00:00:00Z,1\r\n2026-03-10T00:00:01Z,\"1\n",
                   "3: a quoted field is not closed");
    assert_refused("time,v\n2026-03-10T00:00:00Z,\"a\nb\"\n2026-03-10T00:00:01Z,y\n",
                   "2: column 'v': 'a\nb' is not a number");
}

/* Semicolons and tabs, and the time column elsewhere than first. */
static void test_csv_other_layouts(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    parse_ok("v;time\n2.5;2026-03-10T00:00:01Z\n", &d);
    assert_int_equal(d.series[0].count, 1);
    assert_true(same_bits(d.series[0].v[0], 2.5));
    dbf__metric_data_release(&d);
    assert_refused("v;time\n1;2026-03-10T00:00:00Z\n1,5;2026-03-10T00:00:01Z\n",
                   "3: column 'v': '1,5' is not a number");
    parse_ok("a\tts\tb\n1\t1773100800\t2\n3\t1773100801\t\n", &d);
    assert_int_equal(d.series[0].count, 2);
    assert_int_equal(d.series[1].count, 1);
    assert_true(d.series[0].t[1] == DAY_2026_03_10 + 1);
    dbf__metric_data_release(&d);
}

/* Series of a file with a value in every cell share one array of times;
 * a row that lacks one, a row read as a record or rows out of order give
 * each series its own, with the same points as ever. */
static void test_csv_shared_times(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    parse_ok("time,a,b,c\n"
             "2026-03-10T00:00:00Z,1,2,3\n"
             "2026-03-10T00:00:01Z,4,5,6\n",
             &d);
    assert_ptr_equal(d.series[1].t, d.series[0].t);
    assert_ptr_equal(d.series[2].t, d.series[0].t);
    assert_true(same_bits(d.series[2].v[1], 6));
    assert_true(d.first == DAY_2026_03_10 && d.last == DAY_2026_03_10 + 1);
    dbf__metric_data_release(&d);

    /* a blank cell */
    parse_ok("time,a,b\n"
             "2026-03-10T00:00:00Z,1,2\n"
             "2026-03-10T00:00:01Z,,5\n"
             "2026-03-10T00:00:02Z,7,8\n",
             &d);
    assert_true(d.series[1].t != d.series[0].t);
    assert_int_equal(d.series[0].count, 2);
    assert_int_equal(d.series[1].count, 3);
    assert_true(d.series[0].t[1] == DAY_2026_03_10 + 2 && same_bits(d.series[0].v[1], 7));
    assert_true(d.series[1].t[1] == DAY_2026_03_10 + 1 && same_bits(d.series[1].v[1], 5));
    dbf__metric_data_release(&d);

    /* a row read as a record (quoted), then plain rows */
    parse_ok("time,a,b\n"
             "2026-03-10T00:00:00Z,1,2\n"
             "\"2026-03-10T00:00:01Z\",3,4\n"
             "2026-03-10T00:00:02Z,5,6\n",
             &d);
    assert_true(d.series[1].t != d.series[0].t);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(d.series[k].count, 3);
        for (size_t i = 0; i < 3; i++) {
            assert_true(d.series[k].t[i] == DAY_2026_03_10 + (int64_t)i);
            assert_true(same_bits(d.series[k].v[i], (double)(2 * i + k + 1)));
        }
    }
    dbf__metric_data_release(&d);

    /* out of order: each series sorted with its own times, ties in file order */
    parse_ok("time,a,b\n"
             "2026-03-10T00:00:02Z,1,2\n"
             "2026-03-10T00:00:00Z,3,4\n"
             "2026-03-10T00:00:02Z,5,6\n"
             "2026-03-10T00:00:01Z,7,8\n",
             &d);
    assert_true(d.series[1].t != d.series[0].t);
    static const double a[] = {3, 7, 1, 5}, b[] = {4, 8, 2, 6};
    static const int64_t at[] = {0, 1, 2, 2};
    for (size_t i = 0; i < 4; i++) {
        assert_true(d.series[0].t[i] == DAY_2026_03_10 + at[i]);
        assert_true(d.series[1].t[i] == DAY_2026_03_10 + at[i]);
        assert_true(same_bits(d.series[0].v[i], a[i]) && same_bits(d.series[1].v[i], b[i]));
    }
    dbf__metric_data_release(&d);

    /* out of order in the first pair only, then in the last pair only */
    static const char *const pairs[] = {"time,a,b\n"
                                        "2026-03-10T00:00:01Z,1,2\n"
                                        "2026-03-10T00:00:00Z,3,4\n"
                                        "2026-03-10T00:00:02Z,5,6\n",
                                        "time,a,b\n"
                                        "2026-03-10T00:00:00Z,3,4\n"
                                        "2026-03-10T00:00:02Z,5,6\n"
                                        "2026-03-10T00:00:01Z,1,2\n"};
    for (size_t k = 0; k < 2; k++) {
        parse_ok(pairs[k], &d);
        for (size_t i = 0; i < 3; i++)
            assert_true(d.series[0].t[i] == DAY_2026_03_10 + (int64_t)i &&
                        d.series[1].t[i] == DAY_2026_03_10 + (int64_t)i);
        assert_true(same_bits(d.series[0].v[0], 3) && same_bits(d.series[1].v[1], 2));
        dbf__metric_data_release(&d);
    }

    /* many rows: the shared times grow past the room guessed from the first row */
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    dbf_buf_adds(&text, "time,a,b\n1773100800,0.00000000000000,-0.00000000000000\n");
    for (int i = 1; i < 5000; i++)
        dbf_buf_addf(&text, "%d,%d.25,%d\n", 1773100800 + i, i, -i);
    parse_ok(text.data, &d);
    assert_ptr_equal(d.series[1].t, d.series[0].t);
    assert_int_equal(d.series[1].count, 5000);
    assert_true(d.series[1].t[4999] == DAY_2026_03_10 + 4999);
    assert_true(same_bits(d.series[0].v[4999], 4999.25) && same_bits(d.series[1].v[4999], -4999));
    dbf__metric_data_release(&d);
    dbf_buf_release(&text);
}

/* ---- Rows in bulk (metric_rows.c) ---- */

static uint64_t next_random(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    return *seed >> 17;
}

/* The rows of a CSV text (after its header), each with its fields as the
 * general parsers read them. */
struct test_rows {
    struct dbf_buf text;
    size_t *start;  /* where each row starts in text */
    bool *readable; /* every field of it read by the general parsers */
    int64_t *t;
    double *v; /* VALUES per row */
    size_t count, values;
};

static void rows_add(struct test_rows *r, const char *time, const char *const *fields)
{
    r->start = realloc(r->start, (r->count + 1) * sizeof *r->start);
    r->readable = realloc(r->readable, (r->count + 1) * sizeof *r->readable);
    r->t = realloc(r->t, (r->count + 1) * sizeof *r->t);
    r->v = realloc(r->v, (r->count + 1) * r->values * sizeof *r->v);
    assert_non_null(r->start);
    assert_non_null(r->readable);
    assert_non_null(r->t);
    assert_non_null(r->v);
    size_t i = r->count++;
    r->start[i] = r->text.len;
    r->readable[i] = dbf__metric_time(time, strlen(time), &r->t[i]);
    dbf_buf_adds(&r->text, time);
    for (size_t k = 0; k < r->values; k++) {
        dbf_buf_addc(&r->text, ',');
        dbf_buf_adds(&r->text, fields[k]);
        r->readable[i] =
            r->readable[i] && dbf__metric_number(fields[k], strlen(fields[k]),
                                                 &r->v[i * r->values + k]) == DBF__CELL_VALUE;
    }
    dbf_buf_addc(&r->text, '\n');
}

static void rows_release(struct test_rows *r)
{
    dbf_buf_release(&r->text);
    free(r->start);
    free(r->readable);
    free(r->t);
    free(r->v);
}

/* Reads R's rows in bulk from an array of exactly their size (so that a
 * read past its end is caught under the address sanitizer), skipping each
 * row the bulk reader leaves as the CSV reader would read it its own way:
 * every row read has the general parsers' time and values, bit for bit.
 * How many rows were read in bulk. */
static size_t rows_check(const struct test_rows *r, size_t room)
{
    char *copy = malloc(r->text.len);
    assert_non_null(copy);
    memcpy(copy, r->text.data, r->text.len);
    const char *end = copy + r->text.len;
    struct dbf__row_reader reader;
    dbf__row_reader_init(&reader, ',', r->values);
    int64_t *t = calloc(r->count + 1, sizeof *t);
    double *v[DBF__ROW_VALUES_MAX];
    for (size_t k = 0; k < r->values; k++) {
        v[k] = calloc(r->count + 1, sizeof *v[k]);
        assert_non_null(v[k]);
    }
    size_t row = 0, bulk = 0;
    while (row < r->count) {
        const char *stop;
        double *at[DBF__ROW_VALUES_MAX];
        for (size_t k = 0; k < r->values; k++)
            at[k] = v[k] + row;
        size_t n = dbf__metric_rows_fast(&reader, copy + r->start[row], end, t + row, at,
                                         room < r->count - row ? room : r->count - row, &stop);
        for (size_t i = row; i < row + n; i++) {
            if (!r->readable[i] || t[i] != r->t[i])
                print_message("row %zu '%.40s': %s, %lld for %lld\n", i, r->text.data + r->start[i],
                              r->readable[i] ? "taken" : "not readable", (long long)t[i],
                              (long long)r->t[i]);
            assert_true(r->readable[i] && t[i] == r->t[i]);
            for (size_t k = 0; k < r->values; k++) {
                double want = r->v[i * r->values + k];
                if (!same_bits(v[k][i], want))
                    print_message("row %zu '%.60s' value %zu: %.17g for %.17g\n", i,
                                  r->text.data + r->start[i], k, v[k][i], want);
                assert_true(same_bits(v[k][i], want));
            }
        }
        row += n;
        bulk += n;
        assert_ptr_equal(stop, row < r->count ? copy + r->start[row] : end);
        if (!n)
            row++; /* read by the CSV reader's other ways */
    }
    for (size_t k = 0; k < r->values; k++)
        free(v[k]);
    free(t);
    free(copy);
    return bulk;
}

/* A random time near the last, in one of the forms metric files use; ISO
 * times mostly a second or so on, sometimes across a minute, hour, day,
 * month or year, with offsets and fractions that change now and then. */
static void random_time(uint64_t *seed, int64_t *at, uint64_t *form, char *out, size_t size)
{
    uint64_t r = next_random(seed);
    if (r % 64 == 0)
        *form = next_random(seed); /* the form, zone and fraction change now and then */
    static const int64_t steps[] = {1,  1,    1,     1,          0,           2,  59,
                                    61, 3600, 86399, 86400 * 31, 86400 * 365, -1, -3600};
    *at += steps[r % (sizeof steps / sizeof steps[0])];
    int64_t days = *at / 86400, sec = *at % 86400;
    /* civil from days (1970-based), as Howard Hinnant's algorithm */
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    int h = (int)(sec / 3600), mi = (int)(sec / 60 % 60), s = (int)(sec % 60);
    static const char *const zones[] = {"Z",      "Z",      "Z",     "Z",   "z", "+00:00",
                                        "+05:30", "-08:00", "+0545", "-03", ""};
    const char *zone = zones[(*form >> 8) % (sizeof zones / sizeof zones[0])];
    static const char *const fractions[] = {"", "", "", "", ".000", ".5", ".123456", ".999"};
    const char *fraction = fractions[(*form >> 16) % (sizeof fractions / sizeof fractions[0])];
    switch ((r >> 24) % 16 == 0 ? (r >> 28) % 4 : (*form >> 24) % 8) {
    case 0:
        snprintf(out, size, "%lld", (long long)*at);
        break;
    case 1:
        snprintf(out, size, "%lld123", (long long)*at);
        break;
    case 2:
        snprintf(out, size, "%04lld-%02lld-%02lld %02d:%02d:%02d%s", (long long)y, (long long)m,
                 (long long)d, h, mi, s, zone);
        break;
    case 3:
        snprintf(out, size, "%04lld-%02lld-%02lldT%02d:%02d%s", (long long)y, (long long)m,
                 (long long)d, h, mi, zone);
        break;
    case 4:
        snprintf(out, size, "%04lld-%02lld-%02lldT%02d:%02d:60Z", (long long)y, (long long)m,
                 (long long)d, h, mi); /* a leap second */
        break;
    default:
        snprintf(out, size, "%04lld-%02lld-%02lldT%02d:%02d:%02d%s%s", (long long)y, (long long)m,
                 (long long)d, h, mi, s, fraction, zone);
    }
}

/* A random number as metric files hold them: mostly short decimals, then
 * 15, 16 and 17 significant digits, signs, exponents, and fields that the
 * fast paths leave (spaces, '%', words, blanks). */
static void random_number(uint64_t *seed, char *out, size_t size)
{
    uint64_t r = next_random(seed);
    int kind = (int)(r % 32);
    if (kind < 20) {
        /* up to 8 digits with 0 to 6 places: the short numbers of most files */
        static const int places[] = {0, 1, 2, 2, 2, 3, 6};
        static const long long tens[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
        int p = places[(r >> 5) % 7];
        const char *sign = (r >> 30) % 8 == 0 ? "-" : "";
        long long whole = (long long)((r >> 8) % (kind < 10 ? 1000 : 100000));
        long long fraction = (long long)((r >> 34) % (uint64_t)tens[p]);
        if (p)
            snprintf(out, size, "%s%lld.%0*lld", sign, whole, p, fraction);
        else
            snprintf(out, size, "%s%lld", sign, whole);
        return;
    }
    uint64_t big = next_random(seed) * 977 + next_random(seed);
    switch (kind) {
    case 20:
    case 21:
        snprintf(out, size, "%.15g", (double)(big % 1000000000000000u) / 1000.0);
        break;
    case 22:
        snprintf(out, size, "%llu.%u", (unsigned long long)(big % 10000000000000000u),
                 (unsigned)(r % 10)); /* 17 digits */
        break;
    case 23:
        snprintf(out, size, "0.%016llu", (unsigned long long)(big % 10000000000000000u));
        break;
    case 24:
        snprintf(out, size, "%llue%d", (unsigned long long)(big % 1000), (int)(r % 7) - 3);
        break;
    case 25:
        snprintf(out, size, "+%u.%u", (unsigned)(r % 100), (unsigned)(r >> 9) % 100);
        break;
    case 26:
        snprintf(out, size, " %u", (unsigned)(r % 100));
        break;
    case 27:
        snprintf(out, size, "%u%%", (unsigned)(r % 100));
        break;
    case 28:
        snprintf(out, size, "%s", (r >> 6) % 2 ? "NaN" : "");
        break;
    case 29:
        snprintf(out, size, ".%u", (unsigned)(r % 1000));
        break;
    case 30:
        snprintf(out, size, "%u.", (unsigned)(r % 1000));
        break;
    default:
        snprintf(out, size, "%llu", (unsigned long long)(big % 100000000000000u)); /* 14 digits */
    }
}

/* Random rows, compared with the general parsers row by row. */
static void test_rows_random(void **state)
{
    (void)state;
    uint64_t seed = 7;
    size_t bulk = 0, readable = 0, rows = 0;
    for (int round = 0; round < 60; round++) {
        struct test_rows r = {.values = 1 + (size_t)(next_random(&seed) % 4)};
        dbf_buf_init(&r.text, 0);
        int64_t at = 1773100800 - 86400 * 400 + (int64_t)(next_random(&seed) % 86400);
        uint64_t form = next_random(&seed);
        for (int i = 0; i < 2000; i++) {
            char time[64], numbers[DBF__ROW_VALUES_MAX][64];
            const char *fields[DBF__ROW_VALUES_MAX];
            random_time(&seed, &at, &form, time, sizeof time);
            for (size_t k = 0; k < r.values; k++) {
                random_number(&seed, numbers[k], sizeof numbers[k]);
                fields[k] = numbers[k];
            }
            rows_add(&r, time, fields);
        }
        bulk += rows_check(&r, (size_t)-1);
        bulk += rows_check(&r, 1 + (size_t)(next_random(&seed) % 7)); /* little room */
        for (size_t i = 0; i < r.count; i++)
            readable += r.readable[i];
        rows += 2 * r.count;
        rows_release(&r);
    }
    /* the bulk reader took most rows, and left some that can be read */
    print_message("rows %zu, readable %zu, in bulk %zu\n", rows, readable * 2, bulk);
    assert_true(bulk > rows / 20);
    assert_true(bulk < readable * 2);
}

/* Times of one minute after another, where the bulk reader adds the
 * seconds to the minute it read last; and every change that must make it
 * read the time again. */
static void test_rows_time_shortcut(void **state)
{
    (void)state;
    static const char *const times[] = {
        "2026-03-10T23:59:58Z",
        "2026-03-10T23:59:59Z",
        "2026-03-11T00:00:00Z",
        "2026-03-11T00:00:01Z",
        "2026-03-11T00:00:59Z",
        "2026-03-11T00:00:60Z",
        "2026-03-11T00:01:00Z",
        "2026-03-11T00:01:07+05:30",
        "2026-03-11T00:01:07+05:45",
        "2026-03-11T00:01:08+05:45",
        "2026-03-11T00:01:08-05:45",
        "2026-03-11T00:01:09-0545",
        "2026-03-11T00:01:09.250Z",
        "2026-03-11T00:01:10.250Z",
        "2026-03-11T00:01:10.750Z",
        "2026-03-11 00:01:11",
        "2026-03-11T00:01:12",
        "2026-12-31T23:59:59Z",
        "2027-01-01T00:00:00Z",
        "2027-01-01T00:00:09Z",
        "2027-01-01T24:00:00Z",
        "2027-01-01T24:00:05Z",
        "2027-01-01T00:00:10Z",
        "2024-02-29T23:59:59Z",
        "2024-02-29T23:59:5xZ",
        "2024-02-29T23:59:55Z",
        "2024-02-29T23:59:70Z",
        "2024-02-29T23:59:05Z",
        "1773100800",
        "1773100801",
        "2026-03-10T00:00:00Z",
        "2026-03-10T00:00:00Z",
    };
    struct test_rows r = {.values = 1};
    dbf_buf_init(&r.text, 0);
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        const char *one = "1";
        rows_add(&r, times[i], &one);
    }
    rows_add(&r, "2026-03-10T00:00:01Z", (const char *const[]){"1.5"});
    size_t bulk = rows_check(&r, (size_t)-1);
    /* all but the bad seconds, the seconds after 24:00, and the last row */
    assert_int_equal(bulk, r.count - 4);
    rows_release(&r);
}

/* A column whose numbers change shape from row to row: each is read anew. */
static void test_rows_number_shapes(void **state)
{
    (void)state;
    static const char *const numbers[] = {
        "0.31",
        "0.28",
        "10.5",
        "7",
        "7.",
        ".7",
        "-3.25",
        "-3.25",
        "+3.25",
        "-.5",
        "0.31",
        "0.3.1",
        "0.31",
        "1234567",
        "12345678",
        "1234.5678",
        "0.31",
        "1e3",
        "0.31",
        "00000.5",
        "0.3a",
        "0.31",
        "9999999",
        "0.0000001",
        "123456789012345",
        "1234567890123456",
        "0.31",
        "-",
        ".",
        "",
        "0.31",
        "0.31",
    };
    struct test_rows r = {.values = 2};
    dbf_buf_init(&r.text, 0);
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char time[32];
        snprintf(time, sizeof time, "2026-03-10T00:00:%02zuZ", i % 60);
        rows_add(&r, time, (const char *const[]){numbers[i], "42.5"});
        rows_add(&r, time, (const char *const[]){"42.5", numbers[i]});
    }
    size_t bulk = rows_check(&r, (size_t)-1);
    size_t readable = 0;
    for (size_t i = 0; i < r.count; i++)
        readable += r.readable[i];
    /* all readable rows but those of 16 digits, exponents, and the last */
    assert_int_equal(bulk, readable - 5);
    rows_release(&r);
}

/* Rows that end in CRLF, or otherwise than the bulk reader takes. */
static void test_rows_line_ends(void **state)
{
    (void)state;
    static const char text[] = "2026-03-10T00:00:00Z,1.5,2\r\n"
                               "2026-03-10T00:00:01Z,1.5,2\r\n"
                               "2026-03-10T00:00:02Z,1.5,2\r"
                               "2026-03-10T00:00:03Z,1.5,2\n"
                               "2026-03-10T00:00:04Z,1.5,2,\n"
                               "2026-03-10T00:00:05Z,1.5\n"
                               "2026-03-10T00:00:06Z,\"1.5\",2\n"
                               "\n"
                               "2026-03-10T00:00:07Z;1.5;2\n"
                               "2026-03-10T00:00:08Z,1.5,2\n"
                               "................................";
    struct dbf__row_reader reader;
    dbf__row_reader_init(&reader, ',', 2);
    int64_t t[8];
    double a[8], b[8], *v[] = {a, b};
    const char *end = text + sizeof text - 1, *stop;
    assert_int_equal(dbf__metric_rows_fast(&reader, text, end, t, v, 8, &stop), 2);
    assert_ptr_equal(stop, strstr(text, "2026-03-10T00:00:02Z"));
    assert_true(t[1] == DAY_2026_03_10 + 1 && same_bits(a[1], 1.5) && same_bits(b[1], 2));
    static const char *const refused[] = {"00:02Z", "00:04Z", "00:05Z", "00:06Z", "\n\n", "00:07Z"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const char *at = strstr(text, refused[i]);
        at = i == 4 ? at + 1 : at - 17;
        assert_int_equal(dbf__metric_rows_fast(&reader, at, end, t, v, 8, &stop), 0);
        assert_ptr_equal(stop, at);
    }
    const char *last = strstr(text, "2026-03-10T00:00:08Z");
    assert_int_equal(dbf__metric_rows_fast(&reader, last, end, t, v, 8, &stop), 1);
    assert_true(t[0] == DAY_2026_03_10 + 8);
    /* a separator other than the reader's, and too many values for it */
    dbf__row_reader_init(&reader, ';', 2);
    const char *semi = strstr(text, "2026-03-10T00:00:07Z");
    assert_int_equal(dbf__metric_rows_fast(&reader, semi, end, t, v, 8, &stop), 1);
    dbf__row_reader_init(&reader, ',', DBF__ROW_VALUES_MAX + 1);
    assert_int_equal(dbf__metric_rows_fast(&reader, text, end, t, v, 8, &stop), 0);
}

/* Whole files through the CSV reader: rows in bulk and rows read otherwise
 * mixed anywhere in a million-row file give the points and messages the
 * record reader gives. */
static void test_csv_big_files(void **state)
{
    (void)state;
    enum { ROWS = 510000 };
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    dbf_buf_adds(&text, "\xef\xbb\xbftime,a,b\n");
    for (int i = 0; i < ROWS; i++) {
        int64_t t = DAY_2026_03_10 + i;
        char line[96];
        snprintf(line, sizeof line, "2026-03-%02dT%02d:%02d:%02dZ,%d.%02d,%d\n",
                 10 + (int)(i / 86400), (int)(t % 86400 / 3600), (int)(t % 3600 / 60),
                 (int)(t % 60), i % 1000, i % 100, i);
        if (i == 100000)
            dbf_buf_adds(&text, "\n\n"); /* blank lines */
        if (i == 200000)
            snprintf(line, sizeof line, "\"2026-03-12T07:33:20Z\",\"0.00\",200000\n");
        if (i == 300000)
            line[strlen(line) - 1] = '\r', dbf_buf_adds(&text, line),
                                snprintf(line, sizeof line, "\n");
        dbf_buf_adds(&text, line);
    }
    struct dbf__metric_data d;
    parse_ok(text.data, &d);
    assert_int_equal(d.series_count, 2);
    assert_int_equal(d.series[0].count, ROWS);
    assert_int_equal(d.series[1].count, ROWS);
    for (int i = 0; i < ROWS; i += 997) {
        assert_true(d.series[0].t[i] == DAY_2026_03_10 + i);
        assert_true(same_bits(d.series[0].v[i], (double)(i % 1000 * 100 + i % 100) / 100));
        assert_true(same_bits(d.series[1].v[i], (double)i));
    }
    dbf__metric_data_release(&d);

    /* a bad number in row 500,000: the line is named after the header, the
     * rows and the two blank lines */
    size_t at = 0;
    for (int line = 1; line < 500000 + 3; at++)
        line += text.data[at] == '\n';
    struct dbf_buf bad;
    dbf_buf_init(&bad, 0);
    dbf_buf_add(&bad, text.data, at);
    dbf_buf_adds(&bad, "2026-03-15T18:53:19Z,1.x5,4\n");
    dbf_buf_adds(&bad, strchr(text.data + at, '\n') + 1);
    assert_refused(bad.data, "500003: column 'a': '1.x5' is not a number");

    /* times going back in the middle: sorted, each series with its own */
    dbf_buf_reset(&bad);
    dbf_buf_add(&bad, text.data, at);
    dbf_buf_adds(&bad, "2026-03-10T00:00:00Z,5,5\n");
    dbf_buf_adds(&bad, strchr(text.data + at, '\n') + 1);
    parse_ok(bad.data, &d);
    assert_int_equal(d.series[0].count, ROWS);
    assert_true(d.series[0].t[0] == DAY_2026_03_10 && d.series[0].t[1] == DAY_2026_03_10);
    assert_true(same_bits(d.series[1].v[0], 0) && same_bits(d.series[1].v[1], 5));
    assert_true(d.series[1].t[ROWS - 1] == DAY_2026_03_10 + ROWS - 1);
    dbf__metric_data_release(&d);

    /* a quote left open far down */
    dbf_buf_reset(&bad);
    dbf_buf_add(&bad, text.data, at);
    dbf_buf_adds(&bad, "2026-03-15T18:53:19Z,\"1.5,4\n");
    assert_refused(bad.data, "500003: a quoted field is not closed");
    dbf_buf_release(&bad);

    /* one value column: its own times, rows in bulk all the same */
    dbf_buf_reset(&text);
    dbf_buf_adds(&text, "time,only\n");
    for (int i = 0; i < 5000; i++)
        dbf_buf_addf(&text, "2026-03-10T%02d:%02d:%02dZ,%d.5\n", i / 3600, i / 60 % 60, i % 60, i);
    parse_ok(text.data, &d);
    assert_int_equal(d.series_count, 1);
    assert_int_equal(d.series[0].count, 5000);
    for (int i = 0; i < 5000; i++)
        assert_true(d.series[0].t[i] == DAY_2026_03_10 + i && same_bits(d.series[0].v[i], i + 0.5));
    dbf__metric_data_release(&d);
    dbf_buf_release(&text);
}

/* The reduction as it was first written: each point's column computed on
 * its own, (t - start) * columns / span, the last column taking END; the
 * columns hold indices. */
struct divided_column {
    size_t first, last, min, max;
    bool used;
};

static void reduce_by_division(const struct dbf__series *s, int64_t start, int64_t end, int columns,
                               struct divided_column *out)
{
    memset(out, 0, (size_t)columns * sizeof *out);
    int64_t span = end - start;
    for (size_t i = 0; i < s->count; i++) {
        double v = s->v[i];
        if (s->t[i] < start || s->t[i] > end || isnan(v))
            continue;
        int64_t col = span ? (s->t[i] - start) * columns / span : 0;
        if (col >= columns)
            col = columns - 1;
        struct divided_column *c = &out[col];
        if (!c->used) {
            *c = (struct divided_column){i, i, i, i, true};
            continue;
        }
        c->last = i;
        if (v < s->v[c->min])
            c->min = i;
        if (v > s->v[c->max])
            c->max = i;
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The hash bit of dbf__reduction_finish()'s definition. */
static unsigned child_bit(unsigned level, uint64_t block)
{
    uint64_t x = block * 64 + level + 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return (unsigned)((x ^ (x >> 31)) & 1);
}

/* The gap as its definition says, level by level from the lowest: among
 * the visible points a..b-1, block B of level L is sampled at the point
 * that its child block 2B + H(L, B) of level L - 1 is, block B of level 0
 * at point B; the positive intervals ending at those points (not at point
 * 0) are the samples, at the least level with at most DBF__GAP_SAMPLES. */
static int64_t gap_by_definition(const struct dbf__series *s, size_t a, size_t b)
{
    if (b - a < 4)
        return 0;
    static int64_t sample[1 << 16];
    size_t n;
    for (unsigned level = 0;; level++) {
        n = 0;
        for (uint64_t block = 0; block << level < b - a; block++) {
            uint64_t at = block;
            for (unsigned l = level; l > 0; l--)
                at = 2 * at + child_bit(l, at);
            if (at == 0 || at >= b - a)
                continue;
            int64_t interval = s->t[a + at] - s->t[a + at - 1];
            if (interval > 0)
                sample[n++] = interval;
        }
        if (n <= DBF__GAP_SAMPLES)
            break;
    }
    if (!n)
        return 0;
    qsort(sample, n, sizeof *sample, cmp_i64);
    return sample[n / 2] * DBF__GAP_FACTOR;
}

static void assert_kept(const struct dbf__series *s, const struct dbf__kept_point *p, size_t i)
{
    assert_int_equal(p->at, i);
    assert_true(p->t == s->t[i]);
    assert_true(same_bits(p->v, s->v[i]));
}

/* The reduction takes the sorted points run by run; it puts every point in
 * the column the division does, at the edges of columns, with repeated
 * times, NaN, points outside the range and a range of one instant, and
 * finds the points around the edges and the gap as defined, however the
 * points are cut into runs. */
static void test_reduce_columns_as_divided(void **state)
{
    (void)state;
    uint64_t seed = 42;
    struct divided_column want[97];
    for (int round = 0; round < 400; round++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t n = 1 + (size_t)(seed >> 33) % (round % 7 == 0 ? 30000 : 3000);
        struct dbf__series s = {.count = n};
        s.t = malloc(n * sizeof *s.t);
        s.v = malloc(n * sizeof *s.v);
        assert_non_null(s.t);
        assert_non_null(s.v);
        int64_t t = 1773100800 - (int64_t)(seed >> 40) % 500;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            t += (int64_t)(seed >> 61); /* 0 to 7 seconds on: repeats too */
            s.t[i] = t;
            s.v[i] = (seed >> 50) % 50 == 0 ? NAN : (double)((seed >> 20) % 1000);
        }
        int64_t start = 1773100800 + (int64_t)(seed >> 44) % 300 - 150;
        int64_t end = round % 10 == 0 ? start : start + 1 + (int64_t)(seed >> 30) % 9000;
        int columns = 1 + (int)((seed >> 8) % 97);
        struct dbf__reduction r;
        assert_true(dbf__reduction_init(&r, start, end, columns));
        for (size_t at = 0; at < n;) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t run = round % 3 == 0 ? n : 1 + (size_t)(seed >> 40) % 700;
            run = run < n - at ? run : n - at;
            dbf__reduction_feed(&r, s.t + at, s.v + at, run);
            at += run;
        }
        dbf__reduction_finish(&r);
        reduce_by_division(&s, start, end, columns, want);
        size_t a = 0, b;
        while (a < n && s.t[a] < start)
            a++;
        for (b = a; b < n && s.t[b] <= end;)
            b++;
        assert_int_equal(r.visible, b - a);
        assert_int_equal(r.has_before, a > 0 && a < n);
        assert_int_equal(r.has_from, a < n);
        assert_int_equal(r.has_to, b > 0 && b < n);
        assert_int_equal(r.has_after, b < n);
        if (r.has_before)
            assert_kept(&s, &r.before, a - 1);
        if (r.has_from)
            assert_kept(&s, &r.from, a);
        if (r.has_to)
            assert_kept(&s, &r.to, b - 1);
        if (r.has_after)
            assert_kept(&s, &r.after, b);
        assert_true(r.gap == gap_by_definition(&s, a, b));
        for (int c = 0; c < columns; c++) {
            const struct dbf__column *got = &r.column[c];
            assert_int_equal(got->used, want[c].used);
            if (!got->used)
                continue;
            assert_kept(&s, &got->first, want[c].first);
            assert_kept(&s, &got->last, want[c].last);
            assert_kept(&s, &got->min, want[c].min);
            assert_kept(&s, &got->max, want[c].max);
        }
        dbf__reduction_release(&r);
        free(s.t);
        free(s.v);
    }
}

/* A row of a time to the second (in one of its forms) and VALUES numbers
 * of the widths and points in SHAPE (each: digits before the point, digits
 * after it, 0 after: no point), written to OUT with DBF__LAYOUT_SLACK bytes
 * of other rows after it; its length. */
static size_t layout_row(uint64_t *seed, char *out, size_t size, int64_t at, unsigned form,
                         size_t values, unsigned (*shape)[2], char sep)
{
    static const char *const forms[][2] = {{"T", "Z"}, {" ", ""}, {"t", "+05:30"}, {"T", ".5z"}};
    int64_t day = at / 86400, s = at % 86400;
    int n = snprintf(out, size, "2026-%02d-%02d%s%02d:%02d:%02d%s", 1 + (int)(day % 12),
                     1 + (int)(day % 28), forms[form % 4][0], (int)(s / 3600), (int)(s / 60 % 60),
                     (int)(s % 60), forms[form % 4][1]);
    for (size_t k = 0; k < values; k++) {
        n += snprintf(out + n, size - (size_t)n, "%c", sep);
        for (unsigned i = 0; i < shape[k][0]; i++)
            out[n++] = (char)('0' + next_random(seed) % 10);
        if (shape[k][1])
            out[n++] = '.';
        for (unsigned i = 1; i < shape[k][1]; i++)
            out[n++] = (char)('0' + next_random(seed) % 10);
    }
    n += snprintf(out + n, size - (size_t)n, "%s", form & 4 ? "\r\n" : "\n");
    size_t len = (size_t)n;
    memset(out + len, '7', DBF__LAYOUT_SLACK);
    return len;
}

/* The fields of the row at P (ended by a line end), split at SEP. */
static size_t split_row(const char *p, char sep, const char **field, size_t *len, size_t max)
{
    size_t count = 0;
    const char *start = p;
    for (;; p++) {
        if (*p == sep || *p == '\r' || *p == '\n') {
            if (count < max) {
                field[count] = start;
                len[count] = (size_t)(p - start);
            }
            count++;
            start = p + 1;
            if (*p != sep)
                return count;
        }
    }
}

/* Whenever a row fits a layout, the layout reads it as the general parsers
 * do: its time, each value's number, and the order of two values of a
 * column from their keys alone. Rows of the learnt layout with other
 * digits fit; rows with a byte changed fit only when they read the same;
 * a new hour and minute is taken by a step when it is a time. */
static void test_row_layouts(void **state)
{
    (void)state;
    uint64_t seed = 11;
    size_t fits = 0, changed_fits = 0, steps = 0;
    for (int round = 0; round < 400; round++) {
        size_t values = 1 + (size_t)(next_random(&seed) % 4);
        unsigned shape[DBF__ROW_VALUES_MAX][2];
        for (size_t k = 0; k < values; k++) {
            shape[k][0] = (unsigned)(next_random(&seed) % 5);
            shape[k][1] = shape[k][0] ? (unsigned)(next_random(&seed) % 5)
                                      : 2 + (unsigned)(next_random(&seed) % 3);
        }
        char sep = ",;\t"[next_random(&seed) % 3];
        unsigned form = (unsigned)next_random(&seed) % 8;
        int64_t at = (int64_t)(next_random(&seed) % (400 * 86400));
        char row[256], other[256];
        size_t len = layout_row(&seed, row, sizeof row, at, form, values, shape, sep);
        struct dbf__row_layout l;
        dbf__row_layout_init(&l, sep, values);
        bool wide = false;
        for (size_t k = 0; k < values; k++)
            wide = wide || shape[k][0] + shape[k][1] > 8;
        bool learnt = dbf__row_layout_learn(&l, row, row + len + DBF__LAYOUT_SLACK);
        assert_true(learnt == (!wide && len <= DBF__LAYOUT_BYTES));
        if (!learnt)
            continue;
        uint64_t prev_key[DBF__ROW_VALUES_MAX];
        double prev_value[DBF__ROW_VALUES_MAX];
        for (int i = 0; i < 200; i++) {
            /* Within the minute learnt, or at any time of its day. */
            int64_t t = i % 4 == 3 ? at - at % 86400 + (int64_t)(next_random(&seed) % 86400)
                                   : at - at % 60 + (int64_t)(next_random(&seed) % 60);
            size_t n = layout_row(&seed, other, sizeof other, t, form, values, shape, sep);
            bool change = i % 2;
            if (change) /* a byte changed, anywhere in the row or just after it */
                other[next_random(&seed) % (n + 2)] =
                    "0123456789.:-+ ,;\tTZ\r\n\"x"[next_random(&seed) % 24];
            struct dbf__row_layout stepped = l;
            uint64_t misfits = dbf__row_layout_misfits(&l, other);
            if (misfits && dbf__row_layout_step(&stepped, other, misfits)) {
                steps++;
                misfits = dbf__row_layout_misfits(&stepped, other);
                assert_true(misfits == 0);
            }
            if (misfits)
                continue;
            fits++;
            changed_fits += change;
            const char *field[DBF__ROW_VALUES_MAX + 2];
            size_t flen[DBF__ROW_VALUES_MAX + 2];
            assert_int_equal(split_row(other, sep, field, flen, values + 2), values + 1);
            int64_t general;
            assert_true(dbf__metric_time(field[0], flen[0], &general));
            assert_true(dbf__row_time(&stepped, other) == general);
            for (size_t k = 0; k < values; k++) {
                double v,
                    w = dbf__row_key_value(dbf__row_key(&stepped, other, k), stepped.width[k]);
                assert_int_equal(dbf__metric_number(field[k + 1], flen[k + 1], &v),
                                 DBF__CELL_VALUE);
                assert_true(same_bits(v, w));
                uint64_t key = dbf__row_key(&stepped, other, k);
                if (!change && i > 0 && !(i & 2))
                    assert_int_equal((key < prev_key[k]) - (key > prev_key[k]),
                                     (v < prev_value[k]) - (v > prev_value[k]));
                if (!change) {
                    prev_key[k] = key;
                    prev_value[k] = v;
                }
            }
        }
    }
    print_message("rows fitting %zu (%zu with a byte changed), steps %zu\n", fits, changed_fits,
                  steps);
    assert_true(fits > 10000 && changed_fits > 1000 && steps > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_at_the_edges),
        cmocka_unit_test(test_numbers_random),
        cmocka_unit_test(test_number_stops_at_any_byte),
        cmocka_unit_test(test_times_at_the_edges),
        cmocka_unit_test(test_time_day_cache),
        cmocka_unit_test(test_csv_rows_fast_and_general),
        cmocka_unit_test(test_csv_messages_after_fast_rows),
        cmocka_unit_test(test_csv_other_layouts),
        cmocka_unit_test(test_csv_shared_times),
        cmocka_unit_test(test_rows_random),
        cmocka_unit_test(test_rows_time_shortcut),
        cmocka_unit_test(test_rows_number_shapes),
        cmocka_unit_test(test_rows_line_ends),
        cmocka_unit_test(test_csv_big_files),
        cmocka_unit_test(test_reduce_columns_as_divided),
        cmocka_unit_test(test_row_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
