/* re.c: compile-once PCRE2 patterns with a per-thread match block, and the
 * prefilter that answers subjects which cannot match: a scan for one
 * pattern's needles (re_literals.c), or, for a subject in memory the caller
 * froze, one pass for the needles of every pattern (re_needles.c) whose
 * answer is kept for the subject's later searches. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "re.h"
#include "arena.h"
#include "re_literals.h"
#include "re_split.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;

/* Alternatives searched apart, at most, per pattern: each is a pattern of
 * its own in the needle tables. */
#define MOST_PARTS 6
static atomic_bool prefilter_off;

/* Bytes from which a subject counts as large: see dbf__re_search(). 512 to
 * 2,048 measured within 0.1% of each other. */
#define LARGE_SUBJECT 2048

/* Patterns with needles, by id; ids are handed out as patterns compile. */
static const struct dbf__literals *with_id[DBF__NEEDLE_IDS];
static atomic_size_t id_count;

/* A needle table of the patterns with ids below COUNT, shared by the
 * threads using it (REFS) and freed by the last of them once a newer one
 * has replaced it. */
struct snapshot {
    struct dbf__needle_table *table;
    size_t count;
    size_t refs;
};

static pthread_mutex_t snapshot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *newest;

/* Bytes that patterns the newest table does not know have scanned for
 * their own needles since it was made. A table is made again once these
 * scans have cost a fair part of what making it does, which grows with the
 * table: an eighth of the bytes of its transitions, 64 KiB at least (a
 * pattern's own scan costs ~20 instructions a byte; the review's table,
 * ~2 MiB, takes ~2 ms to make). A fixed 64 KiB made it four times over in
 * a lint process's first documents, twice for the last 50 patterns. */
static atomic_size_t stale_bytes;
#define STALE_BYTES_LEAST ((size_t)64 << 10)

static size_t stale_bytes_most(const struct snapshot *s)
{
    size_t eighth = dbf__needle_table_bytes(s->table) / 8;
    return eighth > STALE_BYTES_LEAST ? eighth : STALE_BYTES_LEAST;
}

/* What one pass over a subject found: the ids of the patterns that could
 * match it. Valid while GENERATION is the thread's. */
struct summary {
    const char *start;
    size_t len;
    unsigned generation;
    uint64_t ids[DBF__ID_WORDS];
};

struct frozen {
    uintptr_t from, to;
};

/* Each thread's match block, frozen memory and summaries, freed when the
 * thread ends. */
struct thread_state {
    pcre2_match_data *match;
    struct snapshot *snapshot; /* taken at dbf__re_frozen_begin() */
    unsigned known;            /* the patterns SNAPSHOT knows: ids 1 to KNOWN */
    struct frozen *frozen;
    size_t frozen_count, frozen_cap;
    struct summary *summaries; /* open addressing by subject */
    size_t summary_cap, summary_count;
    unsigned generation;
    size_t summary_ids; /* the patterns the summaries know of */
    /* The subject searched last and its summary: rules search one subject
     * with several patterns in a row. */
    const char *last_subject;
    size_t last_len, last_offset;
    const uint64_t *last_ids;
    unsigned long long serial; /* the arena the summaries are of; 0: none */
};

static pthread_once_t state_once = PTHREAD_ONCE_INIT;
static pthread_key_t state_key;
static _Thread_local struct thread_state *thread_state;

static void snapshot_drop(struct snapshot *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&snapshot_lock);
    bool unused = --s->refs == 0 && s != newest;
    pthread_mutex_unlock(&snapshot_lock);
    if (unused) {
        dbf__needle_table_free(s->table);
        free(s);
    }
}

/* The newest needle table, made again first when patterns have compiled
 * since; NULL when memory runs out or no pattern has needles. */
static struct snapshot *snapshot_take(void)
{
    size_t count = atomic_load(&id_count);
    pthread_mutex_lock(&snapshot_lock);
    /* Patterns compile as they are first used: the table is made again when
     * a quarter more have, or some have and their own scans have cost as
     * much as making it; until then the newer ones scan for their own
     * needles. */
    if (count && (!newest || (newest->count != count &&
                              (count >= newest->count + newest->count / 4 + 8 ||
                               atomic_load(&stale_bytes) >= stale_bytes_most(newest))))) {
        atomic_store(&stale_bytes, 0);
        struct snapshot *made = calloc(1, sizeof *made);
        if (made)
            made->table = dbf__needle_table_make(with_id, count);
        if (made && made->table) {
            made->count = count;
            if (newest && newest->refs == 0) {
                dbf__needle_table_free(newest->table);
                free(newest);
            }
            newest = made;
        } else {
            free(made);
        }
    }
    struct snapshot *s = newest;
    if (s)
        s->refs++;
    pthread_mutex_unlock(&snapshot_lock);
    return s;
}

