/* pm_page.h: what the pages of one post mortem share: finding it for the
 * person asking (an HTML 404 for one they may not see, exactly as for a
 * missing one), its badges, and the post mortem page itself, which the
 * forms of the workflow and comments show again when they refuse.
 *
 * The checks are those of the JSON API (src/serve/pm.h, policy.h): the
 * same store calls, the same access, the same policy. */
#ifndef DEBRIEF_WEB_PM_PAGE_H
#define DEBRIEF_WEB_PM_PAGE_H

#include "../serve/pm.h"
#include "web.h"

/* One page about one post mortem. */
struct pm_page {
    struct page page;
    const char *slug; /* in the request's pool */
    struct dbf_postmortem pm;
    struct policy_actor actor; /* the asker, as seen from this post mortem */
};

/* Starts the page of the path's post mortem for REQ: page_begin() for a
 * signed-in user (a redirect to sign in, an HTML 403 for a bad CSRF token),
 * then the post mortem as that user may see it: an HTML 404 when it is
 * missing, not visible to them or the id is malformed. The page's title is
 * the post mortem's. Returns false when REQ has been answered; otherwise
 * end with pm_page_end() or pm_page_abandon(). */
bool pm_page_open(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
                  struct pm_page *out);
/* Answers the page with STATUS and releases it. */
void pm_page_end(struct pm_page *pp, int status);
/* Releases the page without answering. */
void pm_page_abandon(struct pm_page *pp);

/* Makes the page's title "PREFIX: the post mortem's title" (in the
 * request's pool). */
void pm_page_retitle(struct pm_page *pp, const char *prefix);

/* The HTML 404 of a post mortem, missing or not visible alike. */
void pm_page_not_found(struct serve_app *app, h2o_req_t *req);

/* Appends PM's status badge and, when it has one, its severity badge
 * (classes "badge badge-STATUS", "badge sev-N"). */
void pm_badges_html(struct dbf_buf *out, const struct dbf_postmortem *pm);
/* Appends PM's severity badge alone (nothing when it has no severity). */
void pm_severity_badge_html(struct dbf_buf *out, const struct dbf_postmortem *pm);

/* What a refused form says when the post mortem page is shown again. */
struct pm_notice {
    const char *message;        /* the refusal, in a sentence */
    const char *const *reasons; /* the policy's reasons, or NULL */
    size_t reason_count;
    const char *reason;  /* what was typed in a transition's reason field */
    const char *note;    /* … in the approval's note */
    const char *comment; /* … in the comment box */
};

/* Answers the post mortem page of PP with STATUS: revision REVISION (0 for
 * the newest) rendered as `debrief render` draws it, beside it the score
 * and findings, the workflow state with its buttons (disabled with the
 * policy's reasons), the approvals, the links to edit and history; below
 * it the comments and their form. NOTICE (may be NULL) is shown at the
 * top. Releases PP; a store failure or a missing revision answers an error
 * page instead. */
void pm_page_show(struct pm_page *pp, int revision, const struct pm_notice *notice, int status);

#endif
