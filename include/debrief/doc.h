/* doc.h: a post mortem read into a model.
 *
 * dbf_doc_parse() reads one Markdown post mortem (with optional YAML front
 * matter) into a `struct dbf_doc`. Parsing a malformed document still yields
 * a model; only input that is not a post mortem at all (binary, not UTF-8,
 * broken front matter, too large) is refused, with the line in `err`.
 *
 * Every string and array in the model is owned by the document and lives
 * until dbf_doc_free(). Lines are 1-based lines of the whole file, front
 * matter included; columns are 1-based byte columns. */
#ifndef DEBRIEF_DOC_H
#define DEBRIEF_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DBF_MAX_INPUT ((size_t)16 << 20) /* 16 MiB: far above any real post mortem */

enum dbf_section_kind {
    DBF_SECTION_OTHER = 0, /* a heading the alias table does not know */
    DBF_SECTION_SUMMARY,
    DBF_SECTION_TIMELINE,
    DBF_SECTION_METRICS,
    DBF_SECTION_CONTEXT,
    DBF_SECTION_GLOSSARY,
    DBF_SECTION_IMPACT,
    DBF_SECTION_ROOT_CAUSE,
    DBF_SECTION_RESPONSE,
    DBF_SECTION_POST_INCIDENT,
    DBF_SECTION_LESSONS,
    DBF_SECTION_ACTIONS,
    DBF_SECTION_COMMUNICATION,
    DBF_SECTION_KIND_COUNT
};

/* "summary", "root-cause", …; "other" for DBF_SECTION_OTHER. */
const char *dbf_section_kind_name(enum dbf_section_kind kind);
/* The kind named NAME, or DBF_SECTION_OTHER. */
enum dbf_section_kind dbf_section_kind_from_name(const char *name);
/* The kind a heading's text maps to through the alias table. */
enum dbf_section_kind dbf_section_kind_of_heading(const char *heading);

struct dbf_pos {
    int line, column;
};

/* A calendar date; year 0 means unknown. */
struct dbf_date {
    int year, month, day;
};

/* A point in time as written: any part may be missing. */
struct dbf_time {
    struct dbf_date date;
    bool has_clock;
    int hour, minute, second;
    bool has_zone;
    int utc_offset; /* minutes east of UTC, when has_zone and the zone is fixed */
    bool zone_is_fixed;
    const char *zone; /* as written: "UTC", "PST", "+02:00", "Europe/Paris"; NULL if none */
};

/* A block of prose: a paragraph, heading, list item paragraph or table cell,
 * flattened to plain text with soft breaks kept as '\n' so that a byte offset
 * maps back to a file line (dbf_doc_block_line). */
enum dbf_block_type {
    DBF_BLOCK_PARAGRAPH,
    DBF_BLOCK_HEADING,
    DBF_BLOCK_LIST_ITEM, /* the text of one list item's own paragraphs */
    DBF_BLOCK_TABLE_CELL,
    DBF_BLOCK_CODE, /* fenced or indented code */
    DBF_BLOCK_HTML,
};

struct dbf_block {
    enum dbf_block_type type;
    struct dbf_pos pos;
    const char *text;
    size_t len;
    int section;            /* index into doc->sections, -1 before the first heading */
    int list_depth;         /* nesting of lists around it, 0 outside lists */
    bool ordered;           /* list item of an ordered list */
    int number;             /* its number in an ordered list */
    const char *marker;     /* "1.", "1.2", "-", "*", "[ ]", "[x]"; NULL when not a list item */
    int table_row;          /* for cells: row index in the table (0 = header), else -1 */
    int table_column;       /* for cells: column index, else -1 */
    int table;              /* for cells: index of the table in the document, else -1 */
    const char *info;       /* for code: the fence's info string */
    const char *link;       /* first link destination inside it, or NULL */
    const char *lead;       /* text of a bold run that opens it ("**Owner**: …"), or NULL */
    bool image;             /* it holds an image (flattened to its alt text) */
    const size_t *newlines; /* offsets of the '\n' in text, for dbf_doc_block_line */
    size_t newline_count;
    size_t words; /* runs of ASCII letters and digits and of non-ASCII bytes in text */
};

