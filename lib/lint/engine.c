/* engine.c: runs every enabled rule over documents and gathers findings.
 *
 * Rules run in catalogue order; each adds findings through dbf__report().
 * Several documents reviewed together go rule by rule, each rule over every
 * document before the next rule: its code and its patterns' compiled code
 * are then still in the processor's caches for the next document, where one
 * document's review after another's finds them gone.
 * Afterwards the engine drops what inline directives disable, sorts by
 * position, and works out the score and the checklist (score.c). */
#include "../parse/clock.h"
#include "../parse/parse.h"
#include "config.h"
#include "score.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct dbf__review_internal {
    struct dbf__arena arena;
};

typedef void (*check_fn)(struct dbf__lint *);

static const check_fn checks[] = {
#define RULE(name, id, sev, section, fn, summary) fn,
#define OPTION(rule, name, value)
#include "rules.def"
#undef RULE
#undef OPTION
};

void dbf__report(struct dbf__lint *lint, struct dbf_pos pos, const char *fmt, ...)
{
    if (lint->finding_count == lint->finding_cap) {
        size_t n = lint->finding_cap ? lint->finding_cap * 2 : 32;
        struct dbf_finding *grown = realloc(lint->findings, n * sizeof *grown);
        if (!grown)
            return;
        lint->findings = grown;
        lint->finding_cap = n;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const struct dbf_rule_info *info = dbf_rule_at(lint->rule);
    struct dbf_finding *f = &lint->findings[lint->finding_count++];
    f->rule = info->id;
    f->severity = lint->config->severity[lint->rule];
    f->pos = (struct dbf_pos){pos.line > 0 ? pos.line : 1, pos.column > 0 ? pos.column : 1};
    f->message = dbf__arena_strdup(lint->arena, msg);
}

long dbf__rule_option(const struct dbf__lint *lint, enum dbf__rule_id rule, const char *name)
{
    for (size_t i = 0; i < dbf__option_count; i++)
        if (dbf__options[i].rule == rule && strcmp(dbf__options[i].name, name) == 0)
            return lint->config->options[i];
    return -1;
}

long dbf__option(const struct dbf__lint *lint, const char *name)
{
    return dbf__rule_option(lint, lint->rule, name);
}

/* Allowed without expansion: the everyday terms of RULES.md, then what any
 * reader knows from outside operations work. */
static const char *const builtin_acronyms[] = {
    /* everyday computing (RULES.md) */
    "HTTP",
    "HTTPS",
    "API",
    "URL",
    "DNS",
    "CPU",
    "RAM",
    "TLS",
    "SSL",
    "SQL",
    "AWS",
    "GCP",
    "UTC",
    "CI",
    "CD",
    "PR",
    "ID",
    "OS",
    "VM",
    "IP",
    "JSON",
    "YAML",
    "HTML",
    "CSS",
    "SSH",
    "GPU",
    "UI",
    "US",
    "EU",
    "UK",
    "PDF",
    "CLI",
    "SDK",
    "FAQ",
    "DB",
    "UTF",
    "CSV",
    /* general technology */
    "TCP",
    "UDP",
    "SMS",
    "GPG",
    "PGP",
    "SSD",
    "HDD",
    "SHA",
    "MD5",
    "UUID",
    "USB",
    "VPN",
    "XML",
    "RSS",
    "CVE",
    "PIN",
    "ASCII",
    "UNIX",
    "IO",
    "GUI",
    "AI",
    "IT",
    "TXT",
    "README",
    "HTML5",
    "EOL",
    "PC",
    "TV",
    "SD",
    /* units and currencies */
    "GB",
    "MB",
    "KB",
    "TB",
    "PB",
    "GHZ",
    "MHZ",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "CHF",
    "CAD",
    "AUD",
    "BTC",
    "ETH",
    /* names known as such */
    "NGINX",
    "IBM",
    "PHP",
    "NPM",
    "NFT",
    "OWASP",
    "MITRE",
    "NIST",
    "ISO",
    "IETF",
    "W3C",
    "USA",
    /* everyday English */
    "OK",
    "FYI",
    "ASAP",
    "ETA",
    "CEO",
    "CTO",
    "CFO",
    "HR",
    "PS",
    "AKA",
    "IMO",
    "IIRC",
    "AFAIK",
    "AFAICT",
    "TLDR",
    "TL",
    "DR",
    "BTW",
    "WRT",
    /* date and time format letters */
    "HH",
    "MM",
    "SS",
    "YYYY",
    "DD",
};

bool dbf__acronym_allowed(const struct dbf__lint *lint, const char *acronym, size_t len)
{
    for (size_t i = 0; i < sizeof builtin_acronyms / sizeof builtin_acronyms[0]; i++)
        if (strlen(builtin_acronyms[i]) == len && memcmp(builtin_acronyms[i], acronym, len) == 0)
            return true;
    for (size_t i = 0; i < lint->config->acronym_count; i++)
        if (strlen(lint->config->acronyms[i]) == len &&
            memcmp(lint->config->acronyms[i], acronym, len) == 0)
            return true;
    return false;
}

static struct dbf__re team_words =
    DBF_RE("\\b(team|teams|squad|group|crew|guild|department|dept|org|committee|council|board|"
           "sre|ops|devops|infra|infrastructure|platform|engineering|security|support|operations|"
           "maintainers|core|admins|staff|everyone|all)\\b|^@[\\w-]+/[\\w-]+$");

/* Does TEXT hold NAME as a whole word (a '@' or '/' before it counts as a
 * boundary: "@payments", "org/payments")? */
static bool has_word(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strcasestr(text, name); p && n; p = strcasestr(p + 1, name)) {
        bool start = p == text || !isalnum((unsigned char)p[-1]);
        bool end = !isalnum((unsigned char)p[n]);
        if (start && end)
            return true;
    }
    return false;
}

