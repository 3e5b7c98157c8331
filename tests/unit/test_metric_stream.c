/* test_metric_stream.c: a metrics file read in pieces draws the graph the
 * file read whole draws, or says it must be read whole; a page draws the
 * same from a large file on disk (streamed) as from a file source (read
 * whole), its notes included. */
#include "harness.h"

#include "render/charts.h"
#include "render/metrics.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t seed = 7;

static unsigned next(unsigned n)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)(seed >> 33) % n;
}

static char folder[] = "/tmp/debrief-stream-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(folder) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[256];
    for (int i = 0; i < 8; i++) {
        snprintf(path, sizeof path, "%s/m%d.csv", folder, i);
        unlink(path);
    }
    return rmdir(folder);
}

static void write_file(const char *path, const struct dbf_buf *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text->data, 1, text->len, f), text->len);
    assert_int_equal(fclose(f), 0);
}

static void assert_same_point(const struct dbf__kept_point *a, const struct dbf__kept_point *b)
{
    assert_true(a->t == b->t);
    assert_memory_equal(&a->v, &b->v, sizeof a->v);
    assert_int_equal(a->at, b->at);
}

static void assert_same_reduction(const struct dbf__reduction *a, const struct dbf__reduction *b)
{
    assert_int_equal(a->visible, b->visible);
    assert_true(a->gap == b->gap);
    assert_int_equal(a->has_before, b->has_before);
    assert_int_equal(a->has_from, b->has_from);
    assert_int_equal(a->has_to, b->has_to);
    assert_int_equal(a->has_after, b->has_after);
    if (a->has_before)
        assert_same_point(&a->before, &b->before);
    if (a->has_from)
        assert_same_point(&a->from, &b->from);
    if (a->has_to)
        assert_same_point(&a->to, &b->to);
    if (a->has_after)
        assert_same_point(&a->after, &b->after);
    assert_int_equal(a->columns, b->columns);
    for (int c = 0; c < a->columns; c++) {
        const struct dbf__column *x = &a->column[c], *y = &b->column[c];
        assert_int_equal(x->used, y->used);
        if (!x->used)
            continue;
        assert_same_point(&x->first, &y->first);
        assert_same_point(&x->min, &y->min);
        assert_same_point(&x->max, &y->max);
        assert_same_point(&x->last, &y->last);
    }
}

/* A CSV file of ROWS rows in one of the shapes metric files come in: a BOM
 * or not, each separator, blank lines, CRLF, quoted names and numbers,
 * blank cells, repeated times, a quoted name with line ends inside.
 * UNORDERED swaps two rows; BAD puts a word where a number goes. */
static void random_csv(struct dbf_buf *out, size_t rows, bool unordered, bool bad)
{
    const char seps[] = ",;\t";
    char sep = seps[next(3)];
    const char *eol = next(4) ? "\n" : "\r\n";
    bool quoted_names = next(3) == 0, blanks = next(2), epoch = next(4) == 0;
    dbf_buf_reset(out);
    if (next(5) == 0)
        dbf_buf_adds(out, "\xef\xbb\xbf");
    if (next(5) == 0)
        dbf_buf_addf(out, "%s%s", eol, eol);
    if (quoted_names)
        dbf_buf_addf(out, "time%c\"p99%s(ms), \"\"max\"\"\"%cerrors%s", sep, eol, sep, eol);
    else
        dbf_buf_addf(out, "time%cp99%cerrors%s", sep, sep, eol);
    int64_t t = 1773100800 + next(3600);
    size_t swap = unordered ? rows / 3 + next((unsigned)rows / 3) : SIZE_MAX;
    size_t wrong = bad ? rows / 2 + next((unsigned)rows / 3) : SIZE_MAX;
    char held[128] = "";
    for (size_t i = 0; i < rows; i++) {
        t += next(5) == 0 && i != swap + 1 ? 0 : 1 + next(3); /* after the row held: later */
        char row[128], time[40];
        if (epoch)
            snprintf(time, sizeof time, "%lld", (long long)t);
        else
            snprintf(time, sizeof time, "2026-03-%02dT%02d:%02d:%02dZ", (int)(t / 86400 % 28) + 1,
                     (int)(t / 3600 % 24), (int)(t / 60 % 60), (int)(t % 60));
        char a[40] = "", b[40] = "";
        if (!(blanks && next(9) == 0))
            snprintf(a, sizeof a, next(20) ? "%u.%02u" : "\"%u.%02u\"", 100 + next(900), next(100));
        if (!(blanks && next(9) == 0))
            snprintf(b, sizeof b, "%u", next(50));
        if (i == wrong)
            snprintf(b, sizeof b, "lots");
        snprintf(row, sizeof row, "%s%c%s%c%s%s", time, sep, a, sep, b, eol);
        if (next(200) == 0)
            dbf_buf_adds(out, eol); /* a blank line */
        if (i == swap) {
            snprintf(held, sizeof held, "%s", row); /* written after the next row */
            continue;
        }
        dbf_buf_adds(out, row);
        if (*held) {
            dbf_buf_adds(out, held);
            *held = '\0';
        }
    }
}

