/* ingest_file.c: a post mortem file read whole and handed to dbf_ingest(),
 * keeping its exact bytes for the store. */
#include "debrief/buf.h"
#include "store_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool cli_pm_file_read(const char *path, struct cli_pm_file *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        fclose(f);
        return false;
    }
    struct dbf_buf buf;
    dbf_buf_init(&buf, DBF_MAX_INPUT);
    bool read_ok = dbf_buf_add_stream(&buf, f);
    int saved = errno;
    fclose(f);
    if (!read_ok) {
        if (buf.failed)
            snprintf(err, errlen, "%s: larger than %zu MiB, the limit for a post mortem", path,
                     DBF_MAX_INPUT >> 20);
        else
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(saved));
        dbf_buf_release(&buf);
        return false;
    }
    out->text = dbf_buf_detach(&buf, &out->len);
    char why[512];
    if (!dbf_ingest(path, out->text, out->len, &out->ingest, why, sizeof why)) {
        snprintf(err, errlen, "%s:%s", path, why);
        return false;
    }
    return true;
}

void cli_pm_file_release(struct cli_pm_file *file)
{
    dbf_ingest_release(&file->ingest);
    free(file->text);
    memset(file, 0, sizeof *file);
}
