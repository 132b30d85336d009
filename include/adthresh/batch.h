/* The categories of a result folder, and where each one's image scores
 * come from.  A single run of a category folder and a batch over its
 * parent find the same files by the same rule. */
#ifndef ADTHRESH_BATCH_H
#define ADTHRESH_BATCH_H

#include <stddef.h>

#include "adthresh/error.h"

struct adt_category {
	char *name;   /* NULL: the one category of a single run */
	char *scores; /* NULL: none (the image level comes from the maps) */
	char *source; /* how outputs name the scores: the file's name within
		       * its folder ("scores.csv"); NULL: as scores */
	char *maps;   /* NULL: image level only */
	char *masks;
};

struct adt_categories {
	struct adt_category *v;
	size_t n, cap;
};

/* The scores file of a category folder: dir/scores.csv, .tsv, .json or
 * .jsonl.  Sets *path (malloc'd) to the one present, or NULL when there
 * is none (or dir is not a folder).  Two of them are an error (ADT_EDATA,
 * naming dir): "two score files, 'scores.csv' and 'scores.json'; keep one".
 * Returns 0 or -1 (also ADT_ENOMEM). */
int adt_category_scores(const char *dir, char **path, struct adt_error *err);

/* Lists the categories, sorted by name.  With maps_root: every folder
 * below it (hidden ones skipped) is a category, its masks the folder of
 * the same name below masks_root, its scores found by
 * adt_category_scores (unless map_maxima is set: then none are looked
 * for).  Without: every score file in scores_dir is a category named
 * after the file's stem.  Errors (ADT_EIO, ADT_EDATA): an unreadable
 * folder, no category at all, two score files for one category. */
int adt_categories_list(const char *maps_root, const char *masks_root, const char *scores_dir,
			int map_maxima, struct adt_categories *c, struct adt_error *err);

/* Refuses a folder of categories given to a single run: when dir is not
 * itself a category (adt_dataset_is_category) but folders in it are,
 * ADT_EUSAGE naming dir: "holds categories of a data set ('bottle',
 * 'screw', ...), not one: did you mean --batch?" (the first three in
 * sorted order).  Returns 0 otherwise (dir not a folder included), or -1
 * (also ADT_ENOMEM). */
int adt_categories_refuse_parent(const char *dir, struct adt_error *err);

/* Adds one category; the strings are taken over (freed on failure, and
 * a NULL name counts as out of memory unless single is set).  Returns 0
 * or -1 with ADT_ENOMEM. */
int adt_categories_add(struct adt_categories *c, int single, char *name, char *scores, char *source,
		       char *maps, char *masks, struct adt_error *err);

/* Removes category i (freeing its strings), keeping the order. */
void adt_categories_remove(struct adt_categories *c, size_t i);

void adt_categories_release(struct adt_categories *c);

#endif