static void state_free(void *arg)
{
    struct thread_state *state = arg;
    pcre2_match_data_free(state->match);
    snapshot_drop(state->snapshot);
    free(state->frozen);
    free(state->summaries);
    free(state);
}

static void state_key_make(void)
{
    pthread_key_create(&state_key, state_free);
}

/* This thread's state, made on first use; NULL when memory runs out. */
static struct thread_state *state_of_thread(void)
{
    if (thread_state)
        return thread_state;
    pthread_once(&state_once, state_key_make);
    struct thread_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    state->match = pcre2_match_data_create(10, NULL);
    if (!state->match) {
        free(state);
        return NULL;
    }
    pthread_setspecific(state_key, state);
    thread_state = state;
    return state;
}

static void error_text(const struct dbf__re *re, int code, PCRE2_SIZE offset, char *err,
                       size_t errlen)
{
    if (!err)
        return;
    PCRE2_UCHAR msg[200];
    pcre2_get_error_message(code, msg, sizeof msg);
    snprintf(err, errlen, "'%s' at %zu: %s", re->pattern, (size_t)offset, (char *)msg);
}

static uint32_t group_count(const pcre2_code *code)
{
    uint32_t n = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
    return n;
}

/* How many bytes PCRE2 knows a match of CODE can start with, and looks
 * for before trying the pattern: 256 when it knows nothing of them. */
static int start_bytes(const pcre2_code *code)
{
    uint32_t type = 0;
    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 1)
        return 1;
    const uint8_t *bitmap = NULL;
    if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) != 0 || !bitmap)
        return 256;
    int bytes = 0;
    for (size_t i = 0; i < 32; i++)
        bytes += __builtin_popcount(bitmap[i]);
    return bytes;
}

/* Does every match of CODE start with one of at most four bytes? */
static bool starts_with_few_bytes(const pcre2_code *code)
{
    return start_bytes(code) <= 4;
}

/* PCRE2's code for RE's pattern, in the form dbf__re_shared_boundary()
 * gives where it has one (the same matches, found sooner); NULL when the
 * pattern does not compile. */
static pcre2_code *code_of(const struct dbf__re *re, int *code, PCRE2_SIZE *offset)
{
    uint32_t options = re->options | PCRE2_UTF | PCRE2_NO_UTF_CHECK;
    char *shared = re->options & PCRE2_EXTENDED ? NULL : dbf__re_shared_boundary(re->pattern);
    pcre2_code *c = shared ? pcre2_compile((PCRE2_SPTR)shared, PCRE2_ZERO_TERMINATED, options, code,
                                           offset, NULL)
                           : NULL;
    free(shared);
    return c ? c
             : pcre2_compile((PCRE2_SPTR)re->pattern, PCRE2_ZERO_TERMINATED, options, code, offset,
                             NULL);
}

/* Frees RE's two searches (split_at_start()). */
static void halves_free(struct dbf__re *re)
{
    struct dbf__re *halves[] = {re->at_start, re->elsewhere};
    for (size_t i = 0; i < 2; i++) {
        if (!halves[i])
            continue;
        pcre2_code_free(halves[i]->code);
        pcre2_code_free(atomic_load(&halves[i]->jitted));
    }
    if (re->elsewhere)
        free((void *)(uintptr_t)re->elsewhere->pattern);
    free(re->at_start);
    free(re->elsewhere);
    re->at_start = re->elsewhere = NULL;
}

/* Gives RE (compiled to WHOLE) its two searches when some of its
 * alternatives start with '^' and some do not (dbf__re_unanchored()): from
 * a subject's start, RE anchored there, which finds what RE finds at the
 * start, else its other alternatives, which find what it finds elsewhere.
 * Made where the others start with at most two thirds of the bytes the
 * whole can start with: PCRE2 then tries the pattern at fewer places, and
 * that pays for a second run at the start. Of the review's ten patterns of
 * that shape, the three above it (79 to 96%) cost more split than whole.
 * Left unset otherwise, or when the others do not compile with the groups
 * expected: RE is then searched whole. */
