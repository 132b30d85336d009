/* The per-image list (--per-image): every image of a run with its label,
 * its score and what each level's threshold made of it, so that the
 * images behind the counts can be named: which anomalous images the
 * threshold missed, which normal ones raise alarms. */
#ifndef ADTHRESH_PERIMAGE_H
#define ADTHRESH_PERIMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "adthresh/error.h"

/* One image: a few numbers, its id being kept once in the list. */
struct adt_perimage_row {
	size_t name;		    /* the id: an offset in the list's names */
	double score;		    /* image level: the score */
	unsigned char label;	    /* image level: 1 anomalous, 0 normal */
	unsigned char flagged;	    /* image level: the threshold flags it */
	uint64_t pixels, positives; /* pixel level: the map's pixels, and those
				     * its mask marks anomalous */
	uint64_t tp, fp;	    /* pixel level: the anomalous and the normal
				     * pixels the threshold flags */
	double aupimo;		    /* pixel level: the image's AUPIMO (NaN: a
				     * normal image, or none asked for) */
};

/* The images of one category in input order; zeroed is empty. */
struct adt_perimage {
	struct adt_perimage_row *v;
	size_t n, cap;
	char *names; /* the ids one after the other, each ending in NUL */
	size_t names_len, names_cap;
};

/* Appends *row as the image id (copied; the appended row's name is set,
 * row is not changed).  Returns 0, or -1 with ADT_ENOMEM "out of
 * memory" (l is unchanged then). */
int adt_perimage_add(struct adt_perimage *l, const char *id, const struct adt_perimage_row *row,
		     struct adt_error *err);

/* The id of row i (i < l->n). */
const char *adt_perimage_id(const struct adt_perimage *l, size_t i);

/* Frees what l holds; l is empty after. */
void adt_perimage_release(struct adt_perimage *l);

struct adt_result;

/* Writes the per-image list of every entry of res that did not fail, as
 * CSV: a header, then the rows of each entry in its order (entries by
 * category).  Columns: in a batch `category` first; `image` (the id) and
 * `folder` (the folder that holds it as the per-defect breakdown names it,
 * adt_defect_of; empty when none); with an image level `label`, `score`
 * (shortest form that reads back as the same double), `predicted` (1 when
 * the level's threshold and rule flag it) and `outcome` (TP, FP, FN or
 * TN); with a pixel level `pixels`, `anomalous_pixels`, `pixel_tp`,
 * `pixel_fp`, `pixel_fn` and `pixel_tn` at that level's threshold.  A
 * level's columns are there when some entry has the level; an entry
 * without it leaves them empty.  Before anything is written, every level
 * of every entry must have a threshold: else ADT_EDATA "the pixel level
 * has no threshold; the per-image list needs one" (after "category NAME: "
 * in a batch).  A failed write is ADT_EIO "write error". */
int adt_perimage_write(FILE *f, const struct adt_result *res, struct adt_error *err);

#endif
