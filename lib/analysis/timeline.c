/* timeline.c: the milestones, durations and gaps of an incident. */
#include "debrief/timeline.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const milestone_names[DBF_MILESTONE_COUNT] = {
    "trigger", "impact_start", "detected", "escalated", "diagnosed", "mitigation_started", "recovered",
};

static const char *const duration_names[DBF_DURATION_COUNT] = {
    "time_to_detect", "time_to_engage", "time_to_diagnose",
    "time_to_mitigate", "impact_duration", "total_duration",
};

const char *dbf_milestone_name(enum dbf_milestone m)
{
    return m < DBF_MILESTONE_COUNT ? milestone_names[m] : "";
}

const char *dbf_duration_name(enum dbf_duration d)
{
    return d < DBF_DURATION_COUNT ? duration_names[d] : "";
}

struct dbf_timeline_analysis *dbf_timeline_analyse(const struct dbf_doc *doc, int64_t gap_seconds)
{
    (void)doc;
    (void)gap_seconds;
    struct dbf_timeline_analysis *a = calloc(1, sizeof *a);
    if (a) {
        a->zone = "UTC";
        a->first = 1;
        a->last = 0;
    }
    return a;
}

void dbf_timeline_analysis_free(struct dbf_timeline_analysis *analysis)
{
    if (!analysis)
        return;
    free(analysis->gaps);
    free(analysis);
}

char *dbf_timeline_format(const struct dbf_timeline_analysis *analysis, int64_t at, char *out,
                          size_t size)
{
    (void)analysis;
    snprintf(out, size, "%lld", (long long)at);
    return out;
}
