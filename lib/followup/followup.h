/* followup.h: what the files of the action item list share.
 *
 * The list owns one arena for every string its items point to; the items
 * array itself grows with realloc and is reordered in place. */
#ifndef DBF_FOLLOWUP_H
#define DBF_FOLLOWUP_H

#include "../util/arena.h"
#include "debrief/actions.h"

struct dbf_action_list {
    struct dbf_date today;
    struct dbf_action_item *items;
    size_t count, alloc;
    struct dbf__arena arena;
};

/* Appends S as one CSV field: quoted (with quotes doubled) when it holds a
 * comma, quote, CR or LF, or starts or ends with a space; as is otherwise.
 * NULL is an empty field. */
void dbf__csv_add_field(struct dbf_buf *out, const char *s);

/* Appends S as an iCalendar TEXT value: '\\', ';' and ',' escaped, line
 * breaks as "\\n", other control characters dropped. */
void dbf__ics_add_text(struct dbf_buf *out, const char *s);

/* Appends the content line LINE (LEN bytes, no line break) folded at 75
 * octets, never inside a UTF-8 sequence, each physical line ended by CRLF
 * and continued by one space. */
void dbf__ics_add_line(struct dbf_buf *out, const char *line, size_t len);

/* A stable 64-bit hash of the LEN bytes at DATA (FNV-1a), continuing from
 * SEED; start with DBF__HASH_SEED. */
#define DBF__HASH_SEED UINT64_C(0xcbf29ce484222325)
uint64_t dbf__hash(uint64_t seed, const void *data, size_t len);

/* Cleans the one-line description S in place: drops a leading check box
 * and number, field runs ("owner: …, due: …", bracketed or trailing) and
 * the owner OWNER in brackets at the end. */
void dbf__action_clean_description(char *s, const char *owner);

/* Days since 1970-01-01 of D. */
long dbf__action_day(struct dbf_date d);

/* How many terminal columns S takes: code points, counting East Asian wide
 * and emoji ones as two and combining marks as none. */
size_t dbf__text_width(const char *s);

#endif
