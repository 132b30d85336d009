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

/* Defects sorted by name after adt_defects_sort; zeroed is empty.  slot
 * is adt_defects_add's index of the names, so that each image finds its
 * folder in constant time: slots entries (a power of two, at most half
 * used; 0 with slot NULL before the first add and after a sort), each a
 * position in v plus one, or 0 when free. */
struct adt_defects {
	struct adt_defect *v;
	size_t n, cap;
	size_t *slot, slots;
};

/* The folder an image id lies in: its last folder ("test/crack/001.png"
 * and "crack/001" give "crack"), as *start and *len.  Returns -1 when the
 * id has no folder. */
int adt_defect_of(const char *id, const char **start, size_t *len);

/* Adds n samples of one level (0 image, 1 pixel) of image id to its
 * folder's counts, found through the index in constant time on average.
 * Returns 0, or -1 with ADT_EDATA when the id has no folder ("image 'ID'
 * is in no folder; the per-defect breakdown groups images by the folder
 * that holds them (test/<defect>/...)") or ADT_ENOMEM "out of memory". */
int adt_defects_add(struct adt_defects *d, const char *id, int level,
		    const struct adt_defect_counts *c, struct adt_error *err);

/* Sorts the defects by name (bytewise).  Adding after a sort is allowed
 * (the index is rebuilt then). */
void adt_defects_sort(struct adt_defects *d);

void adt_defects_release(struct adt_defects *d);

/* The defect called name in d, or NULL. */
const struct adt_defect *adt_defects_find(const struct adt_defects *d, const char *name);

/* The numbers of a defect row, by the names of the per-defect JSON: the
 * counts n, positives, negatives, tp, fp, fn, tn, then recall (TP /
 * positives), fpr (FP / negatives) and precision (TP / (TP + FP)).  The
 * gates on defect rows walk this list. */
extern const char *const adt_defect_fields[];
extern const size_t adt_defect_field_count;

/* adt_defect_fields comma-separated into buf (cut with "..." only if
 * size is too small), for messages and the help text. */
void adt_defect_field_names(char *buf, size_t size);

/* The index in adt_defect_fields of the field called name, or -1. */
int adt_defect_field_find(const char *name);

/* The value of field k of the counts c; NaN where it is undefined (a
 * rate over no samples). */
double adt_defect_value(const struct adt_defect_counts *c, size_t k);

#endif
