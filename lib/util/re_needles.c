/* re_needles.c: the needles of many patterns in one Aho-Corasick automaton,
 * to find in one pass over a subject which of the patterns could match it.
 *
 * The automaton is a table of transitions over classes of bytes (each byte
 * a needle holds has a class, shared by its upper case and, beyond ASCII,
 * by the other such bytes; every other byte is class 1): one look-up per
 * byte of the subject, and at each state the ids of the patterns whose
 * needles end there.
 *
 * A state's row is a whole number of units of 32 entries, and a transition
 * holds the row it leads to counted in units: the next look-up's place is
 * then a shift and an add away, where a state's number would need a
 * multiplication by the row's length on every step's path. Entry 0 of a
 * row says where the ids of its state are, in the row's first cache line,
 * which the next step most often reads too. */
#include "re_literals.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ENTRY 65535 /* entries are 16-bit */
#define UNIT 32          /* entries of a unit of a row */
#define IDS_AT 0         /* the entry of a row that says where its state's ids are */
#define OTHER_CLASS 1    /* bytes no needle holds */
#define MOST_CLASSES 64  /* entries of a row at most */

struct dbf__needle_table {
    unsigned char class_of[256];
    size_t classes;   /* entries of a row: a multiple of UNIT */
    size_t states;
    size_t most_states;
    /* next[state * classes + class]: the state reached, as its row's start
     * in units (state * classes / UNIT); next[state * classes + IDS_AT]:
     * its row in `ids` (row 0 holds none) */
    uint16_t *next;
    uint64_t (*ids)[DBF__ID_WORDS];
    size_t longest;   /* the longest needle's length */
};

/* The trie is kept as lists of children, each sorted by class, states
 * numbered as they are made; the automaton's table is written once, its
 * states numbered breadth first. */
struct builder {
    struct dbf__needle_table *t;
    uint16_t *first_child;            /* of each trie state; 0: none */
    uint16_t *sibling;                /* the next child of the same parent; 0: none */
    unsigned char *class_in;          /* the class of the edge into each trie state */
    uint64_t (*ending)[DBF__ID_WORDS]; /* the ids of the needles ending at each trie state */
    uint16_t *queue;                  /* trie states, breadth first: state I of the table */
    uint16_t *fail;                   /* of each state of the table */
    uint64_t (*found)[DBF__ID_WORDS]; /* the ids ending at each state of the table */
};

static void add_id(uint64_t ids[DBF__ID_WORDS], unsigned id)
{
    ids[id / 64] |= (uint64_t)1 << (id % 64);
}

static bool any_id(const uint64_t ids[DBF__ID_WORDS])
{
    uint64_t all = 0;
    for (size_t w = 0; w < DBF__ID_WORDS; w++)
        all |= ids[w];
    return all != 0;
}

/* Gives every byte of the needles a class; false when there are none.
 * Classes go by how often prose holds their byte, the commonest first, and
 * a row has room for a multiple of 32 of them: a row's transitions on
 * letters and spaces, the ones a scan takes most, then share one cache
 * line with the entry saying where its ids are. A row has room for two
 * lines at most: the bytes of characters beyond ASCII (a dash, a check
 * mark, a currency sign) share one class, and so do the rarest ASCII bytes
 * when there are too many. A needle holding one of those stands for every
 * string its bytes' classes spell, so the table may let through a subject
 * the needle alone would not, never the other way: with rows of three lines
 * instead, the table was half as large again and the scan slower. */
static bool make_classes(struct dbf__needle_table *t, const struct dbf__literals *const *lits,
                         size_t count, size_t *bytes)
{
    static const unsigned char commonest[] = " etaoinsrhldcumfpgwybvkxjqz.,-'0123456789:/()";
    /* Entry 0, the other bytes' class and the one beyond ASCII fit with them. */
    _Static_assert(sizeof commonest - 1 + 3 <= MOST_CLASSES, "the commonest bytes fit a row");
    bool held[256] = {false};
    *bytes = 0;
    for (size_t id = 0; id < count; id++)
        for (size_t i = 0; lits[id] && i < dbf__literals_count(lits[id]); i++) {
            size_t len;
            const unsigned char *text = dbf__literals_needle(lits[id], i, &len);
            *bytes += len;
            for (size_t j = 0; j < len; j++)
                held[text[j]] = true;
        }
    memset(t->class_of, OTHER_CLASS, sizeof t->class_of);
    t->classes = OTHER_CLASS;
    for (size_t i = 0; i < sizeof commonest - 1; i++)
        if (held[commonest[i]])
            t->class_of[commonest[i]] = (unsigned char)++t->classes;
    bool wide = false;
    for (unsigned c = 0x80; c < 256; c++)
        wide |= held[c];
    unsigned char beyond_ascii = wide ? (unsigned char)++t->classes : OTHER_CLASS;
    for (unsigned c = 0; c < 0x80; c++)
        if (held[c] && t->class_of[c] == OTHER_CLASS)
            t->class_of[c] = (unsigned char)(t->classes + 1 < MOST_CLASSES ? ++t->classes
                                                                           : t->classes);
    for (unsigned c = 0x80; c < 256; c++)
        if (held[c])
            t->class_of[c] = beyond_ascii;
    for (unsigned c = 'A'; c <= 'Z'; c++)
        t->class_of[c] = t->class_of[c | 0x20];
    t->classes = (t->classes + 1 + UNIT - 1) / UNIT * UNIT;
    t->most_states = MAX_ENTRY / (t->classes / UNIT) + 1;
    return *bytes > 0;
}

