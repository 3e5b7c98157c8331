/* chat.c: a chat export read into timeline entries.
 *
 * Recognises the export's format, has its reader fill a log of messages,
 * then drops bots and system messages, applies the time range and the keep
 * filter, maps people to roles, cleans the text and sorts by time. */
#include "chat.h"
#include "../parse/clock.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct dbf__chat_internal {
    struct dbf__chat_log log;
    struct dbf__roles roles;
};

struct dbf__chat_message *dbf__chat_log_add(struct dbf__chat_log *log)
{
    if (log->count == log->cap) {
        size_t cap = log->cap ? log->cap * 2 : 64;
        struct dbf__chat_message *m = realloc(log->messages, cap * sizeof *m);
        if (!m)
            return NULL;
        log->messages = m;
        log->cap = cap;
    }
    struct dbf__chat_message *m = &log->messages[log->count];
    memset(m, 0, sizeof *m);
    m->order = log->count++;
    return m;
}

struct dbf__chat_person *dbf__chat_log_person(struct dbf__chat_log *log)
{
    if (log->person_count == log->person_cap) {
        size_t cap = log->person_cap ? log->person_cap * 2 : 32;
        struct dbf__chat_person *p = realloc(log->people, cap * sizeof *p);
        if (!p)
            return NULL;
        log->people = p;
        log->person_cap = cap;
    }
    struct dbf__chat_person *p = &log->people[log->person_count++];
    memset(p, 0, sizeof *p);
    return p;
}

const struct dbf__chat_person *dbf__chat_log_find(const struct dbf__chat_log *log, const char *id)
{
    for (size_t i = 0; id && i < log->person_count; i++)
        if (log->people[i].id && strcasecmp(log->people[i].id, id) == 0)
            return &log->people[i];
    return NULL;
}

const char *dbf__chat_zone_spec(const struct dbf_import_options *options, const struct dbf_doc *doc)
{
    if (options && options->zone && *options->zone)
        return options->zone;
    if (doc && doc->timeline_zone && *doc->timeline_zone)
        return doc->timeline_zone;
    return "UTC";
}

static void log_release(struct dbf__chat_log *log)
{
    free(log->messages);
    free(log->people);
    free(log->channel_ids);
    free(log->channel_names);
    dbf__arena_release(&log->arena);
}

enum format { FORMAT_SLACK, FORMAT_MATTERMOST };

static bool recognise(const char *path, enum format *format, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: cannot read the export: %s", path, strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        *format = FORMAT_SLACK;
        return true;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read the export: %s", path, strerror(errno));
        return false;
    }
    unsigned char head[4] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    int c = EOF;
    if (n >= 2 && head[0] == 'P' && head[1] == 'K') {
        fclose(f);
        snprintf(err, errlen,
                 "%s:1: a zip archive; unzip it and give the channel folder or the .jsonl file",
                 path);
        return false;
    }
    rewind(f);
    size_t line = 1;
    while ((c = fgetc(f)) != EOF && isspace(c))
        line += c == '\n';
    fclose(f);
    if (c == '{') {
        *format = FORMAT_MATTERMOST;
        return true;
    }
    if (c == '[') {
        *format = FORMAT_SLACK;
        return true;
    }
    snprintf(err, errlen,
             "%s:%zu: not a chat export: expected a Slack channel folder, a Slack daily .json "
             "file or a Mattermost bulk export (.jsonl)",
             path, line);
    return false;
}

/* "eyes", ":eyes:" and "EYES" name the same reaction; "+1::skin-tone-2" is
 * a "+1". */
static bool reaction_is(const char *reaction, const char *wanted)
{
    if (*wanted == ':')
        wanted++;
    size_t n = strlen(wanted);
    if (n && wanted[n - 1] == ':')
        n--;
    if (!n || strncasecmp(reaction, wanted, n) != 0)
        return false;
    return reaction[n] == '\0' || strncmp(reaction + n, "::", 2) == 0;
}

