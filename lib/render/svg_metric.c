/* svg_metric.c: a metric graph: one line per series on the page's frame.
 *
 * Each series is reduced to at most four points per pixel column (first,
 * lowest, highest, last), so the drawing is exact to the pixel and its size
 * depends on the chart's width, not on the number of points. The line is
 * cut where the data has a hole much longer than its usual interval. */
#include "svg.h"

#include "chart_math.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_Y 17
#define PLOT_TOP 56
#define PLOT_HEIGHT 200
#define LABEL_ROWS 2
#define LABEL_ROW_HEIGHT 12

static const char *const palette[] = {
    "#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1",
    "#76b7b2", "#9c755f", "#edc948", "#ff9da7", "#bab0ac",
};
#define PALETTE (sizeof palette / sizeof palette[0])

/* What is drawn of one series: its reduction, and the values where its
 * line crosses the frame's edges. */
struct drawn {
    const char *name;
    const struct dbf__reduction *r;
    bool has_left, has_right;
    double left, right; /* values interpolated at the frame's start and end */
    bool any;
    double min, max;
    int64_t max_t; /* when the highest visible value is */
};

static double interpolate(const struct dbf__kept_point *p, const struct dbf__kept_point *q,
                          int64_t t)
{
    double t0 = (double)p->t, t1 = (double)q->t;
    return p->v + (q->v - p->v) * ((double)t - t0) / (t1 - t0);
}

static void note_value(struct drawn *d, double v, int64_t t)
{
    if (!d->any || v < d->min)
        d->min = v;
    if (!d->any || v > d->max) {
        d->max = v;
        d->max_t = t;
    }
    d->any = true;
}

static void prepare(struct drawn *d, const struct dbf__graph_series *s,
                    const struct dbf__chart_frame *frame)
{
    memset(d, 0, sizeof *d);
    d->name = s->name;
    const struct dbf__reduction *r = d->r = &s->reduction;
    if (r->has_before && r->has_from && r->from.t > frame->start &&
        (!r->gap || r->from.t - r->before.t <= r->gap)) {
        d->has_left = true;
        d->left = interpolate(&r->before, &r->from, frame->start);
        note_value(d, d->left, r->from.t);
    }
    if (r->has_to && r->has_after && r->to.t < frame->end &&
        (!r->gap || r->after.t - r->to.t <= r->gap)) {
        d->has_right = true;
        d->right = interpolate(&r->to, &r->after, frame->end);
    }
    for (int c = 0; c < r->columns; c++)
        if (r->column[c].used) {
            note_value(d, r->column[c].min.v, r->column[c].min.t);
            note_value(d, r->column[c].max.v, r->column[c].max.t);
        }
    if (d->has_right)
        note_value(d, d->right, r->after.t);
}

struct line_writer {
    struct dbf_buf *out;
    const char *colour;
    size_t points;
    double x, y; /* the last point, for a lone point's dot */
};

static void line_end(struct line_writer *w)
{
    if (w->points == 1) {
        dbf_buf_adds(w->out, "<circle");
        dbf__svg_attr(w->out, "cx", w->x);
        dbf__svg_attr(w->out, "cy", w->y);
        dbf_buf_addf(w->out, " r=\"2\" fill=\"%s\"/>\n", w->colour);
    } else if (w->points > 1) {
        dbf_buf_adds(w->out, "\"/>\n");
    }
    w->points = 0;
}

static void line_point(struct line_writer *w, double x, double y)
{
    if (w->points == 1) {
        dbf_buf_addf(w->out,
                     "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                     "stroke-linejoin=\"round\" points=\"",
                     w->colour);
        dbf__svg_num(w->out, w->x);
        dbf_buf_addc(w->out, ',');
        dbf__svg_num(w->out, w->y);
    }
    if (w->points >= 1) {
        dbf_buf_addc(w->out, ' ');
        dbf__svg_num(w->out, x);
        dbf_buf_addc(w->out, ',');
        dbf__svg_num(w->out, y);
    }
    w->x = x;
    w->y = y;
    w->points++;
}

static int cmp_at(const void *a, const void *b)
{
    const struct dbf__kept_point *p = a, *q = b;
    return (p->at > q->at) - (p->at < q->at);
}

