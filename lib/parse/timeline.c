/* timeline.c: timeline entries from lists, tables, timed sub-headings and
 * timed paragraph lines, with their zone, date carry-over and kinds.
 *
 * Entries come from the timeline sections; a document without one still
 * gets entries from a list or table of three or more timed rows. Dates carry
 * forward from the previous entry, from a date-only line or heading, and a
 * clock that runs backwards from the evening into the morning moves to the
 * next day. */
#include "../util/re.h"
#include "clock.h"
#include "parse.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct kind_pattern {
    unsigned kind;
    struct dbf__re re;
};

static struct kind_pattern kind_patterns[] = {
    {DBF_EVENT_TRIGGER,
     DBF_RE("\\b(deploy(ed|ment|s)?|rolled out|roll-?out|released?|merged|pushed|upgraded?|"
            "migrat(ed|ion)|config(uration)? (change|update)|changed|expired|cron|began (a|the) "
            "(maintenance|migration)|ran (a|the) command|executed|scheduled)\\b")},
    {DBF_EVENT_IMPACT_START,
     DBF_RE("\\b((errors?|failures?|outage|impact|latency|timeouts?) (began|started|start|spiked|"
            "increased)|(began|started) (to )?(fail|return|error)|first (error|failure|report)s?|"
            "went down|became unavailable|(site|service|api|website) (is |was )?down)\\b")},
    {DBF_EVENT_DETECTED,
     DBF_RE("\\b(alert(ed|s)?|alarm|paged|page (fired|sent)|pagerduty|opsgenie|reported|report(s)? "
            "(of|that)|noticed|detected|notic(ed|es)|first report|became aware|flagged|monitoring "
            "(fired|showed|detected)|complain(ed|ts?))\\b")},
    {DBF_EVENT_ESCALATED,
     DBF_RE("\\b(escalat(ed|es|ion)|incident (was )?(declared|opened|started)|declared (an |the )?"
            "incident|incident commander|paged (the )?(secondary|manager|team|lead)|joined|"
            "war ?room|bridge (call|opened)|called in|pulled in|assembled)\\b")},
    {DBF_EVENT_DIAGNOSED,
     DBF_RE("\\b(identified|diagnos(ed|is)|root cause|determined|found (that|the)|discovered|"
            "realized|realised|narrowed|pinpointed|traced (it |the )?|confirmed (that|the))\\b")},
    {DBF_EVENT_MITIGATION,
     DBF_RE("\\b(roll(ed)? ?back|revert(ed|ing)?|mitigat(ed|ion|e)|restart(ed|ing)?|fail(ed)? ?over|"
            "disabled|scaled|workaround|hot-?fix|patch(ed)?|deployed (a |the )?fix|applied|"
            "rebooted|drained|blocked|removed|increased|redeployed|re-deployed|rotated|revoked)\\b")},
    {DBF_EVENT_RESOLVED,
     DBF_RE("\\b(resolved|recovered|recovery|fully restored|restored|back to normal|all clear|"
            "incident (was )?closed|closed the incident|returned to normal|operational|stable|"
            "normal operation|healthy|service (was )?restored|is fixed|was fixed|fixed)\\b")},
    {DBF_EVENT_CUSTOMER,
     DBF_RE("\\b(status ?page|tweet(ed)?|announc(ed|ement)|customers? (were )?notified|"
            "notified (customers|users)|e-?mail(ed)? (to )?(customers|users)|blog post|"
            "posted (an? )?(update|notice))\\b")},
};

