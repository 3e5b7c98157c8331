/* cmd_export.c: `debrief export`: the team server's post mortems written to
 * a folder as ID.md, each the newest revision byte for byte, with the files
 * each names (the newest version of each) at their names beside them, read
 * from the database or over the JSON API. Only what the reader may see is
 * written.
 *
 * Every file written in a run is claimed by the post mortem it came from,
 * and every ID.md by its post mortem before anything is written, so that
 * two post mortems naming one file with different bytes never write over
 * each other: the second is refused, naming both. A file the folder holds
 * already is replaced only when its bytes are a version of the file being
 * written (an earlier export), found in the version history of the file
 * in the database or on the server: anything else at the name is the
 * reader's, or a trap, and is left alone. */
#include "api_client.h"
#include "cli.h"
#include "export_dir.h"
#include "store_cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage_text[] =
    "usage: debrief export DIR [--as USER] [--db URL | --server URL [--token TOKEN]]\n"
    "\n"
    "Writes each post mortem the reader may see to DIR/ID.md, the newest revision\n"
    "byte for byte, and the files it names (metrics files, images: the newest\n"
    "version of each) at their names under DIR, such as DIR/metrics/p99.csv;\n"
    "files already holding their text or bytes are left alone, and a file other\n"
    "than an ID.md is replaced only by a newer version of itself.\n"
    "\n"
    "      --as USER         read as USER (default: nobody, so only post mortems\n"
    "                        that are not restricted)\n"
    "      --db URL          database (default $DEBRIEF_DB, else sqlite:debrief.db;\n"
    "                        postgres://... for PostgreSQL)\n"
    "  -s, --server URL      read from a running server's API instead, as the\n"
    "                        token's user\n"
    "      --token TOKEN     API token for --server (default $DEBRIEF_TOKEN)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Nothing is written outside DIR: ids are plain file names, file names are\n"
    "paths of plain names, and a symbolic link in DIR is never written through.\n"
    "A file name with a part starting with '.' or ending in '.md' is never\n"
    "written, and a file already in DIR whose bytes are no version of the file\n"
    "of that name is an error and left as it is.\n"
    "When two post mortems name one file with different bytes, the first one's\n"
    "is written and the other is an error naming both.\n"
    "Prints a line per file written, then: N written, N unchanged, N failed.\n"
    "\n"
    "Exit status: 0 done, 1 some post mortem or file could not be written (the\n"
    "rest was), 2 a usage error or a database or server that cannot be read.\n";

/* Page size of the API's list. */
#define EXPORT_PAGE 100

/* A file of the folder and the post mortem it is written for: its ID.md
 * (MARKDOWN) or a file it names, with the SHA256 of its bytes. */
struct export_claim {
    char *name;
    char *owner;
    bool markdown;
    char sha256[65];
};

struct export_tally {
    size_t written, unchanged, failed;
    struct export_claim *claims;
    size_t claim_count, claim_cap;
    bool out_of_memory;
};

/* NAME is OWNER's. */
static void claim_add(struct export_tally *t, const char *name, const char *owner, bool markdown,
                      const char *sha256)
{
    if (t->claim_count == t->claim_cap) {
        size_t cap = t->claim_cap ? t->claim_cap * 2 : 64;
        struct export_claim *grown = realloc(t->claims, cap * sizeof *grown);
        if (!grown) {
            t->out_of_memory = true;
            return;
        }
        t->claims = grown;
        t->claim_cap = cap;
    }
    struct export_claim *claim = &t->claims[t->claim_count];
    claim->name = strdup(name);
    claim->owner = strdup(owner);
    claim->markdown = markdown;
    snprintf(claim->sha256, sizeof claim->sha256, "%s", sha256 ? sha256 : "");
    if (!claim->name || !claim->owner) {
        free(claim->name);
        free(claim->owner);
        t->out_of_memory = true;
        return;
    }
    t->claim_count++;
}

/* Reserves ID.md for post mortem ID before any file is written. */
static void claim_markdown(struct export_tally *t, const char *id)
{
    char name[DBF_STORE_SLUG_MAX + 8];
    snprintf(name, sizeof name, "%s.md", id);
    claim_add(t, name, id, true, NULL);
}

enum claim_result { CLAIM_NEW, CLAIM_DONE, CLAIM_REFUSED };

