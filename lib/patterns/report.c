/* report.c: the recurring failures across post mortems. */
#include "debrief/patterns.h"

#include <stdlib.h>

struct dbf_pattern_report {
    size_t documents;
};

struct dbf_pattern_report *dbf_pattern_report_new(void)
{
    return calloc(1, sizeof(struct dbf_pattern_report));
}

void dbf_pattern_report_free(struct dbf_pattern_report *report)
{
    free(report);
}

bool dbf_pattern_report_add(struct dbf_pattern_report *report, const struct dbf_doc *doc)
{
    (void)doc;
    report->documents++;
    return true;
}