struct dbf_section {
    enum dbf_section_kind kind;      /* from its own heading (the first kind it names) */
    unsigned kinds;                  /* bit (1 << kind) for every kind the heading names */
    enum dbf_section_kind effective; /* its kind, or its parent's when its own is OTHER */
    const char *heading;
    int level; /* 1..6; 7 for a bold or plain line used as a heading,
                  8 for a bold label opening a list item */
    struct dbf_pos pos;
    int end_line;                    /* last line before the next heading of this level or above */
    int parent;                      /* enclosing section, or -1 */
    size_t first_block, block_count; /* its own blocks (not its sub-sections') */
    size_t words;                    /* words in its own blocks and its sub-sections' */
};

enum dbf_event_kind {
    DBF_EVENT_NONE = 0,
    DBF_EVENT_TRIGGER = 1 << 0,
    DBF_EVENT_IMPACT_START = 1 << 1,
    DBF_EVENT_DETECTED = 1 << 2,
    DBF_EVENT_ESCALATED = 1 << 3,
    DBF_EVENT_DIAGNOSED = 1 << 4,
    DBF_EVENT_MITIGATION = 1 << 5,
    DBF_EVENT_RESOLVED = 1 << 6,
    DBF_EVENT_CUSTOMER = 1 << 7,
};

struct dbf_timeline_entry {
    struct dbf_pos pos;
    struct dbf_time time;  /* as written, with the section's zone when none is written */
    const char *time_text; /* the time as written, or NULL when the entry has none */
    bool time_ok;          /* the time was understood */
    bool explicit_zone;    /* the entry itself names its zone */
    int64_t at;            /* seconds since the epoch (UTC when the zone is known, else as
                              if UTC); valid when time_ok; days rolled over at midnight */
    unsigned kinds;        /* enum dbf_event_kind bits, inferred or tagged */
    bool tagged;           /* kinds come from a [tag] */
    const char *text;      /* the event, without its time */
};

/* One "why" of a why chain. */
struct dbf_why {
    struct dbf_pos pos;
    const char *text;     /* the whole why as written */
    const char *number;   /* "3", "1.2", or NULL when unnumbered */
    int branch;           /* 0 for the main chain, else the branch's number */
    int depth;            /* position in its chain, 1-based */
    const char *question; /* may be NULL */
    const char *answer;   /* may be NULL */
    bool bulleted;        /* written as a bullet rather than a number */
};

/* A number with a unit in the impact text: "1,200 orders", "18%", "47 minutes". */
struct dbf_impact_figure {
    struct dbf_pos pos;
    enum dbf_section_kind section; /* where it was written */
    const char *text;              /* the figure as written */
    double value;
    const char *unit;
    bool is_duration;
    int64_t seconds; /* for durations */
};

struct dbf_lesson {
    struct dbf_pos pos;
    int number;   /* 0 when not numbered */
    bool ordered; /* written as an ordered list item or with a number */
    const char *text;
};

enum dbf_action_status { DBF_ACTION_UNKNOWN, DBF_ACTION_OPEN, DBF_ACTION_DONE };

struct dbf_action {
    struct dbf_pos pos;
    int number;   /* 0 when not numbered */
    bool ordered; /* numbered by an ordered list, a number column or a prefix */
    const char *description;
    const char *owner; /* NULL when none */
    struct dbf_pos owner_pos;
    struct dbf_date due;  /* year 0 when none */
    const char *due_text; /* as written, or NULL */
    const char *priority; /* NULL when none */
    int *lessons;         /* lesson numbers it links to */
    size_t lesson_count;
    bool lesson_field; /* a lesson column or field exists for it */
    enum dbf_action_status status;
    const char *link; /* link to the change or ticket, or NULL */
    bool from_table;
};

/* A front matter value with where it was written. */
struct dbf_meta_value {
    const char *text; /* scalar text, NULL when absent or not a scalar */
    struct dbf_pos pos;
    bool present;
};

