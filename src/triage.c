/* triage.c: the triage questions and the verdict their answers give. */
#include "triage.h"

const struct triage_question triage_questions[TRIAGE_QUESTION_COUNT] = {
    {"customer-facing", "Did customers see a disruption?", "customers saw a disruption",
     TRIAGE_REQUIRED},
    {"slo-breach", "Was a service level objective (SLO) breached?",
     "a service level objective was breached", TRIAGE_REQUIRED},
    {"security", "Was it a security incident?", "it was a security incident", TRIAGE_REQUIRED},
    {"outage", "Was a service fully unavailable?", "a service was fully unavailable",
     TRIAGE_REQUIRED},
    {"escalation", "Did it need an emergency or multi-team escalation?",
     "it needed an emergency or multi-team escalation", TRIAGE_REQUIRED},
    {"near-miss", "Was it a near miss (it nearly hurt customers)?", "it was a near miss",
     TRIAGE_STRONGLY_CONSIDER},
    {"edge-case", "Was it an unusual edge case?", "it was an unusual edge case",
     TRIAGE_STRONGLY_CONSIDER},
    {"other-teams", "Were other teams disrupted?", "other teams were disrupted",
     TRIAGE_STRONGLY_CONSIDER},
    {"process-breakdown", "Did a process break down (on-call, deploy, escalation)?",
     "a process broke down", TRIAGE_STRONGLY_CONSIDER},
    {"unsure", "Are you unsure whether it needs one?", "you are not sure one is needed",
     TRIAGE_INTERNAL},
};

struct triage_verdict triage_decide(const bool yes[TRIAGE_QUESTION_COUNT])
{
    struct triage_verdict v = {
        TRIAGE_NOT_NEEDED, "internal", "for the engineering organisation", {0}, 0};
    for (int q = 0; q < TRIAGE_QUESTION_COUNT; q++) {
        if (!yes[q])
            continue;
        v.reasons[v.reason_count++] = triage_questions[q].reason;
        if (triage_questions[q].weight > v.decision)
            v.decision = triage_questions[q].weight;
    }
    if (yes[TRIAGE_SECURITY]) {
        v.visibility = "restricted";
        v.visibility_reason = "a security incident is shared only with the people who need it";
    } else if (yes[TRIAGE_CUSTOMER_FACING]) {
        v.visibility = "public";
        v.visibility_reason = "customers were affected and are owed an account";
    }
    return v;
}

const char *triage_decision_id(enum triage_decision decision)
{
    static const char *const ids[] = {"not-needed", "internal", "strongly-consider", "required"};
    return ids[decision];
}

const char *triage_headline(enum triage_decision decision)
{
    static const char *const headlines[] = {
        "No post mortem is needed",
        "Write an internal post mortem; when in doubt, write one",
        "Strongly consider writing a post mortem",
        "A post mortem is required",
    };
    return headlines[decision];
}
