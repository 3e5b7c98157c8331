/* test_charts.c: the metric readers, the page's time frame and the SVG charts. */
#include "harness.h"

#include "render/charts.h"
#include "render/svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T(h, m) (1773100800 + (h)*3600 + (m)*60) /* 2026-03-10 HH:MM UTC */

static char err[256];

/* |V|, without libm. */
static double absd(double v)
{
    return v < 0 ? -v : v;
}

/* Parses TEXT, failing the test with the message when it is refused. */
static void parse_ok(const char *text, struct dbf__metric_data *data)
{
    err[0] = '\0';
    bool ok = dbf__metric_data_parse(text, strlen(text), data, err, sizeof err);
    if (!ok)
        print_message("refused: %s\n", err);
    assert_true(ok);
}

/* Parses TEXT expecting it refused with MESSAGE. */
static void assert_refused(const char *text, const char *message)
{
    struct dbf__metric_data data;
    err[0] = '\0';
    bool ok = dbf__metric_data_parse(text, strlen(text), &data, err, sizeof err);
    assert_false(ok);
    if (strstr(err, message) == NULL)
        print_message("expected '%s' in '%s'\n", message, err);
    assert_non_null(strstr(err, message));
    assert_int_equal(data.series_count, 0);
}

static const char *fixture(const char *name, char *path, size_t size)
{
    /* the test's source file names the source tree, wherever the build is */
    const char *self = __FILE__;
    const char *cut = strstr(self, "tests/unit/");
    snprintf(path, size, "%.*stests/fixtures/metrics/%s", (int)(cut - self), self, name);
    return path;
}

/* Parses the metrics fixture NAME as the renderer would once it has its bytes. */
static bool load_fixture(const char *name, struct dbf__metric_data *d)
{
    char path[1024];
    FILE *f = fopen(fixture(name, path, sizeof path), "rb");
    assert_non_null(f);
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    assert_true(dbf_buf_add_stream(&text, f));
    fclose(f);
    bool ok = dbf__metric_data_parse(text.data, text.len, d, err, sizeof err);
    if (!ok)
        print_message("%s: %s\n", path, err);
    dbf_buf_release(&text);
    return ok;
}

static void test_csv_two_series(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    parse_ok("time,eu_central,us_east\n"
             "2026-03-10T13:22:00Z,3.23,2.86\n"
             "2026-03-10T13:23:00Z,3.40,2.67\n"
             "2026-03-10T13:24:00Z,22.5,2.50\n",
             &d);
    assert_int_equal(d.series_count, 2);
    assert_string_equal(d.series[0].name, "eu_central");
    assert_string_equal(d.series[1].name, "us_east");
    assert_int_equal(d.series[0].count, 3);
    assert_int_equal(d.series[0].t[0], T(13, 22));
    assert_true(d.series[0].v[2] == 22.5);
    assert_true(d.series[1].v[1] == 2.67);
    assert_int_equal(d.first, T(13, 22));
    assert_int_equal(d.last, T(13, 24));
    dbf__metric_data_release(&d);
}

static void test_csv_time_forms(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    /* the same instant written six ways, then a second later in milliseconds */
    parse_ok("value,timestamp\n"
             "1,2026-03-10T14:02:00Z\n"
             "2,2026-03-10T15:02:00+01:00\n"
             "3,2026-03-10 14:02\n"
             "4,2026-03-10 09:02:00-0500\n"
             "5,1773151320\n"
             "6,1773151320000\n"
             "7,1773151321500\n"
             "8,2026-03-10T14:02:00.250Z\n",
             &d);
    assert_int_equal(d.series_count, 1);
    assert_string_equal(d.series[0].name, "value");
    assert_int_equal(d.series[0].count, 8);
    /* sorted by time: the one a second later comes last */
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(d.series[0].t[i], i == 7 ? T(14, 2) + 1 : T(14, 2));
    assert_true(d.series[0].v[7] == 7);
    dbf__metric_data_release(&d);

    parse_ok("date,orders\n2026-03-09,1200\n2026-03-10,800\n", &d);
    assert_int_equal(d.series[0].t[1], T(0, 0));
    dbf__metric_data_release(&d);
}

static void test_csv_quoted_blank_and_separators(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    parse_ok("\xef\xbb\xbf\"Time (UTC)\";\"p99, ms\";\"say \"\"hi\"\"\"\r\n"
             "2026-03-10 14:00;180;1\r\n"
             "2026-03-10 14:01;;2\r\n"
             "\r\n"
             "2026-03-10 14:02;\"1400.5\";NaN\r\n",
             &d);
    assert_int_equal(d.series_count, 2);
    assert_string_equal(d.series[0].name, "p99, ms");
    assert_string_equal(d.series[1].name, "say \"hi\"");
    assert_int_equal(d.series[0].count, 2); /* the blank cell is no point */
    assert_true(d.series[0].v[1] == 1400.5);
    assert_int_equal(d.series[0].t[1], T(14, 2));
    assert_int_equal(d.series[1].count, 2); /* nor is NaN */
    assert_int_equal(d.last, T(14, 2));
    dbf__metric_data_release(&d);

    parse_ok("time\tcpu\n2026-03-10T14:00:00Z\t35.5%\n", &d);
    assert_string_equal(d.series[0].name, "cpu");
    assert_true(d.series[0].v[0] == 35.5);
    dbf__metric_data_release(&d);
}

