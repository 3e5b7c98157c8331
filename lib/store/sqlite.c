/* sqlite.c: the SQLite backend's connection: opening (WAL, foreign keys
 * on, migrations), the prepared statement cache, the helpers every file of
 * the backend runs its statements with, and the table of its methods. */
#include "sqlite_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum dbf_store_status dbf__sq_fail(struct dbf_store *store, int rc)
{
    struct sqlite_store *s = dbf__sq(store);
    const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return dbf__store_fail(store, DBF_STORE_CONFLICT, "already exists (%s)", msg);
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return dbf__store_fail(store, DBF_STORE_INVALID,
                                   "a user or team named does not exist (%s)", msg);
        return dbf__store_fail(store, DBF_STORE_INVALID, "database refused the change: %s", msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
        return dbf__store_fail(store, DBF_STORE_UNAVAILABLE, "database unavailable: %s", msg);
    default:
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "database error: %s", msg);
    }
}

sqlite3_stmt *dbf__sq_cached(struct dbf_store *store, sqlite3_stmt **slot, const char *sql)
{
    if (!*slot) {
        int rc =
            sqlite3_prepare_v3(dbf__sq(store)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
        if (rc != SQLITE_OK) {
            dbf__sq_fail(store, rc);
            return NULL;
        }
    } else {
        sqlite3_reset(*slot);
        sqlite3_clear_bindings(*slot);
    }
    return *slot;
}

sqlite3_stmt *dbf__sq_stmt(struct dbf_store *store, enum statement id)
{
    return dbf__sq_cached(store, &dbf__sq(store)->cache[id], dbf__sqlite_sql[id]);
}

void dbf__sq_bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void dbf__sq_bind_named(sqlite3_stmt *st, const char *name, const char *text)
{
    dbf__sq_bind_text(st, sqlite3_bind_parameter_index(st, name), text);
}

void dbf__sq_bind_named_int(sqlite3_stmt *st, const char *name, int64_t value)
{
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, name), value);
}

void dbf__sq_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

void dbf__sq_bind_viewer(sqlite3_stmt *st, int64_t viewer)
{
    dbf__sq_bind_named_int(st, ":viewer", viewer);
}

enum dbf_store_status dbf__sq_run(struct dbf_store *store, sqlite3_stmt *st)
{
    if (!st)
        return DBF_STORE_INTERNAL;
    int rc = sqlite3_step(st);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    enum dbf_store_status result = rc == SQLITE_DONE ? DBF_STORE_OK : dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return result;
}

int dbf__sq_changes(struct dbf_store *store)
{
    return sqlite3_changes(dbf__sq(store)->db);
}

enum dbf_store_status dbf__sq_tx_begin(struct dbf_store *store)
{
    return dbf__sq_run(store, dbf__sq_stmt(store, S_BEGIN));
}

enum dbf_store_status dbf__sq_tx_end(struct dbf_store *store, enum dbf_store_status status)
{
    if (status == DBF_STORE_OK) {
        status = dbf__sq_run(store, dbf__sq_stmt(store, S_COMMIT));
        if (status == DBF_STORE_OK)
            return status;
    }
    if (!sqlite3_get_autocommit(dbf__sq(store)->db)) {
        char keep[sizeof store->message];
        memcpy(keep, store->message, sizeof keep);
        dbf__sq_run(store, dbf__sq_stmt(store, S_ROLLBACK));
        memcpy(store->message, keep, sizeof keep);
    }
    return status;
}

char *dbf__sq_column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    char *copy = malloc((size_t)n + 1);
    if (copy) {
        if (n)
            memcpy(copy, text, (size_t)n);
        copy[n] = '\0';
    }
    return copy;
}

void dbf__sq_column_copy(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}

enum dbf_store_status dbf__sq_collect(struct dbf_store *store, sqlite3_stmt *st, size_t size,
                                      bool (*read)(sqlite3_stmt *, void *), void **out,
                                      size_t *count)
{
    char *items = NULL;
    size_t n = 0, alloc = 0;
    int rc;
    *out = NULL;
    *count = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 8;
            char *grown = realloc(items, alloc * size);
            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            items = grown;
        }
        memset(items + n * size, 0, size);
        bool whole = read(st, items + n * size);
        n++;
        if (!whole) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_reset(st);
    *out = items;
    *count = n;
    if (rc == SQLITE_NOMEM)
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    if (rc != SQLITE_DONE)
        return dbf__sq_fail(store, rc);
    return DBF_STORE_OK;
}

