/* filter.c: which action items to show, and in what order. */
#include "followup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool word_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80;
}

bool dbf_action_owner_matches(const char *owner, const char *wanted)
{
    if (!wanted)
        return true;
    if (!owner)
        return false;
    while (*wanted == '@' || isspace((unsigned char)*wanted))
        wanted++;
    size_t n = strlen(wanted);
    while (n && isspace((unsigned char)wanted[n - 1]))
        n--;
    if (!n)
        return false;
    /* A match must start and end at a word's edge, so "jane" is not "janet"
     * and a '.' or '-' inside a handle does not split it. */
    for (const char *p = owner; *p; p++) {
        if (p > owner && word_char((unsigned char)p[-1]))
            continue;
        if (strncasecmp(p, wanted, n) != 0)
            continue;
        unsigned char after = (unsigned char)p[n];
        if (!word_char(after) ||
            ((after == '.' || after == '-') && !word_char((unsigned char)p[n + 1])))
            return true;
    }
    return false;
}

bool dbf_action_filter_matches(const struct dbf_action_filter *filter,
                               const struct dbf_action_item *item, struct dbf_date today)
{
    if (filter->owner && !dbf_action_owner_matches(item->owner, filter->owner))
        return false;
    if (filter->status == DBF_STATUS_OPEN && item->done)
        return false;
    if (filter->status == DBF_STATUS_DONE && !item->done)
        return false;
    if (filter->overdue && item->days_overdue <= 0)
        return false;
    if (filter->due_within > 0) {
        if (item->done || !item->due.year || !today.year)
            return false;
        if (dbf__action_day(item->due) > dbf__action_day(today) + filter->due_within)
            return false;
    }
    if (filter->priorities && !(filter->priorities & (1u << item->priority)))
        return false;
    return true;
}

void dbf_action_list_filter(struct dbf_action_list *list, const struct dbf_action_filter *filter)
{
    size_t kept = 0;
    for (size_t i = 0; i < list->count; i++)
        if (dbf_action_filter_matches(filter, &list->items[i], list->today))
            list->items[kept++] = list->items[i];
    list->count = kept;
}

static int compare_numbers(long a, long b)
{
    return (a > b) - (a < b);
}

static int follow_up_order(const void *pa, const void *pb)
{
    const struct dbf_action_item *a = pa, *b = pb;
    int c = compare_numbers(b->days_overdue, a->days_overdue);
    if (c)
        return c;
    if (!a->due.year != !b->due.year)
        return a->due.year ? -1 : 1;
    if (a->due.year && (c = compare_numbers(dbf__action_day(a->due), dbf__action_day(b->due))))
        return c;
    if ((c = strcmp(a->postmortem, b->postmortem)))
        return c;
    if ((c = strcmp(a->path, b->path)))
        return c;
    /* Unnumbered items keep their place after the numbered ones. */
    if (!a->number != !b->number)
        return a->number ? -1 : 1;
    if ((c = compare_numbers(a->number, b->number)))
        return c;
    return compare_numbers(a->order, b->order);
}

void dbf_action_list_sort(struct dbf_action_list *list)
{
    if (list->count > 1)
        qsort(list->items, list->count, sizeof *list->items, follow_up_order);
}

bool dbf_action_parse_window(const char *text, int *days)
{
    if (!text)
        return false;
    char *end;
    long n = strtol(text, &end, 10);
    if (end == text || n <= 0 || !isdigit((unsigned char)*text))
        return false;
    long unit = 1;
    switch (tolower((unsigned char)*end)) {
    case 'w':
        unit = 7;
        break;
    case 'm':
        unit = 30; /* a month as trackers count it for "due within" */
        break;
    }
    if (*end && strchr("dDwWmM", *end))
        end++;
    if (*end || n > 36500 / unit)
        return false;
    *days = (int)(n * unit);
    return true;
}
