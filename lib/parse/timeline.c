/* timeline.c: timeline entries from lists, tables, timed sub-headings and
 * timed paragraph lines, with their zone, date carry-over and kinds.
 *
 * Entries come from the timeline sections. Where those hold fewer than three
 * timed entries (none, or only a "Key events" list of milestones written
 * event first), a list, table or run of paragraphs of three or more timed
 * rows elsewhere is the timeline, and the milestone list gives way to it.
 * Dates carry forward from the previous entry and from a date-only line or
 * heading ("### 2026-03-07 Saturday"); a clock that runs back by hours has
 * passed midnight. Numeric dates that read both ways (04-03-2026) follow the
 * order the document shows elsewhere, and dates without a year take the
 * document's year. An entry's `at` is UTC when its zone has a fixed offset.
 * Kinds come from [tags], else from wording. */
#include "../util/re.h"
#include "clock.h"
#include "parse.h"
#include "../util/swar.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct kind_pattern {
    unsigned kind;
    struct dbf__re re;
};

/* Whole words of prose, not parts of names such as "deploy-created-release.yml". */
#define WORD_START "(?<![-_/.#\\w])"
#define WORD_END "(?![\\w]|[-_/.][\\w])"

/* Wording of each milestone, by what the entry reports. A trigger is a change
 * someone or something made, a scheduled or expiring thing, or load or an
 * attack from outside; impact start is a symptom beginning; detection is a
 * person or a system noticing or reporting; the others follow the response:
 * people brought in, the cause found, the impact stopped, service back. */
static struct kind_pattern kind_patterns[] = {
    {DBF_EVENT_TRIGGER,
     DBF_RE_PARTS(WORD_START
            "("
            /* a change */
            "deploy(ed|ment|s)?|rolled out|roll-?out (began|begins|started|starts|of)|released?|"
            "merged|pushed|committed|introduced|published|renamed|created|modified|changed|"
            "upgraded?|upgrade of|migrat(ed|ion)|config(uration)? (change|update)|"
            "(bump|bumped|version) (pr|bump|of)|scaling (up|down)|executed|accidental(ly)?|"
            "ran (a|the) (command|script|job|query|migration)|"
            "(began|begins|started|starts) (a|the) (maintenance|migration|upgrade|exercise|drill)|"
            "(approved|opened|merged) (a |the )?(pr|pull request|merge request)|"
            /* something scheduled, launched or expiring */
            "cron|scheduled|expired|expires|expiry|goes live|went live|"
            /* load or an attack from outside */
            "(attacker|exploit)\\w*|vulnerability was|(wave|storm|flood|spike|surge) of|"
            "(traffic|load) (spike|surge|increase)s?)" WORD_END)},
    {DBF_EVENT_IMPACT_START,
     DBF_RE_PARTS(
         WORD_START
         "("
         /* a symptom that begins */
         "(errors?|failures?|outage|impact|latency|timeouts?|fault) (began|begin|begins|started|"
         "starts|start|spiked|increased|occurs|occurred|appear|appears|appeared)|"
         "(began|begins|started|starts) (to )?(fail|return|error|drop|degrad)|"
         "first\\b[^.\\n]{0,30}\\b(failures?|errors?)|fail(s|ed)? (with|to (start|load|connect|"
         "respond|complete|upload|process|run))|"
         /* a part of the system that stops serving */
         "went down|goes down|(is|was) (hard )?down|became unavailable|unavailable|"
         "stops? responding|stopped responding|(drops?|dropped) to zero|stuck|halts|halted|"
         "crash ?loop|crash(es|ed)|exhaust(s|ed)?|degrad(ed|ing)|rejected|(is|was|as|now) .?broken|"
         "(entered|went into|became|marked) (a |an )?(notready|not "
         "ready|unhealthy|failed))" WORD_END)},
    {DBF_EVENT_DETECTED,
     DBF_RE_PARTS(WORD_START
            "("
            /* a system noticing */
            "alert(ed|s)?|alarms?|paged|page (fired|sent)|pagerduty|opsgenie|monitoring "
            "(fired|showed|detected)|"
            /* a person noticing */
            "noticed?|notices|detected|first detected|(becomes?|became) aware|aware of|flagged|"
            "observed|spotted|first (noticed|report|sign)|"
            /* someone reporting it */
            "reported|reports? (of|that|the|an?|their|on|in|via)|complain(ed|ts?|s)|"
            "(users?|customers?|clients?|researchers?|members?|students?|someone|reporter) "
            "(e-?mails?|reports?|contacts?|messages?|writes?|posts?|submits?|raised?|asks?|asked)|"
            "(submitted|submits|received|receives?|got|gets) (a |an |the |our )?(first |several "
            "|multiple |more |many |a few )?(bug |bounty |disclosure |vulnerability |support "
            "|customer |user )?"
            "(reports?|e-?mails?|tickets?|complaints?)|"
            /* a user opening an issue or a ticket about what they see */
            "(opens|opened|files|filed|raises|raised) (a |an |the )?(new )?(issue|bug( report)?|"
            "#\\d+)|"
            "(tickets?|complaints?|reports?)\\b[^.\\n]{0,30}?\\b(about(?! to\\b)|saying|asking|"
            "that say|complaining)|"
            "(bug|bounty|security|vulnerability|incoming|external) report|"
            "report\\b[^.\\n]{0,40}\\bsubmitted|submitted by|"
            "e-?mails? (support|us|the (team|maintainers|helpdesk|service desk))|"
            "(asks?|asked|asking)\\b[^.\\n]{0,40}\\bwhy|"
            "forward(s|ed)? (a |an |the )?(ticket|complaint|report|e-?mail)|"
            "(tickets?|complaints?|e-?mails?|messages?) from (a |an |the |one |several )?([\\w-]+ "
            "){0,2}"
            "(customers?|users?|clients?|merchants?|partners?))" WORD_END)},
    {DBF_EVENT_ESCALATED,
     DBF_RE_PARTS(
         WORD_START
         "("
         /* an incident declared and led */
         "escalat(ed|es|ion|ing)|incident (is |was )?(declared|opened|started)|declared (an |the )?"
         "incident|incident commander|incident lead|"
         /* more people or another team brought in */
         "paged (the )?(secondary|manager|team|lead)|on-?call (was |is )?(paged|notified)|"
         "notified (the )?team|joined|joins|called in|pulled in|assembled|brings? in|brought in|"
         "loops? in|looped in|pings?|pinged|(was )?assigned|reach(es|ed)? out|engaged|"
         "war ?room|bridge (call|opened)|huddle|(call|meeting) (created|started|opened|begins)|"
         "(support )?(ticket|case) (was )?(opened|raised|filed))" WORD_END)},
    {DBF_EVENT_DIAGNOSED,
     DBF_RE_PARTS(WORD_START
            "(identified|diagnos(ed|is)|root cause|determined|determines|found (that|the)|"
            "finds|discovered|realized|realised|realises|narrowed|pinpointed|traced (it |the )?|"
            "confirm(ed|s)? (that|the)|suspect(ed|s)?|conclu(ded|des|sion)|revealed|"
            "correlat(ed|ion)|the cause|caused by|is the cause)" WORD_END)},
    {DBF_EVENT_MITIGATION,
     DBF_RE_PARTS(
         WORD_START
         "(roll(ed|s)? ?back|rollback|revert(ed|ing|s)?|mitigat(ed|ion|e|es)|restart(ed|ing|s)?|"
         "fail(ed)? ?over|disabled|scaled|workaround|hot-?fix|patch(ed|es)?|deployed (a |the )?fix|"
         "fix (is |was )?(deployed|applied|merged|released|pushed)|applied|"
         "rebooted|drained|blocked|removed|increased|redeployed|re-deployed|rotated|revoked|"
         "repaired|cordon(ed)?|terminated|deleted|killed|shut down|stopped|replaced|"
         "(took|takes|taken) down|paused|bumped|raised|resized|turned off|re-?enabled|"
         "released with (the )?fix|fix(ed)? (release|version)|"
         /* going back to what worked before */
         "(back|switched back|went back) to (the )?(previous|old|last|earlier|prior)|"
         "(restored|reinstated) (the )?(previous|old|last|earlier|prior)|"
         "(previous|old|last known[- "
         "]good|earlier|prior)\\b[^.;\\n]{0,40}\\b(restored|reinstated|put back))" WORD_END)},
    {DBF_EVENT_RESOLVED,
     DBF_RE_PARTS(
         WORD_START
         "(resolved|resolution|recovered|recovery|fully restored|restored|"
         "back to (normal|baseline)|all[- ]clear|incident (is |was )?closed|closed the incident|"
         "returns? to (normal|baseline)|returned to (normal|baseline)|operational|stable|"
         "normal operation|healthy|service (was )?restored|(is|was) fixed|"
         "(outage|incident|impact) (ends|ended|is over|was over)|(end|ends|ended) (of )?(the "
         ")?(outage|impact)|"
         "(brings?|bringing|brought) (the )?(outage|incident|impact) to an end|"
         "back (online|up)|working "
         "(again|normally)|(responding|working|running|operating|behaving) normally|"
         "functional|(usual|normal|expected) (rate|levels?|traffic|latency)|recover(s|ing)? fully|"
         "no longer seeing)" WORD_END)},
    {DBF_EVENT_CUSTOMER,
     DBF_RE_PARTS(WORD_START
            "(status ?page|statuspage|tweet(ed|s)?|twitter|announc(ed|ement|es)|customers? "
            "(were )?notified|notified (customers|users)|e-?mail(ed)? (to )?(customers|users)|"
            "blog post|posted (an? )?(update|notice)|public (announcement|statement|disclosure)|"
            "mailing list|banner|(comms|communications?|notices?|updates?) "
            "(sent|distributed|published|posted))" WORD_END)},
};

