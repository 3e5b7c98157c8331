/* policy.c: the review workflow's rules: who may move a post mortem where,
 * who may approve it, and when.
 *
 * A verdict starts as POLICY_ALLOW; a refusal or a prohibition only ever
 * makes it stricter (FORBIDDEN wins over REFUSED), so checks can be
 * applied in any order and every reason found is kept. */
#include "policy.h"

#include "debrief/timeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void verdict_init(struct policy_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->answer = POLICY_ALLOW;
}

__attribute__((format(printf, 3, 4))) static void
add_reason(struct policy_verdict *out, enum policy_answer answer, const char *fmt, ...)
{
    if (answer > out->answer)
        out->answer = answer;
    if (out->reason_count == POLICY_MAX_REASONS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reasons[out->reason_count++], POLICY_REASON_MAX, fmt, ap);
    va_end(ap);
}

bool policy_is_owner(const struct policy_actor *actor)
{
    return actor->id != 0 && (actor->role == DBF_ROLE_ADMIN ||
                              (actor->role >= DBF_ROLE_AUTHOR && actor->in_owner_team));
}

static bool approval_counts(const struct policy_rules *rules, const struct policy_approval *a)
{
    return a->reviewer_role && !a->wrote_it && !(rules->review_other_team && a->in_owner_team);
}

int policy_valid_approvals(const struct policy_rules *rules, const struct policy_state *state)
{
    int valid = 0;
    for (size_t i = 0; i < state->approval_count; i++) {
        const struct policy_approval *a = &state->approvals[i];
        if (!approval_counts(rules, a))
            continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = state->approvals[k].reviewer == a->reviewer &&
                   approval_counts(rules, &state->approvals[k]);
        if (!seen)
            valid++;
    }
    return valid;
}

static const char *status_phrase(enum dbf_pm_status status)
{
    switch (status) {
    case DBF_PM_DRAFT:
        return "it is a draft";
    case DBF_PM_REVIEW:
        return "it is in review";
    case DBF_PM_PUBLISHED:
        return "it is published";
    }
    return "it is in an unknown state";
}

/* Why approval A does not count, or NULL when it does. */
static const char *approval_flaw(const struct policy_rules *rules, const struct policy_approval *a)
{
    if (!a->reviewer_role)
        return "they no longer have the reviewer role";
    if (a->wrote_it)
        return "they wrote part of it";
    if (rules->review_other_team && a->in_owner_team)
        return "the approval must come from a reviewer of another team";
    return NULL;
}

void policy_publish_rules(const struct policy_rules *rules, const struct policy_state *state,
                          struct policy_verdict *out)
{
    verdict_init(out);
    if (state->status != DBF_PM_REVIEW) {
        add_reason(out, POLICY_REFUSED, "%s: %s", status_phrase(state->status),
                   state->status == DBF_PM_DRAFT ? "submit it for review first"
                                                 : "reopen it to change it");
        return;
    }
    int64_t spent = state->now - state->entered;
    if (spent < 0)
        spent = 0;
    if (spent < rules->review_seconds) {
        char done[48], left[48];
        dbf_duration_format(spent, done, sizeof done);
        dbf_duration_format(rules->review_seconds - spent, left, sizeof left);
        add_reason(out, POLICY_REFUSED, "in review for %s; %s to go", done, left);
    }
    int valid = policy_valid_approvals(rules, state);
    if (valid < rules->approvals_needed) {
        const char *whose = rules->review_other_team ? " from reviewers of another team" : "";
        char owner[DBF_STORE_NAME_MAX + 16] = "";
        if (rules->review_other_team && state->owner_team && *state->owner_team)
            snprintf(owner, sizeof owner, " than '%s'", state->owner_team);
        add_reason(out, POLICY_REFUSED, "needs %d approval%s%s%s; has %d", rules->approvals_needed,
                   rules->approvals_needed == 1 ? "" : "s", whose, *whose ? owner : "", valid);
        for (size_t i = 0; i < state->approval_count; i++) {
            const char *flaw = approval_flaw(rules, &state->approvals[i]);
            if (flaw)
                add_reason(out, POLICY_REFUSED, "the approval of %s does not count: %s",
                           state->approvals[i].name ? state->approvals[i].name : "a reviewer",
                           flaw);
        }
    }
    for (size_t i = 0; i < state->sensitive_count; i++)
        add_reason(out, POLICY_REFUSED,
                   "%.120s (process/sensitive-data): take it out, or restrict the post mortem, "
                   "before publishing it",
                   state->sensitive[i]);
}

