/* row_layout.c: the layout of a CSV metrics row (a time to the second, then
 * short plain numbers), learnt from one row so that the rows like it are
 * checked with a few vector compares (see metrics.h).
 *
 * A layout fixes every byte of the row but the seconds' two digits and the
 * digits of each value, so a row that fits it reads exactly as the row it
 * was learnt from but for those digits: its time is the learnt minute plus
 * its seconds (the seconds' first digit is at most 5: no leap second), and
 * its values have the learnt widths and points, which is what makes keys of
 * one column compare as the numbers do. */
#include "metrics.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The bytes of the hour and the minute. */
#define HOUR_MINUTE ((uint64_t)0x1b << 11)

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

void dbf__row_layout_init(struct dbf__row_layout *l, char sep, size_t values)
{
    memset(l, 0, sizeof *l);
    l->sep = sep;
    l->values = values;
}

/* Fixes byte I of L at C. */
static void fixed(struct dbf__row_layout *l, size_t i, char c)
{
    l->base[i] = (unsigned char)c;
    l->range[i] = 0;
}

/* A digit of L at byte I, at most MAX. */
static void digit(struct dbf__row_layout *l, size_t i, unsigned char max)
{
    l->base[i] = '0';
    l->range[i] = max;
}

/* Learns the time at P: the minute form with seconds, ended by the
 * separator; its length, or 0. */
static size_t learn_time(struct dbf__row_layout *l, const char *p, const char *end)
{
    int64_t t;
    const char *q = dbf__metric_time_fast(p, end, &l->day, &t);
    if (!q || *q != l->sep)
        return 0;
    size_t len = (size_t)(q - p);
    /* Hour 24 is a time only at 24:00:00, so its seconds cannot vary. */
    if (len < 19 || len >= DBF__LAYOUT_BYTES || !(p[10] == 'T' || p[10] == 't' || p[10] == ' ') ||
        p[13] != ':' || p[16] != ':' || p[17] > '5' || (p[11] == '2' && p[12] == '4'))
        return 0;
    for (size_t i = 0; i < len; i++)
        fixed(l, i, p[i]);
    digit(l, 17, 5);
    digit(l, 18, 9);
    l->minute = t - ((p[17] - '0') * 10 + (p[18] - '0'));
    return len;
}

/* Learns value K at byte I of P and what ends it; where the next field
 * starts, or 0. */
static size_t learn_value(struct dbf__row_layout *l, const char *p, size_t i, size_t k)
{
    size_t start = i, digits = 0, points = 0;
    for (; i < DBF__LAYOUT_BYTES && (is_digit(p[i]) || p[i] == '.'); i++) {
        if (p[i] == '.') {
            points++;
            fixed(l, i, '.');
        } else {
            digits++;
            digit(l, i, 9);
        }
    }
    if (!digits || points > 1 || i - start > 8 || i + 2 > DBF__LAYOUT_BYTES)
        return 0;
    l->at[k] = (unsigned char)start;
    l->width[k] = (unsigned char)(i - start);
    if (k + 1 < l->values) {
        if (p[i] != l->sep)
            return 0;
        fixed(l, i, l->sep);
        return i + 1;
    }
    if (p[i] == '\r' && p[i + 1] == '\n') {
        fixed(l, i, '\r');
        fixed(l, i + 1, '\n');
        return i + 2;
    }
    if (p[i] != '\n')
        return 0;
    fixed(l, i, '\n');
    return i + 1;
}

bool dbf__row_layout_learn(struct dbf__row_layout *l, const char *p, const char *end)
{
    l->known = false;
    if (end - p < DBF__LAYOUT_SLACK || !l->values || l->values > DBF__ROW_VALUES_MAX)
        return false;
    size_t i = learn_time(l, p, end);
    if (!i)
        return false;
    fixed(l, i++, l->sep);
    for (size_t k = 0; k < l->values; k++)
        if (!(i = learn_value(l, p, i, k)))
            return false;
    l->len = i;
    for (; i < DBF__LAYOUT_BYTES; i++) {
        l->base[i] = 0;
        l->range[i] = 0xff;
    }
    l->known = true;
    return true;
}

bool dbf__row_layout_same_values(const struct dbf__row_layout *a, const struct dbf__row_layout *b)
{
    return a->known && b->known && a->len == b->len && a->values == b->values &&
           memcmp(a->at, b->at, a->values) == 0 && memcmp(a->width, b->width, a->values) == 0 &&
           memcmp(a->range, b->range, sizeof a->range) == 0;
}

uint64_t dbf__row_layout_misfits(const struct dbf__row_layout *l, const char *p)
{
    uint64_t misfits = 0;
#if defined(__SSE2__)
    for (size_t v = 0; v < DBF__LAYOUT_BYTES / 16; v++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * v));
        __m128i base = _mm_loadu_si128((const __m128i *)(const void *)(l->base + 16 * v));
        __m128i range = _mm_loadu_si128((const __m128i *)(const void *)(l->range + 16 * v));
        __m128i d = _mm_sub_epi8(x, base);
        __m128i fits = _mm_cmpeq_epi8(_mm_max_epu8(d, range), range);
        misfits |= (uint64_t)(~(unsigned)_mm_movemask_epi8(fits) & 0xffffu) << (16 * v);
    }
#else
    for (size_t i = 0; i < DBF__LAYOUT_BYTES; i++)
        if ((unsigned char)((unsigned char)p[i] - l->base[i]) > l->range[i])
            misfits |= (uint64_t)1 << i;
#endif
    return misfits;
}

bool dbf__row_layout_step(struct dbf__row_layout *l, const char *p, uint64_t misfits)
{
    if (!l->known || (misfits & ~HOUR_MINUTE) || !is_digit(p[11]) || !is_digit(p[12]) ||
        !is_digit(p[14]) || !is_digit(p[15]))
        return false;
    int hour = (p[11] - '0') * 10 + (p[12] - '0'), minute = (p[14] - '0') * 10 + (p[15] - '0');
    int was_hour = (l->base[11] - '0') * 10 + (l->base[12] - '0');
    int was_minute = (l->base[14] - '0') * 10 + (l->base[15] - '0');
    if (hour > 23 || minute > 59)
        return false;
    l->minute += (int64_t)(hour - was_hour) * 3600 + (int64_t)(minute - was_minute) * 60;
    l->base[11] = (unsigned char)p[11];
    l->base[12] = (unsigned char)p[12];
    l->base[14] = (unsigned char)p[14];
    l->base[15] = (unsigned char)p[15];
    return true;
}

double dbf__row_key_value(uint64_t key, unsigned width)
{
    /* As dbf__metric_number_fast() reads the text: the digits as one
     * integer, over the power of ten of the places after the point (eight
     * digits at most: exact, as are the powers). */
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    uint64_t mantissa = 0;
    unsigned places = 0;
    bool point = false;
    for (unsigned i = 0; i < width; i++) {
        unsigned char c = (unsigned char)(key >> (56 - 8 * i));
        if (c == '.') {
            point = true;
            continue;
        }
        mantissa = mantissa * 10 + (c - '0');
        places += point;
    }
    double v = (double)mantissa;
    return places ? v / pow10[places] : v;
}
