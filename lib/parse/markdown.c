/* markdown.c: one walk over cmark-gfm's tree into blocks and sections.
 *
 * Sections open at headings, at a short bold (or plain) line that names a
 * known kind (alone, or as a line of a paragraph whose text follows it:
 * "Conclusion" then prose), and at a bold label opening a top-level list
 * item ("- **Impact**: …"). A section's parent is the nearest open section
 * of a lower level. Headings that start with a time or date inside a
 * timeline stay in the timeline, whatever their level. The first H1 is the
 * title unless it is a short section name ("# Summary"). */
#include "../util/swar.h"
#include "clock.h"
#include "cmark_memory.h"
#include "parse.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "debrief/buf.h"

struct walk {
    struct dbf_doc *doc;
    int line_offset; /* lines before the body */
    int current;     /* the open section, -1 before the first */
    int list_depth;
    bool title_taken; /* the first H1 was seen */
    struct dbf_buf text;
    struct dbf_buf spare; /* takes text's place while a paragraph is split */
    const char *link;
    bool lead_open; /* still inside the opening bold run of a block */
    struct dbf_buf lead;
    bool lead_done;
    bool image;
    int item_index; /* the position of the list item being walked in its list */
};

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;
pthread_mutex_t dbf__cmark_parse_lock = PTHREAD_MUTEX_INITIALIZER;

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

/* The bytes of a word, one bit per byte value: ASCII digits and letters,
 * and every byte of a non-ASCII character. */
static const uint64_t word_bytes[4] = {0x03FF000000000000u, 0x07FFFFFE07FFFFFEu, ~(uint64_t)0,
                                       ~(uint64_t)0};

/* The high bit of each of the eight bytes of X that is a word byte (as
 * word_bytes says): a digit, a letter of either case (folded by 0x20), a
 * byte of a non-ASCII character. */
static uint64_t word_byte_bits(uint64_t x)
{
    return dbf__bytes_in(x, '0', '9') | dbf__bytes_in(x | DBF__SWAR_ONES * 0x20, 'a', 'z') |
           (x & DBF__SWAR_HIGHS);
}

/* The words of S[0..LEN): runs of word bytes, counted eight bytes at a time
 * by the starts of runs. */
