/* charts.h: the inline SVG charts of the report, and the metric data they draw.
 *
 * Every chart of a page is drawn on one time range (struct dbf__chart_frame)
 * so that the timeline and all metric graphs line up: the range covers the
 * incident with context before and after, the impact window is shaded and
 * the milestones are vertical lines with labels. Series are reduced to what
 * the pixels can show (min and max per pixel column), so a million points
 * draw as fast and as small as a thousand.
 *
 * Every chart has the same plot area across the page: x = DBF__CHART_LEFT to
 * width - DBF__CHART_RIGHT in SVG units, so one time has one x in every chart
 * of a frame (dbf__chart_x). Output is deterministic: no ids, no randomness,
 * numbers formatted without the locale. Arguments are borrowed. */
#ifndef DBF_CHARTS_H
#define DBF_CHARTS_H

#include "debrief/buf.h"
#include "debrief/doc.h"
#include "debrief/timeline.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dbf__series {
    char *name;
    int64_t *t; /* UTC seconds, ascending */
    double *v;
    size_t count;
    size_t alloc; /* room in t and v, for the readers */
};

struct dbf__metric_data {
    struct dbf__series *series;
    size_t series_count;
    int64_t first, last; /* time span of all series; first > last when there is no point */
};

/* The largest metrics file read. */
#define DBF__MAX_METRICS_FILE ((size_t)1 << 30)

/* Reads the LEN bytes at TEXT (NUL-terminated after them) as metrics: CSV
 * or Prometheus `query_range` JSON, chosen by content (JSON starts with '{').
 * Returns false with a message in ERR: "LINE: message" for CSV and JSON
 * syntax, "data.result[I].values[J]: message" for JSON that is not a query
 * result. OUT is left empty on failure. Free with dbf__metric_data_release().
 *
 * CSV: a header row; the time column is the one named time, timestamp, date,
 * datetime or ts (any case), else the first; every other column is a series
 * named by its header. Fields may be quoted ("a, b" and "" inside quotes);
 * the separator is ',' or, when the header has more of them, ';' or a tab.
 * Times: ISO 8601 with Z or an offset, "YYYY-MM-DD HH:MM[:SS]" and
 * "YYYY-MM-DD" (UTC), or epoch seconds, milliseconds, microseconds or
 * nanoseconds (told apart by their number of digits). Blank, NaN, null and
 * infinite cells are skipped.
 *
 * Prometheus: {"status":"success","data":{"resultType":"matrix","result":
 * [{"metric":{…},"values":[[T,"V"],…]},…]}} (or the "data" object alone, or
 * a "vector" result); each result is a series named by the labels that tell
 * the results apart; NaN and infinite values are skipped.
 *
 * Points are sorted by time when they were not in order. */
bool dbf__metric_data_parse(const char *text, size_t len, struct dbf__metric_data *out, char *err,
                            size_t errlen);

void dbf__metric_data_release(struct dbf__metric_data *data);

/* The shared time range of a page's charts and the marks drawn on each. */
struct dbf__chart_frame {
    int64_t start, end;                           /* UTC seconds shown on the x axis */
    const struct dbf_timeline_analysis *timeline; /* milestones and impact window; may be NULL */
    int width;                                    /* SVG width in pixels */
};

/* The plot area's horizontal margins, the same in every chart. */
#define DBF__CHART_LEFT 72
#define DBF__CHART_RIGHT 28
#define DBF__CHART_DEFAULT_WIDTH 800

/* How much of the page's time range is context around the incident. */
#define DBF__FRAME_CONTEXT_SHARE 0.25 /* of the incident's span, on each side */
#define DBF__FRAME_CONTEXT_MIN 600    /* seconds, on each side */
#define DBF__FRAME_EXTEND_FACTOR 4    /* data shown up to this many spans on each side */
#define DBF__FRAME_EXTEND_MIN 1200    /* seconds: the bound for very short incidents */

/* The frame for a page.
 *
 * The incident runs from the impact start (else the trigger, else the first
 * timeline entry) to the recovery (else the last entry). The frame is the
 * incident widened by context on each side: a quarter of its span, at least
 * 10 minutes. It then grows to show the trigger and the timeline entries
 * that lie within the bound, and the metrics' data up to the bound. The
 * bound on each side is four times the incident's span, at least 20
 * minutes, so that the incident never becomes a sliver of the chart (an
 * entry days away is left out of the chart, not zoomed out to). Edges are
 * rounded outwards to the minute.
 *
 * With no known incident time the frame is the metrics' data (10 minutes of
 * context around a single instant); with no time at all start == end and
 * the charts say that there is nothing to draw. WIDTH <= 0 means
 * DBF__CHART_DEFAULT_WIDTH. */