/* May post mortem OWNER write its file NAME, whose bytes have SHA256?
 * DONE when another post mortem wrote the same bytes already; REFUSED,
 * after printing why, when the name is taken by other bytes or an ID.md. */
static enum claim_result claim_file(struct export_tally *t, const struct export_dir *dir,
                                    const char *name, const char *owner, const char *sha256)
{
    for (size_t i = 0; i < t->claim_count; i++) {
        const struct export_claim *claim = &t->claims[i];
        if (strcmp(claim->name, name) != 0)
            continue;
        if (claim->markdown) {
            cli_error("not writing '%s/%s' of '%s': it is the file of post mortem '%s'", dir->path,
                      name, owner, claim->owner);
            return CLAIM_REFUSED;
        }
        if (strcmp(claim->sha256, sha256) == 0)
            return CLAIM_DONE;
        cli_error("not writing '%s/%s' of '%s': '%s' names a file of that name with other "
                  "bytes, written already; give one of them another name",
                  dir->path, name, owner, claim->owner);
        return CLAIM_REFUSED;
    }
    claim_add(t, name, owner, false, sha256);
    return CLAIM_NEW;
}

/* Takes back the claim claim_file() just made for a file that was not
 * written, so that another post mortem naming it is judged on its own. */
static void claim_withdraw(struct export_tally *t)
{
    struct export_claim *claim = &t->claims[--t->claim_count];
    free(claim->name);
    free(claim->owner);
}

static void claims_free(struct export_tally *t)
{
    for (size_t i = 0; i < t->claim_count; i++) {
        free(t->claims[i].name);
        free(t->claims[i].owner);
    }
    free(t->claims);
}

/* Counts RESULT for the file NAME of DIR ("ID.md", "metrics/p99.csv"). */
static void tally(struct export_tally *t, const struct export_dir *dir, const char *name,
                  enum export_result result)
{
    if (result == EXPORT_WRITTEN) {
        printf("wrote %s/%s\n", dir->path, name);
        t->written++;
    } else if (result == EXPORT_UNCHANGED) {
        t->unchanged++;
    } else {
        t->failed++;
    }
}

/* Counts RESULT for the file NAME claimed last, withdrawing the claim when
 * the file was not written. */
static void tally_file(struct export_tally *t, const struct export_dir *dir, const char *name,
                       enum export_result result)
{
    if (result == EXPORT_FAILED)
        claim_withdraw(t);
    tally(t, dir, name, result);
}

static void tally_markdown(struct export_tally *t, const struct export_dir *dir, const char *id,
                           enum export_result result)
{
    char name[DBF_STORE_SLUG_MAX + 8];
    snprintf(name, sizeof name, "%s.md", id);
    tally(t, dir, name, result);
}

/* May file NAME of post mortem ID be written? False after saying why. */
static bool file_name_ok(const char *name, const char *id)
{
    if (export_dir_file_name_ok(name))
        return true;
    cli_error("not writing file '%.300s' of '%s': the name is not a path of plain names inside "
              "the folder, or a part starts with '.', or it ends in '.md'",
              name, id);
    return false;
}

/* A file of post mortem ID, as READER may see it in the database. */
struct database_file {
    struct dbf_store *store;
    int64_t reader;
    const char *id;
    const char *name;
};

static enum export_found database_versions_hold(void *context, const char *sha256)
{
    const struct database_file *file = context;
    struct dbf_attachment *versions;
    size_t count;
    enum dbf_store_status st = dbf_store_attachment_history(file->store, file->reader, file->id,
                                                            file->name, &versions, &count);
    if (st != DBF_STORE_OK) {
        cli_store_error(file->store, st, "cannot read the versions of file '%s' of '%s'",
                        file->name, file->id);
        return EXPORT_FOUND_UNKNOWN;
    }
    bool found = false;
    for (size_t i = 0; i < count && !found; i++)
        found = strcasecmp(versions[i].sha256, sha256) == 0;
    dbf_attachments_free(versions, count);
    return found ? EXPORT_FOUND_VERSION : EXPORT_FOUND_STRANGER;
}

