/* rules_actions.c: the actions rules. */
#include "rules.h"

/* actions/not-numbered: action items are not numbered. */
void dbf__check_actions_not_numbered(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/investigate: an action item only investigates. */
void dbf__check_actions_investigate(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/vague: an action item has no concrete object. */
void dbf__check_actions_vague(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/no-owner: an action item has no owner. */
void dbf__check_actions_no_owner(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/team-owner: an action item is owned by a team, not a person. */
void dbf__check_actions_team_owner(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/no-deadline: an action item has no deadline. */
void dbf__check_actions_no_deadline(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/deadline-too-far: an action item's deadline is too far off. */
void dbf__check_actions_deadline_too_far(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/no-priority: an action item has no priority. */
void dbf__check_actions_no_priority(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/no-lesson-link: an action item links to no lesson, or to one that does not exist. */
void dbf__check_actions_no_lesson_link(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/boil-the-ocean: too many, too long or rewrite-everything action items. */
void dbf__check_actions_boil_the_ocean(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/overdue: an open action item is past its deadline. */
void dbf__check_actions_overdue(struct dbf__lint *lint)
{
    (void)lint;
}

/* actions/done-without-link: a closed action item links to no change. */
void dbf__check_actions_done_without_link(struct dbf__lint *lint)
{
    (void)lint;
}
