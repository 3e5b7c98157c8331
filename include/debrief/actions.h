/* actions.h: action items across many post mortems, for follow-through.
 *
 * A `struct dbf_action_list` gathers the action items of documents added
 * one by one, each with where it came from and how overdue it is against a
 * given day. It copies what it keeps: documents may be freed once added. */
#ifndef DEBRIEF_ACTIONS_H
#define DEBRIEF_ACTIONS_H

#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>

struct dbf_action_list;

/* An empty list judged against TODAY. Free with dbf_action_list_free(). */
struct dbf_action_list *dbf_action_list_new(struct dbf_date today);
void dbf_action_list_free(struct dbf_action_list *list);

/* Adds every action item of DOC. Returns false when memory runs out. */
bool dbf_action_list_add(struct dbf_action_list *list, const struct dbf_doc *doc);

#endif
