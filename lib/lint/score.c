/* score.c: a score per section and for the document, and the checklist.
 *
 * Each finding costs its section points by severity (error 30, warning 15,
 * info 3); a required section that is missing or empty scores 0. The document's
 * score is the weighted mean of its sections' scores, the document-wide
 * rules (title, structure, language, process) counting as one more part.
 * The checklist answers each of the reviewer's questions from the findings
 * of the rule groups behind it. */
#include "score.h"

#include <stdlib.h>
#include <string.h>

static const int weight[DBF_SECTION_KIND_COUNT] = {
    [DBF_SECTION_OTHER] = 15, /* the whole document: structure, title, language, process */
    [DBF_SECTION_SUMMARY] = 10,    [DBF_SECTION_TIMELINE] = 12, [DBF_SECTION_METRICS] = 4,
    [DBF_SECTION_CONTEXT] = 4,     [DBF_SECTION_GLOSSARY] = 0,  [DBF_SECTION_IMPACT] = 10,
    [DBF_SECTION_ROOT_CAUSE] = 15, [DBF_SECTION_RESPONSE] = 6,  [DBF_SECTION_POST_INCIDENT] = 0,
    [DBF_SECTION_LESSONS] = 8,     [DBF_SECTION_ACTIONS] = 14,  [DBF_SECTION_COMMUNICATION] = 4,
};

static int cost(enum dbf_severity s)
{
    return s == DBF_ERROR ? 30 : s == DBF_WARNING ? 15 : s == DBF_INFO ? 3 : 0;
}

static const struct {
    enum dbf_question question;
    const char *text;
    const char *prefixes[6];
} questions[] = {
    {DBF_Q_READABLE,
     "Is it readable by someone from another team?",
     {"summary/", "context/", "title/", "structure/", "impact/", NULL}},
    {DBF_Q_LESSONS, "Are the lessons actionable?", {"lessons/", NULL}},
    {DBF_Q_ROOT_CAUSE, "Is the root cause deep enough?", {"rootcause/", "language/", NULL}},
    {DBF_Q_ACTIONS, "Are the action items specific and owned?", {"actions/", NULL}},
    {DBF_Q_RESPONSE,
     "Are the response improvements concrete?",
     {"response/", "timeline/", "metrics/", "communication/", NULL}},
};

/* The question whose rule groups include RULE's ("impact/" for
 * "impact/vague"), or DBF_QUESTION_COUNT when none does. */
static size_t question_of(const char *rule)
{
    size_t group = strcspn(rule, "/") + 1;
    for (size_t q = 0; q < sizeof questions / sizeof questions[0]; q++)
        for (size_t p = 0; questions[q].prefixes[p]; p++)
            if (strlen(questions[q].prefixes[p]) == group &&
                memcmp(rule, questions[q].prefixes[p], group) == 0)
                return q;
    return DBF_QUESTION_COUNT;
}

static void checklist(struct dbf_review *review)
{
    enum dbf_severity worst[DBF_QUESTION_COUNT];
    for (size_t q = 0; q < sizeof questions / sizeof questions[0]; q++) {
        review->checklist[questions[q].question].question = questions[q].text;
        worst[q] = DBF_OFF;
    }
    /* Each answer's findings counted first, then listed in one array each. */
    size_t count[DBF_QUESTION_COUNT] = {0};
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        size_t q = question_of(f->rule);
        if (q == DBF_QUESTION_COUNT)
            continue;
        count[q]++;
        if (f->severity > worst[q])
            worst[q] = f->severity;
    }
    for (size_t q = 0; q < sizeof questions / sizeof questions[0]; q++) {
        struct dbf_checklist_answer *a = &review->checklist[questions[q].question];
        a->findings = count[q] ? malloc(count[q] * sizeof *a->findings) : NULL;
    }
    for (size_t i = 0; i < review->finding_count; i++) {
        size_t q = question_of(review->findings[i].rule);
        struct dbf_checklist_answer *a =
            q < DBF_QUESTION_COUNT ? &review->checklist[questions[q].question] : NULL;
        if (a && a->findings)
            a->findings[a->finding_count++] = i;
    }
    for (size_t q = 0; q < sizeof questions / sizeof questions[0]; q++)
        review->checklist[questions[q].question].answer = worst[q] >= DBF_ERROR ? DBF_ANSWER_NO
                                                          : worst[q] == DBF_WARNING
                                                              ? DBF_ANSWER_PARTLY
                                                              : DBF_ANSWER_YES;
}

void dbf__score(const struct dbf_doc *doc, struct dbf_review *review)
{
    int penalty[DBF_SECTION_KIND_COUNT] = {0};
    bool missing[DBF_SECTION_KIND_COUNT] = {0};
    bool scored[DBF_SECTION_KIND_COUNT] = {0};
    scored[DBF_SECTION_OTHER] = true;
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        const struct dbf_rule_info *rule = dbf_rule_find(f->rule);
        enum dbf_section_kind k = rule ? rule->section : DBF_SECTION_OTHER;
        if (strcmp(f->rule, "structure/missing-section") == 0) {
            /* The message names the missing kind: "missing section: 'impact' …" */
            const char *q = strchr(f->message, '\'');
            if (q) {
                char name[32] = {0};
                size_t n = strcspn(q + 1, "'");
                if (n < sizeof name) {
                    memcpy(name, q + 1, n);
                    enum dbf_section_kind m = dbf_section_kind_from_name(name);
                    if (m != DBF_SECTION_OTHER) {
                        missing[m] = scored[m] = true;
                        continue;
                    }
                }
            }
        }
        if (strcmp(f->rule, "structure/empty-section") == 0) {
            /* An empty section scores as if it were missing. */
            for (size_t j = 0; j < doc->section_count; j++) {
                enum dbf_section_kind e = doc->sections[j].effective;
                if (doc->sections[j].pos.line == f->pos.line && e != DBF_SECTION_OTHER)
                    missing[e] = scored[e] = true;
            }
        }
        penalty[k] += cost(f->severity);
        scored[k] = true;
    }
    for (size_t s = 0; s < doc->section_count; s++)
        scored[doc->sections[s].effective] = true;
    long total = 0, weights = 0;
    for (int k = 0; k < DBF_SECTION_KIND_COUNT; k++) {
        if (!scored[k] || !weight[k]) {
            review->section_score[k] = scored[k] ? 100 : -1;
            if (!weight[k] && scored[k] && penalty[k])
                review->section_score[k] = penalty[k] >= 100 ? 0 : 100 - penalty[k];
            continue;
        }
        int score = missing[k] ? 0 : (penalty[k] >= 100 ? 0 : 100 - penalty[k]);
        review->section_score[k] = score;
        total += (long)score * weight[k];
        weights += weight[k];
    }
    review->score = weights ? (int)((total + weights / 2) / weights) : 100;
    checklist(review);
}
