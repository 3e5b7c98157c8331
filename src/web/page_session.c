/* page_session.c: the start page's redirect, first-run setup, sign in and
 * sign out. The checks are the API's (serve/signin.h): the same
 * throttling, a new session at every sign-in, the same cookie. */
#include "web.h"

#include "../serve/signin.h"

#include <sodium.h>

#include <stdlib.h>
#include <string.h>

/* Where a signed-in user lands by default. */
#define HOME "/postmortems"

/* Does the store have no user yet? *EMPTY says; the store's status. */
static enum dbf_store_status no_user_yet(struct serve_app *app, bool *empty)
{
    struct dbf_user *users = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_list(app->store, &users, &count);
    free(users);
    *empty = st == DBF_STORE_OK && count == 0;
    return st;
}

/* NEXT when it is a path on this server worth returning to, else HOME. */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
        return HOME;
    for (const char *p = next; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return HOME;
    }
    static const char *const loops[] = {"/signin", "/signout", "/setup"};
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        size_t n = strlen(loops[i]);
        if (strncmp(next, loops[i], n) == 0 && (next[n] == '\0' || next[n] == '?'))
            return HOME;
    }
    return next;
}

int web_home(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ANYONE, "debrief", NULL, &page))
        return 0;
    bool signed_in = page.auth.user.id != 0;
    page_abandon(&page);
    if (signed_in) {
        web_redirect(req, HOME);
        return 0;
    }
    bool empty;
    enum dbf_store_status st = no_user_yet(app, &empty);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return 0;
    }
    web_redirect(req, empty ? "/setup" : "/signin");
    return 0;
}

/* ---- The forms used before a session exists ----
 *
 * Setup and sign-in have no session to take a CSRF token from, yet a forged
 * sign-in would put a victim in the forger's account. Their forms carry the
 * value of a debrief_form cookie (HttpOnly, SameSite=Strict) as csrf_token,
 * and a post is taken only when the two agree: another site can neither
 * read the cookie nor make the browser send it. */

#define FORM_COOKIE "debrief_form"
#define FORM_TOKEN_LEN 64

static bool is_form_token(const char *text)
{
    if (!text || strlen(text) != FORM_TOKEN_LEN)
        return false;
    for (const char *p = text; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    }
    return true;
}

/* Writes the form's token field: the session's CSRF token when there is a
 * session, else this browser's debrief_form cookie, set now when missing. */
static void form_token_field(struct page *page)
{
    if (page->auth.csrf) {
        html_csrf_field(page);
        return;
    }
    h2o_req_t *req = page->req;
    const char *token = request_cookie(req, FORM_COOKIE);
    if (!is_form_token(token)) {
        unsigned char raw[FORM_TOKEN_LEN / 2];
        randombytes_buf(raw, sizeof raw);
        char *made = h2o_mem_alloc_pool(&req->pool, FORM_TOKEN_LEN + 1);
        sodium_bin2hex(made, FORM_TOKEN_LEN + 1, raw, sizeof raw);
        char cookie[192];
        int n = snprintf(cookie, sizeof cookie,
                         FORM_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400%s",
                         made, page->app->config.cookie_secure ? "; Secure" : "");
        h2o_iovec_t value = h2o_strdup(&req->pool, cookie, (size_t)n);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, value.base,
                       value.len);
        token = made;
    }
    html(&page->body, "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">\n", token);
}

/* Did a setup or sign-in post come from this site's own form? A post made
 * with a session was checked against the session's token already. Answers
 * an HTML 403 and returns false when not. */
static bool form_token_ok(struct page *page)
{
    if (page->auth.by_cookie)
        return true;
    const char *cookie = request_cookie(page->req, FORM_COOKIE);
    const char *sent = request_form(page->req, "csrf_token");
    if (is_form_token(cookie) && is_form_token(sent) &&
        sodium_memcmp(cookie, sent, FORM_TOKEN_LEN) == 0)
        return true;
    page_abandon(page);
    web_error(page->app, page->req, 403,
              "This form is out of date or did not come from this site. Reload the page and try "
              "again.");
    return false;
}

