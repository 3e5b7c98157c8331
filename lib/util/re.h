/* re.h: PCRE2 patterns compiled once per process, matched from any thread.
 *
 * A pattern is a static `struct dbf__re` made with DBF_RE(); the first match
 * compiles it under a lock, and a later one, once the pattern has run often
 * enough to repay it, compiles a copy with PCRE2's JIT outside the lock
 * (threads meanwhile match with PCRE2's interpreter); matches otherwise only
 * read them. Subjects must be valid UTF-8: documents are checked on load. Patterns
 * are caseless unless DBF_RE_CASED() is used. A subject that holds none of
 * the words every match of the pattern must contain is answered without
 * PCRE2 (re.c says how those words are found). \b, \w and \d are ASCII:
 * Unicode word classes cost a third of the review's time, and the rules'
 * words are English. */
#ifndef DBF_RE_H
#define DBF_RE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dbf__literals;

struct dbf__re {
    const char *pattern;
    uint32_t options;
    atomic_bool ready;
    void *code;                     /* pcre2_code_8 * */
    _Atomic(void *) jitted;         /* CODE's copy compiled by the JIT, once it is */
    atomic_uint runs;               /* PCRE2's runs before JITTED (counted up to the JIT) */
    bool quick_start;               /* every match starts with one of a few bytes */
    bool anchored;                  /* every match starts where the search starts (\G, ^) */
    struct dbf__literals *literals; /* needles every match holds; NULL: unknown */
    unsigned id;                    /* 1 + its id in the needle tables; 0: none */
    unsigned also_id;               /* 1 + the id of its second needles (if ID); 0: none */
    bool by_parts;                  /* search its alternatives apart (DBF_RE_PARTS) */
    struct dbf__re *alts;           /* its alternatives, searched one by one */
    size_t alt_count;               /* 0: searched whole */
    uint64_t *alt_ids;              /* the ids of its alternatives' needles, when each has
                                       one: a match holds one of them (a set of ids) */
    unsigned char group_of[10];     /* of an alternative (group_of[0] set): its group I is
                                       the whole's group_of[I] (0: none below 10) */
    struct dbf__re *at_start;       /* when some of its alternatives start with '^' and some
                                       do not: itself anchored, for a search from the start */
    struct dbf__re *elsewhere;      /* ... and the others, for the rest (re_split.h) */
};

#define DBF_RE(pat)                                                                                \
    {                                                                                              \
        .pattern = (pat), .options = 0x00000008u /* PCRE2_CASELESS */                              \
    }
/* A long list of alternatives, each of which needs words of its own (tests,
 * reviews, canaries, ...): searched a few alternatives at a time, so that
 * PCRE2 runs only those whose words the subject holds. Same matches as
 * DBF_RE(). */
#define DBF_RE_PARTS(pat)                                                                          \
    {                                                                                              \
        .pattern = (pat), .options = 0x00000008u /* PCRE2_CASELESS */, .by_parts = true            \
    }
#define DBF_RE_CASED(pat)                                                                          \
    {                                                                                              \
        .pattern = (pat), .options = 0                                                             \
    }

struct dbf__match {
    size_t start, end;                     /* the whole match, byte offsets */
    size_t group_start[10], group_end[10]; /* groups 1..9; unset groups are SIZE_MAX */
};

/* Searches SUBJECT[0..LEN) from byte OFFSET. Returns true and fills M (if
 * non-NULL) on a match: the match PCRE2 would find. A pattern made of
 * alternatives is searched one alternative at a time, each with its
 * prefilter, and the leftmost match wins, the earlier alternative on a tie,
 * as in PCRE2's own search (re_split.h says which patterns are). A pattern that does not compile
 * never matches; the test suite compiles every pattern (dbf__re_check). */
bool dbf__re_search(struct dbf__re *re, const char *subject, size_t len, size_t offset,
                    struct dbf__match *m);

/* Could SUBJECT[0..LEN) hold a match of RE? False only where its needles
 * say no, as dbf__re_search() would answer without PCRE2; true otherwise,
 * with PCRE2 not run. A part of SUBJECT (a sentence of a block) then cannot
 * hold one either: a caller about to search many parts asks once. */
bool dbf__re_may_match(struct dbf__re *re, const char *subject, size_t len);

/* Could SUBJECT[0..LEN) hold a match of any of the COUNT patterns RES?
 * dbf__re_may_match() for each, with the subject's summary looked up once. */
bool dbf__re_may_match_any(struct dbf__re *const *res, size_t count, const char *subject,
                           size_t len);

/* Patterns a rule asks of many subjects at once: a static struct made with
 * DBF_RE_SET() over a static array of patterns. The first question works
 * out which needles a match of any of them must hold, so that a subject
 * holding none is answered with a few instructions. */
struct dbf__re_set {
    struct dbf__re *const *res;
    size_t count;
    _Atomic(const void *) needs; /* what the first question worked out (re.c) */
};

#define DBF_RE_SET(array)                                                                          \
    {                                                                                              \
        .res = (array), .count = sizeof(array) / sizeof((array)[0])                                \
    }

/* dbf__re_may_match_any() of SET's patterns. */
bool dbf__re_set_may_match(struct dbf__re_set *set, const char *subject, size_t len);

/* Convenience: does the NUL-terminated S match anywhere? */
bool dbf__re_test(struct dbf__re *re, const char *s);

/* Compiles RE now; returns false and fills ERR (if non-NULL) when the pattern
 * is wrong. */
bool dbf__re_check(struct dbf__re *re, char *err, size_t errlen);

/* Memory the calling thread is about to search again and again.
 *
 * A caller about to run many patterns over the same text (the review over a
 * parsed document) names the memory holding it between
 * dbf__re_frozen_begin() and dbf__re_frozen_end(); that memory must not
 * change in between. The first search of a subject lying inside it finds,
 * in one pass, which of the patterns compiled so far could match the
 * subject; later searches of that subject by any of those patterns cost a
 * bit test instead of a pass each. Per thread; a begin forgets what was
 * named before it. */
void dbf__re_frozen_begin(void);
void dbf__re_frozen_add(const void *start, size_t len);
void dbf__re_frozen_end(void);

/* dbf__re_frozen_begin(), then every byte ARENA has handed out so far: for a
 * caller that will only add to the arena until dbf__re_frozen_end(). The
 * same arena frozen again (a document parsed, then reviewed) keeps what was
 * learnt of it: the memory frozen the first time must not have changed. */
struct dbf__arena;
void dbf__re_freeze_arena(const struct dbf__arena *arena);

/* The same for the N arenas of ARENAS at once (documents reviewed
 * together): each subject in any of them is read once for all the
 * patterns. What was learnt of the arena frozen last is kept only when N
 * is 1. */
void dbf__re_freeze_arenas(const struct dbf__arena *const *arenas, size_t n);

/* Turns the prefilter off (or on again) for the whole process, and with it
 * the search by parts (DBF_RE_PARTS): every pattern then runs PCRE2, whole,
 * on every subject. For tests, which compare what the review finds with and
 * without them. */
void dbf__re_set_prefilter(bool on);

#endif