static bool kept(const struct dbf__chat_message *m, const char *keep_emoji)
{
    if (!keep_emoji || m->pinned)
        return true;
    for (size_t i = 0; i < m->reaction_count; i++)
        if (reaction_is(m->reactions[i], keep_emoji))
            return true;
    return false;
}

static int by_time(const void *a, const void *b)
{
    const struct dbf__chat_message *x = *(const struct dbf__chat_message *const *)a;
    const struct dbf__chat_message *y = *(const struct dbf__chat_message *const *)b;
    if (x->at_us != y->at_us)
        return x->at_us < y->at_us ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* A file name as Markdown text: nothing in it opens a tag, link or emphasis. */
static void add_file_names(struct dbf_buf *out, const char *names)
{
    for (const char *p = names; *p; p++) {
        if (*p == '<')
            dbf_buf_adds(out, "&lt;");
        else if (strchr("[]*_`\\", *p))
            dbf_buf_addf(out, "\\%c", *p);
        else if (*p == '\n' || *p == '\r' || *p == '\t')
            dbf_buf_addc(out, ' ');
        else
            dbf_buf_addc(out, *p);
    }
}

static bool build_entries(struct dbf_chat_import *import, const struct dbf_import_options *options,
                          char *err, size_t errlen)
{
    struct dbf__chat_log *log = &import->internal->log;
    const struct dbf__roles *roles = &import->internal->roles;
    struct dbf__chat_message **order = calloc(log->count ? log->count : 1, sizeof *order);
    import->entries = calloc(log->count ? log->count : 1, sizeof *import->entries);
    if (!order || !import->entries) {
        free(order);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (size_t i = 0; i < log->count; i++)
        order[i] = &log->messages[i];
    qsort(order, log->count, sizeof *order, by_time);
    struct dbf_chat_counts *counts = &import->counts;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    for (size_t i = 0; i < log->count; i++) {
        const struct dbf__chat_message *m = order[i];
        counts->read++;
        const struct dbf__chat_person *person = dbf__chat_log_find(log, m->user);
        if (m->drop == DBF_DROP_BOT || (person && person->bot)) {
            counts->bots++;
            continue;
        }
        if (m->drop == DBF_DROP_SYSTEM) {
            counts->system++;
            continue;
        }
        int64_t at = m->at_us >= 0 ? m->at_us / 1000000 : -((-m->at_us + 999999) / 1000000);
        if ((options->since && at < options->since) || (options->until && at > options->until)) {
            counts->out_of_range++;
            continue;
        }
        dbf_buf_reset(&text);
        if (m->drop == DBF_KEEP)
            dbf__chat_text(&text, m->text, log->markup, roles, log);
        if (m->drop == DBF_KEEP && m->files) {
            bool alone = text.len == 0;
            dbf_buf_adds(&text, alone ? "shared " : " (attached: ");
            add_file_names(&text, m->files);
            if (!alone)
                dbf_buf_addc(&text, ')');
        }
        if (m->drop == DBF_DROP_DELETED || text.len == 0) {
            counts->deleted++;
            continue;
        }
        if (!kept(m, options->keep_emoji)) {
            counts->not_kept++;
            continue;
        }
        struct dbf_chat_entry *e = &import->entries[import->count++];
        e->at = at;
        e->who = dbf__roles_phrase(roles, log, m->user);
        e->text = dbf__arena_strndup(&log->arena, text.data, text.len);
        e->pinned = m->pinned;
        e->reply = m->reply;
        e->edited = m->edited;
    }
    bool failed = text.failed;
    dbf_buf_release(&text);
    free(order);
    if (failed)
        snprintf(err, errlen, "out of memory");
    return !failed;
}

struct dbf_chat_import *dbf_chat_import_load(const char *path,
                                             const struct dbf_import_options *options, char *err,
                                             size_t errlen)
{
    static const struct dbf_import_options none = {0};
    if (!options)
        options = &none;
    struct dbf__chat_zone *zone =
        dbf__chat_zone_new(dbf__chat_zone_spec(options, NULL), err, errlen);
    if (!zone)
        return NULL;
    dbf__chat_zone_free(zone);
    enum format format;
    if (!recognise(path, &format, err, errlen))
        return NULL;
    struct dbf_chat_import *import = calloc(1, sizeof *import);
    struct dbf__chat_internal *in = calloc(1, sizeof *in);
    if (!import || !in) {
        free(import);
        free(in);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    import->internal = in;
    dbf__arena_init(&in->log.arena);
    dbf__roles_init(&in->roles);
    bool ok = !options->roles_path || dbf__roles_load(&in->roles, options->roles_path, err, errlen);
    if (ok) {
        in->log.markup = format == FORMAT_SLACK ? DBF_MARKUP_SLACK : DBF_MARKUP_MATTERMOST;
        ok = format == FORMAT_SLACK
                 ? dbf__slack_read(path, options->channel, &in->log, err, errlen)
                 : dbf__mattermost_read(path, options->channel, &in->log, err, errlen);
    }
    if (ok)
        ok = build_entries(import, options, err, errlen);
    if (!ok) {
        dbf_chat_import_free(import);
        return NULL;
    }
    import->format = format == FORMAT_SLACK ? "slack" : "mattermost";
    import->channel = in->log.channel;
    return import;
}

void dbf_chat_import_free(struct dbf_chat_import *import)
{
    if (!import)
        return;
    if (import->internal) {
        log_release(&import->internal->log);
        dbf__roles_release(&import->internal->roles);
        free(import->internal);
    }
    free(import->entries);
    free(import);
}

bool dbf_chat_time_parse(const char *text, const char *zone_spec, bool end_of_day, int64_t *out,
                         char *err, size_t errlen)
{
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    struct dbf_time t = {0};
    size_t n = len ? dbf__time_scan(text, len, &t, false) : 0;
    if (!n || n != len || !t.date.year || !dbf__date_valid(t.date)) {
        snprintf(err, errlen,
                 "'%s' is not a date or time; write it as 2026-03-10 or 2026-03-10T14:00[+01:00]",
                 text);
        return false;
    }
    int64_t local = dbf__days_from_civil(t.date.year, t.date.month, t.date.day) * 86400;
    if (t.has_clock)
        local += t.hour * 3600 + t.minute * 60 + t.second;
    else if (end_of_day)
        local += 86399;
    if (t.has_zone && t.zone_is_fixed) {
        *out = local - (int64_t)t.utc_offset * 60;
        return true;
    }
    if (t.has_zone) {
        snprintf(err, errlen, "'%s': give the zone as an offset (+01:00) or with --zone", text);
        return false;
    }
    struct dbf__chat_zone *zone = dbf__chat_zone_new(zone_spec, err, errlen);
    if (!zone)
        return false;
    *out = dbf__chat_zone_to_utc(zone, local);
    dbf__chat_zone_free(zone);
    return true;
}

void dbf_chat_import_markdown(const struct dbf_chat_import *import,
                              const struct dbf_import_options *options, struct dbf_buf *out)
{
    char err[256];
    struct dbf__chat_zone *zone =
        dbf__chat_zone_new(dbf__chat_zone_spec(options, NULL), err, sizeof err);
    if (!zone)
        zone = dbf__chat_zone_new("UTC", err, sizeof err);
    if (!zone) {
        out->failed = true;
        return;
    }
    for (size_t i = 0; i < import->count; i++) {
        const struct dbf_chat_entry *e = &import->entries[i];
        dbf_buf_adds(out, "- ");
        dbf__chat_zone_stamp(zone, e->at, out);
        dbf_buf_addf(out, " \xE2\x80\x94 %s: %s\n", e->who, e->text);
    }
    dbf__chat_zone_free(zone);
}
