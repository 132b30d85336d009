/* The pixel level: every pixel of every map as an order-preserving key,
 * split by its mask, sorted and swept once.  Keys keep the maps' own
 * precision: 4 bytes a pixel for float32 (and float16, 8/16-bit) maps, 8
 * for float64 maps. */
#ifndef ADTHRESH_PIXELS_H
#define ADTHRESH_PIXELS_H

#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"
#include "adthresh/raster.h"

struct adt_pixels;

/* Room for `capacity` pixels (the sum of all maps' sizes, known from their
 * headers), with double keys when wide != 0.  Returns NULL with
 * ADT_ENOMEM. */
struct adt_pixels *adt_pixels_new(uint64_t capacity, int wide, struct adt_error *err);

/* As adt_pixels_new, within about `memory` bytes (0: no bound) when the
 * keys are floats: 4 bytes a key for the buffer and 4 for the sweep's
 * scratch.  When capacity needs more, the buffer holds memory / 8 keys,
 * at most 256 MiB / 8 (runs of 32 Mi keys are faster than larger ones)
 * but twice the `largest` map's pixels when that fits (a map larger than
 * memory / 8 is ADT_ENOMEM "a map of N pixels needs M MiB for its keys,
 * more than the memory bound (B MiB); raise --memory"); whenever it is
 * full, its normal pixels' keys are bucketed on
 * `threads` threads and appended to a temporary file in $TMPDIR (else
 * /tmp; see tempfile.h), as a run; the anomalous pixels' keys stay in
 * memory, and the buffer grows when they leave less than a quarter of it
 * (the bound then yields to them).  The sweep then counts each bucket across the runs and gives
 * the same result.  Double keys (float64 maps) ignore the bound. */
struct adt_pixels *adt_pixels_new_bounded(uint64_t capacity, int wide, uint64_t memory,
					  uint64_t largest, unsigned threads, struct adt_error *err);

/* Ends the adding: the buffer's last normal keys join the runs when keys
 * spill (a no-op otherwise).  Call after the last adt_pixels_add, before
 * adt_pixels_normal_moments; adt_pixels_sweep calls it too.  Returns 0,
 * or -1 with ADT_EIO (the file is the temporary folder) or ADT_ENOMEM. */
int adt_pixels_finish(struct adt_pixels *px, struct adt_error *err);

/* The normal pixels' keys written to the temporary file so far, and the
 * runs they form (0 when nothing spilled). */
uint64_t adt_pixels_spilled(const struct adt_pixels *px);
uint64_t adt_pixels_runs(const struct adt_pixels *px);

/* Asks px to find the 8-connected regions of every mask added from now
 * on, for AU-PRO.  Costs 4 bytes for each anomalous pixel, 5 bytes a
 * pixel of each image while its mask is labelled, and 16 bytes (24 for
 * float64 maps) for each anomalous pixel while the sweep orders them.
 * Returns 0, or -1 with ADT_ENOMEM. */
int adt_pixels_track_regions(struct adt_pixels *px, struct adt_error *err);

/* The number of regions found so far. */
uint64_t adt_pixels_regions(const struct adt_pixels *px);

/* After adt_pixels_sweep with AU-PRO: hands over the region size of each
 * anomalous pixel in sweep order (adt_pixels_positives entries, freed by
 * the caller; NULL when regions were not tracked), and *regions their
 * number. */
uint32_t *adt_pixels_take_region_sizes(struct adt_pixels *px, uint64_t *regions);

/* Asks the sweep to leave the keys where adt_pixels_add put them, for
 * adt_pixels_count_at (float64 maps then sort a copy: 8 bytes more a
 * pixel). */
void adt_pixels_keep_order(struct adt_pixels *px);

/* Frees px; NULL is fine. */
void adt_pixels_free(struct adt_pixels *px);

/* What one image contributed. */
struct adt_image_stats {
	double max;		 /* the highest score of the map (in its precision) */
	uint64_t pixels;	 /* width * height */
	uint64_t positives;	 /* anomalous pixels of the mask */
	uint64_t pos_at, neg_at; /* where its keys of each class begin */
	uint64_t run;		 /* the run its normal keys went to, when they spill */
	uint64_t tp, fp;	 /* filled by adt_pixels_count_at */
};

