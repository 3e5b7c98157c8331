/* ics.c: action items as iCalendar to-dos (RFC 5545).
 *
 * Content lines end in CRLF and are folded at 75 octets; TEXT values are
 * escaped. A to-do's UID hashes what identifies the item (post mortem id,
 * number, description, and which repeat of them it is), not its place in the
 * output, so importing again updates the same to-dos. */
#include "followup.h"

#include <string.h>
#include <time.h>

uint64_t dbf__hash(uint64_t seed, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        seed ^= p[i];
        seed *= UINT64_C(0x100000001b3);
    }
    return seed;
}

void dbf__ics_add_text(struct dbf_buf *out, const char *s)
{
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '\\':
        case ';':
        case ',':
            dbf_buf_addc(out, '\\');
            dbf_buf_addc(out, (char)*p);
            break;
        case '\r':
            if (p[1] != '\n')
                dbf_buf_add(out, "\\n", 2);
            break;
        case '\n':
            dbf_buf_add(out, "\\n", 2);
            break;
        case '\t':
            dbf_buf_addc(out, ' ');
            break;
        default:
            if (*p >= 0x20 && *p != 0x7f)
                dbf_buf_addc(out, (char)*p);
        }
    }
}

void dbf__ics_add_line(struct dbf_buf *out, const char *line, size_t len)
{
    size_t room = 75; /* octets on this physical line, the leading space counted */
    while (len > room) {
        size_t cut = room;
        /* Back up to the start of a UTF-8 sequence. */
        while (cut > 1 && ((unsigned char)line[cut] & 0xc0) == 0x80)
            cut--;
        dbf_buf_add(out, line, cut);
        dbf_buf_add(out, "\r\n ", 3);
        line += cut;
        len -= cut;
        room = 74;
    }
    dbf_buf_add(out, line, len);
    dbf_buf_add(out, "\r\n", 2);
}

/* Adds NAME:VALUE where VALUE is TEXT escaped. */
static void add_text_property(struct dbf_buf *out, struct dbf_buf *line, const char *name,
                              const char *value)
{
    dbf_buf_reset(line);
    dbf_buf_adds(line, name);
    dbf_buf_addc(line, ':');
    dbf__ics_add_text(line, value);
    dbf__ics_add_line(out, line->data, line->len);
}

static void add_raw_property(struct dbf_buf *out, struct dbf_buf *line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_raw_property(struct dbf_buf *out, struct dbf_buf *line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dbf_buf_reset(line);
    dbf_buf_vaddf(line, fmt, ap);
    va_end(ap);
    dbf__ics_add_line(out, line->data, line->len);
}

/* RFC 5545 priorities run 1 (highest) to 9; P0..P4 spread over them. */
static int ics_priority(enum dbf_priority p)
{
    static const int map[] = {0, 1, 3, 5, 7, 9};
    return p >= DBF_PRIORITY_NONE && p <= DBF_PRIORITY_P4 ? map[p] : 0;
}

/* Is LINK a URI a calendar can open (the URL property takes only a URI)? */
static bool is_web_link(const char *link)
{
    if (!link || (strncmp(link, "https://", 8) != 0 && strncmp(link, "http://", 7) != 0))
        return false;
    for (const unsigned char *p = (const unsigned char *)link; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
            return false;
    return true;
}

static void add_todo(struct dbf_buf *out, struct dbf_buf *line, const struct dbf_action_item *a,
                     const char *stamp)
{
    char number[16];
    snprintf(number, sizeof number, "%d", a->number);
    uint64_t h = dbf__hash(DBF__HASH_SEED, a->postmortem, strlen(a->postmortem) + 1);
    h = dbf__hash(h, number, strlen(number) + 1);
    h = dbf__hash(h, a->description, strlen(a->description));
    if (a->repeat) { /* the same item written twice must stay two to-dos */
        char repeat[16];
        snprintf(repeat, sizeof repeat, "#%d", a->repeat);
        h = dbf__hash(h, repeat, strlen(repeat));
    }

    add_raw_property(out, line, "BEGIN:VTODO");
    add_raw_property(out, line, "UID:%016llx@debrief", (unsigned long long)h);
    add_raw_property(out, line, "DTSTAMP:%s", stamp);
    add_text_property(out, line, "SUMMARY", a->description);

    struct dbf_buf d;
    dbf_buf_init(&d, 0);
    dbf_buf_addf(&d, "Post mortem: %s", a->postmortem);
    if (a->title)
        dbf_buf_addf(&d, " (%s)", a->title);
    dbf_buf_addf(&d, "\nAction item: %s\nOwner: %s", a->number ? number : "unnumbered",
                 a->owner ? a->owner : "none");
    if (a->priority_text)
        dbf_buf_addf(&d, "\nPriority: %s", a->priority_text);
    if (a->lesson_count) {
        dbf_buf_adds(&d, "\nLessons:");
        for (size_t l = 0; l < a->lesson_count; l++)
            dbf_buf_addf(&d, "%s %d", l ? "," : "", a->lessons[l]);
    }
    if (a->link)
        dbf_buf_addf(&d, "\nLink: %s", a->link);
    dbf_buf_addf(&d, "\nSource: %s:%d", a->path, a->line);
    add_text_property(out, line, "DESCRIPTION", d.data);
    dbf_buf_release(&d);

    if (a->due.year)
        add_raw_property(out, line, "DUE;VALUE=DATE:%04d%02d%02d", a->due.year, a->due.month,
                         a->due.day);
    add_raw_property(out, line, "STATUS:%s", a->done ? "COMPLETED" : "NEEDS-ACTION");
    if (a->done)
        add_raw_property(out, line, "PERCENT-COMPLETE:100");
    if (ics_priority(a->priority))
        add_raw_property(out, line, "PRIORITY:%d", ics_priority(a->priority));
    add_text_property(out, line, "CATEGORIES", a->postmortem);
    if (is_web_link(a->link))
        add_raw_property(out, line, "URL:%s", a->link);
    add_raw_property(out, line, "END:VTODO");
}

void dbf_actions_write_ics(const struct dbf_action_list *list, int64_t stamp, struct dbf_buf *out)
{
    time_t t = (time_t)stamp;
    struct tm tm;
    char when[32] = "19700101T000000Z";
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
    struct dbf_buf line;
    dbf_buf_init(&line, 0);
    add_raw_property(out, &line, "BEGIN:VCALENDAR");
    add_raw_property(out, &line, "VERSION:2.0");
    add_raw_property(out, &line, "PRODID:-//debrief//debrief actions//EN");
    add_raw_property(out, &line, "CALSCALE:GREGORIAN");
    add_raw_property(out, &line, "X-WR-CALNAME:Post mortem action items");
    for (size_t i = 0; i < list->count; i++)
        add_todo(out, &line, &list->items[i], when);
    add_raw_property(out, &line, "END:VCALENDAR");
    if (line.failed)
        out->failed = true;
    dbf_buf_release(&line);
}
