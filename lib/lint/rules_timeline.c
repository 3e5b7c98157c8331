/* rules_timeline.c: the timeline rules.
 *
 * They read doc->timeline in document order, the order readers see. An
 * entry counts as timed when its clock time was understood; entries with a
 * date only (a multi-week timeline) take part in the order and milestone
 * rules but not in the clock rules. */
#include "../parse/clock.h"
#include "rules.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static struct dbf__re zone_near_time = DBF_RE_CASED(
    "\\b\\d{1,2}(?:[:.]\\d\\d)?\\s*(?:[ap]\\.?m\\.?|[AP]\\.?M\\.?)?\\s*\\(?(?:UTC|GMT|PST|PDT|PT|"
    "MST|MDT|"
    "CST|CDT|EST|EDT|ET|CET|CEST|BST|IST|EET|EEST|JST|KST|SGT|AEST|AEDT|NZST|NZDT|MSK|WET|"
    "Eastern|Pacific|Central|Mountain)\\b");
/* An entry that says what the time after it went on: waiting or watching,
 * a process running its course (provisioning, propagation, a backlog
 * draining, a recovery under way), something that repeats unattended, or
 * nobody acting yet. */
static struct dbf__re explained_wait = DBF_RE_PARTS(
    "\\b(wait(ed|ing)?(\\s+for|\\s+on|\\s+until)?|"
    "monitor(ing|ed)?(?!\\s+(bot|system|tool|service|stack|alerts?|dashboards?|channel|team)\\b)|"
    "watching|keep\\s+an\\s+eye|"
    /* a duration foreseen, progress reported as it goes, a scheduled run awaited */
    "estimated\\s+(at\\s+)?(\\d|an?\\b|about|around)|eta\\s+\\d|"
    "(updates?|progress|status)\\b[^.\\n]{0,40}?\\bevery\\s+([\\w-]+\\s+)?(min|minutes|hours?)\\b|"
    "next\\s+(scheduled\\s+|nightly\\s+|daily\\s+|hourly\\s+)?(run|execution|job|window)|"
    "overnight|while|"
    "in\\s+progress|expected\\s+to\\s+take|takes?\\s+(a\\s+while|an\\s+hour|about|around|\\d+)|"
    "took\\s+(a\\s+while|an\\s+hour|about|around|close\\s+to|over|\\d+)|delayed\\s+by|"
    "(over|through|for|during)\\s+the\\s+next|throughout|in\\s+the\\s+meantime|meanwhile|"
    "automatic(ally)?|provisioning|propagat\\w*|back\\s+?log|queued|drain(s|ing)?|catch(es|ing)?"
    "\\s+up|"
    "backfill\\w*|replay(s|ing)|reprocess\\w*|rebuild(s|ing)|recovering|"
    "(starts?|begins?|started|began)\\s+to\\s+(fall|drop|recover|shrink|decrease|clear|drain)|"
    "repeat(s|ed|ing)?|recur(s|red|ring)?|nightly|hourly|every\\s+(night|day|hour|run)|"
    "asleep|sleeping|unnoticed|no\\s+action|without\\s+action|"
    "continu(e|es|ed|ing)\\s+(to|with)\\s+(investigat|debug|work|monitor|watch))\\b");
static struct dbf__re time_spent_on = DBF_RE(
    "^(after\\s+)?(digging|investigating|debugging|looking\\s+into|reviewing|testing|analy[sz]ing|"
    "reading)\\b|\\b(delayed\\s+by|this\\s+took|which\\s+took|after\\s+(several|many|multiple)\\s+("
    "attempts|tries))\\b|"
    /* a watch period that ends: "exit criterion of 30 minutes' nominal performance" */
    "\\b(exit\\s+criteri(on|a)|observation\\s+(period|window)|\\d+\\s+(minutes|hours)'?\\s+(of\\s+)"
    "?"
    "(nominal|normal|stable|healthy|clean))\\b");
static struct dbf__re went_unattended =
    DBF_RE("\\b(went\\s+unnoticed|(was|were|remained|go(es)?)\\s+unnoticed|without\\s+(any\\s+)?"
           "action|while\\s+(the\\s+)?"
           "on-?call\\s+(was|were)\\s+(asleep|sleeping|offline)|(nobody|no\\s+one)\\s+noticed|"
           "resolved\\s+itself)\\b");
