/* api_people.c: the user accounts: list, create, read, change role and
 * password (docs/api/people.md). Teams are in people_teams.c, tokens and
 * the audit log in people_tokens.c; the rules all of them keep in
 * people_common.c. */
#include "people.h"

#include <stdlib.h>
#include <string.h>

int api_users_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_ADMIN, &auth))
        return 0;
    struct dbf_user *users = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_list(app->store, &users, &count);
    json_t *items = json_array();
    for (size_t i = 0; i < count && st == DBF_STORE_OK; i++) {
        json_t *user = people_user_json(app, &users[i], &st);
        if (user)
            json_array_append_new(items, user);
    }
    free(users);
    if (st != DBF_STORE_OK) {
        json_decref(items);
        respond_store_error(app, req, st);
        return 0;
    }
    respond_json(req, 200, json_pack("{s:o}", "items", items));
    return 0;
}

/* Answers 400 and returns false unless PASSWORD has 8 to 1024 bytes. */
static bool password_fits(h2o_req_t *req, const char *password)
{
    if (people_password_fits(password))
        return true;
    respond_error(req, 400, "bad_request", "a password has 8 to 1024 bytes");
    return false;
}

/* The teams named by member TEAMS of a new user (absent, null or an array
 * of strings), looked up into OUT (COUNT of them, the caller frees). Answers
 * REQ and returns false when the member is malformed or names no team. */
static bool read_teams(struct serve_app *app, h2o_req_t *req, json_t *teams, struct dbf_team **out,
                       size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!teams || json_is_null(teams))
        return true;
    if (!json_is_array(teams)) {
        respond_error(req, 400, "bad_request", "'teams' is a list of team names");
        return false;
    }
    *out = calloc(json_array_size(teams) + 1, sizeof **out);
    if (!*out) {
        respond_error(req, 500, "internal", "out of memory");
        return false;
    }
    for (size_t i = 0; i < json_array_size(teams); i++) {
        const char *name = json_string_value(json_array_get(teams, i));
        if (!name) {
            respond_error(req, 400, "bad_request", "'teams' is a list of team names");
            return false;
        }
        enum dbf_store_status st = dbf_store_team_get(app->store, name, &(*out)[*count]);
        if (st == DBF_STORE_NOT_FOUND) {
            char message[128];
            snprintf(message, sizeof message, "no team '%.64s'", name);
            respond_error(req, 400, "bad_request", message);
            return false;
        }
        if (st != DBF_STORE_OK) {
            respond_store_error(app, req, st);
            return false;
        }
        (*count)++;
    }
    return true;
}

/* Answers REQ with STATUS and USER as the routes show it. */
static void respond_user(struct serve_app *app, h2o_req_t *req, int status,
                         const struct dbf_user *user)
{
    enum dbf_store_status st;
    json_t *body = people_user_json(app, user, &st);
    if (body)
        respond_json(req, status, body);
    else
        respond_store_error(app, req, st);
}

/* Makes the user BODY describes, with their teams; answers REQ. */
static void create_user(struct serve_app *app, h2o_req_t *req, const struct auth *auth,
                        json_t *body)
{
    const char *name = NULL, *password = NULL, *role_name = NULL;
    if (!request_string(req, body, "name", true, DBF_STORE_NAME_MAX, &name) ||
        !request_string(req, body, "password", true, PEOPLE_PASSWORD_MAX, &password) ||
        !request_string(req, body, "role", false, 16, &role_name) ||
        !people_name_addressable(req, name) || !password_fits(req, password))
        return;
    enum dbf_role role = DBF_ROLE_VIEWER;
    if (role_name && !dbf_role_parse(role_name, &role)) {
        respond_error(req, 400, "bad_request", "'role' is viewer, author, reviewer or admin");
        return;
    }
    struct dbf_team *teams = NULL;
    size_t team_count = 0;
    if (!read_teams(app, req, json_object_get(body, "teams"), &teams, &team_count)) {
        free(teams);
        return;
    }
    int64_t id = 0;
    enum dbf_store_status st =
        people_user_add(app, auth, name, password, role, teams, team_count, &id);
    free(teams);
    if (st == DBF_STORE_CONFLICT) {
        respond_error(req, 409, "conflict", "that user name is taken");
        return;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return;
    }
    struct dbf_user user;
    st = dbf_store_user_by_id(app->store, id, &user);
    if (st != DBF_STORE_OK)
        respond_store_error(app, req, st);
    else
        respond_user(app, req, 201, &user);
}

