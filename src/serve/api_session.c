/* api_session.c: sign-in sessions, the first admin and the test clock. */
#include "serve.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_COOKIE "debrief_session"

/* Sign-in throttling: more failures than these within the window refuse
 * further attempts, whatever the password. */
#define THROTTLE_WINDOW_SECONDS (15 * 60)
#define THROTTLE_PER_NAME 5
#define THROTTLE_PER_ADDRESS 20

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

/* {"name","role","teams":[…]} of USER with TEAMS. */
static json_t *user_json(const struct dbf_user *user, const struct dbf_team *teams, size_t count)
{
    json_t *names = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(names, json_string(teams[i].name));
    return json_pack("{s:s,s:s,s:o}", "name", user->name, "role", dbf_role_name(user->role),
                     "teams", names ? names : json_array());
}

/* Sets the session cookie to VALUE, or clears it when VALUE is NULL. */
static void set_session_cookie(struct serve_app *app, h2o_req_t *req, const char *value)
{
    char cookie[256];
    if (value)
        snprintf(cookie, sizeof cookie, SESSION_COOKIE "=%s; HttpOnly; SameSite=Lax; Path=/%s",
                 value, app->config.cookie_secure ? "; Secure" : "");
    else
        snprintf(cookie, sizeof cookie,
                 SESSION_COOKIE "=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0%s",
                 app->config.cookie_secure ? "; Secure" : "");
    h2o_iovec_t v = h2o_strdup(&req->pool, cookie, strlen(cookie));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, v.base, v.len);
}

/* Reads {"name","password"}; false after answering. */
static bool read_credentials(h2o_req_t *req, json_t **body, const char **name,
                             const char **password)
{
    static const char *const fields[] = {"name", "password", NULL};
    *body = request_json(req, fields);
    if (!*body)
        return false;
    if (!request_string(req, *body, "name", true, DBF_STORE_NAME_MAX, name) ||
        !request_string(req, *body, "password", true, PASSWORD_MAX, password)) {
        json_decref(*body);
        *body = NULL;
        return false;
    }
    return true;
}

/* The throttling key of KIND ("user", "addr") and VALUE, in REQ's pool. */
static const char *throttle_key(h2o_req_t *req, const char *kind, const char *value)
{
    size_t len = strlen(kind) + 1 + strlen(value) + 1;
    char *key = h2o_mem_alloc_pool(&req->pool, len);
    snprintf(key, len, "%s:%s", kind, value);
    return key;
}

/* Answers 429 and returns true when KEYS have failed too often lately;
 * answers a store failure and returns true when that cannot be told. */
static bool throttled(struct serve_app *app, h2o_req_t *req, const char *name_key,
                      const char *addr_key)
{
    int64_t since = dbf_store_now(app->store) - THROTTLE_WINDOW_SECONDS;
    int by_name = 0, by_addr = 0;
    enum dbf_store_status st = dbf_store_login_failures(app->store, name_key, since, &by_name);
    if (st == DBF_STORE_OK)
        st = dbf_store_login_failures(app->store, addr_key, since, &by_addr);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return true;
    }
    if (by_name < THROTTLE_PER_NAME && by_addr < THROTTLE_PER_ADDRESS)
        return false;
    char seconds[24];
    int n = snprintf(seconds, sizeof seconds, "%d", THROTTLE_WINDOW_SECONDS);
    h2o_iovec_t v = h2o_strdup(&req->pool, seconds, (size_t)n);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, v.base, v.len);
    log_event("signin_throttled",
              json_pack("{s:s,s:s}", "key", by_name >= THROTTLE_PER_NAME ? name_key : addr_key,
                        "remote", request_peer(req)));
    respond_error(req, 429, "too_many_requests",
                  "too many failed sign-ins; wait before trying again");
    return true;
}

/* Answers 200 with the user of AUTH-like USER and TEAMS and CSRF. */
static void respond_session(h2o_req_t *req, int status, const struct dbf_user *user,
                            const struct dbf_team *teams, size_t count, const char *csrf)
{
    json_t *body = json_pack("{s:o,s:o}", "user", user_json(user, teams, count), "csrf_token",
                             csrf ? json_string(csrf) : json_null());
    respond_json(req, status, body);
}

