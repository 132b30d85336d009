/* Evaluating a level: from samples to its threshold and metrics. */
#ifndef ADTHRESH_EVAL_H
#define ADTHRESH_EVAL_H

#include "adthresh/error.h"
#include "adthresh/metrics.h"
#include "adthresh/samples.h"

struct adt_eval_opts {
	enum adt_rule rule;
	int allow_one_class; /* nonzero: anomalib's fallback instead of an error */
};

/* Computes the image-level result of s.  level names the level in
 * messages ("image").  Without allow_one_class, a level with no positive
 * or no negative sample fails with ADT_EDATA: "image level has 0
 * anomalous and 12 normal samples; ...".  Empty s fails with ADT_EDATA.
 * Returns 0 or -1 (ADT_EDATA, ADT_ENOMEM). */
int adt_eval_samples(const struct adt_samples *s, const char *level, const struct adt_eval_opts *o,
		     struct adt_level_result *r, struct adt_error *err);

#endif
