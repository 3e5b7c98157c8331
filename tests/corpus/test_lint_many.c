/* test_lint_many.c: documents reviewed together find what each finds alone.
 *
 * Usage: test_lint_many DIR... Every *.md under each DIR (one level) is
 * parsed; the documents are first reviewed together by dbf_lint_many(), in
 * groups of 1, 7 and 32 and all at once, the process's first reviews (so
 * that its first group is the one whose first document goes alone), with a
 * missing document (NULL) in each group and two configurations in turn
 * (the defaults, NULL, and one with rules off and options changed). Each
 * review must be the one dbf_lint() gives for the document alone, finding
 * for finding, with the same score. One line per difference, then
 * "N documents, M differ"; the exit status is 1 when M > 0. */
#include "debrief/debrief.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same_finding(const struct dbf_finding *a, const struct dbf_finding *b)
{
    return strcmp(a->rule, b->rule) == 0 && a->pos.line == b->pos.line &&
           a->pos.column == b->pos.column && a->severity == b->severity &&
           strcmp(a->message, b->message) == 0;
}

/* Prints how TOGETHER differs from ALONE, the reviews of PATH; true when it
 * does not. */
static bool compare(const char *path, size_t group, const struct dbf_review *together,
                    const struct dbf_review *alone)
{
    if (!together || !alone) {
        printf("%s (groups of %zu): no review %s\n", path, group, together ? "alone" : "together");
        return false;
    }
    bool same = together->score == alone->score && together->finding_count == alone->finding_count;
    for (size_t i = 0; same && i < alone->finding_count; i++)
        same = same_finding(&together->findings[i], &alone->findings[i]);
    if (same)
        return true;
    printf("%s (groups of %zu): score %d together, %d alone; %zu findings together, %zu alone\n",
           path, group, together->score, alone->score, together->finding_count,
           alone->finding_count);
    return false;
}

struct corpus {
    struct dbf_doc **docs;
    char **paths;
    size_t count;
};

/* Loads every *.md of DIR into C; false when DIR cannot be read. */
static bool load_dir(struct corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".md") != 0)
            continue;
        char path[8192], err[256] = "";
        snprintf(path, sizeof path, "%.4000s/%s", dir, e->d_name);
        struct dbf_doc *doc = dbf_doc_load(path, err, sizeof err);
        if (!doc)
            continue;
        c->docs = realloc(c->docs, (c->count + 1) * sizeof *c->docs);
        c->paths = realloc(c->paths, (c->count + 1) * sizeof *c->paths);
        c->docs[c->count] = doc;
        c->paths[c->count++] = strdup(path);
    }
    closedir(d);
    return true;
}

int main(int argc, char **argv)
{
    struct corpus c = {0};
    int differ = 0;
    for (int a = 1; a < argc; a++)
        if (!load_dir(&c, argv[a])) {
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
                differ += !compare(c.paths[at + j], group, reviews[i], alone);
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
