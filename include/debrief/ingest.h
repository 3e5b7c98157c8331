/* ingest.h: what the team server keeps about a post mortem, read from its
 * Markdown.
 *
 * The store does not parse documents; the server, `debrief import` and
 * `debrief push` read a document once with dbf_ingest() and hand the store
 * the fields it indexes (struct dbf_pm_content) together with the id, the
 * owner team and the visibility the document asks for. */
#ifndef DEBRIEF_INGEST_H
#define DEBRIEF_INGEST_H

#include "debrief/doc.h"
#include "debrief/store.h"

#include <stdbool.h>
#include <stddef.h>

struct dbf_ingest {
    struct dbf_doc *doc;           /* the parsed document, owned */
    struct dbf_pm_content content; /* points into DOC and the fields below; its
                                      markdown is the text byte for byte (CRLF,
                                      BOM and all), which the store keeps */
    char *markdown;
    char slug[DBF_STORE_SLUG_MAX + 1];
    char owner_team[DBF_STORE_NAME_MAX + 1]; /* front matter owner_team, or "" */
    enum dbf_visibility visibility;
    bool visibility_given; /* the front matter says `visibility:` or `security: true` */
    char severity[17];
    char service[DBF_STORE_NAME_MAX + 1];
    char started[11];
    char *tags;
    char *title;
    struct dbf_pm_action *actions;
    char (*due)[11];
};

/* Reads the LEN bytes of MARKDOWN (from PATH, used in messages and, when the
 * front matter has no `id`, for the slug: its file name without ".md";
 * PATH may be NULL, and then the slug comes from the title). Returns false
 * with "LINE:COL: what is wrong" in ERR when the text cannot be a post
 * mortem (the same errors as dbf_doc_parse()) or is empty.
 *
 * The slug is the front matter `id` when it is a valid slug, else made of
 * the file name or title: lower case letters, digits and '-', at most 64
 * bytes. The title is the document's, else "Untitled post mortem". A
 * document is restricted when it says `visibility: restricted` or
 * `security: true`. */
bool dbf_ingest(const char *path, const char *markdown, size_t len, struct dbf_ingest *out,
                char *err, size_t errlen);
void dbf_ingest_release(struct dbf_ingest *ingest);

/* Is TEXT a valid post mortem id for the store? */
bool dbf_ingest_slug_valid(const char *text);

#endif
