/* buf.h: a growable byte buffer with a size cap and a sticky error.
 *
 * Writers append without checking each call; the owner checks `failed` once
 * at the end. `data` is never NULL after dbf_buf_init() and is always
 * NUL-terminated. A failed buffer keeps what it had and ignores appends. */
#ifndef DEBRIEF_BUF_H
#define DEBRIEF_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct dbf_buf {
    char *data;
    size_t len, alloc;
    size_t cap;  /* largest allowed len; 0 means 1 GiB */
    bool failed; /* an append hit the cap or memory ran out */
};

void dbf_buf_init(struct dbf_buf *buf, size_t cap);
void dbf_buf_release(struct dbf_buf *buf);
void dbf_buf_reset(struct dbf_buf *buf);

/* Hands the bytes to the caller (free() them) and leaves BUF empty. */
char *dbf_buf_detach(struct dbf_buf *buf, size_t *len);

void dbf_buf_add(struct dbf_buf *buf, const void *data, size_t len);
void dbf_buf_adds(struct dbf_buf *buf, const char *s);
void dbf_buf_addc(struct dbf_buf *buf, char c);
void dbf_buf_addf(struct dbf_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dbf_buf_vaddf(struct dbf_buf *buf, const char *fmt, va_list ap);

/* Appends everything F has left to read. Returns false when reading failed
 * (errno says why) or BUF failed (the cap was reached: the input is larger
 * than allowed). */
bool dbf_buf_add_stream(struct dbf_buf *buf, FILE *f);

/* Appends S as the inside of a JSON string (no quotes added). */
void dbf_buf_add_json_string(struct dbf_buf *buf, const char *s);

/* Appends S as a quoted JSON string, or null when S is NULL. */
void dbf_buf_add_json_value(struct dbf_buf *buf, const char *s);

/* Appends S with &, <, >, " and ' escaped for HTML and XML. */
void dbf_buf_add_html(struct dbf_buf *buf, const char *s);

#endif
