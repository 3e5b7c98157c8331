/* redact.c: the restricted parts of a post mortem, removed from its Markdown.
 *
 * Restricted are the front matter keys of restricted_keys[] (the people and
 * teams named on the post mortem, and anything under `restricted:`) and the
 * text between `<!-- restricted -->` and `<!-- /restricted -->`. Removal
 * works on the source before anything is rendered, so no restricted byte can
 * reach the page. Removed bytes are dropped but their newlines are kept, so
 * that every remaining line keeps its number and findings still point at
 * the right place. */
#include "parts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static const char *const restricted_keys[] = {
    "restricted", "authors",  "author", "reviewer",   "reviewers",    "reviewer_team",
    "owner_team", "owner",    "people", "responders", "participants", "incident_commander",
    "on_call",    "contacts", NULL,
};

bool dbf_render_key_is_restricted(const char *key)
{
    for (size_t i = 0; restricted_keys[i]; i++)
        if (strcasecmp(key, restricted_keys[i]) == 0)
            return true;
    return false;
}

static void add_secret(struct dbf__redaction *r, const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len < 3)
        return;
    char **grown = realloc(r->secrets, (r->secret_count + 1) * sizeof *grown);
    if (!grown)
        return;
    r->secrets = grown;
    char *copy = strndup(s, len);
    if (copy)
        r->secrets[r->secret_count++] = copy;
}

/* Every scalar under NODE, and the comma-separated parts of each, since a
 * list of people is often written on one line. */
static void collect_secrets(struct dbf__redaction *r, yaml_document_t *yaml, yaml_node_t *node,
                            int depth)
{
    if (!node || depth > 32)
        return;
    if (node->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)node->data.scalar.value;
        size_t len = node->data.scalar.length;
        add_secret(r, s, len);
        const char *start = s;
        for (const char *p = s; p <= s + len; p++) {
            if (p == s + len || *p == ',') {
                if (start != s || p != s + len)
                    add_secret(r, start, (size_t)(p - start));
                start = p + 1;
            }
        }
    } else if (node->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *i = node->data.sequence.items.start;
             i < node->data.sequence.items.top; i++)
            collect_secrets(r, yaml, yaml_document_get_node(yaml, *i), depth + 1);
    } else if (node->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
             p++)
            collect_secrets(r, yaml, yaml_document_get_node(yaml, p->value), depth + 1);
    }
}

static void remove_lines(struct dbf__redaction *r, int from, int to)
{
    for (int l = from; l <= to && l <= r->line_count; l++)
        if (l >= 1)
            r->line_removed[l] = true;
}

/* Marks the lines of the restricted top-level keys of the front matter. A
 * key's lines run to the line before the next key, so comments and
 * continuation lines go with it. */
static void redact_front_matter(const struct dbf_doc *doc, struct dbf__redaction *r)
{
    int close = doc->meta.front_matter_end;
    size_t len;
    const char *first = dbf_doc_line(doc, 2, &len);
    const char *closing = dbf_doc_line(doc, close, &len);
    if (!first || !closing || closing < first)
        return;
    yaml_parser_t parser;
    yaml_document_t yaml;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)first, (size_t)(closing - first));
    if (!yaml_parser_load(&parser, &yaml)) {
        remove_lines(r, 2, close - 1); /* the parser read it; be safe all the same */
        yaml_parser_delete(&parser);
        return;
    }
    yaml_node_t *root = yaml_document_get_root_node(&yaml);
    if (root && root->type == YAML_MAPPING_NODE) {
        bool flow = root->data.mapping.style == YAML_FLOW_MAPPING_STYLE;
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(&yaml, p->key);
            if (!k || k->type != YAML_SCALAR_NODE ||
                !dbf_render_key_is_restricted((const char *)k->data.scalar.value))
                continue;
            collect_secrets(r, &yaml, yaml_document_get_node(&yaml, p->value), 0);
            if (flow) {
                /* Keys share lines: removing some lines would break the YAML. */
                remove_lines(r, 2, close - 1);
                continue;
            }
            int from = (int)k->start_mark.line + 2;
            int to = close - 1;
            if (p + 1 < root->data.mapping.pairs.top) {
                yaml_node_t *next = yaml_document_get_node(&yaml, p[1].key);
                if (next)
                    to = (int)next->start_mark.line + 1;
            }
            remove_lines(r, from, to);
        }
    }
    yaml_document_delete(&yaml);
    yaml_parser_delete(&parser);
}

