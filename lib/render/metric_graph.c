/* metric_graph.c: a metrics file's series reduced to the page's frame. */
#include "charts.h"

#include <stdlib.h>
#include <string.h>

bool dbf__metric_graph_of(struct dbf__metric_graph *graph, const struct dbf__metric_data *data,
                          const struct dbf__chart_frame *frame)
{
    memset(graph, 0, sizeof *graph);
    size_t count = data->series_count;
    size_t kept = count < DBF__GRAPH_MAX_SERIES ? count : DBF__GRAPH_MAX_SERIES;
    graph->series = calloc(kept ? kept : 1, sizeof *graph->series);
    if (!graph->series)
        return false;
    graph->series_count = count;
    for (size_t i = 0; i < kept; i++) {
        graph->series[i].name = strdup(data->series[i].name ? data->series[i].name : "");
        if (!graph->series[i].name) {
            dbf__metric_graph_release(graph);
            return false;
        }
    }
    if (frame->end <= frame->start)
        return true;
    size_t reduce = count < DBF__GRAPH_MAX_SERIES ? count : DBF__GRAPH_MAX_SERIES;
    int columns = dbf__chart_columns(frame);
    for (size_t i = 0; i < reduce; i++) {
        const struct dbf__series *s = &data->series[i];
        struct dbf__reduction *r = &graph->series[i].reduction;
        if (!dbf__reduction_init(r, frame->start, frame->end, columns)) {
            dbf__metric_graph_release(graph);
            return false;
        }
        graph->reduced = i + 1;
        dbf__reduction_feed(r, s->t, s->v, s->count);
        dbf__reduction_finish(r);
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
