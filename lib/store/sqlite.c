/* sqlite.c: the SQLite backend: one connection, WAL, foreign keys on, its
 * prepared statements cached for its lifetime.
 *
 * Every statement is prepared once, on first use, from the sql[] table and
 * kept (SQLITE_PREPARE_PERSISTENT); stmt() hands it back reset and unbound.
 * Writes that touch several rows run in one IMMEDIATE transaction, so two
 * writers never interleave between reading the newest revision and
 * appending the next one. */
#include "store_impl.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Visible to :viewer: public, or the viewer is an admin, a member of the
 * owner team, or named on it (as a user or through a team). */
#define VISIBLE                                                                                    \
    "(p.visibility = 'public'"                                                                     \
    " OR EXISTS (SELECT 1 FROM users v WHERE v.id = :viewer AND v.role = 'admin')"                 \
    " OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = :viewer"                            \
    "            AND m.team_id = p.owner_team_id)"                                                 \
    " OR EXISTS (SELECT 1 FROM postmortem_access a WHERE a.postmortem_id = p.id"                   \
    "            AND (a.user_id = :viewer OR a.team_id IN"                                         \
    "                 (SELECT team_id FROM memberships WHERE user_id = :viewer))))"

#define PM_COLUMNS                                                                                 \
    "p.id, p.slug, p.title, p.severity, p.owner_team_id, t.name, p.visibility, p.status,"          \
    " p.revision, p.created, p.updated"

#define LIST_FILTERS                                                                               \
    " AND (:status IS NULL OR p.status = :status)"                                                 \
    " AND (:severity IS NULL OR p.severity = :severity COLLATE NOCASE)"                            \
    " AND (:team = 0 OR p.owner_team_id = :team)"

enum statement {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_VERSION,
    S_USER_ADD,
    S_USER_BY_NAME,
    S_USER_BY_ID,
    S_USER_SET_PASSWORD,
    S_USER_SET_ROLE,
    S_USER_LIST,
    S_TEAM_ADD,
    S_TEAM_GET,
    S_TEAM_LIST,
    S_TEAM_LIST_USER,
    S_MEMBER_ADD,
    S_MEMBER_REMOVE,
    S_TOKEN_ADD,
    S_TOKEN_FIND,
    S_TOKEN_LIST,
    S_TOKEN_REVOKE,
    S_SESSION_PURGE,
    S_SESSION_ADD,
    S_SESSION_FIND,
    S_SESSION_END,
    S_PM_INSERT,
    S_PM_GET,
    S_PM_SET_REVISION,
    S_PM_SET_STATUS,
    S_PM_SET_OWNER,
    S_GRANT,
    S_PM_EXISTS,
    S_LIST,
    S_SEARCH,
    S_REV_INSERT,
    S_REV_GET,
    S_HISTORY,
    S_FTS_DELETE,
    S_FTS_INSERT,
    S_STATE_INSERT,
    S_STATE_LIST,
    S_OWNER_INSERT,
    S_COMMENT_ADD,
    S_COMMENTS,
    S_AUDIT,
    S_AUDIT_LIST,
    S_COUNT
};

