/* config.c: defaults, `.debrief.yml` reading and discovery.
 *
 * The file is a mapping with four keys: `rules` (rule id → severity name,
 * or a mapping of `severity` and the rule's options), `acronyms` and `teams`
 * (lists), and `patterns` (the taxonomy of `debrief patterns`). Anything
 * else is an error with its line, so that a typo does not silently leave a
 * rule on. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

struct dbf_config *dbf_config_new(void)
{
    struct dbf_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->options = calloc(dbf__option_count ? dbf__option_count : 1, sizeof *c->options);
    if (!c->options) {
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < DBF_RULE_COUNT; i++)
        c->severity[i] = dbf_rule_at(i)->severity;
    for (size_t i = 0; i < dbf__option_count; i++)
        c->options[i] = dbf__options[i].value;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    c->today = (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return c;
}

void dbf_config_free(struct dbf_config *config)
{
    if (!config)
        return;
    for (size_t i = 0; i < config->acronym_count; i++)
        free(config->acronyms[i]);
    for (size_t i = 0; i < config->team_count; i++)
        free(config->teams[i]);
    free(config->acronyms);
    free(config->teams);
    free(config->options);
    for (size_t i = 0; i < config->patterns.category_count; i++) {
        struct dbf_config_category *cat = &config->categories[i];
        free((char *)(uintptr_t)cat->id);
        free((char *)(uintptr_t)cat->name);
        free((char *)(uintptr_t)cat->meaning);
        for (size_t j = 0; j < cat->word_count; j++)
            free((char *)(uintptr_t)cat->words[j]);
        for (size_t j = 0; j < cat->ignore_count; j++)
            free((char *)(uintptr_t)cat->ignore[j]);
        free((void *)(uintptr_t)cat->words);
        free((void *)(uintptr_t)cat->ignore);
    }
    free(config->categories);
    free(config);
}

const struct dbf_config_patterns *dbf_config_patterns(const struct dbf_config *config)
{
    static const struct dbf_config_patterns none;
    return config ? &config->patterns : &none;
}

static int rule_index(const char *id)
{
    const struct dbf_rule_info *r = dbf_rule_find(id);
    return r ? (int)(r - dbf_rule_at(0)) : -1;
}

bool dbf_config_set_severity(struct dbf_config *config, const char *rule, enum dbf_severity sev)
{
    int i = rule_index(rule);
    if (i < 0)
        return false;
    config->severity[i] = sev;
    return true;
}

bool dbf_config_set_option(struct dbf_config *config, const char *rule, const char *option,
                           long value)
{
    int r = rule_index(rule);
    for (size_t i = 0; r >= 0 && i < dbf__option_count; i++) {
        if ((int)dbf__options[i].rule == r && strcmp(dbf__options[i].name, option) == 0) {
            config->options[i] = value;
            return true;
        }
    }
    return false;
}

long dbf_config_option(const struct dbf_config *config, const char *rule, const char *option)
{
    int r = rule_index(rule);
    for (size_t i = 0; r >= 0 && i < dbf__option_count; i++)
        if ((int)dbf__options[i].rule == r && strcmp(dbf__options[i].name, option) == 0)
            return config ? config->options[i] : dbf__options[i].value;
    return -1;
}

void dbf_config_set_today(struct dbf_config *config, struct dbf_date today)
{
    config->today = today;
}

static void push(char ***arr, size_t *count, size_t *cap, const char *s)
{
    if (*count == *cap) {
        size_t n = *cap ? *cap * 2 : 8;
        char **grown = realloc(*arr, n * sizeof *grown);
        if (!grown)
            return;
        *arr = grown;
        *cap = n;
    }
    char *copy = strdup(s);
    if (copy)
        (*arr)[(*count)++] = copy;
}

void dbf_config_allow_acronym(struct dbf_config *config, const char *acronym)
{
    push(&config->acronyms, &config->acronym_count, &config->acronym_cap, acronym);
}

void dbf_config_add_team(struct dbf_config *config, const char *team)
{
    push(&config->teams, &config->team_count, &config->team_cap, team);
}

/* Reading the file. */

struct reader {
    struct dbf_config *config;
    yaml_document_t *yaml;
    const char *path;
    char *err;
    size_t errlen;
};

static bool fail(struct reader *r, yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct reader *r, yaml_node_t *node, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errlen, "%s:%d: %s", r->path, node ? (int)node->start_mark.line + 1 : 1,
             msg);
    return false;
}

static const char *text_of(yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

static bool read_list(struct reader *r, yaml_node_t *node, bool teams)
{
    if (node->type == YAML_SCALAR_NODE) {
        if (node->data.scalar.length)
            (teams ? dbf_config_add_team : dbf_config_allow_acronym)(r->config, text_of(node));
        return true;
    }
    if (node->type != YAML_SEQUENCE_NODE)
        return fail(r, node, "'%s' must be a list", teams ? "teams" : "acronyms");
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top;
         it++) {
        const char *s = text_of(yaml_document_get_node(r->yaml, *it));
        if (!s)
            return fail(r, yaml_document_get_node(r->yaml, *it), "'%s' must be a list of words",
                        teams ? "teams" : "acronyms");
        (teams ? dbf_config_add_team : dbf_config_allow_acronym)(r->config, s);
    }
    return true;
}

