/* Batch evaluation: every category of a result folder, each with its own
 * thresholds. */
#ifndef ADTHRESH_BATCH_H
#define ADTHRESH_BATCH_H

#include <stddef.h>

#include "adthresh/app.h"
#include "adthresh/error.h"

struct adt_category {
	char *name;
	char *scores; /* NULL: none */
	char *maps;   /* NULL: image level only */
	char *masks;
};

struct adt_categories {
	struct adt_category *v;
	size_t n;
};

/* Lists the categories, sorted by name.  With maps_root: every folder
 * below it (hidden ones skipped) is a category, its masks the folder of
 * the same name below masks_root, its scores <maps>/<name>/scores.csv
 * (or .tsv, .json, .jsonl) when present.  Without: every score file in
 * scores_dir is a category named after the file's stem.  Errors (ADT_EIO,
 * ADT_EDATA): an unreadable folder, no category at all. */
int adt_categories_list(const char *maps_root, const char *masks_root, const char *scores_dir,
			struct adt_categories *c, struct adt_error *err);

void adt_categories_release(struct adt_categories *c);

/* Evaluates category i with a copy of `base` whose inputs are the
 * category's (and whose thresholds, if any, come from given[i]).  Runs up
 * to `threads` categories at once, sharing the threads among them; the
 * results land in out[i] and errs[i], with ok[i] set on success.  With
 * stop_on_error, no category is started after one has failed (those
 * before it in the list are all evaluated; ok[i] of the ones not run is
 * 0 and errs[i] has code ADT_EOK).  After each category,
 * progress(ctx, done, total) is called (one call at a time) when progress
 * is not NULL. */
struct adt_batch_given {
	int has_image, has_pixel;
	double image, pixel;
};

void adt_batch_run(const struct adt_categories *c, const struct adt_job *base,
		   const struct adt_batch_given *given, unsigned threads, int stop_on_error,
		   struct adt_outcome *out, struct adt_error *errs, int *ok,
		   void (*progress)(void *ctx, size_t done, size_t total), void *ctx);

#endif
