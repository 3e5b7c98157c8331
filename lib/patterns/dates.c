/* dates.c: the day a post mortem's incident began, for counting by period. */
#include "../parse/clock.h"
#include "dates.h"

#include <string.h>

const char *dbf_date_source_name(enum dbf_date_source source)
{
    switch (source) {
    case DBF_DATE_INCIDENT:
        return "incident";
    case DBF_DATE_TIMELINE:
        return "timeline";
    case DBF_DATE_CREATED:
        return "created";
    case DBF_DATE_FILE_NAME:
        return "file-name";
    case DBF_DATE_NONE:
        break;
    }
    return "none";
}

/* The calendar day of AT with OFFSET_SECONDS east of UTC. */
static struct dbf_date civil(int64_t at, int64_t offset_seconds)
{
    int64_t t = at + offset_seconds;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    /* Howard Hinnant's civil_from_days */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return (struct dbf_date){(int)(y + (m <= 2)), (int)m, (int)d};
}

static bool date_in(const char *text, struct dbf_date *out)
{
    if (!text)
        return false;
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && ((text[i - 1] >= '0' && text[i - 1] <= '9') ||
                      (text[i - 1] >= 'a' && text[i - 1] <= 'z') ||
                      (text[i - 1] >= 'A' && text[i - 1] <= 'Z')))
            continue;
        struct dbf_date d = {0};
        if (dbf__date_scan(text + i, len - i, &d) && d.year >= 1970 && dbf__date_valid(d)) {
            *out = d;
            return true;
        }
    }
    return false;
}

enum dbf_date_source dbf__pattern_doc_date(const struct dbf_doc *doc,
                                           const struct dbf_timeline_analysis *analysis,
                                           struct dbf_date *out)
{
    static const enum dbf_milestone incident_order[] = {
        DBF_MILESTONE_IMPACT_START, DBF_MILESTONE_DETECTED, DBF_MILESTONE_TRIGGER,
        DBF_MILESTONE_MITIGATION_STARTED, DBF_MILESTONE_RECOVERED};
    if (analysis && analysis->dated) {
        for (size_t i = 0; i < sizeof incident_order / sizeof incident_order[0]; i++) {
            const struct dbf_moment *m = &analysis->milestone[incident_order[i]];
            if (m->known && m->source == DBF_SOURCE_FRONT_MATTER) {
                *out = civil(m->at, dbf_timeline_offset(analysis, m->at));
                return DBF_DATE_INCIDENT;
            }
        }
        /* The timeline's own milestones before its first entry, which is
         * often the lead-up ("beta made available", last year's audit). */
        for (size_t i = 0; i < sizeof incident_order / sizeof incident_order[0]; i++) {
            const struct dbf_moment *m = &analysis->milestone[incident_order[i]];
            if (m->known && m->source != DBF_SOURCE_NONE) {
                *out = civil(m->at, dbf_timeline_offset(analysis, m->at));
                return DBF_DATE_TIMELINE;
            }
        }
        if (analysis->entry_count > 0) {
            int64_t at = analysis->entries[0].at;
            *out = civil(at, dbf_timeline_offset(analysis, at));
            return DBF_DATE_TIMELINE;
        }
    }
    struct dbf_date best = {0};
    for (size_t i = 0; i < doc->timeline_count; i++) {
        struct dbf_date d = doc->timeline[i].time.date;
        if (d.year && dbf__date_valid(d) && (!best.year || dbf__date_diff(d, best) > 0))
            best = d;
    }
    if (best.year) {
        *out = best;
        return DBF_DATE_TIMELINE;
    }
    if (date_in(doc->meta.created.text, out))
        return DBF_DATE_CREATED;
    const char *base = doc->path ? strrchr(doc->path, '/') : NULL;
    if (date_in(base ? base + 1 : doc->path, out))
        return DBF_DATE_FILE_NAME;
    *out = (struct dbf_date){0};
    return DBF_DATE_NONE;
}

enum dbf_date_source dbf_pattern_doc_date(const struct dbf_doc *doc, struct dbf_date *out)
{
    struct dbf_timeline_analysis *analysis = dbf_timeline_analyse(doc, 15 * 60);
    enum dbf_date_source source = dbf__pattern_doc_date(doc, analysis, out);
    dbf_timeline_analysis_free(analysis);
    return source;
}
