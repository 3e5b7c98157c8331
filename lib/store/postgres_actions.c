/* postgres_actions.c: the action items of post mortems in PostgreSQL: the
 * copies each revision writes, the statuses the server sets on them, and
 * the list across post mortems.
 *
 * A mark (the status the server set) stands until the document's own
 * status for that item changes in a later revision, or the item goes. */
#include "postgres_impl.h"

#include <stdio.h>
#include <string.h>

/* The server's mark wins over the document's status while it stands; an
 * item without a status is open. */
#define ACTION_STATUS "coalesce(k.status, nullif(a.status, ''), 'open')"

static const struct pg_statement actions_delete = {
    "actions_delete", "DELETE FROM postmortem_actions WHERE postmortem_id = $1"};
static const struct pg_statement action_insert = {
    "action_insert",
    "INSERT INTO postmortem_actions (postmortem_id, number, description,"
    " owner, due, priority, status, link) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
static const struct pg_statement mark_supersede = {
    "mark_supersede", "DELETE FROM action_marks WHERE postmortem_id = $1 AND number = $2"
                      " AND EXISTS (SELECT 1 FROM postmortem_actions a"
                      " WHERE a.postmortem_id = $1 AND a.number = $2 AND a.status <> $3)"};
static const struct pg_statement marks_orphaned = {
    "marks_orphaned", "DELETE FROM action_marks WHERE postmortem_id = $1 AND number NOT IN"
                      " (SELECT number FROM postmortem_actions WHERE postmortem_id = $1)"};
static const struct pg_statement action_status = {
    "action_get", "SELECT " ACTION_STATUS " FROM postmortem_actions a"
                  " LEFT JOIN action_marks k ON k.postmortem_id = a.postmortem_id"
                  " AND k.number = a.number WHERE a.postmortem_id = $1 AND a.number = $2"};
static const struct pg_statement mark_set = {
    "mark_set", "INSERT INTO action_marks (postmortem_id, number, status, link, actor_id,"
                " created) VALUES ($1, $2, $3, $4, $5, $6)"
                " ON CONFLICT (postmortem_id, number) DO UPDATE"
                " SET status = EXCLUDED.status, link = EXCLUDED.link,"
                " actor_id = EXCLUDED.actor_id, created = EXCLUDED.created"};
static const struct pg_statement mark_history = {
    "mark_history", "INSERT INTO action_mark_history (postmortem_id, number, old_status,"
                    " new_status, link, actor_id, created) VALUES ($1, $2, $3, $4, $5, $6, $7)"};
/* $1 is the viewer, used by PG_VISIBLE. */
static const struct pg_statement action_list = {
    "actions", "SELECT p.slug, p.title, p.owner_team_id, a.number, a.description, a.owner,"
               " a.due, a.priority, " ACTION_STATUS ","
               " CASE WHEN k.link <> '' THEN k.link ELSE a.link END,"
               " coalesce(k.created, 0), coalesce(u.name, '')"
               " FROM postmortem_actions a JOIN postmortems p ON p.id = a.postmortem_id"
               " LEFT JOIN action_marks k ON k.postmortem_id = a.postmortem_id"
               " AND k.number = a.number LEFT JOIN users u ON u.id = k.actor_id"
               " WHERE " PG_VISIBLE " AND ($2::text IS NULL OR p.slug = $2)"
               " AND ($3::text IS NULL OR lower(a.owner) = lower($3))"
               " AND ($4::bigint = 0 OR p.owner_team_id = $4)"
               " AND (NOT $5::boolean OR " ACTION_STATUS " NOT IN ('done', 'wont-do'))"
               " ORDER BY a.due = '', a.due COLLATE \"C\", p.slug COLLATE \"C\", a.number"};

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

enum dbf_store_status dbf__pg_actions_replace(struct dbf_store *store, int64_t id,
                                              const struct dbf_pm_content *content)
{
    enum dbf_store_status status = DBF_STORE_OK;
    /* Marks whose item the document now gives another status go first,
     * while the old items are still there to compare with. */
    for (size_t i = 0; status == DBF_STORE_OK && i < content->action_count; i++) {
        struct pg_params p = {0};
        dbf__pg_param_int(&p, id);
        dbf__pg_param_int(&p, content->actions[i].number);
        dbf__pg_param_text(&p, or_empty(content->actions[i].status));
        status = dbf__pg_run(store, &mark_supersede, &p, NULL);
    }
    struct pg_params p = {0};
    dbf__pg_param_int(&p, id);
    if (status == DBF_STORE_OK)
        status = dbf__pg_run(store, &actions_delete, &p, NULL);
    for (size_t i = 0; status == DBF_STORE_OK && i < content->action_count; i++) {
        const struct dbf_pm_action *a = &content->actions[i];
        struct pg_params q = {0};
        dbf__pg_param_int(&q, id);
        dbf__pg_param_int(&q, a->number);
        dbf__pg_param_text(&q, or_empty(a->description));
        dbf__pg_param_text(&q, or_empty(a->owner));
        dbf__pg_param_text(&q, or_empty(a->due));
        dbf__pg_param_text(&q, or_empty(a->priority));
        dbf__pg_param_text(&q, or_empty(a->status));
        dbf__pg_param_text(&q, or_empty(a->link));
        status = dbf__pg_run(store, &action_insert, &q, NULL);
    }
    if (status == DBF_STORE_OK)
        status = dbf__pg_run(store, &marks_orphaned, &p, NULL);
    return status;
}

enum dbf_store_status dbf__pg_action_mark(struct dbf_store *store, const char *slug, int number,
                                          const char *status_to, const char *link, int64_t actor)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__pg_find_pm(store, actor, slug, true, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    dbf__pg_param_int(&p, number);
    PGresult *r;
    status = dbf__pg_run(store, &action_status, &p, &r);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    char old[32] = "";
    bool found = PQntuples(r) == 1;
    if (found)
        dbf__pg_copy(r, 0, 0, old, sizeof old);
    PQclear(r);
    if (!found)
        return dbf__pg_tx_end(store,
                              dbf__store_fail(store, DBF_STORE_NOT_FOUND,
                                              "'%.128s' has no action item %d", slug, number));
    int64_t when = dbf_store_now(store);
    dbf__pg_param_text(&p, status_to);
    dbf__pg_param_text(&p, or_empty(link));
    dbf__pg_param_id(&p, actor);
    dbf__pg_param_int(&p, when);
    status = dbf__pg_run(store, &mark_set, &p, NULL);
    if (status == DBF_STORE_OK) {
        p = (struct pg_params){0};
        dbf__pg_param_int(&p, pm.id);
        dbf__pg_param_int(&p, number);
        dbf__pg_param_text(&p, old);
        dbf__pg_param_text(&p, status_to);
        dbf__pg_param_text(&p, or_empty(link));
        dbf__pg_param_id(&p, actor);
        dbf__pg_param_int(&p, when);
        status = dbf__pg_run(store, &mark_history, &p, NULL);
    }
    if (status == DBF_STORE_OK) {
        char detail[600];
        snprintf(detail, sizeof detail, "#%d %s -> %s%s%.500s", number, old, status_to,
                 link && *link ? " " : "", or_empty(link));
        status = dbf__pg_audit(store, actor, "action.mark", slug, detail);
    }
    return dbf__pg_tx_end(store, status);
}

static bool read_action_row(const PGresult *r, int row, void *item)
{
    struct dbf_tracked_action *a = item;
    dbf__pg_copy(r, row, 0, a->slug, sizeof a->slug);
    a->title = dbf__pg_dup(r, row, 1);
    a->owner_team = dbf__pg_int(r, row, 2);
    a->number = (int)dbf__pg_int(r, row, 3);
    a->description = dbf__pg_dup(r, row, 4);
    a->owner = dbf__pg_dup(r, row, 5);
    dbf__pg_copy(r, row, 6, a->due, sizeof a->due);
    dbf__pg_copy(r, row, 7, a->priority, sizeof a->priority);
    dbf__pg_copy(r, row, 8, a->status, sizeof a->status);
    a->link = dbf__pg_dup(r, row, 9);
    a->marked = dbf__pg_int(r, row, 10);
    dbf__pg_copy(r, row, 11, a->marked_by, sizeof a->marked_by);
    return a->title && a->description && a->owner && a->link;
}

enum dbf_store_status dbf__pg_actions(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_tracked_filter *filter,
                                      struct dbf_tracked_action **out, size_t *count)
{
    static const struct dbf_tracked_filter none;
    if (!filter)
        filter = &none;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, viewer);
    dbf__pg_param_text(&p, filter->slug && *filter->slug ? filter->slug : NULL);
    dbf__pg_param_text(&p, filter->owner && *filter->owner ? filter->owner : NULL);
    dbf__pg_param_int(&p, filter->team);
    dbf__pg_param_text(&p, filter->open_only ? "true" : "false");
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &action_list, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_action_row, &items, count);
    *out = items;
    return status;
}
