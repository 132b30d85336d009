/* Curves as a picture: the precision-recall and ROC curves with the chosen
 * thresholds marked, as SVG, PNG or PDF from one drawing (cairo; curves.h
 * has the points as CSV).  The writer streams over the points and needs no
 * memory beyond the points themselves (24 bytes each, held by the caller)
 * and, for PNG, the image (4 bytes a pixel). */
#ifndef ADTHRESH_PLOT_H
#define ADTHRESH_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "adthresh/curves.h"
#include "adthresh/error.h"

enum adt_plot_format { ADT_PLOT_SVG = 0, ADT_PLOT_PNG, ADT_PLOT_PDF };

/* The format a plot file's name asks for: its extension .svg, .png or
 * .pdf, in any case; standard output ("-") gets SVG.  Returns 0, or -1
 * with ADT_EUSAGE naming path: "unknown plot format: the name must end in
 * .svg, .png or .pdf". */
int adt_plot_format_of(const char *path, enum adt_plot_format *fmt, struct adt_error *err);

/* How a plot is written. */
struct adt_plot_opts {
	enum adt_plot_format format;
	const char *title; /* the heading of a group without a name (a single
			    * run: its input), and the document's title;
			    * NULL: "precision-recall and ROC curves" */
};

/* Draws the ng groups as a grid of cells, a group each, sized for a
 * screen: min(4, ceil(sqrt(ng))) cells a row, so that 15 categories make 4
 * rows of 4 (the cells are about 16:9, the grid too).  A cell is 488 x 276
 * units (24 of its width the gap to the next cell): its heading (the
 * group's name, else o->title), and the precision-recall panel (x recall,
 * y precision) beside the ROC panel (x false positive rate, y true
 * positive rate), each a 180-unit square plot area from 0 to 1 with ticks
 * every 0.2 and their values, the axis labels, and under it a legend line
 * per level: the level's colour (image blue, pixel orange), its name and
 * its AP (PR panel) or AUROC (ROC panel) rounded to 4 decimals.  The ROC
 * panel has the chance diagonal, dashed.  Each chosen threshold is a disc
 * on its curve labelled "t = VALUE" (4 significant digits, a decimal point
 * in every locale) beside it, inside the plot area, clear of the panel's
 * discs and other labels where it can be (on a white ground).  The grid
 * has a 16-unit margin; a unit is scale px (PNG and SVG) or pt (PDF),
 * scale the largest multiple of 1/4 up to 2 that keeps the width within
 * 2000: 992 x 616 px for one group, 1960 x 1136 for 13 to 16.  No group
 * draws "no curves to plot" in a cell's room.
 *
 * The ROC curve runs from (0, 0) through every threshold.  The PR curve
 * starts at (0, 1) and is drawn in steps, as scikit-learn's
 * PrecisionRecallDisplay draws precision_recall_curve: from one threshold
 * to the next lower one, straight down (or up) to the next precision, then
 * across to the next recall, so that the area under it is the AP.  A curve
 * with an undefined axis is not drawn (PR needs positives, ROC positives
 * and negatives), nor is a chosen point with no predicted positive in the
 * PR panel.  Each curve is thinned by adt_thin_push at 0.05 px before it
 * goes to cairo: its drawn shape moves by at most that from the one
 * through every point.
 *
 * SVG draws text as glyph outlines, so the document also carries its text:
 * a <title> (o->title) and a <desc> with every text of the picture but
 * the tick values, one a line, in the order drawn.  A name that is not UTF-8 shows a '?' for each
 * byte that is not part of a character.  The PDF has no creation date, so
 * that the same run writes the same bytes.
 *
 * Returns 0; or -1 when a curve's points are incomplete, before anything
 * is written (adt_curves_check's message); ADT_EDATA "too many categories
 * to plot as PNG: N (at most M)" when the image would pass cairo's 32767
 * px, before anything is written; ADT_ENOMEM "out of memory"; or -1 with
 * ADT_EIO when the points cannot be read back from their temporary file
 * (adt_points_read_error's message; the output then holds nothing usable)
 * or a write fails ("write error"). */
int adt_plot_write(FILE *f, const struct adt_plot_group *g, size_t ng,
		   const struct adt_plot_opts *o, struct adt_error *err);

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

/* The version of cairo this program runs with, for --version. */
void adt_cairo_library_version(char *buf, size_t size);

#endif
