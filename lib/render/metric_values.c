/* metric_values.c: the numbers and times in metric files, read fast and the
 * same in every locale (a metrics file may hold millions of them). */
#include "metrics.h"

#include "../parse/clock.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

static bool word_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* strtod in the C locale, for the numbers the exact fast path cannot take. */
static bool slow_number(const char *s, size_t len, double *out)
{
    char copy[128];
    if (len >= sizeof copy)
        return false;
    memcpy(copy, s, len);
    copy[len] = '\0';
    pthread_once(&c_locale_once, make_c_locale);
    if (!c_locale)
        return false;
    char *end;
    *out = strtod_l(copy, &end, c_locale);
    return end == copy + len;
}

enum dbf__cell dbf__metric_number(const char *s, size_t len, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    trim(&s, &len);
    if (len && s[len - 1] == '%') {
        len--;
        trim(&s, &len);
    }
    if (!len)
        return DBF__CELL_BLANK;
    const char *p = s, *end = s + len;
    bool negative = false;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if (p < end && !is_digit(*p) && *p != '.')
        return word_is(p, (size_t)(end - p), "nan") || word_is(p, (size_t)(end - p), "inf") ||
                       word_is(p, (size_t)(end - p), "infinity") || word_is(s, len, "null") ||
                       word_is(s, len, "none") || word_is(s, len, "n/a")
                   ? DBF__CELL_BLANK
                   : DBF__CELL_BAD;

    /* Clinger's fast path: up to 15 significant digits and a power of ten
     * that is itself exact give a correctly rounded product or quotient. */
    uint64_t mantissa = 0;
    int digits = 0, scale = 0;
    bool any = false;
    while (p < end && is_digit(*p)) {
        any = true;
        if (digits || *p != '0') {
            if (digits < 19)
                mantissa = mantissa * 10 + (uint64_t)(*p - '0');
            else
                scale++;
            digits++;
        }
        p++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && is_digit(*p)) {
            any = true;
            if (digits || *p != '0') {
                if (digits < 19) {
                    mantissa = mantissa * 10 + (uint64_t)(*p - '0');
                    scale--;
                }
                digits++;
            } else {
                scale--;
            }
            p++;
        }
    }
    if (!any)
        return DBF__CELL_BAD;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p == end || !is_digit(*p))
            return DBF__CELL_BAD;
        int e = 0;
        while (p < end && is_digit(*p)) {
            if (e < 100000)
                e = e * 10 + (*p - '0');
            p++;
        }
        scale += eneg ? -e : e;
    }
    if (p != end)
        return DBF__CELL_BAD;
    if (digits <= 15 && scale >= -22 && scale <= 22) {
        double v = (double)mantissa;
        v = scale < 0 ? v / pow10[-scale] : v * pow10[scale];
        *out = negative ? -v : v;
        return DBF__CELL_VALUE;
    }
    if (!slow_number(s, len, out))
        return DBF__CELL_BAD;
    return *out - *out == 0 ? DBF__CELL_VALUE : DBF__CELL_BLANK;
}

/* N digits at S as a number; false unless all N are digits. */
static bool fixed_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool epoch_time(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (s[0] == '-' || s[0] == '+') {
        negative = s[0] == '-';
        i++;
    }
    size_t first = i;
    int64_t v = 0;
    while (i < len && is_digit(s[i])) {
        /* Nanoseconds take 19 digits, and not every 19-digit number fits. */
        if (v > (INT64_MAX - (s[i] - '0')) / 10)
            return false;
        v = v * 10 + (s[i] - '0');
        i++;
    }
    size_t digits = i - first;
    if (!digits)
        return false;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit(s[i]))
            i++;
    }
    if (i != len)
        return false;
    /* Epoch seconds have 10 digits from 2001 to 2286: more means a finer unit. */
    if (digits >= 18)
        v /= 1000000000;
    else if (digits >= 15)
        v /= 1000000;
    else if (digits >= 12)
        v /= 1000;
    *out = negative ? -v : v;
    return true;
}

/* Z, UTC, GMT, +HH, +HH:MM, +HHMM at S: minutes east of UTC. */
static bool zone_offset(const char *s, size_t len, int *minutes)
{
    trim(&s, &len);
    if (!len || word_is(s, len, "z") || word_is(s, len, "utc") || word_is(s, len, "gmt")) {
        *minutes = 0;
        return true;
    }
    if (len >= 4 && (strncasecmp(s, "utc", 3) == 0 || strncasecmp(s, "gmt", 3) == 0)) {
        s += 3;
        len -= 3;
    }
    if (s[0] != '+' && s[0] != '-')
        return false;
    int sign = s[0] == '+' ? 1 : -1;
    s++;
    len--;
    int h = 0, m = 0;
    if (len == 2 && fixed_digits(s, 2, &h))
        m = 0;
    else if (len == 4 && fixed_digits(s, 2, &h) && fixed_digits(s + 2, 2, &m))
        ;
    else if (len == 5 && s[2] == ':' && fixed_digits(s, 2, &h) && fixed_digits(s + 3, 2, &m))
        ;
    else
        return false;
    if (h > 18 || m > 59)
        return false;
    *minutes = sign * (h * 60 + m);
    return true;
}

bool dbf__metric_time(const char *s, size_t len, int64_t *out)
{
    trim(&s, &len);
    if (!len)
        return false;
    if (len < 10 || !is_digit(s[0]) || !(s[4] == '-' || s[4] == '/'))
        return epoch_time(s, len, out);

    struct dbf_date d;
    if (!fixed_digits(s, 4, &d.year) || s[7] != s[4] || !fixed_digits(s + 5, 2, &d.month) ||
        !fixed_digits(s + 8, 2, &d.day) || !dbf__date_valid(d))
        return false;
    int64_t days = dbf__days_from_civil(d.year, d.month, d.day);
    size_t i = 10;
    int h = 0, m = 0, sec = 0;
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        i++;
        if (i + 5 > len || !fixed_digits(s + i, 2, &h) || s[i + 2] != ':' ||
            !fixed_digits(s + i + 3, 2, &m))
            return false;
        i += 5;
        if (i + 3 <= len && s[i] == ':') {
            if (!fixed_digits(s + i + 1, 2, &sec))
                return false;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                while (i < len && is_digit(s[i]))
                    i++;
            }
        }
        if (h > 24 || m > 59 || sec > 60 || (h == 24 && (m || sec)))
            return false;
    }
    int offset = 0;
    if (!zone_offset(s + i, len - i, &offset))
        return false;
    *out = days * 86400 + h * 3600 + m * 60 + sec - (int64_t)offset * 60;
    return true;
}
