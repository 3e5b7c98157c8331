/* page_list.c: the list of post mortems: a search box, filters and an
 * order in a GET form that works without script, a table of what matches,
 * and pages of PAGE_SIZE with the total. The store call and access are
 * GET /api/v1/postmortems's: a user sees only what they may see, in the
 * list and in its total. */
#include "../serve/analysis.h"
#include "pm_page.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 25

/* The form's fields as they came, for the form and the paging links. */
struct list_query {
    const char *q, *status, *severity, *service, *team, *tag, *since, *until, *sort;
    long page; /* 1-based */
};

static const char *query_text(h2o_req_t *req, const char *name)
{
    const char *v = request_query(req, name);
    return v && *v ? v : NULL;
}

static const struct {
    const char *value, *label;
} sort_options[] = {
    {"", "Best match, else recently updated"},
    {"-updated", "Least recently updated"},
    {"started", "Newest incident"},
    {"-started", "Oldest incident"},
    {"severity", "Most severe"},
    {"-severity", "Least severe"},
    {"title", "Title A to Z"},
    {"-title", "Title Z to A"},
    {"created", "Recently written"},
    {"-created", "First written"},
};

static void text_field(struct dbf_buf *out, const char *name, const char *label, const char *type,
                       const char *value)
{
    html(out,
         "<div class=\"field\"><label for=\"f-%s\">%s</label>"
         "<input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\"></div>",
         name, label, name, name, type, value ? value : "");
}

static void filter_form(struct dbf_buf *out, const struct list_query *lq)
{
    html(out,
         "<form method=\"get\" action=\"/postmortems\" class=\"filters\" role=\"search\">\n"
         "<div class=\"field search\"><label for=\"f-q\">Search</label>"
         "<input id=\"f-q\" name=\"q\" type=\"search\" value=\"%s\" "
         "placeholder=\"Words in the text\"></div>\n",
         lq->q ? lq->q : "");
    static const char *const statuses[] = {"draft", "review", "published"};
    html(out, "<div class=\"field\"><label for=\"f-status\">Status</label>"
              "<select id=\"f-status\" name=\"status\"><option value=\"\">Any</option>");
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        html(out, "<option value=\"%s\"%H>%s</option>", statuses[i],
             lq->status && strcmp(lq->status, statuses[i]) == 0 ? " selected" : "", statuses[i]);
    html(out, "</select></div>");
    text_field(out, "severity", "Severity", "text", lq->severity);
    text_field(out, "service", "Service", "text", lq->service);
    text_field(out, "team", "Owner team", "text", lq->team);
    text_field(out, "tag", "Tag", "text", lq->tag);
    text_field(out, "since", "Started from", "date", lq->since);
    text_field(out, "until", "Started until", "date", lq->until);
    html(out, "<div class=\"field\"><label for=\"f-sort\">Order</label>"
              "<select id=\"f-sort\" name=\"sort\">");
    for (size_t i = 0; i < sizeof sort_options / sizeof sort_options[0]; i++) {
        bool chosen = strcmp(lq->sort ? lq->sort : "", sort_options[i].value) == 0;
        html(out, "<option value=\"%s\"%H>%s</option>", sort_options[i].value,
             chosen ? " selected" : "", sort_options[i].label);
    }
    html(out, "</select></div>\n<div class=\"buttons\"><button type=\"submit\">Search</button> "
              "<a href=\"/postmortems\">Clear</a></div>\n</form>\n");
}

/* Appends LQ's filters as a query string's members, each "&name=value". */
static void query_members(struct dbf_buf *out, const struct list_query *lq)
{
    const struct {
        const char *name, *value;
    } members[] = {{"q", lq->q},
                   {"status", lq->status},
                   {"severity", lq->severity},
                   {"service", lq->service},
                   {"team", lq->team},
                   {"tag", lq->tag},
                   {"since", lq->since},
                   {"until", lq->until},
                   {"sort", lq->sort}};
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
        if (members[i].value)
            html(out, "&amp;%s=%U", members[i].name, members[i].value);
}

static void page_link(struct dbf_buf *out, const struct list_query *lq, long page, const char *rel,
                      const char *label)
{
    html(out, "<a rel=\"%s\" href=\"/postmortems?page=%d", rel, (int)page);
    query_members(out, lq);
    html(out, "\">%s</a>", label);
}

static void table_html(struct dbf_buf *out, const struct dbf_postmortem_list *list)
{
    html(out, "<div class=\"table-wrap\" role=\"region\" aria-label=\"Post mortems\" "
              "tabindex=\"0\"><table class=\"pm-list\"><thead><tr><th scope=\"col\">Title</th>"
              "<th scope=\"col\">Status</th><th scope=\"col\">Severity</th>"
              "<th scope=\"col\">Owner team</th><th scope=\"col\">Service</th>"
              "<th scope=\"col\">Started</th><th scope=\"col\">Updated</th>"
              "<th scope=\"col\">Revision</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < list->count; i++) {
        const struct dbf_postmortem *pm = &list->items[i];
        const char *status = dbf_pm_status_name(pm->status);
        char updated[40];
        html(out,
             "<tr><td><a href=\"/postmortems/%U\">%s</a>%H</td>"
             "<td><span class=\"badge badge-%s\">%s</span></td><td>",
             pm->slug, pm->title && *pm->title ? pm->title : pm->slug,
             pm->visibility == DBF_VISIBILITY_RESTRICTED
                 ? " <span class=\"badge badge-restricted\">restricted</span>"
                 : "",
             status, status);
        pm_severity_badge_html(out, pm);
        html(out, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>\n",
             pm->owner_team_name, pm->service, pm->started,
             web_time(pm->updated, updated, sizeof updated), pm->revision);
    }
    html(out, "</tbody></table></div>\n");
}

