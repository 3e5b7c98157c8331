/* repeats.h: action items as sets of content words, for finding the same
 * fix promised twice. */
#ifndef DBF_PATTERNS_REPEATS_H
#define DBF_PATTERNS_REPEATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The content words of an action item, hashed, sorted and unique. */
struct dbf__word_set {
    uint64_t *words;
    size_t count;
};

/* Fills SET from TEXT, up to its first inline field ("owner: …"); returns
 * false when memory runs out. Release with
 * dbf__word_set_release(). */
bool dbf__word_set_of(const char *text, struct dbf__word_set *set);
void dbf__word_set_release(struct dbf__word_set *set);

/* Compiles the pattern that finds inline fields. */
bool dbf__repeats_check(char *err, size_t errlen);

/* The Jaccard index of A and B; 0 when either has fewer than two words. */
double dbf__word_set_similarity(const struct dbf__word_set *a, const struct dbf__word_set *b);

#endif
