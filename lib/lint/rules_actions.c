/* rules_actions.c: the actions rules.
 *
 * Every rule here reads doc->actions (lib/parse/actions.c) and is silent when
 * the document has no action items: a missing actions section is
 * structure/missing-section's finding. An item is named by its number when it
 * has one, else by the opening words of its description. */
#include "rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What opens an item without saying what it is: "Action point:", "{{", "We will", "Going forward,
 * we should". */
static struct dbf__re lead_in =
    DBF_RE("^[\\s*{]*(?:(?:actions? (?:point|item|planned|taken)|follow[- "
           "]?up|todo)\\s*\\**\\s*:\\s*)?(?:(?:going forward|moving forward|"
           "lastly|finally|additionally|also|then|next|in the future|long[- "
           "]term),?\\s+)?(?:(?:we|i|the team|[\\w-]+ "
           "team)\\s+(?:will|should|must|need to|plan to|are going to|would like to|want "
           "to|are|can|could)\\s+"
           "(?:also\\s+)?)?");

/* Work that only looks: investigating, considering, a question, or a review
 * of something with no purpose or outcome named ("Review the checklist"). */
static struct dbf__re investigation =
    DBF_RE("^(?:investigate|investigating|look into|looking "
           "into|explore|exploring|research|consider|considering|"
           "evaluate|evaluating|assess|understand|figure out|determine|find (?:a|the|out)\\b|think "
           "about|study|"
           "analy[sz]e|identify (?:the )?(?:reason|cause|root cause|why)|see (?:if|whether)|check "
           "(?:if|whether))\\b|"
           "^(?:can|could|should|do|does|is|are|how|what|why|which)\\b[^\\n]*\\?\\s*$|"
           "\\b(?:and|then|to) (?:think about|investigate|consider|evaluate|explore|determine)\\b|"
           "\\b(?:will|should|plans? to|is|are) (?:also "
           ")?(?:investigate|investigating|explore|exploring|consider|"
           "considering|evaluate|evaluating|look into|looking into)\\b|"
           "\\b(?:perform|conduct|commission)\\b[^.]{0,120}?\\b(?:assessment|investigation|"
           "analysis|study|evaluation)\\b|"
           "^(?:review|reviewing|revisit|revisiting|re-?assess|re-?assessing|re-?evaluate|re-?"
           "evaluating)\\s+"
           "(?:(?!(?:to|for|so|and|then|with|by|against|until|before|after|ensuring|in "
           "order)\\b)[\\w'/-]+\\s*){1,6}"
           "[.;]?\\s*$");

/* Generic wishes: a comparative with no figure ("better alerting", an item
 * that opens "Further …"), a verb with no deliverable ("improve", "work on"),
 * a quality with no measure ("a certain threshold", "easy to use"), a
 * decision left open ("a plan for", "a different approach"), an audience to
 * be told. */