/* Adds every pixel of map, anomalous where mask is nonzero (mask NULL: all
 * normal).  map holds F16, F32 or F64 samples, or U8/U16 samples that are
 * scaled to [0, 1] (v / 255, v / 65535) in float precision when scale_int
 * is set.  mask holds any sample type and must be the map's size.  Safe to
 * call from several threads at once.  Errors (ADT_EDATA), without file:
 *   "pixel (x, y) is NaN", "pixel (x, y) is not finite (inf)",
 *   "mask pixel (x, y) is NaN", "a float64 map needs 8-byte keys",
 *   "uint8 samples cannot be a map", "more pixels than announced". */
int adt_pixels_add(struct adt_pixels *px, const struct adt_raster *map, int scale_int,
		   const struct adt_raster *mask, struct adt_image_stats *st,
		   struct adt_error *err);

/* Counts, for each of the n images (their stats as adt_pixels_add filled
 * them), the anomalous pixels (st->tp) and normal pixels (st->fp) that
 * the threshold t flags under rule, comparing in the maps' precision
 * exactly as the sweep does.  Call after adt_pixels_sweep, with the keys
 * kept in order (when keys spill, the normal ones are read back from a
 * second temporary file that holds them in the order they came).  Returns
 * 0, or -1 with ADT_EIO. */
int adt_pixels_count_at(const struct adt_pixels *px, double t, enum adt_rule rule,
			struct adt_image_stats *st, size_t n, struct adt_error *err);

/* The mean and population standard deviation of the normal pixels'
 * scores (float32 maps' values widen exactly), in double on `threads`
 * threads with compensated sums (see moments.h); the same result for any
 * thread count but the order the slices merge in.  Call after every
 * adt_pixels_add and before adt_pixels_sweep.  Returns 0, or -1 with
 * ADT_EDATA "no normal pixel" or ADT_ENOMEM. */
int adt_pixels_normal_moments(const struct adt_pixels *px, unsigned threads, double *mean,
			      double *std, struct adt_error *err);

/* The counts so far. */
uint64_t adt_pixels_positives(const struct adt_pixels *px);
uint64_t adt_pixels_negatives(const struct adt_pixels *px);

/* Prepares AUPIMO up to the shared FPR `upper` (see struct adt_aupimo),
 * after every image was added (st[0..n) as adt_pixels_add filled them),
 * before adt_pixels_sweep: numbers the anomalous images (those whose
 * mask marks a pixel) in item order, tags each anomalous pixel with its
 * image (4 bytes an anomalous pixel, and 16 while the sweep orders them),
 * and tabulates the shared FPR over the highest scores of the normal
 * images: for each, about upper * normal images * its pixels of them
 * (all of them when upper is large; 12 bytes each while they are
 * sorted).  Returns 0, or -1 with ADT_ENOMEM. */
int adt_pixels_track_images(struct adt_pixels *px, const struct adt_image_stats *st, size_t n,
			    double upper, struct adt_error *err);

/* After adt_pixels_track_images: the anomalous and normal images, and the
 * lowest shared FPR above 0 that a threshold gives (that of the highest
 * score of the normal images; 0 without normal images). */
uint64_t adt_pixels_anomalous_images(const struct adt_pixels *px);
uint64_t adt_pixels_normal_images(const struct adt_pixels *px);
double adt_pixels_shared_fpr_min(const struct adt_pixels *px);

/* Counts the keys by distinct score on `threads` threads and feeds every
 * distinct score to s, which this function starts itself (adt_sweep_init
 * with the counts, then adt_sweep_configure with o, which may be NULL).
 * Needs a scratch buffer as large as the keys.  With o->aupro_limit > 0
 * and regions tracked, the sweep computes AU-PRO (o->region_size and
 * o->regions are filled in here); likewise AUPIMO with o->aupimo.upper > 0
 * after adt_pixels_track_images (o->aupimo's arrays filled in here).  Returns 0, or -1 with
 * ADT_ENOMEM. */
int adt_pixels_sweep(struct adt_pixels *px, unsigned threads, const struct adt_sweep_opts *o,
		     struct adt_sweep *s, struct adt_error *err);

#endif
