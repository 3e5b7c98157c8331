/* fuzz_metrics.c: the metrics file readers (CSV and Prometheus query_range
 * JSON, lib/render/metric*.c) on any bytes, then the frame and the SVG graph
 * drawn from what they read; the file read in small pieces draws the graph
 * the file read whole does, or is left to the whole-file reader. */
#include "fuzz.h"

#include "render/charts.h"
#include "render/metrics.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void check(bool ok)
{
    if (!ok)
        abort();
}

/* A reader's result: series sorted by time, the span covering them. */
static void check_data(const struct dbf__metric_data *data)
{
    for (size_t i = 0; i < data->series_count; i++) {
        const struct dbf__series *s = &data->series[i];
        check(s->name != NULL && s->count <= s->alloc);
        for (size_t k = 0; k < s->count; k++) {
            check(k == 0 || s->t[k - 1] <= s->t[k]);
            check(s->t[k] >= data->first && s->t[k] <= data->last);
        }
    }
}

static void draw(const struct dbf__metric_data *data)
{
    struct dbf__chart_frame frame = dbf__chart_frame_for(NULL, data, 1, 0);
    struct dbf_buf svg;
    dbf_buf_init(&svg, 0);
    dbf__svg_metric(&svg, data, NULL, &frame);
    dbf_buf_release(&svg);
}

static bool same_point(const struct dbf__kept_point *a, const struct dbf__kept_point *b)
{
    return a->t == b->t && memcmp(&a->v, &b->v, sizeof a->v) == 0 && a->at == b->at;
}

static bool same_reduction(const struct dbf__reduction *a, const struct dbf__reduction *b)
{
    bool same = a->visible == b->visible && a->gap == b->gap && a->has_before == b->has_before &&
                a->has_from == b->has_from && a->has_to == b->has_to &&
                a->has_after == b->has_after && a->columns == b->columns &&
                (!a->has_before || same_point(&a->before, &b->before)) &&
                (!a->has_from || same_point(&a->from, &b->from)) &&
                (!a->has_to || same_point(&a->to, &b->to)) &&
                (!a->has_after || same_point(&a->after, &b->after));
    for (int c = 0; same && c < a->columns; c++) {
        const struct dbf__column *x = &a->column[c], *y = &b->column[c];
        same = x->used == y->used &&
               (!x->used || (same_point(&x->first, &y->first) && same_point(&x->min, &y->min) &&
                             same_point(&x->max, &y->max) && same_point(&x->last, &y->last)));
    }
    return same;
}

/* The text read in pieces of 64 bytes: when the stream takes it, it is CSV
 * that reads whole, with the same span and graph. */
static void stream(const char *text, size_t len)
{
    int fd = memfd_create("metrics", 0);
    if (fd < 0)
        return;
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        return;
    }
    struct dbf__chart_frame frame = {1773100800, 1773100800 + 3600, NULL, 0};
    struct dbf__metric_graph streamed, whole_graph;
    int64_t first, last;
    if (dbf__metric_stream(fd, len, 64, &frame, &streamed, &first, &last)) {
        struct dbf__metric_data whole;
        char err[256];
        check(dbf__metric_data_parse(text, len, &whole, err, sizeof err));
        check(first == whole.first && last == whole.last);
        check(dbf__metric_graph_of(&whole_graph, &whole, &frame));
        check(streamed.series_count == whole_graph.series_count &&
              streamed.reduced == whole_graph.reduced);
        for (size_t i = 0; i < streamed.reduced; i++)
            check(same_reduction(&streamed.series[i].reduction, &whole_graph.series[i].reduction));
        dbf__metric_graph_release(&whole_graph);
        dbf__metric_graph_release(&streamed);
        dbf__metric_data_release(&whole);
    }
    int64_t guess_first, guess_last;
    (void)dbf__metric_stream_span(fd, len, &guess_first, &guess_last);
    close(fd);
}

typedef bool (*reader)(const char *text, size_t len, struct dbf__metric_data *out, char *err,
                       size_t errlen);

static void read_with(reader read, const char *text, size_t len)
{
    struct dbf__metric_data data;
    memset(&data, 0, sizeof data);
    char err[256];
    if (read(text, len, &data, err, sizeof err)) {
        if (read == dbf__metric_data_parse) {
            check_data(&data);
            draw(&data);
        }
    }
    dbf__metric_data_release(&data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The readers' contract: a NUL after the LEN bytes. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    read_with(dbf__metric_data_parse, text, size);
    read_with(dbf__metrics_parse_csv, text, size);
    read_with(dbf__metrics_parse_prometheus, text, size);
    stream(text, size);
    for (size_t cut = 0; cut < size && cut < 64; cut += 16) {
        double v;
        (void)dbf__metric_number(text + cut, size - cut < 24 ? size - cut : 24, &v);
    }
    free(text);
    return 0;
}
