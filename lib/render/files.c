/* files.c: the files a document names (images, metric files), their names,
 * and reading them from the document's folder or from a file source.
 *
 * From a folder, a path is resolved with realpath() (so `..` and symbolic
 * links cannot lead out) and must lie inside the folder's real path. From a
 * file source (struct dbf_render_files), the path is first made a name by
 * dbf_render_file_name(), which refuses anything that could point outside. */
#include "charts.h"
#include "parts.h"

#include "../parse/parse.h"
#include "../util/huge_pages.h"

#include <cmark-gfm.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *dbf__url_path(const char *url)
{
    size_t n = strcspn(url, "?#");
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (url[i] == '%' && i + 2 < n && (hi = hex_value(url[i + 1])) >= 0 &&
            (lo = hex_value(url[i + 2])) >= 0) {
            if (hi == 0 && lo == 0) {
                free(out);
                return NULL;
            }
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = url[i];
        }
    }
    *o = '\0';
    return out;
}

size_t dbf__scheme_length(const char *url)
{
    if (!isalpha((unsigned char)url[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)url[i]) || url[i] == '+' || url[i] == '-' || url[i] == '.')
        i++;
    return url[i] == ':' && i > 1 ? i : 0; /* "C:" alone is a drive, not a scheme */
}

bool dbf__image_is_local(const char *url)
{
    return *url && strncmp(url, "//", 2) != 0 && !dbf__scheme_length(url);
}

bool dbf_render_file_name(const char *path, struct dbf_buf *out)
{
    if (!path || !*path || path[0] == '/')
        return false;
    struct dbf_buf name;
    dbf_buf_init(&name, DBF_RENDER_FILE_NAME_MAX + 1);
    const char *p = path;
    while (*p) {
        size_t n = strcspn(p, "/");
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\') {
                dbf_buf_release(&name);
                return false;
            }
        /* "..", and hidden files (".git/config", ".env"): a document has
         * no business naming them, and import must not send them. */
        if (n >= 2 && p[0] == '.') {
            dbf_buf_release(&name);
            return false;
        }
        if (n && !(n == 1 && p[0] == '.')) {
            if (name.len)
                dbf_buf_addc(&name, '/');
            dbf_buf_add(&name, p, n);
        }
        p += n;
        while (*p == '/')
            p++;
    }
    bool ok = !name.failed && name.len > 0 && name.len <= DBF_RENDER_FILE_NAME_MAX;
    if (ok)
        dbf_buf_add(out, name.data, name.len);
    dbf_buf_release(&name);
    return ok;
}

/* Resolves PATH against the folder BASE_DIR: a malloc'd real path inside
 * that folder, whose real path goes to BASE, or NULL with the reason in
 * WHY. */
static char *resolve_local(const char *base_dir, const char *path, char base[PATH_MAX], char *why,
                           size_t whylen)
{
    if (!realpath(base_dir && *base_dir ? base_dir : ".", base)) {
        snprintf(why, whylen, "the document's folder cannot be read (%s)", strerror(errno));
        return NULL;
    }
    struct dbf_buf joined;
    dbf_buf_init(&joined, PATH_MAX);
    if (path[0] != '/') {
        dbf_buf_adds(&joined, base);
        dbf_buf_addc(&joined, '/');
    }
    dbf_buf_adds(&joined, path);
    char *real = joined.failed ? NULL : realpath(joined.data, NULL);
    int saved = errno;
    dbf_buf_release(&joined);
    if (!real) {
        snprintf(why, whylen, "%s",
                 saved == ENOENT || saved == ENOTDIR ? "no such file" : strerror(saved));
        return NULL;
    }
    size_t n = strlen(base);
    bool inside = strncmp(real, base, n) == 0 && (real[n] == '/' || (n == 1 && base[0] == '/'));
    if (!inside) {
        snprintf(why, whylen,
                 "it is outside the document's folder; only files in that folder or "
                 "below are read");
        free(real);
        return NULL;
    }
    return real;
}

/* Is the file open as FD inside BASE (a real path)? Asked of the file
 * opened, not of its name, so a folder swapped for a symbolic link between
 * realpath() and open() cannot lead out. */
static bool opened_inside(int fd, const char *base)
{
    char link[64], real[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, real, sizeof real - 1);
    if (len <= 0)
        return false;
    real[len] = '\0';
    size_t n = strlen(base);
    return strncmp(real, base, n) == 0 && (real[n] == '/' || (n == 1 && base[0] == '/'));
}

/* SIZE bytes to read a file into; a large one in huge pages where the
 * kernel has them, which halves the cost of touching it. Freed with free(). */
static unsigned char *big_buffer(size_t size)
{
    return size < 4 * DBF__HUGE_PAGE ? malloc(size) : dbf__huge_alloc(size);
}

/* Opens the regular file at PATH inside BASE, of at most MAX bytes: its
 * descriptor and *SIZE, or -1 with the reason in WHY. */
