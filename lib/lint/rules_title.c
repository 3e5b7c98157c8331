/* rules_title.c: the title rules. */
#include "rules.h"

/* title/states-cause: the title names the mechanism, not the problem people had. */
void dbf__check_title_states_cause(struct dbf__lint *lint)
{
    (void)lint;
}

/* title/no-customer-impact: the title does not say who was affected or what they saw. */
void dbf__check_title_no_customer_impact(struct dbf__lint *lint)
{
    (void)lint;
}

/* title/missing-scope: the title gives no duration or scope. */
void dbf__check_title_missing_scope(struct dbf__lint *lint)
{
    (void)lint;
}
