/* Saved counts (--save-counts) and their reader (--merge): what a run
 * needs to report the union of several runs over disjoint parts of one
 * data set exactly.  Version 1 of the format, all integers little-endian,
 * "varint" an unsigned LEB128 number of at most 10 bytes in its shortest
 * form:
 *
 *   "ADTCOUNT"           8 bytes
 *   version              u32, 1
 *   flags                u32, ADT_COUNTS_* below; other bits are errors
 *   shard k, n           u32, u32: part k of n (1 <= k <= n), 0 0: none
 *   items                u64: the images of the whole data the shard was
 *                        cut from (0 when not a shard)
 *   cut                  u64: what tells the inputs of a shard from
 *                        others' (a hash of their resolved paths and the
 *                        images' count; nonzero), 0 when not a shard
 *   words                varint count (at most 256), then each option
 *                        word the counts were made with ("--aupro=0.3"):
 *                        varint length (1 to 4096), bytes without NUL
 *   source               varint length (at most 4096), bytes: where the
 *                        image scores came from ("map maxima", a file)
 *   image samples        when ADT_COUNTS_IMAGE: varint n (at least 1),
 *                        then n times: the score as an IEEE double (8
 *                        bytes, finite), the label (1 byte, 0 or 1), and
 *                        with ADT_COUNTS_IDS its id (varint length 0 to
 *                        4096, bytes without NUL): a scores file's id,
 *                        or for an image of maps its id in the run
 *                        ("crack/003", "7" in a stack), "@" and 16
 *                        hexadecimal digits that tell the image from any
 *                        other (a hash of its file's resolved path, its
 *                        index and id), so that runs over other folders
 *                        or stacks do not share an id and one image keeps
 *                        one however its folder was spelt
 *   pixel level          when ADT_COUNTS_PIXEL: varint P (anomalous
 *                        pixels), N (normal pixels), S (distinct scores,
 *                        1 to P + N), R (regions of anomalous pixels,
 *                        with ADT_COUNTS_REGIONS: 1 to P when P > 0, else
 *                        0), then S steps from the highest score down:
 *                        the score's order-preserving key (see sort.h;
 *                        32 bits for float32 maps, 64 with
 *                        ADT_COUNTS_WIDE), the first as a varint and
 *                        each other as a varint difference to the one
 *                        before (at least 1); varint pos, varint neg
 *                        (pos + neg >= 1), and with ADT_COUNTS_REGIONS
 *                        pos varints: the size of each anomalous pixel's
 *                        region (1 to P, at most 2^32 - 1).  The
 *                        steps' pos add up to P and their neg to N; a
 *                        key must be that of a finite score (-0 has
 *                        the key of 0, no other).
 *   defect folders       with ADT_COUNTS_DEFECTS (--per-defect), after the
 *                        pixel level's steps: varint G (1 to 65536), then
 *                        per folder, in strictly increasing bytewise order
 *                        of their names: the name (varint length 1 to
 *                        4096, bytes without NUL or '/'), varint P, N and
 *                        S of its pixels, and its S steps as above without
 *                        region sizes.  The folders' P and N add up to the
 *                        pixel level's.
 *   checksum             u32: zlib's crc32 of every byte before it; the
 *                        file ends there.
 *
 * Merged, the steps of the files are summed at equal scores: the sweep
 * sees exactly the distinct scores and counts of one run over all the
 * data, so thresholds and integer counts are identical, and the sums of
 * reals (AP, AU-PRO) differ only in their order among equal scores. */
#ifndef ADTHRESH_COUNTS_H
#define ADTHRESH_COUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "adthresh/error.h"
#include "adthresh/points.h"
#include "adthresh/samples.h"

#define ADT_COUNTS_VERSION 1

enum {
	ADT_COUNTS_IMAGE = 1,	 /* image samples follow */
	ADT_COUNTS_PIXEL = 2,	 /* a pixel level follows */
	ADT_COUNTS_REGIONS = 4,	 /* its anomalous pixels' region sizes (AU-PRO) */
	ADT_COUNTS_WIDE = 8,	 /* float64 maps: 64-bit keys */
	ADT_COUNTS_SINGLE = 16,	 /* the image scores are float32 values */
	ADT_COUNTS_IDS = 32,	 /* the image samples have ids */
	ADT_COUNTS_IMPLIED = 64, /* the image scores are the maps' maxima */
	ADT_COUNTS_DEFECTS = 128, /* per defect folder, its pixels' steps */
	ADT_COUNTS_FLAGS = 255
};

