/* html.c: the patterns report as one self-contained page with SVG charts.
 *
 * The page shares the report's stylesheet and chart helpers (lib/render),
 * so it looks like `debrief render`: the same fonts, colours, axes and
 * legends, the same Content-Security-Policy (no script, no request). Charts:
 * categories by period as stacked bars, the durations and the follow-through
 * as lines over the periods. */
#include "../render/parts.h"
#include "../render/svg.h"
#include "debrief/debrief.h"
#include "debrief/patterns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 880
#define PLOT_TOP 40
#define PLOT_HEIGHT 220

static const char *const palette[] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#7570b3",
};
#define PALETTE (sizeof palette / sizeof palette[0])

static const char extra_css[] =
    ".stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.6rem;"
    "margin:1rem 0}\n"
    ".stats div{border:1px solid var(--border);border-radius:6px;padding:.5rem .75rem}\n"
    ".stats dt{color:var(--muted);font-size:.8rem}\n"
    ".stats dd{margin:0;font-size:1.35rem;font-weight:650;font-variant-numeric:tabular-nums}\n"
    ".pattern{border:1px solid var(--border);border-left:4px solid var(--accent);"
    "border-radius:6px;padding:.5rem 1rem;margin:0 0 1rem}\n"
    ".pattern h3{margin:.25rem 0 .5rem}\n"
    ".meaning{font-weight:600}\n"
    "details summary{cursor:pointer;color:var(--accent);margin:0 0 .5rem}\n"
    ".swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.35em;"
    "vertical-align:-.05em}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n";

/* The x of the middle of period P's band, and the band's width. */
static double band(size_t count)
{
    return (double)(WIDTH - DBF__CHART_LEFT - DBF__CHART_RIGHT) / (double)(count ? count : 1);
}

static double band_x(size_t count, size_t p)
{
    return DBF__CHART_LEFT + band(count) * ((double)p + 0.5);
}

/* Period labels under the plot at Y, thinned out to fit. */
static void period_axis(struct dbf_buf *out, const struct dbf_pattern_result *res, double y)
{
    double w = band(res->period_count);
    size_t every = 1;
    while (w * (double)every < dbf__svg_text_width("2026-Q1", DBF__SVG_FONT) + 8)
        every++;
    dbf_buf_adds(out, "<g class=\"dbf-axis dbf-axis-x\">\n");
    for (size_t p = 0; p < res->period_count; p += every) {
        dbf_buf_adds(out, "<text");
        dbf__svg_attr(out, "x", band_x(res->period_count, p));
        dbf__svg_attr(out, "y", y + 14);
        dbf_buf_adds(out, " text-anchor=\"middle\">");
        dbf_buf_add_html(out, res->periods[p].label);
        dbf_buf_adds(out, "</text>\n");
    }
    dbf_buf_adds(out, "</g>\n");
}

struct legend_entry {
    const char *name, *colour;
    bool dashed;
};

/* The legend at Y, wrapped to the width; returns its height. */
static int legend(struct dbf_buf *out, const struct legend_entry *e, size_t count, double y)
{
    double x = DBF__CHART_LEFT, row_y = y;
    dbf_buf_adds(out, "<g class=\"dbf-legend\">\n");
    for (size_t i = 0; i < count; i++) {
        double w = 22 + dbf__svg_text_width(e[i].name, DBF__SVG_FONT) + 16;
        if (x + w > WIDTH - DBF__CHART_RIGHT && x > DBF__CHART_LEFT) {
            x = DBF__CHART_LEFT;
            row_y += 16;
        }
        dbf_buf_adds(out, "<line");
        dbf__svg_attr(out, "x1", x);
        dbf__svg_attr(out, "x2", x + 16);
        dbf__svg_attr(out, "y1", row_y - 4);
        dbf__svg_attr(out, "y2", row_y - 4);
        dbf_buf_addf(out, " stroke=\"%s\" stroke-width=\"%s\"%s/>\n<text", e[i].colour,
                     e[i].dashed ? "2" : "6", e[i].dashed ? " stroke-dasharray=\"4 3\"" : "");
        dbf__svg_attr(out, "x", x + 22);
        dbf__svg_attr(out, "y", row_y);
        dbf_buf_adds(out, ">");
        dbf_buf_add_html(out, e[i].name);
        dbf_buf_adds(out, "</text>\n");
        x += w;
    }
    dbf_buf_adds(out, "</g>\n");
    return (int)(row_y - y) + 20;
}

