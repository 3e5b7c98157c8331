/* rules_impact.c: the impact rules.
 *
 * The impact is often described outside the impact section (the summary,
 * the timeline, a table of figures), so these rules read the whole document
 * sentence by sentence. A sentence "describes impact" when it sits in the
 * summary or impact section or uses words of harm (affected, unable, down,
 * lost …). Figures come from the parser (doc->figures); a figure belongs to a
 * sentence when its text is found inside it on the same lines. */
#include "rules.h"

#include "../parse/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_VAGUE_FINDINGS = 3 };

/* Words of harm: people unable to do something, things failing, down,
 * slow, lost, wrong or exposed, and the length of such a state. */
static struct dbf__re harm_words = DBF_RE(
    "\\b(affected|impacted|impact|unable|could not|couldn't|can ?not|can't|failed|failing|"
    "failures?|errors?|(?:is|was|were|are|went|goes|go|been|being|hard|completely|fully|sites?|"
    "services?)\\s+down|down\\s+for|outages?|downtime|unavailab\\w+|inaccessible|not accessible|"
    "lost|loss|losses|stuck|delayed|delays?|blocked|compromised|phished|phish\\w*|exposed|leaked|"
    "stolen|drained|exfiltrated|deducted|withdrawn|unusable|degraded|broken|dropped|disrupted|"
    "disruptive|interrupted|corrupt(?:ed|ion)?|wrong|incorrect|stale|inconsistent|"
    "starvation|exhausted|exhaustion|forbidden|getting (?:an? )?['\"]?[45]\\d\\d|"
    "timed out|timeouts?|lasted|lasting|duration|fell behind|fall behind|lagg(?:ed|ing)|at risk|"
    "prevent(?:ed|ing|s)|slow(?:er|ness)?|unresponsive|stall(?:s|ed|ing)?|buffer(?:ed|ing)|"
    "rebuffer\\w*|freez(?:e|es|ing)|froze|hung|hangs|crash(?:ed|es|ing)?|"
    "(?:was|were|been) (?:\\w+ )?(?:viewed|accessed)|unauthori[sz]ed|"
    "not (?:being )?(?:starting|working|"
    "operational|responding|loading)|"
    "time to (?:repair|resolve|resolution|recover|recovery|restore|mitigate))\\b");

/* A clear statement that nobody and nothing was harmed: no one (or
 * nothing) affected, harm denied ("our users were not affected", "was not
 * exploited", "the funds remain safe"), nothing lost, no evidence of harm, or an
 * impact table's "Customers impacted: none". */
static struct dbf__re zero_impact = DBF_RE(
    "\\bno\\s+(?:\\w+\\s+){0,2}?(?:users?|customers?|clients?|funds|data|losses|loss|impact|"
    "packages|accounts|one|indicators?|evidence|production)\\b[^.\\n]{0,60}?\\b(?:affected|"
    "impacted|compromised|lost|exposed|exploited|found|loss|malicious|at risk|required)\\b|"
    "\\bno (?:customer|user|client|end-user|external)[- ](?:facing )?(?:impact|data loss)\\b|"
    "\\b(?:there (?:was|were) )?no (?:losses|loss of (?:funds|data)|data loss)\\b|"
    "\\b(?:we|users?|customers?|clients?|funds|data|accounts)\\s+(?:are|were|was|is|remain(?:ed)?)"
    "\\s+(?:not\\s+(?:been\\s+)?(?:affected|impacted|compromised|exploited|lost)|safe)\\b|"
    "\\b(?:was|were|has|have|had|is|are|to)\\s+not\\s+(?:been\\s+|be\\s+)?(?:exploited|"
    "compromised)\\b|"
    "\\b(?:no|not (?:find|found|see|seen) any|not aware of any|(?:never|not) (?:been )?able to "
    "find any) (?:evidence|indications?|indicators?|signs?|reports?)\\b|"
    "\\bnot (?:customer|user)[- ]facing\\b|"
    "\\b(?:customers?|users?|clients?)\\s+(?:impacted|affected)\\W{0,6}(?:none|0|zero)\\b|"
    "\\bwithout (?:any )?(?:customer|user) impact\\b");