static bool set_severity_text(struct reader *r, yaml_node_t *node, const char *rule)
{
    const char *s = text_of(node);
    enum dbf_severity sev;
    if (s && (strcasecmp(s, "on") == 0 || strcasecmp(s, "true") == 0)) {
        sev = dbf_rule_find(rule)->severity;
    } else if (!s || !dbf_severity_parse(s, &sev)) {
        return fail(r, node, "severity must be off, info, warning or error, not '%s'",
                    s ? s : "a list");
    }
    dbf_config_set_severity(r->config, rule, sev);
    return true;
}

static bool read_rules(struct reader *r, yaml_node_t *node)
{
    if (node->type != YAML_MAPPING_NODE)
        return fail(r, node, "'%s' must map rule ids to settings", "rules");
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(r->yaml, p->key);
        yaml_node_t *v = yaml_document_get_node(r->yaml, p->value);
        const char *rule = text_of(k);
        if (!rule || !dbf_rule_find(rule))
            return fail(r, k, "unknown rule '%s' (see 'debrief rules')", rule ? rule : "?");
        if (v->type == YAML_SCALAR_NODE) {
            if (!set_severity_text(r, v, rule))
                return false;
            continue;
        }
        if (v->type != YAML_MAPPING_NODE)
            return fail(r, v, "settings of '%s' must be a severity or a mapping", rule);
        for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
             q++) {
            yaml_node_t *ok = yaml_document_get_node(r->yaml, q->key);
            yaml_node_t *ov = yaml_document_get_node(r->yaml, q->value);
            const char *option = text_of(ok);
            if (option && strcmp(option, "severity") == 0) {
                if (!set_severity_text(r, ov, rule))
                    return false;
                continue;
            }
            const char *value = text_of(ov);
            char *end = NULL;
            errno = 0;
            long n = value ? strtol(value, &end, 10) : 0;
            if (!value || end == value || *end || errno || n < 0)
                return fail(r, ov, "option value must be a whole number, not '%s'",
                            value ? value : "a list");
            if (!option || !dbf_config_set_option(r->config, rule, option, n))
                return fail(r, ok, "unknown option '%s' for this rule", option ? option : "?");
        }
    }
    return true;
}

/* The `patterns:` key. */

static bool is_category_id(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* Reads a list of phrases (or one phrase) into a new array in *OUT. */
static bool read_phrases(struct reader *r, yaml_node_t *node, const char *what, const char ***out,
                         size_t *count)
{
    size_t n = node->type == YAML_SEQUENCE_NODE
                   ? (size_t)(node->data.sequence.items.top - node->data.sequence.items.start)
                   : 1;
    if (node->type != YAML_SEQUENCE_NODE && node->type != YAML_SCALAR_NODE)
        return fail(r, node, "'%s' must be a list of words or phrases", what);
    const char **grown = realloc(*out, (*count + n + 1) * sizeof *grown);
    if (!grown)
        return fail(r, node, "out of memory");
    *out = grown;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = node->type == YAML_SEQUENCE_NODE
                                ? yaml_document_get_node(r->yaml, node->data.sequence.items.start[i])
                                : node;
        const char *s = text_of(item);
        if (!s || !*s)
            return fail(r, item, "'%s' must be a list of words or phrases", what);
        char *copy = strdup(s);
        if (!copy)
            return fail(r, item, "out of memory");
        grown[(*count)++] = copy;
    }
    return true;
}

static bool read_category(struct reader *r, yaml_node_t *k, yaml_node_t *v)
{
    const char *id = text_of(k);
    if (!id || !is_category_id(id))
        return fail(r, k, "category id '%s' must be lower-case letters, digits and '-'",
                    id ? id : "?");
    if (v->type != YAML_MAPPING_NODE)
        return fail(r, v, "category '%s' must be a mapping of words, ignore, name and meaning", id);
    struct dbf_config *config = r->config;
    if (config->patterns.category_count == config->category_cap) {
        size_t n = config->category_cap ? config->category_cap * 2 : 8;
        struct dbf_config_category *grown = realloc(config->categories, n * sizeof *grown);
        if (!grown)
            return fail(r, k, "out of memory");
        config->categories = grown;
        config->category_cap = n;
        config->patterns.categories = grown;
    }
    struct dbf_config_category *cat = &config->categories[config->patterns.category_count];
    *cat = (struct dbf_config_category){.id = strdup(id), .line = (int)k->start_mark.line + 1};
    if (!cat->id)
        return fail(r, k, "out of memory");
    config->patterns.category_count++;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *ck = yaml_document_get_node(r->yaml, p->key);
        yaml_node_t *cv = yaml_document_get_node(r->yaml, p->value);
        const char *key = text_of(ck);
        if (key && strcmp(key, "words") == 0) {
            if (!read_phrases(r, cv, "words", &cat->words, &cat->word_count))
                return false;
        } else if (key && strcmp(key, "ignore") == 0) {
            if (!read_phrases(r, cv, "ignore", &cat->ignore, &cat->ignore_count))
                return false;
        } else if (key && (strcmp(key, "name") == 0 || strcmp(key, "meaning") == 0)) {
            const char *s = text_of(cv);
            if (!s || !*s)
                return fail(r, cv, "'%s' of category '%s' must be text", key, id);
            const char **slot = key[0] == 'n' ? &cat->name : &cat->meaning;
            free((char *)(uintptr_t)*slot);
            *slot = strdup(s);
        } else {
            return fail(r, ck, "unknown key '%s' in category '%s' (expected words, ignore, name or meaning)",
                        key ? key : "?", id);
        }
    }
    return true;
}

