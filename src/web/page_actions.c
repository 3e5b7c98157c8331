/* page_actions.c: the action item board, a person's items, and marking an
 * item done with a link.
 *
 * Both pages show the items GET /api/v1/actions lists (analysis.h: the same
 * gathering, access checks and follow-up order: overdue first, most overdue
 * first, then by due date). The summary counts every item the filters other
 * than status keep, so that it says how far the follow-through has come
 * whichever items are on show. */
#include "web.h"

#include "../serve/analysis.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LINK_MAX 2048

/* What the board asks for, as typed (for the filter form) and as read. */
struct board {
    struct analysis_action_query q; /* status ANY: see the header comment */
    const char *owner, *status, *team, *postmortem, *sort;
    enum dbf_action_status_filter show;
    bool by_owner;
};

/* Is LINK one to make a hyperlink of: http or https, nothing a script
 * could run from? */
static bool link_safe(const char *link)
{
    return strncasecmp(link, "https://", 8) == 0 || strncasecmp(link, "http://", 7) == 0;
}

/* The item's status as the server says it, else as the document writes. */
static const char *item_status(const struct analysis_actions *actions,
                               const struct dbf_action_item *item)
{
    const struct dbf_tracked_action *t = analysis_actions_tracked(actions, item);
    if (t && t->status[0])
        return t->status;
    return item->done ? "done" : "open";
}

/* OWNER as a person's name for /people/NAME: without a leading '@'. */
static const char *person_name(const char *owner)
{
    return owner[0] == '@' ? owner + 1 : owner;
}

static void write_summary(struct page *page, const struct dbf_action_list *list)
{
    struct dbf_action_summary s = dbf_action_list_summary(list);
    html(&page->body,
         "<dl class=\"summary\"><div><dt>Open</dt><dd>%z</dd></div>"
         "<div><dt>Done</dt><dd>%z</dd></div><div><dt>Overdue</dt><dd>%z</dd></div>"
         "<div><dt>Completion</dt><dd>%d%%</dd></div></dl>\n",
         s.open, s.done, s.overdue, (int)(s.completion_rate * 100.0 + 0.5));
}

/* The "mark done" form of ITEM, coming back to NEXT. */
static void write_mark_form(struct page *page, const struct dbf_action_item *item, const char *next)
{
    html(&page->body,
         "<form method=\"post\" action=\"/postmortems/%U/actions/%d\" class=\"inline\">",
         item->postmortem, item->order);
    html_csrf_field(page);
    html(&page->body,
         "<input type=\"hidden\" name=\"status\" value=\"done\">"
         "<input type=\"hidden\" name=\"next\" value=\"%s\">"
         "<label>Link to the fix <input type=\"url\" name=\"link\" "
         "id=\"link-%s-%d\" placeholder=\"https://…\"></label> "
         "<button type=\"submit\">Mark done</button></form>",
         next, item->postmortem, item->order);
}

static void write_row(struct page *page, const struct analysis_actions *actions,
                      const struct dbf_action_item *item, const char *next)
{
    const char *status = item_status(actions, item);
    const struct dbf_tracked_action *t = analysis_actions_tracked(actions, item);
    html(&page->body, "<tr%H><td>", item->days_overdue ? " class=\"overdue\"" : "");
    if (item->days_overdue)
        html(&page->body, "<strong>%I day%s late</strong>", (int64_t)item->days_overdue,
             item->days_overdue == 1 ? "" : "s");
    html(&page->body, "</td><td>");
    if (item->due.year) {
        char due[16];
        snprintf(due, sizeof due, "%04d-%02d-%02d", item->due.year, item->due.month, item->due.day);
        html(&page->body, "%s", due);
    }
    html(&page->body, "</td><td>%s</td><td>", item->description);
    if (item->owner)
        html(&page->body, "<a href=\"/people/%U\">%s</a>", person_name(item->owner), item->owner);
    html(&page->body, "</td><td><a href=\"/postmortems/%U\">%s</a></td><td>%s", item->postmortem,
         item->title ? item->title : (t && t->title ? t->title : item->postmortem), status);
    if (item->link && link_safe(item->link))
        html(&page->body, " <a href=\"%s\" rel=\"noopener noreferrer\">link</a>", item->link);
    else if (item->link && *item->link)
        html(&page->body, " <small>%s</small>", item->link);
    if (t && t->marked && t->marked_by[0])
        html(&page->body, " <small>by %s</small>", t->marked_by);
    html(&page->body, "</td><td>");
    if (!item->done)
        write_mark_form(page, item, next);
    html(&page->body, "</td></tr>\n");
}