static void split_at_start(struct dbf__re *re, const pcre2_code *whole)
{
    if (re->options & ~(uint32_t)(PCRE2_CASELESS | PCRE2_DOTALL))
        return;
    struct dbf__re_part rest;
    if (!dbf__re_unanchored(re->pattern, &rest))
        return;
    re->at_start = calloc(1, sizeof *re->at_start);
    re->elsewhere = calloc(1, sizeof *re->elsewhere);
    if (!re->at_start || !re->elsewhere) {
        free(rest.pattern);
        halves_free(re);
        return;
    }
    int code;
    PCRE2_SIZE offset;
    re->elsewhere->pattern = rest.pattern;
    re->elsewhere->options = re->options;
    re->elsewhere->group_of[0] = 1; /* its groups are mapped */
    for (unsigned g = 1; g < 10; g++) {
        unsigned of = rest.group_of[g]; /* the group of RE */
        re->elsewhere->group_of[g] = re->group_of[0] && of ? re->group_of[of] : of;
    }
    re->elsewhere->code = code_of(re->elsewhere, &code, &offset);
    if (!re->elsewhere->code || group_count(re->elsewhere->code) != rest.groups ||
        3 * start_bytes(re->elsewhere->code) > 2 * start_bytes(whole)) {
        halves_free(re);
        return;
    }
    re->at_start->pattern = re->pattern;
    re->at_start->options = re->options | PCRE2_ANCHORED;
    memcpy(re->at_start->group_of, re->group_of, sizeof re->group_of);
    re->at_start->code = code_of(re->at_start, &code, &offset);
    if (!re->at_start->code)
        halves_free(re);
}

/* Compiles RE (under compile_lock) for matching on its own, with its
 * needles; NULL when it does not compile. */
static pcre2_code *compile_part(struct dbf__re *re, int *code, PCRE2_SIZE *offset)
{
    pcre2_code *c = code_of(re, code, offset);
    if (!c)
        return NULL;
    split_at_start(re, c);
    re->quick_start = starts_with_few_bytes(c);
    uint32_t options = 0;
    pcre2_pattern_info(c, PCRE2_INFO_ALLOPTIONS, &options);
    re->anchored = options & PCRE2_ANCHORED;
    /* Extended mode, or options the reader does not know: no prefilter. */
    if ((re->options & ~(uint32_t)(PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_DOTALL)) == 0)
        re->literals = dbf__literals_of(re->pattern);
    return c;
}

/* Sets of ids, as summaries hold them: id I (from 1, as dbf__re.id) is bit
 * (I - 1) % 64 of word (I - 1) / 64. */
static void add_id(uint64_t *ids, unsigned id)
{
    ids[(id - 1) / 64] |= (uint64_t)1 << ((id - 1) % 64);
}

static bool holds_id(const uint64_t *ids, unsigned id)
{
    return ids[(id - 1) / 64] >> ((id - 1) % 64) & 1;
}

/* Do the sets A and B share an id? */
static bool share_an_id(const uint64_t *a, const uint64_t *b)
{
    uint64_t shared = 0;
    for (size_t w = 0; w < DBF__ID_WORDS; w++)
        shared |= a[w] & b[w];
    return shared != 0;
}

/* Gives RE's needles (if it has some) an id in the needle tables, and
 * their second needles (dbf__literals_also()) the next one while the ids
 * are less than 7/8 taken, so that the patterns compiled last still get ids
 * of their own: some 50 of the review's ~215 patterns have second needles,
 * and a sixth word of ids would cost the scan more than the second needles
 * save. A pattern's two ids are in a table or neither. */
static void give_id(struct dbf__re *re)
{
    size_t n = atomic_load(&id_count);
    if (!re->literals || n >= DBF__NEEDLE_IDS)
        return;
    with_id[n] = re->literals;
    re->id = (unsigned)n + 1;
    const struct dbf__literals *also = dbf__literals_also(re->literals);
    if (also && n + 2 <= DBF__NEEDLE_IDS / 8 * 7) {
        with_id[n + 1] = also;
        re->also_id = (unsigned)n + 2;
    }
    atomic_store(&id_count, n + (re->also_id ? 2 : 1));
}

static void alts_free(struct dbf__re *alts, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        pcre2_code_free(alts[i].code);
        pcre2_code_free(atomic_load(&alts[i].jitted));
        dbf__literals_free(alts[i].literals);
        halves_free(&alts[i]);
        free((void *)(uintptr_t)alts[i].pattern);
    }
    free(alts);
}

/* Gives RE (whose whole pattern compiled to WHOLE) its alternatives, when
 * it has some that compile alone with the groups expected and each has a
 * prefilter (one without would be searched on every subject: no gain). */
