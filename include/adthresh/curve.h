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
 * modified.  npos + nneg must be > 0.  Returns 0, or -1 with ADT_ENOMEM,
 * or ADT_EDATA if a score is NaN. */
int adt_curve_sweep_f64(const double *pos, size_t npos, const double *neg, size_t nneg,
			struct adt_sweep *s, struct adt_error *err);

/* The same for float scores, compared in float precision. */
int adt_curve_sweep_f32(const float *pos, size_t npos, const float *neg, size_t nneg,
			struct adt_sweep *s, struct adt_error *err);

#endif