/* Opens the table of action items, in a box named LABEL that scrolls
 * sideways on a narrow screen. */
static void table_head(struct page *page, const char *label)
{
    html(&page->body,
         "<div class=\"table-wrap\" role=\"region\" aria-label=\"%s\" tabindex=\"0\">\n"
         "<table class=\"actions\">\n<thead><tr><th>Late</th><th>Due</th>"
         "<th>Action item</th><th>Owner</th><th>Post mortem</th><th>Status</th>"
         "<th><span class=\"visually-hidden\">Mark done</span></th></tr></thead>\n<tbody>\n",
         label);
}

/* Does ITEM show under SHOW? */
static bool shown(const struct dbf_action_item *item, enum dbf_action_status_filter show)
{
    return show == DBF_STATUS_ANY || (show == DBF_STATUS_DONE) == item->done;
}

static int owner_compare(const void *a, const void *b)
{
    const struct dbf_action_item *const *x = a, *const *y = b;
    const char *p = (*x)->owner, *q = (*y)->owner;
    if (!p || !q)
        return (!p) - (!q); /* no owner last */
    int c = strcasecmp(person_name(p), person_name(q));
    /* Ties keep follow-up order: the items' addresses are in list order. */
    return c ? c : (*x > *y) - (*x < *y);
}

/* The items of ACTIONS that SHOW keeps, in follow-up order or, BY_OWNER,
 * grouped by owner with a heading each. NEXT is where marking comes back. */
static void write_items(struct page *page, const struct analysis_actions *actions,
                        enum dbf_action_status_filter show, bool by_owner, const char *next)
{
    size_t n = dbf_action_list_count(actions->list), kept = 0;
    const struct dbf_action_item **items = calloc(n + 1, sizeof *items);
    if (!items) {
        html(&page->body, "<p>Out of memory.</p>");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct dbf_action_item *item = dbf_action_list_at(actions->list, i);
        if (shown(item, show))
            items[kept++] = item;
    }
    if (!kept) {
        html(&page->body, "<p>No action item matches.</p>\n");
        free(items);
        return;
    }
    if (by_owner)
        qsort(items, kept, sizeof *items, owner_compare);
    for (size_t i = 0; i < kept; i++) {
        const char *owner = items[i]->owner;
        bool group_starts =
            by_owner &&
            (i == 0 || (owner == NULL) != (items[i - 1]->owner == NULL) ||
             (owner && strcasecmp(person_name(owner), person_name(items[i - 1]->owner))));
        if (group_starts) {
            if (i)
                html(&page->body, "</tbody>\n</table></div>\n");
            if (owner)
                html(&page->body, "<h2><a href=\"/people/%U\">%s</a></h2>\n", person_name(owner),
                     owner);
            else
                html(&page->body, "<h2>No owner</h2>\n");
        }
        if (group_starts) {
            char label[256];
            if (owner)
                snprintf(label, sizeof label, "Action items of %s", owner);
            else
                snprintf(label, sizeof label, "Action items without an owner");
            table_head(page, label);
        } else if (i == 0) {
            table_head(page, "Action items");
        }
        write_row(page, actions, items[i], next);
    }
    html(&page->body, "</tbody>\n</table></div>\n");
    free(items);
}

/* The path and query PAGE was asked with, in the request's pool. */
static const char *current_path(struct page *page)
{
    h2o_iovec_t p = page->req->path;
    char *copy = h2o_mem_alloc_pool(&page->req->pool, p.len + 1);
    memcpy(copy, p.base, p.len);
    copy[p.len] = '\0';
    return copy;
}

/* Reads the board's query into B; answers an HTML 400 or 404 and returns
 * false when a filter is malformed or names no team. */
