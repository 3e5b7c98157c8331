/* sqlite_access.c: who may see a restricted post mortem, in SQLite: the
 * users and teams named on it, and its visibility. */
#include "sqlite_db.h"

#include <stdio.h>
#include <string.h>

/* The id of post mortem SLUG, whoever may see it: naming people is an
 * admin's operation. */
static enum dbf_store_status pm_id(struct dbf_store *store, const char *slug, int64_t *id)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_PM_EXISTS);
    if (!st)
        return DBF_STORE_INTERNAL;
    dbf__sq_bind_text(st, 1, slug);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no post mortem '%.128s'", slug);
    else
        status = dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

/* Grants and revokes: one statement on the access list of SLUG, audited
 * when it changed something. */
static enum dbf_store_status change_access(struct dbf_store *store, enum statement id,
                                           const char *action, const char *slug, int64_t user,
                                           int64_t team)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    int64_t pm = 0;
    status = pm_id(store, slug, &pm);
    sqlite3_stmt *st = status == DBF_STORE_OK ? dbf__sq_stmt(store, id) : NULL;
    if (status == DBF_STORE_OK) {
        if (st) {
            sqlite3_bind_int64(st, 1, pm);
            dbf__sq_bind_id(st, 2, user);
            dbf__sq_bind_id(st, 3, team);
        }
        status = dbf__sq_run(store, st);
    }
    if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no %s %lld", user ? "user" : "team",
                        (long long)(user ? user : team));
    if (status == DBF_STORE_OK && dbf__sq_changes(store) > 0) {
        char detail[48];
        snprintf(detail, sizeof detail, "%s:%lld", user ? "user" : "team",
                 (long long)(user ? user : team));
        status = dbf__sq_audit(store, 0, action, slug, detail);
    }
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_pm_grant(struct dbf_store *store, const char *slug, int64_t user,
                                       int64_t team)
{
    return change_access(store, S_GRANT, "postmortem.grant", slug, user, team);
}

enum dbf_store_status dbf__sq_pm_revoke(struct dbf_store *store, const char *slug, int64_t user,
                                        int64_t team)
{
    return change_access(store, S_REVOKE, "postmortem.revoke", slug, user, team);
}

static bool read_grant_row(sqlite3_stmt *st, void *item)
{
    struct dbf_grant *g = item;
    g->user = sqlite3_column_int64(st, 0);
    g->team = sqlite3_column_int64(st, 1);
    dbf__sq_column_copy(st, 2, g->name, sizeof g->name);
    return true;
}

enum dbf_store_status dbf__sq_pm_grants(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_grant **out, size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__sq_find_pm(store, viewer, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_GRANTS);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    void *items;
    status = dbf__sq_collect(store, st, sizeof **out, read_grant_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_pm_set_visibility(struct dbf_store *store, const char *slug,
                                                enum dbf_visibility visibility, int64_t actor,
                                                const char *reason)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__sq_find_pm(store, actor, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (pm.visibility == visibility)
        return dbf__sq_tx_end(store, DBF_STORE_OK);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_PM_SET_VISIBILITY);
    if (st) {
        dbf__sq_bind_text(st, 1, dbf_visibility_name(visibility));
        sqlite3_bind_int64(st, 2, dbf_store_now(store));
        sqlite3_bind_int64(st, 3, pm.id);
    }
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK) {
        char detail[600];
        snprintf(detail, sizeof detail, "%s -> %s%s%.500s", dbf_visibility_name(pm.visibility),
                 dbf_visibility_name(visibility), *reason ? ": " : "", reason);
        status = dbf__sq_audit(store, actor, "postmortem.visibility", slug, detail);
    }
    return dbf__sq_tx_end(store, status);
}