static const struct {
    const char *tag;
    unsigned kind;
} tags[] = {
    {"[trigger]", DBF_EVENT_TRIGGER},       {"[impact]", DBF_EVENT_IMPACT_START},
    {"[detected]", DBF_EVENT_DETECTED},     {"[detection]", DBF_EVENT_DETECTED},
    {"[escalated]", DBF_EVENT_ESCALATED},   {"[escalation]", DBF_EVENT_ESCALATED},
    {"[diagnosed]", DBF_EVENT_DIAGNOSED},   {"[diagnosis]", DBF_EVENT_DIAGNOSED},
    {"[mitigation]", DBF_EVENT_MITIGATION}, {"[mitigated]", DBF_EVENT_MITIGATION},
    {"[resolved]", DBF_EVENT_RESOLVED},     {"[recovered]", DBF_EVENT_RESOLVED},
    /* customer impact: its first entry is when customers were first hit */
    {"[customer]", DBF_EVENT_CUSTOMER | DBF_EVENT_IMPACT_START},
};

/* The lead of a zone declaration: "All times", "Times are in", "timestamps
 * shown as"; the zone is one of the few words after it. */
static struct dbf__re zone_declaration = DBF_RE(
    "\\b(?:all )?(?:times?|timestamps?|dates?)(?: and times?)?(?: (?:are|is|were|shown|given|"
    "listed|reported))?(?: (?:in|as))?(?: both)?(?=[ :(])");
static struct dbf__re heading_zone =
    DBF_RE_CASED("\\(([A-Z]{2,5}(?:[+-]\\d{1,2})?)\\)|\\b(?:in|In) ([A-Z]{2,5})\\b");
/* Something meant as a time that is not one: "[???]", "1X:XX", "14:??", "--:--",
 * "HH:mm", "14:7", "25:10", "X:" after a date, "around lunch". */
static struct dbf__re unknown_time =
    DBF_RE("^[\\s\\[`*~{_]*(?:(?:\\d{4}-\\d\\d-\\d\\d|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{4})[ ,]+)?"
           "(?:[0-9x?-]{1,2}:[0-9x?-]{1,2}(?!\\d)(?:\\s*[ap]\\.?m\\.?)?|hh:mm|\\?{2,}|x{1,2}(?=\\s*"
           "[:\\]])|"
           "around (?:noon|lunch\\w*|midnight|\\d{1,2}(?::\\d\\d)?(?:\\s*[ap]m)?))[\\]`*}_]*");
