/* series_reduce.c: a series reduced to what each pixel column can show, as
 * its points come.
 *
 * The points come in time order, a run at a time, so each part of a run is
 * found by halving: the points before the frame, each column's points, the
 * points after it. Within a column only the extremes are looked at, in one
 * tight loop over the values. */
#include "charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The first index in [LO, HI) whose time is past T (AFTER) or at or past T,
 * or HI: the times are in order. */
static size_t find_in(const int64_t *t, size_t lo, size_t hi, int64_t at, bool after)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] < at || (after && t[mid] == at))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first time of the column after C. The readers keep times within
 * 10^13 seconds of 1970, so the products fit. */
static int64_t column_end(const struct dbf__reduction *r, int c)
{
    int64_t span = r->end - r->start;
    if (!span || c + 1 >= r->columns)
        return INT64_MAX; /* the last column takes the rest, END included */
    return r->start + ((int64_t)(c + 1) * span + r->columns - 1) / r->columns;
}

bool dbf__reduction_init(struct dbf__reduction *r, int64_t start, int64_t end, int columns)
{
    memset(r, 0, sizeof *r);
    r->start = start;
    r->end = end;
    r->columns = columns > 0 ? columns : 0;
    r->column = calloc(r->columns ? (size_t)r->columns : 1, sizeof *r->column);
    r->next_sample = 1; /* point 0 ends no interval */
    r->next = column_end(r, 0);
    return r->column != NULL;
}

void dbf__reduction_release(struct dbf__reduction *r)
{
    free(r->column);
    r->column = NULL;
}

static struct dbf__kept_point kept(const int64_t *t, const double *v, size_t i, uint64_t base)
{
    return (struct dbf__kept_point){t[i], v[i], base + i};
}

/* Takes the points [I, END) into column C: its first finite value, then
 * its extremes and its last. */
static void take_run(struct dbf__column *c, const int64_t *t, const double *v, size_t i, size_t end,
                     uint64_t base)
{
    while (!c->used && i < end) {
        if (isfinite(v[i])) {
            c->first = c->min = c->max = c->last = kept(t, v, i, base);
            c->used = true;
        }
        i++;
    }
    double low = c->min.v, high = c->max.v;
    size_t low_at = SIZE_MAX, high_at = SIZE_MAX, last_at = SIZE_MAX;
    for (; i < end; i++) {
        double x = v[i];
        if (!isfinite(x))
            continue;
        last_at = i;
        if (x < low) {
            low = x;
            low_at = i;
        }
        if (x > high) {
            high = x;
            high_at = i;
        }
    }
    if (last_at != SIZE_MAX)
        c->last = kept(t, v, last_at, base);
    if (low_at != SIZE_MAX)
        c->min = kept(t, v, low_at, base);
    if (high_at != SIZE_MAX)
        c->max = kept(t, v, high_at, base);
}

/* The hash bit choosing which child block of level LEVEL's block BLOCK
 * gives its sample (splitmix64's finaliser). */
static unsigned child_bit(unsigned level, uint64_t block)
{
    uint64_t x = block * 64 + level + 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return (unsigned)((x ^ (x >> 31)) & 1);
}

/* The visible point at which block BLOCK of level LEVEL is sampled. */
static uint64_t sample_point(unsigned level, uint64_t block)
{
    uint64_t at = block;
    for (unsigned l = level; l > 0; l--)
        at = 2 * at + child_bit(l, at);
    return at;
}

/* The first sample point after AT at R's level. */
static uint64_t sample_after(const struct dbf__reduction *r, uint64_t at)
{
    uint64_t block = at >> r->level, next = sample_point(r->level, block);
    return next > at ? next : sample_point(r->level, block + 1);
}

/* Moves R's samples one level up: a sample stays when its block is the
 * child its parent block takes. */
static void level_up(struct dbf__reduction *r)
{
    unsigned level = ++r->level;
    size_t kept = 0;
    for (size_t s = 0; s < r->samples; s++) {
        uint64_t block = r->sample[s].at >> (level - 1);
        if ((block & 1) == child_bit(level, block >> 1))
            r->sample[kept++] = r->sample[s];
    }
    r->samples = kept;
}

/* Samples the intervals ending at the visible points [I, END) of the run,
 * the first of which is visible point number FIRST. */
