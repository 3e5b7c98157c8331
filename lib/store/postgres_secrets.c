/* postgres_secrets.c: API tokens, sessions and sign-in throttling in
 * PostgreSQL. Only hashes of tokens and session ids are stored (BYTEA, sent
 * as binary parameters), and found hashes are compared again in constant
 * time. */
#include "postgres_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct pg_statement token_insert = {
    "token_add", "INSERT INTO api_tokens (user_id, label, token_hash, created)"
                 " VALUES ($1, $2, $3, $4) RETURNING id"};
static const struct pg_statement token_lookup = {
    "token_find", "SELECT u.id, u.name, u.role, u.created, t.token_hash FROM api_tokens t"
                  " JOIN users u ON u.id = t.user_id"
                  " WHERE t.token_hash = $1 AND t.revoked IS NULL"};
static const struct pg_statement token_all = {
    "token_list", "SELECT id, label, created, coalesce(revoked, 0) FROM api_tokens"
                  " WHERE user_id = $1 ORDER BY id DESC"};
static const struct pg_statement token_stop = {
    "token_revoke", "UPDATE api_tokens SET revoked = $1"
                    " WHERE id = $2 AND user_id = $3 AND revoked IS NULL"};
static const struct pg_statement session_purge = {"session_purge",
                                                  "DELETE FROM sessions WHERE expires <= $1"};
static const struct pg_statement session_insert = {
    "session_add", "INSERT INTO sessions (id_hash, user_id, created, expires)"
                   " VALUES ($1, $2, $3, $4)"};
static const struct pg_statement session_lookup = {
    "session_find", "SELECT u.id, u.name, u.role, u.created, s.id_hash FROM sessions s"
                    " JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires > $2"};
static const struct pg_statement session_delete = {
    "session_end", "DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id"};
static const struct pg_statement failure_insert = {
    "login_failure", "INSERT INTO login_failures (key, created) VALUES ($1, $2)"};
static const struct pg_statement failure_count = {
    "login_failures", "SELECT count(*) FROM login_failures WHERE key = $1 AND created >= $2"};
static const struct pg_statement failure_forget = {"login_forget",
                                                   "DELETE FROM login_failures WHERE key = $1"};

enum dbf_store_status dbf__pg_token_add(struct dbf_store *store, int64_t user, const char *label,
                                        const unsigned char hash[DBF__SECRET_HASH_LEN], int64_t *id)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, user);
    dbf__pg_param_text(&p, label);
    dbf__pg_param_bytes(&p, hash, DBF__SECRET_HASH_LEN);
    dbf__pg_param_int(&p, dbf_store_now(store));
    PGresult *r;
    status = dbf__pg_run(store, &token_insert, &p, &r);
    int64_t new_id = 0;
    if (status == DBF_STORE_OK) {
        new_id = dbf__pg_int(r, 0, 0);
        PQclear(r);
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__pg_audit(store, user, "token.new", target, label);
    }
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__pg_tx_end(store, status);
}

/* Reads the first row of R, a user and then a stored hash, when that hash
 * equals HASH (compared in constant time). */
static enum dbf_store_status user_by_hash(struct dbf_store *store, PGresult *r,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN],
                                          struct dbf_user *out, const char *what)
{
    memset(out, 0, sizeof *out);
    bool found = false;
    if (PQntuples(r) == 1) {
        size_t n = 0;
        unsigned char *stored = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 4), &n);
        found = stored && n == DBF__SECRET_HASH_LEN &&
                sodium_memcmp(stored, hash, DBF__SECRET_HASH_LEN) == 0;
        PQfreemem(stored);
    }
    if (found) {
        out->id = dbf__pg_int(r, 0, 0);
        dbf__pg_copy(r, 0, 1, out->name, sizeof out->name);
        out->role = DBF_ROLE_VIEWER;
        dbf_role_parse(PQgetvalue(r, 0, 2), &out->role);
        out->created = dbf__pg_int(r, 0, 3);
    }
    PQclear(r);
    if (!found)
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "unknown or %s", what);
    return DBF_STORE_OK;
}