/* A milestone list item that names the event first: "Errors start
 * 2026-03-02 07:15", "First detected: 2026-03-02 07:40". */
static struct dbf__re label_first =
    DBF_RE("^([^\\n]{2,60}?)[:\\s]+(\\d{4}-\\d\\d-\\d\\d[ "
           "T]\\d{1,2}:\\d\\d(?::\\d\\d)?(?:\\s*[A-Z]{1,5})?)\\s*$");
static struct dbf__re numeric_date = DBF_RE("\\b(\\d{1,2})[-/.](\\d{1,2})[-/.](?:19|20)\\d\\d\\b");
static struct dbf__re any_year = DBF_RE("\\b(?:19[89]\\d|20\\d\\d)\\b");

/* Cheap tests of text the patterns above cannot match, to spare the search
 * of most blocks; each is true whenever its pattern could match. */
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_date_separator(char c)
{
    return c == '-' || c == '/' || c == '.';
}

/* A year numeric_date or any_year could hold: 19dd or 20dd at S[I]. */
static bool year_at(const char *s, size_t len, size_t i)
{
    return i + 4 <= len && ((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')) &&
           is_digit(s[i + 2]) && is_digit(s[i + 3]);
}

/* The first digit at or after I in S[0..LEN), or LEN. Eight bytes without a
 * digit are passed over at once: most of a document's prose has none. */
static size_t next_digit(const char *s, size_t len, size_t i)
{
    while (i + 8 <= len && !dbf__bytes_in(dbf__load8(s + i), '0', '9'))
        i += 8;
    while (i < len && !is_digit(s[i]))
        i++;
    return i;
}

/* "D-D-YYYY": a digit, a separator, one or two digits, a separator, a year. */
static bool may_hold_numeric_date(const char *s, size_t len)
{
    /* D is the digit before the first separator. */
    for (size_t d = next_digit(s, len, 0); d + 2 < len; d = next_digit(s, len, d + 1)) {
        size_t i = d + 1;
        if (!is_date_separator(s[i]) || !is_digit(s[i + 1]))
            continue;
        if (i + 2 < len && is_date_separator(s[i + 2]) && year_at(s, len, i + 3))
            return true;
        if (i + 3 < len && is_digit(s[i + 2]) && is_date_separator(s[i + 3]) &&
            year_at(s, len, i + 4))
            return true;
    }
    return false;
}

static bool may_hold_year(const char *s, size_t len)
{
    for (size_t i = next_digit(s, len, 0); i + 4 <= len; i = next_digit(s, len, i + 1))
        if (year_at(s, len, i))
            return true;
    return false;
}

/* Does S hold "time" or "date" in any case, as every zone declaration does? */
static bool may_hold_zone_declaration(const char *s, size_t len)
{
    /* Upper-case ASCII letters read as lower-case ones with 0x20 set; no byte
     * that is not a letter becomes one of these. */
    uint32_t time, date;
    memcpy(&time, "time", 4);
    memcpy(&date, "date", 4);
    for (size_t i = 0; i + 4 <= len; i++) {
        uint32_t w;
        memcpy(&w, s + i, 4);
        w |= 0x20202020u;
        if (w == time || w == date)
            return true;
    }
    return false;
}

struct state {
    struct dbf_doc *doc;
    struct dbf_time zone; /* the declared zone, else the last one an entry named */
    bool zone_declared;
    struct dbf_date date; /* the date carried forward */
    int64_t day_base;     /* days since epoch for entries without a date */
    int64_t last_clock;   /* seconds of day (UTC) of the previous timed entry */
    bool have_clock;      /* last_clock is set */
    int default_year;     /* for dates written without a year */
    enum dbf__date_order order;
    size_t timeline_cap;
    bool *label_form; /* per entry: written as "event DATE TIME" */
    size_t label_count, label_cap;
};

static size_t scan_time(const struct state *st, const char *s, size_t len, struct dbf_time *t,
                        bool require_clock)
{
    return dbf__time_scan_order(s, len, t, require_clock, st->order);
}

/* TEXT with quoted words blanked: a quotation is what a reporter wrote or a
 * log said ("parcels \"stuck\""), not this entry's own account of a symptom. */
static char *unquoted(const char *text, size_t len, char *buf, size_t size)
{
    size_t n = len < size - 1 ? len : size - 1;
    bool inside = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        bool curly = c == 0xE2 && i + 2 < n && (unsigned char)text[i + 1] == 0x80 &&
                     ((unsigned char)text[i + 2] == 0x9C || (unsigned char)text[i + 2] == 0x9D);
        if (c == '"' || curly) {
            inside = !inside;
            buf[i] = ' ';
            if (curly) {
                buf[++i] = ' ';
                buf[++i] = ' ';
            }
            continue;
        }
        buf[i] = inside ? ' ' : text[i];
    }
    buf[n] = '\0';
    return buf;
}

/* Does TEXT[0..LEN) hold an opening or closing curly double quote (E2 80 9C
 * or E2 80 9D)? */
static bool has_curly_quote(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text, *end = s + len;
    for (const unsigned char *p = memchr(s, 0xE2, len); p && end - p >= 3;
         p = memchr(p + 1, 0xE2, (size_t)(end - p - 1)))
        if (p[1] == 0x80 && (p[2] == 0x9C || p[2] == 0x9D))
            return true;
    return false;
}

/* The kinds of the [tags] in TEXT[0..LEN), found in one pass over its '['s. */
static unsigned tagged_kinds(const char *text, size_t len)
{
    unsigned kinds = 0;
    const char *end = text + len;
    for (const char *p = memchr(text, '[', len); p; p = memchr(p + 1, '[', (size_t)(end - p - 1))) {
        for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
            size_t n = strlen(tags[i].tag);
            if (n <= (size_t)(end - p) && strncasecmp(p, tags[i].tag, n) == 0)
                kinds |= tags[i].kind;
        }
    }
    return kinds;
}