/* A count of things and what happened to them: "a single package was
 * compromised", "two accounts deducted", "3 builds lost": the thing counted
 * may be any noun when the harm follows it. */
static struct dbf__re counted_harm =
    DBF_RE("\\b(?:(?!(?:19|20)\\d\\d\\b)\\d+(?:,\\d{3})*|one|two|three|four|five|six|seven|eight|"
           "nine|ten|a single|a dozen)\\s+(?:[a-z][\\w-]*\\s+)?[a-z][\\w-]*\\s+(?:(?:was|were|had "
           "been|has been|have been)\\s+)?"
           "(?:affected|impacted|compromised|deducted|lost|deleted|destroyed|exposed|leaked|stolen|"
           "corrupted|dropped|failed|rejected|delayed|stuck)\\b");

/* A window written in the prose: "from 14:02 to 14:43", "between the hours
 * of 1900 and 2100 UTC". */
static struct dbf__re stated_window =
    DBF_RE("\\b(?:from|between)\\s+(?:the hours of\\s+)?[`*]*\\d{1,2}:?\\d{2}[^\\n]{0,20}?\\s+"
           "(?:to|and|until|till|-|–)\\s+[`*]*\\d{1,2}:?\\d{2}\\b");

/* Vague sizes attached to what was harmed: "some users", "a number of
 * databases", "most jobs". Up to three words may stand between. What is
 * sized is one of: the people served, units of work or traffic, pieces of
 * infrastructure, data and assets, or symptoms. "Large amounts of" is vague
 * whatever it sizes. */
static struct dbf__re vague_count = DBF_RE_PARTS(
    "\\b(some|(?<!how )many|several|a number of|a few|few|a couple of|a handful of|"
    "(?<!in )most(?!\\s+recent)|the majority of|a majority of|multiple|numerous|a subset of|"
    "a (?:small|large|significant|good|big|substantial|certain) (?:portion|number|fraction|part|"
    "percentage|proportion|amount|subset|share) of)\\s+"
    "(?:of\\s+(?:the|our|their|its|these|those)\\s+)?(?:(?!(?:hours?|minutes?|days?|weeks?|"
    "months?|seconds?|times?|ways?|of)\\b)[\\w/'-]+\\s+){0,3}?"
    "(users?|customers?|clients?|people|persons|visitors|members|subscribers|partners|tenants|"
    "viewers|listeners|riders|drivers|guests|passengers|patients|sellers|employees|"
    "documents|photos|images|videos|streams|notes|items|objects|rows|archives|artifacts|"
    "students|merchants|players|companies|organi[sz]ations|teams|accounts|"
    "requests|queries|calls|searches|transactions|orders|payments|jobs|builds|tests|launches|"
    "pipelines|deployments|uploads|downloads|sessions|messages|e-?mails|notifications|events|"
    "traffic|connections|logins|writes|reads|"
    "nodes|peers|pods|workloads|services|sites|websites|pages|apps|applications|instances|"
    "databases|clusters|servers|hosts|machines|containers|devices|regions|zones|endpoints|"
    "domains|namespaces|components|systems|repositories|repos|packages|projects|"
    "records|files|data|secrets|credentials|tokens|keys|funds|"
    "outages|errors|failures|symptoms|crashes|timeouts)\\b|"
    "\\b((?:large|small|huge|vast|significant|substantial) (?:amounts?|numbers?|quantities) of)"
    "(?=\\s+\\w)|"
    "\\b((?:some|many|several|a few|most|a number|a handful|a lot) of you)\\b");

/* The readers themselves, or the people served, sized: in the summary or
 * the impact section that is the impact, harm word or not ("some of you
 * noticed notes missing"). */
static struct dbf__re vague_people = DBF_RE(
    "\\b(?:you|users?|customers?|clients?|people|members|subscribers|viewers|players|tenants|"
    "merchants|visitors|students)\\b");

/* Vague magnitudes: "significant impact", "minor problems", "degraded
 * performance", "impact was negligible". */