static const char *const sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_VERSION] = "SELECT coalesce(max(version), 0) FROM schema_migrations",
    [S_USER_ADD] = "INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?)",
    [S_USER_BY_NAME] = "SELECT id, name, role, created, password_hash FROM users WHERE name = ?",
    [S_USER_BY_ID] = "SELECT id, name, role, created, password_hash FROM users WHERE id = ?",
    [S_USER_SET_PASSWORD] = "UPDATE users SET password_hash = ? WHERE id = ?",
    [S_USER_SET_ROLE] = "UPDATE users SET role = ? WHERE id = ?",
    [S_USER_LIST] = "SELECT id, name, role, created FROM users ORDER BY name",
    [S_TEAM_ADD] = "INSERT INTO teams (name, created) VALUES (?, ?)",
    [S_TEAM_GET] = "SELECT id, name, created FROM teams WHERE name = ?",
    [S_TEAM_LIST] = "SELECT id, name, created FROM teams ORDER BY name",
    [S_TEAM_LIST_USER] = "SELECT t.id, t.name, t.created FROM teams t"
                         " JOIN memberships m ON m.team_id = t.id WHERE m.user_id = ?"
                         " ORDER BY t.name",
    [S_MEMBER_ADD] = "INSERT OR IGNORE INTO memberships (team_id, user_id) VALUES (?, ?)",
    [S_MEMBER_REMOVE] = "DELETE FROM memberships WHERE team_id = ? AND user_id = ?",
    [S_TOKEN_ADD] = "INSERT INTO api_tokens (user_id, label, token_hash, created)"
                    " VALUES (?, ?, ?, ?)",
    [S_TOKEN_FIND] = "SELECT u.id, u.name, u.role, u.created, t.token_hash FROM api_tokens t"
                     " JOIN users u ON u.id = t.user_id"
                     " WHERE t.token_hash = ? AND t.revoked IS NULL",
    [S_TOKEN_LIST] = "SELECT id, label, created, coalesce(revoked, 0) FROM api_tokens"
                     " WHERE user_id = ? ORDER BY id DESC",
    [S_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked = ?"
                       " WHERE id = ? AND user_id = ? AND revoked IS NULL",
    [S_SESSION_PURGE] = "DELETE FROM sessions WHERE expires <= ?",
    [S_SESSION_ADD] = "INSERT INTO sessions (id_hash, user_id, created, expires) VALUES (?, ?, ?, ?)",
    [S_SESSION_FIND] = "SELECT u.id, u.name, u.role, u.created, s.id_hash FROM sessions s"
                       " JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires > ?",
    [S_SESSION_END] = "DELETE FROM sessions WHERE id_hash = ?",
    [S_PM_INSERT] = "INSERT INTO postmortems (slug, title, severity, owner_team_id, visibility,"
                    " status, revision, created, updated) VALUES (?, ?, ?, ?, ?, 'draft', 1, ?, ?)",
    [S_PM_GET] = "SELECT " PM_COLUMNS " FROM postmortems p JOIN teams t ON t.id = p.owner_team_id"
                 " WHERE p.slug = :slug AND " VISIBLE,
    [S_PM_SET_REVISION] = "UPDATE postmortems SET revision = ?, title = ?, severity = ?,"
                          " updated = ? WHERE id = ? AND revision = ?",
    [S_PM_SET_STATUS] = "UPDATE postmortems SET status = ?, updated = ? WHERE id = ?",
    [S_PM_SET_OWNER] = "UPDATE postmortems SET owner_team_id = ?, updated = ? WHERE id = ?",
    [S_GRANT] = "INSERT OR IGNORE INTO postmortem_access (postmortem_id, user_id, team_id)"
                " SELECT id, ?, ? FROM postmortems WHERE slug = ?",
    [S_PM_EXISTS] = "SELECT 1 FROM postmortems WHERE slug = ?",
    [S_LIST] = "SELECT " PM_COLUMNS " FROM postmortems p JOIN teams t ON t.id = p.owner_team_id"
               " WHERE " VISIBLE LIST_FILTERS
               " ORDER BY p.updated DESC, p.id DESC LIMIT :limit OFFSET :offset",
    [S_SEARCH] = "SELECT " PM_COLUMNS " FROM postmortem_search s"
                 " JOIN postmortems p ON p.id = s.rowid JOIN teams t ON t.id = p.owner_team_id"
                 " WHERE postmortem_search MATCH :match AND " VISIBLE LIST_FILTERS
                 " ORDER BY bm25(postmortem_search, 4.0, 1.0), p.id LIMIT :limit OFFSET :offset",
    [S_REV_INSERT] = "INSERT INTO revisions (postmortem_id, number, markdown, author_id, created)"
                     " VALUES (?, ?, ?, ?, ?)",
    [S_REV_GET] = "SELECT r.number, r.author_id, coalesce(u.name, ''), r.created, r.markdown"
                  " FROM revisions r LEFT JOIN users u ON u.id = r.author_id"
                  " WHERE r.postmortem_id = ? AND r.number = ?",
    [S_HISTORY] = "SELECT r.number, r.author_id, coalesce(u.name, ''), r.created,"
                  " length(CAST(r.markdown AS BLOB))"
                  " FROM revisions r LEFT JOIN users u ON u.id = r.author_id"
                  " WHERE r.postmortem_id = ? ORDER BY r.number",
    [S_FTS_DELETE] = "DELETE FROM postmortem_search WHERE rowid = ?",
    [S_FTS_INSERT] = "INSERT INTO postmortem_search (rowid, title, body) VALUES (?, ?, ?)",
    [S_STATE_INSERT] = "INSERT INTO state_changes (postmortem_id, from_status, to_status,"
                       " actor_id, reason, created) VALUES (?, ?, ?, ?, ?, ?)",
    [S_STATE_LIST] = "SELECT c.from_status, c.to_status, c.actor_id, coalesce(u.name, ''),"
                     " c.reason, c.created FROM state_changes c"
                     " LEFT JOIN users u ON u.id = c.actor_id"
                     " WHERE c.postmortem_id = ? ORDER BY c.id",
    [S_OWNER_INSERT] = "INSERT INTO ownership_changes (postmortem_id, from_team_id, to_team_id,"
                       " actor_id, reason, created) VALUES (?, ?, ?, ?, ?, ?)",
    [S_COMMENT_ADD] = "INSERT INTO comments (postmortem_id, author_id, body, created)"
                      " VALUES (?, ?, ?, ?)",
    [S_COMMENTS] = "SELECT c.id, c.author_id, coalesce(u.name, ''), c.body, c.created"
                   " FROM comments c LEFT JOIN users u ON u.id = c.author_id"
                   " WHERE c.postmortem_id = ? ORDER BY c.id",
    [S_AUDIT] = "INSERT INTO audit_log (actor_id, action, target, detail, created)"
                " VALUES (?, ?, ?, ?, ?)",
    [S_AUDIT_LIST] = "SELECT id, coalesce(actor_id, 0), action, target, detail, created"
                     " FROM audit_log ORDER BY id DESC LIMIT ?",
};

struct sqlite_store {
    struct dbf_store base; /* first, so a struct dbf_store * is one of these */
    sqlite3 *db;
    sqlite3_stmt *cache[S_COUNT];
};

static struct sqlite_store *sq(struct dbf_store *store)
{
    return (struct sqlite_store *)store;
}

static int64_t now(void)
{
    return (int64_t)time(NULL);
}

