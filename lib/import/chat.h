/* chat.h: what the import's readers, text cleanup, roles and merge share.
 *
 * A reader (slack.c, mattermost.c) fills a `struct dbf__chat_log` with the
 * channel's messages as the export holds them: raw text, the author's id or
 * user name, reactions, flags. chat.c then drops, filters, maps people to
 * roles and cleans the text. All strings live in the log's arena. */
#ifndef DBF_IMPORT_CHAT_H
#define DBF_IMPORT_CHAT_H

#include "../util/arena.h"
#include "debrief/buf.h"
#include "debrief/import.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dbf__chat_markup { DBF_MARKUP_SLACK, DBF_MARKUP_MATTERMOST };

enum dbf__chat_drop {
    DBF_KEEP = 0,
    DBF_DROP_BOT,
    DBF_DROP_SYSTEM,
    DBF_DROP_DELETED,
};

struct dbf__chat_message {
    int64_t at_us;          /* microseconds since the epoch, UTC */
    const char *user;       /* the author's id (Slack) or user name (Mattermost); may be NULL */
    const char *text;       /* as the export holds it */
    const char *files;      /* names of attached files, ", " between them, or NULL */
    const char **reactions; /* reaction names */
    size_t reaction_count;
    bool pinned, reply, edited;
    enum dbf__chat_drop drop;
    const char *channel; /* Mattermost: "team/name" of its channel */
    size_t order;        /* position in the export, to keep ties stable */
};

/* A person of the export, with every name a roles map may use for them. */
struct dbf__chat_person {
    const char *id;       /* Slack id or Mattermost user name */
    const char *names[4]; /* user name, display name, real name, …; NULL when absent */
    bool bot;
};

struct dbf__chat_log {
    struct dbf__arena arena;
    enum dbf__chat_markup markup;
    const char *channel;
    struct dbf__chat_message *messages;
    size_t count, cap;
    struct dbf__chat_person *people;
    size_t person_count, person_cap;
    const char **channel_ids; /* Slack channel ids and their names, for <#C123> */
    const char **channel_names;
    size_t channel_count, channel_cap;
};

/* A new message at the end of LOG, zeroed but for its order. */
struct dbf__chat_message *dbf__chat_log_add(struct dbf__chat_log *log);
/* A new person in LOG, zeroed. */
struct dbf__chat_person *dbf__chat_log_person(struct dbf__chat_log *log);
/* The person whose id is ID, or NULL. */
const struct dbf__chat_person *dbf__chat_log_find(const struct dbf__chat_log *log, const char *id);

/* slack.c: reads a Slack channel folder (or the export root with CHANNEL, or
 * one daily file) into LOG. */
bool dbf__slack_read(const char *path, const char *channel, struct dbf__chat_log *log, char *err,
                     size_t errlen);

/* mattermost.c: reads a Mattermost bulk export's posts of CHANNEL ("name" or
 * "team/name"; NULL when the file has one channel) into LOG. */
bool dbf__mattermost_read(const char *path, const char *channel, struct dbf__chat_log *log,
                          char *err, size_t errlen);

/* roles.c: a map of people to roles read from a YAML file. */
struct dbf__roles {
    struct dbf__arena arena;
    const char **keys; /* lower case, without a leading '@' */
    const char **roles;
    size_t count, cap;
};

bool dbf__roles_load(struct dbf__roles *roles, const char *path, char *err, size_t errlen);
void dbf__roles_init(struct dbf__roles *roles);
void dbf__roles_release(struct dbf__roles *roles);
/* The role phrase of the person with id ID in LOG ("the on-call engineer"),
 * looked up by id and by each of their names; "a responder" when unmapped. */
const char *dbf__roles_phrase(const struct dbf__roles *roles, const struct dbf__chat_log *log,
                              const char *id);

/* mrkdwn.c: the text of a message as one Markdown-safe line. Mentions of
 * people become their role phrase, Slack's <…> links and mentions become
 * Markdown, entities are decoded, and text that could be read as raw HTML is
 * escaped. */
void dbf__chat_text(struct dbf_buf *out, const char *text, enum dbf__chat_markup markup,
                    const struct dbf__roles *roles, const struct dbf__chat_log *log);

/* zone.c: a time zone read from an abbreviation, an offset or an IANA name
 * (through lib/analysis/zone.h), and entry time stamps in it. */
struct dbf__chat_zone;

struct dbf__chat_zone *dbf__chat_zone_new(const char *spec, char *err, size_t errlen);
void dbf__chat_zone_free(struct dbf__chat_zone *zone);
/* Seconds east of UTC in force at UTC seconds AT. */
int dbf__chat_zone_offset(const struct dbf__chat_zone *zone, int64_t at);
/* UTC seconds of the wall-clock time LOCAL (seconds since the epoch as if
 * UTC): a repeated hour reads as its first occurrence, a skipped one with
 * the offset before the change. */
int64_t dbf__chat_zone_to_utc(const struct dbf__chat_zone *zone, int64_t local);
/* "2026-03-10 14:02 UTC", "2026-07-01 09:30 PDT", "2026-03-10 19:32 +05:30"
 * for UTC seconds AT, appended to OUT. */
void dbf__chat_zone_stamp(const struct dbf__chat_zone *zone, int64_t at, struct dbf_buf *out);

/* The calendar date DAYS days after 1970-01-01. */
struct dbf_date dbf__chat_civil(int64_t days);

/* chat.c: the zone spec of OPTIONS, of DOC's timeline, or "UTC". */
const char *dbf__chat_zone_spec(const struct dbf_import_options *options,
                                const struct dbf_doc *doc);

#endif