static struct dbf__re vague_size =
    DBF_RE("\\b(significant(?:ly)?|substantial(?:ly)?|severe(?:ly)?|major|minor|"
           "negligible|minimal|considerable|noticeable|massive|huge|heavy|partial(?:ly)?|"
           "intermittent(?:ly)?|degraded)\\s+(?:[\\w/-]+\\s+){0,2}?(impact|disruption|degradation|"
           "drop|increase|delays?|latency|slowdown|outages?|performance|availability|challenges|"
           "issues|problems|errors|failures|loss|losses|downtime|service)\\b|"
           "\\b(impact)\\b[^.\\n]{0,30}?\\b(?:was|is|were|remained)\\s+(?:\\w+\\s+)?(?:negligible|"
           "minimal|minor|limited|significant|severe|major|small|low)\\b|"
           "\\b((?:was|were|is|are|been|became)\\s+(?:\\w+\\s+)?degraded)\\b");

/* A sentence about what would have happened, not what did. */
static struct dbf__re hypothetical =
    DBF_RE("\\b(?:would|might|(?:can|could|may) (?:result|cause|lead|mean))\\b");

/* Context that makes a duration the length of the impact. */
static struct dbf__re lasting =
    DBF_RE("\\b(for|lasted|lasting|lasts|duration|downtime|outage|down|unavailable|unusable|"
           "impact(?:ed)?|affected|disrupted|degraded|time to (?:repair|resolve|recover|recovery|"
           "restore))\\b");

/* Durations that are about something else: detection, timeouts, ages. */
static struct dbf__re other_duration =
    DBF_RE("\\b(time to (?:detect|detection|diagnose|engage|acknowledge|respond|escalate)|within|"
           "after|later|earlier|before|every|ago|timeouts?|ttl|expir\\w*|retention|older|old|age|"
           "interval|cache)\\b");

/* "Time to repair: 4h 9m": a metric teams often measure from detection. */
static struct dbf__re time_to_metric =
    DBF_RE("\\btime to (?:repair|resolve|resolution|recover|recovery|restore|mitigate)\\b");

/* Walks the figures of the document in file order, block by block. */
struct figure_cursor {
    const struct dbf_doc *doc;
    size_t next;
};

/* The first figure of the cursor's document inside B[start, end), or NULL.
 * Sentences must be visited in file order: figures on earlier lines are
 * passed for good, so a pass over the document reads each figure a bounded
 * number of times. */
static void pass_figures_before(struct figure_cursor *c, int line)
{
    while (c->next < c->doc->figure_count && c->doc->figures[c->next].pos.line < line)
        c->next++;
}

static const struct dbf_impact_figure *figure_in(struct figure_cursor *c, const struct dbf_block *b,
                                                 size_t start, size_t end)
{
    const struct dbf_doc *doc = c->doc;
    int first = dbf_doc_block_line(b, start), last = dbf_doc_block_line(b, end);
    pass_figures_before(c, first);
    for (size_t i = c->next; i < doc->figure_count && doc->figures[i].pos.line <= last; i++) {
        const struct dbf_impact_figure *f = &doc->figures[i];
        if (f->pos.line < first)
            continue;
        size_t n = strlen(f->text);
        if (n <= end - start && memmem(b->text + start, end - start, f->text, n))
            return f;
    }
    return NULL;
}

/* Is there a figure of the cursor's document on B's lines? Blocks must be
 * visited in file order, as figure_in() asks of sentences. */
static bool figures_on(struct figure_cursor *c, const struct dbf_block *b)
{
    const struct dbf_doc *doc = c->doc;
    pass_figures_before(c, dbf_doc_block_line(b, 0));
    return c->next < doc->figure_count &&
           doc->figures[c->next].pos.line <= dbf_doc_block_line(b, b->len);
}

static bool in_span(struct dbf__re *re, const struct dbf_block *b, size_t start, size_t end,
                    struct dbf__match *m)
{
    return dbf__re_search(re, b->text, end, start, m) && m->start < end;
}

/* Is the block in a part of the document that states the impact? */
static bool states_impact(const struct dbf_doc *doc, const struct dbf_block *b)
{
    enum dbf_section_kind k = dbf_doc_block_kind(doc, b);
    return k == DBF_SECTION_SUMMARY || k == DBF_SECTION_IMPACT || b->section < 0 ||
           (b->type == DBF_BLOCK_HEADING && b->pos.line == doc->title_pos.line);
}