int api_session_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    json_t *body;
    const char *name, *password;
    if (!read_credentials(req, &body, &name, &password))
        return 0;
    const char *name_key = throttle_key(req, "user", name);
    const char *addr_key = throttle_key(req, "addr", request_peer(req));
    if (throttled(app, req, name_key, addr_key)) {
        json_decref(body);
        return 0;
    }
    struct dbf_user user;
    enum dbf_store_status st = dbf_store_login(app->store, name, password, &user);
    json_decref(body);
    if (st == DBF_STORE_NOT_FOUND) {
        enum dbf_store_status counted = dbf_store_login_failure(app->store, name_key);
        if (counted == DBF_STORE_OK)
            counted = dbf_store_login_failure(app->store, addr_key);
        if (counted != DBF_STORE_OK) {
            respond_store_error(app, req, counted);
            return 0;
        }
        log_event("signin_failed",
                  json_pack("{s:s,s:s}", "user", name_key + 5, "remote", request_peer(req)));
        respond_error(req, 401, "unauthorized", "wrong user name or password");
        return 0;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    st = dbf_store_login_forget(app->store, name_key);
    struct dbf_team *teams = NULL;
    size_t count = 0;
    if (st == DBF_STORE_OK)
        st = dbf_store_user_teams(app->store, user.id, &teams, &count);
    /* A new session at every sign-in, whatever cookie came with it, so an
     * id planted before the sign-in never becomes a signed-in one. */
    char session[DBF_STORE_SECRET_LEN + 1];
    if (st == DBF_STORE_OK)
        st = dbf_store_session_new(app->store, user.id, app->config.session_seconds, session);
    if (st != DBF_STORE_OK) {
        free(teams);
        respond_store_error(app, req, st);
        return 0;
    }
    char csrf[65];
    auth_csrf_token(session, csrf);
    set_session_cookie(app, req, session);
    sodium_memzero(session, sizeof session);
    log_event("signin", json_pack("{s:s,s:s}", "user", user.name, "remote", request_peer(req)));
    respond_session(req, 200, &user, teams, count, csrf);
    free(teams);
    return 0;
}

int api_session_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    respond_session(req, 200, &auth.user, auth.teams, auth.team_count, auth.csrf);
    return 0;
}

int api_session_delete(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    if (auth.by_cookie) {
        enum dbf_store_status st =
            dbf_store_session_end(app->store, request_cookie(req, SESSION_COOKIE));
        if (st != DBF_STORE_OK && st != DBF_STORE_NOT_FOUND) {
            respond_store_error(app, req, st);
            return 0;
        }
        set_session_cookie(app, req, NULL);
    }
    req->res.status = 204;
    req->res.reason = "No Content";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("no-store"));
    h2o_send_inline(req, "", 0);
    return 0;
}

int api_test_clock(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    if (!app->config.test_clock) {
        respond_error(req, 404, "not_found", "no such route");
        return 0;
    }
    struct auth auth;
    if (!auth_begin(app, req, AUTH_ADMIN, &auth))
        return 0;
    static const char *const fields[] = {"advance_seconds", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    long seconds;
    const long year = 366L * 86400;
    bool ok = request_int(req, body, "advance_seconds", true, -100 * year, 100 * year, 0, &seconds);
    json_decref(body);
    if (!ok)
        return 0;
    app->clock_offset += seconds;
    dbf_store_set_clock_offset(app->store, app->clock_offset);
    log_event("test_clock", json_pack("{s:I}", "offset_seconds", (json_int_t)app->clock_offset));
    respond_json(req, 200,
                 json_pack("{s:o,s:I}", "now", json_time(dbf_store_now(app->store)),
                           "offset_seconds", (json_int_t)app->clock_offset));
    return 0;
}

int api_setup(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    json_t *body;
    const char *name, *password;
    if (!read_credentials(req, &body, &name, &password))
        return 0;
    if (strlen(password) < PASSWORD_MIN) {
        json_decref(body);
        respond_error(req, 400, "bad_request", "the password must be 8 to 1024 bytes long");
        return 0;
    }
    int64_t id;
    enum dbf_store_status st = dbf_store_user_add_first(app->store, name, password, &id);
    if (st == DBF_STORE_CONFLICT) {
        json_decref(body);
        respond_error(req, 409, "conflict",
                      "the server is set up already: an admin must add users");
        return 0;
    }
    if (st != DBF_STORE_OK) {
        json_decref(body);
        respond_store_error(app, req, st);
        return 0;
    }
    struct dbf_user user;
    st = dbf_store_user_by_id(app->store, id, &user);
    json_decref(body);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    log_event("setup", json_pack("{s:s,s:s}", "user", user.name, "remote", request_peer(req)));
    respond_json(req, 201, json_pack("{s:o}", "user", user_json(&user, NULL, 0)));
    return 0;
}
