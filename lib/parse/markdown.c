/* markdown.c: one walk over cmark-gfm's tree into blocks and sections.
 *
 * Sections open at headings, at a short bold (or plain) line that names a
 * known kind, and at a bold label opening a top-level list item
 * ("- **Impact**: …"). A section's parent is the nearest open section of a
 * lower level. Headings that start with a time or date inside a timeline
 * stay in the timeline, whatever their level. */
#include "clock.h"
#include "parse.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include "debrief/buf.h"

struct walk {
    struct dbf_doc *doc;
    int line_offset;  /* lines before the body */
    int current;      /* the open section, -1 before the first */
    int list_depth;
    bool title_taken; /* the first H1 was seen */
    struct dbf_buf text;
    const char *link;
    bool lead_open;   /* still inside the opening bold run of a block */
    struct dbf_buf lead;
    bool lead_done;
};

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

static bool type_is(cmark_node *node, const char *name)
{
    return strcmp(cmark_node_get_type_string(node), name) == 0;
}

static struct dbf_pos pos_of(struct walk *w, cmark_node *node)
{
    int line = cmark_node_get_start_line(node);
    int col = cmark_node_get_start_column(node);
    return (struct dbf_pos){line + w->line_offset, col > 0 ? col : 1};
}

static size_t count_words(const char *s, size_t len)
{
    size_t words = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool c = isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
        if (c && !in)
            words++;
        in = c;
    }
    return words;
}

/* Appends the plain text of NODE's inlines to w->text. */
static void flatten(struct walk *w, cmark_node *node, int strong_depth)
{
    for (cmark_node *child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
        cmark_node_type type = cmark_node_get_type(child);
        switch (type) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(child);
            if (!lit)
                break;
            if (w->lead_open && strong_depth > 0)
                dbf_buf_adds(&w->lead, lit);
            else if (w->lead_open && w->text.len == 0 && strong_depth == 0) {
                w->lead_open = false; /* the block does not open with bold text */
            } else if (w->lead_open && strong_depth == 0) {
                w->lead_open = false;
                w->lead_done = w->lead.len > 0;
            }
            dbf_buf_adds(&w->text, lit);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            if (w->lead_open && strong_depth == 0) {
                w->lead_open = false;
                w->lead_done = w->lead.len > 0;
            }
            dbf_buf_addc(&w->text, '\n');
            break;
        case CMARK_NODE_STRONG:
        case CMARK_NODE_EMPH:
            flatten(w, child, strong_depth + (type == CMARK_NODE_STRONG));
            break;
        case CMARK_NODE_LINK:
            if (!w->link) {
                const char *url = cmark_node_get_url(child);
                if (url && *url)
                    w->link = dbf__arena_strdup(dbf__doc_arena(w->doc), url);
            }
            flatten(w, child, strong_depth);
            break;
        case CMARK_NODE_IMAGE:
            flatten(w, child, strong_depth);
            break;
        case CMARK_NODE_HTML_INLINE:
            break;
        default:
            flatten(w, child, strong_depth); /* strikethrough and other extensions */
        }
    }
    if (strong_depth == 0 && w->lead_open && w->lead.len) {
        w->lead_open = false;
        w->lead_done = true;
    }
}

static void begin_text(struct walk *w)
{
    dbf_buf_reset(&w->text);
    dbf_buf_reset(&w->lead);
    w->link = NULL;
    w->lead_open = true;
    w->lead_done = false;
}

static struct dbf_block *add_block(struct walk *w, enum dbf_block_type type, struct dbf_pos pos)
{
    struct dbf_doc *doc = w->doc;
    struct dbf_block *b = DBF_PUSH(doc->blocks, doc->block_count, doc->internal->block_cap);
    b->type = type;
    b->pos = pos;
    b->section = w->current;
    b->list_depth = w->list_depth;
    b->table_row = b->table_column = b->table = -1;
    b->text = dbf__arena_strndup(dbf__doc_arena(doc), w->text.data, w->text.len);
    b->len = w->text.len;
    b->link = w->link;
    if (w->lead_done || (w->lead_open && w->lead.len))
        b->lead = dbf__arena_strndup(dbf__doc_arena(doc), w->lead.data, w->lead.len);
    if (w->current >= 0)
        doc->sections[w->current].block_count++;
    size_t words = count_words(b->text, b->len);
    doc->words += words;
    for (int s = w->current; s >= 0; s = doc->sections[s].parent)
        doc->sections[s].words += words;
    return b;
}

