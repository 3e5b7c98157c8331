/* web.h: the web app's pages, served by `debrief serve` beside the JSON API.
 *
 * Pages are HTML written on the server and work without JavaScript; one
 * stylesheet and one small script (static/) only enhance them. Every page
 * goes through the same store, access checks and workflow policy as the API.
 *
 * page.c builds pages: page_begin() says who is asking and starts the body,
 * html() writes into it with every %s escaped, page_end() wraps it in the
 * layout and answers. Forms post application/x-www-form-urlencoded bodies
 * with a csrf_token field (auth_begin() checks it); after a successful post
 * a page answers 303 to the page that shows the result. */
#ifndef DEBRIEF_WEB_H
#define DEBRIEF_WEB_H

#include "../serve/serve.h"
#include "debrief/buf.h"

#include <stdarg.h>

/* One page being built for one request. */
struct page {
    struct serve_app *app;
    h2o_req_t *req;
    struct auth auth;
    struct dbf_buf body; /* the page's main content, HTML */
    const char *title;   /* shown in <title> and as the first heading */
    const char *section; /* the navigation item to mark ("postmortems", "actions", …) */
    bool untitled;       /* the body brings its own h1 (a rendered report): the
                            layout writes the title only in <title> */
};

/* ---- page.c ---- */

/* Starts PAGE for REQ. With NEED above AUTH_ANYONE and nobody signed in,
 * answers 303 to /signin?next=PATH and returns false; for a non-admin where
 * NEED is AUTH_ADMIN, answers an HTML 403 page and returns false; a form
 * post with a bad CSRF token gets an HTML 403. TITLE and SECTION are
 * borrowed. */
bool page_begin(struct serve_app *app, h2o_req_t *req, enum auth_need need, const char *title,
                const char *section, struct page *page);

/* Wraps PAGE's body in the layout (head, stylesheet, navigation with the
 * signed-in user and sign-out form, footer), answers STATUS as text/html
 * with the page's security headers, and releases PAGE. */
void page_end(struct page *page, int status);

/* Releases PAGE without answering (the caller answered otherwise). */
void page_abandon(struct page *page);

/* Appends FMT to OUT. Conversions: %s text, HTML-escaped (NULL writes
 * nothing); %H trusted HTML, raw; %U a URL component, percent-encoded;
 * %d int; %I int64_t; %z size_t; %% a percent sign. Nothing else. */
void html(struct dbf_buf *out, const char *fmt, ...);
void html_v(struct dbf_buf *out, const char *fmt, va_list ap);

/* A hidden csrf_token field for a form of PAGE (nothing when the user came
 * with a token, which needs none). */
void html_csrf_field(struct page *page);

/* Answers REQ with 303 See Other to LOCATION (a path on this server). */
void web_redirect(h2o_req_t *req, const char *location);

/* Answers REQ with an HTML page of STATUS saying MESSAGE (for 404, 403,
 * 400, 409, 503), in the layout, signed in or not. */
void web_error(struct serve_app *app, h2o_req_t *req, int status, const char *message);

/* Answers REQ for a store failure ST as web_error() does (404, 409, 400,
 * 503, 500), as respond_store_error() does for the API. */
void web_store_error(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st);

/* Ends a form's post: releases PAGE and answers 303 to LOCATION when ST is
 * OK, else the error page of ST (as web_store_error()). */
void page_end_stored(struct page *page, enum dbf_store_status st, const char *location);

/* A time as the pages show it: "2026-03-10 14:02 UTC"; "" for 0. Written
 * into BUF of SIZE. */
const char *web_time(int64_t seconds, char *buf, size_t size);

/* ---- static.c: the stylesheet and the script, embedded at build time ---- */

/* GET /static/:file: style.css, app.js, with long cache lifetimes. */
int web_static(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* ---- The pages, by subject ---- */

/* page_session.c: first-run setup, sign in, sign out. */
int web_home(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_setup_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_setup(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_signin_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_signin(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_signout(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* page_list.c: the list of post mortems with search, filters and sorting. */
int web_pm_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* page_postmortem.c (with pm_page*.c): one post mortem: the report, its
 * findings and score, workflow state and buttons (with why a button is
 * disabled), comments; its history and diffs (pm_page_history.c). */
int web_pm_view(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_history(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_diff(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_transition(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_approve(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_comment(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_redacted(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
/* pm_page_files.c: uploading a text file (a name and its content) as an
 * attachment of the post mortem, without JavaScript. */
int web_pm_file_upload(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* page_editor.c (with editor*.c): new from the template or a triage form,
 * the editor with live findings and preview, and the merge page after a
 * stale save. */
int web_pm_new_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_triage(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_edit_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_pm_save(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_preview(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* page_actions.c: the action item board, a person's items, marking done. */
int web_actions(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_person(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_action_mark(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* page_patterns.c: the patterns dashboard. */
int web_patterns(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* page_feed.c: the Atom feed of published, non-restricted post mortems. */
int web_feed(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* page_admin.c: users, teams, roles; one's own tokens. */
int web_admin_users(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_admin_user_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_admin_user_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_admin_teams(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_admin_team_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_admin_member(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_tokens(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_token_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int web_token_revoke(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

#endif
