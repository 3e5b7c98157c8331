/* people_teams.c: teams and their members (docs/api/people.md). Anyone
 * signed in may list the teams' names; the rest is an admin's. */
#include "people.h"

#include <stdlib.h>
#include <string.h>

int api_teams_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    struct dbf_team *teams = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_team_list(app->store, &teams, &count);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, json_pack("{s:s}", "name", teams[i].name));
    free(teams);
    respond_json(req, 200, json_pack("{s:o}", "items", items));
    return 0;
}

/* Answers REQ with STATUS and TEAM as the routes show it. */
static void respond_team(struct serve_app *app, h2o_req_t *req, int status,
                         const struct dbf_team *team)
{
    enum dbf_store_status st;
    json_t *body = people_team_json(app, team, &st);
    if (body)
        respond_json(req, status, body);
    else
        respond_store_error(app, req, st);
}

int api_team_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_ADMIN, &auth))
        return 0;
    static const char *const fields[] = {"name", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    const char *name = NULL;
    if (!request_string(req, body, "name", true, DBF_STORE_NAME_MAX, &name) ||
        !people_name_addressable(req, name)) {
        json_decref(body);
        return 0;
    }
    struct dbf_team team;
    enum dbf_store_status st = dbf_store_team_add(app->store, name, NULL);
    if (st == DBF_STORE_OK)
        st = dbf_store_team_get(app->store, name, &team);
    if (st == DBF_STORE_OK)
        people_audit(app, &auth, "admin.team.add", team.name, NULL);
    json_decref(body);
    if (st == DBF_STORE_CONFLICT)
        respond_error(req, 409, "conflict", "that team name is taken");
    else if (st != DBF_STORE_OK)
        respond_store_error(app, req, st);
    else
        respond_team(app, req, 201, &team);
    return 0;
}

/* The team named by path parameter "name"; answers REQ and returns false
 * when there is none. */
static bool target_team(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
                        struct dbf_team *out)
{
    const char *name = request_param(req, params, "name");
    enum dbf_store_status st =
        name ? dbf_store_team_get(app->store, name, out) : DBF_STORE_NOT_FOUND;
    if (st == DBF_STORE_OK)
        return true;
    people_fail(app, req, st, "team");
    return false;
}

int api_team_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct auth auth;
    struct dbf_team team;
    if (!auth_begin(app, req, AUTH_ADMIN, &auth) || !target_team(app, req, params, &team))
        return 0;
    respond_team(app, req, 200, &team);
    return 0;
}

/* Adds (MEMBER) or removes the user of the path to or from its team and
 * answers with the team. */
static int set_member(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
                      bool member)
{
    struct auth auth;
    struct dbf_team team;
    if (!auth_begin(app, req, AUTH_ADMIN, &auth) || !target_team(app, req, params, &team))
        return 0;
    const char *name = request_param(req, params, "user");
    struct dbf_user user;
    enum dbf_store_status st =
        name ? dbf_store_user_get(app->store, name, &user) : DBF_STORE_NOT_FOUND;
    if (st != DBF_STORE_OK) {
        people_fail(app, req, st, "user");
        return 0;
    }
    st = member ? dbf_store_member_add(app->store, team.id, user.id)
                : dbf_store_member_remove(app->store, team.id, user.id);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    people_audit(app, &auth, member ? "admin.member.add" : "admin.member.remove", team.name,
                 user.name);
    respond_team(app, req, 200, &team);
    return 0;
}

int api_member_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return set_member(app, req, params, true);
}

int api_member_remove(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return set_member(app, req, params, false);
}