static bool any_filter(const struct list_query *lq)
{
    return lq->q || lq->status || lq->severity || lq->service || lq->team || lq->tag || lq->since ||
           lq->until;
}

static void results_html(struct dbf_buf *out, const struct list_query *lq,
                         const struct dbf_postmortem_list *list)
{
    if (list->total == 0) {
        if (any_filter(lq))
            html(out, "<div class=\"empty\"><p>No post mortem matches these filters.</p>"
                      "<p><a href=\"/postmortems\">Show them all</a></p></div>\n");
        else
            html(out, "<div class=\"empty\"><p>There are no post mortems yet.</p>"
                      "<p><a href=\"/new\">Write the first one</a></p></div>\n");
        return;
    }
    size_t first = (size_t)(lq->page - 1) * PAGE_SIZE;
    if (list->count == 0) {
        html(out, "<p class=\"empty\">There is no page %d: %z post mortem%s match.</p>\n",
             (int)lq->page, list->total, list->total == 1 ? "" : "s");
    } else {
        html(out, "<p class=\"count\" role=\"status\">%z–%z of %z post mortem%s</p>\n", first + 1,
             first + list->count, list->total, list->total == 1 ? "" : "s");
        table_html(out, list);
    }
    long pages = (long)((list->total + PAGE_SIZE - 1) / PAGE_SIZE);
    if (pages <= 1)
        return;
    html(out, "<nav class=\"pager\" aria-label=\"Pages\">");
    if (lq->page > 1)
        page_link(out, lq, lq->page - 1 < pages ? lq->page - 1 : pages, "prev", "Previous");
    html(out, " <span>Page %d of %d</span> ", (int)lq->page, (int)pages);
    if (lq->page < pages)
        page_link(out, lq, lq->page + 1, "next", "Next");
    html(out, "</nav>\n");
}

/* Checks LQ and fills FILTER; returns NULL, or why LQ cannot be used (in
 * REQ's pool). *ST is how the store failed, DBF_STORE_OK on entry. */
static const char *make_filter(struct serve_app *app, h2o_req_t *req, const struct list_query *lq,
                               struct dbf_pm_filter *filter, enum dbf_store_status *st_out)
{
    struct dbf_date date;
    if (lq->since && !analysis_parse_date(lq->since, &date))
        return "'Started from' must be a date written YYYY-MM-DD.";
    if (lq->until && !analysis_parse_date(lq->until, &date))
        return "'Started until' must be a date written YYYY-MM-DD.";
    *filter = (struct dbf_pm_filter){
        .query = lq->q,
        .status = lq->status,
        .severity = lq->severity,
        .service = lq->service,
        .tag = lq->tag,
        .since = lq->since,
        .until = lq->until,
        .sort = lq->sort,
        .limit = PAGE_SIZE,
        .offset = (size_t)(lq->page - 1) * PAGE_SIZE,
    };
    if (lq->team) {
        struct dbf_team team;
        enum dbf_store_status st = dbf_store_team_get(app->store, lq->team, &team);
        if (st == DBF_STORE_NOT_FOUND) {
            struct dbf_buf message;
            dbf_buf_init(&message, 0);
            dbf_buf_addf(&message, "No team is named '%.64s'.", lq->team);
            const char *said =
                h2o_strdup(&req->pool, message.data ? message.data : "", SIZE_MAX).base;
            dbf_buf_release(&message);
            return said;
        }
        if (st != DBF_STORE_OK) {
            *st_out = st;
            return dbf_store_status_name(st);
        }
        filter->team = team.id;
    }
    return NULL;
}

int web_pm_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Post mortems", "postmortems", &page))
        return 0;
    struct list_query lq = {
        .q = query_text(req, "q"),
        .status = query_text(req, "status"),
        .severity = query_text(req, "severity"),
        .service = query_text(req, "service"),
        .team = query_text(req, "team"),
        .tag = query_text(req, "tag"),
        .since = query_text(req, "since"),
        .until = query_text(req, "until"),
        .sort = query_text(req, "sort"),
        .page = 1,
    };
    const char *page_text = query_text(req, "page");
    const char *problem = NULL;
    int status = 200;
    if (page_text) {
        char *end = NULL;
        long n = strtol(page_text, &end, 10);
        if (*page_text < '0' || *page_text > '9' || *end || n < 1 || n > INT_MAX / PAGE_SIZE)
            problem = "'page' must be a page number, from 1.", status = 400;
        else
            lq.page = n;
    }
    struct dbf_pm_filter filter;
    enum dbf_store_status team_st = DBF_STORE_OK;
    if (!problem && (problem = make_filter(app, req, &lq, &filter, &team_st)) != NULL)
        status = 400;
    if (team_st != DBF_STORE_OK) {
        page_abandon(&page);
        web_store_error(app, req, team_st);
        return 0;
    }
    struct dbf_postmortem_list list = {0};
    if (!problem) {
        enum dbf_store_status st = dbf_store_pm_list(app->store, page.auth.user.id, &filter, &list);
        if (st == DBF_STORE_INVALID) {
            const char *said = dbf_store_message(app->store);
            problem = h2o_strdup(&req->pool, said && *said ? said : "those filters are not valid",
                                 SIZE_MAX)
                          .base;
            status = 400;
        } else if (st != DBF_STORE_OK) {
            page_abandon(&page);
            web_store_error(app, req, st);
            return 0;
        }
    }
    filter_form(&page.body, &lq);
    if (problem)
        html(&page.body, "<div class=\"error\" role=\"alert\"><p>%s</p></div>\n", problem);
    else
        results_html(&page.body, &lq, &list);
    dbf_postmortem_list_release(&list);
    page_end(&page, status);
    return 0;
}
