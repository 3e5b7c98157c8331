/* harness.h: lint Markdown text in a unit test and ask about the findings.
 *
 * lint_md() parses and lints TEXT with the default configuration and
 * --today 2026-11-26; the review and document live until the next call or
 * lint_done(). Line numbers are the text's own lines, 1-based. */
#ifndef DEBRIEF_TEST_HARNESS_H
#define DEBRIEF_TEST_HARNESS_H

/* cmocka needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "debrief/debrief.h"

/* TEXT parsed as test.md; the test fails with the parser's error if it
 * does not parse. Free with dbf_doc_free(). */
struct dbf_doc *parse_doc(const char *text);

const struct dbf_review *lint_md(const char *text);
/* As lint_md() with a configuration the test owns (today is not changed). */
const struct dbf_review *lint_md_with(const char *text, const struct dbf_config *config);
const struct dbf_doc *last_doc(void);
void lint_done(void);

/* How many findings of RULE the last review has. */
size_t findings_of(const char *rule);
/* The line of the first finding of RULE, or 0. */
int first_line_of(const char *rule);
/* Is there a finding of RULE at LINE? */
bool fires_at(const char *rule, int line);

/* Prints the findings of the last review (for a failing test). */
void print_findings(void);

/* The next number of the random stream *SEED (a linear congruential one:
 * the same seed, the same numbers). */
uint64_t harness_random(uint64_t *seed);

/* A text of 1 to MOST pieces drawn from PIECES[0..N) by the stream *SEED,
 * into TEXT (SIZE bytes, NUL-terminated), up to the first piece that would
 * not fit. For tests that hold a fast way to a plain one on random input. */
void harness_random_text(char *text, size_t size, const char *const *pieces, size_t n,
                         uint64_t *seed, int most);

#define assert_fires(text, rule, line)                                                             \
    do {                                                                                           \
        lint_md(text);                                                                             \
        if (!fires_at(rule, line))                                                                 \
            print_findings();                                                                      \
        assert_true(fires_at(rule, line));                                                         \
    } while (0)

#define assert_silent(text, rule)                                                                  \
    do {                                                                                           \
        lint_md(text);                                                                             \
        if (findings_of(rule))                                                                     \
            print_findings();                                                                      \
        assert_int_equal(findings_of(rule), 0);                                                    \
    } while (0)

#endif
