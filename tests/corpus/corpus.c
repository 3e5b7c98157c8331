/* corpus.c: the corpus tests' folder walk and review comparison. */
#include "corpus.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

bool corpus_each_md(const char *dir, void (*fn)(const char *path, void *ctx), void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".md") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%.4000s/%s", dir, e->d_name);
        fn(path, ctx);
    }
    closedir(d);
    return true;
}

static bool same_finding(const struct dbf_finding *a, const struct dbf_finding *b)
{
    return strcmp(a->rule, b->rule) == 0 && a->pos.line == b->pos.line &&
           a->pos.column == b->pos.column && a->severity == b->severity &&
           strcmp(a->message, b->message) == 0;
}

bool corpus_same_review(const char *path, const char *a_name, const struct dbf_review *a,
                        const char *b_name, const struct dbf_review *b)
{
    if (!a || !b) {
        if (a != b)
            printf("%s: reviewed only %s\n", path, a ? a_name : b_name);
        return a == b;
    }
    bool same = a->score == b->score && a->finding_count == b->finding_count;
    for (size_t i = 0; same && i < a->finding_count; i++)
        same = same_finding(&a->findings[i], &b->findings[i]);
    if (same)
        return true;
    printf("%s: score %d %s, %d %s; %zu findings %s, %zu %s\n", path, a->score, a_name, b->score,
           b_name, a->finding_count, a_name, b->finding_count, b_name);
    for (size_t i = 0; i < a->finding_count || i < b->finding_count; i++) {
        const struct dbf_finding *x = i < a->finding_count ? &a->findings[i] : NULL;
        const struct dbf_finding *y = i < b->finding_count ? &b->findings[i] : NULL;
        if (x && y && same_finding(x, y))
            continue;
        printf("  %s: %s %d:%d %s\n", a_name, x ? x->rule : "-", x ? x->pos.line : 0,
               x ? x->pos.column : 0, x ? x->message : "");
        printf("  %s: %s %d:%d %s\n", b_name, y ? y->rule : "-", y ? y->pos.line : 0,
               y ? y->pos.column : 0, y ? y->message : "");
        break;
    }
    return false;
}
