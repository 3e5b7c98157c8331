/* template.h: the post mortem that `debrief new` writes.
 *
 * The template has every front matter key of DESIGN.md §1 and every section
 * in the order a reader needs them, each with a short hint in an HTML comment
 * so that the hints do not render. Unknown values stay empty, so the file is
 * valid YAML and lints from the start. */
#ifndef DEBRIEF_TEMPLATE_H
#define DEBRIEF_TEMPLATE_H

#include "debrief/debrief.h"

/* A yes/no front matter key: blank until someone answers it. */
enum template_answer { TEMPLATE_UNKNOWN, TEMPLATE_NO, TEMPLATE_YES };

struct template_fields {
    const char *title;                                /* NULL: a placeholder the review flags */
    const char *id;                                   /* NULL: DATE-slug of the title */
    struct dbf_date date;                             /* the incident's date */
    struct dbf_date today;                            /* the `created` date */
    int severity;                                     /* 1..4, 0 when not known yet */
    const char *visibility;                           /* "public", "internal" or "restricted" */
    const char *owner_team;                           /* NULL: left blank */
    enum template_answer customer_facing, slo_breach; /* from a triage, when known */
};

/* Appends the template to OUT. */
void template_write(struct dbf_buf *out, const struct template_fields *fields);

/* Appends a lower-case slug of TITLE to OUT: ASCII letters and digits, words
 * joined by '-', at most about 60 bytes, "incident" when nothing is left. */
void template_slug(struct dbf_buf *out, const char *title);

#endif
