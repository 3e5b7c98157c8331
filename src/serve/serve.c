/* serve.c: `debrief serve`, the team server: its options and configuration
 * (flags, then DEBRIEF_* environment variables, then a YAML file), and the
 * store it opens before it listens. */
#include "serve.h"
#include "../cli.h"

#include "debrief/lint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

static const char usage_text[] =
    "usage: debrief serve [--listen ADDR:PORT] [--db URL] [--config FILE] [OPTIONS]\n"
    "\n"
    "Serves the web app and the JSON API until SIGTERM or SIGINT, then\n"
    "finishes the requests in flight and exits 0.\n"
    "\n"
    "  -l, --listen ADDR:PORT      address to listen on (default 127.0.0.1:8080;\n"
    "                              [::1]:8080 for IPv6)\n"
    "      --db URL                database (default sqlite:debrief.db;\n"
    "                              postgres://... for PostgreSQL)\n"
    "      --config FILE           read settings from a YAML file whose keys are\n"
    "                              these long options (listen: ..., approvals: 2)\n"
    "      --review-hours N        hours in review before publishing (default 24)\n"
    "      --approvals N           approvals needed to publish (default 1)\n"
    "      --review-same-team      let a reviewer of the owner team approve\n"
    "                              (default: the approval must come from another team)\n"
    "      --cookie-secure         mark the session cookie Secure (behind TLS)\n"
    "      --session-hours N       how long a sign-in lasts (default 168)\n"
    "      --proxy-user-header NAME  trust this header (e.g. X-Remote-User) to name\n"
    "                              the user, from a --trusted-proxy only\n"
    "      --trusted-proxy ADDR    an address allowed to send that header\n"
    "                              (repeatable, up to 8)\n"
    "      --lint-config FILE      review with this .debrief.yml (rule severities,\n"
    "                              options, acronyms, teams, patterns) everywhere:\n"
    "                              pages, scores, the API's lint and patterns\n"
    "      --cache-mb N            memory for rendered reports and reviews kept\n"
    "                              between requests (default 64, shared out among\n"
    "                              the threads; 0: none)\n"
    "      --threads N             event loop threads, each with its own database\n"
    "                              connection (default: one per core)\n"
    "      --test-clock            enable POST /api/v1/test/clock (for tests only)\n"
    "  -h, --help                  show this help\n"
    "\n"
    "Environment: DEBRIEF_LISTEN, DEBRIEF_DB, DEBRIEF_CONFIG, DEBRIEF_REVIEW_HOURS,\n"
    "DEBRIEF_APPROVALS, DEBRIEF_REVIEW_SAME_TEAM, DEBRIEF_COOKIE_SECURE,\n"
    "DEBRIEF_SESSION_HOURS, DEBRIEF_PROXY_USER_HEADER, DEBRIEF_TRUSTED_PROXY\n"
    "(addresses separated by commas), DEBRIEF_LINT_CONFIG, DEBRIEF_CACHE_MB,\n"
    "DEBRIEF_THREADS and\n"
    "DEBRIEF_TEST_CLOCK set the same (switches take 1/true/yes or 0/false/no).\n"
    "Options win over the environment, which wins over the file.\n"
    "Routes: the web app (/, /postmortems, /actions, /patterns, /feed.atom, ...;\n"
    "the first visit creates the admin), /api/v1/... (JSON), /healthz,\n"
    "/metrics (Prometheus).\n"
    "One JSON line per request is logged on standard error.\n"
    "\n"
    "Exit status: 0 after a clean shutdown, 2 when the configuration is wrong, the\n"
    "database cannot be opened or the address cannot be used.\n";

/* The settings, by the name of their long option (also their key in the
 * file; the environment variable is DEBRIEF_ and the name in capitals). */
enum setting_key {
    SET_LISTEN,
    SET_DB,
    SET_REVIEW_HOURS,
    SET_APPROVALS,
    SET_REVIEW_SAME_TEAM,
    SET_COOKIE_SECURE,
    SET_SESSION_HOURS,
    SET_PROXY_USER_HEADER,
    SET_TRUSTED_PROXY,
    SET_TEST_CLOCK,
    SET_LINT_CONFIG,
    SET_CACHE_MB,
    SET_THREADS,
    SET_COUNT
};