static void test_csv_fixture(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    assert_true(load_fixture("checkout-latency.csv", &d));
    assert_int_equal(d.series_count, 2);
    assert_string_equal(d.series[0].name, "p50 (ms)");
    assert_string_equal(d.series[1].name, "p99, ms");
    assert_int_equal(d.series[0].count, 59); /* one blank cell skipped */
    assert_int_equal(d.series[1].count, 60);
    assert_int_equal(d.first, T(13, 10)); /* 14:10+01:00 */
    assert_true(d.series[1].v[25] == 1400);
    dbf__metric_data_release(&d);
}

static void test_csv_errors_name_the_line(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    assert_false(load_fixture("queue-depth-bad-row.csv", &d));
    assert_string_equal(err, "5: 2 fields, but the header has 3");

    assert_refused("time,p99_ms\n2026-03-10T14:00:00Z,180\n2026-03-10T14:01:00Z,fast\n",
                   "3: column 'p99_ms': 'fast' is not a number");
    assert_refused("time,p99_ms\n2026-03-10T14:00:00Z,180\n\n14h05,190\n",
                   "4: '14h05' is not a time");
    assert_refused("time,p99_ms\n2026-03-10T14:00:00Z,180\n,190\n", "3: no time");
    assert_refused("time,p99_ms\n2026-03-10T25:00:00Z,180\n",
                   "2: '2026-03-10T25:00:00Z' is not a time");
    assert_refused("time,p99_ms\n2026-02-30T10:00:00Z,180\n",
                   "2: '2026-02-30T10:00:00Z' is not a time");
    /* a quoted field over two lines moves the count on */
    assert_refused("time,\"p99 latency\n(ms)\"\n2026-03-10T14:00:00Z,1\n2026-03-10T14:01:00Z,y\n",
                   "4: column 'p99 latency\n(ms)': 'y' is not a number");
    assert_refused("time,v\n2026-03-10T14:00:00Z,\"1\n2026-03-10T14:01:00Z,2\n",
                   "2: a quoted field is not closed");
    assert_refused("time,v\n", "1: no data rows after the header");
    assert_refused("\n\ntime,v\n2026-03-10T14:00:00Z,x\n", "4: column 'v': 'x' is not a number");
    assert_refused("time,v\n2026-03-10T14:00:00Z,\n", "no numbers in any value column");
    assert_refused("2026-03-10T14:00:00Z,1\n2026-03-10T14:01:00Z,2\n", "1: the first row is data");
    assert_refused("", "1: empty");
    assert_refused("time\n2026-03-10T14:00:00Z\n", "1: one column only");
}

static void test_csv_sorted_when_out_of_order(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    parse_ok("ts,v\n1773151380,3\n1773151200,1\n1773151260,2\n", &d);
    assert_int_equal(d.series[0].t[0], 1773151200);
    assert_true(d.series[0].v[0] == 1 && d.series[0].v[1] == 2 && d.series[0].v[2] == 3);
    assert_int_equal(d.first, 1773151200);
    assert_int_equal(d.last, 1773151380);
    dbf__metric_data_release(&d);
}

static void test_prometheus_matrix(void **state)
{
    (void)state;
    struct dbf__metric_data d;
    assert_true(load_fixture("checkout-errors.json", &d));
    assert_int_equal(d.series_count, 2);
    /* named by the label that tells them apart */
    assert_string_equal(d.series[0].name, "api-1:9100");
    assert_string_equal(d.series[1].name, "api-2:9100");
    assert_int_equal(d.series[0].count, 61);
    assert_int_equal(d.series[1].count, 60); /* "NaN" skipped */
    assert_int_equal(d.series[0].t[0], T(14, 0));
    assert_true(absd(d.series[0].v[0] - 0.02) < 1e-12);
    dbf__metric_data_release(&d);

    parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
             "{\"metric\":{\"__name__\":\"up\",\"job\":\"api\"},"
             "\"values\":[[1773151200,\"1\"],[1773151215.5,\"+Inf\"],[1773151230,\"0\"]]}]}}",
             &d);
    assert_string_equal(d.series[0].name, "job=api");
    assert_int_equal(d.series[0].count, 2);
    dbf__metric_data_release(&d);

    parse_ok(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        "{\"metric\":{\"code\":\"500\",\"route\":\"/pay\",\"job\":\"x\"},\"values\":[[1,\"1\"]]},"
        "{\"metric\":{\"code\":\"503\",\"route\":\"/"
        "cart\",\"job\":\"x\"},\"values\":[[1,\"2\"]]}]}}",
        &d);
    assert_string_equal(d.series[0].name, "code=500, route=/pay");
    assert_string_equal(d.series[1].name, "code=503, route=/cart");
    dbf__metric_data_release(&d);
}

