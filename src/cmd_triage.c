/* cmd_triage.c: `debrief triage`, whether an incident needs a post mortem.
 *
 * The questions and what a yes means come from DESIGN.md §2: the strongest
 * answer decides, so one "required" reason outweighs any number of weaker
 * ones. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: debrief triage [options]\n"
    "\n"
    "Decides whether an incident needs a post mortem, and with which\n"
    "visibility. Each option answers one question with yes; with none, and\n"
    "standard input a terminal, the questions are asked one by one.\n"
    "\n"
    "  required:\n"
    "      --customer-facing    customers saw a disruption\n"
    "      --slo-breach         a service level objective was breached\n"
    "      --security           it was a security incident\n"
    "      --outage             a service was fully unavailable\n"
    "      --escalation         it needed an emergency or multi-team escalation\n"
    "  strongly consider:\n"
    "      --near-miss          it was a near miss\n"
    "      --edge-case          it was an unusual edge case\n"
    "      --other-teams        other teams were disrupted\n"
    "      --process-breakdown  a process broke down\n"
    "  write an internal one:\n"
    "      --unsure             you are not sure one is needed\n"
    "\n"
    "  -f, --format FORMAT      text (default) or json\n"
    "  -h, --help               show this help\n";

enum decision { NOT_NEEDED, INTERNAL, STRONGLY_CONSIDER, REQUIRED };

static const char *const decision_ids[] = {"not-needed", "internal", "strongly-consider",
                                           "required"};

enum question_id {
    Q_CUSTOMER_FACING,
    Q_SLO_BREACH,
    Q_SECURITY,
    Q_OUTAGE,
    Q_ESCALATION,
    Q_NEAR_MISS,
    Q_EDGE_CASE,
    Q_OTHER_TEAMS,
    Q_PROCESS_BREAKDOWN,
    Q_UNSURE,
    Q_COUNT
};

/* getopt values of the question flags, clear of every character. */
#define QUESTION_OPTION 256

static const struct question {
    const char *flag;
    const char *ask;
    const char *reason;
    enum decision weight;
} questions[Q_COUNT] = {
    {"customer-facing", "Did customers see a disruption?", "customers saw a disruption", REQUIRED},
    {"slo-breach", "Was a service level objective (SLO) breached?",
     "a service level objective was breached", REQUIRED},
    {"security", "Was it a security incident?", "it was a security incident", REQUIRED},
    {"outage", "Was a service fully unavailable?", "a service was fully unavailable", REQUIRED},
    {"escalation", "Did it need an emergency or multi-team escalation?",
     "it needed an emergency or multi-team escalation", REQUIRED},
    {"near-miss", "Was it a near miss (it nearly hurt customers)?", "it was a near miss",
     STRONGLY_CONSIDER},
    {"edge-case", "Was it an unusual edge case?", "it was an unusual edge case", STRONGLY_CONSIDER},
    {"other-teams", "Were other teams disrupted?", "other teams were disrupted", STRONGLY_CONSIDER},
    {"process-breakdown", "Did a process break down (on-call, deploy, escalation)?",
     "a process broke down", STRONGLY_CONSIDER},
    {"unsure", "Are you unsure whether it needs one?", "you are not sure one is needed", INTERNAL},
};

struct verdict {
    enum decision decision;
    const char *visibility;
    const char *visibility_reason;
    const char *reasons[Q_COUNT];
    size_t reason_count;
};

static struct verdict decide(const bool yes[Q_COUNT])
{
    struct verdict v = {NOT_NEEDED, "internal", "for the engineering organisation", {0}, 0};
    for (int q = 0; q < Q_COUNT; q++) {
        if (!yes[q])
            continue;
        v.reasons[v.reason_count++] = questions[q].reason;
        if (questions[q].weight > v.decision)
            v.decision = questions[q].weight;
    }
    if (yes[Q_SECURITY]) {
        v.visibility = "restricted";
        v.visibility_reason = "a security incident is shared only with the people who need it";
    } else if (yes[Q_CUSTOMER_FACING]) {
        v.visibility = "public";
        v.visibility_reason = "customers were affected and are owed an account";
    }
    return v;
}

