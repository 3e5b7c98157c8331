/* pm_page_view.c: the post mortem page: the report as `debrief render`
 * draws it, and beside it the review (score, findings), the workflow state
 * with a form for each move the asker could make (disabled, with the
 * policy's reasons, when the rules refuse it), the approvals and the links;
 * below, the comments.
 *
 * Every button asks policy.h the question its form would ask the server,
 * with the facts the server would gather (pm_state_load), so the page says
 * why before anyone clicks. The report's images and metric graphs are the
 * post mortem's attachments (pm_files.h); pm_page_files.c lists them.
 *
 * The parts that do not depend on who asks (the parsed text, the drawn
 * report, the review) are kept in the server's page cache (page_cache.h)
 * under a key naming all they were made from: the post mortem and revision
 * numbers, the day the date rules use, the workflow status in the report's
 * header and a digest of the newest attachment versions the report reads
 * (the lint configuration is fixed for the process). A new revision, upload,
 * move or day makes a new key, never a stale page. The cache is consulted
 * only after the store has answered the revision for the asker
 * (dbf_store_revision_get, after pm_page_open's dbf_store_pm_get): someone
 * who may not see a restricted post mortem gets the store's NOT_FOUND, a
 * 404, before any cached byte is looked at. */
#include "pm_page.h"
#include "pm_page_files.h"

#include "../serve/analysis.h"
#include "../serve/pm_files.h"

#include "debrief/render.h"
#include "debrief/timeline.h"

#include <sodium.h>
#include <stdlib.h>
#include <time.h>

static void notice_html(struct dbf_buf *out, const struct pm_notice *notice)
{
    if (!notice || !notice->message)
        return;
    html(out, "<div class=\"error\" role=\"alert\"><p>%s</p>", notice->message);
    if (notice->reason_count) {
        html(out, "<ul class=\"reasons\">");
        for (size_t i = 0; i < notice->reason_count; i++)
            html(out, "<li>%s</li>", notice->reasons[i]);
        html(out, "</ul>");
    }
    /* The field it was typed in is gone when the move is refused: keep the
     * words on the page all the same. */
    const char *typed = notice->note && *notice->note ? notice->note : notice->reason;
    if (typed && *typed)
        html(out, "<p>What you wrote:</p><blockquote>%s</blockquote>", typed);
    html(out, "</div>\n");
}

static void findings_html(struct dbf_buf *out, const struct dbf_review *review)
{
    html(out, "<section class=\"panel\" aria-labelledby=\"review-heading\">"
              "<h2 id=\"review-heading\">Review</h2>\n");
    if (!review) {
        html(out, "<p>This text could not be reviewed.</p></section>\n");
        return;
    }
    html(out, "<p class=\"score\">Score <strong class=\"score-value\">%d</strong>/100</p>\n",
         review->score);
    if (review->finding_count == 0) {
        html(out, "<p class=\"empty\">No findings.</p></section>\n");
        return;
    }
    html(out, "<p>%z finding%s:</p>\n<ul class=\"findings\">\n", review->finding_count,
         review->finding_count == 1 ? "" : "s");
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        const char *sev = dbf_severity_name(f->severity);
        html(out,
             "<li class=\"finding-%s\"><span class=\"sev\">%s</span> "
             "<code class=\"rule\">%s</code> <span class=\"line\">line %d</span>: "
             "<span class=\"message\">%s</span></li>\n",
             sev, sev, f->rule, f->pos.line, f->message);
    }
    html(out, "</ul>\n</section>\n");
}

/* One move's form: a button posting TO (with OVERRIDE), a reason field
 * when the move takes one, and, when VERDICT refuses it, the button
 * disabled with the policy's reasons. */
struct move {
    const char *label;
    enum dbf_pm_status to;
    bool override;
    const char *reason_label; /* NULL: no reason field */
    bool reason_required;
};

