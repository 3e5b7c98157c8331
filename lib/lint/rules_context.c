/* rules_context.c: the context rules. */
#include "rules.h"

/* context/undefined-acronym: an acronym is never expanded. */
void dbf__check_context_undefined_acronym(struct dbf__lint *lint)
{
    (void)lint;
}

/* context/no-architecture: several services and no diagram. */
void dbf__check_context_no_architecture(struct dbf__lint *lint)
{
    (void)lint;
}
