/* rules_communication.c: the communication rules. */
#include "rules.h"

/* communication/missing: no record of what customers were told. */
void dbf__check_communication_missing(struct dbf__lint *lint)
{
    (void)lint;
}
