/* pm_page_history.c: a post mortem's history (its revisions and its
 * workflow moves) and the difference between two revisions, drawn with
 * diff.h: each changed line marked with a sign and a word, not only a
 * colour, and long unchanged runs folded. */
#include "../serve/diff.h"
#include "pm_page.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Unchanged lines kept around each change. */
#define DIFF_CONTEXT 3

static void compare_form(struct pm_page *pp, const struct dbf_revision *history, size_t count)
{
    struct dbf_buf *out = &pp->page.body;
    html(out,
         "<form method=\"get\" action=\"/postmortems/%U/diff\" class=\"filters compare\">"
         "<div class=\"field\"><label for=\"diff-from\">Compare revision</label>"
         "<select id=\"diff-from\" name=\"from\">",
         pp->slug);
    for (size_t i = 0; i < count; i++)
        html(out, "<option value=\"%d\"%H>%d</option>", history[i].number,
             i + 2 == count ? " selected" : "", history[i].number);
    html(out, "</select></div><div class=\"field\"><label for=\"diff-to\">with revision</label>"
              "<select id=\"diff-to\" name=\"to\">");
    for (size_t i = 0; i < count; i++)
        html(out, "<option value=\"%d\"%H>%d</option>", history[i].number,
             i + 1 == count ? " selected" : "", history[i].number);
    html(out, "</select></div><div class=\"buttons\"><button type=\"submit\">Show the "
              "differences</button></div></form>\n");
}

static bool moves_html(struct pm_page *pp)
{
    struct dbf_buf *out = &pp->page.body;
    struct dbf_state_change *changes = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_state_changes(pp->page.app->store, pp->page.auth.user.id,
                                                       pp->slug, &changes, &count);
    if (st != DBF_STORE_OK) {
        web_store_error(pp->page.app, pp->page.req, st);
        return false;
    }
    html(out, "<h2>Workflow moves</h2>\n");
    if (count == 0)
        html(out, "<p class=\"empty\">It has not moved since it was written.</p>\n");
    else
        html(out,
             "<div class=\"table-wrap\" role=\"region\" aria-label=\"Workflow moves\" "
             "tabindex=\"0\"><table class=\"moves-table\"><thead><tr><th scope=\"col\">When</th>"
             "<th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">By</th>"
             "<th scope=\"col\">Reason</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        char when[40];
        html(out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
             web_time(changes[i].created, when, sizeof when), dbf_pm_status_name(changes[i].from),
             dbf_pm_status_name(changes[i].to), changes[i].actor_name,
             changes[i].reason ? changes[i].reason : "");
    }
    if (count)
        html(out, "</tbody></table></div>\n");
    dbf_state_changes_free(changes, count);
    return true;
}

int web_pm_history(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    struct dbf_revision *history = NULL;
    size_t count = 0;
    enum dbf_store_status st =
        dbf_store_history(app->store, pp.page.auth.user.id, pp.slug, &history, &count);
    if (st != DBF_STORE_OK) {
        pm_page_abandon(&pp);
        web_store_error(app, req, st);
        return 0;
    }
    struct dbf_buf *out = &pp.page.body;
    html(out, "<p class=\"kicker\"><a href=\"/postmortems/%U\">Back to the post mortem</a></p>\n",
         pp.slug);
    pm_page_retitle(&pp, "History");
    if (count > 1)
        compare_form(&pp, history, count);
    html(out,
         "<h2>Revisions</h2>\n<div class=\"table-wrap\" role=\"region\" aria-label=\"Revisions\" "
         "tabindex=\"0\"><table class=\"history\"><thead><tr>"
         "<th scope=\"col\">Revision</th><th scope=\"col\">Author</th>"
         "<th scope=\"col\">Saved</th><th scope=\"col\">Size</th>"
         "<th scope=\"col\">Changes</th></tr></thead><tbody>\n");
    for (size_t k = count; k-- > 0;) {
        const struct dbf_revision *r = &history[k];
        char when[40];
        html(out,
             "<tr><td><a href=\"/postmortems/%U?rev=%d\">Revision %d</a></td><td>%s</td>"
             "<td>%s</td><td>%z bytes</td><td>",
             pp.slug, r->number, r->number, r->author_name, web_time(r->created, when, sizeof when),
             r->length);
        if (k > 0)
            html(out, "<a href=\"/postmortems/%U/diff?from=%d&amp;to=%d\">Changes from %d</a>",
                 pp.slug, history[k - 1].number, r->number, history[k - 1].number);
        else
            html(out, "First revision");
        html(out, "</td></tr>\n");
    }
    html(out, "</tbody></table></div>\n");
    free(history);
    if (!moves_html(&pp)) {
        pm_page_abandon(&pp);
        return 0;
    }
    pm_page_end(&pp, 200);
    return 0;
}

/* A query parameter NAME as a revision number (FALLBACK when absent);
 * false when it is not a whole number from 1. */
static bool revision_query(h2o_req_t *req, const char *name, int fallback, int *out)
{
    const char *text = request_query(req, name);
    if (!text || !*text) {
        *out = fallback;
        return true;
    }
    char *end = NULL;
    long n = strtol(text, &end, 10);
    if (*text < '0' || *text > '9' || *end || n < 1 || n > INT_MAX)
        return false;
    *out = (int)n;
    return true;
}

/* Loads revision NUMBER of PP; answers a 404 page (and releases PP) when
 * there is none. */
