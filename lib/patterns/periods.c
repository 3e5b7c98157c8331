/* periods.c: months and quarters, and the rule that makes a category recur. */
#include "debrief/patterns.h"

#include <stdio.h>

int dbf_period_of(enum dbf_period_unit unit, struct dbf_date date)
{
    return unit == DBF_PERIOD_MONTH ? date.year * 12 + date.month - 1
                                    : date.year * 4 + (date.month - 1) / 3;
}

char *dbf_period_label(enum dbf_period_unit unit, int period, char *out, size_t size)
{
    if (unit == DBF_PERIOD_MONTH)
        snprintf(out, size, "%04d-%02d", period / 12, period % 12 + 1);
    else
        snprintf(out, size, "%04d-Q%d", period / 4, period % 4 + 1);
    return out;
}

bool dbf_pattern_recurs(const size_t *counts, size_t count, long in_one_period,
                        long periods_running, bool *qualifies)
{
    bool any = false;
    for (size_t i = 0; i < count; i++)
        qualifies[i] = in_one_period > 0 && counts[i] >= (size_t)in_one_period;
    for (size_t i = 0; i < count;) {
        size_t j = i;
        while (j < count && counts[j] > 0)
            j++;
        if (j > i && periods_running > 0 && j - i >= (size_t)periods_running)
            for (size_t k = i; k < j; k++)
                qualifies[k] = true;
        i = j > i ? j : i + 1;
    }
    for (size_t i = 0; i < count; i++)
        any = any || qualifies[i];
    return any;
}
