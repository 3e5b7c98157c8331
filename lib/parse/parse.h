/* parse.h: the stages that turn a file into a `struct dbf_doc`.
 *
 * document.c checks the bytes and runs the stages in order: front matter,
 * the Markdown walk (blocks and sections), then the extractors, which read
 * only the blocks and sections, never the source again: timeline, whys,
 * lessons, actions, impact figures. Arrays grow with dbf__vec_push() in
 * malloc'd memory that dbf_doc_free() releases; strings live in the arena. */
#ifndef DBF_PARSE_H
#define DBF_PARSE_H

#include "../util/arena.h"
#include "debrief/doc.h"

#include <pthread.h>
#include <stddef.h>

struct dbf__doc_internal {
    struct dbf__arena arena;
    size_t *line_start; /* byte offset of each line: line_start[line - 1]; [line_count]: one
                           past the last line's end, as if a newline followed it */
    size_t block_cap, section_cap, timeline_cap, why_cap, figure_cap, lesson_cap, action_cap,
        directive_cap;
};

/* Appends a zeroed element of SIZE bytes to the array *ARR of *COUNT
 * elements with room for *CAP, and returns it. Aborts when memory runs out. */
void *dbf__vec_push(void *arr, size_t *count, size_t *cap, size_t size);
#define DBF_PUSH(arr, count, cap)                                                                  \
    ((__typeof__(*(arr)) *)dbf__vec_push(&(arr), &(count), &(cap), sizeof(*(arr))))

static inline struct dbf__arena *dbf__doc_arena(struct dbf_doc *doc)
{
    return &doc->internal->arena;
}

/* Finds the front matter, between a first line '---' and the next '---'
 * or '...': sets meta.has_front_matter and meta.front_matter_end (the
 * closing line) and returns the byte where the Markdown body starts; 0
 * when there is none. */
size_t dbf__front_matter_find(struct dbf_doc *doc);

/* Reads the front matter dbf__front_matter_find() found into doc->meta
 * (and the title). False with "LINE:COL: message" in ERR for broken YAML
 * or YAML that is not a mapping. */
bool dbf__front_matter_parse(struct dbf_doc *doc, char *err, size_t errlen);

/* Work to do while another thread holds dbf__cmark_parse_lock: RUN(CTX),
 * run once, before the parse when the lock is taken, else after it. */
struct dbf__meanwhile {
    bool (*run)(void *ctx);
    void *ctx;
};

/* Parses the Markdown body starting at byte BODY (line FIRST_LINE), runs
 * MEANWHILE (see above), then walks the body into blocks and sections and
 * sets the title. False, with no walk, when MEANWHILE's run is. */
bool dbf__markdown_walk(struct dbf_doc *doc, size_t body, int first_line,
                        const struct dbf__meanwhile *meanwhile);

/* Held around every cmark-gfm parse in the library. cmark-gfm 0.29 keeps the
 * table of special inline characters in a global that each parse with
 * extensions adds to and then clears (its process_inlines()): two parses at
 * once on two threads can make one of them miss autolinks, strikethrough or
 * table cells. Walking a parsed tree needs no lock. */
extern pthread_mutex_t dbf__cmark_parse_lock;

/* The lines of DOC's Markdown body (from byte BODY, line FIRST_LINE on)
 * that could hold a web or e-mail address written without link syntax:
 * those holding "://", "www." or an '@', or a '\\' or an '&', which can
 * write one of those in the text as cmark-gfm reads it ("&#64;", "www\\.").
 * Read from the source alone, before the parse lock is taken; NULL when
 * memory runs out (every line then counts). Borrows DOC's line offsets. */
struct dbf__address_lines;
struct dbf__address_lines *dbf__address_lines_read(const struct dbf_doc *doc, size_t body,
                                                   int first_line);
void dbf__address_lines_free(struct dbf__address_lines *lines);

/* Gives each paragraph, heading and table cell of ROOT (a document parsed
 * without cmark-gfm's autolink extension) on one of LINES (its text's
 * dbf__address_lines_read()) whose text holds such an address before its
 * first link ("see https://…", "www.…", "ops@example.org") that address as
 * a link URL ("http://www.…", "mailto:…"), copied into ARENA, as its user
 * data (cmark_node_set_user_data()). MEM: the memory of ROOT's parse,
 * which the parses of those texts then take from (cmark_memory.h), or
 * NULL. To be called with dbf__cmark_parse_lock held. bare_links.c says
 * why the document's parse does not find them itself. */
struct dbf__arena;
struct cmark_mem;
struct cmark_node;
void dbf__bare_links_mark(struct cmark_node *root, const struct dbf__address_lines *lines,
                          struct cmark_mem *mem, struct dbf__arena *arena);

/* The extractors; each reads blocks and sections only. */
void dbf__timeline_extract(struct dbf_doc *doc);
void dbf__whys_extract(struct dbf_doc *doc);
void dbf__lessons_extract(struct dbf_doc *doc);
void dbf__actions_extract(struct dbf_doc *doc);
void dbf__impact_extract(struct dbf_doc *doc);
void dbf__directives_extract(struct dbf_doc *doc);

/* The pattern of an impact figure, unanchored; dbf__impact_extract() tries it
 * only where a figure can start. Tests search it from every byte to check
 * that it finds the same figures. */
extern const char dbf__figure_pattern[];

/* The kinds a heading names, as bits (1 << kind), and the first in *FIRST. */
unsigned dbf__section_kinds_of_heading(const char *heading, enum dbf_section_kind *first);

/* The same, found by trying every row of the alias table in turn rather
 * than the few its index names: for tests, which compare the two. */
unsigned dbf__section_kinds_by_scan(const char *heading, enum dbf_section_kind *first);

/* Is every line break of TEXT[0..LEN) the start of a new item (a capital
 * letter after it), as in a paragraph written one item per line? */
bool dbf__lines_are_items(const char *text, size_t len);

/* The section that holds BLOCK, or NULL. Inline: the rules ask it of
 * nearly every block. */
static inline const struct dbf_section *dbf__block_section(const struct dbf_doc *doc,
                                                           const struct dbf_block *b)
{
    return b->section >= 0 ? &doc->sections[b->section] : NULL;
}

#endif
