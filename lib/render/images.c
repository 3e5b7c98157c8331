/* images.c: the document's images, embedded as data URIs.
 *
 * Only files in the document's folder or below are read (see files.c).
 * Remote images would make the page fetch them when opened, so they become
 * links instead. The type comes from the file's first bytes, never from its
 * name. */
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

/* What one page embeds at most: a page is opened in a browser, and a
 * document that names one large image a thousand times must not make a
 * page of gigabytes (nor a thousand reads of it). */
#define MAX_PAGE_IMAGES 200
#define MAX_PAGE_IMAGE_BYTES ((size_t)32 << 20)

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
    size_t scheme = dbf__scheme_length(url);
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
    if (page->images_embedded >= MAX_PAGE_IMAGES || page->image_bytes >= MAX_PAGE_IMAGE_BYTES) {
        refuse(page, out, url, alt,
               page->images_embedded >= MAX_PAGE_IMAGES
                   ? "the page already embeds 200 images"
                   : "the page already embeds 32 MiB of images",
               line);
        return;
    }
    char why[256] = "its address is malformed";
    char *path = dbf__url_path(url);
    size_t len = 0;
    unsigned char *data =
        path ? dbf__file_read(page, path, MAX_IMAGE, &len, why, sizeof why) : NULL;
    free(path);
    if (!data) {
        refuse(page, out, url, alt, why, line);
        return;
    }
    const char *type = data ? sniff(data, len) : NULL;
    if (data && !type)
        snprintf(why, sizeof why, "it is not a PNG, JPEG, GIF, WebP or SVG image");
    if (!type) {
        free(data);
        refuse(page, out, url, alt, why, line);
        return;
    }
    page->images_embedded++;
    page->image_bytes += len;
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
