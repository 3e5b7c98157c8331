/* rules_lessons.c: the lessons rules. */
#include "rules.h"

/* lessons/not-numbered: lessons are not numbered. */
void dbf__check_lessons_not_numbered(struct dbf__lint *lint)
{
    (void)lint;
}

/* lessons/restates-action: a lesson is an action item in other words. */
void dbf__check_lessons_restates_action(struct dbf__lint *lint)
{
    (void)lint;
}

/* lessons/too-specific: a lesson is a to-do, not something learned. */
void dbf__check_lessons_too_specific(struct dbf__lint *lint)
{
    (void)lint;
}

/* lessons/unlinked: no action item addresses a lesson. */
void dbf__check_lessons_unlinked(struct dbf__lint *lint)
{
    (void)lint;
}
