/* rules_summary.c: the summary rules: a summary a busy reader can act on,
 * short enough to be read.
 *
 * The summary is every block of prose whose section is (or inherits) the
 * summary kind; findings point at the first summary section's heading. When
 * there is no summary section these rules are silent: structure/missing-section
 * speaks for it. */
#include "rules.h"

#include <string.h>

/* One element a summary needs, the pattern that shows it is there, and what
 * to say when it is not. */
struct element {
    const char *name;
    struct dbf__re *present;
    const char *advice;
};

static struct dbf__re service_context = DBF_RE(
    "\\b(lets|allows|enables|serves|provides|handles|takes|stores|hosts|powers|processes|"
    "manages|runs|keeps|sends|delivers|signs|checks|routes|schedules|builds|publishes|offers|"
    "is\\sused\\s(by|to|for)|used\\sby|responsible\\sfor|(is|are)\\s(a|an|the|our)\\s[^.\\n]{0,60}"
    "(service|platform|system|application|app|api|site|website|database|cluster|hub|network|"
    "registry|library|tool|protocol|product|pipeline|gateway|proxy|store)|"
    "(trying|tried|attempting|attempted|able|unable)\\sto)\\b");
static struct dbf__re cause =
    DBF_RE("\\b(caused\\sby|because|due\\sto|triggered\\sby|root\\scause|as\\sa\\sresult\\sof|"
           "resulted\\sfrom|"
           "resulting\\sfrom|led\\sto|leading\\sto|stemm(ed|ing)\\sfrom|the\\scause|culprit|bug|"
           "misconfigur\\w*|"
           "caused|causing|faulty|broken|mistaken(ly)?|flaw(ed)?|vulnerabilit(y|ies)|exploit(ed)?|"
           "exhaust\\w*|ran\\sout|expired|regression|overload\\w*|after\\s(a|an|the|we|our)|"
           /* a mechanism named by what it did to the system */
           "filled|starved|saturated|overwhelmed|exceeded|overflowed|crashed|deadlocked|leaked|"
           "corrupted|deleted|dropped|blocked|locked|"
           "when\\s(a|an|the))\\b|,\\sso\\b");
static struct dbf__re resolution = DBF_RE_PARTS(
    "\\b(resolv\\w*|fix(ed|es)?|mitigat\\w*|restor\\w*|revert\\w*|roll(ed|ing)?\\s?back|"
    "roll(ed|ing)?\\s+(\\w+\\s+){1,4}back|recover\\w*|"
    "redeploy\\w*|restart\\w*|reboot\\w*|patch(ed)?|hotfix\\w*|disabl\\w*|remov\\w*|rotat\\w*|"
    "scal(ed|ing)\\s(up|out)|raised|increased|replaced|went\\saway|back\\sto\\snormal|"
    "returned\\sto\\snormal|"
    "ended|cleared|stopped)\\b");
static struct dbf__re communication = DBF_RE(
    "\\b(status\\s?page|statuspage|announc\\w*|notif\\w*|e-?mail(ed|s)?|tweet\\w*|twitter|blog|"
    "informed|told|contacted|support\\s(tickets?|team|article|replied)|communicat\\w*|apolog\\w*|"
    "posted|discord|forum|newsletter|banner|in-app\\smessage)\\b");
/* A clock time: "14:02", "2:30 PM", "9 am", the time of an ISO 8601 stamp. */
static struct dbf__re clock_time =
    DBF_RE("(?<![\\d:])([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?(?!\\d)|\\b(1[0-2]|"
           "0?[1-9])(\\.[0-5]\\d)?\\s?(am|pm|a\\.m\\.|"
           "p\\.m\\.)(?!\\w)");
static struct dbf__re zone = DBF_RE_CASED(
    "\\b(UTC|GMT|Z|[ECMPA][SD]T|AKST|AKDT|HST|CES?T|EES?T|WES?T|BST|IST|JST|KST|SGT|HKT|"
    "AE[SD]T|NZ[SD]T|MSK)\\b|(?<=\\d)Z\\b|\\b(UTC|GMT)?[+-]\\d{2}:?\\d{2}\\b|\\b[A-Z][a-z]+/"
    "[A-Z][a-z_]+\\b");
static struct dbf__re duration_words = DBF_RE(
    "\\b\\d+(\\.\\d+)?\\s*-?\\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|h|m|days?|weeks?)\\b|"
    "\\b(an?|one|two|three|four|five|six|several|half\\san?)\\s(minutes?|hours?|days?|weeks?)\\b|"
    "\\b(lasted|for\\sabout|for\\saround|over\\sthe\\scourse\\sof)\\b");
static struct dbf__re nobody_affected = DBF_RE(
    "\\bno\\s(users?|customers?|one|funds|data|user\\sdata|customer\\sdata)\\b[^.\\n]{0,30}\\b("
    "were|was)?"
    "\\s*(affected|impacted|lost|exposed|at\\srisk)\\b|\\bno\\s(customer|user|end-user|external)[-"
    "\\s]"
    "(facing\\s)?impact\\b|\\bwithout\\s(any\\s)?(customer|user)\\simpact\\b|\\bnot\\s(customer|"
    "user)[-\\s]facing\\b|"
    "\\b(did\\snot|didn't|does\\snot)\\s(contain|affect|impact)\\sany\\s(user|customer)|"
    "\\bno\\s(losses|loss\\sof\\sfunds|funds\\swere\\slost|data\\swas\\slost|data\\sloss)\\b");
