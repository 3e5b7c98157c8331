/* actions.c: action items from tables, lists and prose.
 *
 * A table's columns are found by header words; when an actions section has
 * a table, its lists are legends or notes, not items. A list item carries its
 * fields inline: "owner: Jane", "(@jane)", "due 2026-04-20", "P1",
 * "lesson: #2", "[x]" for done, and a link. An outer item that is only a
 * label for a nested list ("Monitoring:") is not an item itself, nor is a
 * bold label alone ("**Review actions**:"). An actions section without lists
 * or tables gives one item per paragraph, or per line when each line is one.
 * A sentence anywhere that opens with "Action point:" is an item; and when
 * no actions section gives any item, the commitments in the prose ("we will
 * add alerting", "the team plans to …") are the items. The owner of a
 * commitment is its subject, unless that is "we". */
#include "../util/re.h"
#include "clock.h"
#include "parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum column {
    COL_NONE,
    COL_NUMBER,
    COL_ACTION,
    COL_OWNER,
    COL_DUE,
    COL_PRIORITY,
    COL_LESSON,
    COL_STATUS,
    COL_LINK
};

static const struct {
    const char *word;
    enum column column;
} header_words[] = {
    {"#", COL_NUMBER},         {"no", COL_NUMBER},         {"id", COL_NUMBER},
    {"number", COL_NUMBER},    {"owner", COL_OWNER},       {"assignee", COL_OWNER},
    {"assigned", COL_OWNER},   {"who", COL_OWNER},         {"responsible", COL_OWNER},
    {"dri", COL_OWNER},        {"due", COL_DUE},           {"deadline", COL_DUE},
    {"eta", COL_DUE},          {"target", COL_DUE},        {"by when", COL_DUE},
    {"date", COL_DUE},         {"when", COL_DUE},          {"priority", COL_PRIORITY},
    {"prio", COL_PRIORITY},    {"severity", COL_PRIORITY}, {"lesson", COL_LESSON},
    {"addresses", COL_LESSON}, {"status", COL_STATUS},     {"state", COL_STATUS},
    {"done", COL_STATUS},      {"link", COL_LINK},         {"ticket", COL_LINK},
    {"issue", COL_LINK},       {"bug", COL_LINK},          {"tracking", COL_LINK},
    {"pr", COL_LINK},          {"jira", COL_LINK},         {"reference", COL_LINK},
    {"action", COL_ACTION},    {"item", COL_ACTION},       {"description", COL_ACTION},
    {"task", COL_ACTION},      {"what", COL_ACTION},       {"title", COL_ACTION},
    {"fix", COL_ACTION},       {"summary", COL_ACTION},    {"measure", COL_ACTION},
    {"type", COL_NONE},
};

static struct dbf__re owner_field =
    DBF_RE("\\b(?:owners?|assignees?|assigned to|dri|responsible|who)\\s*[:=\\-–—]\\s*\\**\\s*"
           "(@?[\\w.'-]+(?:[ ][A-Z@][\\w.'-]*){0,3})");
static struct dbf__re owner_handle =
    DBF_RE("(?<![\\w.])@([A-Za-z0-9][\\w-]*(?:/[\\w-]+)?)(?!\\.\\w)");
static struct dbf__re owner_paren =
    DBF_RE_CASED("\\((?:owner:?\\s*)?(?!(?:Issue|Issues|PR|Done|Link|Ticket|Bug|Jira|Open|Closed|"
                 "Merged|Fixed|Planned|"
                 "Pending|Optional|Ongoing|Blocked|Shipped|Complete|Completed|Draft|Later|Maybe|"
                 "Proposed|Source|Docs|"
                 "Details|Here|Discussion|Tracking|Commit|Update|Updated)\\))([A-Z][a-z]+(?: "
                 "[A-Z][a-z]+){0,2})\\)\\s*$");
static struct dbf__re due_field = DBF_RE(
    "\\b(?:due(?: date)?|deadline|by|eta|target(?: date)?|until|before|complete by|no later than)"
    "\\s*[:=]?\\s*(?:on\\s+)?([^,;)\\]|]{4,40})");
static struct dbf__re quarter =
    DBF_RE("\\b(?:by |due |eta:? |in |target:? )?Q([1-4])\\s*(?:FY)?'?(\\d{2,4})\\b");
/* "high priority" only as a tag: in brackets, at the start or after a separator, so
 * that "change the alarm to high priority" is not read as the item's priority. */
static struct dbf__re priority_field = DBF_RE(
    "\\bprio(?:rity)?\\s*[:=]\\s*\\**\\s*([\\w-]+)|\\bpriority\\s+(P[0-4]|high|medium|low|critical|"
    "urgent)\\b|"
    "(?<![\\w-])(P[0-4])(?![\\w-])|[\\[(](high|medium|low|critical|urgent)(?:[- ]priority)?[\\])]|"
    "(?:^|[|;—–]\\s*|\\s-\\s)(high|medium|low|critical|urgent)[- ]priority\\b");
