/* actions.h: action items across many post mortems, for follow-through.
 *
 * A `struct dbf_action_list` gathers the action items of documents added
 * one by one, each with where it came from and how overdue it is against a
 * given day; it can then be filtered, put in follow-up order and written as
 * a table, JSON, CSV or iCalendar. It copies what it keeps: documents may be
 * freed once added. Strings handed out belong to the list and live until
 * dbf_action_list_free(); writers append to a caller's buffer. */
#ifndef DEBRIEF_ACTIONS_H
#define DEBRIEF_ACTIONS_H

#include "debrief/buf.h"
#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Priorities normalised to the P0 (drop everything) .. P4 (when there is
 * time) scale; the words of common trackers map onto it (dbf_priority_parse). */
enum dbf_priority {
    DBF_PRIORITY_NONE = 0, /* none written, or a word not understood */
    DBF_PRIORITY_P0,
    DBF_PRIORITY_P1,
    DBF_PRIORITY_P2,
    DBF_PRIORITY_P3,
    DBF_PRIORITY_P4,
};

/* The priority TEXT names: "P0".."P4" (also "p1", "P-1", "1"); "critical",
 * "urgent", "blocker", "highest", "very high" → P0; "high", "major" → P1;
 * "medium", "normal", "moderate" → P2; "low" → P3; "lowest", "very low",
 * "trivial", "minor", "nice to have", "backlog" → P4 (priority.c has the
 * whole table). Words such as "priority" around them are ignored ("High
 * priority"); the first value counts ("P1 (high)"), unless another word
 * comes first ("not urgent"). DBF_PRIORITY_NONE for NULL or anything else. */
enum dbf_priority dbf_priority_parse(const char *text);
/* "P0".."P4", or NULL for DBF_PRIORITY_NONE. */
const char *dbf_priority_name(enum dbf_priority priority);

/* One action item with where it came from. */
struct dbf_action_item {
    const char *postmortem;    /* the post mortem's id: front matter `id`, else the file name */
    const char *title;         /* its title, or NULL */
    const char *path;          /* the file it was read from */
    int line;                  /* the item's line in that file */
    int number;                /* 0 when not numbered */
    int order;                 /* position among its post mortem's items, from 1 */
    const char *description;   /* one line, runs of white space made one space */
    const char *owner;         /* NULL when none */
    struct dbf_date due;       /* year 0 when none */
    const char *priority_text; /* as written, or NULL */
    enum dbf_priority priority;
    const int *lessons;
    size_t lesson_count;
    bool done;         /* marked done; an item of unknown status counts as open */
    const char *link;  /* NULL when none */
    long days_overdue; /* open, and this many days past its deadline; 0 when not overdue */
    int repeat;        /* earlier items of its post mortem with the same number and description */
};

struct dbf_action_list;

/* An empty list judged against TODAY. NULL when memory runs out. Free with
 * dbf_action_list_free(). */
struct dbf_action_list *dbf_action_list_new(struct dbf_date today);
void dbf_action_list_free(struct dbf_action_list *list);

/* Adds every action item of DOC, except rows with nothing in them (a
 * template's blank table rows). Returns false when memory runs out. */
bool dbf_action_list_add(struct dbf_action_list *list, const struct dbf_doc *doc);

/* Adds the items of FROM, another list (one post mortem's items kept from
 * an earlier dbf_action_list_add(), say), as if their document were added
 * to LIST now: copied, and judged against LIST's day. ADJUST (may be NULL)
 * is called on each copied item before it is judged and may change its
 * `done` and its `link` (a tracker's status laid over what the document
 * says; a new link is borrowed only for the call, and written on one line).
 * Returns false when memory runs out. */
bool dbf_action_list_add_list(struct dbf_action_list *list, const struct dbf_action_list *from,
                              void (*adjust)(void *ctx, struct dbf_action_item *item), void *ctx);

