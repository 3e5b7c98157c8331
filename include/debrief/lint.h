/* lint.h: the review of a post mortem: rules, findings, score, checklist.
 *
 * A `struct dbf_config` holds what `.debrief.yml` can change; a
 * `struct dbf_review` holds what dbf_lint() found in one document. Both are
 * owned by the caller and freed with their _free function; the review
 * borrows nothing from the document once made. Linting is reentrant: many
 * documents may be linted at once on different threads. */
#ifndef DEBRIEF_LINT_H
#define DEBRIEF_LINT_H

#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>

enum dbf_severity { DBF_OFF = 0, DBF_INFO = 1, DBF_WARNING = 2, DBF_ERROR = 3 };

/* "info", "warning", "error", "off". */
const char *dbf_severity_name(enum dbf_severity severity);
/* Parses one of those names; returns false on anything else. */
bool dbf_severity_parse(const char *name, enum dbf_severity *out);

/* A rule of the catalogue. */
struct dbf_rule_info {
    const char *id;                /* "actions/no-owner" */
    enum dbf_severity severity;    /* the default */
    enum dbf_section_kind section; /* the part of the document it judges */
    const char *summary;           /* one line */
};

size_t dbf_rule_count(void);
const struct dbf_rule_info *dbf_rule_at(size_t index);
/* The rule with id ID, or NULL. */
const struct dbf_rule_info *dbf_rule_find(const char *id);

/* Configuration; dbf_config_new() gives the defaults. */
struct dbf_config;

struct dbf_config *dbf_config_new(void);
void dbf_config_free(struct dbf_config *config);

/* Reads a `.debrief.yml` at PATH into CONFIG (on top of what it holds).
 * Returns false with "PATH:LINE: what" in ERR when the file is wrong. */
bool dbf_config_load(struct dbf_config *config, const char *path, char *err, size_t errlen);

/* The nearest `.debrief.yml` in the folder of FILE or above, as a string the
 * caller frees; NULL when there is none. */
char *dbf_config_discover(const char *file);

/* Sets a rule's severity (DBF_OFF disables it). Returns false for an unknown
 * rule id. */
bool dbf_config_set_severity(struct dbf_config *config, const char *rule, enum dbf_severity sev);

/* Sets a rule option such as "timeline/gap" "minutes" 30. Returns false for
 * an unknown rule or option. */
bool dbf_config_set_option(struct dbf_config *config, const char *rule, const char *option,
                           long value);

/* Reads back a rule option (the default when unset); -1 for unknown ones. */
long dbf_config_option(const struct dbf_config *config, const char *rule, const char *option);

/* "Now" for the date rules, as YYYY-MM-DD; defaults to today's UTC date. */
void dbf_config_set_today(struct dbf_config *config, struct dbf_date today);

/* Adds an allowed acronym, or a word that names a team. */
void dbf_config_allow_acronym(struct dbf_config *config, const char *acronym);
void dbf_config_add_team(struct dbf_config *config, const char *team);

/* The `patterns:` key: the taxonomy of `debrief patterns` as a team adjusts
 * it. A category entry either adds words to a built-in category (same id)
 * or makes a new one. Everything is owned by the configuration. */
struct dbf_config_category {
    const char *id;      /* "monitoring-gap", or a new id ([a-z0-9-]+) */
    const char *name;    /* NULL: the built-in's, or the id for a new one */
    const char *meaning; /* NULL: the built-in's */
    const char **words;  /* phrases that put a post mortem in the category */
    size_t word_count;
    const char **ignore; /* phrases that keep a sentence out of it */
    size_t ignore_count;
    int line; /* where the entry is written in the file */
};

struct dbf_config_patterns {
    long in_one_period;       /* post mortems in one period that make a pattern; 0: default */
    long periods_running;     /* periods running that make a pattern; 0: default */
    double repeat_similarity; /* word overlap for "the same fix promised twice"; 0: default */
    const struct dbf_config_category *categories;
    size_t category_count;
};

/* The `patterns:` settings of CONFIG (zeros and no categories when it has
 * none). Never NULL. */
const struct dbf_config_patterns *dbf_config_patterns(const struct dbf_config *config);

struct dbf_finding {
    const char *rule;
    enum dbf_severity severity;
    struct dbf_pos pos;
    const char *message;
};

/* The reviewer's five questions (DESIGN.md §2). */
enum dbf_question {
    DBF_Q_READABLE,   /* readable by another team? */
    DBF_Q_LESSONS,    /* lessons actionable? */
    DBF_Q_ROOT_CAUSE, /* root cause deep enough? */
    DBF_Q_ACTIONS,    /* action items specific and owned? */
    DBF_Q_RESPONSE,   /* response improvements concrete? */
    DBF_QUESTION_COUNT
};

struct dbf_checklist_answer {
    const char *question;
    enum { DBF_ANSWER_YES, DBF_ANSWER_PARTLY, DBF_ANSWER_NO } answer;
    size_t *findings; /* indexes into review->findings */
    size_t finding_count;
};

struct dbf_review {
    struct dbf_finding *findings; /* sorted by line, then column, then rule */
    size_t finding_count;
    int score;                                 /* 0..100 */
    int section_score[DBF_SECTION_KIND_COUNT]; /* -1 for kinds not scored */
    struct dbf_checklist_answer checklist[DBF_QUESTION_COUNT];
    struct dbf__review_internal *internal;
};

/* Reviews DOC under CONFIG (NULL: the defaults). Never fails: returns a
 * review the caller frees with dbf_review_free(), or NULL only when memory
 * runs out. */
struct dbf_review *dbf_lint(const struct dbf_doc *doc, const struct dbf_config *config);

/* Reviews the N documents DOCS[i], each under CONFIGS[i] (NULL: the
 * defaults), into REVIEWS[i]: what dbf_lint(DOCS[i], CONFIGS[i]) returns,
 * the same findings and score; NULL where DOCS[i] is NULL or memory runs
 * out. Faster than one call a document: each rule runs over every document
 * before the next rule does (over the bench's files, 8 documents at a time
 * took 3% less CPU time, 16 to 64 5 to 6% less; each is held until all are
 * reviewed). */
void dbf_lint_many(const struct dbf_doc *const *docs, const struct dbf_config *const *configs,
                   size_t n, struct dbf_review **reviews);

void dbf_review_free(struct dbf_review *review);

/* The worst severity among the findings, DBF_OFF when there are none. */
enum dbf_severity dbf_review_worst(const struct dbf_review *review);

#endif