static size_t count_words(const char *s, size_t len)
{
    size_t words = 0, i = 0;
    uint64_t before = 0; /* the high bit of the byte before the eight, at bit 7 */
    for (; i + 8 <= len; i += 8) {
        uint64_t w = word_byte_bits(dbf__load8(s + i));
        /* The starts' bits, one per byte at bit 7, moved to bit 0 and summed
         * into the top byte by the multiplication. */
        uint64_t starts = (w & ~((w << 8) | before)) >> 7;
        words += (size_t)((starts * DBF__SWAR_ONES) >> 56);
        before = w >> 56;
    }
    bool in = before != 0;
    for (; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        bool c = (word_bytes[b >> 6] >> (b & 63)) & 1;
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
            w->image = true;
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

/* Reads NODE's inlines into w->text; an address written bare before the
 * first link (or with none) is the block's link, as it would be had the
 * autolink extension read the document (dbf__bare_links_mark()). */
static void read_inlines(struct walk *w, cmark_node *node)
{
    flatten(w, node, 0);
    const char *bare = cmark_node_get_user_data(node);
    if (bare)
        w->link = bare;
}

static void begin_text(struct walk *w)
{
    dbf_buf_reset(&w->text);
    dbf_buf_reset(&w->lead);
    w->link = NULL;
    w->lead_open = true;
    w->lead_done = false;
    w->image = false;
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
    b->image = w->image;
    const char *end = b->text + b->len;
    for (const char *p = memchr(b->text, '\n', b->len); p;
         p = memchr(p + 1, '\n', (size_t)(end - p - 1)))
        b->newline_count++;
    if (b->newline_count) {
        size_t *at = dbf__arena_alloc(dbf__doc_arena(doc), b->newline_count * sizeof *at);
        size_t n = 0;
        for (const char *p = memchr(b->text, '\n', b->len); p;
             p = memchr(p + 1, '\n', (size_t)(end - p - 1)))
            at[n++] = (size_t)(p - b->text);
        b->newlines = at;
    }
    if (w->lead_done || (w->lead_open && w->lead.len))
        b->lead = dbf__arena_strndup(dbf__doc_arena(doc), w->lead.data, w->lead.len);
    if (w->current >= 0)
        doc->sections[w->current].block_count++;
    b->words = count_words(b->text, b->len);
    doc->words += b->words;
    for (int s = w->current; s >= 0; s = doc->sections[s].parent)
        doc->sections[s].words += b->words;
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

/* The timeline section that holds section S: the nearest one whose own
 * heading names the timeline (timed sub-headings only inherit the kind), else
 * the outermost that inherits it; -1 when S is not inside a timeline. */
static int timeline_ancestor(struct dbf_doc *doc, int s)
{
    int outermost = -1;
    for (; s >= 0; s = doc->sections[s].parent) {
        if (doc->sections[s].kind == DBF_SECTION_TIMELINE)
            return s;
        if (doc->sections[s].effective == DBF_SECTION_TIMELINE)
            outermost = s;
    }
    return outermost;
}

/* The kinds a heading names, as dbf__section_kinds_of_heading() gives them. */
struct heading_kinds {
    unsigned kinds;
    enum dbf_section_kind first;
};

static struct heading_kinds kinds_of(const char *heading)
{
    struct heading_kinds k;
    k.kinds = dbf__section_kinds_of_heading(heading, &k.first);
    return k;
}

/* Opens a section at HEADING, whose kinds are KNOWN (the walk often has
 * them already). HEADING is kept as it is when IN_ARENA, else copied. */
static void open_section(struct walk *w, const char *heading, bool in_arena, int level,
                         struct dbf_pos pos, struct heading_kinds known)
{
    struct dbf_doc *doc = w->doc;
    enum dbf_section_kind kind = known.first;
    unsigned kinds = known.kinds;
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
    if (kind == DBF_SECTION_IMPACT && parent >= 0 &&
        doc->sections[parent].effective == DBF_SECTION_RESPONSE) {
        /* "Blast radius" under a response analysis is one of its phases. */
        kind = DBF_SECTION_RESPONSE;
        kinds = 1u << DBF_SECTION_RESPONSE;
    }
    struct dbf_section *sec =
        DBF_PUSH(doc->sections, doc->section_count, doc->internal->section_cap);
    sec->kind = kind;
    sec->kinds = kinds;
    sec->heading = in_arena ? heading : dbf__arena_strdup(dbf__doc_arena(doc), heading);
    sec->level = timed && parent >= 0 && level <= doc->sections[parent].level
                     ? doc->sections[parent].level + 1
                     : level;
    sec->pos = pos;
    sec->parent = parent;
    sec->effective = kind != DBF_SECTION_OTHER ? kind
                     : parent >= 0             ? doc->sections[parent].effective
                                               : DBF_SECTION_OTHER;
    sec->first_block = doc->block_count;
    w->current = (int)(doc->section_count - 1);
}

static void walk_blocks(struct walk *w, cmark_node *node);

/* Is the first H1 a section ("# Summary") rather than the title? A title may
 * name a kind in passing ("Retrospective: the spring sale launch",
 * "Billing API incident response"); a section heading is short. With a title in the front matter
 * any H1 naming a kind is a section. */
/* Does HEADING carry an identifier or a date past its leading number
 * ("INC-2291 retrospective", "Outage review 2024-06-19")? Section names do
 * not; titles do. Parenthesised notes are read past. */
static bool names_an_incident(const char *heading)
{
    const char *p = heading;
    while (*p == ' ' || *p == '#' || *p == '*')
        p++;
    while (isdigit((unsigned char)*p) || *p == '.' || *p == ')')
        p++;
    int paren = 0;
    for (; *p; p++) {
        if (*p == '(')
            paren++;
        else if (*p == ')' && paren)
            paren--;
        else if (!paren && isdigit((unsigned char)*p))
            return true;
    }
    return false;
}

static bool h1_is_section_name(struct walk *w, const char *heading, struct heading_kinds *kinds)
{
    *kinds = kinds_of(heading);
    if (!kinds->kinds)
        return false;
    if (w->doc->meta.title.text)
        return true; /* the front matter holds the title */
    return !names_an_incident(heading) && count_words(heading, strlen(heading)) <= 3;
}

static bool is_break(cmark_node *node)
{
    return !node || cmark_node_get_type(node) == CMARK_NODE_SOFTBREAK ||
           cmark_node_get_type(node) == CMARK_NODE_LINEBREAK;
}

/* The length of the heading that opens a paragraph, 0 when it has none: a
 * short bold line ("**Impact**", "**Review actions**:") or a short plain line
 * that is nothing but a section name ("Action Items", "User Impact:"), alone
 * or on the first line above the section's text ("Conclusion" then prose). */
static size_t paragraph_heading(struct walk *w, cmark_node *para, struct heading_kinds *kinds)
{
    if (w->list_depth > 0)
        return 0;
    cmark_node *first = cmark_node_first_child(para);
    if (!first)
        return 0;
    const char *text = w->text.data;
    const char *nl = memchr(text, '\n', w->text.len);
    size_t len = nl ? (size_t)(nl - text) : w->text.len;
    if (len == 0 || len > 60)
        return 0;
    char line[64];
    memcpy(line, text, len);
    line[len] = '\0';
    *kinds = kinds_of(line);
    if (!kinds->kinds)
        return 0;
    /* A run of text may be several text nodes: cmark-gfm ends one at each
     * character that could have opened an inline ('&', '[', '!', ...). */
    cmark_node *after = cmark_node_next(first);
    if (cmark_node_get_type(first) == CMARK_NODE_STRONG) {
        for (; after && cmark_node_get_type(after) == CMARK_NODE_TEXT;
             after = cmark_node_next(after)) {
            const char *lit = cmark_node_get_literal(after);
            if (strspn(lit, ": ") != strlen(lit))
                return 0;
        }
        return is_break(after) ? len : 0;
    }
    /* A plain line: only when it is nothing but a section name. */
    while (after && cmark_node_get_type(after) == CMARK_NODE_TEXT)
        after = cmark_node_next(after);
    bool single = cmark_node_get_type(first) == CMARK_NODE_TEXT && is_break(after);
    size_t name = len;
    while (name && (line[name - 1] == ':' || line[name - 1] == ' '))
        name--;
    return single && len <= 30 && isupper((unsigned char)line[0]) && !strchr(line, '.') &&
                   !memchr(line, ':', name)
               ? len
               : 0;
}

/* Is LINE, a later line of a paragraph, a plain section name standing alone
 * ("Conclusion" between two lines of prose)? */
static bool line_is_heading(const char *line, size_t len, struct heading_kinds *kinds)
{
    while (len && (line[len - 1] == ' ' || line[len - 1] == ':'))
        len--;
    /* "TODO: ask the data team" is a label and its value, not a heading. */
    if (len == 0 || len > 30 || !isupper((unsigned char)line[0]) || memchr(line, '.', len) ||
        memchr(line, ':', len))
        return false;
    char name[32];
    memcpy(name, line, len);
    name[len] = '\0';
    *kinds = kinds_of(name);
    return kinds->kinds != 0;
}

/* Adds TEXT[FROM, TO) as a paragraph block at LINE; FIRST keeps the bold run
 * that opens the paragraph as the block's lead. */
static void add_paragraph_part(struct walk *w, const char *text, size_t from, size_t to,
                               struct dbf_pos pos, bool first)
{
    while (to > from && text[to - 1] == '\n')
        to--;
    if (to == from)
        return;
    dbf_buf_reset(&w->text);
    dbf_buf_add(&w->text, text + from, to - from);
    if (!first)
        w->lead_open = w->lead_done = false;
    add_block(w, DBF_BLOCK_PARAGRAPH, pos);
}

/* Opens a section at a line of a paragraph, whose kinds (with or without
 * the ':' and spaces that end it: they name the same) are KINDS. */
static void open_line_section(struct walk *w, const char *line, size_t len, struct dbf_pos pos,
                              struct heading_kinds kinds)
{
    char *heading = dbf__arena_strndup(dbf__doc_arena(w->doc), line, len);
    while (len && (heading[len - 1] == ':' || heading[len - 1] == ' '))
        heading[--len] = '\0';
    open_section(w, heading, true, 7, pos, kinds);
}

/* A paragraph outside lists: its text, split where a line works as a
 * heading (the first line in bold or plain, a later one plain). */
static void walk_prose_paragraph(struct walk *w, cmark_node *node)
{
    struct dbf_pos pos = pos_of(w, node);
    struct heading_kinds kinds = {0, DBF_SECTION_OTHER};
    size_t first_heading = paragraph_heading(w, node, &kinds);
    if (first_heading && first_heading == w->text.len) {
        open_line_section(w, w->text.data, first_heading, pos, kinds);
        return;
    }
    /* The paragraph's text stays where it is; the parts are written to the
     * spare buffer in its place. */
    struct dbf_buf whole = w->text;
    w->text = w->spare;
    const char *text = whole.data;
    size_t len = whole.len;
    size_t start = 0;
    int start_line = pos.line;
    int line_no = pos.line;
    for (size_t at = 0; at < len; line_no++) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        bool heading = at == 0 ? first_heading > 0 : line_is_heading(text + at, end - at, &kinds);
        if (heading) {
            add_paragraph_part(w, text, start, at,
                               (struct dbf_pos){start_line, start ? 1 : pos.column}, start == 0);
            open_line_section(w, text + at, end - at,
                              (struct dbf_pos){line_no, at ? 1 : pos.column}, kinds);
            start = end + 1;
            start_line = line_no + 1;
        }
        at = end + 1;
    }
    if (start < len)
        add_paragraph_part(w, text, start, len,
                           (struct dbf_pos){start_line, start ? 1 : pos.column}, start == 0);
    w->spare = w->text;
    w->text = whole;
}

/* "12.": the marker of an ordered item, as "%d." writes it, without printf. */
static const char *number_marker(struct dbf__arena *arena, int number)
{
    char digits[16];
    size_t at = sizeof digits;
    digits[--at] = '.';
    unsigned v = number < 0 ? 0u - (unsigned)number : (unsigned)number;
    do {
        digits[--at] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (number < 0)
        digits[--at] = '-';
    return dbf__arena_strndup(arena, digits + at, sizeof digits - at);
}

static void walk_paragraph(struct walk *w, cmark_node *node, cmark_node *item, int *item_blocks)
{
    begin_text(w);
    read_inlines(w, node);
    if (!item) {
        walk_prose_paragraph(w, node);
        return;
    }
    if (item) {
        /* "- **Impact**: text" at the top level opens a labelled part. */
        if (*item_blocks == 0 && w->list_depth == 1 && w->lead_done) {
            const char *lead = w->lead.data;
            struct heading_kinds kinds = kinds_of(lead);
            if (kinds.kinds && w->lead.len <= 40 &&
                (w->text.len == w->lead.len || w->text.data[w->lead.len] == ':' ||
                 w->text.data[w->lead.len] == '\n' ||
                 (w->lead.len && lead[w->lead.len - 1] == ':'))) {
                open_section(w, lead, false, 8, pos_of(w, item), kinds);
            }
        }
        struct dbf_block *b = add_block(w, DBF_BLOCK_LIST_ITEM, pos_of(w, node));
        cmark_node *list = cmark_node_parent(item);
        b->ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
        int index = w->item_index;
        if (*item_blocks == 0) {
            struct dbf__arena *arena = dbf__doc_arena(w->doc);
            if (type_is(item, "tasklist"))
                b->marker = cmark_gfm_extensions_get_tasklist_item_checked(item) ? "[x]" : "[ ]";
            else if (b->ordered) {
                b->number = cmark_node_get_list_start(list) + index;
                b->marker = number_marker(arena, b->number);
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
            read_inlines(w, c);
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
        read_inlines(w, node);
        int level = cmark_node_get_heading_level(node);
        struct dbf_pos pos = pos_of(w, node);
        char *heading = dbf__arena_strndup(dbf__doc_arena(w->doc), w->text.data, w->text.len);
        for (char *p = heading; *p; p++)
            if (*p == '\n')
                *p = ' ';
        struct heading_kinds kinds;
        bool known = false;
        if (level == 1 && !w->title_taken && w->doc->section_count == 0) {
            w->title_taken = true;
            known = true;
            if (!h1_is_section_name(w, heading, &kinds)) {
                kinds = (struct heading_kinds){0, DBF_SECTION_OTHER}; /* the title */
                if (!w->doc->title) {
                    w->doc->title = heading;
                    w->doc->title_pos = pos;
                }
            }
        }
        open_section(w, heading, true, level, pos, known ? kinds : kinds_of(heading));
        struct dbf_block *b = add_block(w, DBF_BLOCK_HEADING, pos);
        (void)b;
        break;
    }
    case CMARK_NODE_PARAGRAPH:
        walk_paragraph(w, node, item, item_blocks);
        break;
    case CMARK_NODE_LIST:
        w->list_depth++;
        int index = 0;
        for (cmark_node *it = cmark_node_first_child(node); it; it = cmark_node_next(it), index++) {
            int blocks = 0;
            for (cmark_node *c = cmark_node_first_child(it); c; c = cmark_node_next(c)) {
                w->item_index = index; /* nested lists change it */
                walk_node(w, c, it, &blocks);
            }
            if (blocks == 0) {
                /* An empty item still counts: "- [ ]" alone, or "1." */
                begin_text(w);
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

/* Frees ROOT and PARSER: with SCRATCH (their memory), all of it at once. */
static void release(cmark_mem *scratch, cmark_node *root, cmark_parser *parser)
{
    if (scratch) {
        dbf__cmark_memory_end(); /* the tree and the parser with it */
        return;
    }
    cmark_node_free(root);
    cmark_parser_free(parser);
}

bool dbf__markdown_walk(struct dbf_doc *doc, size_t body, int first_line,
                        const struct dbf__meanwhile *meanwhile)
{
    pthread_once(&extensions_once, register_extensions);
    struct dbf__address_lines *addresses = dbf__address_lines_read(doc, body, first_line);
    /* A thread that would wait for the lock does MEANWHILE's work first
     * (-j 2 over the bench's files: 2.7% less wall time). */
    bool ran = pthread_mutex_trylock(&dbf__cmark_parse_lock) != 0;
    if (ran) {
        if (!meanwhile->run(meanwhile->ctx)) {
            dbf__address_lines_free(addresses);
            return false;
        }
        pthread_mutex_lock(&dbf__cmark_parse_lock);
    }
    cmark_mem *scratch = dbf__cmark_memory_begin(doc->source_len - body);
    const int options = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES;
    cmark_parser *parser =
        scratch ? cmark_parser_new_with_mem(options, scratch) : cmark_parser_new(options);
    static const char *const extensions[] = {"table", "tasklist", "strikethrough"};
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, doc->source + body, doc->source_len - body);
    cmark_node *root = cmark_parser_finish(parser);
    if (root)
        dbf__bare_links_mark(root, addresses, scratch, dbf__doc_arena(doc));
    pthread_mutex_unlock(&dbf__cmark_parse_lock);
    dbf__address_lines_free(addresses);
    if (!ran && !meanwhile->run(meanwhile->ctx)) {
        release(scratch, root, parser);
        return false;
    }

    struct walk w = {.doc = doc, .line_offset = first_line - 1, .current = -1};
    dbf_buf_init(&w.text, 0);
    dbf_buf_init(&w.spare, 0);
    dbf_buf_init(&w.lead, 0);
    walk_blocks(&w, root);
    for (size_t s = 0; s < doc->section_count; s++)
        if (!doc->sections[s].end_line)
            doc->sections[s].end_line = doc->line_count;
    dbf_buf_release(&w.text);
    dbf_buf_release(&w.spare);
    dbf_buf_release(&w.lead);
    release(scratch, root, parser);
    return true;
}
