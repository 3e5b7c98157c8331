/* rules_language.c: the language rules, blame and counterfactuals.
 *
 * Both read every block of prose and report each offending line, up to a
 * few per document: one finding per line is enough to show the habit, and a
 * wall of them would bury the rest of the review. Code and HTML are skipped
 * (logs say "failed to" without judging anyone). */
#include "rules.h"

#include <string.h>

enum { MAX_FINDINGS = 5 };

/* Shaming words, verdicts on people, and a named person as the author of
 * the breaking change. Words about systems ("the code was sloppy") are rare
 * enough in post mortems that the judgement words need no subject. */
static struct dbf__re shaming = DBF_RE(
    "\\b(careless(?:ly|ness)?|negligen(?:t|tly|ce)|sloppy|sloppiness|lazy|laziness|"
    "incompeten(?:t|ce)|greedy|stupid(?:ity)?|reckless(?:ly|ness)?|irresponsibl[ey]|"
    "inexperienced|idiot\\w*|clueless|dumb)\\b|"
    "\\b(should(?: have|'ve) known(?: better)?)\\b|"
    "\\b((?:did not|didn't|never) bother(?:ed)? to)\\b|"
    "\\b(without (?:being|even being) (?:thorough|careful))\\b|"
    "\\b(the mess (?:they|he|she|you) (?:created|made|caused|left))\\b|"
    "\\b((?:his|her|their) (?:mistake|fault|blunder|carelessness|negligence))\\b|"
    "\\b((?:is|are|was|were) to blame|blame (?:lies|rests) with|(?:caused|due to|because of) "
    "(?:a |an )?(?:human|operator|user) error)\\b");

/* "Tom's mistake", "@alice's fault": a possessive name before a verdict. */
static struct dbf__re possessive_fault = DBF_RE_CASED(
    "(?:@[\\w-]+|\\b[A-Z][a-z]+)'s (?i:mistake|fault|blunder|error|screw-?up|carelessness|"
    "negligence)\\b");

/* "merged by Ben Smith", "caused by @alice": a person as the agent of the
 * change. A handle, or a first and last name, so products ("caused by
 * GitHub") do not count. */
static struct dbf__re person_agent = DBF_RE_CASED(
    "\\b(?i:merged|pushed|authored|committed|introduced|caused|broken|broke|deployed|"
    "triggered|executed|deleted) by (@[\\w-]+|[A-Z][a-z]+ [A-Z][a-z]+)\\b");

/* "Sam made a fix. However this fix resulted in breaking the hub": a named
 * person does something, and the next words make that thing the cause. */
static struct dbf__re person_then_breakage = DBF_RE_CASED(
    "(?:^|[.!?]\\s+|\\n)(@[\\w-]+|(?!(?:The|This|That|These|Those|There|Then|Their|They|"
    "We|Our|It|Its|An?|After|When|While|Once|In|On|At|As|Since|Because|During|Later|"
    "Finally|However|Also|He|She|His|Her|Someone|Nobody|One|Another|Each|Every|All|Some|"
    "Both|If|To|For|With|By|From|No|Not|Any|Most|Many|Further|Next|First|Here|What|Why|"
    "How|Who|Which|Where|Unfortunately|Meanwhile|Eventually)\\b)[A-Z][a-z]{2,})"
    "\\s+(?:\\w+\\s+){0,2}?(?i:made|pushed|merged|deployed|applied|ran|wrote|changed|"
    "jumped in to make|rushed out|shipped)\\b[^.!?]{0,120}[.!?]?\\s*(?i:however,?\\s+)?"
    "(?i:this|that|the|his|her|their) (?i:fix|change|commit|patch|update|command|script|"
    "edit|pr|pull request)\\s+(?i:resulted in breaking|broke|caused|took down|brought down)\\b");

/* Verbs of catching, preventing and fixing, the heart of a counterfactual. */
#define REMEDY                                                                                     \
    "caught|prevented|avoided|detected|noticed|spotted|reduced|mitigated|limited|"            \
    "helped|allowed|stopped|saved|capped|tested|checked|reviewed|validated|verified|"         \
    "escalated|alerted|paged|monitored|rolled back|reverted|fixed|resolved|addressed|"        \
    "handled|removed|updated|upgraded|communicated|informed|notified|flagged|blocked|"        \
    "reali[sz]ed|considered|anticipated|identified|discovered|raised|warned|"                 \
    "shortened|enforced|followed|protected|contained|minimi[sz]ed|halted|"                    \
    "recogni[sz]ed|investigated|documented|planned|performed|implemented|found"
/* Modal perfect with a verb of catching or preventing: "should have been
 * caught", "could have reduced", "would have prevented". The verb list keeps
 * out plans ("every item should have an issue"), capabilities ("attackers
 * could have used it") and hypothetical impact ("users would have seen"). */
static struct dbf__re modal_perfect = DBF_RE(
    "\\b(?:(should(?:n't|\\s+not)?(?:\\s+have|'ve|\\s+hav)\\s+(?:been\\s+\\w+|"
    "(?:" REMEDY "|done|known|seen|asked|waited|run|taken|made|used|gone|kept|set|told|put|started|"
    "called|acted|responded|reacted|looked|read|written|double-checked)))|"
    "((?:could|would|might)(?:\\s+have|'ve|\\s+hav)\\s+(?:been\\s+|be\\s+)?"
    "(?:" REMEDY "))|((?:could|would)(?:\\s+have|'ve)\\s+(?:been|be)\\s+done))\\b");

