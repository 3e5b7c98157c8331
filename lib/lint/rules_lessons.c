/* rules_lessons.c: the lessons rules.
 *
 * They read doc->lessons (lib/parse/lessons.c): items of the lessons
 * sections, or their sub-headings when each lesson has its own. A lesson
 * says what the incident taught about the system; the fix belongs in the
 * action items, which refer back to lessons by number. */
#include "rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A lesson that opens like an order: "Add more tests", "Set up alerting". */
static struct dbf__re imperative =
    DBF_RE("^[\\s*]*(?:add|automate|build|create|deploy|document|enable|enforce|ensure|fix|have|"
           "hire|implement|"
           "improve|increase|install|introduce|make "
           "sure|migrate|minimi[sz]e|monitor|move|perform|prioriti[sz]e|"
           "reduce|remove|replace|require|set ?up|setup|start|switch|update|upgrade|use|write)\\b");
static struct dbf__re to_do =
    DBF_RE("^[\\s*]*(?:(?:we|i|the team)\\s+(?:really\\s+)?(?:need|needs|should|must|have to|ought "
           "to|will)\\b|"
           "(?:need|needs) to\\b)");
static struct dbf__re went_well = DBF_RE("\\bwent (?:well|right)\\b");

/* "lesson 2" or "lesson 'Perform load tests regularly…'" */
static const char *lesson_name(const struct dbf_lesson *l, char *buf, size_t size)
{
    if (l->ordered && l->number > 0) {
        snprintf(buf, size, "lesson %d", l->number);
        return buf;
    }
    const char *t = l->text ? l->text : "";
    while (*t && (isspace((unsigned char)*t) || *t == '*'))
        t++;
    size_t n = strcspn(t, "\n");
    bool cut = n > 40;
    if (cut) {
        n = 40;
        while (n > 20 && t[n] != ' ')
            n--;
    }
    snprintf(buf, size, "lesson '%.*s%s'", (int)n, t, cut ? "…" : "");
    return buf;
}

/* The section a lesson was written in. */
static const struct dbf_section *section_at(const struct dbf_doc *doc, int line)
{
    const struct dbf_section *found = NULL;
    for (size_t i = 0; i < doc->section_count && doc->sections[i].pos.line <= line; i++)
        found = &doc->sections[i];
    return found;
}

/* lessons/not-numbered: the lessons are bullets or prose, so nothing can refer to them. */
void dbf__check_lessons_not_numbered(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = 0; i < doc->lesson_count; i++) {
        if (!doc->lessons[i].ordered) {
            dbf__report(
                lint, doc->lessons[i].pos,
                "lessons are not numbered; number them (1., 2., …) so that action items can say "
                "which lesson they address");
            return;
        }
    }
}

/* Does TEXT say the same as some action item's description (same opening words)? */
static bool same_as_action(const struct dbf_doc *doc, const char *text)
{
    size_t n = strcspn(text, ".\n");
    if (n < 15)
        return false;
    for (size_t i = 0; i < doc->action_count; i++) {
        const char *d = doc->actions[i].description;
        if (d && d != text && strncasecmp(d, text, n) == 0)
            return true;
    }
    return false;
}

static bool content_word(const char *w, size_t n)
{
    static const char *const common[] = {"about",  "after", "before", "there", "their",
                                         "these",  "those", "which",  "while", "would",
                                         "should", "could", "every",  "other"};
    if (n < 5)
        return false;
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (strlen(common[i]) == n && strncasecmp(common[i], w, n) == 0)
            return false;
    return true;
}

/* How many content words of TEXT appear in ACTION (a word count, not a set). */
static size_t shared_words(const char *text, const char *action)
{
    size_t shared = 0;
    const char *p = text;
    while (*p && *p != '\n') {
        while (*p && !isalpha((unsigned char)*p) && *p != '\n')
            p++;
        const char *w = p;
        while (isalpha((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - w);
        if (!content_word(w, n))
            continue;
        for (const char *q = action; *q; q++) {
            if (strncasecmp(q, w, n) == 0 && (q == action || !isalpha((unsigned char)q[-1])) &&
                !isalpha((unsigned char)q[n])) {
                shared++;
                break;
            }
        }
    }
    return shared;
}

/* Is lesson text L a to-do ("we need to improve monitoring") that some action item already states?
 */
static bool duplicates_action(const struct dbf_doc *doc, const char *text)
{
    if (!dbf__re_test(&to_do, text))
        return false;
    for (size_t i = 0; i < doc->action_count; i++)
        if (doc->actions[i].description && shared_words(text, doc->actions[i].description) >= 2)
            return true;
    return false;
}

/* lessons/restates-action: a lesson that is a fix to make, not something learned. */
void dbf__check_lessons_restates_action(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->lesson_count; i++) {
        const struct dbf_lesson *l = &doc->lessons[i];
        if (!l->text)
            continue;
        if (dbf__re_test(&imperative, l->text) || same_as_action(doc, l->text) ||
            duplicates_action(doc, l->text))
            dbf__report(
                lint, l->pos,
                "%s is an action item in other words; say what the incident taught you about "
                "the system and keep the fix in the action items",
                lesson_name(l, name, sizeof name));
    }
}

/* lessons/too-specific: a lesson written as a to-do ("we need X"). */
void dbf__check_lessons_too_specific(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    char name[96];
    for (size_t i = 0; i < doc->lesson_count; i++) {
        const struct dbf_lesson *l = &doc->lessons[i];
        if (l->text && dbf__re_test(&to_do, l->text))
            dbf__report(
                lint, l->pos,
                "%s is a to-do, not a lesson; say what it taught you about the system and make "
                "the to-do an action item",
                lesson_name(l, name, sizeof name));
    }
}

static bool addressed(const struct dbf_doc *doc, int number)
{
    for (size_t i = 0; i < doc->action_count; i++)
        for (size_t k = 0; k < doc->actions[i].lesson_count; k++)
            if (doc->actions[i].lessons[k] == number)
                return true;
    return false;
}

/* lessons/unlinked: a lesson that no action item addresses. When no action
 * item links to any lesson, one finding says so rather than one per lesson. */
void dbf__check_lessons_unlinked(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (!doc->lesson_count)
        return;
    bool any_link = false;
    for (size_t i = 0; i < doc->action_count && !any_link; i++)
        any_link = doc->actions[i].lesson_count > 0;
    if (!any_link) {
        const struct dbf_section *s = section_at(doc, doc->lessons[0].pos.line);
        struct dbf_pos pos = s ? s->pos : doc->lessons[0].pos;
        if (doc->action_count)
            dbf__report(
                lint, pos,
                "no action item says which lesson it addresses; add 'lesson: #N' to each action "
                "item so that every lesson is followed up");
        else
            dbf__report(
                lint, pos,
                "no action item addresses these lessons; add action items that follow them up");
        return;
    }
    char name[96];
    for (size_t i = 0; i < doc->lesson_count; i++) {
        const struct dbf_lesson *l = &doc->lessons[i];
        const struct dbf_section *s = section_at(doc, l->pos.line);
        if (s && s->heading && dbf__re_test(&went_well, s->heading))
            continue;
        if (!l->ordered || !addressed(doc, l->number))
            dbf__report(
                lint, l->pos,
                "no action item addresses %s; add one that links to it (e.g. 'lesson: #%d')",
                lesson_name(l, name, sizeof name), l->number > 0 ? l->number : (int)i + 1);
    }
}
