/* timeline.c: the milestones, durations and gaps of an incident.
 *
 * The parser gives each timed entry an `at` that is UTC only when its zone
 * has a fixed offset, and the local wall clock otherwise; undated entries
 * count days from the epoch. This file takes the wall clock back out of
 * `at` and reads it again in the entry's zone through zone.c, so that IANA
 * zones are DST-correct and undated entries get the incident's date. The
 * rules for which source wins are in timeline.h. */
#include "debrief/timeline.h"

#include "../parse/clock.h"
#include "zone.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

enum front_key { FM_TRIGGER, FM_IMPACT_START, FM_DETECTED, FM_MITIGATED, FM_RESOLVED };
#define ZONE_CACHE 16

static const char *const milestone_names[DBF_MILESTONE_COUNT] = {
    "trigger",   "impact_start",       "detected",  "escalated",
    "diagnosed", "mitigation_started", "recovered",
};

static const char *const duration_names[DBF_DURATION_COUNT] = {
    "time_to_detect",   "time_to_engage",  "time_to_diagnose",
    "time_to_mitigate", "impact_duration", "total_duration",
};

/* Each duration's start and end milestones. */
static const enum dbf_milestone duration_ends[DBF_DURATION_COUNT][2] = {
    [DBF_TIME_TO_DETECT] = {DBF_MILESTONE_IMPACT_START, DBF_MILESTONE_DETECTED},
    [DBF_TIME_TO_ENGAGE] = {DBF_MILESTONE_DETECTED, DBF_MILESTONE_ESCALATED},
    [DBF_TIME_TO_DIAGNOSE] = {DBF_MILESTONE_DETECTED, DBF_MILESTONE_DIAGNOSED},
    [DBF_TIME_TO_MITIGATE] = {DBF_MILESTONE_DIAGNOSED, DBF_MILESTONE_RECOVERED},
    [DBF_IMPACT_DURATION] = {DBF_MILESTONE_IMPACT_START, DBF_MILESTONE_RECOVERED},
    [DBF_TOTAL_DURATION] = {DBF_MILESTONE_TRIGGER, DBF_MILESTONE_RECOVERED},
};

enum dbf_milestone dbf_duration_end(enum dbf_duration d, int end)
{
    return d < DBF_DURATION_COUNT ? duration_ends[d][end ? 1 : 0] : DBF_MILESTONE_TRIGGER;
}

const char *dbf_milestone_name(enum dbf_milestone m)
{
    return m < DBF_MILESTONE_COUNT ? milestone_names[m] : "";
}

const char *dbf_duration_name(enum dbf_duration d)
{
    return d < DBF_DURATION_COUNT ? duration_names[d] : "";
}

struct cached_zone {
    char spec[128];
    struct dbf__zone *zone; /* NULL: the spec is not a zone (noted once) */
};

struct builder {
    const struct dbf_doc *doc;
    struct dbf_timeline_analysis *a;
    struct cached_zone cache[ZONE_CACHE];
    size_t cache_count;
    bool declared;       /* the document declares a zone that was understood */
    bool have_reference; /* a date for undated entries */
    int64_t reference_day;
    size_t entry_cap, gap_cap, note_cap;
    bool failed; /* out of memory */
};

static void *grow(void *array, size_t *cap, size_t count, size_t size, bool *failed)
{
    if (count < *cap)
        return array;
    size_t n = *cap ? *cap * 2 : 16;
    void *grown = realloc(array, n * size);
    if (!grown) {
        *failed = true;
        return NULL;
    }
    *cap = n;
    return grown;
}

static void note(struct builder *b, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct builder *b, int line, const char *fmt, ...)
{
    struct dbf_timeline_analysis *a = b->a;
    struct dbf_timeline_note *notes =
        grow(a->notes, &b->note_cap, a->note_count, sizeof *notes, &b->failed);
    if (!notes)
        return;
    a->notes = notes;
    struct dbf_timeline_note *n = &notes[a->note_count++];
    n->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->message, sizeof n->message, fmt, ap);
    va_end(ap);
}

/* The zone SPEC names, opened once per analysis; an unknown one is noted at
 * LINE the first time. */