static const struct {
    const char *name, *env;
    bool is_switch;
} settings[SET_COUNT] = {
    [SET_LISTEN] = {"listen", "DEBRIEF_LISTEN", false},
    [SET_DB] = {"db", "DEBRIEF_DB", false},
    [SET_REVIEW_HOURS] = {"review-hours", "DEBRIEF_REVIEW_HOURS", false},
    [SET_APPROVALS] = {"approvals", "DEBRIEF_APPROVALS", false},
    [SET_REVIEW_SAME_TEAM] = {"review-same-team", "DEBRIEF_REVIEW_SAME_TEAM", true},
    [SET_COOKIE_SECURE] = {"cookie-secure", "DEBRIEF_COOKIE_SECURE", true},
    [SET_SESSION_HOURS] = {"session-hours", "DEBRIEF_SESSION_HOURS", false},
    [SET_PROXY_USER_HEADER] = {"proxy-user-header", "DEBRIEF_PROXY_USER_HEADER", false},
    [SET_TRUSTED_PROXY] = {"trusted-proxy", "DEBRIEF_TRUSTED_PROXY", false},
    [SET_TEST_CLOCK] = {"test-clock", "DEBRIEF_TEST_CLOCK", true},
    [SET_LINT_CONFIG] = {"lint-config", "DEBRIEF_LINT_CONFIG", false},
    [SET_CACHE_MB] = {"cache-mb", "DEBRIEF_CACHE_MB", false},
    [SET_THREADS] = {"threads", "DEBRIEF_THREADS", false},
};

/* The settings one source gives: the flags, the environment or the file.
 * NULL for a setting it does not give. */
struct layer {
    const char *where; /* "--", "DEBRIEF_" or the file's name, for messages */
    const char *values[SET_COUNT];
    const char *proxies[SERVE_MAX_PROXIES];
    size_t proxy_count;
    char *owned[SET_COUNT + SERVE_MAX_PROXIES]; /* copies made from the file */
    size_t owned_count;
};

static void layer_release(struct layer *layer)
{
    for (size_t i = 0; i < layer->owned_count; i++)
        free(layer->owned[i]);
    layer->owned_count = 0;
}

/* Names setting KEY as LAYER spells it, for messages. */
static void setting_label(const struct layer *layer, enum setting_key key, char *out, size_t size)
{
    if (strcmp(layer->where, "--") == 0)
        snprintf(out, size, "--%s", settings[key].name);
    else if (strcmp(layer->where, "DEBRIEF_") == 0)
        snprintf(out, size, "environment variable %s", settings[key].env);
    else
        snprintf(out, size, "'%s' in %s", settings[key].name, layer->where);
}

static bool add_proxy(struct layer *layer, const char *address)
{
    if (layer->proxy_count == SERVE_MAX_PROXIES) {
        cli_error("at most %d trusted proxies can be given", SERVE_MAX_PROXIES);
        return false;
    }
    layer->proxies[layer->proxy_count++] = address;
    return true;
}

/* ---- The file ---- */

