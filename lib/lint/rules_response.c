/* rules_response.c: the response rules. */
#include "rules.h"

/* response/missing-phase: the response analysis lacks a phase. */
void dbf__check_response_missing_phase(struct dbf__lint *lint)
{
    (void)lint;
}

/* response/no-improvement: a response phase with no concrete way to cut it. */
void dbf__check_response_no_improvement(struct dbf__lint *lint)
{
    (void)lint;
}
