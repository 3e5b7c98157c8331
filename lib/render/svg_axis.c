/* svg_axis.c: the axes of the charts: local clock times on x, nice values on y. */
#include "svg.h"

#include "../parse/clock.h"
#include "chart_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

struct dbf__clock dbf__chart_clock(const struct dbf__chart_frame *frame, int64_t t)
{
    int64_t local = t + (int64_t)dbf__chart_offset_at(frame, t) * 60;
    int64_t days = floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    struct dbf__clock c;
    struct dbf_date date = dbf__civil_from_days(days);
    c.year = date.year;
    c.month = date.month;
    c.day = date.day;
    c.hour = (int)(secs / 3600);
    c.minute = (int)(secs / 60 % 60);
    c.second = (int)(secs % 60);
    return c;
}

void dbf__svg_clock(struct dbf_buf *out, const struct dbf__chart_frame *frame, int64_t t,
                    bool seconds)
{
    struct dbf__clock c = dbf__chart_clock(frame, t);
    dbf_buf_addf(out, "%02d:%02d", c.hour, c.minute);
    if (seconds)
        dbf_buf_addf(out, ":%02d", c.second);
}

static void add_date(struct dbf_buf *out, struct dbf__clock c)
{
    dbf_buf_addf(out, "%d %s %d", c.day, month_names[c.month - 1], c.year);
}

/* "times in UTC", "times in Europe/Paris (UTC+01:00)". */
static void add_zone_caption(struct dbf_buf *out, const struct dbf__chart_frame *frame)
{
    const char *zone = dbf__chart_zone(frame);
    int off = dbf__chart_offset_at(frame, frame->start);
    dbf_buf_adds(out, "times in ");
    if (strcmp(zone, "UTC") == 0 && off == 0) {
        dbf_buf_adds(out, "UTC");
        return;
    }
    dbf_buf_add_html(out, zone);
    if (zone[0] != '+' && zone[0] != '-')
        dbf_buf_addf(out, " (UTC%s%02d:%02d)", off < 0 ? "\xe2\x88\x92" : "+", abs(off) / 60,
                     abs(off) % 60);
}

static int64_t tick_step(const struct dbf__chart_frame *frame)
{
    static const int64_t steps[] = {1,     2,     5,      10,     15,      30,     60,    120,
                                    300,   600,   900,    1800,   3600,    7200,   10800, 21600,
                                    43200, 86400, 172800, 604800, 1209600, 2419200};
    double plot = dbf__chart_width(frame) - DBF__CHART_LEFT - DBF__CHART_RIGHT;
    double span = (double)(frame->end - frame->start);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if ((double)steps[i] * plot / span >= 72)
            return steps[i];
    return (int64_t)dbf__ceil(span / 4);
}

