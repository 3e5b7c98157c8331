/* test_sections.c: every corpus document parses and has its listed sections.
 *
 * Usage: test_sections CORPUS_DIR SECTIONS_TSV. Every *.md in CORPUS_DIR must
 * load; each file named in the first column of SECTIONS_TSV must have at
 * least the section kinds of its second column (comma separated). One line
 * per failure, then "N passed, M failed"; the exit status is 1 when M > 0. */
#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
    int passed, failed;
};

static void check_loads(const char *path, void *ctx)
{
    struct tally *t = ctx;
    char err[256] = "";
    struct dbf_doc *doc = dbf_doc_load(path, err, sizeof err);
    if (!doc) {
        printf("%s: does not load: %s\n", path, err);
        t->failed++;
        return;
    }
    dbf_doc_free(doc);
    t->passed++;
}

/* Checks one TSV row: FILE, then the kinds it must have. */
static void check_row(const char *dir, char *file, char *kinds, struct tally *t)
{
    char path[4096 + 8192 + 2], err[256] = "";
    snprintf(path, sizeof path, "%.4096s/%s", dir, file);
    struct dbf_doc *doc = dbf_doc_load(path, err, sizeof err);
    if (!doc) {
        printf("%s: does not load: %s\n", file, err);
        t->failed++;
        return;
    }
    char *save = NULL;
    for (char *kind = strtok_r(kinds, ",", &save); kind; kind = strtok_r(NULL, ",", &save)) {
        while (*kind == ' ')
            kind++;
        enum dbf_section_kind k = dbf_section_kind_from_name(kind);
        if (k == DBF_SECTION_OTHER) {
            printf("%s: unknown kind '%s' in the table\n", file, kind);
            t->failed++;
        } else if (!dbf_doc_has_section(doc, k)) {
            printf("%s: no section of kind '%s'\n", file, kind);
            t->failed++;
        } else {
            t->passed++;
        }
    }
    dbf_doc_free(doc);
}

static void check_table(const char *dir, const char *tsv, struct tally *t)
{
    FILE *f = fopen(tsv, "r");
    if (!f) {
        printf("%s: cannot open\n", tsv);
        t->failed++;
        return;
    }
    char line[8192];
    bool header = true;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (header) {
            header = false;
            continue;
        }
        char *tab = strchr(line, '\t');
        if (!line[0] || !tab)
            continue;
        *tab = '\0';
        char *kinds = tab + 1;
        kinds[strcspn(kinds, "\t")] = '\0';
        check_row(dir, line, kinds, t);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_sections CORPUS_DIR SECTIONS_TSV\n");
        return 2;
    }
    struct tally t = {0, 0};
    if (!corpus_each_md(argv[1], check_loads, &t)) {
        printf("%s: cannot open the corpus folder\n", argv[1]);
        t.failed++;
    }
    check_table(argv[1], argv[2], &t);
    printf("%d passed, %d failed\n", t.passed, t.failed);
    return t.failed > 0;
}