/* Maps a SQLite result code to a status and sets the message. */
static enum dbf_store_status db_fail(struct dbf_store *store, int rc)
{
    struct sqlite_store *s = sq(store);
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

/* Statement ID, prepared on first use, reset and unbound. NULL when it
 * cannot be prepared (the message is set). */
static sqlite3_stmt *stmt(struct dbf_store *store, enum statement id)
{
    struct sqlite_store *s = sq(store);
    if (!s->cache[id]) {
        int rc = sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->cache[id],
                                    NULL);
        if (rc != SQLITE_OK) {
            db_fail(store, rc);
            return NULL;
        }
    } else {
        sqlite3_reset(s->cache[id]);
        sqlite3_clear_bindings(s->cache[id]);
    }
    return s->cache[id];
}

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Binds :viewer, which the VISIBLE condition uses. */
static void bind_viewer(sqlite3_stmt *st, int64_t viewer)
{
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":viewer"), viewer);
}

/* Runs a statement that returns no rows and releases it. */
static enum dbf_store_status run(struct dbf_store *store, sqlite3_stmt *st)
{
    if (!st)
        return DBF_STORE_INTERNAL;
    int rc = sqlite3_step(st);
    enum dbf_store_status result =
        rc == SQLITE_DONE || rc == SQLITE_ROW ? DBF_STORE_OK : db_fail(store, rc);
    sqlite3_reset(st);
    return result;
}

static enum dbf_store_status tx_begin(struct dbf_store *store)
{
    return run(store, stmt(store, S_BEGIN));
}

/* Commits when ST is OK, else rolls back; returns ST or the commit's failure. */
static enum dbf_store_status tx_end(struct dbf_store *store, enum dbf_store_status status)
{
    if (status == DBF_STORE_OK) {
        status = run(store, stmt(store, S_COMMIT));
        if (status == DBF_STORE_OK)
            return status;
    }
    if (!sqlite3_get_autocommit(sq(store)->db)) {
        char keep[sizeof store->message];
        memcpy(keep, store->message, sizeof keep);
        run(store, stmt(store, S_ROLLBACK));
        memcpy(store->message, keep, sizeof keep);
    }
    return status;
}

static char *column_dup(sqlite3_stmt *st, int col)
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

static void column_copy(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}

static enum dbf_store_status audit(struct dbf_store *store, int64_t actor, const char *action,
                                   const char *target, const char *detail)
{
    sqlite3_stmt *st = stmt(store, S_AUDIT);
    if (!st)
        return DBF_STORE_INTERNAL;
    if (actor)
        sqlite3_bind_int64(st, 1, actor);
    bind_text(st, 2, action);
    bind_text(st, 3, target);
    bind_text(st, 4, detail);
    sqlite3_bind_int64(st, 5, now());
    return run(store, st);
}

/* ---- migrations ---- */

static enum dbf_store_status migrate(struct dbf_store *store)
{
    sqlite3 *db = sq(store)->db;
    char *errmsg = NULL;
    int rc = sqlite3_exec(db,
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                          " applied INTEGER NOT NULL)",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_fail(store, rc);
    for (size_t i = 0; i < dbf__sqlite_migration_count; i++) {
        const struct dbf__migration *m = &dbf__sqlite_migrations[i];
        enum dbf_store_status st = tx_begin(store);
        if (st != DBF_STORE_OK)
            return st;
        sqlite3_stmt *q = NULL;
        rc = sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &q,
                                NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int(q, 1, m->version);
            rc = sqlite3_step(q);
        }
        sqlite3_finalize(q);
        if (rc == SQLITE_ROW) {
            tx_end(store, DBF_STORE_OK);
            continue;
        }
        if (rc != SQLITE_DONE)
            return tx_end(store, db_fail(store, rc));
        rc = sqlite3_exec(db, m->sql, NULL, NULL, &errmsg);
        if (rc != SQLITE_OK) {
            st = dbf__store_fail(store, DBF_STORE_INTERNAL, "migration %d (%s) failed: %s",
                                 m->version, m->name, errmsg ? errmsg : sqlite3_errstr(rc));
            sqlite3_free(errmsg);
            return tx_end(store, st);
        }
        rc = sqlite3_prepare_v2(db,
                                "INSERT INTO schema_migrations (version, name, applied)"
                                " VALUES (?, ?, ?)",
                                -1, &q, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int(q, 1, m->version);
            sqlite3_bind_text(q, 2, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(q, 3, now());
            rc = sqlite3_step(q);
        }
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return tx_end(store, db_fail(store, rc));
        st = tx_end(store, DBF_STORE_OK);
        if (st != DBF_STORE_OK)
            return st;
    }
    return DBF_STORE_OK;
}

static enum dbf_store_status sqlite_schema_version(struct dbf_store *store, int *version)
{
    sqlite3_stmt *st = stmt(store, S_VERSION);
    if (!st)
        return DBF_STORE_INTERNAL;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return db_fail(store, rc);
    *version = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return DBF_STORE_OK;
}

/* ---- users, teams ---- */

/* Reads id, name, role, created from columns 0 to 3. */
static void read_user(sqlite3_stmt *st, struct dbf_user *out)
{
    out->id = sqlite3_column_int64(st, 0);
    column_copy(st, 1, out->name, sizeof out->name);
    const char *role = (const char *)sqlite3_column_text(st, 2);
    out->role = DBF_ROLE_VIEWER;
    dbf_role_parse(role, &out->role);
    out->created = sqlite3_column_int64(st, 3);
}

static void read_team(sqlite3_stmt *st, struct dbf_team *out)
{
    out->id = sqlite3_column_int64(st, 0);
    column_copy(st, 1, out->name, sizeof out->name);
    out->created = sqlite3_column_int64(st, 2);
}

static enum dbf_store_status sqlite_user_add(struct dbf_store *store, const char *name,
                                             const char *hash, enum dbf_role role, int64_t *id)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = stmt(store, S_USER_ADD);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    bind_text(st, 1, name);
    bind_text(st, 2, hash);
    bind_text(st, 3, dbf_role_name(role));
    sqlite3_bind_int64(st, 4, now());
    status = run(store, st);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the user '%s' already exists", name);
    int64_t new_id = sqlite3_last_insert_rowid(sq(store)->db);
    if (status == DBF_STORE_OK)
        status = audit(store, 0, "user.add", name, dbf_role_name(role));
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_user_find(struct dbf_store *store, const char *name,
                                              int64_t id, struct dbf_user *out, char *hash,
                                              size_t hashlen)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(store, name ? S_USER_BY_NAME : S_USER_BY_ID);
    if (!st)
        return DBF_STORE_INTERNAL;
    if (name)
        bind_text(st, 1, name);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW) {
        read_user(st, out);
        if (hash)
            column_copy(st, 4, hash, hashlen);
    } else if (rc == SQLITE_DONE) {
        status = name ? dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user '%s'", name)
                      : dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user %lld",
                                        (long long)id);
    } else {
        status = db_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

/* Runs an UPDATE of one user and answers NOT_FOUND when no row changed. */
static enum dbf_store_status update_user(struct dbf_store *store, sqlite3_stmt *st, int64_t user,
                                         const char *action, const char *detail)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    status = run(store, st);
    if (status == DBF_STORE_OK && sqlite3_changes(sq(store)->db) == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user %lld", (long long)user);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = audit(store, 0, action, target, detail);
    }
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_user_set_password(struct dbf_store *store, int64_t user,
                                                      const char *hash)
{
    sqlite3_stmt *st = stmt(store, S_USER_SET_PASSWORD);
    if (!st)
        return DBF_STORE_INTERNAL;
    bind_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, user);
    return update_user(store, st, user, "user.password", "");
}