/* The files post mortem ID names, from the database, as READER. */
static void files_from_database(struct dbf_store *store, int64_t reader, struct export_dir *dir,
                                const char *id, struct export_tally *t)
{
    struct dbf_attachment *files;
    size_t count;
    enum dbf_store_status st = dbf_store_attachments(store, reader, id, &files, &count);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot list the files of '%s'", id);
        t->failed++;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const struct dbf_attachment *file = &files[i];
        if (!file_name_ok(file->name, id)) {
            t->failed++;
            continue;
        }
        enum claim_result claim = claim_file(t, dir, file->name, id, file->sha256);
        if (claim != CLAIM_NEW) {
            t->failed += claim == CLAIM_REFUSED;
            continue;
        }
        unsigned char *data;
        size_t len;
        st = dbf_store_attachment_get(store, reader, id, file->name, file->version, &data, &len,
                                      NULL);
        if (st != DBF_STORE_OK) {
            cli_store_error(store, st, "cannot read file '%s' of '%s'", file->name, id);
            tally_file(t, dir, file->name, EXPORT_FAILED);
            continue;
        }
        struct database_file versions = {store, reader, id, file->name};
        struct export_file out = {file->name, id, data, len, database_versions_hold, &versions};
        tally_file(t, dir, file->name, export_dir_write_file(dir, &out));
        free(data);
    }
    dbf_attachments_free(files, count);
}

static int from_database(struct export_dir *dir, const char *db, const char *as,
                         struct export_tally *t)
{
    struct dbf_store *store = cli_store_open(db);
    if (!store)
        return EXIT_USAGE;
    struct dbf_user reader = {0};
    if (as && !cli_user_find(store, as, &reader)) {
        dbf_store_close(store);
        return EXIT_USAGE;
    }
    struct dbf_pm_filter filter = {.sort = "created", .limit = DBF_PM_LIST_ALL};
    struct dbf_postmortem_list list = {0};
    enum dbf_store_status st = dbf_store_pm_list(store, reader.id, &filter, &list);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot list the post mortems");
        dbf_store_close(store);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < list.count; i++)
        claim_markdown(t, list.items[i].slug);
    for (size_t i = 0; i < list.count; i++) {
        const char *id = list.items[i].slug;
        struct dbf_revision newest;
        st = dbf_store_revision_get(store, reader.id, id, 0, &newest);
        if (st != DBF_STORE_OK) {
            cli_store_error(store, st, "cannot read '%s'", id);
            t->failed++;
            continue;
        }
        tally_markdown(t, dir, id, export_dir_write(dir, id, newest.markdown, newest.length));
        dbf_revision_release(&newest);
        files_from_database(store, reader.id, dir, id, t);
    }
    dbf_postmortem_list_release(&list);
    dbf_store_close(store);
    return 0;
}

/* A file of post mortem ID on the server, SEGMENT its name in a path. */
struct server_file {
    struct api_client *client;
    const char *id;
    const char *name;
    const char *segment;
};

static enum export_found server_versions_hold(void *context, const char *sha256)
{
    const struct server_file *file = context;
    size_t path_len = strlen(file->segment) + DBF_STORE_SLUG_MAX + 64;
    char *path = malloc(path_len);
    if (!path) {
        cli_error("out of memory");
        return EXPORT_FOUND_UNKNOWN;
    }
    snprintf(path, path_len, "/api/v1/postmortems/%s/attachments/%s/versions", file->id,
             file->segment);
    struct api_answer answer;
    bool called = api_client_call(file->client, "GET", path, NULL, &answer);
    free(path);
    if (!called)
        return EXPORT_FOUND_UNKNOWN;
    json_t *versions = json_object_get(answer.body, "versions");
    enum export_found found = EXPORT_FOUND_UNKNOWN;
    if (answer.status == 200 && json_is_array(versions)) {
        found = EXPORT_FOUND_STRANGER;
        for (size_t i = 0; i < json_array_size(versions); i++) {
            const char *known =
                json_string_value(json_object_get(json_array_get(versions, i), "sha256"));
            if (known && strcasecmp(known, sha256) == 0)
                found = EXPORT_FOUND_VERSION;
        }
    } else if (answer.status == 200) {
        cli_error("the server's history of file '%s' of '%s' has no versions", file->name,
                  file->id);
    } else {
        api_answer_error(&answer, "cannot read the versions of file '%s' of '%s'", file->name,
                         file->id);
    }
    api_answer_release(&answer);
    return found;
}

