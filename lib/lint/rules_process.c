/* rules_process.c: the process rules. */
#include "rules.h"

/* process/late-draft: the draft started more than a day after the incident. */
void dbf__check_process_late_draft(struct dbf__lint *lint)
{
    (void)lint;
}

/* process/late-completion: not published two weeks after the incident. */
void dbf__check_process_late_completion(struct dbf__lint *lint)
{
    (void)lint;
}

/* process/short-review: published after less than a day in review. */
void dbf__check_process_short_review(struct dbf__lint *lint)
{
    (void)lint;
}

/* process/no-reviewer: no reviewer, or one from the owner team. */
void dbf__check_process_no_reviewer(struct dbf__lint *lint)
{
    (void)lint;
}

/* process/security-not-restricted: a security incident that is not restricted. */
void dbf__check_process_security_not_restricted(struct dbf__lint *lint)
{
    (void)lint;
}

/* process/no-owner: no team owns fixing the root cause. */
void dbf__check_process_no_owner(struct dbf__lint *lint)
{
    (void)lint;
}

/* process/sensitive-data: secrets, e-mail or IP addresses or internal host names in a shared post mortem. */
void dbf__check_process_sensitive_data(struct dbf__lint *lint)
{
    (void)lint;
}