static void owner_only(const struct policy_state *state, const struct policy_actor *actor,
                       const char *what, struct policy_verdict *out)
{
    if (!policy_is_owner(actor))
        add_reason(out, POLICY_FORBIDDEN, "only authors of the owner team '%s' and admins may %s",
                   state->owner_team ? state->owner_team : "", what);
}

static bool has_text(const char *s)
{
    if (!s)
        return false;
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    }
    return false;
}

void policy_transition(const struct policy_rules *rules, const struct policy_state *state,
                       const struct policy_actor *actor, enum dbf_pm_status to, bool override,
                       const char *reason, struct policy_verdict *out)
{
    verdict_init(out);
    if (override && actor->role != DBF_ROLE_ADMIN) {
        add_reason(out, POLICY_FORBIDDEN, "only an admin may override the publishing rules");
        return;
    }
    enum dbf_pm_status from = state->status;
    if (to == from) {
        add_reason(out, POLICY_REFUSED, "%s already", status_phrase(from));
        return;
    }
    if (override && !(from == DBF_PM_REVIEW && to == DBF_PM_PUBLISHED)) {
        add_reason(out, POLICY_REFUSED, "an override applies only to publishing from review");
        return;
    }
    if (from == DBF_PM_DRAFT && to == DBF_PM_REVIEW) {
        owner_only(state, actor, "submit it for review", out);
    } else if (from == DBF_PM_REVIEW && to == DBF_PM_DRAFT) {
        if (actor->role < DBF_ROLE_REVIEWER)
            owner_only(state, actor, "send it back to draft", out);
    } else if (from == DBF_PM_REVIEW && to == DBF_PM_PUBLISHED) {
        owner_only(state, actor, "publish it", out);
        if (out->answer == POLICY_FORBIDDEN)
            return;
        if (override && !has_text(reason)) {
            add_reason(out, POLICY_REFUSED, "an override needs a reason, which is logged");
            return;
        }
        policy_publish_rules(rules, state, out);
        if (override && out->answer == POLICY_REFUSED) {
            out->answer = POLICY_ALLOW;
            out->overridden = true;
        }
    } else if (from == DBF_PM_PUBLISHED && to == DBF_PM_DRAFT) {
        owner_only(state, actor, "reopen it", out);
        if (out->answer != POLICY_FORBIDDEN && !has_text(reason))
            add_reason(out, POLICY_REFUSED, "reopening a published post mortem needs a reason");
    } else if (from == DBF_PM_DRAFT && to == DBF_PM_PUBLISHED) {
        add_reason(out, POLICY_REFUSED, "a draft goes to review before it is published");
    } else {
        add_reason(out, POLICY_REFUSED, "%s: reopen it to draft first", status_phrase(from));
    }
}

void policy_approve(const struct policy_rules *rules, const struct policy_state *state,
                    const struct policy_actor *actor, bool already, struct policy_verdict *out)
{
    verdict_init(out);
    /* Not in review is said first, to everyone: there is nothing to
     * approve, whoever asks. */
    if (state->status != DBF_PM_REVIEW) {
        add_reason(out, POLICY_REFUSED, "%s: only a post mortem in review can be approved",
                   status_phrase(state->status));
        return;
    }
    if (actor->id == 0 || actor->role < DBF_ROLE_REVIEWER) {
        add_reason(out, POLICY_FORBIDDEN, "approving needs the reviewer role");
        return;
    }
    if (actor->wrote_it)
        add_reason(out, POLICY_REFUSED,
                   "you wrote part of it: the approval must come from someone else");
    if (rules->review_other_team && actor->in_owner_team)
        add_reason(out, POLICY_REFUSED,
                   "the approval must come from a reviewer of another team than '%s'",
                   state->owner_team ? state->owner_team : "");
    if (already)
        add_reason(out, POLICY_REFUSED, "you already approved it since it entered review");
}
