/* bare_links.c: web and e-mail addresses written without link syntax.
 *
 * GitHub's Markdown makes "https://…", "www.…" and "name@host.org" links
 * (cmark-gfm's autolink extension). Attached to the parse of a whole
 * document, that extension stops the inline parser at every 'w' and ':' of
 * the text and walks the tree once more for '@': 2.5% of lint's
 * instructions, for the two or three blocks of a document that hold an
 * address. The document is parsed without it, and the blocks whose text
 * could hold such an address before their first link are read again,
 * alone, by cmark-gfm with the extension: its answer, not a copy of its
 * rules. */
#include "parse.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Could the extension's address hold byte C before an '@'? */
static bool mail_byte(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u || (unsigned)(c - '0') < 10u || c == '.' ||
           c == '+' || c == '-' || c == '_';
}

static bool scheme_end(const char *s, size_t len, size_t i)
{
    return i + 3 <= len && s[i + 1] == '/' && s[i + 2] == '/';
}

static bool www_start(const char *s, size_t len, size_t i)
{
    return i + 4 <= len && s[i + 1] == 'w' && s[i + 2] == 'w' && s[i + 3] == '.';
}

static bool mail_at(const char *s, size_t len, size_t i)
{
    (void)len;
    return i > 0 && mail_byte((unsigned char)s[i - 1]);
}

/* The first I below TO where S[I] is C and AT(S, LEN, I) holds, or TO. */
static size_t first_of(const char *s, size_t len, size_t to, char c,
                       bool (*at)(const char *, size_t, size_t))
{
    for (const char *p = to ? memchr(s, c, to) : NULL; p;) {
        size_t i = (size_t)(p - s);
        if (at(s, len, i))
            return i;
        p = i + 1 < to ? memchr(p + 1, c, to - i - 1) : NULL;
    }
    return to;
}

/* Where the first thing in S[0..LEN) the extension could link starts: a
 * "://", a "www." or an '@' after a byte an e-mail address holds; LEN when
 * there is none. A quick look (memchr() for three bytes) that may point at
 * something the extension then does not link. */
static size_t first_candidate(const char *s, size_t len)
{
    size_t best = first_of(s, len, len, ':', scheme_end);
    best = first_of(s, len, best, 'w', www_start);
    return first_of(s, len, best, '@', mail_at);
}

/* The URL of the first link in ROOT, in document order, or NULL. */
static const char *first_link(cmark_node *root)
{
    cmark_iter *iter = cmark_iter_new(root);
    const char *url = NULL;
    cmark_event_type ev;
    while (!url && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(iter);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_LINK)
            url = cmark_node_get_url(node);
    }
    cmark_iter_free(iter);
    return url;
}

const char *dbf__bare_link(struct dbf__arena *arena, struct cmark_mem *mem, const char *text,
                           size_t len)
{
    size_t at = first_candidate(text, len);
    if (at == len)
        return NULL;
    /* From the start of the word that holds it: what the extension looks
     * at before an address (its scheme, the local part of an e-mail, the
     * byte before "www.") lies within that word. */
    while (at > 0 && text[at - 1] != ' ' && text[at - 1] != '\n' && text[at - 1] != '\t')
        at--;
    cmark_syntax_extension *autolink = cmark_find_syntax_extension("autolink");
    if (!autolink)
        return NULL;
    pthread_mutex_lock(&dbf__cmark_parse_lock);
    cmark_parser *parser = mem ? cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, mem)
                               : cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_parser_attach_syntax_extension(parser, autolink);
    cmark_parser_feed(parser, text + at, len - at);
    cmark_node *root = cmark_parser_finish(parser);
    pthread_mutex_unlock(&dbf__cmark_parse_lock);
    const char *url = first_link(root);
    const char *link = url && *url ? dbf__arena_strdup(arena, url) : NULL;
    if (!mem) { /* MEM is taken back whole after the document's walk */
        cmark_node_free(root);
        cmark_parser_free(parser);
    }
    return link;
}
