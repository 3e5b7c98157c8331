/* common.c: input splitting and scratch files for the fuzz targets. */
#include "fuzz.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t fuzz_split(const uint8_t *data, size_t size, struct fuzz_part *parts, size_t max)
{
    const char *p = (const char *)data, *end = p + size;
    size_t sep_len = sizeof FUZZ_SEPARATOR - 1, n = 0;
    while (n + 1 < max) {
        const char *sep = memmem(p, (size_t)(end - p), FUZZ_SEPARATOR, sep_len);
        if (!sep)
            break;
        parts[n++] = (struct fuzz_part){p, (size_t)(sep - p)};
        p = sep + sep_len;
    }
    parts[n++] = (struct fuzz_part){p, (size_t)(end - p)};
    return n;
}

static char tmp_root[512];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void remove_tmp(void)
{
    if (tmp_root[0])
        nftw(tmp_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_tmpdir(void)
{
    if (tmp_root[0])
        return tmp_root;
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    if ((size_t)snprintf(tmp_root, sizeof tmp_root, "%s/debrief-fuzz-XXXXXX", base) >=
            sizeof tmp_root ||
        !mkdtemp(tmp_root)) {
        tmp_root[0] = '\0';
        return NULL;
    }
    atexit(remove_tmp);
    return tmp_root;
}

bool fuzz_write(const char *dir, const char *name, const void *data, size_t len)
{
    char path[1024];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return false;
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        bool made = mkdir(path, 0700) == 0 || errno == EEXIST;
        *slash = '/';
        if (!made)
            return false;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}
