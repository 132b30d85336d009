/* Large buffers (see bigmem.h). */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "adthresh/bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>

/* Below this size malloc is as good. */
#define BIG (4u << 20)

void *adt_big_alloc(size_t bytes)
{
	void *p;

	if (bytes < BIG)
		return calloc(bytes ? bytes : 1, 1);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	/* Advice only: without transparent huge pages this does nothing. */
	madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

void adt_big_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < BIG)
		free(p);
	else
		munmap(p, bytes);
}
