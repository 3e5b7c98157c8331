/* rules_rootcause.c: the root cause rules.
 *
 * Depth is read two ways: numbered whys (doc->whys, deepest branch), and
 * prose that asks why the defences let the fault through: sentences that
 * name a defence (tests, review, monitoring, alerting, rollout, staging)
 * together with its gap ("no alert", "was not tested", "missed in review").
 * Both are looked for in the analysis parts of the document: root cause,
 * lessons ("what went wrong"), response, summary and unnamed sections; not
 * the timeline or the action items, which record events and plans. */
#include "rules.h"

#include <string.h>

enum { MAX_HUMAN_ERROR_FINDINGS = 3 };

static struct dbf__re defence = DBF_RE_PARTS(
    "\\b(tests?|testing|tested|untested|test suites?|load tests?|review(?:ed|s|ers?|ing)?|"
    "code review|oversight|monitor(?:ing|ed|s)?|alert(?:s|ing|ed)?|dashboards?|rollouts?|"
    "roll-outs?|staging|canary|canaries|qualification|audit(?:s|ed|ors?|ing)?|"
    "detect(?:ed|ion)?|ci|fuzz\\w*|spec(?:ification)?s?|validation|safeguards?|guard ?rails?|"
    "pre-?production|dry[- ]run|approval|least[- ]privilege|permissions?|"
    "backups?|redundancy|unnoticed|caught|automation|rollbacks?|rolling back|revision|"
    "runbooks?|documentation|(?:test|staging|development|production) environments?|"
    "scann(?:er|ers|ing)|mask(?:ing|ed)?|two-factor|multi-factor|2fa|mfa|expiry|expiration|"
    "(?:health|sanity|safety|automated|automatic|consistency|integrity|no|any) checks?|"
    "why\\s+(?:[\\w'’]+\\s+){1,4}?notic(?:e|ed))\\b");

/* Counterfactuals ("should have gone through the canary") are not gaps: they
 * say what ought to have happened, not why it did not. */
static struct dbf__re gap =
    DBF_RE_PARTS("\\b(not|no|never|n't|missed|miss|lack(?:ed|ing|s)?|without|insufficient|inadequate|"
           "failed|gaps?|flaky|weak|unable|nothing|none|absent|little|only|rushed|cannot|"
           "nobody|no one|excluded|out of scope|skip(?:s|ped|ping)?|bypass(?:es|ed|ing)?|"
           "did not|didn't|wasn't|weren't|"
           "doesn't|does not|don't|isn't|different from|differs? from|mismatch(?:ed)?)\\b");

/* The analysis says it does not know why: an open question, not a cause. */
static struct dbf__re unknown_cause = DBF_RE(
    "\\b(not (?:yet )?clear why|unclear why|(?:as of yet |still |yet )?unknown (?:reason|cause)|"
    "for (?:an|some) (?:as of yet )?unknown reason|somehow|(?:do|did)(?:n't| not) know why|"
    "not sure why|cause (?:is|remains) (?:still )?unknown|still unknown|"
    "to (?:be )?fill(?:ed)? in|to be determined|tbd)\\b");

/* Human error, an accident or a mistake named as the cause; "process
 * failure", legacy systems and people who are gone named as the cause. */