static void move_html(struct pm_page *pp, const struct move *m, const struct policy_verdict *v,
                      int index, const struct pm_notice *notice)
{
    struct dbf_buf *out = &pp->page.body;
    bool allowed = v->answer == POLICY_ALLOW;
    html(out, "<form method=\"post\" action=\"/postmortems/%U/transitions\" class=\"move\">",
         pp->slug);
    html_csrf_field(&pp->page);
    html(out, "<input type=\"hidden\" name=\"to\" value=\"%s\">", dbf_pm_status_name(m->to));
    if (m->override)
        html(out, "<input type=\"hidden\" name=\"override\" value=\"1\">");
    /* A disabled move shows no field: there is nothing to fill in yet. */
    if (m->reason_label && allowed)
        html(out,
             "<label for=\"reason-%d\">%s</label>"
             "<textarea id=\"reason-%d\" name=\"reason\" rows=\"2\"%H>%s</textarea>",
             index, m->reason_label, index, m->reason_required ? " required" : "",
             notice && notice->reason ? notice->reason : "");
    if (allowed) {
        html(out, "<button type=\"submit\">%s</button></form>\n", m->label);
        return;
    }
    html(out,
         "<button type=\"submit\" disabled aria-describedby=\"why-%d\">%s</button>"
         "<ul class=\"reason why-disabled\" id=\"why-%d\">",
         index, m->label, index);
    for (size_t i = 0; i < v->reason_count; i++)
        html(out, "<li>%s</li>", v->reasons[i]);
    html(out, "</ul></form>\n");
}

static void approve_html(struct pm_page *pp, const struct policy_verdict *v,
                         const struct pm_notice *notice)
{
    struct dbf_buf *out = &pp->page.body;
    bool allowed = v->answer == POLICY_ALLOW;
    html(out, "<form method=\"post\" action=\"/postmortems/%U/approvals\" class=\"move\">",
         pp->slug);
    html_csrf_field(&pp->page);
    if (allowed) {
        html(out,
             "<label for=\"approval-note\">Note (optional)</label>"
             "<textarea id=\"approval-note\" name=\"note\" rows=\"2\">%s</textarea>"
             "<button type=\"submit\">Approve</button></form>\n",
             notice && notice->note ? notice->note : "");
        return;
    }
    html(out, "<button type=\"submit\" disabled aria-describedby=\"why-approve\">Approve</button>"
              "<ul class=\"reason why-disabled\" id=\"why-approve\">");
    for (size_t i = 0; i < v->reason_count; i++)
        html(out, "<li>%s</li>", v->reasons[i]);
    html(out, "</ul></form>\n");
}

static void workflow_html(struct pm_page *pp, const struct pm_state *state,
                          const struct pm_notice *notice)
{
    struct dbf_buf *out = &pp->page.body;
    struct policy_rules rules;
    pm_rules(pp->page.app, &rules);
    const struct policy_state *s = &state->state;
    html(out, "<section class=\"panel\" aria-labelledby=\"workflow-heading\">"
              "<h2 id=\"workflow-heading\">Workflow</h2>\n<p class=\"state\">");
    pm_badges_html(out, &pp->pm);
    if (pp->pm.visibility == DBF_VISIBILITY_RESTRICTED)
        html(out, " <span class=\"badge badge-restricted\">restricted</span>");
    html(out, "</p>\n");
    char when[40], spent[48];
    int64_t secs = s->now - s->entered;
    dbf_duration_format(secs > 0 ? secs : 0, spent, sizeof spent);
    if (s->status == DBF_PM_REVIEW)
        html(out, "<p>In review since %s (for %s). Approvals: %d of %d needed.</p>\n",
             web_time(s->entered, when, sizeof when), spent, policy_valid_approvals(&rules, s),
             rules.approvals_needed);
    else
        html(out, "<p>%s since %s.</p>\n", s->status == DBF_PM_DRAFT ? "A draft" : "Published",
             web_time(s->entered, when, sizeof when));

    struct move moves[4];
    size_t count = 0;
    if (s->status == DBF_PM_DRAFT) {
        moves[count++] = (struct move){"Submit for review", DBF_PM_REVIEW, false, NULL, false};
    } else if (s->status == DBF_PM_REVIEW) {
        moves[count++] = (struct move){"Publish", DBF_PM_PUBLISHED, false, NULL, false};
        moves[count++] =
            (struct move){"Send back to draft", DBF_PM_DRAFT, false, "Why (optional)", false};
        moves[count++] = (struct move){"Publish anyway (admin override)", DBF_PM_PUBLISHED, true,
                                       "Reason for the override (logged)", true};
    } else {
        moves[count++] = (struct move){"Reopen", DBF_PM_DRAFT, false, "Reason for reopening", true};
    }
    html(out, "<div class=\"moves\">\n");
    if (s->status == DBF_PM_REVIEW) {
        bool already = false;
        for (size_t i = 0; i < state->approval_count && !already; i++)
            already = state->approvals[i].reviewer == pp->actor.id;
        struct policy_verdict v;
        policy_approve(&rules, s, &pp->actor, already, &v);
        approve_html(pp, &v, notice);
    }
    for (size_t i = 0; i < count; i++) {
        /* A required reason is a field of the form: the button is judged as
         * if it were filled in, and the server asks again with what was. */
        struct policy_verdict v;
        policy_transition(&rules, s, &pp->actor, moves[i].to, moves[i].override,
                          moves[i].reason_required ? "(given in the form)" : NULL, &v);
        move_html(pp, &moves[i], &v, (int)i, notice);
    }
    html(out, "</div>\n</section>\n");

    if (state->approval_count == 0 && s->status != DBF_PM_REVIEW)
        return;
    html(out, "<section class=\"panel\" aria-labelledby=\"approvals-heading\">"
              "<h2 id=\"approvals-heading\">Approvals</h2>\n");
    if (state->approval_count == 0)
        html(out, "<p class=\"empty\">None yet.</p>\n");
    else
        html(out, "<ul class=\"approvals\">\n");
    for (size_t i = 0; i < state->approval_count; i++) {
        const struct dbf_approval *a = &state->approvals[i];
        struct policy_state one = *s;
        one.approvals = &state->facts[i];
        one.approval_count = 1;
        bool counts = policy_valid_approvals(&rules, &one) == 1;
        html(out, "<li><strong>%s</strong> approved revision %d on %s%H", a->reviewer_name,
             a->revision, web_time(a->created, when, sizeof when),
             counts ? "" : " <span class=\"badge\">does not count</span>");
        if (a->note && *a->note)
            html(out, "<blockquote>%s</blockquote>", a->note);
        html(out, "</li>\n");
    }
    if (state->approval_count)
        html(out, "</ul>\n");
    html(out, "</section>\n");
}