static struct dbf__re lesson_field = DBF_RE(
    "\\blessons?\\s*[:#]?\\s*#?(\\d{1,2})((?:\\s*(?:,|and|&)\\s*#?\\d{1,2})*)|\\(L(\\d{1,2})\\)|"
    "\\blessons? learned #(\\d{1,2})");
static struct dbf__re status_done =
    DBF_RE("\\bstatus\\s*[:=]\\s*(?:done|complete[d]?|closed|fixed|resolved|shipped|merged|"
           "implemented)\\b|"
           "\\((?:done|completed?|closed|fixed|resolved|implemented)\\)|^\\s*(?:done|completed?|"
           "fixed)\\b[:.-]|"
           "✅|✔|☑|\\[(?:done|completed?|closed|fixed)\\]|\\b(?:has been|was|were|have been) "
           "(?:completed|implemented|done|fixed|deployed|merged|shipped)\\b|^\\s*~~");
static struct dbf__re status_open =
    DBF_RE("\\bstatus\\s*[:=]\\s*(?:open|todo|to do|in progress|wip|planned|pending|not "
           "started|ongoing)\\b|"
           "\\((?:open|todo|in progress|wip|planned|pending|ongoing)\\)|\\[(?:open|todo|in "
           "progress|wip)\\]");
static struct dbf__re ticket_ref =
    DBF_RE("\\b(?:PR|MR|issue|ticket|bug|change|CL)\\s*#?\\s*\\d+|(?<![\\w&])#\\d{2,}\\b|\\b[A-Z]["
           "A-Z0-9]+-\\d+\\b|https?://\\S+");
static struct dbf__re number_prefix = DBF_RE("^\\s*(?:#|AI-?|A)?(\\d{1,3})[.):]\\s");

static enum column column_of(const char *header)
{
    char h[64];
    size_t n = 0;
    for (const char *p = header; *p && n < sizeof h - 1; p++)
        h[n++] = (char)tolower((unsigned char)*p);
    h[n] = '\0';
    while (n && (h[n - 1] == ' ' || h[n - 1] == ':'))
        h[--n] = '\0';
    if (!n)
        return COL_NONE;
    if (strcmp(h, "#") == 0)
        return COL_NUMBER;
    for (size_t i = 0; i < sizeof header_words / sizeof header_words[0]; i++) {
        size_t wl = strlen(header_words[i].word);
        for (const char *p = strstr(h, header_words[i].word); p;
             p = strstr(p + 1, header_words[i].word)) {
            bool start = p == h || !isalpha((unsigned char)p[-1]);
            bool end = !isalpha((unsigned char)p[wl]) ||
                       (p[wl] == 's' && !isalpha((unsigned char)p[wl + 1]));
            if (start && end)
                return header_words[i].column;
        }
    }
    return COL_NONE;
}

static const char *trimmed(struct dbf__arena *arena, const char *s, size_t len)
{
    while (len && (isspace((unsigned char)*s) || *s == '*')) {
        s++;
        len--;
    }
    while (len && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '*' || s[len - 1] == '.'))
        len--;
    return len ? dbf__arena_strndup(arena, s, len) : NULL;
}

/* Does TEXT hold four digits in a row? A date with a year does: the year's. */
static bool has_four_digits(const char *text, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        run = text[i] >= '0' && text[i] <= '9' ? run + 1 : 0;
        if (run == 4)
            return true;
    }
    return false;
}

/* Reads a due date from TEXT; returns true when one was found. */
static bool parse_due(const char *text, size_t len, struct dbf_date *due, bool keyword_needed)
{
    struct dbf__match m;
    if (dbf__re_search(&quarter, text, len, 0, &m)) {
        int q = atoi(text + m.group_start[1]);
        int y = atoi(text + m.group_start[2]);
        if (y < 100)
            y += 2000;
        static const int last_day[] = {31, 30, 30, 31};
        *due = (struct dbf_date){y, q * 3, last_day[q - 1]};
        return true;
    }
    /* Below, only a date with a year is taken. */
    if (!has_four_digits(text, len))
        return false;
    size_t from = 0;
    while (dbf__re_search(&due_field, text, len, from, &m)) {
        const char *v = text + m.group_start[1];
        struct dbf_date d;
        if (dbf__date_scan(v, m.group_end[1] - m.group_start[1], &d) && d.year) {
            *due = d;
            return true;
        }
        from = m.start + 1;
    }
    if (keyword_needed)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (i && isalnum((unsigned char)text[i - 1]))
            continue;
        struct dbf_date d;
        if (dbf__date_scan(text + i, len - i, &d) && d.year) {
            *due = d;
            return true;
        }
    }
    return false;
}

