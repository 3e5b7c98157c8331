/* cmd_triage.c: `debrief triage`, whether an incident needs a post mortem,
 * asked on the command line; triage.c holds the questions and the rule. */
#include "cli.h"
#include "triage.h"

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

/* getopt values of the question flags, clear of every character. */
#define QUESTION_OPTION 256

/* Reads y/n answers on standard input; EOF answers no to what is left. */
static void ask(bool yes[TRIAGE_QUESTION_COUNT])
{
    char line[64];
    bool eof = false;
    bool any = false;
    fputs("Answer y or n (Enter is n).\n", stderr);
    for (int q = 0; q < TRIAGE_QUESTION_COUNT && !eof; q++) {
        if (q == TRIAGE_UNSURE && any)
            break; /* "unsure" only matters when nothing else applies */
        for (;;) {
            fprintf(stderr, "%s [y/N] ", triage_questions[q].ask);
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

static void print_text(const struct triage_verdict *v)
{
    if (v->decision == TRIAGE_NOT_NEEDED) {
        printf("%s: no question was answered yes.\n", triage_headline(TRIAGE_NOT_NEEDED));
        return;
    }
    printf("%s:\n", triage_headline(v->decision));
    for (size_t i = 0; i < v->reason_count; i++)
        printf("  - %s\n", v->reasons[i]);
    printf("Visibility: %s (%s).\n\nStart one with:\n  %s --visibility %s -o postmortem.md\n",
           v->visibility, v->visibility_reason, start_command, v->visibility);
}

static void print_json(const struct triage_verdict *v)
{
    json_t *reasons = json_array();
    for (size_t i = 0; i < v->reason_count; i++)
        json_array_append_new(reasons, json_string(v->reasons[i]));
    char command[160];
    snprintf(command, sizeof command, "%s --visibility %s -o postmortem.md", start_command,
             v->visibility);
    json_t *doc = json_pack("{s:s, s:s, s:o, s:o}", "decision", triage_decision_id(v->decision),
                            "visibility", v->visibility, "reasons", reasons, "command",
                            v->decision == TRIAGE_NOT_NEEDED ? json_null() : json_string(command));
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
}

int cmd_triage(int argc, char **argv)
{
    struct option options[TRIAGE_QUESTION_COUNT + 3];
    for (int q = 0; q < TRIAGE_QUESTION_COUNT; q++)
        options[q] =
            (struct option){triage_questions[q].flag, no_argument, NULL, QUESTION_OPTION + q};
    options[TRIAGE_QUESTION_COUNT] = (struct option){"format", required_argument, NULL, 'f'};
    options[TRIAGE_QUESTION_COUNT + 1] = (struct option){"help", no_argument, NULL, 'h'};
    options[TRIAGE_QUESTION_COUNT + 2] = (struct option){NULL, 0, NULL, 0};

    bool yes[TRIAGE_QUESTION_COUNT] = {false}, answered = false, json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        if (c >= QUESTION_OPTION && c < QUESTION_OPTION + TRIAGE_QUESTION_COUNT) {
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
    struct triage_verdict v = triage_decide(yes);
    (json ? print_json : print_text)(&v);
    return 0;
}
