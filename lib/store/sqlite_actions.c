/* sqlite_actions.c: action items in SQLite: the newest revision's copy of
 * them, the server's marks, and the board across post mortems.
 *
 * A mark (its status, link, who and when) stands over the document's status
 * until a revision writes a different status for that item, or drops it;
 * the revision's transaction then deletes the mark. Every mark is also kept
 * in action_mark_history with the status it replaced. */
#include "sqlite_db.h"

#include <stdio.h>
#include <string.h>

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Deletes the mark on item NUMBER when the document's status for it
 * changes to STATUS. */
static enum dbf_store_status supersede_mark(struct dbf_store *store, int64_t id, int number,
                                            const char *status)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_MARK_SUPERSEDE);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, number);
        dbf__sq_bind_text(st, 3, status);
    }
    return dbf__sq_run(store, st);
}

static enum dbf_store_status insert_action(struct dbf_store *store, int64_t id,
                                           const struct dbf_pm_action *a)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ACTION_INSERT);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, a->number);
        dbf__sq_bind_text(st, 3, or_empty(a->description));
        dbf__sq_bind_text(st, 4, or_empty(a->owner));
        dbf__sq_bind_text(st, 5, or_empty(a->due));
        dbf__sq_bind_text(st, 6, or_empty(a->priority));
        dbf__sq_bind_text(st, 7, or_empty(a->status));
        dbf__sq_bind_text(st, 8, or_empty(a->link));
    }
    return dbf__sq_run(store, st);
}

enum dbf_store_status dbf__sq_replace_actions(struct dbf_store *store, int64_t id,
                                              const struct dbf_pm_content *content)
{
    enum dbf_store_status status = DBF_STORE_OK;
    for (size_t i = 0; status == DBF_STORE_OK && i < content->action_count; i++)
        status = supersede_mark(store, id, content->actions[i].number,
                                or_empty(content->actions[i].status));
    sqlite3_stmt *st = status == DBF_STORE_OK ? dbf__sq_stmt(store, S_ACTIONS_DELETE) : NULL;
    if (st)
        sqlite3_bind_int64(st, 1, id);
    if (status == DBF_STORE_OK)
        status = dbf__sq_run(store, st);
    for (size_t i = 0; status == DBF_STORE_OK && i < content->action_count; i++)
        status = insert_action(store, id, &content->actions[i]);
    if (status == DBF_STORE_OK && (st = dbf__sq_stmt(store, S_MARKS_ORPHANED)))
        sqlite3_bind_int64(st, 1, id);
    if (status == DBF_STORE_OK)
        status = dbf__sq_run(store, st);
    return status;
}

static bool read_action_row(sqlite3_stmt *st, void *item)
{
    struct dbf_tracked_action *a = item;
    dbf__sq_column_copy(st, 0, a->slug, sizeof a->slug);
    a->title = dbf__sq_column_dup(st, 1);
    a->owner_team = sqlite3_column_int64(st, 2);
    a->number = sqlite3_column_int(st, 3);
    a->description = dbf__sq_column_dup(st, 4);
    a->owner = dbf__sq_column_dup(st, 5);
    dbf__sq_column_copy(st, 6, a->due, sizeof a->due);
    dbf__sq_column_copy(st, 7, a->priority, sizeof a->priority);
    dbf__sq_column_copy(st, 8, a->status, sizeof a->status);
    a->link = dbf__sq_column_dup(st, 9);
    a->marked = sqlite3_column_int64(st, 10);
    dbf__sq_column_copy(st, 11, a->marked_by, sizeof a->marked_by);
    return a->title && a->description && a->owner && a->link;
}

enum dbf_store_status dbf__sq_actions(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_tracked_filter *filter,
                                      struct dbf_tracked_action **out, size_t *count)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ACTIONS);
    if (!st)
        return DBF_STORE_INTERNAL;
    dbf__sq_bind_viewer(st, viewer);
    if (filter->slug && *filter->slug)
        dbf__sq_bind_named(st, ":slug", filter->slug);
    if (filter->owner && *filter->owner)
        dbf__sq_bind_named(st, ":owner", filter->owner);
    dbf__sq_bind_named_int(st, ":team", filter->team);
    dbf__sq_bind_named_int(st, ":open_only", filter->open_only);
    void *items;
    enum dbf_store_status status =
        dbf__sq_collect(store, st, sizeof **out, read_action_row, &items, count);
    *out = items;
    return status;
}

/* The effective status of item NUMBER of post mortem ID into OLD. */
static enum dbf_store_status action_status(struct dbf_store *store, const char *slug, int64_t id,
                                           int number, char *old, size_t size)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ACTION_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, number);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        dbf__sq_column_copy(st, 0, old, size);
    else if (rc == SQLITE_DONE)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "'%.128s' has no action item %d", slug,
                                 number);
    else
        status = dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

enum dbf_store_status dbf__sq_action_mark(struct dbf_store *store, const char *slug, int number,
                                          const char *status_name, const char *link, int64_t actor)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__sq_find_pm(store, actor, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    char old[32];
    status = action_status(store, slug, pm.id, number, old, sizeof old);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    int64_t when = dbf_store_now(store);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_MARK_SET);
    if (st) {
        sqlite3_bind_int64(st, 1, pm.id);
        sqlite3_bind_int(st, 2, number);
        dbf__sq_bind_text(st, 3, status_name);
        dbf__sq_bind_text(st, 4, or_empty(link));
        dbf__sq_bind_id(st, 5, actor);
        sqlite3_bind_int64(st, 6, when);
    }
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK && !(st = dbf__sq_stmt(store, S_MARK_HISTORY)))
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_int64(st, 1, pm.id);
        sqlite3_bind_int(st, 2, number);
        dbf__sq_bind_text(st, 3, old);
        dbf__sq_bind_text(st, 4, status_name);
        dbf__sq_bind_text(st, 5, or_empty(link));
        dbf__sq_bind_id(st, 6, actor);
        sqlite3_bind_int64(st, 7, when);
        status = dbf__sq_run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char detail[600];
        snprintf(detail, sizeof detail, "#%d %s -> %s%s%.500s", number, old, status_name,
                 link && *link ? " " : "", or_empty(link));
        status = dbf__sq_audit(store, actor, "action.mark", slug, detail);
    }
    return dbf__sq_tx_end(store, status);
}
