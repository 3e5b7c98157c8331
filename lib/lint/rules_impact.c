/* rules_impact.c: the impact rules. */
#include "rules.h"

/* impact/vague: impact given with vague words and no figure. */
void dbf__check_impact_vague(struct dbf__lint *lint)
{
    (void)lint;
}

/* impact/unquantified: the impact is never given as a number with a unit. */
void dbf__check_impact_unquantified(struct dbf__lint *lint)
{
    (void)lint;
}

/* impact/no-duration: the impact has no duration. */
void dbf__check_impact_no_duration(struct dbf__lint *lint)
{
    (void)lint;
}

/* impact/duration-mismatch: a stated duration disagrees with the timeline. */
void dbf__check_impact_duration_mismatch(struct dbf__lint *lint)
{
    (void)lint;
}
