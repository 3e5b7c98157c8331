/* document.c: checks the bytes of a post mortem and runs the parse stages.
 *
 * Input is refused only when it cannot be a post mortem: too large, binary
 * (a NUL byte), not UTF-8, or front matter that is not YAML. Everything else
 * yields a model, however odd the Markdown. */
#include "../util/re.h"
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *dbf__vec_push(void *arr, size_t *count, size_t *cap, size_t size)
{
    void **p = arr;
    if (*count == *cap) {
        size_t n = *cap ? *cap * 2 : 16;
        void *grown = realloc(*p, n * size);
        if (!grown)
            abort();
        *p = grown;
        *cap = n;
    }
    char *elem = (char *)*p + (*count)++ * size;
    memset(elem, 0, size);
    return elem;
}

static void set_error(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* The offset of the first byte that breaks UTF-8, or LEN when all is well. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* Eight ASCII bytes at a time: most of a post mortem is ASCII. */
        uint64_t word;
        if (i + 8 <= len && (memcpy(&word, s + i, 8), (word & 0x8080808080808080u) == 0)) {
            i += 8;
            continue;
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned min;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return i;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

static int line_of(const char *s, size_t offset)
{
    int line = 1;
    for (const char *nl = s; (nl = memchr(nl, '\n', (size_t)(s + offset - nl))); nl++)
        line++;
    return line;
}

/* The front matter read while the Markdown waits for the parse lock. */
struct front_matter {
    struct dbf_doc *doc;
    char *err;
    size_t errlen;
};

static bool read_front_matter(void *ctx)
{
    struct front_matter *f = ctx;
    return dbf__front_matter_parse(f->doc, f->err, f->errlen);
}

struct dbf_doc *dbf_doc_parse(const char *path, const char *source, size_t len, char *err,
                              size_t errlen)
{
    if (len > DBF_MAX_INPUT) {
        set_error(err, errlen, "1:1: file is %zu bytes; the limit for a post mortem is %zu MiB",
                  len, DBF_MAX_INPUT >> 20);
        return NULL;
    }
    const char *nul = memchr(source, '\0', len);
    if (nul) {
        size_t at = (size_t)(nul - source);
        set_error(err, errlen, "%d:1: binary data (a NUL byte at offset %zu); not a Markdown file",
                  line_of(source, at), at);
        return NULL;
    }
    size_t bad = utf8_invalid_at((const unsigned char *)source, len);
    if (bad < len) {
        int line = line_of(source, bad);
        size_t col = 1;
        while (col <= bad && source[bad - col] != '\n')
            col++;
        set_error(err, errlen, "%d:%zu: not valid UTF-8 (byte 0x%02x); save the file as UTF-8",
                  line, col, (unsigned char)source[bad]);
        return NULL;
    }

    struct dbf_doc *doc = calloc(1, sizeof *doc);
    struct dbf__doc_internal *internal = calloc(1, sizeof *internal);
    if (!doc || !internal) {
        free(doc);
        free(internal);
        set_error(err, errlen, "1:1: out of memory");
        return NULL;
    }
    doc->internal = internal;
    dbf__arena_init(&internal->arena);
    size_t skip = len >= 3 && memcmp(source, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a BOM */
    char *copy = dbf__arena_strndup(&internal->arena, source + skip, len - skip);
    for (char *cr = copy; (cr = memchr(cr, '\r', (size_t)(copy + len - skip - cr))); cr++)
        if (cr[1] == '\n')
            *cr = ' '; /* CRLF: keep offsets and lines, lose the CR */
    doc->source = copy;
    doc->source_len = len - skip;
    doc->path = dbf__arena_strdup(&internal->arena, path ? path : "-");
    doc->line_count =
        line_of(copy, doc->source_len) - (doc->source_len && copy[doc->source_len - 1] == '\n');

    internal->line_start =
        dbf__arena_alloc(&internal->arena, ((size_t)doc->line_count + 1) * sizeof(size_t));
    const char *nl = copy;
    for (size_t line = 1; line < (size_t)doc->line_count; line++, nl++) {
        nl = memchr(nl, '\n', (size_t)(copy + doc->source_len - nl));
        internal->line_start[line] = (size_t)(nl - copy) + 1;
    }
    /* Where a line after the last would start: dbf_doc_line() gives a line's
     * length without looking for its end, which a line of megabytes with a
     * finding at every word would pay at each. */
    internal->line_start[doc->line_count] =
        doc->source_len + !(doc->source_len && copy[doc->source_len - 1] == '\n');

    doc->meta.customer_facing = doc->meta.slo_breach = doc->meta.security = DBF_UNSET;
    size_t body = dbf__front_matter_find(doc);
    struct front_matter front = {doc, err, errlen};
    if (!dbf__markdown_walk(doc, body, line_of(copy, body),
                            &(struct dbf__meanwhile){read_front_matter, &front})) {
        dbf_doc_free(doc);
        return NULL;
    }
    /* The extractors search the blocks with many patterns, and only add to
     * the arena: each piece of text is read once for all of them. */
    dbf__re_freeze_arena(&internal->arena);
    dbf__directives_extract(doc);
    dbf__timeline_extract(doc);
    dbf__whys_extract(doc);
    dbf__lessons_extract(doc);
    dbf__actions_extract(doc);
    dbf__impact_extract(doc);
    dbf__re_frozen_end();
    return doc;
}

/* Reads FD to its end into *DATA (malloc()ed, *LEN bytes), starting with
 * room for CAP bytes; stops early past DBF_MAX_INPUT, or once it has the
 * SIZE bytes fstat() gave a regular file (SIZE_MAX: not known), without
 * one more read() to meet the end. False on a read error (errno says
 * which) or when memory runs out (errno 0). */
static bool read_all(int fd, size_t size, size_t cap, char **data, size_t *len)
{
    *len = 0;
    *data = malloc(cap);
    while (*data) {
        ssize_t n = read(fd, *data + *len, cap - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        *len += (size_t)n;
        if (n == 0 || *len == size)
            return true;
        if (*len == cap) {
            if (cap > DBF_MAX_INPUT)
                return true;
            char *grown = realloc(*data, cap * 2);
            if (!grown)
                break;
            *data = grown;
            cap *= 2;
        }
    }
    free(*data);
    *data = NULL;
    errno = 0;
    return false;
}

/* A file is read with open(), one fstat() and read()s into a buffer of its
 * size: the lint of a thousand files spent a tenth of its time in the
 * kernel, and stdio's buffer cost three more calls a file. */
struct dbf_doc *dbf_doc_load(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_error(err, errlen, "0:0: cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    bool known = fstat(fd, &st) == 0;
    if (known && S_ISDIR(st.st_mode)) {
        close(fd);
        set_error(err, errlen, "0:0: is a directory");
        return NULL;
    }
    bool regular = known && S_ISREG(st.st_mode);
    if (regular && (size_t)st.st_size > DBF_MAX_INPUT) {
        close(fd);
        set_error(err, errlen, "1:1: file is %lld bytes; the limit for a post mortem is %zu MiB",
                  (long long)st.st_size, DBF_MAX_INPUT >> 20);
        return NULL;
    }
    /* Room for what fstat() says the file holds (one byte more, so that
     * an empty file gets a buffer too): read_all() stops once it has it,
     * one read() a file. */
    char *data;
    size_t len;
    size_t size = regular ? (size_t)st.st_size : SIZE_MAX;
    bool read_ok = read_all(fd, size, regular ? size + 1 : 65536, &data, &len);
    int read_errno = errno;
    close(fd);
    if (!read_ok) {
        set_error(err, errlen, "0:0: cannot read: %s",
                  read_errno ? strerror(read_errno) : "out of memory");
        return NULL;
    }
    struct dbf_doc *doc = dbf_doc_parse(path, data, len, err, errlen);
    free(data);
    return doc;
}

void dbf_doc_free(struct dbf_doc *doc)
{
    if (!doc)
        return;
    free(doc->blocks);
    free(doc->sections);
    free(doc->timeline);
    free(doc->whys);
    free(doc->figures);
    free(doc->lessons);
    for (size_t i = 0; i < doc->action_count; i++)
        free(doc->actions[i].lessons);
    free(doc->actions);
    free(doc->directives);
    free(doc->meta.metrics);
    free(doc->meta.communication);
    dbf__arena_release(&doc->internal->arena);
    free(doc->internal);
    free(doc);
}

int dbf_doc_block_line(const struct dbf_block *block, size_t offset)
{
    /* The number of newlines before OFFSET, by binary search. */
    size_t lo = 0, hi = block->newline_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (block->newlines[mid] < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return block->pos.line + (int)lo;
}

const char *dbf_doc_line(const struct dbf_doc *doc, int line, size_t *len)
{
    if (line < 1 || line > doc->line_count)
        return NULL;
    size_t start = doc->internal->line_start[line - 1];
    *len = doc->internal->line_start[line] - 1 - start;
    return doc->source + start;
}

enum dbf_section_kind dbf_doc_block_kind(const struct dbf_doc *doc, const struct dbf_block *block)
{
    const struct dbf_section *s = dbf__block_section(doc, block);
    return s ? s->effective : DBF_SECTION_OTHER;
}

const struct dbf_section *dbf_doc_section(const struct dbf_doc *doc, enum dbf_section_kind kind)
{
    for (size_t i = 0; i < doc->section_count; i++)
        if (doc->sections[i].effective == kind || (doc->sections[i].kinds & (1u << kind)))
            return &doc->sections[i];
    return NULL;
}

bool dbf_doc_has_section(const struct dbf_doc *doc, enum dbf_section_kind kind)
{
    return dbf_doc_section(doc, kind) != NULL;
}
