/* postgres.c: the PostgreSQL backend, through libpq. */
#include "store_impl.h"

#include <stdio.h>

struct dbf_store *dbf__postgres_open(const char *url, char *err, size_t errlen)
{
    (void)url;
    if (err && errlen)
        snprintf(err, errlen, "PostgreSQL is not available in this build");
    return NULL;
}