static struct dbf__re human_cause = DBF_RE(
    "\\b((?:human|operator|user|manual|engineer(?:ing)?|people|personnel) (?:error|mistake)s?)\\b|"
    "\\b((?:accidental(?:ly)?|inadvert[ae]nt(?:ly)?|unintentional(?:ly)?|mistakenly|by mistake|"
    "erroneously|incorrectly|wrongly)\\s+(?:\\w+\\s+){0,2}?(?:deleted|deletion|deleting|"
    "removed|removal|ran|run|running|executed|execution|overwr\\w+|pushed|pushing|push|"
    "committed|commit|leaked|contained|included|exposed|published|shared|dropped|destroyed|"
    "modified|changed|applied|targeted|selected|merged|deployed|typed|copied|wiped|terminated|"
    "killed|shut|revoked|disabled|enabled|granted|transferred))\\b|"
    "\\b((?:we|they|i|the team|engineers?) overlooked|(?:was|were) overlooked|"
    "(?:made|make|making) a mistake|a typo|"
    "(?:wrong|incorrect) (?:cluster|context|environment|account|database|server|host|"
    "namespace|project|branch|region|kube ?context)|inexperienced \\w+|"
    "(?:bad|poor) (?:decis\\w*|judge?ment)|"
    "process failure|forgot to|forgotten to)\\b|"
    "\\b(legacy (?:system|code|infrastructure|platform)s?|"
    "(?:root )?cause (?:was|is) (?:the |an? |our )?legacy [\\w-]+(?: [\\w-]+)?|"
    "previous team|(?:a |the )?(?:team|people|engineers?|developers?|someone|person) "
    "(?:that|who) (?:no longer (?:exists?|works? here)|(?:has|have|had) (?:since )?left))\\b");

/* Prose that names more than one cause. Loose links ("additionally", "as
 * well as") are left out: summaries use them for symptoms and fixes too. */
static struct dbf__re several_causes =
    DBF_RE("\\b(contributing factors? (?:were|are|was|is|include)|a number of contributing|"
           "contributing causes?|contributed to|also contributed|"
           "(?:two|three|four|five|six|several|multiple|a few|a number of|number of|many|"
           "separate|different) (?:\\w+ )?(?:factors|causes|issues|bugs|problems|failures|mistakes|"
           "reasons|root causes|gaps|weaknesses|conditions)|"
           "(?:two|three|several|a few|many) (?:\\w+ )?things (?:came together|combined|coincided|"
           "lined up|went wrong)|compound(?:ed|ing)|exacerbat\\w+|"
           "made (?:it|this|things|matters|the (?:impact|outage|problem)) worse|another (?:factor|"
           "cause|contributing|reason)|(?:a|the) (?:second|third|further) (?:thing|factor|cause|"
           "problem|issue|condition|contributor)|(?:things|factors|conditions|problems) combined|"
           "combination of|coupled with|there (?:was|were) also)\\b");

/* Links that add a second condition, counted only inside the root cause
 * section where they cannot be about symptoms or fixes. */
static struct dbf__re another_condition =
    DBF_RE("\\b(?:(?:additionally|in addition|separately|furthermore|moreover|at the same time|"
           "on top of (?:this|that)|however|meanwhile)\\b|(?:further|second(?:ly)?|finally),)");

/* A paragraph that only says what would have happened otherwise restates the
 * cause; it is not a second condition. */
static struct dbf__re counterfactual =
    DBF_RE("\\b((?:would|could|should)(?: not|n't)? have|if only)\\b");

static struct dbf__re several_causes_heading = DBF_RE("\\b(contributing|factors|causes)\\b");

/* "What went wrong" lists mix causes with complaints about the response;
 * an item counts as a cause when it names a gap or a causal link. */
static struct dbf__re went_wrong_heading =
    DBF_RE("\\b(what went wrong|things that went wrong|where we got unlucky|what didn't go well|"
           "what did not go well|what went poorly)\\b");
static struct dbf__re causal_link =
    DBF_RE("\\b(due to|caused|causing|because|broke|broken|led to|resulted in)\\b");

/* Is B part of the analysis (not events, plans or impact figures)? */
static bool is_analysis(const struct dbf_doc *doc, const struct dbf_block *b)
{
    if (!dbf__is_prose(b))
        return false;
    switch (dbf_doc_block_kind(doc, b)) {
    case DBF_SECTION_ROOT_CAUSE:
    case DBF_SECTION_LESSONS:
    case DBF_SECTION_POST_INCIDENT:
    case DBF_SECTION_RESPONSE:
    case DBF_SECTION_SUMMARY:
    case DBF_SECTION_OTHER:
        return true;
    default:
        return false;
    }
}