static const char *scalar_of(yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

static char *keep(struct layer *layer, const char *text)
{
    char *copy = strdup(text);
    if (copy)
        layer->owned[layer->owned_count++] = copy;
    return copy;
}

/* One "key: value" of the file into LAYER; false after printing why not. */
static bool read_file_setting(struct layer *layer, yaml_document_t *doc, yaml_node_t *k,
                              yaml_node_t *v)
{
    const char *name = scalar_of(k);
    enum setting_key key = SET_COUNT;
    for (int i = 0; name && i < SET_COUNT; i++) {
        if (strcmp(settings[i].name, name) == 0)
            key = (enum setting_key)i;
    }
    if (key == SET_COUNT) {
        cli_error("%s, line %lu: unknown setting '%s' (the keys are serve's long options, like "
                  "'approvals')",
                  layer->where, (unsigned long)k->start_mark.line + 1, name ? name : "?");
        return false;
    }
    if (key == SET_TRUSTED_PROXY && v->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
             it++) {
            const char *address = scalar_of(yaml_document_get_node(doc, *it));
            if (!address) {
                cli_error("%s, line %lu: 'trusted-proxy' must be an address or a list of them",
                          layer->where, (unsigned long)v->start_mark.line + 1);
                return false;
            }
            const char *copy = keep(layer, address);
            if (!copy || !add_proxy(layer, copy))
                return false;
        }
        return true;
    }
    const char *value = scalar_of(v);
    if (!value) {
        cli_error("%s, line %lu: '%s' takes a single value", layer->where,
                  (unsigned long)v->start_mark.line + 1, name);
        return false;
    }
    if (layer->values[key]) {
        cli_error("%s, line %lu: '%s' is given twice", layer->where,
                  (unsigned long)k->start_mark.line + 1, name);
        return false;
    }
    const char *copy = keep(layer, value);
    if (!copy)
        return false;
    if (key == SET_TRUSTED_PROXY)
        return add_proxy(layer, copy);
    layer->values[key] = copy;
    return true;
}

/* Reads the YAML file PATH into LAYER; false after printing why not. */
static bool read_file(struct layer *layer, const char *path)
{
    layer->where = path;
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error("cannot read the configuration %s: %s", path, strerror(errno));
        return false;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    bool ok = yaml_parser_load(&parser, &doc) != 0;
    if (!ok) {
        cli_error("%s, line %lu: not valid YAML: %s", path,
                  (unsigned long)parser.problem_mark.line + 1,
                  parser.problem ? parser.problem : "unreadable");
        yaml_parser_delete(&parser);
        fclose(f);
        return false;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && root->type != YAML_MAPPING_NODE) {
        cli_error("%s: the configuration must be a mapping of settings (approvals: 2, ...)", path);
        ok = false;
    }
    for (yaml_node_pair_t *p = root && ok ? root->data.mapping.pairs.start : NULL;
         p && p < root->data.mapping.pairs.top && ok; p++) {
        ok = read_file_setting(layer, &doc, yaml_document_get_node(&doc, p->key),
                               yaml_document_get_node(&doc, p->value));
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return ok;
}

/* ---- The environment ---- */

static bool read_environment(struct layer *layer, char **proxy_list)
{
    layer->where = "DEBRIEF_";
    for (int i = 0; i < SET_COUNT; i++) {
        const char *value = getenv(settings[i].env);
        if (!value || !*value)
            continue;
        if (i != SET_TRUSTED_PROXY) {
            layer->values[i] = value;
            continue;
        }
        *proxy_list = strdup(value);
        if (!*proxy_list) {
            cli_error("out of memory");
            return false;
        }
        char *save = NULL;
        for (char *tok = strtok_r(*proxy_list, ", \t", &save); tok;
             tok = strtok_r(NULL, ", \t", &save)) {
            if (!add_proxy(layer, tok))
                return false;
        }
    }
    return true;
}

/* ---- Values ---- */

static bool parse_switch(const char *text, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool parse_number(const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (!(text[0] >= '0' && text[0] <= '9') || *end != '\0' || errno || n < min || n > max)
        return false;
    *out = n;
    return true;
}

/* A header name: letters, digits and '-', stored in lower case as
 * request_header() looks it up. */
static char *header_name(const char *text)
{
    size_t len = strlen(text);
    if (len == 0 || len > 64)
        return NULL;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok) {
            free(out);
            return NULL;
        }
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[len] = '\0';
    return out;
}

/* An IPv4 or IPv6 address in the form request_peer() writes it. */
static char *canonical_address(const char *text)
{
    unsigned char bytes[sizeof(struct in6_addr)];
    char out[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, text, bytes) == 1)
        inet_ntop(AF_INET, bytes, out, sizeof out);
    else if (inet_pton(AF_INET6, text, bytes) == 1)
        inet_ntop(AF_INET6, bytes, out, sizeof out);
    else
        return NULL;
    return strdup(out);
}

