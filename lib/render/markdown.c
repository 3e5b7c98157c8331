/* markdown.c: the body of the post mortem as HTML, through cmark-gfm.
 *
 * cmark-gfm renders in its safe mode (no CMARK_OPT_UNSAFE) with the
 * tagfilter extension, so dangerous link destinations are dropped and raw
 * HTML never passes through as written. Before rendering, the tree is
 * changed in place: raw HTML, images and `dot` blocks become custom nodes
 * holding HTML made here (sanitised, embedded, drawn); headings, lessons and
 * action items get anchors; lessons and actions get their cross-links; and
 * the charts and the why tree are put into their sections.
 *
 * HTML made here enters cmark's output two ways, and every piece of document
 * text inside it is escaped. Blocks are custom block nodes. Inline HTML is a
 * text node holding a token, 0xFF, its index, 0xFF, which is replaced after
 * rendering: cmark's table cells refuse custom inline nodes, and 0xFF never
 * occurs in UTF-8, which the document was checked to be, so the document
 * cannot forge a token. */
#include "parts.h"

#include "../parse/parse.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

struct body {
    struct dbf__page *page;
    cmark_node *root;
    int line_offset;         /* file lines before the body's first line */
    const char **lesson_ids; /* per doc->lessons */
    const char **action_ids; /* per doc->actions */
    char **inline_html;      /* what the tokens stand for */
    size_t inline_count, inline_cap;
};

static bool is_type(cmark_node *node, const char *name)
{
    return strcmp(cmark_node_get_type_string(node), name) == 0;
}

static bool is_item(cmark_node *node)
{
    return cmark_node_get_type(node) == CMARK_NODE_ITEM || is_type(node, "tasklist");
}

/* The file line of NODE, from the nearest node that knows its line. */
static int line_of(const struct body *b, cmark_node *node)
{
    for (; node; node = cmark_node_parent(node))
        if (cmark_node_get_start_line(node) > 0)
            return cmark_node_get_start_line(node) + b->line_offset;
    return 0;
}

/* The plain text of NODE's inlines. */
static void plain_text(cmark_node *node, struct dbf_buf *out)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            const char *lit = cmark_node_get_literal(c);
            if (lit && lit[0] != '\xff') /* a token of inline_html() is no text */
                dbf_buf_adds(out, lit);
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            dbf_buf_addc(out, ' ');
        } else {
            plain_text(c, out);
        }
    }
}

static cmark_node *custom(cmark_node_type type, const char *html)
{
    cmark_node *node = cmark_node_new(type);
    if (node)
        cmark_node_set_on_enter(node, html);
    return node;
}

/* A text node that becomes HTML after rendering. */
static cmark_node *inline_html(struct body *b, const char *html)
{
    if (b->inline_count == b->inline_cap) {
        size_t cap = b->inline_cap ? b->inline_cap * 2 : 64;
        char **grown = realloc(b->inline_html, cap * sizeof *grown);
        if (!grown)
            return NULL;
        b->inline_html = grown;
        b->inline_cap = cap;
    }
    char *copy = strdup(html);
    cmark_node *node = copy ? cmark_node_new(CMARK_NODE_TEXT) : NULL;
    if (!node) {
        free(copy);
        return NULL;
    }
    char token[32];
    snprintf(token, sizeof token, "\xff%zu\xff", b->inline_count);
    cmark_node_set_literal(node, token);
    b->inline_html[b->inline_count++] = copy;
    return node;
}

/* Appends HTML to OUT with every token replaced by what it stands for. */
static void expand_tokens(const struct body *b, const char *html, struct dbf_buf *out)
{
    for (const char *p = html; *p;) {
        const char *mark = strchr(p, '\xff');
        if (!mark) {
            dbf_buf_adds(out, p);
            break;
        }
        dbf_buf_add(out, p, (size_t)(mark - p));
        char *end;
        unsigned long long i = strtoull(mark + 1, &end, 10);
        if (end > mark + 1 && *end == '\xff' && i < b->inline_count) {
            dbf_buf_adds(out, b->inline_html[i]);
            p = end + 1;
        } else {
            p = mark + 1; /* not a token: drop the stray byte */
        }
    }
}

