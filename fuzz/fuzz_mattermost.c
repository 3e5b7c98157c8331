/* fuzz_mattermost.c: the Mattermost bulk export reader (lib/import/
 * mattermost.c, mrkdwn.c, roles.c, merge.c) on the input's parts: the JSONL
 * export, then the roles map. */
#include "fuzz.h"

#include "chat_common.h"

#include <stdio.h>
#include <stdlib.h>

static const char *dir;
static char export_path[1024], roles_path[1024];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    dir = fuzz_tmpdir();
    if (!dir)
        abort();
    snprintf(export_path, sizeof export_path, "%s/export.jsonl", dir);
    snprintf(roles_path, sizeof roles_path, "%s/roles.yml", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_part parts[2];
    size_t n = fuzz_split(data, size, parts, 2);
    if (!fuzz_chat_file(dir, "export.jsonl", &parts[0]) ||
        !fuzz_chat_file(dir, "roles.yml", n > 1 ? &parts[1] : NULL))
        abort();
    unsigned select = size ? data[size - 1] : 0;
    struct dbf_import_options options = fuzz_chat_options(select, n > 1 ? roles_path : NULL);
    /* One channel of several, or the file's only one. */
    options.channel = select & 32 ? "incident-4821" : NULL;
    char err[512];
    struct dbf_chat_import *import = dbf_chat_import_load(export_path, &options, err, sizeof err);
    if (import) {
        fuzz_chat_use(import, &options);
        dbf_chat_import_free(import);
    }
    return 0;
}