bool dbf__is_team(const struct dbf__lint *lint, const char *word)
{
    for (size_t i = 0; i < lint->config->team_count; i++)
        if (has_word(word, lint->config->teams[i]))
            return true;
    return dbf__re_test(&team_words, word);
}

struct dbf_date dbf__date_of(const char *text)
{
    struct dbf_date d = {0};
    if (!text)
        return d;
    struct dbf_date read;
    if (dbf__ymd_scan(text, strlen(text), &read))
        d = read;
    return d;
}

/* Is a finding at LINE for RULE disabled by an inline directive? */
static bool suppressed(const struct dbf_doc *doc, const char *rule, int line)
{
    /* The body starts at its first block that is not HTML: the directives
     * themselves (and other comments) above it are blocks too. */
    int body_start = doc->line_count + 1;
    for (size_t i = 0; i < doc->block_count; i++)
        if (doc->blocks[i].type != DBF_BLOCK_HTML) {
            body_start = doc->blocks[i].pos.line;
            break;
        }
    bool off = false;
    for (size_t i = 0; i < doc->directive_count; i++) {
        const struct dbf_directive *d = &doc->directives[i];
        bool names = !d->rules[0];
        for (size_t k = 0; d->rules[k] && !names; k++)
            names = strcmp(d->rules[k], rule) == 0;
        if (!names)
            continue;
        if (d->what == DBF_DISABLE_NEXT_LINE) {
            if (line == d->line + 1)
                return true;
            continue;
        }
        /* A directive above the body also covers the front matter and title. */
        int from = d->line < body_start ? 0 : d->line;
        if (from <= line)
            off = d->what == DBF_DISABLE;
    }
    return off;
}

static int compare_findings(const void *a, const void *b)
{
    const struct dbf_finding *x = a, *y = b;
    if (x->pos.line != y->pos.line)
        return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.column != y->pos.column)
        return x->pos.column < y->pos.column ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

/* Set once a review has run in the process. The rules compile their
 * patterns when they first search, and a group's needle table holds only
 * the patterns compiled when it was frozen (later ones read their own
 * needles, a pass each): until then documents are reviewed one by one. */
static atomic_bool reviewed_one;

/* A review under way: its rules' state, its configuration's defaults when
 * it was given none, and what it will hand back. */
struct review_job {
    struct dbf__lint lint;
    struct dbf_config *defaults;
    struct dbf_review *review;
};

/* Sets JOB up for DOC under CONFIG; JOB's review stays NULL when memory
 * runs out. */
static void job_start(struct review_job *job, const struct dbf_doc *doc,
                      const struct dbf_config *config)
{
    if (!config)
        config = job->defaults = dbf_config_new();
    job->review = calloc(1, sizeof *job->review);
    struct dbf__review_internal *internal = calloc(1, sizeof *internal);
    if (!job->review || !internal || !config) {
        free(job->review);
        free(internal);
        dbf_config_free(job->defaults);
        *job = (struct review_job){0};
        return;
    }
    dbf__arena_init(&internal->arena);
    job->review->internal = internal;
    job->lint = (struct dbf__lint){
        .doc = doc, .config = config, .today = config->today, .arena = &internal->arena};
}

