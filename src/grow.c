/* Growing arrays (see grow.h). */
#include "adthresh/grow.h"

#include <stdint.h>
#include <stdlib.h>

int adt_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap;
	void *p;

	if (need <= n)
		return 0;
	n = n > SIZE_MAX / 2 ? need : 2 * n;
	if (n < need)
		n = need;
	if (n < 8)
		n = 8;
	if (elem == 0 || n > SIZE_MAX / elem)
		return -1;
	p = realloc(*ptr, n * elem);
	if (!p)
		return -1;
	*ptr = p;
	*cap = n;
	return 0;
}