/* Does TEXT start with a time or date, as a timeline sub-heading does? */
static bool starts_with_time(const char *text)
{
    struct dbf_time t;
    size_t len = strlen(text);
    while (len && (*text == '~' || *text == '{' || *text == ' ')) {
        text++;
        len--;
    }
    return dbf__time_scan(text, len, &t, false) > 0 ||
           (len >= 2 && isdigit((unsigned char)text[0]) && isdigit((unsigned char)text[1]) &&
            len >= 3 && (text[2] == ':' || toupper((unsigned char)text[2]) == 'X'));
}

static int timeline_ancestor(struct dbf_doc *doc, int s)
{
    for (; s >= 0; s = doc->sections[s].parent)
        if (doc->sections[s].effective == DBF_SECTION_TIMELINE)
            return s;
    return -1;
}

static void open_section(struct walk *w, const char *heading, int level, struct dbf_pos pos,
                         bool force_other)
{
    struct dbf_doc *doc = w->doc;
    enum dbf_section_kind kind = DBF_SECTION_OTHER;
    unsigned kinds = force_other ? 0 : dbf__section_kinds_of_heading(heading, &kind);
    int parent = w->current;
    int in_timeline = timeline_ancestor(doc, w->current);
    bool timed = !kinds && in_timeline >= 0 && starts_with_time(heading);
    if (timed) {
        /* A time as a heading inside a timeline: an entry, not a new part. */
        parent = w->current;
        while (parent >= 0 && parent != in_timeline && doc->sections[parent].level >= level &&
               doc->sections[parent].level <= 6)
            parent = doc->sections[parent].parent;
        if (parent < 0)
            parent = in_timeline;
    } else {
        while (parent >= 0 && doc->sections[parent].level >= level)
            parent = doc->sections[parent].parent;
    }
    for (int s = w->current; s >= 0 && s != parent; s = doc->sections[s].parent)
        if (!doc->sections[s].end_line)
            doc->sections[s].end_line = pos.line - 1;
    struct dbf_section *sec = DBF_PUSH(doc->sections, doc->section_count, doc->internal->section_cap);
    sec->kind = kind;
    sec->kinds = kinds;
    sec->heading = dbf__arena_strdup(dbf__doc_arena(doc), heading);
    sec->level = timed && parent >= 0 && level <= doc->sections[parent].level
                     ? doc->sections[parent].level + 1
                     : level;
    sec->pos = pos;
    sec->parent = parent;
    sec->effective = kind != DBF_SECTION_OTHER ? kind
                     : parent >= 0        ? doc->sections[parent].effective
                                          : DBF_SECTION_OTHER;
    sec->first_block = doc->block_count;
    w->current = (int)(doc->section_count - 1);
}

static void walk_blocks(struct walk *w, cmark_node *node);

/* A paragraph that is only a short bold line (or a short plain line) naming a
 * known kind works as a heading. */
