/* cmd_push.c: `debrief push`: post mortem files sent to a running team
 * server over its JSON API: created when the server lacks the id, saved as
 * a new revision when the text differs, never over a newer revision; then
 * the files each names (metric files, images), which the server keeps as a
 * new version only when their bytes changed. */
#include "api_client.h"
#include "cli.h"
#include "store_cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief push FILE... [--server URL] [--token TOKEN] [--team TEAM]\n"
    "                            [--base-revision N]\n"
    "\n"
    "Sends each post mortem to a running team server: a new id is created, a\n"
    "changed text becomes a new revision, an unchanged one is left alone. Then\n"
    "the files it names (metrics files, local images) are sent from its folder,\n"
    "never from outside it; the server keeps a new version of those that changed.\n"
    "\n"
    "  -s, --server URL        the server (default $DEBRIEF_SERVER), e.g.\n"
    "                          http://127.0.0.1:8080\n"
    "      --token TOKEN       API token (default $DEBRIEF_TOKEN; make one with\n"
    "                          'debrief user token NAME')\n"
    "  -t, --team TEAM         owner team of a new post mortem whose front matter\n"
    "                          has no owner_team (default: your first team)\n"
    "  -b, --base-revision N   the revision the file was edited from; when the\n"
    "                          server has a newer one, nothing is saved (default:\n"
    "                          the newest)\n"
    "  -h, --help              show this help\n"
    "\n"
    "The id is the front matter's id, else the file name without .md, as for\n"
    "'debrief import'. When the server has a newer revision than the base, the\n"
    "file is not saved, nor are its files: merge the newer text first. Prints\n"
    "\"N files sent, N unchanged\" for a post mortem that names files; one that\n"
    "is missing, outside the folder, not a regular file or over 16 MiB is a\n"
    "warning.\n"
    "\n"
    "Exit status: 0 done, 1 a file the server did not take (a newer revision, a\n"
    "refusal, no answer) or a named file not sent, 2 a usage error or a file\n"
    "that is not a post mortem.\n";

enum push_result { PUSH_OK, PUSH_REFUSED, PUSH_BAD_FILE };

/* FILE read, with an id fit for a URL path. */
static bool read_file(const char *file, struct cli_pm_file *pm_file)
{
    char err[768];
    if (!cli_pm_file_read(file, pm_file, err, sizeof err)) {
        cli_error("%s", err);
        return false;
    }
    if (pm_file->ingest.slug[0] == '.') {
        cli_error("%s: the id '%s' starts with '.'; give it another 'id:' in the front matter",
                  file, pm_file->ingest.slug);
        return false;
    }
    return true;
}

/* POST the text as a new post mortem. */
static enum push_result create(struct api_client *client, const char *file,
                               const struct dbf_ingest *in, const char *team)
{
    /* The id is sent, so that a file without 'id:' gets the one import
     * gives it (its name), not one the server would make of its title. */
    json_t *body = json_pack("{s:s,s:s}", "markdown", in->content.markdown, "id", in->slug);
    if (body && team && !in->owner_team[0])
        json_object_set_new(body, "owner_team", json_string(team));
    if (!body) {
        cli_error("%s: out of memory", file);
        return PUSH_REFUSED;
    }
    struct api_answer answer;
    bool ok = api_client_call(client, "POST", "/api/v1/postmortems", body, &answer);
    json_decref(body);
    if (!ok)
        return PUSH_REFUSED;
    enum push_result result = PUSH_OK;
    const char *id = json_string_value(json_object_get(answer.body, "id"));
    if (answer.status == 201 && id && strcmp(id, in->slug) == 0) {
        printf("created %s at revision %lld (%s)\n", id,
               (long long)json_integer_value(json_object_get(answer.body, "revision")), file);
    } else if (answer.status == 201) {
        cli_error("%s: the server created it as '%s', not '%s'", file, id ? id : "(no id)",
                  in->slug);
        result = PUSH_REFUSED;
    } else {
        api_answer_error(&answer, "%s: cannot create '%s'", file, in->slug);
        result = PUSH_REFUSED;
    }
    api_answer_release(&answer);
    return result;
}

/* PUT the text as a new revision over BASE; NEWEST is the server's newest. */
static enum push_result update(struct api_client *client, const char *file,
                               const struct dbf_ingest *in, long long base, long long newest)
{
    char path[DBF_STORE_SLUG_MAX + 32];
    snprintf(path, sizeof path, "/api/v1/postmortems/%s", in->slug);
    json_t *body =
        json_pack("{s:s,s:I}", "markdown", in->content.markdown, "base_revision", (json_int_t)base);
    if (!body) {
        cli_error("%s: out of memory", file);
        return PUSH_REFUSED;
    }
    struct api_answer answer;
    bool ok = api_client_call(client, "PUT", path, body, &answer);
    json_decref(body);
    if (!ok)
        return PUSH_REFUSED;
    enum push_result result = PUSH_OK;
    if (answer.status == 200) {
        printf("updated %s to revision %lld (%s)\n", in->slug,
               (long long)json_integer_value(json_object_get(answer.body, "revision")), file);
    } else if (answer.status == 409) {
        json_t *theirs = json_object_get(json_object_get(answer.body, "current"), "revision");
        long long current =
            json_is_integer(theirs) ? (long long)json_integer_value(theirs) : newest;
        cli_error("%s: the server has a newer revision of '%s' (%lld) than the one this file "
                  "was edited from (%lld); nothing was saved: merge revision %lld into the file, "
                  "then push again with --base-revision %lld",
                  file, in->slug, current, base, current, current);
        result = PUSH_REFUSED;
    } else {
        api_answer_error(&answer, "%s: cannot save '%s'", file, in->slug);
        result = PUSH_REFUSED;
    }
    api_answer_release(&answer);
    return result;
}

