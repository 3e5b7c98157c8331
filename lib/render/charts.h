/* charts.h: the inline SVG charts of the report, and the metric data they draw.
 *
 * Every chart of a page is drawn on one time range (struct dbf__chart_frame)
 * so that the timeline and all metric graphs line up: the range covers the
 * incident with context before and after, the impact window is shaded and
 * the milestones are vertical lines with labels. Series are reduced to what
 * the pixels can show (min and max per pixel column), so a million points
 * draw as fast and as small as a thousand. */
#ifndef DBF_CHARTS_H
#define DBF_CHARTS_H

#include "debrief/buf.h"
#include "debrief/doc.h"
#include "debrief/timeline.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dbf__series {
    const char *name;
    int64_t *t; /* UTC seconds, ascending */
    double *v;
    size_t count;
};

struct dbf__metric_data {
    struct dbf__series *series;
    size_t series_count;
    int64_t first, last; /* time span of all series */
};

/* Reads a metrics file: CSV with a time column (ISO 8601 or epoch seconds)
 * and one or more series columns, or Prometheus `query_range` JSON (chosen
 * by content). Returns false with "LINE: message" in ERR. Free with
 * dbf__metric_data_release(). */
bool dbf__metric_data_load(const char *path, struct dbf__metric_data *out, char *err, size_t errlen);
void dbf__metric_data_release(struct dbf__metric_data *data);

/* The shared time range of a page's charts and the marks drawn on each. */
struct dbf__chart_frame {
    int64_t start, end;               /* UTC seconds shown on the x axis */
    const struct dbf_timeline_analysis *timeline; /* milestones and impact window */
    int width;                        /* SVG width in pixels */
};

/* The frame for a page: the incident (first entry or impact start to
 * recovery) widened by context on both sides, and widened to cover the
 * metrics' data around it, but never more than a bounded span. */
struct dbf__chart_frame dbf__chart_frame_for(const struct dbf_timeline_analysis *timeline,
                                             const struct dbf__metric_data *metrics, size_t count,
                                             int width);

/* Appends an <svg> of the timeline: entries as ticks by kind, the milestones
 * labelled, the impact window shaded. */
void dbf__svg_timeline(struct dbf_buf *out, const struct dbf_doc *doc,
                       const struct dbf__chart_frame *frame);

/* Appends an <svg> graph of DATA with the axes labelled (TITLE, UNIT,
 * LABEL from the front matter), the impact window shaded and vertical lines
 * at detection, mitigation and recovery. */
void dbf__svg_metric(struct dbf_buf *out, const struct dbf__metric_data *data,
                     const struct dbf_metric_ref *ref, const struct dbf__chart_frame *frame);

#endif