static void links_html(struct pm_page *pp)
{
    struct dbf_buf *out = &pp->page.body;
    html(out, "<section class=\"panel\" aria-labelledby=\"links-heading\">"
              "<h2 id=\"links-heading\">More</h2>\n<ul class=\"links\">");
    if (auth_has_role(&pp->page.auth, DBF_ROLE_AUTHOR))
        html(out, "<li><a href=\"/postmortems/%U/edit\">Edit</a></li>", pp->slug);
    html(out, "<li><a href=\"/postmortems/%U/history\">History (%d revision%s)</a></li></ul>\n",
         pp->slug, pp->pm.revision, pp->pm.revision == 1 ? "" : "s");
    if (policy_is_owner(&pp->actor)) {
        html(out, "<form method=\"post\" action=\"/postmortems/%U/redacted\" class=\"move\">",
             pp->slug);
        html_csrf_field(&pp->page);
        html(out,
             "<button type=\"submit\">Publish a redacted copy</button>"
             "<p class=\"hint\">A public copy without the restricted parts, as "
             "<code>%s-redacted</code>.</p></form>\n",
             pp->slug);
    }
    html(out, "</section>\n");
}

static bool comments_html(struct pm_page *pp, const struct pm_notice *notice)
{
    struct dbf_buf *out = &pp->page.body;
    struct dbf_comment *comments = NULL;
    size_t count = 0;
    enum dbf_store_status st =
        dbf_store_comments(pp->page.app->store, pp->page.auth.user.id, pp->slug, &comments, &count);
    if (st != DBF_STORE_OK) {
        web_store_error(pp->page.app, pp->page.req, st);
        return false;
    }
    html(out,
         "<section id=\"comments\" class=\"comments\" aria-labelledby=\"comments-heading\">"
         "<h2 id=\"comments-heading\">Comments (%z)</h2>\n",
         count);
    if (count == 0)
        html(out, "<p class=\"empty\">No comments yet.</p>\n");
    for (size_t i = 0; i < count; i++) {
        char when[40];
        html(out,
             "<article class=\"comment\" id=\"comment-%I\"><p class=\"meta\"><strong>%s</strong> "
             "<time>%s</time></p><p>%s</p></article>\n",
             comments[i].id, comments[i].author_name,
             web_time(comments[i].created, when, sizeof when), comments[i].body);
    }
    dbf_comments_free(comments, count);
    if (auth_has_role(&pp->page.auth, DBF_ROLE_AUTHOR)) {
        html(out,
             "<form method=\"post\" action=\"/postmortems/%U/comments\" class=\"comment-form\">",
             pp->slug);
        html_csrf_field(&pp->page);
        html(out,
             "<label for=\"comment-body\">Add a comment</label>"
             "<textarea id=\"comment-body\" name=\"body\" rows=\"4\" required>%s</textarea>"
             "<button type=\"submit\">Comment</button></form>\n",
             notice && notice->comment ? notice->comment : "");
    }
    html(out, "</section>\n");
    return true;
}

