/* merge.c: imported entries written into a post mortem's timeline section.
 *
 * The document is copied line by line and the entries are inserted between
 * its lines, so no existing text is lost or changed. An entry goes after the
 * last timed entry at or before its time (or before the first one after it,
 * when it is on that one's day), in the form the timeline already uses: a
 * list item with the same marker and indent, a table row, a heading with its
 * text, or a timed line of a paragraph. A timeline with no timed entry gets a
 * list at the end of the section's own text. */
#include "../parse/clock.h"
#include "chat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum form { FORM_LIST, FORM_TABLE, FORM_HEADING, FORM_RUN };

/* A timed entry of the document's timeline. */
struct anchor {
    const struct dbf_timeline_entry *entry;
    int64_t at;   /* UTC seconds */
    int line;     /* its first line */
    int end_line; /* its last line */
    enum form form;
    const struct dbf_block *block;
};

struct insertion {
    int after; /* line it follows; 0 before the first */
    size_t seq;
    char *text; /* whole lines, each ending in the document's line ending */
};

struct merge {
    const struct dbf_doc *doc;
    const char *src; /* the file's bytes */
    size_t src_len;
    const size_t *line_start; /* offsets of lines 1..line_count, and one past the end */
    int line_count;
    const char *eol;
    struct dbf__chat_zone *zone;
    struct anchor *anchors;
    size_t anchor_count;
    struct insertion *ins;
    size_t ins_count;
};

static const char *line_text(const struct merge *m, int line, size_t *len)
{
    if (line < 1 || line > m->line_count) {
        *len = 0;
        return "";
    }
    size_t a = m->line_start[line - 1], b = m->line_start[line];
    while (b > a && (m->src[b - 1] == '\n' || m->src[b - 1] == '\r'))
        b--;
    *len = b - a;
    return m->src + a;
}

static bool blank(const struct merge *m, int line)
{
    size_t len;
    const char *s = line_text(m, line, &len);
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* The length of a list marker with its indent and following spaces at the
 * start of S ("  - ", "3. "), or 0. */
static size_t list_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    size_t m = i;
    if (i < len && strchr("-*+", s[i]))
        i++;
    else {
        while (i < len && isdigit((unsigned char)s[i]) && i - m < 9)
            i++;
        if (i == m || i >= len || (s[i] != '.' && s[i] != ')'))
            return 0;
        i++;
    }
    if (i < len && s[i] != ' ' && s[i] != '\t')
        return 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static const struct dbf_block *block_at(const struct dbf_doc *doc, int line)
{
    const struct dbf_block *found = NULL;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->pos.line <= line && b->pos.line + (int)b->newline_count >= line &&
            (!found || b->pos.line >= found->pos.line))
            found = b;
    }
    return found;
}

static bool is_anchor_line(const struct merge *m, int line)
{
    for (size_t i = 0; i < m->anchor_count; i++)
        if (m->anchors[i].line == line)
            return true;
    return false;
}

static int next_heading_line(const struct dbf_doc *doc, int line, int limit)
{
    for (size_t i = 0; i < doc->section_count; i++)
        if (doc->sections[i].pos.line > line && doc->sections[i].pos.line <= limit)
            limit = doc->sections[i].pos.line - 1;
    return limit;
}

/* The last line of the entry that starts at A->line. */
static int entry_end(const struct merge *m, const struct anchor *a, int section_end)
{
    if (a->form == FORM_TABLE)
        return a->line;
    if (a->form == FORM_HEADING) {
        int end = next_heading_line(m->doc, a->line, section_end);
        while (end > a->line && blank(m, end))
            end--;
        return end;
    }
    size_t len;
    const char *first = line_text(m, a->line, &len);
    size_t indent = 0;
    while (indent < len && first[indent] == ' ')
        indent++;
    int end = a->line;
    while (end < section_end && !blank(m, end + 1) && !is_anchor_line(m, end + 1)) {
        const char *s = line_text(m, end + 1, &len);
        size_t lead = 0;
        while (lead < len && s[lead] == ' ')
            lead++;
        if (lead <= indent && (list_prefix(s, len) || s[lead] == '#' || s[lead] == '|'))
            break;
        end++;
    }
    return end;
}

/* The UTC time of a document entry: entries without a date fall on BASE_DAY
 * (days since the epoch) and after; entries without a fixed zone are in the
 * document's zone. */
