/* text.c: the patterns report for a terminal.
 *
 * Tables are cut into blocks of at most PERIODS_PER_BLOCK periods so that
 * two years by month still fit in 100 columns; a pattern lists its first
 * DOCS_SHOWN post mortems (JSON has them all). */
#include "debrief/patterns.h"
#include "debrief/timeline.h"
#include "spill.h"

#include <stdio.h>
#include <string.h>

#define PERIODS_PER_BLOCK 8
#define DOCS_SHOWN 10

static void heading(struct dbf_buf *out, bool colour, const char *text)
{
    dbf_buf_addf(out, "\n%s%s%s\n", colour ? "\033[1m" : "", text, colour ? "\033[0m" : "");
}

static const char *unit_name(const struct dbf_pattern_result *res, bool plural)
{
    if (res->unit == DBF_PERIOD_MONTH)
        return plural ? "months" : "month";
    return plural ? "quarters" : "quarter";
}

static int id_width(const struct dbf_pattern_result *res)
{
    int w = (int)strlen("post mortems");
    for (size_t c = 0; c < dbf_taxonomy_count(res->taxonomy); c++) {
        int n = (int)strlen(dbf_taxonomy_at(res->taxonomy, c)->id);
        w = n > w ? n : w;
    }
    return w;
}

static void category_table(struct dbf_buf *out, const struct dbf_pattern_result *res, bool colour)
{
    char title[64];
    snprintf(title, sizeof title, "Categories by %s", unit_name(res, false));
    heading(out, colour, title);
    int w = id_width(res);
    size_t ncat = dbf_taxonomy_count(res->taxonomy);
    for (size_t from = 0; from < res->period_count; from += PERIODS_PER_BLOCK) {
        size_t to = from + PERIODS_PER_BLOCK < res->period_count ? from + PERIODS_PER_BLOCK
                                                                 : res->period_count;
        if (from)
            dbf_buf_addc(out, '\n');
        dbf_buf_addf(out, "  %-*s", w, "");
        for (size_t p = from; p < to; p++)
            dbf_buf_addf(out, " %8s", res->periods[p].label);
        dbf_buf_addc(out, '\n');
        for (size_t c = 0; c < ncat; c++) {
            dbf_buf_addf(out, "  %-*s", w, dbf_taxonomy_at(res->taxonomy, c)->id);
            for (size_t p = from; p < to; p++)
                dbf_buf_addf(out, " %8zu", res->periods[p].category_counts[c]);
            dbf_buf_addc(out, '\n');
        }
        dbf_buf_addf(out, "  %-*s", w, "post mortems");
        for (size_t p = from; p < to; p++)
            dbf_buf_addf(out, " %8zu", res->periods[p].postmortems);
        dbf_buf_addc(out, '\n');
    }
}

static void patterns(struct dbf_buf *out, const struct dbf_pattern_result *res, bool colour)
{
    char title[160];
    snprintf(title, sizeof title, "Patterns (%ld or more post mortems in a %s, or %ld %s running)",
             res->in_one_period, unit_name(res, false), res->periods_running,
             unit_name(res, true));
    heading(out, colour, title);
    if (!res->pattern_count)
        dbf_buf_adds(out, "  none: no category recurs\n");
    for (size_t i = 0; i < res->pattern_count; i++) {
        const struct dbf_pattern *pat = &res->patterns[i];
        const struct dbf_category *cat = dbf_taxonomy_at(res->taxonomy, pat->category);
        dbf_buf_addf(out, "%s  %s (%s): %zu post mortem%s in ", i ? "\n" : "", cat->id, cat->name,
                     pat->doc_count, pat->doc_count == 1 ? "" : "s");
        for (size_t p = 0; p < pat->period_count; p++)
            dbf_buf_addf(out, "%s%s", p ? ", " : "", res->periods[pat->periods[p]].label);
        dbf_buf_addf(out, "\n    What it says: %s\n", cat->meaning);
        for (size_t d = 0; d < pat->doc_count && d < DOCS_SHOWN; d++) {
            const struct dbf_pattern_doc *doc = &res->docs[pat->docs[d]];
            const struct dbf_category_evidence *ev = &doc->evidence[pat->category];
            dbf_buf_addf(out, "    %04d-%02d-%02d  %s:%d  \"%s\"\n", doc->date.year,
                         doc->date.month, doc->date.day, doc->path, ev->line, ev->text);
        }
        if (pat->doc_count > DOCS_SHOWN)
            dbf_buf_addf(out, "    … and %zu more (--format json lists them all)\n",
                         pat->doc_count - DOCS_SHOWN);
    }
}

static void item_name(struct dbf_buf *out, const char *path, int line, int number)
{
    dbf_buf_addf(out, "%s:%d", path, line);
    if (number)
        dbf_buf_addf(out, " #%d", number);
}

