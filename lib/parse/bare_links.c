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
 * rules. They are read right after the document, under the same hold of
 * the parse lock: read during the walk, each under a hold of its own, they
 * made two threads meet at the lock so much more often that `lint -j 2`
 * lost what `-j 1` gained. Which lines could hold an address is read from
 * the source before the lock is taken, and the blocks on the other lines
 * are passed over. */
#include "parse.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "debrief/buf.h"

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

/* The first I in [FROM, TO) where S[I] is C and AT(S, LEN, I) holds (AT
 * NULL: any), or TO. */
static size_t next_of(const char *s, size_t len, size_t from, size_t to, char c,
                      bool (*at)(const char *, size_t, size_t))
{
    for (const char *p; from < to && (p = memchr(s + from, c, to - from)); from++) {
        from = (size_t)(p - s);
        if (!at || at(s, len, from))
            return from;
    }
    return to;
}

/* Where the first thing in S[0..LEN) the extension could link starts: a
 * "://", a "www." or an '@' after a byte an e-mail address holds; LEN when
 * there is none. A quick look (memchr() for three bytes) that may point at
 * something the extension then does not link. */
static size_t first_candidate(const char *s, size_t len)
{
    size_t best = next_of(s, len, 0, len, ':', scheme_end);
    best = next_of(s, len, 0, best, 'w', www_start);
    return next_of(s, len, 0, best, '@', mail_at);
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

/* The first address TEXT[0..LEN) holds, by cmark-gfm's AUTOLINK
 * extension, as a URL copied into ARENA; NULL when there is none. */
static const char *address_in(const char *text, size_t len, cmark_syntax_extension *autolink,
                              cmark_mem *mem, struct dbf__arena *arena)
{
    size_t at = first_candidate(text, len);
    if (at == len)
        return NULL;
    /* From the start of the word that holds it: what the extension looks
     * at before an address (its scheme, the local part of an e-mail, the
     * byte before "www.") lies within that word. */
    while (at > 0 && text[at - 1] != ' ' && text[at - 1] != '\n' && text[at - 1] != '\t')
        at--;
    cmark_parser *parser = mem ? cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, mem)
                               : cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_parser_attach_syntax_extension(parser, autolink);
    cmark_parser_feed(parser, text + at, len - at);
    cmark_node *root = cmark_parser_finish(parser);
    const char *url = first_link(root);
    const char *link = url && *url ? dbf__arena_strdup(arena, url) : NULL;
    if (!mem) { /* MEM is taken back whole after the document's walk */
        cmark_node_free(root);
        cmark_parser_free(parser);
    }
    return link;
}

/* Appends to OUT the text of NODE's inlines as the walk reads them, up to
 * the first link: a code span, or an image's text, as one space (the
 * extension links nothing there), a line break as a newline, raw HTML as
 * nothing. True when it stopped at a link. */
static bool text_before_link(cmark_node *node, struct dbf_buf *out)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type type = cmark_node_get_type(c);
        const char *lit;
        switch (type) {
        case CMARK_NODE_TEXT:
            if ((lit = cmark_node_get_literal(c)))
                dbf_buf_adds(out, lit);
            break;
        case CMARK_NODE_CODE:
            if ((lit = cmark_node_get_literal(c)) && *lit)
                dbf_buf_addc(out, ' ');
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            dbf_buf_addc(out, '\n');
            break;
        case CMARK_NODE_LINK:
            return true;
        case CMARK_NODE_HTML_INLINE:
            break;
        case CMARK_NODE_IMAGE: {
            size_t from = out->len;
            bool stopped = text_before_link(c, out);
            bool any = out->len > from;
            out->len = from;
            out->data[from] = '\0';
            if (any)
                dbf_buf_addc(out, ' ');
            if (stopped)
                return true;
            break;
        }
        default: /* emphasis, strikethrough and other containers of inlines */
            if (text_before_link(c, out))
                return true;
        }
    }
    return false;
}

/* Could the text text_before_link() gives of NODE hold an address? A look
 * at each run of text (an '@' that opens one counted as a candidate, its
 * byte before being in another run), so that only the blocks that could
 * are written out. */
static bool may_hold_address(cmark_node *node)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type type = cmark_node_get_type(c);
        if (type == CMARK_NODE_LINK)
            return false;
        if (type == CMARK_NODE_TEXT) {
            const char *lit = cmark_node_get_literal(c);
            size_t len = lit ? strlen(lit) : 0;
            if (len && (lit[0] == '@' || first_candidate(lit, len) < len))
                return true;
        } else if (type != CMARK_NODE_CODE && type != CMARK_NODE_IMAGE && may_hold_address(c)) {
            return true;
        }
    }
    return false;
}

