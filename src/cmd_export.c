/* cmd_export.c: `debrief export`: the team server's post mortems written to
 * a folder as ID.md, each the newest revision byte for byte, read from the
 * database or over the JSON API. Only what the reader may see is written. */
#include "api_client.h"
#include "cli.h"
#include "export_dir.h"
#include "store_cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief export DIR [--as USER] [--db URL | --server URL [--token TOKEN]]\n"
    "\n"
    "Writes each post mortem the reader may see to DIR/ID.md, the newest revision\n"
    "byte for byte; files already holding it are left alone.\n"
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
    "Nothing is written outside DIR: ids are plain file names, and a symbolic\n"
    "link in DIR is never written through.\n"
    "\n"
    "Exit status: 0 done, 1 some post mortem could not be written, 2 a usage\n"
    "error or a database or server that cannot be read.\n";

/* Page size of the API's list. */
#define EXPORT_PAGE 100

struct export_tally {
    size_t written, unchanged, failed;
};

static void tally(struct export_tally *t, const struct export_dir *dir, const char *id,
                  enum export_result result)
{
    if (result == EXPORT_WRITTEN) {
        printf("wrote %s/%s.md\n", dir->path, id);
        t->written++;
    } else if (result == EXPORT_UNCHANGED) {
        t->unchanged++;
    } else {
        t->failed++;
    }
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
    for (size_t i = 0; i < list.count; i++) {
        const char *id = list.items[i].slug;
        struct dbf_revision newest;
        st = dbf_store_revision_get(store, reader.id, id, 0, &newest);
        if (st != DBF_STORE_OK) {
            cli_store_error(store, st, "cannot read '%s'", id);
            t->failed++;
            continue;
        }
        tally(t, dir, id, export_dir_write(dir, id, newest.markdown, newest.length));
        dbf_revision_release(&newest);
    }
    dbf_postmortem_list_release(&list);
    dbf_store_close(store);
    return 0;
}

/* GET /api/v1/postmortems/ID and write its Markdown. */
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
        tally(t, dir, id,
              export_dir_write(dir, id, json_string_value(markdown), json_string_length(markdown)));
    }
    api_answer_release(&answer);
}

static int from_server(struct export_dir *dir, const char *server, const char *token,
                       struct export_tally *t)
{
    struct api_client client;
    if (!api_client_init(&client, server, token))
        return EXIT_USAGE;
    int status = 0;
    for (size_t offset = 0;;) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/postmortems?sort=created&limit=%d&offset=%zu",
                 EXPORT_PAGE, offset);
        struct api_answer answer;
        if (!api_client_call(&client, "GET", path, NULL, &answer)) {
            status = EXIT_USAGE;
            break;
        }
        json_t *items = json_object_get(answer.body, "items");
        if (answer.status != 200 || !json_is_array(items)) {
            if (answer.status != 200)
                api_answer_error(&answer, "cannot list the post mortems");
            else
                cli_error("the server's list of post mortems has no items");
            api_answer_release(&answer);
            status = EXIT_USAGE;
            break;
        }
        size_t count = json_array_size(items);
        for (size_t i = 0; i < count; i++) {
            const char *id = json_string_value(json_object_get(json_array_get(items, i), "id"));
            if (id) {
                fetch_one(&client, dir, id, t);
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
            break;
    }
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
    if (status != 0)
        return status;
    printf("%zu written, %zu unchanged, %zu failed\n", t.written, t.unchanged, t.failed);
    return t.failed ? EXIT_FINDINGS : 0;
}
