/* report.h: the output formats of `debrief lint`.
 *
 * A report is opened once, fed each file's review (or its input error) in
 * order, and closed; formats that wrap everything in one document (json,
 * sarif) write it at close. */
#ifndef DEBRIEF_REPORT_H
#define DEBRIEF_REPORT_H

#include "debrief/debrief.h"

#include <stdbool.h>
#include <stdio.h>

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB };

struct report;

/* Returns false for an unknown NAME. */
bool report_format_parse(const char *name, enum report_format *out);

struct report *report_open(enum report_format format, FILE *out, bool colour, bool checklist);
void report_file(struct report *r, const char *path, const struct dbf_review *review);
/* An input that could not be read or parsed; MESSAGE is "LINE:COL: text". */
void report_input_error(struct report *r, const char *path, const char *message);
/* Writes what remains and frees R. */
void report_close(struct report *r);

#endif