static int64_t anchor_time(const struct merge *m, const struct dbf_timeline_entry *e,
                           int64_t base_day)
{
    int64_t at = e->at + (e->time.date.year ? 0 : base_day * 86400);
    if (e->time.has_zone && e->time.zone_is_fixed)
        return at;
    if (e->time.has_zone && e->time.zone) {
        char err[256];
        struct dbf__chat_zone *own = dbf__chat_zone_new(e->time.zone, err, sizeof err);
        if (own) {
            at = dbf__chat_zone_to_utc(own, at);
            dbf__chat_zone_free(own);
            return at;
        }
    }
    return dbf__chat_zone_to_utc(m->zone, at);
}

/* The day undated entries fall on: the incident's date from the front
 * matter, else the first imported entry's day in the zone. */
static int64_t base_day(const struct merge *m, const struct dbf_chat_import *import)
{
    const struct dbf_meta *meta = &m->doc->meta;
    const struct dbf_meta_value *dates[] = {&meta->trigger, &meta->impact_start, &meta->detected,
                                            &meta->mitigated, &meta->resolved};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        struct dbf_date d;
        const char *t = dates[i]->text;
        if (t && dbf__date_scan(t, strlen(t), &d) && d.year && dbf__date_valid(d))
            return dbf__days_from_civil(d.year, d.month, d.day);
    }
    if (!import->count)
        return 0;
    int64_t local = import->entries[0].at + dbf__chat_zone_offset(m->zone, import->entries[0].at);
    return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

static enum form form_of(const struct merge *m, const struct dbf_block *b, int line)
{
    if (!b)
        return FORM_LIST;
    switch (b->type) {
    case DBF_BLOCK_TABLE_CELL:
        return FORM_TABLE;
    case DBF_BLOCK_HEADING:
        return FORM_HEADING;
    case DBF_BLOCK_PARAGRAPH: {
        size_t len;
        const char *s = line_text(m, line, &len);
        return list_prefix(s, len) ? FORM_LIST : FORM_RUN;
    }
    default:
        return FORM_LIST;
    }
}

static bool collect_anchors(struct merge *m, const struct dbf_section *sec, int section_end,
                            const struct dbf_chat_import *import)
{
    const struct dbf_doc *doc = m->doc;
    m->anchors = calloc(doc->timeline_count ? doc->timeline_count : 1, sizeof *m->anchors);
    if (!m->anchors)
        return false;
    int64_t day = base_day(m, import);
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (!e->time_ok || !e->time.has_clock || e->pos.line <= sec->pos.line ||
            e->pos.line > section_end)
            continue;
        struct anchor *a = &m->anchors[m->anchor_count++];
        a->entry = e;
        a->at = anchor_time(m, e, day);
        a->line = e->pos.line;
        a->block = block_at(doc, e->pos.line);
        a->form = form_of(m, a->block, a->line);
    }
    for (size_t i = 0; i < m->anchor_count; i++)
        m->anchors[i].end_line = entry_end(m, &m->anchors[i], section_end);
    return true;
}

static bool add_insertion(struct merge *m, int after, struct dbf_buf *text)
{
    struct insertion *grown = realloc(m->ins, (m->ins_count + 1) * sizeof *grown);
    if (!grown)
        return false;
    m->ins = grown;
    size_t len;
    grown[m->ins_count] = (struct insertion){after, m->ins_count, dbf_buf_detach(text, &len)};
    m->ins_count++;
    return true;
}

static void add_escaped_cell(struct dbf_buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            dbf_buf_addc(out, '\\');
        dbf_buf_addc(out, *s);
    }
}

/* The cells of the table row at LINE: how many, and which one holds the time. */
static void table_shape(const struct merge *m, const struct anchor *a, int *columns, int *time_col)
{
    *columns = 2;
    *time_col = 0;
    if (!a->block)
        return;
    int table = a->block->table, max = 0, time = -1;
    for (size_t i = 0; i < m->doc->block_count; i++) {
        const struct dbf_block *b = &m->doc->blocks[i];
        if (b->type != DBF_BLOCK_TABLE_CELL || b->table != table)
            continue;
        if (b->table_column + 1 > max)
            max = b->table_column + 1;
        if (b->pos.line == a->line && time < 0) {
            struct dbf_time t;
            if (dbf__time_scan(b->text, b->len, &t, true))
                time = b->table_column;
        }
    }
    *columns = max > 1 ? max : 2;
    *time_col = time >= 0 ? time : 0;
}

/* Writes entry E as lines in the form of the anchor NEAR (NULL: a list),
 * for insertion after line AFTER. */
