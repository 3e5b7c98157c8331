/* test_lint_many.c: documents reviewed together find what each finds alone.
 *
 * Usage: test_lint_many DIR... Every *.md under each DIR (one level) is
 * parsed; the documents are first reviewed together by dbf_lint_many(), in
 * groups of 32, 1 and 7 and all at once, the process's first reviews (so
 * that its first group is the one whose leading document goes alone), with a
 * missing document (NULL) in each group and two configurations in turn
 * (the defaults, NULL, and one with rules off and options changed). Each
 * review must be the one dbf_lint() gives for the document alone, finding
 * for finding, with the same score. One line per difference, then
 * "N documents, M differ"; the exit status is 1 when M > 0. */
#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct corpus {
    struct dbf_doc **docs;
    char **paths;
    size_t count;
};

/* Adds the document at PATH to the corpus CTX; one that does not load is
 * left out (test_sections checks that every one loads). */
static void add(const char *path, void *ctx)
{
    struct corpus *c = ctx;
    char err[256] = "";
    struct dbf_doc *doc = dbf_doc_load(path, err, sizeof err);
    struct dbf_doc **docs = doc ? realloc(c->docs, (c->count + 1) * sizeof *docs) : NULL;
    char **paths = docs ? realloc(c->paths, (c->count + 1) * sizeof *paths) : NULL;
    if (docs)
        c->docs = docs;
    if (paths)
        c->paths = paths;
    if (!docs || !paths) {
        dbf_doc_free(doc);
        return;
    }
    c->docs[c->count] = doc;
    c->paths[c->count++] = strdup(path);
}

int main(int argc, char **argv)
{
    struct corpus c = {0};
    int differ = 0;
    for (int a = 1; a < argc; a++)
        if (!corpus_each_md(argv[a], add, &c)) {
            printf("%s: cannot open the folder\n", argv[a]);
            differ++;
        }
    struct dbf_config *strict = dbf_config_new();
    dbf_config_set_today(strict, (struct dbf_date){2026, 11, 26});
    dbf_config_set_severity(strict, "impact/vague", DBF_OFF);
    dbf_config_set_severity(strict, "timeline/gap", DBF_ERROR);
    dbf_config_set_option(strict, "timeline/gap", "minutes", 15);
    const struct dbf_config *const configs_by_turn[] = {NULL, strict};

    static const size_t groups[] = {32, 1, 7, 0}; /* 0: all at once */
    size_t n = c.count;
    const struct dbf_doc **docs = calloc(n + 1, sizeof *docs);
    const struct dbf_config **configs = calloc(n + 1, sizeof *configs);
    struct dbf_review **reviews = calloc(n + 1, sizeof *reviews);
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        size_t group = groups[g] ? groups[g] : n;
        for (size_t at = 0; at < n; at += group) {
            size_t k = n - at < group ? n - at : group;
            /* The group's documents with a NULL among them, in the middle. */
            size_t hole = k / 2, m = 0;
            for (size_t i = 0; i < k; i++) {
                if (i == hole) {
                    docs[m] = NULL;
                    configs[m++] = NULL;
                }
                docs[m] = c.docs[at + i];
                configs[m++] = configs_by_turn[(at + i) % 2];
            }
            dbf_lint_many(docs, configs, m, reviews);
            for (size_t i = 0, j = 0; i < m; i++) {
                if (!docs[i]) {
                    if (reviews[i]) {
                        printf("groups of %zu: a review of no document\n", group);
                        differ++;
                    }
                    continue;
                }
                struct dbf_review *alone = dbf_lint(docs[i], configs[i]);
                char together[64];
                snprintf(together, sizeof together, "in a group of %zu", group);
                differ +=
                    !corpus_same_review(c.paths[at + j], together, reviews[i], "alone", alone);
                j++;
                dbf_review_free(alone);
                dbf_review_free(reviews[i]);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        dbf_doc_free(c.docs[i]);
        free(c.paths[i]);
    }
    free(c.docs);
    free(c.paths);
    free(docs);
    free(configs);
    free(reviews);
    dbf_config_free(strict);
    printf("%zu documents, %d differ\n", n, differ);
    return differ > 0 || n == 0;
}