static bool is_plan(const struct dbf_doc *doc, const struct dbf_block *b)
{
    enum dbf_section_kind k = dbf_doc_block_kind(doc, b);
    return k == DBF_SECTION_ACTIONS || k == DBF_SECTION_LESSONS;
}

/* Does the document say plainly, in prose or in an impact table ("Customers
 * impacted | None"), that nobody was harmed? */
static bool says_no_impact(const struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (lint->facts.impact_table_says_none)
        return true;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (dbf__is_prose(b) && dbf__re_search(&zero_impact, b->text, b->len, 0, NULL))
            return true;
    }
    return false;
}

/* Where a missing-impact finding points: the impact heading, else the title. */
static struct dbf_pos impact_anchor(const struct dbf_doc *doc)
{
    const struct dbf_section *s = dbf_doc_section(doc, DBF_SECTION_IMPACT);
    if (s)
        return s->pos;
    if (doc->title)
        return doc->title_pos;
    return (struct dbf_pos){1, 1};
}

/* Copies B's text [START, END) into OUT on one line, cut to fit. */
static void quote(const struct dbf_block *b, size_t start, size_t end, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = start; i < end && n + 1 < size; i++)
        out[n++] = b->text[i] == '\n' ? ' ' : b->text[i];
    out[n] = '\0';
}

/* impact/vague: a sentence about harm to people or systems that sizes it
 * with "some", "many", "a number of", "significant", "degraded" and gives no
 * figure. Any section but the action items counts: the impact is often
 * described in the summary, the timeline or what went wrong. In the impact
 * section every sentence is about harm; elsewhere it must say so. */
void dbf__check_impact_vague(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    struct figure_cursor cursor = {doc, 0};
    static struct dbf__re *const vague[] = {&vague_count, &vague_size};
    static struct dbf__re_set vague_set = DBF_RE_SET(vague);
    int reported = 0;
    for (size_t i = 0; i < doc->block_count && reported < MAX_VAGUE_FINDINGS; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) || dbf_doc_block_kind(doc, b) == DBF_SECTION_ACTIONS ||
            !dbf__re_set_may_match(&vague_set, b->text, b->len))
            continue;
        size_t start = 0, end = 0;
        bool impact_section = dbf_doc_block_kind(doc, b) == DBF_SECTION_IMPACT;
        while (reported < MAX_VAGUE_FINDINGS && dbf__next_sentence(b, &start, &end)) {
            struct dbf__match m, h;
            if (!in_span(&vague_count, b, start, end, &m) &&
                !in_span(&vague_size, b, start, end, &m))
                continue;
            bool people_sized = states_impact(doc, b) && m.end <= end &&
                                dbf__re_search(&vague_people, b->text, m.end, m.start, &h);
            if (!impact_section && !people_sized && !in_span(&harm_words, b, start, end, &h))
                continue;
            if (in_span(&hypothetical, b, start, end, &h) ||
                in_span(&zero_impact, b, start, end, &h))
                continue;
            if (figure_in(&cursor, b, start, end))
                continue;
            char phrase[64];
            quote(b, m.start, m.end, phrase, sizeof phrase);
            int line = dbf_doc_block_line(b, m.start);
            dbf__report(lint, (struct dbf_pos){line, line == b->pos.line ? b->pos.column : 1},
                        "'%s' does not say how much; give the figure (users, requests, "
                        "orders, percentage, minutes) or a bound and how it was estimated",
                        phrase);
            reported++;
        }
    }
}

/* Does the document give any impact as a number with a unit? */
static bool impact_quantified(const struct dbf_doc *doc)
{
    struct figure_cursor cursor = {doc, 0};
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) || is_plan(doc, b))
            continue;
        bool front = states_impact(doc, b);
        if (!figures_on(&cursor, b) && !dbf__re_may_match(&counted_harm, b->text, b->len) &&
            !(front && dbf__re_may_match(&stated_window, b->text, b->len)))
            continue;
        bool table_of_impact =
            b->type == DBF_BLOCK_TABLE_CELL && dbf_doc_block_kind(doc, b) == DBF_SECTION_IMPACT;
        size_t start = 0, end = 0;
        while (dbf__next_sentence(b, &start, &end)) {
            struct dbf__match m;
            if (front && in_span(&stated_window, b, start, end, &m))
                return true;
            if (in_span(&counted_harm, b, start, end, &m))
                return true;
            if (!figure_in(&cursor, b, start, end))
                continue;
            if (table_of_impact || in_span(&harm_words, b, start, end, &m))
                return true;
        }
    }
    return false;
}

