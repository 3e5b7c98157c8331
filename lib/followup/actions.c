/* actions.c: the list of action items gathered from many post mortems.
 *
 * Items are copied into the list's arena when their document is added, so
 * the document can be freed at once; days overdue are fixed at that moment
 * against the list's day. */
#include "../parse/clock.h"
#include "followup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct dbf_action_list *dbf_action_list_new(struct dbf_date today)
{
    struct dbf_action_list *list = calloc(1, sizeof *list);
    if (!list)
        return NULL;
    list->today = today;
    /* Small to start: a server keeps a list per post mortem revision. */
    dbf__arena_init_sized(&list->arena, 1024);
    return list;
}

void dbf_action_list_free(struct dbf_action_list *list)
{
    if (!list)
        return;
    free(list->items);
    dbf__arena_release(&list->arena);
    free(list);
}

long dbf__action_day(struct dbf_date d)
{
    return (long)dbf__days_from_civil(d.year, d.month, d.day);
}

/* The file name of PATH without its folders and its .md or .markdown. */
static const char *id_from_path(struct dbf__arena *arena, const char *path)
{
    if (!path || !*path || strcmp(path, "-") == 0)
        return "stdin";
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".md") == 0)
        n -= 3;
    else if (n > 9 && strcmp(base + n - 9, ".markdown") == 0)
        n -= 9;
    return dbf__arena_strndup(arena, base, n);
}

/* S on one line: leading and trailing space gone, every run of white space
 * (line breaks included) one space, other control characters dropped. NULL
 * for NULL or nothing left. */
static char *one_line(struct dbf__arena *arena, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *out = dbf__arena_alloc(arena, n + 1);
    size_t len = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isspace(*p)) {
            space = len > 0;
            continue;
        }
        if (*p < 0x20 || *p == 0x7f)
            continue; /* an escape sequence must not reach a terminal */
        if (space)
            out[len++] = ' ';
        space = false;
        out[len++] = (char)*p;
    }
    out[len] = '\0';
    return len ? out : NULL;
}

static bool grow(struct dbf_action_list *list, size_t more)
{
    if (list->count + more <= list->alloc)
        return true;
    size_t n = list->alloc ? list->alloc : 8;
    while (n < list->count + more)
        n *= 2;
    struct dbf_action_item *items = realloc(list->items, n * sizeof *items);
    if (!items)
        return false;
    list->items = items;
    list->alloc = n;
    return true;
}

bool dbf_action_list_add(struct dbf_action_list *list, const struct dbf_doc *doc)
{
    if (!doc->action_count)
        return true;
    if (!grow(list, doc->action_count))
        return false;
    struct dbf__arena *arena = &list->arena;
    const char *id = one_line(arena, doc->meta.id.text);
    if (!id)
        id = id_from_path(arena, doc->path);
    const char *title = one_line(arena, doc->title);
    const char *path = dbf__arena_strdup(arena, doc->path ? doc->path : "-");
    long today = list->today.year ? dbf__action_day(list->today) : 0;
    size_t first = list->count;
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        char *description = one_line(arena, a->description);
        /* A template's blank table row is no item. */
        if (!description && !a->owner && !a->due.year)
            continue;
        struct dbf_action_item *item = &list->items[list->count++];
        *item = (struct dbf_action_item){
            .postmortem = id,
            .title = title,
            .path = path,
            .line = a->pos.line,
            .number = a->number,
            .order = (int)i + 1,
            .owner = one_line(arena, a->owner),
            .priority_text = one_line(arena, a->priority),
            .priority = dbf_priority_parse(a->priority),
            .done = a->status == DBF_ACTION_DONE,
            .link = one_line(arena, a->link),
        };
        if (description) {
            char *clean = dbf__arena_strdup(arena, description);
            dbf__action_clean_description(clean, item->owner);
            item->description = *clean ? clean : description;
        } else {
            item->description = "";
        }
        if (a->due.year && dbf__date_valid(a->due))
            item->due = a->due;
        if (a->lesson_count) {
            int *lessons = dbf__arena_alloc(arena, a->lesson_count * sizeof *lessons);
            memcpy(lessons, a->lessons, a->lesson_count * sizeof *lessons);
            item->lessons = lessons;
            item->lesson_count = a->lesson_count;
        }
        for (struct dbf_action_item *e = item - 1; e >= list->items + first; e--)
            if (e->number == item->number && strcmp(e->description, item->description) == 0)
                item->repeat++;
        if (!item->done && item->due.year && today) {
            long late = today - dbf__action_day(item->due);
            item->days_overdue = late > 0 ? late : 0;
        }
    }
    return true;
}

