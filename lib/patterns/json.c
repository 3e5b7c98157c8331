/* json.c: the patterns report as JSON (DESIGN.md §6, with fields added).
 *
 * Numbers are written the same in every locale: rates and similarities
 * with at most four decimals, mean scores with one, durations in whole
 * seconds. */
#include "debrief/patterns.h"
#include "spill.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* V rounded to DECIMALS places, without trailing zeros. */
static void add_number(struct dbf_buf *out, double v, int decimals)
{
    char text[64];
    double scale = pow(10, decimals);
    v = round(v * scale) / scale;
    snprintf(text, sizeof text, "%.*f", decimals, v);
    if (strchr(text, '.')) {
        size_t n = strlen(text);
        while (text[n - 1] == '0')
            text[--n] = '\0';
        if (text[n - 1] == '.')
            text[--n] = '\0';
    }
    if (strcmp(text, "-0") == 0)
        snprintf(text, sizeof text, "0");
    dbf_buf_adds(out, text);
}

static void add_date(struct dbf_buf *out, struct dbf_date d)
{
    if (!d.year)
        dbf_buf_adds(out, "null");
    else
        dbf_buf_addf(out, "\"%04d-%02d-%02d\"", d.year, d.month, d.day);
}

static void add_rate(struct dbf_buf *out, size_t done, size_t total)
{
    if (!total)
        dbf_buf_adds(out, "null");
    else
        add_number(out, (double)done / (double)total, 4);
}

static const char *period_label(const struct dbf_pattern_result *res, const struct dbf_pattern_doc *d,
                                char *buf, size_t size)
{
    return d->date.year ? dbf_period_label(res->unit, d->period, buf, size) : NULL;
}

static void add_categories(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    size_t n = dbf_taxonomy_count(res->taxonomy);
    dbf_buf_adds(out, "\"categories\":[");
    for (size_t c = 0; c < n; c++) {
        const struct dbf_category *cat = dbf_taxonomy_at(res->taxonomy, c);
        dbf_buf_adds(out, c ? ",{\"id\":" : "{\"id\":");
        dbf_buf_add_json_value(out, cat->id);
        dbf_buf_adds(out, ",\"name\":");
        dbf_buf_add_json_value(out, cat->name);
        dbf_buf_adds(out, ",\"meaning\":");
        dbf_buf_add_json_value(out, cat->meaning);
        dbf_buf_addf(out, ",\"builtin\":%s}", cat->builtin ? "true" : "false");
    }
    dbf_buf_adds(out, "]");
}

static void add_periods(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    size_t n = dbf_taxonomy_count(res->taxonomy);
    dbf_buf_adds(out, "\"periods\":[");
    for (size_t p = 0; p < res->period_count; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        dbf_buf_adds(out, p ? ",{\"period\":" : "{\"period\":");
        dbf_buf_add_json_value(out, per->label);
        dbf_buf_addf(out, ",\"postmortems\":%zu,\"categories\":{", per->postmortems);
        for (size_t c = 0; c < n; c++) {
            if (c)
                dbf_buf_addc(out, ',');
            dbf_buf_add_json_value(out, dbf_taxonomy_at(res->taxonomy, c)->id);
            dbf_buf_addf(out, ":%zu", per->category_counts[c]);
        }
        dbf_buf_adds(out, "}}");
    }
    dbf_buf_adds(out, "]");
}

