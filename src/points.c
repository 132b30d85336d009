/* Curve points (see points.h). */
#include "adthresh/points.h"

#include <stdlib.h>
#include <string.h>

static int reserve(struct adt_points *pts, size_t more)
{
	size_t cap = pts->cap ? pts->cap : 256;
	struct adt_point *p;

	if (pts->n + more <= pts->cap)
		return 0;
	while (cap < pts->n + more) {
		if (cap > SIZE_MAX / 2 / sizeof(*p))
			return -1;
		cap *= 2;
	}
	p = realloc(pts->p, cap * sizeof(*p));
	if (!p)
		return -1;
	pts->p = p;
	pts->cap = cap;
	return 0;
}

void adt_points_push(struct adt_points *pts, double t, uint64_t tp, uint64_t fp)
{
	if (pts->failed || reserve(pts, 1)) {
		pts->failed = 1;
		return;
	}
	pts->p[pts->n++] = (struct adt_point){t, tp, fp};
}

void adt_points_append(struct adt_points *to, struct adt_points *from)
{
	if (from->failed)
		to->failed = 1;
	if (!to->failed && to->n == 0) {
		adt_points_free(to);
		*to = *from;
		memset(from, 0, sizeof(*from));
		return;
	}
	if (!to->failed && reserve(to, from->n) == 0) {
		memcpy(to->p + to->n, from->p, from->n * sizeof(*from->p));
		to->n += from->n;
	} else {
		to->failed = 1;
	}
	adt_points_free(from);
}

void adt_points_free(struct adt_points *pts)
{
	free(pts->p);
	memset(pts, 0, sizeof(*pts));
}
