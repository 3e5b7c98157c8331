/* yaml_tree.c: libyaml's events into a tree in an arena (yaml_tree.h).
 *
 * Each collection is a node from its start event on; its items gather in a
 * list, newest first, and become an array when it ends. */
#include "yaml_tree.h"
#include "arena.h"

#include <string.h>
#include <strings.h>
#include <yaml.h>

struct item {
    struct dbf__yaml_node *node;
    struct item *next;
};

/* A collection being read, inside UP. */
struct open {
    struct dbf__yaml_node *node;
    struct item *items;
    size_t count;
    struct open *up;
};

struct anchor {
    const char *name;
    struct dbf__yaml_node *node;
    struct anchor *next;
};

struct reading {
    struct dbf__arena *arena;
    struct open *open; /* the innermost collection being read; NULL: none */
    struct anchor *anchors;
    struct dbf__yaml_node *root;
    struct dbf__yaml_error *err;
};

static bool fail(struct reading *r, yaml_mark_t at, const char *problem)
{
    *r->err = (struct dbf__yaml_error){at.line, at.column, problem};
    return false;
}

static struct dbf__yaml_node *node_of(struct reading *r, enum dbf__yaml_kind kind, yaml_mark_t at)
{
    struct dbf__yaml_node *node = dbf__arena_alloc(r->arena, sizeof *node);
    node->kind = kind;
    node->line = at.line;
    node->column = at.column;
    return node;
}

/* Gives NODE the anchor NAME, if it has one: false when the name is taken. */
static bool anchor(struct reading *r, const yaml_char_t *name, struct dbf__yaml_node *node,
                   yaml_mark_t at)
{
    if (!name)
        return true;
    for (const struct anchor *a = r->anchors; a; a = a->next)
        if (strcmp(a->name, (const char *)name) == 0)
            return fail(r, at, "found duplicate anchor");
    struct anchor *a = dbf__arena_alloc(r->arena, sizeof *a);
    *a = (struct anchor){dbf__arena_strdup(r->arena, (const char *)name), node, r->anchors};
    r->anchors = a;
    return true;
}

/* NODE is the next item of the collection being read, or the root. */
static void add(struct reading *r, struct dbf__yaml_node *node)
{
    if (!r->open) {
        r->root = node;
        return;
    }
    struct item *item = dbf__arena_alloc(r->arena, sizeof *item);
    *item = (struct item){node, r->open->items};
    r->open->items = item;
    r->open->count++;
}

static void open_collection(struct reading *r, struct dbf__yaml_node *node)
{
    struct open *o = dbf__arena_alloc(r->arena, sizeof *o);
    *o = (struct open){.node = node, .up = r->open};
    r->open = o;
}

static void close_collection(struct reading *r)
{
    struct open *o = r->open;
    if (!o)
        return;
    struct dbf__yaml_node *node = o->node;
    node->items = dbf__arena_alloc(r->arena, (o->count ? o->count : 1) * sizeof *node->items);
    node->count = o->count;
    size_t i = o->count;
    for (const struct item *item = o->items; item; item = item->next)
        node->items[--i] = item->node;
    r->open = o->up;
}

/* Reads EVENT into the tree: false on an error. */
static bool take(struct reading *r, const yaml_event_t *e)
{
    struct dbf__yaml_node *node;
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        node = node_of(r, DBF__YAML_SCALAR, e->start_mark);
        node->text =
            dbf__arena_strndup(r->arena, (const char *)e->data.scalar.value, e->data.scalar.length);
        node->len = e->data.scalar.length;
        node->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (!anchor(r, e->data.scalar.anchor, node, e->start_mark))
            return false;
        add(r, node);
        return true;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool sequence = e->type == YAML_SEQUENCE_START_EVENT;
        node = node_of(r, sequence ? DBF__YAML_SEQUENCE : DBF__YAML_MAPPING, e->start_mark);
        if (!anchor(r, sequence ? e->data.sequence_start.anchor : e->data.mapping_start.anchor,
                    node, e->start_mark))
            return false;
        add(r, node);
        open_collection(r, node);
        return true;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        close_collection(r);
        return true;
    case YAML_ALIAS_EVENT:
        for (const struct anchor *a = r->anchors; a; a = a->next)
            if (strcmp(a->name, (const char *)e->data.alias.anchor) == 0) {
                add(r, a->node);
                return true;
            }
        return fail(r, e->start_mark, "found undefined alias");
    default:
        return true;
    }
}

bool dbf__yaml_read(struct dbf__arena *arena, const char *text, size_t len,
                    struct dbf__yaml_node **root, struct dbf__yaml_error *err)
{
    *root = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        *err = (struct dbf__yaml_error){0, 0, "out of memory"};
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    struct reading r = {.arena = arena, .err = err};
    bool ok = true, done = false;
    while (ok && !done) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            *err = (struct dbf__yaml_error){parser.problem_mark.line, parser.problem_mark.column,
                                            parser.problem ? parser.problem : "syntax error"};
            ok = false;
            break;
        }
        /* The first document ends the reading, as does a stream with none. */
        done = e.type == YAML_DOCUMENT_END_EVENT || e.type == YAML_STREAM_END_EVENT;
        ok = take(&r, &e);
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&parser);
    if (ok)
        *root = r.root;
    return ok;
}

struct dbf__yaml_node *dbf__yaml_get(const struct dbf__yaml_node *map, const char *key)
{
    if (!map || map->kind != DBF__YAML_MAPPING)
        return NULL;
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const struct dbf__yaml_node *k = map->items[i];
        if (k->kind == DBF__YAML_SCALAR && strcasecmp(k->text, key) == 0)
            return map->items[i + 1];
    }
    return NULL;
}
