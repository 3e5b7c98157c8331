/* rules_language.c: the language rules. */
#include "rules.h"

/* language/blame: wording blames or shames people. */
void dbf__check_language_blame(struct dbf__lint *lint)
{
    (void)lint;
}

/* language/counterfactual: counterfactual wording explains nothing. */
void dbf__check_language_counterfactual(struct dbf__lint *lint)
{
    (void)lint;
}
