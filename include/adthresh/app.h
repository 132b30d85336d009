/* One evaluation end to end: read the scores and/or the maps and masks,
 * compute both levels.  What the program and a batch run share. */
#ifndef ADTHRESH_APP_H
#define ADTHRESH_APP_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/dataset.h"
#include "adthresh/defects.h"
#include "adthresh/error.h"
#include "adthresh/eval.h"
#include "adthresh/messages.h"
#include "adthresh/metrics.h"
#include "adthresh/perimage.h"
#include "adthresh/points.h"
#include "adthresh/raster.h"
#include "adthresh/read.h"

/* Inputs the caller holds in memory (the library's API, api.h) instead
 * of files: borrowed, never written, never freed. */
struct adt_memory {
	const char *scores_name;     /* the scores in messages and as the image
				      * level's source ("scores") */
	const double *scores;	     /* NULL: none */
	const unsigned char *labels; /* one per score, 0 normal or 1 anomalous */
	size_t nscores;
	const char *maps_name;		/* the maps in messages, as a maps file
					 * ("maps"); image i is named "i" as in
					 * a stacked file */
	const struct adt_raster *maps;	/* NULL: none; nmaps images */
	const struct adt_raster *masks; /* nmaps masks (nonzero = anomalous) */
	size_t nmaps;
};

/* What to read and how.  Strings are borrowed. */
struct adt_job {
	const struct adt_memory *memory; /* NULL: files only; else scores and maps
					  * come from here and scores, maps and
					  * masks are NULL */
	const char *scores;	 /* NULL: none; "-": standard input */
	const char *scores_name; /* how outputs name the scores (NULL: as scores,
				  * "standard input" for "-") */
	const char *maps;	 /* NULL: image level only */
	const char *masks;	 /* NULL: maps is a JSON document (or an error) */
	const char *output[6];	 /* files the run will write (-o, --save-thresholds,
				  * --curves, --plot, --per-image, --save-counts;
				  * NULL or "-": none), which must not be inputs */
	struct adt_read_opts read;
	struct adt_eval_opts image; /* per level: rule, one-class, given threshold */
	struct adt_eval_opts pixel;
	struct adt_pixel_opts pixels;
	struct adt_pair_opts pair; /* how folders of maps and masks pair */
	int verbose;		/* nonzero: collect notes on how the input was read */
	enum adt_record curves; /* which points of each level's curve to keep */
	int per_defect;		/* nonzero: break both levels down by defect folder */
	int per_image;		/* nonzero: list every image (out->images) */
	/* --merge: the counts files whose union is evaluated instead of
	 * inputs (merge.h); nmerge 0: none. */
	const char *const *merge;
	size_t nmerge;
	/* --save-counts: keep what the counts file holds (out->saved), with
	 * the option words the merge will evaluate with. */
	int save_counts;
	const char *const *words;
	size_t nwords;
	uint32_t shard_k, shard_n; /* --shard K/N: evaluate part K of N of
				    * the images (0 0: all) */
};

/* What --save-counts writes of an outcome besides its pixel curve. */
struct adt_saved {
	unsigned flags;		   /* ADT_COUNTS_* of counts.h */
	struct adt_samples images; /* the image level's samples */
	uint32_t *region_size;	   /* AU-PRO's, in sweep order; NULL: none */
	uint64_t regions;
	uint32_t shard_k, shard_n; /* the job's */
	uint64_t items;		   /* images of the whole data (shards) */
	uint64_t cut;		   /* what the shard was cut from (counts.h) */
	const char *const *words;  /* the job's, borrowed */
	size_t nwords;
	/* With --per-defect: each defect folder (sorted by name) and every
	 * distinct score of its pixels. */
	char **group_name;
	struct adt_points *group_points;
	size_t ngroups;
};

struct adt_outcome {
	struct adt_level_result image, pixel;
	int has_image, has_pixel;
	char *source;		    /* where the image level's scores came from (image.source) */
	struct adt_messages msgs;   /* warnings and notes, in the order they arose */
	struct adt_points curve[2]; /* with job->curves: image, pixel */
	struct adt_defects defects; /* with job->per_defect */
	struct adt_perimage images; /* with job->per_image: a row per map in
				     * the order the maps were paired, or per
				     * image of the scores in their order when
				     * there are no maps */
	double *aupimo;		    /* with the pixel level's AUPIMO: each map's, in
				     * the order of the dataset's items, NaN for a
				     * normal image */
	int output_is_input;	    /* the run failed as an output is an input:
				     * no category may go on */
	struct adt_saved *saved;    /* with job->save_counts */
};

/* Frees what an outcome holds (curves, defects, messages); a zeroed one
 * is fine. */
void adt_outcome_release(struct adt_outcome *out);

/* Runs job.  On success fills out (levels present per has_*) and returns 0;
 * else -1 with err naming the file and line where known (ADT_EUSAGE for a
 * combination of inputs that cannot work, such as an output that is one of
 * the inputs: "refusing to overwrite an input with the output").  out's
 * messages are filled in either case (release out in either case).  The
 * image level names its source in out->image.source: the scores file
 * (job->scores_name), "map maxima", or the JSON document that gave
 * pred_score.
 *
 * A JSON results document (job->maps ending in .json or .jsonl, no
 * job->masks) follows the folder rule: an image not known to be normal
 * without a gt_mask is an error (see adt_doc_check_masks).  Warnings in
 * out->msgs, each about the first image concerned with the count:
 *   "FILE:LINE: image 'ID' is labelled anomalous but its mask marks no
 *    pixel (N of M images disagree with their masks)", or "labelled
 *    normal but its mask marks anomalous pixels": a label of the scores
 *    file (FILE), or a gt_label of the document (FILE the document, M
 *    the images with a gt_label), against the image's mask;
 *   "MAP: mask 'MASK' marks anomalous pixels on an image in a normal
 *    folder (N such images); they count as anomalous", in a document
 *    "DOC:LINE: the gt_mask of image 'ID' marks anomalous pixels on an
 *    image in a normal folder (...); they count as anomalous".
 * Inputs in memory (job->memory) follow the rules of files: score i
 * pairs with map i (both named "i"), a score that is not finite is
 * ADT_EDATA "SCORES: element I: score is NaN" (or "is infinite"), I
 * counted from 0, and a label that contradicts its mask is the warning
 * above without a line ("SCORES: image '3' is labelled ...").
 * With job->per_image, out->images gets a row per image (see struct
 * adt_outcome); scores without maps then need ids, else ADT_EUSAGE "the
 * per-image list needs image ids (an id column such as image_path)"
 * naming the scores. */
int adt_evaluate(const struct adt_job *job, struct adt_outcome *out, struct adt_error *err);

/* Whether two paths name the same existing file. */
int adt_same_file(const char *a, const char *b);

#endif