/* GET one file of ID, described by ITEM of its list, and write it. */
static void fetch_file(struct api_client *client, struct export_dir *dir, const char *id,
                       const json_t *item, struct export_tally *t)
{
    const char *name = json_string_value(json_object_get(item, "name"));
    const char *sha256 = json_string_value(json_object_get(item, "sha256"));
    json_t *version = json_object_get(item, "version");
    json_t *size = json_object_get(item, "size");
    if (!name || !sha256 || !json_is_integer(version) || !json_is_integer(size)) {
        cli_error("a file in the server's list of the files of '%s' has no name, sha256, version "
                  "or size",
                  id);
        t->failed++;
        return;
    }
    if (!file_name_ok(name, id)) {
        t->failed++;
        return;
    }
    enum claim_result claim = claim_file(t, dir, name, id, sha256);
    if (claim != CLAIM_NEW) {
        t->failed += claim == CLAIM_REFUSED;
        return;
    }
    char *segment = api_path_segment(client, name);
    size_t path_len = segment ? strlen(segment) + DBF_STORE_SLUG_MAX + 64 : 0;
    char *path = segment ? malloc(path_len) : NULL;
    struct api_answer answer = {0};
    unsigned char *data = NULL;
    size_t len = 0;
    bool called = false;
    if (path) {
        snprintf(path, path_len, "/api/v1/postmortems/%s/attachments/%s?version=%lld", id, segment,
                 (long long)json_integer_value(version));
        called = api_client_get_bytes(client, path, DBF_ATTACHMENT_MAX, &answer, &data, &len);
    } else if (segment) {
        cli_error("out of memory");
    }
    if (called && answer.status == 200 && len == (size_t)json_integer_value(size)) {
        struct server_file versions = {client, id, name, segment};
        struct export_file out = {name, id, data, len, server_versions_hold, &versions};
        tally_file(t, dir, name, export_dir_write_file(dir, &out));
    } else {
        if (called && answer.status == 200)
            cli_error("file '%s' of '%s' came with %zu bytes, not the %lld listed", name, id, len,
                      (long long)json_integer_value(size));
        else if (called)
            api_answer_error(&answer, "cannot read file '%s' of '%s'", name, id);
        tally_file(t, dir, name, EXPORT_FAILED);
    }
    free(data);
    api_answer_release(&answer);
    free(path);
    free(segment);
}

/* GET the list of the files post mortem ID names, and each of them. */
static void fetch_files(struct api_client *client, struct export_dir *dir, const char *id,
                        struct export_tally *t)
{
    char path[DBF_STORE_SLUG_MAX + 48];
    snprintf(path, sizeof path, "/api/v1/postmortems/%s/attachments", id);
    struct api_answer answer;
    if (!api_client_call(client, "GET", path, NULL, &answer)) {
        t->failed++;
        return;
    }
    json_t *files = json_object_get(answer.body, "attachments");
    if (answer.status == 200 && json_is_array(files)) {
        for (size_t i = 0; i < json_array_size(files); i++)
            fetch_file(client, dir, id, json_array_get(files, i), t);
    } else if (answer.status == 200) {
        cli_error("the server's list of the files of '%s' has no attachments", id);
        t->failed++;
    } else {
        api_answer_error(&answer, "cannot list the files of '%s'", id);
        t->failed++;
    }
    api_answer_release(&answer);
}

/* GET /api/v1/postmortems/ID and write its Markdown, then its files. */
static void fetch_one(struct api_client *client, struct export_dir *dir, const char *id,
                      struct export_tally *t)
{
    if (!dbf_ingest_slug_valid(id) || id[0] == '.') {
        cli_error("not writing post mortem '%.130s': its id is not a plain file name", id);
        t->failed++;
        return;
    }
    char path[DBF_STORE_SLUG_MAX + 32];
    snprintf(path, sizeof path, "/api/v1/postmortems/%s", id);
    struct api_answer answer;
    if (!api_client_call(client, "GET", path, NULL, &answer)) {
        t->failed++;
        return;
    }
    json_t *markdown = json_object_get(answer.body, "markdown");
    if (answer.status != 200) {
        api_answer_error(&answer, "cannot read '%s'", id);
        t->failed++;
    } else if (!json_is_string(markdown)) {
        cli_error("the server's answer for '%s' has no markdown", id);
        t->failed++;
    } else {
        tally_markdown(
            t, dir, id,
            export_dir_write(dir, id, json_string_value(markdown), json_string_length(markdown)));
        fetch_files(client, dir, id, t);
    }
    api_answer_release(&answer);
}