static void test_prometheus_errors(void **state)
{
    (void)state;
    assert_refused(
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 4\"}",
        "the query failed (error): parse error at char 4");
    assert_refused("{\"status\":\"success\",\n\"data\":{\"resultType\":\"matrix\",\n\"result\":[}}",
                   "3: ");
    assert_refused("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                   "{\"metric\":{},\"values\":[[1,\"1\"],[2,\"high\"]]}]}}",
                   "data.result[0].values[1]: the value is not a number");
    assert_refused("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[]}}",
                   "'streams' cannot be graphed");
    assert_refused("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
                   "the query returned no series");
}

static struct dbf_moment moment(int64_t at, int line)
{
    return (struct dbf_moment){.known = true, .at = at, .line = line};
}

/* An analysis as the timeline module gives it, in UTC. */
static struct dbf_timeline_analysis incident(void)
{
    struct dbf_timeline_analysis a;
    memset(&a, 0, sizeof a);
    a.zone = "UTC";
    a.dated = true;
    a.milestone[DBF_MILESTONE_TRIGGER] = moment(T(14, 2), 10);
    a.milestone[DBF_MILESTONE_IMPACT_START] = moment(T(14, 4), 11);
    a.milestone[DBF_MILESTONE_DETECTED] = moment(T(14, 15), 12);
    a.milestone[DBF_MILESTONE_MITIGATION_STARTED] = moment(T(14, 40), 13);
    a.milestone[DBF_MILESTONE_RECOVERED] = moment(T(14, 45), 14);
    a.first = T(14, 2);
    a.last = T(14, 58);
    return a;
}

static struct dbf__metric_data span_only(int64_t first, int64_t last)
{
    struct dbf__metric_data d;
    memset(&d, 0, sizeof d);
    d.first = first;
    d.last = last;
    return d;
}

static void test_frame_rule(void **state)
{
    (void)state;
    struct dbf_timeline_analysis a = incident();
    /* 41 minutes of impact: 10.25 minutes of context, entries until 14:58 */
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, NULL, 0, 800);
    assert_int_equal(f.start, T(13, 53));
    assert_int_equal(f.end, T(14, 58));
    assert_int_equal(f.width, 800);
    assert_ptr_equal(f.timeline, &a);

    /* the metrics' two hours around it are shown whole */
    struct dbf__metric_data m[2] = {span_only(T(13, 22), T(15, 26)),
                                    span_only(T(13, 40), T(15, 0))};
    f = dbf__chart_frame_for(&a, m, 2, 800);
    assert_int_equal(f.start, T(13, 22));
    assert_int_equal(f.end, T(15, 26));

    /* a week of data is cut at four spans (164 minutes) each side */
    m[0] = span_only(T(14, 0) - 7 * 86400, T(14, 0) + 7 * 86400);
    f = dbf__chart_frame_for(&a, m, 1, 800);
    assert_int_equal(f.start, T(14, 4) - 164 * 60);
    assert_int_equal(f.end, T(14, 45) + 164 * 60);

    /* a change two days before, and a follow-up a day later, do not zoom out */
    a.milestone[DBF_MILESTONE_TRIGGER] = moment(T(14, 2) - 2 * 86400, 10);
    a.last = T(14, 58) + 86400;
    f = dbf__chart_frame_for(&a, NULL, 0, 800);
    assert_int_equal(f.start, T(13, 53));
    assert_int_equal(f.end, T(14, 56));
    a = incident();

    /* a two-minute blip keeps ten minutes of context and twenty of data */
    struct dbf_timeline_analysis blip;
    memset(&blip, 0, sizeof blip);
    blip.first = 1;
    blip.milestone[DBF_MILESTONE_IMPACT_START] = moment(T(9, 0), 0);
    blip.milestone[DBF_MILESTONE_RECOVERED] = moment(T(9, 2), 0);
    f = dbf__chart_frame_for(&blip, NULL, 0, 0);
    assert_int_equal(f.start, T(8, 50));
    assert_int_equal(f.end, T(9, 12));
    assert_int_equal(f.width, DBF__CHART_DEFAULT_WIDTH);
    m[0] = span_only(T(6, 0), T(12, 0));
    f = dbf__chart_frame_for(&blip, m, 1, 0);
    assert_int_equal(f.start, T(8, 40));
    assert_int_equal(f.end, T(9, 22));

    /* nothing known about the incident: the data's span */
    struct dbf_timeline_analysis unknown;
    memset(&unknown, 0, sizeof unknown);
    unknown.first = 1;
    m[0] = span_only(T(13, 22), T(15, 26));
    f = dbf__chart_frame_for(&unknown, m, 1, 800);
    assert_int_equal(f.start, T(13, 22));
    assert_int_equal(f.end, T(15, 26));
    f = dbf__chart_frame_for(NULL, NULL, 0, 800);
    assert_int_equal(f.start, f.end);

    /* only the timeline entries are known (no milestones) */
    unknown.first = T(14, 0);
    unknown.last = T(16, 0);
    f = dbf__chart_frame_for(&unknown, NULL, 0, 800);
    assert_int_equal(f.start, T(13, 30));
    assert_int_equal(f.end, T(16, 30));
}

