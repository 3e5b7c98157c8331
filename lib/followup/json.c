/* json.c: action items as JSON (DESIGN.md §6). */
#include "followup.h"

static void add_string(struct dbf_buf *out, const char *key, const char *s)
{
    dbf_buf_addf(out, "\"%s\":", key);
    dbf_buf_add_json_value(out, s);
}

static void add_item(struct dbf_buf *out, const struct dbf_action_item *a)
{
    dbf_buf_addc(out, '{');
    add_string(out, "postmortem", a->postmortem);
    if (a->number)
        dbf_buf_addf(out, ",\"number\":%d,", a->number);
    else
        dbf_buf_adds(out, ",\"number\":null,");
    add_string(out, "description", a->description);
    dbf_buf_addc(out, ',');
    add_string(out, "owner", a->owner);
    if (a->due.year)
        dbf_buf_addf(out, ",\"due\":\"%04d-%02d-%02d\",", a->due.year, a->due.month, a->due.day);
    else
        dbf_buf_adds(out, ",\"due\":null,");
    add_string(out, "priority", dbf_priority_name(a->priority));
    dbf_buf_addc(out, ',');
    add_string(out, "priority_text", a->priority_text);
    dbf_buf_adds(out, ",\"lessons\":[");
    for (size_t l = 0; l < a->lesson_count; l++)
        dbf_buf_addf(out, "%s%d", l ? "," : "", a->lessons[l]);
    dbf_buf_addf(out, "],\"status\":\"%s\",", a->done ? "done" : "open");
    add_string(out, "link", a->link);
    dbf_buf_addf(out, ",\"days_overdue\":%ld,", a->days_overdue);
    add_string(out, "title", a->title);
    dbf_buf_addc(out, ',');
    add_string(out, "path", a->path);
    dbf_buf_addf(out, ",\"line\":%d}", a->line);
}

void dbf_actions_write_json(const struct dbf_action_list *list, struct dbf_buf *out)
{
    dbf_buf_adds(out, "{\"items\":[");
    for (size_t i = 0; i < list->count; i++) {
        dbf_buf_adds(out, i ? ",\n  " : "\n  ");
        add_item(out, &list->items[i]);
    }
    struct dbf_action_summary s = dbf_action_list_summary(list);
    struct dbf_date t = list->today;
    dbf_buf_addf(out,
                 "%s],\n\"summary\":{\"total\":%zu,\"open\":%zu,\"done\":%zu,\"overdue\":%zu,"
                 "\"completion_rate\":%.4g",
                 list->count ? "\n" : "", s.total, s.open, s.done, s.overdue, s.completion_rate);
    if (t.year)
        dbf_buf_addf(out, ",\"today\":\"%04d-%02d-%02d\"}}\n", t.year, t.month, t.day);
    else
        dbf_buf_adds(out, ",\"today\":null}}\n");
}
