/* header.c: the top of the report: what happened, how bad, and how long.
 *
 * The durations and milestones come from the timeline analysis and read as
 * `debrief timeline` writes them; a figure the analysis could not derive is
 * left out rather than shown as zero. */
#include "parts.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static void badge(struct dbf_buf *out, const char *cls, const char *text)
{
    dbf_buf_adds(out, "<li class=\"badge");
    if (cls) {
        dbf_buf_addc(out, ' ');
        dbf_buf_adds(out, cls);
    }
    dbf_buf_adds(out, "\">");
    dbf_buf_add_html(out, text);
    dbf_buf_adds(out, "</li>");
}

/* A class name made from a word the document chose: letters and digits. */
static void class_word(char *out, size_t size, const char *prefix, const char *word)
{
    size_t n = (size_t)snprintf(out, size, "%s", prefix);
    for (const char *p = word; *p && n + 1 < size; p++)
        if (isalnum((unsigned char)*p))
            out[n++] = (char)tolower((unsigned char)*p);
    out[n < size ? n : size - 1] = '\0';
}

static void fact_list(struct dbf_buf *out, const char *label, const struct dbf_meta_list *list)
{
    if (!list->count)
        return;
    dbf_buf_adds(out, "<div><dt>");
    dbf_buf_adds(out, label);
    dbf_buf_adds(out, "</dt><dd>");
    for (size_t i = 0; i < list->count; i++) {
        if (i)
            dbf_buf_adds(out, ", ");
        dbf_buf_add_html(out, list->items[i]);
    }
    dbf_buf_adds(out, "</dd></div>");
}

static void fact(struct dbf_buf *out, const char *label, const char *value)
{
    if (!value || !*value)
        return;
    dbf_buf_adds(out, "<div><dt>");
    dbf_buf_adds(out, label);
    dbf_buf_adds(out, "</dt><dd>");
    dbf_buf_add_html(out, value);
    dbf_buf_adds(out, "</dd></div>");
}

static const char *const duration_labels[DBF_DURATION_COUNT] = {
    "Time to detect",   "Time to engage",  "Time to diagnose",
    "Time to mitigate", "Customer impact", "Total duration",
};

static const char *const milestone_labels[DBF_MILESTONE_COUNT] = {
    "Trigger",   "Impact start",       "Detected",  "Escalated",
    "Diagnosed", "Mitigation started", "Recovered",
};

/* "2026-03-10T14:02:00+01:00" as "2026-03-10 14:02", with the date left
 * out when it is the same as PREVIOUS's; "14:02:00+01:00" (no date known)
 * as "14:02". */
static void moment_text(struct dbf_buf *out, const char *iso, char *previous_date)
{
    bool dated = strlen(iso) >= 16 && iso[10] == 'T' && iso[13] == ':';
    bool clock = strlen(iso) >= 5 && iso[2] == ':';
    if (dated) {
        if (strncmp(previous_date, iso, 10) != 0) {
            dbf_buf_add(out, iso, 10);
            dbf_buf_addc(out, ' ');
            memcpy(previous_date, iso, 10);
            previous_date[10] = '\0';
        }
        dbf_buf_add(out, iso + 11, 5);
    } else if (clock) {
        dbf_buf_add(out, iso, 5);
    } else {
        dbf_buf_add_html(out, iso);
    }
}

