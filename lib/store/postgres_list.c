/* postgres_list.c: listing and searching post mortems in PostgreSQL, with
 * the filters, sort orders and totals of dbf_store_pm_list().
 *
 * Search matches the words of the query, all of them, against one tsvector
 * per post mortem (title and newest revision; English stemming, accents
 * ignored where the server has unaccent) with plainto_tsquery, which takes
 * any text as plain words: nothing a person types is a syntax error.
 * Without a sort, matches come by rank. Every order ends with the id, so
 * pages never overlap.
 *
 * Matches come from search_matches() (postgres_schema.c), through the
 * GIN index alone, ranked by the lead, the title and the opening of the
 * text, kept in the row: neither reads a document from TOAST, so a search
 * costs about its number of matches, not the size of their text. Title
 * matches come first (weight A), then matches in the opening (B), then the
 * rest, each group by how often and how close the words come, and in id
 * order when that ties. */
#include "postgres_impl.h"

#include <stdint.h>
#include <string.h>

#define FROM_PLAIN "postmortems p JOIN teams t ON t.id = p.owner_team_id WHERE $9::text IS NULL"
#define MATCHES                                                                                    \
    " JOIN search_matches(plainto_tsquery('debrief_search', $9)) s ON s.postmortem_id = p.id"      \
    " WHERE TRUE"
#define FROM_SEARCH "postmortems p JOIN teams t ON t.id = p.owner_team_id" MATCHES

/* $1 is the viewer, used by PG_VISIBLE. */
#define FILTERS                                                                                    \
    " AND " PG_VISIBLE " AND ($2::text IS NULL OR p.status = $2)"                                  \
    " AND ($3::text IS NULL OR lower(p.severity) = lower($3))"                                     \
    " AND ($4::text IS NULL OR lower(p.service) = lower($4))"                                      \
    " AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM postmortem_tags g"                            \
    "      WHERE g.postmortem_id = p.id AND g.tag = lower($5)))"                                   \
    " AND ($6::text IS NULL OR (p.started <> '' AND p.started COLLATE \"C\" >= $6))"               \
    " AND ($7::text IS NULL OR (p.started <> '' AND p.started COLLATE \"C\" <= $7))"               \
    " AND ($8::bigint = 0 OR p.owner_team_id = $8)"

#define LIST(from, order)                                                                          \
    "SELECT " PG_PM_COLUMNS ", count(*) OVER () FROM " from FILTERS " ORDER BY " order             \
    " LIMIT $10 OFFSET $11"

/* How many match, for a page past the last one (which has no rows to carry
 * the window's count). */
static const struct pg_statement count_plain = {"list_count",
                                                "SELECT count(*) FROM " FROM_PLAIN FILTERS};
static const struct pg_statement count_search = {"search_count",
                                                 "SELECT count(*) FROM " FROM_SEARCH FILTERS};
/* The page by rank is chosen among narrow rows (id, rank), then joined to
 * its columns: the rows waiting for the count and the sort stay small
 * whatever the number of matches. */
static const struct pg_statement by_rank = {
    "search_rank",
    "SELECT " PG_PM_COLUMNS ", h.total FROM ("
    " SELECT p.id, s.rank, count(*) OVER () AS total FROM postmortems p" MATCHES FILTERS
    " ORDER BY s.rank DESC, p.id ASC LIMIT $10 OFFSET $11) h"
    " JOIN postmortems p ON p.id = h.id JOIN teams t ON t.id = p.owner_team_id"
    " ORDER BY h.rank DESC, h.id ASC"};

/* The statements listing and searching in one order of dbf__pm_sort and in
 * its reverse. Text sorts compare lower-cased bytes, as SQLite's NOCASE
 * does; post mortems without a started date or a severity come last. */
struct sort_order {
    struct pg_statement list, search, list_reversed, search_reversed;
};

#define ORDER(id, forward, backward)                                                               \
    {                                                                                              \
        {"list_" id, LIST(FROM_PLAIN, forward)}, {"search_" id, LIST(FROM_SEARCH, forward)},       \
            {"list_rev_" id, LIST(FROM_PLAIN, backward)},                                          \
            {"search_rev_" id, LIST(FROM_SEARCH, backward)},                                       \
    }

