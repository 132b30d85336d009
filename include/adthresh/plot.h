/* Curves as a picture: an SVG plot of the precision-recall and ROC curves
 * with the chosen threshold marked (curves.h has them as CSV, and the
 * curves themselves).  The writer streams over the points and needs no
 * memory beyond the points themselves (24 bytes each, held by the
 * caller). */
#ifndef ADTHRESH_PLOT_H
#define ADTHRESH_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "adthresh/curves.h"
#include "adthresh/error.h"

/* Writes an SVG image: a row per group of two panels, precision-recall
 * (x recall, y precision) and ROC (x false-positive rate, y recall), both
 * axes from 0 to 1.  Each curve is a <polyline>, the image level and the
 * pixel level in two colours; the legend under each panel names them with
 * their AP (PR panel) or AUROC (ROC panel) rounded to 4 decimals, and a
 * <circle> marks each chosen threshold, with a <title> tooltip giving it
 * (shortest round-trip form), the rule, the policy, and precision, recall
 * and FPR with their counts.
 *
 * The ROC curve runs from (0, 0) through every threshold.  The PR curve
 * starts at (0, 1) and is drawn in steps, as scikit-learn's
 * PrecisionRecallDisplay draws precision_recall_curve: from one threshold
 * to the next lower one, straight down (or up) to the next precision, then
 * across to the next recall, so that the area under it is the AP.  A curve
 * with an undefined axis is not drawn (PR needs positives, ROC positives
 * and negatives), nor is a chosen point with no predicted positive in the
 * PR panel.  Each polyline is thinned by adt_thin_push at 0.05 px: its
 * drawn shape moves by at most that from the one through every point.
 *
 * Coordinates and rounded numbers are built from integers, so they read
 * the same in every locale; the threshold in a tooltip, like the exact
 * numbers of adt_curves_write, follows LC_NUMERIC (the C locale unless the program
 * calls setlocale).
 *
 * Returns 0; or -1 when a curve's points are incomplete, before anything
 * is written (adt_curves_check's message); or -1 with ADT_EIO when the
 * points cannot be read back from their temporary file
 * (adt_points_read_error's message) or a write fails ("write error"). */
int adt_plot_write(FILE *f, const struct adt_plot_group *g, size_t ng, struct adt_error *err);

/* Streaming simplification of a polyline: drops the vertices that lie
 * within tol of the kept polyline, in one pass, O(1) time per vertex and
 * no memory.  It is the sleeve (angular wedge) method of Zhao and
 * Saalfeld: from the last kept vertex (the anchor), a vertex is dropped as
 * long as the segment from the anchor to the newest vertex passes within
 * tol of every vertex in between; the first one that breaks this makes
 * the vertex before it the new anchor.  The guarantee: every dropped
 * vertex lies within distance tol of the segment joining the kept
 * vertices around it, so the drawn shape moves by at most tol.  The first
 * and the last vertex are always kept. */
struct adt_thin {
	double tol;
	size_t n;		   /* vertices fed so far */
	double ax, ay;		   /* the anchor */
	double px, py;		   /* the vertex fed last */
	int pending;		   /* the vertex fed last is not kept yet */
	int wedge;		   /* some vertex since the anchor is farther than 4/5 tol */
	double lox, loy, hix, hiy; /* the wedge of allowed directions from the anchor */
	double far2;		   /* the largest squared distance from the anchor */
	double reach2;		   /* the squared length a segment from the anchor needs */
};

/* Starts a polyline; tol > 0. */
void adt_thin_init(struct adt_thin *s, double tol);

/* Feeds the next vertex (x, y), finite.  Returns 1 when a vertex is kept
 * now, with its coordinates in kept: the first vertex on the first call,
 * otherwise the vertex fed just before this one.  Returns 0 otherwise. */
int adt_thin_push(struct adt_thin *s, double x, double y, double kept[2]);

/* Ends the polyline: returns 1 with the last vertex in kept when it is not
 * kept yet (always, unless the polyline has fewer than two vertices), 0
 * otherwise.  s is then ready for the next polyline, with the same tol. */
int adt_thin_end(struct adt_thin *s, double kept[2]);

/* The same for a polyline held in arrays: stores the indexes of the kept
 * vertices, increasing, in keep (room for n) and returns their count. */
size_t adt_thin(const double *x, const double *y, size_t n, double tol, size_t *keep);

#endif