int api_user_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_ADMIN, &auth))
        return 0;
    static const char *const fields[] = {"name", "password", "role", "teams", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    create_user(app, req, &auth, body);
    json_decref(body);
    return 0;
}

/* The user named by path parameter "name", for an admin or that user
 * themself. Answers REQ and returns false otherwise. */
static bool target_user(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
                        const struct auth *auth, struct dbf_user *out)
{
    const char *name = request_param(req, params, "name");
    bool self = name && strcmp(name, auth->user.name) == 0;
    if (!self && !auth_has_role(auth, DBF_ROLE_ADMIN)) {
        respond_error(req, 403, "forbidden", "only an admin may see or change another user");
        return false;
    }
    enum dbf_store_status st =
        name ? dbf_store_user_get(app->store, name, out) : DBF_STORE_NOT_FOUND;
    if (st != DBF_STORE_OK) {
        people_fail(app, req, st, "user");
        return false;
    }
    return true;
}

int api_user_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct auth auth;
    struct dbf_user user;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth) ||
        !target_user(app, req, params, &auth, &user))
        return 0;
    respond_user(app, req, 200, &user);
    return 0;
}

/* Gives USER ROLE on behalf of the admin of AUTH unless USER is the last
 * admin; answers REQ and returns false when it may not or fails. */
static bool change_role(struct serve_app *app, h2o_req_t *req, const struct auth *auth,
                        struct dbf_user *user, enum dbf_role role)
{
    enum dbf_store_status st = people_set_role(app, auth, user, role);
    if (st == DBF_STORE_CONFLICT) {
        respond_error(req, 409, "conflict", "this is the last admin; make another first");
        return false;
    }
    if (st != DBF_STORE_OK) {
        people_fail(app, req, st, "user");
        return false;
    }
    return true;
}

/* Sets USER's password to PASSWORD: an admin's word suffices; anyone else
 * changes only their own and gives CURRENT. Answers REQ and returns false
 * when they may not or it fails. */
static bool change_password(struct serve_app *app, h2o_req_t *req, const struct auth *auth,
                            const struct dbf_user *user, const char *password, const char *current)
{
    bool admin = auth_has_role(auth, DBF_ROLE_ADMIN);
    if (!admin) {
        struct dbf_user checked;
        enum dbf_store_status st = current
                                       ? dbf_store_login(app->store, user->name, current, &checked)
                                       : DBF_STORE_NOT_FOUND;
        if (st == DBF_STORE_NOT_FOUND) {
            respond_error(req, 403, "forbidden",
                          "changing your password needs your current one, in current_password");
            return false;
        }
        if (st != DBF_STORE_OK) {
            respond_store_error(app, req, st);
            return false;
        }
    }
    enum dbf_store_status st = dbf_store_user_set_password(app->store, user->id, password);
    if (st != DBF_STORE_OK) {
        people_fail(app, req, st, "user");
        return false;
    }
    if (admin)
        people_audit(app, auth, "admin.user.password", user->name, NULL);
    return true;
}

int api_user_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct auth auth;
    struct dbf_user user;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth) ||
        !target_user(app, req, params, &auth, &user))
        return 0;
    static const char *const fields[] = {"role", "password", "current_password", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    const char *role_name = NULL, *password = NULL, *current = NULL;
    bool ok = request_string(req, body, "role", false, 16, &role_name) &&
              request_string(req, body, "password", false, PEOPLE_PASSWORD_MAX, &password) &&
              request_string(req, body, "current_password", false, PEOPLE_PASSWORD_MAX, &current);
    enum dbf_role role = user.role;
    if (ok && !role_name && !password) {
        respond_error(req, 400, "bad_request", "give a role or a password to change");
        ok = false;
    } else if (ok && role_name && !dbf_role_parse(role_name, &role)) {
        respond_error(req, 400, "bad_request", "'role' is viewer, author, reviewer or admin");
        ok = false;
    } else if (ok && role_name && !auth_has_role(&auth, DBF_ROLE_ADMIN)) {
        respond_error(req, 403, "forbidden", "only an admin may change a role");
        ok = false;
    }
    /* Every refusal comes before the first change: a non-admin changes no
     * role, and the password's length is checked before the role moves. */
    ok = ok && (!password || password_fits(req, password));
    ok = ok && change_role(app, req, &auth, &user, role);
    ok = ok && (!password || change_password(app, req, &auth, &user, password, current));
    json_decref(body);
    if (ok)
        respond_user(app, req, 200, &user);
    return 0;
}