static bool paragraph_is_heading(struct walk *w, cmark_node *para)
{
    if (w->list_depth > 0)
        return false;
    cmark_node *first = cmark_node_first_child(para);
    if (!first)
        return false;
    const char *text = w->text.data;
    size_t len = w->text.len;
    if (len == 0 || len > 60 || memchr(text, '\n', len))
        return false;
    bool bold = cmark_node_get_type(first) == CMARK_NODE_STRONG &&
                (!cmark_node_next(first) ||
                 (cmark_node_get_type(cmark_node_next(first)) == CMARK_NODE_TEXT &&
                  !cmark_node_next(cmark_node_next(first)) &&
                  strspn(cmark_node_get_literal(cmark_node_next(first)), ": ") ==
                      strlen(cmark_node_get_literal(cmark_node_next(first)))));
    enum dbf_section_kind kind;
    unsigned kinds = dbf__section_kinds_of_heading(text, &kind);
    if (!kinds)
        return false;
    if (bold)
        return true;
    /* A plain line: only when it is nothing but a section name. */
    bool single = cmark_node_get_type(first) == CMARK_NODE_TEXT && !cmark_node_next(first);
    return single && len <= 30 && text[0] && isupper((unsigned char)text[0]) &&
           strchr(text, '.') == NULL;
}

static void walk_paragraph(struct walk *w, cmark_node *node, cmark_node *item, int *item_blocks)
{
    begin_text(w);
    flatten(w, node, 0);
    if (!item && paragraph_is_heading(w, node)) {
        char *heading = dbf__arena_strndup(dbf__doc_arena(w->doc), w->text.data, w->text.len);
        size_t n = strlen(heading);
        while (n && (heading[n - 1] == ':' || heading[n - 1] == ' '))
            heading[--n] = '\0';
        open_section(w, heading, 7, pos_of(w, node), false);
        return;
    }
    if (item) {
        /* "- **Impact**: text" at the top level opens a labelled part. */
        if (*item_blocks == 0 && w->list_depth == 1 && w->lead_done) {
            enum dbf_section_kind kind;
            const char *lead = w->lead.data;
            if (dbf__section_kinds_of_heading(lead, &kind) && strlen(lead) <= 40 &&
                (w->text.len == w->lead.len || w->text.data[w->lead.len] == ':' ||
                 w->text.data[w->lead.len] == '\n' ||
                 (w->lead.len && lead[w->lead.len - 1] == ':'))) {
                open_section(w, lead, 8, pos_of(w, item), false);
            }
        }
        struct dbf_block *b = add_block(w, DBF_BLOCK_LIST_ITEM, pos_of(w, node));
        cmark_node *list = cmark_node_parent(item);
        b->ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
        int index = 0;
        for (cmark_node *s = cmark_node_first_child(list); s && s != item; s = cmark_node_next(s))
            index++;
        if (*item_blocks == 0) {
            struct dbf__arena *arena = dbf__doc_arena(w->doc);
            if (type_is(item, "tasklist"))
                b->marker = cmark_gfm_extensions_get_tasklist_item_checked(item) ? "[x]" : "[ ]";
            else if (b->ordered) {
                b->number = cmark_node_get_list_start(list) + index;
                b->marker = dbf__arena_printf(arena, "%d.", b->number);
            } else {
                b->marker = "-";
            }
        }
        (*item_blocks)++;
        return;
    }
    add_block(w, DBF_BLOCK_PARAGRAPH, pos_of(w, node));
}

static void walk_table(struct walk *w, cmark_node *table)
{
    int index = (int)w->doc->table_count++;
    int row = 0;
    for (cmark_node *r = cmark_node_first_child(table); r; r = cmark_node_next(r), row++) {
        int col = 0;
        for (cmark_node *c = cmark_node_first_child(r); c; c = cmark_node_next(c), col++) {
            begin_text(w);
            flatten(w, c, 0);
            struct dbf_pos pos = pos_of(w, c);
            if (cmark_node_get_start_column(c) <= 0)
                pos = pos_of(w, r);
            struct dbf_block *b = add_block(w, DBF_BLOCK_TABLE_CELL, pos);
            b->table = index;
            b->table_row = row;
            b->table_column = col;
        }
    }
}