int dbf__svg_time_axis(struct dbf_buf *out, const struct dbf__chart_frame *frame, double y,
                       double grid_top)
{
    int width = dbf__chart_width(frame);
    double right = width - DBF__CHART_RIGHT;
    dbf_buf_adds(out, "<g class=\"dbf-axis dbf-axis-x\">\n");
    dbf_buf_addf(out, "<line x1=\"%d\"", DBF__CHART_LEFT);
    dbf__svg_attr(out, "x2", right);
    dbf__svg_attr(out, "y1", y);
    dbf__svg_attr(out, "y2", y);
    dbf_buf_adds(out, " stroke=\"#666\"/>\n");
    if (frame->end <= frame->start) {
        dbf_buf_adds(out, "</g>\n");
        return 20;
    }
    int64_t step = tick_step(frame);
    int64_t off = (int64_t)dbf__chart_offset_at(frame, frame->start) * 60;
    int64_t t = floor_div(frame->start + off + step - 1, step) * step - off;
    struct dbf__clock previous = {0};
    double date_right = -1e9;
    bool first = true, dated = dbf__chart_dated(frame);
    struct dbf_buf label;
    dbf_buf_init(&label, 256);
    for (; t <= frame->end; t += step) {
        double x = dbf__chart_x(frame, t);
        struct dbf__clock c = dbf__chart_clock(frame, t);
        if (grid_top < y) {
            dbf_buf_adds(out, "<line");
            dbf__svg_attr(out, "x1", x);
            dbf__svg_attr(out, "x2", x);
            dbf__svg_attr(out, "y1", grid_top);
            dbf__svg_attr(out, "y2", y);
            dbf_buf_adds(out, " stroke=\"#ececec\"/>\n");
        }
        dbf_buf_adds(out, "<line");
        dbf__svg_attr(out, "x1", x);
        dbf__svg_attr(out, "x2", x);
        dbf__svg_attr(out, "y1", y);
        dbf__svg_attr(out, "y2", y + 4);
        dbf_buf_adds(out, " stroke=\"#666\"/>\n<text");
        dbf__svg_attr(out, "x", x);
        dbf__svg_attr(out, "y", y + 16);
        dbf_buf_adds(out, " text-anchor=\"middle\">");
        if (step >= 86400 && dated)
            add_date(out, c);
        else
            dbf__svg_clock(out, frame, t, step < 60);
        dbf_buf_adds(out, "</text>\n");
        bool new_day =
            first || c.day != previous.day || c.month != previous.month || c.year != previous.year;
        if (step < 86400 && new_day && dated) {
            dbf_buf_reset(&label);
            add_date(&label, c);
            double w = dbf__svg_text_width(label.data, DBF__SVG_FONT);
            double left = x - w / 2 < 0 ? 0 : x - w / 2;
            dbf_buf_adds(out, "<text class=\"dbf-date\"");
            dbf__svg_attr(out, "x", left);
            dbf__svg_attr(out, "y", y + 29);
            dbf_buf_adds(out, " fill=\"#555\">");
            dbf_buf_adds(out, label.data);
            dbf_buf_adds(out, "</text>\n");
            date_right = left + w;
        }
        previous = c;
        first = false;
    }
    dbf_buf_reset(&label);
    add_zone_caption(&label, frame);
    double w = dbf__svg_text_width(label.data, DBF__SVG_FONT);
    bool own_line = date_right + 8 > right - w;
    dbf_buf_adds(out, "<text class=\"dbf-zone\"");
    dbf__svg_attr(out, "x", right);
    dbf__svg_attr(out, "y", y + (own_line ? 42 : 29));
    dbf_buf_adds(out, " text-anchor=\"end\" fill=\"#555\">");
    dbf_buf_adds(out, label.data);
    dbf_buf_adds(out, "</text>\n</g>\n");
    dbf_buf_release(&label);
    return own_line ? 48 : 35;
}

