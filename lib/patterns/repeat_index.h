/* repeat_index.h: the earlier action items that may be alike enough to a
 * later one, found without comparing every pair.
 *
 * Two word sets with a Jaccard index of at least T share at least T times
 * the size of either; so, with the words of every set put in one order
 * (rarest first), they share a word among the first few of each (the
 * "prefix filter"). Only sets sharing such a word are compared, exactly,
 * with dbf__word_set_similarity. Sets met again are kept once, under the
 * first item that had them: an equal set later on never scores better. */
#ifndef DBF_PATTERNS_REPEAT_INDEX_H
#define DBF_PATTERNS_REPEAT_INDEX_H

#include "repeats.h"

#include <stdbool.h>
#include <stddef.h>

struct dbf__repeat_index;

/* An index for similarities of at least THRESHOLD (above 0); NULL when
 * memory runs out. */
struct dbf__repeat_index *dbf__repeat_index_new(double threshold);
void dbf__repeat_index_free(struct dbf__repeat_index *ix);

/* Counts the words of SET, which may later be added or looked up. Every
 * set is counted before the first add or lookup; false when memory runs
 * out. */
bool dbf__repeat_index_count(struct dbf__repeat_index *ix, const struct dbf__word_set *set);

/* Adds SET (counted before, and kept alive by the caller until the index
 * is freed) as item ID; IDs are added in increasing order. False when
 * memory runs out. */
bool dbf__repeat_index_add(struct dbf__repeat_index *ix, const struct dbf__word_set *set,
                           size_t id);

/* The added item most alike to SET with a similarity of at least the
 * threshold, the first added among equals: true with *ID and *SIMILARITY
 * set, false when there is none (or memory runs out, with *FAILED set). */
bool dbf__repeat_index_best(struct dbf__repeat_index *ix, const struct dbf__word_set *set,
                            size_t *id, double *similarity, bool *failed);

#endif
