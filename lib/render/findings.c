/* findings.c: the review appended to the report (`--findings`).
 *
 * Under redaction a finding on a removed line is left out (its message may
 * quote what was removed) and restricted names are scrubbed from the rest. */
#include "parts.h"

void dbf__findings_html(const struct dbf_review *review, const struct dbf__redaction *r,
                        struct dbf_buf *out)
{
    size_t shown = 0, hidden = 0, by_severity[4] = {0};
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        int line = f->pos.line;
        if (r && line >= 1 && line <= r->line_count && r->line_removed[line])
            hidden++;
        else if (f->severity <= DBF_ERROR)
            by_severity[f->severity]++, shown++;
    }
    dbf_buf_adds(out, "<section class=\"review\" aria-labelledby=\"review\">\n"
                      "<h2 id=\"review\">Review</h2>\n");
    dbf_buf_addf(out, "<p>Score <strong>%d</strong> out of 100. ", review->score);
    if (!shown)
        dbf_buf_adds(out, "The review found nothing to improve.");
    else
        dbf_buf_addf(out, "%zu finding%s: %zu error%s, %zu warning%s, %zu info.", shown,
                     shown == 1 ? "" : "s", by_severity[DBF_ERROR],
                     by_severity[DBF_ERROR] == 1 ? "" : "s", by_severity[DBF_WARNING],
                     by_severity[DBF_WARNING] == 1 ? "" : "s", by_severity[DBF_INFO]);
    if (hidden)
        dbf_buf_addf(out, " %zu finding%s about restricted parts %s left out.", hidden,
                     hidden == 1 ? "" : "s", hidden == 1 ? "is" : "are");
    dbf_buf_adds(out, "</p>\n");
    if (!shown) {
        dbf_buf_adds(out, "</section>\n");
        return;
    }
    dbf_buf_adds(out, "<table>\n<thead><tr><th scope=\"col\">Line</th><th scope=\"col\">"
                      "Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Finding</th>"
                      "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        int line = f->pos.line;
        if (r && line >= 1 && line <= r->line_count && r->line_removed[line])
            continue;
        const char *sev = dbf_severity_name(f->severity);
        if (line > 0)
            dbf_buf_addf(out, "<tr><td>%d:%d</td>", line, f->pos.column);
        else
            dbf_buf_adds(out, "<tr><td>—</td>");
        dbf_buf_addf(out, "<td class=\"sev-%s\">%s</td><td><code>", sev, sev);
        dbf_buf_add_html(out, f->rule);
        dbf_buf_adds(out, "</code></td><td>");
        dbf__add_scrubbed(out, f->message ? f->message : "", r);
        dbf_buf_adds(out, "</td></tr>\n");
    }
    dbf_buf_adds(out, "</tbody>\n</table>\n</section>\n");
}