static bool insert_entry(struct merge *m, const struct dbf_chat_entry *e, const struct anchor *near,
                         int after, bool fresh_list)
{
    struct dbf_buf t;
    dbf_buf_init(&t, 0);
    enum form form = near ? near->form : FORM_LIST;
    size_t len;
    const char *model = near ? line_text(m, near->line, &len) : "";
    if (!near)
        len = 0;
    if (fresh_list && !blank(m, after))
        dbf_buf_adds(&t, m->eol);
    switch (form) {
    case FORM_LIST: {
        size_t prefix = list_prefix(model, len);
        if (prefix)
            dbf_buf_add(&t, model, prefix);
        else
            dbf_buf_adds(&t, "- ");
        dbf__chat_zone_stamp(m->zone, e->at, &t);
        dbf_buf_addf(&t, " \xE2\x80\x94 %s: %s%s", e->who, e->text, m->eol);
        break;
    }
    case FORM_RUN:
        dbf__chat_zone_stamp(m->zone, e->at, &t);
        dbf_buf_addf(&t, " \xE2\x80\x94 %s: %s%s", e->who, e->text, m->eol);
        break;
    case FORM_TABLE: {
        int columns, time_col;
        table_shape(m, near, &columns, &time_col);
        int text_col = time_col + 1 < columns ? time_col + 1 : time_col - 1;
        dbf_buf_addc(&t, '|');
        for (int c = 0; c < columns; c++) {
            dbf_buf_addc(&t, ' ');
            if (c == time_col) {
                dbf__chat_zone_stamp(m->zone, e->at, &t);
            } else if (c == text_col) {
                add_escaped_cell(&t, e->who);
                dbf_buf_adds(&t, ": ");
                add_escaped_cell(&t, e->text);
            }
            dbf_buf_adds(&t, " |");
        }
        dbf_buf_adds(&t, m->eol);
        break;
    }
    case FORM_HEADING: {
        size_t hashes = 0;
        while (hashes < len && model[hashes] == '#')
            hashes++;
        bool before = after < near->line;
        if (!before)
            dbf_buf_adds(&t, m->eol);
        dbf_buf_add(&t, model, hashes ? hashes : 3);
        if (!hashes)
            dbf_buf_adds(&t, "##");
        dbf_buf_addc(&t, ' ');
        dbf__chat_zone_stamp(m->zone, e->at, &t);
        dbf_buf_addf(&t, "%s%s%s: %s%s", m->eol, m->eol, e->who, e->text, m->eol);
        if (before)
            dbf_buf_adds(&t, m->eol);
        break;
    }
    }
    if (t.failed) {
        dbf_buf_release(&t);
        return false;
    }
    return add_insertion(m, after, &t);
}

/* Is E already written in the section (lines FIRST..LAST): a line with its
 * time stamp and its "who: text", as an earlier merge wrote it? */
static bool already_there(const struct merge *m, const struct dbf_chat_entry *e, int first,
                          int last)
{
    struct dbf_buf stamp, body, cell;
    dbf_buf_init(&stamp, 0);
    dbf_buf_init(&body, 0);
    dbf_buf_init(&cell, 0);
    dbf__chat_zone_stamp(m->zone, e->at, &stamp);
    dbf_buf_addf(&body, "%s: %s", e->who, e->text);
    add_escaped_cell(&cell, body.data);
    bool found = false;
    for (int line = first; !found && line <= last; line++) {
        size_t len;
        const char *s = line_text(m, line, &len);
        found = memmem(s, len, stamp.data, stamp.len) &&
                (memmem(s, len, body.data, body.len) || memmem(s, len, cell.data, cell.len));
        if (!found && memmem(s, len, stamp.data, stamp.len) && line < last) {
            /* The heading form: the stamp in the heading, the text below it. */
            const char *next = line_text(m, line + 2, &len);
            found = memmem(next, len, body.data, body.len) != NULL;
        }
    }
    dbf_buf_release(&stamp);
    dbf_buf_release(&body);
    dbf_buf_release(&cell);
    return found;
}

