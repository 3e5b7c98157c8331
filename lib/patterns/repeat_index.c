/* repeat_index.c: earlier action items found by the words they share first
 * (see repeat_index.h for why that finds every item alike enough). */
#include "repeat_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct word_slot {
    uint64_t word;
    size_t sets; /* how many counted sets hold the word */
    uint32_t rank;
    bool used;
};

struct entry {
    const struct dbf__word_set *set;
    size_t id;
};

struct set_slot {
    uint64_t hash;
    size_t entry;
    bool used;
};

struct posting_list {
    size_t *entries;
    size_t count, cap;
};

struct dbf__repeat_index {
    double threshold;
    struct word_slot *words;
    size_t word_count, word_cap;
    bool ranked;
    struct posting_list *postings; /* by rank */
    struct entry *entries;
    size_t entry_count, entry_cap;
    struct set_slot *sets;
    size_t set_cap;
    size_t *seen; /* by entry: the lookup that last met it */
    size_t lookups;
    uint32_t *ranks; /* scratch: the ranks of one set */
    size_t rank_cap;
};

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

struct dbf__repeat_index *dbf__repeat_index_new(double threshold)
{
    struct dbf__repeat_index *ix = calloc(1, sizeof *ix);
    if (ix)
        ix->threshold = threshold;
    return ix;
}

void dbf__repeat_index_free(struct dbf__repeat_index *ix)
{
    if (!ix)
        return;
    if (ix->postings)
        for (size_t r = 0; r < ix->word_count; r++)
            free(ix->postings[r].entries);
    free(ix->postings);
    free(ix->words);
    free(ix->entries);
    free(ix->sets);
    free(ix->seen);
    free(ix->ranks);
    free(ix);
}

/* The slot of WORD in the table, used or the free one where it belongs. */
static struct word_slot *word_slot(struct word_slot *table, size_t cap, uint64_t word)
{
    size_t i = mix(word) & (cap - 1);
    while (table[i].used && table[i].word != word)
        i = (i + 1) & (cap - 1);
    return &table[i];
}

static bool grow_words(struct dbf__repeat_index *ix)
{
    size_t cap = ix->word_cap ? ix->word_cap * 2 : 1024;
    struct word_slot *table = calloc(cap, sizeof *table);
    if (!table)
        return false;
    for (size_t i = 0; i < ix->word_cap; i++)
        if (ix->words[i].used)
            *word_slot(table, cap, ix->words[i].word) = ix->words[i];
    free(ix->words);
    ix->words = table;
    ix->word_cap = cap;
    return true;
}

bool dbf__repeat_index_count(struct dbf__repeat_index *ix, const struct dbf__word_set *set)
{
    if (ix->ranked)
        return false;
    for (size_t i = 0; i < set->count; i++) {
        if ((ix->word_count + 1) * 2 > ix->word_cap && !grow_words(ix))
            return false;
        struct word_slot *s = word_slot(ix->words, ix->word_cap, set->words[i]);
        if (!s->used) {
            s->used = true;
            s->word = set->words[i];
            ix->word_count++;
        }
        s->sets++;
    }
    return true;
}

static int by_rarity(const void *a, const void *b)
{
    const struct word_slot *x = *(const struct word_slot *const *)a;
    const struct word_slot *y = *(const struct word_slot *const *)b;
    if (x->sets != y->sets)
        return x->sets < y->sets ? -1 : 1;
    return x->word < y->word ? -1 : x->word > y->word;
}

/* Numbers the counted words, rarest first, and makes their posting lists. */
static bool rank_words(struct dbf__repeat_index *ix)
{
    if (ix->ranked)
        return true;
    struct word_slot **order = malloc((ix->word_count + 1) * sizeof *order);
    ix->postings = calloc(ix->word_count + 1, sizeof *ix->postings);
    if (!order || !ix->postings) {
        free(order);
        return false;
    }
    size_t n = 0;
    for (size_t i = 0; i < ix->word_cap; i++)
        if (ix->words[i].used)
            order[n++] = &ix->words[i];
    qsort(order, n, sizeof *order, by_rarity);
    for (size_t r = 0; r < n; r++)
        order[r]->rank = (uint32_t)r;
    free(order);
    ix->ranked = true;
    return true;
}

static int by_rank(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The ranks of SET's words, in order, in ix->ranks; false when a word was
 * never counted or memory runs out. */
static bool ranks_of(struct dbf__repeat_index *ix, const struct dbf__word_set *set)
{
    if (!rank_words(ix) || !ix->word_cap)
        return false;
    if (set->count > ix->rank_cap) {
        uint32_t *grown = realloc(ix->ranks, set->count * sizeof *grown);
        if (!grown)
            return false;
        ix->ranks = grown;
        ix->rank_cap = set->count;
    }
    for (size_t i = 0; i < set->count; i++) {
        const struct word_slot *s = word_slot(ix->words, ix->word_cap, set->words[i]);
        if (!s->used)
            return false;
        ix->ranks[i] = s->rank;
    }
    qsort(ix->ranks, set->count, sizeof *ix->ranks, by_rank);
    return true;
}

/* How many of a set's words, rarest first, hold one that every set alike
 * enough shares: all but the fewest words the two must have in common (at
 * least the threshold times its size), plus one. That fewest is rounded
 * down, and a hair below, so that rounding can only widen the search. */
static size_t prefix_length(double threshold, size_t count)
{
    double need = threshold * (double)count - 1e-9;
    size_t overlap = need < 1 ? 1 : (size_t)need;
    return overlap > count ? 0 : count - overlap + 1;
}

static uint64_t set_hash(const struct dbf__word_set *set)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ set->count;
    for (size_t i = 0; i < set->count; i++)
        h = mix(h ^ set->words[i]) + 0x9e3779b97f4a7c15ull;
    return h;
}

