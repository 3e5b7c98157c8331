/* table.c: action items as an aligned table for a terminal.
 *
 * Every column but the description is as wide as its widest cell (post
 * mortem and owner capped); the description takes what is left of the
 * width and is cut with an ellipsis. Widths count terminal columns, not
 * bytes, so names in any script line up. */
#include "followup.h"

#include <string.h>

#define RED "\033[31m"
#define BOLD_RED "\033[1;31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

enum column { C_POSTMORTEM, C_NUMBER, C_DUE, C_LATE, C_PRIORITY, C_OWNER, C_STATUS, C_COUNT };

static const char *const headers[C_COUNT] = {"POST MORTEM", "#",     "DUE",   "LATE",
                                             "PRI",         "OWNER", "STATUS"};
static const size_t caps[C_COUNT] = {28, 6, 10, 6, 3, 20, 6};

/* Decodes the UTF-8 sequence at P: its code point, and its length in *N. */
static unsigned long decode(const unsigned char *p, size_t *n)
{
    if (p[0] < 0x80 || (p[0] & 0xc0) == 0x80) {
        *n = 1;
        return p[0];
    }
    size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
    unsigned long c = p[0] & (0x3f >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *n = i;
            return 0xfffd;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    *n = len;
    return c;
}

static size_t width_of(unsigned long c)
{
    if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || c == 0xfe0f)
        return 0;
    if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
        (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
        (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
        return 2;
    return 1;
}

size_t dbf__text_width(const char *s)
{
    size_t w = 0, n;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += n)
        w += width_of(decode(p, &n));
    return w;
}

/* Appends S cut to at most MAX columns ("…" ending a cut), padded with
 * spaces to MAX when PAD. */
static void add_cell(struct dbf_buf *out, const char *s, size_t max, bool pad)
{
    size_t w = dbf__text_width(s);
    size_t used = 0, n;
    if (w <= max) {
        dbf_buf_adds(out, s);
        used = w;
    } else if (max > 0) {
        const unsigned char *p = (const unsigned char *)s;
        for (; *p; p += n) {
            size_t cw = width_of(decode(p, &n));
            if (used + cw > max - 1)
                break;
            dbf_buf_add(out, p, n);
            used += cw;
        }
        dbf_buf_adds(out, "…");
        used++;
    }
    while (pad && used < max) {
        dbf_buf_addc(out, ' ');
        used++;
    }
}

static void cells_of(const struct dbf_action_item *a, char cells[C_COUNT][64])
{
    snprintf(cells[C_POSTMORTEM], 64, "%s", a->postmortem);
    if (a->number)
        snprintf(cells[C_NUMBER], 64, "%d", a->number);
    else
        snprintf(cells[C_NUMBER], 64, "-");
    if (a->due.year)
        snprintf(cells[C_DUE], 64, "%04d-%02d-%02d", a->due.year, a->due.month, a->due.day);
    else
        snprintf(cells[C_DUE], 64, "-");
    if (a->days_overdue)
        snprintf(cells[C_LATE], 64, "%ldd", a->days_overdue);
    else
        snprintf(cells[C_LATE], 64, "-");
    snprintf(cells[C_PRIORITY], 64, "%s",
             dbf_priority_name(a->priority) ? dbf_priority_name(a->priority) : "-");
    snprintf(cells[C_OWNER], 64, "%s", a->owner ? a->owner : "-");
    snprintf(cells[C_STATUS], 64, "%s", a->done ? "done" : "open");
}

void dbf_actions_write_summary(const struct dbf_action_list *list, struct dbf_buf *out)
{
    struct dbf_action_summary s = dbf_action_list_summary(list);
    dbf_buf_addf(out, "%zu action item%s: %zu open (%zu overdue), %zu done", s.total,
                 s.total == 1 ? "" : "s", s.open, s.overdue, s.done);
    if (s.total)
        dbf_buf_addf(out, "; %.0f%% complete", s.completion_rate * 100);
}

void dbf_actions_write_table(const struct dbf_action_list *list, int width, bool colour,
                             struct dbf_buf *out)
{
    size_t widths[C_COUNT];
    char cells[C_COUNT][64];
    for (int c = 0; c < C_COUNT; c++)
        widths[c] = dbf__text_width(headers[c]);
    for (size_t i = 0; i < list->count; i++) {
        cells_of(&list->items[i], cells);
        for (int c = 0; c < C_COUNT; c++) {
            size_t w = dbf__text_width(cells[c]);
            if (w > widths[c])
                widths[c] = w < caps[c] ? w : caps[c];
        }
    }
    /* On a narrow terminal the post mortem and owner columns give way first,
     * so the description keeps some room; past that, lines wrap. */
    size_t fixed = 0;
    for (int c = 0; c < C_COUNT; c++)
        fixed += widths[c] + 2;
    size_t desc = (size_t)-1;
    if (width > 0) {
        while (fixed + 30 > (size_t)width && (widths[C_POSTMORTEM] > 12 || widths[C_OWNER] > 10)) {
            int c = widths[C_POSTMORTEM] - 12 >= widths[C_OWNER] - 10 && widths[C_POSTMORTEM] > 12
                        ? C_POSTMORTEM
                        : C_OWNER;
            widths[c]--;
            fixed--;
        }
        desc = (size_t)width > fixed + 10 ? (size_t)width - fixed : 10;
    }

    if (list->count) {
        if (colour)
            dbf_buf_adds(out, BOLD);
        for (int c = 0; c < C_COUNT; c++) {
            bool right = c == C_NUMBER || c == C_LATE;
            for (size_t pad = dbf__text_width(headers[c]); right && pad < widths[c]; pad++)
                dbf_buf_addc(out, ' ');
            add_cell(out, headers[c], widths[c], !right);
            dbf_buf_adds(out, "  ");
        }
        dbf_buf_adds(out, "ACTION");
        if (colour)
            dbf_buf_adds(out, RESET);
        dbf_buf_addc(out, '\n');
    }
    for (size_t i = 0; i < list->count; i++) {
        const struct dbf_action_item *a = &list->items[i];
        cells_of(a, cells);
        for (int c = 0; c < C_COUNT; c++) {
            const char *on = NULL;
            if (colour && c == C_LATE && a->days_overdue)
                on = BOLD_RED;
            else if (colour && c == C_DUE && a->days_overdue)
                on = RED;
            else if (colour && c == C_STATUS)
                on = a->done ? GREEN : YELLOW;
            else if (colour && c == C_PRIORITY && a->priority && a->priority <= DBF_PRIORITY_P1)
                on = BOLD;
            if (on)
                dbf_buf_adds(out, on);
            /* Right-align numbers, so digits line up. */
            bool right = c == C_NUMBER || c == C_LATE;
            size_t w = dbf__text_width(cells[c]);
            for (size_t pad = w; right && pad < widths[c]; pad++)
                dbf_buf_addc(out, ' ');
            add_cell(out, cells[c], widths[c], !right);
            if (on)
                dbf_buf_adds(out, RESET);
            dbf_buf_adds(out, "  ");
        }
        if (colour && a->done)
            dbf_buf_adds(out, DIM);
        add_cell(out, a->description, desc, false);
        if (colour && a->done)
            dbf_buf_adds(out, RESET);
        dbf_buf_addc(out, '\n');
    }
    if (!list->count)
        dbf_buf_adds(out, "no action items match\n");
    dbf_buf_addc(out, '\n');
    if (colour)
        dbf_buf_adds(out, BOLD);
    dbf_actions_write_summary(list, out);
    if (colour)
        dbf_buf_adds(out, RESET);
    dbf_buf_addc(out, '\n');
}