static const struct {
    const char *tag;
    unsigned kind;
} tags[] = {
    {"[trigger]", DBF_EVENT_TRIGGER},     {"[impact]", DBF_EVENT_IMPACT_START},
    {"[detected]", DBF_EVENT_DETECTED},   {"[detection]", DBF_EVENT_DETECTED},
    {"[escalated]", DBF_EVENT_ESCALATED}, {"[escalation]", DBF_EVENT_ESCALATED},
    {"[diagnosed]", DBF_EVENT_DIAGNOSED}, {"[diagnosis]", DBF_EVENT_DIAGNOSED},
    {"[mitigation]", DBF_EVENT_MITIGATION}, {"[mitigated]", DBF_EVENT_MITIGATION},
    {"[resolved]", DBF_EVENT_RESOLVED},   {"[recovered]", DBF_EVENT_RESOLVED},
    {"[customer]", DBF_EVENT_CUSTOMER},
};

static struct dbf__re zone_declaration =
    DBF_RE("\\b(?:all )?(?:times?|timestamps?|dates?)(?: and times?)?(?: (?:are|is|were|shown|given|"
           "listed|reported))?(?: (?:in|as))? \\(?([A-Z]{1,5}(?:[+-]\\d{1,2}(?::?\\d\\d)?)?|"
           "[A-Z][a-z]+/[A-Za-z_]+)\\)?");
static struct dbf__re heading_zone = DBF_RE_CASED("\\(([A-Z]{2,5}(?:[+-]\\d{1,2})?)\\)|\\b(?:in|In) ([A-Z]{2,5})\\b");

struct state {
    struct dbf_doc *doc;
    struct dbf_time zone;  /* the declared zone, has_zone false when none */
    struct dbf_date date;  /* the date carried forward */
    int64_t day_base;      /* days since epoch for entries without a date */
    int64_t last_clock;    /* seconds of day of the previous undated entry, -1 at first */
    size_t timeline_cap;
};

static unsigned infer_kinds(const char *text, size_t len, bool *tagged)
{
    unsigned kinds = 0;
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        const char *hit = strcasestr(text, tags[i].tag);
        if (hit && (size_t)(hit - text) < len)
            kinds |= tags[i].kind;
    }
    if (kinds) {
        *tagged = true;
        return kinds;
    }
    *tagged = false;
    for (size_t i = 0; i < sizeof kind_patterns / sizeof kind_patterns[0]; i++)
        if (dbf__re_search(&kind_patterns[i].re, text, len, 0, NULL))
            kinds |= kind_patterns[i].kind;
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

/* Skips separators between a time and its text: " - ", ": ", " | ", "–". */
static const char *skip_separator(const char *p, const char *end)
{
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == ':' || c == '-' || c == '|' || c == ',' || c == '*' || c == '`' ||
            c == ']' || c == ')' || c == '\t' || c == '.') {
            p++;
        } else if (c == 0xE2 && p + 2 < end && (unsigned char)p[1] == 0x80 &&
                   ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94)) {
            p += 3; /* en or em dash */
        } else {
            break;
        }
    }
    return p;
}

