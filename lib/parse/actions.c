/* actions.c: action items from tables and lists in the actions sections.
 *
 * A table's columns are found by header words. A list item carries its
 * fields inline: "owner: Jane", "(@jane)", "due 2026-04-20", "P1",
 * "lesson: #2", "[x]" for done, and a link. An outer item that is only a
 * label for a nested list ("Monitoring:") is not an item itself. */
#include "../util/re.h"
#include "clock.h"
#include "parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum column { COL_NONE, COL_NUMBER, COL_ACTION, COL_OWNER, COL_DUE, COL_PRIORITY, COL_LESSON,
              COL_STATUS, COL_LINK };

static const struct {
    const char *word;
    enum column column;
} header_words[] = {
    {"#", COL_NUMBER},        {"no", COL_NUMBER},        {"id", COL_NUMBER},
    {"number", COL_NUMBER},   {"owner", COL_OWNER},      {"assignee", COL_OWNER},
    {"assigned", COL_OWNER},  {"who", COL_OWNER},        {"responsible", COL_OWNER},
    {"dri", COL_OWNER},       {"due", COL_DUE},          {"deadline", COL_DUE},
    {"eta", COL_DUE},         {"target", COL_DUE},       {"by when", COL_DUE},
    {"date", COL_DUE},        {"when", COL_DUE},         {"priority", COL_PRIORITY},
    {"prio", COL_PRIORITY},   {"severity", COL_PRIORITY}, {"lesson", COL_LESSON},
    {"addresses", COL_LESSON}, {"status", COL_STATUS},   {"state", COL_STATUS},
    {"done", COL_STATUS},     {"link", COL_LINK},        {"ticket", COL_LINK},
    {"issue", COL_LINK},      {"bug", COL_LINK},         {"tracking", COL_LINK},
    {"pr", COL_LINK},         {"jira", COL_LINK},        {"reference", COL_LINK},
    {"action", COL_ACTION},   {"item", COL_ACTION},      {"description", COL_ACTION},
    {"task", COL_ACTION},     {"what", COL_ACTION},      {"title", COL_ACTION},
    {"fix", COL_ACTION},      {"summary", COL_ACTION},   {"measure", COL_ACTION},
    {"type", COL_NONE},
};

static struct dbf__re owner_field = DBF_RE(
    "\\b(?:owners?|assignees?|assigned to|dri|responsible|who)\\s*[:=\\-–—]\\s*\\**\\s*"
    "(@?[\\w.'-]+(?:[ ][A-Z@][\\w.'-]*){0,3})");
static struct dbf__re owner_handle = DBF_RE("(?<![\\w.])@([A-Za-z0-9][\\w-]*(?:/[\\w-]+)?)(?!\\.\\w)");
static struct dbf__re owner_paren = DBF_RE_CASED("\\((?:owner:?\\s*)?([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\\)\\s*$");
static struct dbf__re due_field = DBF_RE(
    "\\b(?:due(?: date)?|deadline|by|eta|target(?: date)?|until|before|complete by|no later than)"
    "\\s*[:=]?\\s*(?:on\\s+)?([^,;)\\]|]{4,40})");
static struct dbf__re quarter = DBF_RE("\\b(?:by |due |eta:? |in |target:? )?Q([1-4])\\s*(?:FY)?'?(\\d{2,4})\\b");
static struct dbf__re priority_field = DBF_RE(
    "\\bprio(?:rity)?\\s*[:=]?\\s*([\\w-]+)|(?<![\\w-])(P[0-4])(?![\\w-])|\\[(high|medium|low|critical|"
    "urgent)\\]|\\b(high|medium|low|critical|urgent)[- ]priority\\b|\\((high|medium|low|critical)\\)");
static struct dbf__re lesson_field = DBF_RE(
    "\\blessons?\\s*[:#]?\\s*#?(\\d{1,2})((?:\\s*(?:,|and|&)\\s*#?\\d{1,2})*)|\\(L(\\d{1,2})\\)|"
    "\\blessons? learned #(\\d{1,2})");
static struct dbf__re status_done = DBF_RE(
    "\\bstatus\\s*[:=]\\s*(?:done|complete[d]?|closed|fixed|resolved|shipped|merged|implemented)\\b|"
    "\\((?:done|completed?|closed|fixed|resolved|implemented)\\)|^\\s*(?:done|completed?|fixed)\\b[:.-]|"
    "✅|✔|☑|\\[(?:done|completed?|closed|fixed)\\]|\\b(?:has been|was|were|have been) "
    "(?:completed|implemented|done|fixed|deployed|merged|shipped)\\b|^\\s*~~");
