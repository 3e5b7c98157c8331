/* metric_fast.c: the common number and time forms of metric files, read in
 * one pass without copying or trimming (the general parsers in
 * metric_values.c take everything else). */
#include "metrics.h"

#include "../parse/clock.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The two digits at S (S + 1 < END), or -1. */
static int two_digits(const char *s, const char *end)
{
    if (end - s < 2 || !is_digit(s[0]) || !is_digit(s[1]))
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The digits at P (before END) appended to *M, the first the most
 * significant; returns where they stop. (Byte by byte: the runs in metric
 * files are short, and eight-at-a-time reading measured slower on them.) */
static const char *digit_run(const char *p, const char *end, uint64_t *m)
{
    while (p < end && is_digit(*p))
        *m = *m * 10 + (uint64_t)(*p++ - '0');
    return p;
}

const char *dbf__metric_number_fast(const char *p, const char *end, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    bool negative = false;
    if (p < end && (*p == '+' || *p == '-'))
        negative = *p++ == '-';
    /* The same arithmetic as dbf__metric_number's exact path (Clinger's: 15
     * significant digits or fewer and an exact power of ten), so the two
     * agree to the bit; more digits or places are left to it. Leading zeros
     * are not significant; every other digit is, trailing zeros too. */
    const char *start = p;
    while (p < end && *p == '0')
        p++;
    const char *first = p;
    uint64_t mantissa = 0;
    p = digit_run(p, end, &mantissa);
    ptrdiff_t digits = p - first, scale = 0;
    bool any = p > start;
    if (p < end && *p == '.') {
        const char *point = ++p;
        if (!digits)
            while (p < end && *p == '0')
                p++;
        first = p;
        p = digit_run(p, end, &mantissa);
        digits += p - first;
        scale = point - p;
        any = any || p > point;
    }
    if (!any || digits > 15 || scale < -22)
        return NULL;
    double v = (double)mantissa;
    v = scale < 0 ? v / pow10[-scale] : v;
    *out = negative ? -v : v;
    return p;
}

/* Epoch digits at P: as dbf__metric_time's reading of them, unsigned. */
static const char *epoch_fast(const char *p, const char *end, int64_t *out)
{
    const char *first = p;
    int64_t v = 0;
    while (p < end && is_digit(*p)) {
        if (v > (INT64_MAX - (*p - '0')) / 10)
            return NULL;
        v = v * 10 + (*p - '0');
        p++;
    }
    ptrdiff_t digits = p - first;
    if (!digits)
        return NULL;
    if (p < end && *p == '.') {
        p++;
        while (p < end && is_digit(*p))
            p++;
    }
    if (digits >= 18)
        v /= 1000000000;
    else if (digits >= 15)
        v /= 1000000;
    else if (digits >= 12)
        v /= 1000;
    *out = v;
    return p;
}

/* The day of the date at S (10 bytes before END), from CACHE when it is the
 * date read last; false when it is not a date. */
static bool date_days(const char *s, struct dbf__day_cache *cache, int64_t *days)
{
    if (cache->valid && memcmp(cache->date, s, sizeof cache->date) == 0) {
        *days = cache->days;
        return true;
    }
    int century = two_digits(s, s + 2), year = two_digits(s + 2, s + 4);
    struct dbf_date d;
    d.month = two_digits(s + 5, s + 7);
    d.day = two_digits(s + 8, s + 10);
    if (century < 0 || year < 0 || s[7] != s[4] || d.month < 0 || d.day < 0)
        return false;
    d.year = century * 100 + year;
    if (!dbf__date_valid(d))
        return false;
    memcpy(cache->date, s, sizeof cache->date);
    cache->days = dbf__days_from_civil(d.year, d.month, d.day);
    cache->valid = true;
    *days = cache->days;
    return true;
}

const char *dbf__metric_time_fast(const char *p, const char *end, struct dbf__day_cache *cache,
                                  int64_t *out)
{
    if (p >= end || !is_digit(*p))
        return NULL;
    if (end - p < 10 || (p[4] != '-' && p[4] != '/'))
        return epoch_fast(p, end, out);
    int64_t days;
    if (!date_days(p, cache, &days))
        return NULL;
    const char *s = p + 10;
    int h = 0, m = 0, sec = 0;
    if (s < end && (*s == 'T' || *s == 't' || *s == ' ')) {
        h = two_digits(s + 1, end);
        m = end - s >= 4 && s[3] == ':' ? two_digits(s + 4, end) : -1;
        if (h < 0 || m < 0)
            return NULL;
        s += 6;
        if (s < end && *s == ':') {
            sec = two_digits(s + 1, end);
            if (sec < 0)
                return NULL;
            s += 3;
            /* Only '.': a ',' may be the separator that ends the field. */
            if (s < end && *s == '.') {
                s++;
                while (s < end && is_digit(*s))
                    s++;
            }
        }
        if (h > 24 || m > 59 || sec > 60 || (h == 24 && (m || sec)))
            return NULL;
    }
    int offset = 0;
    if (s < end && (*s == 'Z' || *s == 'z')) {
        s++;
    } else if (s < end && (*s == '+' || *s == '-')) {
        int sign = *s == '+' ? 1 : -1;
        int oh = two_digits(s + 1, end), om = 0;
        if (oh < 0)
            return NULL;
        s += 3;
        if (s < end && *s == ':') {
            om = two_digits(s + 1, end);
            if (om < 0)
                return NULL;
            s += 3;
        } else if (two_digits(s, end) >= 0) {
            om = two_digits(s, end);
            s += 2;
        }
        if (oh > 18 || om > 59)
            return NULL;
        offset = sign * (oh * 60 + om);
    }
    *out = days * 86400 + h * 3600 + m * 60 + sec - (int64_t)offset * 60;
    return s;
}
