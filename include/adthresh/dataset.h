/* A result folder: which map goes with which mask. */
#ifndef ADTHRESH_DATASET_H
#define ADTHRESH_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/imagefile.h"
#include "adthresh/messages.h"
#include "adthresh/raster.h"
#include "adthresh/samples.h"

/* One test image: its map and its mask, from files or from memory. */
struct adt_item {
	char *id;	/* the map's path below the maps root, without extension
			 * ("crack/003"), or the index in a stacked file ("7") */
	char *map_path; /* the file, also for images of a stacked file */
	enum adt_imgfmt map_fmt;
	uint64_t map_index;
	char *mask_path; /* NULL: no mask, every pixel normal */
	enum adt_imgfmt mask_fmt;
	uint64_t mask_index;
	const struct adt_raster *map_mem;  /* in memory instead of map_path */
	const struct adt_raster *mask_mem; /* in memory instead of mask_path */
	/* What the files hold: filled by adt_dataset_pair for the images of a
	 * stacked file (probed once for all of them), else by probing each
	 * item's files in adt_eval_dataset; count 0 until then. */
	struct adt_raster_info map_info, mask_info;
	unsigned long line; /* where a JSON document describes the image; 0 */
};

struct adt_dataset {
	struct adt_item *items;
	size_t n, cap;
	/* The folder (or file) the ids are relative to, for messages: any
	 * path the system opens fits; adt_dataset_pair refuses a longer one. */
	char root[ADT_PATH_MAX + 1];
};

void adt_dataset_init(struct adt_dataset *ds);
void adt_dataset_release(struct adt_dataset *ds);

/* Appends a copy of it (its strings copied, what was probed kept).
 * Returns 0 or -1 with ADT_ENOMEM. */
int adt_dataset_copy_item(struct adt_dataset *ds, const struct adt_item *it, struct adt_error *err);

/* Keeps the items lo .. hi - 1 (lo <= hi <= ds->n), freeing the others. */
void adt_dataset_keep(struct adt_dataset *ds, size_t lo, size_t hi);

/* Appends an item; the strings are copied (mask_path may be NULL).
 * Returns 0 or -1 with ADT_ENOMEM. */
int adt_dataset_add(struct adt_dataset *ds, const char *id, const char *map_path,
		    uint64_t map_index, const char *mask_path, uint64_t mask_index,
		    struct adt_error *err);

/* How folders are paired (adt_dataset_pair); zeroed is the default. */
struct adt_pair_opts {
	const char *mask_suffix; /* what follows the map's name in its mask's:
				  * <id><suffix>.<ext>; NULL: "_mask" */
	const char *split;	 /* the split folder walked in a category
				  * folder; NULL: the first present of test,
				  * test_public, validation, Data/Images */
};

/* The split folders a category folder may hold, in the order they are
 * preferred: MVTec AD's test, MVTec AD 2's test_public and validation,
 * VisA's Data/Images.  NULL-terminated. */
extern const char *const adt_dataset_splits[];

/* Whether dir looks like a category of a data set or of a result tree
 * mirroring one: it holds one of adt_dataset_splits, a ground_truth/ or
 * one of MVTec AD 2's private test splits. */
int adt_dataset_is_category(const char *dir);

