/* rules_language.c: the language rules, blame and counterfactuals.
 *
 * Both read every block of prose and report each offending line, up to a
 * few per document: one finding per line is enough to show the habit, and a
 * wall of them would bury the rest of the review. Code and HTML are skipped
 * (logs say "failed to" without judging anyone). */
#include "rules.h"

#include <assert.h>
#include <string.h>

enum { MAX_FINDINGS = 5 };

/* Verdicts on people's character or diligence, and a fault pinned on a
 * person by pronoun. Words about systems ("the code was sloppy") are rare
 * enough in post mortems that the judgement words need no subject. */
static struct dbf__re shaming = DBF_RE_PARTS(
    "\\b(careless(?:ly|ness)?|negligen(?:t|tly|ce)|sloppy|sloppiness|lazy|laziness|"
    "incompeten(?:t|ce)|greedy|stupid(?:ity)?|reckless(?:ly|ness)?|irresponsibl[ey]|"
    "inexperienced|idiot\\w*|clueless|dumb)\\b|"
    "\\b(should(?: have|'ve) known(?: better)?)\\b|"
    "\\b((?:did not|didn't|never|not) (?:even )?bother(?:ed)? to|"
    "without (?:even )?(?:bothering to|being (?:thorough|careful)|caring|thinking))\\b|"
    "\\b((?:his|her|their) (?:own )?(?:mistake|fault|blunder|carelessness|negligence|mess)|"
    "the (?:mistake|blunder|mess) (?:they|he|she|you) (?:made|created|caused|left))\\b|"
    "\\b((?:is|are|was|were) to blame|blame (?:lies|rests) with|(?:caused|due to|because of) "
    "(?:a |an )?(?:human|operator|user) error)\\b");

/* "Tom's mistake", "@alice's fault": a possessive name before a verdict. */
static struct dbf__re possessive_fault = DBF_RE_CASED(
    "(?:@[\\w-]+|\\b[A-Z][a-z]+)'s (?i:mistake|fault|blunder|error|screw-?up|carelessness|"
    "negligence)\\b");

/* "merged by Dana Ruiz", "caused by @alice": a person as the agent of the
 * change. A handle, or a first and last name, so products ("caused by
 * GitHub") do not count. */
static struct dbf__re person_agent =
    DBF_RE_CASED("\\b(?i:merged|pushed|authored|committed|introduced|caused|broken|broke|deployed|"
                 "triggered|executed|deleted) by (@[\\w-]+|[A-Z][a-z]+ [A-Z][a-z]+)\\b");

/* A person (group 1: a handle, or a capitalised word checked to be a name)
 * opens a sentence or a timeline entry by making a change, and the same or
 * the next sentence makes that change what broke things: the person is
 * presented as the cause. */
static struct dbf__re person_then_breakage = DBF_RE_CASED(
    "(?:^|[.!?]\\s+|\\n)(?:\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:[A-Z]{2,4}\\s*)?[-–—:]?\\s*)?"
    "(@[\\w-]+|[A-Z][a-z]{2,})\\s+(?:\\w+\\s+){0,4}?"
    "(?i:made|make|pushed|merged|deployed|applied|ran|wrote|changed|shipped|released|"
    "committed|edited|updated|modified|upgraded|deleted|removed|executed)\\b[^.!?]{0,120}"
    "[.!?]?\\s*(?i:however,?\\s+|but\\s+|unfortunately,?\\s+)?"
    "(?i:this|that|the|his|her|their) (?i:fix|change|commit|patch|update|upgrade|command|"
    "script|edit|pr|pull request|deploy(?:ment)?)\\s+(?:\\w+\\s+)?(?i:broke|caused|"
    "resulted in|led to|took down|brought down)\\b");

/* A person (group 1, checked to be a name) who ignored or neglected
 * something: "Marcus ignored the alert" makes the person the cause. */
static struct dbf__re person_neglect = DBF_RE_CASED(
    "(@[\\w-]+|\\b[A-Z][a-z]{2,})\\s+(?:(?:also|then|just|simply|again|completely)\\s+)?"
    "(?i:ignored|neglected|disregarded|brushed off|shrugged off)\\b");

