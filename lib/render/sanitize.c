/* sanitize.c: raw HTML written in the Markdown, made harmless.
 *
 * Post mortems use a little HTML for layout (<br> in a table cell, <sup>,
 * <details>); those tags are kept when they carry no attribute at all, so
 * no event handler, style or URL can come with them. Comments are dropped
 * (they hold notes to the authors and debrief's own directives). Every other
 * tag is shown as text, and text is escaped, so nothing the author wrote
 * becomes markup that runs. */
#include "parts.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const allowed_tags[] = {
    "b",   "i",   "em",   "strong", "u",  "s",  "del", "ins",  "mark",    "small",   "sub",
    "sup", "kbd", "code", "abbr",   "br", "hr", "q",   "cite", "details", "summary", NULL,
};

static bool allowed(const char *name, size_t len)
{
    for (size_t i = 0; allowed_tags[i]; i++)
        if (strlen(allowed_tags[i]) == len && strncasecmp(allowed_tags[i], name, len) == 0)
            return true;
    return false;
}

/* The length of an attribute-free tag "<name>", "</name>" or "<name/>" at S
 * whose name is allowed, or 0. The name goes to NAME, NAMELEN. */
static size_t plain_tag(const char *s, bool *closing, const char **name, size_t *namelen)
{
    const char *p = s + 1;
    *closing = *p == '/';
    if (*closing)
        p++;
    *name = p;
    while (isalnum((unsigned char)*p))
        p++;
    *namelen = (size_t)(p - *name);
    if (!*namelen || !isalpha((unsigned char)**name) || !allowed(*name, *namelen))
        return 0;
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    if (*p == '/' && !*closing)
        p++;
    return *p == '>' ? (size_t)(p + 1 - s) : 0;
}

/* The length of a character reference ("&amp;", "&#8212;", "&#x2014;") at
 * S, or 0. References are inert, so they pass through as written. */
static size_t entity(const char *s)
{
    const char *p = s + 1;
    if (*p == '#') {
        p++;
        bool hex = *p == 'x' || *p == 'X';
        if (hex)
            p++;
        const char *digits = p;
        while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
            p++;
        if (p == digits || p - digits > 7)
            return 0;
    } else {
        const char *letters = p;
        while (isalnum((unsigned char)*p))
            p++;
        if (p == letters || p - letters > 32)
            return 0;
    }
    return *p == ';' ? (size_t)(p + 1 - s) : 0;
}

void dbf__sanitize_html(struct dbf_buf *out, const char *html)
{
    for (const char *p = html; *p;) {
        if (strncmp(p, "<!--", 4) == 0) {
            const char *end = strstr(p + 4, "-->");
            p = end ? end + 3 : p + strlen(p);
            continue;
        }
        if (*p == '<') {
            bool closing;
            const char *name;
            size_t namelen;
            size_t n = plain_tag(p, &closing, &name, &namelen);
            if (n) {
                dbf_buf_addc(out, '<');
                if (closing)
                    dbf_buf_addc(out, '/');
                for (size_t i = 0; i < namelen; i++)
                    dbf_buf_addc(out, (char)tolower((unsigned char)name[i]));
                dbf_buf_addc(out, '>');
                p += n;
                continue;
            }
            dbf_buf_adds(out, "&lt;");
            p++;
            continue;
        }
        if (*p == '&') {
            size_t n = entity(p);
            if (n) {
                dbf_buf_add(out, p, n);
                p += n;
                continue;
            }
            dbf_buf_adds(out, "&amp;");
            p++;
            continue;
        }
        switch (*p) {
        case '>':
            dbf_buf_adds(out, "&gt;");
            break;
        case '"':
            dbf_buf_adds(out, "&quot;");
            break;
        case '\'':
            dbf_buf_adds(out, "&#39;");
            break;
        default:
            dbf_buf_addc(out, *p);
        }
        p++;
    }
}