enum dbf_store_status dbf__sq_audit(struct dbf_store *store, int64_t actor, const char *action,
                                    const char *target, const char *detail)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_AUDIT);
    if (!st)
        return DBF_STORE_INTERNAL;
    dbf__sq_bind_id(st, 1, actor);
    dbf__sq_bind_text(st, 2, action);
    dbf__sq_bind_text(st, 3, target ? target : "");
    dbf__sq_bind_text(st, 4, detail ? detail : "");
    sqlite3_bind_int64(st, 5, dbf_store_now(store));
    return dbf__sq_run(store, st);
}

void dbf__sq_read_user(sqlite3_stmt *st, struct dbf_user *out)
{
    out->id = sqlite3_column_int64(st, 0);
    dbf__sq_column_copy(st, 1, out->name, sizeof out->name);
    const char *role = (const char *)sqlite3_column_text(st, 2);
    out->role = DBF_ROLE_VIEWER;
    dbf_role_parse(role, &out->role);
    out->created = sqlite3_column_int64(st, 3);
}

/* ---- migrations ---- */

/* Has migration VERSION run? -1 when that cannot be read. */
static int migration_applied(sqlite3 *db, int version)
{
    sqlite3_stmt *q = NULL;
    int rc =
        sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(q, 1, version);
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static enum dbf_store_status migrate_one(struct dbf_store *store, const struct dbf__migration *m)
{
    sqlite3 *db = dbf__sq(store)->db;
    char *errmsg = NULL;
    int rc = sqlite3_exec(db, m->sql, NULL, NULL, &errmsg);
    if (rc != SQLITE_OK) {
        enum dbf_store_status st =
            dbf__store_fail(store, DBF_STORE_INTERNAL, "migration %d (%s) failed: %s", m->version,
                            m->name, errmsg ? errmsg : sqlite3_errstr(rc));
        sqlite3_free(errmsg);
        return st;
    }
    sqlite3_stmt *q = NULL;
    rc = sqlite3_prepare_v2(db,
                            "INSERT INTO schema_migrations (version, name, applied)"
                            " VALUES (?, ?, ?)",
                            -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(q, 1, m->version);
        sqlite3_bind_text(q, 2, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, dbf_store_now(store));
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? DBF_STORE_OK : dbf__sq_fail(store, rc);
}

static enum dbf_store_status migrate(struct dbf_store *store)
{
    sqlite3 *db = dbf__sq(store)->db;
    int rc = sqlite3_exec(db,
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                          " applied INTEGER NOT NULL)",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return dbf__sq_fail(store, rc);
    for (size_t i = 0; i < dbf__sqlite_migration_count; i++) {
        const struct dbf__migration *m = &dbf__sqlite_migrations[i];
        enum dbf_store_status st = dbf__sq_tx_begin(store);
        if (st != DBF_STORE_OK)
            return st;
        int applied = migration_applied(db, m->version);
        if (applied < 0)
            st = dbf__sq_fail(store, sqlite3_errcode(db));
        else if (!applied)
            st = migrate_one(store, m);
        st = dbf__sq_tx_end(store, st);
        if (st != DBF_STORE_OK)
            return st;
    }
    return DBF_STORE_OK;
}

static enum dbf_store_status sqlite_schema_version(struct dbf_store *store, int *version)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_VERSION);
    if (!st)
        return DBF_STORE_INTERNAL;
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    else
        status = dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

static enum dbf_store_status sqlite_audit(struct dbf_store *store, int64_t actor,
                                          const char *action, const char *target,
                                          const char *detail)
{
    return dbf__sq_audit(store, actor, action, target, detail);
}

/* data_version moves when another connection commits; this connection's
 * own writes move its change count instead. */
static enum dbf_store_status sqlite_generation(struct dbf_store *store, char *out, size_t size)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_DATA_VERSION);
    if (!st)
        return DBF_STORE_INTERNAL;
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        snprintf(out, size, "%lld/%lld", (long long)sqlite3_column_int64(st, 0),
                 (long long)sqlite3_total_changes64(dbf__sq(store)->db));
    else
        status = dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

/* ---- opening and closing ---- */

static void sqlite_close(struct dbf_store *store)
{
    struct sqlite_store *s = dbf__sq(store);
    for (size_t i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->cache[i]);
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < SQ_LIST_ORDERS; j++)
            sqlite3_finalize(s->lists[i][j]);
    sqlite3_close_v2(s->db);
    free(s);
}