/* Reads y/n answers on standard input; EOF answers no to what is left. */
static void ask(bool yes[Q_COUNT])
{
    char line[64];
    bool eof = false;
    bool any = false;
    fputs("Answer y or n (Enter is n).\n", stderr);
    for (int q = 0; q < Q_COUNT && !eof; q++) {
        if (q == Q_UNSURE && any)
            break; /* "unsure" only matters when nothing else applies */
        for (;;) {
            fprintf(stderr, "%s [y/N] ", questions[q].ask);
            fflush(stderr);
            if (!fgets(line, sizeof line, stdin)) {
                fputc('\n', stderr);
                eof = true;
                break;
            }
            line[strcspn(line, "\r\n")] = '\0';
            const char *a = line + strspn(line, " \t");
            if (!*a || strcasecmp(a, "n") == 0 || strcasecmp(a, "no") == 0)
                break;
            if (strcasecmp(a, "y") == 0 || strcasecmp(a, "yes") == 0) {
                yes[q] = any = true;
                break;
            }
            fputs("please answer y or n\n", stderr);
        }
    }
}

static const char start_command[] = "debrief new --title 'what customers saw, for how long'";

static void print_text(const struct verdict *v)
{
    static const char *const headlines[] = {
        "No post mortem is needed",
        "Write an internal post mortem; when in doubt, write one",
        "Strongly consider writing a post mortem",
        "A post mortem is required",
    };
    if (v->decision == NOT_NEEDED) {
        printf("%s: no question was answered yes.\n", headlines[NOT_NEEDED]);
        return;
    }
    printf("%s:\n", headlines[v->decision]);
    for (size_t i = 0; i < v->reason_count; i++)
        printf("  - %s\n", v->reasons[i]);
    printf("Visibility: %s (%s).\n\nStart one with:\n  %s --visibility %s -o postmortem.md\n",
           v->visibility, v->visibility_reason, start_command, v->visibility);
}

static void print_json(const struct verdict *v)
{
    json_t *reasons = json_array();
    for (size_t i = 0; i < v->reason_count; i++)
        json_array_append_new(reasons, json_string(v->reasons[i]));
    char command[160];
    snprintf(command, sizeof command, "%s --visibility %s -o postmortem.md", start_command,
             v->visibility);
    json_t *doc = json_pack("{s:s, s:s, s:o, s:o}", "decision", decision_ids[v->decision],
                            "visibility", v->visibility, "reasons", reasons, "command",
                            v->decision == NOT_NEEDED ? json_null() : json_string(command));
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
}

int cmd_triage(int argc, char **argv)
{
    struct option options[Q_COUNT + 3];
    for (int q = 0; q < Q_COUNT; q++)
        options[q] = (struct option){questions[q].flag, no_argument, NULL, QUESTION_OPTION + q};
    options[Q_COUNT] = (struct option){"format", required_argument, NULL, 'f'};
    options[Q_COUNT + 1] = (struct option){"help", no_argument, NULL, 'h'};
    options[Q_COUNT + 2] = (struct option){NULL, 0, NULL, 0};

    bool yes[Q_COUNT] = {false}, answered = false, json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        if (c >= QUESTION_OPTION && c < QUESTION_OPTION + Q_COUNT) {
            yes[c - QUESTION_OPTION] = answered = true;
            continue;
        }
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
                cli_error("unknown format '%s'; use text or json", optarg);
                return EXIT_USAGE;
            }
            json = strcmp(optarg, "json") == 0;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_option_error(c, argv, usage_text);
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'; questions are answered with options\n\n%s",
                  argv[optind], usage_text);
        return EXIT_USAGE;
    }
    if (!answered && isatty(STDIN_FILENO))
        ask(yes);
    struct verdict v = decide(yes);
    (json ? print_json : print_text)(&v);
    return 0;
}
