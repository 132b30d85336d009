/* The curves of a run: each level's points, the positives and negatives
 * behind them and the chosen threshold, grouped by category; and their
 * points as CSV (--curves).  plot.h draws the same groups.  The writer
 * streams over the points and needs no memory beyond the points
 * themselves (24 bytes each, held by the caller). */
#ifndef ADTHRESH_CURVES_H
#define ADTHRESH_CURVES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"
#include "adthresh/points.h"

/* One level's curve. */
struct adt_plot_curve {
	const char *level;		  /* "image" or "pixel" */
	const struct adt_points *pts;	  /* every distinct threshold, the highest first */
	uint64_t P, N;			  /* positives and negatives of the level */
	const struct adt_level_result *r; /* the chosen threshold (r->tp, r->fp mark the
					     point; r->ap, r->auroc go to the legend); NULL:
					     nothing is marked */
};

/* The curves of one run, or of one category of a batch. */
struct adt_plot_group {
	const char *name;		/* the category in a batch; NULL for a single run */
	const struct adt_plot_curve *c; /* image before pixel */
	size_t n;			/* 0, 1 or 2 curves */
};

/* Writes the points of every curve of the ng groups as CSV with the header
 * `level,threshold,tp,fp,precision,recall,fpr`, preceded by a `category`
 * column when any group has a name (quoted as CSV needs).  Rows follow the
 * groups and their curves in the given order, each curve from its highest
 * threshold down.  precision = tp / (tp + fp), recall = tp / P,
 * fpr = fp / N; they and the threshold are printed in the shortest form
 * that reads back as the same double (adt_format_exact), an undefined
 * ratio (0/0) as an empty field.
 *
 * max_points ADT_CURVES_CORNERS writes the points needed to draw the ROC
 * curve exactly, as scikit-learn's roc_curve(drop_intermediate=True)
 * keeps them: the first and the last point, and every point where the
 * step from the point before (in TP and FP) differs from the step to the
 * point after; a point in the middle of a run of equal steps (a
 * horizontal or vertical run, or one of equal diagonal steps) is left
 * out, its PR point with it.  scikit-learn's curve adds one point in
 * front, (0, 0) above the highest threshold; the rows here start at the
 * highest threshold.
 *
 * max_points ADT_CURVES_THINNED (0, the default) writes those corners
 * thinned to 1e-5: the first and the last point always, and a corner
 * between them only when it lies 1e-5 or more away from the last row
 * written in FPR, recall or precision, the coordinates of both curves.
 * Every corner left out therefore lies less than 1e-5 from the row
 * written before it in each of the three.  The comparison is exact, in
 * integers, with 1e-5 the exact 1/100000, never with rounded quotients:
 * from the row a written last, the corner b moves FPR when fp_b > fp_a
 * and 100000 (fp_b - fp_a) >= N, recall when tp_b > tp_a and
 * 100000 (tp_b - tp_a) >= P, and precision when its numerator
 * d = |tp_b fp_a - tp_a fp_b| (the difference of the two quotients over
 * the common denominator (tp_a + fp_a) (tp_b + fp_b), in 128 bits) is
 * nonzero and at least that denominator / 100000, rounded up.  So a
 * step of one sample in a class of at most 100,000 always moves its
 * coordinate: when both classes of a level have at most 100,000 samples
 * every corner is written, and the rows are exactly those of
 * ADT_CURVES_CORNERS.
 *
 * How many rows that leaves: FPR and recall only grow, from 0 to at most
 * 1, so at most 100,000 rows move each of them by 1e-5 or more.
 * Precision can fall and rise again, but a step from a to b changes it by
 * at most (n_b - n_a) / n_b, n = tp + fp (d is at most (n_b - n_a) n_a),
 * so a row that moves only precision needs the count above the threshold
 * to grow by 1e-5 of itself since the row before: at most
 * 100,000 ln(P + N) such rows, reached only where the classes alternate in
 * clumps growing with that count.  A curve thus has at most
 * 200,002 + 100,000 ln(P + N) rows whatever its number of points (about
 * 2 million at 1e8 samples); the 15 million corners of the 1e8-pixel stack
 * of make bench, whose classes alternate throughout, leave 180,903.
 *
 * max_points ADT_CURVES_EVERY (SIZE_MAX), or any other count >= n, writes
 * every point of a curve of n points.  Otherwise a curve of n > max_points
 * points is thinned to max_points rows chosen evenly by rank: the points
 * round(k (n - 1) / (max_points - 1)), k = 0 .. max_points - 1 (halves
 * rounded up), which always include the first and the last point;
 * max_points 1 keeps only the first (highest) threshold.  (The count
 * SIZE_MAX - 1 is ADT_CURVES_CORNERS, not a count.)
 *
 * Sets *rows (unless rows is NULL) to the rows written, the header not
 * counted.
 *
 * Returns 0; or -1 when a curve's points are incomplete (pts->failed),
 * before anything is written, with adt_points_error's message (ADT_ENOMEM
 * or ADT_EIO); or -1 with ADT_EIO when the points cannot be read back
 * from their temporary file (adt_points_read_error's message) or a write
 * fails ("write error"; the caller still closes f). */
enum { ADT_CURVES_THINNED = 0 };
#define ADT_CURVES_CORNERS (SIZE_MAX - 1)
#define ADT_CURVES_EVERY   SIZE_MAX

int adt_curves_write(FILE *f, const struct adt_plot_group *g, size_t ng, size_t max_points,
		     uint64_t *rows, struct adt_error *err);

/* Returns 0 when the points of every curve of the ng groups are complete,
 * else -1 with adt_points_error's message for the first incomplete one
 * (ADT_ENOMEM "out of memory keeping the LEVEL curve's points", or ADT_EIO
 * naming the temporary file's folder).  Writers call it before they
 * write anything. */
int adt_curves_check(const struct adt_plot_group *g, size_t ng, struct adt_error *err);

/* Starts reading c's points with adt_points_read; a curve without points
 * (c->pts NULL) reads as empty. */
void adt_curves_read_begin(struct adt_points_reader *r, const struct adt_plot_curve *c);

/* num / den, a ratio of a curve's counts; NaN when den is 0. */
double adt_curves_ratio(uint64_t num, uint64_t den);

#endif