static struct dbf__re vague_wording = DBF_RE(
    "^(?:improve|improving|enhance|strengthen|revisit|discuss|brainstorm|re-?iterate|continue "
    "to|continue "
    "working|speak to|talk to|reach out to|rethink|be more|be better|something about|work on|look "
    "at ways|"
    /* a figure makes it concrete; an issue number ("#4415", "issues/4415") does not */
    "further|better|more|improved|increased|stricter)\\b(?![^.\\n]*(?<![#/])\\b\\d)|"
    "\\b(?:better|more|stricter|further|improved|additional|proper)\\s+(?!than\\b)(?:[\\w-]+\\s+){"
    "0,2}?"
    "(?:monitoring|alerting|alarms?|alerts|testing|tests|checks|coverage|logging|visibility|"
    "observability|"
    "dashboards|thresholds|documentation|docs|communication|process(?:es)?|tooling|training|care|"
    "techniques|tech|technology|solutions?|ways?|approach)\\b|"
    "\\bmore (?:\\w+ly "
    ")?(?:careful|aware|vigilant|robust|resilient|reliable|stable|secure|mature|modern|"
    "actionable|gracefully|thorough|proactive)\\b|"
    "\\b(?:something about|a certain (?:threshold|level|amount|point)|as a whole|high[- ]quality|"
    "easy to (?:maintain|understand|use)|a plan for|brainstorm|re-?iterate)\\b|"
    "\\b(?:expand|extend|increase|improve|grow) the (?:set|number|scope|range) of (?:our )?"
    "(?:monitoring|alerting|alerts|checks|tests|dashboards)\\b|"
    "\\ba different (?:[\\w-]+ ){0,3}?(?:strategy|approach|solution|tool|system|method)\\b|"
    "\\b(?:a|some|any) (?:[\\w-]+ )?(?:policy|process|mechanism|strategy|plan) (?:around|about)\\b|"
    "\\b(?:fix|improve|better|more) (?:our |the )?(?:monitoring|alerting)\\b(?! "
    "(?:for|of|on|to|when)\\b)|"
    "\\b(?:teach|educate|remind|encourage|tell) (?:the |all |our )?(?:[\\w-]+ "
    ")?(?:teams|developers|engineers|"
    "people|users|everyone|folks|staff)\\b|"
    "\\b(?:implement|add|expand|improve|set ?up|setup|create) (?:the set of |more |some |proactive "
    "|"
    "additional )?(?:monitoring|alerting|alerts|alarms|tests|testing|documentation|logging)(?: and "
    "(?:monitoring|alerting|alerts|alarms|paging))?(?: checks| systems)?\\s*(?:[.;]|$)");

/* "Rewrite everything": work too big to finish or to verify. */
static struct dbf__re ocean =
    DBF_RE("\\b(?:rewrite|re-?write|re-?architect|redesign|rebuild|overhaul|replace|migrate|re-?"
           "implement)\\b[^.]{0,40}?"
           "\\b(?:everything|entire|whole|all (?:of )?(?:our|the) "
           "(?:services|systems|infrastructure|code)|from scratch)\\b|"
           "\\b(?:rewrite|re-?write|re-?architect|rebuild|overhaul|re-?implement) (?:the|our) "
           "(?:[\\w-]+ ){0,2}?"
           "(?:service|system|database|platform|stack|backend|frontend|codebase|application|app|"
           "infrastructure)\\b|"
           "\\breplace (?:the|our) (?:[\\w-]+ )?(?:database|platform|stack|infrastructure)\\b");

static long days_of(struct dbf_date d)
{
    /* days from 1970-01-01 (civil calendar) */
    int y = d.year - (d.month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "action item 3" or "action item 'Add alerting on replica lag…'" */
static const char *item_name(const struct dbf_action *a, char *buf, size_t size)
{
    if (a->ordered && a->number > 0) {
        snprintf(buf, size, "action item %d", a->number);
        return buf;
    }
    const char *d = a->description ? a->description : "";
    while (*d && (isspace((unsigned char)*d) || *d == '*' || *d == '{'))
        d++;
    size_t n = strcspn(d, "\n");
    bool cut = n > 40;
    if (cut) {
        n = 40;
        while (n > 20 && d[n] != ' ')
            n--;
    }
    snprintf(buf, size, "action item '%.*s%s'", (int)n, d, cut ? "…" : "");
    return buf;
}

/* The description without its lead-in: the words that say what will be done. */
static const char *what_is_done(const struct dbf_action *a, size_t *len)
{
    const char *d = a->description ? a->description : "";
    struct dbf__match m;
    size_t n = strlen(d);
    size_t from = dbf__re_search(&lead_in, d, n, 0, &m) ? m.end : 0;
    *len = n - from;
    return d + from;
}

static bool is_done(const struct dbf_action *a)
{
    return a->status == DBF_ACTION_DONE;
}

/* actions/not-numbered: some action item has no number, so nothing can refer to it. */
void dbf__check_actions_not_numbered(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->action_count; i++) {
        if (!doc->actions[i].ordered) {
            dbf__report(lint, doc->actions[i].pos,
                        "action items are not numbered; number them (1., 2., … or a '#' column) so "
                        "reviews and follow-ups can refer to them");
            return;
        }
    }
}

/* actions/investigate: an item that only investigates, evaluates or considers. */
void dbf__check_actions_investigate(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        size_t len;
        const char *what = what_is_done(a, &len);
        if (dbf__re_search(&investigation, what, len, 0, NULL))
            dbf__report(
                lint, a->pos,
                "%s only investigates; name the change it should lead to, or split it into a "
                "time-boxed investigation with a decision date and a follow-up fix",
                item_name(a, name, sizeof name));
    }
}

