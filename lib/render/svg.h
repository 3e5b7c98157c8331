/* svg.h: small helpers shared by the chart writers: numbers and text in
 * SVG, local clock times, the axes, and the marks every chart carries (the
 * impact window and the milestone lines). */
#ifndef DBF_SVG_H
#define DBF_SVG_H

#include "charts.h"

#include <stdbool.h>
#include <stdint.h>

#define DBF__SVG_FONT 11 /* px: tick labels and legends */

/* Appends V rounded to 0.1 with no trailing ".0", the same in every locale. */
void dbf__svg_num(struct dbf_buf *out, double v);

/* Appends name="V" (a leading space included), V as for dbf__svg_num. */
void dbf__svg_attr(struct dbf_buf *out, const char *name, double v);

/* Opens <svg> WIDTH x HEIGHT, scaled to the page width, with CLASS, the
 * accessible name LABEL (role="img", aria-label and a <title>) and, when
 * DESC is non-NULL, a <desc>. */
void dbf__svg_open(struct dbf_buf *out, const char *cls, int width, int height, const char *label,
                   const char *desc);

/* An estimate of the width of S drawn at SIZE px in a sans-serif font. */
double dbf__svg_text_width(const char *s, double size);

/* Copies at most MAX characters of S (whole UTF-8 sequences) into OUT,
 * with "…" when cut; returns OUT. */
char *dbf__svg_shorten(const char *s, size_t max, char *out, size_t size);

/* Picks a row for a label spanning [LEFT, RIGHT]: the first of ROWS rows
 * whose last label ends before LEFT (RIGHT_EDGE[r] holds it and is
 * updated), else the row whose last label ends first. */
int dbf__svg_place(double *right_edge, int rows, double left, double right);

/* The local time of T in the frame's zone. */
struct dbf__clock {
    int year, month, day, hour, minute, second;
};
struct dbf__clock dbf__chart_clock(const struct dbf__chart_frame *frame, int64_t t);

/* Appends "HH:MM" (or "HH:MM:SS" when SECONDS) of T in the frame's zone. */
void dbf__svg_clock(struct dbf_buf *out, const struct dbf__chart_frame *frame, int64_t t,
                    bool seconds);

/* Draws the time axis at Y: the baseline, ticks at round local times with
 * HH:MM labels (the date under the first and at each change of day),
 * vertical grid lines up to GRID_TOP when GRID_TOP < Y, and the zone at the
 * right. Returns the height used below Y. */
int dbf__svg_time_axis(struct dbf_buf *out, const struct dbf__chart_frame *frame, double y,
                       double grid_top);

/* A linear value axis with "nice" ticks: LO and HI are multiples of STEP. */
struct dbf__value_scale {
    double lo, hi, step;
    int decimals;    /* of the tick labels */
    double divisor;  /* tick labels are value / divisor … */
    char suffix[16]; /* … followed by this ("k", "M", "e-7") */
};

/* The scale for values from MIN to MAX, about TICKS ticks; zero is kept in
 * view when all values are positive and the lowest is under half the
 * highest. */
struct dbf__value_scale dbf__value_scale_for(double min, double max, int ticks);

/* Appends the tick label of V on SCALE ("2,000", "0.25", "120k", "−5"). */
void dbf__svg_value_label(struct dbf_buf *out, const struct dbf__value_scale *scale, double v);

/* Draws the value axis from TOP to BOTTOM: ticks with labels and grid
 * lines across the plot, and LABEL written upwards beside it. */
void dbf__svg_value_axis(struct dbf_buf *out, const struct dbf__chart_frame *frame,
                         const struct dbf__value_scale *scale, double top, double bottom,
                         const char *label);

/* The y of V on SCALE between TOP and BOTTOM. */
double dbf__value_y(const struct dbf__value_scale *scale, double v, double top, double bottom);

/* Shades the impact window between TOP and BOTTOM, clipped to the plot. */
void dbf__svg_impact(struct dbf_buf *out, const struct dbf__chart_frame *frame, double top,
                     double bottom);

/* Shades the window FROM..TO between TOP and BOTTOM, clipped to the plot,
 * with the word "impact" in its corner when LABEL and there is room. */
void dbf__svg_impact_window(struct dbf_buf *out, const struct dbf__chart_frame *frame, int64_t from,
                            int64_t to, double top, double bottom, bool label);

/* Draws dashed vertical lines from TOP to BOTTOM at detection, mitigation
 * and recovery (one line with a joint label when they coincide), labelled
 * above TOP in up to ROWS staggered rows of ROW_HEIGHT. */
void dbf__svg_milestone_lines(struct dbf_buf *out, const struct dbf__chart_frame *frame, double top,
                              double bottom, int rows, double row_height);

#endif
