/* page_editor.c: writing post mortems: new from the template or a triage
 * (editor_new.c), the editor with its findings and preview, saving, the
 * preview itself, and the merge page after a stale save.
 *
 * POST /preview with `fragment=1` answers the two parts the live preview
 * of static/app.js places, as editor.h describes:
 *     <div id="findings">…</div><div id="preview">…</div>
 * Saving never loses what was typed: a save on a revision that is no
 * longer the newest answers 409 with both texts, their difference and the
 * editor holding the typed text on the newest revision. */
#include "editor.h"

#include "debrief/ingest.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Post mortem SLUG as USER may see it; answers the 404 page (the same for
 * a missing one and one the user may not see) or the store's error and
 * returns false otherwise. */
static bool find_pm(struct page *page, const char *slug, struct dbf_postmortem *out)
{
    enum dbf_store_status st =
        slug && dbf_ingest_slug_valid(slug)
            ? dbf_store_pm_get(page->app->store, page->auth.user.id, slug, out)
            : DBF_STORE_NOT_FOUND;
    if (st == DBF_STORE_OK)
        return true;
    if (st == DBF_STORE_NOT_FOUND)
        web_error(page->app, page->req, 404, "There is no such post mortem.");
    else
        web_store_error(page->app, page->req, st);
    return false;
}

bool editor_may_write(struct page *page)
{
    if (auth_has_role(&page->auth, DBF_ROLE_AUTHOR))
        return true;
    web_error(page->app, page->req, 403, "Writing post mortems needs the author role.");
    return false;
}

/* The form field `markdown` with CRLF turned into LF, copied into the
 * request's pool; NULL when absent or not text. */
static char *form_markdown(h2o_req_t *req, size_t *len)
{
    const char *sent = request_form(req, "markdown");
    if (!sent)
        return NULL;
    size_t n = strlen(sent);
    char *copy = h2o_mem_alloc_pool(&req->pool, n + 1);
    memcpy(copy, sent, n + 1);
    *len = editor_unix_newlines(copy);
    return copy;
}

/* A whole number from 1 in form field NAME, or 0. */
static int form_revision(h2o_req_t *req, const char *name)
{
    const char *text = request_form(req, name);
    if (!text || !isdigit((unsigned char)*text))
        return 0;
    char *end;
    long n = strtol(text, &end, 10);
    return *end || n < 1 || n > INT_MAX ? 0 : (int)n;
}

int web_pm_edit_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Edit", "postmortems", &page))
        return 0;
    struct dbf_postmortem pm = {0};
    struct dbf_revision rev = {0};
    if (!find_pm(&page, request_param(req, params, "id"), &pm) || !editor_may_write(&page))
        goto fail;
    enum dbf_store_status st =
        dbf_store_revision_get(app->store, page.auth.user.id, pm.slug, 0, &rev);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        goto fail;
    }
    page.title = h2o_strdup(&req->pool, pm.title ? pm.title : pm.slug, SIZE_MAX).base;
    char when[64];
    html(&page.body,
         "<p class=\"lede\">Editing revision %d of <a href=\"/postmortems/%U\">%s</a>, saved by "
         "%s on %s.</p>\n",
         rev.number, pm.slug, pm.slug, rev.author_name, web_time(rev.created, when, sizeof when));
    struct editor_form form = {pm.slug, rev.markdown ? rev.markdown : "", rev.length, rev.number,
                               dbf_store_now(app->store)};
    editor_form_html(&page, &form);
    dbf_revision_release(&rev);
    dbf_postmortem_release(&pm);
    page_end(&page, 200);
    return 0;
fail:
    dbf_revision_release(&rev);
    dbf_postmortem_release(&pm);
    page_abandon(&page);
    return 0;
}

/* The merge page: the newest revision CUR and the typed text MINE side by
 * side, their difference, and the editor holding MINE on CUR. */