static bool split(struct dbf__re *re, const pcre2_code *whole)
{
    if (re->options & ~(uint32_t)(PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_DOTALL))
        return false;
    struct dbf__re_part *parts;
    size_t count = dbf__re_split(re->pattern, MOST_PARTS, &parts);
    if (count == 0)
        return false;
    struct dbf__re *alts = calloc(count, sizeof *alts);
    size_t made = 0;
    bool fit = alts != NULL;
    for (; fit && made < count; made++) {
        struct dbf__re *alt = &alts[made];
        alt->pattern = parts[made].pattern;
        parts[made].pattern = NULL;
        alt->options = re->options;
        memcpy(alt->group_of, parts[made].group_of, sizeof alt->group_of);
        alt->group_of[0] = 1; /* a part: its groups are mapped */
        int code;
        PCRE2_SIZE offset;
        alt->code = compile_part(alt, &code, &offset);
        atomic_store(&alt->ready, true);
        fit = alt->code && alt->literals && group_count(alt->code) == parts[made].groups;
    }
    uint32_t groups = 0;
    for (size_t i = 0; fit && i < count; i++)
        for (unsigned g = 1; g < 10; g++)
            groups = alts[i].group_of[g] > groups ? alts[i].group_of[g] : groups;
    dbf__re_parts_free(parts, count);
    uint32_t expected = group_count(whole);
    if (!fit || groups != (expected < 9 ? expected : 9)) {
        if (alts)
            alts_free(alts, made);
        return false;
    }
    bool every_id = true;
    for (size_t i = 0; i < count; i++) {
        give_id(&alts[i]);
        every_id &= alts[i].id != 0;
    }
    re->alt_ids = every_id ? calloc(DBF__ID_WORDS, sizeof *re->alt_ids) : NULL;
    for (size_t i = 0; re->alt_ids && i < count; i++)
        add_id(re->alt_ids, alts[i].id);
    re->alts = alts;
    re->alt_count = count;
    return true;
}

/* PCRE2's JIT costs as much to compile a pattern (~380,000 instructions on
 * average for the review's) as it saves over some dozens of matches, and
 * many patterns never reach PCRE2 (their needles answer for them) or reach
 * it once in a document's review. A pattern is matched by PCRE2's
 * interpreter until its JIT_AFTER-th run, which compiles it with the JIT.
 * Instructions, one file / 222 files: compiled with the JIT before the
 * first match, 106M / 755M; JIT_AFTER 1, 67M / 749M; 2, 58M / 752M;
 * 4, 52M / 759M; 16, 47M / 806M. */
#define JIT_AFTER 2

/* Compiles a copy of RE's code with the JIT, for run() to take once it is
 * there; the code itself is never changed, as other threads may be matching
 * with it. */
static void compile_jit(struct dbf__re *re)
{
    pcre2_code *copy = pcre2_code_copy(re->code);
    if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) == 0)
        atomic_store_explicit(&re->jitted, copy, memory_order_release);
    else
        pcre2_code_free(copy);
}

/* RE's code compiled by the JIT when this run is its JIT_AFTER-th (the
 * thread counting it compiles it, the others go on with the interpreter
 * meanwhile), else NULL. */
static const pcre2_code *jit_when_due(struct dbf__re *re)
{
    if (atomic_fetch_add_explicit(&re->runs, 1, memory_order_relaxed) != JIT_AFTER - 1)
        return NULL;
    compile_jit(re);
    return atomic_load_explicit(&re->jitted, memory_order_acquire);
}

/* Compiles RE under compile_lock (the JIT comes later: jit_when_due()). A
 * pattern searched by parts compiles whole too, for the plain search and
 * to check its parts' groups. */
static pcre2_code *compile(struct dbf__re *re, char *err, size_t errlen)
{
    if (atomic_load_explicit(&re->ready, memory_order_acquire))
        return re->code;
    pthread_mutex_lock(&compile_lock);
    if (!atomic_load_explicit(&re->ready, memory_order_relaxed)) {
        int code;
        PCRE2_SIZE offset;
        pcre2_code *c = NULL;
        if (re->by_parts) {
            c = code_of(re, &code, &offset);
            if (c && !split(re, c)) {
                pcre2_code_free(c);
                c = NULL;
            }
        }
        if (!re->alt_count) {
            c = compile_part(re, &code, &offset);
            give_id(re);
        }
        if (!c)
            error_text(re, code, offset, err, errlen);
        re->code = c;
        atomic_store_explicit(&re->ready, true, memory_order_release);
    }
    pthread_mutex_unlock(&compile_lock);
    return re->code;
}