static struct dbf__re count_of_things = DBF_RE(
    "\\b(\\d[\\d,.]*|all|every|each)\\s*(%|percent|k|m|bn|million|billion|thousand)?\\s*(of\\s+)?"
    "((the|our|its|their|your)\\s+)?([\\w-]+\\s+){0,3}?(users?|customers?|people|students|shoppers|"
    "merchants|visitors|clients|requests?|orders?|payments?|transactions?|sessions?|accounts?|"
    "builds?|jobs?|messages?|e-?mails?|tickets?|calls?|pages?|instances?|nodes?|servers?|hubs?|"
    "sites?|repositories|repos|packages?|projects?|tokens?|records?|files?|blocks?|wallets?|"
    "errors?|attempts?|deployments?|clusters?|services?|apps?|machines?|pods?|tenants?|funds?|"
    "deposits?)\\b|\\b\\d[\\d,.]*\\s*(%|percent|k|m|bn|million|billion|thousand)(?!\\w)|"
    "[$\xe2\x82\xac\xc2\xa3]\\s?\\d");

struct summary_text {
    const struct dbf_section *section;  /* the first summary section */
    const struct dbf_block *blocks[64]; /* its prose blocks, in order (enough for any summary) */
    size_t count;
    size_t words;
};

/* Gathers the summary's prose; false when the document has no summary
 * section. */
static bool summary_of(const struct dbf_doc *doc, struct summary_text *s)
{
    s->section = dbf_doc_section(doc, DBF_SECTION_SUMMARY);
    s->count = s->words = 0;
    if (!s->section)
        return false;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) || b->type == DBF_BLOCK_HEADING ||
            dbf_doc_block_kind(doc, b) != DBF_SECTION_SUMMARY)
            continue;
        s->words += b->words;
        if (s->count < sizeof s->blocks / sizeof s->blocks[0])
            s->blocks[s->count++] = b;
    }
    return true;
}

static bool says(const struct summary_text *s, struct dbf__re *re)
{
    for (size_t i = 0; i < s->count; i++)
        if (dbf__re_search(re, s->blocks[i]->text, s->blocks[i]->len, 0, NULL))
            return true;
    return false;
}

static size_t clock_times(const struct summary_text *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++) {
        struct dbf__match m;
        size_t from = 0;
        while (from < s->blocks[i]->len &&
               dbf__re_search(&clock_time, s->blocks[i]->text, s->blocks[i]->len, from, &m)) {
            n++;
            from = m.end;
        }
    }
    return n;
}

static bool quantifies_impact(const struct dbf_doc *doc, const struct summary_text *s)
{
    for (size_t i = 0; i < doc->figure_count; i++)
        if (doc->figures[i].section == DBF_SECTION_SUMMARY && !doc->figures[i].is_duration)
            return true;
    return says(s, &count_of_things) || says(s, &nobody_affected);
}

/* CLOCKS: the summary's clock times (clock_times()). */
static bool states_duration(const struct dbf_doc *doc, const struct summary_text *s, size_t clocks)
{
    for (size_t i = 0; i < doc->figure_count; i++)
        if (doc->figures[i].section == DBF_SECTION_SUMMARY && doc->figures[i].is_duration)
            return true;
    return says(s, &duration_words) || clocks >= 2; /* a start and an end */
}

/* summary/missing-element: one finding per element the summary leaves out:
 * service context, time window with zone, quantified impact, duration,
 * cause, resolution, and customer communication when customers were hit. */
void dbf__check_summary_missing_element(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    struct summary_text s;
    if (!summary_of(doc, &s) || s.count == 0)
        return; /* an empty summary is structure/empty-section's */
    struct dbf_pos at = s.section->pos;
    const struct element text_elements[] = {
        {"service context", &service_context,
         "add a clause on what the affected service does, for readers from other teams"},
        {"cause", &cause, "add what triggered it, in one phrase"},
        {"resolution", &resolution, "add what ended the impact (a rollback, a fix, a restart)"},
    };
    if (!says(&s, text_elements[0].present))
        dbf__report(lint, at, "summary has no %s; %s", text_elements[0].name,
                    text_elements[0].advice);
    size_t clocks = clock_times(&s);
    if (clocks < 2 || !says(&s, &zone))
        dbf__report(lint, at,
                    "summary has no time window with a time zone; say when the impact started and "
                    "ended (e.g. 'from 14:02 to 14:43 UTC')");
    if (!quantifies_impact(doc, &s))
        dbf__report(lint, at,
                    "summary has no quantified impact; say who or what was affected with a number "
                    "(e.g. '3,870 payments, 22%% of attempts'), or that no one was affected");
    if (!states_duration(doc, &s, clocks))
        dbf__report(lint, at,
                    "summary has no duration; say how long people were affected (e.g. "
                    "'41 minutes')");
    for (size_t i = 1; i < sizeof text_elements / sizeof text_elements[0]; i++)
        if (!says(&s, text_elements[i].present))
            dbf__report(lint, at, "summary has no %s; %s", text_elements[i].name,
                        text_elements[i].advice);
    if (lint->facts.customer_facing && !says(&s, &communication))
        dbf__report(lint, at,
                    "summary has no customer communication; say what customers were told, when "
                    "and where (status page, e-mail, support)");
}

/* summary/too-long: more words than the "words" option (150) in the summary's
 * prose, headings not counted. */
void dbf__check_summary_too_long(struct dbf__lint *lint)
{
    struct summary_text s;
    if (!summary_of(lint->doc, &s))
        return;
    long limit = dbf__option(lint, "words");
    if (limit <= 0 || s.words <= (size_t)limit)
        return;
    dbf__report(lint, s.section->pos,
                "summary has %zu words, more than %ld; keep the five or six facts a busy reader "
                "needs and move the story to the timeline and the root cause",
                s.words, limit);
}
