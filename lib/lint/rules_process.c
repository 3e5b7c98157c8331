/* rules_process.c: the process rules.
 *
 * The workflow rules (late draft, late completion, short review, reviewer,
 * owner team) read the front matter that `debrief new` writes. A free-form
 * post mortem, or one whose front matter is only blog metadata (title,
 * authors, date, tags), carries no workflow to check, so they stay silent.
 * Times may be dates or ISO 8601 times; with only a date, a rule fires only
 * when the limit is passed whatever the hour. The content rules (security
 * wording, sensitive data) read the whole text, code blocks included. */
#include "rules.h"
#include "../parse/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A moment as written: minutes since the epoch, and whether a time of day was given. */
struct moment {
    long minutes;
    bool has_time;
    bool known;
};

static long days_of(int year, int month, int day)
{
    int y = year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* "2026-03-11", "2026-03-11T09:30:00Z", "2026-03-11 09:30+01:00". */
static struct moment moment_of(const char *text)
{
    struct moment m = {0};
    struct dbf_date d;
    int h, mi;
    size_t n = text ? dbf__ymd_scan(text, strlen(text), &d) : 0;
    if (!n)
        return m;
    m.known = true;
    m.minutes = days_of(d.year, d.month, d.day) * 1440;
    const char *p = text + n;
    if ((*p == 'T' || *p == ' ') && dbf__hm_scan(p + 1, strlen(p + 1), &h, &mi)) {
        m.has_time = true;
        m.minutes += h * 60 + mi;
        const char *z = p + 6;
        while (*z == ':' || isdigit((unsigned char)*z) || *z == '.')
            z++;
        int zh, zm;
        if ((*z == '+' || *z == '-') && dbf__hm_scan(z + 1, strlen(z + 1), &zh, &zm))
            m.minutes -= (*z == '+' ? 1 : -1) * (zh * 60 + zm);
    }
    return m;
}

static struct moment moment_of_date(struct dbf_date d)
{
    struct moment m = {0};
    if (d.year) {
        m.known = true;
        m.minutes = days_of(d.year, d.month, d.day) * 1440;
    }
    return m;
}

/* When the incident ended: the front matter's resolved or mitigated time, else
 * the last dated timeline entry, else the day it ended. */
static struct moment incident_end(const struct dbf__lint *lint)
{
    const struct dbf_meta *m = &lint->doc->meta;
    struct moment end = moment_of(m->resolved.text);
    if (!end.known)
        end = moment_of(m->mitigated.text);
    if (end.known)
        return end;
    const struct dbf_doc *doc = lint->doc;
    for (size_t i = doc->timeline_count; i-- > 0;) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (e->time_ok && e->time.date.year >= 1990 && e->time.has_clock) {
            end = (struct moment){e->at / 60, true, true};
            return end;
        }
    }
    return moment_of_date(lint->facts.incident_end_date);
}

/* The least number of minutes that can lie between FROM and TO as written. */
static long least_minutes(struct moment from, struct moment to)
{
    if (from.has_time && to.has_time)
        return to.minutes - from.minutes;
    long from_day = from.minutes / 1440 * 1440, to_day = to.minutes / 1440 * 1440;
    return to_day - from_day - 1440 + 1;
}

/* The most number of minutes that can lie between FROM and TO as written. */
static long most_minutes(struct moment from, struct moment to)
{
    if (from.has_time && to.has_time)
        return to.minutes - from.minutes;
    long from_day = from.minutes / 1440 * 1440, to_day = to.minutes / 1440 * 1440;
    return to_day - from_day + 1440 - 1;
}

/* Does the front matter carry the workflow (status, owner, review)? A date
 * alone does not: blog front matter has one too. */
static bool has_workflow(const struct dbf_meta *m)
{
    return m->has_front_matter &&
           (m->status.present || m->owner_team.present || m->reviewer.present ||
            m->reviewer_team.present || m->review_started.present || m->published.present);
}

static struct dbf_pos front_matter_pos(const struct dbf_meta *m)
{
    return m->status.present ? m->status.pos : (struct dbf_pos){1, 1};
}

static bool is_published(const struct dbf_meta *m)
{
    return m->status.text && strcasecmp(m->status.text, "published") == 0;
}

/* process/late-draft: the draft was created more than "hours" after the incident ended. */
void dbf__check_process_late_draft(struct dbf__lint *lint)
{
    const struct dbf_meta *m = &lint->doc->meta;
    long hours = dbf__option(lint, "hours");
    struct moment created = moment_of(m->created.text);
    struct moment end = incident_end(lint);
    if (!has_workflow(m) || !created.known || !end.known || hours < 0)
        return;
    long late = least_minutes(end, created);
    if (late > hours * 60)
        dbf__report(
            lint, m->created.pos,
            "the draft was started %ld hours after the incident ended (limit %ld); start the post "
            "mortem within a day, while memories and logs are fresh",
            late / 60, hours);
}

