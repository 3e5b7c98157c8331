/* rules_response.c: the response rules.
 *
 * The response analysis is every section whose kind is response
 * ("Incident response", "Detection", "Recovery" …). Its phases are found by
 * their sub-headings or by what its paragraphs talk about. */
#include "rules.h"

#include <string.h>

struct phase {
    const char *name, *about;
    struct dbf__re re;
};

static struct phase phases[] = {
    {"detection", "how and how fast the problem was noticed",
     DBF_RE("\\b(detect\\w*|alert\\w*|notic\\w*|paged|monitor\\w*|became aware|first report\\w*|"
            "reported by|observab\\w*)\\b")},
    {"diagnosis", "how the cause was found",
     DBF_RE("\\b(diagnos\\w*|root cause|identif\\w*|investigat\\w*|troubleshoot\\w*|debug\\w*|"
            "found (the|that)|determin\\w*|pinpoint\\w*|narrow\\w* down)\\b")},
    {"mitigation", "how the impact was stopped",
     DBF_RE("\\b(mitigat\\w*|roll(ed)? ?back|revert\\w*|restor\\w*|recover\\w*|workaround|"
            "fail(ed)? ?over|hot-?fix|patch\\w*|resolv\\w*|remediat\\w*)\\b")},
    {"blast radius", "why the impact was as wide as it was, and what limited it",
     DBF_RE(
         "\\b(blast radius|scope|limited to|contain\\w*|spread|isolat\\w*|only (affected|impacted)|"
         "(all|every|most) (regions?|customers|users|clusters|services|tenants)|cells?|"
         "how (many|much|far|wide)|radius)\\b")},
};

static struct dbf__re improvement = DBF_RE(
    "\\b(will|would|could|next\\s+time|going\\s+forward|in\\s+(the\\s+)?future|action(\\s+item)?s?"
    "\\s+?#?\\d+|"
    "improv\\w*|faster|quicker|reduc\\w*|shorten\\w*|automat\\w*|we\\s+(plan|need|intend)\\s+to|"
    "to\\s+prevent|add(ing|ed)?\\s+(an?\\s+)?(alert|dashboard|panel|check|runbook|test|probe)|"
    "worked\\s+well|went\\s+well|helped|to\\s+(detect|diagnose|mitigate|limit|contain|recover|"
    "restore|catch|"
    "find|confirm)\\s+(it\\s+|this\\s+|the\\s+\\w+\\s+)?(within|in\\s+under|faster|sooner)|to\\s+"
    "limit\\s+the\\s+next)\\b");

static struct dbf__re analysis_heading =
    DBF_RE("\\b(respon\\w*|detect\\w*|diagnos\\w*|escalat\\w*|blast radius|handling)\\b");

static bool in_response(const struct dbf_doc *doc, const struct dbf_block *b)
{
    return dbf__is_prose(b) && dbf_doc_block_kind(doc, b) == DBF_SECTION_RESPONSE;
}

/* Is section S the section ANCESTOR or nested in it? */
static bool inside(const struct dbf_doc *doc, size_t s, const struct dbf_section *ancestor)
{
    for (int i = (int)s; i >= 0; i = doc->sections[i].parent)
        if (&doc->sections[i] == ancestor)
            return true;
    return false;
}

/* The section that analyses the response ("Incident response", "Detection",
 * "Response analysis"), or NULL. A "Resolution" or "Recovery" section alone
 * tells how it was fixed, not how the response went, and is not one. */
static const struct dbf_section *response_analysis(const struct dbf_doc *doc)
{
    for (size_t s = 0; s < doc->section_count; s++) {
        const struct dbf_section *sec = &doc->sections[s];
        if (sec->effective == DBF_SECTION_RESPONSE && sec->heading && sec->level <= 6 &&
            dbf__re_test(&analysis_heading, sec->heading))
            return sec;
    }
    return NULL;
}

/* Does the incident need a response analysis: customer-facing by the front
 * matter, or SEV-1 or SEV-2? */
static bool serious(const struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    return (lint->facts.customer_facing_known && lint->facts.customer_facing) ||
           doc->meta.severity_level == 1 || doc->meta.severity_level == 2;
}

/* response/missing-phase: a response analysis that never covers detection,
 * diagnosis, mitigation or blast radius, one finding per phase; or a serious
 * incident with no response analysis at all, one finding at the title. */
void dbf__check_response_missing_phase(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    const struct dbf_section *response = response_analysis(doc);
    if (!response) {
        if (serious(lint))
            dbf__report(
                lint,
                doc->title && doc->title_pos.line > 0 ? doc->title_pos : (struct dbf_pos){1, 1},
                "a %s incident needs a response analysis and this one has none; add a "
                "section on detection, diagnosis, mitigation and blast radius: how each "
                "went, how long it took and how it could be shorter or smaller",
                doc->meta.severity_level == 1 || doc->meta.severity_level == 2 ? "high-severity"
                                                                               : "customer-facing");
        return;
    }
    bool covered[sizeof phases / sizeof phases[0]] = {false};
    for (size_t s = 0; s < doc->section_count; s++) {
        if (doc->sections[s].effective != DBF_SECTION_RESPONSE && !inside(doc, s, response))
            continue;
        const char *h = doc->sections[s].heading;
        for (size_t p = 0; p < sizeof phases / sizeof phases[0]; p++)
            covered[p] |= h && dbf__re_test(&phases[p].re, h);
    }
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!in_response(doc, b) &&
            !(dbf__is_prose(b) && b->section >= 0 && inside(doc, (size_t)b->section, response)))
            continue;
        for (size_t p = 0; p < sizeof phases / sizeof phases[0]; p++)
            covered[p] |= dbf__re_search(&phases[p].re, b->text, b->len, 0, NULL);
    }
    for (size_t p = 0; p < sizeof phases / sizeof phases[0]; p++)
        if (!covered[p])
            dbf__report(
                lint, response->pos,
                "the response analysis does not cover %s (%s); add a paragraph on what "
                "happened, how long it took and how it could be shorter or smaller next time",
                phases[p].name, phases[p].about);
}

/* Does any block of section S, or of its sub-sections, name an improvement? */
static bool section_improves(const struct dbf_doc *doc, size_t s)
{
    const struct dbf_section *sec = &doc->sections[s];
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->pos.line <= sec->pos.line || !dbf__is_prose(b) || b->type == DBF_BLOCK_HEADING)
            continue;
        if (sec->end_line && b->pos.line > sec->end_line)
            break;
        if (dbf__re_search(&improvement, b->text, b->len, 0, NULL))
            return true;
    }
    return false;
}

/* response/no-improvement: a phase of the response analysis (a sub-section
 * named for it) that offers no concrete way to make it faster or smaller. */
void dbf__check_response_no_improvement(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t s = 0; s < doc->section_count; s++) {
        const struct dbf_section *sec = &doc->sections[s];
        const struct dbf_section *analysis = response_analysis(doc);
        bool nested = analysis && inside(doc, s, analysis);
        if ((sec->effective != DBF_SECTION_RESPONSE && !nested) || !sec->heading || sec->level > 6)
            continue;
        const struct phase *named = NULL;
        for (size_t p = 0; p < sizeof phases / sizeof phases[0] && !named; p++)
            if (dbf__re_test(&phases[p].re, sec->heading))
                named = &phases[p];
        if (!named || section_improves(doc, s))
            continue;
        dbf__report(
            lint, sec->pos,
            "the %s phase says what happened but not how to make it faster or smaller; name "
            "a concrete change (an alert and its threshold, a dashboard panel, a one-step "
            "rollback) and link the action item that delivers it",
            named->name);
    }
}
