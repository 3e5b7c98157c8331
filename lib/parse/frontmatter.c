/* frontmatter.c: the YAML front matter, read with libyaml into dbf_meta.
 *
 * The block runs from a first line "---" to the next line "---" or "...".
 * Unknown keys are kept out of the model but are not errors; values of the
 * wrong shape (a list where a string belongs) are ignored. Lines are file
 * lines: the YAML starts on line 2. */
#include "parse.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct fm {
    struct dbf_doc *doc;
    yaml_document_t *yaml;
    int first_line; /* file line of the YAML's first line */
};

static struct dbf_pos node_pos(struct fm *fm, yaml_node_t *node)
{
    return (struct dbf_pos){(int)node->start_mark.line + fm->first_line,
                            (int)node->start_mark.column + 1};
}

static const char *scalar(struct fm *fm, yaml_node_t *node)
{
    if (!node || node->type != YAML_SCALAR_NODE)
        return NULL;
    return dbf__arena_strndup(dbf__doc_arena(fm->doc), (const char *)node->data.scalar.value,
                              node->data.scalar.length);
}

static void set_value(struct fm *fm, struct dbf_meta_value *v, yaml_node_t *node)
{
    v->present = true;
    v->pos = node_pos(fm, node);
    v->text = scalar(fm, node);
    if (v->text && !v->text[0] && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        v->text = NULL;
}

static void set_list(struct fm *fm, struct dbf_meta_list *l, yaml_node_t *node)
{
    struct dbf__arena *arena = dbf__doc_arena(fm->doc);
    /* A key written twice (or 'author' and 'authors'): the last one wins, as
     * for single values, and its items go in an array sized for them alone. */
    l->items = NULL;
    l->count = 0;
    l->present = true;
    l->pos = node_pos(fm, node);
    if (node->type == YAML_SCALAR_NODE) {
        const char *s = scalar(fm, node);
        if (!s || !*s)
            return;
        size_t n = 1;
        for (const char *p = s; *p; p++)
            n += *p == ',';
        l->items = dbf__arena_alloc(arena, n * sizeof *l->items);
        const char *start = s;
        for (const char *p = s;; p++) {
            if (*p == ',' || !*p) {
                while (start < p && isspace((unsigned char)*start))
                    start++;
                const char *end = p;
                while (end > start && isspace((unsigned char)end[-1]))
                    end--;
                if (end > start)
                    l->items[l->count++] = dbf__arena_strndup(arena, start, (size_t)(end - start));
                start = p + 1;
                if (!*p)
                    break;
            }
        }
        return;
    }
    if (node->type != YAML_SEQUENCE_NODE)
        return;
    size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
    l->items = dbf__arena_alloc(arena, (n ? n : 1) * sizeof *l->items);
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top;
         it++) {
        const char *s = scalar(fm, yaml_document_get_node(fm->yaml, *it));
        if (s && *s)
            l->items[l->count++] = s;
    }
}

static enum dbf_tristate boolean(struct fm *fm, yaml_node_t *node)
{
    const char *s = scalar(fm, node);
    if (!s)
        return DBF_UNSET;
    static const char *const yes[] = {"true", "yes", "y", "on", "1"};
    static const char *const no[] = {"false", "no", "n", "off", "0"};
    for (size_t i = 0; i < 5; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return DBF_TRUE;
        if (strcasecmp(s, no[i]) == 0)
            return DBF_FALSE;
    }
    return DBF_UNSET;
}

/* SEV-1, sev1, Sev 1, P1, S1, "1" → 1; 0 when unknown. */
static int severity_level(const char *s)
{
    if (!s)
        return 0;
    while (*s && !isdigit((unsigned char)*s)) {
        if (!isalpha((unsigned char)*s) && *s != '-' && *s != ' ' && *s != '_')
            return 0;
        s++;
    }
    if (!*s)
        return 0;
    int level = *s - '0';
    if (s[1] && !isspace((unsigned char)s[1]))
        return 0;
    if (level == 0)
        level = 1; /* P0 / SEV-0: the worst there is */
    return level >= 1 && level <= 4 ? level : (level > 4 ? 4 : 0);
}

