/* policy.h: the review workflow's rules: who may move a post mortem where,
 * who may approve it, who may change who sees it, and when.
 *
 * Pure functions over plain facts the handlers gather from the store: no
 * I/O, no clock of their own (NOW is given), so the same answer can be
 * shown on a page before anyone clicks. Every refusal carries reasons a
 * person can act on ("in review for 3 h; 21 h to go"); the web app shows
 * them on disabled buttons, the API in a 422's `reasons`. */
#ifndef DEBRIEF_SERVE_POLICY_H
#define DEBRIEF_SERVE_POLICY_H

#include "debrief/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_MAX_REASONS 8
#define POLICY_REASON_MAX 200

/* The server's settings the rules read (serve_config's). */
struct policy_rules {
    int64_t review_seconds; /* time in review before publishing */
    bool review_other_team; /* approvals must come from outside the owner team */
    int approvals_needed;
};

/* Who asks, as seen from one post mortem. */
struct policy_actor {
    int64_t id;
    char name[DBF_STORE_NAME_MAX + 1];
    enum dbf_role role;
    bool in_owner_team; /* a member of the post mortem's owner team */
    bool wrote_it;      /* wrote one of its revisions */
};

/* An approval as it stands now: the reviewer's role and teams may have
 * changed since it was given, and so may the owner team. */
struct policy_approval {
    int64_t reviewer;
    const char *name;
    bool reviewer_role; /* the reviewer's role is reviewer or admin */
    bool in_owner_team;
    bool wrote_it;
};

/* Where a post mortem stands. */
struct policy_state {
    enum dbf_pm_status status;
    int64_t entered; /* when it entered STATUS */
    int64_t now;
    const char *owner_team;                  /* its name, for messages */
    const struct policy_approval *approvals; /* since it last entered review */
    size_t approval_count;
    /* What process/sensitive-data finds in its newest revision when it is
     * not restricted ("line 12: …"): secrets, keys, addresses that must
     * not be published widely. */
    const char *const *sensitive;
    size_t sensitive_count;
};

enum policy_answer {
    POLICY_ALLOW,     /* go ahead */
    POLICY_FORBIDDEN, /* the actor's role or team does not allow it: 403 */
    POLICY_REFUSED,   /* the rules do not allow it now: 422 with the reasons */
};

struct policy_verdict {
    enum policy_answer answer;
    bool overridden; /* allowed only by an admin's override: log it */
    size_t reason_count;
    char reasons[POLICY_MAX_REASONS][POLICY_REASON_MAX];
};

/* May ACTOR save revisions, comment on and submit a post mortem of its
 * owner team: an author (or more) of that team, or an admin. */
bool policy_is_owner(const struct policy_actor *actor);

/* How many approvals of STATE count under RULES: distinct reviewers with
 * the reviewer role, who did not write it, from another team than the
 * owner team when RULES say so. */
int policy_valid_approvals(const struct policy_rules *rules, const struct policy_state *state);

/* Do the publishing rules (time in review, approvals, nothing sensitive in
 * a post mortem that is not restricted) allow STATE to be
 * published now, whoever asks? Fills OUT with the reasons they do not
 * (POLICY_REFUSED) or POLICY_ALLOW. */
void policy_publish_rules(const struct policy_rules *rules, const struct policy_state *state,
                          struct policy_verdict *out);

/* May ACTOR move STATE to TO? OVERRIDE is an admin's request to publish
 * despite the rules, which needs REASON (NULL or "" for none); a reopen
 * (published → draft) needs a REASON too. Fills OUT. */
void policy_transition(const struct policy_rules *rules, const struct policy_state *state,
                       const struct policy_actor *actor, enum dbf_pm_status to, bool override,
                       const char *reason, struct policy_verdict *out);

/* May ACTOR approve STATE? ALREADY is true when ACTOR approved it since it
 * entered review. Fills OUT: REFUSED when it is not in review (whoever
 * asks), else FORBIDDEN without the reviewer role, else REFUSED for an
 * author of it, a member of its owner team (when the rules say so) or a
 * second approval. */
void policy_approve(const struct policy_rules *rules, const struct policy_state *state,
                    const struct policy_actor *actor, bool already, struct policy_verdict *out);

#endif