static void repeats(struct dbf_buf *out, const struct dbf_pattern_result *res, bool colour,
                    FILE *f)
{
    heading(out, colour, "Repeated action items (the same fix promised again)");
    if (!res->repeat_count)
        dbf_buf_adds(out, "  none\n");
    for (size_t i = 0; i < res->repeat_count; i++) {
        dbf__spill(out, f);
        const struct dbf_repeated_action *r = &res->repeats[i];
        const struct dbf_pattern_doc *old = &res->docs[r->earlier_doc];
        dbf_buf_adds(out, "  ");
        item_name(out, res->docs[r->doc].path, r->line, r->number);
        dbf_buf_addf(out, "  %s\n    repeats ", r->action);
        item_name(out, old->path, r->earlier_line, r->earlier_number);
        dbf_buf_addf(out, " (%04d-%02d-%02d, %s, %.0f%% alike)  %s\n", old->date.year,
                     old->date.month, old->date.day, r->earlier_done ? "done" : "still open",
                     r->similarity * 100, r->earlier_action);
    }
}

static void stale(struct dbf_buf *out, const struct dbf_pattern_result *res, bool colour,
                  FILE *f)
{
    char title[128];
    snprintf(title, sizeof title,
             "Open action items older than %ld days (the actions/deadline-too-far limit)",
             res->stale_days);
    heading(out, colour, title);
    if (!res->stale_count)
        dbf_buf_adds(out, "  none\n");
    for (size_t i = 0; i < res->stale_count; i++) {
        dbf__spill(out, f);
        const struct dbf_stale_action *s = &res->stale[i];
        dbf_buf_adds(out, "  ");
        item_name(out, res->docs[s->doc].path, s->line, s->number);
        dbf_buf_addf(out, "  %ld days  %s (owner %s", s->age_days, s->action,
                     s->owner ? s->owner : "none");
        if (s->due.year)
            dbf_buf_addf(out, ", due %04d-%02d-%02d", s->due.year, s->due.month, s->due.day);
        dbf_buf_adds(out, ")\n");
    }
}

static void duration_cell(struct dbf_buf *out, bool known, int64_t seconds)
{
    char text[32];
    dbf_buf_addf(out, " %11s", known ? dbf_duration_format(seconds, text, sizeof text) : "-");
}

static void trends(struct dbf_buf *out, const struct dbf_pattern_result *res, bool colour)
{
    char title[64];
    snprintf(title, sizeof title, "Trends by %s", unit_name(res, false));
    heading(out, colour, title);
    dbf_buf_addf(out, "  %-8s %5s %11s %11s %11s %11s  %-15s %11s %6s\n", "period", "pms",
                 "TTD median", "TTD worst", "TTM median", "TTM worst", "SEV-1/2/3/4/?",
                 "done", "score");
    for (size_t p = 0; p < res->period_count; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        char sev[48], done[32], score[16];
        snprintf(sev, sizeof sev, "%zu/%zu/%zu/%zu/%zu", per->severity[1], per->severity[2],
                 per->severity[3], per->severity[4], per->severity[0]);
        if (per->actions)
            snprintf(done, sizeof done, "%zu/%zu %3.0f%%", per->actions_done, per->actions,
                     100.0 * (double)per->actions_done / (double)per->actions);
        else
            snprintf(done, sizeof done, "-");
        if (per->scored)
            snprintf(score, sizeof score, "%.1f", per->score_mean);
        else
            snprintf(score, sizeof score, "-");
        dbf_buf_addf(out, "  %-8s %5zu", per->label, per->postmortems);
        duration_cell(out, per->ttd.count, per->ttd.median);
        duration_cell(out, per->ttd.count, per->ttd.worst);
        duration_cell(out, per->ttm.count, per->ttm.median);
        duration_cell(out, per->ttm.count, per->ttm.worst);
        dbf_buf_addf(out, "  %-15s %11s %6s\n", sev, done, score);
    }
}

static void render(const struct dbf_pattern_result *res, bool colour, struct dbf_buf *out,
                   FILE *f)
{
    dbf_buf_addf(out, "%zu post mortem%s", res->doc_count, res->doc_count == 1 ? "" : "s");
    if (res->period_count)
        dbf_buf_addf(out, ", %zu counted from %s to %s by %s", res->counted,
                     res->periods[0].label, res->periods[res->period_count - 1].label,
                     unit_name(res, false));
    if (res->doc_count > res->counted)
        dbf_buf_addf(out, "; %zu left out (no date, or before --since)",
                     res->doc_count - res->counted);
    if (res->actions)
        dbf_buf_addf(out, "; action items %zu of %zu done (%.0f%%)", res->actions_done,
                     res->actions, 100.0 * (double)res->actions_done / (double)res->actions);
    dbf_buf_adds(out, "\n");
    if (!res->period_count)
        return;
    category_table(out, res, colour);
    patterns(out, res, colour);
    repeats(out, res, colour, f);
    stale(out, res, colour, f);
    trends(out, res, colour);
}

bool dbf_pattern_report_text(const struct dbf_pattern_result *res, bool colour,
                             struct dbf_buf *out)
{
    render(res, colour, out, NULL);
    return !out->failed;
}

bool dbf_pattern_report_text_write(const struct dbf_pattern_result *res, bool colour, FILE *f)
{
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    render(res, colour, &out, f);
    return dbf__spill_finish(&out, f);
}
