/* score.h: the quality score and the reviewer's checklist of a review. */
#ifndef DBF_SCORE_H
#define DBF_SCORE_H

#include "debrief/lint.h"

/* Fills REVIEW's score, section scores and checklist from its findings. */
void dbf__score(const struct dbf_doc *doc, struct dbf_review *review);

#endif