static void parse_lessons(struct dbf_action *a, const char *text, size_t len)
{
    struct dbf__match m;
    int found[16];
    size_t n = 0;
    size_t from = 0;
    while (n < 16 && dbf__re_search(&lesson_field, text, len, from, &m)) {
        a->lesson_field = true;
        for (int g = 1; g <= 4; g++) {
            if (m.group_start[g] == SIZE_MAX)
                continue;
            const char *p = text + m.group_start[g];
            const char *end = text + m.group_end[g];
            while (p < end && n < 16) {
                while (p < end && !isdigit((unsigned char)*p))
                    p++;
                if (p >= end)
                    break;
                found[n++] = atoi(p);
                while (p < end && isdigit((unsigned char)*p))
                    p++;
            }
        }
        from = m.end;
    }
    if (!n)
        return;
    a->lessons = malloc(n * sizeof *a->lessons);
    if (!a->lessons)
        return;
    memcpy(a->lessons, found, n * sizeof *found);
    a->lesson_count = n;
}

static const char *parse_priority(struct dbf__arena *arena, const char *text, size_t len)
{
    struct dbf__match m;
    if (!dbf__re_search(&priority_field, text, len, 0, &m))
        return NULL;
    for (int g = 1; g <= 5; g++)
        if (m.group_start[g] != SIZE_MAX)
            return dbf__arena_strndup(arena, text + m.group_start[g],
                                      m.group_end[g] - m.group_start[g]);
    return NULL;
}

static void parse_status(struct dbf_action *a, const char *text, size_t len)
{
    if (dbf__re_search(&status_done, text, len, 0, NULL))
        a->status = DBF_ACTION_DONE;
    else if (dbf__re_search(&status_open, text, len, 0, NULL))
        a->status = DBF_ACTION_OPEN;
}

/* The subject of a commitment: "the SRE team will", "Acme plans to", "I … and will", "we will".
 * Passive and stative futures ("will be", "will have") name no one who acts. */
static struct dbf__re commitment = DBF_RE_CASED(
    "(?:^|(?<=[\\s,;:(]))((?:[Tt]he|[Oo]ur)\\s+(?:[\\w-]+\\s+){0,3}?(?:team|engineers|developers|"
    "maintainers|staff|group|leads)|(?:[Tt]he|[Oo]ur)\\s+[A-Z]{2,6}|"
    "(?!(?:This|That|These|Those|There|It|They|He|She|You|All|Some|Any|Each|Every|No|Both|Such|"
    "Which|What|"
    "When|If|Once|After|Before|Then|Also|Going|Moving|Lastly|Finally|Next|Most|In|As|To|For|Our|We|"
    "The|"
    "Its|Their|A|An|Only|Nobody|Everyone|One|Users?|Customers?|People)\\b)"
    "[A-Z][\\w-]*(?:\\s+[A-Z][\\w-]*){0,3}(?:(?:\\s+[a-z]+)?\\s+(?:team|engineers|developers|"
    "maintainers|"
    "leads|staff|group))?|I|[Ww]e)\\s+(?:(?:also|actively|now|currently|then|still)\\s+)?"
    "(?:will(?!\\s+(?:be|have|not|no|need|likely|probably|continue\\s+to\\s+be)\\b)|shall|plans?"
    "\\s+to|"
    "intends?\\s+to|(?:is|are|am)\\s+(?:going\\s+to|planning|working|exploring|aiming|looking\\s+"
    "into|"
    "investigating|considering|set\\s+to)|(?:has|have)\\s+(?:\\w+\\s+){0,2}\\w+ed\\b[^.]{0,100}?\\s"
    "and\\s+will)\\b");
/* An owner as a field after a dash, at the end of an item or before its
 * date or priority: "Add pool alerts - DB team", "… — @dana — due 2026-05-01". */
static struct dbf__re trailing_owner =
    DBF_RE_CASED("\\s[-–—]\\s+(?!(?:Done|Open|Closed|Fixed|Merged|TBD|WIP|P[0-4]|High|Medium|Low|"
                 "Critical|Urgent|In|"
                 "Due|By|ETA|Deadline|Target|Priority)\\b)"
                 "((?:team\\s+)?[A-Z@][\\w.'@-]*(?:\\s+[A-Za-z@][\\w.'-]*){0,3}?)\\s*"
                 "(?:$|[-–—|;,]\\s*(?=(?i:due|by|eta|deadline|target|priority|prio|P[0-4])\\b))");
/* A headline-style assignment: "Leads to review token usage", "SRE team to add alerts",
 * "Dana Ruiz to update the runbook", "@dana to add alerts". A capitalised
 * word is a name unless it is a verb ("Switch to …"), a word of need or
 * intent ("Plan to …", "Need to …"), a question word or an indefinite
 * pronoun ("Nobody to use …"): not_a_name. */
