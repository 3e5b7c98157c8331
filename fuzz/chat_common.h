/* chat_common.h: what the two chat import targets share: the options an
 * input picks, and the import's output written and merged into a post
 * mortem. */
#ifndef DBF_FUZZ_CHAT_COMMON_H
#define DBF_FUZZ_CHAT_COMMON_H

#include "debrief/import.h"

/* Options chosen by SELECT (a byte of the input): zone, keep filter. */
struct dbf_import_options fuzz_chat_options(unsigned select, const char *roles_path);

/* Writes IMPORT as Markdown and merges it into two timelines (a list and a
 * table), checking nothing but the sanitizers. */
void fuzz_chat_use(const struct dbf_chat_import *import, const struct dbf_import_options *options);

/* Writes PART to DIR/NAME when present, else removes DIR/NAME; false when
 * writing fails. */
bool fuzz_chat_file(const char *dir, const char *name, const struct fuzz_part *part);

#endif