/* The child of trie state STATE on CLASS, made when it is new; 0 when it
 * would need too many states. */
static size_t child_on(struct builder *b, size_t state, unsigned char class)
{
    uint16_t *link = &b->first_child[state];
    while (*link && b->class_in[*link] < class)
        link = &b->sibling[*link];
    if (*link && b->class_in[*link] == class)
        return *link;
    if (b->t->states == b->t->most_states)
        return 0;
    size_t made = b->t->states++;
    b->class_in[made] = class;
    b->sibling[made] = *link;
    *link = (uint16_t)made;
    return made;
}

/* The trie of the needles; false when it would need too many states. */
static bool make_trie(struct builder *b, const struct dbf__literals *const *lits, size_t count)
{
    struct dbf__needle_table *t = b->t;
    t->states = 1;
    for (size_t id = 0; id < count; id++)
        for (size_t i = 0; lits[id] && i < dbf__literals_count(lits[id]); i++) {
            size_t len;
            const unsigned char *text = dbf__literals_needle(lits[id], i, &len);
            size_t state = 0;
            if (len > t->longest)
                t->longest = len;
            for (size_t j = 0; j < len; j++) {
                state = child_on(b, state, t->class_of[text[j]]);
                if (state == 0)
                    return false;
            }
            add_id(b->ending[state], (unsigned)id);
        }
    return true;
}

/* Breadth first, numbering the states in the order they are met: a scan
 * of prose spends most of its steps in the shallow states, whose rows are
 * then together at the start of the table instead of spread across all of
 * it. Each state's row starts as its failure's (its longest proper suffix
 * that is a state, met earlier), its own children then written over it;
 * the ids of its failure's needles are added to its own. */
static void make_automaton(struct builder *b)
{
    struct dbf__needle_table *t = b->t;
    size_t row_bytes = t->classes * sizeof *t->next, units = t->classes / UNIT;
    size_t tail = 1;
    b->queue[0] = 0;
    b->fail[0] = 0;
    for (size_t state = 0; state < tail; state++) {
        size_t trie_state = b->queue[state];
        uint16_t *row = &t->next[state * t->classes];
        const uint16_t *fallback = &t->next[(size_t)b->fail[state] * t->classes];
        memcpy(b->found[state], b->ending[trie_state], sizeof b->found[state]);
        if (state == 0) {
            memset(row, 0, row_bytes);
        } else {
            memcpy(row, fallback, row_bytes);
            for (size_t w = 0; w < DBF__ID_WORDS; w++)
                b->found[state][w] |= b->found[b->fail[state]][w];
        }
        for (size_t child = b->first_child[trie_state]; child; child = b->sibling[child]) {
            unsigned char c = b->class_in[child];
            b->fail[tail] = state == 0 ? 0 : (uint16_t)(fallback[c] / units);
            row[c] = (uint16_t)(tail * units);
            b->queue[tail++] = (uint16_t)child;
        }
    }
}

/* Keeps the ids of the states that have some, after an empty row 0 for
 * those that have none, and says in each state's row where its ids are. */
static bool make_outputs(struct builder *b)
{
    struct dbf__needle_table *t = b->t;
    size_t rows = 1;
    for (size_t s = 0; s < t->states; s++)
        rows += any_id(b->found[s]);
    t->ids = calloc(rows, sizeof *t->ids);
    if (!t->ids || rows > MAX_ENTRY)
        return false;
    rows = 1;
    for (size_t s = 0; s < t->states; s++) {
        uint16_t *at = &t->next[s * t->classes + IDS_AT];
        *at = 0;
        if (any_id(b->found[s])) {
            memcpy(t->ids[rows], b->found[s], sizeof t->ids[rows]);
            *at = (uint16_t)rows++;
        }
    }
    return true;
}

/* The automaton of the trie B holds; false when memory runs out. */
static bool make_table(struct builder *b)
{
    struct dbf__needle_table *t = b->t;
    /* Rows of whole cache lines, each starting one. */
    t->next = aligned_alloc(64, t->states * t->classes * sizeof *t->next);
    b->queue = malloc(t->states * sizeof *b->queue);
    b->fail = malloc(t->states * sizeof *b->fail);
    b->found = malloc(t->states * sizeof *b->found);
    if (!t->next || !b->queue || !b->fail || !b->found)
        return false;
    make_automaton(b);
    return make_outputs(b);
}

static void builder_release(struct builder *b)
{
    free(b->first_child);
    free(b->sibling);
    free(b->class_in);
    free(b->ending);
    free(b->queue);
    free(b->fail);
    free(b->found);
}

