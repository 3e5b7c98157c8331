/* page_patterns.c: the patterns dashboard: what `debrief patterns --html`
 * draws (its stats, charts, named patterns, repeated and stale items and
 * trends), over the post mortems the user may see, as GET /api/v1/patterns
 * counts them.
 *
 * The library writes the report's content (dbf_pattern_report_html_content)
 * and the dashboard puts it in the site's layout. */
#include "web.h"

#include "../serve/analysis.h"

#include <string.h>

/* What the dashboard asks for, as typed and as read. */
struct dashboard {
    const char *since, *until, *period;
    struct dbf_pattern_options options;
    struct dbf_date until_date;
};

/* Reads query date NAME into OUT (left alone when absent or empty); answers
 * an HTML 400 and returns false when it is not a date. */
static bool read_date(struct page *page, const char *name, const char **text, struct dbf_date *out)
{
    *text = request_query(page->req, name);
    if (!*text || !**text || analysis_parse_date(*text, out))
        return true;
    char message[96];
    snprintf(message, sizeof message, "'%s' takes a date as YYYY-MM-DD.", name);
    web_error(page->app, page->req, 400, message);
    return false;
}

static bool read_dashboard(struct page *page, struct dashboard *d)
{
    d->options.today = analysis_today(page->app);
    if (!read_date(page, "since", &d->since, &d->options.since) ||
        !read_date(page, "until", &d->until, &d->until_date))
        return false;
    d->period = request_query(page->req, "period");
    if (!d->period || !*d->period || strcmp(d->period, "quarter") == 0) {
        d->options.unit = DBF_PERIOD_QUARTER;
        d->period = "quarter";
    } else if (strcmp(d->period, "month") == 0) {
        d->options.unit = DBF_PERIOD_MONTH;
    } else {
        web_error(page->app, page->req, 400, "The period is month or quarter.");
        return false;
    }
    return true;
}

static void write_form(struct page *page, const struct dashboard *d)
{
    bool month = strcmp(d->period, "month") == 0;
    html(&page->body,
         "<form method=\"get\" action=\"/patterns\" class=\"filters\">"
         "<label>Since <input type=\"date\" name=\"since\" value=\"%s\"></label> "
         "<label>Until <input type=\"date\" name=\"until\" value=\"%s\"></label> "
         "<label>Periods <select name=\"period\"><option value=\"quarter\"%H>Quarters</option>"
         "<option value=\"month\"%H>Months</option></select></label> "
         "<button type=\"submit\">Show</button></form>\n",
         d->since ? d->since : "", d->until ? d->until : "", month ? "" : " selected",
         month ? " selected" : "");
}

int web_patterns(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Patterns", "patterns", &page))
        return 0;
    struct dashboard d = {0};
    if (!read_dashboard(&page, &d)) {
        page_abandon(&page);
        return 0;
    }
    d.options.config = review_config(app, d.options.today);
    char err[256];
    struct dbf_pattern_report *report = dbf_pattern_report_new(&d.options, err, sizeof err);
    enum dbf_store_status st =
        report ? analysis_patterns_add_visible(app, page.auth.user.id, d.options.today,
                                               d.until_date, report)
               : DBF_STORE_INTERNAL;
    const struct dbf_pattern_result *result =
        st == DBF_STORE_OK ? dbf_pattern_report_finish(report) : NULL;
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    bool drawn = result && dbf_pattern_report_html_content(result, &out);
    dbf_buf_addc(&out, '\0');
    write_form(&page, &d);
    drawn = drawn && !out.failed;
    if (drawn)
        html(&page.body,
             "<div class=\"patterns\" role=\"region\" aria-label=\"Patterns found\" "
             "tabindex=\"0\">%H</div>\n",
             out.data);
    dbf_buf_release(&out);
    dbf_pattern_report_free(report);
    if (st != DBF_STORE_OK) {
        page_abandon(&page);
        web_store_error(app, req, st);
    } else if (!drawn) {
        page_abandon(&page);
        web_error(app, req, 500, "The patterns report could not be drawn.");
    } else {
        page_end(&page, 200);
    }
    return 0;
}
