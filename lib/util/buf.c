/* buf.c: the growable buffer of buf.h. */
#include "debrief/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CAP ((size_t)1 << 30)

static char empty[1];

void dbf_buf_init(struct dbf_buf *buf, size_t cap)
{
    buf->data = empty;
    buf->len = buf->alloc = 0;
    buf->cap = cap ? cap : DEFAULT_CAP;
    buf->failed = false;
}

void dbf_buf_release(struct dbf_buf *buf)
{
    if (buf->alloc)
        free(buf->data);
    dbf_buf_init(buf, buf->cap);
}

void dbf_buf_reset(struct dbf_buf *buf)
{
    buf->len = 0;
    if (buf->alloc)
        buf->data[0] = '\0';
    buf->failed = false;
}

char *dbf_buf_detach(struct dbf_buf *buf, size_t *len)
{
    char *p = buf->alloc ? buf->data : strdup("");
    if (len)
        *len = buf->alloc ? buf->len : 0;
    buf->data = empty;
    buf->len = buf->alloc = 0;
    return p;
}

static bool grow(struct dbf_buf *buf, size_t extra)
{
    if (buf->failed)
        return false;
    if (extra > buf->cap || buf->len > buf->cap - extra) {
        buf->failed = true;
        return false;
    }
    size_t need = buf->len + extra + 1;
    if (need <= buf->alloc)
        return true;
    size_t alloc = buf->alloc ? buf->alloc : 64;
    while (alloc < need)
        alloc *= 2;
    char *p = realloc(buf->alloc ? buf->data : NULL, alloc);
    if (!p) {
        buf->failed = true;
        return false;
    }
    if (!buf->alloc)
        p[0] = '\0';
    buf->data = p;
    buf->alloc = alloc;
    return true;
}

void dbf_buf_add(struct dbf_buf *buf, const void *data, size_t len)
{
    if (!grow(buf, len))
        return;
    memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
}

void dbf_buf_adds(struct dbf_buf *buf, const char *s)
{
    dbf_buf_add(buf, s, strlen(s));
}

void dbf_buf_addc(struct dbf_buf *buf, char c)
{
    dbf_buf_add(buf, &c, 1);
}

void dbf_buf_vaddf(struct dbf_buf *buf, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || !grow(buf, (size_t)n))
        return;
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    buf->len += (size_t)n;
}

void dbf_buf_addf(struct dbf_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dbf_buf_vaddf(buf, fmt, ap);
    va_end(ap);
}

bool dbf_buf_add_stream(struct dbf_buf *buf, FILE *f)
{
    char chunk[65536];
    size_t n;
    while (!buf->failed && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        dbf_buf_add(buf, chunk, n);
    return !ferror(f) && !buf->failed;
}

void dbf_buf_add_json_string(struct dbf_buf *buf, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            dbf_buf_add(buf, "\\\"", 2);
            break;
        case '\\':
            dbf_buf_add(buf, "\\\\", 2);
            break;
        case '\n':
            dbf_buf_add(buf, "\\n", 2);
            break;
        case '\r':
            dbf_buf_add(buf, "\\r", 2);
            break;
        case '\t':
            dbf_buf_add(buf, "\\t", 2);
            break;
        default:
            if (*p < 0x20)
                dbf_buf_addf(buf, "\\u%04x", *p);
            else
                dbf_buf_addc(buf, (char)*p);
        }
    }
}

void dbf_buf_add_json_value(struct dbf_buf *buf, const char *s)
{
    if (!s) {
        dbf_buf_adds(buf, "null");
        return;
    }
    dbf_buf_addc(buf, '"');
    dbf_buf_add_json_string(buf, s);
    dbf_buf_addc(buf, '"');
}

void dbf_buf_add_html(struct dbf_buf *buf, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&':
            dbf_buf_adds(buf, "&amp;");
            break;
        case '<':
            dbf_buf_adds(buf, "&lt;");
            break;
        case '>':
            dbf_buf_adds(buf, "&gt;");
            break;
        case '"':
            dbf_buf_adds(buf, "&quot;");
            break;
        case '\'':
            dbf_buf_adds(buf, "&#39;");
            break;
        default:
            dbf_buf_addc(buf, *p);
        }
    }
}
