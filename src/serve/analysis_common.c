/* analysis_common.c: dates, today by the store's clock, the newest text of
 * a post mortem, and the action items and patterns of the post mortems a
 * user may see, for the routes and pages of action items and patterns. */
#include "analysis.h"
#include "page_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool analysis_parse_date(const char *text, struct dbf_date *out)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
            return false;
    }
    int y = 0, m = 0, d = 0;
    if (sscanf(text, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    /* timegm normalises 2026-02-30 to March: a date that moves is no date. */
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    struct tm back;
    if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != d || back.tm_mon != m - 1)
        return false;
    *out = (struct dbf_date){y, m, d};
    return true;
}

bool analysis_query_date(h2o_req_t *req, const char *name, struct dbf_date *out)
{
    const char *text = request_query(req, name);
    if (!text)
        return true;
    if (analysis_parse_date(text, out))
        return true;
    char message[160];
    snprintf(message, sizeof message, "'%s' takes a date as YYYY-MM-DD", name);
    respond_error(req, 400, "bad_request", message);
    return false;
}

struct dbf_date analysis_today(struct serve_app *app)
{
    time_t now = (time_t)dbf_store_now(app->store);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return (struct dbf_date){0, 0, 0};
    return (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* Revision PM->revision of PM (the newest, as a list read said), parsed
 * with the slug as its path into *DOC; *DOC NULL with DBF_STORE_OK when
 * the text cannot be parsed (left out, as the CLI leaves out a file it
 * cannot read); NOT_FOUND when it is gone from VIEWER's sight since. */
static enum dbf_store_status revision_doc(struct serve_app *app, int64_t viewer,
                                          const struct dbf_postmortem *pm, struct dbf_doc **doc)
{
    *doc = NULL;
    struct dbf_revision rev;
    enum dbf_store_status st =
        dbf_store_revision_get(app->store, viewer, pm->slug, pm->revision, &rev);
    if (st != DBF_STORE_OK)
        return st;
    char err[256];
    *doc = dbf_doc_parse(pm->slug, rev.markdown ? rev.markdown : "", rev.length, err, sizeof err);
    dbf_revision_release(&rev);
    return DBF_STORE_OK;
}

/* Are done and wont-do closed, open and in-progress not? */
static bool status_closed(const char *status)
{
    return strcmp(status, "done") == 0 || strcmp(status, "wont-do") == 0;
}

bool analysis_action_status_known(const char *status)
{
    static const char *const names[] = {"open", "done", "in-progress", "wont-do"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(status, names[i]) == 0)
            return true;
    }
    return false;
}

static int tracked_compare(const void *a, const void *b)
{
    const struct dbf_tracked_action *x = a, *y = b;
    int c = strcmp(x->slug, y->slug);
    return c ? c : (x->number > y->number) - (x->number < y->number);
}

/* The tracked item NUMBER of SLUG in TRACKED (sorted by tracked_compare). */
static const struct dbf_tracked_action *tracked_find(const struct dbf_tracked_action *tracked,
                                                     size_t count, const char *slug, int number)
{
    if (!count)
        return NULL;
    struct dbf_tracked_action key;
    snprintf(key.slug, sizeof key.slug, "%s", slug);
    key.number = number;
    return bsearch(&key, tracked, count, sizeof *tracked, tracked_compare);
}

const struct dbf_tracked_action *analysis_actions_tracked(const struct analysis_actions *actions,
                                                          const struct dbf_action_item *item)
{
    return tracked_find(actions->tracked, actions->tracked_count, item->postmortem, item->order);
}

/* The tracker's statuses and links laid over a post mortem's items. */
struct overlay {
    const struct dbf_tracked_action *tracked;
    size_t count;
};

static void lay_over(void *ctx, struct dbf_action_item *item)
{
    const struct overlay *o = ctx;
    const struct dbf_tracked_action *t =
        tracked_find(o->tracked, o->count, item->postmortem, item->order);
    if (!t)
        return;
    item->done = status_closed(t->status);
    if (t->marked)
        item->link = t->link;
}

static void drop_list(void *value)
{
    dbf_action_list_free(value);
}

/* Adds the action items of PM's newest revision (as the list read says it
 * is) to LIST with the tracker's statuses over them. The items a revision
 * writes never change, so they are parsed once and kept in the page cache
 * under the post mortem and the revision; NOT_FOUND when the revision is
 * gone from sight since the list was read. */
static enum dbf_store_status add_revision_actions(struct serve_app *app, int64_t viewer,
                                                  const struct dbf_postmortem *pm,
                                                  struct dbf_action_list *list,
                                                  struct overlay *overlay)
{
    char key[64 + DBF_STORE_SLUG_MAX];
    snprintf(key, sizeof key, "actions/%lld/%d", (long long)pm->id, pm->revision);
    const struct dbf_action_list *kept = page_cache_get(app->pages, key);
    if (kept)
        return dbf_action_list_add_list(list, kept, lay_over, overlay) ? DBF_STORE_OK
                                                                       : DBF_STORE_INTERNAL;
    struct dbf_doc *doc;
    enum dbf_store_status st = revision_doc(app, viewer, pm, &doc);
    if (!doc)
        return st;
    doc->meta.id.text = pm->slug;
    struct dbf_action_list *own = dbf_action_list_new((struct dbf_date){0, 0, 0});
    bool made = own && dbf_action_list_add(own, doc);
    dbf_doc_free(doc);
    if (!made) { /* not kept: a list short of items would stand for the revision */
        dbf_action_list_free(own);
        return DBF_STORE_INTERNAL;
    }
    bool ok = dbf_action_list_add_list(list, own, lay_over, overlay);
    page_cache_put(app->pages, key, own, dbf_action_list_bytes(own), drop_list);
    return ok ? DBF_STORE_OK : DBF_STORE_INTERNAL;
}

enum dbf_store_status analysis_actions_gather(struct serve_app *app, int64_t viewer,
                                              const struct analysis_action_query *q,
                                              struct analysis_actions *out)
{
    memset(out, 0, sizeof *out);
    out->list = dbf_action_list_new(q->today);
    if (!out->list)
        return DBF_STORE_INTERNAL;
    struct dbf_tracked_filter tf = {.slug = q->slug, .team = q->team};
    enum dbf_store_status st =
        dbf_store_actions(app->store, viewer, &tf, &out->tracked, &out->tracked_count);
    if (st != DBF_STORE_OK)
        return st;
    if (out->tracked_count)
        qsort(out->tracked, out->tracked_count, sizeof *out->tracked, tracked_compare);
    struct dbf_postmortem_list pms = {0};
    if (q->slug) {
        pms.items = calloc(1, sizeof *pms.items);
        if (!pms.items)
            return DBF_STORE_INTERNAL;
        st = dbf_store_pm_get(app->store, viewer, q->slug, &pms.items[0]);
        pms.count = st == DBF_STORE_OK ? 1 : 0;
    } else {
        struct dbf_pm_filter pf = {.team = q->team, .sort = "created", .limit = DBF_PM_LIST_ALL};
        st = dbf_store_pm_list(app->store, viewer, &pf, &pms);
    }
    struct overlay overlay = {out->tracked, out->tracked_count};
    for (size_t i = 0; i < pms.count && st == DBF_STORE_OK; i++) {
        st = add_revision_actions(app, viewer, &pms.items[i], out->list, &overlay);
        if (st == DBF_STORE_NOT_FOUND && !q->slug)
            st = DBF_STORE_OK; /* hidden since the list was read */
    }
    dbf_postmortem_list_release(&pms);
    if (st != DBF_STORE_OK)
        return st;
    dbf_action_list_filter(out->list, &q->filter);
    dbf_action_list_sort(out->list);
    return DBF_STORE_OK;
}

void analysis_actions_release(struct analysis_actions *actions)
{
    dbf_tracked_actions_free(actions->tracked, actions->tracked_count);
    dbf_action_list_free(actions->list);
    memset(actions, 0, sizeof *actions);
}

/* Is DATE after LIMIT? */
static bool date_after(struct dbf_date date, struct dbf_date limit)
{
    if (date.year != limit.year)
        return date.year > limit.year;
    if (date.month != limit.month)
        return date.month > limit.month;
    return date.day > limit.day;
}

static void drop_entry(void *value)
{
    dbf_pattern_entry_free(value);
}

/* Is ENTRY's post mortem dated at latest UNTIL (year 0: no limit), or
 * undated? */
static bool dated_until(const struct dbf_pattern_entry *entry, struct dbf_date until)
{
    struct dbf_date date = dbf_pattern_entry_date(entry);
    return !until.year || !date.year || !date_after(date, until);
}

/* Adds what REPORT keeps of PM's newest revision (as the list read says it
 * is) unless it is dated after UNTIL. That depends only on the revision and
 * on the review's configuration, fixed for the process but for the day its
 * date rules use (DAY), so it is worked out once and kept in the page cache
 * under the three when KEEP; NOT_FOUND when the revision is gone from sight
 * since the list was read. */
static enum dbf_store_status add_revision_entry(struct serve_app *app, int64_t viewer,
                                                const struct dbf_postmortem *pm,
                                                struct dbf_date day, bool keep,
                                                struct dbf_date until,
                                                struct dbf_pattern_report *report)
{
    char key[96];
    snprintf(key, sizeof key, "patterns/%lld/%d/%04d-%02d-%02d", (long long)pm->id, pm->revision,
             day.year, day.month, day.day);
    const struct dbf_pattern_entry *kept = page_cache_get(app->pages, key);
    if (kept)
        return !dated_until(kept, until) || dbf_pattern_report_add_entry(report, kept)
                   ? DBF_STORE_OK
                   : DBF_STORE_INTERNAL;
    struct dbf_doc *doc;
    enum dbf_store_status st = revision_doc(app, viewer, pm, &doc);
    if (!doc)
        return st;
    struct dbf_pattern_entry *made = dbf_pattern_entry_new(report, doc);
    dbf_doc_free(doc);
    if (!made)
        return DBF_STORE_INTERNAL;
    bool ok = !dated_until(made, until) || dbf_pattern_report_add_entry(report, made);
    if (keep)
        page_cache_put(app->pages, key, made, dbf_pattern_entry_bytes(made), drop_entry);
    else
        dbf_pattern_entry_free(made);
    return ok ? DBF_STORE_OK : DBF_STORE_INTERNAL;
}

enum dbf_store_status analysis_patterns_add_visible(struct serve_app *app, int64_t viewer,
                                                    struct dbf_date day, struct dbf_date until,
                                                    struct dbf_pattern_report *report)
{
    struct dbf_pm_filter filter = {.sort = "created", .limit = DBF_PM_LIST_ALL};
    struct dbf_postmortem_list list;
    enum dbf_store_status st = dbf_store_pm_list(app->store, viewer, &filter, &list);
    if (st != DBF_STORE_OK)
        return st;
    /* Entries are kept for the server's own day (or none) only: a day
     * named in the query must not push out what every visit uses. */
    struct dbf_date today = analysis_today(app);
    bool keep = !day.year || (!date_after(day, today) && !date_after(today, day));
    for (size_t i = 0; i < list.count && st == DBF_STORE_OK; i++) {
        st = add_revision_entry(app, viewer, &list.items[i], day, keep, until, report);
        if (st == DBF_STORE_NOT_FOUND)
            st = DBF_STORE_OK; /* removed from sight since the list was read */
    }
    dbf_postmortem_list_release(&list);
    return st;
}