static bool same_set(const struct dbf__word_set *a, const struct dbf__word_set *b)
{
    return a->count == b->count && memcmp(a->words, b->words, a->count * sizeof *a->words) == 0;
}

/* The slot holding SET (with HASH) among the added sets, or the free one
 * for it. */
static struct set_slot *set_slot(const struct dbf__repeat_index *ix, uint64_t hash,
                                 const struct dbf__word_set *set)
{
    size_t i = mix(hash) & (ix->set_cap - 1);
    while (ix->sets[i].used &&
           (ix->sets[i].hash != hash || !same_set(ix->entries[ix->sets[i].entry].set, set)))
        i = (i + 1) & (ix->set_cap - 1);
    return &ix->sets[i];
}

static bool grow_entries(struct dbf__repeat_index *ix)
{
    if (ix->entry_count < ix->entry_cap)
        return true;
    size_t cap = ix->entry_cap ? ix->entry_cap * 2 : 256;
    struct entry *entries = realloc(ix->entries, cap * sizeof *entries);
    if (!entries)
        return false;
    ix->entries = entries;
    size_t *seen = realloc(ix->seen, cap * sizeof *seen);
    if (!seen)
        return false;
    ix->seen = seen;
    ix->entry_cap = cap;
    return true;
}

static bool grow_sets(struct dbf__repeat_index *ix)
{
    if ((ix->entry_count + 1) * 2 <= ix->set_cap)
        return true;
    size_t cap = ix->set_cap ? ix->set_cap * 2 : 512;
    struct set_slot *table = calloc(cap, sizeof *table);
    if (!table)
        return false;
    for (size_t i = 0; i < ix->set_cap; i++) {
        if (!ix->sets[i].used)
            continue;
        size_t j = mix(ix->sets[i].hash) & (cap - 1);
        while (table[j].used)
            j = (j + 1) & (cap - 1);
        table[j] = ix->sets[i];
    }
    free(ix->sets);
    ix->sets = table;
    ix->set_cap = cap;
    return true;
}

static bool post(struct posting_list *list, size_t entry)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 4;
        size_t *grown = realloc(list->entries, cap * sizeof *grown);
        if (!grown)
            return false;
        list->entries = grown;
        list->cap = cap;
    }
    list->entries[list->count++] = entry;
    return true;
}

bool dbf__repeat_index_add(struct dbf__repeat_index *ix, const struct dbf__word_set *set, size_t id)
{
    if (set->count < 2)
        return true; /* alike to nothing */
    if (!grow_sets(ix))
        return false;
    uint64_t hash = set_hash(set);
    struct set_slot *slot = set_slot(ix, hash, set);
    if (slot->used)
        return true; /* the first item with these words stands for them */
    if (!ranks_of(ix, set) || !grow_entries(ix))
        return false;
    size_t e = ix->entry_count;
    size_t prefix = prefix_length(ix->threshold, set->count);
    for (size_t i = 0; i < prefix; i++)
        if (!post(&ix->postings[ix->ranks[i]], e))
            return false;
    ix->entries[e] = (struct entry){set, id};
    ix->seen[e] = 0;
    ix->entry_count++;
    *slot = (struct set_slot){hash, e, true};
    return true;
}

bool dbf__repeat_index_best(struct dbf__repeat_index *ix, const struct dbf__word_set *set,
                            size_t *id, double *similarity, bool *failed)
{
    *failed = false;
    if (set->count < 2 || !ix->entry_count)
        return false;
    if (!ranks_of(ix, set)) {
        *failed = true;
        return false;
    }
    size_t lookup = ++ix->lookups;
    double best = 0;
    size_t best_id = 0;
    size_t prefix = prefix_length(ix->threshold, set->count);
    for (size_t i = 0; i < prefix; i++) {
        const struct posting_list *list = &ix->postings[ix->ranks[i]];
        for (size_t k = 0; k < list->count; k++) {
            size_t e = list->entries[k];
            if (ix->seen[e] == lookup)
                continue;
            ix->seen[e] = lookup;
            const struct entry *en = &ix->entries[e];
            double s = dbf__word_set_similarity(set, en->set);
            if (s >= ix->threshold && (s > best || (s == best && en->id < best_id))) {
                best = s;
                best_id = en->id;
            }
        }
    }
    if (best == 0)
        return false;
    *id = best_id;
    *similarity = best;
    return true;
}