static enum dbf_store_status sqlite_user_set_role(struct dbf_store *store, int64_t user,
                                                  enum dbf_role role)
{
    sqlite3_stmt *st = stmt(store, S_USER_SET_ROLE);
    if (!st)
        return DBF_STORE_INTERNAL;
    bind_text(st, 1, dbf_role_name(role));
    sqlite3_bind_int64(st, 2, user);
    return update_user(store, st, user, "user.role", dbf_role_name(role));
}

/* Collects the rows of ST into a growing array of SIZE-byte items filled by
 * READ. */
static enum dbf_store_status collect(struct dbf_store *store, sqlite3_stmt *st, size_t size,
                                     void (*read)(sqlite3_stmt *, void *), void **out,
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
                sqlite3_reset(st);
                free(items);
                return dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
            }
            items = grown;
        }
        memset(items + n * size, 0, size);
        read(st, items + n * size);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        enum dbf_store_status status = db_fail(store, rc);
        *out = items;
        *count = n;
        return status;
    }
    *out = items;
    *count = n;
    return DBF_STORE_OK;
}

static void read_user_row(sqlite3_stmt *st, void *item)
{
    read_user(st, item);
}

static void read_team_row(sqlite3_stmt *st, void *item)
{
    read_team(st, item);
}

static enum dbf_store_status sqlite_user_list(struct dbf_store *store, struct dbf_user **out,
                                              size_t *count)
{
    sqlite3_stmt *st = stmt(store, S_USER_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    void *items;
    enum dbf_store_status status = collect(store, st, sizeof **out, read_user_row, &items, count);
    *out = items;
    return status;
}

static enum dbf_store_status sqlite_team_add(struct dbf_store *store, const char *name,
                                             int64_t *id)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = stmt(store, S_TEAM_ADD);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, now());
    status = run(store, st);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the team '%s' already exists", name);
    int64_t new_id = sqlite3_last_insert_rowid(sq(store)->db);
    if (status == DBF_STORE_OK)
        status = audit(store, 0, "team.add", name, "");
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_team_get(struct dbf_store *store, const char *name,
                                             struct dbf_team *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(store, S_TEAM_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        read_team(st, out);
    else if (rc == SQLITE_DONE)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no team '%s'", name);
    else
        status = db_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

static enum dbf_store_status sqlite_team_list(struct dbf_store *store, int64_t user,
                                              struct dbf_team **out, size_t *count)
{
    sqlite3_stmt *st = stmt(store, user ? S_TEAM_LIST_USER : S_TEAM_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    if (user)
        sqlite3_bind_int64(st, 1, user);
    void *items;
    enum dbf_store_status status = collect(store, st, sizeof **out, read_team_row, &items, count);
    *out = items;
    return status;
}

static enum dbf_store_status sqlite_member_set(struct dbf_store *store, int64_t team,
                                               int64_t user, bool member)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = stmt(store, member ? S_MEMBER_ADD : S_MEMBER_REMOVE);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_int64(st, 1, team);
    sqlite3_bind_int64(st, 2, user);
    status = run(store, st);
    if (status == DBF_STORE_OK) {
        char target[48], detail[32];
        snprintf(target, sizeof target, "team:%lld", (long long)team);
        snprintf(detail, sizeof detail, "user:%lld", (long long)user);
        status = audit(store, 0, member ? "member.add" : "member.remove", target, detail);
    }
    return tx_end(store, status);
}

/* ---- tokens, sessions ---- */

static enum dbf_store_status sqlite_token_add(struct dbf_store *store, int64_t user,
                                              const char *label,
                                              const unsigned char hash[DBF__SECRET_HASH_LEN],
                                              int64_t *id)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = stmt(store, S_TOKEN_ADD);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_int64(st, 1, user);
    bind_text(st, 2, label);
    sqlite3_bind_blob(st, 3, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now());
    status = run(store, st);
    int64_t new_id = sqlite3_last_insert_rowid(sq(store)->db);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = audit(store, user, "token.new", target, label);
    }
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return tx_end(store, status);
}

