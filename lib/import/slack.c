/* slack.c: Slack's export read into a chat log.
 *
 * An export is a folder: users.json (people by id), channels.json (channel
 * ids and names) and one folder per channel holding one YYYY-MM-DD.json file
 * per day, each a JSON array of messages. A message has `ts` (epoch seconds
 * with microseconds, as a string), `user`, `text`, and may have `subtype`
 * (channel_join, bot_message, message_changed, …), `bot_id`, `thread_ts`,
 * `edited`, `reactions`, `pinned_to`, `files` and `user_profile`. Replies
 * of a thread are messages of the day they were written. */
#include "chat.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SLACK_FILE_MAX ((size_t)256 << 20)

struct reader {
    const char *path; /* the file being read */
    char *data;       /* its bytes, for the line of a value */
    size_t len;
    struct dbf__chat_log *log;
    char *err;
    size_t errlen;
};

/* The line of the INDEX-th element of the top-level JSON array in DATA:
 * jansson keeps no positions, so the text is walked again for a message. */
static size_t element_line(const char *data, size_t len, size_t index)
{
    size_t line = 1, count = 0;
    int depth = 0;
    bool in_string = false, expect_value = false;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '\n')
            line++;
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (depth == 1 && expect_value && c != ']') {
            if (count++ == index)
                return line;
            expect_value = false;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{') {
            depth++;
            if (depth == 1)
                expect_value = true;
        } else if (c == ']' || c == '}')
            depth--;
        else if (c == ',' && depth == 1)
            expect_value = true;
    }
    return line;
}

static bool fail(struct reader *r, size_t index, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct reader *r, size_t index, const char *fmt, ...)
{
    size_t line = r->data ? element_line(r->data, r->len, index) : 1;
    int n = snprintf(r->err, r->errlen, "%s:%zu: ", r->path, line);
    if (n >= 0 && (size_t)n < r->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    struct dbf_buf buf;
    dbf_buf_init(&buf, SLACK_FILE_MAX);
    dbf_buf_add_stream(&buf, f);
    bool bad = ferror(f);
    fclose(f);
    if (buf.failed || bad) {
        snprintf(err, errlen, "%s: %s", path, bad ? "cannot read" : "too large");
        dbf_buf_release(&buf);
        return NULL;
    }
    return dbf_buf_detach(&buf, len);
}

static void unload(struct reader *r, json_t *root)
{
    json_decref(root);
    free(r->data);
    r->data = NULL;
}

/* The JSON array in the file at PATH; NULL with ERR filled. R keeps the text
 * for the lines of later errors; the caller frees it and the array. */
static json_t *load_array(struct reader *r, const char *path, const char *what)
{
    size_t len;
    char *data = read_file(path, &len, r->err, r->errlen);
    if (!data)
        return NULL;
    json_error_t jerr;
    json_t *root = json_loadb(data, len, 0, &jerr);
    r->path = path;
    r->data = data;
    r->len = len;
    if (!root) {
        snprintf(r->err, r->errlen, "%s:%d: not valid JSON: %s", path,
                 jerr.line > 0 ? jerr.line : 1, jerr.text);
        unload(r, NULL);
        return NULL;
    }
    if (!json_is_array(root)) {
        json_decref(root);
        size_t line = 1;
        for (size_t i = 0;
             i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r');
             i++)
            line += data[i] == '\n';
        snprintf(r->err, r->errlen, "%s:%zu: expected a list of %s", path, line, what);
        unload(r, NULL);
        return NULL;
    }
    return root;
}

/* OBJ[KEY] as a string in *OUT (NULL when absent or null). */
static bool get_string(struct reader *r, size_t index, json_t *obj, const char *key,
                       const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v))
        return fail(r, index, "'%s' must be a string", key);
    *out = dbf__arena_strdup(&r->log->arena, json_string_value(v));
    return true;
}

static bool get_array(struct reader *r, size_t index, json_t *obj, const char *key, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_array(v))
        return fail(r, index, "'%s' must be a list", key);
    *out = v;
    return true;
}