static void draw_series(struct dbf_buf *out, const struct drawn *d, const char *colour,
                        const struct dbf__chart_frame *frame, const struct dbf__value_scale *scale,
                        double top, double bottom)
{
    const struct dbf__reduction *r = d->r;
    struct line_writer w = {out, colour, 0, 0, 0};
    dbf_buf_adds(out, "<g class=\"dbf-series\" data-series=\"");
    dbf_buf_add_html(out, d->name);
    dbf_buf_adds(out, "\">\n");
    if (d->has_left)
        line_point(&w, DBF__CHART_LEFT, dbf__value_y(scale, d->left, top, bottom));
    bool have_previous = false;
    int64_t previous = 0;
    for (int c = 0; c < r->columns; c++) {
        const struct dbf__column *col = &r->column[c];
        if (!col->used)
            continue;
        if (have_previous && r->gap && col->first.t - previous > r->gap)
            line_end(&w);
        struct dbf__kept_point order[4] = {col->first, col->min, col->max, col->last};
        qsort(order, 4, sizeof order[0], cmp_at);
        for (int k = 0; k < 4; k++) {
            if (k && order[k].at == order[k - 1].at)
                continue;
            line_point(&w, dbf__chart_x(frame, order[k].t),
                       dbf__value_y(scale, order[k].v, top, bottom));
        }
        previous = col->last.t;
        have_previous = true;
    }
    if (d->has_right)
        line_point(&w, dbf__chart_x(frame, frame->end), dbf__value_y(scale, d->right, top, bottom));
    line_end(&w);
    dbf_buf_adds(out, "</g>\n");
}

/* The legend under the axis, wrapped to the width; returns its height. */
static int draw_legend(struct dbf_buf *out, const struct drawn *drawn, size_t count, size_t total,
                       int width, double y)
{
    double x = DBF__CHART_LEFT, row_y = y;
    char name[160];
    dbf_buf_adds(out, "<g class=\"dbf-legend\">\n");
    for (size_t i = 0; i < count; i++) {
        dbf__svg_shorten(drawn[i].name, 48, name, sizeof name);
        double w = 22 + dbf__svg_text_width(name, DBF__SVG_FONT) + 16;
        if (x + w > width - DBF__CHART_RIGHT && x > DBF__CHART_LEFT) {
            x = DBF__CHART_LEFT;
            row_y += 16;
        }
        dbf_buf_adds(out, "<line");
        dbf__svg_attr(out, "x1", x);
        dbf__svg_attr(out, "x2", x + 16);
        dbf__svg_attr(out, "y1", row_y - 4);
        dbf__svg_attr(out, "y2", row_y - 4);
        dbf_buf_addf(out, " stroke=\"%s\" stroke-width=\"3\"/>\n<text", palette[i % PALETTE]);
        dbf__svg_attr(out, "x", x + 22);
        dbf__svg_attr(out, "y", row_y);
        dbf_buf_adds(out, ">");
        dbf_buf_add_html(out, name);
        dbf_buf_adds(out, "</text>\n");
        x += w;
    }
    if (total > count) {
        dbf_buf_adds(out, "<text");
        dbf__svg_attr(out, "x", DBF__CHART_LEFT);
        dbf__svg_attr(out, "y", row_y + 16);
        dbf_buf_addf(out, " fill=\"#555\">%zu of %zu series drawn</text>\n", count, total);
        row_y += 16;
    }
    dbf_buf_adds(out, "</g>\n");
    return (int)(row_y - y) + 20;
}

/* The screen reader's account of the data: each series' range and peak. */
static void describe(struct dbf_buf *desc, const struct drawn *drawn, size_t count,
                     const struct dbf__value_scale *scale, const char *unit,
                     const struct dbf__chart_frame *frame)
{
    struct dbf__value_scale fine = *scale;
    fine.decimals = scale->decimals + 1;
    for (size_t i = 0; i < count && i < 8; i++) {
        const struct drawn *d = &drawn[i];
        if (!d->any)
            continue;
        if (desc->len)
            dbf_buf_adds(desc, "; ");
        dbf_buf_adds(desc, d->name);
        dbf_buf_adds(desc, " from ");
        dbf__svg_value_label(desc, &fine, d->min);
        dbf_buf_adds(desc, " to ");
        dbf__svg_value_label(desc, &fine, d->max);
        if (unit && *unit) {
            dbf_buf_addc(desc, ' ');
            dbf_buf_adds(desc, unit);
        }
        dbf_buf_adds(desc, ", highest at ");
        dbf__svg_clock(desc, frame, d->max_t, false);
    }
    if (desc->len)
        dbf_buf_adds(desc, ".");
}

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path;
}

