/* triage.h: whether an incident needs a post mortem, and with which
 * visibility.
 *
 * The questions and what a yes means come from DESIGN.md §2: the strongest
 * answer decides, so one "required" reason outweighs any number of weaker
 * ones. `debrief triage` asks them on the command line, the web app's
 * triage form on a page; both decide with triage_decide(). */
#ifndef DEBRIEF_TRIAGE_H
#define DEBRIEF_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>

enum triage_decision {
    TRIAGE_NOT_NEEDED,
    TRIAGE_INTERNAL,
    TRIAGE_STRONGLY_CONSIDER,
    TRIAGE_REQUIRED
};

enum triage_question_id {
    TRIAGE_CUSTOMER_FACING,
    TRIAGE_SLO_BREACH,
    TRIAGE_SECURITY,
    TRIAGE_OUTAGE,
    TRIAGE_ESCALATION,
    TRIAGE_NEAR_MISS,
    TRIAGE_EDGE_CASE,
    TRIAGE_OTHER_TEAMS,
    TRIAGE_PROCESS_BREAKDOWN,
    TRIAGE_UNSURE,
    TRIAGE_QUESTION_COUNT
};

struct triage_question {
    const char *flag;   /* "customer-facing": the option and the form field */
    const char *ask;    /* "Did customers see a disruption?" */
    const char *reason; /* "customers saw a disruption" */
    enum triage_decision weight;
};

/* The questions, in the order they are asked. */
extern const struct triage_question triage_questions[TRIAGE_QUESTION_COUNT];

struct triage_verdict {
    enum triage_decision decision;
    const char *visibility;        /* "internal", "public" or "restricted" */
    const char *visibility_reason; /* why that visibility */
    const char *reasons[TRIAGE_QUESTION_COUNT];
    size_t reason_count;
};

/* The verdict for the answers YES (true for each question answered yes). */
struct triage_verdict triage_decide(const bool yes[TRIAGE_QUESTION_COUNT]);

/* "not-needed", "internal", "strongly-consider", "required". */
const char *triage_decision_id(enum triage_decision decision);

/* "No post mortem is needed", …, "A post mortem is required". */
const char *triage_headline(enum triage_decision decision);

#endif
