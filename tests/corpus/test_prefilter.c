/* test_prefilter.c: the prefilter never changes what debrief finds.
 *
 * Usage: test_prefilter DIR... Every *.md under each DIR (one level) is
 * parsed and reviewed twice, with the patterns' prefilter and without it
 * (every pattern then runs PCRE2 on every subject); the two reviews must be
 * the same finding for finding, with the same score. One line per
 * difference, then "N documents, M differ"; the exit status is 1 when M > 0. */
#include "corpus.h"
#include "util/re.h"

#include <stdio.h>
#include <stdlib.h>

static struct dbf_review *review_of(const char *path, const struct dbf_config *config, bool on)
{
    dbf__re_set_prefilter(on);
    char err[256] = "";
    struct dbf_doc *doc = dbf_doc_load(path, err, sizeof err);
    if (!doc)
        return NULL;
    struct dbf_review *review = dbf_lint(doc, config);
    dbf_doc_free(doc);
    return review;
}

struct run {
    struct dbf_config *config;
    int documents, differ;
};

static void check(const char *path, void *ctx)
{
    struct run *run = ctx;
    struct dbf_review *with = review_of(path, run->config, true);
    struct dbf_review *without = review_of(path, run->config, false);
    run->documents++;
    run->differ += !corpus_same_review(path, "with the prefilter", with, "without", without);
    dbf_review_free(with);
    dbf_review_free(without);
}

int main(int argc, char **argv)
{
    struct run run = {dbf_config_new(), 0, 0};
    dbf_config_set_today(run.config, (struct dbf_date){2026, 11, 26});
    for (int a = 1; a < argc; a++)
        if (!corpus_each_md(argv[a], check, &run)) {
            printf("%s: cannot open the folder\n", argv[a]);
            run.differ++;
        }
    dbf__re_set_prefilter(true);
    dbf_config_free(run.config);
    printf("%d documents, %d differ\n", run.documents, run.differ);
    return run.differ > 0 || run.documents == 0;
}