/* A handle names a person; a chat broadcast (@here, @channel, @everyone) does not. */
static struct dbf__re person_handle = DBF_RE_CASED(
    "(?<![\\w.@/])@(?!(?:here|channel|everyone|all)\\b)[A-Za-z][\\w-]{1,38}\\b(?![.@][A-Za-z])");
static struct dbf__re person_name = DBF_RE_CASED(
    "(?:^|[(,;:] ?|\\b(?:by|with|asks|asked|pings|pinged|and|to) )"
    /* Teams, groups and tools that act in timelines are not people. */
    "(?!(?:Support|Customers?|Security|Engineering|Ops|Operations|Finance|Legal|Sales|"
    "Marketing|Management|Leadership|Product|Someone|Nobody|Everyone|Staff|Users?|Vendor|"
    "Provider|Monitoring|Alerting|Automation|Datadog|Grafana|Prometheus|Sentry|Nagios|"
    "PagerDuty|Opsgenie|Jenkins|Kubernetes)\\b)"
    "([A-Z][a-z]{2,}) "
    "(?:[A-Z][a-z]{2,} )?"
    "(?:acked|asked|asks|restarted|reviewed|noticed|notices|joined|joins|pinged|pings|merged|"
    "deployed|reverted|looked|found|finds|fixed|fixes|evaluated|removed|realised|realized|"
    "realises|determined|determines|verified|decided|discovered|confirmed|notified|signs|"
    "attempted|begins|began|starts|started|wakes|woke|suggests|suggested|reports|reported)\\b");

static bool timed(const struct dbf_timeline_entry *e)
{
    return e->time_ok && e->time.has_clock;
}

static bool date_only(const struct dbf_timeline_entry *e)
{
    return e->time_ok && !e->time.has_clock && e->time.date.year;
}

/* The timeline's heading, else its first entry, else the title. */
static struct dbf_pos timeline_pos(const struct dbf_doc *doc)
{
    for (size_t s = 0; s < doc->section_count; s++)
        if (doc->sections[s].kind == DBF_SECTION_TIMELINE)
            return doc->sections[s].pos;
    if (doc->timeline_count)
        return doc->timeline[0].pos;
    return doc->title_pos;
}

static const char *clock_text(const struct dbf_timeline_entry *e, char *buf, size_t size)
{
    if (e->time.date.year)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", e->time.date.year, e->time.date.month,
                 e->time.date.day, e->time.hour, e->time.minute);
    else
        snprintf(buf, size, "%02d:%02d", e->time.hour, e->time.minute);
    return buf;
}

static const struct dbf_timeline_entry *first_timed(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->timeline_count; i++)
        if (timed(&doc->timeline[i]))
            return &doc->timeline[i];
    return NULL;
}

/* Does the prose give a zone beside a time ("from 3 PM to 3.45 PM PST")? */
static bool prose_names_zone(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->block_count; i++)
        if (dbf__is_prose(&doc->blocks[i]) &&
            dbf__re_search(&zone_near_time, doc->blocks[i].text, doc->blocks[i].len, 0, NULL))
            return true;
    return false;
}

/* timeline/no-timezone: clock times in the timeline and no zone stated for
 * them anywhere: not declared, not on any entry, not beside a time in the text. */
void dbf__check_timeline_no_timezone(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    const struct dbf_timeline_entry *first = first_timed(doc);
    if (!first || doc->timeline_zone)
        return;
    for (size_t i = 0; i < doc->timeline_count; i++)
        if (doc->timeline[i].explicit_zone)
            return;
    if (prose_names_zone(doc))
        return;
    dbf__report(lint, first->pos,
                "the timeline's times have no time zone; state it once above the timeline "
                "(e.g. 'All times UTC') or put the zone on each time");
}

static bool same_zone(const struct dbf_time *a, const struct dbf_time *b)
{
    if (a->zone_is_fixed && b->zone_is_fixed)
        return a->utc_offset == b->utc_offset;
    if (a->zone && b->zone)
        return strcasecmp(a->zone, b->zone) == 0;
    return a->zone_is_fixed == b->zone_is_fixed;
}

/* timeline/mixed-timezones: an entry whose own zone differs from the zone set
 * before it (declared, or named by an earlier entry). */