/* What the server runs with, and what it must free. */
struct config {
    const char *listen, *db;
    const char *lint_config; /* a .debrief.yml, or NULL */
    struct serve_config serve;
    size_t cache_mb;                  /* the page cache's budget in MiB (0: off) */
    size_t threads;                   /* event loop threads */
    char *header;                     /* proxy_user_header, owned */
    char *proxies[SERVE_MAX_PROXIES]; /* trusted_proxies, owned */
};

static void config_release(struct config *c)
{
    free(c->header);
    for (size_t i = 0; i < c->serve.trusted_proxy_count; i++)
        free(c->proxies[i]);
}

/* The value of KEY from the first of LAYERS that gives it, and that layer. */
static const char *pick(struct layer *const *layers, enum setting_key key,
                        const struct layer **from)
{
    for (size_t i = 0; i < 3; i++) {
        if (layers[i]->values[key]) {
            *from = layers[i];
            return layers[i]->values[key];
        }
    }
    *from = NULL;
    return NULL;
}

static bool bad_value(const struct layer *from, enum setting_key key, const char *value,
                      const char *should)
{
    char label[160];
    setting_label(from, key, label, sizeof label);
    cli_error("%s takes %s, not '%s'", label, should, value);
    return false;
}

/* One event loop thread per core the process may run on. */
static size_t default_threads(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > SERVE_MAX_THREADS ? SERVE_MAX_THREADS : (size_t)cores;
}

/* Merges LAYERS (flags, environment, file) into OUT; false after printing
 * what is wrong. */
static bool resolve(struct layer *const *layers, struct config *out)
{
    *out = (struct config){
        .listen = "127.0.0.1:8080",
        .db = "sqlite:debrief.db",
        .cache_mb = 64,
        .threads = default_threads(),
        .serve = {.review_seconds = 24 * 3600,
                  .review_other_team = true,
                  .approvals_needed = 1,
                  .session_seconds = 168 * 3600},
    };
    const struct layer *from;
    const char *v;
    if ((v = pick(layers, SET_LISTEN, &from)))
        out->listen = v;
    if ((v = pick(layers, SET_LINT_CONFIG, &from))) {
        if (!*v)
            return bad_value(from, SET_LINT_CONFIG, v, "the path of a .debrief.yml");
        out->lint_config = v;
    }
    if ((v = pick(layers, SET_DB, &from))) {
        if (!*v)
            return bad_value(from, SET_DB, v,
                             "a database URL like sqlite:debrief.db or postgres://host/db");
        out->db = v;
    }
    long n;
    if ((v = pick(layers, SET_CACHE_MB, &from))) {
        if (!parse_number(v, 0, 1L << 20, &n))
            return bad_value(from, SET_CACHE_MB, v, "a whole number of MiB (0 turns caching off)");
        out->cache_mb = (size_t)n;
    }
    if ((v = pick(layers, SET_THREADS, &from))) {
        if (!parse_number(v, 1, SERVE_MAX_THREADS, &n))
            return bad_value(from, SET_THREADS, v, "a whole number from 1 to 256");
        out->threads = (size_t)n;
    }
    if ((v = pick(layers, SET_REVIEW_HOURS, &from))) {
        if (!parse_number(v, 0, 24L * 366 * 10, &n))
            return bad_value(from, SET_REVIEW_HOURS, v, "a whole number of hours (0 or more)");
        out->serve.review_seconds = (int64_t)n * 3600;
    }
    if ((v = pick(layers, SET_APPROVALS, &from))) {
        if (!parse_number(v, 0, 100, &n))
            return bad_value(from, SET_APPROVALS, v, "a whole number from 0 to 100");
        out->serve.approvals_needed = (int)n;
    }
    if ((v = pick(layers, SET_SESSION_HOURS, &from))) {
        if (!parse_number(v, 1, 24L * 366 * 10, &n))
            return bad_value(from, SET_SESSION_HOURS, v, "a whole number of hours (1 or more)");
        out->serve.session_seconds = (int64_t)n * 3600;
    }
    bool on;
    if ((v = pick(layers, SET_REVIEW_SAME_TEAM, &from))) {
        if (!parse_switch(v, &on))
            return bad_value(from, SET_REVIEW_SAME_TEAM, v, "true or false");
        out->serve.review_other_team = !on;
    }
    if ((v = pick(layers, SET_COOKIE_SECURE, &from))) {
        if (!parse_switch(v, &on))
            return bad_value(from, SET_COOKIE_SECURE, v, "true or false");
        out->serve.cookie_secure = on;
    }
    if ((v = pick(layers, SET_TEST_CLOCK, &from))) {
        if (!parse_switch(v, &on))
            return bad_value(from, SET_TEST_CLOCK, v, "true or false");
        out->serve.test_clock = on;
    }
    if ((v = pick(layers, SET_PROXY_USER_HEADER, &from))) {
        out->header = header_name(v);
        if (!out->header)
            return bad_value(from, SET_PROXY_USER_HEADER, v,
                             "a header name of letters, digits and '-' (like X-Remote-User)");
        out->serve.proxy_user_header = out->header;
    }
    for (size_t i = 0; i < 3; i++) {
        if (layers[i]->proxy_count == 0)
            continue;
        for (size_t k = 0; k < layers[i]->proxy_count; k++) {
            char *address = canonical_address(layers[i]->proxies[k]);
            if (!address)
                return bad_value(layers[i], SET_TRUSTED_PROXY, layers[i]->proxies[k],
                                 "an IP address (like 10.0.0.5 or ::1)");
            out->proxies[k] = address;
            out->serve.trusted_proxies[k] = address;
            out->serve.trusted_proxy_count = k + 1;
        }
        break;
    }
    if (out->serve.proxy_user_header && out->serve.trusted_proxy_count == 0) {
        cli_error("--proxy-user-header needs at least one --trusted-proxy ADDR to trust it from");
        return false;
    }
    return true;
}

