/* The points of a level's curve: one per distinct score, from the highest
 * score down, with the exact counts at it.  PR and ROC both follow from
 * them: recall = tp / P, precision = tp / (tp + fp), FPR = fp / N. */
#ifndef ADTHRESH_POINTS_H
#define ADTHRESH_POINTS_H

#include <stddef.h>
#include <stdint.h>

/* At threshold t: tp positives and fp negatives have score >= t. */
struct adt_point {
	double t;
	uint64_t tp, fp;
};

/* A growable array; zeroed is empty. */
struct adt_points {
	struct adt_point *p;
	size_t n, cap;
	int failed; /* an append could not allocate: the points are incomplete */
};

/* Appends one point; on allocation failure sets pts->failed and drops it. */
void adt_points_push(struct adt_points *pts, double t, uint64_t tp, uint64_t fp);

/* Moves every point of from to the end of to (from is left empty). */
void adt_points_append(struct adt_points *to, struct adt_points *from);

/* Frees the points and empties pts; a zeroed pts is fine. */
void adt_points_free(struct adt_points *pts);

#endif