/* process/late-completion: not published "days" after the incident ended. */
void dbf__check_process_late_completion(struct dbf__lint *lint)
{
    const struct dbf_meta *m = &lint->doc->meta;
    long days = dbf__option(lint, "days");
    struct moment end = incident_end(lint);
    if (!end.known || days < 0)
        return;
    struct moment published = moment_of(m->published.text);
    if (published.known) {
        long late = least_minutes(end, published);
        if (late > days * 1440)
            dbf__report(
                lint, m->published.pos,
                "published %ld days after the incident ended (limit %ld); finish post mortems "
                "within two weeks so that the fixes are still relevant",
                (late + 720) / 1440, days);
        return;
    }
    if (!m->status.present || is_published(m) || !lint->today.year)
        return;
    struct moment today = moment_of_date(lint->today);
    long late = least_minutes(end, today);
    if (late > days * 1440)
        dbf__report(
            lint, m->status.pos,
            "still '%s' %ld days after the incident ended (limit %ld); finish the review and "
            "publish it",
            m->status.text ? m->status.text : "unpublished", (late + 720) / 1440, days);
}

/* process/short-review: published after less than "hours" in review. */
void dbf__check_process_short_review(struct dbf__lint *lint)
{
    const struct dbf_meta *m = &lint->doc->meta;
    long hours = dbf__option(lint, "hours");
    struct moment started = moment_of(m->review_started.text);
    struct moment published = moment_of(m->published.text);
    if (!started.known || !published.known || hours < 0)
        return;
    long in_review = most_minutes(started, published);
    if (in_review < hours * 60)
        dbf__report(
            lint, m->published.pos,
            "published after %ld hours in review (at least %ld); give reviewers from other teams "
            "time to read and comment",
            in_review > 0 ? in_review / 60 : 0, hours);
}

static bool same_name(const char *a, const char *b)
{
    while (*a == '@')
        a++;
    while (*b == '@')
        b++;
    return strcasecmp(a, b) == 0;
}

/* process/no-reviewer: no reviewer, or one who cannot review it independently
 * (an author, or from the team that owns the fix). */
void dbf__check_process_no_reviewer(struct dbf__lint *lint)
{
    const struct dbf_meta *m = &lint->doc->meta;
    if (!has_workflow(m))
        return;
    if (!m->reviewer.text && !m->reviewer_team.text) {
        dbf__report(
            lint, front_matter_pos(m),
            "no reviewer; add 'reviewer:' and 'reviewer_team:' naming someone from a team other "
            "than the owner team");
        return;
    }
    if (m->reviewer.text && dbf__is_team(lint, m->reviewer.text)) {
        dbf__report(lint, m->reviewer.pos,
                    "the reviewer '%s' is a team; name the person from another team who reviews it",
                    m->reviewer.text);
        return;
    }
    for (size_t i = 0; m->reviewer.text && i < m->authors.count; i++) {
        if (same_name(m->reviewer.text, m->authors.items[i])) {
            dbf__report(
                lint, m->reviewer.pos,
                "the reviewer '%s' is also an author; ask someone from another team to review",
                m->reviewer.text);
            return;
        }
    }
    if (m->reviewer_team.text && m->owner_team.text &&
        same_name(m->reviewer_team.text, m->owner_team.text))
        dbf__report(
            lint, m->reviewer_team.pos,
            "the reviewer is from the owner team '%s'; ask someone from another team to review",
            m->owner_team.text);
}

static struct dbf__re security_wording = DBF_RE(
    "\\b(?:security (?:incident|breach|vulnerability|issue)|vulnerabilit(?:y|ies)|CVE-\\d{4}-\\d+|"
    "exploit(?:ed|s)?|compromised?|leaked (?:credentials?|tokens?|secrets?|keys?|passwords?)|"
    "(?:credentials?|tokens?|secrets?|keys?|passwords?) (?:was|were) (?:leaked|exposed)|"
    "unauthori[sz]ed access|phishing|malware|data breach)\\b");

/* Restricted, said so or implied by 'security: true' with no visibility. */
static bool is_restricted(const struct dbf_meta *m)
{
    if (!m->visibility.text)
        return m->security == DBF_TRUE;
    return strcasecmp(m->visibility.text, "restricted") == 0;
}

