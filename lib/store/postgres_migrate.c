/* postgres_migrate.c: brings a PostgreSQL database's schema up to date at
 * open, each migration in its own transaction.
 *
 * Every transaction that reads or writes schema_migrations first takes one
 * transaction-scoped advisory lock, so servers starting at once take turns:
 * the first applies a migration, the others then see it applied and skip it.
 * The numbered migrations both backends share are recorded in
 * schema_migrations, PostgreSQL's own (postgres_schema.c) after them in
 * schema_migrations_postgres. */
#include "postgres_impl.h"

#include <stdio.h>
#include <string.h>

/* "debrief" in ASCII: the advisory lock every debrief server agrees on. */
#define MIGRATION_LOCK "28258971171775846"

static const struct pg_statement lock_migrations = {
    "migrate_lock", "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")"};
/* Where one list of migrations is recorded. */
struct migration_log {
    const char *create;
    struct pg_statement is_applied, record;
};

#define LOG(table, id)                                                                             \
    {                                                                                              \
        "CREATE TABLE IF NOT EXISTS " table " (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"   \
        " applied BIGINT NOT NULL)",                                                               \
            {"migrate_applied" id, "SELECT 1 FROM " table " WHERE version = $1"},                  \
            {"migrate_record" id,                                                                  \
             "INSERT INTO " table " (version, name, applied) VALUES ($1, $2, $3)"},                \
    }

static const struct migration_log shared_log = LOG("schema_migrations", "");
static const struct migration_log postgres_log = LOG("schema_migrations_postgres", "_postgres");
static const struct pg_statement version_now = {
    "schema_version", "SELECT coalesce(max(version), 0) FROM schema_migrations"};

static enum dbf_store_status locked_begin(struct dbf_store *store)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status == DBF_STORE_OK)
        status = dbf__pg_run(store, &lock_migrations, NULL, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    return DBF_STORE_OK;
}

static enum dbf_store_status apply(struct dbf_store *store, const struct migration_log *log,
                                   const struct dbf__migration *m)
{
    enum dbf_store_status status = locked_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, m->version);
    PGresult *r;
    status = dbf__pg_run(store, &log->is_applied, &p, &r);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    bool done = PQntuples(r) > 0;
    PQclear(r);
    if (done)
        return dbf__pg_tx_end(store, DBF_STORE_OK);
    status = dbf__pg_exec(store, m->sql);
    if (status != DBF_STORE_OK) {
        char why[sizeof store->message];
        memcpy(why, store->message, sizeof why);
        return dbf__pg_tx_end(store, dbf__store_fail(store, status, "migration %d (%s) failed: %s",
                                                     m->version, m->name, why));
    }
    p = (struct pg_params){0};
    dbf__pg_param_int(&p, m->version);
    dbf__pg_param_text(&p, m->name);
    dbf__pg_param_int(&p, dbf_store_now(store));
    return dbf__pg_tx_end(store, dbf__pg_run(store, &log->record, &p, NULL));
}

enum dbf_store_status dbf__pg_migrate(struct dbf_store *store)
{
    int latest = dbf__postgres_migrations[dbf__postgres_migration_count - 1].version;
    if (latest != dbf_store_schema_latest())
        return dbf__store_fail(store, DBF_STORE_INTERNAL,
                               "the PostgreSQL schema ends at version %d but the store's is %d",
                               latest, dbf_store_schema_latest());
    enum dbf_store_status status = DBF_STORE_OK;
    const struct {
        const struct migration_log *log;
        const struct dbf__migration *rows;
        size_t count;
    } lists[] = {
        {&shared_log, dbf__postgres_migrations, dbf__postgres_migration_count},
        {&postgres_log, dbf__postgres_only_migrations, dbf__postgres_only_migration_count},
    };
    for (size_t l = 0; status == DBF_STORE_OK && l < sizeof lists / sizeof *lists; l++) {
        status = locked_begin(store);
        if (status != DBF_STORE_OK)
            return status;
        status = dbf__pg_tx_end(store, dbf__pg_exec(store, lists[l].log->create));
        for (size_t i = 0; status == DBF_STORE_OK && i < lists[l].count; i++)
            status = apply(store, lists[l].log, &lists[l].rows[i]);
    }
    return status;
}

enum dbf_store_status dbf__pg_schema_version(struct dbf_store *store, int *version)
{
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &version_now, NULL, &r);
    if (status != DBF_STORE_OK)
        return status;
    *version = (int)dbf__pg_int(r, 0, 0);
    PQclear(r);
    return DBF_STORE_OK;
}