static unsigned infer_kinds(const char *text, size_t len, bool *tagged)
{
    char own_words[1024];
    unsigned kinds = tagged_kinds(text, len);
    if (kinds) {
        *tagged = true;
        return kinds;
    }
    *tagged = false;
    /* Without quotes the unquoted text is the text itself, which lies in the
     * frozen arena. */
    const char *plain = text;
    size_t plain_len = len;
    if (len >= sizeof own_words || memchr(text, '"', len) || has_curly_quote(text, len)) {
        plain = unquoted(text, len, own_words, sizeof own_words);
        plain_len = strlen(plain);
    }
    for (size_t i = 0; i < sizeof kind_patterns / sizeof kind_patterns[0]; i++) {
        bool symptom = kind_patterns[i].kind == DBF_EVENT_IMPACT_START;
        if (dbf__re_search(&kind_patterns[i].re, symptom ? plain : text, symptom ? plain_len : len,
                           0, NULL))
            kinds |= kind_patterns[i].kind;
    }
    return kinds;
}

static void apply_zone(struct state *st, struct dbf_time *t)
{
    if (!t->has_zone && st->zone.has_zone) {
        t->has_zone = true;
        t->zone_is_fixed = st->zone.zone_is_fixed;
        t->utc_offset = st->zone.utc_offset;
        t->zone = st->zone.zone;
    }
}

static bool is_dash(const char *p, const char *end)
{
    return (unsigned char)*p == 0xE2 && p + 2 < end && (unsigned char)p[1] == 0x80 &&
           ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94);
}

/* Skips separators between a time and its text: " - ", ": ", " | ", "–", and
 * a second rendering of the time in parentheses: "09:40 EDT (13:40 UTC):". */
static const char *skip_separator(const struct state *st, const char *p, const char *end)
{
    for (;;) {
        while (p < end) {
            unsigned char c = (unsigned char)*p;
            if (c == ' ' || c == ':' || c == '-' || c == '|' || c == ',' || c == '*' || c == '`' ||
                c == ']' || c == ')' || c == '}' || c == '\t' || c == '.' || c == '\n')
                p++;
            else if (is_dash(p, end))
                p += 3;
            else
                break;
        }
        if (p < end && *p == '(') {
            struct dbf_time other;
            size_t n = scan_time(st, p + 1, (size_t)(end - p - 1), &other, true);
            const char *close = n ? p + 1 + n : NULL;
            if (close && close < end && *close == ')') {
                p = close + 1;
                continue;
            }
        }
        return p;
    }
}

static void set_day(struct state *st, struct dbf_date d)
{
    st->date = d;
    st->day_base = dbf__days_from_civil(d.year, d.month, d.day);
    st->have_clock = false;
}

static const char *joined_text(struct state *st, const char *text, size_t len)
{
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\n'))
        len--;
    return dbf__arena_strndup(dbf__doc_arena(st->doc), text, len);
}

static struct dbf_timeline_entry *add_entry(struct state *st, struct dbf_pos pos,
                                            const struct dbf_time *written, const char *time_text,
                                            size_t time_len, bool time_ok, const char *text,
                                            size_t text_len, bool label_form)
{
    struct dbf_doc *doc = st->doc;
    struct dbf__arena *arena = dbf__doc_arena(doc);
    struct dbf_timeline_entry *e = DBF_PUSH(doc->timeline, doc->timeline_count, st->timeline_cap);
    *(bool *)dbf__vec_push(&st->label_form, &st->label_count, &st->label_cap, sizeof(bool)) =
        label_form;
    e->pos = pos;
    e->time = *written;
    e->explicit_zone = written->has_zone;
    if (written->has_zone && !st->zone_declared)
        st->zone = *written; /* a zone named once holds for the entries after it */
    apply_zone(st, &e->time);
    e->time_ok = time_ok;
    while (time_len && (time_text[time_len - 1] == ' ' || time_text[time_len - 1] == ':'))
        time_len--;
    e->time_text = time_text ? dbf__arena_strndup(arena, time_text, time_len) : NULL;
    e->text = joined_text(st, text, text_len);
    if (!time_ok)
        return e;
    if (e->time.date.year) {
        set_day(st, e->time.date);
    } else if (e->time.date.month) {
        /* A month and day without a year: take the carried year, or the document's. */
        int year = st->date.year ? st->date.year : st->default_year ? st->default_year : 2000;
        struct dbf_date d = {year, e->time.date.month, e->time.date.day};
        if (dbf__date_valid(d)) {
            set_day(st, d);
            e->time.date = d;
        }
    } else {
        e->time.date = st->date;
    }
    int64_t clock =
        e->time.has_clock ? e->time.hour * 3600 + e->time.minute * 60 + e->time.second : 0;
    int64_t offset =
        e->time.has_zone && e->time.zone_is_fixed ? (int64_t)e->time.utc_offset * 60 : 0;
    /* An undated clock that runs back by hours has passed midnight: 23:55 then
     * 07:00, or 14:30 then 06:10. A few minutes back is an entry out of order.
     * Clocks are compared in UTC so that 00:38 PST after 08:26 UTC is not a
     * new day. */
    if (!written->date.month && e->time.has_clock && st->have_clock &&
        clock - offset + 3 * 3600 <= st->last_clock) {
        st->day_base++;
        if (st->date.year) {
            st->date = dbf__civil_from_days(st->day_base);
            e->time.date = st->date;
        }
    }
    if (e->time.has_clock) {
        st->last_clock = clock - offset;
        st->have_clock = true;
    }
    e->at = st->day_base * 86400 + clock - offset;
    return e;
}

