/* rules_timeline.c: the timeline rules. */
#include "rules.h"

/* timeline/no-timezone: the timeline's clock times have no zone. */
void dbf__check_timeline_no_timezone(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/mixed-timezones: the timeline mixes time zones. */
void dbf__check_timeline_mixed_timezones(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/starts-at-detection: the timeline starts at the alert, not at the trigger. */
void dbf__check_timeline_starts_at_detection(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/gap: a long unexplained gap between timeline entries. */
void dbf__check_timeline_gap(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/out-of-order: a timeline entry comes before the one above it. */
void dbf__check_timeline_out_of_order(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/missing-milestone: the timeline lacks detection, escalation, mitigation or resolution. */
void dbf__check_timeline_missing_milestone(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/names-not-roles: the timeline names people instead of their roles. */
void dbf__check_timeline_names_not_roles(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/unparsable-time: a timeline entry's time cannot be read. */
void dbf__check_timeline_unparsable_time(struct dbf__lint *lint)
{
    (void)lint;
}

/* timeline/no-date: a multi-day timeline whose times carry no date. */
void dbf__check_timeline_no_date(struct dbf__lint *lint)
{
    (void)lint;
}
