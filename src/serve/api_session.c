/* api_session.c: sign-in sessions, the first admin and the test clock. */
#include "signin.h"

#include <stdlib.h>
#include <string.h>

/* {"name","role","teams":[…]} of USER with TEAMS. */
static json_t *user_json(const struct dbf_user *user, const struct dbf_team *teams, size_t count)
{
    json_t *names = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(names, json_string(teams[i].name));
    return json_pack("{s:s,s:s,s:o}", "name", user->name, "role", dbf_role_name(user->role),
                     "teams", names ? names : json_array());
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
        !request_string(req, *body, "password", true, SIGNIN_PASSWORD_MAX, password)) {
        json_decref(*body);
        *body = NULL;
        return false;
    }
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
    struct signin in;
    enum signin_result result = signin_check(app, req, name, password, &in);
    json_decref(body);
    switch (result) {
    case SIGNIN_OK:
        break;
    case SIGNIN_WRONG:
        respond_error(req, 401, "unauthorized", "wrong user name or password");
        return 0;
    case SIGNIN_THROTTLED:
        respond_error(req, 429, "too_many_requests",
                      "too many failed sign-ins; wait before trying again");
        return 0;
    case SIGNIN_FAILED:
        respond_store_error(app, req, in.status);
        return 0;
    }
    struct dbf_team *teams = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_teams(app->store, in.user.id, &teams, &count);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    respond_session(req, 200, &in.user, teams, count, in.csrf);
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
        enum dbf_store_status st = signin_end(app, req);
        if (st != DBF_STORE_OK) {
            respond_store_error(app, req, st);
            return 0;
        }
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
    app->clock_offset = server_clock_move(seconds);
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
    if (strlen(password) < SIGNIN_PASSWORD_MIN) {
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
