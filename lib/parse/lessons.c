/* lessons.c: lessons from the lessons sections.
 *
 * A lessons section is one whose heading names lessons ("Lessons learned",
 * "What went wrong", "Takeaways"), except a title that the alias table took
 * for one. When such a section has sub-headings of its own that name no kind
 * ("### Disclosure path"), each sub-heading is one lesson and what is written
 * under it is the discussion, not more lessons. Otherwise each item of its
 * outermost list is a lesson; a section of prose only gives one lesson per
 * paragraph, or per line when each line of a paragraph is one. */
#include "../util/re.h"
#include "parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static struct dbf__re numbered_text = DBF_RE("^\\s*(?:lesson\\s*)?#?(\\d{1,2})[.):]\\s");

static int text_number(const char *text, size_t len)
{
    struct dbf__match m;
    if (dbf__re_search(&numbered_text, text, len, 0, &m))
        return atoi(text + m.group_start[1]);
    return 0;
}

static bool is_title(const struct dbf_doc *doc, const struct dbf_section *s)
{
    return s->level == 1 && s->pos.line == doc->title_pos.line;
}

static bool names_lessons(const struct dbf_doc *doc, const struct dbf_section *s)
{
    return !is_title(doc, s) &&
           (s->kind == DBF_SECTION_LESSONS || (s->kinds & (1u << DBF_SECTION_LESSONS)));
}

bool dbf__lines_are_items(const char *text, size_t len)
{
    bool any = false;
    for (size_t k = 0; k + 1 < len; k++) {
        if (text[k] != '\n')
            continue;
        any = true;
        size_t n = k + 1;
        while (n < len && text[n] == ' ')
            n++;
        if (n < len && !isupper((unsigned char)text[n]))
            return false;
    }
    return any;
}

/* Does section SEC hold nothing of its own but its heading? */
static bool only_groups(const struct dbf_doc *doc, const struct dbf_section *sec)
{
    for (size_t i = sec->first_block;
         i < sec->first_block + sec->block_count && i < doc->block_count; i++)
        if (doc->blocks[i].type != DBF_BLOCK_HEADING)
            return false;
    return true;
}

static void add_lesson(struct dbf_doc *doc, size_t *cap, struct dbf_pos pos, const char *text,
                       size_t len, const struct dbf_block *item)
{
    struct dbf_lesson *l = DBF_PUSH(doc->lessons, doc->lesson_count, *cap);
    l->pos = pos;
    l->text =
        item && len == item->len ? item->text : dbf__arena_strndup(dbf__doc_arena(doc), text, len);
    if (item && item->type == DBF_BLOCK_LIST_ITEM && item->ordered) {
        l->number = item->number;
        l->ordered = true;
    } else if ((l->number = text_number(text, len)) != 0) {
        l->ordered = true;
    }
}

static void lessons_from_paragraph(struct dbf_doc *doc, size_t *cap, const struct dbf_block *b)
{
    if (b->len <= 20)
        return;
    if (!dbf__lines_are_items(b->text, b->len)) {
        add_lesson(doc, cap, b->pos, b->text, b->len, b);
        return;
    }
    size_t from = 0;
    while (from < b->len) {
        const char *nl = memchr(b->text + from, '\n', b->len - from);
        size_t end = nl ? (size_t)(nl - b->text) : b->len;
        if (end > from + 3)
            add_lesson(doc, cap, (struct dbf_pos){dbf_doc_block_line(b, from), 1}, b->text + from,
                       end - from, NULL);
        from = end + 1;
    }
}

void dbf__lessons_extract(struct dbf_doc *doc)
{
    size_t cap = 0;
    size_t n = doc->section_count;
    bool *host = calloc(n + 1, sizeof *host);             /* the section names lessons */
    bool *by_heading = calloc(n + 1, sizeof *by_heading); /* its sub-headings are the lessons */
    int *min_depth = calloc(n + 1, sizeof *min_depth);
    if (!host || !by_heading || !min_depth) {
        free(host);
        free(by_heading);
        free(min_depth);
        return;
    }
    bool *lesson_child = calloc(n + 1, sizeof *lesson_child); /* it has a "What went well" */
    if (!lesson_child) {
        free(host);
        free(by_heading);
        free(min_depth);
        return;
    }
    for (size_t s = 0; s < n; s++) {
        const struct dbf_section *sec = &doc->sections[s];
        if (sec->parent >= 0 && sec->kind == DBF_SECTION_LESSONS)
            lesson_child[sec->parent] = true;
    }
    /* Parents come before their children: a sub-heading that names nothing is
     * a host too when its siblings are "What went well" and the like, or when
     * it only groups the sub-headings under it. */
    for (size_t s = 0; s < n; s++) {
        const struct dbf_section *sec = &doc->sections[s];
        bool under_host = sec->parent >= 0 && host[sec->parent] && sec->kind == DBF_SECTION_OTHER;
        host[s] = names_lessons(doc, sec) ||
                  (under_host && (lesson_child[sec->parent] || only_groups(doc, sec)));
        if (under_host && !host[s] && sec->level <= 6)
            by_heading[sec->parent] = true;
    }
    free(lesson_child);
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->section >= 0 && b->type == DBF_BLOCK_LIST_ITEM && b->marker &&
            (!min_depth[b->section] || b->list_depth < min_depth[b->section]))
            min_depth[b->section] = b->list_depth;
    }
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->section < 0)
            continue;
        const struct dbf_section *sec = &doc->sections[b->section];
        if (b->type == DBF_BLOCK_HEADING) {
            if (sec->parent >= 0 && by_heading[sec->parent] && sec->kind == DBF_SECTION_OTHER &&
                sec->pos.line == b->pos.line)
                add_lesson(doc, &cap, b->pos, b->text, b->len, b);
            continue;
        }
        if (!host[b->section])
            continue;
        if (b->type == DBF_BLOCK_LIST_ITEM && b->marker && b->list_depth == min_depth[b->section])
            add_lesson(doc, &cap, b->pos, b->text, b->len, b);
        else if (b->type == DBF_BLOCK_PARAGRAPH && !min_depth[b->section] &&
                 !by_heading[b->section])
            lessons_from_paragraph(doc, &cap, b);
    }
    free(host);
    free(by_heading);
    free(min_depth);
    doc->internal->lesson_cap = cap;
}