/* The bytes LIST holds, its items and their strings: what a cache that
 * keeps lists charges for one. */
size_t dbf_action_list_bytes(const struct dbf_action_list *list);

size_t dbf_action_list_count(const struct dbf_action_list *list);
/* The Ith item, 0-based; I must be below the count. */
const struct dbf_action_item *dbf_action_list_at(const struct dbf_action_list *list, size_t i);
struct dbf_date dbf_action_list_today(const struct dbf_action_list *list);

/* What to keep; a zeroed filter keeps everything. */
enum dbf_action_status_filter { DBF_STATUS_ANY, DBF_STATUS_OPEN, DBF_STATUS_DONE };
struct dbf_action_filter {
    const char *owner; /* see dbf_action_owner_matches; NULL for any */
    enum dbf_action_status_filter status;
    bool overdue;        /* only overdue items */
    int due_within;      /* > 0: only open items due at most this many days after today,
                            overdue ones included */
    unsigned priorities; /* bit (1 << enum dbf_priority) for each one kept; 0 for any */
};

/* Does an item whose owner is OWNER (may be NULL) belong to WANTED? Case is
 * ignored and so is a leading '@' on either side; WANTED matches the whole
 * owner or whole words of it ("jane" and "@jane" match "Jane Doe",
 * "Jane Doe (@jdoe)" and "@jane", not "janet"). */
bool dbf_action_owner_matches(const char *owner, const char *wanted);

/* Does ITEM pass FILTER on day TODAY? */
bool dbf_action_filter_matches(const struct dbf_action_filter *filter,
                               const struct dbf_action_item *item, struct dbf_date today);

/* Drops the items FILTER does not keep. */
void dbf_action_list_filter(struct dbf_action_list *list, const struct dbf_action_filter *filter);

/* Puts the items in follow-up order: overdue first (most overdue first),
 * then by deadline (none last), then by post mortem id, number and order. */
void dbf_action_list_sort(struct dbf_action_list *list);

struct dbf_action_summary {
    size_t total, open, done, overdue;
    double completion_rate; /* done / total; 0 when there is no item */
};
struct dbf_action_summary dbf_action_list_summary(const struct dbf_action_list *list);

/* Parses a window such as "14d", "2w", "30d", "14" (days) into days. Returns
 * false for anything else, or for a window of zero or more than 100 years. */
bool dbf_action_parse_window(const char *text, int *days);

/* The writers append the list, in its current order, to OUT.
 *
 * JSON: {"items":[{"postmortem","number","description","owner","due",
 * "priority","lessons","status","link","days_overdue", …}],"summary":{…}}
 * (DESIGN.md §6); absent values are null. */
void dbf_actions_write_json(const struct dbf_action_list *list, struct dbf_buf *out);

/* CSV (RFC 4180: CRLF, fields quoted when they hold a comma, quote or line
 * break) with a header row: postmortem, number, description, owner, due,
 * priority, lessons, status, link, days_overdue, title, path, line. */
void dbf_actions_write_csv(const struct dbf_action_list *list, struct dbf_buf *out);

/* iCalendar (RFC 5545): one VCALENDAR with a VTODO per item; STAMP (seconds
 * since the epoch) is every VTODO's DTSTAMP. UIDs depend only on the post
 * mortem id, number and description, so a re-import updates, not doubles. */
void dbf_actions_write_ics(const struct dbf_action_list *list, int64_t stamp, struct dbf_buf *out);

/* A table for people: aligned columns fitting WIDTH columns (0: no limit;
 * descriptions are cut with "…" to fit), ANSI colour when COLOUR, then the
 * summary line. */
void dbf_actions_write_table(const struct dbf_action_list *list, int width, bool colour,
                             struct dbf_buf *out);

/* The summary line, without a newline: "7 action items: 4 open (2 overdue),
 * 3 done; 43% complete". */
void dbf_actions_write_summary(const struct dbf_action_list *list, struct dbf_buf *out);

#endif