/* PUT each file the post mortem in FILE names; false when one was not
 * sent (after printing why). */
static bool push_named_files(struct api_client *client, const char *file,
                             const struct dbf_ingest *in)
{
    struct cli_named_files files;
    bool listed = cli_named_files_list(file, in->doc, &files), all = listed;
    size_t sent = 0, unchanged = 0;
    for (size_t i = 0; listed && i < files.count; i++) {
        struct cli_named_file *named = &files.items[i];
        if (!cli_named_file_load(&files, named)) {
            cli_named_file_warn(file, named, "sent");
            all = false;
            continue;
        }
        char *segment = api_path_segment(client, named->name);
        size_t path_len = segment ? strlen(segment) + DBF_STORE_SLUG_MAX + 40 : 0;
        char *path = segment ? malloc(path_len) : NULL;
        struct api_answer answer = {0};
        bool called = false;
        if (path) {
            snprintf(path, path_len, "/api/v1/postmortems/%s/attachments/%s", in->slug, segment);
            called = api_client_put_bytes(client, path, named->data, named->len, &answer);
        } else if (segment) {
            cli_error("out of memory");
        }
        cli_named_file_unload(named);
        if (called && answer.status == 201) {
            sent++;
        } else if (called && answer.status == 200) {
            unchanged++;
        } else {
            if (called)
                api_answer_error(&answer, "%s: file '%s' is not sent", file, named->name);
            all = false;
        }
        api_answer_release(&answer);
        free(path);
        free(segment);
    }
    if (files.count)
        printf("%zu file%s sent, %zu unchanged (%s)\n", sent, sent == 1 ? "" : "s", unchanged,
               file);
    cli_named_files_release(&files);
    return all;
}

static enum push_result push_file(struct api_client *client, const char *file, long base,
                                  const char *team)
{
    struct cli_pm_file pm_file;
    if (!read_file(file, &pm_file)) {
        cli_pm_file_release(&pm_file);
        return PUSH_BAD_FILE;
    }
    const struct dbf_ingest *in = &pm_file.ingest;
    char path[DBF_STORE_SLUG_MAX + 32];
    snprintf(path, sizeof path, "/api/v1/postmortems/%s", in->slug);
    struct api_answer answer;
    enum push_result result = PUSH_REFUSED;
    if (!api_client_call(client, "GET", path, NULL, &answer)) {
        cli_pm_file_release(&pm_file);
        return PUSH_REFUSED;
    }
    json_t *markdown = json_object_get(answer.body, "markdown");
    json_t *revision = json_object_get(answer.body, "revision");
    if (answer.status == 404) {
        result = create(client, file, in, team);
    } else if (answer.status != 200) {
        api_answer_error(&answer, "%s: cannot read '%s' on the server", file, in->slug);
    } else if (!json_is_string(markdown) || !json_is_integer(revision)) {
        cli_error("%s: the server's answer for '%s' has no markdown or revision", file, in->slug);
    } else if (json_string_length(markdown) == pm_file.len &&
               memcmp(json_string_value(markdown), pm_file.text, pm_file.len) == 0) {
        printf("%s is unchanged at revision %lld (%s)\n", in->slug,
               (long long)json_integer_value(revision), file);
        result = PUSH_OK;
    } else {
        long long newest = json_integer_value(revision);
        result = update(client, file, in, base > 0 ? base : newest, newest);
    }
    api_answer_release(&answer);
    if (result == PUSH_OK && !push_named_files(client, file, in))
        result = PUSH_REFUSED;
    cli_pm_file_release(&pm_file);
    return result;
}

int cmd_push(int argc, char **argv)
{
    static const struct option options[] = {
        {"server", required_argument, NULL, 's'},
        {"token", required_argument, NULL, 'T'},
        {"base-revision", required_argument, NULL, 'b'},
        {"team", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *server_opt = NULL, *token_opt = NULL, *team = NULL;
    long base = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":s:b:t:h", options, NULL)) != -1) {
        switch (c) {
        case 's':
            server_opt = optarg;
            break;
        case 'T':
            token_opt = optarg;
            break;
        case 't':
            team = optarg;
            break;
        case 'b': {
            char *end;
            base = strtol(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end || base < 1 || base > INT_MAX) {
                cli_error("--base-revision takes a revision number (1, 2, ...), not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        default:
            return cli_option_help_or_error(c, argv, usage_text);
        }
    }
    if (optind == argc) {
        cli_error("'push' needs the post mortem files to send");
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (base > 0 && argc - optind > 1) {
        cli_error("--base-revision goes with one file, not %d", argc - optind);
        return EXIT_USAGE;
    }
    const char *server = api_server_setting(server_opt);
    const char *token = api_token_setting(token_opt);
    if (!server) {
        cli_error("'push' needs the server: --server URL or DEBRIEF_SERVER");
        return EXIT_USAGE;
    }
    if (!token) {
        cli_error("'push' needs a token: --token TOKEN or DEBRIEF_TOKEN (make one with "
                  "'debrief user token NAME')");
        return EXIT_USAGE;
    }
    struct api_client client;
    if (!api_client_init(&client, server, token))
        return EXIT_USAGE;
    bool refused = false, bad_file = false;
    for (int i = optind; i < argc; i++) {
        enum push_result result = push_file(&client, argv[i], base, team);
        refused = refused || result == PUSH_REFUSED;
        bad_file = bad_file || result == PUSH_BAD_FILE;
    }
    api_client_release(&client);
    return bad_file ? EXIT_USAGE : refused ? EXIT_FINDINGS : 0;
}
