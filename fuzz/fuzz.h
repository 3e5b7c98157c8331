/* fuzz.h: what the fuzz targets share with libFuzzer and with the replay main.
 *
 * Each fuzz_<area>.c defines LLVMFuzzerTestOneInput(), which must accept any
 * bytes and return 0; a crash, a sanitizer report or a leak is the finding.
 * A target that needs setup defines LLVMFuzzerInitialize() too. The same
 * file links either with libFuzzer (-fsanitize=fuzzer) or with replay.c,
 * which feeds it saved inputs one by one. */
#ifndef DBF_FUZZ_H
#define DBF_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Inputs made of several files separate them by this line, so a seed stays
 * readable text: "part one\n-8<-\npart two". */
#define FUZZ_SEPARATOR "\n-8<-\n"

/* One part of an input: borrowed bytes, not NUL-terminated. */
struct fuzz_part {
    const char *data;
    size_t len;
};

/* Splits DATA at FUZZ_SEPARATOR into at most MAX parts (the last takes the
 * rest, separators and all); returns how many. An empty input is one empty
 * part. */
size_t fuzz_split(const uint8_t *data, size_t size, struct fuzz_part *parts, size_t max);

/* A private temporary folder made on first use (under $TMPDIR, else /tmp)
 * and removed with everything in it at exit; NULL when it cannot be made. */
const char *fuzz_tmpdir(void);

/* Writes LEN bytes to DIR/NAME, making NAME's parent folders; false on any
 * failure. */
bool fuzz_write(const char *dir, const char *name, const void *data, size_t len);

#endif