static void replace(cmark_node *old, cmark_node *with)
{
    if (!with)
        return;
    if (cmark_node_insert_before(old, with))
        cmark_node_free(old);
    else
        cmark_node_free(with);
}

static void insert_after(cmark_node *where, cmark_node *node)
{
    if (node && !cmark_node_insert_after(where, node))
        cmark_node_free(node);
}

static void replace_html(struct body *b, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    struct dbf_buf html;
    dbf_buf_init(&html, 0);
    dbf__sanitize_html(&html, lit ? lit : "");
    bool block = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK;
    if (html.len == 0 || strspn(html.data, " \t\n") == html.len)
        cmark_node_free(node); /* only comments: the page shows nothing */
    else
        replace(node,
                block ? custom(CMARK_NODE_CUSTOM_BLOCK, html.data) : inline_html(b, html.data));
    dbf_buf_release(&html);
}

static void replace_image(struct body *b, cmark_node *node)
{
    struct dbf_buf alt, html;
    dbf_buf_init(&alt, 0);
    dbf_buf_init(&html, 0);
    plain_text(node, &alt);
    const char *url = cmark_node_get_url(node);
    dbf__image_html(b->page, &html, url ? url : "", alt.data, cmark_node_get_title(node),
                    line_of(b, node));
    replace(node, inline_html(b, html.data));
    dbf_buf_release(&alt);
    dbf_buf_release(&html);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool is_dot(cmark_node *node)
{
    const char *info = cmark_node_get_fence_info(node);
    if (!info)
        return false;
    size_t n = strcspn(info, " \t{");
    return (n == 3 && strncasecmp(info, "dot", 3) == 0) ||
           (n == 8 && strncasecmp(info, "graphviz", 8) == 0);
}

static void replace_dot(struct body *b, cmark_node *node)
{
    struct dbf_buf html;
    dbf_buf_init(&html, 0);
    const char *source = cmark_node_get_literal(node);
    dbf__dot_html(b->page, &html, source ? source : "", line_of(b, node));
    replace(node, custom(CMARK_NODE_CUSTOM_BLOCK, html.data));
    dbf_buf_release(&html);
}

static void anchor_heading(struct body *b, cmark_node *heading, struct dbf__toc *toc)
{
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    plain_text(heading, &text);
    const char *id = dbf__page_id(b->page, text.data);
    struct dbf_buf html;
    dbf_buf_init(&html, 0);
    dbf_buf_adds(&html, "<span class=\"anchor\" id=\"");
    dbf_buf_add_html(&html, id);
    dbf_buf_adds(&html, "\"></span>");
    cmark_node *anchor = inline_html(b, html.data);
    if (anchor && !cmark_node_prepend_child(heading, anchor))
        cmark_node_free(anchor);
    if (toc && toc->count == toc->cap) {
        size_t cap = toc->cap ? toc->cap * 2 : 16;
        struct dbf__toc_entry *grown = realloc(toc->entries, cap * sizeof *grown);
        if (grown) {
            toc->entries = grown;
            toc->cap = cap;
        }
    }
    if (toc && toc->count < toc->cap) {
        char *copy = strdup(text.data);
        if (copy)
            toc->entries[toc->count++] =
                (struct dbf__toc_entry){cmark_node_get_heading_level(heading), copy, id};
    }
    dbf_buf_release(&html);
    dbf_buf_release(&text);
}

/* The first node at file LINE that can hold a lesson or an action: a list
 * item, a table row, a paragraph or a heading. */
static cmark_node *node_at_line(struct body *b, int line)
{
    cmark_iter *it = cmark_iter_new(b->root);
    cmark_node *found = NULL;
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_start_line(n) + b->line_offset != line)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (is_item(n) || is_type(n, "table_row") || t == CMARK_NODE_PARAGRAPH ||
            t == CMARK_NODE_HEADING)
            found = n;
    }
    cmark_iter_free(it);
    return found;
}

