/* chat_common.c: options and output of the chat import targets. */
#include "fuzz.h"

#include "chat_common.h"

#include "debrief/debrief.h"

#include <stdio.h>
#include <unistd.h>

static const char list_doc[] = "---\ntitle: Fuzzed import\ndate: 2026-03-10\n---\n"
                               "# Fuzzed import\n\n## Timeline\n\n"
                               "- 2026-03-10 14:00 UTC — the on-call engineer: paged\n"
                               "- 2026-03-10 14:30 UTC — the incident lead: recovered\n";
static const char table_doc[] = "# Fuzzed import\n\n## Timeline (all times Europe/Paris)\n\n"
                                "| Time | Event |\n|---|---|\n"
                                "| 14:00 | paged |\n| 14:30 | recovered |\n";

struct dbf_import_options fuzz_chat_options(unsigned select, const char *roles_path)
{
    static const char *const zones[] = {NULL, "Europe/Paris", "PST", "+05:30"};
    return (struct dbf_import_options){
        .roles_path = roles_path,
        .zone = zones[select & 3],
        .keep_emoji = select & 4 ? "eyes" : NULL,
        .since = select & 8 ? 1773100800 : 0,
        .until = select & 16 ? 1773187199 : 0,
    };
}

static void merge_into(const char *source, size_t len, const struct dbf_chat_import *import,
                       const struct dbf_import_options *options)
{
    char err[512];
    struct dbf_doc *doc = dbf_doc_parse("timeline.md", source, len, err, sizeof err);
    if (!doc)
        abort();
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    if (dbf_chat_import_merge(import, doc, source, len, options, &out, err, sizeof err)) {
        /* What the merge writes must read back as a post mortem. */
        struct dbf_doc *merged = dbf_doc_parse("merged.md", out.data, out.len, err, sizeof err);
        if (!merged)
            abort();
        dbf_doc_free(merged);
    }
    dbf_buf_release(&out);
    dbf_doc_free(doc);
}

void fuzz_chat_use(const struct dbf_chat_import *import, const struct dbf_import_options *options)
{
    struct dbf_buf md;
    dbf_buf_init(&md, 0);
    dbf_chat_import_markdown(import, options, &md);
    dbf_buf_release(&md);
    merge_into(list_doc, sizeof list_doc - 1, import, options);
    merge_into(table_doc, sizeof table_doc - 1, import, options);
}

bool fuzz_chat_file(const char *dir, const char *name, const struct fuzz_part *part)
{
    if (part)
        return fuzz_write(dir, name, part->data, part->len);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    return true;
}
