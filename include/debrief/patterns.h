/* patterns.h: the failures that recur across post mortems.
 *
 * Each post mortem's causes (title, summary, the root-cause section with
 * its contributing factors, the why chains) and its action items are classified into the
 * categories of a taxonomy (monitoring gap, test gap, staging drift, …;
 * DESIGN.md §3); a post mortem can be in several. Documents added one by one
 * are dated and counted by month or quarter; a category that recurs is named
 * as a pattern with what it says about the system and the post mortems that
 * show it. Action items that promise a fix an earlier post mortem already
 * promised, and open items older than the deadline rule allows, are flagged;
 * time to detect and to mitigate, severities, action item completion and
 * review scores are followed per period.
 *
 * Ownership: arguments are borrowed. A report copies what it keeps, so
 * documents may be freed once added; what it hands back (the result, the
 * taxonomy) lives until dbf_pattern_report_free(). Renderers append to a
 * caller's buffer. Nothing here prints. */
#ifndef DEBRIEF_PATTERNS_H
#define DEBRIEF_PATTERNS_H

#include "debrief/buf.h"
#include "debrief/doc.h"
#include "debrief/lint.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The taxonomy: the built-in categories, with the words and phrases of
 * `.debrief.yml`'s `patterns:` key added (see docs/configuration.md). At
 * most DBF_MAX_CATEGORIES categories. */
#define DBF_MAX_CATEGORIES 64

struct dbf_category {
    const char *id;      /* "monitoring-gap" */
    const char *name;    /* "Monitoring gap" */
    const char *meaning; /* what it says about the system when it recurs */
    bool builtin;
};

struct dbf_taxonomy;

/* The taxonomy of CONFIG (NULL: the built-in one). Returns NULL with a
 * message in ERR when the configuration cannot be used (a new category with
 * no words, too many categories) or memory runs out. Free with
 * dbf_taxonomy_free(). */
struct dbf_taxonomy *dbf_taxonomy_new(const struct dbf_config *config, char *err, size_t errlen);
void dbf_taxonomy_free(struct dbf_taxonomy *taxonomy);

size_t dbf_taxonomy_count(const struct dbf_taxonomy *taxonomy);
const struct dbf_category *dbf_taxonomy_at(const struct dbf_taxonomy *taxonomy, size_t index);
/* The index of the category ID, or -1. */
int dbf_taxonomy_find(const struct dbf_taxonomy *taxonomy, const char *id);

/* Where a text was written, for the cues that only hold in one place: "add
 * an alert" says a monitoring gap in an action item, not in a cause. */
enum dbf_text_role { DBF_TEXT_CAUSE = 1, DBF_TEXT_ACTION = 2 };

/* Why a post mortem is in a category: the first passage that put it there. */
struct dbf_category_evidence {
    int line;
    char text[120]; /* the words matched, cut to fit */
};

/* The categories (bit I for category I) that the LEN bytes of TEXT show,
 * read sentence by sentence as written in ROLE. EVIDENCE (may be NULL) has
 * a slot per category and gets the offset-free text of the first match of
 * each category found (its line left 0). */
uint64_t dbf_taxonomy_classify_text(const struct dbf_taxonomy *taxonomy, const char *text,
                                    size_t len, enum dbf_text_role role,
                                    struct dbf_category_evidence *evidence);

/* The categories of DOC. Causes: the title and summary (which state the
 * mechanism), the root-cause section (contributing factors included), a
 * "what went wrong" list under the lessons, and the why chains. Action
 * items: the parsed items, else the text of the actions section. EVIDENCE
 * as above, with lines. */
uint64_t dbf_taxonomy_classify(const struct dbf_taxonomy *taxonomy, const struct dbf_doc *doc,
                               struct dbf_category_evidence *evidence);

/* The date of a post mortem: the day its incident began, from the first of
 * the front matter's incident times (impact_start, detected, trigger,
 * mitigated, resolved), else the same milestones found in the timeline,
 * else its earliest dated entry (all on the calendar of the document's zone,
 * see timeline.h), else the front matter's `created`, else a date in the
 * file name. */
