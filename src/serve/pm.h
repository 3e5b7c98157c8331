/* pm.h: what the handlers of one post mortem share: finding it for the
 * person asking, the facts the workflow policy needs, and its JSON.
 *
 * Every route about one post mortem starts with pm_open(): it answers 404
 * for an id the asker may not see exactly as for one that does not exist,
 * before anything else is checked, so no route can be used to probe. */
#ifndef DEBRIEF_SERVE_PM_H
#define DEBRIEF_SERVE_PM_H

#include "policy.h"
#include "serve.h"

#include "debrief/ingest.h"

/* One post mortem as seen by one request. */
struct pm_view {
    struct auth auth;
    const char *slug; /* in the request's pool */
    struct dbf_postmortem pm;
    struct policy_actor actor; /* the asker, as seen from this post mortem */
};

/* Signs the asker in (401 for nobody), reads the path's id and the post
 * mortem (404 when missing or not visible, 400 for a malformed id) and
 * fills VIEW. Returns false when REQ has been answered. Release VIEW with
 * pm_view_release() after a true answer. */
bool pm_open(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
             struct pm_view *view);
void pm_view_release(struct pm_view *view);

/* What a route that only reads says about VIEW's post mortem: a new JSON
 * body (NULL when memory runs out), or NULL with *STATUS set to how the
 * store failed. *STATUS is DBF_STORE_OK on entry. */
typedef json_t *pm_reader(struct serve_app *app, const struct pm_view *view,
                          enum dbf_store_status *status);

/* The whole of a route that only reads: pm_open(), then READ's body as
 * 200, or the store's error (respond_store_error). Returns 0, as a handler
 * does. */
int pm_answer(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
              pm_reader *read);

/* Answers a change that ST tells the outcome of: STATUS with ANSWER when ST
 * is DBF_STORE_OK, else the store's error (respond_store_error). Steals
 * ANSWER either way. */
void pm_respond_stored(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st, int status,
                       json_t *answer);

/* Reads the post mortem of VIEW again (after a change). */
bool pm_reload(struct serve_app *app, h2o_req_t *req, struct pm_view *view);

/* Fills ACTOR for USER from AUTH's teams, as seen from PM; WROTE_IT from
 * its history. */
void pm_actor_of(struct serve_app *app, const struct auth *auth, const struct dbf_postmortem *pm,
                 struct policy_actor *actor);

/* Did USER write a revision of SLUG (read as VIEWER, who may see it)? */
bool pm_wrote(struct serve_app *app, int64_t viewer, const char *slug, int64_t user);

/* The server's workflow settings as the policy reads them. */
void pm_rules(const struct serve_app *app, struct policy_rules *rules);

/* The facts of VIEW's post mortem for the policy: its approvals since it
 * entered review, with each reviewer's role and teams as they are now.
 * Release with pm_state_release(). Returns false after answering REQ when
 * the store fails. */
struct pm_state {
    struct policy_state state;
    struct dbf_approval *approvals;
    size_t approval_count;
    struct policy_approval *facts;
    char **sensitive; /* what state.sensitive points to */
};
/* The facts the workflow's rules need about VIEW's post mortem (policy.h):
 * its status, approvals and, when it is in review and not restricted, what
 * process/sensitive-data finds in its newest revision. Returns false when
 * REQ has been answered (a store error). Release OUT with pm_state_release(). */
bool pm_state_load(struct serve_app *app, h2o_req_t *req, const struct pm_view *view,
                   struct pm_state *out);
void pm_state_release(struct pm_state *state);

/* The members of a list item: id, title, severity, service, tags, started,
 * owner_team, visibility, status, revision, created, updated. */
json_t *pm_summary_json(const struct dbf_postmortem *pm);

/* The approvals of STATE, each with whether it counts under RULES. */
json_t *pm_approvals_json(const struct policy_rules *rules, const struct pm_state *state);

/* {"entered","seconds_in_review","can_publish","reasons"} for ACTOR. */
json_t *pm_review_json(const struct policy_rules *rules, const struct pm_state *state,
                       const struct policy_actor *actor);

/* The findings, score and section scores of the lint of DOC, and its
 * timeline as `debrief timeline --format json` writes it, added to OBJ.
 * TODAY (seconds since the epoch) is "now" for the date rules. */
void pm_analysis_json(struct serve_app *app, const struct dbf_doc *doc, int64_t today, json_t *obj);

/* Reads MARKDOWN with dbf_ingest(); answers 400 with the parser's message
 * and returns false when it is not a post mortem. The store keeps
 * MARKDOWN byte for byte: OUT's content points at it. */
bool pm_ingest(h2o_req_t *req, const char *markdown, struct dbf_ingest *out);

/* Answers 422 {"error":{"code":"workflow","message","reasons"}} or 403 for
 * VERDICT, which is not POLICY_ALLOW. */
void pm_respond_verdict(h2o_req_t *req, const struct policy_verdict *verdict);

/* Largest Markdown accepted in a body (the parser's own limit). */
#define PM_MARKDOWN_MAX DBF_MAX_INPUT

/* Writes an admin's override of the publishing rules for VIEW's post
 * mortem, with REASON and the rules VERDICT set aside, to the audit log and
 * the server's log. */
void pm_record_override(struct serve_app *app, const struct pm_view *view, const char *reason,
                        const struct policy_verdict *verdict);

/* ---- pm_redacted.c: the redacted copy of a post mortem ---- */

/* What pm_publish_redacted() did. */
enum pm_redacted_result {
    PM_REDACTED_CREATED,      /* a new public post mortem, revision 1 */
    PM_REDACTED_UPDATED,      /* a new revision of the copy made before */
    PM_REDACTED_FORBIDDEN,    /* the asker is not an author of the owner team nor an admin */
    PM_REDACTED_INVALID,      /* the id is too long, or the text cannot be redacted */
    PM_REDACTED_TAKEN,        /* the copy's id belongs to another post mortem */
    PM_REDACTED_STORE_FAILED, /* STORE_STATUS says how */
};

struct pm_redacted {
    char slug[DBF_STORE_SLUG_MAX + 1]; /* "ID-redacted" */
    int revision;
    char message[320]; /* why, for FORBIDDEN, INVALID and TAKEN */
    enum dbf_store_status store_status;
};

/* Publishes the newest revision of VIEW's post mortem without its
 * restricted parts as the public post mortem "ID-redacted" (created, or
 * given a new revision), on behalf of VIEW's asker, and audits it. */
enum pm_redacted_result pm_publish_redacted(struct serve_app *app, const struct pm_view *view,
                                            struct pm_redacted *out);

#endif