/* Pairs maps with masks.  maps and masks are each a folder or a file.
 * Errors name the file or folder concerned, whole (see error.h); one that
 * cannot be opened is ADT_EIO "cannot open: <reason>", and a root of more
 * than ADT_PATH_MAX bytes ADT_EUSAGE "path too long: N bytes ...".
 *
 * Folders are walked recursively in sorted order (hidden entries skipped
 * silently).  The maps walk starts in the split folder (o->split, else the
 * first of adt_dataset_splits present; none: the folder itself).  The
 * masks walk starts in the first present of SPLIT/ground_truth (MVTec AD
 * 2), ground_truth (MVTec AD), Data/Masks (VisA), test_public/ground_truth
 * (no split on the maps side), SPLIT, the folder itself; when SPLIT is
 * validation and the masks folder holds validation/ without ground_truth/
 * (MVTec AD 2: normal images only) there are no masks.  A masks root
 * inside the maps walk is not walked as maps.  MVTec AD 2's private test
 * splits (test_private, test_private_mixed) have no ground truth: beside
 * the split walked, or at the top of a maps walk, they are skipped (a
 * note); o->split naming one is ADT_EUSAGE "split 'S' is a private test
 * split: it has no ground truth"; a walk that found maps only there is
 * ADT_EDATA "no maps found: only private test splits ...".  o->split
 * present in neither folder is ADT_EDATA "no split folder 'S' here nor
 * in 'MASKS' (--split S)".
 *
 * A file counts when its extension is a map format: .tiff, .tif, .npy,
 * .png, .csv, .tsv, .json (never .txt: notes).  Text matrices (.csv, .tsv,
 * .json) count only inside subfolders, so that a scores file beside them
 * is not taken for a map.  Other files are not read; with notes, each
 * is listed: "skipped FILE: not a map format" ("mask" in a masks walk).
 * Notes also say which splits were skipped.
 *
 * A map at <defect>/<id>.<ext> pairs with the mask
 * <defect>/<id><suffix>.<ext> or <defect>/<id>.<ext> below the masks root,
 * in any supported format.  When both walks start in the same folder,
 * files named <id><suffix>.* are the masks and the others the maps (an
 * empty suffix there is ADT_EUSAGE).  A map in a folder named good, ok or
 * normal (any case) needs no mask.  masks NULL: no masks at all, so every
 * map must be in such a folder (a maps file then is ADT_EUSAGE).  Errors
 * (ADT_EDATA, naming the files): an anomalous map without a mask, a mask
 * without a map (both naming the suffix), two masks for one map.
 *
 * Files: a stack of N maps pairs with a stack of N masks by index, image i
 * with image i, whatever the format of each: a stacked NPY ([N,H,W] or
 * [N,1,H,W]) or a TIFF of N pages; a single map file with a single mask
 * file.  The files are probed here, once (errors of the readers, naming
 * the file), and a different count is ADT_EDATA "holds 3 masks but
 * 'maps.tiff' holds 4 maps".  A maps folder with a masks file, or the
 * reverse, is an error.  o may be NULL (the defaults); notes, when not
 * NULL, receives the notes (ADT_MSG_NOTE). */
int adt_dataset_pair(struct adt_dataset *ds, const char *maps, const char *masks,
		     const struct adt_pair_opts *o, struct adt_messages *notes,
		     struct adt_error *err);

/* Fails with ADT_EDATA when two items share an id: two map files for one
 * image (003.tiff and 003.npy) or an image listed twice in a document
 * would count its pixels twice.  The error names the later one. */
int adt_dataset_check_ids(const struct adt_dataset *ds, struct adt_error *err);

/* Checks that the image-level samples s (with ids, or in the same order as
 * the items when s has no ids) name exactly the images of ds: a sample id
 * matches an item when one, without its extension, ends with the other at
 * a folder boundary ("bottle/test/crack/003.png" and "crack/003"; '\' in
 * a sample id counts as '/').  On success item_of[i] (s->n entries, may
 * be NULL) is the item of sample i.
 *
 * Errors (ADT_EDATA, no file; the caller names the scores file), the
 * first that applies, samples taken in order:
 *   - at a sample matching two items, or an item an earlier sample
 *     matched, on its line: "image 'ID' matches map 'ITEM' and another map
 *     too" or "... which another row matches too", ITEM being the first of
 *     its matches (in the items' order) that an earlier sample matched,
 *     else its second;
 *   - "N of M images have no map under 'ROOT', e.g. 'A', 'B', 'C'" (the
 *     first three such samples, at the first one's line);
 *   - "N of M maps have no row in the scores, e.g. 'A', 'B', 'C'" (the
 *     first three such items);
 *   - without ids and a different count: "the scores have N rows and no id
 *     column, the maps M images: add an id column to pair them".
 * ADT_ENOMEM "out of memory".
 *
 * The items' names and their tails after each '/' are sorted once and
 * each sample looked up: O((items + samples) * slashes * log(items)). */
int adt_dataset_match(const struct adt_dataset *ds, const struct adt_samples *s, size_t *item_of,
		      struct adt_error *err);

#endif