/* The length of a placeholder or malformed time at TEXT, or 0. */
static size_t unknown_time_at(const char *text, size_t len)
{
    /* Past the spaces and marks unknown_time lets open it, a placeholder
     * starts with a digit, '?', '-', or 'x', 'h' or 'a' in either case
     * (letters without a non-ASCII case form): text that starts otherwise
     * is spared the search. */
    size_t i = 0;
    while (i < len && text[i] && strchr(" \t\n\v\f\r[`*~{_", text[i]))
        i++;
    char c = i < len ? text[i] : 0, lower = (char)(c | 0x20);
    if (!is_digit(c) && c != '?' && c != '-' && lower != 'x' && lower != 'h' && lower != 'a')
        return 0;
    struct dbf__match m;
    if (!dbf__re_search(&unknown_time, text, len, 0, &m) || m.end == 0)
        return 0;
    const char *after = text + m.end;
    if (after < text + len && isalnum((unsigned char)*after))
        return 0;
    return m.end;
}

/* An entry whose time is there but unreadable: "[???] disk latency rises …". */
static bool unknown_entry(struct state *st, struct dbf_pos pos, const char *text, size_t len)
{
    size_t n = unknown_time_at(text, len);
    if (!n)
        return false;
    const char *t = text;
    while (t < text + n && (*t == ' ' || *t == '[' || *t == '`' || *t == '*' || *t == '{'))
        t++;
    const char *t_end = text + n;
    while (t_end > t &&
           (t_end[-1] == ']' || t_end[-1] == '`' || t_end[-1] == '*' || t_end[-1] == '}'))
        t_end--;
    const char *body = skip_separator(st, text + n, text + len);
    add_entry(st, pos, &(struct dbf_time){0}, t, (size_t)(t_end - t), false, body,
              (size_t)(text + len - body), false);
    return true;
}

/* Tries to read an entry from TEXT; returns the entry when it starts with a time. */
static struct dbf_timeline_entry *entry_from_text(struct state *st, struct dbf_pos pos,
                                                  const char *text, size_t len)
{
    struct dbf_time t;
    const char *p = text;
    const char *end = text + len;
    while (p < end && (*p == '~' || *p == '{' || *p == ' ' || *p == '[' || *p == '*' || *p == '`'))
        p++;
    size_t n = scan_time(st, p, (size_t)(end - p), &t, false);
    if (!n)
        return NULL;
    const char *after = p + n;
    if (!t.has_clock) {
        /* A date followed by an unreadable clock: "2026-03-02 X:", "2026-03-02 14:??". */
        const char *q = after;
        while (q < end && (*q == ' ' || *q == ','))
            q++;
        size_t u = q < end && (isdigit((unsigned char)*q) || *q == 'X' || *q == 'x' || *q == '?' ||
                               *q == '-' || *q == 'H' || *q == '[')
                       ? unknown_time_at(q, (size_t)(end - q))
                       : 0;
        if (u) {
            const char *body = skip_separator(st, q + u, end);
            struct dbf_timeline_entry *e = add_entry(st, pos, &t, p, (size_t)(q + u - p), false,
                                                     body, (size_t)(end - body), false);
            return e;
        }
    }
    const char *body = skip_separator(st, after, end);
    return add_entry(st, pos, &t, p, (size_t)(after - p), true, body, (size_t)(end - body), false);
}

/* A date alone on a line, or a heading that is a date: sets the carried date. */
static bool date_line(struct state *st, const char *text, size_t len)
{
    struct dbf_time t;
    size_t n = scan_time(st, text, len, &t, false);
    if (!n || t.has_clock || !t.date.month)
        return false;
    const char *rest = skip_separator(st, text + n, text + len);
    if ((size_t)(text + len - rest) > 12 || unknown_time_at(rest, (size_t)(text + len - rest)))
        return false;
    if (t.date.year) {
        set_day(st, t.date);
    } else {
        int year = st->date.year ? st->date.year : st->default_year;
        struct dbf_date d = {year, t.date.month, t.date.day};
        if (year && dbf__date_valid(d))
            set_day(st, d);
    }
    return true;
}

static bool declared_zone(struct state *st, const char *z, size_t zl, struct dbf_pos pos,
                          struct dbf_time *t)
{
    if (dbf__zone_scan(z, zl, t) != zl)
        return false;
    struct dbf_doc *doc = st->doc;
    doc->timeline_zone = dbf__arena_strndup(dbf__doc_arena(doc), z, zl);
    doc->timeline_zone_pos = pos;
    if (!t->zone)
        t->zone = doc->timeline_zone;
    return true;
}

/* The zone among the few words after a declaration's lead at TEXT[FROM]:
 * "UTC", "(PDT)", "US Eastern (EDT)", "Europe/Berlin", "UTC+2". Its start,
 * and its length in *ZL (0 when none). */
static size_t zone_after(const char *text, size_t len, size_t from, size_t *zl)
{
    size_t p = from;
    *zl = 0;
    for (int word = 0; word < 4 && p < len; word++) {
        while (p < len && (text[p] == ' ' || text[p] == ':' || text[p] == '('))
            p++;
        size_t end = p;
        while (end < len &&
               (isalnum((unsigned char)text[end]) || text[end] == '/' || text[end] == '_' ||
                text[end] == '+' || text[end] == '-' || text[end] == ':'))
            end++;
        while (end > p && (text[end - 1] == ':' || text[end - 1] == '-'))
            end--;
        struct dbf_time probe = {0};
        if (end > p && dbf__zone_scan(text + p, end - p, &probe) == end - p) {
            *zl = end - p;
            return p;
        }
        if (end == p || text[end] == '.' || text[end] == '\n' || text[end] == ';')
            return 0;
        p = end;
    }
    return 0;
}