static void merge_page(struct page *page, const struct dbf_postmortem *pm,
                       const struct dbf_revision *cur, int base, const char *mine, size_t len)
{
    struct dbf_buf *out = &page->body;
    const char *theirs = cur->markdown ? cur->markdown : "";
    char when[64];
    web_time(cur->created, when, sizeof when);
    char started[48] = "an unknown revision";
    if (base)
        snprintf(started, sizeof started, "revision %d", base);
    html(out,
         "<div class=\"error\" role=\"alert\"><p><strong>Your text was not saved yet:</strong> "
         "you started from %s, and the newest is revision %d, saved by %s on %s. Merge their "
         "changes into your text below, then save again; your text is kept in the editor.</p>"
         "</div>\n",
         started, cur->number, cur->author_name, when);
    html(out,
         "<div class=\"merge\">\n<section class=\"theirs\" aria-labelledby=\"theirs-h\">\n"
         "<h2 id=\"theirs-h\">Theirs: revision %d by %s, %s</h2>\n<pre>",
         cur->number, cur->author_name, when);
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    dbf_buf_add(&text, theirs, cur->length);
    html(out, "%s", text.data);
    html(out,
         "</pre>\n</section>\n<section class=\"yours\" aria-labelledby=\"yours-h\">\n"
         "<h2 id=\"yours-h\">Yours: based on %s, not saved</h2>\n<pre>",
         started);
    dbf_buf_reset(&text);
    dbf_buf_add(&text, mine, len);
    html(out, "%s", text.data);
    dbf_buf_release(&text);
    html(out, "</pre>\n</section>\n</div>\n<h2>What differs from theirs to yours</h2>\n");
    editor_diff_html(out, theirs, cur->length, mine, len);
    html(out, "<h2>Your text, to save on revision %d</h2>\n", cur->number);
    struct editor_form form = {pm->slug, mine, len, cur->number, dbf_store_now(page->app->store)};
    editor_form_html(page, &form);
}

/* After a save: a text that now asks to be restricted is restricted at
 * once, as the API's save does (making one public again is a decision made
 * on its own). */
static enum dbf_store_status restrict_if_asked(struct page *page, const struct dbf_postmortem *pm,
                                               const struct dbf_ingest *in)
{
    if (!in->visibility_given || in->visibility != DBF_VISIBILITY_RESTRICTED ||
        pm->visibility != DBF_VISIBILITY_PUBLIC)
        return DBF_STORE_OK;
    int64_t user = page->auth.user.id;
    enum dbf_store_status st = dbf_store_pm_set_visibility(
        page->app->store, pm->slug, DBF_VISIBILITY_RESTRICTED, user, "the saved text asks for it");
    if (st == DBF_STORE_OK && !auth_in_team(&page->auth, pm->owner_team) &&
        page->auth.user.role != DBF_ROLE_ADMIN)
        st = dbf_store_pm_grant(page->app->store, pm->slug, user, 0);
    return st;
}