static void walk_node(struct walk *w, cmark_node *node, cmark_node *item, int *item_blocks)
{
    cmark_node_type type = cmark_node_get_type(node);
    switch (type) {
    case CMARK_NODE_HEADING: {
        begin_text(w);
        flatten(w, node, 0);
        int level = cmark_node_get_heading_level(node);
        struct dbf_pos pos = pos_of(w, node);
        char *heading = dbf__arena_strndup(dbf__doc_arena(w->doc), w->text.data, w->text.len);
        for (char *p = heading; *p; p++)
            if (*p == '\n')
                *p = ' ';
        bool is_title = false;
        if (level == 1 && !w->title_taken && w->doc->section_count == 0) {
            enum dbf_section_kind kind;
            w->title_taken = true;
            if (!dbf__section_kinds_of_heading(heading, &kind)) {
                is_title = true;
                if (!w->doc->title) {
                    w->doc->title = heading;
                    w->doc->title_pos = pos;
                }
            }
        }
        open_section(w, heading, level, pos, is_title);
        struct dbf_block *b = add_block(w, DBF_BLOCK_HEADING, pos);
        (void)b;
        break;
    }
    case CMARK_NODE_PARAGRAPH:
        walk_paragraph(w, node, item, item_blocks);
        break;
    case CMARK_NODE_LIST:
        w->list_depth++;
        for (cmark_node *it = cmark_node_first_child(node); it; it = cmark_node_next(it)) {
            int blocks = 0;
            for (cmark_node *c = cmark_node_first_child(it); c; c = cmark_node_next(c))
                walk_node(w, c, it, &blocks);
            if (blocks == 0) {
                /* An empty item still counts: "- [ ]" alone, or "1." */
                begin_text(w);
                int dummy = 0;
                (void)dummy;
                struct dbf_block *b = add_block(w, DBF_BLOCK_LIST_ITEM, pos_of(w, it));
                b->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
                b->marker = "-";
            }
        }
        w->list_depth--;
        break;
    case CMARK_NODE_CODE_BLOCK: {
        begin_text(w);
        const char *lit = cmark_node_get_literal(node);
        dbf_buf_adds(&w->text, lit ? lit : "");
        w->lead_open = false;
        struct dbf_pos pos = pos_of(w, node);
        struct dbf_block *b = add_block(w, DBF_BLOCK_CODE, pos);
        const char *info = cmark_node_get_fence_info(node);
        b->info = dbf__arena_strdup(dbf__doc_arena(w->doc), info ? info : "");
        int fence_length = 0, fence_offset = 0;
        char fence_char = 0;
        if (cmark_node_get_fenced(node, &fence_length, &fence_offset, &fence_char))
            b->pos.line++; /* the text starts on the line after the fence */
        break;
    }
    case CMARK_NODE_HTML_BLOCK: {
        begin_text(w);
        const char *lit = cmark_node_get_literal(node);
        dbf_buf_adds(&w->text, lit ? lit : "");
        w->lead_open = false;
        add_block(w, DBF_BLOCK_HTML, pos_of(w, node));
        break;
    }
    default:
        if (type_is(node, "table")) {
            walk_table(w, node);
            break;
        }
        walk_blocks(w, node); /* block quotes, footnotes, items' other children */
    }
}

static void walk_blocks(struct walk *w, cmark_node *parent)
{
    for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
        walk_node(w, c, NULL, NULL);
}

void dbf__markdown_walk(struct dbf_doc *doc, size_t body, int first_line)
{
    pthread_once(&extensions_once, register_extensions);
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES);
    static const char *const extensions[] = {"table", "tasklist", "strikethrough", "autolink"};
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, doc->source + body, doc->source_len - body);
    cmark_node *root = cmark_parser_finish(parser);

    struct walk w = {.doc = doc, .line_offset = first_line - 1, .current = -1};
    dbf_buf_init(&w.text, 0);
    dbf_buf_init(&w.lead, 0);
    walk_blocks(&w, root);
    for (size_t s = 0; s < doc->section_count; s++)
        if (!doc->sections[s].end_line)
            doc->sections[s].end_line = doc->line_count;
    dbf_buf_release(&w.text);
    dbf_buf_release(&w.lead);
    cmark_node_free(root);
    cmark_parser_free(parser);
}
