/* lessons.c: lessons from the lessons sections.
 *
 * Each item of a list at the section's outer list depth is a lesson; a
 * section of prose only gives one lesson per paragraph. "What went well" and
 * the like are sub-headings, not lessons. */
#include "../util/re.h"
#include "parse.h"

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

void dbf__lessons_extract(struct dbf_doc *doc)
{
    size_t cap = 0;
    int min_depth = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (dbf_doc_block_kind(doc, b) == DBF_SECTION_LESSONS && b->type == DBF_BLOCK_LIST_ITEM &&
            b->marker && (!min_depth || b->list_depth < min_depth))
            min_depth = b->list_depth;
    }
    bool any_items = min_depth > 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (dbf_doc_block_kind(doc, b) != DBF_SECTION_LESSONS)
            continue;
        bool item = b->type == DBF_BLOCK_LIST_ITEM && b->marker && b->list_depth == min_depth;
        bool prose = !any_items && b->type == DBF_BLOCK_PARAGRAPH && b->len > 20;
        bool numbered_heading = b->type == DBF_BLOCK_HEADING && text_number(b->text, b->len) &&
                                doc->sections[b->section].kind == DBF_SECTION_OTHER;
        if (!item && !prose && !numbered_heading)
            continue;
        struct dbf_lesson *l = DBF_PUSH(doc->lessons, doc->lesson_count, cap);
        l->pos = b->pos;
        l->text = b->text;
        if (item && b->ordered) {
            l->number = b->number;
            l->ordered = true;
        } else if ((l->number = text_number(b->text, b->len)) != 0) {
            l->ordered = true;
        }
    }
    doc->internal->lesson_cap = cap;
}