static const struct dbf__chart_frame frame = {0, 0, NULL, WIDTH};

static void categories_chart(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    size_t ncat = dbf_taxonomy_count(res->taxonomy), np = res->period_count;
    size_t top = 1;
    for (size_t p = 0; p < np; p++) {
        size_t sum = 0;
        for (size_t c = 0; c < ncat; c++)
            sum += res->periods[p].category_counts[c];
        top = sum > top ? sum : top;
    }
    struct legend_entry entries[DBF_MAX_CATEGORIES];
    for (size_t c = 0; c < ncat; c++)
        entries[c] = (struct legend_entry){dbf_taxonomy_at(res->taxonomy, c)->name,
                                           palette[c % PALETTE], false};
    struct dbf_buf body;
    dbf_buf_init(&body, 0);
    struct dbf__value_scale scale = dbf__value_scale_for(0, (double)top, 5);
    double bottom = PLOT_TOP + PLOT_HEIGHT;
    dbf__svg_value_axis(&body, &frame, &scale, PLOT_TOP, bottom, "post mortems per category");
    double w = band(np) * 0.7;
    for (size_t p = 0; p < np; p++) {
        double x = band_x(np, p) - w / 2, y = bottom;
        for (size_t c = 0; c < ncat; c++) {
            size_t n = res->periods[p].category_counts[c];
            if (!n)
                continue;
            double h = bottom - dbf__value_y(&scale, (double)n, PLOT_TOP, bottom);
            y -= h;
            dbf_buf_adds(&body, "<rect");
            dbf__svg_attr(&body, "x", x);
            dbf__svg_attr(&body, "y", y);
            dbf__svg_attr(&body, "width", w);
            dbf__svg_attr(&body, "height", h);
            dbf_buf_addf(&body, " fill=\"%s\"><title>", palette[c % PALETTE]);
            dbf_buf_add_html(&body, res->periods[p].label);
            dbf_buf_adds(&body, ": ");
            dbf_buf_add_html(&body, entries[c].name);
            dbf_buf_addf(&body, " %zu</title></rect>\n", n);
        }
    }
    period_axis(&body, res, bottom);
    int height = (int)bottom + 24;
    height += legend(&body, entries, ncat, height + 8);

    struct dbf_buf desc;
    dbf_buf_init(&desc, 0);
    for (size_t p = 0; p < np; p++) {
        dbf_buf_addf(&desc, "%s%s: %zu post mortems", p ? "; " : "", res->periods[p].label,
                     res->periods[p].postmortems);
        for (size_t c = 0; c < ncat; c++)
            if (res->periods[p].category_counts[c])
                dbf_buf_addf(&desc, ", %s %zu", dbf_taxonomy_at(res->taxonomy, c)->id,
                             res->periods[p].category_counts[c]);
    }
    dbf_buf_adds(out, "<figure class=\"chart\">\n");
    dbf__svg_open(out, "dbf-chart dbf-patterns-bars", WIDTH, height + 8,
                  "Post mortems per category and period", desc.data);
    dbf_buf_add(out, body.data, body.len);
    dbf_buf_adds(out, "</svg>\n<figcaption>Each bar is a period; each colour a category. A "
                      "post mortem in several categories counts in each.</figcaption>\n"
                      "</figure>\n");
    if (body.failed || desc.failed)
        out->failed = true;
    dbf_buf_release(&body);
    dbf_buf_release(&desc);
}

/* A line chart over the periods: SERIES_COUNT series, series S's value for
 * period P at VALUES[S * periods + P] when KNOWN there, drawn divided by
 * DIVISOR. */