bool dbf__re_check(struct dbf__re *re, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    return compile(re, err, errlen) != NULL;
}

void dbf__re_set_prefilter(bool on)
{
    atomic_store(&prefilter_off, !on);
}

/* Takes the newest table and forgets what was frozen; forgets the
 * summaries too unless KEEP is set and the table knows the same patterns. */
static void begin(struct thread_state *state, bool keep)
{
    snapshot_drop(state->snapshot);
    state->snapshot = snapshot_take();
    state->known = state->snapshot ? (unsigned)state->snapshot->count : 0;
    state->frozen_count = 0;
    state->last_subject = NULL;
    size_t ids = state->known;
    if (keep && ids == state->summary_ids)
        return;
    state->summary_ids = ids;
    state->summary_count = 0;
    if (++state->generation == 0) { /* wrapped: no summary may look current */
        memset(state->summaries, 0, state->summary_cap * sizeof *state->summaries);
        state->generation = 1;
    }
}

void dbf__re_frozen_begin(void)
{
    struct thread_state *state = state_of_thread();
    if (!state)
        return;
    begin(state, false);
    state->serial = 0;
}

void dbf__re_frozen_end(void)
{
    struct thread_state *state = state_of_thread();
    if (!state)
        return;
    snapshot_drop(state->snapshot);
    state->snapshot = NULL;
    state->known = 0;
    state->frozen_count = 0;
    state->last_subject = NULL;
}

void dbf__re_frozen_add(const void *start, size_t len)
{
    struct thread_state *state = state_of_thread();
    if (!state || !start || !len)
        return;
    if (state->frozen_count == state->frozen_cap) {
        size_t cap = state->frozen_cap ? state->frozen_cap * 2 : 8;
        struct frozen *grown = realloc(state->frozen, cap * sizeof *grown);
        if (!grown)
            return;
        state->frozen = grown;
        state->frozen_cap = cap;
    }
    uintptr_t from = (uintptr_t)start;
    state->frozen[state->frozen_count++] = (struct frozen){from, from + len};
}

static void freeze(void *ctx, const void *start, size_t len)
{
    (void)ctx;
    dbf__re_frozen_add(start, len);
}

void dbf__re_freeze_arenas(const struct dbf__arena *const *arenas, size_t n)
{
    struct thread_state *state = state_of_thread();
    if (!state)
        return;
    /* The same arena again: what it held then has not changed, so the
     * summaries of it stand. */
    unsigned long long serial = n == 1 ? arenas[0]->serial : 0;
    begin(state, serial && serial == state->serial);
    state->serial = serial;
    for (size_t i = 0; i < n; i++)
        dbf__arena_each(arenas[i], freeze, NULL);
}

void dbf__re_freeze_arena(const struct dbf__arena *arena)
{
    dbf__re_freeze_arenas(&arena, 1);
}

static bool is_frozen(const struct thread_state *state, const char *s, size_t len)
{
    uintptr_t from = (uintptr_t)s, to = from + len;
    for (size_t i = 0; i < state->frozen_count; i++)
        if (state->frozen[i].from <= from && to <= state->frozen[i].to)
            return true;
    return false;
}

static size_t slot_of(const char *s, size_t len, size_t cap)
{
    uint64_t h = ((uint64_t)(uintptr_t)s ^ (uint64_t)len << 40) * 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 32) & (cap - 1);
}

/* Where the summary of S[0..LEN) is in the thread's table, or the free
 * slot where it would go. The table must have slots. */
static inline struct summary *slot_for(struct thread_state *state, const char *s, size_t len)
{
    for (size_t k = slot_of(s, len, state->summary_cap);; k = (k + 1) & (state->summary_cap - 1)) {
        struct summary *at = &state->summaries[k];
        if (at->generation != state->generation || (at->start == s && at->len == len))
            return at;
    }
}

/* The summary of S[0..LEN), or NULL when there is none. */
static inline struct summary *summary_find(struct thread_state *state, const char *s, size_t len)
{
    if (!state->summary_cap)
        return NULL;
    struct summary *at = slot_for(state, s, len);
    return at->generation == state->generation ? at : NULL;
}

/* A summary for S[0..LEN), which has none yet: cleared, to fill; NULL when
 * memory runs out. */
