/* fuzz_slack.c: the Slack export reader (lib/import/slack.c, mrkdwn.c,
 * roles.c, merge.c) on an export made of the input's parts: a day of the
 * channel, then users.json, channels.json, the roles map and a second day. */
#include "fuzz.h"

#include "chat_common.h"

#include <stdio.h>
#include <stdlib.h>

static const char *dir;
static char channel_path[1024], roles_path[1024];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    dir = fuzz_tmpdir();
    if (!dir)
        abort();
    snprintf(channel_path, sizeof channel_path, "%s/export/incident", dir);
    snprintf(roles_path, sizeof roles_path, "%s/roles.yml", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_part parts[5];
    size_t n = fuzz_split(data, size, parts, 5);
    if (!fuzz_chat_file(dir, "export/incident/2026-03-10.json", &parts[0]) ||
        !fuzz_chat_file(dir, "export/users.json", n > 1 ? &parts[1] : NULL) ||
        !fuzz_chat_file(dir, "export/channels.json", n > 2 ? &parts[2] : NULL) ||
        !fuzz_chat_file(dir, "roles.yml", n > 3 ? &parts[3] : NULL) ||
        !fuzz_chat_file(dir, "export/incident/2026-03-11.json", n > 4 ? &parts[4] : NULL))
        abort();
    struct dbf_import_options options =
        fuzz_chat_options(size ? data[size - 1] : 0, n > 3 ? roles_path : NULL);
    char err[512];
    struct dbf_chat_import *import = dbf_chat_import_load(channel_path, &options, err, sizeof err);
    if (import) {
        fuzz_chat_use(import, &options);
        dbf_chat_import_free(import);
    }
    return 0;
}