/* "1583421234.000200": seconds and microseconds. */
static bool parse_ts(const char *ts, int64_t *at_us)
{
    int64_t sec = 0, frac = 0;
    const char *p = ts;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 12) {
        sec = sec * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits)
        return false;
    if (*p == '.') {
        p++;
        int n = 0;
        while (*p >= '0' && *p <= '9') {
            if (n < 6) {
                frac = frac * 10 + (*p - '0');
                n++;
            }
            p++;
        }
        for (; n < 6; n++)
            frac *= 10;
    }
    if (*p)
        return false;
    *at_us = sec * 1000000 + frac;
    return true;
}

static bool read_people(struct reader *r, const char *path)
{
    json_t *root = load_array(r, path, "users");
    if (!root)
        return false;
    bool ok = true;
    size_t i;
    json_t *u;
    json_array_foreach(root, i, u)
    {
        if (!json_is_object(u)) {
            ok = fail(r, i, "a user must be an object");
            break;
        }
        const char *id, *name, *real, *display = NULL, *profile_real = NULL;
        if (!(ok = get_string(r, i, u, "id", &id) && get_string(r, i, u, "name", &name) &&
                   get_string(r, i, u, "real_name", &real)))
            break;
        if (!id) {
            ok = fail(r, i, "a user has no 'id'");
            break;
        }
        json_t *profile = json_object_get(u, "profile");
        if (json_is_object(profile) &&
            !(ok = get_string(r, i, profile, "display_name", &display) &&
                   get_string(r, i, profile, "real_name", &profile_real)))
            break;
        struct dbf__chat_person *p = dbf__chat_log_person(r->log);
        if (!p) {
            ok = fail(r, i, "out of memory");
            break;
        }
        p->id = id;
        p->names[0] = name;
        p->names[1] = display;
        p->names[2] = real;
        p->names[3] = profile_real;
        p->bot = json_is_true(json_object_get(u, "is_bot")) || strcmp(id, "USLACKBOT") == 0;
    }
    unload(r, root);
    return ok;
}

static bool read_channels(struct reader *r, const char *path)
{
    json_t *root = load_array(r, path, "channels");
    if (!root)
        return false;
    struct dbf__chat_log *log = r->log;
    bool ok = true;
    size_t i;
    json_t *c;
    json_array_foreach(root, i, c)
    {
        const char *id, *name;
        if (!json_is_object(c)) {
            ok = fail(r, i, "a channel must be an object");
            break;
        }
        if (!(ok = get_string(r, i, c, "id", &id) && get_string(r, i, c, "name", &name)))
            break;
        if (!id || !name)
            continue;
        if (log->channel_count == log->channel_cap) {
            size_t cap = log->channel_cap ? log->channel_cap * 2 : 16;
            const char **ids = realloc(log->channel_ids, cap * sizeof *ids);
            const char **names = ids ? realloc(log->channel_names, cap * sizeof *names) : NULL;
            if (ids)
                log->channel_ids = ids;
            if (!names) {
                ok = fail(r, i, "out of memory");
                break;
            }
            log->channel_names = names;
            log->channel_cap = cap;
        }
        log->channel_ids[log->channel_count] = id;
        log->channel_names[log->channel_count++] = name;
    }
    unload(r, root);
    return ok;
}

/* The person of a message from its user_profile, when users.json did not
 * name them. */
static bool profile_person(struct reader *r, size_t index, json_t *msg, const char *user)
{
    json_t *profile = json_object_get(msg, "user_profile");
    if (!user || !json_is_object(profile) || dbf__chat_log_find(r->log, user))
        return true;
    const char *name, *display, *real;
    if (!get_string(r, index, profile, "name", &name) ||
        !get_string(r, index, profile, "display_name", &display) ||
        !get_string(r, index, profile, "real_name", &real))
        return false;
    struct dbf__chat_person *p = dbf__chat_log_person(r->log);
    if (!p)
        return fail(r, index, "out of memory");
    p->id = user;
    p->names[0] = name;
    p->names[1] = display;
    p->names[2] = real;
    return true;
}

