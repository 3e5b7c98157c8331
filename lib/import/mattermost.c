/* mattermost.c: Mattermost's bulk export read into a chat log.
 *
 * The export is JSONL: one object a line, each with a "type" and an object
 * of that name: "version" first, then "team", "channel", "user", "bot",
 * "post", "direct_channel", "direct_post", …. A post names its team,
 * channel and user (by user name) and has "message", "create_at" (epoch
 * milliseconds), and may have "type" (system_join_channel, …), "props"
 * (from_bot, from_webhook), "edit_at", "is_pinned", "reactions"
 * ([{user, emoji_name, create_at}]), "attachments" ([{path}]) and "replies"
 * (the thread, each reply shaped like a post). Direct messages are not a
 * channel's record and are skipped. */
#include "chat.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATTERMOST_LINE_MAX ((size_t)64 << 20)

struct reader {
    const char *path;
    size_t line;
    bool line_is_first; /* the record read is the file's first */
    struct dbf__chat_log *log;
    const char **channels; /* "team/name" of every channel seen */
    size_t channel_count, channel_cap;
    char *err;
    size_t errlen;
};

static bool fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct reader *r, const char *fmt, ...)
{
    int n = snprintf(r->err, r->errlen, "%s:%zu: ", r->path, r->line);
    if (n >= 0 && (size_t)n < r->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool get_string(struct reader *r, json_t *obj, const char *what, const char *key,
                       const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v))
        return fail(r, "%s '%s' must be a string", what, key);
    *out = dbf__arena_strdup(&r->log->arena, json_string_value(v));
    return true;
}

static bool seen_channel(struct reader *r, const char *key)
{
    for (size_t i = 0; i < r->channel_count; i++)
        if (strcmp(r->channels[i], key) == 0)
            return true;
    if (r->channel_count == r->channel_cap) {
        size_t cap = r->channel_cap ? r->channel_cap * 2 : 16;
        const char **c = realloc(r->channels, cap * sizeof *c);
        if (!c)
            return fail(r, "out of memory");
        r->channels = c;
        r->channel_cap = cap;
    }
    r->channels[r->channel_count++] = key;
    return true;
}

static bool read_person(struct reader *r, json_t *obj, bool bot)
{
    const char *what = bot ? "bot" : "user";
    if (!json_is_object(obj))
        return fail(r, "the %s record has no '%s' object", what, what);
    const char *username, *nickname, *first, *last, *display;
    if (!get_string(r, obj, what, "username", &username) ||
        !get_string(r, obj, what, "nickname", &nickname) ||
        !get_string(r, obj, what, "first_name", &first) ||
        !get_string(r, obj, what, "last_name", &last) ||
        !get_string(r, obj, what, "display_name", &display))
        return false;
    if (!username)
        return fail(r, "%s has no 'username'", what);
    struct dbf__chat_person *p = dbf__chat_log_person(r->log);
    if (!p)
        return fail(r, "out of memory");
    p->id = username;
    p->names[0] = nickname;
    p->names[1] = display;
    if (first && last && *first && *last)
        p->names[2] = dbf__arena_printf(&r->log->arena, "%s %s", first, last);
    p->names[3] = first;
    p->bot = bot;
    return true;
}

