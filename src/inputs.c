/* inputs.c: what a command reads besides its files: a post mortem from a
 * path or standard input, and the configuration that applies to it. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct dbf_doc *cli_load_doc(const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") != 0)
        return dbf_doc_load(path, err, errlen);
    struct dbf_buf buf;
    dbf_buf_init(&buf, DBF_MAX_INPUT);
    if (!dbf_buf_add_stream(&buf, stdin)) {
        if (buf.failed)
            snprintf(err, errlen, "1:1: input is larger than %zu MiB", DBF_MAX_INPUT >> 20);
        else
            snprintf(err, errlen, "0:0: cannot read standard input: %s", strerror(errno));
        dbf_buf_release(&buf);
        return NULL;
    }
    size_t len = 0;
    char *data = dbf_buf_detach(&buf, &len);
    struct dbf_doc *doc = dbf_doc_parse("-", data, len, err, errlen);
    free(data);
    return doc;
}

struct dbf_config *cli_load_config(const char *explicit, const char *near,
                                   const struct dbf_date *today)
{
    struct dbf_config *config = dbf_config_new();
    if (!config) {
        cli_error("out of memory");
        return NULL;
    }
    char *found =
        explicit ? strdup(explicit) : dbf_config_discover(strcmp(near, "-") == 0 ? "." : near);
    char err[512];
    if (found && !dbf_config_load(config, found, err, sizeof err)) {
        cli_error("%s", err);
        dbf_config_free(config);
        config = NULL;
    }
    free(found);
    if (config && today)
        dbf_config_set_today(config, *today);
    return config;
}