static void add_patterns(struct dbf_buf *out, const struct dbf_pattern_result *res, FILE *f)
{
    dbf_buf_adds(out, "\"patterns\":[");
    for (size_t i = 0; i < res->pattern_count; i++) {
        dbf__spill(out, f);
        const struct dbf_pattern *pat = &res->patterns[i];
        const struct dbf_category *cat = dbf_taxonomy_at(res->taxonomy, pat->category);
        dbf_buf_adds(out, i ? ",{\"category\":" : "{\"category\":");
        dbf_buf_add_json_value(out, cat->id);
        dbf_buf_adds(out, ",\"name\":");
        dbf_buf_add_json_value(out, cat->name);
        dbf_buf_adds(out, ",\"periods\":[");
        for (size_t p = 0; p < pat->period_count; p++) {
            if (p)
                dbf_buf_addc(out, ',');
            dbf_buf_add_json_value(out, res->periods[pat->periods[p]].label);
        }
        dbf_buf_addf(out, "],\"count\":%zu,\"postmortems\":[", pat->doc_count);
        for (size_t d = 0; d < pat->doc_count; d++) {
            if (d)
                dbf_buf_addc(out, ',');
            dbf_buf_add_json_value(out, res->docs[pat->docs[d]].path);
        }
        dbf_buf_adds(out, "],\"meaning\":");
        dbf_buf_add_json_value(out, cat->meaning);
        dbf_buf_adds(out, "}");
    }
    dbf_buf_adds(out, "]");
}

static void add_item_ref(struct dbf_buf *out, const char *path, int line, int number,
                         const char *action)
{
    dbf_buf_adds(out, "\"postmortem\":");
    dbf_buf_add_json_value(out, path);
    dbf_buf_addf(out, ",\"line\":%d,\"number\":", line);
    if (number)
        dbf_buf_addf(out, "%d", number);
    else
        dbf_buf_adds(out, "null");
    dbf_buf_adds(out, ",\"action\":");
    dbf_buf_add_json_value(out, action);
}

static void add_repeats(struct dbf_buf *out, const struct dbf_pattern_result *res, FILE *f)
{
    dbf_buf_adds(out, "\"repeated_actions\":[");
    for (size_t i = 0; i < res->repeat_count; i++) {
        dbf__spill(out, f);
        const struct dbf_repeated_action *r = &res->repeats[i];
        dbf_buf_adds(out, i ? ",{" : "{");
        add_item_ref(out, res->docs[r->doc].path, r->line, r->number, r->action);
        dbf_buf_adds(out, ",\"date\":");
        add_date(out, res->docs[r->doc].date);
        dbf_buf_adds(out, ",\"repeats\":{");
        add_item_ref(out, res->docs[r->earlier_doc].path, r->earlier_line, r->earlier_number,
                     r->earlier_action);
        dbf_buf_adds(out, ",\"date\":");
        add_date(out, res->docs[r->earlier_doc].date);
        dbf_buf_addf(out, ",\"status\":\"%s\"},\"similarity\":", r->earlier_done ? "done" : "open");
        add_number(out, r->similarity, 4);
        dbf_buf_adds(out, "}");
    }
    dbf_buf_adds(out, "]");
}

static void add_stale(struct dbf_buf *out, const struct dbf_pattern_result *res, FILE *f)
{
    dbf_buf_adds(out, "\"stale_actions\":[");
    for (size_t i = 0; i < res->stale_count; i++) {
        dbf__spill(out, f);
        const struct dbf_stale_action *s = &res->stale[i];
        dbf_buf_adds(out, i ? ",{" : "{");
        add_item_ref(out, res->docs[s->doc].path, s->line, s->number, s->action);
        dbf_buf_adds(out, ",\"owner\":");
        dbf_buf_add_json_value(out, s->owner);
        dbf_buf_adds(out, ",\"due\":");
        add_date(out, s->due);
        dbf_buf_adds(out, ",\"postmortem_date\":");
        add_date(out, res->docs[s->doc].date);
        dbf_buf_addf(out, ",\"age_days\":%ld}", s->age_days);
    }
    dbf_buf_adds(out, "]");
}