static void add_entry(struct state *st, struct dbf_pos pos, const struct dbf_time *written,
                      const char *time_text, size_t time_len, bool time_ok, const char *text,
                      size_t text_len)
{
    struct dbf_doc *doc = st->doc;
    struct dbf__arena *arena = dbf__doc_arena(doc);
    struct dbf_timeline_entry *e = DBF_PUSH(doc->timeline, doc->timeline_count, st->timeline_cap);
    e->pos = pos;
    e->time = *written;
    e->explicit_zone = written->has_zone;
    apply_zone(st, &e->time);
    e->time_ok = time_ok;
    e->time_text = time_text ? dbf__arena_strndup(arena, time_text, time_len) : NULL;
    while (text_len && (text[text_len - 1] == ' ' || text[text_len - 1] == '\n'))
        text_len--;
    e->text = dbf__arena_strndup(arena, text, text_len);
    e->kinds = infer_kinds(e->text, text_len, &e->tagged);
    if (!time_ok)
        return;
    if (e->time.date.year) {
        st->date = e->time.date;
        st->day_base = dbf__days_from_civil(st->date.year, st->date.month, st->date.day);
        st->last_clock = -1;
    } else if (e->time.date.month) {
        /* A month and day without a year: take the carried year, or none. */
        int year = st->date.year ? st->date.year : 2000;
        st->date = (struct dbf_date){year, e->time.date.month, e->time.date.day};
        st->day_base = dbf__days_from_civil(year, st->date.month, st->date.day);
        st->last_clock = -1;
    } else {
        e->time.date = st->date;
    }
    int64_t clock = e->time.has_clock ? e->time.hour * 3600 + e->time.minute * 60 + e->time.second : 0;
    if (!written->date.month && st->last_clock >= 0 && st->last_clock >= 18 * 3600 && clock < 6 * 3600) {
        st->day_base++; /* past midnight */
        if (st->date.year) {
            int64_t days = st->day_base;
            /* civil from days, to keep the carried date right */
            days += 719468;
            int64_t era = (days >= 0 ? days : days - 146096) / 146097;
            int64_t doe = days - era * 146097;
            int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            int64_t mp = (5 * doy + 2) / 153;
            int d = (int)(doy - (153 * mp + 2) / 5 + 1);
            int m = (int)(mp < 10 ? mp + 3 : mp - 9);
            int y = (int)(yoe + era * 400 + (m <= 2));
            st->date = (struct dbf_date){y, m, d};
            e->time.date = st->date;
        }
    }
    if (e->time.has_clock)
        st->last_clock = clock;
    e->at = st->day_base * 86400 + clock;
    if (e->time.has_zone && e->time.zone_is_fixed)
        e->at -= (int64_t)e->time.utc_offset * 60;
}

/* Tries to read an entry from TEXT; returns true when it starts with a time. */
static bool entry_from_text(struct state *st, struct dbf_pos pos, const char *text, size_t len)
{
    struct dbf_time t;
    const char *p = text;
    const char *end = text + len;
    while (p < end && (*p == '~' || *p == '{' || *p == ' '))
        p++;
    size_t n = dbf__time_scan(p, (size_t)(end - p), &t, false);
    if (!n)
        return false;
    /* "12:29p" */
    const char *after = p + n;
    if (after < end && (*after == 'p' || *after == 'a') && t.has_clock &&
        (after + 1 >= end || !isalpha((unsigned char)after[1]))) {
        if (*after == 'p' && t.hour < 12)
            t.hour += 12;
        after++;
    }
    /* A range "13:30-13:45" keeps its start. */
    if (after < end && *after == '-' && after + 1 < end && isdigit((unsigned char)after[1])) {
        struct dbf_time ignored;
        size_t m = dbf__time_scan(after + 1, (size_t)(end - after - 1), &ignored, true);
        if (m)
            after += 1 + m;
    }
    const char *body = skip_separator(after, end);
    add_entry(st, pos, &t, p, (size_t)(after - p), true, body, (size_t)(end - body));
    return true;
}