static void find_zone(struct state *st)
{
    struct dbf_doc *doc = st->doc;
    struct dbf_time t = {0};
    for (size_t i = 0; i < doc->block_count && !t.has_zone; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_CODE)
            continue;
        struct dbf__match m;
        size_t from = 0;
        while (!t.has_zone && may_hold_zone_declaration(b->text, b->len) &&
               dbf__re_search(&zone_declaration, b->text, b->len, from, &m)) {
            size_t zl, z = zone_after(b->text, b->len, m.end, &zl);
            if (zl)
                declared_zone(st, b->text + z, zl,
                              (struct dbf_pos){dbf_doc_block_line(b, m.start), 1}, &t);
            from = m.end;
        }
        bool timeline_heading = (b->type == DBF_BLOCK_HEADING ||
                                 (b->type == DBF_BLOCK_TABLE_CELL && b->table_row == 0)) &&
                                dbf_doc_block_kind(doc, b) == DBF_SECTION_TIMELINE;
        if (!t.has_zone && timeline_heading &&
            dbf__re_search(&heading_zone, b->text, b->len, 0, &m)) {
            int g = m.group_start[1] != SIZE_MAX ? 1 : 2;
            declared_zone(st, b->text + m.group_start[g], m.group_end[g] - m.group_start[g], b->pos,
                          &t);
        }
    }
    if (!t.has_zone && doc->meta.timezone.text) {
        const char *z = doc->meta.timezone.text;
        size_t zl = strlen(z);
        if (dbf__zone_scan(z, zl, &t) == zl) {
            doc->timeline_zone = z;
            doc->timeline_zone_pos = doc->meta.timezone.pos;
            if (!t.zone)
                t.zone = z;
        }
    }
    st->zone = t;
    st->zone_declared = t.has_zone;
}

/* The year to give dates written without one, and whether numeric dates in
 * this document put the day first: both from the text as a whole. */
static void find_calendar(struct state *st)
{
    struct dbf_doc *doc = st->doc;
    struct dbf__match m;
    if (doc->title && dbf__re_search(&any_year, doc->title, strlen(doc->title), 0, &m))
        st->default_year = atoi(doc->title + m.start);
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_CODE)
            continue;
        if (!st->default_year && may_hold_year(b->text, b->len) &&
            dbf__re_search(&any_year, b->text, b->len, 0, &m))
            st->default_year = atoi(b->text + m.start);
        size_t from = 0;
        bool numeric = st->order == DBF_ORDER_DEFAULT && may_hold_numeric_date(b->text, b->len);
        while (numeric && st->order == DBF_ORDER_DEFAULT &&
               dbf__re_search(&numeric_date, b->text, b->len, from, &m)) {
            int a = atoi(b->text + m.group_start[1]), c = atoi(b->text + m.group_start[2]);
            if (a > 12 && c <= 12)
                st->order = DBF_DAY_FIRST;
            else if (c > 12 && a <= 12)
                st->order = DBF_MONTH_FIRST;
            from = m.end;
        }
        if (st->default_year && st->order != DBF_ORDER_DEFAULT)
            break;
    }
}

static bool in_timeline(const struct dbf_doc *doc, const struct dbf_block *b)
{
    return dbf_doc_block_kind(doc, b) == DBF_SECTION_TIMELINE;
}

static bool header_is_time(const char *h)
{
    return strcasestr(h, "time") || strcasestr(h, "date") || strcasestr(h, "when") ||
           strcasecmp(h, "day") == 0 || strcasestr(h, "utc") || strcasestr(h, "hour");
}

static bool header_is_event(const char *h)
{
    static const char *const words[] = {"event", "description", "what",   "action",  "detail",
                                        "note",  "activity",    "update", "summary", "happened"};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strcasestr(h, words[k]))
            return true;
    return false;
}

/* One row of a timeline table: the time columns joined, then the event. */
static void table_row(struct state *st, const struct dbf_block *cells, size_t from, size_t to,
                      const int *time_cols, int ntime, int text_col)
{
    char when[160];
    size_t wl = 0;
    const char *text = "";
    size_t text_len = 0;
    struct dbf_pos pos = cells[from].pos;
    for (size_t c = from; c < to; c++) {
        for (int k = 0; k < ntime; k++) {
            if (cells[c].table_column == time_cols[k] && cells[c].len &&
                wl + cells[c].len + 2 < sizeof when) {
                if (wl)
                    when[wl++] = ' ';
                memcpy(when + wl, cells[c].text, cells[c].len);
                wl += cells[c].len;
            }
        }
        if (cells[c].table_column == text_col) {
            text = cells[c].text;
            text_len = cells[c].len;
        }
    }
    when[wl] = '\0';
    struct dbf_time t;
    size_t n = wl ? scan_time(st, when, wl, &t, false) : 0;
    if (n && !t.has_clock) {
        /* A date with a placeholder clock: "2026-03-02 14:??", "2026-03-02 --:--". */
        const char *q = when + n;
        while (*q == ' ')
            q++;
        if (unknown_time_at(q, strlen(q))) {
            add_entry(st, pos, &t, when, wl, false, text, text_len, false);
            return;
        }
    }
    if (!n) {
        /* A day-name column before the date: "Mon | Mar 2 | 21:05". */
        size_t skip = 0;
        while (skip < wl && isalpha((unsigned char)when[skip]))
            skip++;
        while (skip < wl && when[skip] == ' ')
            skip++;
        if (skip && skip < wl)
            n = scan_time(st, when + skip, wl - skip, &t, false);
        if (n)
            n += skip;
    }
    if (n)
        add_entry(st, pos, &t, when, n, true, text, text_len, false);
    else if (text_len || wl)
        add_entry(st, pos, &(struct dbf_time){0}, wl ? when : NULL, wl, false, text, text_len,
                  false);
}

/* Column roles of a timeline table, from its header words. */
static void table_entries(struct state *st, size_t first, size_t end)
{
    struct dbf_doc *doc = st->doc;
    const struct dbf_block *cells = doc->blocks;
    int time_cols[4], ntime = 0, text_col = -1, ncols = 0;
    for (size_t i = first; i < end && cells[i].table_row == 0; i++) {
        const char *h = cells[i].text;
        ncols++;
        if (ntime < 4 && header_is_time(h)) {
            time_cols[ntime++] = cells[i].table_column;
            struct dbf__match m;
            if (!st->date.year && dbf__re_search(&any_year, h, cells[i].len, 0, &m))
                st->default_year = atoi(h + m.start); /* "Date (2026)" */
        } else if (text_col < 0 && header_is_event(h)) {
            text_col = cells[i].table_column;
        }
    }
    if (ntime == 0)
        time_cols[ntime++] = 0;
    if (text_col < 0)
        text_col = ncols - 1;
    size_t i = first;
    while (i < end) {
        int row = cells[i].table_row;
        size_t row_end = i;
        while (row_end < end && cells[row_end].table_row == row)
            row_end++;
        if (row > 0)
            table_row(st, cells, i, row_end, time_cols, ntime, text_col);
        i = row_end;
    }
}