struct dbf__needle_table *dbf__needle_table_make(const struct dbf__literals *const *lits,
                                                 size_t count)
{
    if (count > DBF__NEEDLE_IDS)
        count = DBF__NEEDLE_IDS;
    struct dbf__needle_table *t = calloc(1, sizeof *t);
    size_t bytes;
    if (!t || !make_classes(t, lits, count, &bytes)) {
        free(t);
        return NULL;
    }
    size_t most = bytes + 1 < t->most_states ? bytes + 1 : t->most_states;
    struct builder b = {
        .t = t,
        .first_child = calloc(most, sizeof *b.first_child),
        .sibling = malloc(most * sizeof *b.sibling),
        .class_in = malloc(most),
        .ending = calloc(most, sizeof *b.ending),
    };
    bool made = b.first_child && b.sibling && b.class_in && b.ending && make_trie(&b, lits, count) &&
                make_table(&b);
    builder_release(&b);
    if (!made) {
        dbf__needle_table_free(t);
        return NULL;
    }
    return t;
}

void dbf__needle_table_free(struct dbf__needle_table *table)
{
    if (!table)
        return;
    free(table->next);
    free(table->ids);
    free(table);
}

size_t dbf__needle_table_bytes(const struct dbf__needle_table *table)
{
    return table->states * table->classes * sizeof *table->next;
}

/* A set of ids as one value: its union with another is one instruction with
 * AVX2, two with SSE2. */
typedef uint64_t id_set __attribute__((vector_size(DBF__ID_WORDS * sizeof(uint64_t))));

/* The automaton's step from the state whose row starts at unit ROW on byte
 * C, the ids of the state reached added to ACC; returns the row it starts.
 * No branch on the ids: hits are too dense and irregular to predict. */
static inline size_t step(const struct dbf__needle_table *t, size_t row, unsigned char c,
                          id_set *acc)
{
    row = t->next[row * UNIT + t->class_of[c]];
    id_set found;
    memcpy(&found, t->ids[t->next[row * UNIT + IDS_AT]], sizeof found);
    *acc |= found;
    return row;
}

/* Streams of the scan: several when the subject is long enough that each
 * stream's part is well over a needle's length. */
#define STREAMS_MAX 4

static size_t streams_for(size_t len, size_t longest)
{
    if (len >= 6 * STREAMS_MAX * longest)
        return STREAMS_MAX;
    return len >= 48 && len >= 4 * longest ? 2 : 1;
}

/* The scan adds a state's ids to what it found at every byte: four words,
 * one instruction with AVX2. The scan is compiled twice and the loader
 * picks the one for the processor (target_clones; on a function of this
 * file alone, which Clang needs): 1% of lint's instructions, 2% of its
 * time. Not under ThreadSanitizer, whose instrumented resolver would run
 * before its runtime is up. */
#if defined(__SANITIZE_THREAD__)
#define THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define THREAD_SANITIZER 1
#endif
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(THREAD_SANITIZER)
#define FOR_AVX2_TOO __attribute__((target_clones("avx2", "default")))
#else
#define FOR_AVX2_TOO
#endif

FOR_AVX2_TOO static void scan(const struct dbf__needle_table *t, const unsigned char *s, size_t len,
                              uint64_t ids[DBF__ID_WORDS])
{
    if (dbf__has_odd_case(s, len)) {
        memset(ids, 0xff, DBF__ID_WORDS * sizeof *ids);
        return;
    }
    /* Each step waits on the table read of the step before, most often a
     * miss in the first-level cache: streams over parts of the subject keep
     * several reads in flight. A stream starts a needle's length before its
     * part, so that a needle across a cut is found whole (a needle two
     * streams find adds the same id twice), and runs to the next part; the
     * last one runs to the end. */
    size_t n = streams_for(len, t->longest), part = len / n;
    size_t from[STREAMS_MAX] = {0}, row[STREAMS_MAX] = {0};
    for (size_t k = 1; k < n; k++)
        from[k] = k * part - (t->longest - 1);
    size_t together = n > 1 ? part + t->longest - 1 : 0;
    /* The ids in a register: stores to IDS could alias the table as far as
     * C knows. */
    id_set acc;
    memcpy(&acc, ids, sizeof acc);
    if (n == STREAMS_MAX)
        for (size_t i = 0; i < together; i++)
            for (size_t k = 0; k < STREAMS_MAX; k++)
                row[k] = step(t, row[k], s[from[k] + i], &acc);
    else if (n == 2)
        for (size_t i = 0; i < together; i++) {
            row[0] = step(t, row[0], s[i], &acc);
            row[1] = step(t, row[1], s[from[1] + i], &acc);
        }
    for (size_t i = from[n - 1] + together; i < len; i++)
        row[n - 1] = step(t, row[n - 1], s[i], &acc);
    memcpy(ids, &acc, sizeof acc);
}

void dbf__needle_table_scan(const struct dbf__needle_table *t, const unsigned char *s, size_t len,
                            uint64_t ids[DBF__ID_WORDS])
{
    scan(t, s, len, ids);
}
