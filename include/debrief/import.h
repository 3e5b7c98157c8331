/* import.h: timeline entries from a chat export.
 *
 * Reads Slack's export (a channel folder of daily JSON files) or
 * Mattermost's bulk export (JSONL) into timeline entries in a zone, with
 * people mapped to roles through a small YAML map ("alice: on-call
 * engineer"); unmapped people are "a responder". Bot and join messages are
 * dropped; with a keep filter, only pinned messages or messages with the
 * given reaction are kept. The library never prints: errors come back in
 * ERR as "PATH:LINE: message". */
#ifndef DEBRIEF_IMPORT_H
#define DEBRIEF_IMPORT_H

#include "debrief/buf.h"
#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dbf_chat_entry {
    int64_t at;         /* UTC seconds */
    const char *who;    /* the role, or "a responder" */
    const char *text;   /* the message, one line, Markdown-safe */
    bool pinned;
};

struct dbf_chat_import {
    struct dbf_chat_entry *entries; /* in time order */
    size_t count;
    struct dbf__chat_internal *internal;
};

struct dbf_import_options {
    const char *roles_path;  /* YAML map of people to roles, or NULL */
    const char *zone;        /* zone of the output times: IANA name, abbreviation or offset; NULL: UTC */
    const char *keep_emoji;  /* keep only pinned messages and those with this reaction; NULL: keep all */
    int64_t since, until;    /* UTC seconds bounds, 0 for none */
};

/* Reads the export at PATH (a Slack channel folder, or a Mattermost .jsonl
 * file; the format is recognised). Returns NULL with ERR filled on failure.
 * The caller frees with dbf_chat_import_free(). */
struct dbf_chat_import *dbf_chat_import_load(const char *path, const struct dbf_import_options *options,
                                             char *err, size_t errlen);

void dbf_chat_import_free(struct dbf_chat_import *import);

/* Appends the entries as Markdown list items ("- 2026-03-10 14:02 text
 * (role)") in the zone of OPTIONS to OUT. */
void dbf_chat_import_markdown(const struct dbf_chat_import *import,
                              const struct dbf_import_options *options, struct dbf_buf *out);

/* Merges the entries into DOC's timeline section in time order, writing the
 * whole new document to OUT. Returns false with ERR filled when the document
 * has no timeline section to merge into. */
bool dbf_chat_import_merge(const struct dbf_chat_import *import, const struct dbf_doc *doc,
                           const struct dbf_import_options *options, struct dbf_buf *out, char *err,
                           size_t errlen);

#endif