/* impact/unquantified: nowhere is the impact a number with a unit, and the
 * document does not say plainly that nothing was harmed. */
void dbf__check_impact_unquantified(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (impact_quantified(doc) || says_no_impact(lint))
        return;
    dbf__report(lint, impact_anchor(doc),
                "the impact is never given as a number; state who was affected and how much "
                "(e.g. '1,240 users could not log in for 41 minutes', '3%% of requests failed')");
}

/* Seconds since the epoch of an ISO time in the front matter, or -1. */
static int64_t meta_time(const struct dbf_meta_value *v)
{
    if (!v->text)
        return -1;
    struct dbf_time t = {0};
    if (!dbf__time_scan(v->text, strlen(v->text), &t, true) || !t.date.year)
        return -1;
    int64_t at = dbf__days_from_civil(t.date.year, t.date.month, t.date.day) * 86400 +
                 t.hour * 3600 + t.minute * 60 + t.second;
    if (t.has_zone && t.zone_is_fixed)
        at -= (int64_t)t.utc_offset * 60;
    return at;
}

/* The customer-impact window from the front matter, else from the timeline:
 * its start of impact (tagged, or inferred but before the first detection:
 * an entry where someone noticed the problem is not when it began) to its
 * recovery. TO is the resolution; MITIGATED, when known, the end of the
 * mitigation, which some documents count as the end of the impact. False
 * when the start or the resolution is unknown. */
static bool computed_impact(const struct dbf_doc *doc, int64_t *from, int64_t *to,
                            int64_t *mitigated)
{
    *from = meta_time(&doc->meta.impact_start);
    *to = meta_time(&doc->meta.resolved);
    *mitigated = meta_time(&doc->meta.mitigated);
    bool detected = false;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!e->time_ok || !e->time.has_clock)
            continue;
        bool inferred_start = !detected && !(e->kinds & DBF_EVENT_DETECTED);
        if (*from < 0 && (e->kinds & DBF_EVENT_IMPACT_START) && (e->tagged || inferred_start))
            *from = e->at;
        detected = detected || (e->kinds & DBF_EVENT_DETECTED);
        if (*from < 0 || e->at < *from)
            continue;
        if (*to < 0 && (e->kinds & DBF_EVENT_RESOLVED))
            *to = e->at;
        if (*mitigated < 0 && (e->kinds & DBF_EVENT_MITIGATION))
            *mitigated = e->at;
    }
    if (*to < 0) {
        *to = *mitigated;
        *mitigated = -1;
    }
    return *from >= 0 && *to > *from;
}

/* Is there a clock window in the timeline: the trigger or the start of the
 * impact, then a recovery? A timeline that reaches the page before any
 * trigger gives no start for the impact. */
static bool timeline_window(const struct dbf_doc *doc)
{
    bool started = false;
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!e->time_ok || !e->time.has_clock)
            continue;
        if (started && (e->kinds & (DBF_EVENT_RESOLVED | DBF_EVENT_MITIGATION)))
            return true;
        if (e->kinds & (DBF_EVENT_TRIGGER | DBF_EVENT_IMPACT_START | DBF_EVENT_CUSTOMER))
            started = true;
        else if (!started && (e->kinds & DBF_EVENT_DETECTED))
            return false;
    }
    return false;
}

/* Calls FN on each duration the prose gives as the length of the impact.
 * With METRICS false, "time to repair: 4h 9m" lines are left out: such
 * figures are often measured from detection, not from the start of impact. */
