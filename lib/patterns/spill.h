/* spill.h: a report written out a piece at a time as it is made. */
#ifndef DBF_PATTERNS_SPILL_H
#define DBF_PATTERNS_SPILL_H

#include "debrief/buf.h"

#include <stdio.h>

/* With F (NULL: keep everything in OUT), writes what OUT holds to F and
 * empties it once it is large, so that a long report never sits whole in
 * memory; a failed write fails OUT. */
void dbf__spill(struct dbf_buf *out, FILE *f);

/* Writes the rest of OUT to F and releases OUT; false when OUT failed or
 * the write did. */
bool dbf__spill_finish(struct dbf_buf *out, FILE *f);

#endif
