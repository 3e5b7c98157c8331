/* cmark_memory.h: memory for one cmark-gfm parse at a time per thread,
 * handed out by bumping a pointer and taken back all at once.
 *
 * cmark-gfm allocates every node, string buffer and inline run on its own
 * (a third of its parse is calloc, realloc and free), and freeing a tree
 * walks it node by node. A document's tree lives only while the document is
 * walked, so its memory can come from one region that is reused for the
 * next document instead. */
#ifndef DBF_PARSE_CMARK_MEMORY_H
#define DBF_PARSE_CMARK_MEMORY_H

#include <cmark-gfm.h>

/* Texts longer than this are parsed with cmark-gfm's own allocator, which
 * reuses what the parse frees: scratch memory never does, and a large text
 * frees a lot on its way (measured: a 1 MB table took 1.5x the time and
 * memory with scratch memory). */
#define DBF__CMARK_MEMORY_MOST ((size_t)256 * 1024)

/* The calling thread's scratch memory, emptied, for
 * cmark_parser_new_with_mem() to parse a text of LEN bytes; NULL when the
 * text is longer than DBF__CMARK_MEMORY_MOST or the memory is already in use
 * on this thread (the caller then parses with cmark-gfm's own allocator).
 * Running out of memory aborts, as cmark-gfm's own allocator does. Between
 * parses a thread keeps at most 4 MiB of it, given back when the thread
 * ends. */
cmark_mem *dbf__cmark_memory_begin(size_t len);

/* Takes back everything handed out since dbf__cmark_memory_begin(): the
 * parser and the tree made with it must not be used, nor freed, after. */
void dbf__cmark_memory_end(void);

#endif
