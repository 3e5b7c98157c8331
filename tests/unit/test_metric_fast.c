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

/* The reduction as it was first written: each point's column computed on
 * its own, (t - start) * columns / span, the last column taking END. */
static void reduce_by_division(const struct dbf__series *s, int64_t start, int64_t end, int columns,
                               struct dbf__column *out)
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
        struct dbf__column *c = &out[col];
        if (!c->used) {
            *c = (struct dbf__column){i, i, i, i, true};
            continue;
        }
        c->last = i;
        if (v < s->v[c->min])
            c->min = i;
        if (v > s->v[c->max])
            c->max = i;
    }
}

/* The reduction walks the sorted points column by column; it puts every
 * point in the column the division does, at the edges of columns, with
 * repeated times, NaN, points outside the range and a range of one instant. */
static void test_reduce_columns_as_divided(void **state)
{
    (void)state;
    uint64_t seed = 42;
    struct dbf__column got[97], want[97];
    for (int round = 0; round < 400; round++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t n = 1 + (size_t)(seed >> 33) % 3000;
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
        size_t read = dbf__series_reduce(&s, start, end, columns, got);
        reduce_by_division(&s, start, end, columns, want);
        assert_int_equal(read,
                         dbf__series_find(&s, end, true) - dbf__series_find(&s, start, false));
        for (int c = 0; c < columns; c++) {
            assert_int_equal(got[c].used, want[c].used);
            assert_int_equal(got[c].first, want[c].first);
            assert_int_equal(got[c].last, want[c].last);
            assert_int_equal(got[c].min, want[c].min);
            assert_int_equal(got[c].max, want[c].max);
        }
        free(s.t);
        free(s.v);
    }
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
        cmocka_unit_test(test_reduce_columns_as_divided),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