static void line_chart(struct dbf_buf *out, const struct dbf_pattern_result *res, const char *title,
                       const char *axis, const char *caption, const struct legend_entry *entries,
                       size_t series_count, const double *values, const bool *known, double divisor)
{
    size_t np = res->period_count;
    double top = 0;
    for (size_t i = 0; i < series_count * np; i++)
        if (known[i] && values[i] / divisor > top)
            top = values[i] / divisor;
    struct dbf_buf body, desc;
    dbf_buf_init(&body, 0);
    dbf_buf_init(&desc, 0);
    struct dbf__value_scale scale = dbf__value_scale_for(0, top > 0 ? top : 1, 5);
    double bottom = PLOT_TOP + PLOT_HEIGHT;
    dbf__svg_value_axis(&body, &frame, &scale, PLOT_TOP, bottom, axis);
    for (size_t s = 0; s < series_count; s++) {
        dbf_buf_addf(&desc, "%s%s:", s ? "; " : "", entries[s].name);
        bool open = false;
        for (size_t p = 0; p < np; p++) {
            size_t i = s * np + p;
            if (!known[i]) {
                if (open)
                    dbf_buf_adds(&body, "\"/>\n");
                open = false;
                continue;
            }
            double x = band_x(np, p),
                   y = dbf__value_y(&scale, values[i] / divisor, PLOT_TOP, bottom);
            if (!open)
                dbf_buf_addf(&body,
                             "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
                             "points=\"",
                             entries[s].colour,
                             entries[s].dashed ? " stroke-dasharray=\"4 3\"" : "");
            else
                dbf_buf_addc(&body, ' ');
            dbf__svg_num(&body, x);
            dbf_buf_addc(&body, ',');
            dbf__svg_num(&body, y);
            open = true;
            dbf_buf_addf(&desc, " %s ", res->periods[p].label);
            dbf__svg_num(&desc, values[i] / divisor);
        }
        if (open)
            dbf_buf_adds(&body, "\"/>\n");
        for (size_t p = 0; p < np; p++) {
            size_t i = s * np + p;
            if (!known[i])
                continue;
            dbf_buf_adds(&body, "<circle r=\"3\"");
            dbf__svg_attr(&body, "cx", band_x(np, p));
            dbf__svg_attr(&body, "cy", dbf__value_y(&scale, values[i] / divisor, PLOT_TOP, bottom));
            dbf_buf_addf(&body, " fill=\"%s\"><title>", entries[s].colour);
            dbf_buf_add_html(&body, res->periods[p].label);
            dbf_buf_adds(&body, " ");
            dbf_buf_add_html(&body, entries[s].name);
            dbf_buf_adds(&body, ": ");
            dbf__svg_num(&body, values[i] / divisor);
            dbf_buf_adds(&body, "</title></circle>\n");
        }
    }
    period_axis(&body, res, bottom);
    int height = (int)bottom + 24;
    height += legend(&body, entries, series_count, height + 8);
    dbf_buf_adds(out, "<figure class=\"chart\">\n");
    dbf__svg_open(out, "dbf-chart dbf-patterns-lines", WIDTH, height + 8, title, desc.data);
    dbf_buf_add(out, body.data, body.len);
    dbf_buf_adds(out, "</svg>\n<figcaption>");
    dbf_buf_add_html(out, caption);
    dbf_buf_adds(out, "</figcaption>\n</figure>\n");
    if (body.failed || desc.failed)
        out->failed = true;
    dbf_buf_release(&body);
    dbf_buf_release(&desc);
}

static void duration_chart(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    size_t np = res->period_count;
    double *values = calloc(4 * np, sizeof *values);
    bool *known = calloc(4 * np, sizeof *known);
    if (!values || !known) {
        out->failed = true;
        free(values);
        free(known);
        return;
    }
    for (size_t p = 0; p < np; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        const struct dbf_duration_trend *t[4] = {&per->ttd, &per->ttd, &per->ttm, &per->ttm};
        for (size_t s = 0; s < 4; s++) {
            known[s * np + p] = t[s]->count > 0;
            values[s * np + p] = (double)(s % 2 ? t[s]->worst : t[s]->median);
        }
    }
    static const struct legend_entry entries[] = {
        {"time to detect, median", "#4e79a7", false},
        {"time to detect, worst", "#4e79a7", true},
        {"time to mitigate, median", "#e15759", false},
        {"time to mitigate, worst", "#e15759", true},
    };
    line_chart(out, res, "Time to detect and to mitigate per period", "minutes",
               "Median (solid) and worst (dashed) per period, in minutes: time to detect runs from "
               "impact start to detection, time to mitigate from diagnosis to recovery.",
               entries, 4, values, known, 60);
    free(values);
    free(known);
}

