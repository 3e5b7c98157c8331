/* series_reduce.c: a series reduced to what each pixel column can show. */
#include "charts.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

size_t dbf__series_find(const struct dbf__series *s, int64_t t, bool after)
{
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->t[mid] < t || (after && s->t[mid] == t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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
        struct dbf__column *c = &out[col];
        for (; i < b && s->t[i] < next; i++) {
            double v = s->v[i];
            if (!isfinite(v))
                continue;
            if (!c->used) {
                *c = (struct dbf__column){i, i, i, i, true};
                continue;
            }
            c->last = i;
            if (v < s->v[c->min])
                c->min = i;
            if (v > s->v[c->max])
                c->max = i;
        }
    }
    return b - a;
}