enum dbf_date_source {
    DBF_DATE_NONE,
    DBF_DATE_INCIDENT,
    DBF_DATE_TIMELINE,
    DBF_DATE_CREATED,
    DBF_DATE_FILE_NAME
};
/* "none", "incident", "timeline", "created", "file-name". */
const char *dbf_date_source_name(enum dbf_date_source source);
enum dbf_date_source dbf_pattern_doc_date(const struct dbf_doc *doc, struct dbf_date *out);

/* Periods. */
enum dbf_period_unit { DBF_PERIOD_QUARTER, DBF_PERIOD_MONTH };

/* The period holding DATE as a number that counts up one per period
 * (year * 4 + quarter - 1, or year * 12 + month - 1). */
int dbf_period_of(enum dbf_period_unit unit, struct dbf_date date);
/* "2026-Q1" or "2026-03" into OUT; returns OUT. */
char *dbf_period_label(enum dbf_period_unit unit, int period, char *out, size_t size);

/* The recurrence rule: a category is a pattern in a period where it shows
 * in at least IN_ONE_PERIOD post mortems, or that is one of at least
 * PERIODS_RUNNING consecutive periods each with one or more. COUNTS holds
 * the category's post mortems per period (COUNT periods, consecutive);
 * QUALIFIES[i] is set for each period where the rule holds. Returns whether
 * it holds anywhere. */
bool dbf_pattern_recurs(const size_t *counts, size_t count, long in_one_period,
                        long periods_running, bool *qualifies);

/* The similarity of two action items: the Jaccard index of their sets of
 * content words (lower case, plurals and -ing/-ed folded, small words and
 * numbers left out), 0 when either has fewer than two such words. */
double dbf_action_similarity(const char *a, const char *b);

/* The report. */
struct dbf_pattern_options {
    enum dbf_period_unit unit;       /* DBF_PERIOD_QUARTER by default */
    struct dbf_date since;           /* post mortems before it are left out; year 0: none */
    struct dbf_date today;           /* for the age of open items; year 0: the config's today */
    const struct dbf_config *config; /* taxonomy, recurrence rule, the deadline rule's days,
                                        and the review score; NULL: defaults. Borrowed until
                                        dbf_pattern_report_free() */
};

/* One post mortem as the report keeps it. */
struct dbf_pattern_doc {
    char *path, *title;
    struct dbf_date date;
    enum dbf_date_source date_source;
    int period;          /* dbf_period_of(date); meaningless when undated */
    bool counted;        /* dated, and not before `since` */
    uint64_t categories; /* bit per taxonomy index */
    /* Why it is in each category: a slot per taxonomy index, owned by the
     * report (as are path and title). */
    struct dbf_category_evidence *evidence;
    int severity; /* 1..4, 0 unknown */
    bool has_ttd, has_ttm;
    int64_t ttd, ttm; /* seconds: time to detect, time to mitigate (timeline.h) */
    size_t actions, actions_done;
    int score; /* dbf_lint's 0..100 */
};

/* Durations of one period: median and worst over the incidents that have
 * the figure. The median of an even count is the mean of the middle two,
 * rounded down to the second. */
struct dbf_duration_trend {
    size_t count;
    int64_t median, worst;
};

struct dbf_pattern_period {
    int period;
    char label[16];
    size_t postmortems;
    size_t *category_counts; /* per taxonomy index */
    struct dbf_duration_trend ttd, ttm;
    size_t severity[5]; /* [0] unknown, [1..4] SEV-1..SEV-4 */
    size_t actions, actions_done;
    size_t scored;
    double score_mean; /* mean review score of its post mortems */
};

struct dbf_pattern {
    size_t category;
    size_t *periods; /* indexes into result->periods where the rule holds */
    size_t period_count;
    size_t *docs; /* indexes into result->docs: its post mortems in those periods, by date */
    size_t doc_count;
};

/* An action item that promises what an earlier post mortem's item did. */
struct dbf_repeated_action {
    size_t doc, earlier_doc; /* indexes into result->docs; earlier_doc's date is not later */
    char *action, *earlier_action;
    int line, earlier_line;
    int number, earlier_number; /* 0 when not numbered */
    bool earlier_done;
    double similarity;
};

/* An open action item older than the deadline rule allows. */
struct dbf_stale_action {
    size_t doc;
    char *action, *owner; /* owner may be NULL */
    int line, number;
    struct dbf_date due; /* year 0 when none */
    long age_days;       /* today minus the post mortem's date */
};

