/* huge_pages.c: aligned allocation with MADV_HUGEPAGE. */
#include "huge_pages.h"

#include <stdlib.h>
#include <sys/mman.h>

void *dbf__huge_alloc(size_t bytes)
{
    /* Whole huge pages: the kernel gives none to a part of one. */
    if (bytes > (size_t)-1 - DBF__HUGE_PAGE)
        return NULL;
    size_t whole = (bytes + DBF__HUGE_PAGE - 1) & ~(DBF__HUGE_PAGE - 1);
    void *p = NULL;
    if (posix_memalign(&p, DBF__HUGE_PAGE, whole) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, whole, MADV_HUGEPAGE);
#endif
    return p;
}