/* Does a marker comment "<!-- WORDS -->" start at S, with WORDS one of the
 * NULL-terminated NAMES (spaces free)? Returns its length, or 0. */
static size_t marker_at(const char *s, const char *end, const char *const *names)
{
    if (end - s < 4 || memcmp(s, "<!--", 4) != 0)
        return 0;
    const char *p = s + 4;
    while (p < end && isspace((unsigned char)*p))
        p++;
    for (size_t i = 0; names[i]; i++) {
        size_t n = strlen(names[i]);
        if ((size_t)(end - p) < n || strncasecmp(p, names[i], n) != 0)
            continue;
        const char *q = p + n;
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (end - q >= 3 && memcmp(q, "-->", 3) == 0)
            return (size_t)(q + 3 - s);
    }
    return 0;
}

void dbf__redact(const struct dbf_doc *doc, struct dbf__redaction *r, struct dbf__page *page)
{
    static const char *const open_names[] = {"restricted", NULL};
    static const char *const close_names[] = {"/restricted", "/ restricted", "end restricted",
                                              "end-restricted", NULL};
    memset(r, 0, sizeof *r);
    dbf_buf_init(&r->markdown, 0);
    r->line_count = doc->line_count;
    r->line_removed = calloc((size_t)doc->line_count + 2, sizeof *r->line_removed);
    if (!r->line_removed) {
        r->markdown.failed = true;
        return;
    }
    if (doc->meta.has_front_matter)
        redact_front_matter(doc, r);

    const char *s = doc->source, *end = doc->source + doc->source_len;
    size_t body = 0;
    if (doc->meta.has_front_matter) {
        size_t len;
        const char *after = dbf_doc_line(doc, doc->meta.front_matter_end + 1, &len);
        body = after ? (size_t)(after - s) : doc->source_len;
    }
    int line = 1;
    bool inside = false;
    int opened_at = 0;
    for (const char *p = s; p < end;) {
        size_t n;
        if (p >= s + body && !inside && (n = marker_at(p, end, open_names)) > 0) {
            inside = true;
            opened_at = line;
            r->line_removed[line] = true;
            p += n;
            continue;
        }
        if (inside && (n = marker_at(p, end, close_names)) > 0) {
            inside = false;
            r->line_removed[line] = true;
            p += n;
            continue;
        }
        if (*p == '\n') {
            dbf_buf_addc(&r->markdown, '\n');
            line++;
            if (inside)
                r->line_removed[line <= r->line_count ? line : r->line_count] = true;
        } else if (!inside && !(p < s + body && r->line_removed[line])) {
            dbf_buf_addc(&r->markdown, *p);
        }
        p++;
    }
    if (inside && page)
        dbf__notes_add(page, opened_at,
                       "the restricted block opened here is not closed with <!-- /restricted -->; "
                       "everything after it was left out");
}

void dbf__redaction_release(struct dbf__redaction *r)
{
    dbf_buf_release(&r->markdown);
    free(r->line_removed);
    for (size_t i = 0; i < r->secret_count; i++)
        free(r->secrets[i]);
    free(r->secrets);
    memset(r, 0, sizeof *r);
}

void dbf__add_scrubbed(struct dbf_buf *out, const char *s, const struct dbf__redaction *r)
{
    if (!r || !r->secret_count) {
        dbf_buf_add_html(out, s);
        return;
    }
    struct dbf_buf plain;
    dbf_buf_init(&plain, 0);
    for (const char *p = s; *p;) {
        size_t best = 0;
        for (size_t i = 0; i < r->secret_count; i++) {
            size_t n = strlen(r->secrets[i]);
            if (n > best && strncasecmp(p, r->secrets[i], n) == 0)
                best = n;
        }
        if (best) {
            dbf_buf_adds(&plain, "[redacted]");
            p += best;
        } else {
            dbf_buf_addc(&plain, *p++);
        }
    }
    dbf_buf_add_html(out, plain.data);
    dbf_buf_release(&plain);
}

bool dbf_render_redact_markdown(const struct dbf_doc *doc, struct dbf_buf *out,
                                struct dbf_buf *notes)
{
    struct dbf__page page = {.doc = doc, .notes = notes};
    struct dbf__redaction r;
    dbf__redact(doc, &r, &page);
    bool ok = !r.markdown.failed;
    dbf_buf_add(out, r.markdown.data, r.markdown.len);
    dbf__redaction_release(&r);
    dbf__page_release(&page);
    return ok && !out->failed;
}