void dbf__check_timeline_mixed_timezones(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    struct dbf_time reference = {0};
    const char *reference_name = NULL;
    if (doc->timeline_zone &&
        dbf__zone_scan(doc->timeline_zone, strlen(doc->timeline_zone), &reference)) {
        reference_name = doc->timeline_zone;
        if (!reference.zone)
            reference.zone = reference_name;
    }
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!e->explicit_zone || !timed(e))
            continue;
        if (!reference_name) {
            reference = e->time;
            reference_name = e->time.zone ? e->time.zone : e->time_text;
            continue;
        }
        if (!same_zone(&reference, &e->time)) {
            dbf__report(lint, e->pos,
                        "this entry's time is in %s while the timeline uses %s; convert every time "
                        "to one zone and state it once",
                        e->time.zone ? e->time.zone : "another zone", reference_name);
            return;
        }
    }
}

/* timeline/starts-at-detection: the first entry is the alert, page or report,
 * and nothing before it says what started the incident. */
void dbf__check_timeline_starts_at_detection(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!*e->text)
            continue;
        const unsigned cause = DBF_EVENT_TRIGGER | DBF_EVENT_IMPACT_START;
        if ((e->kinds & DBF_EVENT_DETECTED) && !(e->kinds & cause))
            dbf__report(lint, e->pos,
                        "the timeline starts at the detection; add the triggering change or event "
                        "(deploy, config change, traffic spike, expiry) and when the impact began, "
                        "so readers see how long detection took");
        return;
    }
}

/* Where the incident runs in the timeline: from the first entry that marks
 * the impact or its detection, whichever comes first (else the first timed
 * entry) to the last that marks resolution
 * (else the last timed entry). */
static void incident_window(const struct dbf_doc *doc, size_t *from, size_t *to)
{
    size_t first = SIZE_MAX, last = SIZE_MAX, impact = SIZE_MAX, resolved = SIZE_MAX;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!timed(e))
            continue;
        if (first == SIZE_MAX)
            first = i;
        last = i;
        const unsigned ending = DBF_EVENT_RESOLVED | DBF_EVENT_MITIGATION;
        const unsigned started = DBF_EVENT_IMPACT_START | DBF_EVENT_DETECTED;
        if (impact == SIZE_MAX && (e->kinds & started) && !(e->kinds & ending))
            impact = i;
        if (e->kinds & DBF_EVENT_RESOLVED)
            resolved = i;
    }
    *from = impact != SIZE_MAX ? impact : first;
    *to = resolved != SIZE_MAX && resolved > *from ? resolved : last;
    if (resolved != SIZE_MAX && resolved <= *from && impact != SIZE_MAX)
        *to = *from; /* resolved before the impact entry: nothing in between to judge */
}

static bool explains_wait(const char *text)
{
    return dbf__re_test(&explained_wait, text);
}

/* The entry that closes a gap may say what the time went on: "Digging into
 * the logs shows …", "This was delayed by …". */
static bool says_what_took_time(const char *text)
{
    return dbf__re_test(&time_spent_on, text);
}

/* Does the text say the incident went unattended for a while ("went
 * unnoticed", "while the on-call engineer was asleep")? Then the quiet hours before the
 * response began are explained. */
static bool unattended(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->block_count; i++)
        if (dbf__is_prose(&doc->blocks[i]) &&
            dbf__re_search(&went_unattended, doc->blocks[i].text, doc->blocks[i].len, 0, NULL))
            return true;
    return false;
}

static size_t first_response(const struct dbf_doc *doc, size_t from)
{
    const unsigned response = DBF_EVENT_ESCALATED | DBF_EVENT_DIAGNOSED | DBF_EVENT_MITIGATION;
    for (size_t i = from; i < doc->timeline_count; i++)
        if (doc->timeline[i].kinds & response)
            return i;
    return doc->timeline_count;
}

static void report_gap(struct dbf__lint *lint, const struct dbf_timeline_entry *p,
                       const struct dbf_timeline_entry *e)
{
    char a[32], b[32];
    long gap = (long)((e->at - p->at) / 60);
    if (gap >= 120)
        dbf__report(lint, e->pos,
                    "%ld hours %ld minutes pass between the entries at %s and %s with nothing "
                    "recorded; add what happened in between, or say what was being waited for",
                    gap / 60, gap % 60, clock_text(p, a, sizeof a), clock_text(e, b, sizeof b));
    else
        dbf__report(lint, e->pos,
                    "%ld minutes pass between the entries at %s and %s with nothing recorded; add "
                    "what happened in between, or say what was being waited for",
                    gap, clock_text(p, a, sizeof a), clock_text(e, b, sizeof b));
}

