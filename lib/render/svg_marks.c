/* svg_marks.c: what every chart of a page marks on its plot: the impact
 * window and the response's milestones. */
#include "svg.h"

#include <string.h>

void dbf__svg_impact(struct dbf_buf *out, const struct dbf__chart_frame *frame, double top,
                     double bottom)
{
    int64_t from, to;
    if (dbf__chart_impact(frame, &from, &to))
        dbf__svg_impact_window(out, frame, from, to, top, bottom, true);
}

void dbf__svg_impact_window(struct dbf_buf *out, const struct dbf__chart_frame *frame, int64_t from,
                            int64_t to, double top, double bottom, bool label)
{
    if (to < from || to < frame->start || from > frame->end)
        return;
    double x1 = dbf__chart_x(frame, from < frame->start ? frame->start : from);
    double x2 = dbf__chart_x(frame, to > frame->end ? frame->end : to);
    dbf_buf_adds(out, "<g class=\"dbf-impact\">\n<title>customer impact ");
    dbf__svg_clock(out, frame, from, false);
    dbf_buf_adds(out, "\xe2\x80\x93");
    dbf__svg_clock(out, frame, to, false);
    dbf_buf_adds(out, " ");
    dbf_buf_add_html(out, dbf__chart_zone(frame));
    dbf_buf_adds(out, "</title>\n<rect");
    dbf__svg_attr(out, "x", x1);
    dbf__svg_attr(out, "y", top);
    dbf__svg_attr(out, "width", x2 - x1 < 1 ? 1 : x2 - x1);
    dbf__svg_attr(out, "height", bottom - top);
    dbf_buf_adds(out, " fill=\"#e15759\" fill-opacity=\"0.13\"/>\n");
    if (label && x2 - x1 >= 44) {
        dbf_buf_adds(out, "<text");
        dbf__svg_attr(out, "x", x1 + 4);
        dbf__svg_attr(out, "y", top + 12);
        dbf_buf_adds(out, " fill=\"#a8323a\" font-size=\"10\">impact</text>\n");
    }
    dbf_buf_adds(out, "</g>\n");
}

static const struct {
    enum dbf_milestone milestone;
    const char *label;
} marked[] = {
    {DBF_MILESTONE_DETECTED, "detected"},
    {DBF_MILESTONE_MITIGATION_STARTED, "mitigated"},
    {DBF_MILESTONE_RECOVERED, "recovered"},
};

#define MARKED (sizeof marked / sizeof marked[0])
#define MAX_ROWS 4

void dbf__svg_milestone_lines(struct dbf_buf *out, const struct dbf__chart_frame *frame, double top,
                              double bottom, int rows, double row_height)
{
    int64_t at[MARKED];
    bool shown[MARKED];
    for (size_t i = 0; i < MARKED; i++)
        shown[i] = dbf__chart_milestone(frame, marked[i].milestone, &at[i]) &&
                   at[i] >= frame->start && at[i] <= frame->end;
    double right_edge[MAX_ROWS] = {-1e9, -1e9, -1e9, -1e9};
    if (rows > MAX_ROWS)
        rows = MAX_ROWS;
    if (rows < 1)
        rows = 1;
    int width = dbf__chart_width(frame);
    struct dbf_buf label;
    dbf_buf_init(&label, 256);
    for (size_t i = 0; i < MARKED; i++) {
        if (!shown[i])
            continue;
        bool joined_earlier = false;
        for (size_t k = 0; k < i; k++)
            joined_earlier |= shown[k] && at[k] == at[i];
        double x = dbf__chart_x(frame, at[i]);
        dbf_buf_addf(out, "<g class=\"dbf-milestone dbf-milestone-%s\">\n<title>%s at ",
                     marked[i].label, marked[i].label);
        dbf__svg_clock(out, frame, at[i], false);
        dbf_buf_adds(out, " ");
        dbf_buf_add_html(out, dbf__chart_zone(frame));
        dbf_buf_addf(out, "</title>\n<line data-milestone=\"%s\"", marked[i].label);
        dbf__svg_attr(out, "x1", x);
        dbf__svg_attr(out, "x2", x);
        dbf__svg_attr(out, "y1", top);
        dbf__svg_attr(out, "y2", bottom);
        dbf_buf_adds(out, " stroke=\"#333\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n");
        if (!joined_earlier) {
            dbf_buf_reset(&label);
            for (size_t k = i; k < MARKED; k++)
                if (shown[k] && at[k] == at[i]) {
                    if (label.len)
                        dbf_buf_adds(&label, ", ");
                    dbf_buf_adds(&label, marked[k].label);
                }
            double w = dbf__svg_text_width(label.data, 10);
            double left = x - w / 2;
            if (left < 2)
                left = 2;
            if (left + w > width - 2)
                left = width - 2 - w;
            int row = dbf__svg_place(right_edge, rows, left, left + w);
            dbf_buf_adds(out, "<text");
            dbf__svg_attr(out, "x", left);
            dbf__svg_attr(out, "y", top - 4 - row * row_height);
            dbf_buf_adds(out, " font-size=\"10\" fill=\"#333\">");
            dbf_buf_adds(out, label.data);
            dbf_buf_adds(out, "</text>\n");
        }
        dbf_buf_adds(out, "</g>\n");
    }
    dbf_buf_release(&label);
}