static const struct dbf__zone *zone_for(struct builder *b, const char *spec, int line)
{
    for (size_t i = 0; i < b->cache_count; i++)
        if (strcmp(b->cache[i].spec, spec) == 0)
            return b->cache[i].zone;
    char err[200];
    struct dbf__zone *z = dbf__zone_open(spec, err, sizeof err);
    if (!z)
        note(b, line, "%s; times written in it are read in %s", err, b->a->zone);
    if (b->cache_count < ZONE_CACHE && strlen(spec) < sizeof b->cache[0].spec) {
        struct cached_zone *c = &b->cache[b->cache_count++];
        snprintf(c->spec, sizeof c->spec, "%s", spec);
        c->zone = z;
    } else if (z) {
        /* A document naming more zones than the cache holds is not worth a
         * bigger cache: read the rest in the document's zone. */
        dbf__zone_free(z);
        z = NULL;
    }
    return z;
}

/* An IANA name inside TEXT ("14:02 America/New_York"), copied to OUT. */
static bool iana_in(const char *text, char *out, size_t size)
{
    const char *slash = text ? strchr(text, '/') : NULL;
    if (!slash)
        return false;
    const char *start = slash;
    while (start > text && (isalpha((unsigned char)start[-1]) || start[-1] == '_'))
        start--;
    const char *end = slash;
    while (*end && (isalnum((unsigned char)*end) || strchr("/_+-", *end)))
        end++;
    if (start == slash || end == slash + 1 || (size_t)(end - start) >= size)
        return false;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return true;
}

/* The zone a written time T (text TEXT) names itself, or NULL. */
static const struct dbf__zone *written_zone(struct builder *b, const struct dbf_time *t,
                                            const char *text, int line)
{
    char spec[128];
    if (!t->has_zone)
        return NULL;
    if (t->zone)
        return zone_for(b, t->zone, line);
    if (t->zone_is_fixed) {
        int m = t->utc_offset < 0 ? -t->utc_offset : t->utc_offset;
        snprintf(spec, sizeof spec, "%c%02d:%02d", t->utc_offset < 0 ? '-' : '+', m / 60, m % 60);
        return zone_for(b, spec, line);
    }
    if (iana_in(text, spec, sizeof spec))
        return zone_for(b, spec, line);
    return NULL;
}

/* The document's zone: declared, front matter, first named by an entry, UTC. */
static bool choose_zone(struct builder *b)
{
    const struct dbf_doc *doc = b->doc;
    struct dbf_timeline_analysis *a = b->a;
    const struct {
        const char *spec;
        int line;
    } declared[] = {
        {doc->timeline_zone, doc->timeline_zone_pos.line},
        {doc->meta.timezone.text, doc->meta.timezone.pos.line},
    };
    for (size_t i = 0; i < 2 && !a->tz; i++) {
        if (!declared[i].spec ||
            (i == 1 && declared[0].spec && strcmp(declared[0].spec, declared[1].spec) == 0))
            continue;
        char err[200];
        a->tz = dbf__zone_open(declared[i].spec, err, sizeof err);
        if (!a->tz)
            note(b, declared[i].line,
                 "%s; use an IANA name (Europe/Paris), an abbreviation (CET) or an offset (+01:00)",
                 err);
    }
    b->declared = a->tz != NULL;
    for (size_t i = 0; i < doc->timeline_count && !a->tz; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        char spec[128];
        if (!e->explicit_zone || !e->time_ok)
            continue;
        if (e->time.zone)
            a->tz = dbf__zone_open(e->time.zone, NULL, 0);
        else if (!e->time.zone_is_fixed && iana_in(e->time_text, spec, sizeof spec))
            a->tz = dbf__zone_open(spec, NULL, 0);
        else if (e->time.zone_is_fixed)
            a->tz = dbf__zone_fixed(e->time.utc_offset * 60, NULL);
    }
    if (!a->tz)
        a->tz = dbf__zone_fixed(0, "UTC");
    if (!a->tz)
        return false;
    a->zone = dbf__zone_name(a->tz);
    return true;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* LOCAL (wall clock seconds) in ZONE as UTC; AFTER, when non-NULL, is the
 * instant of the entry above, which picks the second reading of a time the
 * clocks pass twice when the first would run back before it. */
static int64_t to_utc(const struct builder *b, const struct dbf__zone *zone, int64_t local,
                      const int64_t *after)
{
    if (!b->a->dated)
        return local - dbf__zone_standard_offset(zone);
    int64_t first, second;
    if (dbf__zone_local(zone, local, &first, &second) == DBF_LOCAL_AMBIGUOUS && after &&
        first < *after && second >= *after)
        return second;
    return first;
}

/* A front matter `incident` time V, read into *AT. */
static bool front_matter_time(struct builder *b, const struct dbf_meta_value *v, const char *key,
                              int64_t *at)
{
    if (!v->text || !*v->text)
        return false;
    int line = v->pos.line;
    size_t len = strlen(v->text);
    struct dbf_time t = {0};
    size_t n = dbf__time_scan(v->text, len, &t, false);
    if (!n) {
        note(b, line, "incident.%s '%s' is not a time; write it as ISO 8601 (2026-03-10T14:02:00Z)",
             key, v->text);
        return false;
    }
    if (!t.date.year) {
        note(b, line, "incident.%s '%s' has no date; write it as ISO 8601 (2026-03-10T14:02:00Z)",
             key, v->text);
        return false;
    }
    if (!t.has_clock) {
        note(b, line,
             "incident.%s '%s' has no time of day; write it as ISO 8601 (2026-03-10T14:02:00Z)",
             key, v->text);
        return false;
    }
    int64_t local = dbf__days_from_civil(t.date.year, t.date.month, t.date.day) * DAY +
                    t.hour * 3600 + t.minute * 60 + t.second;
    const struct dbf__zone *zone = written_zone(b, &t, v->text, line);
    *at = to_utc(b, zone ? zone : b->a->tz, local, NULL);
    return true;
}

/* A date to give entries written without one: the first full date in the
 * summary, else in the title. */
static bool prose_date(const struct dbf_doc *doc, int64_t *day)
{
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *blk = &doc->blocks[i];
        if (blk->type == DBF_BLOCK_CODE || dbf_doc_block_kind(doc, blk) != DBF_SECTION_SUMMARY)
            continue;
        for (size_t k = 0; k < blk->len; k++) {
            if (k && isalnum((unsigned char)blk->text[k - 1]))
                continue;
            struct dbf_date d;
            if (dbf__date_scan(blk->text + k, blk->len - k, &d) && d.year && dbf__date_valid(d)) {
                *day = dbf__days_from_civil(d.year, d.month, d.day);
                return true;
            }
        }
    }
    const char *title = doc->title;
    for (size_t k = 0; title && title[k]; k++) {
        if (k && isalnum((unsigned char)title[k - 1]))
            continue;
        struct dbf_date d;
        if (dbf__date_scan(title + k, strlen(title + k), &d) && d.year && dbf__date_valid(d)) {
            *day = dbf__days_from_civil(d.year, d.month, d.day);
            return true;
        }
    }
    return false;
}

