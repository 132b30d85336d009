/* Evaluating a level: from samples to its threshold and metrics. */
#ifndef ADTHRESH_EVAL_H
#define ADTHRESH_EVAL_H

#include <stdint.h>

#include "adthresh/dataset.h"
#include "adthresh/error.h"
#include "adthresh/metrics.h"
#include "adthresh/pixels.h"
#include "adthresh/samples.h"

struct adt_eval_opts {
	enum adt_rule rule;
	int allow_one_class; /* nonzero: anomalib's fallback instead of an error */
	int has_threshold;   /* nonzero: evaluate at `threshold`, do not choose */
	double threshold;
	struct adt_policy policy; /* zeroed means f1 */
	/* Also find these policies' thresholds (r->policies); n 0: none. */
	struct adt_policy_list compare;
	double max_fpr;		  /* 0: no partial AUROC */
	double aupro_limit;	  /* 0: no AU-PRO (pixel level only) */
	/* AUPIMO over the shared FPR from aupimo_lower to aupimo_upper (0:
	 * none; pixel level only).  aupimo_images not NULL: receives each
	 * image's AUPIMO in item order, NaN for a normal image (ds->n
	 * entries, freed by the caller). */
	double aupimo_lower, aupimo_upper;
	double **aupimo_images;
	/* Not NULL, with AU-PRO (pixel level): receive the region size of
	 * each anomalous pixel in the order of the curve's points (freed by
	 * the caller) and the number of regions, for --save-counts. */
	uint32_t **region_sizes;
	uint64_t *regions;
	struct adt_points *curve; /* not NULL: receives the points of the curve */
	enum adt_record record;	  /* which points (ADT_RECORD_ALL or _PLOT) */
	size_t record_memory;	  /* see struct adt_sweep_opts */
};

/* The sweep options of o. */
void adt_eval_sweep_opts(const struct adt_eval_opts *o, struct adt_sweep_opts *so);

/* Whether a level of P anomalous and N normal samples lacks a class its
 * threshold needs: both for most policies, the normal ones for fpr:F and
 * sigma:K; never with a given threshold or allow_one_class. */
int adt_eval_classes_missing(const struct adt_eval_opts *o, uint64_t P, uint64_t N);

/* Whether a level needs the normal scores' mean and standard deviation:
 * its policy, or a compared one, is sigma:K. */
int adt_eval_wants_moments(const struct adt_eval_opts *o, const struct adt_sweep_opts *so);

/* Sets so to count at sigma:K's threshold, mean + K * std of the normal
 * scores, when that is the policy (not with a given threshold), and fixes
 * the thresholds of compared sigma:K policies (NaN mean: undefined).
 * Returns 0, or -1 with ADT_EDATA when the policy's threshold overflows. */
int adt_eval_sigma(const struct adt_eval_opts *o, struct adt_sweep_opts *so, double mean,
		   double std, const char *level, struct adt_error *err);

/* Fills r from a finished sweep s (adt_sweep_result with o->rule; a
 * sigma:K threshold the sweep counted as given is reported as the
 * policy's) and moves its points to o->curve when asked.  Returns 0, or -1 when the
 * points could not all be kept (o->curve is empty then): ADT_ENOMEM or
 * ADT_EIO with adt_points_error's message for the curve of level. */
int adt_eval_finish(struct adt_sweep *s, const char *level, const struct adt_eval_opts *o,
		    struct adt_level_result *r, struct adt_error *err);

/* Computes the image-level result of s.  level names the level in
 * messages ("image").  Without allow_one_class, a level with no positive
 * or no negative sample fails with ADT_EDATA: "image level has 0
 * anomalous and 12 normal samples; ..." (not with a given threshold,
 * where one class only leaves some metrics undefined).  Empty s fails
 * with ADT_EDATA, and so does a policy whose target no threshold meets
 * ("image level: no threshold meets recall:0.99").
 * Returns 0 or -1 (ADT_EDATA, ADT_ENOMEM). */
int adt_eval_samples(const struct adt_samples *s, const char *level, const struct adt_eval_opts *o,
		     struct adt_level_result *r, struct adt_error *err);

/* How far the pixel level is. */
struct adt_pixel_progress {
	uint64_t images, images_total; /* decoded so far, in all */
	uint64_t pixels, pixels_total; /* the same in pixels */
	int counting;		       /* every image decoded: the keys are counted */
};

struct adt_pixel_opts {
	unsigned threads;    /* 0: one per processor */
	uint64_t max_pixels; /* bound on all maps' pixels together; 0: none */
	uint64_t memory;     /* bytes the pixel level's keys may take (--memory);
			      * 0: ADT_MEMORY_DEFAULT */
	/* Told after each decoded image (from any thread: the callee
	 * serialises and throttles), then once before the sweep with every
	 * image done; NULL: not told. */
	void (*progress)(void *ctx, const struct adt_pixel_progress *p);
	void *progress_ctx;
	int resize_masks;    /* nonzero: resize masks to their map's size
			      * (nearest neighbour, as anomalib does) */
};

/* The bound on the pixel level's keys when --memory is not given: the
 * keys of 1.3e8 float32 pixels stay in memory, more spill to a temporary
 * file (see adt_pixels_new_bounded). */
#define ADT_MEMORY_DEFAULT ((uint64_t)1 << 30)

/* po->memory, or the default. */
uint64_t adt_memory_bound(const struct adt_pixel_opts *po);

/* Computes the pixel level of ds: probes every map and mask not probed yet
 * (sizes, sample types; a file that holds several images is then ADT_EDATA
 * "holds 3 pages; in a folder each map and mask file is one image (give a
 * stack as --maps FILE --masks FILE)", "images" for an NPY), decodes them
 * on po->threads threads (the pages of a TIFF stack in order, each thread
 * keeping the file open) into one key buffer, sorts and sweeps it.  Also
 * appends to images one sample per item, in item order: score = the map's
 * maximum, label = whether its mask has an anomalous pixel, id = the
 * item's id (images must be empty).  Errors name
 * the file concerned (and "image N" inside a stacked file): unreadable or
 * corrupt files, maps that are not float (or 8/16-bit PNG), map/mask size
 * mismatches, NaN or infinite pixels, one class only (unless
 * eo->allow_one_class), more pixels than po->max_pixels.  With AUPIMO
 * (ADT_EDATA, naming the root): "--aupimo needs a normal image (a mask
 * that marks no pixel); all N images have anomalous pixels" when the
 * level has both classes but no normal image; "--aupimo lower bound L is
 * below the lowest shared false-positive rate a threshold gives, S (the
 * reachable range is S to 1)" (likewise "upper bound" when both are).
 * Without an anomalous or a normal image in a one-class level its values
 * are undefined (NaN).  With per_image
 * not NULL, *per_image receives what each item contributed (ds->n
 * entries, in item order, freed by the caller), with the pixels of each
 * class the chosen threshold flags (tp, fp). */
int adt_eval_dataset(struct adt_dataset *ds, const struct adt_pixel_opts *po,
		     const struct adt_eval_opts *eo, struct adt_level_result *r,
		     struct adt_samples *images, struct adt_image_stats **per_image,
		     struct adt_error *err);

#endif
