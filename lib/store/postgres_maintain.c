/* postgres_maintain.c: the upkeep a bulk write leaves to autovacuum, done
 * at once when the writer is finished (dbf_store_optimize()).
 *
 * The tables done are those autovacuum would start on now, by its own
 * settings: more rows changed since the last ANALYZE, or inserted or dead
 * since the last VACUUM, than its threshold plus scale factor times the
 * table's rows. Each gets VACUUM (ANALYZE), in one statement. So a large
 * import leaves nothing for autovacuum to commit while servers read, and a
 * small one into a large database costs next to nothing. */
#include "postgres_impl.h"

#include "debrief/buf.h"

#include <stdlib.h>

#define OVER(count, kind)                                                                          \
    "(current_setting('autovacuum_" kind "_threshold')::float8 >= 0 AND s." count                  \
    " > current_setting('autovacuum_" kind "_threshold')::float8"                                  \
    " + current_setting('autovacuum_" kind "_scale_factor')::float8 * greatest(c.reltuples, 0))"

/* Catalogs count too (a migration changes them); TOAST tables go with
 * their own table. */
#define DUE_ANALYZE OVER("n_mod_since_analyze", "analyze")
#define DUE_VACUUM_INSERT OVER("n_ins_since_vacuum", "vacuum_insert")
#define DUE_VACUUM OVER("n_dead_tup", "vacuum")
static const struct pg_statement due = {
    "maintenance_due",
    "SELECT format('%I.%I', s.schemaname, s.relname) FROM pg_stat_all_tables s"
    " JOIN pg_class c ON c.oid = s.relid"
    " WHERE c.relkind IN ('r', 'm') AND s.schemaname NOT LIKE 'pg\\_toast%'"
    " AND (" DUE_ANALYZE " OR " DUE_VACUUM_INSERT " OR " DUE_VACUUM ")"
    " ORDER BY 1"};

static const struct pg_statement flush = {"statistics_flush", "SELECT pg_stat_force_next_flush()"};

enum dbf_store_status dbf__pg_optimize(struct dbf_store *store)
{
    if (dbf__pg(store)->in_transaction)
        return dbf__store_fail(store, DBF_STORE_INTERNAL,
                               "the database cannot be vacuumed inside a transaction");
    /* This connection's own counts of what it wrote reach the shared
     * statistics only when it is idle, at most once a second: ask for them
     * now (PostgreSQL 15 on), or the tables written last would look clean
     * and be left to autovacuum after all. */
    enum dbf_store_status status = DBF_STORE_OK;
    if (PQserverVersion(dbf__pg(store)->conn) >= 150000)
        status = dbf__pg_run(store, &flush, NULL, NULL);
    PGresult *r;
    if (status == DBF_STORE_OK)
        status = dbf__pg_run(store, &due, NULL, &r);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_buf sql;
    dbf_buf_init(&sql, 0);
    dbf_buf_adds(&sql, "VACUUM (ANALYZE) ");
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++)
        dbf_buf_addf(&sql, "%s%s", i ? ", " : "", PQgetvalue(r, i, 0));
    PQclear(r);
    /* A table this user may not vacuum (a catalog, for one who does not
     * own the database) is skipped by the server with a notice. */
    if (sql.failed)
        status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    else if (rows > 0)
        status = dbf__pg_exec(store, sql.data);
    dbf_buf_release(&sql);
    return status;
}
