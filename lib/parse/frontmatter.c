/* frontmatter.c: the YAML front matter, read with libyaml (yaml_tree.h) into dbf_meta.
 *
 * The block runs from a first line "---" to the next line "---" or "...".
 * Unknown keys are kept out of the model but are not errors; values of the
 * wrong shape (a list where a string belongs) are ignored. Lines are file
 * lines: the YAML starts on line 2. */
#include "../util/yaml_tree.h"
#include "parse.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct fm {
    struct dbf_doc *doc;
    int first_line; /* file line of the YAML's first line */
};

static struct dbf_pos node_pos(struct fm *fm, const struct dbf__yaml_node *node)
{
    return (struct dbf_pos){(int)node->line + fm->first_line, (int)node->column + 1};
}

/* A scalar's text (in the document's arena), else NULL. */
static const char *scalar(const struct dbf__yaml_node *node)
{
    return node && node->kind == DBF__YAML_SCALAR ? node->text : NULL;
}

static void set_value(struct fm *fm, struct dbf_meta_value *v, const struct dbf__yaml_node *node)
{
    v->present = true;
    v->pos = node_pos(fm, node);
    v->text = scalar(node);
    if (v->text && !v->text[0] && node->plain)
        v->text = NULL;
}

static void set_list(struct fm *fm, struct dbf_meta_list *l, const struct dbf__yaml_node *node)
{
    struct dbf__arena *arena = dbf__doc_arena(fm->doc);
    /* A key written twice (or 'author' and 'authors'): the last one wins, as
     * for single values, and its items go in an array sized for them alone. */
    l->items = NULL;
    l->count = 0;
    l->present = true;
    l->pos = node_pos(fm, node);
    if (node->kind == DBF__YAML_SCALAR) {
        const char *s = node->text;
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
    if (node->kind != DBF__YAML_SEQUENCE)
        return;
    l->items = dbf__arena_alloc(arena, (node->count ? node->count : 1) * sizeof *l->items);
    for (size_t i = 0; i < node->count; i++) {
        const char *s = scalar(node->items[i]);
        if (s && *s)
            l->items[l->count++] = s;
    }
}

static enum dbf_tristate boolean(const struct dbf__yaml_node *node)
{
    const char *s = scalar(node);
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

static void read_metrics(struct fm *fm, const struct dbf__yaml_node *node)
{
    struct dbf_meta *m = &fm->doc->meta;
    m->metrics_present = true;
    if (node->kind != DBF__YAML_SEQUENCE)
        return;
    size_t cap = 0;
    for (size_t i = 0; i < node->count; i++) {
        const struct dbf__yaml_node *item = node->items[i];
        struct dbf_metric_ref *r = DBF_PUSH(m->metrics, m->metric_count, cap);
        r->pos = node_pos(fm, item);
        if (item->kind == DBF__YAML_SCALAR) {
            r->file = item->text;
            continue;
        }
        r->file = scalar(dbf__yaml_get(item, "file"));
        r->title = scalar(dbf__yaml_get(item, "title"));
        r->unit = scalar(dbf__yaml_get(item, "unit"));
        r->label = scalar(dbf__yaml_get(item, "label"));
    }
}

static void read_communication(struct fm *fm, const struct dbf__yaml_node *node)
{
    struct dbf_meta *m = &fm->doc->meta;
    if (node->kind != DBF__YAML_SEQUENCE)
        return;
    size_t cap = 0;
    for (size_t i = 0; i < node->count; i++) {
        const struct dbf__yaml_node *item = node->items[i];
        struct dbf_communication_ref *r = DBF_PUSH(m->communication, m->communication_count, cap);
        r->pos = node_pos(fm, item);
        r->time = scalar(dbf__yaml_get(item, "time"));
        r->channel = scalar(dbf__yaml_get(item, "channel"));
        r->summary = scalar(dbf__yaml_get(item, "summary"));
        if (item->kind == DBF__YAML_SCALAR)
            r->summary = item->text;
    }
}

/* Is KEY the lower-case NAME, in any case? The first letters first: a key
 * is compared with some twenty names before it is found. */
static bool is_key(const char *key, const char *name)
{
    return ((unsigned char)key[0] | 0x20) == (unsigned char)name[0] && strcasecmp(key, name) == 0;
}

/* A front matter key and where its value goes in struct dbf_meta. */
struct field {
    const char *key;
    size_t offset;
};

static void read_key(struct fm *fm, const char *key, const struct dbf__yaml_node *value)
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
        if (is_key(key, values[i].key)) {
            struct dbf_meta_value *v = (struct dbf_meta_value *)((char *)m + values[i].offset);
            if (!v->present)
                set_value(fm, v, value);
            return;
        }
    }
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        if (is_key(key, lists[i].key)) {
            set_list(fm, (struct dbf_meta_list *)((char *)m + lists[i].offset), value);
            return;
        }
    }
    if (is_key(key, "customer_facing")) {
        m->customer_facing = boolean(value);
        m->customer_facing_pos = node_pos(fm, value);
    } else if (is_key(key, "slo_breach")) {
        m->slo_breach = boolean(value);
    } else if (is_key(key, "security")) {
        m->security = boolean(value);
        m->security_pos = node_pos(fm, value);
    } else if (is_key(key, "incident") && value->kind == DBF__YAML_MAPPING) {
        static const struct field times[] = {
            {"trigger", offsetof(struct dbf_meta, trigger)},
            {"impact_start", offsetof(struct dbf_meta, impact_start)},
            {"detected", offsetof(struct dbf_meta, detected)},
            {"mitigated", offsetof(struct dbf_meta, mitigated)},
            {"resolved", offsetof(struct dbf_meta, resolved)},
        };
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
            const struct dbf__yaml_node *t = dbf__yaml_get(value, times[i].key);
            if (t)
                set_value(fm, (struct dbf_meta_value *)((char *)m + times[i].offset), t);
        }
    } else if (is_key(key, "metrics")) {
        read_metrics(fm, value);
    } else if (is_key(key, "communication")) {
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

size_t dbf__front_matter_find(struct dbf_doc *doc)
{
    const char *s = doc->source;
    size_t len = doc->source_len;
    size_t first_end = line_end(s, len, 0);
    if (!is_fence(s, 0, first_end, "---"))
        return 0;
    int line = 2;
    for (size_t i = first_end < len ? first_end + 1 : len; i < len; line++) {
        size_t end = line_end(s, len, i);
        if (is_fence(s, i, end, "---") || is_fence(s, i, end, "...")) {
            doc->meta.has_front_matter = true;
            doc->meta.front_matter_end = line;
            return end < len ? end + 1 : len;
        }
        i = end + 1;
    }
    return 0; /* a thematic break, not front matter */
}

bool dbf__front_matter_parse(struct dbf_doc *doc, char *err, size_t errlen)
{
    struct dbf_meta *m = &doc->meta;
    if (!m->has_front_matter)
        return true;
    /* The YAML runs from line 2 to the line before the closing fence. */
    const size_t *line_start = doc->internal->line_start;
    size_t yaml_start = line_start[1], close_start = line_start[m->front_matter_end - 1];

    struct dbf__yaml_node *root;
    struct dbf__yaml_error problem;
    if (!dbf__yaml_read(dbf__doc_arena(doc), doc->source + yaml_start, close_start - yaml_start,
                        &root, &problem)) {
        snprintf(err, errlen, "%d:%d: front matter is not valid YAML: %s", (int)problem.line + 2,
                 (int)problem.column + 1, problem.problem);
        return false;
    }
    struct fm fm = {.doc = doc, .first_line = 2};
    bool result = true;
    if (root && root->kind == DBF__YAML_MAPPING) {
        for (size_t k = 0; k + 1 < root->count; k += 2)
            if (root->items[k]->kind == DBF__YAML_SCALAR)
                read_key(&fm, root->items[k]->text, root->items[k + 1]);
    } else if (root && !(root->kind == DBF__YAML_SCALAR && root->len == 0)) {
        snprintf(err, errlen, "2:1: front matter must be a mapping of keys to values");
        result = false;
    }
    m->severity_level = severity_level(m->severity.text);
    if (m->title.text && *m->title.text) {
        doc->title = m->title.text;
        doc->title_pos = m->title.pos;
    }
    return result;
}