/* A series of N points over [FROM, TO) around 100, with one spike and one dip. */
static struct dbf__metric_data big_series(size_t n, int64_t from, int64_t to, size_t spike,
                                          size_t dip)
{
    struct dbf__metric_data d;
    memset(&d, 0, sizeof d);
    d.series = calloc(1, sizeof *d.series);
    d.series_count = 1;
    struct dbf__series *s = &d.series[0];
    s->name = strdup("requests");
    s->t = malloc(n * sizeof *s->t);
    s->v = malloc(n * sizeof *s->v);
    s->count = s->alloc = n;
    for (size_t i = 0; i < n; i++) {
        s->t[i] = from + (int64_t)((double)(to - from) * (double)i / (double)n);
        s->v[i] = 100 + (double)(i % 2000 < 1000 ? i % 1000 : 1000 - i % 1000) / 100;
    }
    s->v[spike] = 1000;
    s->v[dip] = 5;
    d.first = s->t[0];
    d.last = s->t[n - 1];
    return d;
}

static void test_reduce_keeps_spike_and_dip(void **state)
{
    (void)state;
    struct dbf__metric_data d = big_series(1000000, T(13, 0), T(16, 0), 500001, 777777);
    /* Fed whole, and in uneven runs as a file read in pieces is: the same
     * columns, edges and gap. */
    struct dbf__reduction whole, runs;
    assert_true(dbf__reduction_init(&whole, T(13, 0), T(16, 0), 700));
    assert_true(dbf__reduction_init(&runs, T(13, 0), T(16, 0), 700));
    const struct dbf__series *s = &d.series[0];
    dbf__reduction_feed(&whole, s->t, s->v, s->count);
    for (size_t at = 0, run = 1; at < s->count; at += run, run = run * 3 % 4099 + 1) {
        size_t n = run < s->count - at ? run : s->count - at;
        dbf__reduction_feed(&runs, s->t + at, s->v + at, n);
    }
    dbf__reduction_finish(&whole);
    dbf__reduction_finish(&runs);
    assert_int_equal(whole.visible, 1000000);
    assert_int_equal(runs.visible, 1000000);
    assert_int_equal(whole.gap, runs.gap);
    bool spike = false, dip = false;
    for (int c = 0; c < 700; c++) {
        const struct dbf__column *col = &whole.column[c];
        assert_true(col->used);
        spike |= col->max.at == 500001 && col->max.v == 1000;
        dip |= col->min.at == 777777 && col->min.v == 5;
        assert_true(col->first.at <= col->last.at);
        assert_memory_equal(col, &runs.column[c], sizeof *col);
    }
    assert_true(spike);
    assert_true(dip);
    dbf__reduction_release(&whole);
    dbf__reduction_release(&runs);
    dbf__metric_data_release(&d);
}

/* The usual interval that cuts a line at holes: rows two to a time (the
 * repeats say nothing of it) and steps alternating long and short (sampled
 * at both phases, not at one). */
static void test_gap_from_the_usual_interval(void **state)
{
    (void)state;
    int64_t t[700];
    double v[700];
    size_t n = 0;
    t[n] = T(13, 0);
    v[n++] = 1;
    for (int m = 0; m < 300; m++) {
        int64_t at = T(13, 1) + 60 * m + (m >= 150 ? 7200 : 0); /* a 2-hour hole */
        for (int k = 0; k < 2; k++) {
            t[n] = at;
            v[n++] = m;
        }
    }
    struct dbf__reduction r;
    assert_true(dbf__reduction_init(&r, T(12, 0), T(20, 0), 700));
    dbf__reduction_feed(&r, t, v, n);
    dbf__reduction_finish(&r);
    assert_int_equal(r.gap, 5 * 60); /* the hole of 7,260 s cuts the line */
    dbf__reduction_release(&r);

    n = 0;
    for (int i = 0; i < 600; i++) {
        t[n] = n ? t[n - 1] + (i % 2 ? 100 : 1) : T(13, 0);
        v[n++] = i;
    }
    assert_true(dbf__reduction_init(&r, T(12, 0), T(20, 0), 700));
    dbf__reduction_feed(&r, t, v, n);
    dbf__reduction_finish(&r);
    size_t longs = 0;
    for (size_t i = 0; i < r.samples; i++)
        longs += r.sample[i].interval == 100;
    assert_true(r.samples >= DBF__GAP_SAMPLES / 2);
    assert_true(longs > r.samples / 4 && longs < 3 * r.samples / 4);
    dbf__reduction_release(&r);
}

/* The value of attribute ATTR in the first element after MARKER. */
static double attr_after(const char *svg, const char *marker, const char *attr)
{
    const char *p = strstr(svg, marker);
    if (!p)
        print_message("no '%s' in the SVG\n", marker);
    assert_non_null(p);
    char key[64];
    snprintf(key, sizeof key, " %s=\"", attr);
    const char *a = strstr(p, key);
    assert_non_null(a);
    return strtod(a + strlen(key), NULL);
}