/* The lint configuration read from PATH (the defaults when NULL); NULL
 * with *OK false after printing why when the file is wrong. */
static struct dbf_config *lint_config_load(const char *path, bool *ok)
{
    struct dbf_config *lint = dbf_config_new();
    char err[512];
    if (lint && path && !dbf_config_load(lint, path, err, sizeof err)) {
        cli_error("%s", err);
        dbf_config_free(lint);
        *ok = false;
        return NULL;
    }
    return lint;
}

/* The database URL without its password, for logs and /healthz: the
 * password of "scheme://user:password@host" and the value of a
 * "password=" parameter become "***". */
static char *shown_url(const char *url)
{
    size_t len = strlen(url);
    char *out = malloc(len + 8);
    if (!out)
        return NULL;
    size_t n = 0;
    const char *p = url;
    const char *scheme = strstr(url, "://");
    if (scheme) {
        const char *auth = scheme + 3;
        size_t auth_len = strcspn(auth, "/?#");
        const char *at = memchr(auth, '@', auth_len);
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            memcpy(out, url, (size_t)(colon + 1 - url));
            n = (size_t)(colon + 1 - url);
            memcpy(out + n, "***", 3);
            n += 3;
            p = at;
        }
    }
    const char *pw = strstr(p, "password=");
    if (pw) {
        size_t head = (size_t)(pw + 9 - p);
        memcpy(out + n, p, head);
        n += head;
        memcpy(out + n, "***", 3);
        n += 3;
        p = pw + 9 + strcspn(pw + 9, "&");
    }
    size_t rest = strlen(p);
    if (n + rest + 1 > len + 8) {
        free(out);
        return strdup("(hidden)");
    }
    memcpy(out + n, p, rest + 1);
    return out;
}

