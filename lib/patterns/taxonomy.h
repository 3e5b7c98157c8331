/* taxonomy.h: the built-in categories of failure, shared by the classifier
 * and the tests.
 *
 * Each category has cues (PCRE2 patterns, compiled once, each valid in the
 * causes, the action items or both) and vetoes: a sentence that matches a
 * veto of a category, or one of the generic vetoes ("ruled out", "not
 * caused by"), never puts a post mortem in that category. Cues may anchor
 * at the sentence's start with \G: the classifier searches from there. */
#ifndef DBF_PATTERNS_TAXONOMY_H
#define DBF_PATTERNS_TAXONOMY_H

#include "../util/re.h"
#include "debrief/patterns.h"

#include <stddef.h>

struct dbf__cue {
    struct dbf__re re;
    unsigned roles; /* enum dbf_text_role bits */
};

struct dbf__builtin_category {
    const char *id, *name, *meaning;
    struct dbf__cue *cues;
    size_t cue_count;
    struct dbf__re *vetoes;
    size_t veto_count;
};

extern struct dbf__builtin_category dbf__builtin_categories[];
extern const size_t dbf__builtin_category_count;

extern struct dbf__re dbf__generic_vetoes[];
extern const size_t dbf__generic_veto_count;

/* Compiles every pattern of the table; false with the first error in ERR. */
bool dbf__taxonomy_check(char *err, size_t errlen);
/* Compiles the classifier's own patterns (classify.c). */
bool dbf__classify_check(char *err, size_t errlen);

#endif