/* actions/vague: an item with no concrete object or threshold ("improve monitoring"). */
void dbf__check_actions_vague(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        size_t len;
        const char *what = what_is_done(a, &len);
        struct dbf__match m;
        if (!dbf__re_search(&vague_wording, what, len, 0, &m))
            continue;
        /* quote at least the words around a bare verb: 'Improve monitoring', not 'Improve' */
        size_t n = m.end - m.start;
        size_t words = 0;
        while (m.start + n < len && n < 50 && !strchr(".,;:()\n", what[m.start + n]) &&
               (n < 12 || words < 2)) {
            words += what[m.start + n] == ' ';
            n++;
        }
        while (n && (what[m.start + n - 1] == '.' || isspace((unsigned char)what[m.start + n - 1])))
            n--;
        char quote[64];
        if (n >= sizeof quote)
            n = sizeof quote - 1;
        for (size_t k = 0; k < n; k++)
            quote[k] = what[m.start + k] == '\n' ? ' ' : what[m.start + k];
        quote[n] = '\0';
        dbf__report(lint, a->pos,
                    "%s is vague ('%s'); name the concrete change and how you will know it is done "
                    "(e.g. 'page on-call when p99 latency exceeds 500 ms for 5 minutes')",
                    item_name(a, name, sizeof name), quote);
    }
}

/* actions/no-owner: an item with no owner. */
void dbf__check_actions_no_owner(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (!a->owner)
            dbf__report(lint, a->pos,
                        "%s has no owner; name one person who will drive it (e.g. 'owner: @alice')",
                        item_name(a, name, sizeof name));
    }
}

static struct dbf__re group_owner =
    DBF_RE_CASED("^(?:[Tt]he|[Oo]ur|[Aa]ll)\\b|^[A-Z]{2,6}$|\\b(?i:engineers|developers|leads|"
                 "folks|people|staff|"
                 "maintainers|everyone|everybody|on-?call|owners)$");

/* Is OWNER a team or group rather than a person? */
static bool owner_is_team(const struct dbf__lint *lint, const char *owner)
{
    char name[128];
    size_t n = strcspn(owner, "(,");
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, owner, n);
    while (n && name[n - 1] == ' ')
        n--;
    name[n] = '\0';
    if (!n || strcmp(name, "I") == 0)
        return false;
    return dbf__is_team(lint, name) || dbf__re_test(&group_owner, name);
}

/* actions/team-owner: an item owned by a team or group: everyone's job is no one's. */
void dbf__check_actions_team_owner(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (a->owner && owner_is_team(lint, a->owner))
            dbf__report(
                lint, a->owner_pos.line ? a->owner_pos : a->pos,
                "%s is owned by a group ('%s'); name the one person in it who will drive the item",
                item_name(a, name, sizeof name), a->owner);
    }
}

/* actions/no-deadline: an item with no due date (a status or an issue link is not one). */
void dbf__check_actions_no_deadline(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (a->due.year)
            continue;
        if (a->due_text && *a->due_text)
            dbf__report(lint, a->pos,
                        "%s has no date in its deadline ('%s'); give a calendar date (e.g. 'due: "
                        "2026-04-20')",
                        item_name(a, name, sizeof name), a->due_text);
        else
            dbf__report(lint, a->pos,
                        "%s has no deadline; give a due date (e.g. 'due: 2026-04-20')",
                        item_name(a, name, sizeof name));
    }
}

/* actions/deadline-too-far: a due date more than "days" after the post mortem. */
void dbf__check_actions_deadline_too_far(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    struct dbf_date base = lint->facts.document_date;
    long limit = dbf__option(lint, "days");
    if (!base.year || limit < 0)
        return;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (!a->due.year || is_done(a))
            continue;
        long days = days_of(a->due) - days_of(base);
        if (days > limit)
            dbf__report(
                lint, a->pos,
                "%s is due %04d-%02d-%02d, %ld days after the post mortem (limit %ld); split it so "
                "a first step lands sooner, or track it as a project outside the post mortem",
                item_name(a, name, sizeof name), a->due.year, a->due.month, a->due.day, days,
                limit);
    }
}

