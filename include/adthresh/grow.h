/* Growable arrays: the one place that computes how big an array grows
 * and checks that its size in bytes fits in a size_t. */
#ifndef ADTHRESH_GROW_H
#define ADTHRESH_GROW_H

#include <stddef.h>

/* The capacity an empty array (*cap == 0) gets on its first growth, at
 * least; a caller that knows a better first size asks for it as need. */
#define ADT_GROW_FIRST 16

/* Makes room for need elements of elem bytes (elem > 0) in the array *ptr,
 * which has room for *cap of them (*ptr may be NULL when *cap is 0).
 *
 * When need <= *cap nothing changes.  Otherwise the capacity is doubled
 * (from ADT_GROW_FIRST when *cap is 0) until it holds need elements, and
 * *ptr is reallocated to it; when doubling would overflow size_t or
 * elem * capacity would, the capacity is need itself.  Elements already
 * in the array keep their values; the new ones are uninitialised.
 *
 * Returns 0 with *ptr and *cap updated.  Returns -1, leaving *ptr and
 * *cap untouched (the old block stays valid and the caller's to free),
 * when need * elem does not fit in a size_t (realloc is not called) or
 * realloc fails.  Sets no struct adt_error: a caller that reports errors
 * says ADT_ENOMEM "out of memory".
 *
 * ptr must point at a `void *` variable: pass a copy of the typed pointer
 * and store it back on success, as in
 *     void *p = a->v;
 *     if (adt_grow(&p, &a->cap, a->n + 1, sizeof(*a->v)))
 *             return adt_error_set(err, ADT_ENOMEM, "out of memory");
 *     a->v = p;
 */
int adt_grow(void **ptr, size_t *cap, size_t need, size_t elem);

#endif