/* Verbs of catching, preventing and fixing, the heart of a counterfactual. */
#define REMEDY                                                                                     \
    "caught|prevented|avoided|detected|noticed|spotted|reduced|mitigated|limited|"                 \
    "helped|allowed|stopped|saved|capped|tested|checked|reviewed|validated|verified|"              \
    "escalated|alerted|paged|monitored|rolled back|reverted|fixed|resolved|addressed|"             \
    "handled|removed|updated|upgraded|communicated|informed|notified|flagged|blocked|"             \
    "reali[sz]ed|considered|anticipated|identified|discovered|raised|warned|"                      \
    "shortened|enforced|followed|protected|contained|minimi[sz]ed|halted|"                         \
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
 * not a process failing to start; or any defence that failed to do its one
 * job of catching or warning ("the alert failed to fire" is a fact, "the
 * scanner failed to flag it" judges the defence by what it did not do). */
static struct dbf__re failed_to =
    DBF_RE("\\b(?:we|i|they|he|she|nobody|no one|someone|team|engineers?|operators?|on-?call|"
           "reviewers?|developers?|authors?|staff|responders?|maintainers?|admins?|"
           "administrators?|management|us|people)\\b(?:\\s+\\w+){0,2}?\\s+"
           "(failed|neglected|forgot) to\\b|"
           "\\b(failed to (?:catch|detect|flag|notice|spot|alert|warn|page|prevent|stop|block|"
           "report|raise|escalate))\\b");

/* "Failure to provide enough collateral ...": a sentence that opens with
 * what was not done, as a cause. */
static struct dbf__re failure_to = DBF_RE("(?:^|[.!?:;]\\s+)(failure to)\\s+\\w+");

/* What a counterfactual condition leads to: the harm would not have
 * happened, or a defence would have caught it. "Had we needed a restore,
 * we would have lost a day of data" sizes a risk instead: no judgement. */
#define AVOIDED_HARM                                                                               \
    "[^.;!?]{0,200}?\\b(?:(?:would|could)(?:n't| not)(?: have|'ve)|"                               \
    "(?:would|could|might)(?: have|'ve) (?:been )?(?:" REMEDY "|known))\\b"

/* "if only we had", "had we load-tested it, we would have caught the bug",
 * "if the user had enrolled ..., the attacker would not have". */
static struct dbf__re if_had = DBF_RE(
    "\\b(if only)\\s+(?:we|i|they|someone|somebody|anyone|the)\\b|"
    "(?:^|[.!?,;]\\s+|\\n)(had (?:we|they|i|someone|anyone|the team|our \\w+))\\s+(?:not\\s+)?"
    "(?:\\w+ed|been|known|run|done|taken|made|seen)\\b" AVOIDED_HARM "|"
    "\\b(if (?:we|they|i|someone|anyone|the \\w+|our \\w+)(?: had|'d|’d))\\s+(?:not\\s+)?"
    "(?:\\w+ed|been|known|run|done|taken|made|seen|had)\\b" AVOIDED_HARM);

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

enum finding_kind { BLAME_WORDING, BLAME_PERSON, BLAME_NEGLECT, COUNTERFACTUAL };

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
    else if (kind == BLAME_NEGLECT)
        dbf__report(r->lint, pos,
                    "'%s' is named as the one who let a warning pass; describe what the "
                    "warning looked like and why it did not stand out, using roles instead "
                    "of names",
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

/* A pattern, and whether its first group must be a person's name. */
struct pattern {
    struct dbf__re *re;
    enum finding_kind kind;
    bool names_person;
};

/* Is TEXT[0..LEN) a handle, or a capitalised word the document never writes
 * in lower case (so a name, not "However" or "Deploying" opening a sentence)? */
static bool is_person(struct dbf__lint *lint, const char *text, size_t len)
{
    return len > 1 && (text[0] == '@' || !dbf__written_lower_case(lint, text, len));
}

/* Runs every pattern of PATTERNS over the prose, reporting each hit's line;
 * a block none of them could match (by their needles) is passed over. SET:
 * the same patterns, in the same order. */
static void scan(struct dbf__lint *lint, const struct pattern *patterns, size_t count,
                 struct dbf__re_set *set)
{
    struct line_reporter r = {lint, 0, 0};
    const struct dbf_doc *doc = lint->doc;
    assert(set->count == count);
    for (size_t p = 0; p < count; p++)
        assert(set->res[p] == patterns[p].re);
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) || !dbf__re_set_may_match(set, b->text, b->len))
            continue;
        for (size_t p = 0; p < count; p++) {
            size_t from = 0, start, end;
            while (find(patterns[p].re, b, from, &start, &end)) {
                bool person =
                    !patterns[p].names_person || is_person(lint, b->text + start, end - start);
                if (person && !report_once(&r, b, start, end, patterns[p].kind))
                    return;
                from = end > from ? end : from + 1;
            }
        }
    }
}

/* language/blame: shaming words, "X's mistake", a person named as the one
 * whose change broke things or who ignored a warning, "human error" as the
 * verdict. */
void dbf__check_language_blame(struct dbf__lint *lint)
{
    static struct dbf__re *const res[] = {&shaming, &possessive_fault, &person_agent,
                                          &person_then_breakage, &person_neglect};
    static struct dbf__re_set set = DBF_RE_SET(res);
    const struct pattern patterns[] = {{&shaming, BLAME_WORDING, false},
                                       {&possessive_fault, BLAME_WORDING, false},
                                       {&person_agent, BLAME_PERSON, false},
                                       {&person_then_breakage, BLAME_PERSON, true},
                                       {&person_neglect, BLAME_NEGLECT, true}};
    scan(lint, patterns, sizeof patterns / sizeof patterns[0], &set);
}

/* language/counterfactual: "should have", "could have caught", "would have
 * prevented", "we failed to", "if only", "had we …" used to explain. */
void dbf__check_language_counterfactual(struct dbf__lint *lint)
{
    static struct dbf__re *const res[] = {&modal_perfect, &failed_to, &failure_to, &if_had};
    static struct dbf__re_set set = DBF_RE_SET(res);
    const struct pattern patterns[] = {{&modal_perfect, COUNTERFACTUAL, false},
                                       {&failed_to, COUNTERFACTUAL, false},
                                       {&failure_to, COUNTERFACTUAL, false},
                                       {&if_had, COUNTERFACTUAL, false}};
    scan(lint, patterns, sizeof patterns / sizeof patterns[0], &set);
}