static bool timed(const struct dbf_timeline_entry *e)
{
    return e->time_ok && e->time.has_clock;
}

/* The wall clock the parser read, in seconds: its `at` without the fixed
 * offset it took out. */
static int64_t wall_clock(const struct dbf_timeline_entry *e)
{
    return e->at +
           (e->time.has_zone && e->time.zone_is_fixed ? (int64_t)e->time.utc_offset * 60 : 0);
}

/* The day that puts the undated entries nearest ANCHOR (local seconds):
 * an undated timeline of an incident the front matter dates is that
 * incident's, whatever day its first line fell on. */
static int64_t day_nearest(const struct dbf_doc *doc, int64_t anchor)
{
    int64_t best_day = floor_div(anchor, DAY), best = INT64_MAX;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!timed(e) || e->time.date.year)
            continue;
        int64_t wall = wall_clock(e);
        int64_t day = floor_div(anchor - wall, DAY);
        for (int64_t d = day; d <= day + 1; d++) {
            int64_t distance = d * DAY + wall - anchor;
            if (distance < 0)
                distance = -distance;
            if (distance < best) {
                best = distance;
                best_day = d;
            }
        }
    }
    return best_day;
}

/* Whether times carry dates, and the date for undated entries: the first
 * dated entry's, else the front matter's (impact start, detection,
 * resolution, mitigation, trigger: the nearer the impact, the better an
 * anchor), else the summary's or title's. */
static void find_reference(struct builder *b, const int64_t *front, const bool *has_front)
{
    const struct dbf_doc *doc = b->doc;
    for (size_t i = 0; i < doc->timeline_count && !b->have_reference; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (timed(e) && e->time.date.year) {
            b->reference_day = floor_div(wall_clock(e), DAY);
            b->have_reference = true;
        }
    }
    static const enum front_key anchors[] = {FM_IMPACT_START, FM_DETECTED, FM_RESOLVED,
                                             FM_MITIGATED, FM_TRIGGER};
    for (size_t k = 0; k < 5 && !b->have_reference; k++) {
        enum front_key m = anchors[k];
        if (!has_front[m])
            continue;
        int64_t local = front[m] + dbf__zone_offset_at(b->a->tz, front[m]);
        b->reference_day = day_nearest(doc, local);
        b->have_reference = true;
    }
    if (!b->have_reference)
        b->have_reference = prose_date(doc, &b->reference_day);
    b->a->dated = b->have_reference;
}

