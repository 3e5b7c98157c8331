/* charts.c: the shared frame of a page's charts. */
#include "charts.h"

#include <stdlib.h>

bool dbf__metric_data_load(const char *path, struct dbf__metric_data *out, char *err, size_t errlen)
{
    (void)path;
    (void)out;
    (void)err;
    (void)errlen;
    return false;
}

void dbf__metric_data_release(struct dbf__metric_data *data)
{
    (void)data;
}

struct dbf__chart_frame dbf__chart_frame_for(const struct dbf_timeline_analysis *timeline,
                                             const struct dbf__metric_data *metrics, size_t count,
                                             int width)
{
    (void)metrics;
    (void)count;
    return (struct dbf__chart_frame){0, 0, timeline, width};
}

void dbf__svg_timeline(struct dbf_buf *out, const struct dbf_doc *doc,
                       const struct dbf__chart_frame *frame)
{
    (void)out;
    (void)doc;
    (void)frame;
}

void dbf__svg_metric(struct dbf_buf *out, const struct dbf__metric_data *data,
                     const struct dbf_metric_ref *ref, const struct dbf__chart_frame *frame)
{
    (void)out;
    (void)data;
    (void)ref;
    (void)frame;
}