/* actions/no-priority: an item with no priority. */
void dbf__check_actions_no_priority(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (!a->priority)
            dbf__report(lint, a->pos,
                        "%s has no priority; give one (e.g. 'P1' or 'priority: high')",
                        item_name(a, name, sizeof name));
    }
}

static bool lesson_exists(const struct dbf_doc *doc, int number)
{
    for (size_t i = 0; i < doc->lesson_count; i++)
        if (doc->lessons[i].number == number)
            return true;
    return false;
}

/* actions/no-lesson-link: an item that names no lesson, or a lesson that does not exist. */
void dbf__check_actions_no_lesson_link(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (!a->lesson_count) {
            dbf__report(lint, a->pos,
                        "%s does not say which lesson it addresses; add 'lesson: #N' so every item "
                        "traces back to something learned",
                        item_name(a, name, sizeof name));
            continue;
        }
        for (size_t k = 0; k < a->lesson_count; k++) {
            if (!lesson_exists(doc, a->lessons[k])) {
                dbf__report(lint, a->pos,
                            "%s refers to lesson %d, which does not exist; fix the number",
                            item_name(a, name, sizeof name), a->lessons[k]);
                break;
            }
        }
    }
}

static size_t words_in(const char *text)
{
    size_t words = 0;
    bool in = false;
    for (const char *p = text; *p; p++) {
        bool c = isalnum((unsigned char)*p);
        words += c && !in;
        in = c;
    }
    return words;
}

/* actions/boil-the-ocean: more items than a team can finish, items that are
 * essays, or items that rewrite everything. */
void dbf__check_actions_boil_the_ocean(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    long max_items = dbf__option(lint, "max-items");
    long max_words = dbf__option(lint, "max-words");
    size_t open = 0;
    for (size_t i = 0; i < doc->action_count; i++)
        open += !is_done(&doc->actions[i]);
    if (max_items > 0 && open > (size_t)max_items) {
        const struct dbf_section *s = dbf_doc_section(doc, DBF_SECTION_ACTIONS);
        dbf__report(
            lint, s ? s->pos : doc->actions[0].pos,
            "%zu open action items (limit %ld); keep the few that prevent a recurrence and move "
            "the rest to the backlog",
            open, max_items);
    }
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (is_done(a) || !a->description)
            continue;
        size_t words = words_in(a->description);
        if (max_words > 0 && words > (size_t)max_words)
            dbf__report(
                lint, a->pos,
                "%s is %zu words long (limit %ld); state one change in one sentence and move "
                "the discussion elsewhere",
                item_name(a, name, sizeof name), words, max_words);
        else if (dbf__re_test(&ocean, a->description))
            dbf__report(
                lint, a->pos,
                "%s rewrites everything; name the smallest change that removes this failure mode",
                item_name(a, name, sizeof name));
    }
}

/* actions/overdue: an open item whose deadline has passed (against --today). */
void dbf__check_actions_overdue(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (!lint->today.year)
        return;
    long today = days_of(lint->today);
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (!a->due.year || is_done(a))
            continue;
        long late = today - days_of(a->due);
        if (late > 0)
            dbf__report(
                lint, a->pos,
                "%s was due %04d-%02d-%02d and is not done (%ld days overdue); close it with a "
                "link to the change, or move the date and say why",
                item_name(a, name, sizeof name), a->due.year, a->due.month, a->due.day, late);
    }
}

/* actions/done-without-link: an item marked done with no link to the change. */
void dbf__check_actions_done_without_link(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->action_count; i++) {
        const struct dbf_action *a = &doc->actions[i];
        if (is_done(a) && !a->link)
            dbf__report(
                lint, a->pos,
                "%s is marked done but links to no change; add the pull request, commit or ticket",
                item_name(a, name, sizeof name));
    }
}