int cmd_serve(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_CONFIG, OPT_BASE };
    static const struct option options[] = {
        {"listen", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, OPT_DB},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"review-hours", required_argument, NULL, OPT_BASE + SET_REVIEW_HOURS},
        {"approvals", required_argument, NULL, OPT_BASE + SET_APPROVALS},
        {"review-same-team", no_argument, NULL, OPT_BASE + SET_REVIEW_SAME_TEAM},
        {"cookie-secure", no_argument, NULL, OPT_BASE + SET_COOKIE_SECURE},
        {"session-hours", required_argument, NULL, OPT_BASE + SET_SESSION_HOURS},
        {"proxy-user-header", required_argument, NULL, OPT_BASE + SET_PROXY_USER_HEADER},
        {"trusted-proxy", required_argument, NULL, OPT_BASE + SET_TRUSTED_PROXY},
        {"test-clock", no_argument, NULL, OPT_BASE + SET_TEST_CLOCK},
        {"lint-config", required_argument, NULL, OPT_BASE + SET_LINT_CONFIG},
        {"cache-mb", required_argument, NULL, OPT_BASE + SET_CACHE_MB},
        {"threads", required_argument, NULL, OPT_BASE + SET_THREADS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct layer flags = {.where = "--"}, env = {0}, file = {0};
    const char *config_path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":l:h", options, NULL)) != -1) {
        if (c == 'l') {
            flags.values[SET_LISTEN] = optarg;
        } else if (c == OPT_DB) {
            flags.values[SET_DB] = optarg;
        } else if (c == OPT_CONFIG) {
            config_path = optarg;
        } else if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        } else if (c == OPT_BASE + SET_TRUSTED_PROXY) {
            if (!add_proxy(&flags, optarg))
                return EXIT_USAGE;
        } else if (c >= OPT_BASE && c < OPT_BASE + SET_COUNT) {
            flags.values[c - OPT_BASE] = settings[c - OPT_BASE].is_switch ? "true" : optarg;
        } else {
            return cli_option_error(c, argv, usage_text);
        }
    }
    if (optind < argc) {
        cli_error("'serve' takes no arguments, not '%s'", argv[optind]);
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (!config_path) {
        const char *from_env = getenv("DEBRIEF_CONFIG");
        config_path = from_env && *from_env ? from_env : NULL;
    }
    char *env_proxies = NULL;
    struct config config = {0};
    bool ok = read_environment(&env, &env_proxies);
    if (ok && config_path)
        ok = read_file(&file, config_path);
    else
        file.where = "the configuration";
    struct layer *const layers[3] = {&flags, &env, &file};
    ok = ok && resolve(layers, &config);
    /* The values of listen and db point into argv, the environment or the
     * file's copies: copied before the file's are freed. */
    char *listen = ok ? strdup(config.listen) : NULL, *db = ok ? strdup(config.db) : NULL;
    char *lint_path = ok && config.lint_config ? strdup(config.lint_config) : NULL;
    struct dbf_config *lint = ok ? lint_config_load(config.lint_config, &ok) : NULL;
    layer_release(&file);
    free(env_proxies);
    if (!ok) {
        free(listen);
        free(db);
        free(lint_path);
        dbf_config_free(lint);
        config_release(&config);
        return EXIT_USAGE;
    }
    char *db_shown = db ? shown_url(db) : NULL;
    if (!listen || !db || !db_shown || !lint || (config.lint_config && !lint_path) ||
        sodium_init() < 0) {
        cli_error("out of memory");
        free(listen);
        free(db);
        free(lint_path);
        free(db_shown);
        dbf_config_free(lint);
        config_release(&config);
        return EXIT_USAGE;
    }
    struct serve_app app = {
        .listen = listen,
        .db = db_shown,
        .db_url = db,
        .started = time(NULL),
        .metrics = metrics_new(),
        .config = config.serve,
        .lint = lint,
        .pages = page_cache_new((config.cache_mb << 20) / config.threads),
        .threads = config.threads,
        .cache_bytes = (config.cache_mb << 20) / config.threads,
        .lint_config_path = lint_path,
    };
    int status = EXIT_USAGE;
    if (app.metrics && (app.pages || config.cache_mb == 0))
        status = server_run(&app);
    else
        cli_error("out of memory");
    metrics_free(app.metrics);
    page_cache_free(app.pages);
    dbf_config_free(lint);
    free(listen);
    free(db);
    free(db_shown);
    free(lint_path);
    config_release(&config);
    return status;
}