static struct dbf__re status_open = DBF_RE(
    "\\bstatus\\s*[:=]\\s*(?:open|todo|to do|in progress|wip|planned|pending|not started|ongoing)\\b|"
    "\\((?:open|todo|in progress|wip|planned|pending|ongoing)\\)|\\[(?:open|todo|in progress|wip)\\]");
static struct dbf__re ticket_ref = DBF_RE("\\b(?:PR|MR|issue|ticket|bug|change|CL)\\s*#?\\s*\\d+|(?<![\\w&])#\\d{2,}\\b|\\b[A-Z][A-Z0-9]+-\\d+\\b|https?://\\S+");
static struct dbf__re number_prefix = DBF_RE("^\\s*(?:#|AI-?|A)?(\\d{1,3})[.):]\\s");

static enum column column_of(const char *header)
{
    char h[64];
    size_t n = 0;
    for (const char *p = header; *p && n < sizeof h - 1; p++)
        h[n++] = (char)tolower((unsigned char)*p);
    h[n] = '\0';
    while (n && (h[n - 1] == ' ' || h[n - 1] == ':'))
        h[--n] = '\0';
    if (!n)
        return COL_NONE;
    if (strcmp(h, "#") == 0)
        return COL_NUMBER;
    for (size_t i = 0; i < sizeof header_words / sizeof header_words[0]; i++) {
        size_t wl = strlen(header_words[i].word);
        for (const char *p = strstr(h, header_words[i].word); p; p = strstr(p + 1, header_words[i].word)) {
            bool start = p == h || !isalpha((unsigned char)p[-1]);
            bool end = !isalpha((unsigned char)p[wl]) || (p[wl] == 's' && !isalpha((unsigned char)p[wl + 1]));
            if (start && end)
                return header_words[i].column;
        }
    }
    return COL_NONE;
}

static const char *trimmed(struct dbf__arena *arena, const char *s, size_t len)
{
    while (len && (isspace((unsigned char)*s) || *s == '*')) {
        s++;
        len--;
    }
    while (len && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '*' || s[len - 1] == '.'))
        len--;
    return len ? dbf__arena_strndup(arena, s, len) : NULL;
}

/* Reads a due date from TEXT; returns true when one was found. */
static bool parse_due(const char *text, size_t len, struct dbf_date *due, bool keyword_needed)
{
    struct dbf__match m;
    if (dbf__re_search(&quarter, text, len, 0, &m)) {
        int q = atoi(text + m.group_start[1]);
        int y = atoi(text + m.group_start[2]);
        if (y < 100)
            y += 2000;
        static const int last_day[] = {31, 30, 30, 31};
        *due = (struct dbf_date){y, q * 3, last_day[q - 1]};
        return true;
    }
    size_t from = 0;
    while (dbf__re_search(&due_field, text, len, from, &m)) {
        const char *v = text + m.group_start[1];
        struct dbf_date d;
        if (dbf__date_scan(v, m.group_end[1] - m.group_start[1], &d) && d.year) {
            *due = d;
            return true;
        }
        from = m.start + 1;
    }
    if (keyword_needed)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (i && isalnum((unsigned char)text[i - 1]))
            continue;
        struct dbf_date d;
        if (dbf__date_scan(text + i, len - i, &d) && d.year) {
            *due = d;
            return true;
        }
    }
    return false;
}

static void parse_lessons(struct dbf__arena *arena, struct dbf_action *a, const char *text, size_t len)
{
    struct dbf__match m;
    int found[16];
    size_t n = 0;
    size_t from = 0;
    while (n < 16 && dbf__re_search(&lesson_field, text, len, from, &m)) {
        a->lesson_field = true;
        for (int g = 1; g <= 4; g++) {
            if (m.group_start[g] == SIZE_MAX)
                continue;
            const char *p = text + m.group_start[g];
            const char *end = text + m.group_end[g];
            while (p < end && n < 16) {
                while (p < end && !isdigit((unsigned char)*p))
                    p++;
                if (p >= end)
                    break;
                found[n++] = atoi(p);
                while (p < end && isdigit((unsigned char)*p))
                    p++;
            }
        }
        from = m.end;
    }
    if (!n)
        return;
    a->lessons = malloc(n * sizeof *a->lessons);
    if (!a->lessons)
        return;
    memcpy(a->lessons, found, n * sizeof *found);
    a->lesson_count = n;
    (void)arena;
}

static const char *parse_priority(struct dbf__arena *arena, const char *text, size_t len)
{
    struct dbf__match m;
    if (!dbf__re_search(&priority_field, text, len, 0, &m))
        return NULL;
    for (int g = 1; g <= 5; g++)
        if (m.group_start[g] != SIZE_MAX)
            return dbf__arena_strndup(arena, text + m.group_start[g], m.group_end[g] - m.group_start[g]);
    return NULL;
}