/* Puts ID as an empty anchor at the start of NODE's text. */
static void add_anchor(struct body *b, cmark_node *node, const char *id)
{
    struct dbf_buf html;
    dbf_buf_init(&html, 0);
    dbf_buf_adds(&html, "<span class=\"anchor\" id=\"");
    dbf_buf_add_html(&html, id);
    dbf_buf_adds(&html, "\"></span>");
    cmark_node *target = node;
    if (is_item(node) || is_type(node, "table_row"))
        target = cmark_node_first_child(node);
    cmark_node *anchor = NULL;
    if (target &&
        (cmark_node_get_type(target) == CMARK_NODE_PARAGRAPH ||
         cmark_node_get_type(target) == CMARK_NODE_HEADING || is_type(target, "table_cell"))) {
        anchor = inline_html(b, html.data);
        if (anchor && !cmark_node_prepend_child(target, anchor))
            cmark_node_free(anchor);
    } else if (target) {
        anchor = custom(CMARK_NODE_CUSTOM_BLOCK, html.data);
        if (anchor && !cmark_node_insert_before(target, anchor))
            cmark_node_free(anchor);
    }
    dbf_buf_release(&html);
}

/* Adds HTML (an inline run) after NODE's content: in the last cell of a
 * row, as a block at the end of a list item, or as a block after a
 * paragraph or heading. */
static void add_after(struct body *b, cmark_node *node, const char *html)
{
    if (is_type(node, "table_row")) {
        cmark_node *cell = cmark_node_last_child(node);
        cmark_node *run = inline_html(b, html);
        if (cell && run && !cmark_node_append_child(cell, run))
            cmark_node_free(run);
        return;
    }
    struct dbf_buf block;
    dbf_buf_init(&block, 0);
    dbf_buf_adds(&block, "<div class=\"xref\">");
    dbf_buf_adds(&block, html);
    dbf_buf_adds(&block, "</div>");
    cmark_node *div = custom(CMARK_NODE_CUSTOM_BLOCK, block.data);
    if (is_item(node)) {
        if (div && !cmark_node_append_child(node, div))
            cmark_node_free(div);
    } else {
        insert_after(node, div);
    }
    dbf_buf_release(&block);
}

static int lesson_number(const struct dbf_doc *doc, size_t i)
{
    return doc->lessons[i].number > 0 ? doc->lessons[i].number : (int)i + 1;
}

static int action_number(const struct dbf_doc *doc, size_t i)
{
    return doc->actions[i].number > 0 ? doc->actions[i].number : (int)i + 1;
}

/* The index of the lesson numbered N, or -1. */
static long lesson_index(const struct dbf_doc *doc, int n)
{
    for (size_t i = 0; i < doc->lesson_count; i++)
        if (lesson_number(doc, i) == n)
            return (long)i;
    return -1;
}

static bool action_addresses(const struct dbf_action *a, int lesson)
{
    for (size_t k = 0; k < a->lesson_count; k++)
        if (a->lessons[k] == lesson)
            return true;
    return false;
}

static void link_to(struct dbf_buf *out, const char *id, const char *text)
{
    dbf_buf_adds(out, "<a href=\"#");
    dbf_buf_add_html(out, id);
    dbf_buf_adds(out, "\">");
    dbf_buf_add_html(out, text);
    dbf_buf_adds(out, "</a>");
}

static void link_lessons_to_actions(struct body *b, cmark_node **nodes)
{
    const struct dbf_doc *doc = b->page->doc;
    for (size_t i = 0; i < doc->lesson_count; i++) {
        if (!nodes[i])
            continue;
        struct dbf_buf html;
        dbf_buf_init(&html, 0);
        size_t found = 0;
        int n = lesson_number(doc, i);
        for (size_t j = 0; j < doc->action_count; j++) {
            if (!b->action_ids[j] || !action_addresses(&doc->actions[j], n))
                continue;
            dbf_buf_adds(&html, found++ ? ", " : "<span class=\"xref-label\">Addressed by</span> ");
            char label[48];
            snprintf(label, sizeof label, "action %d", action_number(doc, j));
            link_to(&html, b->action_ids[j], label);
        }
        if (!found)
            dbf_buf_adds(&html, "<span class=\"xref-missing\">No action item addresses this "
                                "lesson.</span>");
        add_after(b, nodes[i], html.data);
        dbf_buf_release(&html);
    }
}