static bool in_root_cause(const struct dbf_doc *doc, const struct dbf_block *b)
{
    return dbf__is_prose(b) && dbf_doc_block_kind(doc, b) == DBF_SECTION_ROOT_CAUSE;
}

static bool in_span(struct dbf__re *re, const struct dbf_block *b, size_t start, size_t end)
{
    struct dbf__match m;
    return dbf__re_search(re, b->text, end, start, &m) && m.start < end;
}

/* The deepest why chain, counting each branch on its own. */
static int why_depth(const struct dbf_doc *doc)
{
    int deepest = 0;
    for (size_t i = 0; i < doc->why_count; i++)
        if (doc->whys[i].depth > deepest)
            deepest = doc->whys[i].depth;
    return deepest;
}

/* How many sentences of the analysis ask why a defence let the fault through. */
static int defence_gaps(const struct dbf_doc *doc)
{
    int count = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!is_analysis(doc, b) || !dbf__re_may_match(&defence, b->text, b->len) ||
            !dbf__re_may_match(&gap, b->text, b->len))
            continue;
        size_t start = 0, end = 0;
        while (dbf__next_sentence(b, &start, &end))
            if (in_span(&defence, b, start, end) && in_span(&gap, b, start, end))
                count++;
    }
    return count;
}

/* How many whys ask, or answer, why a defence let the fault through ("Why
 * did review not catch it?", "Why did users tell us first? We had no alert
 * on ..."). */
static int defence_whys(const struct dbf_doc *doc)
{
    int count = 0;
    for (size_t i = 0; i < doc->why_count; i++) {
        const char *q = doc->whys[i].text;
        size_t len = q ? strlen(q) : 0;
        if (len && dbf__re_search(&defence, q, len, 0, NULL) &&
            dbf__re_search(&gap, q, len, 0, NULL))
            count++;
    }
    return count;
}

/* Does the root cause section admit that the cause is not known? */
static bool cause_unknown(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (in_root_cause(doc, b) && dbf__re_search(&unknown_cause, b->text, b->len, 0, NULL))
            return true;
    }
    return false;
}

/* The levels of why the analysis should reach: the "whys" of
 * rootcause/shallow, which rootcause/human-error follows too. */
static long whys_wanted(const struct dbf__lint *lint)
{
    long wanted = dbf__rule_option(lint, DBF_RULE_ROOTCAUSE_SHALLOW, "whys");
    return wanted > 0 ? wanted : 5;
}

/* Enough levels of why, in numbers or prose, for whys_wanted()? */
bool dbf__analysis_deep(const struct dbf__lint *lint, int *levels)
{
    const struct dbf_doc *doc = lint->doc;
    long wanted = whys_wanted(lint);
    int depth = why_depth(doc);
    /* A written chain of whys (two or more) is the author's own measure of
     * depth: prose elsewhere describes other factors, not further levels of
     * the chain, but whys that ask why two defences let the fault through go
     * as deep as the standard asks. Without a chain, a sentence on a
     * defence's gap is a level below the technical cause, which the root
     * cause section itself gives: two of them reach the same depth. */
    bool chain = depth >= 2;
    int prose = chain ? defence_whys(doc) : defence_gaps(doc);
    int prose_levels = prose >= 2 ? (int)wanted : chain ? depth : prose + 1;
    *levels = depth > prose_levels ? depth : prose_levels;
    if (!dbf_doc_has_section(doc, DBF_SECTION_ROOT_CAUSE) && depth == 0)
        return false;
    if (depth >= wanted)
        return true;
    return prose_levels >= wanted && !cause_unknown(doc);
}

static struct dbf_pos root_cause_anchor(const struct dbf_doc *doc)
{
    const struct dbf_section *s = dbf_doc_section(doc, DBF_SECTION_ROOT_CAUSE);
    if (s)
        return s->pos;
    if (doc->title)
        return doc->title_pos;
    return (struct dbf_pos){1, 1};
}

