/* json.h: a review and a timeline analysis as JSON, in the shapes of
 * `debrief lint --format json` and `debrief timeline --format json`
 * (DESIGN.md §6), for the CLI and the team server alike.
 *
 * Values returned are new references owned by the caller (json_decref);
 * NULL when memory runs out. The inputs are only read. */
#ifndef DEBRIEF_JSON_H
#define DEBRIEF_JSON_H

#include "debrief/lint.h"
#include "debrief/timeline.h"

#include <jansson.h>
#include <stdbool.h>

/* REVIEW as one file of `debrief lint --format json`:
 * {"path","score","sections":{kind:score},"findings":[{"rule","severity",
 * "line","column","message"}],"checklist":[{"question","answer",
 * "findings":[{"rule","line"}]}]}, members in that order. "path" only when
 * PATH is not NULL; "checklist" only when CHECKLIST. "sections" holds the
 * scored kinds the alias table knows (never "other"). */
json_t *dbf_review_json(const struct dbf_review *review, const char *path, bool checklist);

/* ANALYSIS as `debrief timeline --format json`: each milestone's time
 * (ISO 8601 in the analysis's zone, or null), each duration's seconds (or
 * null), "gaps":[{"from","to","seconds","line"}], "zone" and "sources":
 * {milestone:{"source","line"} or null}, members in that order. */
json_t *dbf_timeline_json(const struct dbf_timeline_analysis *analysis);

#endif
