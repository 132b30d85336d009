/* A string hash for the in-memory indexes (sample ids, folder names). */
#ifndef ADTHRESH_HASH_H
#define ADTHRESH_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a of the len bytes at p (p may be NULL when len is 0).  Ids and
 * names are short strings; an open-addressing table only needs them
 * spread, and the same bytes always give the same value. */
uint64_t adt_hash_bytes(const void *p, size_t len);

#endif
