/* corpus.h: what the corpus tests share: the post mortems of a folder, and
 * two reviews of one compared. */
#ifndef DBF_TESTS_CORPUS_H
#define DBF_TESTS_CORPUS_H

#include "debrief/debrief.h"

#include <stdbool.h>

/* Calls FN(PATH, CTX) for each *.md file directly under DIR, in the order
 * readdir() gives them; false, and FN never called, when DIR cannot be
 * opened. */
bool corpus_each_md(const char *dir, void (*fn)(const char *path, void *ctx), void *ctx);

/* Are A and B, two reviews of PATH, the same: the same score and, finding
 * for finding, the same rule, position, severity and message? When they
 * are not, prints PATH, their scores and counts, and the first finding
 * that differs, calling them A_NAME and B_NAME. A NULL review is the same
 * only as another NULL one. */
bool corpus_same_review(const char *path, const char *a_name, const struct dbf_review *a,
                        const char *b_name, const struct dbf_review *b);

#endif
