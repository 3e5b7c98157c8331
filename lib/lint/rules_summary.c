/* rules_summary.c: the summary rules. */
#include "rules.h"

/* summary/missing-element: the summary lacks one of its elements. */
void dbf__check_summary_missing_element(struct dbf__lint *lint)
{
    (void)lint;
}

/* summary/too-long: the summary is longer than an elevator pitch. */
void dbf__check_summary_too_long(struct dbf__lint *lint)
{
    (void)lint;
}