static const struct dbf__store_methods sqlite_methods = {
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .user_add = dbf__sq_user_add,
    .user_add_first = dbf__sq_user_add_first,
    .user_find = dbf__sq_user_find,
    .user_set_password = dbf__sq_user_set_password,
    .user_set_role = dbf__sq_user_set_role,
    .user_list = dbf__sq_user_list,
    .team_add = dbf__sq_team_add,
    .team_get = dbf__sq_team_get,
    .team_list = dbf__sq_team_list,
    .member_set = dbf__sq_member_set,
    .token_add = dbf__sq_token_add,
    .token_find = dbf__sq_token_find,
    .token_list = dbf__sq_token_list,
    .token_revoke = dbf__sq_token_revoke,
    .session_add = dbf__sq_session_add,
    .session_find = dbf__sq_session_find,
    .session_end = dbf__sq_session_end,
    .pm_create = dbf__sq_pm_create,
    .pm_get = dbf__sq_pm_get,
    .pm_grant = dbf__sq_pm_grant,
    .pm_list = dbf__sq_pm_list,
    .revision_get = dbf__sq_revision_get,
    .revision_save = dbf__sq_revision_save,
    .history = dbf__sq_history,
    .transition = dbf__sq_transition,
    .state_changes = dbf__sq_state_changes,
    .pm_reassign = dbf__sq_pm_reassign,
    .comment_add = dbf__sq_comment_add,
    .comments = dbf__sq_comments,
    .attachment_put = dbf__sq_attachment_put,
    .attachments = dbf__sq_attachments,
    .attachment_get = dbf__sq_attachment_get,
    .attachment_history = dbf__sq_attachment_history,
    .audit = sqlite_audit,
    .audit_list = dbf__sq_audit_list,
    .pm_revoke = dbf__sq_pm_revoke,
    .pm_grants = dbf__sq_pm_grants,
    .pm_set_visibility = dbf__sq_pm_set_visibility,
    .approve = dbf__sq_approve,
    .approvals = dbf__sq_approvals,
    .ownership_changes = dbf__sq_ownership_changes,
    .actions = dbf__sq_actions,
    .action_mark = dbf__sq_action_mark,
    .team_members = dbf__sq_team_members,
    .login_failure = dbf__sq_login_failure,
    .login_failures = dbf__sq_login_failures,
    .login_forget = dbf__sq_login_forget,
    .generation = sqlite_generation,
};

struct dbf_store *dbf__sqlite_open(const char *path, char *err, size_t errlen)
{
    struct sqlite_store *s = calloc(1, sizeof *s);
    if (!s) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.methods = &sqlite_methods;
    int rc = sqlite3_open_v2(
        path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        /* Writers wait for each other up to 5 s rather than failing. A
         * commit reaches the disk before the save is answered (FULL): with
         * NORMAL, a power cut could take back revisions already
         * acknowledged. */
        sqlite3_busy_timeout(s->db, 5000);
        rc = sqlite3_exec(s->db,
                          "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                          " PRAGMA synchronous = FULL;",
                          NULL, NULL, NULL);
    }
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc != SQLITE_OK)
        status = dbf__sq_fail(&s->base, rc);
    else
        status = migrate(&s->base);
    if (status != DBF_STORE_OK) {
        if (err && errlen)
            snprintf(err, errlen, "cannot open '%s': %s", path, s->base.message);
        sqlite_close(&s->base);
        return NULL;
    }
    return &s->base;
}