/* The report of REV with the workflow's STATUS in its header, its images
 * and metrics read from FILES, from its parsed DOC (NULL when it could not
 * be parsed, ERR saying why), or the text as it is when it cannot be drawn. */
static void report_html(struct dbf_buf *out, const struct dbf_revision *rev,
                        const struct dbf_doc *doc, const char *err, const char *status,
                        const struct dbf_render_files *files)
{
    const char *text = rev->markdown ? rev->markdown : "";
    if (!doc) {
        html(out,
             "<div class=\"error\"><p>This revision cannot be drawn: %s</p></div><pre>%s</pre>",
             err, text);
        return;
    }
    struct dbf_render_options options = {.files = files, .fragment = true, .status = status};
    struct dbf_buf report;
    dbf_buf_init(&report, 0);
    if (dbf_render_html(doc, &options, &report, NULL))
        dbf_buf_add(out, report.data, report.len);
    else
        html(out, "<p class=\"error\">This revision is too large to draw.</p><pre>%s</pre>", text);
    dbf_buf_release(&report);
}

/* What the page shows of one revision whatever the asker: kept in the
 * page cache. */
struct report_parts {
    struct dbf_buf report;   /* the drawn report (HTML) */
    struct dbf_buf findings; /* the review panel (HTML) */
    char **named;            /* the files the text names (dbf_render_files_named) */
    size_t named_count;
};

static void parts_drop(void *value)
{
    struct report_parts *parts = value;
    if (!parts)
        return;
    dbf_render_files_free(parts->named, parts->named_count);
    dbf_buf_release(&parts->report);
    dbf_buf_release(&parts->findings);
    free(parts);
}

/* The parts of REV drawn with STATUS and FILES and reviewed at NOW; *COST
 * is the memory they hold. NULL when memory runs out. */
static struct report_parts *parts_make(struct serve_app *app, const struct dbf_revision *rev,
                                       const char *status, const struct dbf_render_files *files,
                                       int64_t now, size_t *cost)
{
    struct report_parts *parts = calloc(1, sizeof *parts);
    if (!parts)
        return NULL;
    dbf_buf_init(&parts->report, 0);
    dbf_buf_init(&parts->findings, 0);
    char err[256] = "";
    struct dbf_doc *doc =
        dbf_doc_parse("-", rev->markdown ? rev->markdown : "", rev->length, err, sizeof err);
    report_html(&parts->report, rev, doc, err, status, files);
    struct dbf_review *review = doc ? review_text(app, doc, now) : NULL;
    findings_html(&parts->findings, review);
    dbf_review_free(review);
    parts->named_count = doc ? dbf_render_files_named(doc, &parts->named) : 0;
    dbf_doc_free(doc);
    if (parts->report.failed || parts->findings.failed) {
        parts_drop(parts);
        return NULL;
    }
    *cost = sizeof *parts + parts->report.alloc + parts->findings.alloc;
    for (size_t i = 0; i < parts->named_count; i++)
        *cost += sizeof *parts->named + strlen(parts->named[i]) + 1;
    return parts;
}

/* The cache key of the parts of REV of PP, whose newest attachment
 * versions are the COUNT ITEMS. */
static bool parts_key(struct pm_page *pp, const struct dbf_revision *rev, int64_t now,
                      const struct dbf_attachment *items, size_t count, char *key, size_t size)
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init(&hash);
    for (size_t i = 0; i < count; i++) {
        crypto_hash_sha256_update(&hash, (const unsigned char *)items[i].name,
                                  strlen(items[i].name) + 1);
        crypto_hash_sha256_update(&hash, (const unsigned char *)items[i].sha256,
                                  sizeof items[i].sha256);
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hash, digest);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    struct dbf_date today = review_date(now);
    int n =
        snprintf(key, size, "page/%lld/%d/%04d-%02d-%02d/%s/%s", (long long)pp->pm.id, rev->number,
                 today.year, today.month, today.day, dbf_pm_status_name(pp->pm.status), hex);
    return n > 0 && (size_t)n < size;
}

