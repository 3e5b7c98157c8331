/* re_split.h: a pattern's alternatives, to be searched one by one (re.c):
 * each then has a prefilter of its own, so a subject is searched only for
 * the alternatives whose words it holds. */
#ifndef DBF_RE_SPLIT_H
#define DBF_RE_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

/* One alternative: a pattern of its own whose group I (1 to 9) is group
 * GROUP_OF[I] of the whole (0: none below 10), with GROUPS groups in all. */
struct dbf__re_part {
    char *pattern;
    unsigned char group_of[10];
    unsigned groups;
};

/* PATTERN's alternatives, in order, as COUNT parts in *PARTS (free with
 * dbf__re_parts_free()), at most MOST (neighbouring alternatives then share
 * a part, as in "a|b" and "c|d" for "a|b|c|d"), such that the leftmost match of any part, the
 * earlier part on a tie, is the match PATTERN has; 0 and *PARTS NULL when
 * PATTERN cannot be cut so. Two shapes are cut:
 *   - alternatives at the top: "a|b(c|d)" gives "a" and "b(c|d)";
 *   - one group of alternatives after a prefix that can match in one way
 *     only (single characters and assertions, no quantifier): "\b(a|bc)\b"
 *     gives "\b(a)\b" and "\b(bc)\b".
 * Nothing is cut that holds something whose meaning could reach across a
 * '|' (a back-reference, recursion, a condition, a branch reset, a
 * backtracking verb, a callout, a comment, \Q..\E, an option setting
 * outside a group). */
size_t dbf__re_split(const char *pattern, size_t most, struct dbf__re_part **parts);
void dbf__re_parts_free(struct dbf__re_part *parts, size_t count);

/* PATTERN with the \b that neighbouring top-level alternatives start with
 * said once before them: "\ba|\bb(c)|^d|\be|\bf" gives
 * "\b(?:a|b(c))|^d|\b(?:e|f)", the same matches and groups. PCRE2 then
 * tries those alternatives only where a word starts or ends, not at every
 * byte that could start one of them: a fifth to two thirds less time for
 * the review's patterns of that shape. NULL when no two neighbours start
 * with \b or PATTERN holds what dbf__re_split() does not cut (or memory
 * runs out); the caller frees the result. */
char *dbf__re_shared_boundary(const char *pattern);

/* PATTERN without its top-level alternatives that start with '^', as one
 * part whose group I is group GROUP_OF[I] of PATTERN: "^a(b)|(c)|^d|e"
 * gives "(c)|e" with its group 1 the whole's group 2. Without
 * PCRE2_MULTILINE those alternatives can match only at the subject's start,
 * yet PCRE2 counts the bytes they start with among those that could start a
 * match anywhere ("^\s*" makes every space one): elsewhere, the part finds
 * what PATTERN finds, sooner. False, with PART untouched, when no
 * alternative or every alternative starts with '^', or PATTERN holds what
 * dbf__re_split() does not cut (or memory runs out); the caller frees
 * PART->pattern. */
bool dbf__re_unanchored(const char *pattern, struct dbf__re_part *part);

#endif