/* The column of the actions table whose header names lessons, or -1. */
static int lesson_column(cmark_node *row)
{
    cmark_node *table = cmark_node_parent(row);
    cmark_node *header = table ? cmark_node_first_child(table) : NULL;
    if (!header)
        return -1;
    int col = 0;
    for (cmark_node *cell = cmark_node_first_child(header); cell;
         cell = cmark_node_next(cell), col++) {
        struct dbf_buf text;
        dbf_buf_init(&text, 0);
        plain_text(cell, &text);
        bool match = strcasestr(text.data, "lesson") != NULL;
        dbf_buf_release(&text);
        if (match)
            return col;
    }
    return -1;
}

static void link_actions_to_lessons(struct body *b, cmark_node **nodes)
{
    const struct dbf_doc *doc = b->page->doc;
    for (size_t j = 0; j < doc->action_count; j++) {
        const struct dbf_action *a = &doc->actions[j];
        if (!nodes[j] || !a->lesson_count)
            continue;
        struct dbf_buf links;
        dbf_buf_init(&links, 0);
        for (size_t k = 0; k < a->lesson_count; k++) {
            long li = lesson_index(doc, a->lessons[k]);
            char label[48];
            snprintf(label, sizeof label, "lesson %d", a->lessons[k]);
            if (k)
                dbf_buf_adds(&links, ", ");
            if (li >= 0 && b->lesson_ids[li])
                link_to(&links, b->lesson_ids[li], label);
            else {
                dbf_buf_add_html(&links, label);
                dbf_buf_adds(&links, " <span class=\"xref-missing\">(no such lesson)</span>");
            }
        }
        int col = is_type(nodes[j], "table_row") ? lesson_column(nodes[j]) : -1;
        cmark_node *cell = NULL;
        if (col >= 0) {
            cell = cmark_node_first_child(nodes[j]);
            for (int c = 0; cell && c < col; c++)
                cell = cmark_node_next(cell);
        }
        if (cell) {
            while (cmark_node_first_child(cell))
                cmark_node_free(cmark_node_first_child(cell));
            struct dbf_buf span;
            dbf_buf_init(&span, 0);
            dbf_buf_adds(&span, "<span class=\"xref-links\">");
            dbf_buf_add(&span, links.data, links.len);
            dbf_buf_adds(&span, "</span>");
            cmark_node *run = inline_html(b, span.data);
            dbf_buf_release(&span);
            if (run && !cmark_node_append_child(cell, run))
                cmark_node_free(run);
        } else {
            struct dbf_buf html;
            dbf_buf_init(&html, 0);
            dbf_buf_adds(&html, "<span class=\"xref-label\">Addresses</span> ");
            dbf_buf_add(&html, links.data, links.len);
            add_after(b, nodes[j], html.data);
            dbf_buf_release(&html);
        }
        dbf_buf_release(&links);
    }
}

/* Anchors on every lesson and action item, then the links both ways. */
static void cross_link(struct body *b)
{
    const struct dbf_doc *doc = b->page->doc;
    cmark_node **lessons = calloc(doc->lesson_count + 1, sizeof *lessons);
    cmark_node **actions = calloc(doc->action_count + 1, sizeof *actions);
    b->lesson_ids = calloc(doc->lesson_count + 1, sizeof *b->lesson_ids);
    b->action_ids = calloc(doc->action_count + 1, sizeof *b->action_ids);
    if (lessons && actions && b->lesson_ids && b->action_ids) {
        char id[48];
        for (size_t i = 0; i < doc->lesson_count; i++) {
            lessons[i] = node_at_line(b, doc->lessons[i].pos.line);
            snprintf(id, sizeof id, "lesson-%d", lesson_number(doc, i));
            if (lessons[i])
                b->lesson_ids[i] = dbf__page_id(b->page, id);
        }
        for (size_t j = 0; j < doc->action_count; j++) {
            actions[j] = node_at_line(b, doc->actions[j].pos.line);
            snprintf(id, sizeof id, "action-%d", action_number(doc, j));
            if (actions[j])
                b->action_ids[j] = dbf__page_id(b->page, id);
        }
        link_lessons_to_actions(b, lessons);
        link_actions_to_lessons(b, actions);
        for (size_t i = 0; i < doc->lesson_count; i++)
            if (lessons[i])
                add_anchor(b, lessons[i], b->lesson_ids[i]);
        for (size_t j = 0; j < doc->action_count; j++)
            if (actions[j])
                add_anchor(b, actions[j], b->action_ids[j]);
    }
    free(lessons);
    free(actions);
}

