/* fuzz_metrics.c: the metrics file readers (CSV and Prometheus query_range
 * JSON, lib/render/metric*.c) on any bytes, then the frame and the SVG graph
 * drawn from what they read. */
#include "fuzz.h"

#include "render/charts.h"
#include "render/metrics.h"

#include <stdlib.h>
#include <string.h>

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
    for (size_t cut = 0; cut < size && cut < 64; cut += 16) {
        double v;
        (void)dbf__metric_number(text + cut, size - cut < 24 ? size - cut : 24, &v);
    }
    free(text);
    return 0;
}