/* A date alone on a line, or a heading that is a date: sets the carried date. */
static bool date_line(struct state *st, const char *text, size_t len)
{
    struct dbf_time t;
    size_t n = dbf__time_scan(text, len, &t, false);
    if (!n || t.has_clock || !t.date.month)
        return false;
    const char *rest = skip_separator(text + n, text + len);
    if ((size_t)(text + len - rest) > 12)
        return false;
    if (t.date.year) {
        st->date = t.date;
        st->day_base = dbf__days_from_civil(t.date.year, t.date.month, t.date.day);
        st->last_clock = -1;
    }
    return true;
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
        while (dbf__re_search(&zone_declaration, b->text, b->len, from, &m)) {
            const char *z = b->text + m.group_start[1];
            size_t zl = m.group_end[1] - m.group_start[1];
            if (dbf__zone_scan(z, zl, &t) == zl) {
                doc->timeline_zone = dbf__arena_strndup(dbf__doc_arena(doc), z, zl);
                doc->timeline_zone_pos = (struct dbf_pos){dbf_doc_block_line(b, m.start), 1};
                if (!t.zone)
                    t.zone = doc->timeline_zone;
                break;
            }
            from = m.end;
        }
        if (t.has_zone)
            break;
        bool timeline_heading =
            (b->type == DBF_BLOCK_HEADING || (b->type == DBF_BLOCK_TABLE_CELL && b->table_row == 0)) &&
            dbf_doc_block_kind(doc, b) == DBF_SECTION_TIMELINE;
        if (timeline_heading && dbf__re_search(&heading_zone, b->text, b->len, 0, &m)) {
            int g = m.group_start[1] != SIZE_MAX ? 1 : 2;
            const char *z = b->text + m.group_start[g];
            size_t zl = m.group_end[g] - m.group_start[g];
            if (dbf__zone_scan(z, zl, &t) == zl) {
                doc->timeline_zone = dbf__arena_strndup(dbf__doc_arena(doc), z, zl);
                doc->timeline_zone_pos = b->pos;
                if (!t.zone)
                    t.zone = doc->timeline_zone;
            }
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
}

static bool in_timeline(const struct dbf_doc *doc, const struct dbf_block *b)
{
    return dbf_doc_block_kind(doc, b) == DBF_SECTION_TIMELINE;
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
        if (ntime < 4 && (strcasestr(h, "time") || strcasestr(h, "date") || strcasestr(h, "when") ||
                          strcasecmp(h, "day") == 0 || strcasestr(h, "utc")))
            time_cols[ntime++] = cells[i].table_column;
        else if (text_col < 0 && (strcasestr(h, "event") || strcasestr(h, "description") ||
                                  strcasestr(h, "what") || strcasestr(h, "action") ||
                                  strcasestr(h, "detail") || strcasestr(h, "note") ||
                                  strcasestr(h, "activity") || strcasestr(h, "update")))
            text_col = cells[i].table_column;
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
        if (row > 0) {
            char when[160];
            size_t wl = 0;
            const char *text = "";
            size_t text_len = 0;
            struct dbf_pos pos = cells[i].pos;
            for (size_t c = i; c < row_end; c++) {
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
            size_t n = wl ? dbf__time_scan(when, wl, &t, false) : 0;
            if (n)
                add_entry(st, pos, &t, when, n, true, text, text_len);
            else if (text_len || wl)
                add_entry(st, pos, &(struct dbf_time){0}, wl ? when : NULL, wl, false, text,
                          text_len);
        }
        i = row_end;
    }
}

/* Entries from one list: timed items, and the others when most are timed. */
static void list_entries(struct state *st, size_t first, size_t end)
{
    struct dbf_doc *doc = st->doc;
    int depth = doc->blocks[first].list_depth;
    size_t timed = 0, items = 0;
    struct dbf_time t;
    for (size_t i = first; i < end; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type != DBF_BLOCK_LIST_ITEM || b->list_depth != depth || !b->marker)
            continue;
        items++;
        const char *p = b->text;
        while (*p == '~' || *p == ' ')
            p++;
        timed += dbf__time_scan(p, b->len - (size_t)(p - b->text), &t, false) > 0;
    }
    bool mostly_timed = timed * 2 > items && timed >= 2;
    for (size_t i = first; i < end; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type != DBF_BLOCK_LIST_ITEM)
            continue;
        if (b->list_depth == depth && date_line(st, b->text, b->len))
            continue;
        if (entry_from_text(st, b->pos, b->text, b->len))
            continue;
        if (b->list_depth == depth && b->marker && mostly_timed) {
            /* An item meant as an entry whose time we cannot read. */
            const char *sep = NULL;
            for (const char *p = b->text; p < b->text + b->len && p < b->text + 40; p++) {
                if (*p == ':' || (*p == '-' && p > b->text && p[-1] == ' ')) {
                    sep = p;
                    break;
                }
            }
            if (sep && sep > b->text) {
                const char *body = skip_separator(sep, b->text + b->len);
                add_entry(st, b->pos, &(struct dbf_time){0}, b->text, (size_t)(sep - b->text), false,
                          body, b->len - (size_t)(body - b->text));
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
            struct dbf_time t;
            if (dbf__time_scan(next, (size_t)(next_end - next), &t, true))
                break;
            stop = next_end;
        }
        struct dbf_pos pos = {dbf_doc_block_line(b, (size_t)(p - b->text)), 1};
        if (!entry_from_text(st, pos, p, (size_t)(stop - p)) && p == b->text)
            date_line(st, p, (size_t)(line_end - p));
        p = stop < end ? stop + 1 : end;
    }
}

