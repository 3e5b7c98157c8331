/* postgres_schema.c: the PostgreSQL schema as numbered migrations, the same
 * meaning as sqlite_schema.c's. */
#include "store_impl.h"

const struct dbf__migration dbf__postgres_migrations[] = {
    {0, "none", ""},
};

const size_t dbf__postgres_migration_count = 0;
