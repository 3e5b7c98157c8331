/* frame.c: the one time range of a page's charts, and where a time falls on it. */
#include "charts.h"

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static bool known(const struct dbf_timeline_analysis *a, enum dbf_milestone m, int64_t *at)
{
    if (!a || !a->milestone[m].known)
        return false;
    *at = a->milestone[m].at;
    return true;
}

static bool has_entries(const struct dbf_timeline_analysis *a)
{
    return a && a->first <= a->last;
}

/* The incident's span; false when nothing about it is known. */
static bool incident_span(const struct dbf_timeline_analysis *a, int64_t *from, int64_t *to)
{
    int64_t start, end;
    bool has_start =
        known(a, DBF_MILESTONE_IMPACT_START, &start) || known(a, DBF_MILESTONE_TRIGGER, &start);
    if (!has_start && has_entries(a)) {
        start = a->first;
        has_start = true;
    }
    bool has_end = known(a, DBF_MILESTONE_RECOVERED, &end);
    if (!has_end && has_entries(a)) {
        end = a->last;
        has_end = true;
    }
    if (!has_start && !has_end)
        return false;
    if (!has_start)
        start = end;
    if (!has_end || end < start)
        end = start;
    *from = start;
    *to = end;
    return true;
}

/* Grows [*FROM, *TO] to take in [A, B], cut to [LO, HI]: data runs on
 * past the bound and is shown up to it. */
static void take_in(int64_t *from, int64_t *to, int64_t a, int64_t b, int64_t lo, int64_t hi)
{
    if (a > b || b < lo || a > hi)
        return;
    *from = min64(*from, max64(a, lo));
    *to = max64(*to, min64(b, hi));
}

/* Grows [*FROM, *TO] to take in the instant T when it is within [LO, HI]:
 * an event far away (a change made days before) is left out rather than
 * stretching the frame towards it. */
static void take_in_event(int64_t *from, int64_t *to, int64_t t, int64_t lo, int64_t hi)
{
    if (t >= lo && t <= hi)
        take_in(from, to, t, t, lo, hi);
}

static int64_t floor_minute(int64_t t)
{
    int64_t r = t % 60;
    return t - (r < 0 ? r + 60 : r);
}

struct dbf__chart_frame dbf__chart_frame_for(const struct dbf_timeline_analysis *timeline,
                                             const struct dbf__metric_data *metrics, size_t count,
                                             int width)
{
    struct dbf__chart_frame frame = {0, 0, timeline, width > 0 ? width : DBF__CHART_DEFAULT_WIDTH};
    int64_t start, end;
    if (incident_span(timeline, &start, &end)) {
        int64_t span = end - start;
        int64_t context = max64((int64_t)(span * DBF__FRAME_CONTEXT_SHARE), DBF__FRAME_CONTEXT_MIN);
        int64_t bound = max64(span * DBF__FRAME_EXTEND_FACTOR, DBF__FRAME_EXTEND_MIN);
        int64_t lo = start - bound, hi = end + bound;
        frame.start = start - context;
        frame.end = end + context;
        int64_t at;
        if (known(timeline, DBF_MILESTONE_TRIGGER, &at))
            take_in_event(&frame.start, &frame.end, at, lo, hi);
        for (size_t i = 0; i < timeline->entry_count; i++)
            take_in_event(&frame.start, &frame.end, timeline->entries[i].at, lo, hi);
        if (!timeline->entry_count && has_entries(timeline)) {
            take_in_event(&frame.start, &frame.end, timeline->first, lo, hi);
            take_in_event(&frame.start, &frame.end, timeline->last, lo, hi);
        }
        for (size_t i = 0; i < count; i++)
            take_in(&frame.start, &frame.end, metrics[i].first, metrics[i].last, lo, hi);
    } else {
        bool any = false;
        for (size_t i = 0; i < count; i++) {
            if (metrics[i].first > metrics[i].last)
                continue;
            frame.start = any ? min64(frame.start, metrics[i].first) : metrics[i].first;
            frame.end = any ? max64(frame.end, metrics[i].last) : metrics[i].last;
            any = true;
        }
        if (!any)
            return frame;
        if (frame.start == frame.end) {
            frame.start -= DBF__FRAME_CONTEXT_MIN;
            frame.end += DBF__FRAME_CONTEXT_MIN;
        }
    }
    frame.start = floor_minute(frame.start);
    if (floor_minute(frame.end) != frame.end)
        frame.end = floor_minute(frame.end) + 60;
    return frame;
}

int dbf__chart_width(const struct dbf__chart_frame *frame)
{
    return frame->width > DBF__CHART_LEFT + DBF__CHART_RIGHT + 40 ? frame->width
                                                                  : DBF__CHART_DEFAULT_WIDTH;
}

int dbf__chart_columns(const struct dbf__chart_frame *frame)
{
    return dbf__chart_width(frame) - DBF__CHART_LEFT - DBF__CHART_RIGHT;
}

double dbf__chart_x(const struct dbf__chart_frame *frame, int64_t t)
{
    double plot = dbf__chart_width(frame) - DBF__CHART_LEFT - DBF__CHART_RIGHT;
    if (frame->end <= frame->start)
        return DBF__CHART_LEFT;
    return DBF__CHART_LEFT +
           (double)(t - frame->start) * plot / (double)(frame->end - frame->start);
}

bool dbf__chart_milestone(const struct dbf__chart_frame *frame, enum dbf_milestone m, int64_t *at)
{
    return known(frame->timeline, m, at);
}

bool dbf__chart_impact(const struct dbf__chart_frame *frame, int64_t *from, int64_t *to)
{
    const struct dbf_timeline_analysis *a = frame->timeline;
    if (!known(a, DBF_MILESTONE_IMPACT_START, from))
        return false;
    if (known(a, DBF_MILESTONE_RECOVERED, to) && *to >= *from)
        return true;
    if (has_entries(a) && a->last > *from) {
        *to = a->last;
        return true;
    }
    return false;
}

/* The offset at T from the analysis's zone when it has one, else the
 * offset a known milestone was read with. */
static bool analysis_offset(const struct dbf_timeline_analysis *a, int64_t t, int *minutes)
{
    if (!a)
        return false;
    if (a->tz) {
        *minutes = dbf_timeline_offset(a, t) / 60;
        return true;
    }
    for (int m = 0; m < DBF_MILESTONE_COUNT; m++)
        if (a->milestone[m].known) {
            *minutes = a->milestone[m].utc_offset;
            return true;
        }
    return false;
}

bool dbf__chart_dated(const struct dbf__chart_frame *frame)
{
    const struct dbf_timeline_analysis *a = frame->timeline;
    return !a || a->dated || a->first > a->last;
}

const char *dbf__chart_zone(const struct dbf__chart_frame *frame)
{
    const struct dbf_timeline_analysis *a = frame->timeline;
    int minutes;
    if (a && a->zone && *a->zone && analysis_offset(a, frame->start, &minutes))
        return a->zone;
    return "UTC";
}

int dbf__chart_offset_at(const struct dbf__chart_frame *frame, int64_t t)
{
    int minutes;
    const struct dbf_timeline_analysis *a = frame->timeline;
    if (a && a->zone && *a->zone && analysis_offset(a, t, &minutes))
        return minutes;
    return 0;
}