static int compare_entries(const void *x, const void *y)
{
    const struct dbf_timed_entry *p = x, *q = y;
    if (p->at != q->at)
        return p->at < q->at ? -1 : 1;
    return p->index < q->index ? -1 : p->index > q->index;
}

/* Every timed entry at its UTC instant, in time order. */
static void place_entries(struct builder *b)
{
    const struct dbf_doc *doc = b->doc;
    struct dbf_timeline_analysis *a = b->a;
    const struct dbf__zone *current = NULL; /* the zone the last entry named */
    bool have_previous = false;
    int64_t previous = 0;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!timed(e))
            continue;
        const struct dbf__zone *zone = NULL;
        if (e->explicit_zone) {
            zone = written_zone(b, &e->time, e->time_text, e->pos.line);
            if (!b->declared)
                current = zone;
        } else if (!b->declared && e->time.has_zone) {
            zone = current;
        }
        if (!zone)
            zone = a->tz;
        int64_t local = wall_clock(e);
        if (!e->time.date.year && b->have_reference)
            local += b->reference_day * DAY;
        int64_t at = to_utc(b, zone, local, have_previous ? &previous : NULL);
        struct dbf_timed_entry *entries =
            grow(a->entries, &b->entry_cap, a->entry_count, sizeof *entries, &b->failed);
        if (!entries)
            return;
        a->entries = entries;
        entries[a->entry_count++] =
            (struct dbf_timed_entry){i, at, e->pos.line, e->kinds, e->tagged};
        previous = at;
        have_previous = true;
    }
    if (a->entry_count) {
        qsort(a->entries, a->entry_count, sizeof *a->entries, compare_entries);
        a->first = a->entries[0].at;
        a->last = a->entries[a->entry_count - 1].at;
    }
}

static void set_moment(struct builder *b, enum dbf_milestone m, int64_t at, int line,
                       enum dbf_moment_source source)
{
    b->a->milestone[m] = (struct dbf_moment){
        .known = true,
        .at = at,
        .utc_offset = dbf_timeline_offset(b->a, at) / 60,
        .line = line,
        .source = source,
        .stands_for = m,
    };
}

/* The earliest entry of KIND at or after NOT_BEFORE and at or before
 * NOT_AFTER (each when given); the latest when LATEST. An author's [tag] outranks wording: when any
 * entry is tagged with KIND, the others are not asked. */
static const struct dbf_timed_entry *entry_of(const struct dbf_timeline_analysis *a, unsigned kind,
                                              const int64_t *not_before, const int64_t *not_after,
                                              bool latest)
{
    bool tagged = false;
    for (size_t i = 0; i < a->entry_count && !tagged; i++)
        tagged = a->entries[i].tagged && (a->entries[i].kinds & kind);
    const struct dbf_timed_entry *found = NULL;
    for (size_t i = 0; i < a->entry_count; i++) {
        const struct dbf_timed_entry *e = &a->entries[i];
        if (!(e->kinds & kind) || (tagged && !e->tagged) || (not_before && e->at < *not_before) ||
            (not_after && e->at > *not_after))
            continue;
        found = e;
        if (!latest)
            break;
    }
    return found;
}

static bool from_entry(struct builder *b, enum dbf_milestone m, unsigned kind,
                       const int64_t *not_before, const int64_t *not_after, bool latest)
{
    const struct dbf_timed_entry *e = entry_of(b->a, kind, not_before, not_after, latest);
    if (e)
        set_moment(b, m, e->at, e->line, DBF_SOURCE_TIMELINE);
    return e != NULL;
}

