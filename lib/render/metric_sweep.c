/* metric_sweep.c: CSV metrics rows of one layout read and reduced to a
 * graph in one pass, without a number read for most of them.
 *
 * The rows come in segments: runs of rows with one value layout that fall
 * alike for every reduction (dbf__reduction_bound). Within a segment a row
 * costs a layout check, its time, and per value a key compared with the
 * segment's lowest and highest; when the segment ends only its first,
 * lowest, highest and last values are read as numbers and given to the
 * reductions. A row that falls otherwise (into the next column, across an
 * edge of the frame, at a sampled interval) goes through
 * dbf__reduction_feed() alone. The reductions have taken the same times, so
 * they share one bound; value K goes to reduction K.
 *
 * The scan over a segment's rows comes in three forms, each inlined for the
 * counts it is used with: with AVX2 (where the machine has it, rows of four
 * values or fewer) a row is checked in one or two 32-byte vectors and its
 * keys compared two at a time; with SSE2 (any x86-64) in 16-byte vectors
 * and one key at a time; elsewhere byte by byte. A new minute is taken
 * within the scan; anything else ends it. */
#include "metrics.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A segment's rows so far, with the first, lowest, highest and last of
 * each value: its key, time and row (from the segment's first). */
struct extreme {
    uint64_t key;
    int64_t t;
    size_t row;
};
struct segment {
    size_t rows;
    struct extreme first[DBF__ROW_VALUES_MAX], low[DBF__ROW_VALUES_MAX], high[DBF__ROW_VALUES_MAX],
        last[DBF__ROW_VALUES_MAX];
};

static void segment_start(struct segment *s)
{
    s->rows = 0;
    for (size_t k = 0; k < DBF__ROW_VALUES_MAX; k++) {
        s->low[k] = (struct extreme){UINT64_MAX, 0, 0};
        s->high[k] = (struct extreme){0, 0, 0};
    }
}

static struct dbf__kept_point kept(const struct extreme *x, unsigned width, uint64_t base)
{
    return (struct dbf__kept_point){x->t, dbf__row_key_value(x->key, width), base + x->row};
}

/* Gives the segment (of L's value layout) to GRAPH's reductions. */
static void segment_end(struct segment *s, const struct dbf__row_layout *l,
                        struct dbf__metric_graph *graph)
{
    for (size_t k = 0; s->rows && k < graph->reduced; k++) {
        struct dbf__reduction *r = &graph->series[k].reduction;
        unsigned w = l->width[k];
        struct dbf__kept_point first = kept(&s->first[k], w, r->seen),
                               low = kept(&s->low[k], w, r->seen),
                               high = kept(&s->high[k], w, r->seen),
                               last = kept(&s->last[k], w, r->seen);
        dbf__reduction_take(r, s->rows, &first, &low, &high, &last);
    }
    segment_start(s);
}

/* The seconds' digits of the row at P as one number, in the order of the
 * seconds. */
static inline unsigned seconds_key(const char *p)
{
    return (unsigned)(unsigned char)p[17] << 8 | (unsigned char)p[18];
}

/* The seconds key of the row S seconds into the minute: 0 before it,
 * 0x10000 after it. */
static unsigned second_key(int64_t s)
{
    if (s < 0)
        return 0;
    if (s > 59)
        return 0x10000;
    return (unsigned)('0' + s / 10) << 8 | (unsigned)('0' + s % 10);
}

/* The time of the row at P in MINUTE. */
static int64_t time_in(int64_t minute, const char *p)
{
    return minute + (p[17] - '0') * 10 + (p[18] - '0');
}

/* Keeps the lows and highs a scan found, at LOW_ROW and HIGH_ROW (rows from
 * FROM, the scan's first, which is row ROWS of the segment), in MINUTE. */
static inline __attribute__((always_inline)) void
keep_extremes(struct segment *s, const uint64_t *low, const uint64_t *high, const char **low_row,
              const char **high_row, const char *from, size_t rows, size_t len, int64_t minute,
              size_t values)
{
    for (size_t k = 0; k < values; k++) {
        if (low_row[k])
            s->low[k] = (struct extreme){low[k], time_in(minute, low_row[k]),
                                         rows + (size_t)(low_row[k] - from) / len};
        if (high_row[k])
            s->high[k] = (struct extreme){high[k], time_in(minute, high_row[k]),
                                          rows + (size_t)(high_row[k] - from) / len};
        low_row[k] = high_row[k] = NULL;
    }
}

/* A scan's clock: the minute of the row at hand, the minute of its first
 * row, where the minute last changed and what it was before, and as keys
 * of their seconds' digits the last row's time and the bound's. */
struct scan_clock {
    int64_t minute, first_minute, was;
    const char *stepped;
    unsigned prev, before;
};

static inline __attribute__((always_inline)) void clock_start(struct scan_clock *c,
                                                              int64_t minute, int64_t latest,
                                                              int64_t bound)
{
    c->minute = c->first_minute = c->was = minute;
    c->stepped = NULL;
    c->prev = latest < minute ? 0 : second_key(latest - minute);
    c->before = bound > minute + 59 ? 0x10000 : second_key(bound - minute);
}

/* The minute is MINUTE from row P on (the scan started at FROM, after a
 * row at LATEST): the last row's time and the bound as keys of it. */
static inline __attribute__((always_inline)) void
clock_step(struct scan_clock *c, const char *p, const char *from, int64_t latest, int64_t bound,
           int64_t minute)
{
    int64_t prev_t = p == from ? latest
                               : c->minute + (int64_t)(c->prev >> 8) * 10 +
                                     (int64_t)(c->prev & 0xff) - '0' * 11;
    c->was = c->minute;
    c->stepped = p;
    c->minute = minute;
    c->first_minute = p == from ? minute : c->first_minute;
    c->prev = prev_t < minute ? 0 : second_key(prev_t - minute);
    c->before = bound > minute + 59 ? 0x10000 : second_key(bound - minute);
}

/* The minute of the row before P, where a scan stopped. */
static inline int64_t clock_last(const struct scan_clock *c, const char *p)
{
    return p == c->stepped ? c->was : c->minute;
}

/* Ends a scan of S that ran from FROM to P: the segment's first values
 * (when it had no rows) and last ones, its row count, *AT and *LATEST past
 * the rows scanned; how many. */
static size_t scan_end(const struct dbf__row_layout *l, struct segment *s,
                       const struct scan_clock *c, const char *from, const char *p,
                       const char **at, int64_t *latest)
{
    size_t len = l->len, rows = s->rows, n = (size_t)(p - from) / len;
    *at = p;
    if (!n)
        return 0;
    const char *last = p - len;
    int64_t minute = clock_last(c, p);
    for (size_t k = 0; k < l->values; k++) {
        if (!rows)
            s->first[k] =
                (struct extreme){dbf__row_key(l, from, k), time_in(c->first_minute, from), 0};
        s->last[k] =
            (struct extreme){dbf__row_key(l, last, k), time_in(minute, last), rows + n - 1};
    }
    s->rows += n;
    *latest = time_in(minute, last);
    return n;
}

/* Scans up to LIMIT rows from *P that fit L (taking each new hour and
 * minute) and whose times are from *LATEST on and before BOUND into S;
 * how many, with *P and *LATEST past them. Inlined for each count of
 * values and of vectors it is used with, so that their loops unroll. Within
 * a minute the times compare as their seconds' digits do. */
static inline __attribute__((always_inline)) size_t
scan(struct dbf__row_layout *l, struct segment *s, const char **at, size_t limit, int64_t *latest,
     int64_t bound, size_t values, size_t vectors)
{
    const char *p = *at, *from = p, *stop = p + limit * l->len;
    size_t len = l->len, rows = s->rows;
    struct scan_clock c;
    clock_start(&c, l->minute, *latest, bound);
    uint64_t low[DBF__ROW_VALUES_MAX], high[DBF__ROW_VALUES_MAX], mask[DBF__ROW_VALUES_MAX];
    size_t place[DBF__ROW_VALUES_MAX];
    /* The rows of the new lows and highs, when this scan finds them. */
    const char *low_row[DBF__ROW_VALUES_MAX], *high_row[DBF__ROW_VALUES_MAX];
    for (size_t k = 0; k < values; k++) {
        low[k] = s->low[k].key;
        high[k] = s->high[k].key;
        low_row[k] = high_row[k] = NULL;
        mask[k] = dbf__key_mask(l->width[k]);
        place[k] = l->at[k];
    }
#if defined(__SSE2__)
    __m128i base[4], range[4];
    for (size_t v = 0; v < vectors; v++) {
        base[v] = _mm_loadu_si128((const __m128i *)(const void *)(l->base + 16 * v));
        range[v] = _mm_loadu_si128((const __m128i *)(const void *)(l->range + 16 * v));
    }
#else
    (void)vectors;
#endif
    for (; p != stop; p += len) {
#if defined(__SSE2__)
        __m128i fit = _mm_set1_epi8(-1);
        for (size_t v = 0; v < vectors; v++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * v));
            __m128i d = _mm_sub_epi8(x, base[v]);
            fit = _mm_and_si128(fit, _mm_cmpeq_epi8(_mm_max_epu8(d, range[v]), range[v]));
        }
        bool fits = _mm_movemask_epi8(fit) == 0xffff;
#else
        bool fits = !dbf__row_layout_misfits(l, p);
#endif
        if (__builtin_expect(!fits, 0)) {
            /* A new minute (once in sixty rows or so) or another layout. */
            if (!dbf__row_layout_step(l, p, dbf__row_layout_misfits(l, p)))
                break;
            keep_extremes(s, low, high, low_row, high_row, from, rows, len, c.minute, values);
            clock_step(&c, p, from, *latest, bound, l->minute);
#if defined(__SSE2__)
            /* The hour and minute are in the first vector. */
            base[0] = _mm_loadu_si128((const __m128i *)(const void *)l->base);
#endif
        }
        unsigned sec = seconds_key(p);
        if (sec < c.prev || sec >= c.before)
            break;
        c.prev = sec;
        for (size_t k = 0; k < values; k++) {
            uint64_t key = dbf__value_key(p + place[k], mask[k]);
            if (key < low[k]) {
                low[k] = key;
                low_row[k] = p;
            }
            if (key > high[k]) {
                high[k] = key;
                high_row[k] = p;
            }
        }
    }
    keep_extremes(s, low, high, low_row, high_row, from, rows, len, c.minute, values);
    return scan_end(l, s, &c, from, p, at, latest);
}

