/* rules.h: what a rule's check function can see and do.
 *
 * A check reads the document (lint->doc) and the shared facts
 * (lint->facts), and reports findings with dbf__report(); the engine fills
 * in the rule id and severity, drops findings the document disables inline,
 * and sorts them. Checks must not keep state between documents. */
#ifndef DBF_RULES_H
#define DBF_RULES_H

#include "../util/arena.h"
#include "../util/re.h"
#include "debrief/lint.h"

#include <stdbool.h>
#include <stdint.h>

enum dbf__rule_id {
#define RULE(name, id, sev, section, fn, summary) DBF_RULE_##name,
#define OPTION(rule, name, value)
#include "rules.def"
#undef RULE
#undef OPTION
    DBF_RULE_COUNT
};

/* Facts several rules need, worked out once per document (facts.c). */
struct dbf__facts {
    bool customer_facing;              /* said so, or the text shows customers were hit */
    bool customer_facing_known;        /* the front matter says, either way */
    bool security;                     /* said so, or tagged */
    struct dbf_date incident_date;     /* the day it started, year 0 when unknown */
    struct dbf_date incident_end_date; /* the day it ended, year 0 when unknown */
    struct dbf_date document_date;     /* created, else the incident's end date */
    bool has_timeline_times;           /* the timeline has clock times */
    bool impact_table_says_none;       /* a "Customers impacted" table column says none */
    /* The root cause analysis: how many levels of why it reaches, and whether
     * that is as deep as the "whys" of rootcause/shallow asks. */
    int analysis_levels;
    bool analysis_deep;
};

struct dbf__lint {
    const struct dbf_doc *doc;
    const struct dbf_config *config;
    struct dbf__facts facts;
    struct dbf_date today;
    /* the rule being run */
    enum dbf__rule_id rule;
    /* findings so far */
    struct dbf_finding *findings;
    size_t finding_count, finding_cap;
    struct dbf__arena *arena;
    struct dbf__word_set *lower_words; /* built on first use by dbf__written_lower_case */
};

/* Reports a finding of the running rule at POS with a printf message. */
void dbf__report(struct dbf__lint *lint, struct dbf_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The running rule's option NAME (its configured or default value); -1
 * when the rule has no such option. */
long dbf__option(const struct dbf__lint *lint, const char *name);
/* The same of RULE, for a rule that follows another's option. */
long dbf__rule_option(const struct dbf__lint *lint, enum dbf__rule_id rule, const char *name);

/* Is WORD (case-insensitive) one of the configured team names, or does it
 * read like a team ("SRE team", "Platform", "@org/team")? */
bool dbf__is_team(const struct dbf__lint *lint, const char *word);

/* Is ACRONYM allowed without expansion (built in or configured)? */
bool dbf__acronym_allowed(const struct dbf__lint *lint, const char *acronym, size_t len);

/* The date in TEXT (YYYY-MM-DD or an ISO time), year 0 when none. */
struct dbf_date dbf__date_of(const char *text);

/* Every block of prose (not code, not HTML) of the document, for rules that
 * read all the text. */
static inline bool dbf__is_prose(const struct dbf_block *b)
{
    return b->type != DBF_BLOCK_CODE && b->type != DBF_BLOCK_HTML;
}

/* Flags of dbf__prose_column(). */
enum { DBF__CASELESS = 1, DBF__WHOLE_WORD = 2 };

/* The column of the first occurrence of NEEDLE[0..N) on file LINE outside a
 * code span; 0 when every occurrence is in code, 1 when it is not on the line
 * as written (it came from markup such as a link). DBF__WHOLE_WORD also
 * accepts a possessive or plural "'s"/"s" after it (text.c). */
int dbf__prose_column(const struct dbf_doc *doc, int line, const char *needle, size_t n,
                      unsigned flags);

/* Does the document write WORD[0..LEN) in lower case as a whole word
 * somewhere ("unique" beside "UNIQUE", "will" beside "Will")? A capitalised
 * word that also appears in lower case is a plain word, not a name or an
 * acronym. The first call indexes the document's words (text.c). */
bool dbf__written_lower_case(struct dbf__lint *lint, const char *word, size_t len);
void dbf__word_set_free(struct dbf__word_set *set);

/* The next sentence of B's text after byte *END, as [*START, *END); false
 * at the end of the text. Start with *END = 0. */
bool dbf__next_sentence(const struct dbf_block *b, size_t *start, size_t *end);

/* Works out lint->facts. */
void dbf__facts_compute(struct dbf__lint *lint);

/* Is the root cause analysis deep enough, and how many levels of why does it
 * reach (rules_rootcause.c)? For the facts. */
bool dbf__analysis_deep(const struct dbf__lint *lint, int *levels);

#define RULE(name, id, sev, section, fn, summary) void fn(struct dbf__lint *lint);
#define OPTION(rule, name, value)
#include "rules.def"
#undef RULE
#undef OPTION

#endif