struct dbf__chart_frame dbf__chart_frame_for(const struct dbf_timeline_analysis *timeline,
                                             const struct dbf__metric_data *metrics, size_t count,
                                             int width);

/* The x of time T in every chart of FRAME (not clamped to the plot area). */
double dbf__chart_x(const struct dbf__chart_frame *frame, int64_t t);

/* The chart's width in SVG units (FRAME's width, or the default). */
int dbf__chart_width(const struct dbf__chart_frame *frame);

/* Is milestone M known, and when (*AT)? Looks in the frame's analysis. */
bool dbf__chart_milestone(const struct dbf__chart_frame *frame, enum dbf_milestone m, int64_t *at);

/* The impact window: from the impact start to the recovery (or the last
 * timeline entry when recovery is unknown). False when it is unknown. */
bool dbf__chart_impact(const struct dbf__chart_frame *frame, int64_t *from, int64_t *to);

/* The zone shown on the charts: the analysis's zone when its offsets are
 * known, else "UTC". */
const char *dbf__chart_zone(const struct dbf__chart_frame *frame);

/* Do the frame's times carry dates? False when the timeline has times of
 * day only (the axis then shows no dates). */
bool dbf__chart_dated(const struct dbf__chart_frame *frame);

/* Minutes east of UTC at T in the charts' zone. */
int dbf__chart_offset_at(const struct dbf__chart_frame *frame, int64_t t);

/* A point a graph keeps of a series: its time, its value, and its place
 * among the series' points, which orders the points kept and tells them
 * apart. */
struct dbf__kept_point {
    int64_t t;
    double v;
    uint64_t at;
};

/* One pixel column of a graph: its first, lowest, highest and last point
 * (the first of equal ones, as the points come), so that a line through
 * them in time order draws exactly what the full series would. USED when
 * the column has any point. */
struct dbf__column {
    struct dbf__kept_point first, min, max, last;
    bool used;
};

/* The intervals sampled to find a series' usual interval, at most. */
#define DBF__GAP_SAMPLES 128
/* A hole this many times the usual interval cuts a series' line. */
#define DBF__GAP_FACTOR 5

/* A series reduced to the pixel columns of [START, END] as its points
 * come: in time order, all at once or a run at a time (a file read in
 * pieces), so that what is kept does not grow with the points. Besides the
 * columns it keeps the points on each side of the frame's edges, where the
 * line is cut, and the series' usual interval between points.
 *
 * Column C takes the times from START + ceil(C * span / COLUMNS) up to the
 * next column's first; the last takes the rest up to END, included. */
struct dbf__reduction {
    int64_t start, end;
    int columns;
    struct dbf__column *column; /* COLUMNS of them */
    /* Points seen so far, and those within [START, END]. */
    uint64_t seen, visible;
    /* The last point before START and the first at or after it; the last
     * at or before END and the first after it (each with its HAS_). */
    struct dbf__kept_point before, from, to, after;
    bool has_before, has_from, has_to, has_after;
    /* A hole in the data longer than this cuts the line (0: never); set by
     * dbf__reduction_finish(). */
    int64_t gap;

    /* The reducer's own state. */
    int current;  /* the column the next visible point may fall in */
    int64_t next; /* the first time of the column after CURRENT */
    struct dbf__kept_point previous;
    bool has_previous;
    /* Intervals between visible points (see dbf__reduction_finish): at
     * LEVEL, the visible points are cut into blocks of 2^LEVEL and each
     * block's interval is sampled at one point of it, chosen by a hash;
     * NEXT_SAMPLE is the next such point. */
    struct {
        int64_t interval;
        uint64_t at; /* the number of the visible point it ends at */
    } sample[DBF__GAP_SAMPLES + 1];
    size_t samples;
    unsigned level;
    uint64_t next_sample;
};

/* Sets R up for the frame [START, END] and COLUMNS columns; false when
 * memory runs out. */
bool dbf__reduction_init(struct dbf__reduction *r, int64_t start, int64_t end, int columns);

/* Takes the N points T[i], V[i], which follow those given before in time
 * order (the caller checks the order). Non-finite values are passed over. */