static struct dbf__re assigned_to = DBF_RE_CASED(
    "^\\s*((?:[Tt]he\\s+)?(?:[A-Z][\\w-]*\\s+){0,2}(?:[Tt]eam|[Ll]eads|[Ee]ngineers|[Dd]evelopers|"
    "[Mm]aintainers|[Mm]anagers|SREs?|[Oo]n-?call|[Oo]wners)|@[\\w-]+|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    "\\s+to\\s+[a-z]");
static struct dbf__re not_a_name = DBF_RE(
    "^(?:need|needs|plan|plans|try|want|wants|have|has|going|able|unable|remember|how|what|when|"
    "where|why|ways?|time|due|back|up|down|ability|access|failure|steps?|work|nobody|everyone|"
    "everybody|someone|somebody|anyone|all|each|this|that|it)\\b");
/* A team at work on the change: "Our database team is changing the defaults". */
static struct dbf__re team_at_work = DBF_RE_CASED(
    "(?:^|(?<=[\\s,;:(]))((?:[Tt]he|[Oo]ur)\\s+(?:[\\w-]+\\s+){0,3}?(?:team|engineers|developers|"
    "maintainers|staff|group|leads))\\s+(?:is|are)\\s+(?:now\\s+|already\\s+)?"
    "(?!(?:being|having|nothing|missing|lacking|failing|seeing)\\b)[a-z]+ing\\b");
/* Work promised with no one named: "… is also under way". */
static struct dbf__re ownerless_commitment =
    DBF_RE("\\b(?:is|are) (?:also |now )?(?:under ?way|in the works)\\b");
static struct dbf__re taken = DBF_RE("^\\s*\\**\\s*actions? taken\\b|^actions? taken\\b|\\bwhat "
                                     "we(?: have|'ve)? (?:done|changed)\\b");
static struct dbf__re action_point = DBF_RE(
    "^\\s*\\**\\s*(?:actions? (?:point|item|planned|taken)|follow[- ]?up|todo)\\s*\\**\\s*:");
/* Can TEXT open as action_point does: spaces and stars, then "action",
 * "follow" or "todo"? A cheap test in front of the pattern, true whenever
 * it could match (none of those first letters has a non-ASCII case form). */
static bool may_open_action_point(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '*' || (text[i] >= '\t' && text[i] <= '\r')))
        i++;
    char c = i < len ? (char)(text[i] | 0x20) : 0;
    return c == 'a' || c == 'f' || c == 't';
}

/* A line that describes rather than asks for work: "The ideal pattern would be …". */
static struct dbf__re descriptive = DBF_RE("^\\s*(?:the|this|that|these|those|it|there|a|an|its)"
                                           "\\b[^.]{0,200}?\\b(?:would|is|was|are|were|has|had|"
                                           "have|can|could|may|might)\\b");

static const char *const imperative_verbs[] = {
    "add",       "adopt",     "allow",     "align",    "ask",         "assign",     "audit",
    "automate",  "avoid",     "backport",  "block",    "brainstorm",  "build",      "bump",
    "change",    "check",     "clarify",   "clean",    "communicate", "configure",  "consider",
    "continue",  "create",    "decrease",  "define",   "deploy",      "describe",   "design",
    "determine", "develop",   "disable",   "discuss",  "disown",      "document",   "enable",
    "enforce",   "ensure",    "establish", "evaluate", "expand",      "explore",    "extend",
    "fail",      "figure",    "find",      "fix",      "follow",      "gather",     "give",
    "go",        "handle",    "harden",    "have",     "hire",        "identify",   "implement",
    "improve",   "include",   "increase",  "inform",   "install",     "introduce",  "investigate",
    "keep",      "limit",     "look",      "lower",    "make",        "migrate",    "minimize",
    "monitor",   "move",      "notify",    "perform",  "pin",         "prevent",    "publish",
    "raise",     "re-enable", "reduce",    "release",  "remove",      "rename",     "replace",
    "require",   "research",  "restrict",  "review",   "revisit",     "rotate",     "route",
    "run",       "schedule",  "scope",     "separate", "set",         "setup",      "share",
    "speak",     "split",     "start",     "stop",     "support",     "switch",     "take",
    "teach",     "test",      "track",     "train",    "treat",       "understand", "update",
    "upgrade",   "use",       "validate",  "verify",   "write",
};