/* Compares two secret hashes in time that does not depend on where they
 * differ. */
static bool sodium_compare_ok(const void *stored, const unsigned char *hash)
{
    return sodium_memcmp(stored, hash, DBF__SECRET_HASH_LEN) == 0;
}

/* Steps ST, whose columns are a user and then a stored hash, and checks the
 * hash against HASH in constant time. */
static enum dbf_store_status find_by_hash(struct dbf_store *store, sqlite3_stmt *st,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN],
                                          struct dbf_user *out, const char *what)
{
    memset(out, 0, sizeof *out);
    int rc = sqlite3_step(st);
    enum dbf_store_status status;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 4) == DBF__SECRET_HASH_LEN &&
        sodium_compare_ok(sqlite3_column_blob(st, 4), hash)) {
        read_user(st, out);
        status = DBF_STORE_OK;
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "unknown or %s", what);
    } else {
        status = db_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

static enum dbf_store_status sqlite_token_find(struct dbf_store *store,
                                               const unsigned char hash[DBF__SECRET_HASH_LEN],
                                               struct dbf_user *out)
{
    sqlite3_stmt *st = stmt(store, S_TOKEN_FIND);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    return find_by_hash(store, st, hash, out, "revoked token");
}

static void read_token_row(sqlite3_stmt *st, void *item)
{
    struct dbf_token *t = item;
    t->id = sqlite3_column_int64(st, 0);
    column_copy(st, 1, t->label, sizeof t->label);
    t->created = sqlite3_column_int64(st, 2);
    t->revoked = sqlite3_column_int64(st, 3);
}

static enum dbf_store_status sqlite_token_list(struct dbf_store *store, int64_t user,
                                               struct dbf_token **out, size_t *count)
{
    sqlite3_stmt *st = stmt(store, S_TOKEN_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, user);
    void *items;
    enum dbf_store_status status = collect(store, st, sizeof **out, read_token_row, &items, count);
    *out = items;
    return status;
}

static enum dbf_store_status sqlite_token_revoke(struct dbf_store *store, int64_t user,
                                                 int64_t id)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = stmt(store, S_TOKEN_REVOKE);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_int64(st, 1, now());
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int64(st, 3, user);
    status = run(store, st);
    if (status == DBF_STORE_OK && sqlite3_changes(sq(store)->db) == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no live token %lld of this user",
                                 (long long)id);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "token:%lld", (long long)id);
        status = audit(store, user, "token.revoke", target, "");
    }
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_session_add(struct dbf_store *store, int64_t user,
                                                int64_t expires,
                                                const unsigned char hash[DBF__SECRET_HASH_LEN])
{
    sqlite3_stmt *st = stmt(store, S_SESSION_PURGE);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, now());
    enum dbf_store_status status = run(store, st);
    if (status != DBF_STORE_OK)
        return status;
    st = stmt(store, S_SESSION_ADD);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user);
    sqlite3_bind_int64(st, 3, now());
    sqlite3_bind_int64(st, 4, expires);
    return run(store, st);
}

static enum dbf_store_status sqlite_session_find(struct dbf_store *store,
                                                 const unsigned char hash[DBF__SECRET_HASH_LEN],
                                                 int64_t when, struct dbf_user *out)
{
    sqlite3_stmt *st = stmt(store, S_SESSION_FIND);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, when);
    return find_by_hash(store, st, hash, out, "expired session");
}

static enum dbf_store_status sqlite_session_end(struct dbf_store *store,
                                                const unsigned char hash[DBF__SECRET_HASH_LEN])
{
    sqlite3_stmt *st = stmt(store, S_SESSION_END);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    return run(store, st);
}

/* ---- post mortems ---- */

static void read_pm(sqlite3_stmt *st, struct dbf_postmortem *out)
{
    out->id = sqlite3_column_int64(st, 0);
    column_copy(st, 1, out->slug, sizeof out->slug);
    out->title = column_dup(st, 2);
    column_copy(st, 3, out->severity, sizeof out->severity);
    out->owner_team = sqlite3_column_int64(st, 4);
    column_copy(st, 5, out->owner_team_name, sizeof out->owner_team_name);
    dbf_visibility_parse((const char *)sqlite3_column_text(st, 6), &out->visibility);
    dbf_pm_status_parse((const char *)sqlite3_column_text(st, 7), &out->status);
    out->revision = sqlite3_column_int(st, 8);
    out->created = sqlite3_column_int64(st, 9);
    out->updated = sqlite3_column_int64(st, 10);
}

static void read_pm_row(sqlite3_stmt *st, void *item)
{
    read_pm(st, item);
}

/* Post mortem SLUG as VIEWER may see it; NOT_FOUND when it does not exist
 * or VIEWER may not see it, which callers cannot tell apart. */