/* timeline/gap: consecutive timed entries during the incident further apart
 * than the "minutes" option, with no entry saying what was under way. An
 * entry that goes back in time is out of order, not a gap: it only counts as
 * something recorded in between. */
void dbf__check_timeline_gap(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    long minutes = dbf__option(lint, "minutes");
    size_t from, to;
    incident_window(doc, &from, &to);
    if (from == SIZE_MAX)
        return;
    size_t quiet_until = SIZE_MAX; /* worked out at the first gap, if there is one */
    size_t prev = from;
    bool recorded = false;
    for (size_t i = from + 1; i <= to && i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        const struct dbf_timeline_entry *p = &doc->timeline[prev];
        if (!timed(e) || e->at < p->at) {
            recorded |= !timed(e) ? explains_wait(e->text) : true;
            continue;
        }
        if (e->at - p->at > minutes * 60 && !recorded) {
            if (quiet_until == SIZE_MAX)
                quiet_until = unattended(doc) ? first_response(doc, from) : from;
            if (i > quiet_until && !explains_wait(p->text) && !says_what_took_time(e->text))
                report_gap(lint, p, e);
        }
        recorded = false;
        prev = i;
    }
}

/* timeline/out-of-order: an entry earlier than the one above it (clock times
 * after midnight rollover, or dates of a date-only timeline). */
void dbf__check_timeline_out_of_order(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    const struct dbf_timeline_entry *prev_timed = NULL, *prev_dated = NULL;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        char a[32], b[32];
        if (timed(e)) {
            if (prev_timed && e->at < prev_timed->at)
                dbf__report(lint, e->pos,
                            "the entry at %s comes after the one at %s; move it to its place or "
                            "correct its time",
                            clock_text(e, a, sizeof a), clock_text(prev_timed, b, sizeof b));
            prev_timed = e;
        } else if (date_only(e)) {
            if (prev_dated && dbf__date_diff(prev_dated->time.date, e->time.date) < 0)
                dbf__report(lint, e->pos,
                            "the entry dated %04d-%02d-%02d comes after one dated %04d-%02d-%02d; "
                            "move it to its place or correct its date",
                            e->time.date.year, e->time.date.month, e->time.date.day,
                            prev_dated->time.date.year, prev_dated->time.date.month,
                            prev_dated->time.date.day);
            prev_dated = e;
        }
    }
}

/* timeline/missing-milestone: no entry for detection, escalation, mitigation
 * or resolution; one finding per milestone, at the timeline heading. */
void dbf__check_timeline_missing_milestone(struct dbf__lint *lint)
{
    static const struct {
        unsigned kind;
        const char *name, *example, *tag;
    } milestones[] = {
        {DBF_EVENT_DETECTED, "detection", "the alert, page or report", "detected"},
        {DBF_EVENT_ESCALATED, "escalation", "someone paged, an incident declared", "escalated"},
        {DBF_EVENT_MITIGATION, "mitigation", "the action that stopped the impact", "mitigation"},
        {DBF_EVENT_RESOLVED, "resolution", "the service back to normal", "resolved"},
    };
    const struct dbf_doc *doc = lint->doc;
    if (doc->timeline_count < 2)
        return;
    unsigned seen = 0;
    for (size_t i = 0; i < doc->timeline_count; i++)
        seen |= doc->timeline[i].kinds;
    struct dbf_pos pos = timeline_pos(doc);
    for (size_t m = 0; m < sizeof milestones / sizeof milestones[0]; m++)
        if (!(seen & milestones[m].kind))
            dbf__report(lint, pos,
                        "the timeline has no %s entry (%s); add it with its time, or tag the entry "
                        "that marks it with '[%s]'",
                        milestones[m].name, milestones[m].example, milestones[m].tag);
}

/* timeline/names-not-roles: an entry that names a person ("@alice", "Priya
 * restarted …") instead of the role they had in the response. */
void dbf__check_timeline_names_not_roles(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        struct dbf__match m;
        size_t len = strlen(e->text);
        const char *who = NULL;
        int who_len = 0;
        if (dbf__re_search(&person_handle, e->text, len, 0, &m)) {
            who = e->text + m.start;
            who_len = (int)(m.end - m.start);
        } else if (dbf__re_search(&person_name, e->text, len, 0, &m) &&
                   !dbf__written_lower_case(lint, e->text + m.group_start[1],
                                            m.group_end[1] - m.group_start[1])) {
            who = e->text + m.group_start[1];
            who_len = (int)(m.group_end[1] - m.group_start[1]);
        }
        if (who)
            dbf__report(lint, e->pos,
                        "this entry names '%.*s'; write the role they had (on-call engineer, "
                        "incident commander, database on-call) instead of the person",
                        who_len, who);
    }
}