/* Streams FD (TEXT's SIZE bytes) in pieces of PIECE bytes and checks it
 * against TEXT read whole. */
static void check_stream(int fd, const struct dbf_buf *text, size_t piece, bool unordered)
{
    struct dbf__metric_data whole;
    char err[256];
    bool read = dbf__metric_data_parse(text->data, text->len, &whole, err, sizeof err);
    int64_t start = 1773100800 + next(7200), end = start + 60 + next(20000);
    if (read && next(3) == 0) {
        start = whole.first;
        end = whole.last > start ? whole.last : start + 60;
    }
    struct dbf__chart_frame frame = {start, end, NULL, 200 + (int)next(800)};
    struct dbf__metric_graph streamed;
    int64_t first = 0, last = 0;
    bool ok = dbf__metric_stream(fd, text->len, piece, &frame, &streamed, &first, &last);
    if (!read || unordered) {
        assert_false(ok);
        assert_null(streamed.series);
        if (read)
            dbf__metric_data_release(&whole);
        return;
    }
    assert_true(ok);
    assert_true(first == whole.first);
    assert_true(last == whole.last);
    struct dbf__metric_graph expected;
    assert_true(dbf__metric_graph_of(&expected, &whole, &frame));
    assert_int_equal(streamed.series_count, expected.series_count);
    assert_int_equal(streamed.reduced, expected.reduced);
    for (size_t i = 0; i < expected.series_count && i < DBF__GRAPH_MAX_SERIES; i++)
        assert_string_equal(streamed.series[i].name, expected.series[i].name);
    for (size_t i = 0; i < expected.reduced; i++)
        assert_same_reduction(&streamed.series[i].reduction, &expected.series[i].reduction);
    dbf__metric_graph_release(&expected);
    dbf__metric_graph_release(&streamed);
    dbf__metric_data_release(&whole);
}

static void test_stream_draws_what_whole_draws(void **state)
{
    (void)state;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/m0.csv", folder);
    static const size_t pieces[] = {64, 97, 4096, 1 << 20};
    for (int round = 0; round < 120; round++) {
        bool unordered = round % 5 == 1, bad = round % 7 == 3;
        random_csv(&text, 50 + next(round % 4 == 0 ? 20000 : 2000), unordered, bad);
        write_file(path, &text);
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        check_stream(fd, &text, pieces[round % 4], unordered);
        close(fd);
    }
    dbf_buf_release(&text);
}

/* The span guessed from the ends is the file's when its first and last
 * rows have values; a file that is JSON has none. */