/* Does TEXT open with an imperative verb ("Add …", "Set up …")? */
static bool starts_with_verb(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && !isalpha((unsigned char)text[i]))
        i++;
    size_t w = i;
    while (w < len && (isalpha((unsigned char)text[w]) || text[w] == '-'))
        w++;
    for (size_t k = 0; k < sizeof imperative_verbs / sizeof imperative_verbs[0]; k++) {
        size_t vl = strlen(imperative_verbs[k]);
        if (w - i == vl && strncasecmp(text + i, imperative_verbs[k], vl) == 0)
            return true;
        /* "Adding", "Enabling", "Setting": a gerund opens an item as well */
        size_t stem = imperative_verbs[k][vl - 1] == 'e' ? vl - 1 : vl;
        size_t word = w - i;
        if (word >= stem + 3 && word <= stem + 4 && strncasecmp(text + w - 3, "ing", 3) == 0 &&
            strncasecmp(text + i, imperative_verbs[k], stem) == 0)
            return true;
    }
    return false;
}

/* The person behind "I": the first author, when the front matter names one. */
static const char *first_person(const struct dbf_doc *doc)
{
    return doc->meta.authors.count ? doc->meta.authors.items[0] : "I";
}

/* The owner named as the subject of a commitment in TEXT, or NULL; *FOUND says
 * whether TEXT makes a commitment at all. */
static const char *commitment_owner(struct dbf_doc *doc, const char *text, size_t len, bool *found,
                                    bool *ongoing)
{
    struct dbf__match m;
    *found = false;
    *ongoing = false;
    if (!dbf__re_search(&commitment, text, len, 0, &m) &&
        !dbf__re_search(&team_at_work, text, len, 0, &m)) {
        *found = dbf__re_search(&ownerless_commitment, text, len, 0, NULL);
        return NULL;
    }
    *found = true;
    *ongoing = memmem(text + m.group_end[1], m.end - m.group_end[1], "working", 7) != NULL;
    const char *s = text + m.group_start[1];
    size_t n = m.group_end[1] - m.group_start[1];
    if (n == 2 && strncasecmp(s, "we", 2) == 0)
        return NULL;
    if (n == 1 && *s == 'I')
        return first_person(doc);
    return dbf__arena_strndup(dbf__doc_arena(doc), s, n);
}

static const char *parse_owner(struct dbf__arena *arena, const char *text, size_t len,
                               struct dbf_pos *pos, const struct dbf_block *b, size_t base)
{
    struct dbf__match m;
    struct dbf__re *forms[] = {&owner_field, &owner_handle, &owner_paren};
    for (size_t k = 0; k < 3; k++) {
        if (dbf__re_search(forms[k], text, len, 0, &m)) {
            size_t s = m.group_start[1], e = m.group_end[1];
            if (k == 1)
                s--; /* keep the '@' */
            *pos = (struct dbf_pos){dbf_doc_block_line(b, base + s), b->pos.column};
            return trimmed(arena, text + s, e - s);
        }
    }
    return NULL;
}

/* Adds the action item written in BLOCK's text from byte START, LEN bytes long. */
static struct dbf_action *item_from_text(struct dbf_doc *doc, const struct dbf_block *b,
                                         size_t start, size_t len, size_t *cap)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    const char *text = b->text + start;
    struct dbf_action *a = DBF_PUSH(doc->actions, doc->action_count, *cap);
    a->pos = (struct dbf_pos){dbf_doc_block_line(b, start), start ? 1 : b->pos.column};
    a->description = start == 0 && len == b->len ? b->text : dbf__arena_strndup(arena, text, len);
    a->link = b->link;
    struct dbf__match m;
    if (b->ordered) {
        a->number = b->number;
        a->ordered = true;
    } else if (dbf__re_search(&number_prefix, text, len, 0, &m)) {
        a->number = atoi(text + m.group_start[1]);
        a->ordered = true;
    }
    if (b->marker && b->marker[0] == '[')
        a->status = b->marker[1] == 'x' || b->marker[1] == 'X' ? DBF_ACTION_DONE : DBF_ACTION_OPEN;
    parse_status(a, text, len);
    const struct dbf_section *sec = dbf__block_section(doc, b);
    if (a->status == DBF_ACTION_UNKNOWN &&
        (dbf__re_search(&taken, text, len, 0, NULL) ||
         (sec && sec->heading && dbf__re_test(&taken, sec->heading))))
        a->status = DBF_ACTION_DONE;
    a->owner = parse_owner(arena, text, len, &a->owner_pos, b, start);
    if (!a->owner && dbf__re_search(&trailing_owner, text, len, 0, &m)) {
        a->owner =
            dbf__arena_strndup(arena, text + m.group_start[1], m.group_end[1] - m.group_start[1]);
        a->owner_pos =
            (struct dbf_pos){dbf_doc_block_line(b, start + m.group_start[1]), a->pos.column};
    }
    if (!a->owner && dbf__re_search(&assigned_to, text, len, 0, &m) &&
        !starts_with_verb(text + m.group_start[1], m.group_end[1] - m.group_start[1]) &&
        !dbf__re_search(&not_a_name, text + m.group_start[1], m.group_end[1] - m.group_start[1], 0,
                        NULL)) {
        a->owner =
            dbf__arena_strndup(arena, text + m.group_start[1], m.group_end[1] - m.group_start[1]);
        a->owner_pos = a->pos;
    }
    if (!a->owner) {
        bool promised, ongoing;
        a->owner = commitment_owner(doc, text, len, &promised, &ongoing);
        a->owner_pos = a->pos;
    }
    struct dbf_date due;
    if (parse_due(text, len, &due, false)) {
        a->due = due;
        a->due_text = "";
    }
    a->priority = parse_priority(arena, text, len);
    parse_lessons(a, text, len);
    if (!a->link && dbf__re_search(&ticket_ref, text, len, 0, &m))
        a->link = dbf__arena_strndup(arena, text + m.start, m.end - m.start);
    return a;
}

