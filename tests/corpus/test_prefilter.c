/* test_prefilter.c: the prefilter never changes what debrief finds.
 *
 * Usage: test_prefilter DIR... Every *.md under each DIR (one level) is
 * parsed and reviewed twice, with the patterns' prefilter and without it
 * (every pattern then runs PCRE2 on every subject); the two reviews must be
 * the same finding for finding, with the same score. One line per
 * difference, then "N documents, M differ"; the exit status is 1 when M > 0. */
#include "debrief/debrief.h"
#include "util/re.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static bool same_finding(const struct dbf_finding *a, const struct dbf_finding *b)
{
    return strcmp(a->rule, b->rule) == 0 && a->pos.line == b->pos.line &&
           a->pos.column == b->pos.column && strcmp(a->message, b->message) == 0;
}

/* Prints how the two reviews of PATH differ; true when they do not. */
static bool compare(const char *path, const struct dbf_review *with, const struct dbf_review *without)
{
    if (!with || !without) {
        if (with != without)
            printf("%s: loads only %s the prefilter\n", path, with ? "with" : "without");
        return with == without;
    }
    bool same = with->score == without->score && with->finding_count == without->finding_count;
    for (size_t i = 0; same && i < with->finding_count; i++)
        same = same_finding(&with->findings[i], &without->findings[i]);
    if (same)
        return true;
    printf("%s: score %d with the prefilter, %d without; %zu findings with, %zu without\n", path,
           with->score, without->score, with->finding_count, without->finding_count);
    for (size_t i = 0; i < with->finding_count || i < without->finding_count; i++) {
        const struct dbf_finding *a = i < with->finding_count ? &with->findings[i] : NULL;
        const struct dbf_finding *b = i < without->finding_count ? &without->findings[i] : NULL;
        if (a && b && same_finding(a, b))
            continue;
        printf("  with:    %s\n  without: %s\n", a ? a->rule : "-", b ? b->rule : "-");
        if (a && b)
            printf("           %d:%d %s | %d:%d %s\n", a->pos.line, a->pos.column, a->message,
                   b->pos.line, b->pos.column, b->message);
        break;
    }
    return false;
}

int main(int argc, char **argv)
{
    struct dbf_config *config = dbf_config_new();
    dbf_config_set_today(config, (struct dbf_date){2026, 11, 26});
    int documents = 0, differ = 0;
    for (int a = 1; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        if (!d) {
            printf("%s: cannot open the folder\n", argv[a]);
            differ++;
            continue;
        }
        for (struct dirent *e = readdir(d); e; e = readdir(d)) {
            size_t n = strlen(e->d_name);
            if (n < 4 || strcmp(e->d_name + n - 3, ".md") != 0)
                continue;
            char path[8192];
            snprintf(path, sizeof path, "%.4000s/%s", argv[a], e->d_name);
            struct dbf_review *with = review_of(path, config, true);
            struct dbf_review *without = review_of(path, config, false);
            documents++;
            differ += !compare(path, with, without);
            dbf_review_free(with);
            dbf_review_free(without);
        }
        closedir(d);
    }
    dbf__re_set_prefilter(true);
    dbf_config_free(config);
    printf("%d documents, %d differ\n", documents, differ);
    return differ > 0 || documents == 0;
}