#define ADT_COUNTS_MAX_WORDS 256
#define ADT_COUNTS_MAX_TEXT 4096

/* What a counts file holds besides its steps. */
struct adt_counts_head {
	unsigned flags;
	uint32_t shard_k, shard_n; /* 0 0: not a shard */
	uint64_t items;		   /* images of the whole data (shards) */
	uint64_t cut;		   /* what the shard was cut from (nonzero) */
	char **words;		   /* nwords option words, owned */
	size_t nwords;
	char *source;		   /* owned, "" when none */
	struct adt_samples images; /* with ADT_COUNTS_IMAGE */
	uint64_t P, N, steps, regions;
};

/* What a run saves.  Everything is borrowed. */
struct adt_counts_save {
	unsigned flags; /* ADT_COUNTS_PIXEL, _REGIONS, _WIDE, _IMAGE, ... */
	uint32_t shard_k, shard_n;
	uint64_t items, cut;
	const char *const *words;
	size_t nwords;
	const char *source;		   /* NULL: "" */
	const struct adt_samples *images;  /* with ADT_COUNTS_IMAGE */
	const struct adt_points *points;   /* every distinct pixel score */
	const uint32_t *region_size;	   /* of each anomalous pixel, in the
					    * points' order (with _REGIONS) */
	uint64_t regions;
	/* With ADT_COUNTS_DEFECTS: ngroups folders sorted by name, each with
	 * every distinct score of its pixels. */
	const char *const *group_name;
	const struct adt_points *group_points;
	size_t ngroups;
};

/* Writes s to f (opened by the caller, binary).  Returns 0, or -1 with
 * ADT_EIO "write error" or the points' read-back error. */
int adt_counts_write(FILE *f, const struct adt_counts_save *s, struct adt_error *err);

struct adt_counts_reader;

/* Opens and reads a counts file up to its steps (f: an open stream read
 * from its start, taken over and closed by adt_counts_close; NULL: open
 * path).  Errors name path: ADT_EIO when it cannot be read, ADT_EFORMAT
 * "byte B: ..." where the file breaks the format ("not an adthresh
 * counts file", "format version 7; this adthresh reads version 1",
 * "the file ends early", ...).  Returns 0, or -1 with *r NULL. */
int adt_counts_open(const char *path, FILE *f, struct adt_counts_reader **r,
		    struct adt_error *err);

/* The head of an open file. */
const struct adt_counts_head *adt_counts_head_of(const struct adt_counts_reader *r);

/* The next step: the key (sort.h, 32-bit keys zero-extended) and the
 * counts, with *sizes the pos region sizes (with ADT_COUNTS_REGIONS;
 * valid until the next call).  Returns 1, 0 after the last step once the
 * checksum and the end of the file are checked, or -1 with
 * ADT_EFORMAT/ADT_EIO naming the file. */
int adt_counts_step(struct adt_counts_reader *r, uint64_t *key, uint64_t *pos, uint64_t *neg,
		    const uint32_t **sizes, struct adt_error *err);

/* Moves the head out of r (r keeps an empty one). */
void adt_counts_take_head(struct adt_counts_reader *r, struct adt_counts_head *h);

/* With ADT_COUNTS_DEFECTS, once adt_counts_step returned 0 for the pixel
 * level (or a folder's last step): the next defect folder, whose steps
 * adt_counts_step reads next (steps of the folder before that are left
 * unread are read and checked here).  Returns 1 with its name (valid
 * until the next call) and pixel counts, 0 after the last folder once the
 * checksum and the end of the file are checked, or -1 with err. */
int adt_counts_next_group(struct adt_counts_reader *r, const char **name, uint64_t *P,
			  uint64_t *N, struct adt_error *err);

/* The score of a key of r's precision. */
double adt_counts_score(const struct adt_counts_reader *r, uint64_t key);

void adt_counts_close(struct adt_counts_reader *r);

/* Frees what a head holds. */
void adt_counts_head_release(struct adt_counts_head *h);

#endif