static size_t count_of(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The points of every polyline: how many, and the highest one (lowest y). */
static size_t polyline_points(const char *svg, double *min_y)
{
    size_t n = 0;
    *min_y = 1e9;
    for (const char *p = strstr(svg, "points=\""); p; p = strstr(p, "points=\"")) {
        p += 8;
        while (*p != '"') {
            char *end;
            strtod(p, &end);
            assert_true(*end == ',');
            double y = strtod(end + 1, &end);
            if (y < *min_y)
                *min_y = y;
            n++;
            p = *end == ' ' ? end + 1 : end;
        }
    }
    return n;
}

static const struct dbf_metric_ref declines = {"metrics/eu-card-declines.csv",
                                               "Card payment decline rate by region",
                                               "%",
                                               "Declined card payment attempts",
                                               {40, 5}};

static void test_svg_metric_reads_right(void **state)
{
    (void)state;
    struct dbf_timeline_analysis a = incident();
    struct dbf__metric_data d;
    parse_ok("time,eu_central,us_east\n"
             "2026-03-10T13:30:00Z,3.1,2.9\n"
             "2026-03-10T14:10:00Z,23.4,2.8\n"
             "2026-03-10T14:31:00Z,30.2,2.7\n"
             "2026-03-10T15:10:00Z,2.8,2.9\n",
             &d);
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, &d, 1, 800);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf__svg_metric(&out, &d, &declines, &f);
    const char *svg = out.data;
    assert_false(out.failed);

    assert_true(strncmp(svg, "<svg ", 5) == 0);
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-label=\"Card payment decline rate by region, in %\""));
    assert_non_null(strstr(svg, "<title>Card payment decline rate by region, in %</title>"));
    assert_non_null(strstr(svg, "viewBox=\"0 0 800 "));
    assert_non_null(strstr(svg, "width=\"100%\""));
    /* the heading, the y axis label with its unit, the zone of the x axis */
    assert_non_null(strstr(svg, ">Card payment decline rate by region</text>"));
    assert_non_null(strstr(svg, ">Declined card payment attempts (%)</text>"));
    assert_non_null(strstr(svg, ">times in UTC</text>"));
    assert_non_null(strstr(svg, ">14:00</text>"));
    assert_non_null(strstr(svg, ">10 Mar 2026</text>"));
    /* nice ticks from 0 to past the peak of 30.2 */
    assert_non_null(strstr(svg, ">0</text>"));
    assert_non_null(strstr(svg, ">40</text>"));
    /* a legend for the two series and the peak told to screen readers */
    assert_non_null(strstr(svg, ">eu_central</text>"));
    assert_non_null(strstr(svg, ">us_east</text>"));
    assert_non_null(strstr(svg, "eu_central from 2.8 to 30.2 %, highest at 14:31"));
    assert_int_equal(count_of(svg, "<polyline"), 2);

    /* milestone lines where their times fall, labelled */
    double x = attr_after(svg, "data-milestone=\"detected\"", "x1");
    assert_true(absd(x - dbf__chart_x(&f, T(14, 15))) < 0.06);
    x = attr_after(svg, "data-milestone=\"mitigated\"", "x1");
    assert_true(absd(x - dbf__chart_x(&f, T(14, 40))) < 0.06);
    x = attr_after(svg, "data-milestone=\"recovered\"", "x1");
    assert_true(absd(x - dbf__chart_x(&f, T(14, 45))) < 0.06);
    assert_non_null(strstr(svg, ">detected</text>"));
    assert_non_null(strstr(svg, ">mitigated</text>"));
    assert_non_null(strstr(svg, ">recovered</text>"));
    assert_non_null(strstr(svg, "stroke-dasharray"));

    /* the impact window shaded from 14:04 to 14:45 */
    double left = attr_after(svg, "class=\"dbf-impact\"", "x");
    double width = attr_after(svg, "class=\"dbf-impact\"", "width");
    assert_true(absd(left - dbf__chart_x(&f, T(14, 4))) < 0.06);
    assert_true(absd(left + width - dbf__chart_x(&f, T(14, 45))) < 0.11);

    /* the same input draws the same bytes */
    struct dbf_buf again;
    dbf_buf_init(&again, 0);
    dbf__svg_metric(&again, &d, &declines, &f);
    assert_string_equal(again.data, svg);
    dbf_buf_release(&again);
    dbf_buf_release(&out);
    dbf__metric_data_release(&d);
}

