/* harness.c: the helpers of harness.h. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static struct dbf_doc *doc;
static struct dbf_review *review;

void lint_done(void)
{
    dbf_review_free(review);
    dbf_doc_free(doc);
    review = NULL;
    doc = NULL;
}

const struct dbf_review *lint_md_with(const char *text, const struct dbf_config *config)
{
    lint_done();
    doc = parse_doc(text);
    review = dbf_lint(doc, config);
    assert_non_null(review);
    return review;
}

const struct dbf_review *lint_md(const char *text)
{
    struct dbf_config *config = dbf_config_new();
    dbf_config_set_today(config, (struct dbf_date){2026, 11, 26});
    lint_md_with(text, config);
    dbf_config_free(config);
    return review;
}

const struct dbf_doc *last_doc(void)
{
    return doc;
}

size_t findings_of(const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; review && i < review->finding_count; i++)
        n += strcmp(review->findings[i].rule, rule) == 0;
    return n;
}

int first_line_of(const char *rule)
{
    for (size_t i = 0; review && i < review->finding_count; i++)
        if (strcmp(review->findings[i].rule, rule) == 0)
            return review->findings[i].pos.line;
    return 0;
}

bool fires_at(const char *rule, int line)
{
    for (size_t i = 0; review && i < review->finding_count; i++)
        if (strcmp(review->findings[i].rule, rule) == 0 && review->findings[i].pos.line == line)
            return true;
    return false;
}

void print_findings(void)
{
    for (size_t i = 0; review && i < review->finding_count; i++)
        fprintf(stderr, "  %d:%d %s %s\n", review->findings[i].pos.line,
                review->findings[i].pos.column, review->findings[i].rule,
                review->findings[i].message);
}

uint64_t harness_random(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    return *seed >> 33;
}

void harness_random_text(char *text, size_t size, const char *const *pieces, size_t n,
                         uint64_t *seed, int most)
{
    size_t len = 0;
    text[0] = '\0';
    int count = 1 + (int)(harness_random(seed) % (uint64_t)most);
    for (int k = 0; k < count; k++) {
        const char *piece = pieces[harness_random(seed) % n];
        if (len + strlen(piece) + 1 >= size)
            break;
        len += (size_t)snprintf(text + len, size - len, "%s", piece);
    }
}

struct dbf_doc *parse_doc(const char *text)
{
    char err[256];
    struct dbf_doc *parsed = dbf_doc_parse("test.md", text, strlen(text), err, sizeof err);
    if (!parsed)
        fail_msg("parse failed: %s", err);
    return parsed;
}
