/* re_literals.h: the prefilter of a PCRE2 pattern (re.c uses it): the
 * words, one of which every match must contain, read from the pattern's
 * text, and a cheap test of a subject against them. */
#ifndef DBF_RE_LITERALS_H
#define DBF_RE_LITERALS_H

#include <stdbool.h>
#include <stddef.h>

struct dbf__literals;

/* The prefilter of PATTERN (compiled with no options but caseless,
 * multiline and dotall), or NULL when the reader cannot tell which words a
 * match holds. Kept for the life of the process. */
struct dbf__literals *dbf__literals_of(const char *pattern);

/* Could S[0..LEN) hold a match? False only when it holds none of the words
 * (nor a character that matches one of their letters in another case). */
bool dbf__literals_may_match(const struct dbf__literals *lits, const unsigned char *s, size_t len);

#endif
