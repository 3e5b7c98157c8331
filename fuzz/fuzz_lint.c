/* fuzz_lint.c: one post mortem (front matter and Markdown) through the whole
 * `debrief lint` path: parse, model, every rule, score, checklist, and the
 * text, JSON, SARIF and GitHub reports. An optional second part of the input
 * is the `.debrief.yml` the review runs under. */
#include "fuzz.h"

#include "debrief/debrief.h"
#include "debrief/json.h"
#include "report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static struct dbf_config *config;
static FILE *sink;
static char config_path[1024];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    config = dbf_config_new();
    sink = fopen("/dev/null", "w");
    const char *dir = fuzz_tmpdir();
    if (!config || !sink || !dir)
        abort();
    /* A fixed "today": the date rules must not depend on the day of the run. */
    dbf_config_set_today(config, (struct dbf_date){2026, 11, 26});
    snprintf(config_path, sizeof config_path, "%s/.debrief.yml", dir);
    return 0;
}

/* The configuration written in PART, or NULL when it is not one. */
static struct dbf_config *configured(const struct fuzz_part *part)
{
    if (!fuzz_write(fuzz_tmpdir(), ".debrief.yml", part->data, part->len))
        abort();
    struct dbf_config *c = dbf_config_new();
    char err[512];
    if (!c || !dbf_config_load(c, config_path, err, sizeof err)) {
        dbf_config_free(c);
        return NULL;
    }
    dbf_config_set_today(c, (struct dbf_date){2026, 11, 26});
    (void)dbf_config_patterns(c);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_part parts[2];
    size_t n = fuzz_split(data, size, parts, 2);
    struct dbf_config *own = n > 1 ? configured(&parts[1]) : NULL;
    if (n > 1 && !own)
        return 0;
    char err[512];
    struct dbf_doc *doc = dbf_doc_parse("fuzz.md", parts[0].data, parts[0].len, err, sizeof err);
    struct dbf_review *review = doc ? dbf_lint(doc, own ? own : config) : NULL;
    dbf_doc_free(doc);
    dbf_config_free(own);
    if (!review)
        return 0;
    (void)dbf_review_worst(review);
    json_t *json = dbf_review_json(review, "fuzz.md", true);
    char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
    free(text);
    json_decref(json);
    static const enum report_format formats[] = {REPORT_TEXT, REPORT_JSON, REPORT_SARIF,
                                                 REPORT_GITHUB};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        struct report *r = report_open(formats[i], sink, i == 0, true);
        report_file(r, "fuzz.md", review);
        report_close(r);
    }
    dbf_review_free(review);
    return 0;
}