static enum dbf_store_status find_pm(struct dbf_store *store, int64_t viewer, const char *slug,
                                     struct dbf_postmortem *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(store, S_PM_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":slug"), slug, -1, SQLITE_STATIC);
    bind_viewer(st, viewer);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW) {
        read_pm(st, out);
        if (!out->title)
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    } else if (rc == SQLITE_DONE) {
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no post mortem '%.128s'", slug);
    } else {
        status = db_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

static enum dbf_store_status index_text(struct dbf_store *store, int64_t id,
                                        const struct dbf_pm_content *content)
{
    sqlite3_stmt *st = stmt(store, S_FTS_DELETE);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    enum dbf_store_status status = run(store, st);
    if (status != DBF_STORE_OK)
        return status;
    st = stmt(store, S_FTS_INSERT);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, content->title);
    bind_text(st, 3, content->markdown);
    return run(store, st);
}

static enum dbf_store_status add_revision(struct dbf_store *store, int64_t id, int number,
                                          const struct dbf_pm_content *content, int64_t author,
                                          int64_t when)
{
    sqlite3_stmt *st = stmt(store, S_REV_INSERT);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, number);
    bind_text(st, 3, content->markdown);
    if (author)
        sqlite3_bind_int64(st, 4, author);
    sqlite3_bind_int64(st, 5, when);
    enum dbf_store_status status = run(store, st);
    if (status != DBF_STORE_OK)
        return status;
    return index_text(store, id, content);
}

static enum dbf_store_status sqlite_pm_create(struct dbf_store *store, const char *slug,
                                              int64_t team, enum dbf_visibility visibility,
                                              const struct dbf_pm_content *content,
                                              int64_t author, int64_t *id)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    int64_t when = now();
    sqlite3_stmt *st = stmt(store, S_PM_INSERT);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    bind_text(st, 1, slug);
    bind_text(st, 2, content->title);
    bind_text(st, 3, content->severity ? content->severity : "");
    sqlite3_bind_int64(st, 4, team);
    bind_text(st, 5, dbf_visibility_name(visibility));
    sqlite3_bind_int64(st, 6, when);
    sqlite3_bind_int64(st, 7, when);
    status = run(store, st);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the post mortem '%s' already exists", slug);
    else if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no team %lld to own '%s'", (long long)team, slug);
    int64_t new_id = sqlite3_last_insert_rowid(sq(store)->db);
    if (status == DBF_STORE_OK)
        status = add_revision(store, new_id, 1, content, author, when);
    if (status == DBF_STORE_OK)
        status = audit(store, author, "postmortem.create", slug, dbf_visibility_name(visibility));
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_pm_get(struct dbf_store *store, int64_t viewer,
                                           const char *slug, struct dbf_postmortem *out)
{
    return find_pm(store, viewer, slug, out);
}

static enum dbf_store_status sqlite_pm_grant(struct dbf_store *store, const char *slug,
                                             int64_t user, int64_t team)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = stmt(store, S_GRANT);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    if (user)
        sqlite3_bind_int64(st, 1, user);
    if (team)
        sqlite3_bind_int64(st, 2, team);
    bind_text(st, 3, slug);
    status = run(store, st);
    if (status == DBF_STORE_OK && sqlite3_changes(sq(store)->db) == 0) {
        /* Nothing added: already named, or no such post mortem (an admin
         * operation, so any post mortem counts). */
        if (!(st = stmt(store, S_PM_EXISTS)))
            return tx_end(store, DBF_STORE_INTERNAL);
        bind_text(st, 1, slug);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no post mortem '%.128s'", slug);
        else if (rc != SQLITE_ROW)
            status = db_fail(store, rc);
        sqlite3_reset(st);
        return tx_end(store, status);
    }
    if (status == DBF_STORE_OK) {
        char detail[48];
        snprintf(detail, sizeof detail, "%s:%lld", user ? "user" : "team",
                 (long long)(user ? user : team));
        status = audit(store, 0, "postmortem.grant", slug, detail);
    }
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_pm_list(struct dbf_store *store, int64_t viewer,
                                            const struct dbf_pm_filter *filter,
                                            const char *match, struct dbf_postmortem_list *out)
{
    sqlite3_stmt *st = stmt(store, match ? S_SEARCH : S_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    bind_viewer(st, viewer);
    if (match)
        bind_text(st, sqlite3_bind_parameter_index(st, ":match"), match);
    if (filter->status && *filter->status)
        bind_text(st, sqlite3_bind_parameter_index(st, ":status"), filter->status);
    if (filter->severity && *filter->severity)
        bind_text(st, sqlite3_bind_parameter_index(st, ":severity"), filter->severity);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":team"), filter->team);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"),
                       filter->limit ? (int64_t)filter->limit : 100);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), (int64_t)filter->offset);
    void *items;
    enum dbf_store_status status =
        collect(store, st, sizeof *out->items, read_pm_row, &items, &out->count);
    out->items = items;
    for (size_t i = 0; status == DBF_STORE_OK && i < out->count; i++)
        if (!out->items[i].title)
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    if (status != DBF_STORE_OK)
        dbf_postmortem_list_release(out);
    return status;
}

static void read_revision(sqlite3_stmt *st, struct dbf_revision *out, bool markdown)
{
    out->number = sqlite3_column_int(st, 0);
    out->author = sqlite3_column_int64(st, 1);
    column_copy(st, 2, out->author_name, sizeof out->author_name);
    out->created = sqlite3_column_int64(st, 3);
    if (markdown) {
        out->markdown = column_dup(st, 4);
        out->length = (size_t)sqlite3_column_bytes(st, 4);
    } else {
        out->length = (size_t)sqlite3_column_int64(st, 4);
    }
}

