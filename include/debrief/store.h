/* store.h: where the team server keeps post mortems, revisions and people. */
#ifndef DEBRIEF_STORE_H
#define DEBRIEF_STORE_H

/* The schema version the library writes. */
const char *dbf_store_version(void);

#endif