void dbf__svg_metric_graph(struct dbf_buf *out, const struct dbf__metric_graph *graph,
                           const struct dbf_metric_ref *ref, const struct dbf__chart_frame *frame)
{
    int width = dbf__chart_width(frame);
    const char *title = ref && ref->title && *ref->title ? ref->title
                        : ref && ref->file               ? base_name(ref->file)
                                                         : "Metric";
    const char *unit = ref && ref->unit && *ref->unit ? ref->unit : NULL;
    size_t total = graph ? graph->series_count : 0;
    size_t prepared = graph && frame->end > frame->start ? graph->reduced : 0;
    struct drawn drawn[DBF__GRAPH_MAX_SERIES];
    bool any = false;
    double min = 0, max = 0;
    for (size_t i = 0; i < prepared; i++) {
        struct drawn *d = &drawn[i];
        prepare(d, &graph->series[i], frame);
        if (d->any) {
            min = any ? dbf__min(min, d->min) : d->min;
            max = any ? dbf__max(max, d->max) : d->max;
            any = true;
        }
    }
    struct dbf__value_scale scale = dbf__value_scale_for(any ? min : 0, any ? max : 1, 5);

    struct dbf_buf axis_label, body, desc;
    dbf_buf_init(&axis_label, 1024);
    dbf_buf_init(&body, 0);
    dbf_buf_init(&desc, 4096);
    dbf_buf_adds(&axis_label, ref && ref->label && *ref->label ? ref->label
                              : prepared == 1                  ? graph->series[0].name
                                                               : "value");
    if (unit)
        dbf_buf_addf(&axis_label, " (%s)", unit);

    double top = PLOT_TOP, bottom = PLOT_TOP + PLOT_HEIGHT;
    dbf_buf_addf(&body,
                 "<text class=\"dbf-chart-title\" x=\"%d\" y=\"%d\" font-size=\"14\" "
                 "font-weight=\"600\">",
                 DBF__CHART_LEFT, TITLE_Y);
    dbf_buf_add_html(&body, title);
    dbf_buf_adds(&body, "</text>\n");
    dbf__svg_impact(&body, frame, top, bottom);
    dbf__svg_value_axis(&body, frame, &scale, top, bottom, axis_label.data);
    int axis_height = dbf__svg_time_axis(&body, frame, bottom, top);
    for (size_t i = 0; i < prepared; i++)
        draw_series(&body, &drawn[i], palette[i % PALETTE], frame, &scale, top, bottom);
    if (!any) {
        dbf_buf_adds(&body, "<text class=\"dbf-empty\"");
        dbf__svg_attr(&body, "x", (DBF__CHART_LEFT + width - DBF__CHART_RIGHT) / 2.0);
        dbf__svg_attr(&body, "y", (top + bottom) / 2);
        dbf_buf_addf(&body, " text-anchor=\"middle\" fill=\"#555\">%s</text>\n",
                     frame->end <= frame->start ? "no time range to draw"
                                                : "no data in the time range shown");
    }
    dbf__svg_milestone_lines(&body, frame, top, bottom, LABEL_ROWS, LABEL_ROW_HEIGHT);
    int height = (int)bottom + axis_height;
    if (prepared > 1 || total > prepared)
        height += draw_legend(&body, drawn, prepared, total, width, height + 4);
    describe(&desc, drawn, prepared, &scale, unit, frame);

    struct dbf_buf label;
    dbf_buf_init(&label, 2048);
    dbf_buf_adds(&label, title);
    if (unit)
        dbf_buf_addf(&label, ", in %s", unit);
    dbf__svg_open(out, "dbf-chart dbf-metric", width, height + 6, label.data, desc.data);
    dbf_buf_add(out, body.data, body.len);
    if (body.failed)
        out->failed = true;
    dbf_buf_adds(out, "</svg>\n");
    dbf_buf_release(&label);
    dbf_buf_release(&axis_label);
    dbf_buf_release(&body);
    dbf_buf_release(&desc);
}

void dbf__svg_metric(struct dbf_buf *out, const struct dbf__metric_data *data,
                     const struct dbf_metric_ref *ref, const struct dbf__chart_frame *frame)
{
    struct dbf__metric_graph graph;
    if (!dbf__metric_graph_of(&graph, data, frame)) {
        out->failed = true;
        return;
    }
    dbf__svg_metric_graph(out, &graph, ref, frame);
    dbf__metric_graph_release(&graph);
}