static void add_duration_trend(struct dbf_buf *out, const struct dbf_pattern_result *res,
                               const char *name, bool mitigate)
{
    dbf_buf_addf(out, "\"%s\":[", name);
    for (size_t p = 0; p < res->period_count; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        const struct dbf_duration_trend *t = mitigate ? &per->ttm : &per->ttd;
        dbf_buf_adds(out, p ? ",{\"period\":" : "{\"period\":");
        dbf_buf_add_json_value(out, per->label);
        dbf_buf_addf(out, ",\"incidents\":%zu,", t->count);
        if (t->count)
            dbf_buf_addf(out, "\"median\":%lld,\"worst\":%lld}", (long long)t->median,
                         (long long)t->worst);
        else
            dbf_buf_adds(out, "\"median\":null,\"worst\":null}");
    }
    dbf_buf_adds(out, "]");
}

static void add_trends(struct dbf_buf *out, const struct dbf_pattern_result *res)
{
    dbf_buf_adds(out, "\"trends\":{");
    add_duration_trend(out, res, "time_to_detect", false);
    dbf_buf_addc(out, ',');
    add_duration_trend(out, res, "time_to_mitigate", true);
    dbf_buf_adds(out, ",\"severity\":[");
    for (size_t p = 0; p < res->period_count; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        dbf_buf_adds(out, p ? ",{\"period\":" : "{\"period\":");
        dbf_buf_add_json_value(out, per->label);
        dbf_buf_addf(out,
                     ",\"SEV-1\":%zu,\"SEV-2\":%zu,\"SEV-3\":%zu,\"SEV-4\":%zu,\"unknown\":%zu}",
                     per->severity[1], per->severity[2], per->severity[3], per->severity[4],
                     per->severity[0]);
    }
    dbf_buf_adds(out, "],\"action_completion\":[");
    for (size_t p = 0; p < res->period_count; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        dbf_buf_adds(out, p ? ",{\"period\":" : "{\"period\":");
        dbf_buf_add_json_value(out, per->label);
        dbf_buf_addf(out, ",\"actions\":%zu,\"done\":%zu,\"rate\":", per->actions,
                     per->actions_done);
        add_rate(out, per->actions_done, per->actions);
        dbf_buf_adds(out, "}");
    }
    dbf_buf_adds(out, "],\"review_score\":[");
    for (size_t p = 0; p < res->period_count; p++) {
        const struct dbf_pattern_period *per = &res->periods[p];
        dbf_buf_adds(out, p ? ",{\"period\":" : "{\"period\":");
        dbf_buf_add_json_value(out, per->label);
        dbf_buf_addf(out, ",\"postmortems\":%zu,\"mean\":", per->scored);
        if (per->scored)
            add_number(out, per->score_mean, 1);
        else
            dbf_buf_adds(out, "null");
        dbf_buf_adds(out, "}");
    }
    dbf_buf_adds(out, "]}");
}

