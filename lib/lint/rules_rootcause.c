/* rules_rootcause.c: the rootcause rules. */
#include "rules.h"

/* rootcause/human-error: the analysis stops at human error. */
void dbf__check_rootcause_human_error(struct dbf__lint *lint)
{
    (void)lint;
}

/* rootcause/shallow: the root cause analysis is not deep enough. */
void dbf__check_rootcause_shallow(struct dbf__lint *lint)
{
    (void)lint;
}

/* rootcause/bullets-not-numbers: the whys are bullets, not numbers. */
void dbf__check_rootcause_bullets_not_numbers(struct dbf__lint *lint)
{
    (void)lint;
}

/* rootcause/single-cause: one cause and no contributing factors. */
void dbf__check_rootcause_single_cause(struct dbf__lint *lint)
{
    (void)lint;
}

/* rootcause/unnumbered-branches: why branches are not numbered 1.x, 2.x. */
void dbf__check_rootcause_unnumbered_branches(struct dbf__lint *lint)
{
    (void)lint;
}