/* "Errors start 2026-03-02 07:15": a milestone named before its time. */
static bool label_entry(struct state *st, const struct dbf_block *b)
{
    struct dbf__match m;
    if (!dbf__re_search(&label_first, b->text, b->len, 0, &m))
        return false;
    const char *when = b->text + m.group_start[2];
    size_t wl = m.group_end[2] - m.group_start[2];
    struct dbf_time t;
    size_t n = scan_time(st, when, wl, &t, true);
    if (!n)
        return false;
    add_entry(st, b->pos, &t, when, n, true, b->text, m.group_end[1] - m.group_start[1], true);
    return true;
}

static bool starts_timed(const struct state *st, const char *text, size_t len, bool require_clock)
{
    struct dbf_time t;
    const char *p = text;
    while (p < text + len && (*p == '~' || *p == ' ' || *p == '{'))
        p++;
    return scan_time(st, p, (size_t)(text + len - p), &t, require_clock) > 0;
}

/* Entries from one list: timed items, and the others when most are timed. */
static void list_entries(struct state *st, size_t first, size_t end)
{
    struct dbf_doc *doc = st->doc;
    int depth = doc->blocks[first].list_depth;
    size_t timed = 0, items = 0;
    for (size_t i = first; i < end; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type != DBF_BLOCK_LIST_ITEM || b->list_depth != depth || !b->marker)
            continue;
        items++;
        timed += starts_timed(st, b->text, b->len, false) || unknown_time_at(b->text, b->len);
    }
    bool mostly_timed = timed * 2 > items && timed >= 2;
    for (size_t i = first; i < end; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type != DBF_BLOCK_LIST_ITEM)
            continue;
        if (b->list_depth == depth && date_line(st, b->text, b->len))
            continue;
        if (b->list_depth > depth && mostly_timed && !starts_timed(st, b->text, b->len, true))
            continue; /* detail under an entry */
        if (entry_from_text(st, b->pos, b->text, b->len) || label_entry(st, b))
            continue;
        if (b->list_depth != depth || !b->marker)
            continue;
        if (unknown_entry(st, b->pos, b->text, b->len))
            continue;
        if (mostly_timed) {
            /* An item meant as an entry whose time we cannot read: "3-5th Mar - …". */
            const char *sep = NULL;
            for (const char *p = b->text; p < b->text + b->len && p < b->text + 40; p++) {
                if (*p == ':' || (*p == '-' && p > b->text && p[-1] == ' ') ||
                    (is_dash(p, b->text + b->len) && p > b->text && p[-1] == ' ')) {
                    sep = p;
                    break;
                }
            }
            bool timeish = false;
            for (const char *p = b->text; sep && p < sep; p++)
                timeish |= isdigit((unsigned char)*p) || *p == '?';
            if (sep && sep > b->text && timeish) {
                const char *body = skip_separator(st, sep, b->text + b->len);
                add_entry(st, b->pos, &(struct dbf_time){0}, b->text, (size_t)(sep - b->text),
                          false, body, b->len - (size_t)(body - b->text), false);
            }
        }
    }
}

/* Lines of a paragraph that each start with a time ("14:02 - text"). */
static void paragraph_entries(struct state *st, const struct dbf_block *b)
{
    const char *p = b->text, *end = b->text + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        /* Following lines that do not start with a time belong to this entry. */
        const char *stop = line_end;
        while (stop < end) {
            const char *next = stop + 1;
            const char *next_end = memchr(next, '\n', (size_t)(end - next));
            if (!next_end)
                next_end = end;
            if (starts_timed(st, next, (size_t)(next_end - next), false))
                break;
            stop = next_end;
        }
        struct dbf_pos pos = {dbf_doc_block_line(b, (size_t)(p - b->text)), 1};
        if (!date_line(st, p, (size_t)(line_end - p)) &&
            !entry_from_text(st, pos, p, (size_t)(stop - p)) && p == b->text)
            unknown_entry(st, pos, p, (size_t)(stop - p));
        p = stop < end ? stop + 1 : end;
    }
}

/* The prose under a timed sub-heading, up to the next heading, as its text:
 * what the gap and milestone rules read. */
static void heading_body(struct state *st, struct dbf_timeline_entry *e, size_t next)
{
    struct dbf_doc *doc = st->doc;
    char body[1600];
    size_t len = strlen(e->text), own = len;
    if (len >= sizeof body)
        return;
    memcpy(body, e->text, len);
    for (size_t i = next; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_HEADING)
            break;
        if (b->type != DBF_BLOCK_PARAGRAPH && b->type != DBF_BLOCK_LIST_ITEM)
            continue;
        if (len + 2 >= sizeof body)
            break; /* full: ROOM below would wrap around */
        size_t room = sizeof body - len - 2;
        size_t take = b->len < room ? b->len : room;
        if (!take)
            break;
        if (len)
            body[len++] = ' ';
        memcpy(body + len, b->text, take);
        len += take;
    }
    if (len == own)
        return;
    e->text = joined_text(st, body, len);
}

/* "### 14:08" followed by prose, or "### 1X:XX (time not known)". */
static void heading_entry(struct state *st, size_t i)
{
    const struct dbf_block *b = &st->doc->blocks[i];
    if (date_line(st, b->text, b->len))
        return;
    struct dbf_timeline_entry *e = NULL;
    if (starts_timed(st, b->text, b->len, false))
        e = entry_from_text(st, b->pos, b->text, b->len);
    else if (unknown_entry(st, b->pos, b->text, b->len))
        e = &st->doc->timeline[st->doc->timeline_count - 1];
    if (e)
        heading_body(st, e, i + 1);
}

/* The end of the list run at I; code blocks inside items (logs pasted under
 * an entry) do not end it. */
