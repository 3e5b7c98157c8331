/* page_session.c: the start page's redirect, first-run setup, sign in and
 * sign out. The checks are the API's (serve/signin.h): the same
 * throttling, a new session at every sign-in, the same cookie. */
#include "web.h"

#include "../serve/signin.h"

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

/* ---- First run ---- */

/* The setup form with ERROR (may be NULL) and the NAME typed. */
static void setup_form(struct page *page, const char *error, const char *name)
{
    html(&page->body, "<p>This server has no users yet. Make the first one: an admin, who can "
                      "then add the others.</p>\n");
    if (error)
        html(&page->body, "<p class=\"error\" role=\"alert\" id=\"form-error\">%s</p>\n", error);
    html(&page->body,
         "<form method=\"post\" action=\"/setup\">\n"
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
    html_csrf_field(page);
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
        page_abandon(&page);
        if (st != DBF_STORE_OK)
            web_store_error(app, req, st);
        else
            web_redirect(req, "/setup");
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