static void stated_durations(const struct dbf_doc *doc, bool metrics,
                             bool (*fn)(const struct dbf_impact_figure *, void *), void *arg)
{
    struct figure_cursor cursor = {doc, 0};
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) || is_plan(doc, b) || !figures_on(&cursor, b))
            continue;
        bool front = states_impact(doc, b);
        size_t start = 0, end = 0;
        while (dbf__next_sentence(b, &start, &end)) {
            const struct dbf_impact_figure *f = figure_in(&cursor, b, start, end);
            struct dbf__match m;
            if (!f || !f->is_duration || f->seconds <= 0)
                continue;
            if (!in_span(front ? &lasting : &harm_words, b, start, end, &m) ||
                in_span(&other_duration, b, start, end, &m) ||
                (!metrics && in_span(&time_to_metric, b, start, end, &m)))
                continue;
            if (!fn(f, arg))
                return;
        }
    }
}

static bool note_found(const struct dbf_impact_figure *f, void *arg)
{
    (void)f;
    *(bool *)arg = true;
    return false;
}

/* impact/no-duration: how long people were affected is neither stated nor
 * derivable from the front matter or the timeline. */
void dbf__check_impact_no_duration(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    int64_t from, to, mitigated;
    if (computed_impact(doc, &from, &to, &mitigated) || timeline_window(doc) ||
        says_no_impact(lint))
        return;
    bool found = false;
    stated_durations(doc, true, note_found, &found);
    if (found)
        return;
    for (size_t i = 0; i < doc->block_count && !found; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        found = dbf__is_prose(b) && states_impact(doc, b) &&
                dbf__re_search(&stated_window, b->text, b->len, 0, NULL);
    }
    if (found)
        return;
    dbf__report(lint, impact_anchor(doc),
                "the impact has no duration; state how long people were affected, from the "
                "start of the impact to recovery, with the window and zone (e.g. '41 minutes, "
                "14:02 to 14:43 UTC')");
}

struct mismatch {
    int64_t computed;
    int64_t to_mitigation; /* 0 when unknown */
    long tolerance;
    const struct dbf_impact_figure *first_off;
    bool agrees;
};

static bool compare_duration(const struct dbf_impact_figure *f, void *arg)
{
    struct mismatch *mm = arg;
    int64_t ends[] = {mm->computed, mm->to_mitigation};
    for (size_t i = 0; i < 2; i++)
        if (ends[i] > 0 && llabs(f->seconds - ends[i]) * 100 <= ends[i] * mm->tolerance) {
            mm->agrees = true;
            return false;
        }
    if (!mm->first_off)
        mm->first_off = f;
    return true;
}

/* "1 hour 5 minutes", "45 minutes", "3 days 2 hours". */
static void format_duration(int64_t seconds, char *out, size_t size)
{
    int64_t minutes = (seconds + 30) / 60, hours = minutes / 60, days = hours / 24;
    if (days > 0)
        snprintf(out, size, "%lld day%s %lld hour%s", (long long)days, days == 1 ? "" : "s",
                 (long long)(hours % 24), hours % 24 == 1 ? "" : "s");
    else if (hours > 0)
        snprintf(out, size, "%lld hour%s %lld minute%s", (long long)hours, hours == 1 ? "" : "s",
                 (long long)(minutes % 60), minutes % 60 == 1 ? "" : "s");
    else
        snprintf(out, size, "%lld minute%s", (long long)minutes, minutes == 1 ? "" : "s");
}

/* impact/duration-mismatch: the durations the prose gives for the impact
 * all differ, beyond the tolerance, from the start of impact to recovery
 * computed from the front matter or the timeline. */
void dbf__check_impact_duration_mismatch(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    int64_t from, to, mitigated;
    if (!computed_impact(doc, &from, &to, &mitigated))
        return;
    long tolerance = dbf__option(lint, "tolerance-percent");
    struct mismatch mm = {to - from, mitigated > from ? mitigated - from : 0,
                          tolerance < 0 ? 20 : tolerance, NULL, false};
    stated_durations(doc, false, compare_duration, &mm);
    if (mm.agrees || !mm.first_off)
        return;
    char computed[64];
    format_duration(mm.computed, computed, sizeof computed);
    dbf__report(lint, mm.first_off->pos,
                "the prose gives the impact as '%s' but the start of impact to recovery is %s; "
                "correct the prose or the timeline so they agree",
                mm.first_off->text, computed);
}
