/* rules_metrics.c: the metrics rules. */
#include "rules.h"

/* metrics/none: a customer-facing incident with no graph or data. */
void dbf__check_metrics_none(struct dbf__lint *lint)
{
    (void)lint;
}

/* metrics/linked-not-embedded: metrics are dashboard links only. */
void dbf__check_metrics_linked_not_embedded(struct dbf__lint *lint)
{
    (void)lint;
}

/* metrics/too-many: more graphs than a reader can follow. */
void dbf__check_metrics_too_many(struct dbf__lint *lint)
{
    (void)lint;
}

/* metrics/unlabeled-axis: a graph has no unit or label. */
void dbf__check_metrics_unlabeled_axis(struct dbf__lint *lint)
{
    (void)lint;
}
