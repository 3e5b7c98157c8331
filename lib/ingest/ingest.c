/* ingest.c: the fields the store indexes, read from a post mortem's text. */
#include "debrief/ingest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLUG_FROM_TEXT_MAX 64

bool dbf_ingest_slug_valid(const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > DBF_STORE_SLUG_MAX)
        return false;
    for (const char *p = text; *p; p++) {
        if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '_' || *p == '-'))
            return false;
    }
    /* "." and ".." name folders in paths and URLs, never a post mortem. */
    return strspn(text, ".") != n;
}

/* Writes to OUT a slug made of TEXT: ASCII letters and digits lowered, runs
 * of anything else as one '-', none at either end. */
static void slug_from(const char *text, char *out, size_t size)
{
    size_t n = 0;
    bool dash = false;
    size_t max = size - 1 < SLUG_FROM_TEXT_MAX ? size - 1 : SLUG_FROM_TEXT_MAX;
    for (const char *p = text; *p && n < max; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) && c < 0x80) {
            if (dash && n > 0 && n + 1 < max)
                out[n++] = '-';
            dash = false;
            out[n++] = (char)tolower(c);
        } else {
            dash = true;
        }
    }
    out[n] = '\0';
}

/* The file name of PATH without its folder and a ".md" or ".markdown". */
static void base_name(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, ".md") == 0)
        n -= 3;
    else if (n > 9 && strcmp(name + n - 9, ".markdown") == 0)
        n -= 9;
    if (n >= size)
        n = size - 1;
    memcpy(out, name, n);
    out[n] = '\0';
}

static void copy_field(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

/* Writes D as YYYY-MM-DD to OUT. */
static void format_date(const struct dbf_date *d, char out[11])
{
    unsigned y = (unsigned)d->year % 10000u, m = (unsigned)d->month % 100u,
             day = (unsigned)d->day % 100u;
    snprintf(out, 11, "%04u-%02u-%02u", y, m, day);
}

static bool is_iso_date(const char *s)
{
    if (!s || strlen(s) < 10)
        return false;
    for (int i = 0; i < 10; i++) {
        bool digit = isdigit((unsigned char)s[i]) != 0;
        if ((i == 4 || i == 7) ? s[i] != '-' : !digit)
            return false;
    }
    return true;
}

/* The incident's date: the first of the front matter times that holds one,
 * else the first dated timeline entry. */
static void read_started(const struct dbf_doc *doc, char out[11])
{
    const struct dbf_meta_value *candidates[] = {
        &doc->meta.trigger,
        &doc->meta.impact_start,
        &doc->meta.detected,
        &doc->meta.created,
    };
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        if (is_iso_date(candidates[i]->text)) {
            memcpy(out, candidates[i]->text, 10);
            out[10] = '\0';
            return;
        }
    }
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_date *d = &doc->timeline[i].time.date;
        if (d->year > 0) {
            format_date(d, out);
            return;
        }
    }
    out[0] = '\0';
}

static char *join_tags(const struct dbf_meta_list *tags)
{
    size_t len = 1;
    for (size_t i = 0; i < tags->count; i++)
        len += strlen(tags->items[i]) + 1;
    char *out = malloc(len);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < tags->count; i++) {
        if (!*tags->items[i] || strchr(tags->items[i], ','))
            continue;
        if (n > 0)
            out[n++] = ',';
        size_t k = strlen(tags->items[i]);
        memcpy(out + n, tags->items[i], k);
        n += k;
    }
    out[n] = '\0';
    return out;
}

static const char *action_status(enum dbf_action_status status)
{
    return status == DBF_ACTION_DONE ? "done" : "open";
}

static bool read_actions(struct dbf_ingest *out)
{
    const struct dbf_doc *doc = out->doc;
    if (doc->action_count == 0)
        return true;
    out->actions = calloc(doc->action_count, sizeof *out->actions);
    out->due = calloc(doc->action_count, sizeof *out->due);
    if (!out->actions || !out->due)
        return false;
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        struct dbf_pm_action *p = &out->actions[i];
        p->number = (int)i + 1;
        p->description = a->description;
        p->owner = a->owner;
        if (a->due.year > 0) {
            format_date(&a->due, out->due[i]);
            p->due = out->due[i];
        }
        p->priority = a->priority;
        p->status = action_status(a->status);
        p->link = a->link;
    }
    out->content.actions = out->actions;
    out->content.action_count = doc->action_count;
    return true;
}

bool dbf_ingest(const char *path, const char *markdown, size_t len, struct dbf_ingest *out,
                char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t blank = 0;
    while (blank < len && isspace((unsigned char)markdown[blank]))
        blank++;
    if (blank == len) {
        snprintf(err, errlen, "1:1: the post mortem is empty");
        return false;
    }
    out->doc = dbf_doc_parse(path ? path : "-", markdown, len, err, errlen);
    if (!out->doc)
        return false;
    const struct dbf_doc *doc = out->doc;

    out->title = strdup(doc->title && *doc->title ? doc->title : "Untitled post mortem");
    out->tags = join_tags(&doc->meta.tags);
    if (!out->title || !out->tags || !read_actions(out)) {
        snprintf(err, errlen, "1:1: out of memory");
        dbf_ingest_release(out);
        return false;
    }

    const char *id = doc->meta.id.text;
    if (dbf_ingest_slug_valid(id))
        copy_field(out->slug, sizeof out->slug, id);
    else if (path && strcmp(path, "-") != 0) {
        char name[DBF_STORE_SLUG_MAX + 1];
        base_name(path, name, sizeof name);
        slug_from(name, out->slug, sizeof out->slug);
    }
    if (!out->slug[0])
        slug_from(out->title, out->slug, sizeof out->slug);
    if (!out->slug[0])
        copy_field(out->slug, sizeof out->slug, "postmortem");

    copy_field(out->owner_team, sizeof out->owner_team, doc->meta.owner_team.text);
    copy_field(out->severity, sizeof out->severity, doc->meta.severity.text);
    copy_field(out->service, sizeof out->service,
               doc->meta.services.count > 0 ? doc->meta.services.items[0] : NULL);
    read_started(doc, out->started);

    const char *vis = doc->meta.visibility.text;
    out->visibility = DBF_VISIBILITY_PUBLIC;
    if (vis && dbf_visibility_parse(vis, &out->visibility))
        out->visibility_given = true;
    if (doc->meta.security == DBF_TRUE) {
        out->visibility = DBF_VISIBILITY_RESTRICTED;
        out->visibility_given = true;
    }

    out->markdown = malloc(len + 1);
    if (!out->markdown) {
        snprintf(err, errlen, "1:1: out of memory");
        dbf_ingest_release(out);
        return false;
    }
    memcpy(out->markdown, markdown, len);
    out->markdown[len] = '\0';
    out->content.markdown = out->markdown;
    out->content.title = out->title;
    out->content.severity = out->severity;
    out->content.service = out->service;
    out->content.tags = out->tags;
    out->content.started = out->started;
    return true;
}

void dbf_ingest_release(struct dbf_ingest *ingest)
{
    if (!ingest)
        return;
    dbf_doc_free(ingest->doc);
    free(ingest->markdown);
    free(ingest->title);
    free(ingest->tags);
    free(ingest->actions);
    free(ingest->due);
    memset(ingest, 0, sizeof *ingest);
}