static bool read_files(struct reader *r, size_t index, json_t *msg, struct dbf__chat_message *m)
{
    json_t *files;
    if (!get_array(r, index, msg, "files", &files))
        return false;
    struct dbf_buf names;
    dbf_buf_init(&names, 0);
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        const char *title, *name, *mode;
        if (!json_is_object(f)) {
            dbf_buf_release(&names);
            return fail(r, index, "a file must be an object");
        }
        if (!get_string(r, index, f, "title", &title) || !get_string(r, index, f, "name", &name) ||
            !get_string(r, index, f, "mode", &mode)) {
            dbf_buf_release(&names);
            return false;
        }
        if (mode && strcmp(mode, "tombstone") == 0)
            continue;
        if (names.len)
            dbf_buf_adds(&names, ", ");
        dbf_buf_adds(&names, name && *name ? name : title && *title ? title : "a file");
    }
    if (names.len)
        m->files = dbf__arena_strndup(&r->log->arena, names.data, names.len);
    dbf_buf_release(&names);
    return true;
}

static bool read_reactions(struct reader *r, size_t index, json_t *msg, struct dbf__chat_message *m)
{
    json_t *reactions;
    if (!get_array(r, index, msg, "reactions", &reactions))
        return false;
    size_t n = json_array_size(reactions);
    if (!n)
        return true;
    m->reactions = dbf__arena_alloc(&r->log->arena, n * sizeof *m->reactions);
    size_t i;
    json_t *x;
    json_array_foreach(reactions, i, x)
    {
        const char *name;
        if (!json_is_object(x))
            return fail(r, index, "a reaction must be an object");
        if (!get_string(r, index, x, "name", &name))
            return false;
        if (name)
            m->reactions[m->reaction_count++] = name;
    }
    return true;
}

static struct dbf__chat_message *find_ts(struct dbf__chat_log *log, int64_t at_us)
{
    for (size_t i = log->count; i-- > 0;)
        if (log->messages[i].at_us == at_us)
            return &log->messages[i];
    return NULL;
}

static enum dbf__chat_drop subtype_drop(const char *subtype)
{
    static const char *const kept[] = {"thread_broadcast", "reply_broadcast", "file_share",
                                       "me_message", "file_comment"};
    static const char *const bots[] = {"bot_message", "bot_add",     "bot_remove",
                                       "bot_enable",  "bot_disable", "slackbot_response"};
    if (!subtype)
        return DBF_KEEP;
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (strcmp(subtype, kept[i]) == 0)
            return DBF_KEEP;
    for (size_t i = 0; i < sizeof bots / sizeof bots[0]; i++)
        if (strcmp(subtype, bots[i]) == 0)
            return DBF_DROP_BOT;
    if (strcmp(subtype, "tombstone") == 0)
        return DBF_DROP_DELETED;
    return DBF_DROP_SYSTEM;
}

static bool read_message(struct reader *r, size_t index, json_t *msg);

/* message_changed carries the edited message; message_deleted names the
 * one removed. The exports of Slack itself show edits in place, but
 * exports made through the API keep these events. */
static bool read_change(struct reader *r, size_t index, json_t *msg, const char *subtype)
{
    if (strcmp(subtype, "message_deleted") == 0) {
        const char *ts;
        int64_t at;
        if (!get_string(r, index, msg, "deleted_ts", &ts))
            return false;
        struct dbf__chat_message *old = ts && parse_ts(ts, &at) ? find_ts(r->log, at) : NULL;
        if (old)
            old->drop = DBF_DROP_DELETED;
        return true;
    }
    json_t *edited = json_object_get(msg, "message");
    if (!json_is_object(edited))
        return fail(r, index, "message_changed has no 'message' object");
    const char *ts, *text;
    int64_t at;
    if (!get_string(r, index, edited, "ts", &ts) || !get_string(r, index, edited, "text", &text))
        return false;
    struct dbf__chat_message *old = ts && parse_ts(ts, &at) ? find_ts(r->log, at) : NULL;
    if (!old)
        return read_message(r, index, edited);
    old->text = text ? text : "";
    old->edited = true;
    return true;
}

