/* Growing arrays held as (pointer, count, capacity). */
#ifndef ADTHRESH_GROW_H
#define ADTHRESH_GROW_H

#include <stddef.h>

/* Makes room for at least `need` elements of `elem` bytes in *ptr, whose
 * capacity is *cap elements: does nothing when *cap >= need, else
 * reallocates to max(need, 2 * *cap, 8) elements and updates *ptr and
 * *cap.  Returns 0, or -1 when the size overflows size_t or memory runs
 * out (then *ptr and *cap are unchanged). */
int adt_grow(void **ptr, size_t *cap, size_t need, size_t elem);

#endif