/* The page of PP as pm_page_show() draws it, with TYPED (may be NULL) in
 * the upload form of its files. */
static void show(struct pm_page *pp, int revision, const struct pm_notice *notice,
                 const struct pm_files_typed *typed, int status)
{
    struct serve_app *app = pp->page.app;
    h2o_req_t *req = pp->page.req;
    struct dbf_revision rev;
    enum dbf_store_status st =
        dbf_store_revision_get(app->store, pp->page.auth.user.id, pp->slug, revision, &rev);
    if (st != DBF_STORE_OK) {
        pm_page_abandon(pp);
        if (st == DBF_STORE_NOT_FOUND) {
            char message[96];
            snprintf(message, sizeof message, "There is no revision %d of this post mortem.",
                     revision);
            web_error(app, req, 404, message);
        } else {
            web_store_error(app, req, st);
        }
        return;
    }
    struct pm_view view = {
        .auth = pp->page.auth, .slug = pp->slug, .pm = pp->pm, .actor = pp->actor};
    struct pm_state state;
    if (!pm_state_load(app, req, &view, &state)) {
        dbf_revision_release(&rev);
        pm_page_abandon(pp);
        return;
    }
    struct dbf_buf *out = &pp->page.body;
    notice_html(out, notice);
    html(out, "<div class=\"with-aside\">\n<div class=\"primary report\">\n");
    if (rev.number != pp->pm.revision) {
        char when[40];
        html(out,
             "<p class=\"notice\" role=\"note\">This is revision %d of %d, saved by %s on %s. "
             "<a href=\"/postmortems/%U\">Read the newest</a> or "
             "<a href=\"/postmortems/%U/diff?from=%d&amp;to=%d\">see what changed since</a>.</p>\n",
             rev.number, pp->pm.revision, rev.author_name, web_time(rev.created, when, sizeof when),
             pp->slug, pp->slug, rev.number, pp->pm.revision);
    }
    /* The store has answered REV for this asker: the cache may be asked. */
    struct dbf_attachment *items = NULL;
    size_t count = 0;
    st = dbf_store_attachments(app->store, pp->page.auth.user.id, pp->slug, &items, &count);
    if (st != DBF_STORE_OK) {
        pm_state_release(&state);
        dbf_revision_release(&rev);
        pm_page_abandon(pp);
        web_store_error(app, req, st);
        return;
    }
    char key[160];
    bool keyed = app->pages && parts_key(pp, &rev, state.state.now, items, count, key, sizeof key);
    struct report_parts *parts = keyed ? page_cache_get(app->pages, key) : NULL;
    struct report_parts *made = NULL; /* this request's own, when not from the cache */
    size_t cost = 0;
    if (!parts) {
        struct pm_files files;
        pm_files_init(&files, app->store, pp->page.auth.user.id, pp->slug);
        parts = made = parts_make(app, &rev, dbf_pm_status_name(pp->pm.status), &files.source,
                                  state.state.now, &cost);
    }
    if (!parts) {
        dbf_attachments_free(items, count);
        pm_state_release(&state);
        dbf_revision_release(&rev);
        pm_page_abandon(pp);
        web_error(app, req, 500, "Out of memory.");
        return;
    }
    dbf_buf_add(out, parts->report.data, parts->report.len);
    pp->page.untitled = true; /* the report's own h1 is the page's */
    html(out, "</div>\n<aside class=\"aside\" aria-label=\"Review and workflow\">\n");
    workflow_html(pp, &state, notice);
    dbf_buf_add(out, parts->findings.data, parts->findings.len);
    links_html(pp);
    html(out, "</aside>\n</div>\n");
    pm_state_release(&state);
    dbf_revision_release(&rev);
    pm_page_files_html(pp, items, count, (const char *const *)parts->named, parts->named_count,
                       typed);
    dbf_attachments_free(items, count);
    if (made) {
        if (keyed)
            page_cache_put(app->pages, key, made, cost, parts_drop);
        else
            parts_drop(made);
    }
    if (!comments_html(pp, notice)) {
        pm_page_abandon(pp);
        return;
    }
    pm_page_end(pp, status);
}

void pm_page_show(struct pm_page *pp, int revision, const struct pm_notice *notice, int status)
{
    show(pp, revision, notice, NULL, status);
}

void pm_page_show_files(struct pm_page *pp, const struct pm_files_typed *typed, int status)
{
    show(pp, 0, NULL, typed, status);
}