static void follow_through_chart(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    size_t np = res->period_count;
    double *values = calloc(2 * np, sizeof *values);
    bool *known = calloc(2 * np, sizeof *known);
    if (!values || !known) {
        out->failed = true;
        free(values);
        free(known);
        return;
    }
    for (size_t p = 0; p < np; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        known[p] = per->actions > 0;
        values[p] = per->actions ? 100.0 * (double)per->actions_done / (double)per->actions : 0;
        known[np + p] = per->scored > 0;
        values[np + p] = per->score_mean;
    }
    static const struct legend_entry entries[] = {
        {"action items done (%)", "#59a14f", false},
        {"mean review score", "#b07aa1", false},
    };
    line_chart(out, res, "Follow-through per period", "percent / score (0-100)",
               "Share of the period's action items marked done, and the mean review score of its "
               "post mortems (debrief lint).",
               entries, 2, values, known, 1);
    free(values);
    free(known);
}

static void stat(struct dbf_buf *out, const char *label, const char *value)
{
    dbf_buf_adds(out, "<div><dt>");
    dbf_buf_add_html(out, label);
    dbf_buf_adds(out, "</dt><dd>");
    dbf_buf_add_html(out, value);
    dbf_buf_adds(out, "</dd></div>");
}

static void doc_link(struct dbf_buf *out, const struct dbf_pattern_doc *d, int line)
{
    dbf_buf_adds(out, "<code>");
    dbf_buf_add_html(out, d->path);
    if (line)
        dbf_buf_addf(out, ":%d", line);
    dbf_buf_adds(out, "</code>");
}

static void patterns_html(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    dbf_buf_addf(out,
                 "<h2 id=\"patterns\">Patterns</h2>\n<p>A category is a pattern in a period "
                 "where it shows in %ld or more post mortems, or that is one of %ld or more "
                 "periods running where it shows.</p>\n",
                 res->in_one_period, res->periods_running);
    if (!res->pattern_count)
        dbf_buf_adds(out, "<p>No category recurs.</p>\n");
    for (size_t i = 0; i < res->pattern_count; i++) {
        const struct dbf_pattern *pat = &res->patterns[i];
        const struct dbf_category *cat = dbf_taxonomy_at(res->taxonomy, pat->category);
        dbf_buf_addf(out, "<section class=\"pattern\" style=\"border-left-color:%s\">\n<h3>",
                     palette[pat->category % PALETTE]);
        dbf_buf_add_html(out, cat->name);
        dbf_buf_addf(out, " <small>(%zu post mortem%s)</small></h3>\n<p class=\"meaning\">",
                     pat->doc_count, pat->doc_count == 1 ? "" : "s");
        dbf_buf_add_html(out, cat->meaning);
        dbf_buf_adds(out, "</p>\n<p>In ");
        for (size_t p = 0; p < pat->period_count; p++) {
            dbf_buf_adds(out, p ? ", " : "");
            dbf_buf_add_html(out, res->periods[pat->periods[p]].label);
        }
        /* Long lists fold away so that every pattern's meaning stays in view. */
        dbf_buf_addf(out,
                     ".</p>\n<details%s><summary>The post mortems and the passage that "
                     "put each one there</summary>\n<table>\n<thead><tr><th>Date</th>"
                     "<th>Post mortem</th><th>Evidence</th></tr></thead>\n<tbody>\n",
                     pat->doc_count <= 10 ? " open" : "");
        for (size_t d = 0; d < pat->doc_count; d++) {
            const struct dbf_pattern_doc *doc = &res->docs[pat->docs[d]];
            dbf_buf_addf(out, "<tr><td>%04d-%02d-%02d</td><td>", doc->date.year, doc->date.month,
                         doc->date.day);
            dbf_buf_add_html(out, doc->title);
            dbf_buf_adds(out, "<br>");
            doc_link(out, doc, doc->evidence[pat->category].line);
            dbf_buf_adds(out, "</td><td>");
            dbf_buf_add_html(out, doc->evidence[pat->category].text);
            dbf_buf_adds(out, "</td></tr>\n");
        }
        dbf_buf_adds(out, "</tbody>\n</table>\n</details>\n</section>\n");
    }
}

