/* actions.c: action items across post mortems. */
#include "debrief/actions.h"

#include <stdlib.h>

struct dbf_action_list {
    struct dbf_date today;
};

struct dbf_action_list *dbf_action_list_new(struct dbf_date today)
{
    struct dbf_action_list *list = calloc(1, sizeof *list);
    if (list)
        list->today = today;
    return list;
}

void dbf_action_list_free(struct dbf_action_list *list)
{
    free(list);
}

bool dbf_action_list_add(struct dbf_action_list *list, const struct dbf_doc *doc)
{
    (void)list;
    (void)doc;
    return true;
}