static void test_svg_metric_coinciding_milestones_and_escaping(void **state)
{
    (void)state;
    struct dbf_timeline_analysis a = incident();
    a.milestone[DBF_MILESTONE_MITIGATION_STARTED].at = T(14, 45);
    struct dbf__metric_data d;
    parse_ok("time,<b>errors</b>\n2026-03-10T14:00:00Z,1\n2026-03-10T14:30:00Z,5\n", &d);
    struct dbf_metric_ref ref = {"m.csv", "Errors & \"timeouts\"", "req/s", NULL, {1, 1}};
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, &d, 1, 640);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf__svg_metric(&out, &d, &ref, &f);
    assert_non_null(strstr(out.data, ">mitigated, recovered</text>"));
    assert_non_null(strstr(out.data, ">Errors &amp; &quot;timeouts&quot;</text>"));
    /* one series: named on the y axis, no legend */
    assert_non_null(strstr(out.data, ">&lt;b&gt;errors&lt;/b&gt; (req/s)</text>"));
    assert_null(strstr(out.data, "<b>"));
    assert_null(strstr(out.data, "dbf-legend"));
    assert_non_null(strstr(out.data, "viewBox=\"0 0 640 "));
    dbf_buf_release(&out);
    dbf__metric_data_release(&d);
}

static void test_svg_metric_million_points_bounded(void **state)
{
    (void)state;
    struct dbf_timeline_analysis a = incident();
    struct dbf__metric_data small = big_series(1000, T(13, 0), T(16, 0), 500, 777);
    struct dbf__metric_data big = big_series(1000000, T(13, 0), T(16, 0), 500001, 777777);
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, &big, 1, 800);
    struct dbf_metric_ref ref = {"rps.csv", "Requests", "req/s", "Requests served", {1, 1}};
    struct dbf_buf out;
    dbf_buf_init(&out, 0);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dbf__svg_metric(&out, &big, &ref, &f);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("1,000,000 points: %zu bytes of SVG in %.3f s\n", out.len, seconds);
    assert_true(out.len < 160 * 1024);
    assert_true(seconds < 2.0);

    /* the single-point spike reaches the top of the scale and is drawn there */
    double top;
    size_t points = polyline_points(out.data, &top);
    assert_true(points <= 4 * 700 + 2);
    assert_non_null(strstr(out.data, ">1,000</text>"));
    struct dbf__value_scale scale = dbf__value_scale_for(5, 1000, 5);
    assert_true(scale.hi == 1000);
    assert_true(absd(top - 56) < 0.06); /* the plot's top */

    size_t big_len = out.len;
    dbf_buf_reset(&out);
    dbf__svg_metric(&out, &small, &ref, &f);
    print_message("1,000 points: %zu bytes of SVG\n", out.len);
    assert_true(big_len < 4 * out.len);
    dbf_buf_release(&out);
    dbf__metric_data_release(&small);
    dbf__metric_data_release(&big);
}

static void test_svg_metric_clips_to_frame(void **state)
{
    (void)state;
    struct dbf_timeline_analysis a = incident();
    struct dbf__metric_data d;
    /* hourly data: the frame shows a few hours, interpolates the left edge and
     * does not draw across the seven-hour hole on the right */
    parse_ok("time,v\n2026-03-10T11:00:00Z,90\n2026-03-10T12:00:00Z,100\n"
             "2026-03-10T13:00:00Z,110\n2026-03-10T14:00:00Z,120\n2026-03-10T15:00:00Z,130\n"
             "2026-03-10T16:00:00Z,140\n2026-03-10T23:00:00Z,900\n",
             &d);
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, &d, 1, 800);
    assert_int_equal(f.start, T(14, 4) - 164 * 60);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf__svg_metric(&out, &d, NULL, &f);
    const char *p = strstr(out.data, "points=\"");
    assert_non_null(p);
    double x0 = strtod(p + 8, NULL);
    assert_true(absd(x0 - DBF__CHART_LEFT) < 0.01);
    /* 900 at 23:00 is outside: the scale stops well below it */
    assert_null(strstr(out.data, ">900</text>"));
    double top;
    polyline_points(out.data, &top);
    assert_true(top >= 56 - 0.01);
    dbf_buf_release(&out);
    dbf__metric_data_release(&d);
}

static void test_svg_metric_no_data_in_frame(void **state)
{
    (void)state;
    struct dbf_timeline_analysis a = incident();
    struct dbf__metric_data d;
    parse_ok("time,v\n2026-03-12T00:00:00Z,1\n2026-03-12T00:01:00Z,2\n", &d);
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, NULL, 0, 800);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf__svg_metric(&out, &d, &declines, &f);
    assert_non_null(strstr(out.data, "no data in the time range shown"));
    assert_null(strstr(out.data, "<polyline"));
    assert_non_null(strstr(out.data, "data-milestone=\"detected\""));
    dbf_buf_release(&out);
    dbf__metric_data_release(&d);
}

static void test_svg_zone_from_analysis(void **state)
{
    (void)state;
    struct dbf_timeline_analysis a = incident();
    a.zone = "Europe/Paris";
    for (int m = 0; m < DBF_MILESTONE_COUNT; m++)
        a.milestone[m].utc_offset = 60;
    struct dbf__metric_data d;
    parse_ok("time,v\n2026-03-10T14:00:00Z,1\n2026-03-10T14:30:00Z,2\n", &d);
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, &d, 1, 800);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf__svg_metric(&out, &d, &declines, &f);
    assert_non_null(strstr(out.data, ">times in Europe/Paris (UTC+01:00)</text>"));
    assert_non_null(strstr(out.data, ">15:00</text>")); /* 14:00 UTC */
    assert_non_null(strstr(out.data, "<title>detected at 15:15 Europe/Paris</title>"));
    dbf_buf_release(&out);
    dbf__metric_data_release(&d);
}