/* A row is checked in as few vectors of 16 bytes as it takes: 2 to 4. */
#define SCAN(values)                                                                               \
    (l->len <= 32   ? scan(l, s, at, limit, latest, bound, values, 2)                              \
     : l->len <= 48 ? scan(l, s, at, limit, latest, bound, values, 3)                              \
                    : scan(l, s, at, limit, latest, bound, values, 4))

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SCAN_WIDE 1

/* The AVX2 scan: a row checked in one or two 32-byte vectors, and the keys
 * of two values at a time gathered by one shuffle and compared with the
 * lowest and highest as 64-bit lanes (keys are below 2^63: their first
 * byte is a digit or a point). For rows of four values or fewer, each
 * pair within 16 bytes. */

/* Can the AVX2 scan take L's rows? */
static bool wide_layout(const struct dbf__row_layout *l)
{
    if (l->values > 4)
        return false;
    for (size_t k = 0; k + 1 < l->values; k += 2)
        if (l->at[k + 1] + l->width[k + 1] - l->at[k] > 16)
            return false;
    return true;
}

/* The shuffle that makes the keys of values K and K + 1 (when there is
 * one) of a row the two lanes of a vector loaded at value K. */
__attribute__((target("avx2"))) static __m128i key_shuffle(const struct dbf__row_layout *l,
                                                           size_t k)
{
    char index[16];
    for (size_t lane = 0; lane < 2; lane++) {
        bool used = k + lane < l->values;
        unsigned w = used ? l->width[k + lane] : 0;
        unsigned from = used ? (unsigned)(l->at[k + lane] - l->at[k]) : 0;
        for (unsigned j = 0; j < 8; j++)
            index[8 * lane + j] = j >= 8 - w ? (char)(from + 7 - j) : (char)0x80;
    }
    __m128i v;
    memcpy(&v, index, sizeof v);
    return v;
}