/* HOLDS[L] for line L of the document (the first is 1) of COUNT: does it
 * hold an address (dbf__address_lines_read())? START: the document's
 * offsets of its lines; the parse's line L is the document's L + OFFSET. */
struct dbf__address_lines {
    const size_t *start;
    size_t count;
    int offset;
    unsigned char *holds;
    bool any; /* a line does */
};

/* The document's line of its byte AT. */
static size_t line_at(const struct dbf__address_lines *lines, size_t at)
{
    size_t low = 0, high = lines->count; /* start[low] <= at < start[high] */
    while (high - low > 1) {
        size_t mid = low + (high - low) / 2;
        if (lines->start[mid] <= at)
            low = mid;
        else
            high = mid;
    }
    return low + 1;
}

/* Marks the line of every C in the body, TEXT[0..LEN) from document byte
 * BODY on, for which AT(TEXT, LEN, I) holds (NULL: every one). */
static void mark_lines(struct dbf__address_lines *lines, const char *text, size_t len, size_t body,
                       char c, bool (*at)(const char *, size_t, size_t))
{
    for (size_t i = next_of(text, len, 0, len, c, at); i < len;
         i = next_of(text, len, i + 1, len, c, at))
        lines->holds[line_at(lines, body + i)] = 1;
}

struct dbf__address_lines *dbf__address_lines_read(const struct dbf_doc *doc, size_t body,
                                                   int first_line)
{
    struct dbf__address_lines *lines = calloc(1, sizeof *lines);
    if (!lines)
        return NULL;
    lines->start = doc->internal->line_start;
    lines->count = (size_t)doc->line_count;
    lines->offset = first_line - 1;
    lines->holds = calloc(lines->count + 1, 1);
    if (!lines->holds) {
        free(lines);
        return NULL;
    }
    const char *text = doc->source + body;
    size_t len = doc->source_len - body;
    mark_lines(lines, text, len, body, ':', scheme_end);
    mark_lines(lines, text, len, body, 'w', www_start);
    mark_lines(lines, text, len, body, '@', NULL);
    mark_lines(lines, text, len, body, '&', NULL);
    mark_lines(lines, text, len, body, '\\', NULL);
    for (size_t line = 1; line <= lines->count && !lines->any; line++)
        lines->any = lines->holds[line];
    return lines;
}

void dbf__address_lines_free(struct dbf__address_lines *lines)
{
    if (!lines)
        return;
    free(lines->holds);
    free(lines);
}

/* Could a block on the parse's lines FIRST to LAST hold an address? */
static bool on_candidate_line(const struct dbf__address_lines *lines, int first, int last)
{
    if (!lines || first < 1 || last < first || (size_t)last + (size_t)lines->offset > lines->count)
        return true;
    for (int l = first; l <= last; l++)
        if (lines->holds[l + lines->offset])
            return true;
    return false;
}

/* What mark_blocks() reads with. */
struct marking {
    cmark_syntax_extension *autolink;
    cmark_mem *mem;
    struct dbf__arena *arena;
    struct dbf_buf text;
    const struct dbf__address_lines *lines;
};

static void mark_blocks(cmark_node *node, struct marking *k)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type type = cmark_node_get_type(c);
        if (type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK ||
            type == CMARK_NODE_THEMATIC_BREAK ||
            !on_candidate_line(k->lines, cmark_node_get_start_line(c), cmark_node_get_end_line(c)))
            continue;
        if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
            strcmp(cmark_node_get_type_string(c), "table_cell") == 0) {
            if (!may_hold_address(c))
                continue;
            dbf_buf_reset(&k->text);
            text_before_link(c, &k->text);
            const char *link = address_in(k->text.data, k->text.len, k->autolink, k->mem, k->arena);
            if (link)
                cmark_node_set_user_data(c, (void *)(uintptr_t)link);
            continue;
        }
        mark_blocks(c, k); /* quotes, lists, items, tables, rows, footnotes */
    }
}

void dbf__bare_links_mark(cmark_node *root, const struct dbf__address_lines *lines, cmark_mem *mem,
                          struct dbf__arena *arena)
{
    struct marking k = {cmark_find_syntax_extension("autolink"), mem, arena, {0}, lines};
    if (!k.autolink || (lines && !lines->any))
        return;
    dbf_buf_init(&k.text, 0);
    mark_blocks(root, &k);
    dbf_buf_release(&k.text);
}
