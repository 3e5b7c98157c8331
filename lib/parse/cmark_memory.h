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

/* The calling thread's scratch memory, emptied, for
 * cmark_parser_new_with_mem(); NULL when it is already in use on this
 * thread (the caller then parses with cmark-gfm's own allocator). Running
 * out of memory aborts, as cmark-gfm's own allocator does. */
cmark_mem *dbf__cmark_memory_begin(void);

/* Takes back everything handed out since dbf__cmark_memory_begin(): the
 * parser and the tree made with it must not be used, nor freed, after. */
void dbf__cmark_memory_end(void);

#endif