struct dbf__value_scale dbf__value_scale_for(double min, double max, int ticks)
{
    struct dbf__value_scale s = {0, 1, 0.25, 2, 1, ""};
    if (!isfinite(min) || !isfinite(max) || min > max)
        return s;
    s.divisor = 1;
    if (min >= 0 && min < max / 2)
        min = 0;
    if (max <= 0 && max > min / 2)
        max = 0;
    if (min == max) {
        double d = min == 0 ? 1 : dbf__abs(min) * 0.1;
        min -= d;
        max += d;
        if (min < 0 && min + d >= 0)
            min = 0;
    }
    double raw = (max - min) / (ticks > 1 ? ticks : 1);
    double mag = dbf__pow10(dbf__floor_log10(raw));
    double norm = raw / mag;
    s.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
    s.lo = dbf__floor(min / s.step + 1e-9) * s.step;
    s.hi = dbf__ceil(max / s.step - 1e-9) * s.step;
    if (s.hi <= s.lo)
        s.hi = s.lo + s.step;
    if (!(s.step > 0) || !isfinite(s.step) || !isfinite(s.lo) || !isfinite(s.hi))
        return (struct dbf__value_scale){0, 1, 0.25, 2, 1, ""};
    double biggest = dbf__max(dbf__abs(s.lo), dbf__abs(s.hi));
    static const struct {
        double divisor;
        const char *suffix;
    } units[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
    if (biggest >= 1e15 || (biggest > 0 && biggest < 1e-4)) {
        int e = dbf__floor_log10(biggest);
        s.divisor = dbf__pow10(e);
        snprintf(s.suffix, sizeof s.suffix, "e%d", e);
    } else if (biggest >= 1e4) {
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (biggest >= units[i].divisor) {
                s.divisor = units[i].divisor;
                snprintf(s.suffix, sizeof s.suffix, "%s", units[i].suffix);
                break;
            }
    }
    double step = s.step / s.divisor;
    s.decimals = 0;
    while (s.decimals < 12 &&
           dbf__abs(step - (double)dbf__round(step)) > 1e-9 * dbf__max(1, dbf__abs(step))) {
        step *= 10;
        s.decimals++;
    }
    return s;
}

void dbf__svg_value_label(struct dbf_buf *out, const struct dbf__value_scale *scale, double v)
{
    double scaled = v / scale->divisor * dbf__pow10(scale->decimals);
    long long n = dbf__round(scaled);
    if (n < 0)
        dbf_buf_adds(out, "\xe2\x88\x92");
    unsigned long long u = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
    unsigned long long unit = 1;
    for (int i = 0; i < scale->decimals; i++)
        unit *= 10;
    unsigned long long whole = u / unit, frac = u % unit;
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", whole);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            dbf_buf_addc(out, ',');
        dbf_buf_addc(out, digits[i]);
    }
    if (scale->decimals)
        dbf_buf_addf(out, ".%0*llu", scale->decimals, frac);
    dbf_buf_adds(out, scale->suffix);
}

double dbf__value_y(const struct dbf__value_scale *scale, double v, double top, double bottom)
{
    return bottom - (v - scale->lo) / (scale->hi - scale->lo) * (bottom - top);
}

void dbf__svg_value_axis(struct dbf_buf *out, const struct dbf__chart_frame *frame,
                         const struct dbf__value_scale *scale, double top, double bottom,
                         const char *label)
{
    double right = dbf__chart_width(frame) - DBF__CHART_RIGHT;
    dbf_buf_adds(out, "<g class=\"dbf-axis dbf-axis-y\">\n");
    long long first = dbf__round(scale->lo / scale->step),
              last = dbf__round(scale->hi / scale->step);
    if (last - first > 50) /* only when the values are beyond what a double can step through */
        last = first + 50;
    for (long long k = first; k <= last; k++) {
        double v = (double)k * scale->step;
        double y = dbf__value_y(scale, v, top, bottom);
        dbf_buf_addf(out, "<line x1=\"%d\"", DBF__CHART_LEFT);
        dbf__svg_attr(out, "x2", right);
        dbf__svg_attr(out, "y1", y);
        dbf__svg_attr(out, "y2", y);
        dbf_buf_addf(out, " stroke=\"%s\"/>\n", k == first ? "#666" : "#ececec");
        dbf_buf_addf(out, "<text x=\"%d\"", DBF__CHART_LEFT - 6);
        dbf__svg_attr(out, "y", y + 4);
        dbf_buf_adds(out, " text-anchor=\"end\">");
        dbf__svg_value_label(out, scale, v);
        dbf_buf_adds(out, "</text>\n");
    }
    if (label && *label) {
        char shown[256];
        size_t room = (size_t)((bottom - top + 40) / (0.56 * 10));
        dbf__svg_shorten(label, room, shown, sizeof shown);
        double mid = (top + bottom) / 2;
        dbf_buf_adds(out, "<text class=\"dbf-axis-label\" x=\"14\"");
        dbf__svg_attr(out, "y", mid);
        dbf_buf_adds(out, " transform=\"rotate(-90 14 ");
        dbf__svg_num(out, mid);
        dbf_buf_adds(out, ")\" text-anchor=\"middle\" font-size=\"10\">");
        dbf_buf_add_html(out, shown);
        dbf_buf_adds(out, "</text>\n");
    }
    dbf_buf_adds(out, "</g>\n");
}
