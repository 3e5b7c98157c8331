/* csv.c: action items as CSV for issue trackers (RFC 4180). */
#include "followup.h"

#include <string.h>

void dbf__csv_add_field(struct dbf_buf *out, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        dbf_buf_add(out, s, n);
        return;
    }
    dbf_buf_addc(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            dbf_buf_addc(out, '"');
        dbf_buf_addc(out, *p);
    }
    dbf_buf_addc(out, '"');
}

void dbf_actions_write_csv(const struct dbf_action_list *list, struct dbf_buf *out)
{
    dbf_buf_adds(out, "postmortem,number,description,owner,due,priority,lessons,status,link,"
                      "days_overdue,title,path,line\r\n");
    for (size_t i = 0; i < list->count; i++) {
        const struct dbf_action_item *a = &list->items[i];
        char text[64];
        dbf__csv_add_field(out, a->postmortem);
        dbf_buf_addc(out, ',');
        if (a->number)
            dbf_buf_addf(out, "%d", a->number);
        dbf_buf_addc(out, ',');
        dbf__csv_add_field(out, a->description);
        dbf_buf_addc(out, ',');
        dbf__csv_add_field(out, a->owner);
        dbf_buf_addc(out, ',');
        if (a->due.year)
            dbf_buf_addf(out, "%04d-%02d-%02d", a->due.year, a->due.month, a->due.day);
        dbf_buf_addc(out, ',');
        dbf__csv_add_field(out, dbf_priority_name(a->priority));
        dbf_buf_addc(out, ',');
        text[0] = '\0';
        for (size_t l = 0, used = 0; l < a->lesson_count && used < sizeof text - 12; l++)
            used += (size_t)snprintf(text + used, sizeof text - used, "%s%d", l ? " " : "",
                                     a->lessons[l]);
        dbf__csv_add_field(out, text);
        dbf_buf_addc(out, ',');
        dbf_buf_adds(out, a->done ? "done" : "open");
        dbf_buf_addc(out, ',');
        dbf__csv_add_field(out, a->link);
        dbf_buf_addf(out, ",%ld,", a->days_overdue);
        dbf__csv_add_field(out, a->title);
        dbf_buf_addc(out, ',');
        dbf__csv_add_field(out, a->path);
        dbf_buf_addf(out, ",%d\r\n", a->line);
    }
}
