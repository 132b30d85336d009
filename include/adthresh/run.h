/* One evaluation pipeline: a job (inputs, options, given or saved
 * thresholds, gates) in, a result (entries, unmet gates, messages) out.
 * A single run is a batch of one category without a name; the same code
 * finds its inputs, evaluates it, checks its gates and hands it to the
 * writers.  Nothing here prints, exits or keeps global state. */
#ifndef ADTHRESH_RUN_H
#define ADTHRESH_RUN_H

#include <stddef.h>

#include "adthresh/app.h"
#include "adthresh/error.h"
#include "adthresh/messages.h"
#include "adthresh/plot.h"

/* The files a run writes, in the order they are written (the one that
 * goes to standard output last). */
enum adt_output_kind {
	ADT_OUTPUT_REPORT = 0, /* -o */
	ADT_OUTPUT_THRESHOLDS, /* --save-thresholds */
	ADT_OUTPUT_CURVES,     /* --curves */
	ADT_OUTPUT_PLOT,       /* --plot */
	ADT_OUTPUT_PER_IMAGE,  /* --per-image */
	ADT_OUTPUT_COUNTS,     /* --save-counts */
	ADT_OUTPUTS
};

/* The option that names each output ("-o", "--save-thresholds", ...). */
const char *adt_output_option(enum adt_output_kind k);

/* What to evaluate and how.  Strings are borrowed and must outlive the
 * result. */
struct adt_run_job {
	int batch;	/* every category of a folder */
	int keep_going; /* batch: report the others when a category fails */
	/* A single run: the scores file ("-": standard input; NULL: none,
	 * then a scores file in the maps folder is used if there is one,
	 * else the map maxima).  A batch without maps: the folder of score
	 * files. */
	const char *scores;
	const char *maps;  /* NULL: image level only */
	int map_maxima;	   /* image scores from the map maxima, never from a
			    * scores file in the maps folder */
	const char *masks; /* NULL: maps is a JSON document */
	/* How each category is read and evaluated; its inputs, outputs and
	 * thresholds are filled in by the run.  eval.memory: a single run of
	 * inputs held in memory, with scores, maps and masks NULL. */
	struct adt_job eval;
	int normalize;		/* also report anomalib's min-max normalisation */
	const char *thresholds; /* --thresholds FILE; NULL: choose them */
	int has_threshold[2];	/* given on the command line: image, pixel */
	double threshold[2];
	const char *gates;	 /* --fail-under GATES; NULL: none */
	const char *const *gate; /* the GATES of each --gate */
	size_t ngate;
	const char *output[ADT_OUTPUTS]; /* NULL: not written; "-": standard output */
	/* After each category of a batch (one call at a time); NULL: none. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *ctx;
};

/* Sets every field to its default (a single run of nothing). */
void adt_run_job_init(struct adt_run_job *job);

/* One evaluated category; the only one of a single run. */
struct adt_entry {
	char *name;				 /* the category; NULL in a single run */
	char *error;				 /* not NULL: the category failed, with this message
						  * ("FILE:LINE: message") */
	struct adt_outcome out;			 /* levels, curves, per-defect table */
	const struct adt_level_result *level[2]; /* image, pixel; NULL when absent
						  * or failed (into out) */
};

/* The result of a run. */
struct adt_result {
	int batch;
	int per_defect;	     /* the entries carry a per-defect table */
	struct adt_entry *v; /* sorted by category name */
	size_t n;
	size_t failed;		   /* categories that failed (batch) */
	int complete;		   /* nonzero: the report can be written (nothing
				    * failed, or --keep-going and no failure stops
				    * the run) */
	struct adt_messages msgs;  /* warnings, notes and failures, in order */
	struct adt_messages unmet; /* the gates not met, one line each */
	size_t gates_unmet;	   /* how many (unmet.n, unless memory ran out) */
};

void adt_result_init(struct adt_result *res);
void adt_result_release(struct adt_result *res);

/* Runs job into res (initialised by the caller).  In order:
 *  - the files the run reads or writes must be distinct (ADT_EUSAGE
 *    "FILE: given to both -o and --plot");
 *  - the gates must parse and name what the run has (ADT_EUSAGE);
 *  - the thresholds file is read (errors name it; a rule other than the
 *    job's is a warning) and merged with the thresholds the options give
 *    (the options win); every level of every category must then have a
 *    threshold ("FILE: no pixel threshold for category bottle"); a
 *    category of the file matches the folder it was written from
 *    (adt_format_json_same: bytes that are not UTF-8 read back as U+FFFD);
 *  - the categories are found (a batch) and evaluated; in a batch each
 *    failure is a message "category NAME: why" and counted in
 *    res->failed, and res->complete says whether the report may still be
 *    written;
 *  - the gates are checked: the unmet ones land in res->unmet (a defect
 *    gate whose folder no category in its scope has is ADT_EDATA, see
 *    adt_gates_check).
 * Returns 0, or -1 with err (a single run's failure, or an error that
 * concerns the whole run); res->msgs holds what was said until then in
 * either case. */
int adt_run(const struct adt_run_job *job, struct adt_result *res, struct adt_error *err);

/* The curves of the result's entries as plot groups: one group per entry
 * that did not fail and has a level (named in a batch), the image curve
 * before the pixel curve.  *g (groups and curves in one block) is freed
 * by the caller.  Returns 0, or -1 with ADT_ENOMEM. */
int adt_result_plot_groups(const struct adt_result *res, struct adt_plot_group **g, size_t *ng,
			   struct adt_error *err);

#endif