static void parse_status(struct dbf_action *a, const char *text, size_t len)
{
    if (dbf__re_search(&status_done, text, len, 0, NULL))
        a->status = DBF_ACTION_DONE;
    else if (dbf__re_search(&status_open, text, len, 0, NULL))
        a->status = DBF_ACTION_OPEN;
}

static const char *parse_owner(struct dbf__arena *arena, const char *text, size_t len, struct dbf_pos *pos,
                               const struct dbf_block *b)
{
    struct dbf__match m;
    struct dbf__re *forms[] = {&owner_field, &owner_handle, &owner_paren};
    for (size_t k = 0; k < 3; k++) {
        if (dbf__re_search(forms[k], text, len, 0, &m)) {
            size_t s = m.group_start[1], e = m.group_end[1];
            if (k == 1)
                s--; /* keep the '@' */
            *pos = (struct dbf_pos){dbf_doc_block_line(b, s), b->pos.column};
            return trimmed(arena, text + s, e - s);
        }
    }
    return NULL;
}

static void item_from_list(struct dbf_doc *doc, const struct dbf_block *b, size_t *cap)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    struct dbf_action *a = DBF_PUSH(doc->actions, doc->action_count, *cap);
    a->pos = b->pos;
    a->description = b->text;
    a->link = b->link;
    struct dbf__match m;
    if (b->ordered) {
        a->number = b->number;
        a->ordered = true;
    } else if (dbf__re_search(&number_prefix, b->text, b->len, 0, &m)) {
        a->number = atoi(b->text + m.group_start[1]);
        a->ordered = true;
    }
    if (b->marker && b->marker[0] == '[')
        a->status = b->marker[1] == 'x' ? DBF_ACTION_DONE : DBF_ACTION_OPEN;
    parse_status(a, b->text, b->len);
    a->owner = parse_owner(arena, b->text, b->len, &a->owner_pos, b);
    struct dbf_date due;
    if (parse_due(b->text, b->len, &due, false)) {
        a->due = due;
        a->due_text = "";
    }
    a->priority = parse_priority(arena, b->text, b->len);
    parse_lessons(arena, a, b->text, b->len);
    if (!a->link && dbf__re_search(&ticket_ref, b->text, b->len, 0, &m))
        a->link = dbf__arena_strndup(arena, b->text + m.start, m.end - m.start);
}

static void items_from_table(struct dbf_doc *doc, size_t first, size_t end, size_t *cap)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    const struct dbf_block *cells = doc->blocks;
    enum column roles[32] = {0};
    int ncols = 0;
    bool has_action = false;
    for (size_t i = first; i < end && cells[i].table_row == 0; i++) {
        int c = cells[i].table_column;
        if (c < 32) {
            roles[c] = column_of(cells[i].text);
            if (roles[c] == COL_ACTION) {
                if (has_action)
                    roles[c] = COL_NONE;
                has_action = true;
            }
        }
        ncols++;
    }
    if (!has_action) {
        /* The first column that is not something else holds the action. */
        for (int c = 0; c < ncols && c < 32; c++) {
            if (roles[c] == COL_NONE) {
                roles[c] = COL_ACTION;
                break;
            }
        }
    }
    bool has[COL_LINK + 1] = {0};
    for (int c = 0; c < ncols && c < 32; c++)
        has[roles[c]] = true;
    size_t i = first;
    while (i < end) {
        int row = cells[i].table_row;
        size_t row_end = i;
        while (row_end < end && cells[row_end].table_row == row)
            row_end++;
        if (row > 0) {
            struct dbf_action *a = DBF_PUSH(doc->actions, doc->action_count, *cap);
            a->pos = cells[i].pos;
            a->from_table = true;
            a->lesson_field = has[COL_LESSON];
            for (size_t k = i; k < row_end; k++) {
                const struct dbf_block *cell = &cells[k];
                int c = cell->table_column;
                enum column role = c >= 0 && c < 32 ? roles[c] : COL_NONE;
                const char *t = cell->text;
                size_t l = cell->len;
                switch (role) {
                case COL_NUMBER:
                    a->number = atoi(t + strcspn(t, "0123456789"));
                    a->ordered = a->number > 0;
                    break;
                case COL_ACTION:
                    a->description = t;
                    if (!a->link)
                        a->link = cell->link;
                    break;
                case COL_OWNER:
                    a->owner = trimmed(arena, t, l);
                    if (a->owner && (strcmp(a->owner, "-") == 0 || strcasecmp(a->owner, "tbd") == 0 ||
                                     strcasecmp(a->owner, "n/a") == 0 || strcasecmp(a->owner, "none") == 0 ||
                                     strcmp(a->owner, "?") == 0))
                        a->owner = NULL;
                    a->owner_pos = cell->pos;
                    break;
                case COL_DUE: {
                    struct dbf_date d;
                    a->due_text = trimmed(arena, t, l);
                    if (parse_due(t, l, &d, false))
                        a->due = d;
                    break;
                }
                case COL_PRIORITY:
                    a->priority = trimmed(arena, t, l);
                    if (a->priority && (strcmp(a->priority, "-") == 0 || strcasecmp(a->priority, "tbd") == 0))
                        a->priority = NULL;
                    break;
                case COL_LESSON:
                    parse_lessons(arena, a, t, l);
                    if (!a->lesson_count) {
                        /* a bare "2" or "#2, #3" */
                        struct dbf_block fake = *cell;
                        (void)fake;
                        char buf[80];
                        snprintf(buf, sizeof buf, "lesson %.*s", (int)(l < 70 ? l : 70), t);
                        parse_lessons(arena, a, buf, strlen(buf));
                    }
                    a->lesson_field = true;
                    break;
                case COL_STATUS:
                    if (l && (strcasestr(t, "done") || strcasestr(t, "complete") || strcasestr(t, "closed") ||
                              strcasestr(t, "fixed") || strcasestr(t, "resolved") || strstr(t, "✅") ||
                              strcasestr(t, "merged") || strcasestr(t, "shipped") || strcasestr(t, "yes")))
                        a->status = DBF_ACTION_DONE;
                    else if (l)
                        a->status = DBF_ACTION_OPEN;
                    if (!a->link)
                        a->link = cell->link;
                    break;
                case COL_LINK:
                    if (l || cell->link)
                        a->link = cell->link ? cell->link : trimmed(arena, t, l);
                    break;
                case COL_NONE:
                    if (!a->link)
                        a->link = cell->link;
                    break;
                }
            }
            if (!a->description)
                a->description = "";
            if (!has[COL_OWNER] && a->description)
                a->owner = parse_owner(arena, a->description, strlen(a->description), &a->owner_pos,
                                       &cells[i]);
            if (!has[COL_PRIORITY])
                a->priority = parse_priority(arena, a->description, strlen(a->description));
            if (!has[COL_DUE]) {
                struct dbf_date d;
                if (parse_due(a->description, strlen(a->description), &d, true))
                    a->due = d;
            }
        }
        i = row_end;
    }
}

