/* svg_timeline.c: the timeline chart: every timed entry as a mark on the
 * page's frame, the milestones labelled, the impact window shaded.
 *
 * Entries are placed at the times the analysis resolved (dates given to
 * undated entries, zones applied); without an analysis of them, at the
 * parser's times. A milestone the analysis does not know is taken from the
 * first entry of its kind, so the chart says what the record says. */
#include "svg.h"

#include <stdlib.h>
#include <string.h>

#define TOP 6
#define ROW_HEIGHT 14
#define MAX_ROWS 5
#define MARK_RADIUS 4.5

static const struct {
    unsigned kind;
    const char *name, *colour;
} kinds[] = {
    {DBF_EVENT_RESOLVED, "resolved", "#2f6b2f"},   {DBF_EVENT_MITIGATION, "mitigation", "#59a14f"},
    {DBF_EVENT_DIAGNOSED, "diagnosed", "#76b7b2"}, {DBF_EVENT_ESCALATED, "escalated", "#9c755f"},
    {DBF_EVENT_DETECTED, "detected", "#4e79a7"},   {DBF_EVENT_IMPACT_START, "impact", "#e15759"},
    {DBF_EVENT_TRIGGER, "trigger", "#f28e2b"},     {DBF_EVENT_CUSTOMER, "customer", "#b07aa1"},
};
#define KINDS (sizeof kinds / sizeof kinds[0])
#define OTHER KINDS

static const char *kind_name(size_t k)
{
    return k < KINDS ? kinds[k].name : "other";
}

static const char *kind_colour(size_t k)
{
    return k < KINDS ? kinds[k].colour : "#9a9a9a";
}

/* The kind a mark is drawn as: the furthest along the response. */
static size_t kind_of(unsigned bits)
{
    for (size_t k = 0; k < KINDS; k++)
        if (bits & kinds[k].kind)
            return k;
    return OTHER;
}

static const struct {
    enum dbf_milestone milestone;
    unsigned kind;
    const char *label;
} milestones[] = {
    {DBF_MILESTONE_TRIGGER, DBF_EVENT_TRIGGER, "trigger"},
    {DBF_MILESTONE_IMPACT_START, DBF_EVENT_IMPACT_START, "impact starts"},
    {DBF_MILESTONE_DETECTED, DBF_EVENT_DETECTED, "detected"},
    {DBF_MILESTONE_ESCALATED, DBF_EVENT_ESCALATED, "escalated"},
    {DBF_MILESTONE_DIAGNOSED, DBF_EVENT_DIAGNOSED, "diagnosed"},
    {DBF_MILESTONE_MITIGATION_STARTED, DBF_EVENT_MITIGATION, "mitigation"},
    {DBF_MILESTONE_RECOVERED, DBF_EVENT_RESOLVED, "recovered"},
};
#define MILESTONES (sizeof milestones / sizeof milestones[0])
#define IMPACT_START 1
#define RECOVERED 6

/* A timed entry, where it is drawn. */
struct mark {
    int64_t at;
    unsigned kinds;
    int line;
    const char *text;
};

struct marks {
    struct mark *items;
    size_t count;
    size_t untimed; /* entries with no time */
};

static bool collect(const struct dbf_doc *doc, const struct dbf__chart_frame *frame,
                    struct marks *m)
{
    memset(m, 0, sizeof *m);
    size_t total = doc ? doc->timeline_count : 0;
    if (!total)
        return true;
    m->items = calloc(total, sizeof *m->items);
    if (!m->items)
        return false;
    const struct dbf_timeline_analysis *a = frame->timeline;
    if (a && a->entry_count) {
        for (size_t i = 0; i < a->entry_count; i++) {
            const struct dbf_timed_entry *t = &a->entries[i];
            if (t->index >= total)
                continue;
            m->items[m->count++] =
                (struct mark){t->at, t->kinds, t->line, doc->timeline[t->index].text};
        }
    } else {
        for (size_t i = 0; i < total; i++) {
            const struct dbf_timeline_entry *e = &doc->timeline[i];
            if (e->time_ok)
                m->items[m->count++] = (struct mark){e->at, e->kinds, e->pos.line, e->text};
        }
    }
    m->untimed = total - m->count;
    return true;
}

static bool milestone_at(const struct dbf__chart_frame *frame, const struct marks *m, size_t k,
                         int64_t *at)
{
    if (dbf__chart_milestone(frame, milestones[k].milestone, at))
        return true;
    bool found = false;
    for (size_t i = 0; i < m->count; i++)
        if ((m->items[i].kinds & milestones[k].kind) && (!found || m->items[i].at < *at)) {
            *at = m->items[i].at;
            found = true;
        }
    return found;
}

static bool in_frame(const struct dbf__chart_frame *frame, int64_t t)
{
    return t >= frame->start && t <= frame->end;
}

