/* rules_structure.c: the structure rules. */
#include "rules.h"

/* structure/missing-section: a required section is missing. */
void dbf__check_structure_missing_section(struct dbf__lint *lint)
{
    (void)lint;
}

/* structure/empty-section: a section has a heading and nothing under it. */
void dbf__check_structure_empty_section(struct dbf__lint *lint)
{
    (void)lint;
}

/* structure/placeholder: TODO, TBD or template hints are left in. */
void dbf__check_structure_placeholder(struct dbf__lint *lint)
{
    (void)lint;
}
