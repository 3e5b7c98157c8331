/* metric_graph.c: a metrics file's series reduced to the page's frame. */
#include "charts.h"

#include <stdlib.h>
#include <string.h>

bool dbf__metric_graph_start(struct dbf__metric_graph *graph, const struct dbf__metric_data *data,
                             const struct dbf__chart_frame *frame)
{
    memset(graph, 0, sizeof *graph);
    size_t count = data->series_count;
    size_t kept = count < DBF__GRAPH_MAX_SERIES ? count : DBF__GRAPH_MAX_SERIES;
    graph->series = calloc(kept ? kept : 1, sizeof *graph->series);
    if (!graph->series)
        return false;
    graph->series_count = count;
    bool ok = true;
    for (size_t i = 0; ok && i < kept; i++) {
        graph->series[i].name = strdup(data->series[i].name ? data->series[i].name : "");
        ok = graph->series[i].name != NULL;
    }
    int columns = dbf__chart_columns(frame);
    for (size_t i = 0; ok && frame->end > frame->start && i < kept; i++) {
        ok = dbf__reduction_init(&graph->series[i].reduction, frame->start, frame->end, columns);
        graph->reduced = ok ? i + 1 : i;
    }
    if (!ok)
        dbf__metric_graph_release(graph);
    return ok;
}

bool dbf__metric_graph_of(struct dbf__metric_graph *graph, const struct dbf__metric_data *data,
                          const struct dbf__chart_frame *frame)
{
    if (!dbf__metric_graph_start(graph, data, frame))
        return false;
    for (size_t i = 0; i < graph->reduced; i++) {
        const struct dbf__series *s = &data->series[i];
        dbf__reduction_feed(&graph->series[i].reduction, s->t, s->v, s->count);
        dbf__reduction_finish(&graph->series[i].reduction);
    }
    return true;
}

void dbf__metric_graph_release(struct dbf__metric_graph *graph)
{
    if (!graph)
        return;
    for (size_t i = 0; i < graph->series_count && i < DBF__GRAPH_MAX_SERIES; i++) {
        free(graph->series[i].name);
        if (i < graph->reduced)
            dbf__reduction_release(&graph->series[i].reduction);
    }
    free(graph->series);
    memset(graph, 0, sizeof *graph);
}