/* A milestone label placed above the axis. */
struct placed {
    size_t milestone;
    int64_t at;
    double x, left, width;
    int row;
    bool anchor_end;
};

static int place_labels(const struct dbf__chart_frame *frame, const struct marks *m,
                        struct placed *placed, size_t *count, struct dbf_buf *scratch)
{
    int width = dbf__chart_width(frame);
    *count = 0;
    for (size_t k = 0; k < MILESTONES; k++) {
        int64_t at;
        if (!milestone_at(frame, m, k, &at) || !in_frame(frame, at))
            continue;
        size_t i = (*count)++;
        while (i > 0 && placed[i - 1].at > at) {
            placed[i] = placed[i - 1];
            i--;
        }
        placed[i] = (struct placed){.milestone = k, .at = at, .x = dbf__chart_x(frame, at)};
    }
    double right_edge[MAX_ROWS];
    for (int r = 0; r < MAX_ROWS; r++)
        right_edge[r] = -1e9;
    int rows = 0;
    for (size_t i = 0; i < *count; i++) {
        struct placed *p = &placed[i];
        dbf_buf_reset(scratch);
        dbf_buf_adds(scratch, milestones[p->milestone].label);
        dbf_buf_addc(scratch, ' ');
        dbf__svg_clock(scratch, frame, p->at, false);
        p->width = dbf__svg_text_width(scratch->data, DBF__SVG_FONT) * 1.12; /* bold */
        p->anchor_end = p->x - 3 + p->width > width - 2;
        p->left = p->anchor_end ? p->x + 3 - p->width : p->x - 3;
        p->row = dbf__svg_place(right_edge, MAX_ROWS, p->left, p->left + p->width);
        if (p->row + 1 > rows)
            rows = p->row + 1;
    }
    return rows;
}

static void draw_labels(struct dbf_buf *out, const struct dbf__chart_frame *frame,
                        const struct placed *placed, size_t count, double axis_y)
{
    for (size_t i = 0; i < count; i++) {
        const struct placed *p = &placed[i];
        double y = axis_y - 16 - p->row * ROW_HEIGHT;
        dbf_buf_addf(out, "<g class=\"dbf-milestone\" data-milestone=\"%s\">\n<line",
                     dbf_milestone_name(milestones[p->milestone].milestone));
        dbf__svg_attr(out, "x1", p->x);
        dbf__svg_attr(out, "x2", p->x);
        dbf__svg_attr(out, "y1", y + 3);
        dbf__svg_attr(out, "y2", axis_y - MARK_RADIUS);
        dbf_buf_adds(out, " stroke=\"#888\"/>\n<text");
        dbf__svg_attr(out, "x", p->anchor_end ? p->x + 3 : p->x - 3);
        dbf__svg_attr(out, "y", y);
        dbf_buf_addf(out, "%s font-weight=\"600\">%s ", p->anchor_end ? " text-anchor=\"end\"" : "",
                     milestones[p->milestone].label);
        dbf__svg_clock(out, frame, p->at, false);
        dbf_buf_adds(out, "</text>\n</g>\n");
    }
}

static size_t draw_marks(struct dbf_buf *out, const struct marks *m,
                         const struct dbf__chart_frame *frame, double axis_y, bool *used_kinds)
{
    char text[320];
    size_t drawn = 0;
    for (size_t i = 0; i < m->count; i++) {
        const struct mark *e = &m->items[i];
        if (!in_frame(frame, e->at))
            continue;
        size_t k = kind_of(e->kinds);
        used_kinds[k] = true;
        drawn++;
        dbf_buf_addf(out, "<g class=\"dbf-entry dbf-kind-%s\" data-line=\"%d\">\n<title>",
                     kind_name(k), e->line);
        dbf__svg_clock(out, frame, e->at, false);
        dbf_buf_adds(out, " \xe2\x80\x94 ");
        dbf_buf_add_html(out, dbf__svg_shorten(e->text ? e->text : "", 280, text, sizeof text));
        dbf_buf_adds(out, "</title>\n<circle");
        dbf__svg_attr(out, "cx", dbf__chart_x(frame, e->at));
        dbf__svg_attr(out, "cy", axis_y);
        dbf__svg_attr(out, "r", MARK_RADIUS);
        dbf_buf_addf(out, " fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"/>\n</g>\n",
                     kind_colour(k));
    }
    return drawn;
}

