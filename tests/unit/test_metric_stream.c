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
 * against TEXT read whole, drawn on a frame chosen at random or, with
 * WIDTH, on [START, END]. */
static void check_stream_in(int fd, const struct dbf_buf *text, size_t piece, bool unordered,
                            int64_t start, int64_t end, int width)
{
    struct dbf__metric_data whole;
    char err[256];
    bool read = dbf__metric_data_parse(text->data, text->len, &whole, err, sizeof err);
    bool chosen = !width;
    if (chosen) {
        start = 1773100800 + next(7200);
        end = start + 60 + next(20000);
    }
    if (chosen && read && next(3) == 0) {
        start = whole.first;
        end = whole.last > start ? whole.last : start + 60;
    } else if (chosen && read && next(2) == 0) {
        /* Somewhere within the data. */
        unsigned span = (unsigned)(whole.last - whole.first) / 2 + 1;
        start = whole.first + next(span);
        end = start + 1 + next(next(2) ? span : 600);
    }
    struct dbf__chart_frame frame = {start, end, NULL, chosen ? 200 + (int)next(800) : width};
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

static void check_stream(int fd, const struct dbf_buf *text, size_t piece, bool unordered)
{
    check_stream_in(fd, text, piece, unordered, 0, 0, 0);
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

/* A value of INT digits before the point and PLACES after it (none: no
 * point), of only a few values when FEW (ties). */
static void layout_value(char *out, size_t size, unsigned ints, unsigned places, bool few)
{
    size_t n = 0;
    for (unsigned i = 0; i < ints && n + 1 < size; i++)
        out[n++] = (char)('0' + (few ? next(2) : next(10)));
    if (places && n + 1 < size)
        out[n++] = '.';
    for (unsigned i = 0; i < places && n + 1 < size; i++)
        out[n++] = (char)('0' + (few ? next(2) * 5 : next(10)));
    out[n] = '\0';
}

/* A CSV file of ROWS rows mostly of one layout for long runs (times to the
 * second, short plain numbers), as the rows swept straight into the graph
 * are: 1 to 5 values, times a second apart or repeated, with jumps over
 * minutes, hours and days; widths that change now and then; rows of other
 * layouts among them (a leap second, hour 24, a long or signed number, a
 * blank or quoted cell, other time forms). UNORDERED puts a row before the
 * one ahead of it; BAD a row whose time or value does not read, after one
 * of the same layout that does. */
static void layout_csv(struct dbf_buf *out, size_t rows, bool unordered, bool bad)
{
    const char seps[] = ",;\t";
    char sep = next(4) ? ',' : seps[next(3)];
    const char *eol = next(4) ? "\n" : "\r\n";
    /* The time's form: after the date, and after the seconds. */
    static const char *const forms[][2] = {{"T", "Z"}, {" ", ""}, {"T", "+02:00"}, {"t", ".250Z"}};
    const char *const *form = forms[next(3) ? 0 : next(4)];
    unsigned values = 1 + next(5), odd = 40 + next(2000);
    unsigned ints[5], places[5];
    /* A blank or quoted cell ends the sweeping for good: in a few files. */
    bool few = next(3) == 0, unshared = next(4) == 0, shifting = next(4) == 0, eight = next(5) == 0;
    dbf_buf_reset(out);
    dbf_buf_adds(out, "time");
    for (unsigned k = 0; k < values; k++) {
        dbf_buf_addf(out, "%cv%u", sep, k);
        ints[k] = next(6);
        places[k] = ints[k] ? next(4) : 1 + next(3);
        if (eight) { /* the widest values swept: eight bytes */
            ints[k] = 4 + next(2);
            places[k] = 7 - ints[k];
        }
    }
    dbf_buf_adds(out, eol);
    int64_t t = 1773100800 - 86400 + next(3 * 86400), last = t;
    size_t back = unordered ? rows / 4 + next((unsigned)rows / 2) : SIZE_MAX;
    size_t wrong = bad ? rows / 4 + next((unsigned)rows / 2) : SIZE_MAX;
    for (size_t i = 0; i < rows; i++) {
        unsigned jump = next(500);
        t += jump == 0 ? 60 * next(2000) : jump < 40 ? 0 : 1;
        if (!eight && next(3000) == 0) {
            unsigned k = next(values);
            ints[k] = next(6);
            places[k] = ints[k] ? next(4) : 1 + next(3);
        }
        if (shifting && !eight && next(50) == 0) {
            /* The point moves, the width stays: 0.25 after 12.5. */
            unsigned k = next(values);
            ints[k] = next(3);
            places[k] = 3 - ints[k];
        }
        int64_t at = i == back ? last - 1 - next(100) : t;
        int64_t day = at / 86400 - 1773100800 / 86400 + 10, s = at % 86400;
        char time[64];
        snprintf(time, sizeof time, "%s%02d:%02d:%02d%s", form[0], (int)(s / 3600),
                 (int)(s / 60 % 60), (int)(s % 60), form[1]);
        bool other = next(odd) == 0;
        if (other && s % 60 == 59 && i != back) {
            /* A leap second: the time after this one. */
            snprintf(time, sizeof time, "%s%02d:%02d:60%s", form[0], (int)(s / 3600),
                     (int)(s / 60 % 60), form[1]);
            t++;
        } else if (other && s == 0 && i != back) {
            snprintf(time, sizeof time, "%s24:00:00%s", form[0], form[1]); /* the same time */
            day--;
        }
        dbf_buf_addf(out, "2026-03-%02d%s", (int)day, time);
        last = i == back ? last : t;
        unsigned odd_value = other ? next(values) : values;
        for (unsigned k = 0; k < values; k++) {
            char v[32];
            layout_value(v, sizeof v, ints[k], places[k], few);
            if (k == odd_value) {
                static const char *const odd_values[] = {"123456789.5", "-2.5", "+1",      "1e3",
                                                         " 4",          "",     "\"7.25\""};
                snprintf(v, sizeof v, "%s", odd_values[next(unshared ? 7 : 5)]);
            }
            dbf_buf_addf(out, "%c%s", sep, v);
        }
        dbf_buf_adds(out, eol);
        if (i == wrong) {
            /* A time that reads, then one like it that does not: hour 24
             * has one time, minutes stop at 59, seconds at 60 (a leap
             * second); or a value with two points. Later rows are later
             * than either. */
            static const char *const wrong_times[][2] = {{"T24:00:00Z", "T24:00:07Z"},
                                                         {"T23:59:58Z", "T23:59:61Z"},
                                                         {"T23:58:00Z", "T23:60:00Z"},
                                                         {"T23:59:00Z", "T24:59:00Z"},
                                                         {"T23:59:30Z", "T23:59:31Z"}};
            static unsigned wrongs;
            unsigned w = wrongs++ % 5;
            for (unsigned j = 0; j < 2; j++) {
                dbf_buf_addf(out, "2026-03-%02d%s", (int)day, wrong_times[w][j]);
                for (unsigned k = 0; k < values; k++)
                    dbf_buf_addf(out, "%c%s", sep,
                                 w == 4 && j && k == values - 1 ? "1.2.3" : "1.25");
                dbf_buf_adds(out, eol);
            }
            t = (t / 86400 + 1) * 86400 + 7200;
        }
    }
}

/* Rows of one layout, swept straight into the graph, draw what the file
 * read whole draws, in frames of every kind: within the data, across
 * either end, beyond it, with few or many points to a column. */
static void test_swept_rows_draw_what_whole_draws(void **state)
{
    (void)state;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/m1.csv", folder);
    static const size_t pieces[] = {300, 4096, 65536, 1 << 20};
    for (int round = 0; round < 200; round++) {
        bool unordered = round % 6 == 5, bad = round % 3 == 1;
        dbf__metric_sweep_wide(round % 5 != 2); /* the AVX2 scan, where there is one, or not */
        layout_csv(&text, 200 + next(round % 4 == 0 ? 60000 : 6000), unordered, bad);
        write_file(path, &text);
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        check_stream(fd, &text, pieces[round % 4], unordered);
        close(fd);
    }
    dbf__metric_sweep_wide(true);
    dbf_buf_release(&text);
}

/* Rows a second apart swept into frames that end within them, on each side
 * of the last column's edges and of the frame's: the rows after the end are
 * not the last column's. */
static void test_swept_rows_end_within_frame(void **state)
{
    (void)state;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/m4.csv", folder);
    int64_t t0 = 1773100800;
    dbf_buf_adds(&text, "time,a,b\n");
    for (int i = 0; i < 20000; i++)
        dbf_buf_addf(&text, "2026-03-10T%02d:%02d:%02dZ,%u.%02u,%u\n", i / 3600, i / 60 % 60,
                     i % 60, next(10), next(100), 100 + next(900));
    write_file(path, &text);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    for (int wide = 0; wide < 2; wide++) {
        dbf__metric_sweep_wide(wide);
        for (int64_t end = t0 + 5000; end < t0 + 5200; end += 37)
            check_stream_in(fd, &text, 65536, false, t0 + 1000 + end % 7, end,
                            120 + (int)(end % 50));
    }
    dbf__metric_sweep_wide(true);
    close(fd);
    dbf_buf_release(&text);
}

/* Rows whose time's form changes every few rows ('T' or 't'), each change a
 * new layout of the same values within one segment: the segment's rows
 * count against the points before the next sampled interval. */
static void test_swept_rows_new_layouts_in_a_segment(void **state)
{
    (void)state;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/m5.csv", folder);
    dbf_buf_adds(&text, "time,a\n");
    int64_t s = 0;
    for (int i = 0; i < 30000; i++) {
        s += 1 + next(3);
        dbf_buf_addf(&text, "2026-03-10%c%02d:%02d:%02dZ,%u.%u\n", i / 7 % 2 ? 'T' : 't',
                     (int)(s / 3600 % 24), (int)(s / 60 % 60), (int)(s % 60), next(10), next(10));
    }
    write_file(path, &text);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    for (int wide = 0; wide < 2; wide++) {
        dbf__metric_sweep_wide(wide);
        check_stream_in(fd, &text, 1 << 20, false, 1773100800, 1773100800 + s, 300);
    }
    dbf__metric_sweep_wide(true);
    close(fd);
    dbf_buf_release(&text);
}

/* Pieces are cut at line ends without a look for quotes: a header whose
 * quoted name holds a line end and is longer than a piece leaves the file
 * to the whole-file reader (or, in larger pieces, streams); a row whose
 * quoted value holds one does not read, cut or not. */
static void test_pieces_cut_within_quotes(void **state)
{
    (void)state;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/m6.csv", folder);
    dbf_buf_adds(&text, "time,\"errors\nper second, of all the checkout requests made by every "
                        "shopper in the region\",p99\n");
    for (int i = 0; i < 3000; i++)
        dbf_buf_addf(&text, "2026-03-10T10:%02d:%02dZ,%u.%u,%u\n", i / 60 % 60, i % 60, next(10),
                     next(10), 100 + next(900));
    write_file(path, &text);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    struct dbf__chart_frame frame = {1773136800, 1773140400, NULL, 600};
    struct dbf__metric_graph graph;
    int64_t first, last;
    assert_false(dbf__metric_stream(fd, text.len, 64, &frame, &graph, &first, &last));
    assert_null(graph.series);
    check_stream_in(fd, &text, 4096, false, 1773136800, 1773140400, 600);
    close(fd);
    /* A value with a line end in its quotes, where a piece is cut. */
    for (size_t at = 1000; at < 1100; at += 7) {
        dbf_buf_reset(&text);
        dbf_buf_adds(&text, "time,a\n");
        for (int i = 0; i < 3000; i++)
            dbf_buf_addf(&text,
                         i == (int)at ? "2026-03-10T10:%02d:%02dZ,\"1.%u\n\"\n"
                                      : "2026-03-10T10:%02d:%02dZ,1.%u\n",
                         i / 60 % 60, i % 60, next(10));
        write_file(path, &text);
        fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        check_stream_in(fd, &text, 256 + at % 64, false, 1773136800, 1773140400, 600);
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
        cmocka_unit_test(test_swept_rows_draw_what_whole_draws),
        cmocka_unit_test(test_swept_rows_end_within_frame),
        cmocka_unit_test(test_swept_rows_new_layouts_in_a_segment),
        cmocka_unit_test(test_pieces_cut_within_quotes),
        cmocka_unit_test(test_span_from_the_ends),
        cmocka_unit_test(test_page_same_streamed_or_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
