/* Growable arrays (see grow.h). */
#include "adthresh/grow.h"

#include <stdint.h>
#include <stdlib.h>

int adt_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	size_t max = SIZE_MAX / elem; /* the most elements a size_t can measure */
	size_t ncap = *cap ? *cap : ADT_GROW_FIRST;
	void *p;

	if (need <= *cap)
		return 0;
	if (need > max)
		return -1;
	/* Doubling keeps appends amortised O(1); past the limit it stops and
	 * the array gets exactly what was asked, which still fits. */
	while (ncap < need && ncap <= max / 2)
		ncap *= 2;
	if (ncap < need || ncap > max)
		ncap = need;
	p = realloc(*ptr, ncap * elem);
	if (!p)
		return -1;
	*ptr = p;
	*cap = ncap;
	return 0;
}