static void read_history_row(sqlite3_stmt *st, void *item)
{
    read_revision(st, item, false);
}

static enum dbf_store_status sqlite_revision_get(struct dbf_store *store, int64_t viewer,
                                                 const char *slug, int number,
                                                 struct dbf_revision *out)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = find_pm(store, viewer, slug, &pm);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = stmt(store, S_REV_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    sqlite3_bind_int(st, 2, number ? number : pm.revision);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_revision(st, out, true);
        if (!out->markdown)
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    } else if (rc == SQLITE_DONE) {
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND,
                                 "'%.128s' has no revision %d (the newest is %d)", slug, number,
                                 pm.revision);
    } else {
        status = db_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

static enum dbf_store_status sqlite_revision_save(struct dbf_store *store, const char *slug,
                                                  int base, const struct dbf_pm_content *content,
                                                  int64_t author, int *number)
{
    /* The newest revision is read inside the write transaction: a second
     * writer waits for the first to commit and then sees its revision. */
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = find_pm(store, author, slug, &pm);
    if (status != DBF_STORE_OK)
        return tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (base != pm.revision) {
        *number = pm.revision;
        return tx_end(store, dbf__store_fail(store, DBF_STORE_CONFLICT,
                                             "'%s' changed: this edit is based on revision %d "
                                             "but the newest is %d",
                                             slug, base, pm.revision));
    }
    int64_t when = now();
    int next = pm.revision + 1;
    status = add_revision(store, pm.id, next, content, author, when);
    sqlite3_stmt *st = status == DBF_STORE_OK ? stmt(store, S_PM_SET_REVISION) : NULL;
    if (status == DBF_STORE_OK && !st)
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_int(st, 1, next);
        bind_text(st, 2, content->title);
        bind_text(st, 3, content->severity ? content->severity : "");
        sqlite3_bind_int64(st, 4, when);
        sqlite3_bind_int64(st, 5, pm.id);
        sqlite3_bind_int(st, 6, pm.revision);
        status = run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char detail[32];
        snprintf(detail, sizeof detail, "revision %d", next);
        status = audit(store, author, "postmortem.save", slug, detail);
    }
    if (status == DBF_STORE_OK)
        *number = next;
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_history(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_revision **out,
                                            size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = find_pm(store, viewer, slug, &pm);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = stmt(store, S_HISTORY);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    void *items;
    status = collect(store, st, sizeof **out, read_history_row, &items, count);
    *out = items;
    return status;
}

/* ---- workflow, ownership, comments ---- */

static enum dbf_store_status sqlite_transition(struct dbf_store *store, const char *slug,
                                               enum dbf_pm_status to, int64_t actor,
                                               const char *reason)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = find_pm(store, actor, slug, &pm);
    if (status != DBF_STORE_OK)
        return tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (!dbf__store_move_allowed(pm.status, to))
        return tx_end(store, dbf__store_fail(store, DBF_STORE_INVALID,
                                             "'%s' cannot go from %s to %s", slug,
                                             dbf_pm_status_name(pm.status),
                                             dbf_pm_status_name(to)));
    if (pm.status == DBF_PM_PUBLISHED && !*reason)
        return tx_end(store, dbf__store_fail(store, DBF_STORE_INVALID,
                                             "reopening '%s' needs a reason", slug));
    int64_t when = now();
    sqlite3_stmt *st = stmt(store, S_PM_SET_STATUS);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    bind_text(st, 1, dbf_pm_status_name(to));
    sqlite3_bind_int64(st, 2, when);
    sqlite3_bind_int64(st, 3, pm.id);
    status = run(store, st);
    if (status == DBF_STORE_OK && !(st = stmt(store, S_STATE_INSERT)))
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_int64(st, 1, pm.id);
        bind_text(st, 2, dbf_pm_status_name(pm.status));
        bind_text(st, 3, dbf_pm_status_name(to));
        if (actor)
            sqlite3_bind_int64(st, 4, actor);
        bind_text(st, 5, reason);
        sqlite3_bind_int64(st, 6, when);
        status = run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char detail[600];
        snprintf(detail, sizeof detail, "%s -> %s%s%.500s", dbf_pm_status_name(pm.status),
                 dbf_pm_status_name(to), *reason ? ": " : "", reason);
        status = audit(store, actor,
                       pm.status == DBF_PM_PUBLISHED ? "postmortem.reopen" : "postmortem.move",
                       slug, detail);
    }
    return tx_end(store, status);
}

static void read_state_row(sqlite3_stmt *st, void *item)
{
    struct dbf_state_change *c = item;
    dbf_pm_status_parse((const char *)sqlite3_column_text(st, 0), &c->from);
    dbf_pm_status_parse((const char *)sqlite3_column_text(st, 1), &c->to);
    c->actor = sqlite3_column_int64(st, 2);
    column_copy(st, 3, c->actor_name, sizeof c->actor_name);
    c->reason = column_dup(st, 4);
    c->created = sqlite3_column_int64(st, 5);
}