static struct summary *summary_add(struct thread_state *state, const char *s, size_t len)
{
    if ((state->summary_count + 1) * 2 > state->summary_cap) {
        size_t cap = state->summary_cap ? state->summary_cap * 2 : 256;
        struct summary *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return NULL;
        for (size_t i = 0; i < state->summary_cap; i++) {
            struct summary *old = &state->summaries[i];
            if (old->generation != state->generation)
                continue;
            size_t k = slot_of(old->start, old->len, cap);
            while (grown[k].generation == state->generation)
                k = (k + 1) & (cap - 1);
            grown[k] = *old;
        }
        free(state->summaries);
        state->summaries = grown;
        state->last_subject = NULL;
        state->summary_cap = cap;
    }
    struct summary *made = slot_for(state, s, len);
    *made = (struct summary){.start = s, .len = len, .generation = state->generation};
    state->summary_count++;
    return made;
}

/* Which patterns of the thread's snapshot could match S[0..LEN), when it
 * lies in frozen memory (else NULL)? A subject with a summary does: only
 * those get one. */
static inline const uint64_t *ids_of(struct thread_state *state, const char *s, size_t len)
{
    struct summary *known = summary_find(state, s, len);
    if (known)
        return known->ids;
    if (!is_frozen(state, s, len))
        return NULL;
    struct summary *made = summary_add(state, s, len);
    if (!made)
        return NULL;
    dbf__needle_table_scan(state->snapshot->table, (const unsigned char *)s, len, made->ids);
    return made->ids;
}

/* Which patterns of the thread's snapshot could match SUBJECT[OFFSET..LEN),
 * when it lies in frozen memory (else NULL)? A subject is summarised whole
 * when searched from its start (loops search on from later offsets), else
 * from OFFSET. */
static inline const uint64_t *summary_of(struct thread_state *state, const char *subject,
                                         size_t len, size_t offset)
{
    if (subject == state->last_subject && len == state->last_len && offset == state->last_offset)
        return state->last_ids;
    if (!state->snapshot || atomic_load_explicit(&prefilter_off, memory_order_relaxed))
        return NULL;
    struct summary *whole = offset ? summary_find(state, subject, len) : NULL;
    const uint64_t *ids = whole ? whole->ids : ids_of(state, subject + offset, len - offset);
    if (ids) {
        state->last_subject = subject;
        state->last_len = len;
        state->last_offset = offset;
        state->last_ids = ids;
    }
    return ids;
}

/* Does IDS, a summary, hold pattern RE (in the thread's snapshot): its
 * needles, and its second needles if it has some? */
static bool holds(const uint64_t *ids, const struct dbf__re *re)
{
    return holds_id(ids, re->id) && (!re->also_id || holds_id(ids, re->also_id));
}

/* Is pattern RE in the thread's snapshot? */
static bool in_snapshot(const struct thread_state *state, const struct dbf__re *re)
{
    return re->id - 1 < state->known; /* an id of 0 (none) wraps */
}

/* Could SUBJECT[OFFSET..LEN) hold a match of RE? IDS: the subject's summary
 * (summary_of()), or NULL. */
static bool may_match(const struct thread_state *state, const struct dbf__re *re,
                      const char *subject, size_t len, size_t offset, const uint64_t *ids)
{
    if (!re->literals || atomic_load_explicit(&prefilter_off, memory_order_relaxed))
        return true;
    if (ids && in_snapshot(state, re))
        return holds(ids, re);
    if (re->id && !in_snapshot(state, re))
        atomic_fetch_add_explicit(&stale_bytes, len - offset, memory_order_relaxed);
    return dbf__literals_may_match(re->literals, (const unsigned char *)subject + offset,
                                   len - offset);
}

/* Runs PCRE2 with RE alone (RE's code compiled), its groups numbered as
 * in the pattern RE is a part of. */
static bool run_code(struct thread_state *state, struct dbf__re *re, const char *subject,
                     size_t len, size_t offset, struct dbf__match *m)
{
    pcre2_match_data *thread_match = state->match;
    /* pcre2_jit_match() skips pcre2_match()'s checks of its arguments (~120
     * instructions a call, some 240 calls a document) and never checks UTF.
     * Until the JIT's copy is there, PCRE2's interpreter matches. */
    const pcre2_code *jitted = atomic_load_explicit(&re->jitted, memory_order_acquire);
    if (!jitted)
        jitted = jit_when_due(re);
    int rc = jitted
                 ? pcre2_jit_match(jitted, (PCRE2_SPTR)subject, len, offset, 0, thread_match, NULL)
                 : pcre2_match(re->code, (PCRE2_SPTR)subject, len, offset, PCRE2_NO_UTF_CHECK,
                               thread_match, NULL);
    if (rc < 0)
        return false;
    if (m) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(thread_match);
        uint32_t pairs = pcre2_get_ovector_count(thread_match);
        m->start = ov[0];
        m->end = ov[1];
        for (uint32_t i = 1; i < 10; i++)
            m->group_start[i] = m->group_end[i] = SIZE_MAX;
        for (uint32_t own = 1; own < 10; own++) {
            unsigned i = re->group_of[0] ? re->group_of[own] : own;
            bool set = own < pairs && (rc == 0 || own < (uint32_t)rc) && ov[2 * own] != PCRE2_UNSET;
            if (set && i > 0 && i < 10) {
                m->group_start[i] = ov[2 * own];
                m->group_end[i] = ov[2 * own + 1];
            }
        }
        m->group_start[0] = m->start;
        m->group_end[0] = m->end;
    }
    return true;
}