static void add_docs(struct dbf_buf *out, const struct dbf_pattern_result *res, FILE *f)
{
    size_t n = dbf_taxonomy_count(res->taxonomy);
    dbf_buf_adds(out, "\"postmortems\":[");
    for (size_t i = 0; i < res->doc_count; i++) {
        dbf__spill(out, f);
        const struct dbf_pattern_doc *d = &res->docs[i];
        char label[16];
        dbf_buf_adds(out, i ? ",{\"path\":" : "{\"path\":");
        dbf_buf_add_json_value(out, d->path);
        dbf_buf_adds(out, ",\"title\":");
        dbf_buf_add_json_value(out, d->title);
        dbf_buf_adds(out, ",\"date\":");
        add_date(out, d->date);
        dbf_buf_adds(out, ",\"date_source\":");
        dbf_buf_add_json_value(out, dbf_date_source_name(d->date_source));
        dbf_buf_adds(out, ",\"period\":");
        dbf_buf_add_json_value(out, period_label(res, d, label, sizeof label));
        dbf_buf_addf(out, ",\"counted\":%s,\"severity\":", d->counted ? "true" : "false");
        if (d->severity)
            dbf_buf_addf(out, "\"SEV-%d\"", d->severity);
        else
            dbf_buf_adds(out, "null");
        dbf_buf_adds(out, ",\"categories\":[");
        bool first = true;
        for (size_t c = 0; c < n; c++) {
            if (!((d->categories >> c) & 1))
                continue;
            if (!first)
                dbf_buf_addc(out, ',');
            dbf_buf_add_json_value(out, dbf_taxonomy_at(res->taxonomy, c)->id);
            first = false;
        }
        dbf_buf_adds(out, "],\"evidence\":{");
        first = true;
        for (size_t c = 0; c < n; c++) {
            if (!((d->categories >> c) & 1))
                continue;
            if (!first)
                dbf_buf_addc(out, ',');
            dbf_buf_add_json_value(out, dbf_taxonomy_at(res->taxonomy, c)->id);
            dbf_buf_addf(out, ":{\"line\":%d,\"text\":", d->evidence[c].line);
            dbf_buf_add_json_value(out, d->evidence[c].text);
            dbf_buf_adds(out, "}");
            first = false;
        }
        dbf_buf_adds(out, "},\"time_to_detect\":");
        if (d->has_ttd)
            dbf_buf_addf(out, "%lld", (long long)d->ttd);
        else
            dbf_buf_adds(out, "null");
        dbf_buf_adds(out, ",\"time_to_mitigate\":");
        if (d->has_ttm)
            dbf_buf_addf(out, "%lld", (long long)d->ttm);
        else
            dbf_buf_adds(out, "null");
        dbf_buf_addf(out, ",\"actions\":%zu,\"actions_done\":%zu,\"score\":%d}", d->actions,
                     d->actions_done, d->score);
    }
    dbf_buf_adds(out, "]");
}

static void render(const struct dbf_pattern_result *res, struct dbf_buf *out, FILE *f)
{
    dbf_buf_addf(out, "{\"period_unit\":\"%s\",\"today\":",
                 res->unit == DBF_PERIOD_MONTH ? "month" : "quarter");
    add_date(out, res->today);
    dbf_buf_addf(out,
                 ",\"rule\":{\"in_one_period\":%ld,\"periods_running\":%ld,"
                 "\"repeat_similarity\":",
                 res->in_one_period, res->periods_running);
    add_number(out, res->repeat_similarity, 4);
    dbf_buf_addf(out, ",\"stale_days\":%ld},\n", res->stale_days);
    add_categories(out, res);
    dbf_buf_adds(out, ",\n");
    add_periods(out, res);
    dbf_buf_adds(out, ",\n");
    add_patterns(out, res, f);
    dbf__spill(out, f);
    dbf_buf_adds(out, ",\n");
    add_repeats(out, res, f);
    dbf__spill(out, f);
    dbf_buf_adds(out, ",\n");
    add_stale(out, res, f);
    dbf__spill(out, f);
    dbf_buf_adds(out, ",\n");
    add_trends(out, res);
    dbf_buf_adds(out, ",\n");
    add_docs(out, res, f);
    dbf__spill(out, f);
    size_t undated = res->doc_count - res->counted;
    dbf_buf_addf(out, ",\n\"summary\":{\"postmortems\":%zu,\"counted\":%zu,\"not_counted\":%zu,"
                      "\"actions\":%zu,\"done\":%zu,\"completion_rate\":",
                 res->doc_count, res->counted, undated, res->actions, res->actions_done);
    add_rate(out, res->actions_done, res->actions);
    dbf_buf_addf(out, ",\"patterns\":%zu,\"repeated_actions\":%zu,\"stale_actions\":%zu}}\n",
                 res->pattern_count, res->repeat_count, res->stale_count);
}

bool dbf_pattern_report_json(const struct dbf_pattern_result *res, struct dbf_buf *out)
{
    render(res, out, NULL);
    return !out->failed;
}

bool dbf_pattern_report_json_write(const struct dbf_pattern_result *res, FILE *f)
{
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    render(res, &out, f);
    return dbf__spill_finish(&out, f);
}
