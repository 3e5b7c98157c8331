/* rule_docs.h: the page of each rule (docs/rules), built into the binary. */
#ifndef DEBRIEF_RULE_DOCS_H
#define DEBRIEF_RULE_DOCS_H

#include <stddef.h>

struct rule_doc {
    const char *id;
    const char *text;
};

/* The Markdown page of rule ID, or NULL when it has none. */
const char *rule_doc_find(const char *id);

#endif