static size_t list_end(const struct dbf_doc *doc, size_t i)
{
    size_t end = i;
    while (end < doc->block_count && doc->blocks[end].section == doc->blocks[i].section) {
        if (doc->blocks[end].type == DBF_BLOCK_LIST_ITEM) {
            end++;
            continue;
        }
        size_t next = end;
        while (next < doc->block_count && doc->blocks[next].type == DBF_BLOCK_CODE)
            next++;
        if (next == end || next >= doc->block_count ||
            doc->blocks[next].type != DBF_BLOCK_LIST_ITEM ||
            doc->blocks[next].section != doc->blocks[i].section)
            break;
        end = next;
    }
    return end;
}

static size_t table_end(const struct dbf_doc *doc, size_t i)
{
    size_t end = i;
    while (end < doc->block_count && doc->blocks[end].table == doc->blocks[i].table)
        end++;
    return end;
}

/* Entries from the timeline sections. */
static void timeline_sections(struct state *st)
{
    struct dbf_doc *doc = st->doc;
    size_t i = 0;
    while (i < doc->block_count) {
        const struct dbf_block *b = &doc->blocks[i];
        bool inside = in_timeline(doc, b);
        if (b->type == DBF_BLOCK_TABLE_CELL) {
            size_t end = table_end(doc, i);
            if (inside)
                table_entries(st, i, end);
            i = end;
            continue;
        }
        if (b->type == DBF_BLOCK_LIST_ITEM) {
            size_t end = list_end(doc, i);
            if (inside)
                list_entries(st, i, end);
            i = end;
            continue;
        }
        if (inside && b->type == DBF_BLOCK_HEADING)
            heading_entry(st, i);
        else if (inside && b->type == DBF_BLOCK_PARAGRAPH)
            paragraph_entries(st, b);
        i++;
    }
}

static size_t count_clocked(const struct state *st, size_t first, size_t end)
{
    const struct dbf_doc *doc = st->doc;
    size_t timed = 0;
    for (size_t i = first; i < end; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        bool row_start = b->type == DBF_BLOCK_TABLE_CELL && b->table_row > 0 &&
                         (i == first || doc->blocks[i - 1].table_row != b->table_row);
        bool item = b->type == DBF_BLOCK_LIST_ITEM && b->marker;
        if ((item || row_start || b->type == DBF_BLOCK_PARAGRAPH) &&
            starts_timed(st, b->text, b->len, true))
            timed++;
    }
    return timed;
}

/* Where no timeline section holds a timeline, a list, table or run of
 * paragraphs of three or more timed rows elsewhere is one. */
static void untitled_timelines(struct state *st)
{
    struct dbf_doc *doc = st->doc;
    size_t i = 0;
    while (i < doc->block_count) {
        const struct dbf_block *b = &doc->blocks[i];
        if (in_timeline(doc, b)) {
            i++;
            continue;
        }
        size_t end = i + 1;
        if (b->type == DBF_BLOCK_TABLE_CELL)
            end = table_end(doc, i);
        else if (b->type == DBF_BLOCK_LIST_ITEM)
            end = list_end(doc, i);
        else if (b->type == DBF_BLOCK_PARAGRAPH)
            while (end < doc->block_count && doc->blocks[end].section == b->section &&
                   doc->blocks[end].type != DBF_BLOCK_HEADING &&
                   doc->blocks[end].type != DBF_BLOCK_TABLE_CELL)
                end++;
        if (b->type != DBF_BLOCK_HEADING && b->type != DBF_BLOCK_CODE &&
            b->type != DBF_BLOCK_HTML && count_clocked(st, i, end) >= 3) {
            if (b->type == DBF_BLOCK_TABLE_CELL) {
                table_entries(st, i, end);
            } else if (b->type == DBF_BLOCK_LIST_ITEM) {
                list_entries(st, i, end);
            } else {
                for (size_t k = i; k < end; k++)
                    if (doc->blocks[k].type == DBF_BLOCK_PARAGRAPH)
                        paragraph_entries(st, &doc->blocks[k]);
                    else if (doc->blocks[k].type == DBF_BLOCK_LIST_ITEM)
                        entry_from_text(st, doc->blocks[k].pos, doc->blocks[k].text,
                                        doc->blocks[k].len);
            }
        }
        i = end;
    }
}

/* Drops the entries written as "event DATE TIME" once a fuller timeline was
 * found: those lists summarise the milestones of the timeline below them. */
static void drop_label_entries(struct state *st)
{
    struct dbf_doc *doc = st->doc;
    size_t kept = 0;
    for (size_t i = 0; i < doc->timeline_count; i++)
        if (!st->label_form[i])
            doc->timeline[kept++] = doc->timeline[i];
    doc->timeline_count = kept;
}

static size_t real_entries(const struct state *st)
{
    size_t n = 0;
    for (size_t i = 0; i < st->doc->timeline_count; i++)
        n += !st->label_form[i] && st->doc->timeline[i].time_ok &&
             st->doc->timeline[i].time.has_clock;
    return n;
}

void dbf__timeline_extract(struct dbf_doc *doc)
{
    struct state st = {.doc = doc};
    find_zone(&st);
    find_calendar(&st);
    timeline_sections(&st);
    if (real_entries(&st) < 3) {
        st.date = (struct dbf_date){0};
        st.day_base = 0;
        st.have_clock = false;
        untitled_timelines(&st);
    }
    if (real_entries(&st) >= 3)
        drop_label_entries(&st);
    free(st.label_form);
    /* Kinds last: a timed heading's text grows by its prose after the entry
     * is made, and dropped entries need none. The arena, frozen around the
     * extractors (document.c), is frozen again so that the eight kind
     * patterns find the entries' text read once for all of them. */
    dbf__re_freeze_arena(dbf__doc_arena(doc));
    for (size_t i = 0; i < doc->timeline_count; i++) {
        struct dbf_timeline_entry *e = &doc->timeline[i];
        e->kinds = infer_kinds(e->text, strlen(e->text), &e->tagged);
    }
}
