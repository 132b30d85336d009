/* Per-defect breakdown: at each level's chosen threshold, what it flags
 * among the images (and pixels) of each defect folder, so that a
 * threshold that misses one kind of defect shows. */
#ifndef ADTHRESH_DEFECTS_H
#define ADTHRESH_DEFECTS_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"

/* Counts of one level within one defect folder, at the level's
 * threshold: n samples, positives of them anomalous, tp anomalous ones
 * and fp normal ones flagged. */
struct adt_defect_counts {
	uint64_t n, positives, tp, fp;
};

struct adt_defect {
	char *name; /* the folder's name: "good", "broken_large", ... */
	int has[2]; /* the image (0) and pixel (1) level have samples here */
	struct adt_defect_counts lv[2];
};

/* Defects sorted by name after adt_defects_sort; zeroed is empty. */
struct adt_defects {
	struct adt_defect *v;
	size_t n, cap;
};

/* The folder an image id lies in: its last folder ("test/crack/001.png"
 * and "crack/001" give "crack"), as *start and *len.  Returns -1 when the
 * id has no folder. */
int adt_defect_of(const char *id, const char **start, size_t *len);

/* Adds n samples of one level (0 image, 1 pixel) of image id to its
 * folder's counts.  Returns 0, or -1 with ADT_EDATA when the id has no
 * folder ("image 'x' is in no folder; ...") or ADT_ENOMEM. */
int adt_defects_add(struct adt_defects *d, const char *id, int level,
		    const struct adt_defect_counts *c, struct adt_error *err);

/* Sorts the defects by name (bytewise). */
void adt_defects_sort(struct adt_defects *d);

void adt_defects_release(struct adt_defects *d);

#endif