/* ---- First run ---- */

/* The setup form with ERROR (may be NULL) and the NAME typed. */
static void setup_form(struct page *page, const char *error, const char *name)
{
    html(&page->body, "<p>This server has no users yet. Make the first one: an admin, who can "
                      "then add the others.</p>\n");
    if (error)
        html(&page->body, "<p class=\"error\" role=\"alert\" id=\"form-error\">%s</p>\n", error);
    html(&page->body, "<form method=\"post\" action=\"/setup\">\n");
    form_token_field(page);
    html(&page->body,
         "<label for=\"name\">User name</label>\n"
         "<input type=\"text\" id=\"name\" name=\"name\" value=\"%s\" required maxlength=\"64\" "
         "autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" "
         "aria-describedby=\"name-hint\">\n"
         "<p class=\"hint\" id=\"name-hint\">Letters, digits, '.', '_' and '-'.</p>\n"
         "<label for=\"password\">Password</label>\n"
         "<input type=\"password\" id=\"password\" name=\"password\" required minlength=\"%d\" "
         "maxlength=\"%d\" autocomplete=\"new-password\" aria-describedby=\"password-hint\">\n"
         "<p class=\"hint\" id=\"password-hint\">At least %d characters.</p>\n"
         "<label for=\"confirm\">Password again</label>\n"
         "<input type=\"password\" id=\"confirm\" name=\"confirm\" required "
         "autocomplete=\"new-password\">\n"
         "<p><button type=\"submit\">Create the admin and sign in</button></p>\n"
         "</form>\n",
         name ? name : "", SIGNIN_PASSWORD_MIN, SIGNIN_PASSWORD_MAX, SIGNIN_PASSWORD_MIN);
}

/* Answers 303 to /signin and returns true when the server has a user
 * already (or answers a store failure and returns true). */
static bool set_up_already(struct serve_app *app, h2o_req_t *req)
{
    bool empty;
    enum dbf_store_status st = no_user_yet(app, &empty);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return true;
    }
    if (!empty)
        web_redirect(req, "/signin");
    return !empty;
}

int web_setup_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ANYONE, "Set up debrief", "setup", &page))
        return 0;
    if (set_up_already(app, req)) {
        page_abandon(&page);
        return 0;
    }
    setup_form(&page, NULL, NULL);
    page_end(&page, 200);
    return 0;
}

int web_setup(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ANYONE, "Set up debrief", "setup", &page))
        return 0;
    if (set_up_already(app, req)) {
        page_abandon(&page);
        return 0;
    }
    if (!form_token_ok(&page))
        return 0;
    const char *name = request_form(req, "name");
    const char *password = request_form(req, "password");
    const char *confirm = request_form(req, "confirm");
    const char *error = NULL;
    if (!name || !*name || !password || !*password)
        error = "Give a user name and a password.";
    else if (strlen(name) > DBF_STORE_NAME_MAX)
        error = "The user name is longer than 64 bytes.";
    else if (strlen(password) < SIGNIN_PASSWORD_MIN || strlen(password) > SIGNIN_PASSWORD_MAX)
        error = "The password must be 8 to 1024 bytes long.";
    else if (!confirm || strcmp(password, confirm) != 0)
        error = "The two passwords differ.";
    if (error) {
        setup_form(&page, error, name);
        page_end(&page, 400);
        return 0;
    }
    int64_t id;
    enum dbf_store_status st = dbf_store_user_add_first(app->store, name, password, &id);
    if (st == DBF_STORE_CONFLICT) {
        page_abandon(&page);
        web_redirect(req, "/signin");
        return 0;
    }
    if (st == DBF_STORE_INVALID) {
        const char *said = dbf_store_message(app->store);
        setup_form(&page, said && *said ? said : "That user name cannot be used.", name);
        page_end(&page, 400);
        return 0;
    }
    struct dbf_user user;
    if (st == DBF_STORE_OK)
        st = dbf_store_user_by_id(app->store, id, &user);
    char csrf[65];
    if (st == DBF_STORE_OK) {
        log_event("setup", json_pack("{s:s,s:s}", "user", user.name, "remote", request_peer(req)));
        st = signin_start(app, req, &user, csrf);
    }
    page_abandon(&page);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return 0;
    }
    web_redirect(req, HOME);
    return 0;
}

