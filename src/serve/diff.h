/* diff.h: line differences between two revisions.
 *
 * Myers' O(ND) algorithm on the lines left once the common head and tail
 * are set aside, with a bound on its work: past the bound the rest of the
 * changed region is reported as removed then added, which is still a true
 * diff (applying it gives the new text), only not the shortest one. So a
 * huge or wholly rewritten document cannot stall the server. */
#ifndef DEBRIEF_SERVE_DIFF_H
#define DEBRIEF_SERVE_DIFF_H

#include "debrief/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* The default bound on the work of one diff: line comparisons and edit
 * steps together. */
#define DIFF_DEFAULT_WORK ((size_t)8 * 1000 * 1000)

struct diff_line {
    char op;          /* ' ' same, '-' only in the old text, '+' only in the new */
    size_t old_no;    /* 1-based line in the old text; 0 for '+' */
    size_t new_no;    /* 1-based line in the new text; 0 for '-' */
    const char *text; /* into the old or new text, without its newline */
    size_t len;
};

struct diff {
    struct diff_line *lines; /* every line of both texts, in order */
    size_t count;
    bool approximate; /* the work bound was reached: not the shortest diff */
};

/* Compares the lines of OLD (OLD_LEN bytes) and NEW. Lines end at '\n'; a
 * last line without one differs from the same line with one. OUT points
 * into both texts, which must outlive it. MAX_WORK bounds the work (0 for
 * DIFF_DEFAULT_WORK). Returns false only when memory runs out. */
bool diff_lines(const char *old, size_t old_len, const char *new_text, size_t new_len,
                size_t max_work, struct diff *out);
void diff_release(struct diff *diff);

/* How many lines DIFF adds and removes. */
void diff_count(const struct diff *diff, size_t *added, size_t *removed);

/* Appends DIFF to OUT in unified format with CONTEXT lines around each
 * change, under the headers "--- OLD_LABEL" and "+++ NEW_LABEL"; nothing at
 * all when the texts are the same. */
void diff_unified(const struct diff *diff, size_t context, const char *old_label,
                  const char *new_label, struct dbf_buf *out);

#endif
