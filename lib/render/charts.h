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

/* The reduction of one series to pixel columns: for each column the
 * indices of its first, last, lowest and highest point, so that a line
 * through them in time order draws exactly what the full series would. */
struct dbf__column {
    size_t first, last, min, max;
    bool used;
};

/* The index of the first point of S at or after T (after T when AFTER);
 * S->count when there is none. */
size_t dbf__series_find(const struct dbf__series *s, int64_t t, bool after);

/* Reduces the points of S between START and END (inclusive) into COLUMNS
 * columns (OUT has COLUMNS entries). Returns the number of points read. */
size_t dbf__series_reduce(const struct dbf__series *s, int64_t start, int64_t end, int columns,
                          struct dbf__column *out);

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

#endif