static int open_path(const char *path, const char *base, size_t max, size_t *size, char *why,
                     size_t whylen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    const char *problem = !opened_inside(fd, base) ? "it moved outside the document's folder"
                          : fstat(fd, &st) != 0    ? strerror(errno)
                          : !S_ISREG(st.st_mode)   ? "it is not a regular file"
                                                   : NULL;
    if (!problem && (uint64_t)st.st_size > max)
        problem = "too large";
    if (problem) {
        if (strcmp(problem, "too large") == 0)
            snprintf(why, whylen, "it is larger than %zu MiB", max >> 20);
        else
            snprintf(why, whylen, "%s", problem);
        close(fd);
        return -1;
    }
    *size = (size_t)st.st_size;
    return fd;
}

/* The regular file at PATH inside BASE, at most MAX bytes, NUL-terminated. */
static unsigned char *read_path(const char *path, const char *base, size_t max, size_t *len,
                                char *why, size_t whylen)
{
    size_t size;
    int fd = open_path(path, base, max, &size, why, whylen);
    if (fd < 0)
        return NULL;
    size_t got = 0;
    unsigned char *data = big_buffer(size + 1);
    if (!data) {
        snprintf(why, whylen, "out of memory");
        close(fd);
        return NULL;
    }
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    int saved = errno;
    close(fd);
    if (got < size) {
        snprintf(why, whylen, "%s", got ? "it changed while it was read" : strerror(saved));
        free(data);
        return NULL;
    }
    data[size] = '\0';
    *len = size;
    return data;
}

unsigned char *dbf__file_read(const struct dbf__page *page, const char *path, size_t max,
                              size_t *len, char *why, size_t whylen)
{
    *len = 0;
    if (page->files) {
        struct dbf_buf name;
        dbf_buf_init(&name, 0);
        unsigned char *data = NULL;
        if (!dbf_render_file_name(path, &name))
            snprintf(why, whylen,
                     "only files in the document's folder or below are embedded, named "
                     "without '..'");
        else
            data = page->files->read(page->files->context, name.data, max, len, why, whylen);
        dbf_buf_release(&name);
        return data;
    }
    return dbf_render_read_local(page->base_dir, path, max, len, why, whylen);
}

int dbf__file_open(const struct dbf__page *page, const char *path, size_t max, size_t *size,
                   char *why, size_t whylen)
{
    if (page->files) {
        *why = '\0';
        return -1;
    }
    char base[PATH_MAX];
    char *real = resolve_local(page->base_dir, path, base, why, whylen);
    if (!real)
        return -1;
    int fd = open_path(real, base, max, size, why, whylen);
    free(real);
    return fd;
}

unsigned char *dbf_render_read_local(const char *base_dir, const char *path, size_t max,
                                     size_t *len, char *why, size_t whylen)
{
    *len = 0;
    char base[PATH_MAX];
    char *real = resolve_local(base_dir, path, base, why, whylen);
    if (!real)
        return NULL;
    unsigned char *data = read_path(real, base, max, len, why, whylen);
    free(real);
    return data;
}

/* ---- The files a document names ---- */

struct names {
    char **items;
    size_t count, cap;
    bool failed;
};

static void names_add(struct names *n, const char *path)
{
    struct dbf_buf name;
    dbf_buf_init(&name, 0);
    if (!dbf_render_file_name(path, &name) || name.failed) {
        dbf_buf_release(&name);
        return;
    }
    for (size_t i = 0; i < n->count; i++)
        if (strcmp(n->items[i], name.data) == 0) {
            dbf_buf_release(&name);
            return;
        }
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 8;
        char **grown = realloc(n->items, cap * sizeof *grown);
        if (!grown) {
            n->failed = true;
            dbf_buf_release(&name);
            return;
        }
        n->items = grown;
        n->cap = cap;
    }
    n->items[n->count++] = dbf_buf_detach(&name, NULL);
}

size_t dbf_render_files_named(const struct dbf_doc *doc, char ***names)
{
    struct names n = {0};
    for (size_t i = 0; i < doc->meta.metric_count; i++)
        if (doc->meta.metrics[i].file)
            names_add(&n, doc->meta.metrics[i].file);
    int first_line;
    size_t body = dbf__body_offset(doc, &first_line);
    pthread_mutex_lock(&dbf__cmark_parse_lock);
    cmark_node *root =
        cmark_parse_document(doc->source + body, doc->source_len - body, CMARK_OPT_DEFAULT);
    pthread_mutex_unlock(&dbf__cmark_parse_lock);
    cmark_iter *it = root ? cmark_iter_new(root) : NULL;
    n.failed |= !it;
    cmark_event_type ev;
    while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        const char *url = cmark_node_get_url(node);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_IMAGE || !url ||
            !dbf__image_is_local(url))
            continue;
        char *path = dbf__url_path(url);
        if (path)
            names_add(&n, path);
        free(path);
    }
    cmark_iter_free(it);
    if (root)
        cmark_node_free(root);
    if (n.failed) {
        dbf_render_files_free(n.items, n.count);
        *names = NULL;
        return 0;
    }
    *names = n.items;
    return n.count;
}

void dbf_render_files_free(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
