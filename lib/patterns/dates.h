/* dates.h: a post mortem's date from an analysis already made. */
#ifndef DBF_PATTERNS_DATES_H
#define DBF_PATTERNS_DATES_H

#include "debrief/patterns.h"
#include "debrief/timeline.h"

/* As dbf_pattern_doc_date, with DOC's timeline ANALYSIS (may be NULL). */
enum dbf_date_source dbf__pattern_doc_date(const struct dbf_doc *doc,
                                           const struct dbf_timeline_analysis *analysis,
                                           struct dbf_date *out);

#endif
