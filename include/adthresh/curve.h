/* From scores split by label to a sweep: sort by key, then walk the
 * distinct scores from the highest down, counting each class. */
#ifndef ADTHRESH_CURVE_H
#define ADTHRESH_CURVE_H

#include <stddef.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"

/* Sorts the scores of the positives (pos, npos) and of the negatives
 * (neg, nneg) and feeds every distinct score to s, which must have been
 * started with adt_sweep_init(s, npos, nneg).  The arrays are not
 * modified.  Returns 0, or -1 with ADT_ENOMEM, or ADT_EDATA if a score is
 * NaN. */
int adt_curve_sweep_f64(const double *pos, size_t npos, const double *neg, size_t nneg,
			struct adt_sweep *s, struct adt_error *err);

/* The same for float scores, compared in float precision. */
int adt_curve_sweep_f32(const float *pos, size_t npos, const float *neg, size_t nneg,
			struct adt_sweep *s, struct adt_error *err);

/* A run of keys sorted ascending, all of one class. */
struct adt_keyrun {
	const void *keys; /* uint32_t (float keys) or uint64_t (double keys) */
	size_t n;
	int positive;
};

/* At most this many runs are merged by one walk. */
#define ADT_MAX_RUNS 16

/* Merges sorted runs of float keys (u32) or double keys (u64) from the
 * highest key down and feeds each distinct score with its counts to s.
 * nruns <= ADT_MAX_RUNS; the runs may be empty. */
void adt_curve_walk_u32(const struct adt_keyrun *runs, size_t nruns, struct adt_sweep *s);
void adt_curve_walk_u64(const struct adt_keyrun *runs, size_t nruns, struct adt_sweep *s);

#endif