static bool load_revision(struct pm_page *pp, int number, struct dbf_revision *out)
{
    enum dbf_store_status st =
        dbf_store_revision_get(pp->page.app->store, pp->page.auth.user.id, pp->slug, number, out);
    if (st == DBF_STORE_OK)
        return true;
    struct serve_app *app = pp->page.app;
    h2o_req_t *req = pp->page.req;
    pm_page_abandon(pp);
    if (st == DBF_STORE_NOT_FOUND) {
        char message[96];
        snprintf(message, sizeof message, "There is no revision %d of this post mortem.", number);
        web_error(app, req, 404, message);
    } else {
        web_store_error(app, req, st);
    }
    return false;
}

/* One line of a diff: a sign (+, −, or a space) and the old and new line
 * numbers before the text, so a change is marked by more than colour.
 * No whitespace between lines: the diff's box keeps white space as is. */
static void diff_row(struct dbf_buf *out, const struct diff_line *l)
{
    char *text = strndup(l->text, l->len);
    const char *open = l->op == '+'   ? "<ins class=\"add\" title=\"added\">"
                       : l->op == '-' ? "<del class=\"del\" title=\"removed\">"
                                      : "<div class=\"ctx\">";
    const char *close = l->op == '+' ? "</ins>" : l->op == '-' ? "</del>" : "</div>";
    const char *sign = l->op == '+' ? "+" : l->op == '-' ? "−" : " ";
    char old_no[24] = "", new_no[24] = "";
    if (l->old_no)
        snprintf(old_no, sizeof old_no, "%zu", l->old_no);
    if (l->new_no)
        snprintf(new_no, sizeof new_no, "%zu", l->new_no);
    char numbers[64];
    snprintf(numbers, sizeof numbers, "%5s %5s", old_no, new_no);
    html(out, "%H<span class=\"sign\">%s</span><span class=\"muted\">%s</span>  %s%H", open, sign,
         numbers, text ? text : "", close);
    free(text);
}

/* Is line I of D within DIFF_CONTEXT lines of a change? */
static bool near_change(const struct diff *d, size_t i)
{
    size_t from = i > DIFF_CONTEXT ? i - DIFF_CONTEXT : 0;
    size_t to = i + DIFF_CONTEXT < d->count ? i + DIFF_CONTEXT : d->count - 1;
    for (size_t k = from; k <= to; k++)
        if (d->lines[k].op != ' ')
            return true;
    return false;
}

static void fold_row(struct dbf_buf *out, size_t folded)
{
    if (folded)
        html(out, "<div class=\"ctx muted fold\">… %z unchanged line%s …</div>", folded,
             folded == 1 ? "" : "s");
}

static void diff_lines_html(struct dbf_buf *out, const struct diff *d)
{
    html(out, "<p class=\"hint\">Lines marked + were added, lines marked − removed; the "
              "numbers are each line's in the old and the new revision.</p>\n"
              "<div class=\"diff\">");
    size_t folded = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (!near_change(d, i)) {
            folded++;
            continue;
        }
        fold_row(out, folded);
        folded = 0;
        diff_row(out, &d->lines[i]);
    }
    fold_row(out, folded);
    html(out, "</div>\n");
}

int web_pm_diff(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    int newest = pp.pm.revision;
    int from_no, to_no;
    if (!revision_query(req, "from", newest > 1 ? newest - 1 : 1, &from_no) ||
        !revision_query(req, "to", newest, &to_no)) {
        pm_page_abandon(&pp);
        web_error(app, req, 400, "'from' and 'to' must be revision numbers, from 1.");
        return 0;
    }
    struct dbf_revision from, to;
    if (!load_revision(&pp, from_no, &from))
        return 0;
    if (!load_revision(&pp, to_no, &to)) {
        dbf_revision_release(&from);
        return 0;
    }
    struct diff d;
    if (!diff_lines(from.markdown ? from.markdown : "", from.length, to.markdown ? to.markdown : "",
                    to.length, 0, &d)) {
        dbf_revision_release(&from);
        dbf_revision_release(&to);
        pm_page_abandon(&pp);
        web_error(app, req, 500, "The server ran out of memory comparing the revisions.");
        return 0;
    }
    struct dbf_buf *out = &pp.page.body;
    pm_page_retitle(&pp, "Changes");
    size_t added, removed;
    diff_count(&d, &added, &removed);
    char when_from[40], when_to[40];
    html(out,
         "<p class=\"kicker\"><a href=\"/postmortems/%U\">Back to the post mortem</a> · "
         "<a href=\"/postmortems/%U/history\">History</a></p>\n"
         "<h2>Revision %d (%s, %s) to revision %d (%s, %s)</h2>\n"
         "<p class=\"diff-summary\"><strong>%z</strong> line%s added, <strong>%z</strong> "
         "line%s removed.</p>\n",
         pp.slug, pp.slug, from.number, from.author_name,
         web_time(from.created, when_from, sizeof when_from), to.number, to.author_name,
         web_time(to.created, when_to, sizeof when_to), added, added == 1 ? "" : "s", removed,
         removed == 1 ? "" : "s");
    if (d.approximate)
        html(out, "<p class=\"notice\">These texts differ so much that the comparison was cut "
                  "short: the changes shown are true but not the fewest.</p>\n");
    if (added == 0 && removed == 0)
        html(out, "<p class=\"empty\">The two revisions are the same.</p>\n");
    else
        diff_lines_html(out, &d);
    diff_release(&d);
    dbf_revision_release(&from);
    dbf_revision_release(&to);
    pm_page_end(&pp, 200);
    return 0;
}
