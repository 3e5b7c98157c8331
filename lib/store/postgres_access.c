/* postgres_access.c: who may see a restricted post mortem, in PostgreSQL:
 * the users and teams named on it, and its visibility. */
#include "postgres_impl.h"

#include <stdio.h>
#include <string.h>

static const struct pg_statement pm_by_slug_any = {"pm_exists",
                                                   "SELECT id FROM postmortems WHERE slug = $1"};
static const struct pg_statement grant_insert = {
    "grant", "INSERT INTO postmortem_access (postmortem_id, user_id, team_id)"
             " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"};
static const struct pg_statement grant_delete = {
    "revoke", "DELETE FROM postmortem_access WHERE postmortem_id = $1"
              " AND (user_id = $2 OR team_id = $3)"};
static const struct pg_statement grant_list = {
    "grants", "SELECT coalesce(a.user_id, 0), coalesce(a.team_id, 0),"
              " coalesce(u.name, t.name, '') FROM postmortem_access a"
              " LEFT JOIN users u ON u.id = a.user_id LEFT JOIN teams t ON t.id = a.team_id"
              " WHERE a.postmortem_id = $1 ORDER BY a.user_id IS NULL, coalesce(u.name, t.name, "
              "'') COLLATE \"C\""};
static const struct pg_statement visibility_set = {
    "pm_set_visibility", "UPDATE postmortems SET visibility = $1, updated = $2 WHERE id = $3"};

/* The id of post mortem SLUG, whoever may see it: naming people is an
 * admin's operation. */
static enum dbf_store_status pm_id(struct dbf_store *store, const char *slug, int64_t *id)
{
    struct pg_params p = {0};
    dbf__pg_param_text(&p, slug);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &pm_by_slug_any, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    if (PQntuples(r) == 1)
        *id = dbf__pg_int(r, 0, 0);
    else
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no post mortem '%.128s'", slug);
    PQclear(r);
    return status;
}

/* Grants and revokes: one statement on the access list of SLUG, audited
 * when it changed something. */
static enum dbf_store_status change_access(struct dbf_store *store,
                                           const struct pg_statement *statement, const char *action,
                                           const char *slug, int64_t user, int64_t team)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    int64_t pm = 0;
    long changed = 0;
    status = pm_id(store, slug, &pm);
    if (status == DBF_STORE_OK) {
        struct pg_params p = {0};
        dbf__pg_param_int(&p, pm);
        dbf__pg_param_id(&p, user);
        dbf__pg_param_id(&p, team);
        status = dbf__pg_run_changes(store, statement, &p, &changed);
    }
    if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no %s %lld", user ? "user" : "team",
                        (long long)(user ? user : team));
    if (status == DBF_STORE_OK && changed > 0) {
        char detail[48];
        snprintf(detail, sizeof detail, "%s:%lld", user ? "user" : "team",
                 (long long)(user ? user : team));
        status = dbf__pg_audit(store, 0, action, slug, detail);
    }
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_pm_grant(struct dbf_store *store, const char *slug, int64_t user,
                                       int64_t team)
{
    return change_access(store, &grant_insert, "postmortem.grant", slug, user, team);
}

enum dbf_store_status dbf__pg_pm_revoke(struct dbf_store *store, const char *slug, int64_t user,
                                        int64_t team)
{
    return change_access(store, &grant_delete, "postmortem.revoke", slug, user, team);
}

static bool read_grant_row(const PGresult *r, int row, void *item)
{
    struct dbf_grant *g = item;
    g->user = dbf__pg_int(r, row, 0);
    g->team = dbf__pg_int(r, row, 1);
    dbf__pg_copy(r, row, 2, g->name, sizeof g->name);
    return true;
}

enum dbf_store_status dbf__pg_pm_grants(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_grant **out, size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__pg_find_pm(store, viewer, slug, false, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    PGresult *r;
    status = dbf__pg_run(store, &grant_list, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_grant_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_pm_set_visibility(struct dbf_store *store, const char *slug,
                                                enum dbf_visibility visibility, int64_t actor,
                                                const char *reason)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__pg_find_pm(store, actor, slug, true, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (pm.visibility == visibility)
        return dbf__pg_tx_end(store, DBF_STORE_OK);
    struct pg_params p = {0};
    dbf__pg_param_text(&p, dbf_visibility_name(visibility));
    dbf__pg_param_int(&p, dbf_store_now(store));
    dbf__pg_param_int(&p, pm.id);
    status = dbf__pg_run(store, &visibility_set, &p, NULL);
    if (status == DBF_STORE_OK) {
        if (!reason)
            reason = "";
        char detail[600];
        snprintf(detail, sizeof detail, "%s -> %s%s%.500s", dbf_visibility_name(pm.visibility),
                 dbf_visibility_name(visibility), *reason ? ": " : "", reason);
        status = dbf__pg_audit(store, actor, "postmortem.visibility", slug, detail);
    }
    return dbf__pg_tx_end(store, status);
}
