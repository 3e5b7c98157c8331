/* fuzz_tzif.c: the zone data reader (lib/analysis/zone.c): any bytes as a
 * TZif file under $TZDIR, with its POSIX TZ footer, opened and queried. */
#include "fuzz.h"

#include "analysis/zone.h"

#include <stdlib.h>

static const char *dir;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    dir = fuzz_tmpdir();
    if (!dir || setenv("TZDIR", dir, 1) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_write(dir, "Fuzz/Zone", data, size))
        abort();
    char err[256];
    struct dbf__zone *zone = dbf__zone_open("Fuzz/Zone", err, sizeof err);
    if (!zone)
        return 0;
    (void)dbf__zone_standard_offset(zone);
    /* Before, between and after transitions, and far beyond the footer's
     * rule both ways, within the years 0 to 9999 a post mortem can write. */
    static const int64_t instants[] = {
        -62167219200, -2208988800, -1,         0,          1,
        1773151200,   1774746000,  1798761600, 4102444800, 253402300799};
    for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++) {
        char abbrev[32];
        (void)dbf__zone_offset_at(zone, instants[i]);
        (void)dbf__zone_abbrev_at(zone, instants[i], abbrev, sizeof abbrev);
        int64_t first, second;
        (void)dbf__zone_local(zone, instants[i], &first, &second);
        (void)dbf__zone_to_utc(zone, instants[i]);
    }
    dbf__zone_free(zone);
    return 0;
}
