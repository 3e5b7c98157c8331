/* zone.c: the zone of imported times, and how a time is stamped in it.
 *
 * Zones are resolved by the analysis's zone reader (IANA names through the
 * system's zone data, US generic names, abbreviations, offsets); this file
 * only chooses how each entry names its zone so that the document parser
 * reads the entry back at the same instant. */
#include "../analysis/zone.h"
#include "../parse/clock.h"
#include "chat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dbf__chat_zone {
    struct dbf__zone *zone;
};

struct dbf__chat_zone *dbf__chat_zone_new(const char *spec, char *err, size_t errlen)
{
    struct dbf__chat_zone *z = calloc(1, sizeof *z);
    if (!z) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char why[256];
    z->zone = dbf__zone_open(spec && *spec ? spec : "UTC", why, sizeof why);
    if (!z->zone) {
        free(z);
        snprintf(err, errlen,
                 "unknown zone '%s'; use an IANA name (Europe/Paris), an abbreviation (PST) or an "
                 "offset (+02:00)",
                 spec);
        return NULL;
    }
    return z;
}

void dbf__chat_zone_free(struct dbf__chat_zone *zone)
{
    if (!zone)
        return;
    dbf__zone_free(zone->zone);
    free(zone);
}

int dbf__chat_zone_offset(const struct dbf__chat_zone *zone, int64_t at)
{
    return dbf__zone_offset_at(zone->zone, at);
}

int64_t dbf__chat_zone_to_utc(const struct dbf__chat_zone *zone, int64_t local)
{
    return dbf__zone_to_utc(zone->zone, local);
}

struct dbf_date dbf__chat_civil(int64_t days)
{
    return dbf__civil_from_days(days);
}

/* The abbreviation ABBR when the document parser reads it back with OFFSET
 * ("PDT", "CET", "UTC"), else the numeric offset ("+05:45"). */
static void label(const char *abbr, int offset, char *out, size_t size)
{
    struct dbf_time back = {0};
    size_t len = strlen(abbr);
    if (len && isalpha((unsigned char)abbr[0]) && dbf__zone_scan(abbr, len, &back) == len &&
        back.zone_is_fixed && back.utc_offset * 60 == offset) {
        snprintf(out, size, "%s", abbr);
    } else if (offset == 0) {
        snprintf(out, size, "UTC");
    } else {
        int m = (offset < 0 ? -offset : offset) / 60;
        snprintf(out, size, "%c%02d:%02d", offset < 0 ? '-' : '+', m / 60, m % 60);
    }
}

void dbf__chat_zone_stamp(const struct dbf__chat_zone *zone, int64_t at, struct dbf_buf *out)
{
    char abbr[32], name[32];
    int offset = dbf__zone_offset_at(zone->zone, at);
    dbf__zone_abbrev_at(zone->zone, at, abbr, sizeof abbr);
    label(abbr, offset, name, sizeof name);
    int64_t local = at + offset;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400;
    struct dbf_date d = dbf__chat_civil(days);
    dbf_buf_addf(out, "%04d-%02d-%02d %02d:%02d %s", d.year, d.month, d.day, (int)(secs / 3600),
                 (int)(secs / 60 % 60), name);
}