/* rootcause/human-error: the analysis names human error, an accident, a
 * mistake, "process failure", "legacy system" or "the previous team" as the
 * cause and does not go on to why that was possible. Without a root cause
 * section, the cause is wherever the document states it. */
void dbf__check_rootcause_human_error(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (lint->facts.analysis_deep)
        return;
    bool has_section = dbf_doc_has_section(doc, DBF_SECTION_ROOT_CAUSE);
    int reported = 0;
    for (size_t i = 0; i < doc->block_count && reported < MAX_HUMAN_ERROR_FINDINGS; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b))
            continue;
        enum dbf_section_kind k = dbf_doc_block_kind(doc, b);
        if (has_section ? k != DBF_SECTION_ROOT_CAUSE
                        : (k == DBF_SECTION_ACTIONS || k == DBF_SECTION_LESSONS))
            continue;
        struct dbf__match m;
        if (!dbf__re_search(&human_cause, b->text, b->len, 0, &m))
            continue;
        size_t at = m.start, len = m.end - m.start;
        for (int g = 1; g < 10; g++)
            if (m.group_start[g] != SIZE_MAX) {
                at = m.group_start[g];
                len = m.group_end[g] - at;
                break;
            }
        char phrase[64];
        size_t n = len < sizeof phrase - 1 ? len : sizeof phrase - 1;
        for (size_t c = 0; c < n; c++)
            phrase[c] = b->text[at + c] == '\n' ? ' ' : b->text[at + c];
        phrase[n] = '\0';
        int line = dbf_doc_block_line(b, at);
        dbf__report(lint, (struct dbf_pos){line, line == b->pos.line ? b->pos.column : 1},
                    "the analysis stops at '%s'; ask why the action was possible and "
                    "seemed right, and why nothing caught it (a guard, a review, a dry run, "
                    "an alert)",
                    phrase);
        reported++;
    }
}

/* rootcause/shallow: fewer levels of why than the option "whys" (5), as
 * numbered whys or as prose on why the defences let the fault through; or
 * no root cause analysis at all. */
void dbf__check_rootcause_shallow(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (lint->facts.analysis_deep)
        return;
    int levels = lint->facts.analysis_levels;
    long wanted = whys_wanted(lint);
    if (!dbf_doc_has_section(doc, DBF_SECTION_ROOT_CAUSE) && doc->why_count == 0) {
        dbf__report(lint, root_cause_anchor(doc),
                    "there is no root cause analysis; add a root cause section that asks why "
                    "at least %ld times, including why testing, review, monitoring and rollout "
                    "did not catch it",
                    wanted);
        return;
    }
    dbf__report(lint, root_cause_anchor(doc),
                "the root cause analysis stops after about %d level%s of why; keep asking why "
                "(aim for %ld), including why testing, review, monitoring or rollout did not "
                "catch it",
                levels, levels == 1 ? "" : "s", wanted);
}

/* rootcause/bullets-not-numbers: a chain of whys written as bullets. */
void dbf__check_rootcause_bullets_not_numbers(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    size_t bulleted = 0;
    const struct dbf_why *first = NULL;
    for (size_t i = 0; i < doc->why_count; i++)
        if (doc->whys[i].bulleted) {
            bulleted++;
            if (!first)
                first = &doc->whys[i];
        }
    if (bulleted < 2)
        return;
    dbf__report(lint, first->pos,
                "the whys are bullets; number them (1., 2., … or 1.1, 1.2 for branches) so "
                "lessons and actions can point at a step");
}

/* Is B one of the whys (a step of a chain, not a separate cause)? */
static bool is_why(const struct dbf_doc *doc, const struct dbf_block *b)
{
    for (size_t i = 0; i < doc->why_count; i++)
        if (doc->whys[i].text == b->text)
            return true;
    return false;
}

/* Does B's section, or one above it, name causes in its heading? */
static bool under_causes_heading(const struct dbf_doc *doc, const struct dbf_block *b)
{
    for (int s = b->section; s >= 0; s = doc->sections[s].parent)
        if (dbf__re_test(&several_causes_heading, doc->sections[s].heading))
            return true;
    return false;
}

