/* roles.c: the YAML map of people to roles ("alice: on-call engineer").
 *
 * The timeline names roles, not people (DESIGN.md §2, timeline/names-not-roles):
 * a person the map does not name is "a responder". Keys match a person's id
 * or any of their names, ignoring case and a leading '@'. */
#include "chat.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define ROLES_MAX_SIZE ((size_t)1 << 20)

static const char unmapped[] = "a responder";

void dbf__roles_init(struct dbf__roles *roles)
{
    memset(roles, 0, sizeof *roles);
    dbf__arena_init(&roles->arena);
}

void dbf__roles_release(struct dbf__roles *roles)
{
    free(roles->keys);
    free(roles->roles);
    dbf__arena_release(&roles->arena);
    memset(roles, 0, sizeof *roles);
}

static char *trimmed(struct dbf__arena *arena, const char *s, size_t len, bool key)
{
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (key && len && *s == '@') {
        s++;
        len--;
    }
    char *out = dbf__arena_strndup(arena, s, len);
    if (key)
        for (char *p = out; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    return out;
}

/* "on-call engineer" reads "the on-call engineer"; a role that brings its
 * own article ("an SRE", "the IC") is kept as written. */
static char *phrase(struct dbf__arena *arena, const char *role)
{
    static const char *const articles[] = {"the ", "a ", "an "};
    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++)
        if (strncasecmp(role, articles[i], strlen(articles[i])) == 0)
            return dbf__arena_strdup(arena, role);
    return dbf__arena_printf(arena, "the %s", role);
}

static bool add(struct dbf__roles *roles, const char *key, const char *role)
{
    if (roles->count == roles->cap) {
        size_t cap = roles->cap ? roles->cap * 2 : 16;
        const char **k = realloc(roles->keys, cap * sizeof *k);
        if (!k)
            return false;
        roles->keys = k;
        const char **r = realloc(roles->roles, cap * sizeof *r);
        if (!r)
            return false;
        roles->roles = r;
        roles->cap = cap;
    }
    roles->keys[roles->count] = key;
    roles->roles[roles->count] = role;
    roles->count++;
    return true;
}

static const char *event_what(yaml_event_type_t type)
{
    switch (type) {
    case YAML_SEQUENCE_START_EVENT:
        return "a list";
    case YAML_MAPPING_START_EVENT:
        return "a map";
    case YAML_ALIAS_EVENT:
        return "an alias";
    default:
        return "not text";
    }
}

static bool parse_map(struct dbf__roles *roles, yaml_parser_t *parser, const char *path, char *err,
                      size_t errlen)
{
    yaml_event_t ev;
    bool ok = true, in_map = false, done = false;
    const char *key = NULL;
    while (ok && !done) {
        if (!yaml_parser_parse(parser, &ev)) {
            snprintf(err, errlen, "%s:%zu: %s", path, parser->problem_mark.line + 1,
                     parser->problem ? parser->problem : "not valid YAML");
            return false;
        }
        size_t line = ev.start_mark.line + 1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_MAPPING_START_EVENT:
            if (in_map) {
                if (key)
                    snprintf(err, errlen, "%s:%zu: the role of '%s' is a map; write it as text",
                             path, line, key);
                ok = false;
            }
            in_map = true;
            break;
        case YAML_MAPPING_END_EVENT:
            in_map = false;
            break;
        case YAML_SCALAR_EVENT: {
            const char *text = (const char *)ev.data.scalar.value;
            size_t len = ev.data.scalar.length;
            if (!in_map) {
                /* An empty file, or "~": no roles. */
                if (len && strcmp(text, "~") != 0 && strcmp(text, "null") != 0) {
                    snprintf(err, errlen,
                             "%s:%zu: expected a map of people to roles (alice: on-call engineer)",
                             path, line);
                    ok = false;
                }
            } else if (!key) {
                key = trimmed(&roles->arena, text, len, true);
                if (!*key) {
                    snprintf(err, errlen, "%s:%zu: a person's name is empty", path, line);
                    ok = false;
                }
            } else {
                const char *role = trimmed(&roles->arena, text, len, false);
                if (!*role) {
                    snprintf(err, errlen, "%s:%zu: the role of '%s' is empty", path, line, key);
                    ok = false;
                } else if (!add(roles, key, phrase(&roles->arena, role))) {
                    snprintf(err, errlen, "%s: out of memory", path);
                    ok = false;
                }
                key = NULL;
            }
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_ALIAS_EVENT:
            if (in_map && key)
                snprintf(err, errlen, "%s:%zu: the role of '%s' is %s; write it as text", path,
                         line, key, event_what(ev.type));
            else
                snprintf(err, errlen,
                         "%s:%zu: expected a map of people to roles (alice: on-call engineer)",
                         path, line);
            ok = false;
            break;
        default:
            break;
        }
        if (!ok && !err[0])
            snprintf(err, errlen,
                     "%s:%zu: expected a map of people to roles (alice: on-call engineer)", path,
                     line);
        yaml_event_delete(&ev);
    }
    return ok;
}

bool dbf__roles_load(struct dbf__roles *roles, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read the roles map: %s", path, strerror(errno));
        return false;
    }
    char *data = malloc(ROLES_MAX_SIZE + 1);
    size_t size = data ? fread(data, 1, ROLES_MAX_SIZE + 1, f) : 0;
    fclose(f);
    if (!data || size > ROLES_MAX_SIZE) {
        free(data);
        snprintf(err, errlen, "%s: the roles map is too large", path);
        return false;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(data);
        snprintf(err, errlen, "%s: out of memory", path);
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
    err[0] = '\0';
    bool ok = parse_map(roles, &parser, path, err, errlen);
    yaml_parser_delete(&parser);
    free(data);
    return ok;
}

static const char *lookup(const struct dbf__roles *roles, const char *name)
{
    if (!name || !*name)
        return NULL;
    if (*name == '@')
        name++;
    for (size_t i = 0; i < roles->count; i++)
        if (strcasecmp(roles->keys[i], name) == 0)
            return roles->roles[i];
    return NULL;
}

const char *dbf__roles_phrase(const struct dbf__roles *roles, const struct dbf__chat_log *log,
                              const char *id)
{
    if (!roles || !id)
        return unmapped;
    const char *role = lookup(roles, id);
    if (role)
        return role;
    const struct dbf__chat_person *p = log ? dbf__chat_log_find(log, id) : NULL;
    for (size_t i = 0; p && !role && i < sizeof p->names / sizeof p->names[0]; i++)
        role = lookup(roles, p->names[i]);
    return role ? role : unmapped;
}