static int64_t local_day(const struct merge *m, int64_t at)
{
    int64_t local = at + dbf__chat_zone_offset(m->zone, at);
    return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

static bool place(struct merge *m, const struct dbf_chat_entry *e, int first, int last, int own_end)
{
    if (already_there(m, e, first, last))
        return true;
    if (!m->anchor_count)
        return insert_entry(m, e, NULL, own_end, m->ins_count == 0);
    size_t next = 0;
    while (next < m->anchor_count && m->anchors[next].at <= e->at)
        next++;
    /* Between two entries: after the earlier one, unless the entry is on
     * the later one's day and not the earlier one's (a new day's list). */
    const struct anchor *prev = next ? &m->anchors[next - 1] : NULL;
    const struct anchor *after = next < m->anchor_count ? &m->anchors[next] : NULL;
    if (after && (!prev || (local_day(m, e->at) == local_day(m, after->at) &&
                            local_day(m, e->at) != local_day(m, prev->at))))
        return insert_entry(m, e, after, after->line - 1, false);
    return prev ? insert_entry(m, e, prev, prev->end_line, false) : true;
}

static int by_place(const void *a, const void *b)
{
    const struct insertion *x = a, *y = b;
    if (x->after != y->after)
        return x->after < y->after ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static size_t *index_lines(const char *src, size_t src_len, int *count)
{
    size_t n = 1;
    for (size_t i = 0; i < src_len; i++)
        n += src[i] == '\n';
    size_t *starts = malloc((n + 1) * sizeof *starts);
    if (!starts)
        return NULL;
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < src_len; i++)
        if (src[i] == '\n')
            starts[k++] = i + 1;
    /* A final newline ends the last line rather than opening an empty one. */
    if (k > 1 && starts[k - 1] == src_len)
        k--;
    starts[k] = src_len;
    *count = (int)k;
    return starts;
}

static void write_out(const struct merge *m, struct dbf_buf *out)
{
    size_t next = 0;
    for (; next < m->ins_count && m->ins[next].after <= 0; next++)
        dbf_buf_adds(out, m->ins[next].text);
    for (int line = 1; line <= m->line_count; line++) {
        size_t a = m->line_start[line - 1], b = m->line_start[line];
        dbf_buf_add(out, m->src + a, b - a);
        if (next < m->ins_count && m->ins[next].after == line && (b == a || m->src[b - 1] != '\n'))
            dbf_buf_adds(out, m->eol);
        for (; next < m->ins_count && m->ins[next].after == line; next++)
            dbf_buf_adds(out, m->ins[next].text);
    }
    for (; next < m->ins_count; next++)
        dbf_buf_adds(out, m->ins[next].text);
}

bool dbf_chat_import_merge(const struct dbf_chat_import *import, const struct dbf_doc *doc,
                           const char *source, size_t source_len,
                           const struct dbf_import_options *options, struct dbf_buf *out, char *err,
                           size_t errlen)
{
    const struct dbf_section *sec = dbf_doc_section(doc, DBF_SECTION_TIMELINE);
    if (!sec) {
        snprintf(err, errlen, "%s: no timeline section to merge into; add a '## Timeline' heading",
                 doc->path);
        return false;
    }
    char zerr[256];
    const char *spec = dbf__chat_zone_spec(options, doc);
    if (!source) {
        source = doc->source;
        source_len = doc->source_len;
    }
    struct merge m = {.doc = doc,
                      .src = source,
                      .src_len = source_len,
                      .eol = memmem(source, source_len, "\r\n", 2) ? "\r\n" : "\n"};
    m.zone = dbf__chat_zone_new(spec, zerr, sizeof zerr);
    if (!m.zone) {
        snprintf(err, errlen, "%s: %s; give the zone with --zone", doc->path, zerr);
        return false;
    }
    size_t *starts = index_lines(source, source_len, &m.line_count);
    m.line_start = starts;
    /* A section's text ends at the next heading of its level or above. */
    int section_end = sec->end_line >= sec->pos.line ? sec->end_line : m.line_count;
    if (section_end > m.line_count)
        section_end = m.line_count;
    bool ok = starts && collect_anchors(&m, sec, section_end, import);
    int own_end = next_heading_line(doc, sec->pos.line, section_end);
    while (own_end > sec->pos.line && blank(&m, own_end))
        own_end--;
    for (size_t i = 0; ok && i < import->count; i++)
        ok = place(&m, &import->entries[i], sec->pos.line, section_end, own_end);
    if (ok && !m.anchor_count && m.ins_count && own_end < m.line_count && !blank(&m, own_end + 1)) {
        struct dbf_buf gap;
        dbf_buf_init(&gap, 0);
        dbf_buf_adds(&gap, m.eol);
        ok = add_insertion(&m, own_end, &gap);
    }
    if (ok) {
        if (m.ins_count)
            qsort(m.ins, m.ins_count, sizeof *m.ins, by_place);
        write_out(&m, out);
    } else {
        snprintf(err, errlen, "out of memory");
    }
    for (size_t i = 0; i < m.ins_count; i++)
        free(m.ins[i].text);
    free(m.ins);
    free(m.anchors);
    free(starts);
    dbf__chat_zone_free(m.zone);
    return ok;
}
