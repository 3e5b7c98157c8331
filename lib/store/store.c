/* store.c: the storage interface of the team server. */
#include "debrief/store.h"

const char *dbf_store_version(void)
{
    return "0";
}
