/* test_bare_links.c: the blocks' links are those GitHub's Markdown makes.
 *
 * Usage: test_bare_links DIR... Every *.md under each DIR (one level) is
 * parsed by debrief, whose parse leaves cmark-gfm's autolink extension out
 * and reads bare addresses block by block (lib/parse/bare_links.c), and its
 * body is parsed again by cmark-gfm with the extension, as GitHub does. For
 * each paragraph and table cell of that tree, in order, the first link is
 * taken; the blocks' links must be the same list (a paragraph debrief cuts
 * into parts gives each part its link: runs of one link count once). One
 * line per document that differs, then "N documents, M links, K differ";
 * the exit status is 1 when K > 0. */
#include "corpus.h"
#include "render/parts.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOST_LINKS 4096

struct links {
    const char *url[MOST_LINKS];
    size_t count;
};

/* Adds URL unless it is the last one added. */
static void add(struct links *l, const char *url)
{
    if (l->count < MOST_LINKS && (!l->count || strcmp(l->url[l->count - 1], url) != 0))
        l->url[l->count++] = url;
}

/* The URL of the first link under NODE, or NULL. */
static const char *first_link(cmark_node *node)
{
    cmark_iter *iter = cmark_iter_new(node);
    const char *url = NULL;
    cmark_event_type ev;
    while (!url && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(iter);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_LINK)
            url = cmark_node_get_url(n);
    }
    cmark_iter_free(iter);
    return url && *url ? url : NULL;
}

/* The first link of each paragraph and table cell of BODY, parsed with the
 * extensions debrief reads documents with and the autolink extension. */
static cmark_node *github_links(const char *body, struct links *out)
{
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES);
    static const char *const extensions[] = {"table", "tasklist", "strikethrough", "autolink"};
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
        cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(extensions[i]));
    cmark_parser_feed(parser, body, strlen(body));
    cmark_node *root = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    cmark_iter *iter = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(iter);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        bool cell = strcmp(cmark_node_get_type_string(n), "table_cell") == 0;
        if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH && !cell)
            continue;
        const char *url = first_link(n);
        if (url)
            add(out, url);
    }
    cmark_iter_free(iter);
    return root;
}

/* Compares PATH's blocks' links with GitHub's; adds its links to *LINKS. */
static bool same_links(const char *path, size_t *links)
{
    char err[256] = "";
    struct dbf_doc *doc = dbf_doc_load(path, err, sizeof err);
    if (!doc) {
        printf("%s: does not load: %s\n", path, err);
        return false;
    }
    struct links ours = {.count = 0}, theirs = {.count = 0};
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->link && (b->type == DBF_BLOCK_PARAGRAPH || b->type == DBF_BLOCK_LIST_ITEM ||
                        b->type == DBF_BLOCK_TABLE_CELL))
            add(&ours, b->link);
    }
    int first_line;
    cmark_node *root = github_links(doc->source + dbf__body_offset(doc, &first_line), &theirs);
    bool same = ours.count == theirs.count;
    for (size_t i = 0; same && i < ours.count; i++)
        same = strcmp(ours.url[i], theirs.url[i]) == 0;
    if (!same) {
        size_t i = 0;
        while (i < ours.count && i < theirs.count && strcmp(ours.url[i], theirs.url[i]) == 0)
            i++;
        printf("%s: link %zu: debrief %s, GitHub %s\n", path, i + 1,
               i < ours.count ? ours.url[i] : "(none)",
               i < theirs.count ? theirs.url[i] : "(none)");
    }
    *links += theirs.count;
    cmark_node_free(root);
    dbf_doc_free(doc);
    return same;
}

struct tally {
    size_t docs, links, differ;
};

static void check(const char *path, void *ctx)
{
    struct tally *t = ctx;
    t->docs++;
    t->differ += !same_links(path, &t->links);
}

int main(int argc, char **argv)
{
    cmark_gfm_core_extensions_ensure_registered();
    struct tally t = {0, 0, 0};
    for (int a = 1; a < argc; a++) {
        if (!corpus_each_md(argv[a], check, &t)) {
            printf("%s: cannot open\n", argv[a]);
            return 1;
        }
    }
    printf("%zu documents, %zu links, %zu differ\n", t.docs, t.links, t.differ);
    return t.differ > 0 || t.docs == 0;
}