/* Runs PCRE2 with RE alone, as its two searches when it has them (with the
 * prefilter off, whole, as the tests compare them). */
static bool run(struct thread_state *state, struct dbf__re *re, const char *subject, size_t len,
                size_t offset, struct dbf__match *m)
{
    if (!re->elsewhere || atomic_load_explicit(&prefilter_off, memory_order_relaxed))
        return run_code(state, re, subject, len, offset, m);
    if (offset == 0 && run_code(state, re->at_start, subject, len, 0, m))
        return true;
    return run_code(state, re->elsewhere, subject, len, offset, m);
}

/* Searches with RE alone where the prefilter allows. */
static bool search_part(struct thread_state *state, struct dbf__re *re, const char *subject,
                        size_t len, size_t offset, const uint64_t *ids, struct dbf__match *m)
{
    return may_match(state, re, subject, len, offset, ids) &&
           run(state, re, subject, len, offset, m);
}

bool dbf__re_search(struct dbf__re *re, const char *subject, size_t len, size_t offset,
                    struct dbf__match *m)
{
    pcre2_code *code =
        atomic_load_explicit(&re->ready, memory_order_acquire) ? re->code : compile(re, NULL, 0);
    if (!code || offset > len)
        return false;
    struct thread_state *state = state_of_thread();
    if (!state)
        return false;
    bool plain = atomic_load_explicit(&prefilter_off, memory_order_relaxed);
    /* A large subject without a summary, searched for a pattern whose matches
     * start with one of a few bytes: PCRE2's own search for those bytes
     * costs less than the summary, which few other patterns may ask for
     * (the whole source of a document). */
    if (!plain && re->quick_start && len - offset >= LARGE_SUBJECT &&
        !summary_find(state, subject, len))
        return run(state, re, subject, len, offset, m);
    /* An anchored pattern is tried at OFFSET alone, which costs PCRE2 less
     * than a pass over the rest of the subject for its needles; a caller that
     * tries it at every place a match could start would pay that pass at
     * each (a paragraph of "about about ..." for the impact figures). Only a
     * summary that is already there is asked. */
    if (re->anchored && !re->alt_count && !plain) {
        const struct summary *whole =
            re->literals && in_snapshot(state, re) ? summary_find(state, subject, len) : NULL;
        return (!whole || holds(whole->ids, re)) && run(state, re, subject, len, offset, m);
    }
    if (!re->alt_count || plain) {
        const uint64_t *ids = !plain && re->literals && in_snapshot(state, re)
                                  ? summary_of(state, subject, len, offset)
                                  : NULL;
        if (ids)
            return holds(ids, re) && run(state, re, subject, len, offset, m);
        return search_part(state, re, subject, len, offset, NULL, m);
    }
    /* One pass for the needles of every part, in frozen memory or not. */
    const uint64_t *ids = summary_of(state, subject, len, offset);
    uint64_t scanned[DBF__ID_WORDS];
    if (!ids && state->snapshot && in_snapshot(state, &re->alts[re->alt_count - 1]) &&
        !atomic_load_explicit(&prefilter_off, memory_order_relaxed)) {
        memset(scanned, 0, sizeof scanned);
        dbf__needle_table_scan(state->snapshot->table, (const unsigned char *)subject + offset,
                               len - offset, scanned);
        ids = scanned;
    }
    struct dbf__match found, best;
    bool any = false;
    for (size_t i = 0; i < re->alt_count; i++) {
        if (!search_part(state, &re->alts[i], subject, len, offset, ids, m ? &found : NULL))
            continue;
        if (!m)
            return true;
        if (!any || found.start < best.start)
            best = found;
        any = true;
        if (best.start == offset)
            break;
    }
    if (any)
        *m = best;
    return any;
}