enum dbf_store_status dbf__pg_token_find(struct dbf_store *store,
                                         const unsigned char hash[DBF__SECRET_HASH_LEN],
                                         struct dbf_user *out)
{
    struct pg_params p = {0};
    dbf__pg_param_bytes(&p, hash, DBF__SECRET_HASH_LEN);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &token_lookup, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    return user_by_hash(store, r, hash, out, "revoked token");
}

static bool read_token_row(const PGresult *r, int row, void *item)
{
    struct dbf_token *t = item;
    t->id = dbf__pg_int(r, row, 0);
    dbf__pg_copy(r, row, 1, t->label, sizeof t->label);
    t->created = dbf__pg_int(r, row, 2);
    t->revoked = dbf__pg_int(r, row, 3);
    return true;
}

enum dbf_store_status dbf__pg_token_list(struct dbf_store *store, int64_t user,
                                         struct dbf_token **out, size_t *count)
{
    struct pg_params p = {0};
    dbf__pg_param_int(&p, user);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &token_all, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_token_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_token_revoke(struct dbf_store *store, int64_t user, int64_t id)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, dbf_store_now(store));
    dbf__pg_param_int(&p, id);
    dbf__pg_param_int(&p, user);
    long changed = 0;
    status = dbf__pg_run_changes(store, &token_stop, &p, &changed);
    if (status == DBF_STORE_OK && changed == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no live token %lld of this user",
                                 (long long)id);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "token:%lld", (long long)id);
        status = dbf__pg_audit(store, user, "token.revoke", target, "");
    }
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_session_add(struct dbf_store *store, int64_t user, int64_t expires,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN])
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    int64_t when = dbf_store_now(store);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, when);
    status = dbf__pg_run(store, &session_purge, &p, NULL);
    if (status == DBF_STORE_OK) {
        p = (struct pg_params){0};
        dbf__pg_param_bytes(&p, hash, DBF__SECRET_HASH_LEN);
        dbf__pg_param_int(&p, user);
        dbf__pg_param_int(&p, when);
        dbf__pg_param_int(&p, expires);
        status = dbf__pg_run(store, &session_insert, &p, NULL);
    }
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__pg_audit(store, user, "session.new", target, "");
    }
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_session_find(struct dbf_store *store,
                                           const unsigned char hash[DBF__SECRET_HASH_LEN],
                                           int64_t now, struct dbf_user *out)
{
    struct pg_params p = {0};
    dbf__pg_param_bytes(&p, hash, DBF__SECRET_HASH_LEN);
    dbf__pg_param_int(&p, now);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &session_lookup, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    return user_by_hash(store, r, hash, out, "expired session");
}

enum dbf_store_status dbf__pg_session_end(struct dbf_store *store,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN])
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_bytes(&p, hash, DBF__SECRET_HASH_LEN);
    PGresult *r;
    status = dbf__pg_run(store, &session_delete, &p, &r);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    int64_t user = PQntuples(r) ? dbf__pg_int(r, 0, 0) : 0;
    PQclear(r);
    if (user) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__pg_audit(store, user, "session.end", target, "");
    }
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_login_failure(struct dbf_store *store, const char *key)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_text(&p, key);
    dbf__pg_param_int(&p, dbf_store_now(store));
    status = dbf__pg_run(store, &failure_insert, &p, NULL);
    if (status == DBF_STORE_OK)
        status = dbf__pg_audit(store, 0, "login.failure", key, "");
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_login_failures(struct dbf_store *store, const char *key,
                                             int64_t since, int *count)
{
    struct pg_params p = {0};
    dbf__pg_param_text(&p, key);
    dbf__pg_param_int(&p, since);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &failure_count, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    *count = (int)dbf__pg_int(r, 0, 0);
    PQclear(r);
    return DBF_STORE_OK;
}

enum dbf_store_status dbf__pg_login_forget(struct dbf_store *store, const char *key)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_text(&p, key);
    long changed = 0;
    status = dbf__pg_run_changes(store, &failure_forget, &p, &changed);
    if (status == DBF_STORE_OK && changed > 0)
        status = dbf__pg_audit(store, 0, "login.forget", key, "");
    return dbf__pg_tx_end(store, status);
}