/* process/security-not-restricted: a security incident whose visibility is not restricted. */
void dbf__check_process_security_not_restricted(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    const struct dbf_meta *m = &doc->meta;
    if (!m->has_front_matter || is_restricted(m))
        return;
    struct dbf_pos pos = m->visibility.present ? m->visibility.pos : (struct dbf_pos){1, 1};
    bool in_workflow = has_workflow(m) || m->visibility.present;
    if (lint->facts.security && in_workflow) {
        dbf__report(
            lint, pos,
            "a security incident with visibility '%s'; set 'visibility: restricted' and publish a "
            "redacted version for wider sharing",
            m->visibility.text ? m->visibility.text : "unset");
        return;
    }
    if (!in_workflow)
        return;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        struct dbf__match mt;
        if (dbf__is_prose(b) && dbf__re_search(&security_wording, b->text, b->len, 0, &mt)) {
            dbf__report(
                lint, pos,
                "the text describes a security incident ('%.*s', line %d) but visibility is '%s'; "
                "set 'visibility: restricted' (and 'security: true') until it is safe to share",
                (int)(mt.end - mt.start), b->text + mt.start, dbf_doc_block_line(b, mt.start),
                m->visibility.text ? m->visibility.text : "unset");
            return;
        }
    }
}

/* process/no-owner: no team owns fixing the root cause. */
void dbf__check_process_no_owner(struct dbf__lint *lint)
{
    const struct dbf_meta *m = &lint->doc->meta;
    if (!has_workflow(m) || m->owner_team.text)
        return;
    dbf__report(lint, front_matter_pos(m),
                "no team owns fixing the root cause; add 'owner_team:' to the front matter");
}

static struct dbf__re email = DBF_RE("(?<![\\w.+-])[\\w.+-]+@(?!example\\.|localhost\\b)[a-z0-9-]+("
                                     "?:\\.[a-z0-9-]+)*\\.[a-z]{2,}\\b");
static struct dbf__re ipv6 = DBF_RE("(?<![\\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\\w:])");
static struct dbf__re ipv4 =
    DBF_RE("(?<![\\w.])(?<!v)(?<!version "
           ")(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\w]|\\.\\d)");
static struct dbf__re internal_host = DBF_RE("\\b[a-z0-9][\\w-]*(?:\\.[\\w-]+)*\\.(?:internal|"
                                             "local|corp|lan|intranet|localdomain)\\b(?![.-]\\w)|"
                                             "\\b(?:gke|aks|eks|k8s|ip|node|host|worker|master|vm|"
                                             "srv|server|db|web|app|prod|stg)-(?=[a-z0-9-]*\\d)"
                                             "[a-z0-9]+(?:-[a-z0-9]+)*\\b(?!\\.\\d)");
static struct dbf__re secret_value = DBF_RE(
    "(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|private[_-]?key|access[_-]?key|client[_-]?"
    "secret)\\w*"
    "[\"']?\\s*[:=]\\s*[\"']?((?!\\$|<|\\*|x{4}|redacted)[A-Za-z0-9+/_\\-.]{16,})|"
    "\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|AKIA[0-9A-Z]{16}|xox[abprs]-[\\w-]{10,}|pypi-[\\w-]{30,}|"
    "sk_live_[\\w]{16,})\\b|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----");

/* Is the address at TEXT one that reveals nothing (documentation, loopback, any)? */
static bool harmless_ip(const char *text, const struct dbf__match *m)
{
    int part[4];
    for (int g = 0; g < 4; g++) {
        part[g] = 0;
        for (size_t k = m->group_start[g + 1]; k < m->group_end[g + 1]; k++)
            part[g] = part[g] * 10 + (text[k] - '0');
        if (part[g] > 255)
            return true;
    }
    if (part[0] == 0 || part[0] == 127 || part[0] == 255)
        return true;
    return (part[0] == 192 && part[1] == 0 && part[2] == 2) ||
           (part[0] == 198 && part[1] == 51 && part[2] == 100) ||
           (part[0] == 203 && part[1] == 0 && part[2] == 113);
}

/* A random-looking string of letters and digits, as keys and passwords are: many
 * changes between lower case, upper case and digits. */
static bool looks_random(const char *s, size_t n)
{
    if (n < 20 || n > 100)
        return false;
    int upper = 0, lower = 0, digit = 0, changes = 0, last = -1;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        int cls = isupper(c) ? 0 : islower(c) ? 1 : isdigit(c) ? 2 : 3;
        if (cls == 3)
            return false;
        upper += cls == 0;
        lower += cls == 1;
        digit += cls == 2;
        changes += last >= 0 && cls != last;
        last = cls;
    }
    return upper >= 3 && lower >= 3 && digit >= 3 && changes * 3 >= (int)n;
}

