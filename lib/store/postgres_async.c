/* postgres_async.c: the PostgreSQL backend's generation read without
 * waiting (dbf_store_generation_send() in store.h), on a connection of its
 * own so the store's connection stays free for the requests it serves:
 * sent with PQsendQueryPrepared, its answer collected with PQconsumeInput
 * as the caller's event loop finds the socket readable.
 *
 * Invariant: every result of a read is collected before reading_generation
 * is cleared, so the connection is ready for the next read; a connection
 * found lost is reset or opened again at the next send, as the store's own
 * is at its next operation. */
#include "postgres_impl.h"

#include <stdio.h>
#include <string.h>

int dbf__pg_generation_socket(struct dbf_store *store, uint64_t *connection)
{
    struct pg_store *s = dbf__pg(store);
    *connection = s->connection_number;
    return s->generation_conn ? PQsocket(s->generation_conn) : -1;
}

/* UNAVAILABLE with libpq's reason (R's, or the connection's). */
static enum dbf_store_status unreachable(struct dbf_store *store, const PGresult *r)
{
    struct pg_store *s = dbf__pg(store);
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(s->generation_conn);
    if (!msg || !*msg)
        msg = "unknown error";
    if (strncmp(msg, "ERROR:  ", 8) == 0)
        msg += 8;
    return dbf__store_fail(store, DBF_STORE_UNAVAILABLE, "the database cannot be reached: %.*s",
                           (int)strcspn(msg, "\n"), msg);
}

/* The generation connection up, with the read's statement prepared. */
static enum dbf_store_status ready(struct dbf_store *store)
{
    struct pg_store *s = dbf__pg(store);
    if (!s->generation_conn) {
        s->generation_conn = dbf__pg_connect(s->url);
        s->generation_prepared = false;
        s->connection_number++;
        if (!s->generation_conn)
            return dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    } else if (PQstatus(s->generation_conn) != CONNECTION_OK) {
        PQreset(s->generation_conn);
        s->generation_prepared = false;
        s->connection_number++;
    }
    if (PQstatus(s->generation_conn) != CONNECTION_OK)
        return unreachable(store, NULL);
    if (!s->generation_prepared) {
        PGresult *r = PQprepare(s->generation_conn, dbf__pg_generation_statement.name,
                                dbf__pg_generation_statement.sql, 0, NULL);
        enum dbf_store_status status =
            r && PQresultStatus(r) == PGRES_COMMAND_OK ? DBF_STORE_OK : unreachable(store, r);
        PQclear(r);
        if (status != DBF_STORE_OK)
            return status;
        s->generation_prepared = true;
    }
    return DBF_STORE_OK;
}

enum dbf_store_status dbf__pg_generation_send(struct dbf_store *store)
{
    struct pg_store *s = dbf__pg(store);
    store->message[0] = '\0';
    if (s->reading_generation)
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "a generation read is already in flight");
    enum dbf_store_status status = ready(store);
    if (status != DBF_STORE_OK)
        return status;
    /* The connection stays in blocking mode, so the few bytes of the
     * statement are written before this returns; only the answer is
     * waited for by the caller's loop. */
    if (!PQsendQueryPrepared(s->generation_conn, dbf__pg_generation_statement.name, 0, NULL, NULL,
                             NULL, 0))
        return unreachable(store, NULL);
    s->reading_generation = true;
    return DBF_STORE_OK;
}

/* The read is over: STATUS, with the first result cleared. */
static enum dbf_store_status finish(struct dbf_store *store, enum dbf_store_status status)
{
    struct pg_store *s = dbf__pg(store);
    s->reading_generation = false;
    PQclear(s->generation_result);
    s->generation_result = NULL;
    return status;
}

enum dbf_store_status dbf__pg_generation_receive(struct dbf_store *store, char *out, size_t size,
                                                 bool *done)
{
    struct pg_store *s = dbf__pg(store);
    PGconn *conn = s->generation_conn;
    store->message[0] = '\0';
    *done = true;
    if (!s->reading_generation)
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "no generation read is in flight");
    if (!PQconsumeInput(conn)) {
        /* Lost: what is left of this read goes with the connection, and
         * the next send opens another. */
        enum dbf_store_status status = unreachable(store, NULL);
        PQfinish(conn);
        s->generation_conn = NULL;
        return finish(store, status);
    }
    while (!PQisBusy(conn)) {
        PGresult *r = PQgetResult(conn);
        if (!r) {
            const PGresult *first = s->generation_result;
            enum dbf_store_status status =
                first && PQresultStatus(first) == PGRES_TUPLES_OK
                    ? dbf__pg_generation_of(store, first, out, size)
                    : unreachable(store, first);
            return finish(store, status);
        }
        if (!s->generation_result)
            s->generation_result = r;
        else
            PQclear(r);
    }
    *done = false;
    return DBF_STORE_OK;
}
