/* images.c: the document's images, embedded as data URIs.
 *
 * Only files in the document's folder or below are read: the path is
 * resolved with realpath() (so `..` and symbolic links cannot lead out) and
 * must start with the folder's real path. Remote images would make the page
 * fetch them when opened, so they become links instead. The type comes from
 * the file's first bytes, never from its name. */
#include "parts.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_IMAGE ((size_t)8 << 20) /* a screenshot or a graph, not a video */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* URL's path part, percent-decoded; NULL for an encoded NUL. */
static char *url_path(const char *url)
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

/* The length of URL's scheme ("https" -> 5), or 0 when it has none. */
static size_t scheme_length(const char *url)
{
    if (!isalpha((unsigned char)url[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)url[i]) || url[i] == '+' || url[i] == '-' || url[i] == '.')
        i++;
    return url[i] == ':' && i > 1 ? i : 0; /* "C:" alone is a drive, not a scheme */
}

char *dbf__resolve_local(const struct dbf__page *page, const char *path, char *why, size_t whylen)
{
    char base[PATH_MAX];
    if (!realpath(page->base_dir && *page->base_dir ? page->base_dir : ".", base)) {
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
        snprintf(why, whylen, "%s", saved == ENOENT ? "no such file" : strerror(saved));
        return NULL;
    }
    size_t n = strlen(base);
    bool inside = strncmp(real, base, n) == 0 && (real[n] == '/' || (n == 1 && base[0] == '/'));
    if (!inside) {
        snprintf(why, whylen,
                 "it is outside the document's folder; only files in that folder or "
                 "below are embedded");
        free(real);
        return NULL;
    }
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "it is not a regular file");
        free(real);
        return NULL;
    }
    return real;
}

/* The MIME type of an image from its first bytes, or NULL. */
static const char *sniff(const unsigned char *d, size_t n)
{
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0)
        return "image/jpeg";
    if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
        return "image/gif";
    if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "image/webp";
    /* SVG: text that opens an <svg> element early on. An SVG shown through
     * <img> runs no script, so it is as safe as a bitmap. */
    size_t look = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 4 <= look; i++)
        if (d[i] == '<' && strncasecmp((const char *)d + i + 1, "svg", 3) == 0)
            return "image/svg+xml";
    return NULL;
}

static void base64(struct dbf_buf *out, const unsigned char *d, size_t n)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        char q[4] = {digits[(v >> 18) & 63], digits[(v >> 12) & 63],
                     i + 1 < n ? digits[(v >> 6) & 63] : '=', i + 2 < n ? digits[v & 63] : '='};
        dbf_buf_add(out, q, 4);
    }
}

static unsigned char *read_file(const char *path, size_t *len, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, whylen, "%s", strerror(errno));
        return NULL;
    }
    struct dbf_buf data;
    dbf_buf_init(&data, MAX_IMAGE);
    dbf_buf_add_stream(&data, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (data.failed || bad) {
        snprintf(why, whylen, bad ? "it cannot be read" : "it is larger than %zu MiB",
                 MAX_IMAGE >> 20);
        dbf_buf_release(&data);
        return NULL;
    }
    return (unsigned char *)dbf_buf_detach(&data, len);
}

static void refuse(struct dbf__page *page, struct dbf_buf *out, const char *url, const char *alt,
                   const char *why, int line)
{
    dbf__notes_add(page, line, "image '%s' is not shown: %s", url, why);
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    dbf_buf_addf(&text, "Image '%s'%s%s%s is not shown: %s.", url, *alt ? " (" : "", alt,
                 *alt ? ")" : "", why);
    dbf__note_html(out, true, text.data);
    dbf_buf_release(&text);
}

void dbf__image_html(struct dbf__page *page, struct dbf_buf *out, const char *url, const char *alt,
                     const char *title, int line)
{
    alt = alt ? alt : "";
    size_t scheme = scheme_length(url);
    bool remote =
        strncmp(url, "//", 2) == 0 ||
        (scheme && (strncasecmp(url, "http:", 5) == 0 || strncasecmp(url, "https:", 6) == 0));
    if (remote) {
        /* Not fetched: opening the page must make no request. */
        dbf_buf_adds(out, "<a class=\"remote-image\" href=\"");
        dbf_buf_add_html(out, url);
        dbf_buf_adds(out, "\">");
        dbf_buf_adds(out, "Image: ");
        dbf_buf_add_html(out, *alt ? alt : url);
        dbf_buf_adds(out, "</a>");
        dbf__notes_add(page, line,
                       "remote image '%s' is shown as a link; save it beside the "
                       "document to embed it",
                       url);
        return;
    }
    if (strncasecmp(url, "data:image/", 11) == 0) {
        /* Already inline: nothing is fetched. */
        dbf_buf_adds(out, "<img src=\"");
        dbf_buf_add_html(out, url);
        dbf_buf_adds(out, "\" alt=\"");
        dbf_buf_add_html(out, alt);
        dbf_buf_adds(out, "\">");
        return;
    }
    if (scheme || !*url) {
        refuse(page, out, url, alt,
               *url ? "only files in the document's folder are embedded" : "it has no address",
               line);
        return;
    }
    char why[256];
    char *path = url_path(url);
    char *real = path ? dbf__resolve_local(page, path, why, sizeof why) : NULL;
    free(path);
    if (!path && !real)
        snprintf(why, sizeof why, "its address is malformed");
    if (!real) {
        refuse(page, out, url, alt, why, line);
        return;
    }
    size_t len = 0;
    unsigned char *data = read_file(real, &len, why, sizeof why);
    free(real);
    const char *type = data ? sniff(data, len) : NULL;
    if (data && !type)
        snprintf(why, sizeof why, "it is not a PNG, JPEG, GIF, WebP or SVG image");
    if (!type) {
        free(data);
        refuse(page, out, url, alt, why, line);
        return;
    }
    dbf_buf_addf(out, "<img src=\"data:%s;base64,", type);
    base64(out, data, len);
    free(data);
    dbf_buf_adds(out, "\" alt=\"");
    dbf_buf_add_html(out, alt);
    dbf_buf_addc(out, '"');
    if (title && *title) {
        dbf_buf_adds(out, " title=\"");
        dbf_buf_add_html(out, title);
        dbf_buf_addc(out, '"');
    }
    dbf_buf_adds(out, ">");
}