static bool read_count(struct reader *r, yaml_node_t *node, const char *key, long *out)
{
    const char *value = text_of(node);
    char *end = NULL;
    errno = 0;
    long n = value ? strtol(value, &end, 10) : 0;
    if (!value || end == value || *end || errno || n < 1 || n > 1000)
        return fail(r, node, "'%s' must be a whole number from 1 to 1000, not '%s'", key,
                    value ? value : "a list");
    *out = n;
    return true;
}

static bool read_patterns(struct reader *r, yaml_node_t *node)
{
    if (node->type != YAML_MAPPING_NODE)
        return fail(r, node, "'patterns' must be a mapping (in_one_period, periods_running, "
                             "repeat_similarity, categories)");
    struct dbf_config_patterns *pat = &r->config->patterns;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(r->yaml, p->key);
        yaml_node_t *v = yaml_document_get_node(r->yaml, p->value);
        const char *key = text_of(k);
        if (key && strcmp(key, "in_one_period") == 0) {
            if (!read_count(r, v, key, &pat->in_one_period))
                return false;
        } else if (key && strcmp(key, "periods_running") == 0) {
            if (!read_count(r, v, key, &pat->periods_running))
                return false;
        } else if (key && strcmp(key, "repeat_similarity") == 0) {
            const char *value = text_of(v);
            char *end = NULL;
            double x = value ? strtod(value, &end) : 0;
            if (!value || end == value || *end || !(x > 0 && x <= 1))
                return fail(r, v, "'repeat_similarity' must be a number above 0 and at most 1, "
                                  "not '%s'", value ? value : "a list");
            pat->repeat_similarity = x;
        } else if (key && strcmp(key, "categories") == 0) {
            if (v->type != YAML_MAPPING_NODE)
                return fail(r, v, "'categories' must map category ids to their words");
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
                 q++)
                if (!read_category(r, yaml_document_get_node(r->yaml, q->key),
                                   yaml_document_get_node(r->yaml, q->value)))
                    return false;
        } else {
            return fail(r, k, "unknown key '%s' in 'patterns' (expected in_one_period, "
                              "periods_running, repeat_similarity or categories)",
                        key ? key : "?");
        }
    }
    return true;
}

bool dbf_config_load(struct dbf_config *config, const char *path, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    yaml_parser_t parser;
    yaml_document_t yaml;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    bool ok = yaml_parser_load(&parser, &yaml);
    if (!ok) {
        snprintf(err, errlen, "%s:%d: not valid YAML: %s", path, (int)parser.problem_mark.line + 1,
                 parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        fclose(f);
        return false;
    }
    struct reader r = {config, &yaml, path, err, errlen};
    yaml_node_t *root = yaml_document_get_root_node(&yaml);
    if (root && root->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
             ok && p < root->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(&yaml, p->key);
            yaml_node_t *v = yaml_document_get_node(&yaml, p->value);
            const char *key = text_of(k);
            if (key && strcmp(key, "rules") == 0)
                ok = read_rules(&r, v);
            else if (key && strcmp(key, "acronyms") == 0)
                ok = read_list(&r, v, false);
            else if (key && strcmp(key, "teams") == 0)
                ok = read_list(&r, v, true);
            else if (key && strcmp(key, "patterns") == 0)
                ok = read_patterns(&r, v);
            else
                ok = fail(&r, k, "unknown key '%s' (expected rules, acronyms, teams or patterns)",
                          key ? key : "?");
        }
    } else if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
        ok = fail(&r, root, "the file must be a mapping of rules, acronyms, teams and patterns");
    }
    yaml_document_delete(&yaml);
    yaml_parser_delete(&parser);
    fclose(f);
    return ok;
}

char *dbf_config_discover(const char *file)
{
    char dir[PATH_MAX];
    if (!realpath(file, dir))
        return NULL;
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
    }
    for (;;) {
        char candidate[PATH_MAX + 16];
        snprintf(candidate, sizeof candidate, "%s%s.debrief.yml", dir, strcmp(dir, "/") ? "/" : "");
        if (access(candidate, R_OK) == 0)
            return strdup(candidate);
        if (strcmp(dir, "/") == 0)
            return NULL;
        char *slash = strrchr(dir, '/');
        if (!slash)
            return NULL;
        if (slash == dir)
            dir[1] = '\0';
        else
            *slash = '\0';
    }
}
