/* The mean and the population standard deviation of many doubles, for
 * the sigma:K policy: two passes with compensated sums, so that the
 * result is correct to about 1e-15 relative whatever the count (a single
 * pass of sums of squares loses everything when the spread is small
 * beside the mean). */
#ifndef ADTHRESH_MOMENTS_H
#define ADTHRESH_MOMENTS_H

#include <stddef.h>
#include <stdint.h>

/* A compensated sum (Neumaier's): the value is s + c.  Zeroed is 0. */
struct adt_sum {
	double s, c;
};

void adt_sum_add(struct adt_sum *a, double x);

/* Adds b's value to a. */
void adt_sum_merge(struct adt_sum *a, const struct adt_sum *b);

double adt_sum_value(const struct adt_sum *a);

/* The second pass: the deviations from the mean of the first pass, and
 * their squares.  Parts of the data merge by adding both sums. */
struct adt_deviations {
	struct adt_sum d, d2;
};

void adt_deviations_add(struct adt_deviations *v, double x, double mean);

/* From the deviations of n > 0 values from *mean (the first pass's sum
 * over n): corrects *mean by the mean deviation, which undoes the
 * rounding of the first pass, and sets *std to the population standard
 * deviation (infinite when the squares overflow). */
void adt_deviations_finish(const struct adt_deviations *v, uint64_t n, double *mean, double *std);

/* The mean and population standard deviation of x[0..n), n > 0. */
void adt_mean_std(const double *x, size_t n, double *mean, double *std);

#endif
