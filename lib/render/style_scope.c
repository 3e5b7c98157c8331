/* style_scope.c: the report's stylesheet scoped under one class, for a
 * report drawn inside another page (the web app's post mortem page).
 *
 * The stylesheet is ours (style.c), so the parser only needs what it uses:
 * rules, comma-separated selectors (commas inside :has(…) belong to the
 * selector), @media blocks holding rules, and @page, which styles the
 * printed sheet as a whole and is left out. No braces appear in strings. */
#include "parts.h"

#include <ctype.h>
#include <string.h>

/* Is [S, S+N) exactly ":root", "html" or "body", whose rules become the
 * scope's own? */
static bool selector_is_root(const char *s, size_t n)
{
    static const char *const roots[] = {":root", "html", "body"};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        size_t len = strlen(roots[i]);
        if (n == len && strncmp(s, roots[i], len) == 0)
            return true;
    }
    return false;
}

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Writes the selector list [S, S+N) with each selector under SCOPE. */
static void scope_selectors(const char *s, size_t n, const char *scope, struct dbf_buf *out)
{
    int depth = 0;
    size_t start = 0;
    bool first = true;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] == '(')
            depth++;
        else if (i < n && s[i] == ')')
            depth--;
        if (i < n && !(s[i] == ',' && depth == 0))
            continue;
        const char *sel = s + start;
        size_t len = i - start;
        trim(&sel, &len);
        start = i + 1;
        if (!len)
            continue;
        if (!first)
            dbf_buf_addc(out, ',');
        first = false;
        dbf_buf_addc(out, '.');
        dbf_buf_adds(out, scope);
        if (!selector_is_root(sel, len)) {
            dbf_buf_addc(out, ' ');
            dbf_buf_add(out, sel, len);
        }
    }
}

/* The index just past the block that opens at CSS[AT] ('{'), nested
 * blocks included. */
static size_t block_end(const char *css, size_t at)
{
    int depth = 0;
    for (size_t i = at; css[i]; i++) {
        if (css[i] == '{')
            depth++;
        else if (css[i] == '}' && --depth == 0)
            return i + 1;
    }
    return strlen(css);
}

/* Scopes the rules of CSS from FROM up to TO (exclusive). */
static void scope_rules(const char *css, size_t from, size_t to, const char *scope,
                        struct dbf_buf *out)
{
    size_t i = from;
    while (i < to) {
        const char *open = memchr(css + i, '{', to - i);
        if (!open)
            break;
        size_t at = (size_t)(open - css);
        const char *prelude = css + i;
        size_t plen = at - i;
        trim(&prelude, &plen);
        size_t end = block_end(css, at);
        if (end > to)
            end = to;
        if (plen >= 5 && strncmp(prelude, "@page", 5) == 0) {
            /* The printed sheet's margins belong to the page around the report. */
        } else if (plen && prelude[0] == '@') {
            dbf_buf_add(out, prelude, plen);
            dbf_buf_adds(out, "{\n");
            scope_rules(css, at + 1, end - 1, scope, out);
            dbf_buf_adds(out, "}\n");
        } else {
            scope_selectors(prelude, plen, scope, out);
            dbf_buf_add(out, css + at, end - at);
            dbf_buf_addc(out, '\n');
        }
        i = end;
    }
}

void dbf__css_scoped(const char *css, const char *scope, struct dbf_buf *out)
{
    scope_rules(css, 0, strlen(css), scope, out);
}