static enum dbf_store_status sqlite_state_changes(struct dbf_store *store, int64_t viewer,
                                                  const char *slug,
                                                  struct dbf_state_change **out, size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = find_pm(store, viewer, slug, &pm);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = stmt(store, S_STATE_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    void *items;
    status = collect(store, st, sizeof **out, read_state_row, &items, count);
    *out = items;
    return status;
}

static enum dbf_store_status sqlite_pm_reassign(struct dbf_store *store, const char *slug,
                                                int64_t team, int64_t actor, const char *reason)
{
    enum dbf_store_status status = tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = find_pm(store, actor, slug, &pm);
    if (status != DBF_STORE_OK)
        return tx_end(store, status);
    dbf_postmortem_release(&pm);
    int64_t when = now();
    sqlite3_stmt *st = stmt(store, S_PM_SET_OWNER);
    if (!st)
        return tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_int64(st, 1, team);
    sqlite3_bind_int64(st, 2, when);
    sqlite3_bind_int64(st, 3, pm.id);
    status = run(store, st);
    if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no team %lld", (long long)team);
    if (status == DBF_STORE_OK && !(st = stmt(store, S_OWNER_INSERT)))
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_int64(st, 1, pm.id);
        sqlite3_bind_int64(st, 2, pm.owner_team);
        sqlite3_bind_int64(st, 3, team);
        if (actor)
            sqlite3_bind_int64(st, 4, actor);
        bind_text(st, 5, reason);
        sqlite3_bind_int64(st, 6, when);
        status = run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "team:%lld -> team:%lld", (long long)pm.owner_team,
                 (long long)team);
        status = audit(store, actor, "postmortem.reassign", slug, detail);
    }
    return tx_end(store, status);
}

static enum dbf_store_status sqlite_comment_add(struct dbf_store *store, const char *slug,
                                                int64_t author, const char *body, int64_t *id)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = find_pm(store, author, slug, &pm);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = stmt(store, S_COMMENT_ADD);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    if (author)
        sqlite3_bind_int64(st, 2, author);
    bind_text(st, 3, body);
    sqlite3_bind_int64(st, 4, now());
    status = run(store, st);
    if (status == DBF_STORE_OK && id)
        *id = sqlite3_last_insert_rowid(sq(store)->db);
    return status;
}

static void read_comment_row(sqlite3_stmt *st, void *item)
{
    struct dbf_comment *c = item;
    c->id = sqlite3_column_int64(st, 0);
    c->author = sqlite3_column_int64(st, 1);
    column_copy(st, 2, c->author_name, sizeof c->author_name);
    c->body = column_dup(st, 3);
    c->created = sqlite3_column_int64(st, 4);
}

static enum dbf_store_status sqlite_comments(struct dbf_store *store, int64_t viewer,
                                             const char *slug, struct dbf_comment **out,
                                             size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = find_pm(store, viewer, slug, &pm);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = stmt(store, S_COMMENTS);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    void *items;
    status = collect(store, st, sizeof **out, read_comment_row, &items, count);
    *out = items;
    return status;
}

static enum dbf_store_status sqlite_audit(struct dbf_store *store, int64_t actor,
                                          const char *action, const char *target,
                                          const char *detail)
{
    return audit(store, actor, action, target, detail);
}

static void read_audit_row(sqlite3_stmt *st, void *item)
{
    struct dbf_audit_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    e->actor = sqlite3_column_int64(st, 1);
    column_copy(st, 2, e->action, sizeof e->action);
    e->target = column_dup(st, 3);
    e->detail = column_dup(st, 4);
    e->created = sqlite3_column_int64(st, 5);
}

static enum dbf_store_status sqlite_audit_list(struct dbf_store *store, size_t limit,
                                               struct dbf_audit_entry **out, size_t *count)
{
    sqlite3_stmt *st = stmt(store, S_AUDIT_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, (int64_t)limit);
    void *items;
    enum dbf_store_status status = collect(store, st, sizeof **out, read_audit_row, &items, count);
    *out = items;
    return status;
}

/* ---- opening and closing ---- */

static void sqlite_close(struct dbf_store *store)
{
    struct sqlite_store *s = sq(store);
    for (size_t i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->cache[i]);
    sqlite3_close_v2(s->db);
    free(s);
}

static const struct dbf__store_methods sqlite_methods = {
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .user_add = sqlite_user_add,
    .user_find = sqlite_user_find,
    .user_set_password = sqlite_user_set_password,
    .user_set_role = sqlite_user_set_role,
    .user_list = sqlite_user_list,
    .team_add = sqlite_team_add,
    .team_get = sqlite_team_get,
    .team_list = sqlite_team_list,
    .member_set = sqlite_member_set,
    .token_add = sqlite_token_add,
    .token_find = sqlite_token_find,
    .token_list = sqlite_token_list,
    .token_revoke = sqlite_token_revoke,
    .session_add = sqlite_session_add,
    .session_find = sqlite_session_find,
    .session_end = sqlite_session_end,
    .pm_create = sqlite_pm_create,
    .pm_get = sqlite_pm_get,
    .pm_grant = sqlite_pm_grant,
    .pm_list = sqlite_pm_list,
    .revision_get = sqlite_revision_get,
    .revision_save = sqlite_revision_save,
    .history = sqlite_history,
    .transition = sqlite_transition,
    .state_changes = sqlite_state_changes,
    .pm_reassign = sqlite_pm_reassign,
    .comment_add = sqlite_comment_add,
    .comments = sqlite_comments,
    .audit = sqlite_audit,
    .audit_list = sqlite_audit_list,
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
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        /* Writers wait for each other up to 5 s rather than failing. */
        sqlite3_busy_timeout(s->db, 5000);
        rc = sqlite3_exec(s->db,
                          "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                          " PRAGMA synchronous = NORMAL;",
                          NULL, NULL, NULL);
    }
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc != SQLITE_OK)
        status = db_fail(&s->base, rc);
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