/* The ids of every post mortem the token's user may see, page by page,
 * into the array IDS; EXIT_USAGE after printing why the list cannot be
 * read. */
static int list_ids(struct api_client *client, json_t *ids, struct export_tally *t)
{
    for (size_t offset = 0;;) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/postmortems?sort=created&limit=%d&offset=%zu",
                 EXPORT_PAGE, offset);
        struct api_answer answer;
        if (!api_client_call(client, "GET", path, NULL, &answer))
            return EXIT_USAGE;
        json_t *items = json_object_get(answer.body, "items");
        if (answer.status != 200 || !json_is_array(items)) {
            if (answer.status != 200)
                api_answer_error(&answer, "cannot list the post mortems");
            else
                cli_error("the server's list of post mortems has no items");
            api_answer_release(&answer);
            return EXIT_USAGE;
        }
        size_t count = json_array_size(items);
        for (size_t i = 0; i < count; i++) {
            json_t *id = json_object_get(json_array_get(items, i), "id");
            if (json_is_string(id)) {
                json_array_append(ids, id);
            } else {
                cli_error("an item of the server's list has no id");
                t->failed++;
            }
        }
        json_t *total = json_object_get(answer.body, "total");
        offset += count;
        bool more =
            count > 0 && json_is_integer(total) && offset < (size_t)json_integer_value(total);
        api_answer_release(&answer);
        if (!more)
            return 0;
    }
}

static int from_server(struct export_dir *dir, const char *server, const char *token,
                       struct export_tally *t)
{
    struct api_client client;
    if (!api_client_init(&client, server, token))
        return EXIT_USAGE;
    json_t *ids = json_array();
    int status = ids ? list_ids(&client, ids, t) : EXIT_USAGE;
    if (!ids)
        cli_error("out of memory");
    for (size_t i = 0; status == 0 && i < json_array_size(ids); i++) {
        const char *id = json_string_value(json_array_get(ids, i));
        if (dbf_ingest_slug_valid(id) && id[0] != '.')
            claim_markdown(t, id);
    }
    for (size_t i = 0; status == 0 && i < json_array_size(ids); i++)
        fetch_one(&client, dir, json_string_value(json_array_get(ids, i)), t);
    json_decref(ids);
    api_client_release(&client);
    return status;
}

int cmd_export(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},     {"as", required_argument, NULL, 'a'},
        {"server", required_argument, NULL, 's'}, {"token", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *as = NULL, *server = NULL, *token_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":s:h", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'a':
            as = optarg;
            break;
        case 's':
            server = optarg;
            break;
        case 'T':
            token_opt = optarg;
            break;
        default:
            return cli_option_help_or_error(c, argv, usage_text);
        }
    }
    if (!cli_option_one_folder(argc, argv, "export", "the folder to write to", usage_text))
        return EXIT_USAGE;
    const char *token = api_token_setting(token_opt);
    if (server && (db || as)) {
        cli_error("--server reads as the token's user from the server's database; it does not "
                  "go with %s",
                  db ? "--db" : "--as");
        return EXIT_USAGE;
    }
    if (!server && token_opt) {
        cli_error("--token goes with --server");
        return EXIT_USAGE;
    }
    if (server && !token) {
        cli_error("--server needs a token: --token TOKEN or DEBRIEF_TOKEN (make one with "
                  "'debrief user token NAME')");
        return EXIT_USAGE;
    }
    struct export_dir dir;
    if (!export_dir_open(&dir, argv[optind]))
        return EXIT_USAGE;
    struct export_tally t = {0};
    int status = server ? from_server(&dir, server, token, &t) : from_database(&dir, db, as, &t);
    export_dir_close(&dir);
    claims_free(&t);
    if (status == 0 && t.out_of_memory) {
        cli_error("out of memory");
        status = EXIT_USAGE;
    }
    if (status != 0)
        return status;
    printf("%zu written, %zu unchanged, %zu failed\n", t.written, t.unchanged, t.failed);
    return t.failed ? EXIT_FINDINGS : 0;
}
