/* fuzz_render.c: a post mortem to its HTML report (lib/render): the input's
 * first part is the Markdown, the next parts are the files it names (metrics
 * CSV or JSON, images), handed out in the order the renderer asks. */
#include "fuzz.h"

#include "debrief/debrief.h"

#include <stdlib.h>
#include <string.h>

struct files {
    struct fuzz_part parts[8];
    size_t count, next;
};

static unsigned char *read_part(void *context, const char *name, size_t max, size_t *len, char *why,
                                size_t whylen)
{
    struct files *f = context;
    if (f->next >= f->count) {
        snprintf(why, whylen, "no such file");
        return NULL;
    }
    const struct fuzz_part *p = &f->parts[f->next++];
    if (p->len > max) {
        snprintf(why, whylen, "larger than %zu bytes", max);
        return NULL;
    }
    unsigned char *copy = malloc(p->len + 1);
    if (!copy) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    memcpy(copy, p->data, p->len);
    copy[p->len] = '\0';
    *len = p->len;
    return copy;
}

static struct dbf_config *config;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    config = dbf_config_new();
    if (!config)
        abort();
    dbf_config_set_today(config, (struct dbf_date){2026, 11, 26});
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_part all[9];
    size_t n = fuzz_split(data, size, all, 9);
    /* The Markdown, then the files. */
    struct fuzz_part md = all[0];
    struct files files = {.count = n - 1};
    memcpy(files.parts, all + 1, (n - 1) * sizeof all[0]);
    char err[512];
    struct dbf_doc *doc = dbf_doc_parse("fuzz.md", md.data, md.len, err, sizeof err);
    if (!doc)
        return 0;
    struct dbf_review *review = dbf_lint(doc, config);
    struct dbf_render_files source = {read_part, &files};
    unsigned select = size ? data[size - 1] : 0;
    struct dbf_render_options options = {
        .files = &source,
        .findings = review,
        .redacted = select & 1,
        .fragment = select & 2,
        .status = select & 4 ? "review" : NULL,
    };
    struct dbf_buf html, notes;
    dbf_buf_init(&html, 0);
    dbf_buf_init(&notes, 0);
    (void)dbf_render_html(doc, &options, &html, &notes);
    dbf_buf_release(&html);
    dbf_buf_release(&notes);
    struct dbf_buf redacted;
    dbf_buf_init(&redacted, 0);
    (void)dbf_render_redact_markdown(doc, &redacted, NULL);
    dbf_buf_release(&redacted);
    dbf_review_free(review);
    dbf_doc_free(doc);
    return 0;
}
