/* Large buffers (hundreds of megabytes of keys) straight from the kernel,
 * in huge pages where the system allows it: far fewer page faults and TLB
 * misses when they are filled in random order. */
#ifndef ADTHRESH_BIGMEM_H
#define ADTHRESH_BIGMEM_H

#include <stddef.h>

/* Returns a zero-filled buffer of `bytes` bytes, or NULL. */
void *adt_big_alloc(size_t bytes);

/* Frees a buffer of adt_big_alloc with the same size; NULL is fine. */
void adt_big_free(void *p, size_t bytes);

#endif