/* ---- Sign in and out ---- */

/* The sign-in form with ERROR (may be NULL), the NAME typed and NEXT. */
static void signin_form(struct page *page, const char *error, const char *name, const char *next)
{
    if (error)
        html(&page->body, "<p class=\"error\" role=\"alert\" id=\"form-error\">%s</p>\n", error);
    html(&page->body, "<form method=\"post\" action=\"/signin\">\n");
    form_token_field(page);
    if (next && strcmp(next, HOME) != 0)
        html(&page->body, "<input type=\"hidden\" name=\"next\" value=\"%s\">\n", next);
    html(&page->body,
         "<label for=\"name\">User name</label>\n"
         "<input type=\"text\" id=\"name\" name=\"name\" value=\"%s\" required maxlength=\"64\" "
         "autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\"%H>\n"
         "<label for=\"password\">Password</label>\n"
         "<input type=\"password\" id=\"password\" name=\"password\" required "
         "autocomplete=\"current-password\"%H>\n"
         "<p><button type=\"submit\">Sign in</button></p>\n"
         "</form>\n",
         name ? name : "", error ? " aria-describedby=\"form-error\"" : " autofocus",
         error ? " aria-describedby=\"form-error\"" : "");
}

int web_signin_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ANYONE, "Sign in", "signin", &page))
        return 0;
    const char *next = safe_next(request_query(req, "next"));
    if (page.auth.user.id != 0) {
        page_abandon(&page);
        web_redirect(req, next);
        return 0;
    }
    bool empty;
    enum dbf_store_status st = no_user_yet(app, &empty);
    if (st != DBF_STORE_OK || empty) {
        page_end_stored(&page, st, "/setup");
        return 0;
    }
    signin_form(&page, NULL, NULL, next);
    page_end(&page, 200);
    return 0;
}

int web_signin(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ANYONE, "Sign in", "signin", &page))
        return 0;
    if (!form_token_ok(&page))
        return 0;
    const char *next = safe_next(request_form(req, "next"));
    const char *name = request_form(req, "name");
    const char *password = request_form(req, "password");
    if (!name || !*name || !password || !*password || strlen(name) > DBF_STORE_NAME_MAX ||
        strlen(password) > SIGNIN_PASSWORD_MAX) {
        signin_form(&page, "Give your user name and password.", name, next);
        page_end(&page, 400);
        return 0;
    }
    struct signin in;
    switch (signin_check(app, req, name, password, &in)) {
    case SIGNIN_OK:
        page_abandon(&page);
        web_redirect(req, next);
        return 0;
    case SIGNIN_WRONG:
        signin_form(&page, "Wrong user name or password.", name, next);
        page_end(&page, 401);
        return 0;
    case SIGNIN_THROTTLED:
        signin_form(&page,
                    "Too many failed sign-ins for this name or from this address. Wait 15 "
                    "minutes before trying again.",
                    name, next);
        page_end(&page, 429);
        return 0;
    case SIGNIN_FAILED:
        break;
    }
    page_abandon(&page);
    web_store_error(app, req, in.status);
    return 0;
}

int web_signout(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ANYONE, "Sign out", NULL, &page))
        return 0;
    page_abandon(&page);
    enum dbf_store_status st = signin_end(app, req);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return 0;
    }
    web_redirect(req, "/signin");
    return 0;
}