int web_pm_save(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Edit", "postmortems", &page))
        return 0;
    struct dbf_postmortem pm = {0};
    struct dbf_ingest in = {0};
    struct dbf_revision cur = {0};
    int status = 200;
    if (!find_pm(&page, request_param(req, params, "id"), &pm) || !editor_may_write(&page))
        goto fail;
    page.title = h2o_strdup(&req->pool, pm.title ? pm.title : pm.slug, SIZE_MAX).base;
    size_t len = 0;
    char *markdown = form_markdown(req, &len);
    int base = form_revision(req, "base_revision");
    if (!markdown) {
        web_error(app, req, 400, "The form must send the text to save (markdown).");
        goto fail;
    }
    char err[256];
    if (!dbf_ingest(NULL, markdown, len, &in, err, sizeof err)) {
        html(&page.body,
             "<div class=\"error\" role=\"alert\"><p><strong>Not saved:</strong> the text "
             "cannot be read as a post mortem: %s. Correct it and save again.</p></div>\n",
             err);
        struct editor_form form = {pm.slug, markdown, len, base, dbf_store_now(app->store)};
        editor_form_html(&page, &form);
        status = 400;
        goto answer;
    }
    /* Without the revision it started from, the text cannot be saved
     * safely: it is shown for merging with the newest, as a stale one. */
    int number = 0;
    enum dbf_store_status st = base
                                   ? dbf_store_revision_save(app->store, pm.slug, base, &in.content,
                                                             page.auth.user.id, &number)
                                   : DBF_STORE_CONFLICT;
    if (st == DBF_STORE_CONFLICT) {
        st = dbf_store_revision_get(app->store, page.auth.user.id, pm.slug, 0, &cur);
        if (st != DBF_STORE_OK) {
            web_store_error(app, req, st);
            goto fail;
        }
        page.title = "Merge your changes";
        merge_page(&page, &pm, &cur, base, markdown, len);
        status = 409;
        goto answer;
    }
    if (st == DBF_STORE_OK)
        st = restrict_if_asked(&page, &pm, &in);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        goto fail;
    }
    char location[DBF_STORE_SLUG_MAX + 32];
    snprintf(location, sizeof location, "/postmortems/%s", pm.slug);
    web_redirect(req, location);
fail:
    page_abandon(&page);
    goto done;
answer:
    page_end(&page, status);
done:
    dbf_revision_release(&cur);
    dbf_ingest_release(&in);
    dbf_postmortem_release(&pm);
    return 0;
}

int web_preview(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Preview", "postmortems", &page))
        return 0;
    size_t len = 0;
    const char *markdown = form_markdown(req, &len);
    if (!markdown) {
        web_error(app, req, 400, "The form must send the text to preview (markdown).");
        page_abandon(&page);
        return 0;
    }
    int64_t today = dbf_store_now(app->store);
    const char *fragment = request_form(req, "fragment");
    if (fragment && strcmp(fragment, "1") == 0) {
        struct editor_analysis analysis;
        editor_analyse(app, markdown, len, today, &analysis);
        struct dbf_buf out;
        dbf_buf_init(&out, 0);
        html(&out, "<div id=\"findings\">");
        editor_findings_html(&out, &analysis);
        html(&out, "</div><div id=\"preview\">");
        editor_preview_of_html(&page, &out, &analysis, request_form(req, "id"));
        html(&out, "</div>\n");
        editor_analysis_release(&analysis);
        /* Placed into the editor's page by the script, never a page of its
         * own: nothing in it may load or run. */
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"),
                              0, NULL, H2O_STRLIT("nosniff"));
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"),
                              0, NULL,
                              H2O_STRLIT("default-src 'none'; style-src 'unsafe-inline'; "
                                         "img-src data:; frame-ancestors 'none'"));
        respond_text(req, 200, "text/html; charset=utf-8", out.data, out.len);
        dbf_buf_release(&out);
        page_abandon(&page);
        return 0;
    }
    /* Without the script: the whole editor again, saving to the post
     * mortem it came from when the user may still see it. */
    struct dbf_postmortem pm = {0};
    const char *slug = request_form(req, "id");
    bool saving = slug && dbf_ingest_slug_valid(slug) &&
                  auth_has_role(&page.auth, DBF_ROLE_AUTHOR) &&
                  dbf_store_pm_get(app->store, page.auth.user.id, slug, &pm) == DBF_STORE_OK;
    struct editor_form form = {saving ? pm.slug : NULL, markdown, len,
                               form_revision(req, "base_revision"), today};
    if (saving)
        page.title = h2o_strdup(&req->pool, pm.title ? pm.title : pm.slug, SIZE_MAX).base;
    html(&page.body, "<p class=\"lede\">Preview of the text%s; nothing is saved yet.</p>\n",
         saving ? " below" : "");
    editor_form_html(&page, &form);
    dbf_postmortem_release(&pm);
    page_end(&page, 200);
    return 0;
}
