/* Mean and standard deviation with compensated sums (see moments.h). */
#include "adthresh/moments.h"

#include <math.h>

void adt_sum_add(struct adt_sum *a, double x)
{
	double t = a->s + x;

	if (fabs(a->s) >= fabs(x))
		a->c += (a->s - t) + x;
	else
		a->c += (x - t) + a->s;
	a->s = t;
}

void adt_sum_merge(struct adt_sum *a, const struct adt_sum *b)
{
	adt_sum_add(a, b->s);
	a->c += b->c;
}

double adt_sum_value(const struct adt_sum *a)
{
	return a->s + a->c;
}

void adt_deviations_add(struct adt_deviations *v, double x, double mean)
{
	double d = x - mean;

	adt_sum_add(&v->d, d);
	adt_sum_add(&v->d2, d * d);
}

void adt_deviations_finish(const struct adt_deviations *v, uint64_t n, double *mean, double *std)
{
	double d = adt_sum_value(&v->d), var;

	var = (adt_sum_value(&v->d2) - d * d / (double)n) / (double)n;
	*mean += d / (double)n;
	/* NaN: squares past DBL_MAX; the threshold cannot be finite. */
	*std = isnan(var) || isinf(var) ? INFINITY : var > 0 ? sqrt(var) : 0;
}

void adt_mean_std(const double *x, size_t n, double *mean, double *std)
{
	struct adt_sum sum = {0, 0};
	struct adt_deviations dev = {{0, 0}, {0, 0}};

	for (size_t i = 0; i < n; i++)
		adt_sum_add(&sum, x[i]);
	*mean = adt_sum_value(&sum) / (double)n;
	for (size_t i = 0; i < n; i++)
		adt_deviations_add(&dev, x[i], *mean);
	adt_deviations_finish(&dev, n, mean, std);
}