static const char *copy(struct dbf__arena *arena, const char *s)
{
    return s ? dbf__arena_strdup(arena, s) : NULL;
}

/* S copied into ARENA once for the run of items sharing it: *FROM is the
 * last string copied, *TO its copy. */
static const char *copy_shared(struct dbf__arena *arena, const char *s, const char **from,
                               const char **to)
{
    if (s != *from) {
        *from = s;
        *to = copy(arena, s);
    }
    return *to;
}

bool dbf_action_list_add_list(struct dbf_action_list *list, const struct dbf_action_list *from,
                              void (*adjust)(void *ctx, struct dbf_action_item *item), void *ctx)
{
    if (!from->count)
        return true;
    if (!grow(list, from->count))
        return false;
    struct dbf__arena *arena = &list->arena;
    long today = list->today.year ? dbf__action_day(list->today) : 0;
    const char *shared_from[3] = {NULL, NULL, NULL}, *shared_to[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < from->count; i++) {
        const struct dbf_action_item *f = &from->items[i];
        struct dbf_action_item *item = &list->items[list->count++];
        *item = *f;
        item->postmortem = copy_shared(arena, f->postmortem, &shared_from[0], &shared_to[0]);
        item->title = copy_shared(arena, f->title, &shared_from[1], &shared_to[1]);
        item->path = copy_shared(arena, f->path, &shared_from[2], &shared_to[2]);
        item->description = copy(arena, f->description);
        item->owner = copy(arena, f->owner);
        item->priority_text = copy(arena, f->priority_text);
        item->link = copy(arena, f->link);
        if (f->lesson_count) {
            int *lessons = dbf__arena_alloc(arena, f->lesson_count * sizeof *lessons);
            memcpy(lessons, f->lessons, f->lesson_count * sizeof *lessons);
            item->lessons = lessons;
        }
        const char *link = item->link;
        if (adjust)
            adjust(ctx, item);
        if (item->link != link)
            item->link = one_line(arena, item->link);
        item->days_overdue = 0;
        if (!item->done && item->due.year && today) {
            long late = today - dbf__action_day(item->due);
            item->days_overdue = late > 0 ? late : 0;
        }
    }
    return true;
}

size_t dbf_action_list_bytes(const struct dbf_action_list *list)
{
    return sizeof *list + list->alloc * sizeof *list->items + dbf__arena_held(&list->arena);
}

size_t dbf_action_list_count(const struct dbf_action_list *list)
{
    return list->count;
}

const struct dbf_action_item *dbf_action_list_at(const struct dbf_action_list *list, size_t i)
{
    return &list->items[i];
}

struct dbf_date dbf_action_list_today(const struct dbf_action_list *list)
{
    return list->today;
}

struct dbf_action_summary dbf_action_list_summary(const struct dbf_action_list *list)
{
    struct dbf_action_summary s = {.total = list->count};
    for (size_t i = 0; i < list->count; i++) {
        if (list->items[i].done)
            s.done++;
        else
            s.open++;
        if (list->items[i].days_overdue > 0)
            s.overdue++;
    }
    s.completion_rate = s.total ? (double)s.done / (double)s.total : 0;
    return s;
}
