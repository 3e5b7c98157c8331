/* sqlite_workflow.c: the life of a post mortem in SQLite: workflow moves,
 * approvals, owners, comments, and the audit log they write.
 *
 * Each move into review starts a new review round; an approval belongs to
 * the round it was given in, so leaving review and coming back starts
 * again with none. */
#include "sqlite_db.h"

#include <stdio.h>
#include <string.h>

enum dbf_store_status dbf__sq_transition(struct dbf_store *store, const char *slug,
                                         enum dbf_pm_status to, int64_t actor, const char *reason)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__sq_find_pm(store, actor, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (!dbf__store_move_allowed(pm.status, to))
        return dbf__sq_tx_end(
            store, dbf__store_fail(store, DBF_STORE_INVALID, "'%s' cannot go from %s to %s", slug,
                                   dbf_pm_status_name(pm.status), dbf_pm_status_name(to)));
    if (pm.status == DBF_PM_PUBLISHED && !*reason)
        return dbf__sq_tx_end(store, dbf__store_fail(store, DBF_STORE_INVALID,
                                                     "reopening '%s' needs a reason", slug));
    int64_t when = dbf_store_now(store);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_PM_SET_STATUS);
    if (st) {
        dbf__sq_bind_text(st, 1, dbf_pm_status_name(to));
        sqlite3_bind_int64(st, 2, when);
        sqlite3_bind_int(st, 3, to == DBF_PM_REVIEW);
        sqlite3_bind_int64(st, 4, pm.id);
    }
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK && !(st = dbf__sq_stmt(store, S_STATE_INSERT)))
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_int64(st, 1, pm.id);
        dbf__sq_bind_text(st, 2, dbf_pm_status_name(pm.status));
        dbf__sq_bind_text(st, 3, dbf_pm_status_name(to));
        dbf__sq_bind_id(st, 4, actor);
        dbf__sq_bind_text(st, 5, reason);
        sqlite3_bind_int64(st, 6, when);
        status = dbf__sq_run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char detail[600];
        snprintf(detail, sizeof detail, "%s -> %s%s%.500s", dbf_pm_status_name(pm.status),
                 dbf_pm_status_name(to), *reason ? ": " : "", reason);
        status = dbf__sq_audit(
            store, actor, pm.status == DBF_PM_PUBLISHED ? "postmortem.reopen" : "postmortem.move",
            slug, detail);
    }
    return dbf__sq_tx_end(store, status);
}

static bool read_state_row(sqlite3_stmt *st, void *item)
{
    struct dbf_state_change *c = item;
    dbf_pm_status_parse((const char *)sqlite3_column_text(st, 0), &c->from);
    dbf_pm_status_parse((const char *)sqlite3_column_text(st, 1), &c->to);
    c->actor = sqlite3_column_int64(st, 2);
    dbf__sq_column_copy(st, 3, c->actor_name, sizeof c->actor_name);
    c->reason = dbf__sq_column_dup(st, 4);
    c->created = sqlite3_column_int64(st, 5);
    return c->reason != NULL;
}

/* Runs the list statement ID over the rows of post mortem SLUG, when VIEWER
 * may see it; with BY_ROUND, its review round is bound second. */
static enum dbf_store_status list_of_pm(struct dbf_store *store, int64_t viewer, const char *slug,
                                        enum statement id, bool by_round, size_t size,
                                        bool (*read)(sqlite3_stmt *, void *), void **out,
                                        size_t *count)
{
    struct dbf_postmortem pm;
    int round = 0;
    enum dbf_store_status status = dbf__sq_find_pm(store, viewer, slug, &pm, &round);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = dbf__sq_stmt(store, id);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    if (by_round)
        sqlite3_bind_int(st, 2, round);
    return dbf__sq_collect(store, st, size, read, out, count);
}

enum dbf_store_status dbf__sq_state_changes(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_state_change **out,
                                            size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, S_STATE_LIST, false,
                                              sizeof **out, read_state_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_approve(struct dbf_store *store, const char *slug, int64_t reviewer,
                                      const char *note)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    int round = 0;
    status = dbf__sq_find_pm(store, reviewer, slug, &pm, &round);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (pm.status != DBF_PM_REVIEW)
        return dbf__sq_tx_end(store, dbf__store_fail(store, DBF_STORE_INVALID,
                                                     "'%s' is not in review but %s", slug,
                                                     dbf_pm_status_name(pm.status)));
    sqlite3_stmt *st = dbf__sq_stmt(store, S_APPROVE);
    if (st) {
        sqlite3_bind_int64(st, 1, pm.id);
        sqlite3_bind_int(st, 2, round);
        sqlite3_bind_int64(st, 3, reviewer);
        sqlite3_bind_int(st, 4, pm.revision);
        dbf__sq_bind_text(st, 5, note);
        sqlite3_bind_int64(st, 6, dbf_store_now(store));
    }
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no user %lld", (long long)reviewer);
    if (status == DBF_STORE_OK) {
        char detail[32];
        snprintf(detail, sizeof detail, "revision %d", pm.revision);
        status = dbf__sq_audit(store, reviewer, "postmortem.approve", slug, detail);
    }
    return dbf__sq_tx_end(store, status);
}