static void items_from_table(struct dbf_doc *doc, size_t first, size_t end, size_t *cap)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    const struct dbf_block *cells = doc->blocks;
    enum column roles[32] = {0};
    int ncols = 0;
    bool has_action = false;
    for (size_t i = first; i < end && cells[i].table_row == 0; i++) {
        int c = cells[i].table_column;
        if (c < 32) {
            roles[c] = column_of(cells[i].text);
            if (roles[c] == COL_ACTION) {
                if (has_action)
                    roles[c] = COL_NONE;
                has_action = true;
            }
        }
        ncols++;
    }
    if (!has_action) {
        /* The first column that is not something else holds the action. */
        for (int c = 0; c < ncols && c < 32; c++) {
            if (roles[c] == COL_NONE) {
                roles[c] = COL_ACTION;
                break;
            }
        }
    }
    bool has[COL_LINK + 1] = {0};
    for (int c = 0; c < ncols && c < 32; c++)
        has[roles[c]] = true;
    size_t i = first;
    while (i < end) {
        int row = cells[i].table_row;
        size_t row_end = i;
        while (row_end < end && cells[row_end].table_row == row)
            row_end++;
        if (row > 0) {
            struct dbf_action *a = DBF_PUSH(doc->actions, doc->action_count, *cap);
            a->pos = cells[i].pos;
            a->from_table = true;
            a->lesson_field = has[COL_LESSON];
            for (size_t k = i; k < row_end; k++) {
                const struct dbf_block *cell = &cells[k];
                int c = cell->table_column;
                enum column role = c >= 0 && c < 32 ? roles[c] : COL_NONE;
                const char *t = cell->text;
                size_t l = cell->len;
                switch (role) {
                case COL_NUMBER:
                    a->number = atoi(t + strcspn(t, "0123456789"));
                    a->ordered = a->number > 0;
                    break;
                case COL_ACTION:
                    a->description = t;
                    if (!a->link)
                        a->link = cell->link;
                    break;
                case COL_OWNER:
                    a->owner = trimmed(arena, t, l);
                    if (a->owner &&
                        (strcmp(a->owner, "-") == 0 || strcasecmp(a->owner, "tbd") == 0 ||
                         strcasecmp(a->owner, "n/a") == 0 || strcasecmp(a->owner, "none") == 0 ||
                         strcmp(a->owner, "?") == 0))
                        a->owner = NULL;
                    a->owner_pos = cell->pos;
                    break;
                case COL_DUE: {
                    struct dbf_date d;
                    a->due_text = trimmed(arena, t, l);
                    if (parse_due(t, l, &d, false))
                        a->due = d;
                    break;
                }
                case COL_PRIORITY:
                    a->priority = trimmed(arena, t, l);
                    if (a->priority &&
                        (strcmp(a->priority, "-") == 0 || strcasecmp(a->priority, "tbd") == 0))
                        a->priority = NULL;
                    break;
                case COL_LESSON:
                    parse_lessons(a, t, l);
                    if (!a->lesson_count) {
                        /* a bare "2" or "#2, #3" */
                        char buf[80];
                        snprintf(buf, sizeof buf, "lesson %.*s", (int)(l < 70 ? l : 70), t);
                        parse_lessons(a, buf, strlen(buf));
                    }
                    a->lesson_field = true;
                    break;
                case COL_STATUS:
                    if (l &&
                        (strcasestr(t, "done") || strcasestr(t, "complete") ||
                         strcasestr(t, "closed") || strcasestr(t, "fixed") ||
                         strcasestr(t, "resolved") || strstr(t, "✅") || strcasestr(t, "merged") ||
                         strcasestr(t, "shipped") || strcasestr(t, "yes")))
                        a->status = DBF_ACTION_DONE;
                    else if (l)
                        a->status = DBF_ACTION_OPEN;
                    if (!a->link)
                        a->link = cell->link;
                    break;
                case COL_LINK:
                    if (l || cell->link)
                        a->link = cell->link ? cell->link : trimmed(arena, t, l);
                    break;
                case COL_NONE:
                    if (!a->link)
                        a->link = cell->link;
                    break;
                }
            }
            if (!a->description)
                a->description = "";
            if (!has[COL_OWNER] && a->description)
                a->owner = parse_owner(arena, a->description, strlen(a->description), &a->owner_pos,
                                       &cells[i], 0);
            if (!has[COL_PRIORITY])
                a->priority = parse_priority(arena, a->description, strlen(a->description));
            if (!has[COL_DUE]) {
                struct dbf_date d;
                if (parse_due(a->description, strlen(a->description), &d, true))
                    a->due = d;
            }
        }
        i = row_end;
    }
}