static yaml_node_t *map_get(struct fm *fm, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(fm->yaml, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcasecmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(fm->yaml, p->value);
    }
    return NULL;
}

static void read_metrics(struct fm *fm, yaml_node_t *node)
{
    struct dbf_meta *m = &fm->doc->meta;
    m->metrics_present = true;
    if (node->type != YAML_SEQUENCE_NODE)
        return;
    size_t cap = 0;
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yaml_document_get_node(fm->yaml, *it);
        if (!item)
            continue;
        struct dbf_metric_ref *r = DBF_PUSH(m->metrics, m->metric_count, cap);
        r->pos = node_pos(fm, item);
        if (item->type == YAML_SCALAR_NODE) {
            r->file = scalar(fm, item);
            continue;
        }
        r->file = scalar(fm, map_get(fm, item, "file"));
        r->title = scalar(fm, map_get(fm, item, "title"));
        r->unit = scalar(fm, map_get(fm, item, "unit"));
        r->label = scalar(fm, map_get(fm, item, "label"));
    }
}

static void read_communication(struct fm *fm, yaml_node_t *node)
{
    struct dbf_meta *m = &fm->doc->meta;
    if (node->type != YAML_SEQUENCE_NODE)
        return;
    size_t cap = 0;
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yaml_document_get_node(fm->yaml, *it);
        if (!item)
            continue;
        struct dbf_communication_ref *r = DBF_PUSH(m->communication, m->communication_count, cap);
        r->pos = node_pos(fm, item);
        r->time = scalar(fm, map_get(fm, item, "time"));
        r->channel = scalar(fm, map_get(fm, item, "channel"));
        r->summary = scalar(fm, map_get(fm, item, "summary"));
        if (item->type == YAML_SCALAR_NODE)
            r->summary = scalar(fm, item);
    }
}

/* A front matter key and where its value goes in struct dbf_meta. */
struct field {
    const char *key;
    size_t offset;
};

static void read_key(struct fm *fm, const char *key, yaml_node_t *value)
{
    struct dbf_meta *m = &fm->doc->meta;
    static const struct field values[] = {
        {"title", offsetof(struct dbf_meta, title)},
        {"id", offsetof(struct dbf_meta, id)},
        {"status", offsetof(struct dbf_meta, status)},
        {"severity", offsetof(struct dbf_meta, severity)},
        {"visibility", offsetof(struct dbf_meta, visibility)},
        {"owner_team", offsetof(struct dbf_meta, owner_team)},
        {"reviewer", offsetof(struct dbf_meta, reviewer)},
        {"reviewer_team", offsetof(struct dbf_meta, reviewer_team)},
        {"timezone", offsetof(struct dbf_meta, timezone)},
        {"created", offsetof(struct dbf_meta, created)},
        {"date", offsetof(struct dbf_meta, created)},
        {"review_started", offsetof(struct dbf_meta, review_started)},
        {"published", offsetof(struct dbf_meta, published)},
    };
    static const struct field lists[] = {
        {"authors", offsetof(struct dbf_meta, authors)},
        {"author", offsetof(struct dbf_meta, authors)},
        {"services", offsetof(struct dbf_meta, services)},
        {"regions", offsetof(struct dbf_meta, regions)},
        {"tags", offsetof(struct dbf_meta, tags)},
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (strcasecmp(key, values[i].key) == 0) {
            struct dbf_meta_value *v = (struct dbf_meta_value *)((char *)m + values[i].offset);
            if (!v->present)
                set_value(fm, v, value);
            return;
        }
    }
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        if (strcasecmp(key, lists[i].key) == 0) {
            set_list(fm, (struct dbf_meta_list *)((char *)m + lists[i].offset), value);
            return;
        }
    }
    if (strcasecmp(key, "customer_facing") == 0) {
        m->customer_facing = boolean(fm, value);
        m->customer_facing_pos = node_pos(fm, value);
    } else if (strcasecmp(key, "slo_breach") == 0) {
        m->slo_breach = boolean(fm, value);
    } else if (strcasecmp(key, "security") == 0) {
        m->security = boolean(fm, value);
        m->security_pos = node_pos(fm, value);
    } else if (strcasecmp(key, "incident") == 0 && value->type == YAML_MAPPING_NODE) {
        static const struct field times[] = {
            {"trigger", offsetof(struct dbf_meta, trigger)},
            {"impact_start", offsetof(struct dbf_meta, impact_start)},
            {"detected", offsetof(struct dbf_meta, detected)},
            {"mitigated", offsetof(struct dbf_meta, mitigated)},
            {"resolved", offsetof(struct dbf_meta, resolved)},
        };
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
            yaml_node_t *t = map_get(fm, value, times[i].key);
            if (t)
                set_value(fm, (struct dbf_meta_value *)((char *)m + times[i].offset), t);
        }
    } else if (strcasecmp(key, "metrics") == 0) {
        read_metrics(fm, value);
    } else if (strcasecmp(key, "communication") == 0) {
        read_communication(fm, value);
    }
}

