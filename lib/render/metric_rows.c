/* metric_rows.c: CSV rows of the common shape (a time, then plain numbers)
 * read in bulk, eight bytes at a time, straight into the series' arrays. */
#include "metrics.h"

#include <string.h>

/* The word reads below take the first byte as the lowest. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ROWS_IN_BULK 1
#else
#define ROWS_IN_BULK 0
#endif

#define ONES ((uint64_t)0x0101010101010101u)
#define HIGHS ((uint64_t)0x8080808080808080u)

static uint64_t load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/* The lowest K bytes (K < 8) of a word. */
static uint64_t low_bytes(unsigned k)
{
    return ((uint64_t)1 << (8 * k)) - 1;
}

/* A byte's index from a mask of high bits (not 0). */
static unsigned first_byte(uint64_t highs)
{
    return (unsigned)__builtin_ctzll(highs) >> 3;
}

/* The value of the 1 to 7 digits in the lowest bytes of D ('0' taken away,
 * the first digit lowest): moved up by SHIFT bits (8 per missing digit) so
 * that zeros come before them, then paired into tens, hundreds and so on by
 * multiplication. */
static uint32_t digits_value(uint64_t d, unsigned shift)
{
    uint64_t x = d << shift;
    x = x * 10 + (x >> 8);
    x = (((x & 0x000000FF000000FFu) * (100 + ((uint64_t)1000000 << 32))) +
         (((x >> 16) & 0x000000FF000000FFu) * (1 + ((uint64_t)10000 << 32)))) >>
        32;
    return (uint32_t)x;
}

/* Learns the shape of the number whose first eight bytes are W: digits
 * with one point at most among them, seven digits at most, then the byte
 * that ends the field (SEP, or the line end when LAST) within the eight.
 * False when it has another. */
static bool learn_shape(uint64_t w, char sep, bool last, struct dbf__number_shape *s)
{
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
    uint64_t d = w ^ (ONES * '0');
    /* A byte is a digit when it is below 10 once '0' is taken away. */
    uint64_t other = (((d & ~HIGHS) + ONES * (0x80 - 10)) | d) & HIGHS;
    if (!other)
        return false;
    unsigned n1 = first_byte(other), n2 = n1, nd = n1;
    bool point = ((w >> (8 * n1)) & 0xff) == '.';
    if (point) {
        other &= other - 1;
        if (!other)
            return false;
        n2 = first_byte(other);
        nd = n2 - 1;
    }
    unsigned char stop = (unsigned char)(w >> (8 * n2));
    bool crlf = last && stop == '\r' && n2 + 1 < 8 && ((w >> (8 * (n2 + 1))) & 0xff) == '\n';
    if (!nd || (last ? stop != '\n' && !crlf : stop != (unsigned char)sep))
        return false;
    s->digits = HIGHS & low_bytes(n2) & ~(point ? (uint64_t)0x80 << (8 * n1) : 0);
    s->fixed_mask = (uint64_t)0xff << (8 * n2) | (point ? (uint64_t)0xff << (8 * n1) : 0) |
                    (crlf ? (uint64_t)0xff << (8 * (n2 + 1)) : 0);
    s->fixed = w & s->fixed_mask;
    s->low = low_bytes(n1);
    s->high = point ? low_bytes(nd) & ~low_bytes(n1) : 0;
    s->shift = 8 * (8 - nd);
    s->scale = pow10[point ? n2 - n1 - 1 : 0];
    s->next = n2 + 1 + crlf;
    return true;
}

/* The value of the number whose first eight bytes are W when it has shape
 * S (its digits moved together, then read as dbf__metric_number_fast()
 * would: an integer below 10^7 over an exact power of ten); false when it
 * has another. */
static bool shaped_value(uint64_t w, const struct dbf__number_shape *s, double *out)
{
    uint64_t d = w ^ (ONES * '0');
    if (((((d & ~HIGHS) + ONES * (0x80 - 10)) | d) & s->digits) || (w & s->fixed_mask) != s->fixed)
        return false;
    *out = (double)digits_value((d & s->low) | ((d >> 8) & s->high), s->shift) / s->scale;
    return true;
}

/* The value in column K at Q (16 bytes readable) and where the next field
 * or row starts, or NULL when the field is not a plain number ended as it
 * should be; for a number of another shape than the column's last. (Out of
 * line, so that the loop over rows keeps its registers.) */
