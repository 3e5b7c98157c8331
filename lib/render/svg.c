/* svg.c: numbers, text and the opening of an SVG chart. */
#include "svg.h"

#include "chart_math.h"

#include <math.h>
#include <string.h>

void dbf__svg_num(struct dbf_buf *out, double v)
{
    if (!isfinite(v))
        v = 0;
    if (v > 1e12)
        v = 1e12;
    if (v < -1e12)
        v = -1e12;
    long long tenths = dbf__round(v * 10);
    bool negative = tenths < 0;
    unsigned long long u = negative ? (unsigned long long)-tenths : (unsigned long long)tenths;
    char tmp[32];
    char *p = tmp + sizeof tmp;
    unsigned frac = (unsigned)(u % 10);
    u /= 10;
    if (frac) {
        *--p = (char)('0' + frac);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (negative)
        *--p = '-';
    dbf_buf_add(out, p, (size_t)(tmp + sizeof tmp - p));
}

void dbf__svg_attr(struct dbf_buf *out, const char *name, double v)
{
    dbf_buf_addc(out, ' ');
    dbf_buf_adds(out, name);
    dbf_buf_adds(out, "=\"");
    dbf__svg_num(out, v);
    dbf_buf_addc(out, '"');
}

void dbf__svg_open(struct dbf_buf *out, const char *cls, int width, int height, const char *label,
                   const char *desc)
{
    dbf_buf_addf(out,
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" viewBox=\"0 0 %d %d\" "
                 "width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"",
                 cls, width, height);
    dbf_buf_add_html(out, label);
    dbf_buf_addf(out, "\" font-family=\"system-ui, sans-serif\" font-size=\"%d\" fill=\"#222\">\n",
                 DBF__SVG_FONT);
    dbf_buf_adds(out, "<title>");
    dbf_buf_add_html(out, label);
    dbf_buf_adds(out, "</title>\n");
    if (desc && *desc) {
        dbf_buf_adds(out, "<desc>");
        dbf_buf_add_html(out, desc);
        dbf_buf_adds(out, "</desc>\n");
    }
}

double dbf__svg_text_width(const char *s, double size)
{
    double units = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        /* narrow letters and punctuation, wide capitals: close enough to place labels */
        units += strchr("ijlt.,:;!'|() ", *p) ? 0.32 : (*p >= 'A' && *p <= 'Z') ? 0.68 : 0.6;
    }
    return units * size;
}

char *dbf__svg_shorten(const char *s, size_t max, char *out, size_t size)
{
    size_t chars = 0, i = 0, keep = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        if (chars == max)
            break;
        chars++;
        keep = i;
    }
    bool cut = s[i] != '\0';
    size_t n = cut ? keep : i;
    const char *ellipsis = cut ? "\xe2\x80\xa6" : "";
    size_t e = strlen(ellipsis);
    if (n + e + 1 > size)
        n = size > e + 1 ? size - e - 1 : 0;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, s, n);
    memcpy(out + n, ellipsis, e);
    out[n + e] = '\0';
    return out;
}

int dbf__svg_place(double *right_edge, int rows, double left, double right)
{
    int best = 0;
    for (int r = 0; r < rows; r++) {
        if (right_edge[r] + 8 <= left) {
            right_edge[r] = right;
            return r;
        }
        if (right_edge[r] < right_edge[best])
            best = r;
    }
    if (right > right_edge[best])
        right_edge[best] = right;
    return best;
}