/* The first random-looking word of TEXT, as an offset, or -1. */
static long random_word(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && !isalnum((unsigned char)text[i]))
            i++;
        size_t start = i;
        while (i < len && isalnum((unsigned char)text[i]))
            i++;
        bool in_path = start > 0 &&
                       (text[start - 1] == '/' || text[start - 1] == '=' ||
                        text[start - 1] == '#' || text[start - 1] == '-' || text[start - 1] == '_');
        bool path_after = i < len && (text[i] == '/' || text[i] == '-' || text[i] == '_');
        if (!in_path && !path_after && looks_random(text + start, i - start))
            return (long)start;
    }
    return -1;
}

/* The file position of byte AT of BLOCK's text (columns are exact on its first line). */
static struct dbf_pos position_in(const struct dbf_block *b, size_t at)
{
    size_t line_start = at;
    while (line_start > 0 && b->text[line_start - 1] != '\n')
        line_start--;
    int column = (int)(at - line_start) + 1;
    if (line_start == 0)
        column += b->pos.column - 1;
    return (struct dbf_pos){dbf_doc_block_line(b, at), column};
}

/* The first byte at or after FROM where the address patterns can match, or
 * LEN. They have no words for the prefilter to look for, and most blocks
 * hold nothing like an address: an IPv4 address starts at most three bytes
 * before its first dot, which has a digit on either side; an IPv6 one at
 * most four before its first of seven colons. */
static size_t next_ipv4(const char *s, size_t len, size_t from)
{
    if (from + 2 >= len)
        return len;
    const char *end = s + len;
    for (const char *dot = s + from; (dot = memchr(dot + 1, '.', (size_t)(end - dot - 1)));) {
        if (dot + 1 < end && (unsigned)(dot[-1] - '0') < 10u && (unsigned)(dot[1] - '0') < 10u) {
            size_t at = (size_t)(dot - s);
            return at - from >= 3 ? at - 3 : from;
        }
    }
    return len;
}

static size_t next_ipv6(const char *s, size_t len, size_t from)
{
    const char *colon = from < len ? memchr(s + from, ':', len - from) : NULL;
    if (!colon)
        return len;
    size_t first = (size_t)(colon - s), colons = 0;
    for (const char *c = colon; c && colons < 7; c = memchr(c + 1, ':', (size_t)(s + len - c - 1)))
        colons++;
    if (colons < 7)
        return len;
    return first - from >= 4 ? first - 4 : from;
}

/* process/sensitive-data: a post mortem that is not restricted but carries secrets,
 * e-mail addresses, IP addresses or internal host names. One finding per kind. */
void dbf__check_process_sensitive_data(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    if (is_restricted(&doc->meta))
        return;
    enum { EMAIL, IP, IP6, HOST, SECRET, KINDS };
    bool seen[KINDS] = {0};
    static const char *const what[KINDS] = {"an e-mail address", "an IP address", "an IP address",
                                            "an internal host name", "what looks like a secret"};
    struct dbf__re *pattern[KINDS] = {&email, &ipv4, &ipv6, &internal_host, &secret_value};
    /* The patterns with words for the prefilter, asked of a block at once. */
    static struct dbf__re *const worded[] = {&email, &internal_host, &secret_value};
    static struct dbf__re_set worded_set = DBF_RE_SET(worded);
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_HTML)
            continue;
        bool words = dbf__re_set_may_match(&worded_set, b->text, b->len);
        for (int k = 0; k < KINDS; k++) {
            if (seen[k])
                continue;
            struct dbf__match m;
            size_t from = 0;
            long at = -1;
            size_t shown = 0;
            while ((from = k == IP    ? next_ipv4(b->text, b->len, from)
                           : k == IP6 ? next_ipv6(b->text, b->len, from)
                           : words    ? from
                                      : b->len) < b->len &&
                   dbf__re_search(pattern[k], b->text, b->len, from, &m)) {
                from = m.end;
                if (k == IP && harmless_ip(b->text, &m))
                    continue;
                at = (long)m.start;
                shown = m.end - m.start;
                break;
            }
            if (k == SECRET && at < 0 && b->type == DBF_BLOCK_CODE) {
                at = random_word(b->text, b->len);
                shown = 0;
            }
            if (at < 0)
                continue;
            seen[k] = true;
            struct dbf_pos pos = position_in(b, (size_t)at);
            if (k == SECRET)
                dbf__report(
                    lint, pos,
                    "the post mortem is not restricted but contains %s; remove or redact it "
                    "(and rotate it if it is real)",
                    what[k]);
            else
                dbf__report(
                    lint, pos,
                    "the post mortem is not restricted but contains %s ('%.*s'); redact it or "
                    "set 'visibility: restricted'",
                    what[k], (int)shown, b->text + at);
        }
    }
}