struct dbf_pattern_result {
    const struct dbf_taxonomy *taxonomy;
    enum dbf_period_unit unit;
    struct dbf_date today;
    long in_one_period, periods_running, stale_days;
    double repeat_similarity;
    struct dbf_pattern_doc *docs; /* in date order (undated last), then path order */
    size_t doc_count;
    size_t counted;                     /* docs in the periods */
    struct dbf_pattern_period *periods; /* consecutive, first to last; empty ones included */
    size_t period_count;
    struct dbf_pattern *patterns; /* most post mortems first, then taxonomy order */
    size_t pattern_count;
    struct dbf_repeated_action *repeats; /* in the later item's date order */
    size_t repeat_count;
    struct dbf_stale_action *stale; /* oldest first */
    size_t stale_count;
    size_t actions, actions_done; /* over the counted docs */
};

struct dbf_pattern_report;

/* An empty report. Returns NULL with a message in ERR when the
 * configuration's taxonomy cannot be used or memory runs out. Free with
 * dbf_pattern_report_free(). */
struct dbf_pattern_report *dbf_pattern_report_new(const struct dbf_pattern_options *options,
                                                  char *err, size_t errlen);
void dbf_pattern_report_free(struct dbf_pattern_report *report);

/* Adds DOC: classifies, dates, reviews and keeps what the report needs.
 * Returns false when memory runs out. */
bool dbf_pattern_report_add(struct dbf_pattern_report *report, const struct dbf_doc *doc);

/* What a report keeps of one post mortem, made apart from the report, to
 * be added to reports later (a server keeps one per revision instead of
 * reading the document again for every report). It holds what
 * dbf_pattern_report_add() works out: categories, date, review score and
 * action items, so it depends on the document and on REPORT's
 * configuration (taxonomy, rules and the day the date rules use): add it
 * only to reports made with the same. NULL when memory runs out. */
struct dbf_pattern_entry;
struct dbf_pattern_entry *dbf_pattern_entry_new(const struct dbf_pattern_report *report,
                                                const struct dbf_doc *doc);
void dbf_pattern_entry_free(struct dbf_pattern_entry *entry);
/* The date of ENTRY's post mortem (dbf_pattern_doc_date()); year 0 when
 * it has none. */
struct dbf_date dbf_pattern_entry_date(const struct dbf_pattern_entry *entry);
/* The bytes ENTRY holds, for a cache that charges by size. */
size_t dbf_pattern_entry_bytes(const struct dbf_pattern_entry *entry);
/* Adds a copy of ENTRY as dbf_pattern_report_add() would have added its
 * document, counted in REPORT's periods. False when memory runs out or
 * ENTRY was made under a taxonomy of another size. */
bool dbf_pattern_report_add_entry(struct dbf_pattern_report *report,
                                  const struct dbf_pattern_entry *entry);

/* Works out periods, patterns, repeats and trends from what was added (it
 * may be called again after more adds). Returns NULL when memory runs out. */
const struct dbf_pattern_result *dbf_pattern_report_finish(struct dbf_pattern_report *report);

/* Renderers of a finished report; each returns false when OUT failed.
 * JSON: the shape of DESIGN.md §6 (see docs/debrief.1). Text: for a
 * terminal, COLOUR for bold headings. HTML: one self-contained page with
 * SVG charts, in the style of `debrief render`. */
bool dbf_pattern_report_json(const struct dbf_pattern_result *result, struct dbf_buf *out);
bool dbf_pattern_report_text(const struct dbf_pattern_result *result, bool colour,
                             struct dbf_buf *out);
/* The same JSON and text written to F as they are made, a piece at a time,
 * so that a large report is never held whole; false when memory runs out
 * or a write fails (errno says why). */
bool dbf_pattern_report_json_write(const struct dbf_pattern_result *result, FILE *f);
bool dbf_pattern_report_text_write(const struct dbf_pattern_result *result, bool colour, FILE *f);
bool dbf_pattern_report_html(const struct dbf_pattern_result *result, struct dbf_buf *out);

/* The content of that page without the page around it (its figures, charts,
 * patterns, repeats and trends), for a page of the team server. */
bool dbf_pattern_report_html_content(const struct dbf_pattern_result *result, struct dbf_buf *out);

#endif
