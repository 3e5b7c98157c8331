/* sqlite_people.c: users, teams and memberships in SQLite. */
#include "sqlite_db.h"

#include <stdio.h>
#include <string.h>

static void read_team(sqlite3_stmt *st, struct dbf_team *out)
{
    out->id = sqlite3_column_int64(st, 0);
    dbf__sq_column_copy(st, 1, out->name, sizeof out->name);
    out->created = sqlite3_column_int64(st, 2);
}

static bool read_user_row(sqlite3_stmt *st, void *item)
{
    dbf__sq_read_user(st, item);
    return true;
}

static bool read_team_row(sqlite3_stmt *st, void *item)
{
    read_team(st, item);
    return true;
}

/* Inserts user NAME inside the transaction the caller began. */
static enum dbf_store_status insert_user(struct dbf_store *store, const char *name,
                                         const char *hash, enum dbf_role role, int64_t *id)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_USER_ADD);
    if (!st)
        return DBF_STORE_INTERNAL;
    dbf__sq_bind_text(st, 1, name);
    dbf__sq_bind_text(st, 2, hash);
    dbf__sq_bind_text(st, 3, dbf_role_name(role));
    sqlite3_bind_int64(st, 4, dbf_store_now(store));
    enum dbf_store_status status = dbf__sq_run(store, st);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the user '%s' already exists", name);
    int64_t new_id = sqlite3_last_insert_rowid(dbf__sq(store)->db);
    if (status == DBF_STORE_OK)
        status = dbf__sq_audit(store, 0, "user.add", name, dbf_role_name(role));
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return status;
}

enum dbf_store_status dbf__sq_user_add(struct dbf_store *store, const char *name, const char *hash,
                                       enum dbf_role role, int64_t *id)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    return dbf__sq_tx_end(store, insert_user(store, name, hash, role, id));
}

/* BEGIN IMMEDIATE holds the write lock from the check to the insert. */
enum dbf_store_status dbf__sq_user_add_first(struct dbf_store *store, const char *name,
                                             const char *hash, int64_t *id)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_USER_ANY);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        status = dbf__store_fail(store, DBF_STORE_CONFLICT, "there is a user already");
    else if (rc != SQLITE_DONE)
        status = dbf__sq_fail(store, rc);
    else
        status = insert_user(store, name, hash, DBF_ROLE_ADMIN, id);
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_user_find(struct dbf_store *store, const char *name, int64_t id,
                                        struct dbf_user *out, char *hash, size_t hashlen)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = dbf__sq_stmt(store, name ? S_USER_BY_NAME : S_USER_BY_ID);
    if (!st)
        return DBF_STORE_INTERNAL;
    if (name)
        dbf__sq_bind_text(st, 1, name);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW) {
        dbf__sq_read_user(st, out);
        if (hash)
            dbf__sq_column_copy(st, 4, hash, hashlen);
    } else if (rc == SQLITE_DONE) {
        status = name ? dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user '%s'", name)
                      : dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user %lld", (long long)id);
    } else {
        status = dbf__sq_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

/* Runs an UPDATE of one user and answers NOT_FOUND when no row changed. */
static enum dbf_store_status update_user(struct dbf_store *store, enum statement id,
                                         const char *value, int64_t user, const char *action,
                                         const char *detail)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, id);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    dbf__sq_bind_text(st, 1, value);
    sqlite3_bind_int64(st, 2, user);
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK && dbf__sq_changes(store) == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user %lld", (long long)user);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__sq_audit(store, 0, action, target, detail);
    }
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_user_set_password(struct dbf_store *store, int64_t user,
                                                const char *hash)
{
    return update_user(store, S_USER_SET_PASSWORD, hash, user, "user.password", "");
}

enum dbf_store_status dbf__sq_user_set_role(struct dbf_store *store, int64_t user,
                                            enum dbf_role role)
{
    return update_user(store, S_USER_SET_ROLE, dbf_role_name(role), user, "user.role",
                       dbf_role_name(role));
}

enum dbf_store_status dbf__sq_user_list(struct dbf_store *store, struct dbf_user **out,
                                        size_t *count)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_USER_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    void *items;
    enum dbf_store_status status =
        dbf__sq_collect(store, st, sizeof **out, read_user_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_team_add(struct dbf_store *store, const char *name, int64_t *id)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TEAM_ADD);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    dbf__sq_bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, dbf_store_now(store));
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the team '%s' already exists", name);
    int64_t new_id = sqlite3_last_insert_rowid(dbf__sq(store)->db);
    if (status == DBF_STORE_OK)
        status = dbf__sq_audit(store, 0, "team.add", name, "");
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_team_get(struct dbf_store *store, const char *name,
                                       struct dbf_team *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TEAM_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    dbf__sq_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        read_team(st, out);
    else if (rc == SQLITE_DONE)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no team '%s'", name);
    else
        status = dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

enum dbf_store_status dbf__sq_team_list(struct dbf_store *store, int64_t user,
                                        struct dbf_team **out, size_t *count)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, user ? S_TEAM_LIST_USER : S_TEAM_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    if (user)
        sqlite3_bind_int64(st, 1, user);
    void *items;
    enum dbf_store_status status =
        dbf__sq_collect(store, st, sizeof **out, read_team_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_team_members(struct dbf_store *store, int64_t team,
                                           struct dbf_user **out, size_t *count)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TEAM_BY_ID);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, team);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no team %lld", (long long)team);
    if (rc != SQLITE_ROW)
        return dbf__sq_fail(store, rc);
    if (!(st = dbf__sq_stmt(store, S_TEAM_MEMBERS)))
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, team);
    void *items;
    enum dbf_store_status status =
        dbf__sq_collect(store, st, sizeof **out, read_user_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_member_set(struct dbf_store *store, int64_t team, int64_t user,
                                         bool member)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, member ? S_MEMBER_ADD : S_MEMBER_REMOVE);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_int64(st, 1, team);
    sqlite3_bind_int64(st, 2, user);
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK && dbf__sq_changes(store) > 0) {
        char target[48], detail[32];
        snprintf(target, sizeof target, "team:%lld", (long long)team);
        snprintf(detail, sizeof detail, "user:%lld", (long long)user);
        status = dbf__sq_audit(store, 0, member ? "member.add" : "member.remove", target, detail);
    }
    return dbf__sq_tx_end(store, status);
}
