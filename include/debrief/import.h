/* import.h: timeline entries from a chat export.
 *
 * Reads Slack's export (a channel folder of daily YYYY-MM-DD.json files, with
 * users.json and channels.json at the export root) or Mattermost's bulk
 * export (JSONL) into timeline entries in a zone, with people mapped to roles
 * through a small YAML map ("alice: on-call engineer"; keys are user names or
 * ids); unmapped people are "a responder". Bot, join/leave and other system
 * messages are dropped; thread replies take their place in time order; an
 * edited message shows its edited text. With a keep filter, only pinned
 * messages and messages with the given reaction are kept.
 *
 * The library never prints: errors come back in ERR as "PATH:LINE: message"
 * (the line of the JSONL record, of the JSON value, or of the YAML node), or
 * "PATH: message" when no line applies. Arguments are borrowed; what
 * dbf_chat_import_load() returns belongs to the caller. */
#ifndef DEBRIEF_IMPORT_H
#define DEBRIEF_IMPORT_H

#include "debrief/buf.h"
#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dbf_chat_entry {
    int64_t at;       /* UTC seconds */
    const char *who;  /* the role with its article ("the on-call engineer"), or "a responder" */
    const char *text; /* the message, one line, Markdown-safe */
    bool pinned;
    bool reply;  /* a reply in a thread */
    bool edited; /* the text is the edited one */
};

/* What the import read and why messages were left out. */
struct dbf_chat_counts {
    size_t read;         /* messages and replies in the channel */
    size_t bots;         /* from bots, integrations and webhooks */
    size_t system;       /* joins, leaves, topic changes and other system messages */
    size_t deleted;      /* deleted, or empty with nothing attached */
    size_t out_of_range; /* outside since .. until */
    size_t not_kept;     /* neither pinned nor with the keep reaction */
};

struct dbf_chat_import {
    struct dbf_chat_entry *entries; /* in time order */
    size_t count;
    struct dbf_chat_counts counts;
    const char *format;  /* "slack" or "mattermost" */
    const char *channel; /* the channel read */
    struct dbf__chat_internal *internal;
};

struct dbf_import_options {
    const char *roles_path; /* YAML map of people to roles, or NULL */
    const char *zone;       /* zone of the output times: IANA name, abbreviation or offset;
                               NULL: the merged document's zone, else UTC */
    const char *keep_emoji; /* keep only pinned messages and those with this reaction ("eyes"
                               or ":eyes:"); NULL: keep all */
    const char *channel;    /* Slack: a channel folder under the export root given as the path;
                               Mattermost: the channel to read ("name" or "team/name"); NULL:
                               the path is the channel folder, or the .jsonl has one channel */
    int64_t since, until;   /* UTC seconds bounds, both inclusive, 0 for none */
};

/* Reads the export at PATH (a Slack channel folder or export root, a Slack
 * daily .json file, or a Mattermost .jsonl file; the format is recognised).
 * Returns NULL with ERR filled on failure: missing files, broken JSON or YAML,
 * values of the wrong type, an unknown zone, an export root without
 * OPTIONS->channel. The caller frees with dbf_chat_import_free(). */
struct dbf_chat_import *dbf_chat_import_load(const char *path,
                                             const struct dbf_import_options *options, char *err,
                                             size_t errlen);

void dbf_chat_import_free(struct dbf_chat_import *import);

/* Reads TEXT, an ISO 8601 date or time ("2026-03-10", "2026-03-10T14:00",
 * "2026-03-10 14:00:30+01:00"), into UTC seconds in *OUT. A time without a
 * zone is in ZONE (as dbf_import_options.zone; NULL is UTC). A date alone is
 * its first second, or its last when END_OF_DAY (for an inclusive "until").
 * Returns false with ERR filled when TEXT or ZONE cannot be read. */
bool dbf_chat_time_parse(const char *text, const char *zone, bool end_of_day, int64_t *out,
                         char *err, size_t errlen);

/* Appends the entries as Markdown list items, one a line:
 * "- 2026-03-10 14:02 UTC — the on-call engineer: message", the time in the
 * zone of OPTIONS (UTC when NULL; the zone was checked by the load). */
void dbf_chat_import_markdown(const struct dbf_chat_import *import,
                              const struct dbf_import_options *options, struct dbf_buf *out);

/* Merges the entries into DOC's timeline section in time order, writing the
 * whole new document to OUT. SOURCE is the file's bytes as read, before
 * parsing (DOC's own text has its CRs and byte order mark taken out); NULL
 * takes DOC's text. Every line of SOURCE is kept as it was, entries are
 * inserted as lines in the form the timeline already uses (list items, table
 * rows, headings or timed lines), and an entry already present (same minute,
 * same text) is not added twice. The zone is that of OPTIONS, else the
 * document's declared zone, else UTC. Returns false with ERR filled when the
 * document has no timeline section to merge into or its zone is unknown. */
bool dbf_chat_import_merge(const struct dbf_chat_import *import, const struct dbf_doc *doc,
                           const char *source, size_t source_len,
                           const struct dbf_import_options *options, struct dbf_buf *out, char *err,
                           size_t errlen);

#endif