static void find_milestones(struct builder *b, const int64_t *front, const bool *has_front)
{
    struct dbf_timeline_analysis *a = b->a;
    const struct dbf_meta *meta = &b->doc->meta;
    struct dbf_moment *ms = a->milestone;
    /* Detection first: a trigger comes before it, the response after it. */
    const struct {
        enum dbf_milestone milestone;
        enum front_key key;
        int line;
        unsigned kind;
    } plain[] = {
        {DBF_MILESTONE_DETECTED, FM_DETECTED, meta->detected.pos.line, DBF_EVENT_DETECTED},
        {DBF_MILESTONE_TRIGGER, FM_TRIGGER, meta->trigger.pos.line, DBF_EVENT_TRIGGER},
        {DBF_MILESTONE_IMPACT_START, FM_IMPACT_START, meta->impact_start.pos.line,
         DBF_EVENT_IMPACT_START},
    };
    const int64_t *detected = NULL;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        if (has_front[plain[i].key])
            set_moment(b, plain[i].milestone, front[plain[i].key], plain[i].line,
                       DBF_SOURCE_FRONT_MATTER);
        else
            from_entry(b, plain[i].milestone, plain[i].kind, NULL,
                       plain[i].milestone == DBF_MILESTONE_TRIGGER ? detected : NULL, false);
        if (ms[DBF_MILESTONE_DETECTED].known)
            detected = &ms[DBF_MILESTONE_DETECTED].at;
    }
    if (!ms[DBF_MILESTONE_IMPACT_START].known && ms[DBF_MILESTONE_TRIGGER].known) {
        ms[DBF_MILESTONE_IMPACT_START] = ms[DBF_MILESTONE_TRIGGER];
        ms[DBF_MILESTONE_IMPACT_START].source = DBF_SOURCE_ASSUMED;
        ms[DBF_MILESTONE_IMPACT_START].stands_for = DBF_MILESTONE_TRIGGER;
    }
    from_entry(b, DBF_MILESTONE_ESCALATED, DBF_EVENT_ESCALATED, detected, NULL, false);
    from_entry(b, DBF_MILESTONE_DIAGNOSED, DBF_EVENT_DIAGNOSED, detected, NULL, false);
    if (!from_entry(b, DBF_MILESTONE_MITIGATION_STARTED, DBF_EVENT_MITIGATION, detected, NULL,
                    false) &&
        has_front[FM_MITIGATED])
        set_moment(b, DBF_MILESTONE_MITIGATION_STARTED, front[FM_MITIGATED],
                   meta->mitigated.pos.line, DBF_SOURCE_FRONT_MATTER);
    if (has_front[FM_RESOLVED])
        set_moment(b, DBF_MILESTONE_RECOVERED, front[FM_RESOLVED], meta->resolved.pos.line,
                   DBF_SOURCE_FRONT_MATTER);
    else if (has_front[FM_MITIGATED])
        set_moment(b, DBF_MILESTONE_RECOVERED, front[FM_MITIGATED], meta->mitigated.pos.line,
                   DBF_SOURCE_FRONT_MATTER);
    else
        from_entry(b, DBF_MILESTONE_RECOVERED, DBF_EVENT_RESOLVED, NULL, NULL, true);
}

static void find_durations(struct dbf_timeline_analysis *a)
{
    for (int d = 0; d < DBF_DURATION_COUNT; d++) {
        const struct dbf_moment *from = &a->milestone[duration_ends[d][0]];
        const struct dbf_moment *to = &a->milestone[duration_ends[d][1]];
        a->has_duration[d] = from->known && to->known && to->at >= from->at;
        a->duration[d] = a->has_duration[d] ? to->at - from->at : 0;
    }
}

static void find_gaps(struct builder *b)
{
    struct dbf_timeline_analysis *a = b->a;
    for (size_t i = 1; i < a->entry_count; i++) {
        const struct dbf_timed_entry *p = &a->entries[i - 1], *e = &a->entries[i];
        if (e->at - p->at <= a->gap_threshold)
            continue;
        struct dbf_gap *gaps = grow(a->gaps, &b->gap_cap, a->gap_count, sizeof *gaps, &b->failed);
        if (!gaps)
            return;
        a->gaps = gaps;
        gaps[a->gap_count++] = (struct dbf_gap){p->at, e->at, e->at - p->at, e->line};
    }
}

static int compare_notes(const void *x, const void *y)
{
    const struct dbf_timeline_note *p = x, *q = y;
    return (p->line > q->line) - (p->line < q->line);
}

