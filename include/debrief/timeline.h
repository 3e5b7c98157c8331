/* timeline.h: the derived figures of an incident's timeline.
 *
 * dbf_timeline_analyse() reads the milestones from a parsed document — the
 * front matter's `incident` times first, then the timeline entries' kinds —
 * and works out the durations between them and the gaps in the record. All
 * times are seconds since the epoch in UTC, resolved through the document's
 * zone (IANA names through the system's zone data, abbreviations, offsets).
 * The analysis borrows nothing from the document once made.
 *
 * Zones. An entry is read in the zone it names itself, else the zone the
 * timeline declares ("All times PT"), else the front matter's `timezone`,
 * else, where nothing is declared, the zone the last entry named, else UTC.
 * Times are shown in the document's zone: the declared one, else the front
 * matter's, else the first one an entry names, else UTC. A wall-clock time
 * the clocks pass twice (when they go back) is its first occurrence, unless
 * that would put it before the entry above it and the second would not; a
 * time the clocks skip is read with the offset before the change.
 *
 * Milestones, each from the first source that has it:
 *   trigger             incident.trigger; the earliest trigger entry not
 *                       after detection
 *   impact_start        incident.impact_start; the earliest impact entry;
 *                       else the trigger (impact assumed to begin with it)
 *   detected            incident.detected; the earliest detection entry
 *   escalated           the earliest escalation entry at or after detection
 *   diagnosed           the earliest diagnosis entry at or after detection
 *   mitigation_started  the earliest mitigation entry at or after detection;
 *                       else incident.mitigated (by then it had started)
 *   recovered           incident.resolved; else incident.mitigated (the
 *                       impact ended then); else the latest resolved entry
 * Entry kinds are the parser's: [tags], else inferred from wording; where
 * any entry is tagged with a kind, only tagged entries give that kind. Only
 * entries with a clock time count; a front matter time needs a date.
 * Entries written without a date take the first dated entry's date, else
 * the day that puts them nearest the front matter's impact start (else
 * detection, resolution, mitigation, trigger), else the first full date of
 * the summary or title; with none at all the times are times of day
 * (`dated` false) read with the zone's standard offset, and
 * dbf_timeline_format() writes them without a date.
 *
 * A duration is known when both its ends are and the end is not before the
 * start. Gaps are between consecutive timed entries in time order. */
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

/* The milestone a duration runs from (END 0) or to (END 1). */
enum dbf_milestone dbf_duration_end(enum dbf_duration d, int end);

enum dbf_moment_source {
    DBF_SOURCE_NONE,         /* not known */
    DBF_SOURCE_FRONT_MATTER, /* an `incident` time */
    DBF_SOURCE_TIMELINE,     /* a timeline entry */
    DBF_SOURCE_ASSUMED,      /* another milestone stands in for it (see above) */
};

struct dbf_moment {
    bool known;
    int64_t at;     /* seconds since the epoch, UTC */
    int utc_offset; /* minutes east of UTC in the document's zone at that moment */
    int line;       /* where it was read: a timeline entry or the front matter (for an
                       assumed one, where the milestone it stands for was read) */
    enum dbf_moment_source source;
    enum dbf_milestone stands_for; /* for DBF_SOURCE_ASSUMED: the milestone it was taken from */
};

struct dbf_gap {
    int64_t from, to; /* UTC seconds */
    int64_t seconds;
    int line; /* the line of the entry that ends the gap */
};

/* A timeline entry with a clock time, at its UTC instant. */
struct dbf_timed_entry {
    size_t index; /* into doc->timeline */
    int64_t at;   /* UTC seconds */
    int line;
    unsigned kinds; /* enum dbf_event_kind bits */
    bool tagged;    /* the kinds come from [tags] */
};

/* Something the analysis could not use, such as an unknown zone or an
 * unreadable front matter time; LINE is 0 when it has none. */
struct dbf_timeline_note {
    int line;
    char message[200];
};

struct dbf__zone;

struct dbf_timeline_analysis {
    struct dbf_moment milestone[DBF_MILESTONE_COUNT];
    bool has_duration[DBF_DURATION_COUNT];
    int64_t duration[DBF_DURATION_COUNT]; /* seconds, when has_duration */
    struct dbf_gap *gaps;                 /* entries further apart than the threshold, in order */
    size_t gap_count;
    const char *zone;    /* the zone times are shown in ("UTC", "America/Los_Angeles") */
    int64_t first, last; /* the earliest and latest entry times; first > last when none */

    bool dated;                      /* times carry dates; false: times of day only */
    int64_t gap_threshold;           /* the GAP_SECONDS the gaps were found with */
    struct dbf_timed_entry *entries; /* the timed entries, in time order */
    size_t entry_count;
    struct dbf_timeline_note *notes; /* what could not be read, in line order */
    size_t note_count;
    struct dbf__zone *tz; /* the zone behind `zone` */
};

/* Analyses DOC's timeline; gaps longer than GAP_SECONDS are listed. Returns
 * NULL only when memory runs out. The caller frees the result with
 * dbf_timeline_analysis_free(). */
struct dbf_timeline_analysis *dbf_timeline_analyse(const struct dbf_doc *doc, int64_t gap_seconds);

void dbf_timeline_analysis_free(struct dbf_timeline_analysis *analysis);

/* Formats AT as ISO 8601 with the offset in force in the analysis's zone
 * ("2026-03-10T14:02:00+01:00"; "14:02:00+01:00" when not `dated`) into
 * OUT; returns OUT. */
char *dbf_timeline_format(const struct dbf_timeline_analysis *analysis, int64_t at, char *out,
                          size_t size);

/* The UTC offset in seconds east in force in the analysis's zone at AT. */
int dbf_timeline_offset(const struct dbf_timeline_analysis *analysis, int64_t at);

/* The zone's abbreviation at AT ("PDT", "CET", "UTC", "+05:30") into OUT;
 * returns OUT. */
char *dbf_timeline_abbrev(const struct dbf_timeline_analysis *analysis, int64_t at, char *out,
                          size_t size);

/* Writes SECONDS as people read a duration: "45 s", "12 min", "12 min 30 s",
 * "1 h 12 min", "2 h", "1 d 3 h 5 min" into OUT; returns OUT. */
char *dbf_duration_format(int64_t seconds, char *out, size_t size);

#endif