static void repeats_html(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    dbf_buf_adds(out, "<h2 id=\"repeated-actions\">Repeated action items</h2>\n");
    if (!res->repeat_count) {
        dbf_buf_adds(out,
                     "<p>No action item promises a fix an earlier post mortem promised.</p>\n");
        return;
    }
    dbf_buf_adds(out, "<table>\n<thead><tr><th>Action item</th><th>Promised before in</th>"
                      "<th class=\"num\">Alike</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < res->repeat_count; i++) {
        const struct dbf_repeated_action *r = &res->repeats[i];
        dbf_buf_adds(out, "<tr><td>");
        dbf_buf_add_html(out, r->action);
        dbf_buf_adds(out, "<br>");
        doc_link(out, &res->docs[r->doc], r->line);
        dbf_buf_adds(out, "</td><td>");
        dbf_buf_add_html(out, r->earlier_action);
        dbf_buf_addf(out, " (%s)<br>", r->earlier_done ? "done" : "still open");
        doc_link(out, &res->docs[r->earlier_doc], r->earlier_line);
        dbf_buf_addf(out, "</td><td class=\"num\">%.0f%%</td></tr>\n", r->similarity * 100);
    }
    dbf_buf_adds(out, "</tbody>\n</table>\n");
}

static void stale_html(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    dbf_buf_addf(out, "<h2 id=\"stale-actions\">Open action items older than %ld days</h2>\n",
                 res->stale_days);
    if (!res->stale_count) {
        dbf_buf_adds(out, "<p>None.</p>\n");
        return;
    }
    dbf_buf_adds(out, "<table>\n<thead><tr><th>Action item</th><th>Owner</th><th>Due</th>"
                      "<th class=\"num\">Age (days)</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < res->stale_count; i++) {
        const struct dbf_stale_action *s = &res->stale[i];
        dbf_buf_adds(out, "<tr><td>");
        dbf_buf_add_html(out, s->action);
        dbf_buf_adds(out, "<br>");
        doc_link(out, &res->docs[s->doc], s->line);
        dbf_buf_adds(out, "</td><td>");
        dbf_buf_add_html(out, s->owner ? s->owner : "none");
        if (s->due.year)
            dbf_buf_addf(out, "</td><td>%04d-%02d-%02d", s->due.year, s->due.month, s->due.day);
        else
            dbf_buf_adds(out, "</td><td>none");
        dbf_buf_addf(out, "</td><td class=\"num\">%ld</td></tr>\n", s->age_days);
    }
    dbf_buf_adds(out, "</tbody>\n</table>\n");
}

static void trends_table(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    dbf_buf_adds(out, "<table>\n<thead><tr><th>Period</th><th class=\"num\">Post mortems</th>"
                      "<th class=\"num\">TTD median</th><th class=\"num\">TTD worst</th>"
                      "<th class=\"num\">TTM median</th><th class=\"num\">TTM worst</th>"
                      "<th class=\"num\">SEV-1</th><th class=\"num\">SEV-2</th>"
                      "<th class=\"num\">SEV-3</th><th class=\"num\">SEV-4</th>"
                      "<th class=\"num\">Actions done</th><th class=\"num\">Score</th></tr>"
                      "</thead>\n<tbody>\n");
    for (size_t p = 0; p < res->period_count; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        char a[32], b[32], c[32], d[32];
        dbf_buf_adds(out, "<tr><td>");
        dbf_buf_add_html(out, per->label);
        dbf_buf_addf(out,
                     "</td><td class=\"num\">%zu</td><td class=\"num\">%s</td><td "
                     "class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
                     per->postmortems,
                     per->ttd.count ? dbf_duration_format(per->ttd.median, a, sizeof a) : "-",
                     per->ttd.count ? dbf_duration_format(per->ttd.worst, b, sizeof b) : "-",
                     per->ttm.count ? dbf_duration_format(per->ttm.median, c, sizeof c) : "-",
                     per->ttm.count ? dbf_duration_format(per->ttm.worst, d, sizeof d) : "-");
        for (int s = 1; s <= 4; s++)
            dbf_buf_addf(out, "<td class=\"num\">%zu</td>", per->severity[s]);
        if (per->actions)
            dbf_buf_addf(out, "<td class=\"num\">%zu/%zu</td>", per->actions_done, per->actions);
        else
            dbf_buf_adds(out, "<td class=\"num\">-</td>");
        if (per->scored)
            dbf_buf_addf(out, "<td class=\"num\">%.1f</td></tr>\n", per->score_mean);
        else
            dbf_buf_adds(out, "<td class=\"num\">-</td></tr>\n");
    }
    dbf_buf_adds(out, "</tbody>\n</table>\n");
}

