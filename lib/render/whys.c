/* whys.c: the why chains drawn as a tree with their numbers.
 *
 * The main chain (branch 0) runs down the tree, each why nested under the
 * one it explains. A branch numbered N.x hangs from why N of the main chain
 * (from the tree's root when the main chain has no why N) and runs down in
 * the same way. The tree is nested lists, so it reads in order without
 * styles and screen readers announce its levels; the stylesheet draws the
 * connecting lines. */
#include "parts.h"

#include <stdlib.h>
#include <string.h>

/* TEXT without a leading copy of the why's number ("1.2 Why …" -> "Why …"). */
static const char *without_number(const char *text, const char *number, size_t len)
{
    if (!number || !len || strncmp(text, number, len) != 0)
        return text;
    const char *p = text + len;
    while (*p == '.' || *p == ')' || *p == ':')
        p++;
    if (*p != ' ')
        return text;
    while (*p == ' ')
        p++;
    return *p ? p : text;
}

static void why_node(struct dbf_buf *out, const struct dbf_why *w, bool branch_start)
{
    dbf_buf_adds(out, branch_start ? "<li class=\"why branch\">" : "<li class=\"why\">");
    dbf_buf_adds(out, "<div class=\"why-box\"><span class=\"why-number\">");
    size_t number_len = w->number ? strlen(w->number) : 0;
    while (number_len && (w->number[number_len - 1] == '.' || w->number[number_len - 1] == ')'))
        number_len--;
    if (number_len)
        dbf_buf_add(out, w->number, number_len); /* digits and dots only */
    else if (w->branch)
        dbf_buf_addf(out, "%d.%d", w->branch, w->depth);
    else
        dbf_buf_addf(out, "%d", w->depth);
    dbf_buf_adds(out, "</span><div class=\"why-text\">");
    if (w->question && w->answer) {
        dbf_buf_adds(out, "<span class=\"why-question\">");
        dbf_buf_add_html(out, without_number(w->question, w->number, number_len));
        dbf_buf_adds(out, "</span> <span class=\"why-answer\">");
        dbf_buf_add_html(out, w->answer);
        dbf_buf_adds(out, "</span>");
    } else {
        dbf_buf_add_html(out, without_number(w->question ? w->question
                                             : w->answer ? w->answer
                                                         : w->text,
                                             w->number, number_len));
    }
    dbf_buf_adds(out, "</div></div>");
}

#define MAX_NESTING 64 /* deeper chains go on as a flat list: no reader follows more */

/* Appends why K of the chain WHYS[IDX[0..COUNT)] and, nested under it, the
 * rest of the chain and then the branches that hang from it: for the main
 * chain, those among BRANCHES[0..BRANCH_COUNT) whose branch number is the
 * why's place in the chain. */
static void chain(const struct dbf_doc *doc, struct dbf_buf *out, const size_t *idx, size_t count,
                  size_t k, bool is_branch, const size_t *branches, size_t branch_count, int depth)
{
    why_node(out, &doc->whys[idx[k]], is_branch && k == 0);
    if (depth >= MAX_NESTING) {
        dbf_buf_adds(out, "</li>");
        for (size_t j = k + 1; j < count; j++) {
            why_node(out, &doc->whys[idx[j]], false);
            dbf_buf_adds(out, "</li>");
        }
        return;
    }
    size_t *hanging = NULL, n = 0;
    if (!is_branch && branch_count && (hanging = malloc(branch_count * sizeof *hanging)) != NULL)
        for (size_t i = 0; i < branch_count; i++)
            if (doc->whys[branches[i]].branch == (int)(k + 1))
                hanging[n++] = branches[i];
    if (k + 1 < count || n) {
        dbf_buf_adds(out, "<ul>");
        if (k + 1 < count)
            chain(doc, out, idx, count, k + 1, is_branch, branches, branch_count, depth + 1);
        if (n)
            chain(doc, out, hanging, n, 0, true, NULL, 0, depth + 1);
        dbf_buf_adds(out, "</ul>");
    }
    dbf_buf_adds(out, "</li>");
    free(hanging);
}

void dbf__whys_html(const struct dbf_doc *doc, struct dbf_buf *out)
{
    if (!doc->why_count)
        return;
    size_t *main_chain = malloc(doc->why_count * sizeof *main_chain);
    size_t *branches = malloc(doc->why_count * sizeof *branches);
    if (!main_chain || !branches) {
        free(main_chain);
        free(branches);
        return;
    }
    size_t m = 0, nb = 0;
    for (size_t i = 0; i < doc->why_count; i++) {
        if (doc->whys[i].branch == 0)
            main_chain[m++] = i;
        else
            branches[nb++] = i;
    }
    dbf_buf_adds(out, "<figure class=\"why-tree\">\n<figcaption>The why chain");
    dbf_buf_adds(out, nb ? " and its branches" : "");
    dbf_buf_addf(out, " as a tree: each why answers the one above it");
    if (nb)
        dbf_buf_adds(out, "; a branch numbered N.x hangs from why N");
    dbf_buf_addf(out, ".</figcaption>\n<ul class=\"tree\">");
    if (m)
        chain(doc, out, main_chain, m, 0, false, branches, nb, 0);
    /* Branches with no why of their number in the main chain start at the root. */
    for (size_t i = 0; i < nb; i++) {
        int b = doc->whys[branches[i]].branch;
        bool first = (size_t)b > m;
        for (size_t j = 0; first && j < i; j++)
            first = doc->whys[branches[j]].branch != b;
        if (!first)
            continue;
        size_t n = 0;
        for (size_t j = i; j < nb; j++)
            if (doc->whys[branches[j]].branch == b)
                main_chain[n++] = branches[j];
        chain(doc, out, main_chain, n, 0, true, NULL, 0, 0);
    }
    dbf_buf_adds(out, "</ul>\n</figure>\n");
    free(main_chain);
    free(branches);
}