static bool read_board(struct page *page, struct board *b)
{
    h2o_req_t *req = page->req;
    b->q.today = analysis_today(page->app);
    b->q.filter.status = DBF_STATUS_ANY;
    b->owner = request_query(req, "owner");
    if (b->owner && *b->owner) {
        if (strspn(b->owner, "@ ") == strlen(b->owner)) {
            web_error(page->app, req, 400, "The owner filter takes a name or @handle.");
            return false;
        }
        b->q.filter.owner = b->owner;
    }
    b->status = request_query(req, "status");
    if (!b->status || !*b->status)
        b->status = "open";
    if (strcmp(b->status, "all") == 0) {
        b->show = DBF_STATUS_ANY;
    } else if (strcmp(b->status, "open") == 0) {
        b->show = DBF_STATUS_OPEN;
    } else if (strcmp(b->status, "done") == 0) {
        b->show = DBF_STATUS_DONE;
    } else {
        web_error(page->app, req, 400, "The status filter takes open, done or all.");
        return false;
    }
    b->postmortem = request_query(req, "postmortem");
    if (b->postmortem && *b->postmortem)
        b->q.slug = b->postmortem;
    b->sort = request_query(req, "sort");
    b->by_owner = b->sort && strcmp(b->sort, "owner") == 0;
    b->team = request_query(req, "team");
    if (b->team && *b->team) {
        struct dbf_team t;
        enum dbf_store_status st = dbf_store_team_get(page->app->store, b->team, &t);
        if (st == DBF_STORE_NOT_FOUND) {
            web_error(page->app, req, 404, "There is no such team.");
            return false;
        }
        if (st != DBF_STORE_OK) {
            web_store_error(page->app, req, st);
            return false;
        }
        b->q.team = t.id;
    }
    return true;
}

static void option(struct page *page, const char *value, const char *label, const char *current)
{
    bool selected = current && strcmp(current, value) == 0;
    html(&page->body, "<option value=\"%s\"%H>%s</option>", value, selected ? " selected" : "",
         label);
}

static void write_filters(struct page *page, const struct board *b)
{
    html(&page->body,
         "<form method=\"get\" action=\"/actions\" class=\"filters\">"
         "<label>Owner <input type=\"text\" name=\"owner\" value=\"%s\"></label> "
         "<label>Status <select name=\"status\">",
         b->owner ? b->owner : "");
    option(page, "open", "Open", b->status);
    option(page, "done", "Done", b->status);
    option(page, "all", "All", b->status);
    html(&page->body, "</select></label> <label>Team <select name=\"team\">"
                      "<option value=\"\">Any</option>");
    struct dbf_team *teams = NULL;
    size_t count = 0;
    if (dbf_store_team_list(page->app->store, &teams, &count) == DBF_STORE_OK) {
        for (size_t i = 0; i < count; i++)
            option(page, teams[i].name, teams[i].name, b->team);
    }
    free(teams);
    html(&page->body,
         "</select></label> <label>Post mortem <input type=\"text\" name=\"postmortem\" "
         "value=\"%s\"></label> <label>Order <select name=\"sort\">",
         b->postmortem ? b->postmortem : "");
    option(page, "due", "Overdue first, then by due date", b->sort);
    option(page, "owner", "By owner", b->sort);
    html(&page->body, "</select></label> <button type=\"submit\">Filter</button></form>\n");
}

/* Gathers Q's items for PAGE and writes the summary and the items; answers
 * the failure and returns false when the store fails. */
static bool write_board(struct page *page, const struct analysis_action_query *q,
                        enum dbf_action_status_filter show, bool by_owner)
{
    struct analysis_actions actions;
    enum dbf_store_status st = analysis_actions_gather(page->app, page->auth.user.id, q, &actions);
    if (st != DBF_STORE_OK) {
        analysis_actions_release(&actions);
        page_abandon(page);
        if (st == DBF_STORE_NOT_FOUND)
            web_error(page->app, page->req, 404, "There is no such post mortem.");
        else
            web_store_error(page->app, page->req, st);
        return false;
    }
    write_summary(page, actions.list);
    write_items(page, &actions, show, by_owner, current_path(page));
    analysis_actions_release(&actions);
    return true;
}

int web_actions(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Action items", "actions", &page))
        return 0;
    struct board b = {0};
    if (!read_board(&page, &b)) {
        page_abandon(&page);
        return 0;
    }
    write_filters(&page, &b);
    if (write_board(&page, &b.q, b.show, b.by_owner))
        page_end(&page, 200);
    return 0;
}

