/* zone.h: time zones as post mortems name them, resolved to UTC offsets.
 *
 * A zone is an IANA name read from the system's zone data (TZif files,
 * versions 1 to 4, under $TZDIR or /usr/share/zoneinfo, with the POSIX TZ
 * rule of the file's footer for times past its last transition), a US
 * generic name that follows daylight saving time ("PT", "Eastern", "US/Pacific"
 * → America/Los_Angeles …), an abbreviation with its one fixed offset
 * ("PST", "CEST", "IST" = India), or an offset ("+02:00", "UTC-7",
 * "GMT+5:30", "Z"). The process's TZ and the C library's zone state are
 * never read or changed, so zones may be used from any number of threads;
 * a zone is immutable once opened.
 *
 * Local wall-clock times that occur twice (the hour repeated when clocks go
 * back) read as their first occurrence unless the caller asks for the second;
 * times that never occur (the hour skipped when clocks go forward) read with
 * the offset in force before the change, so 02:30 on a night that jumps from
 * 02:00 to 03:00 is the instant shown afterwards as 03:30. */
#ifndef DBF_ZONE_H
#define DBF_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dbf__zone;

/* Opens the zone SPEC names. Returns NULL with a message ("unknown time zone
 * 'Mars/Olympus'") in ERR when SPEC is none of the forms above or its zone
 * file is missing or malformed. The caller frees with dbf__zone_free(). */
struct dbf__zone *dbf__zone_open(const char *spec, char *err, size_t errlen);

/* A zone with the fixed offset SECONDS east of UTC, named NAME (or
 * "+HH:MM" when NAME is NULL); NULL when memory runs out. */
struct dbf__zone *dbf__zone_fixed(int seconds, const char *name);

void dbf__zone_free(struct dbf__zone *zone);

/* The zone's name as resolved: "America/Los_Angeles", "PST", "+02:00", "UTC". */
const char *dbf__zone_name(const struct dbf__zone *zone);

/* Does the zone have one offset for all time? */
bool dbf__zone_is_fixed(const struct dbf__zone *zone);

/* The offset in seconds east of UTC in force at UTC second AT. */
int dbf__zone_offset_at(const struct dbf__zone *zone, int64_t at);

/* The abbreviation in force at UTC second AT ("PDT", "CET", or the offset
 * "-03:00" where the zone data has no name) copied to OUT; returns OUT. */
const char *dbf__zone_abbrev_at(const struct dbf__zone *zone, int64_t at, char *out, size_t size);

/* The zone's standard offset (no daylight saving) in its current rules:
 * what a time of day with no date is read in. */
int dbf__zone_standard_offset(const struct dbf__zone *zone);

/* How a local wall-clock time maps onto UTC. */
enum dbf__local_kind {
    DBF_LOCAL_UNIQUE,    /* one instant */
    DBF_LOCAL_AMBIGUOUS, /* two instants: the clocks went back over it */
    DBF_LOCAL_SKIPPED,   /* no instant: the clocks jumped over it */
};

/* Reads LOCAL (seconds since the epoch of the local wall clock, as if it
 * were UTC) in ZONE. FIRST and SECOND (either may be NULL) get the UTC
 * instants: equal for a unique time, the two occurrences in order for an
 * ambiguous one, and for a skipped one both the reading with the offset
 * before the change. */
enum dbf__local_kind dbf__zone_local(const struct dbf__zone *zone, int64_t local, int64_t *first,
                                     int64_t *second);

/* LOCAL read in ZONE by the rule above: the first occurrence. */
int64_t dbf__zone_to_utc(const struct dbf__zone *zone, int64_t local);

#endif
