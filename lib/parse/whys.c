/* whys.c: why chains in the root-cause sections.
 *
 * A why is a list item or paragraph that asks why ("Why did …?", "Q: …"),
 * or a numbered step that pairs a question with an answer ("…? -> …",
 * "…? → …"). Numbers "2.3" put a why in branch 2; a root-cause sub-heading
 * starts a new branch when the numbers do not say. */
#include "../util/re.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

static struct dbf__re why_start =
    DBF_RE("^\\s*(?:(\\d{1,2}(?:\\.\\d{1,2})*)[.):]?\\s+)?(?:\\*\\*)?(?:why\\b|q\\s*\\d*\\s*[:.]|"
           "question\\b)");
static struct dbf__re arrow =
    DBF_RE("\\?\\s*(?:->|→|=>|—|–|-|:)?\\s*(?:a\\s*\\d*\\s*[:.]\\s*|because\\b)?");
static struct dbf__re branch_number = DBF_RE("^\\s*(\\d{1,2})\\.(\\d{1,2})\\b");

/* Can TEXT open as why_start does? Past the spaces, numbering and stars it
 * allows, its word starts with 'w' or 'q' (letters without a non-ASCII case
 * form). A cheap test in front of the pattern, true whenever it could match. */
static bool may_ask_why(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r') ||
                       (text[i] >= '0' && text[i] <= '9') || text[i] == '.' || text[i] == ')' ||
                       text[i] == ':' || text[i] == '*'))
        i++;
    char c = i < len ? (char)(text[i] | 0x20) : 0;
    return c == 'w' || c == 'q';
}

void dbf__whys_extract(struct dbf_doc *doc)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    size_t cap = 0;
    int branch_section = -1, branch = 0, depth[64] = {0};
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (dbf_doc_block_kind(doc, b) != DBF_SECTION_ROOT_CAUSE)
            continue;
        if (b->type != DBF_BLOCK_LIST_ITEM && b->type != DBF_BLOCK_PARAGRAPH &&
            b->type != DBF_BLOCK_TABLE_CELL)
            continue;
        struct dbf__match m;
        bool asks =
            may_ask_why(b->text, b->len) && dbf__re_search(&why_start, b->text, b->len, 0, &m);
        if (!asks)
            continue;
        struct dbf_why *w = DBF_PUSH(doc->whys, doc->why_count, cap);
        w->pos = b->pos;
        w->text = b->text;
        w->bulleted = b->type == DBF_BLOCK_LIST_ITEM && !b->ordered;
        if (m.group_start[1] != SIZE_MAX)
            w->number = dbf__arena_strndup(arena, b->text + m.group_start[1],
                                           m.group_end[1] - m.group_start[1]);
        else if (b->ordered)
            w->number = b->marker;
        struct dbf__match bm;
        if (w->number && dbf__re_search(&branch_number, w->number, strlen(w->number), 0, &bm)) {
            w->branch = atoi(w->number + bm.group_start[1]);
        } else {
            if (b->section != branch_section) {
                if (branch_section >= 0 && doc->sections[b->section].parent == branch_section)
                    branch++;
                else if (branch_section >= 0)
                    branch++;
                branch_section = b->section;
            }
            w->branch = branch;
        }
        int slot = w->branch >= 0 && w->branch < 64 ? w->branch : 63;
        w->depth = ++depth[slot];
        struct dbf__match am;
        const char *q = strchr(b->text, '?');
        if (q && dbf__re_search(&arrow, b->text, b->len, (size_t)(q - b->text), &am)) {
            w->question = dbf__arena_strndup(arena, b->text, (size_t)(q - b->text) + 1);
            if (am.end < b->len)
                w->answer = b->text + am.end;
        } else {
            w->question = b->text;
        }
    }
    doc->internal->why_cap = cap;
}
