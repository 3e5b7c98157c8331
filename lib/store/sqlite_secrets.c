/* sqlite_secrets.c: API tokens, sessions and failed sign-ins in SQLite.
 * Only hashes of tokens and session ids are stored; a stored hash is
 * compared in constant time. */
#include "sqlite_db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

enum dbf_store_status dbf__sq_token_add(struct dbf_store *store, int64_t user, const char *label,
                                        const unsigned char hash[DBF__SECRET_HASH_LEN], int64_t *id)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TOKEN_ADD);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_int64(st, 1, user);
    dbf__sq_bind_text(st, 2, label);
    sqlite3_bind_blob(st, 3, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, dbf_store_now(store));
    status = dbf__sq_run(store, st);
    int64_t new_id = sqlite3_last_insert_rowid(dbf__sq(store)->db);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__sq_audit(store, user, "token.new", target, label);
    }
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__sq_tx_end(store, status);
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
        sodium_memcmp(sqlite3_column_blob(st, 4), hash, DBF__SECRET_HASH_LEN) == 0) {
        dbf__sq_read_user(st, out);
        status = DBF_STORE_OK;
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "unknown or %s", what);
    } else {
        status = dbf__sq_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

enum dbf_store_status dbf__sq_token_find(struct dbf_store *store,
                                         const unsigned char hash[DBF__SECRET_HASH_LEN],
                                         struct dbf_user *out)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TOKEN_FIND);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    return find_by_hash(store, st, hash, out, "revoked token");
}

static bool read_token_row(sqlite3_stmt *st, void *item)
{
    struct dbf_token *t = item;
    t->id = sqlite3_column_int64(st, 0);
    dbf__sq_column_copy(st, 1, t->label, sizeof t->label);
    t->created = sqlite3_column_int64(st, 2);
    t->revoked = sqlite3_column_int64(st, 3);
    return true;
}

enum dbf_store_status dbf__sq_token_list(struct dbf_store *store, int64_t user,
                                         struct dbf_token **out, size_t *count)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TOKEN_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, user);
    void *items;
    enum dbf_store_status status =
        dbf__sq_collect(store, st, sizeof **out, read_token_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__sq_token_revoke(struct dbf_store *store, int64_t user, int64_t id)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TOKEN_REVOKE);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_int64(st, 1, dbf_store_now(store));
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int64(st, 3, user);
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK && dbf__sq_changes(store) == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no live token %lld of this user",
                                 (long long)id);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "token:%lld", (long long)id);
        status = dbf__sq_audit(store, user, "token.revoke", target, "");
    }
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_session_add(struct dbf_store *store, int64_t user, int64_t expires,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN])
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    int64_t now = dbf_store_now(store);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_SESSION_PURGE);
    if (st)
        sqlite3_bind_int64(st, 1, now);
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK && !(st = dbf__sq_stmt(store, S_SESSION_ADD)))
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, user);
        sqlite3_bind_int64(st, 3, now);
        sqlite3_bind_int64(st, 4, expires);
        status = dbf__sq_run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__sq_audit(store, user, "session.new", target, "");
    }
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_session_find(struct dbf_store *store,
                                           const unsigned char hash[DBF__SECRET_HASH_LEN],
                                           int64_t now, struct dbf_user *out)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_SESSION_FIND);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    return find_by_hash(store, st, hash, out, "expired session");
}

enum dbf_store_status dbf__sq_session_end(struct dbf_store *store,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN])
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_SESSION_END);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    sqlite3_bind_blob(st, 1, hash, DBF__SECRET_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int64_t user = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return dbf__sq_tx_end(store, dbf__sq_fail(store, rc));
    if (user) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__sq_audit(store, user, "session.end", target, "");
    }
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_login_failure(struct dbf_store *store, const char *key)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_LOGIN_FAILURE);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    dbf__sq_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, dbf_store_now(store));
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK)
        status = dbf__sq_audit(store, 0, "login.failure", key, "");
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_login_failures(struct dbf_store *store, const char *key,
                                             int64_t since, int *count)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_LOGIN_FAILURES);
    if (!st)
        return DBF_STORE_INTERNAL;
    dbf__sq_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, since);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int(st, 0);
    else
        status = dbf__sq_fail(store, rc);
    sqlite3_reset(st);
    return status;
}

enum dbf_store_status dbf__sq_login_forget(struct dbf_store *store, const char *key)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_LOGIN_FORGET);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    dbf__sq_bind_text(st, 1, key);
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK && dbf__sq_changes(store) > 0)
        status = dbf__sq_audit(store, 0, "login.forget", key, "");
    return dbf__sq_tx_end(store, status);
}