static const char timeline_md[] =
    "# Card payments declined\n"
    "\n"
    "## Timeline\n"
    "\n"
    "All times UTC.\n"
    "\n"
    "| Time | Event |\n"
    "|---|---|\n"
    "| 2026-03-10 14:02 | The pipeline promotes model v12 to every region. [trigger] |\n"
    "| 2026-03-10 14:04 | Scoring p99 rises above 2,000 ms. [customer] |\n"
    "| 2026-03-10 14:15 | The decline-rate alert pages the on-call engineer. [detected] |\n"
    "| 2026-03-10 14:19 | The on-call engineer pages the incident commander. [escalated] |\n"
    "| 2026-03-10 14:36 | v12 misses the feature cache in eu-central. [diagnosed] |\n"
    "| 2026-03-10 14:40 | Rollback to v11 starts. [mitigation] |\n"
    "| 2026-03-10 14:45 | Rollback complete; decline rate back to 2.8%. [resolved] |\n"
    "| later | Support briefing sent. |\n";

static void test_svg_timeline(void **state)
{
    (void)state;
    struct dbf_doc *doc = dbf_doc_parse("t.md", timeline_md, strlen(timeline_md), err, sizeof err);
    assert_non_null(doc);
    assert_int_equal(doc->timeline_count, 8);
    struct dbf_timeline_analysis a = incident();
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, NULL, 0, 800);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf__svg_timeline(&out, doc, &f);
    const char *svg = out.data;
    assert_non_null(strstr(svg, "class=\"dbf-chart dbf-timeline\""));
    assert_non_null(strstr(svg, "role=\"img\""));
    /* every timed entry is a mark coloured by kind, with its text as a tooltip */
    assert_int_equal(count_of(svg, "class=\"dbf-entry "), 7);
    assert_non_null(strstr(svg, "class=\"dbf-entry dbf-kind-trigger\""));
    assert_non_null(strstr(svg, "class=\"dbf-entry dbf-kind-detected\""));
    assert_non_null(strstr(svg, "class=\"dbf-entry dbf-kind-resolved\""));
    assert_non_null(strstr(svg, "<title>14:36 \xe2\x80\x94 v12 misses the feature cache"));
    /* the milestones labelled with their times */
    assert_non_null(strstr(svg, ">trigger 14:02</text>"));
    assert_non_null(strstr(svg, ">impact starts 14:04</text>"));
    assert_non_null(strstr(svg, ">detected 14:15</text>"));
    assert_non_null(strstr(svg, ">recovered 14:45</text>"));
    /* the untimed entry is counted, not drawn */
    assert_non_null(strstr(svg, "not drawn: 1 entry without a time"));
    /* the impact window and the shared x scale */
    double left = attr_after(svg, "class=\"dbf-impact\"", "x");
    assert_true(absd(left - dbf__chart_x(&f, T(14, 4))) < 0.06);
    double cx = attr_after(svg, "dbf-kind-detected", "cx");
    assert_true(absd(cx - dbf__chart_x(&f, T(14, 15))) < 0.06);
    dbf_buf_release(&out);

    /* an analysis that knows no milestone: the entries' kinds still label them */
    struct dbf_timeline_analysis none;
    memset(&none, 0, sizeof none);
    none.first = 1;
    f.timeline = &none;
    dbf_buf_init(&out, 0);
    dbf__svg_timeline(&out, doc, &f);
    assert_non_null(strstr(out.data, ">detected 14:15</text>"));
    assert_non_null(strstr(out.data, ">mitigation 14:40</text>"));
    assert_non_null(strstr(out.data, ">recovered 14:45</text>"));
    dbf_buf_release(&out);

    /* the analysis's resolved times win over the parser's */
    struct dbf_timed_entry resolved[] = {
        {.index = 2, .at = T(14, 16), .line = 11, .kinds = DBF_EVENT_DETECTED, .tagged = true},
    };
    a.entries = resolved;
    a.entry_count = 1;
    f.timeline = &a;
    dbf_buf_init(&out, 0);
    dbf__svg_timeline(&out, doc, &f);
    assert_int_equal(count_of(out.data, "class=\"dbf-entry "), 1);
    cx = attr_after(out.data, "dbf-kind-detected", "cx");
    assert_true(absd(cx - dbf__chart_x(&f, T(14, 16))) < 0.06);
    assert_non_null(strstr(out.data, "<title>14:16 \xe2\x80\x94 The decline-rate alert"));
    dbf_buf_release(&out);
    dbf_doc_free(doc);
}