static void durations(struct dbf__page *page, struct dbf_buf *out)
{
    const struct dbf_timeline_analysis *a = page->timeline;
    size_t known = 0;
    for (int d = 0; a && d < DBF_DURATION_COUNT; d++)
        known += a->has_duration[d];
    if (!known) {
        dbf_buf_adds(out, "<p class=\"milestones\">No durations could be derived from the "
                          "timeline: it needs times for the impact start, detection and "
                          "recovery.</p>\n");
        return;
    }
    dbf_buf_adds(out,
                 "<dl class=\"durations\" aria-label=\"Durations derived from the timeline\">");
    char text[64];
    for (int d = 0; d < DBF_DURATION_COUNT; d++) {
        if (!a->has_duration[d])
            continue;
        dbf_buf_addf(out, "<div><dt>%s</dt><dd>%s</dd></div>", duration_labels[d],
                     dbf_duration_format(a->duration[d], text, sizeof text));
    }
    dbf_buf_adds(out, "</dl>\n");
    dbf_buf_adds(out, "<p class=\"milestones\">");
    char date[16] = "";
    for (int m = 0; m < DBF_MILESTONE_COUNT; m++) {
        if (!a->milestone[m].known)
            continue;
        char iso[64];
        dbf_timeline_format(a, a->milestone[m].at, iso, sizeof iso);
        dbf_buf_addf(out, "<span><b>%s</b> ", milestone_labels[m]);
        moment_text(out, iso, date);
        dbf_buf_adds(out, "</span> ");
    }
    if (a->zone) {
        dbf_buf_adds(out, "<span>Times in ");
        dbf_buf_add_html(out, a->zone);
        dbf_buf_adds(out, "</span>");
    }
    dbf_buf_adds(out, "</p>\n");
}

static void badges(const struct dbf_meta *m, const char *status, struct dbf_buf *out)
{
    char cls[64];
    if (m->severity.text) {
        snprintf(cls, sizeof cls, "sev-%d", m->severity_level);
        badge(out, m->severity_level ? cls : NULL, m->severity.text);
    }
    if (!status)
        status = m->status.text;
    if (status) {
        class_word(cls, sizeof cls, "status-", status);
        badge(out, cls, status);
    }
    const char *visibility = m->visibility.text;
    if (!visibility && m->security == DBF_TRUE)
        visibility = "restricted";
    if (visibility) {
        class_word(cls, sizeof cls, "vis-", visibility);
        badge(out, cls, visibility);
    }
    if (m->customer_facing == DBF_TRUE)
        badge(out, NULL, "customer-facing");
    if (m->slo_breach == DBF_TRUE)
        badge(out, NULL, "SLO breached");
    if (m->security == DBF_TRUE)
        badge(out, "vis-restricted", "security");
}

static void facts(const struct dbf_meta *m, struct dbf_buf *out)
{
    fact_list(out, "Services", &m->services);
    fact_list(out, "Regions", &m->regions);
    fact(out, "Owner team", m->owner_team.text);
    fact_list(out, "Authors", &m->authors);
    fact(out, "Reviewer", m->reviewer.text);
    fact(out, "Reviewer team", m->reviewer_team.text);
    fact(out, "Published", m->published.text);
    fact_list(out, "Tags", &m->tags);
}

void dbf__header_html(struct dbf__page *page, struct dbf_buf *out)
{
    const struct dbf_doc *doc = page->doc;
    const struct dbf_meta *m = &doc->meta;
    dbf_buf_adds(out, "<header class=\"page-header\">\n");
    if (page->redacted)
        dbf_buf_adds(out, "<p class=\"redacted-banner\" role=\"note\">Redacted version: the "
                          "people and teams named on this post mortem and its restricted "
                          "passages are left out, so it can be shared widely.</p>\n");
    dbf_buf_adds(out, "<p class=\"kicker\">Post mortem");
    if (m->id.text) {
        dbf_buf_adds(out, " · ");
        dbf_buf_add_html(out, m->id.text);
    }
    dbf_buf_adds(out, "</p>\n<h1>");
    dbf_buf_add_html(out, doc->title ? doc->title : "Untitled post mortem");
    dbf_buf_adds(out, "</h1>\n");
    struct dbf_buf part;
    dbf_buf_init(&part, 0);
    badges(&doc->meta, page->status, &part);
    if (part.len) {
        dbf_buf_adds(out, "<ul class=\"badges\" aria-label=\"Classification\">");
        dbf_buf_add(out, part.data, part.len);
        dbf_buf_adds(out, "</ul>\n");
    }
    dbf_buf_reset(&part);
    facts(&doc->meta, &part);
    if (part.len) {
        dbf_buf_adds(out, "<dl class=\"facts\">");
        dbf_buf_add(out, part.data, part.len);
        dbf_buf_adds(out, "</dl>\n");
    }
    if (part.failed)
        out->failed = true;
    dbf_buf_release(&part);
    durations(page, out);
    dbf_buf_adds(out, "</header>\n");
}