/* scan() with AVX2, for rows of VECTORS 32-byte vectors and PAIRS pairs
 * of values (the last maybe one alone). */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) size_t
scan_wide_with(struct dbf__row_layout *l, struct segment *s, const char **at, size_t limit,
               int64_t *latest, int64_t bound, size_t vectors, size_t pairs)
{
    const char *p = *at, *from = p, *stop = p + limit * l->len;
    size_t len = l->len, rows = s->rows, values = l->values;
    struct scan_clock c;
    clock_start(&c, l->minute, *latest, bound);
    uint64_t low[4], high[4];
    const char *low_row[4], *high_row[4];
    __m128i shuffle[2], lowv[2], highv[2];
    size_t place[2];
    for (size_t k = 0; k < 4; k++) {
        bool used = k < values;
        low[k] = used ? s->low[k].key : 0;
        high[k] = used ? s->high[k].key : 0;
        low_row[k] = high_row[k] = NULL;
    }
    for (size_t i = 0; i < pairs; i++) {
        shuffle[i] = key_shuffle(l, 2 * i);
        place[i] = l->at[2 * i];
        /* No key yet: every key is below INT64_MAX. An unused lane's key
         * is 0, as its lowest and highest. */
        lowv[i] = _mm_set_epi64x((int64_t)(low[2 * i + 1] > INT64_MAX ? INT64_MAX : low[2 * i + 1]),
                                 (int64_t)(low[2 * i] > INT64_MAX ? INT64_MAX : low[2 * i]));
        highv[i] = _mm_set_epi64x((int64_t)high[2 * i + 1], (int64_t)high[2 * i]);
    }
    __m256i base[2], range[2];
    for (size_t v = 0; v < vectors; v++) {
        base[v] = _mm256_loadu_si256((const __m256i *)(const void *)(l->base + 32 * v));
        range[v] = _mm256_loadu_si256((const __m256i *)(const void *)(l->range + 32 * v));
    }
    for (; p != stop; p += len) {
        __m256i fit = _mm256_set1_epi8(-1);
        for (size_t v = 0; v < vectors; v++) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * v));
            __m256i d = _mm256_sub_epi8(x, base[v]);
            fit = _mm256_and_si256(fit, _mm256_cmpeq_epi8(_mm256_max_epu8(d, range[v]), range[v]));
        }
        if (__builtin_expect(_mm256_movemask_epi8(fit) != -1, 0)) {
            if (!dbf__row_layout_step(l, p, dbf__row_layout_misfits(l, p)))
                break;
            keep_extremes(s, low, high, low_row, high_row, from, rows, len, c.minute, values);
            clock_step(&c, p, from, *latest, bound, l->minute);
            base[0] = _mm256_loadu_si256((const __m256i *)(const void *)l->base);
        }
        unsigned sec = seconds_key(p);
        if (sec < c.prev || sec >= c.before)
            break;
        c.prev = sec;
        for (size_t i = 0; i < pairs; i++) {
            __m128i keys = _mm_shuffle_epi8(
                _mm_loadu_si128((const __m128i *)(const void *)(p + place[i])), shuffle[i]);
            __m128i out =
                _mm_or_si128(_mm_cmpgt_epi64(lowv[i], keys), _mm_cmpgt_epi64(keys, highv[i]));
            if (__builtin_expect(!_mm_testz_si128(out, out), 0)) {
                uint64_t key[2] = {(uint64_t)_mm_cvtsi128_si64(keys),
                                   (uint64_t)_mm_extract_epi64(keys, 1)};
                for (size_t j = 0; j < 2 && 2 * i + j < values; j++) {
                    size_t k = 2 * i + j;
                    if (key[j] < low[k]) {
                        low[k] = key[j];
                        low_row[k] = p;
                    }
                    if (key[j] > high[k]) {
                        high[k] = key[j];
                        high_row[k] = p;
                    }
                }
                lowv[i] = _mm_set_epi64x(
                    (int64_t)(low[2 * i + 1] > INT64_MAX ? INT64_MAX : low[2 * i + 1]),
                    (int64_t)(low[2 * i] > INT64_MAX ? INT64_MAX : low[2 * i]));
                highv[i] = _mm_set_epi64x((int64_t)high[2 * i + 1], (int64_t)high[2 * i]);
            }
        }
    }
    keep_extremes(s, low, high, low_row, high_row, from, rows, len, c.minute, values);
    return scan_end(l, s, &c, from, p, at, latest);
}

