/* sqlite_list.c: lists of post mortems in SQLite: filters, full-text
 * search, the orders of dbf__pm_sort, paging, and the total ignoring the
 * page.
 *
 * An ORDER BY cannot be a parameter, so each order (and the search rank)
 * is a statement of its own, put together and prepared on first use and
 * kept for the connection like the others. */
#include "sqlite_db.h"

#include <stdio.h>
#include <stdlib.h>

/* ORDER BY clauses by dbf__pm_sort, natural then reversed. */
static const char *const orders[DBF__PM_SORT_COUNT][2] = {
    [DBF__PM_SORT_UPDATED] = {"p.updated DESC, p.id DESC", "p.updated ASC, p.id ASC"},
    [DBF__PM_SORT_CREATED] = {"p.created DESC, p.id DESC", "p.created ASC, p.id ASC"},
    [DBF__PM_SORT_STARTED] = {"p.started = '', p.started DESC, p.id DESC",
                              "p.started = '', p.started ASC, p.id ASC"},
    [DBF__PM_SORT_SEVERITY] = {"p.severity = '', p.severity COLLATE NOCASE ASC, p.id DESC",
                               "p.severity = '', p.severity COLLATE NOCASE DESC, p.id ASC"},
    [DBF__PM_SORT_TITLE] = {"p.title COLLATE NOCASE ASC, p.id DESC",
                            "p.title COLLATE NOCASE DESC, p.id ASC"},
};

#define RANK_ORDER (SQ_LIST_ORDERS - 1)

static sqlite3_stmt *list_statement(struct dbf_store *store, bool search, int order)
{
    sqlite3_stmt **slot = &dbf__sq(store)->lists[search][order];
    if (*slot)
        return dbf__sq_cached(store, slot, NULL);
    const char *by = order == RANK_ORDER ? "bm25(postmortem_search, 4.0, 1.0), p.id"
                                         : orders[order / 2][order % 2];
    char sql[4096];
    int n = snprintf(sql, sizeof sql,
                     "SELECT " SQ_PM_COLUMNS " FROM %s WHERE %s" SQ_VISIBLE SQ_LIST_FILTERS
                     " ORDER BY %s LIMIT :limit OFFSET :offset",
                     search ? SQ_SEARCH_FROM : SQ_LIST_FROM, search ? SQ_SEARCH_MATCH : "", by);
    if (n < 0 || (size_t)n >= sizeof sql) {
        dbf__store_fail(store, DBF_STORE_INTERNAL, "a list statement is too long");
        return NULL;
    }
    return dbf__sq_cached(store, slot, sql);
}

static void bind_filter(sqlite3_stmt *st, int64_t viewer, const struct dbf_pm_filter *filter,
                        const char *match)
{
    static const struct {
        const char *name;
        size_t offset;
    } texts[] = {
        {":status", offsetof(struct dbf_pm_filter, status)},
        {":severity", offsetof(struct dbf_pm_filter, severity)},
        {":service", offsetof(struct dbf_pm_filter, service)},
        {":tag", offsetof(struct dbf_pm_filter, tag)},
        {":since", offsetof(struct dbf_pm_filter, since)},
        {":until", offsetof(struct dbf_pm_filter, until)},
    };
    dbf__sq_bind_viewer(st, viewer);
    if (match)
        dbf__sq_bind_named(st, ":match", match);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const char *value = *(const char *const *)((const char *)filter + texts[i].offset);
        if (value && *value)
            dbf__sq_bind_named(st, texts[i].name, value);
    }
    dbf__sq_bind_named_int(st, ":team", filter->team);
}

static bool read_pm_row(sqlite3_stmt *st, void *item)
{
    return dbf__sq_read_pm(st, item, NULL);
}

static enum dbf_store_status count_all(struct dbf_store *store, int64_t viewer,
                                       const struct dbf_pm_filter *filter, const char *match,
                                       size_t *total)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, match ? S_COUNT_SEARCH : S_COUNT_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    bind_filter(st, viewer, filter, match);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        *total = (size_t)sqlite3_column_int64(st, 0);
    else
        status = dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

enum dbf_store_status dbf__sq_pm_list(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_pm_filter *filter, const char *match,
                                      struct dbf_postmortem_list *out)
{
    enum dbf__pm_sort key;
    bool reverse;
    if (!dbf__pm_sort_parse(filter->sort, &key, &reverse))
        return dbf__store_fail(store, DBF_STORE_INVALID, "unknown order '%.40s'", filter->sort);
    bool sorted = filter->sort && *filter->sort;
    int order = match && !sorted ? RANK_ORDER : (int)key * 2 + reverse;
    sqlite3_stmt *st = list_statement(store, match != NULL, order);
    if (!st)
        return DBF_STORE_INTERNAL;
    bind_filter(st, viewer, filter, match);
    /* SQLite reads a negative limit as none. */
    int64_t limit = filter->limit == 0                  ? 100
                    : filter->limit == DBF_PM_LIST_ALL  ? -1
                    : filter->limit > (size_t)INT64_MAX ? INT64_MAX
                                                        : (int64_t)filter->limit;
    int64_t offset = filter->offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)filter->offset;
    dbf__sq_bind_named_int(st, ":limit", limit);
    dbf__sq_bind_named_int(st, ":offset", offset);
    void *items;
    enum dbf_store_status status =
        dbf__sq_collect(store, st, sizeof *out->items, read_pm_row, &items, &out->count);
    out->items = items;
    if (status == DBF_STORE_OK)
        status = count_all(store, viewer, filter, match, &out->total);
    if (status != DBF_STORE_OK)
        dbf_postmortem_list_release(out);
    return status;
}