/* The end of the line that starts at I. */
static size_t line_end(const char *s, size_t len, size_t i)
{
    const char *nl = memchr(s + i, '\n', len - i);
    return nl ? (size_t)(nl - s) : len;
}

static bool is_fence(const char *s, size_t start, size_t end, const char *fence)
{
    if (end - start < 3 || memcmp(s + start, fence, 3) != 0)
        return false;
    for (size_t i = start + 3; i < end; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

long dbf__front_matter_parse(struct dbf_doc *doc, char *err, size_t errlen)
{
    const char *s = doc->source;
    size_t len = doc->source_len;
    size_t first_end = line_end(s, len, 0);
    if (!is_fence(s, 0, first_end, "---"))
        return 0;
    size_t yaml_start = first_end < len ? first_end + 1 : len;
    size_t i = yaml_start, close_start = 0, close_end = 0;
    int line = 2;
    bool closed = false;
    while (i < len) {
        size_t end = line_end(s, len, i);
        if (is_fence(s, i, end, "---") || is_fence(s, i, end, "...")) {
            closed = true;
            close_start = i;
            close_end = end;
            break;
        }
        i = end + 1;
        line++;
    }
    if (!closed)
        return 0; /* a thematic break, not front matter */

    struct dbf_meta *m = &doc->meta;
    m->has_front_matter = true;
    m->front_matter_end = line;

    yaml_parser_t parser;
    yaml_document_t yaml;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)s + yaml_start,
                                 close_start - yaml_start);
    if (!yaml_parser_load(&parser, &yaml)) {
        snprintf(err, errlen, "%d:%d: front matter is not valid YAML: %s",
                 (int)parser.problem_mark.line + 2, (int)parser.problem_mark.column + 1,
                 parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        return -1;
    }
    struct fm fm = {.doc = doc, .yaml = &yaml, .first_line = 2};
    yaml_node_t *root = yaml_document_get_root_node(&yaml);
    long result = (long)(close_end < len ? close_end + 1 : len);
    if (root && root->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(&yaml, p->key);
            yaml_node_t *v = yaml_document_get_node(&yaml, p->value);
            if (k && v && k->type == YAML_SCALAR_NODE)
                read_key(&fm, (const char *)k->data.scalar.value, v);
        }
    } else if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
        snprintf(err, errlen, "2:1: front matter must be a mapping of keys to values");
        result = -1;
    }
    m->severity_level = severity_level(m->severity.text);
    if (m->title.text && *m->title.text) {
        doc->title = m->title.text;
        doc->title_pos = m->title.pos;
    }
    yaml_document_delete(&yaml);
    yaml_parser_delete(&parser);
    return result;
}
