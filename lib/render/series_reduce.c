/* series_reduce.c: a series reduced to what each pixel column can show. */
#include "charts.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The first index in [LO, HI) whose time is past T (AFTER) or at or past T,
 * or HI: the times are in order. */
static size_t find_in(const struct dbf__series *s, size_t lo, size_t hi, int64_t t, bool after)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->t[mid] < t || (after && s->t[mid] == t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t dbf__series_find(const struct dbf__series *s, int64_t t, bool after)
{
    return find_in(s, 0, s->count, t, after);
}

size_t dbf__series_reduce(const struct dbf__series *s, int64_t start, int64_t end, int columns,
                          struct dbf__column *out)
{
    if (columns <= 0)
        return 0;
    memset(out, 0, (size_t)columns * sizeof *out);
    if (end < start || !s->count)
        return 0;
    size_t a = dbf__series_find(s, start, false), b = dbf__series_find(s, end, true);
    int64_t span = end - start;
    /* Points are in time order, so each column takes a run of them: the run
     * ends at the first time whose column, (t - start) * columns / span
     * rounded down, is the next one. The readers keep times within 10^13
     * seconds of 1970, so the products fit. */
    size_t i = a;
    for (int col = 0; col < columns && i < b; col++) {
        int64_t next = INT64_MAX; /* the last column takes the rest, END included */
        if (span && col + 1 < columns)
            next = start + ((int64_t)(col + 1) * span + columns - 1) / columns;
        /* Where the run ends, by halving: runs are long when points are
         * many. */
        size_t run = find_in(s, i, b, next, false);
        /* The run's first finite value, then its extremes: the first of
         * equal ones, as the points come. */
        while (i < run && !isfinite(s->v[i]))
            i++;
        if (i == run)
            continue;
        struct dbf__column c = {i, i, i, i, true};
        double low = s->v[i], high = low;
        for (i++; i < run; i++) {
            double v = s->v[i];
            if (!isfinite(v))
                continue;
            c.last = i;
            if (v < low) {
                low = v;
                c.min = i;
            }
            if (v > high) {
                high = v;
                c.max = i;
            }
        }
        out[col] = c;
    }
    return b - a;
}