static void test_charts_of_a_frame_share_the_x_scale(void **state)
{
    (void)state;
    struct dbf_doc *doc = dbf_doc_parse("t.md", timeline_md, strlen(timeline_md), err, sizeof err);
    assert_non_null(doc);
    struct dbf_timeline_analysis a = incident();
    struct dbf__metric_data m[2];
    parse_ok("time,a\n2026-03-10T13:00:00Z,1\n2026-03-10T15:00:00Z,2\n", &m[0]);
    parse_ok("ts,b,c\n1773151200,10,20\n1773158400,11,21\n", &m[1]);
    struct dbf__chart_frame f = dbf__chart_frame_for(&a, m, 2, 900);
    struct dbf_buf one, two, line;
    dbf_buf_init(&one, 0);
    dbf_buf_init(&two, 0);
    dbf_buf_init(&line, 0);
    dbf__svg_metric(&one, &m[0], NULL, &f);
    dbf__svg_metric(&two, &m[1], &declines, &f);
    dbf__svg_timeline(&line, doc, &f);
    double x1 = attr_after(one.data, "data-milestone=\"detected\"", "x1");
    double x2 = attr_after(two.data, "data-milestone=\"detected\"", "x1");
    double x3 = attr_after(line.data, "dbf-kind-detected", "cx");
    assert_true(x1 == x2 && x2 == x3);
    double r1 = attr_after(one.data, "data-milestone=\"recovered\"", "x1");
    double r2 = attr_after(two.data, "data-milestone=\"recovered\"", "x1");
    double r3 = attr_after(line.data, "dbf-kind-resolved", "cx");
    assert_true(r1 == r2 && r2 == r3);
    /* the x axes have the same ticks */
    const char *t1 = strstr(one.data, "dbf-axis-x"), *t2 = strstr(two.data, "dbf-axis-x");
    const char *e1 = strstr(t1, "</g>"), *e2 = strstr(t2, "</g>");
    assert_int_equal(e1 - t1, e2 - t2);
    assert_memory_equal(t1, t2, (size_t)(e1 - t1));
    dbf_buf_release(&one);
    dbf_buf_release(&two);
    dbf_buf_release(&line);
    dbf__metric_data_release(&m[0]);
    dbf__metric_data_release(&m[1]);
    dbf_doc_free(doc);
}

static void test_value_scale(void **state)
{
    (void)state;
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    struct dbf__value_scale s = dbf__value_scale_for(175, 2300, 5);
    assert_true(s.lo == 0 && s.hi == 2500 && s.step == 500);
    dbf__svg_value_label(&b, &s, 2000);
    assert_string_equal(b.data, "2,000");
    s = dbf__value_scale_for(0.6, 0.96, 5);
    assert_true(s.step == 0.1 && absd(s.lo - 0.6) < 1e-12 && absd(s.hi - 1.0) < 1e-12);
    dbf_buf_reset(&b);
    dbf__svg_value_label(&b, &s, 0.7);
    assert_string_equal(b.data, "0.7");
    s = dbf__value_scale_for(0, 120000, 5);
    dbf_buf_reset(&b);
    dbf__svg_value_label(&b, &s, 100000);
    assert_string_equal(b.data, "100k");
    s = dbf__value_scale_for(-12, 3, 5);
    dbf_buf_reset(&b);
    dbf__svg_value_label(&b, &s, -10);
    assert_string_equal(b.data, "\xe2\x88\x92"
                                "10");
    s = dbf__value_scale_for(0, 2.5e20, 5);
    dbf_buf_reset(&b);
    dbf__svg_value_label(&b, &s, 2.5e20);
    assert_string_equal(b.data, "2.5e20");
    s = dbf__value_scale_for(1e-300, 1e300, 5); /* no crash, no nonsense */
    assert_true(s.hi >= 1e300 && s.step > 0);
    s = dbf__value_scale_for(42, 42, 5);
    assert_true(s.lo <= 42 && s.hi > 42);
    dbf_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_two_series),
        cmocka_unit_test(test_csv_time_forms),
        cmocka_unit_test(test_csv_quoted_blank_and_separators),
        cmocka_unit_test(test_csv_fixture),
        cmocka_unit_test(test_csv_errors_name_the_line),
        cmocka_unit_test(test_csv_sorted_when_out_of_order),
        cmocka_unit_test(test_prometheus_matrix),
        cmocka_unit_test(test_prometheus_errors),
        cmocka_unit_test(test_frame_rule),
        cmocka_unit_test(test_reduce_keeps_spike_and_dip),
        cmocka_unit_test(test_gap_from_the_usual_interval),
        cmocka_unit_test(test_svg_metric_reads_right),
        cmocka_unit_test(test_svg_metric_coinciding_milestones_and_escaping),
        cmocka_unit_test(test_svg_metric_million_points_bounded),
        cmocka_unit_test(test_svg_metric_clips_to_frame),
        cmocka_unit_test(test_svg_metric_no_data_in_frame),
        cmocka_unit_test(test_svg_zone_from_analysis),
        cmocka_unit_test(test_svg_timeline),
        cmocka_unit_test(test_charts_of_a_frame_share_the_x_scale),
        cmocka_unit_test(test_value_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
