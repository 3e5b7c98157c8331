/* people.h: what the routes and pages of users, teams, tokens and the
 * audit log share (docs/api/people.md).
 *
 * Invariant kept by people_set_role: there is always an admin. Nobody may
 * take the admin role from the last one.
 *
 * JSON values returned belong to the caller. */
#ifndef DEBRIEF_SERVE_PEOPLE_H
#define DEBRIEF_SERVE_PEOPLE_H

#include "serve.h"

/* A password has PEOPLE_PASSWORD_MIN to PEOPLE_PASSWORD_MAX bytes. */
#define PEOPLE_PASSWORD_MIN 8
#define PEOPLE_PASSWORD_MAX 1024

/* Does PASSWORD have an allowed length? */
bool people_password_fits(const char *password);

/* Can NAME, a new user's or team's, be a segment of a URL? "." and ".."
 * pass the store's rule but cannot: "/api/v1/teams/.." is "/api/v1". */
bool people_name_fits_url(const char *name);

/* Makes user NAME with PASSWORD and ROLE, member of the COUNT TEAMS, on
 * behalf of the admin of AUTH (audited); *ID is the new user's. CONFLICT
 * when the name is taken, INVALID (dbf_store_message says why) when the
 * store refuses the name. */
enum dbf_store_status people_user_add(struct serve_app *app, const struct auth *auth,
                                      const char *name, const char *password, enum dbf_role role,
                                      const struct dbf_team *teams, size_t count, int64_t *id);

/* Gives USER ROLE on behalf of the admin of AUTH (audited), and updates
 * USER. CONFLICT, with nothing changed, when USER is the last admin and
 * ROLE is not admin. */
enum dbf_store_status people_set_role(struct serve_app *app, const struct auth *auth,
                                      struct dbf_user *user, enum dbf_role role);

/* Records in the audit log that the user of AUTH did ACTION to TARGET, with
 * DETAIL (may be NULL). Callers never pass a password or token. A failure
 * to record is logged, not answered: the change itself is already made. */
void people_audit(struct serve_app *app, const struct auth *auth, const char *action,
                  const char *target, const char *detail);

/* USER as {"name","role","teams":[names],"created"}; NULL with *STATUS set
 * when the store cannot say USER's teams. */
json_t *people_user_json(struct serve_app *app, const struct dbf_user *user,
                         enum dbf_store_status *status);

/* TEAM as {"name","members":[names],"created"}; NULL with *STATUS set when
 * the store cannot say its members. */
json_t *people_team_json(struct serve_app *app, const struct dbf_team *team,
                         enum dbf_store_status *status);

/* people_name_fits_url, answering 400 when it does not. */
bool people_name_addressable(h2o_req_t *req, const char *name);

/* Answers REQ for a store failure ST about THING ("user", "team"): 404
 * "no such THING" for NOT_FOUND, else respond_store_error. */
void people_fail(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st,
                 const char *thing);

#endif