static void test_span_from_the_ends(void **state)
{
    (void)state;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/m1.csv", folder);
    dbf_buf_adds(&text, "\xef\xbb\xbftime,v\n");
    for (int i = 0; i < 20000; i++)
        dbf_buf_addf(&text, "%d,%d\n", 1773100800 + 3 * i, i % 7);
    write_file(path, &text);
    int fd = open(path, O_RDONLY);
    int64_t first, last;
    assert_true(dbf__metric_stream_span(fd, text.len, &first, &last));
    assert_true(first == 1773100800);
    assert_true(last == 1773100800 + 3 * 19999);
    close(fd);
    dbf_buf_reset(&text);
    dbf_buf_adds(&text,
                 "  {\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
    for (int i = 0; i < 20000; i++)
        dbf_buf_adds(&text, "          ");
    write_file(path, &text);
    fd = open(path, O_RDONLY);
    assert_false(dbf__metric_stream_span(fd, text.len, &first, &last));
    close(fd);
    dbf_buf_release(&text);
}

/* The file source of the pages read whole: the same folder. */
static unsigned char *read_whole(void *context, const char *name, size_t max, size_t *len,
                                 char *why, size_t whylen)
{
    return dbf_render_read_local(context, name, max, len, why, whylen);
}

static void render(const char *markdown, const struct dbf_render_options *options,
                   struct dbf_buf *page, struct dbf_buf *notes)
{
    char err[256];
    struct dbf_doc *doc = dbf_doc_parse("big.md", markdown, strlen(markdown), err, sizeof err);
    assert_non_null(doc);
    dbf_buf_init(page, 0);
    dbf_buf_init(notes, 0);
    assert_true(dbf_render_html(doc, options, page, notes));
    dbf_doc_free(doc);
}

/* A big file of ROWS rows from T0, a row every STEP seconds. FIRST_BLANK
 * and LAST_BLANK leave values out of the first and last rows (the span
 * then is not what the ends say), SWAP puts two rows out of order and BAD
 * puts a word in a value column. */
static void big_csv(struct dbf_buf *out, size_t rows, int64_t t0, int step, bool first_blank,
                    bool last_blank, bool swap, bool bad)
{
    dbf_buf_reset(out);
    dbf_buf_adds(out, "time,p99_ms,errors\n");
    for (size_t i = 0; i < rows; i++) {
        int64_t t = t0 + (int64_t)i * step;
        if (swap && i == rows / 2)
            t += 2 * step;
        else if (swap && i == rows / 2 + 2)
            t -= 2 * step;
        bool blank = (first_blank && i == 0) || (last_blank && i + 1 == rows);
        if (blank)
            dbf_buf_addf(out, "%lld,,\n", (long long)t);
        else if (bad && i == rows / 3)
            dbf_buf_addf(out, "%lld,slow,1\n", (long long)t);
        else
            dbf_buf_addf(out, "%lld,%u.%u,%u\n", (long long)t, 100 + next(300), next(10),
                         next(9) ? 0 : next(40));
    }
}

static void test_page_same_streamed_or_whole(void **state)
{
    (void)state;
    struct dbf_render_files whole_source = {.read = read_whole, .context = folder};
    struct dbf_render_options streamed = {.base_dir = folder}, whole = {.files = &whole_source};
    /* With an incident, the frame is the incident's and data beyond its
     * bounds is cut; with none, the frame is the data's span, which the
     * ends of the file may not tell (a row of blanks at either end). */
    static const char *const docs[] = {
        "---\nmetrics:\n  - file: m2.csv\n    title: Latency\n  - file: m3.csv\n"
        "---\n# Checkout failed for EU customers\n\n## Timeline\n\n"
        "- 2026-03-10 14:02 UTC: impact starts: errors rise\n"
        "- 2026-03-10 14:20 UTC: detected by the error-rate alert\n"
        "- 2026-03-10 15:10 UTC: recovered: error rate back to normal\n",
        "---\nmetrics:\n  - file: m2.csv\n  - file: m3.csv\n---\n# Checkout failed\n",
    };
    static const int steps[] = {1, 60};
    struct {
        bool first_blank, last_blank, swap, bad;
    } cases[] = {{0},
                 {true, false, false, false},
                 {false, true, false, false},
                 {false, false, true, false},
                 {false, false, false, true}};
    struct dbf_buf csv;
    dbf_buf_init(&csv, 0);
    char path[256];
    for (size_t d = 0; d < 2; d++)
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            int64_t from = 1773100800 + 10 * 3600; /* 10:00, before the incident */
            big_csv(&csv, 80000, from, steps[d], cases[k].first_blank, cases[k].last_blank,
                    cases[k].swap, cases[k].bad);
            assert_true(csv.len >= DBF__STREAM_FROM);
            snprintf(path, sizeof path, "%s/m2.csv", folder);
            write_file(path, &csv);
            big_csv(&csv, 70000, from + 7200, steps[d], false, false, false, false);
            snprintf(path, sizeof path, "%s/m3.csv", folder);
            write_file(path, &csv);
            struct dbf_buf a, a_notes, b, b_notes;
            render(docs[d], &streamed, &a, &a_notes);
            render(docs[d], &whole, &b, &b_notes);
            assert_string_equal(a_notes.data, b_notes.data);
            assert_int_equal(a.len, b.len);
            assert_string_equal(a.data, b.data);
            if (cases[k].bad)
                assert_non_null(strstr(a_notes.data, "'slow' is not a number"));
            else
                assert_int_equal(a_notes.len, 0);
            assert_non_null(strstr(a.data, "data-series=\"p99_ms\""));
            dbf_buf_release(&a);
            dbf_buf_release(&a_notes);
            dbf_buf_release(&b);
            dbf_buf_release(&b_notes);
        }
    dbf_buf_release(&csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_draws_what_whole_draws),
        cmocka_unit_test(test_span_from_the_ends),
        cmocka_unit_test(test_page_same_streamed_or_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