/* Is the list item at I only a label for the nested items after it? */
static bool is_label(const struct dbf_doc *doc, size_t i)
{
    const struct dbf_block *b = &doc->blocks[i];
    if (i + 1 >= doc->block_count || doc->blocks[i + 1].list_depth <= b->list_depth ||
        doc->blocks[i + 1].type != DBF_BLOCK_LIST_ITEM)
        return false;
    size_t words = 0;
    bool in = false;
    for (size_t k = 0; k < b->len; k++) {
        bool c = isalnum((unsigned char)b->text[k]);
        words += c && !in;
        in = c;
    }
    return words <= 6 || (b->len && b->text[b->len - 1] == ':');
}

void dbf__actions_extract(struct dbf_doc *doc)
{
    size_t cap = 0;
    size_t i = 0;
    while (i < doc->block_count) {
        const struct dbf_block *b = &doc->blocks[i];
        if (dbf_doc_block_kind(doc, b) != DBF_SECTION_ACTIONS) {
            i++;
            continue;
        }
        if (b->type == DBF_BLOCK_TABLE_CELL) {
            size_t end = i;
            while (end < doc->block_count && doc->blocks[end].table == b->table)
                end++;
            items_from_table(doc, i, end, &cap);
            i = end;
            continue;
        }
        if (b->type == DBF_BLOCK_LIST_ITEM) {
            size_t end = i;
            int min_depth = b->list_depth;
            while (end < doc->block_count && doc->blocks[end].type == DBF_BLOCK_LIST_ITEM &&
                   doc->blocks[end].section == b->section) {
                if (doc->blocks[end].list_depth < min_depth)
                    min_depth = doc->blocks[end].list_depth;
                end++;
            }
            for (size_t k = i; k < end; k++) {
                const struct dbf_block *item = &doc->blocks[k];
                if (!item->marker)
                    continue;
                bool outer = item->list_depth == min_depth;
                bool under_label = item->list_depth == min_depth + 1 && k > i &&
                                   doc->blocks[k - 1].list_depth <= item->list_depth;
                if (outer && is_label(doc, k))
                    continue;
                if (!outer) {
                    /* nested items count only under a label item */
                    size_t p = k;
                    while (p > i && doc->blocks[p].list_depth > min_depth)
                        p--;
                    if (!(item->list_depth == min_depth + 1 && is_label(doc, p)))
                        continue;
                }
                (void)under_label;
                item_from_list(doc, item, &cap);
            }
            i = end;
            continue;
        }
        i++;
    }
    doc->internal->action_cap = cap;
}
