/* series_reduce.c: a series reduced to what each pixel column can show. */
#include "charts.h"

#include <math.h>
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
    for (size_t i = a; i < b; i++) {
        double v = s->v[i];
        if (!isfinite(v))
            continue;
        int64_t col = span ? (s->t[i] - start) * columns / span : 0;
        if (col >= columns)
            col = columns - 1;
        struct dbf__column *c = &out[col];
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
    return b - a;
}
