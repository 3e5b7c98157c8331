/* postgres_conn.c: the PostgreSQL backend's connection: prepared statements,
 * parameters, results, transactions, errors and recovery from a lost
 * connection.
 *
 * Invariant: prepared[] lists exactly the statements prepared on the current
 * connection; a reset empties it. */
#include "postgres_impl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dbf__pg_param_text(struct pg_params *p, const char *text)
{
    int i = p->count++;
    p->values[i] = text;
    p->lengths[i] = text ? (int)strlen(text) : 0;
    p->formats[i] = 0;
}

void dbf__pg_param_int(struct pg_params *p, int64_t value)
{
    int i = p->count++;
    snprintf(p->numbers[i], sizeof p->numbers[i], "%" PRId64, value);
    p->values[i] = p->numbers[i];
    p->lengths[i] = (int)strlen(p->numbers[i]);
    p->formats[i] = 0;
}

void dbf__pg_param_id(struct pg_params *p, int64_t id)
{
    if (id)
        dbf__pg_param_int(p, id);
    else
        dbf__pg_param_text(p, NULL);
}

void dbf__pg_param_bytes(struct pg_params *p, const void *bytes, size_t length)
{
    int i = p->count++;
    p->values[i] = bytes;
    p->lengths[i] = (int)length;
    p->formats[i] = 1;
}

/* The first line of libpq's message, without its "ERROR:" prefix and final
 * newline. */
static void first_line(const char *msg, char *out, size_t size)
{
    if (!msg || !*msg)
        msg = "unknown error";
    if (strncmp(msg, "ERROR:  ", 8) == 0)
        msg += 8;
    size_t n = strcspn(msg, "\n");
    snprintf(out, size, "%.*s", (int)n, msg);
}

static enum dbf_store_status lost(struct dbf_store *store, const char *why)
{
    char line[400];
    first_line(why, line, sizeof line);
    return dbf__store_fail(store, DBF_STORE_UNAVAILABLE, "the database cannot be reached: %s",
                           line);
}

/* Maps a failed result (or none, when R is NULL) to a status and message. */
static enum dbf_store_status db_fail(struct dbf_store *store, const PGresult *r)
{
    struct pg_store *s = dbf__pg(store);
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(s->conn);
    char line[400];
    first_line(msg, line, sizeof line);
    if (PQstatus(s->conn) != CONNECTION_OK || !state || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P", 3) == 0)
        return lost(store, msg);
    if (strcmp(state, "23505") == 0)
        return dbf__store_fail(store, DBF_STORE_CONFLICT, "already exists (%s)", line);
    if (strcmp(state, "23503") == 0)
        return dbf__store_fail(store, DBF_STORE_INVALID, "a user or team named does not exist (%s)",
                               line);
    if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
        return dbf__store_fail(store, DBF_STORE_INVALID, "database refused the change: %s", line);
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 ||
        strncmp(state, "53", 2) == 0)
        return dbf__store_fail(store, DBF_STORE_UNAVAILABLE, "database unavailable: %s", line);
    return dbf__store_fail(store, DBF_STORE_INTERNAL, "database error: %s", line);
}

/* Makes sure the connection is up, resetting a lost one outside a
 * transaction (inside one, its work is gone: the caller rolls back). */
static enum dbf_store_status connected(struct dbf_store *store)
{
    struct pg_store *s = dbf__pg(store);
    if (PQstatus(s->conn) == CONNECTION_OK)
        return DBF_STORE_OK;
    if (s->in_transaction)
        return lost(store, PQerrorMessage(s->conn));
    s->prepared_count = 0;
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK)
        return lost(store, PQerrorMessage(s->conn));
    return DBF_STORE_OK;
}

static enum dbf_store_status prepare(struct dbf_store *store, const struct pg_statement *st)
{
    struct pg_store *s = dbf__pg(store);
    for (size_t i = 0; i < s->prepared_count; i++)
        if (s->prepared[i] == st)
            return DBF_STORE_OK;
    if (s->prepared_count == s->prepared_alloc) {
        size_t alloc = s->prepared_alloc ? s->prepared_alloc * 2 : 64;
        const struct pg_statement **grown = realloc(s->prepared, alloc * sizeof *grown);
        if (!grown)
            return dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
        s->prepared = grown;
        s->prepared_alloc = alloc;
    }
    PGresult *r = PQprepare(s->conn, st->name, st->sql, 0, NULL);
    enum dbf_store_status status = DBF_STORE_OK;
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
        status = db_fail(store, r);
    PQclear(r);
    if (status == DBF_STORE_OK)
        s->prepared[s->prepared_count++] = st;
    return status;
}

/* May a statement that just failed run again? Once, when the connection
 * was lost outside a transaction: a connection that went stale while idle
 * (the database restarted) fails before anything runs, and the retry, on a
 * reset connection, is its first run. Inside a transaction the work so far
 * is gone, and the caller answers UNAVAILABLE. */
static bool again(struct pg_store *s, int attempt)
{
    return attempt == 0 && !s->in_transaction && PQstatus(s->conn) != CONNECTION_OK;
}

