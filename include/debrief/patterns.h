/* patterns.h: the failures that recur across post mortems.
 *
 * Each post mortem's causes, why chains and action items are classified into
 * categories (monitoring gap, test gap, staging drift, …; DESIGN.md §3);
 * documents added one by one are counted by period, and a category that
 * recurs is named as a pattern with what it says about the system. */
#ifndef DEBRIEF_PATTERNS_H
#define DEBRIEF_PATTERNS_H

#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>

struct dbf_pattern_report;

/* An empty report. Free with dbf_pattern_report_free(). */
struct dbf_pattern_report *dbf_pattern_report_new(void);
void dbf_pattern_report_free(struct dbf_pattern_report *report);

/* Adds DOC. Returns false when memory runs out. */
bool dbf_pattern_report_add(struct dbf_pattern_report *report, const struct dbf_doc *doc);

#endif