/* Does IDS, a summary, hold none of the ids of RE's alternatives (known to
 * the thread's snapshot: the last alternative has the highest id)? Then
 * none of them can match. */
static bool no_alt_held(const struct thread_state *state, const struct dbf__re *re,
                        const uint64_t *ids)
{
    return ids && re->alt_ids && in_snapshot(state, &re->alts[re->alt_count - 1]) &&
           !share_an_id(ids, re->alt_ids);
}

/* Could SUBJECT[0..LEN) hold a match of RE (compiled)? IDS: the subject's
 * summary, or NULL. */
static bool may_match_whole(const struct thread_state *state, struct dbf__re *re,
                            const char *subject, size_t len, const uint64_t *ids)
{
    if (!re->alt_count)
        return may_match(state, re, subject, len, 0, ids);
    if (no_alt_held(state, re, ids))
        return false;
    for (size_t i = 0; i < re->alt_count; i++)
        if (may_match(state, &re->alts[i], subject, len, 0, ids))
            return true;
    return false;
}

bool dbf__re_may_match_any(struct dbf__re *const *res, size_t count, const char *subject,
                           size_t len)
{
    struct thread_state *state = state_of_thread();
    bool plain = !state || atomic_load_explicit(&prefilter_off, memory_order_relaxed);
    const uint64_t *ids = plain ? NULL : summary_of(state, subject, len, 0);
    for (size_t r = 0; r < count; r++) {
        struct dbf__re *re = res[r];
        pcre2_code *code = atomic_load_explicit(&re->ready, memory_order_acquire)
                               ? re->code
                               : compile(re, NULL, 0);
        if (code && (plain || may_match_whole(state, re, subject, len, ids)))
            return true;
    }
    return false;
}

bool dbf__re_may_match(struct dbf__re *re, const char *subject, size_t len)
{
    return dbf__re_may_match_any(&re, 1, subject, len);
}

/* What a set's first question works out: the ids one of which every match
 * of one of its patterns holds (each pattern's own, or its parts'), and the
 * highest of them; none when a pattern has no needles or no id. */
struct set_needs {
    bool known;
    unsigned top;
    uint64_t ids[DBF__ID_WORDS];
};

static const struct set_needs no_needs = {.known = false};

/* SET's needs, worked out once, its patterns compiled. */
static const struct set_needs *set_needs_of(struct dbf__re_set *set)
{
    const struct set_needs *needs = atomic_load_explicit(&set->needs, memory_order_acquire);
    if (needs)
        return needs;
    for (size_t r = 0; r < set->count; r++)
        compile(set->res[r], NULL, 0);
    pthread_mutex_lock(&compile_lock);
    needs = atomic_load_explicit(&set->needs, memory_order_relaxed);
    if (!needs) {
        struct set_needs *made = calloc(1, sizeof *made);
        if (made)
            made->known = true;
        for (size_t r = 0; made && r < set->count; r++) {
            const struct dbf__re *re = set->res[r];
            unsigned top = 0;
            if (re->alt_count && re->alt_ids) {
                for (size_t w = 0; w < DBF__ID_WORDS; w++)
                    made->ids[w] |= re->alt_ids[w];
                top = re->alts[re->alt_count - 1].id;
            } else if (!re->alt_count && re->code && re->literals && re->id) {
                add_id(made->ids, re->id);
                top = re->id;
            } else if (re->code) {
                made->known = false; /* a pattern the needles cannot answer for */
            }
            made->top = top > made->top ? top : made->top;
        }
        if (made && !made->known) {
            free(made);
            made = NULL;
        }
        needs = made ? made : &no_needs;
        atomic_store_explicit(&set->needs, needs, memory_order_release);
    }
    pthread_mutex_unlock(&compile_lock);
    return needs;
}

bool dbf__re_set_may_match(struct dbf__re_set *set, const char *subject, size_t len)
{
    const struct set_needs *needs = set_needs_of(set);
    struct thread_state *state = state_of_thread();
    if (needs->known && state && needs->top - 1 < state->known &&
        !atomic_load_explicit(&prefilter_off, memory_order_relaxed)) {
        const uint64_t *ids = summary_of(state, subject, len, 0);
        if (ids && !share_an_id(ids, needs->ids))
            return false;
    }
    return dbf__re_may_match_any(set->res, set->count, subject, len);
}

bool dbf__re_test(struct dbf__re *re, const char *s)
{
    return dbf__re_search(re, s, strlen(s), 0, NULL);
}