/* The kinds drawn and what was left out; returns the height used. */
static int draw_legend(struct dbf_buf *out, const bool *used_kinds, size_t untimed, size_t outside,
                       int width, double y)
{
    double x = DBF__CHART_LEFT;
    dbf_buf_adds(out, "<g class=\"dbf-legend\">\n");
    for (size_t k = 0; k <= KINDS; k++) {
        if (!used_kinds[k])
            continue;
        double w = 14 + dbf__svg_text_width(kind_name(k), DBF__SVG_FONT) + 14;
        if (x + w > width - DBF__CHART_RIGHT) {
            x = DBF__CHART_LEFT;
            y += 16;
        }
        dbf_buf_adds(out, "<circle");
        dbf__svg_attr(out, "cx", x + 4);
        dbf__svg_attr(out, "cy", y - 4);
        dbf_buf_addf(out, " r=\"4\" fill=\"%s\"/>\n<text", kind_colour(k));
        dbf__svg_attr(out, "x", x + 12);
        dbf__svg_attr(out, "y", y);
        dbf_buf_addf(out, ">%s</text>\n", kind_name(k));
        x += w;
    }
    int height = 20;
    if (untimed || outside) {
        y += 16;
        height += 16;
        dbf_buf_adds(out, "<text class=\"dbf-note\"");
        dbf__svg_attr(out, "x", DBF__CHART_LEFT);
        dbf__svg_attr(out, "y", y);
        dbf_buf_adds(out, " fill=\"#555\">not drawn: ");
        if (untimed)
            dbf_buf_addf(out, "%zu entr%s without a time", untimed, untimed == 1 ? "y" : "ies");
        if (untimed && outside)
            dbf_buf_adds(out, ", ");
        if (outside)
            dbf_buf_addf(out, "%zu entr%s outside the time range shown", outside,
                         outside == 1 ? "y" : "ies");
        dbf_buf_adds(out, "</text>\n");
    }
    dbf_buf_adds(out, "</g>\n");
    return height;
}

/* The accessible name: how many entries, over what range, the milestones. */
static void describe(struct dbf_buf *label, const struct dbf__chart_frame *frame, size_t drawn,
                     const struct placed *placed, size_t count)
{
    dbf_buf_addf(label, "Timeline: %zu entr%s", drawn, drawn == 1 ? "y" : "ies");
    if (frame->end > frame->start) {
        dbf_buf_adds(label, " between ");
        dbf__svg_clock(label, frame, frame->start, false);
        dbf_buf_adds(label, " and ");
        dbf__svg_clock(label, frame, frame->end, false);
        dbf_buf_addc(label, ' ');
        dbf_buf_adds(label, dbf__chart_zone(frame));
    }
    for (size_t i = 0; i < count; i++) {
        dbf_buf_adds(label, i ? ", " : "; ");
        dbf_buf_adds(label, milestones[placed[i].milestone].label);
        dbf_buf_addc(label, ' ');
        dbf__svg_clock(label, frame, placed[i].at, false);
    }
}

void dbf__svg_timeline(struct dbf_buf *out, const struct dbf_doc *doc,
                       const struct dbf__chart_frame *frame)
{
    int width = dbf__chart_width(frame);
    bool has_range = frame->end > frame->start;
    struct marks m;
    if (!collect(doc, frame, &m)) {
        out->failed = true;
        return;
    }
    struct placed placed[MILESTONES];
    size_t placed_count = 0;
    struct dbf_buf scratch, body;
    dbf_buf_init(&scratch, 1024);
    dbf_buf_init(&body, 0);
    int rows = has_range ? place_labels(frame, &m, placed, &placed_count, &scratch) : 0;
    double axis_y = TOP + (rows > 0 ? rows : 1) * ROW_HEIGHT + 18;

    int64_t from, to;
    if (dbf__chart_impact(frame, &from, &to) ||
        (milestone_at(frame, &m, IMPACT_START, &from) && milestone_at(frame, &m, RECOVERED, &to)))
        dbf__svg_impact_window(&body, frame, from, to, TOP, axis_y, false);
    int axis_height = dbf__svg_time_axis(&body, frame, axis_y, TOP);
    bool used_kinds[KINDS + 1] = {false};
    size_t drawn = has_range ? draw_marks(&body, &m, frame, axis_y, used_kinds) : 0;
    draw_labels(&body, frame, placed, placed_count, axis_y);
    if (!drawn) {
        dbf_buf_adds(&body, "<text class=\"dbf-empty\"");
        dbf__svg_attr(&body, "x", (DBF__CHART_LEFT + width - DBF__CHART_RIGHT) / 2.0);
        dbf__svg_attr(&body, "y", axis_y - 10);
        dbf_buf_adds(&body, " text-anchor=\"middle\" fill=\"#555\">no timeline entry with a time "
                            "to draw</text>\n");
    }
    double legend_y = axis_y + axis_height + 4;
    int height =
        (int)legend_y + draw_legend(&body, used_kinds, m.untimed, m.count - drawn, width, legend_y);

    dbf_buf_reset(&scratch);
    describe(&scratch, frame, drawn, placed, placed_count);
    dbf__svg_open(out, "dbf-chart dbf-timeline", width, height + 4, scratch.data, NULL);
    dbf_buf_add(out, body.data, body.len);
    if (body.failed || scratch.failed)
        out->failed = true;
    dbf_buf_adds(out, "</svg>\n");
    dbf_buf_release(&scratch);
    dbf_buf_release(&body);
    free(m.items);
}
