/* rules_metrics.c: the metrics rules.
 *
 * Evidence is a graph or data: `metrics:` entries in the front matter, an
 * image embedded anywhere in the body (cmark keeps only an image's alt text,
 * so images are found in the source), or a table of figures. */
#include "rules.h"

#include <string.h>

static struct dbf__re image = DBF_RE("!\\[[^\\]\\n]*\\]\\(|<img\\b");
static struct dbf__re dashboard =
    DBF_RE("grafana|datadog|kibana|newrelic|new relic|honeycomb|dashboard|console\\.aws|"
           "cloudwatch|prometheus|/d/[A-Za-z0-9]|lookerstudio|signalfx|splunk|chronosphere");
static struct dbf__re figure_cell =
    DBF_RE("^\\s*[~<>≈]?\\s*[-+$€£]?\\d[\\d,.]*\\s*(%|ms|s|k|m|rps|qps|/s)?\\s*$");

static enum dbf_section_kind kind_at_line(const struct dbf_doc *doc, int line)
{
    enum dbf_section_kind kind = DBF_SECTION_OTHER;
    for (size_t s = 0; s < doc->section_count && doc->sections[s].pos.line <= line; s++)
        if (line <= doc->sections[s].end_line || doc->sections[s].end_line == 0)
            kind = doc->sections[s].effective;
    return kind;
}

/* Calls back for each embedded image outside code, with its line; stops when
 * FN returns false. */
static void each_image(const struct dbf_doc *doc, bool (*fn)(void *, int, enum dbf_section_kind),
                       void *arg)
{
    const char *src = doc->source;
    size_t len = doc->source_len, from = 0;
    int line = 1;
    size_t counted = 0;
    bool fence = false;
    struct dbf__match m;
    while (dbf__re_search(&image, src, len, from, &m)) {
        for (size_t i = counted; i < m.start; i++) {
            if (src[i] != '\n')
                continue;
            line++;
            if (strncmp(src + i + 1, "```", 3) == 0 || strncmp(src + i + 1, "~~~", 3) == 0)
                fence = !fence;
        }
        counted = m.start;
        from = m.end;
        if (line > doc->meta.front_matter_end && !fence && !fn(arg, line, kind_at_line(doc, line)))
            return;
    }
}

static bool found(void *arg, int line, enum dbf_section_kind kind)
{
    (void)line;
    (void)kind;
    *(bool *)arg = true;
    return false;
}

static bool has_image(const struct dbf_doc *doc)
{
    bool any = false;
    each_image(doc, found, &any);
    return any;
}

/* A table with a column of figures: the data behind a graph. */
static bool has_data_table(const struct dbf_doc *doc)
{
    size_t figures = 0;
    int table = -1;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type != DBF_BLOCK_TABLE_CELL)
            continue;
        if (b->table != table) {
            table = b->table;
            figures = 0;
        }
        if (b->table_row > 0 && b->table_column > 0 && b->len &&
            dbf__re_search(&figure_cell, b->text, b->len, 0, NULL) && ++figures >= 3)
            return true;
    }
    return false;
}

static bool has_evidence(const struct dbf_doc *doc)
{
    return doc->meta.metric_count > 0 || has_image(doc) || has_data_table(doc);
}

/* The first link to a dashboard, or NULL. */
static const struct dbf_block *dashboard_link(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->link && dbf__re_test(&dashboard, b->link))
            return b;
    }
    return NULL;
}

/* metrics/none: a customer-facing (or SEV-1/2, unless marked internal)
 * incident with no graph, image, data table or front matter `metrics`, and
 * no dashboard link either (that is metrics/linked-not-embedded's finding). */
void dbf__check_metrics_none(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    bool severe = doc->meta.severity_level == 1 || doc->meta.severity_level == 2;
    bool internal = lint->facts.customer_facing_known && !lint->facts.customer_facing;
    if ((!lint->facts.customer_facing && !(severe && !internal)) || has_evidence(doc) ||
        dashboard_link(doc))
        return;
    const struct dbf_section *metrics = dbf_doc_section(doc, DBF_SECTION_METRICS);
    dbf__report(lint, metrics ? metrics->pos : doc->title_pos,
                "%s but there is no graph or data of the impact; embed a graph of the "
                "customer-facing signal (error rate, failed requests) or list CSV or Prometheus "
                "files under 'metrics:' in the front matter",
                lint->facts.customer_facing ? "customers were affected"
                                            : "the incident is SEV-1/2");
}

/* metrics/linked-not-embedded: dashboard links are the only evidence. */
void dbf__check_metrics_linked_not_embedded(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    const struct dbf_block *link = has_evidence(doc) ? NULL : dashboard_link(doc);
    if (link)
        dbf__report(lint, link->pos,
                    "the metrics are only dashboard links, which expire and which other readers "
                    "cannot open; export the panels for the incident's time range and embed them "
                    "as images or CSV, keeping the link as the source");
}

struct graph_count {
    struct dbf__lint *lint;
    long max;
    size_t seen;
};

static bool count_graph(void *arg, int line, enum dbf_section_kind kind)
{
    struct graph_count *c = arg;
    if (kind != DBF_SECTION_METRICS)
        return true;
    if (++c->seen == (size_t)c->max + 1) {
        dbf__report(c->lint, (struct dbf_pos){line, 1},
                    "more than %ld graphs; keep the ones the text relies on (impact, cause, "
                    "recovery) and move the others to an appendix or link their dashboard",
                    c->max);
        return false;
    }
    return true;
}

/* metrics/too-many: more graphs (front matter metrics plus images in the
 * metrics section) than the "max" option. */
void dbf__check_metrics_too_many(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    struct graph_count c = {lint, dbf__option(lint, "max"), 0};
    for (size_t i = 0; i < doc->meta.metric_count; i++) {
        if (++c.seen == (size_t)c.max + 1) {
            dbf__report(lint, doc->meta.metrics[i].pos,
                        "more than %ld graphs; keep the ones the text relies on (impact, cause, "
                        "recovery) and move the others to an appendix or link their dashboard",
                        c.max);
            return;
        }
    }
    each_image(doc, count_graph, &c);
}

/* metrics/unlabeled-axis: a front matter metrics entry without unit or label. */
void dbf__check_metrics_unlabeled_axis(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->meta.metric_count; i++) {
        const struct dbf_metric_ref *m = &doc->meta.metrics[i];
        bool unit = m->unit && *m->unit, label = m->label && *m->label;
        if (unit && label)
            continue;
        const char *name = m->title ? m->title : m->file ? m->file : "this metric";
        dbf__report(lint, m->pos,
                    "the graph of '%s' has no %s; add %s so its axis says what is measured and in "
                    "what unit (e.g. 'unit: ms', 'label: p99 latency of POST /checkout')",
                    name,
                    !unit && !label ? "unit or label"
                    : !unit         ? "unit"
                                    : "label",
                    !unit && !label ? "'unit:' and 'label:'"
                    : !unit         ? "'unit:'"
                                    : "'label:'");
    }
}