static bool prop_true(json_t *props, const char *key)
{
    json_t *v = json_object_get(props, key);
    return json_is_true(v) || (json_is_string(v) && strcmp(json_string_value(v), "true") == 0);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* A post or a reply: its message, time, flags, reactions and files. */
static bool read_post(struct reader *r, json_t *post, const char *channel, bool reply)
{
    const char *what = reply ? "reply" : "post";
    const char *user, *message, *type;
    if (!get_string(r, post, what, "user", &user) ||
        !get_string(r, post, what, "message", &message) ||
        !get_string(r, post, what, "type", &type))
        return false;
    json_t *create_at = json_object_get(post, "create_at");
    if (!create_at)
        return fail(r, "%s has no 'create_at'", what);
    /* At most Slack's 12 digits of seconds, so that microseconds fit 64 bits. */
    if (!json_is_integer(create_at) || json_integer_value(create_at) < 0 ||
        json_integer_value(create_at) > 999999999999999)
        return fail(r, "%s 'create_at' must be a number of milliseconds since 1970", what);
    json_t *edit_at = json_object_get(post, "edit_at");
    if (edit_at && !json_is_null(edit_at) && !json_is_integer(edit_at))
        return fail(r, "%s 'edit_at' must be a number of milliseconds since 1970", what);
    json_t *props = json_object_get(post, "props");
    if (props && !json_is_null(props) && !json_is_object(props))
        return fail(r, "%s 'props' must be an object", what);
    json_t *pinned = json_object_get(post, "is_pinned");
    if (pinned && !json_is_null(pinned) && !json_is_boolean(pinned))
        return fail(r, "%s 'is_pinned' must be true or false", what);

    struct dbf__chat_message *m = dbf__chat_log_add(r->log);
    if (!m)
        return fail(r, "out of memory");
    m->at_us = (int64_t)json_integer_value(create_at) * 1000;
    m->user = user;
    m->text = message ? message : "";
    m->channel = channel;
    m->reply = reply;
    m->edited = json_is_integer(edit_at) && json_integer_value(edit_at) > 0;
    m->pinned = json_is_true(pinned);
    if (type && *type)
        m->drop = strncmp(type, "system_", 7) == 0 ? DBF_DROP_SYSTEM
                  : strcmp(type, "me") == 0        ? DBF_KEEP
                                                   : DBF_DROP_BOT;
    if (prop_true(props, "from_bot") || prop_true(props, "from_webhook") ||
        prop_true(props, "from_plugin"))
        m->drop = DBF_DROP_BOT;

    json_t *reactions = json_object_get(post, "reactions");
    if (reactions && !json_is_null(reactions) && !json_is_array(reactions))
        return fail(r, "%s 'reactions' must be a list", what);
    size_t n = json_array_size(reactions), i;
    json_t *x;
    if (n)
        m->reactions = dbf__arena_alloc(&r->log->arena, n * sizeof *m->reactions);
    json_array_foreach(reactions, i, x)
    {
        const char *emoji;
        if (!json_is_object(x))
            return fail(r, "a reaction must be an object");
        if (!get_string(r, x, "reaction", "emoji_name", &emoji))
            return false;
        if (emoji)
            m->reactions[m->reaction_count++] = emoji;
    }

    json_t *attachments = json_object_get(post, "attachments");
    if (attachments && !json_is_null(attachments) && !json_is_array(attachments))
        return fail(r, "%s 'attachments' must be a list", what);
    struct dbf_buf files;
    dbf_buf_init(&files, 0);
    json_array_foreach(attachments, i, x)
    {
        const char *path;
        if (!json_is_object(x) || !get_string(r, x, "attachment", "path", &path)) {
            dbf_buf_release(&files);
            return json_is_object(x) ? false : fail(r, "an attachment must be an object");
        }
        if (path && *path) {
            if (files.len)
                dbf_buf_adds(&files, ", ");
            dbf_buf_adds(&files, base_name(path));
        }
    }
    if (files.len)
        m->files = dbf__arena_strndup(&r->log->arena, files.data, files.len);
    dbf_buf_release(&files);

    if (reply)
        return true;
    json_t *replies = json_object_get(post, "replies");
    if (replies && !json_is_null(replies) && !json_is_array(replies))
        return fail(r, "post 'replies' must be a list");
    json_array_foreach(replies, i, x)
    {
        if (!json_is_object(x))
            return fail(r, "a reply must be an object");
        if (!read_post(r, x, channel, true))
            return false;
    }
    return true;
}

static bool read_record(struct reader *r, json_t *rec)
{
    if (!json_is_object(rec))
        return fail(r, "expected an object with a \"type\"");
    json_t *type = json_object_get(rec, "type");
    if (!json_is_string(type))
        return fail(r, "a record has no \"type\"");
    const char *t = json_string_value(type);
    if (r->line_is_first && strcmp(t, "version") != 0)
        return fail(r, "not a Mattermost bulk export: the first line must be the version record");
    if (strcmp(t, "user") == 0)
        return read_person(r, json_object_get(rec, "user"), false);
    if (strcmp(t, "bot") == 0)
        return read_person(r, json_object_get(rec, "bot"), true);
    if (strcmp(t, "channel") == 0 || strcmp(t, "post") == 0) {
        json_t *obj = json_object_get(rec, t);
        if (!json_is_object(obj))
            return fail(r, "the %s record has no '%s' object", t, t);
        const char *team, *name;
        bool post = t[0] == 'p';
        if (!get_string(r, obj, t, "team", &team) ||
            !get_string(r, obj, t, post ? "channel" : "name", &name))
            return false;
        if (!name)
            return fail(r, "%s has no '%s'", t, post ? "channel" : "name");
        const char *key = dbf__arena_printf(&r->log->arena, "%s/%s", team ? team : "", name);
        if (!seen_channel(r, key))
            return false;
        return !post || read_post(r, obj, key, false);
    }
    return true;
}

/* Does KEY ("team/name") match the --channel WANTED ("name" or "team/name")? */
static bool channel_is(const char *key, const char *wanted)
{
    if (strchr(wanted, '/'))
        return strcmp(key, wanted) == 0;
    const char *slash = strchr(key, '/');
    return strcmp(slash ? slash + 1 : key, wanted) == 0;
}

static void list_channels(const struct reader *r, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->channel_count && n + 1 < size; i++) {
        const char *slash = strchr(r->channels[i], '/');
        int w = snprintf(out + n, size - n, "%s%s",
                         i ? ", " : "channels: ", slash ? slash + 1 : r->channels[i]);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    if (!r->channel_count)
        snprintf(out, size, "no channels");
}

/* Keeps the messages of one channel: WANTED, or the only one there is. */
static bool pick_channel(struct reader *r, const char *wanted)
{
    struct dbf__chat_log *log = r->log;
    const char *chosen = NULL;
    size_t matches = 0;
    for (size_t i = 0; i < r->channel_count; i++) {
        if (wanted ? channel_is(r->channels[i], wanted) : true) {
            chosen = r->channels[i];
            matches++;
        }
    }
    char list[1024];
    list_channels(r, list, sizeof list);
    if (wanted && !matches) {
        snprintf(r->err, r->errlen, "%s: no channel '%s' in the Mattermost export (%s)", r->path,
                 wanted, list);
        return false;
    }
    if (matches > 1) {
        snprintf(r->err, r->errlen,
                 wanted ? "%s: channel '%s' is in several teams; write it as TEAM/CHANNEL"
                        : "%s: posts from several channels; pick one with --channel (%s)",
                 r->path, wanted ? wanted : list);
        return false;
    }
    size_t kept = 0;
    for (size_t i = 0; i < log->count; i++) {
        if (chosen && strcmp(log->messages[i].channel, chosen) == 0) {
            log->messages[kept] = log->messages[i];
            log->messages[kept].order = kept;
            kept++;
        }
    }
    log->count = kept;
    const char *slash = chosen ? strchr(chosen, '/') : NULL;
    log->channel = slash ? slash + 1 : chosen;
    return true;
}

bool dbf__mattermost_read(const char *path, const char *channel, struct dbf__chat_log *log,
                          char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read the export: %s", path, strerror(errno));
        return false;
    }
    struct reader r = {.path = path, .log = log, .err = err, .errlen = errlen};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    bool ok = true, first = true;
    while (ok && (len = getline(&line, &cap, f)) >= 0) {
        r.line++;
        if ((size_t)len > MATTERMOST_LINE_MAX) {
            ok = fail(&r, "line too long");
            break;
        }
        size_t n = (size_t)len;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (!n)
            continue;
        json_error_t jerr;
        json_t *rec = json_loadb(line, n, 0, &jerr);
        if (!rec) {
            ok = fail(&r, "not valid JSON: %s", jerr.text);
            break;
        }
        r.line_is_first = first;
        first = false;
        ok = read_record(&r, rec);
        json_decref(rec);
    }
    if (ok && ferror(f)) {
        snprintf(err, errlen, "%s: cannot read the export: %s", path, strerror(errno));
        ok = false;
    }
    if (ok && first) {
        snprintf(err, errlen, "%s: empty: not a Mattermost bulk export", path);
        ok = false;
    }
    free(line);
    fclose(f);
    if (ok)
        ok = pick_channel(&r, channel);
    free(r.channels);
    return ok;
}