static size_t word_count(const char *text, size_t len)
{
    size_t words = 0;
    bool in = false;
    for (size_t k = 0; k < len; k++) {
        bool c = isalnum((unsigned char)text[k]);
        words += c && !in;
        in = c;
    }
    return words;
}

/* Is BLOCK only a bold label ("**Review actions**:")? */
static bool is_bare_label(const struct dbf_block *b)
{
    if (!b->lead)
        return false;
    size_t n = strlen(b->lead);
    size_t rest = 0;
    for (size_t k = n <= b->len ? n : b->len; k < b->len; k++)
        rest += !isspace((unsigned char)b->text[k]) && b->text[k] != ':' && b->text[k] != '*';
    return rest == 0;
}

/* Is the list item at I only a label for the nested items after it? A theme
 * ("Monitoring:", "Process improvements") is; an item that asks for work and
 * lists its parts ("Make sure paging covers:") is not. */
static bool is_label(const struct dbf_doc *doc, size_t i)
{
    const struct dbf_block *b = &doc->blocks[i];
    if (i + 1 >= doc->block_count || doc->blocks[i + 1].list_depth <= b->list_depth ||
        doc->blocks[i + 1].type != DBF_BLOCK_LIST_ITEM)
        return false;
    return is_bare_label(b) ||
           (word_count(b->text, b->len) <= 6 && !starts_with_verb(b->text, b->len));
}

/* Bytes of BLOCK's text to skip: the bold label that opened its section ("**Review actions**: …").
 */
static size_t label_prefix(const struct dbf_doc *doc, const struct dbf_block *b)
{
    const struct dbf_section *s = dbf__block_section(doc, b);
    if (!b->lead || !s || s->level != 8 || s->pos.line != b->pos.line)
        return 0;
    size_t k = strlen(b->lead);
    if (k > b->len || strncmp(b->text, b->lead, k) != 0)
        return 0;
    while (k < b->len &&
           (b->text[k] == ':' || b->text[k] == '*' || isspace((unsigned char)b->text[k])))
        k++;
    return k;
}

/* Is BLOCK directly under a title that the alias table took for a section? */
static bool in_title_section(const struct dbf_doc *doc, const struct dbf_block *b)
{
    const struct dbf_section *s = dbf__block_section(doc, b);
    return s && s->level == 1 && s->pos.line == doc->title_pos.line;
}

/* Is BLOCK in an actions section, or in one whose heading also names actions
 * ("Lessons and next steps")? The title is not a section. */
static bool in_actions(const struct dbf_doc *doc, const struct dbf_block *b)
{
    const struct dbf_section *s = dbf__block_section(doc, b);
    if (!s || in_title_section(doc, b))
        return false;
    return s->effective == DBF_SECTION_ACTIONS || (s->kinds & (1u << DBF_SECTION_ACTIONS));
}

/* One line or paragraph of an actions section's prose: an item unless it only
 * introduces or describes. */
static void item_from_prose(struct dbf_doc *doc, const struct dbf_block *b, size_t start,
                            size_t len, size_t *cap)
{
    const char *text = b->text + start;
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    if (len < 8 || text[len - 1] == ':')
        return;
    bool promised, ongoing;
    commitment_owner(doc, text, len, &promised, &ongoing);
    if (!promised && !starts_with_verb(text, len) &&
        dbf__re_search(&descriptive, text, len, 0, NULL))
        return;
    item_from_text(doc, b, start, len, cap);
}

static void items_from_paragraph(struct dbf_doc *doc, const struct dbf_block *b, size_t *cap)
{
    if (!dbf__lines_are_items(b->text, b->len)) {
        item_from_prose(doc, b, 0, b->len, cap);
        return;
    }
    size_t from = 0;
    while (from < b->len) {
        const char *nl = memchr(b->text + from, '\n', b->len - from);
        size_t end = nl ? (size_t)(nl - b->text) : b->len;
        item_from_prose(doc, b, from, end - from, cap);
        from = end + 1;
    }
}