/* The last top-level node that starts on or before file line LINE, or
 * NULL. */
static cmark_node *top_level_at(struct body *b, int line)
{
    cmark_node *found = NULL;
    for (cmark_node *n = cmark_node_first_child(b->root); n; n = cmark_node_next(n)) {
        int start = cmark_node_get_start_line(n);
        if (start > 0 && start + b->line_offset > line)
            break;
        found = n;
    }
    return found;
}

/* Puts HTML after the top-level node at LINE; false when there is none. */
static bool place(struct body *b, int line, const char *html)
{
    if (!html || !*html || line <= 0)
        return false;
    cmark_node *where = top_level_at(b, line);
    if (!where)
        return false;
    insert_after(where, custom(CMARK_NODE_CUSTOM_BLOCK, html));
    return true;
}

static void place_figures(struct body *b, struct dbf__figures *f)
{
    const struct dbf_doc *doc = b->page->doc;
    const struct dbf_section *s;
    /* From the bottom up, so that a placement does not move the next one's
     * anchor node. */
    if (doc->why_count) {
        int last = doc->whys[doc->why_count - 1].pos.line;
        s = dbf_doc_section(doc, DBF_SECTION_ROOT_CAUSE);
        int end =
            s && s->pos.line <= doc->whys[0].pos.line && s->end_line > last ? s->end_line : last;
        f->whys_placed = place(b, end, f->whys);
    }
    if ((s = dbf_doc_section(doc, DBF_SECTION_METRICS)) != NULL)
        f->metrics_placed = place(b, s->end_line, f->metrics);
    if ((s = dbf_doc_section(doc, DBF_SECTION_TIMELINE)) != NULL)
        f->timeline_placed = place(b, s->pos.line, f->timeline);
}

static bool is_title(const struct dbf_doc *doc, cmark_node *heading)
{
    if (cmark_node_get_heading_level(heading) != 1 || !doc->title)
        return false;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    plain_text(heading, &text);
    bool same = strcmp(text.data, doc->title) == 0;
    dbf_buf_release(&text);
    return same;
}

static void retarget(struct body *b, cmark_node *link)
{
    const char *url = cmark_node_get_url(link);
    if (dbf__page_has_id(b->page, url + 1))
        return;
    struct dbf_buf fragment, id;
    dbf_buf_init(&fragment, 1024);
    dbf_buf_init(&id, 1024);
    for (const char *p = url + 1; *p; p++) {
        int hi, lo;
        if (*p == '%' && (hi = hex_digit(p[1])) >= 0 && (lo = hex_digit(p[2])) >= 0) {
            dbf_buf_addc(&fragment, (char)(hi * 16 + lo));
            p += 2;
        } else {
            dbf_buf_addc(&fragment, *p);
        }
    }
    dbf_buf_addc(&id, '#');
    dbf__slug(fragment.data, &id);
    if (!id.failed && dbf__page_has_id(b->page, id.data + 1))
        cmark_node_set_url(link, id.data);
    dbf_buf_release(&fragment);
    dbf_buf_release(&id);
}

/* Every node the tree walk must change, gathered first: cmark's iterator
 * does not survive changes to the tree. */
struct changes {
    cmark_node **nodes;
    size_t count, cap;
};