static bool read_message(struct reader *r, size_t index, json_t *msg)
{
    if (!json_is_object(msg))
        return fail(r, index, "a message must be an object");
    const char *type, *subtype, *ts, *user, *text, *thread_ts, *bot_id;
    if (!get_string(r, index, msg, "type", &type) ||
        !get_string(r, index, msg, "subtype", &subtype) || !get_string(r, index, msg, "ts", &ts) ||
        !get_string(r, index, msg, "user", &user) || !get_string(r, index, msg, "text", &text) ||
        !get_string(r, index, msg, "thread_ts", &thread_ts) ||
        !get_string(r, index, msg, "bot_id", &bot_id))
        return false;
    if (subtype &&
        (strcmp(subtype, "message_changed") == 0 || strcmp(subtype, "message_deleted") == 0))
        return read_change(r, index, msg, subtype);
    if (!ts)
        return fail(r, index, "a message has no 'ts'");
    int64_t at_us;
    if (!parse_ts(ts, &at_us))
        return fail(r, index, "'ts' must be epoch seconds such as \"1773151320.000200\", not '%s'",
                    ts);
    struct dbf__chat_message *m = dbf__chat_log_add(r->log);
    if (!m)
        return fail(r, index, "out of memory");
    m->at_us = at_us;
    m->user = user;
    m->text = text ? text : "";
    m->reply = thread_ts && strcmp(thread_ts, ts) != 0;
    m->edited = json_is_object(json_object_get(msg, "edited"));
    json_t *pinned;
    if (!get_array(r, index, msg, "pinned_to", &pinned))
        return false;
    m->pinned = json_array_size(pinned) > 0;
    m->drop = type && strcmp(type, "message") != 0 ? DBF_DROP_SYSTEM : subtype_drop(subtype);
    if (m->drop == DBF_KEEP && (bot_id || (user && strcmp(user, "USLACKBOT") == 0)))
        m->drop = DBF_DROP_BOT;
    return read_reactions(r, index, msg, m) && read_files(r, index, msg, m) &&
           profile_person(r, index, msg, user);
}

static bool daily_name(const char *name)
{
    static const char form[] = "0000-00-00.json";
    if (strlen(name) != sizeof form - 1)
        return false;
    for (size_t i = 0; form[i]; i++)
        if (form[i] == '0' ? (name[i] < '0' || name[i] > '9') : name[i] != form[i])
            return false;
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names {
    char **items;
    size_t count, cap;
};

static bool names_add(struct names *n, const char *s)
{
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 64;
        char **items = realloc(n->items, cap * sizeof *items);
        if (!items)
            return false;
        n->items = items;
        n->cap = cap;
    }
    return (n->items[n->count++] = strdup(s)) != NULL;
}

static void names_free(struct names *n)
{
    for (size_t i = 0; i < n->count; i++)
        free(n->items[i]);
    free(n->items);
}

/* The daily files of FOLDER, sorted; or the sub-folders when DAILY is false. */
static bool list_folder(const char *folder, bool daily, struct names *out)
{
    DIR *d = opendir(folder);
    if (!d)
        return false;
    struct dirent *e;
    bool ok = true;
    while (ok && (e = readdir(d))) {
        if (daily ? daily_name(e->d_name) : e->d_name[0] != '.') {
            if (!daily) {
                char path[4096];
                struct stat st;
                snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
                if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
                    continue;
            }
            ok = names_add(out, e->d_name);
        }
    }
    closedir(d);
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, by_name);
    return ok;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* "(a, b, c)" listing the channel folders of ROOT, for a message. */
static void channel_list(const char *root, char *out, size_t size)
{
    struct names folders = {0};
    list_folder(root, false, &folders);
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < folders.count && n + 1 < size; i++) {
        int w = snprintf(out + n, size - n, "%s%s", i ? ", " : "channels: ", folders.items[i]);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    if (!folders.count)
        snprintf(out, size, "no channel folders");
    names_free(&folders);
}