/* The sentences of BLOCK that make a commitment become items. */
static void items_from_commitments(struct dbf_doc *doc, const struct dbf_block *b, size_t *cap)
{
    if (b->type == DBF_BLOCK_LIST_ITEM) {
        bool promised, ongoing;
        commitment_owner(doc, b->text, b->len, &promised, &ongoing);
        if (promised && !ongoing && b->len && b->text[b->len - 1] != ':')
            item_from_text(doc, b, 0, b->len, cap);
        return;
    }
    size_t from = 0;
    while (from < b->len) {
        size_t end = from;
        while (end < b->len &&
               !((b->text[end] == '.' || b->text[end] == '?' || b->text[end] == '!') &&
                 (end + 1 == b->len || isspace((unsigned char)b->text[end + 1]))))
            end++;
        if (end < b->len)
            end++;
        while (from < end && isspace((unsigned char)b->text[from]))
            from++;
        bool promised, ongoing;
        commitment_owner(doc, b->text + from, end - from, &promised, &ongoing);
        if (promised && !ongoing && b->text[end - 1] != ':')
            item_from_text(doc, b, from, end - from, cap);
        from = end;
    }
}

/* Does section S (by index) hold a table, or list items, among its own blocks? */
static void section_shapes(const struct dbf_doc *doc, bool *has_table, bool *has_list)
{
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->section < 0)
            continue;
        if (b->type == DBF_BLOCK_TABLE_CELL && b->table_row > 0)
            has_table[b->section] = true;
        if (b->type == DBF_BLOCK_LIST_ITEM && b->marker && !is_bare_label(b))
            has_list[b->section] = true;
    }
}

static void items_from_list(struct dbf_doc *doc, size_t i, size_t end, size_t *cap)
{
    int min_depth = doc->blocks[i].list_depth;
    for (size_t k = i; k < end; k++)
        if (doc->blocks[k].list_depth < min_depth)
            min_depth = doc->blocks[k].list_depth;
    for (size_t k = i; k < end; k++) {
        const struct dbf_block *item = &doc->blocks[k];
        if (!item->marker || is_bare_label(item))
            continue;
        bool outer = item->list_depth == min_depth;
        if (outer && is_label(doc, k))
            continue;
        if (!outer) {
            /* nested items count only under a label item */
            size_t p = k;
            while (p > i && doc->blocks[p].list_depth > min_depth)
                p--;
            if (!(item->list_depth == min_depth + 1 && is_label(doc, p)))
                continue;
        }
        size_t skip = label_prefix(doc, item);
        if (skip < item->len)
            item_from_text(doc, item, skip, item->len - skip, cap);
    }
}

void dbf__actions_extract(struct dbf_doc *doc)
{
    size_t cap = 0;
    bool *has_table = calloc(doc->section_count + 1, sizeof *has_table);
    bool *has_list = calloc(doc->section_count + 1, sizeof *has_list);
    if (!has_table || !has_list) {
        free(has_table);
        free(has_list);
        return;
    }
    section_shapes(doc, has_table, has_list);
    size_t i = 0;
    while (i < doc->block_count) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!in_actions(doc, b)) {
            bool prose = b->type == DBF_BLOCK_PARAGRAPH || b->type == DBF_BLOCK_LIST_ITEM;
            enum dbf_section_kind kind = dbf_doc_block_kind(doc, b);
            if (prose && kind != DBF_SECTION_TIMELINE && may_open_action_point(b->text, b->len) &&
                dbf__re_search(&action_point, b->text, b->len, 0, NULL))
                item_from_text(doc, b, 0, b->len, &cap);
            else if (prose && kind == DBF_SECTION_LESSONS && !in_title_section(doc, b))
                items_from_commitments(doc, b, &cap);
            i++;
            continue;
        }
        if (b->type == DBF_BLOCK_TABLE_CELL) {
            size_t end = i;
            while (end < doc->block_count && doc->blocks[end].table == b->table)
                end++;
            items_from_table(doc, i, end, &cap);
            i = end;
            continue;
        }
        if (b->type == DBF_BLOCK_LIST_ITEM) {
            size_t end = i;
            while (end < doc->block_count && doc->blocks[end].type == DBF_BLOCK_LIST_ITEM &&
                   doc->blocks[end].section == b->section)
                end++;
            if (!has_table[b->section])
                items_from_list(doc, i, end, &cap);
            i = end;
            continue;
        }
        if (b->type == DBF_BLOCK_PARAGRAPH && !has_table[b->section] && !has_list[b->section])
            items_from_paragraph(doc, b, &cap);
        i++;
    }
    free(has_table);
    free(has_list);
    if (doc->action_count == 0) {
        for (size_t k = 0; k < doc->block_count; k++) {
            const struct dbf_block *b = &doc->blocks[k];
            if ((b->type == DBF_BLOCK_PARAGRAPH || b->type == DBF_BLOCK_LIST_ITEM) &&
                dbf_doc_block_kind(doc, b) != DBF_SECTION_TIMELINE)
                items_from_commitments(doc, b, &cap);
        }
    }
    doc->internal->action_cap = cap;
}
