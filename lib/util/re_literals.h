/* re_literals.h: the prefilter of a PCRE2 pattern (re.c uses it): the
 * needles, one of which every match must contain, read from the pattern's
 * text; a scan of a subject for them; and a table of the needles of many
 * patterns at once, which tells in one pass over a subject which of those
 * patterns could match it. */
#ifndef DBF_RE_LITERALS_H
#define DBF_RE_LITERALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dbf__literals;

/* The prefilter of PATTERN (compiled with no options but caseless,
 * multiline and dotall), or NULL when the reader cannot tell what a match
 * holds. Kept for the life of the process. */
struct dbf__literals *dbf__literals_of(const char *pattern);
void dbf__literals_free(struct dbf__literals *lits);

/* Could S[0..LEN) hold a match? False only when it holds none of the
 * needles, or none of the needles of dbf__literals_also() (nor a character
 * that matches one of their letters in another case). A few passes over S. */
bool dbf__literals_may_match(const struct dbf__literals *lits, const unsigned char *s, size_t len);

/* A second prefilter: needles one of which every match holds as well as
 * one of LITS's (two words of a sequence, "some" ... "users"); NULL when
 * the reader found none. Its own needles only: asking it for its also
 * gives NULL. */
const struct dbf__literals *dbf__literals_also(const struct dbf__literals *lits);

/* The needles of LITS: COUNT of them, needle I of *LEN bytes, lower case. */
size_t dbf__literals_count(const struct dbf__literals *lits);
const unsigned char *dbf__literals_needle(const struct dbf__literals *lits, size_t i, size_t *len);

/* ASCII upper-case letters to lower case; every other byte as it is. */
static inline unsigned char dbf__lower(unsigned char c)
{
    return (unsigned char)(c | ((unsigned)(c - 'A') < 26u) << 5);
}

/* Could a character at S[0..LEFT) match an ASCII letter of another case
 * (U+017F long s, U+212A Kelvin)? */
static inline bool dbf__odd_case_at(const unsigned char *s, size_t left)
{
    return (left >= 2 && s[0] == 0xc5 && s[1] == 0xbf) ||
           (left >= 3 && s[0] == 0xe2 && s[1] == 0x84 && s[2] == 0xaa);
}

/* Does S[0..LEN) hold such a character anywhere? Passes over many bytes at
 * once. */
bool dbf__has_odd_case(const unsigned char *s, size_t len);

/* Patterns a needle table holds, named by ids 0 to DBF__NEEDLE_IDS - 1; a
 * set of ids is DBF__ID_WORDS words, bit I of word I / 64 for id I. */
#define DBF__NEEDLE_IDS 256
#define DBF__ID_WORDS (DBF__NEEDLE_IDS / 64)

struct dbf__needle_table;

/* A table of the needles of LITS[0..COUNT), pattern I under id I (COUNT at
 * most DBF__NEEDLE_IDS; a NULL entry has none). NULL when memory runs out.
 * The table borrows the needles: LITS must outlive it. */
struct dbf__needle_table *dbf__needle_table_make(const struct dbf__literals *const *lits,
                                                 size_t count);
void dbf__needle_table_free(struct dbf__needle_table *table);

/* The bytes of TABLE's transitions: what making it writes. */
size_t dbf__needle_table_bytes(const struct dbf__needle_table *table);

/* Adds to IDS the id of every pattern of TABLE one of whose needles S[0..LEN)
 * holds; every id when S holds a character that matches an ASCII letter of
 * another case. One pass over S. */
void dbf__needle_table_scan(const struct dbf__needle_table *table, const unsigned char *s,
                            size_t len, uint64_t ids[DBF__ID_WORDS]);

#endif
