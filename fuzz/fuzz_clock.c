/* fuzz_clock.c: the time, date, duration and zone readers (lib/parse/clock.h,
 * lib/analysis/zone.h, the chat import's and the metrics' time parsers) on
 * any bytes, with their contracts checked: never past LEN, dates round-trip. */
#include "fuzz.h"

#include "analysis/zone.h"
#include "debrief/import.h"
#include "parse/clock.h"
#include "render/metrics.h"

#include <stdlib.h>
#include <string.h>

/* A broken contract is a finding like a crash. */
static void check(bool ok)
{
    if (!ok)
        abort();
}

static void scan_times(const char *s, size_t len)
{
    static const enum dbf__date_order orders[] = {DBF_ORDER_DEFAULT, DBF_MONTH_FIRST,
                                                  DBF_DAY_FIRST};
    for (size_t i = 0; i < 3; i++) {
        struct dbf_time t;
        memset(&t, 0, sizeof t);
        check(dbf__time_scan_order(s, len, &t, i == 0, orders[i]) <= len);
        memset(&t, 0, sizeof t);
        check(dbf__time_scan_order(s, len, &t, i != 0, orders[i]) <= len);
        struct dbf_date d = {0};
        size_t n = dbf__date_scan_order(s, len, &d, orders[i]);
        check(n <= len);
        if (n && d.year && dbf__date_valid(d)) {
            int64_t days = dbf__days_from_civil(d.year, d.month, d.day);
            struct dbf_date back = dbf__civil_from_days(days);
            check(back.year == d.year && back.month == d.month && back.day == d.day);
            check(dbf__date_diff(d, back) == 0);
        }
    }
    struct dbf_time z;
    memset(&z, 0, sizeof z);
    check(dbf__zone_scan(s, len, &z) <= len);
    size_t used = 0;
    int64_t seconds = dbf__duration_scan(s, len, &used);
    check(used <= len && seconds >= -1);
    int64_t at;
    (void)dbf__metric_time(s, len, &at);
}

/* Opens the text as a zone spec and asks it about a few instants. */
static void open_zone(const char *spec)
{
    char err[256];
    struct dbf__zone *zone = dbf__zone_open(spec, err, sizeof err);
    if (!zone)
        return;
    (void)dbf__zone_name(zone);
    (void)dbf__zone_is_fixed(zone);
    (void)dbf__zone_standard_offset(zone);
    static const int64_t instants[] = {0,          1773151200, 1774746000, -2208988800,
                                       4102444800, INT32_MIN,  INT32_MAX};
    for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++) {
        char abbrev[32];
        int offset = dbf__zone_offset_at(zone, instants[i]);
        check(offset > -86400 && offset < 86400);
        (void)dbf__zone_abbrev_at(zone, instants[i], abbrev, sizeof abbrev);
        int64_t first, second;
        (void)dbf__zone_local(zone, instants[i], &first, &second);
        check(first <= second);
    }
    dbf__zone_free(zone);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    scan_times(s, size);
    /* The NUL-terminated readers see the text up to its first NUL. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (size < 256)
        open_zone(text);
    char err[256];
    int64_t out;
    const char *nl = memchr(text, '\n', size);
    if (nl) {
        /* "TIME\nZONE": a chat import's --since with --zone. */
        text[nl - text] = '\0';
        (void)dbf_chat_time_parse(text, nl + 1, size & 1, &out, err, sizeof err);
    } else {
        (void)dbf_chat_time_parse(text, NULL, false, &out, err, sizeof err);
    }
    free(text);
    return 0;
}
