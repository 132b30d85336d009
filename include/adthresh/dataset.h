/* A result folder: which map goes with which mask. */
#ifndef ADTHRESH_DATASET_H
#define ADTHRESH_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/imagefile.h"
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

/* Appends an item; the strings are copied (mask_path may be NULL).
 * Returns 0 or -1 with ADT_ENOMEM. */
int adt_dataset_add(struct adt_dataset *ds, const char *id, const char *map_path,
		    uint64_t map_index, const char *mask_path, uint64_t mask_index,
		    struct adt_error *err);

/* Pairs maps with masks.  maps and masks are each a folder or a file.
 * Errors name the file or folder concerned, whole (see error.h); one that
 * cannot be opened is ADT_EIO "cannot open: <reason>", and a root of more
 * than ADT_PATH_MAX bytes ADT_EUSAGE "path too long: N bytes ...".
 *
 * Folders are walked recursively in sorted order (hidden entries skipped);
 * a folder with a test/ (maps) or ground_truth/ (masks) subfolder is
 * walked from there.  When both walks start in the same folder, files
 * named <id>_mask.* are the masks and the others the maps.  Text matrices
 * (.csv, .txt, .json) count only inside subfolders, so that a scores file
 * or notes beside them are not taken for maps.  A map at <defect>/<id>.<ext> pairs with
 * the mask <defect>/<id>_mask.<ext> or <defect>/<id>.<ext> below the masks root, in any supported
 * format.  A map in a folder named good, ok or normal needs no mask.  masks
 * NULL: no masks at all, so every map must be in such a folder (a maps
 * file then is ADT_EUSAGE).  One folder given as both without a
 * ground_truth/ subfolder: the masks are its <id>_mask.* files beside the
 * maps, below test/ too.  Errors (ADT_EDATA, naming the
 * files): an anomalous map without a mask, a mask without a map, two masks for one map.
 *
 * Files: a stack of N maps pairs with a stack of N masks by index, image i
 * with image i, whatever the format of each: a stacked NPY ([N,H,W] or
 * [N,1,H,W]) or a TIFF of N pages; a single map file with a single mask
 * file.  The files are probed here, once (errors of the readers, naming
 * the file), and a different count is ADT_EDATA "holds 3 masks but
 * 'maps.tiff' holds 4 maps".  A maps folder with a masks file, or the
 * reverse, is an error. */
int adt_dataset_pair(struct adt_dataset *ds, const char *maps, const char *masks,
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