/* timeline/unparsable-time: an entry with something meant as a time that is
 * not one ("14:7", "[???]", "2X:XX", "around lunch"). */
void dbf__check_timeline_unparsable_time(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (e->time_ok || !e->time_text || !*e->time_text)
            continue;
        dbf__report(
            lint, e->pos,
            "the time '%s' cannot be read; write it as HH:MM with an optional date and zone "
            "(e.g. '2026-03-04 14:05'), and give a best estimate when unsure",
            e->time_text);
    }
}

static bool has_written_date(const struct dbf_timeline_entry *e)
{
    struct dbf_time t;
    return e->time_text && dbf__time_scan(e->time_text, strlen(e->time_text), &t, false) &&
           t.date.month;
}

/* Is there a date-only line or heading between lines FROM and TO? *CURSOR is
 * the block to start from; calls with growing lines walk the blocks once. */
static bool date_line_between(const struct dbf_doc *doc, int from, int to, size_t *cursor)
{
    while (*cursor < doc->block_count && doc->blocks[*cursor].pos.line <= from)
        (*cursor)++;
    for (size_t i = *cursor; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->pos.line <= from)
            continue;
        if (b->pos.line >= to)
            break;
        struct dbf_time t;
        size_t n = dbf__time_scan(b->text, b->len, &t, false);
        if (n && !t.has_clock && t.date.month && b->len - n < 16)
            return true;
    }
    return false;
}

static int64_t local_day(const struct dbf_timeline_entry *e)
{
    int64_t local =
        e->at + (e->time.has_zone && e->time.zone_is_fixed ? e->time.utc_offset * 60 : 0);
    return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

static bool meta_instant(const struct dbf_meta_value *v, int64_t *at)
{
    struct dbf_time t;
    if (!v->text || !dbf__time_scan(v->text, strlen(v->text), &t, true) || !t.date.year)
        return false;
    *at = dbf__days_from_civil(t.date.year, t.date.month, t.date.day) * 86400 + t.hour * 3600 +
          t.minute * 60 - (t.zone_is_fixed ? t.utc_offset * 60 : 0);
    return true;
}

/* Do the front matter's incident times span more than a day? */
static bool incident_spans_days(const struct dbf_doc *doc)
{
    const struct dbf_meta *m = &doc->meta;
    const struct dbf_meta_value *times[] = {&m->trigger, &m->impact_start, &m->detected,
                                            &m->mitigated, &m->resolved};
    int64_t first = INT64_MAX, last = INT64_MIN, at;
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        if (!meta_instant(times[i], &at))
            continue;
        first = at < first ? at : first;
        last = at > last ? at : last;
    }
    return first != INT64_MAX && last - first > 86400;
}

static bool any_written_date(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->timeline_count; i++)
        if (timed(&doc->timeline[i]) && has_written_date(&doc->timeline[i]))
            return true;
    return false;
}

/* timeline/no-date: the incident runs over more than a day (by its timeline
 * or its front matter times) and midnight passes on entries that carry no
 * date. */
void dbf__check_timeline_no_date(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    const struct dbf_timeline_entry *first = NULL, *prev = NULL, *undated = NULL;
    int crossings = 0;
    int64_t span = 0;
    size_t cursor = 0;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!timed(e))
            continue;
        if (!first)
            first = e;
        if (e->at - first->at > span)
            span = e->at - first->at;
        if (prev && !has_written_date(e) && local_day(e) > local_day(prev) &&
            !date_line_between(doc, prev->pos.line, e->pos.line, &cursor)) {
            crossings++;
            if (!undated)
                undated = e;
        }
        prev = e;
    }
    size_t from_start = 0;
    bool days_by_meta =
        first && incident_spans_days(doc) && !any_written_date(doc) &&
        !date_line_between(doc, timeline_pos(doc).line - 1, prev->pos.line + 1, &from_start);
    if (!undated && days_by_meta)
        undated = first;
    if (undated && (span > 86400 || crossings > 1 || days_by_meta))
        dbf__report(
            lint, undated->pos,
            "the timeline runs over several days but this entry's time has no date; put the "
            "date on each entry (e.g. '2026-03-04 09:00') so the days are not guessed");
}
