/* chart_math.h: the little arithmetic the charts need, safe for any double
 * a metrics file can hold: results that do not fit are clamped, never
 * undefined. */
#ifndef DBF_CHART_MATH_H
#define DBF_CHART_MATH_H

static inline double dbf__abs(double v)
{
    return v < 0 ? -v : v;
}

static inline double dbf__min(double a, double b)
{
    return a < b ? a : b;
}

static inline double dbf__max(double a, double b)
{
    return a > b ? a : b;
}

/* Doubles this large are whole numbers already. */
#define DBF__WHOLE 4503599627370496.0 /* 2^52 */

static inline double dbf__floor(double v)
{
    if (!(v > -DBF__WHOLE && v < DBF__WHOLE))
        return v;
    double t = (double)(long long)v;
    return t > v ? t - 1 : t;
}

static inline double dbf__ceil(double v)
{
    if (!(v > -DBF__WHOLE && v < DBF__WHOLE))
        return v;
    double t = (double)(long long)v;
    return t < v ? t + 1 : t;
}

/* V rounded to the nearest integer, halves away from zero; clamped to
 * +-9e18 (and 0 for NaN). */
static inline long long dbf__round(double v)
{
    if (!(v > -9e18 && v < 9e18))
        return v >= 9e18 ? 9000000000000000000LL : v <= -9e18 ? -9000000000000000000LL : 0;
    return (long long)(v < 0 ? v - 0.5 : v + 0.5);
}

static inline double dbf__pow10(int e)
{
    double p = 1;
    for (int i = 0; i < (e < 0 ? -e : e); i++)
        p *= 10;
    return e < 0 ? 1 / p : p;
}

/* The largest E with 10^E <= V, for V > 0 (within the range of doubles). */
static inline int dbf__floor_log10(double v)
{
    int e = 0;
    if (!(v > 0) || v > 1e308)
        return 0;
    while (v >= 10) {
        v /= 10;
        e++;
    }
    while (v < 1) {
        v *= 10;
        e--;
    }
    return e;
}

#endif