static void sample_run(struct dbf__reduction *r, const int64_t *t, size_t i, size_t end,
                       uint64_t first)
{
    while (r->next_sample < first + (end - i)) {
        uint64_t at = r->next_sample;
        size_t k = i + (size_t)(at - first);
        int64_t interval = t[k] - (k > 0 ? t[k - 1] : r->previous.t);
        if (interval > 0) {
            r->sample[r->samples].interval = interval;
            r->sample[r->samples].at = at;
            r->samples++;
            while (r->samples > DBF__GAP_SAMPLES)
                level_up(r);
        }
        r->next_sample = sample_after(r, at);
    }
}

/* Notes the crossing of an edge at point I: the last point before it is
 * the previous one, from this run or an earlier. */
static bool previous_of(const struct dbf__reduction *r, const int64_t *t, const double *v, size_t i,
                        uint64_t base, struct dbf__kept_point *out)
{
    if (i > 0) {
        *out = kept(t, v, i - 1, base);
        return true;
    }
    *out = r->previous;
    return r->has_previous;
}

void dbf__reduction_feed(struct dbf__reduction *r, const int64_t *t, const double *v, size_t n)
{
    uint64_t base = r->seen;
    size_t i = 0;
    if (!n)
        return;
    if (!r->has_from) {
        i = find_in(t, 0, n, r->start, false);
        if (i < n) {
            r->has_before = previous_of(r, t, v, i, base, &r->before);
            r->from = kept(t, v, i, base);
            r->has_from = true;
        }
    }
    if (!r->has_after && i < n) {
        size_t stop = find_in(t, i, n, r->end, true);
        if (i < stop && r->columns) {
            sample_run(r, t, i, stop, r->visible);
            r->visible += stop - i;
            while (i < stop) {
                size_t run = r->next == INT64_MAX ? stop : find_in(t, i, stop, r->next, false);
                take_run(&r->column[r->current], t, v, i, run, base);
                i = run;
                if (i < stop) {
                    r->current++;
                    r->next = column_end(r, r->current);
                }
            }
        }
        i = stop;
        if (i < n) {
            r->has_to = previous_of(r, t, v, i, base, &r->to);
            r->after = kept(t, v, i, base);
            r->has_after = true;
        }
    }
    r->previous = kept(t, v, n - 1, base);
    r->has_previous = true;
    r->seen = base + n;
}

void dbf__reduction_bound(const struct dbf__reduction *r, int64_t *bound, size_t *points)
{
    *points = SIZE_MAX;
    if (!r->has_from) {
        *bound = r->start;
    } else if (r->has_after) {
        *bound = INT64_MAX;
    } else {
        *bound = r->next < r->end + 1 ? r->next : r->end + 1;
        /* The visible point NEXT_SAMPLE ends a sampled interval (none are
         * counted without columns). */
        uint64_t left = r->next_sample - r->visible;
        *points = r->columns && left < SIZE_MAX ? (size_t)left : SIZE_MAX;
    }
}

void dbf__reduction_take(struct dbf__reduction *r, size_t n, const struct dbf__kept_point *first,
                         const struct dbf__kept_point *low, const struct dbf__kept_point *high,
                         const struct dbf__kept_point *last)
{
    if (r->has_from && !r->has_after && r->columns) {
        struct dbf__column *c = &r->column[r->current];
        if (!c->used) {
            c->first = *first;
            c->min = *low;
            c->max = *high;
            c->used = true;
        } else {
            if (low->v < c->min.v)
                c->min = *low;
            if (high->v > c->max.v)
                c->max = *high;
        }
        c->last = *last;
        r->visible += n;
    }
    r->previous = *last;
    r->has_previous = true;
    r->seen += n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void dbf__reduction_finish(struct dbf__reduction *r)
{
    r->gap = 0;
    if (r->visible < 4 || !r->samples)
        return;
    int64_t sorted[DBF__GAP_SAMPLES + 1];
    for (size_t s = 0; s < r->samples; s++)
        sorted[s] = r->sample[s].interval;
    qsort(sorted, r->samples, sizeof *sorted, cmp_i64);
    r->gap = sorted[r->samples / 2] * DBF__GAP_FACTOR;
}