__attribute__((target("avx2"))) static size_t scan_wide(struct dbf__row_layout *l,
                                                        struct segment *s, const char **at,
                                                        size_t limit, int64_t *latest,
                                                        int64_t bound)
{
    size_t vectors = l->len <= 32 ? 1 : 2, pairs = (l->values + 1) / 2;
    if (vectors == 1)
        return pairs == 1 ? scan_wide_with(l, s, at, limit, latest, bound, 1, 1)
                          : scan_wide_with(l, s, at, limit, latest, bound, 1, 2);
    return pairs == 1 ? scan_wide_with(l, s, at, limit, latest, bound, 2, 1)
                      : scan_wide_with(l, s, at, limit, latest, bound, 2, 2);
}
#else
#define SCAN_WIDE 0
#endif

/* Whether the AVX2 scan may be used where the machine has it: a switch for
 * the tests, which compare both scans, set for the whole process. */
static bool wide_allowed = true;

void dbf__metric_sweep_wide(bool allowed)
{
    wide_allowed = allowed;
}

static size_t scan_any(struct dbf__row_layout *l, struct segment *s, const char **at, size_t limit,
                       int64_t *latest, int64_t bound)
{
#if SCAN_WIDE
    if (wide_allowed && __builtin_cpu_supports("avx2") && wide_layout(l))
        return scan_wide(l, s, at, limit, latest, bound);
#endif
    switch (l->values) {
    case 1:
        return SCAN(1);
    case 2:
        return SCAN(2);
    case 3:
        return SCAN(3);
    default:
        return SCAN(l->values);
    }
}

