/* directives.c: inline `<!-- debrief-disable … -->` comments.
 *
 * Read from the raw source so that comments inside paragraphs count too;
 * each comment keeps the line it starts on. */
#include "parse.h"

#include <ctype.h>
#include <string.h>

/* What separates the rule ids of a directive. */
static bool separates(char c)
{
    return isspace((unsigned char)c) || c == ',';
}

/* The first "<!--" in [P, END), or NULL: found from its '<', a byte that
 * prose seldom holds, so memchr() passes over most of the text. */
static const char *comment_open(const char *p, const char *end)
{
    for (const char *q = p; (q = memchr(q, '<', (size_t)(end - q))) != NULL; q++)
        if (end - q >= 4 && memcmp(q, "<!--", 4) == 0)
            return q;
    return NULL;
}

void dbf__directives_extract(struct dbf_doc *doc)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    const char *s = doc->source, *end = s + doc->source_len;
    int line = 1;
    const char *counted = s;
    for (const char *p = s; (p = comment_open(p, end)) != NULL; p += 4) {
        const char *close = memmem(p, (size_t)(end - p), "-->", 3);
        if (!close)
            break;
        const char *q = p + 4;
        while (q < close && isspace((unsigned char)*q))
            q++;
        static const struct {
            const char *word;
            int what;
        } forms[] = {{"debrief-disable-next-line", DBF_DISABLE_NEXT_LINE},
                     {"debrief-disable", DBF_DISABLE},
                     {"debrief-enable", DBF_ENABLE}};
        int what = -1;
        size_t wl = 0;
        for (size_t k = 0; k < 3; k++) {
            wl = strlen(forms[k].word);
            if ((size_t)(close - q) >= wl && memcmp(q, forms[k].word, wl) == 0 &&
                (q + wl == close || isspace((unsigned char)q[wl]))) {
                what = forms[k].what;
                break;
            }
        }
        if (what < 0)
            continue;
        for (; counted < p; counted++)
            line += *counted == '\n';
        struct dbf_directive *d =
            DBF_PUSH(doc->directives, doc->directive_count, doc->internal->directive_cap);
        d->line = line;
        d->what = what;
        size_t n = 0;
        const char *r = q + wl;
        /* Counted as split below ("a,b" is two), so the array has room for
         * every id and its NULL. */
        for (const char *t = r; t < close; t++)
            n += !separates(*t) && (t == r || separates(t[-1]));
        d->rules = dbf__arena_alloc(arena, (n + 1) * sizeof *d->rules);
        n = 0;
        while (r < close) {
            while (r < close && separates(*r))
                r++;
            const char *start = r;
            while (r < close && !separates(*r))
                r++;
            if (r > start)
                d->rules[n++] = dbf__arena_strndup(arena, start, (size_t)(r - start));
        }
        p = close - 1;
    }
}