/* dbf__pg_run(), with results as text (FORMAT 0) or binary (1). */
static enum dbf_store_status run(struct dbf_store *store, const struct pg_statement *statement,
                                 const struct pg_params *params, PGresult **result, int format)
{
    struct pg_store *s = dbf__pg(store);
    if (result)
        *result = NULL;
    for (int attempt = 0;; attempt++) {
        enum dbf_store_status status = connected(store);
        if (status != DBF_STORE_OK)
            return status;
        status = prepare(store, statement);
        if (status != DBF_STORE_OK) {
            if (again(s, attempt))
                continue;
            return status;
        }
        PGresult *r = PQexecPrepared(
            s->conn, statement->name, params ? params->count : 0, params ? params->values : NULL,
            params ? params->lengths : NULL, params ? params->formats : NULL, format);
        ExecStatusType rs = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
            if (result)
                *result = r;
            else
                PQclear(r);
            return DBF_STORE_OK;
        }
        status = db_fail(store, r);
        PQclear(r);
        if (!again(s, attempt))
            return status;
    }
}

enum dbf_store_status dbf__pg_run(struct dbf_store *store, const struct pg_statement *statement,
                                  const struct pg_params *params, PGresult **result)
{
    return run(store, statement, params, result, 0);
}

enum dbf_store_status dbf__pg_run_binary(struct dbf_store *store,
                                         const struct pg_statement *statement,
                                         const struct pg_params *params, PGresult **result)
{
    return run(store, statement, params, result, 1);
}

enum dbf_store_status dbf__pg_run_changes(struct dbf_store *store,
                                          const struct pg_statement *statement,
                                          const struct pg_params *params, long *changed)
{
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, statement, params, &r);
    if (status != DBF_STORE_OK)
        return status;
    *changed = strtol(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return DBF_STORE_OK;
}

enum dbf_store_status dbf__pg_exec(struct dbf_store *store, const char *sql)
{
    struct pg_store *s = dbf__pg(store);
    for (int attempt = 0;; attempt++) {
        enum dbf_store_status status = connected(store);
        if (status != DBF_STORE_OK)
            return status;
        PGresult *r = PQexec(s->conn, sql);
        ExecStatusType rs = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
            PQclear(r);
            return DBF_STORE_OK;
        }
        status = db_fail(store, r);
        PQclear(r);
        if (!again(s, attempt))
            return status;
    }
}

enum dbf_store_status dbf__pg_tx_begin(struct dbf_store *store)
{
    enum dbf_store_status status = dbf__pg_exec(store, "BEGIN");
    if (status == DBF_STORE_OK)
        dbf__pg(store)->in_transaction = true;
    return status;
}

enum dbf_store_status dbf__pg_tx_end(struct dbf_store *store, enum dbf_store_status status)
{
    struct pg_store *s = dbf__pg(store);
    if (!s->in_transaction)
        return status;
    if (status == DBF_STORE_OK) {
        status = dbf__pg_exec(store, "COMMIT");
        s->in_transaction = false;
        return status;
    }
    char keep[sizeof store->message];
    memcpy(keep, store->message, sizeof keep);
    if (PQstatus(s->conn) == CONNECTION_OK)
        dbf__pg_exec(store, "ROLLBACK");
    s->in_transaction = false;
    memcpy(store->message, keep, sizeof keep);
    return status;
}

int64_t dbf__pg_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

char *dbf__pg_dup(const PGresult *r, int row, int col)
{
    size_t n = (size_t)PQgetlength(r, row, col);
    char *copy = malloc(n + 1);
    if (copy) {
        if (n)
            memcpy(copy, PQgetvalue(r, row, col), n);
        copy[n] = '\0';
    }
    return copy;
}

void dbf__pg_copy(const PGresult *r, int row, int col, char *out, size_t size)
{
    snprintf(out, size, "%s", PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

enum dbf_store_status dbf__pg_collect(struct dbf_store *store, PGresult *r, size_t size,
                                      bool (*read)(const PGresult *, int, void *), void **out,
                                      size_t *count)
{
    int rows = PQntuples(r);
    *out = NULL;
    *count = 0;
    if (rows == 0) {
        PQclear(r);
        return DBF_STORE_OK;
    }
    char *items = calloc((size_t)rows, size);
    if (!items) {
        PQclear(r);
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    }
    bool ok = true;
    for (int i = 0; i < rows; i++)
        ok = read(r, i, items + (size_t)i * size) && ok;
    PQclear(r);
    *out = items;
    *count = (size_t)rows;
    if (!ok)
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    return DBF_STORE_OK;
}

const struct pg_statement dbf__pg_generation_statement = {"generation",
                                                         "SELECT pg_current_snapshot()::text"};

enum dbf_store_status dbf__pg_generation_of(struct dbf_store *store, const PGresult *r, char *out,
                                            size_t size)
{
    /* A shortened snapshot could equal another: refuse it instead. */
    if (PQntuples(r) != 1 || (size_t)PQgetlength(r, 0, 0) >= size)
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "no usable snapshot");
    dbf__pg_copy(r, 0, 0, out, size);
    return DBF_STORE_OK;
}

enum dbf_store_status dbf__pg_generation(struct dbf_store *store, char *out, size_t size)
{
    PGresult *r = NULL;
    enum dbf_store_status status = dbf__pg_run(store, &dbf__pg_generation_statement, NULL, &r);
    if (status != DBF_STORE_OK)
        return status;
    status = dbf__pg_generation_of(store, r, out, size);
    PQclear(r);
    return status;
}
