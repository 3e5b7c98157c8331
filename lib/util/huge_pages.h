/* huge_pages.h: large buffers in the kernel's huge pages where it has them. */
#ifndef DBF_UTIL_HUGE_PAGES_H
#define DBF_UTIL_HUGE_PAGES_H

#include <stddef.h>

/* Huge pages are worth asking for from this many bytes. */
#define DBF__HUGE_PAGE ((size_t)2 << 20)

/* BYTES of memory (not cleared) starting on a huge page and rounded up to
 * whole ones, with the kernel asked to back them with huge pages: touching
 * megabytes then costs a page fault per 2 MiB instead of per 4 KiB. Only a
 * hint: where the kernel says no, the memory is ordinary. Freed with
 * free(); NULL when memory runs out. */
void *dbf__huge_alloc(size_t bytes);

#endif