/* Gives the row at P (of L's layout, at time T) to each reduction alone. */
static void feed_row(const struct dbf__row_layout *l, struct dbf__metric_graph *graph,
                     const char *p, int64_t t)
{
    for (size_t k = 0; k < graph->reduced; k++) {
        double v = dbf__row_key_value(dbf__row_key(l, p, k), l->width[k]);
        dbf__reduction_feed(&graph->series[k].reduction, &t, &v, 1);
    }
}

/* Makes L fit the row at P (whose MISFITS with L are known), keeping to
 * the values' layout when it can:
 * 1 when the segment goes on, 0 when it ended (S given to GRAPH), -1 when
 * the row has no layout. */
static int refit(struct dbf__row_layout *l, struct segment *s, struct dbf__metric_graph *graph,
                 const char *p, const char *end, uint64_t misfits)
{
    if (l->known && dbf__row_layout_step(l, p, misfits))
        return 1;
    struct dbf__row_layout learnt = *l;
    if (!dbf__row_layout_learn(&learnt, p, end)) {
        segment_end(s, l, graph);
        l->known = false;
        return -1;
    }
    int same = dbf__row_layout_same_values(l, &learnt);
    if (!same)
        segment_end(s, l, graph);
    *l = learnt;
    return same;
}

size_t dbf__metric_sweep(struct dbf__row_layout *l, struct dbf__metric_graph *graph, const char *p,
                         const char *end, int64_t *first, int64_t *latest, const char **stop)
{
    struct segment s;
    segment_start(&s);
    size_t taken = 0;
    for (size_t k = 0; k < graph->reduced; k++)
        if (!graph->series[k].reduction.columns)
            goto done; /* nothing drawn: the reader's own way is as quick */
    /* Does the row at P fit L? Known after a scan stops. */
    bool fits = false;
    uint64_t misfits = 0;
    while (end - p >= DBF__LAYOUT_SLACK) {
        if (!fits && !l->known && refit(l, &s, graph, p, end, ~(uint64_t)0) < 0)
            break;
        if (!fits && l->known && (misfits = dbf__row_layout_misfits(l, p)) &&
            refit(l, &s, graph, p, end, misfits) < 0)
            break;
        int64_t bound = INT64_MAX;
        size_t points = SIZE_MAX;
        if (graph->reduced)
            dbf__reduction_bound(&graph->series[0].reduction, &bound, &points);
        size_t fit = (size_t)(end - p - DBF__LAYOUT_SLACK) / l->len + 1;
        /* The segment so far counts against the points to the next sample
         * (it goes on across a new layout of the same values). */
        size_t room = points == SIZE_MAX ? SIZE_MAX : points - s.rows;
        size_t n = scan_any(l, &s, &p, room < fit ? room : fit, latest, bound);
        if (n && !taken)
            *first = s.first[0].t;
        taken += n;
        if (end - p < DBF__LAYOUT_SLACK)
            break;
        misfits = dbf__row_layout_misfits(l, p);
        fits = !misfits;
        if (!fits) {
            if (refit(l, &s, graph, p, end, misfits) < 0)
                break;
            fits = true;
            continue;
        }
        int64_t t = dbf__row_time(l, p);
        if (t < *latest)
            break; /* out of order: the reader says so */
        /* A row that falls otherwise: alone, after the segment. */
        segment_end(&s, l, graph);
        feed_row(l, graph, p, t);
        if (!taken)
            *first = t;
        taken++;
        *latest = t;
        p += l->len;
        fits = false;
    }
    segment_end(&s, l, graph);
done:
    *stop = p;
    return taken;
}