struct dbf_timeline_analysis *dbf_timeline_analyse(const struct dbf_doc *doc, int64_t gap_seconds)
{
    struct dbf_timeline_analysis *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->zone = "UTC";
    a->first = 1;
    a->last = 0;
    a->dated = true;
    a->gap_threshold = gap_seconds;
    struct builder b = {.doc = doc, .a = a};
    if (!choose_zone(&b)) {
        dbf_timeline_analysis_free(a);
        return NULL;
    }
    const struct dbf_meta_value *keys[5] = {&doc->meta.trigger, &doc->meta.impact_start,
                                            &doc->meta.detected, &doc->meta.mitigated,
                                            &doc->meta.resolved};
    static const char *const key_names[5] = {"trigger", "impact_start", "detected", "mitigated",
                                             "resolved"};
    int64_t front[5] = {0};
    bool has_front[5] = {false};
    for (int k = 0; k < 5; k++)
        has_front[k] = front_matter_time(&b, keys[k], key_names[k], &front[k]);
    find_reference(&b, front, has_front);
    place_entries(&b);
    find_milestones(&b, front, has_front);
    find_durations(a);
    find_gaps(&b);
    for (size_t i = 0; i < b.cache_count; i++)
        dbf__zone_free(b.cache[i].zone);
    if (b.failed) {
        dbf_timeline_analysis_free(a);
        return NULL;
    }
    if (a->note_count > 1)
        qsort(a->notes, a->note_count, sizeof *a->notes, compare_notes);
    return a;
}

void dbf_timeline_analysis_free(struct dbf_timeline_analysis *analysis)
{
    if (!analysis)
        return;
    free(analysis->gaps);
    free(analysis->entries);
    free(analysis->notes);
    dbf__zone_free(analysis->tz);
    free(analysis);
}

int dbf_timeline_offset(const struct dbf_timeline_analysis *analysis, int64_t at)
{
    if (!analysis->tz)
        return 0;
    return analysis->dated ? dbf__zone_offset_at(analysis->tz, at)
                           : dbf__zone_standard_offset(analysis->tz);
}

char *dbf_timeline_abbrev(const struct dbf_timeline_analysis *analysis, int64_t at, char *out,
                          size_t size)
{
    if (!size)
        return out;
    if (!analysis->tz) {
        snprintf(out, size, "UTC");
        return out;
    }
    if (!analysis->dated) {
        /* No date, no daylight saving time to tell: the zone's standard name. */
        int offset = dbf__zone_standard_offset(analysis->tz);
        int64_t probe = at;
        for (int k = 0; k < 2 && dbf__zone_offset_at(analysis->tz, probe) != offset; k++)
            probe += 183 * (int64_t)DAY;
        if (dbf__zone_offset_at(analysis->tz, probe) == offset)
            at = probe;
    }
    dbf__zone_abbrev_at(analysis->tz, at, out, size);
    return out;
}

char *dbf_timeline_format(const struct dbf_timeline_analysis *analysis, int64_t at, char *out,
                          size_t size)
{
    int offset = dbf_timeline_offset(analysis, at);
    int64_t local = at + offset;
    int64_t day = floor_div(local, DAY), clock = local - day * DAY;
    int off = offset < 0 ? -offset : offset;
    char zone[16];
    snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', off / 3600, off / 60 % 60);
    int h = (int)(clock / 3600), m = (int)(clock / 60 % 60), s = (int)(clock % 60);
    if (analysis->dated) {
        struct dbf_date d = dbf__civil_from_days(day);
        snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%s", d.year, d.month, d.day, h, m, s,
                 zone);
    } else {
        snprintf(out, size, "%02d:%02d:%02d%s", h, m, s, zone);
    }
    return out;
}

char *dbf_duration_format(int64_t seconds, char *out, size_t size)
{
    if (!size)
        return out;
    const char *sign = seconds < 0 ? "-" : "";
    int64_t v = seconds < 0 ? -seconds : seconds;
    long long d = v / DAY, h = v / 3600 % 24, m = v / 60 % 60, s = v % 60;
    if (v < 60)
        snprintf(out, size, "%s%lld s", sign, s);
    else if (v < 3600 && s)
        snprintf(out, size, "%s%lld min %lld s", sign, m, s);
    else if (v < 3600)
        snprintf(out, size, "%s%lld min", sign, m);
    else if (v < DAY && m)
        snprintf(out, size, "%s%lld h %lld min", sign, h, m);
    else if (v < DAY)
        snprintf(out, size, "%s%lld h", sign, h);
    else if (m)
        snprintf(out, size, "%s%lld d %lld h %lld min", sign, d, h, m);
    else if (h)
        snprintf(out, size, "%s%lld d %lld h", sign, d, h);
    else
        snprintf(out, size, "%s%lld d", sign, d);
    return out;
}