#define LOWER(column) "lower(" column ") COLLATE \"C\""

static const struct sort_order orders[DBF__PM_SORT_COUNT] = {
    [DBF__PM_SORT_UPDATED] =
        ORDER("updated", "p.updated DESC, p.id DESC", "p.updated ASC, p.id ASC"),
    [DBF__PM_SORT_CREATED] =
        ORDER("created", "p.created DESC, p.id DESC", "p.created ASC, p.id ASC"),
    [DBF__PM_SORT_STARTED] =
        ORDER("started", "p.started = '', p.started COLLATE \"C\" DESC, p.id DESC",
              "p.started = '', p.started COLLATE \"C\" ASC, p.id ASC"),
    [DBF__PM_SORT_SEVERITY] =
        ORDER("severity", "p.severity = '', " LOWER("p.severity") " ASC, p.id DESC",
              "p.severity = '', " LOWER("p.severity") " DESC, p.id ASC"),
    [DBF__PM_SORT_TITLE] =
        ORDER("title", LOWER("p.title") " ASC, p.id DESC", LOWER("p.title") " DESC, p.id ASC"),
};

static const char *given(const char *s)
{
    return s && *s ? s : NULL;
}

static bool read_pm_row(const PGresult *r, int row, void *item)
{
    return dbf__pg_read_pm(r, row, item, NULL);
}

enum dbf_store_status dbf__pg_pm_list(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_pm_filter *filter, const char *match,
                                      struct dbf_postmortem_list *out)
{
    out->items = NULL;
    out->count = 0;
    out->total = 0;
    enum dbf__pm_sort key;
    bool reverse;
    if (!dbf__pm_sort_parse(filter->sort, &key, &reverse))
        return dbf__store_fail(store, DBF_STORE_INVALID, "unknown order '%.40s'", filter->sort);
    bool search = match != NULL && given(filter->query);
    const struct sort_order *o = &orders[key];
    const struct pg_statement *statement = reverse ? &o->list_reversed : &o->list;
    if (search && !given(filter->sort))
        statement = &by_rank;
    else if (search)
        statement = reverse ? &o->search_reversed : &o->search;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, viewer);
    dbf__pg_param_text(&p, given(filter->status));
    dbf__pg_param_text(&p, given(filter->severity));
    dbf__pg_param_text(&p, given(filter->service));
    dbf__pg_param_text(&p, given(filter->tag));
    dbf__pg_param_text(&p, given(filter->since));
    dbf__pg_param_text(&p, given(filter->until));
    dbf__pg_param_int(&p, filter->team);
    dbf__pg_param_text(&p, search ? filter->query : NULL);
    struct pg_params counting = p;
    if (filter->limit == DBF_PM_LIST_ALL)
        dbf__pg_param_text(&p, NULL);
    else
        dbf__pg_param_int(&p, filter->limit == 0                  ? 100
                              : filter->limit > (size_t)INT64_MAX ? INT64_MAX
                                                                  : (int64_t)filter->limit);
    dbf__pg_param_int(&p, filter->offset > INT64_MAX ? INT64_MAX : (int64_t)filter->offset);

    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, statement, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    int rows = PQntuples(r);
    if (rows > 0)
        out->total = (size_t)dbf__pg_int(r, 0, 16);
    void *items;
    status = dbf__pg_collect(store, r, sizeof *out->items, read_pm_row, &items, &out->count);
    out->items = items;
    if (status == DBF_STORE_OK && rows == 0 && filter->offset > 0) {
        status = dbf__pg_run(store, search ? &count_search : &count_plain, &counting, &r);
        if (status == DBF_STORE_OK) {
            out->total = (size_t)dbf__pg_int(r, 0, 0);
            PQclear(r);
        }
    }
    if (status != DBF_STORE_OK)
        dbf_postmortem_list_release(out);
    return status;
}
