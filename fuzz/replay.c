/* replay.c: a main that runs a fuzz target over saved inputs, for builds
 * without libFuzzer (the regression tests of `meson test --suite fuzz`).
 *
 * Each argument is a file or a folder (read recursively, in name order;
 * dot files skipped). Prints one line per input only with -v; exits 0 when
 * every input ran, 2 when an argument cannot be read or none was given.
 * A bug shows as a crash or a sanitizer report, as under libFuzzer. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static bool verbose;
static size_t inputs;

static bool run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
        return false;
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *grown = realloc(data, cap * 2);
            if (!grown) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
    }
    bool ok = data && !ferror(f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "replay: cannot read '%s'\n", path);
        free(data);
        return false;
    }
    if (verbose)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* An exact-size copy, so reading past the input is caught as it is
     * under libFuzzer. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return false;
    }
    memcpy(exact, data, len);
    free(data);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    inputs++;
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t count = 0;
    bool ok = true;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (count + 1) * sizeof *names);
        size_t size = strlen(path) + strlen(e->d_name) + 2;
        char *full = grown ? malloc(size) : NULL;
        if (!full) {
            names = grown ? grown : names;
            ok = false;
            break;
        }
        snprintf(full, size, "%s/%s", path, e->d_name);
        names = grown;
        names[count++] = full;
    }
    closedir(dir);
    if (count)
        qsort(names, count, sizeof *names, by_name);
    for (size_t i = 0; i < count; i++) {
        ok = run_path(names[i]) && ok;
        free(names[i]);
    }
    free(names);
    return ok;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = true;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-v] FILE-OR-FOLDER...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    bool ok = true;
    for (int i = first; i < argc; i++)
        ok = run_path(argv[i]) && ok;
    printf("replayed %zu inputs\n", inputs);
    return ok && inputs > 0 ? 0 : 2;
}