/* Did user NAME write a revision of SLUG, as VIEWER may see its history? */
static bool wrote(struct serve_app *app, int64_t viewer, const char *slug, const char *name)
{
    struct dbf_revision *revisions = NULL;
    size_t count = 0;
    bool found = false;
    if (dbf_store_history(app->store, viewer, slug, &revisions, &count) != DBF_STORE_OK)
        return false;
    for (size_t i = 0; i < count && !found; i++)
        found = strcmp(revisions[i].author_name, name) == 0;
    for (size_t i = 0; i < count; i++)
        dbf_revision_release(&revisions[i]);
    free(revisions);
    return found;
}

/* The post mortems the user NAME wrote a revision of, among those PAGE's
 * user may see, most recently updated first. */
static void write_authored(struct page *page, const char *name)
{
    struct dbf_pm_filter filter = {.sort = "updated", .limit = DBF_PM_LIST_ALL};
    struct dbf_postmortem_list list;
    if (dbf_store_pm_list(page->app->store, page->auth.user.id, &filter, &list) != DBF_STORE_OK)
        return;
    size_t shown_count = 0;
    for (size_t i = 0; i < list.count; i++) {
        const struct dbf_postmortem *pm = &list.items[i];
        if (!wrote(page->app, page->auth.user.id, pm->slug, name))
            continue;
        if (!shown_count++)
            html(&page->body, "<h2>Post mortems %s wrote</h2>\n<ul class=\"authored\">\n", name);
        html(&page->body, "<li><a href=\"/postmortems/%U\">%s</a> <small>%s</small></li>\n",
             pm->slug, pm->title ? pm->title : pm->slug, dbf_pm_status_name(pm->status));
    }
    if (shown_count)
        html(&page->body, "</ul>\n");
    dbf_postmortem_list_release(&list);
}

int web_person(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    const char *name = request_param(req, params, "name");
    if (!name || strspn(name, "@ ") == strlen(name)) {
        web_error(app, req, 404, "There is no such person.");
        return 0;
    }
    char *title = h2o_mem_alloc_pool(&req->pool, strlen(name) + 32);
    snprintf(title, strlen(name) + 32, "Action items of %s", name);
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, title, "actions", &page))
        return 0;
    struct analysis_action_query q = {.today = analysis_today(app),
                                      .filter = {.owner = name, .status = DBF_STATUS_ANY}};
    html(&page.body,
         "<p>Every action item whose owner is written as <code>%s</code> or "
         "<code>@%s</code>, open ones first. <a href=\"/actions?owner=%U&amp;"
         "status=all\">On the board</a></p>\n",
         person_name(name), person_name(name), name);
    if (!write_board(&page, &q, DBF_STATUS_ANY, false))
        return 0;
    write_authored(&page, person_name(name));
    page_end(&page, 200);
    return 0;
}

/* Is NEXT a path on this server to come back to? */
static bool local_path(const char *next)
{
    return next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && !strchr(next, '\r') &&
           !strchr(next, '\n');
}

/* Path parameter NAME as a whole number from 1; 0 when it is not one. */
static int param_number(h2o_req_t *req, const struct route_params *params, const char *name)
{
    const char *text = request_param(req, params, name);
    if (!text || !*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 9)
        return 0;
    return atoi(text);
}

int web_action_mark(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Action item", "actions", &page))
        return 0;
    page_abandon(&page);
    const char *slug = request_param(req, params, "id");
    int number = param_number(req, params, "number");
    if (!slug || !number) {
        web_error(app, req, 404, "There is no such action item.");
        return 0;
    }
    enum dbf_store_status st = dbf_store_pm_visible(app->store, page.auth.user.id, slug);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return 0;
    }
    if (!auth_has_role(&page.auth, DBF_ROLE_AUTHOR)) {
        web_error(app, req, 403, "Marking action items needs the author role.");
        return 0;
    }
    const char *status = request_form(req, "status");
    const char *link = request_form(req, "link");
    if (!status || !analysis_action_status_known(status)) {
        web_error(app, req, 400, "The status is one of open, done, in-progress or wont-do.");
        return 0;
    }
    if (link && strlen(link) > LINK_MAX) {
        web_error(app, req, 400, "The link is too long (2048 bytes at most).");
        return 0;
    }
    st = dbf_store_action_mark(app->store, slug, number, status, link && *link ? link : NULL,
                               page.auth.user.id);
    if (st == DBF_STORE_NOT_FOUND) {
        web_error(app, req, 404, "There is no such action item.");
        return 0;
    }
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return 0;
    }
    const char *next = request_form(req, "next");
    web_redirect(req, local_path(next) ? next : "/actions");
    return 0;
}
