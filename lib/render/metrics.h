/* metrics.h: the pieces the metric file readers share (see charts.h for the
 * formats they read). */
#ifndef DBF_METRICS_H
#define DBF_METRICS_H

#include "charts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dbf__cell { DBF__CELL_VALUE, DBF__CELL_BLANK, DBF__CELL_BAD };

/* The number in the LEN bytes at S (spaces around it allowed, a trailing
 * '%' ignored), read the same whatever the locale. BLANK for an empty cell,
 * NaN, null or an infinity: a point that is not there. */
enum dbf__cell dbf__metric_number(const char *s, size_t len, double *out);

/* The time in the LEN bytes at S as UTC seconds (fractions dropped): ISO
 * 8601 dates and times with Z, an offset or none (UTC), or epoch seconds,
 * milliseconds, microseconds or nanoseconds. */
bool dbf__metric_time(const char *s, size_t len, int64_t *out);

/* Adds an empty series named by the LEN bytes at NAME; NULL when memory
 * runs out. */
struct dbf__series *dbf__metric_data_add_series(struct dbf__metric_data *data, const char *name,
                                                size_t len);

/* Appends a point; false when memory runs out. */
bool dbf__series_push(struct dbf__series *s, int64_t t, double v);

/* Sorts each series by time when it is not in order and sets the span. */
bool dbf__metric_data_finish(struct dbf__metric_data *data);

bool dbf__metrics_parse_csv(const char *text, size_t len, struct dbf__metric_data *out, char *err,
                            size_t errlen);
bool dbf__metrics_parse_prometheus(const char *text, size_t len, struct dbf__metric_data *out,
                                   char *err, size_t errlen);

#endif