/* "we failed to notice", "the reviewer failed to catch": a person failing,
 * not a process failing to start. */
static struct dbf__re failed_to = DBF_RE(
    "\\b(?:we|i|they|he|she|nobody|no one|someone|team|engineers?|operators?|on-?call|"
    "reviewers?|developers?|authors?|staff|responders?|maintainers?|admins?|"
    "administrators?|management|us|people)\\b(?:\\s+\\w+){0,2}?\\s+"
    "(failed|neglected|forgot) to\\b");

/* "Failure to provide enough collateral ...": a sentence that opens with
 * what was not done, as a cause. */
static struct dbf__re failure_to = DBF_RE("(?:^|[.!?:;]\\s+)(failure to)\\s+\\w+");

/* "if only we had", "had we run a load test", "if the user had enrolled
 * ..., the attacker would not have". */
static struct dbf__re if_had = DBF_RE(
    "\\b(if only)\\s+(?:we|i|they|someone|somebody|anyone|the)\\b|"
    "(?:^|[.!?,;]\\s+|\\n)(had (?:we|they|i|someone|anyone|the team|our \\w+))\\s+"
    "(?:\\w+ed|been|known|run|done|taken|made|seen)\\b|"
    "\\b(if (?:we|they|i|someone|anyone|the \\w+|our \\w+) had)\\s+(?:not\\s+)?"
    "(?:\\w+ed|been|known|run|done|taken|made|seen)\\b[^.;!?]{0,200}?\\bwould(?:n't| not)?"
    "(?: have|'ve)\\b");

/* The first match of RE in B from FROM: its start and end, or false. */
static bool find(struct dbf__re *re, const struct dbf_block *b, size_t from, size_t *start,
                 size_t *end)
{
    struct dbf__match m;
    if (from >= b->len || !dbf__re_search(re, b->text, b->len, from, &m))
        return false;
    *start = m.start;
    *end = m.end;
    for (int g = 1; g < 10; g++)
        if (m.group_start[g] != SIZE_MAX) {
            *start = m.group_start[g];
            *end = m.group_end[g];
            break;
        }
    return true;
}

enum finding_kind { BLAME_WORDING, BLAME_PERSON, COUNTERFACTUAL };

struct line_reporter {
    struct dbf__lint *lint;
    int last_line;
    int count;
};

/* Reports at most once per line and MAX_FINDINGS per document. */
static bool report_once(struct line_reporter *r, const struct dbf_block *b, size_t start,
                        size_t end, enum finding_kind kind)
{
    int line = dbf_doc_block_line(b, start);
    if (line == r->last_line)
        return true;
    if (r->count >= MAX_FINDINGS)
        return false;
    int n = (int)(end - start > 60 ? 60 : end - start);
    char phrase[64];
    memcpy(phrase, b->text + start, (size_t)n);
    phrase[n] = '\0';
    for (char *p = phrase; *p; p++)
        if (*p == '\n')
            *p = ' ';
    int column = b->pos.line == line ? b->pos.column : 1;
    struct dbf_pos pos = {line, column};
    if (kind == BLAME_WORDING)
        dbf__report(r->lint, pos,
                    "'%s' blames a person; describe what was done and what in the system let "
                    "it cause harm, using roles instead of names",
                    phrase);
    else if (kind == BLAME_PERSON)
        dbf__report(r->lint, pos,
                    "'%s' is named as the one whose action broke things; describe the change "
                    "and what let it cause harm, using roles instead of names",
                    phrase);
    else
        dbf__report(r->lint, pos,
                    "'%s' explains the incident by what did not happen; describe what did "
                    "happen and why it made sense at the time, and put the fix in an action item",
                    phrase);
    r->last_line = line;
    r->count++;
    return true;
}

/* Runs every pattern of PATTERNS over the prose, reporting each hit's line. */
struct pattern {
    struct dbf__re *re;
    enum finding_kind kind;
};

static void scan(struct dbf__lint *lint, const struct pattern *patterns, size_t count)
{
    struct line_reporter r = {lint, 0, 0};
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b))
            continue;
        for (size_t p = 0; p < count; p++) {
            size_t from = 0, start, end;
            while (find(patterns[p].re, b, from, &start, &end)) {
                if (!report_once(&r, b, start, end, patterns[p].kind))
                    return;
                from = end > from ? end : from + 1;
            }
        }
    }
}

/* language/blame: shaming words, "X's mistake", a person named as the one
 * whose change broke things, "human error" as the verdict. */
void dbf__check_language_blame(struct dbf__lint *lint)
{
    const struct pattern patterns[] = {{&shaming, BLAME_WORDING},
                                       {&possessive_fault, BLAME_WORDING},
                                       {&person_agent, BLAME_PERSON},
                                       {&person_then_breakage, BLAME_PERSON}};
    scan(lint, patterns, sizeof patterns / sizeof patterns[0]);
}

/* language/counterfactual: "should have", "could have caught", "would have
 * prevented", "we failed to", "if only", "had we …" used to explain. */
void dbf__check_language_counterfactual(struct dbf__lint *lint)
{
    const struct pattern patterns[] = {{&modal_perfect, COUNTERFACTUAL},
                                       {&failed_to, COUNTERFACTUAL},
                                       {&failure_to, COUNTERFACTUAL},
                                       {&if_had, COUNTERFACTUAL}};
    scan(lint, patterns, sizeof patterns / sizeof patterns[0]);
}
