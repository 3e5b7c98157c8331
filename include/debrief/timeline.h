/* timeline.h: the derived figures of an incident's timeline.
 *
 * dbf_timeline_analyse() reads the milestones from a parsed document — the
 * front matter's `incident` times first, then the timeline entries' kinds —
 * and works out the durations between them and the gaps in the record. All
 * times are seconds since the epoch in UTC, resolved through the document's
 * zone (IANA names through the system's zone data, abbreviations, offsets).
 * The analysis borrows nothing from the document once made. */
#ifndef DEBRIEF_TIMELINE_H
#define DEBRIEF_TIMELINE_H

#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dbf_milestone {
    DBF_MILESTONE_TRIGGER,
    DBF_MILESTONE_IMPACT_START,
    DBF_MILESTONE_DETECTED,
    DBF_MILESTONE_ESCALATED,
    DBF_MILESTONE_DIAGNOSED,
    DBF_MILESTONE_MITIGATION_STARTED,
    DBF_MILESTONE_RECOVERED,
    DBF_MILESTONE_COUNT
};

/* "trigger", "impact_start", "detected", "escalated", "diagnosed",
 * "mitigation_started", "recovered": the JSON names of DESIGN.md §6. */
const char *dbf_milestone_name(enum dbf_milestone m);

enum dbf_duration {
    DBF_TIME_TO_DETECT,   /* impact start → detection */
    DBF_TIME_TO_ENGAGE,   /* detection → escalation */
    DBF_TIME_TO_DIAGNOSE, /* detection → diagnosis */
    DBF_TIME_TO_MITIGATE, /* diagnosis → recovery */
    DBF_IMPACT_DURATION,  /* impact start → recovery */
    DBF_TOTAL_DURATION,   /* trigger → recovery */
    DBF_DURATION_COUNT
};

/* "time_to_detect", …, "total_duration". */
const char *dbf_duration_name(enum dbf_duration d);

struct dbf_moment {
    bool known;
    int64_t at;         /* seconds since the epoch, UTC */
    int utc_offset;     /* minutes east of UTC in the document's zone at that moment */
    int line;           /* where it was read: a timeline entry or the front matter; 0 if derived */
};

struct dbf_gap {
    int64_t from, to; /* UTC seconds */
    int64_t seconds;
    int line;         /* the line of the entry that ends the gap */
};

struct dbf_timeline_analysis {
    struct dbf_moment milestone[DBF_MILESTONE_COUNT];
    bool has_duration[DBF_DURATION_COUNT];
    int64_t duration[DBF_DURATION_COUNT]; /* seconds, when has_duration */
    struct dbf_gap *gaps;                 /* entries further apart than the threshold, in order */
    size_t gap_count;
    const char *zone;                     /* the zone times are shown in ("UTC", "America/Los_Angeles") */
    int64_t first, last;                  /* the earliest and latest entry times; first > last when none */
};

/* Analyses DOC's timeline; gaps longer than GAP_SECONDS are listed. Returns
 * NULL only when memory runs out. The caller frees the result with
 * dbf_timeline_analysis_free(). */
struct dbf_timeline_analysis *dbf_timeline_analyse(const struct dbf_doc *doc, int64_t gap_seconds);

void dbf_timeline_analysis_free(struct dbf_timeline_analysis *analysis);

/* Formats AT as ISO 8601 with the offset in force in the analysis's zone
 * ("2026-03-10T14:02:00+01:00") into OUT; returns OUT. */
char *dbf_timeline_format(const struct dbf_timeline_analysis *analysis, int64_t at, char *out,
                          size_t size);

#endif