struct dbf_meta_list {
    const char **items;
    size_t count;
    struct dbf_pos pos;
    bool present;
};

struct dbf_metric_ref {
    const char *file, *title, *unit, *label;
    struct dbf_pos pos;
};

struct dbf_communication_ref {
    const char *time, *channel, *summary;
    struct dbf_pos pos;
};

enum dbf_tristate { DBF_UNSET = -1, DBF_FALSE = 0, DBF_TRUE = 1 };

struct dbf_meta {
    bool has_front_matter;
    int front_matter_end; /* line of the closing '---', 0 when none */
    struct dbf_meta_value title, id, status, severity, visibility, owner_team, reviewer,
        reviewer_team, timezone, created, review_started, published;
    struct dbf_meta_list authors, services, regions, tags;
    struct dbf_meta_value trigger, impact_start, detected, mitigated, resolved;
    enum dbf_tristate customer_facing, slo_breach, security;
    struct dbf_pos customer_facing_pos, security_pos;
    int severity_level; /* 1..4, 0 when unknown */
    struct dbf_metric_ref *metrics;
    size_t metric_count;
    bool metrics_present;
    struct dbf_communication_ref *communication;
    size_t communication_count;
};

/* An inline `<!-- debrief-disable … -->` comment, in file order. */
struct dbf_directive {
    int line;
    enum { DBF_DISABLE, DBF_ENABLE, DBF_DISABLE_NEXT_LINE } what;
    const char **rules; /* NULL-terminated; empty means every rule */
};

struct dbf_doc {
    const char *path;
    const char *source; /* the whole file, NUL-terminated */
    size_t source_len;
    int line_count;

    struct dbf_meta meta;
    const char *title; /* front matter title, else the first H1, else NULL */
    struct dbf_pos title_pos;

    struct dbf_block *blocks;
    size_t block_count;
    struct dbf_section *sections;
    size_t section_count;

    struct dbf_timeline_entry *timeline;
    size_t timeline_count;
    const char *timeline_zone; /* zone declared for the timeline ("All times UTC"), or NULL */
    struct dbf_pos timeline_zone_pos;

    struct dbf_why *whys;
    size_t why_count;
    struct dbf_impact_figure *figures;
    size_t figure_count;
    struct dbf_lesson *lessons;
    size_t lesson_count;
    struct dbf_action *actions;
    size_t action_count;
    struct dbf_directive *directives;
    size_t directive_count;

    size_t table_count;
    size_t words; /* words of prose in the body */

    struct dbf__doc_internal *internal;
};

/* Parses the LEN bytes at SOURCE (borrowed; copied) read from PATH (used in
 * messages). Returns the document, or NULL with a message of the form
 * "LINE:COL: what is wrong" in ERR (when ERR is non-NULL) when the input
 * cannot be a post mortem. The caller frees the document with dbf_doc_free(). */
struct dbf_doc *dbf_doc_parse(const char *path, const char *source, size_t len, char *err,
                              size_t errlen);

/* Reads and parses the file at PATH; errors as for dbf_doc_parse, including
 * those of reading the file. */
struct dbf_doc *dbf_doc_load(const char *path, char *err, size_t errlen);

void dbf_doc_free(struct dbf_doc *doc);

/* The file line of byte OFFSET inside BLOCK's text. */
int dbf_doc_block_line(const struct dbf_block *block, size_t offset);

/* The text of file line LINE (without its newline) and its length, or NULL
 * for a line outside the file. */
const char *dbf_doc_line(const struct dbf_doc *doc, int line, size_t *len);

/* The first section of kind KIND (by effective kind), or NULL. */
const struct dbf_section *dbf_doc_section(const struct dbf_doc *doc, enum dbf_section_kind kind);

/* Does any section (by effective kind) have kind KIND? */
bool dbf_doc_has_section(const struct dbf_doc *doc, enum dbf_section_kind kind);

/* The effective kind of the section that holds BLOCK (DBF_SECTION_OTHER
 * before the first heading). */
enum dbf_section_kind dbf_doc_block_kind(const struct dbf_doc *doc, const struct dbf_block *block);

#endif