/* The figures at the top: counted, periods, patterns, repeats, done. */
static void stats_html(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    char text[64];
    dbf_buf_adds(out, "<dl class=\"stats\">");
    snprintf(text, sizeof text, "%zu", res->counted);
    stat(out, "Post mortems counted", text);
    if (res->period_count) {
        snprintf(text, sizeof text, "%s to %s", res->periods[0].label,
                 res->periods[res->period_count - 1].label);
        stat(out, "Periods", text);
    }
    snprintf(text, sizeof text, "%zu", res->pattern_count);
    stat(out, "Patterns", text);
    snprintf(text, sizeof text, "%zu", res->repeat_count);
    stat(out, "Fixes promised again", text);
    if (res->actions)
        snprintf(text, sizeof text, "%.0f%%",
                 100.0 * (double)res->actions_done / (double)res->actions);
    else
        snprintf(text, sizeof text, "-");
    stat(out, "Action items done", text);
    dbf_buf_adds(out, "</dl>\n");
    if (res->doc_count > res->counted)
        dbf_buf_addf(out,
                     "<p class=\"note\" role=\"note\">%zu post mortem%s left out: no date "
                     "was found, or dated before the start.</p>\n",
                     res->doc_count - res->counted, res->doc_count - res->counted == 1 ? "" : "s");
}

/* The charts, patterns, repeats, stale items and trends. */
static void body_html(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    const char *unit = res->unit == DBF_PERIOD_MONTH ? "month" : "quarter";
    if (res->period_count) {
        dbf_buf_addf(out, "<h2 id=\"categories\">Categories by %s</h2>\n", unit);
        categories_chart(out, res);
        patterns_html(out, res);
        repeats_html(out, res);
        stale_html(out, res);
        dbf_buf_addf(out, "<h2 id=\"trends\">Trends by %s</h2>\n", unit);
        duration_chart(out, res);
        follow_through_chart(out, res);
        trends_table(out, res);
    } else {
        dbf_buf_adds(out, "<p>No dated post mortem to count.</p>\n");
    }
}

bool dbf_pattern_report_html_content(const struct dbf_pattern_result *res, struct dbf_buf *out)
{
    stats_html(out, res);
    body_html(out, res);
    return !out->failed;
}

bool dbf_pattern_report_html(const struct dbf_pattern_result *res, struct dbf_buf *out)
{
    dbf_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src data:; script-src 'none'; "
                      "base-uri 'none'; form-action 'none'\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"referrer\" content=\"no-referrer\">\n");
    dbf_buf_addf(out, "<meta name=\"generator\" content=\"debrief %s\">\n", DEBRIEF_VERSION);
    dbf_buf_adds(out, "<title>Recurring failures across post mortems</title>\n<style>\n");
    dbf_buf_adds(out, dbf__page_css);
    dbf_buf_adds(out, extra_css);
    dbf_buf_adds(out, "</style>\n</head>\n<body>\n<div class=\"page\">\n"
                      "<header class=\"page-header\">\n<p class=\"kicker\">debrief patterns</p>\n"
                      "<h1>Recurring failures across post mortems</h1>\n");
    stats_html(out, res);
    dbf_buf_adds(out, "</header>\n<main class=\"page-main\">\n");
    body_html(out, res);
    dbf_buf_addf(out,
                 "</main>\n<footer class=\"page-footer\">Made by debrief %s.</footer>\n"
                 "</div>\n</body>\n</html>\n",
                 DEBRIEF_VERSION);
    return !out->failed;
}