static bool block_starts_timed(const struct dbf_block *b)
{
    struct dbf_time t;
    const char *p = b->text;
    while (*p == '~' || *p == ' ')
        p++;
    return dbf__time_scan(p, b->len - (size_t)(p - b->text), &t, true) > 0;
}

/* Where no section is a timeline, a list or table of timed rows is one. */
static bool untitled_timeline(const struct dbf_doc *doc, size_t first, size_t end)
{
    size_t timed = 0;
    for (size_t i = first; i < end; i++)
        if ((doc->blocks[i].type == DBF_BLOCK_LIST_ITEM && doc->blocks[i].marker) ||
            (doc->blocks[i].type == DBF_BLOCK_TABLE_CELL && doc->blocks[i].table_column == 0))
            timed += block_starts_timed(&doc->blocks[i]);
    return timed >= 3;
}

void dbf__timeline_extract(struct dbf_doc *doc)
{
    struct state st = {.doc = doc, .last_clock = -1};
    find_zone(&st);
    bool has_section = false;
    for (size_t s = 0; s < doc->section_count; s++)
        has_section |= doc->sections[s].effective == DBF_SECTION_TIMELINE;

    size_t i = 0;
    while (i < doc->block_count) {
        const struct dbf_block *b = &doc->blocks[i];
        bool inside = in_timeline(doc, b);
        if (b->type == DBF_BLOCK_TABLE_CELL) {
            size_t end = i;
            while (end < doc->block_count && doc->blocks[end].table == b->table)
                end++;
            if (inside || (!has_section && untitled_timeline(doc, i, end)))
                table_entries(&st, i, end);
            i = end;
            continue;
        }
        if (b->type == DBF_BLOCK_LIST_ITEM) {
            size_t end = i;
            while (end < doc->block_count && doc->blocks[end].type == DBF_BLOCK_LIST_ITEM &&
                   doc->blocks[end].section == b->section)
                end++;
            if (inside || (!has_section && untitled_timeline(doc, i, end)))
                list_entries(&st, i, end);
            i = end;
            continue;
        }
        if (inside && b->type == DBF_BLOCK_HEADING) {
            /* "### 14:08" followed by prose. */
            if (!date_line(&st, b->text, b->len)) {
                struct dbf_time t;
                const char *p = b->text;
                while (*p == '~' || *p == '{' || *p == ' ')
                    p++;
                if (dbf__time_scan(p, b->len - (size_t)(p - b->text), &t, false)) {
                    const struct dbf_block *next = i + 1 < doc->block_count ? &doc->blocks[i + 1] : NULL;
                    size_t before = doc->timeline_count;
                    entry_from_text(&st, b->pos, b->text, b->len);
                    if (doc->timeline_count > before && next &&
                        (next->type == DBF_BLOCK_PARAGRAPH || next->type == DBF_BLOCK_LIST_ITEM) &&
                        !block_starts_timed(next)) {
                        struct dbf_timeline_entry *e = &doc->timeline[doc->timeline_count - 1];
                        if (!*e->text) {
                            e->text = next->text;
                            e->kinds = infer_kinds(next->text, next->len, &e->tagged);
                        }
                    }
                }
            }
        } else if (inside && b->type == DBF_BLOCK_PARAGRAPH) {
            paragraph_entries(&st, b);
        }
        i++;
    }
}