/* Is B an item of a "what went wrong" list that names a cause? */
static bool went_wrong_cause(const struct dbf_doc *doc, const struct dbf_block *b)
{
    bool under = false;
    for (int s = b->section; s >= 0 && !under; s = doc->sections[s].parent)
        under = dbf__re_test(&went_wrong_heading, doc->sections[s].heading);
    return under && (dbf__re_search(&gap, b->text, b->len, 0, NULL) ||
                     dbf__re_search(&causal_link, b->text, b->len, 0, NULL));
}

/* Do the root cause sections hold two or more substantial paragraphs or
 * items (twenty words or more, sixty in all)? Analyses laid out at that
 * length describe more than one condition; a one-cause analysis fits in one. */
static bool root_cause_has_several_parts(const struct dbf_doc *doc)
{
    int parts = 0;
    size_t words = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!in_root_cause(doc, b) || b->type == DBF_BLOCK_HEADING || is_why(doc, b) ||
            dbf__re_search(&counterfactual, b->text, b->len, 0, NULL))
            continue;
        size_t w = 0;
        for (size_t c = 0; c < b->len; c++)
            w += b->text[c] == ' ' || b->text[c] == '\n';
        if (w >= 20) {
            parts++;
            words += w;
        }
    }
    return parts >= 2 && words >= 60;
}

/* rootcause/single-cause: one cause, with no contributing factors, no
 * second chain of whys, no whys on two defences that let it through and no
 * list of causes. */
void dbf__check_rootcause_single_cause(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    int branches = 0, last_branch = -1;
    for (size_t i = 0; i < doc->why_count; i++)
        if (doc->whys[i].branch != last_branch) {
            branches++;
            last_branch = doc->whys[i].branch;
        }
    if (branches >= 2 || defence_whys(doc) >= 2 || root_cause_has_several_parts(doc))
        return;
    int cause_items = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!is_analysis(doc, b))
            continue;
        if (b->type != DBF_BLOCK_HEADING &&
            (dbf__re_search(&several_causes, b->text, b->len, 0, NULL) ||
             (in_root_cause(doc, b) &&
              dbf__re_search(&another_condition, b->text, b->len, 0, NULL))))
            return;
        bool listed_cause =
            b->section >= 0 && !is_why(doc, b) &&
            ((b->type == DBF_BLOCK_LIST_ITEM && b->list_depth == 1 &&
              (doc->sections[b->section].kind == DBF_SECTION_ROOT_CAUSE ||
               under_causes_heading(doc, b) || went_wrong_cause(doc, b))) ||
             (b->type == DBF_BLOCK_PARAGRAPH && under_causes_heading(doc, b) &&
              doc->sections[b->section].kind == DBF_SECTION_ROOT_CAUSE &&
              dbf__re_test(&several_causes_heading, doc->sections[b->section].heading)));
        if (listed_cause && ++cause_items >= 2)
            return;
    }
    dbf__report(lint, root_cause_anchor(doc),
                "the analysis gives a single cause; add the contributing factors (what made "
                "it possible, what made it worse, what delayed detection and recovery), each "
                "with its own chain of whys");
}

/* rootcause/unnumbered-branches: several chains of whys that restart their
 * numbering instead of being numbered 1.x, 2.x. */
void dbf__check_rootcause_unnumbered_branches(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->why_count; i++) {
        const struct dbf_why *w = &doc->whys[i];
        if (w->branch == 0 || w->depth != 1)
            continue;
        if (w->number && strchr(w->number, '.') && w->number[strlen(w->number) - 1] != '.')
            continue;
        dbf__report(lint, w->pos,
                    "this chain of whys restarts its numbering; number each branch's whys "
                    "%d.1, %d.2, … so every step can be referred to",
                    w->branch + 1, w->branch + 1);
        return;
    }
}