/* Drops what inline directives disable, sorts the findings and scores. */
static struct dbf_review *job_finish(struct review_job *job)
{
    struct dbf__lint *lint = &job->lint;
    struct dbf_review *review = job->review;
    dbf__word_set_free(lint->lower_words);
    size_t kept = 0;
    for (size_t i = 0; i < lint->finding_count; i++)
        if (!suppressed(lint->doc, lint->findings[i].rule, lint->findings[i].pos.line))
            lint->findings[kept++] = lint->findings[i];
    if (kept)
        qsort(lint->findings, kept, sizeof *lint->findings, compare_findings);
    review->findings = lint->findings;
    review->finding_count = kept;
    dbf__score(lint->doc, review);
    dbf_config_free(job->defaults);
    return review;
}

/* Reviews the N documents of JOBS (set up) together, rule by rule. */
static void review_together(struct review_job *jobs, size_t n)
{
    const struct dbf__arena *one[1] = {NULL}, **arenas = n > 1 ? calloc(n, sizeof *arenas) : one;
    if (!arenas) {
        for (size_t d = 0; d < n; d++)
            review_together(&jobs[d], 1);
        return;
    }
    /* The rules search the documents' text with many patterns: it does not
     * change while they run, so each piece of it is read once for all. */
    size_t frozen = 0;
    for (size_t d = 0; d < n; d++)
        if (jobs[d].review)
            arenas[frozen++] = &jobs[d].lint.doc->internal->arena;
    dbf__re_freeze_arenas(arenas, frozen);
    for (size_t d = 0; d < n; d++)
        if (jobs[d].review)
            dbf__facts_compute(&jobs[d].lint);
    for (size_t r = 0; r < DBF_RULE_COUNT; r++) {
        for (size_t d = 0; d < n; d++) {
            struct dbf__lint *lint = &jobs[d].lint;
            if (!jobs[d].review || lint->config->severity[r] == DBF_OFF)
                continue;
            lint->rule = (enum dbf__rule_id)r;
            checks[r](lint);
        }
    }
    dbf__re_frozen_end();
    if (arenas != one)
        free(arenas);
}

void dbf_lint_many(const struct dbf_doc *const *docs, const struct dbf_config *const *configs,
                   size_t n, struct dbf_review **reviews)
{
    while (n > 1 && !atomic_load_explicit(&reviewed_one, memory_order_acquire)) {
        dbf_lint_many(docs, configs, 1, reviews);
        docs++;
        configs++;
        reviews++;
        n--;
    }
    struct review_job one[1], *jobs = n > 1 ? calloc(n, sizeof *jobs) : one;
    if (!jobs) {
        for (size_t d = 0; d < n; d++)
            dbf_lint_many(&docs[d], &configs[d], 1, &reviews[d]);
        return;
    }
    for (size_t d = 0; d < n; d++) {
        jobs[d] = (struct review_job){0};
        if (docs[d])
            job_start(&jobs[d], docs[d], configs[d]);
    }
    review_together(jobs, n);
    bool any = false;
    for (size_t d = 0; d < n; d++) {
        reviews[d] = jobs[d].review ? job_finish(&jobs[d]) : NULL;
        any |= reviews[d] != NULL;
    }
    if (jobs != one)
        free(jobs);
    if (any)
        atomic_store_explicit(&reviewed_one, true, memory_order_release);
}

struct dbf_review *dbf_lint(const struct dbf_doc *doc, const struct dbf_config *config)
{
    struct dbf_review *review;
    dbf_lint_many(&doc, &config, 1, &review);
    return review;
}

void dbf_review_free(struct dbf_review *review)
{
    if (!review)
        return;
    for (int q = 0; q < DBF_QUESTION_COUNT; q++)
        free(review->checklist[q].findings);
    free(review->findings);
    dbf__arena_release(&review->internal->arena);
    free(review->internal);
    free(review);
}

enum dbf_severity dbf_review_worst(const struct dbf_review *review)
{
    enum dbf_severity worst = DBF_OFF;
    for (size_t i = 0; i < review->finding_count; i++)
        if (review->findings[i].severity > worst)
            worst = review->findings[i].severity;
    return worst;
}