static bool read_approval_row(sqlite3_stmt *st, void *item)
{
    struct dbf_approval *a = item;
    a->reviewer = sqlite3_column_int64(st, 0);
    dbf__sq_column_copy(st, 1, a->reviewer_name, sizeof a->reviewer_name);
    a->revision = sqlite3_column_int(st, 2);
    a->note = dbf__sq_column_dup(st, 3);
    a->created = sqlite3_column_int64(st, 4);
    return a->note != NULL;
}

enum dbf_store_status dbf__sq_approvals(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_approval **out, size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, S_APPROVALS, true, sizeof **out,
                                              read_approval_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_pm_reassign(struct dbf_store *store, const char *slug, int64_t team,
                                          int64_t actor, const char *reason)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__sq_find_pm(store, actor, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    int64_t when = dbf_store_now(store);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_PM_SET_OWNER);
    if (st) {
        sqlite3_bind_int64(st, 1, team);
        sqlite3_bind_int64(st, 2, when);
        sqlite3_bind_int64(st, 3, pm.id);
    }
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no team %lld", (long long)team);
    if (status == DBF_STORE_OK && !(st = dbf__sq_stmt(store, S_OWNER_INSERT)))
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_int64(st, 1, pm.id);
        sqlite3_bind_int64(st, 2, pm.owner_team);
        sqlite3_bind_int64(st, 3, team);
        dbf__sq_bind_id(st, 4, actor);
        dbf__sq_bind_text(st, 5, reason);
        sqlite3_bind_int64(st, 6, when);
        status = dbf__sq_run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "team:%lld -> team:%lld", (long long)pm.owner_team,
                 (long long)team);
        status = dbf__sq_audit(store, actor, "postmortem.reassign", slug, detail);
    }
    return dbf__sq_tx_end(store, status);
}

static bool read_owner_row(sqlite3_stmt *st, void *item)
{
    struct dbf_ownership_change *c = item;
    c->from_team = sqlite3_column_int64(st, 0);
    c->to_team = sqlite3_column_int64(st, 1);
    dbf__sq_column_copy(st, 2, c->from_name, sizeof c->from_name);
    dbf__sq_column_copy(st, 3, c->to_name, sizeof c->to_name);
    c->actor = sqlite3_column_int64(st, 4);
    dbf__sq_column_copy(st, 5, c->actor_name, sizeof c->actor_name);
    c->reason = dbf__sq_column_dup(st, 6);
    c->created = sqlite3_column_int64(st, 7);
    return c->reason != NULL;
}

enum dbf_store_status dbf__sq_ownership_changes(struct dbf_store *store, int64_t viewer,
                                                const char *slug, struct dbf_ownership_change **out,
                                                size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, S_OWNER_LIST, false,
                                              sizeof **out, read_owner_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_comment_add(struct dbf_store *store, const char *slug, int64_t author,
                                          const char *body, int64_t *id)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__sq_find_pm(store, author, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_COMMENT_ADD);
    if (st) {
        sqlite3_bind_int64(st, 1, pm.id);
        dbf__sq_bind_id(st, 2, author);
        dbf__sq_bind_text(st, 3, body);
        sqlite3_bind_int64(st, 4, dbf_store_now(store));
    }
    status = dbf__sq_run(store, st);
    int64_t new_id = sqlite3_last_insert_rowid(dbf__sq(store)->db);
    if (status == DBF_STORE_OK) {
        char detail[32];
        snprintf(detail, sizeof detail, "comment:%lld", (long long)new_id);
        status = dbf__sq_audit(store, author, "comment.add", slug, detail);
    }
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__sq_tx_end(store, status);
}

static bool read_comment_row(sqlite3_stmt *st, void *item)
{
    struct dbf_comment *c = item;
    c->id = sqlite3_column_int64(st, 0);
    c->author = sqlite3_column_int64(st, 1);
    dbf__sq_column_copy(st, 2, c->author_name, sizeof c->author_name);
    c->body = dbf__sq_column_dup(st, 3);
    c->created = sqlite3_column_int64(st, 4);
    return c->body != NULL;
}

enum dbf_store_status dbf__sq_comments(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_comment **out, size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, S_COMMENTS, false, sizeof **out,
                                              read_comment_row, &items, count);
    *out = items;
    return status;
}

static bool read_audit_row(sqlite3_stmt *st, void *item)
{
    struct dbf_audit_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    e->actor = sqlite3_column_int64(st, 1);
    dbf__sq_column_copy(st, 2, e->actor_name, sizeof e->actor_name);
    dbf__sq_column_copy(st, 3, e->action, sizeof e->action);
    e->target = dbf__sq_column_dup(st, 4);
    e->detail = dbf__sq_column_dup(st, 5);
    e->created = sqlite3_column_int64(st, 6);
    return e->target && e->detail;
}

enum dbf_store_status dbf__sq_audit_list(struct dbf_store *store, size_t limit,
                                         struct dbf_audit_entry **out, size_t *count)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_AUDIT_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
    void *items;
    enum dbf_store_status status =
        dbf__sq_collect(store, st, sizeof **out, read_audit_row, &items, count);
    *out = items;
    return status;
}