static void gather(struct changes *c, cmark_node *node)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        cmark_node **grown = realloc(c->nodes, cap * sizeof *grown);
        if (!grown)
            return;
        c->nodes = grown;
        c->cap = cap;
    }
    c->nodes[c->count++] = node;
}

static void transform(struct body *b, struct dbf__toc *toc)
{
    struct changes c = {0}, headings = {0};
    cmark_iter *it = cmark_iter_new(b->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_IMAGE:
            gather(&c, n);
            break;
        case CMARK_NODE_HEADING:
            gather(&headings, n);
            break;
        case CMARK_NODE_CODE_BLOCK:
            if (is_dot(n))
                gather(&c, n);
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);

    /* Last first: a node inside another (HTML in an image's text) is
     * replaced before its parent is, and so is never used once freed. */
    for (size_t i = c.count; i-- > 0;) {
        cmark_node *n = c.nodes[i];
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
            replace_html(b, n);
            break;
        case CMARK_NODE_IMAGE:
            replace_image(b, n);
            break;
        case CMARK_NODE_CODE_BLOCK:
            replace_dot(b, n);
            break;
        default:
            break;
        }
    }
    /* Headings in order, so that ids and the contents follow the page. */
    bool title_seen = false;
    for (size_t i = 0; i < headings.count; i++) {
        cmark_node *n = headings.nodes[i];
        if (!title_seen && cmark_node_parent(n) == b->root && is_title(b->page->doc, n)) {
            title_seen = true; /* the page's header shows it */
            cmark_node_free(n);
        } else {
            anchor_heading(b, n, toc);
        }
    }
    free(headings.nodes);
    /* Once every heading has its id: links to a heading as the author wrote
     * it ("#Root Cause", "#References") lead to its id. */
    c.count = 0;
    it = cmark_iter_new(b->root);
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_LINK &&
            cmark_node_get_url(n) && cmark_node_get_url(n)[0] == '#')
            gather(&c, n);
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < c.count; i++)
        retarget(b, c.nodes[i]);
    free(c.nodes);
}

size_t dbf__body_offset(const struct dbf_doc *doc, int *first_line)
{
    *first_line = 1;
    if (!doc->meta.has_front_matter)
        return 0;
    size_t len;
    *first_line = doc->meta.front_matter_end + 1;
    const char *after = dbf_doc_line(doc, *first_line, &len);
    return after ? (size_t)(after - doc->source) : doc->source_len;
}

void dbf__body_html(struct dbf__page *page, struct dbf__figures *figures, struct dbf_buf *out,
                    struct dbf__toc *toc)
{
    const struct dbf_doc *doc = page->doc;
    pthread_once(&extensions_once, register_extensions);
    int first_line;
    size_t body = dbf__body_offset(doc, &first_line);
    pthread_mutex_lock(&dbf__cmark_parse_lock);
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_FOOTNOTES);
    static const char *const extensions[] = {"table", "strikethrough", "autolink", "tagfilter",
                                             "tasklist"};
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, doc->source + body, doc->source_len - body);
    struct body b = {
        .page = page, .root = cmark_parser_finish(parser), .line_offset = first_line - 1};
    pthread_mutex_unlock(&dbf__cmark_parse_lock);
    if (!b.root) {
        out->failed = true;
        cmark_parser_free(parser);
        return;
    }
    /* Cross-links first: they find lessons and actions by line, before
     * anything is moved. */
    cross_link(&b);
    transform(&b, toc);
    place_figures(&b, figures);
    char *html = cmark_render_html(b.root, CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES,
                                   cmark_parser_get_syntax_extensions(parser));
    if (html) {
        expand_tokens(&b, html, out);
        free(html);
    } else {
        out->failed = true;
    }
    free(b.lesson_ids);
    free(b.action_ids);
    for (size_t i = 0; i < b.inline_count; i++)
        free(b.inline_html[i]);
    free(b.inline_html);
    cmark_node_free(b.root);
    cmark_parser_free(parser);
}

void dbf__toc_release(struct dbf__toc *toc)
{
    for (size_t i = 0; i < toc->count; i++)
        free(toc->entries[i].text);
    free(toc->entries);
    memset(toc, 0, sizeof *toc);
}
