/* report.c: post mortems gathered, then counted into periods, patterns,
 * repeated promises and trends.
 *
 * Adding keeps a record per post mortem (copies only); finishing sorts the
 * records by date and rebuilds the whole result from them, so a report can
 * be finished, added to and finished again. */
#include "../parse/clock.h"
#include "dates.h"
#include "debrief/patterns.h"
#include "debrief/timeline.h"
#include "repeat_index.h"
#include "repeats.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_IN_ONE_PERIOD 3
#define DEFAULT_PERIODS_RUNNING 2
#define DEFAULT_SIMILARITY 0.6
#define DEFAULT_STALE_DAYS 45

struct kept_action {
    char *description, *owner;
    int line, number;
    bool done;
    struct dbf_date due;
    struct dbf__word_set words;
};

struct record {
    struct dbf_pattern_doc doc;
    struct kept_action *actions;
    size_t action_count;
};

struct dbf_pattern_report {
    struct dbf_pattern_options options;
    struct dbf_taxonomy *taxonomy;
    struct record *records;
    size_t count, cap;
    struct dbf_pattern_result result;
};

static struct dbf_date today_utc(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

struct dbf_pattern_report *dbf_pattern_report_new(const struct dbf_pattern_options *options,
                                                  char *err, size_t errlen)
{
    struct dbf_pattern_report *r = calloc(1, sizeof *r);
    if (!r) {
        if (err)
            snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (options)
        r->options = *options;
    r->taxonomy = dbf_taxonomy_new(r->options.config, err, errlen);
    if (!r->taxonomy) {
        free(r);
        return NULL;
    }
    const struct dbf_config_patterns *pc = dbf_config_patterns(r->options.config);
    struct dbf_pattern_result *res = &r->result;
    res->taxonomy = r->taxonomy;
    res->unit = r->options.unit;
    res->today = r->options.today.year ? r->options.today : today_utc();
    res->in_one_period = pc->in_one_period > 0 ? pc->in_one_period : DEFAULT_IN_ONE_PERIOD;
    res->periods_running = pc->periods_running > 0 ? pc->periods_running : DEFAULT_PERIODS_RUNNING;
    res->repeat_similarity = pc->repeat_similarity > 0 ? pc->repeat_similarity : DEFAULT_SIMILARITY;
    long days = dbf_config_option(r->options.config, "actions/deadline-too-far", "days");
    res->stale_days = days >= 0 ? days : DEFAULT_STALE_DAYS;
    return r;
}

static void release_result(struct dbf_pattern_result *res)
{
    for (size_t i = 0; i < res->period_count; i++)
        free(res->periods[i].category_counts);
    free(res->periods);
    for (size_t i = 0; i < res->pattern_count; i++) {
        free(res->patterns[i].periods);
        free(res->patterns[i].docs);
    }
    free(res->patterns);
    free(res->repeats);
    free(res->stale);
    free(res->docs);
    res->periods = NULL;
    res->patterns = NULL;
    res->repeats = NULL;
    res->stale = NULL;
    res->docs = NULL;
    res->period_count = res->pattern_count = res->repeat_count = res->stale_count = 0;
    res->doc_count = res->counted = res->actions = res->actions_done = 0;
}

static void release_record(struct record *rec)
{
    free(rec->doc.path);
    free(rec->doc.title);
    free(rec->doc.evidence);
    for (size_t i = 0; i < rec->action_count; i++) {
        free(rec->actions[i].description);
        free(rec->actions[i].owner);
        dbf__word_set_release(&rec->actions[i].words);
    }
    free(rec->actions);
}

void dbf_pattern_report_free(struct dbf_pattern_report *report)
{
    if (!report)
        return;
    release_result(&report->result);
    for (size_t i = 0; i < report->count; i++)
        release_record(&report->records[i]);
    free(report->records);
    dbf_taxonomy_free(report->taxonomy);
    free(report);
}

static char *copy(const char *s)
{
    return s ? strdup(s) : NULL;
}

static bool keep_actions(struct record *rec, const struct dbf_doc *doc)
{
    if (!doc->action_count)
        return true;
    rec->actions = calloc(doc->action_count, sizeof *rec->actions);
    if (!rec->actions)
        return false;
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        struct kept_action *k = &rec->actions[rec->action_count++];
        k->description = copy(a->description ? a->description : "");
        k->owner = copy(a->owner);
        k->line = a->pos.line;
        k->number = a->number;
        k->done = a->status == DBF_ACTION_DONE;
        k->due = a->due;
        if (!k->description || (a->owner && !k->owner) ||
            !dbf__word_set_of(k->description, &k->words))
            return false;
        rec->doc.actions++;
        rec->doc.actions_done += k->done;
    }
    return true;
}

/* Fills REC (zeroed) with what REPORT keeps of DOC; false when memory
 * runs out (REC is then released). */
static bool make_record(const struct dbf_pattern_report *report, const struct dbf_doc *doc,
                        struct record *rec)
{
    struct dbf_pattern_doc *d = &rec->doc;
    const char *path = doc->path ? doc->path : "-";
    const char *base = strrchr(path, '/');
    d->path = strdup(path);
    d->title = strdup(doc->title ? doc->title : base ? base + 1 : path);
    d->evidence = calloc(dbf_taxonomy_count(report->taxonomy) + 1, sizeof *d->evidence);
    struct dbf_timeline_analysis *analysis = dbf_timeline_analyse(doc, 15 * 60);
    struct dbf_review *review = dbf_lint(doc, report->options.config);
    bool ok = d->path && d->title && d->evidence && analysis && review && keep_actions(rec, doc);
    if (ok) {
        d->date_source = dbf__pattern_doc_date(doc, analysis, &d->date);
        d->period = d->date.year ? dbf_period_of(report->options.unit, d->date) : 0;
        d->categories = dbf_taxonomy_classify(report->taxonomy, doc, d->evidence);
        d->severity = doc->meta.severity_level;
        d->has_ttd = analysis->has_duration[DBF_TIME_TO_DETECT];
        d->ttd = d->has_ttd ? analysis->duration[DBF_TIME_TO_DETECT] : 0;
        d->has_ttm = analysis->has_duration[DBF_TIME_TO_MITIGATE];
        d->ttm = d->has_ttm ? analysis->duration[DBF_TIME_TO_MITIGATE] : 0;
        d->score = review->score;
    } else {
        release_record(rec);
    }
    dbf_timeline_analysis_free(analysis);
    dbf_review_free(review);
    return ok;
}

/* Room for one more record; NULL when memory runs out. */
static struct record *next_record(struct dbf_pattern_report *report)
{
    if (report->count == report->cap) {
        size_t n = report->cap ? report->cap * 2 : 64;
        struct record *grown = realloc(report->records, n * sizeof *grown);
        if (!grown)
            return NULL;
        report->records = grown;
        report->cap = n;
    }
    struct record *rec = &report->records[report->count];
    memset(rec, 0, sizeof *rec);
    return rec;
}

bool dbf_pattern_report_add(struct dbf_pattern_report *report, const struct dbf_doc *doc)
{
    struct record *rec = next_record(report);
    if (!rec || !make_record(report, doc, rec))
        return false;
    report->count++;
    return true;
}

/* One slot of a record's evidence that holds something. */
struct kept_evidence {
    size_t slot;
    struct dbf_category_evidence evidence;
};

/* A record on its own. Its evidence is kept as the slots that hold
 * something (a post mortem is in few categories), not slot by slot. */
struct dbf_pattern_entry {
    struct record rec; /* rec.doc.evidence NULL */
    size_t categories;
    struct kept_evidence *evidence;
    size_t evidence_count;
};

/* Moves the slots of E's record's evidence that hold something to
 * E->evidence; false when memory runs out. */
static bool keep_evidence(struct dbf_pattern_entry *e)
{
    static const struct dbf_category_evidence empty;
    struct dbf_category_evidence *slots = e->rec.doc.evidence;
    size_t used = 0;
    for (size_t i = 0; i <= e->categories; i++)
        used += memcmp(&slots[i], &empty, sizeof empty) != 0;
    e->evidence = used ? calloc(used, sizeof *e->evidence) : NULL;
    if (used && !e->evidence)
        return false;
    for (size_t i = 0; i <= e->categories; i++)
        if (memcmp(&slots[i], &empty, sizeof empty) != 0)
            e->evidence[e->evidence_count++] = (struct kept_evidence){i, slots[i]};
    free(slots);
    e->rec.doc.evidence = NULL;
    return true;
}

struct dbf_pattern_entry *dbf_pattern_entry_new(const struct dbf_pattern_report *report,
                                                const struct dbf_doc *doc)
{
    struct dbf_pattern_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->categories = dbf_taxonomy_count(report->taxonomy);
    if (!make_record(report, doc, &e->rec)) {
        free(e);
        return NULL;
    }
    if (!keep_evidence(e)) {
        dbf_pattern_entry_free(e);
        return NULL;
    }
    return e;
}

struct dbf_date dbf_pattern_entry_date(const struct dbf_pattern_entry *entry)
{
    return entry->rec.doc.date;
}

void dbf_pattern_entry_free(struct dbf_pattern_entry *entry)
{
    if (!entry)
        return;
    release_record(&entry->rec);
    free(entry->evidence);
    free(entry);
}

size_t dbf_pattern_entry_bytes(const struct dbf_pattern_entry *entry)
{
    const struct record *rec = &entry->rec;
    size_t bytes = sizeof *entry + strlen(rec->doc.path) + strlen(rec->doc.title) + 2 +
                   entry->evidence_count * sizeof *entry->evidence;
    for (size_t i = 0; i < rec->action_count; i++) {
        const struct kept_action *k = &rec->actions[i];
        bytes += sizeof *k + strlen(k->description) + 1 + (k->owner ? strlen(k->owner) + 1 : 0) +
                 k->words.count * sizeof *k->words.words;
    }
    return bytes;
}

/* K's copy into OUT (zeroed); false when memory runs out. */
static bool copy_action(const struct kept_action *k, struct kept_action *out)
{
    *out = *k;
    out->description = copy(k->description);
    out->owner = copy(k->owner);
    out->words.words = NULL;
    if (k->words.count) {
        out->words.words = malloc(k->words.count * sizeof *k->words.words);
        if (out->words.words)
            memcpy(out->words.words, k->words.words, k->words.count * sizeof *k->words.words);
    }
    return out->description && (!k->owner || out->owner) && (!k->words.count || out->words.words);
}

bool dbf_pattern_report_add_entry(struct dbf_pattern_report *report,
                                  const struct dbf_pattern_entry *entry)
{
    if (entry->categories != dbf_taxonomy_count(report->taxonomy))
        return false;
    struct record *rec = next_record(report);
    if (!rec)
        return false;
    const struct record *from = &entry->rec;
    rec->doc = from->doc;
    rec->doc.path = copy(from->doc.path);
    rec->doc.title = copy(from->doc.title);
    rec->doc.evidence = calloc(entry->categories + 1, sizeof *rec->doc.evidence);
    rec->actions = from->action_count ? calloc(from->action_count, sizeof *rec->actions) : NULL;
    bool ok = rec->doc.path && rec->doc.title && rec->doc.evidence &&
              (!from->action_count || rec->actions);
    for (size_t i = 0; rec->doc.evidence && i < entry->evidence_count; i++)
        rec->doc.evidence[entry->evidence[i].slot] = entry->evidence[i].evidence;
    for (size_t i = 0; ok && i < from->action_count; i++)
        ok = copy_action(&from->actions[i], &rec->actions[rec->action_count++]);
    if (!ok) {
        release_record(rec);
        return false;
    }
    /* The period is the report's own: months or quarters. */
    rec->doc.period = rec->doc.date.year ? dbf_period_of(report->options.unit, rec->doc.date) : 0;
    report->count++;
    return true;
}

/* Finishing. */

static int by_date(const void *a, const void *b)
{
    const struct dbf_pattern_doc *x = &((const struct record *)a)->doc;
    const struct dbf_pattern_doc *y = &((const struct record *)b)->doc;
    if (!x->date.year != !y->date.year)
        return x->date.year ? -1 : 1;
    if (x->date.year) {
        int64_t diff = dbf__date_diff(y->date, x->date);
        if (diff)
            return diff < 0 ? -1 : 1;
    }
    return strcmp(x->path, y->path);
}

static int by_seconds(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median and worst of the N values at V (sorted here). */
static struct dbf_duration_trend trend_of(int64_t *v, size_t n)
{
    struct dbf_duration_trend t = {n, 0, 0};
    if (!n)
        return t;
    qsort(v, n, sizeof *v, by_seconds);
    t.worst = v[n - 1];
    t.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return t;
}

static bool build_periods(struct dbf_pattern_report *r)
{
    struct dbf_pattern_result *res = &r->result;
    size_t ncat = dbf_taxonomy_count(r->taxonomy);
    bool any = false;
    int first = 0, last = 0;
    for (size_t i = 0; i < res->doc_count; i++) {
        const struct dbf_pattern_doc *d = &res->docs[i];
        if (!d->counted)
            continue;
        first = any && first < d->period ? first : d->period;
        last = any && last > d->period ? last : d->period;
        any = true;
    }
    if (!any)
        return true;
    if (r->options.since.year)
        first = dbf_period_of(res->unit, r->options.since);
    res->period_count = (size_t)(last - first + 1);
    res->periods = calloc(res->period_count, sizeof *res->periods);
    int64_t *ttd = calloc(res->doc_count + 1, sizeof *ttd);
    int64_t *ttm = calloc(res->doc_count + 1, sizeof *ttm);
    bool ok = res->periods && ttd && ttm;
    for (size_t p = 0; ok && p < res->period_count; p++) {
        struct dbf_pattern_period *per = &res->periods[p];
        per->period = first + (int)p;
        dbf_period_label(res->unit, per->period, per->label, sizeof per->label);
        per->category_counts = calloc(ncat, sizeof *per->category_counts);
        if (!per->category_counts) {
            ok = false;
            break;
        }
        size_t nd = 0, nm = 0;
        long score_sum = 0;
        for (size_t i = 0; i < res->doc_count; i++) {
            const struct dbf_pattern_doc *d = &res->docs[i];
            if (!d->counted || d->period != per->period)
                continue;
            per->postmortems++;
            for (size_t c = 0; c < ncat; c++)
                per->category_counts[c] += (d->categories >> c) & 1;
            if (d->has_ttd)
                ttd[nd++] = d->ttd;
            if (d->has_ttm)
                ttm[nm++] = d->ttm;
            per->severity[d->severity >= 1 && d->severity <= 4 ? d->severity : 0]++;
            per->actions += d->actions;
            per->actions_done += d->actions_done;
            score_sum += d->score;
            per->scored++;
        }
        per->ttd = trend_of(ttd, nd);
        per->ttm = trend_of(ttm, nm);
        per->score_mean = per->scored ? (double)score_sum / (double)per->scored : 0;
    }
    free(ttd);
    free(ttm);
    return ok;
}

static int by_pattern_size(const void *a, const void *b)
{
    const struct dbf_pattern *x = a, *y = b;
    if (x->doc_count != y->doc_count)
        return x->doc_count > y->doc_count ? -1 : 1;
    return x->category < y->category ? -1 : x->category > y->category;
}

static bool build_patterns(struct dbf_pattern_report *r)
{
    struct dbf_pattern_result *res = &r->result;
    size_t ncat = dbf_taxonomy_count(r->taxonomy), np = res->period_count;
    if (!np)
        return true;
    res->patterns = calloc(ncat, sizeof *res->patterns);
    size_t *counts = calloc(np, sizeof *counts);
    bool *qualifies = calloc(np, sizeof *qualifies);
    bool ok = res->patterns && counts && qualifies;
    for (size_t c = 0; ok && c < ncat; c++) {
        for (size_t p = 0; p < np; p++)
            counts[p] = res->periods[p].category_counts[c];
        if (!dbf_pattern_recurs(counts, np, res->in_one_period, res->periods_running, qualifies))
            continue;
        struct dbf_pattern *pat = &res->patterns[res->pattern_count++];
        pat->category = c;
        pat->periods = calloc(np, sizeof *pat->periods);
        pat->docs = calloc(res->doc_count, sizeof *pat->docs);
        if (!pat->periods || !pat->docs) {
            ok = false;
            break;
        }
        for (size_t p = 0; p < np; p++)
            if (qualifies[p])
                pat->periods[pat->period_count++] = p;
        for (size_t i = 0; i < res->doc_count; i++) {
            const struct dbf_pattern_doc *d = &res->docs[i];
            if (d->counted && ((d->categories >> c) & 1) &&
                qualifies[d->period - res->periods[0].period])
                pat->docs[pat->doc_count++] = i;
        }
    }
    if (ok && res->pattern_count)
        qsort(res->patterns, res->pattern_count, sizeof *res->patterns, by_pattern_size);
    free(counts);
    free(qualifies);
    return ok;
}

static bool grow(void **arr, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 16;
    void *grown = realloc(*arr, n * size);
    if (!grown)
        return false;
    *arr = grown;
    *cap = n;
    return true;
}

/* Where each action item is, by its number across all records in order. */
struct item_place {
    size_t doc, action;
};

/* Every item of a counted post mortem alike enough to one of an earlier
 * post mortem (counted or not), with the most alike, the first among
 * equals. Earlier items are found through an index of the words they
 * share, so the work grows with the items, not with their pairs. */
static bool build_repeats(struct dbf_pattern_report *r)
{
    struct dbf_pattern_result *res = &r->result;
    size_t cap = 0, items = 0;
    for (size_t i = 0; i < r->count; i++)
        items += r->records[i].action_count;
    if (!items)
        return true;
    struct dbf__repeat_index *ix = dbf__repeat_index_new(res->repeat_similarity);
    struct item_place *places = malloc(items * sizeof *places);
    bool ok = ix && places;
    for (size_t i = 0; ok && i < r->count; i++)
        for (size_t a = 0; ok && a < r->records[i].action_count; a++)
            ok = dbf__repeat_index_count(ix, &r->records[i].actions[a].words);
    size_t first_item = 0;
    for (size_t i = 0; ok && i < r->count; i++) {
        const struct record *later = &r->records[i];
        for (size_t a = 0; ok && later->doc.counted && a < later->action_count; a++) {
            const struct kept_action *item = &later->actions[a];
            size_t id;
            double best;
            bool failed;
            if (!dbf__repeat_index_best(ix, &item->words, &id, &best, &failed)) {
                ok = !failed;
                continue;
            }
            if (!grow((void **)&res->repeats, res->repeat_count, &cap, sizeof *res->repeats)) {
                ok = false;
                break;
            }
            const struct kept_action *old = &r->records[places[id].doc].actions[places[id].action];
            res->repeats[res->repeat_count++] = (struct dbf_repeated_action){
                .doc = i,
                .earlier_doc = places[id].doc,
                .action = item->description,
                .earlier_action = old->description,
                .line = item->line,
                .earlier_line = old->line,
                .number = item->number,
                .earlier_number = old->number,
                .earlier_done = old->done,
                .similarity = best,
            };
        }
        for (size_t a = 0; ok && a < later->action_count; a++) {
            places[first_item + a] = (struct item_place){i, a};
            ok = dbf__repeat_index_add(ix, &later->actions[a].words, first_item + a);
        }
        first_item += later->action_count;
    }
    dbf__repeat_index_free(ix);
    free(places);
    return ok;
}

static int by_age(const void *a, const void *b)
{
    const struct dbf_stale_action *x = a, *y = b;
    if (x->age_days != y->age_days)
        return x->age_days > y->age_days ? -1 : 1;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static bool build_stale(struct dbf_pattern_report *r)
{
    struct dbf_pattern_result *res = &r->result;
    size_t cap = 0;
    if (!dbf__date_valid(res->today))
        return true;
    for (size_t i = 0; i < r->count; i++) {
        const struct record *rec = &r->records[i];
        if (!rec->doc.counted)
            continue;
        long age = (long)dbf__date_diff(rec->doc.date, res->today);
        if (age <= res->stale_days)
            continue;
        for (size_t a = 0; a < rec->action_count; a++) {
            const struct kept_action *k = &rec->actions[a];
            if (k->done)
                continue;
            if (!grow((void **)&res->stale, res->stale_count, &cap, sizeof *res->stale))
                return false;
            res->stale[res->stale_count++] = (struct dbf_stale_action){
                .doc = i,
                .action = k->description,
                .owner = k->owner,
                .line = k->line,
                .number = k->number,
                .due = k->due,
                .age_days = age,
            };
        }
    }
    if (res->stale_count)
        qsort(res->stale, res->stale_count, sizeof *res->stale, by_age);
    return true;
}

const struct dbf_pattern_result *dbf_pattern_report_finish(struct dbf_pattern_report *report)
{
    struct dbf_pattern_result *res = &report->result;
    release_result(res);
    if (report->count)
        qsort(report->records, report->count, sizeof *report->records, by_date);
    struct dbf_date since = report->options.since;
    for (size_t i = 0; i < report->count; i++) {
        struct dbf_pattern_doc *d = &report->records[i].doc;
        d->counted = d->date.year && (!since.year || dbf__date_diff(since, d->date) >= 0);
    }
    res->docs = calloc(report->count + 1, sizeof *res->docs);
    if (!res->docs)
        return NULL;
    res->doc_count = report->count;
    for (size_t i = 0; i < report->count; i++) {
        res->docs[i] = report->records[i].doc;
        if (res->docs[i].counted) {
            res->counted++;
            res->actions += res->docs[i].actions;
            res->actions_done += res->docs[i].actions_done;
        }
    }
    if (!build_periods(report) || !build_patterns(report) || !build_repeats(report) ||
        !build_stale(report)) {
        release_result(res);
        return NULL;
    }
    return res;
}