static char *parent_of(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return NULL;
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    char *slash = strrchr(p, '/');
    if (!slash)
        snprintf(p, n + 1, ".");
    else if (slash == p)
        p[1] = '\0';
    else
        *slash = '\0';
    return p;
}

static const char *base_of(struct dbf__arena *arena, const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return dbf__arena_strndup(arena, path + start, n - start);
}

static bool read_root_files(struct reader *r, const char *root)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/users.json", root);
    if (exists(path) && !read_people(r, path))
        return false;
    snprintf(path, sizeof path, "%s/org_users.json", root);
    if (exists(path) && !read_people(r, path))
        return false;
    snprintf(path, sizeof path, "%s/channels.json", root);
    if (exists(path) && !read_channels(r, path))
        return false;
    return true;
}

static bool read_day(struct reader *r, const char *path)
{
    json_t *root = load_array(r, path, "messages");
    if (!root)
        return false;
    bool ok = true;
    size_t i;
    json_t *msg;
    json_array_foreach(root, i, msg)
    {
        if (!(ok = read_message(r, i, msg)))
            break;
    }
    unload(r, root);
    return ok;
}

bool dbf__slack_read(const char *path, const char *channel, struct dbf__chat_log *log, char *err,
                     size_t errlen)
{
    struct reader r = {.path = path, .log = log, .err = err, .errlen = errlen};
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: cannot read the export: %s", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        /* One day's file: its folder is the channel, the folder above the root. */
        char *folder = parent_of(path);
        char *root = folder ? parent_of(folder) : NULL;
        bool ok = root && read_root_files(&r, root) && read_day(&r, path);
        if (ok)
            log->channel = base_of(&log->arena, folder);
        free(folder);
        free(root);
        return ok;
    }
    char *folder = NULL, *root = NULL;
    if (channel) {
        root = strdup(path);
        struct dbf_buf b;
        dbf_buf_init(&b, 0);
        dbf_buf_addf(&b, "%s/%s", path, channel);
        folder = dbf_buf_detach(&b, NULL);
    } else {
        folder = strdup(path);
        root = parent_of(path);
    }
    if (!folder || !root) {
        free(folder);
        free(root);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    bool ok = read_root_files(&r, root);
    if (ok && channel && !exists(folder)) {
        /* A channel id from channels.json names its folder. */
        for (size_t i = 0; i < log->channel_count; i++) {
            if (strcmp(log->channel_ids[i], channel) == 0) {
                struct dbf_buf b;
                dbf_buf_init(&b, 0);
                dbf_buf_addf(&b, "%s/%s", path, log->channel_names[i]);
                free(folder);
                folder = dbf_buf_detach(&b, NULL);
                break;
            }
        }
        if (!exists(folder)) {
            char list[1024];
            channel_list(path, list, sizeof list);
            snprintf(err, errlen, "%s: no channel '%s' in the Slack export (%s)", path, channel,
                     list);
            ok = false;
        }
    }
    struct names days = {0};
    if (ok && !list_folder(folder, true, &days)) {
        snprintf(err, errlen, "%s: cannot read the channel folder: %s", folder, strerror(errno));
        ok = false;
    }
    if (ok && days.count == 0) {
        char probe[4096];
        snprintf(probe, sizeof probe, "%s/channels.json", folder);
        bool is_root = exists(probe);
        snprintf(probe, sizeof probe, "%s/users.json", folder);
        is_root = is_root || exists(probe);
        if (is_root && !channel) {
            char list[1024];
            channel_list(folder, list, sizeof list);
            snprintf(err, errlen, "%s: a Slack export root; pick a channel with --channel (%s)",
                     folder, list);
        } else {
            snprintf(err, errlen,
                     "%s: no daily files (YYYY-MM-DD.json): not a Slack channel folder", folder);
        }
        ok = false;
    }
    for (size_t i = 0; ok && i < days.count; i++) {
        char day[4096];
        snprintf(day, sizeof day, "%s/%s", folder, days.items[i]);
        ok = read_day(&r, day);
    }
    if (ok)
        log->channel = base_of(&log->arena, folder);
    names_free(&days);
    free(folder);
    free(root);
    return ok;
}
