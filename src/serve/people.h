/* people.h: what the routes of users, teams, tokens and the audit log
 * share (docs/api/people.md).
 *
 * JSON values returned belong to the caller. */
#ifndef DEBRIEF_SERVE_PEOPLE_H
#define DEBRIEF_SERVE_PEOPLE_H

#include "serve.h"

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

/* Can NAME, a new user's or team's, be a segment of a URL? "." and ".."
 * pass the store's rule but cannot: "/api/v1/teams/.." is "/api/v1".
 * Answers 400 and returns false for them. */
bool people_name_addressable(h2o_req_t *req, const char *name);

/* Answers REQ for a store failure ST about THING ("user", "team"): 404
 * "no such THING" for NOT_FOUND, else respond_store_error. */
void people_fail(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st,
                 const char *thing);

#endif