void dbf__reduction_feed(struct dbf__reduction *r, const int64_t *t, const double *v, size_t n);

/* After the last point: sets R->gap, GAP_FACTOR times the median of the
 * sampled intervals between visible points (0 with fewer than four visible
 * points, or none sampled).
 *
 * The intervals sampled: number the visible points from 0 and cut them into
 * blocks of 2^L; block B of level L is sampled at the point its child block
 * 2B + H(L, B) of level L - 1 is (H a bit of a hash of L and B), block B of
 * level 0 at point B. The interval ending at a block's point (when that is
 * not point 0 and the interval is not 0: repeated times say nothing of the
 * usual interval) is its sample; L is the least level with at most
 * DBF__GAP_SAMPLES of them. A hash rather than a fixed stride, so that data
 * with a period (two rows a time, steps alternating long and short) is not
 * sampled at one phase of it. */
void dbf__reduction_finish(struct dbf__reduction *r);

/* For a reader that looks at points in bulk and gives R only the few that
 * count (metric_sweep.c). The points to come, as long as their times are
 * before *BOUND and they are at most *POINTS (SIZE_MAX: no limit), fall
 * alike: all before the frame, all in one column, or all after the frame;
 * the point that is not must go through dbf__reduction_feed(). */
void dbf__reduction_bound(const struct dbf__reduction *r, int64_t *bound, size_t *points);

/* Takes N points (N > 0) that dbf__reduction_bound() says fall alike, of
 * which only these are given: the first, the lowest and the highest (the
 * first of equal ones), the last, all finite. R is then as if
 * dbf__reduction_feed() had taken them all. */
void dbf__reduction_take(struct dbf__reduction *r, size_t n, const struct dbf__kept_point *first,
                         const struct dbf__kept_point *low, const struct dbf__kept_point *high,
                         const struct dbf__kept_point *last);

void dbf__reduction_release(struct dbf__reduction *r);

/* A metrics file as its graph draws it: the series' names, and the first
 * DBF__GRAPH_MAX_SERIES of them reduced to the frame. */
#define DBF__GRAPH_MAX_SERIES 24
struct dbf__graph_series {
    char *name;
    struct dbf__reduction reduction;
};
struct dbf__metric_graph {
    struct dbf__graph_series *series;
    size_t series_count; /* all the file's series; SERIES holds the first
                            DBF__GRAPH_MAX_SERIES of them */
    size_t reduced;      /* the first REDUCED have their reduction */
};

/* Names GRAPH's series after DATA's and sets up the reductions to FRAME's
 * columns, with no point yet (a frame with no time range, end <= start,
 * reduces none); false, GRAPH empty, when memory runs out. */
bool dbf__metric_graph_start(struct dbf__metric_graph *graph, const struct dbf__metric_data *data,
                             const struct dbf__chart_frame *frame);

/* Reduces DATA's series to FRAME's columns: dbf__metric_graph_start(), then
 * every point; false when memory runs out. */
bool dbf__metric_graph_of(struct dbf__metric_graph *graph, const struct dbf__metric_data *data,
                          const struct dbf__chart_frame *frame);

void dbf__metric_graph_release(struct dbf__metric_graph *graph);

/* The number of pixel columns of FRAME's plot area. */
int dbf__chart_columns(const struct dbf__chart_frame *frame);

/* Appends an <svg> of the timeline: entries as marks coloured by kind (with
 * their text as a tooltip), the milestones labelled with their times, the
 * impact window shaded, entries with no time or outside the frame left out
 * (and counted in a note). */
void dbf__svg_timeline(struct dbf_buf *out, const struct dbf_doc *doc,
                       const struct dbf__chart_frame *frame);

/* Appends an <svg> graph of DATA: TITLE as its heading, a line per series
 * (with a legend when several), the y axis labelled "LABEL (UNIT)" with nice
 * ticks, the x axis in the frame's zone, the impact window shaded and dashed
 * vertical lines at detection, mitigation and recovery. REF may be NULL. */
void dbf__svg_metric(struct dbf_buf *out, const struct dbf__metric_data *data,
                     const struct dbf_metric_ref *ref, const struct dbf__chart_frame *frame);

/* The same graph from series already reduced to FRAME. */
void dbf__svg_metric_graph(struct dbf_buf *out, const struct dbf__metric_graph *graph,
                           const struct dbf_metric_ref *ref, const struct dbf__chart_frame *frame);

#endif