__attribute__((noinline)) static const char *new_value(struct dbf__row_reader *r, size_t k,
                                                       const char *q, const char *end, double *out)
{
    struct dbf__number_shape *s = &r->shapes[k];
    bool last = k + 1 == r->values;
    if (learn_shape(load8(q), r->sep, last, s) && shaped_value(load8(q), s, out))
        return q + s->next;
    /* Invalid until learnt again: no byte is both 0 and 0xff. */
    s->fixed_mask = 0xff;
    s->fixed = 0xff00;
    struct dbf__number_shape signed_shape;
    if ((*q == '-' || *q == '+') && learn_shape(load8(q + 1), r->sep, last, &signed_shape) &&
        shaped_value(load8(q + 1), &signed_shape, out)) {
        *out = *q == '-' ? -*out : *out;
        return q + 1 + signed_shape.next;
    }
    const char *e = dbf__metric_number_fast(q, end, out);
    if (!e || end - e < 2)
        return NULL;
    if (!last)
        return *e == r->sep ? e + 1 : NULL;
    return *e == '\n' ? e + 1 : *e == '\r' && e[1] == '\n' ? e + 2 : NULL;
}

/* The previous row's time, when it had seconds: a row whose time has the
 * same bytes but for the seconds is that minute plus its seconds. */
static void remember_minute(struct dbf__row_reader *r, const char *p, size_t len, int64_t t)
{
    r->minute_known = false;
    if (len < 19 || len + 1 > sizeof r->time_word ||
        !(p[10] == 'T' || p[10] == 't' || p[10] == ' ') || p[13] != ':' || p[16] != ':' ||
        (p[11] == '2' && p[12] == '4'))
        return;
    unsigned char text[sizeof r->time_word] = {0};
    memcpy(text, p, len + 1); /* with the separator after it */
    memcpy(r->time_word, text, sizeof text);
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = i <= len && i != 17 && i != 18 ? 0xff : 0;
    memcpy(r->mask_word, text, sizeof text);
    r->time_len = len;
    r->minute = t - ((p[17] - '0') * 10 + (p[18] - '0'));
    r->minute_known = true;
}

/* The time at P read in full (out of line, as new_value()). */
__attribute__((noinline)) static const char *new_time(struct dbf__row_reader *r, const char *p,
                                                      const char *end, int64_t *t)
{
    const char *q = dbf__metric_time_fast(p, end, &r->day, t);
    if (!q || q >= end || *q != r->sep)
        return NULL;
    remember_minute(r, p, (size_t)(q - p), *t);
    return q;
}

/* The time at P (32 bytes readable) and where it ends (at the separator),
 * or NULL. */
static const char *row_time(struct dbf__row_reader *r, const char *p, const char *end, int64_t *t)
{
    uint64_t diff = 0;
    for (size_t i = 0; i < 4; i++)
        diff |= (load8(p + 8 * i) ^ r->time_word[i]) & r->mask_word[i];
    unsigned s0 = (unsigned char)p[17] - '0', s1 = (unsigned char)p[18] - '0';
    if (!diff && s0 <= 5 && s1 <= 9 && r->minute_known) {
        *t = r->minute + s0 * 10 + s1;
        return p + r->time_len;
    }
    return new_time(r, p, end, t);
}

size_t dbf__metric_rows_fast(struct dbf__row_reader *r, const char *p, const char *end, int64_t *t,
                             double *const *v, size_t room, const char **stop)
{
    *stop = p;
    size_t rows = 0;
    if (!ROWS_IN_BULK || !r->values || r->values > DBF__ROW_VALUES_MAX)
        return 0;
    while (rows < room && end - p >= 32) {
        const char *q = row_time(r, p, end, &t[rows]);
        if (!q)
            break;
        q++;
        size_t k = 0;
        for (; k < r->values && end - q >= 16; k++) {
            const struct dbf__number_shape *s = &r->shapes[k];
            if (shaped_value(load8(q), s, &v[k][rows]))
                q += s->next;
            else if (!(q = new_value(r, k, q, end, &v[k][rows])))
                break;
        }
        if (k < r->values)
            break;
        p = q;
        rows++;
    }
    *stop = p;
    return rows;
}

void dbf__row_reader_init(struct dbf__row_reader *r, char sep, size_t values)
{
    memset(r, 0, sizeof *r);
    r->sep = sep;
    r->values = values <= DBF__ROW_VALUES_MAX ? values : 0;
    for (size_t k = 0; k < DBF__ROW_VALUES_MAX; k++) {
        r->shapes[k].fixed_mask = 0xff;
        r->shapes[k].fixed = 0xff00; /* matches no word: no shape yet */
    }
}
