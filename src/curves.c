/* Curve points as CSV (see curves.h). */
#include "adthresh/curves.h"

#include <math.h>

#include "adthresh/format.h"

/* Ranks of a thinned CSV curve are computed exactly: k (n - 1) can pass
 * 64 bits for a long curve and a large max_points. */
__extension__ typedef unsigned __int128 u128;

double adt_curves_ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : NAN;
}

int adt_curves_check(const struct adt_plot_group *g, size_t ng, struct adt_error *err)
{
	for (size_t i = 0; i < ng; i++) {
		for (size_t j = 0; j < g[i].n; j++) {
			const struct adt_plot_curve *c = &g[i].c[j];

			if (c->pts && c->pts->failed)
				return adt_points_error(c->pts, c->level, err);
		}
	}
	return 0;
}

void adt_curves_read_begin(struct adt_points_reader *r, const struct adt_plot_curve *c)
{
	static const struct adt_points none;

	adt_points_read_begin(r, c->pts ? c->pts : &none);
}

static uint64_t npoints(const struct adt_plot_curve *c)
{
	return c->pts ? adt_points_count(c->pts) : 0;
}

/* ,x in its shortest exact form, or an empty field for an undefined
 * value. */
static void csv_real(FILE *f, double x)
{
	char v[ADT_NUMBER_SIZE];

	adt_format_exact(v, sizeof(v), x, "");
	fprintf(f, ",%s", v);
}

/* The rank of the k-th of m rows chosen evenly from n > m points, m >= 1:
 * round(k (n - 1) / (m - 1)), halves up. */
static uint64_t csv_rank(uint64_t k, uint64_t n, uint64_t m)
{
	if (m == 1)
		return 0;
	return (uint64_t)(((u128)2 * k * (n - 1) + (m - 1)) / ((u128)2 * (m - 1)));
}

/* One row: the point p of curve c. */
static void csv_row(FILE *f, const char *category, const struct adt_plot_curve *c,
		    const struct adt_point *p)
{
	if (category) {
		adt_format_csv_field(f, category);
		fputc(',', f);
	}
	adt_format_csv_field(f, c->level);
	csv_real(f, p->t);
	fprintf(f, ",%llu,%llu", (unsigned long long)p->tp, (unsigned long long)p->fp);
	csv_real(f, adt_curves_ratio(p->tp, p->tp + p->fp));
	csv_real(f, adt_curves_ratio(p->tp, c->P));
	csv_real(f, adt_curves_ratio(p->fp, c->N));
	fputc('\n', f);
}

/* Whether b, the point between a and c, is a corner: the step from a to
 * b differs from the step from b to c in TP or in FP (a nonzero second
 * difference, scikit-learn's drop_intermediate test). */
static int corner(const struct adt_point *a, const struct adt_point *b, const struct adt_point *c)
{
	return b->tp - a->tp != c->tp - b->tp || b->fp - a->fp != c->fp - b->fp;
}

/* Whether b, a point after a on curve c, lies 1e-5 or more from a in FPR,
 * recall or precision (curves.h).  In integers, so that a step of exactly
 * 1e-5 (one sample in a class of 100,000) counts as one: the doubles
 * fp_b / N - fp_a / N can round below 1e-5. */
static int moved(const struct adt_plot_curve *c, const struct adt_point *a,
		 const struct adt_point *b)
{
	enum { TOL = 100000 }; /* 1 / 1e-5 */
	uint64_t dtp = b->tp - a->tp, dfp = b->fp - a->fp;
	u128 x = (u128)b->tp * a->fp, y = (u128)a->tp * b->fp;
	u128 d = x > y ? x - y : y - x;
	/* Each count is at most P + N, which fits 64 bits: the product fits
	 * 128, and 100000 d >= den is d >= den / 100000 rounded up. */
	u128 den = (u128)(a->tp + a->fp) * (b->tp + b->fp);

	if (dfp && (u128)dfp * TOL >= c->N)
		return 1;
	if (dtp && (u128)dtp * TOL >= c->P)
		return 1;
	return d && d >= den / TOL + (den % TOL != 0);
}

/* The corners of curve c: the first and the last point and every corner
 * between them, found with one point of look-ahead; with thin, only the
 * corners that moved 1e-5 from the last row written (curves.h).  Adds
 * the rows written to *rows; returns -1 with err when the points cannot
 * be read back. */
static int csv_corners(FILE *f, const char *category, const struct adt_plot_curve *c, int thin,
		       uint64_t *rows, struct adt_error *err)
{
	uint64_t n = npoints(c), i;
	struct adt_points_reader r;
	struct adt_point pt[3], last = {0, 0, 0};
	int got = 1;

	adt_curves_read_begin(&r, c);
	for (i = 0; i < n && (got = adt_points_read(&r, &pt[i < 2 ? i : 2])) == 1; i++) {
		if (i == 0) {
			csv_row(f, category, c, &pt[0]);
			last = pt[0];
			++*rows;
			continue;
		}
		if (i == 1)
			continue;
		/* pt[0], pt[1], pt[2]: the points i - 2, i - 1 and i. */
		if (corner(&pt[0], &pt[1], &pt[2]) && (!thin || moved(c, &last, &pt[1]))) {
			csv_row(f, category, c, &pt[1]);
			last = pt[1];
			++*rows;
		}
		pt[0] = pt[1];
		pt[1] = pt[2];
	}
	if (got != 1)
		return adt_points_read_error(&r, c->level, err);
	if (n >= 2) {
		csv_row(f, category, c, &pt[1]);
		++*rows;
	}
	return 0;
}

/* The points of curve c, thinned to max_points rows (SIZE_MAX: all).
 * Adds the rows written to *rows; returns -1 with err when the points
 * cannot be read back. */
static int csv_curve(FILE *f, const char *category, const struct adt_plot_curve *c,
		     size_t max_points, uint64_t *rows, struct adt_error *err)
{
	uint64_t n = npoints(c), i = 0, k = 0;
	uint64_t m = max_points >= n ? n : max_points;
	struct adt_points_reader r;
	struct adt_point pt;
	int got;

	adt_curves_read_begin(&r, c);
	for (; k < m && (got = adt_points_read(&r, &pt)) == 1; i++) {
		/* The ranks grow with k, so one pass over the points finds them. */
		if (m < n && i != csv_rank(k, n, m))
			continue;
		k++;
		csv_row(f, category, c, &pt);
	}
	*rows += k;
	return k == m ? 0 : adt_points_read_error(&r, c->level, err);
}

int adt_curves_write(FILE *f, const struct adt_plot_group *g, size_t ng, size_t max_points,
		     uint64_t *rows, struct adt_error *err)
{
	uint64_t written = 0;
	int named = 0;

	if (adt_curves_check(g, ng, err))
		return -1;
	for (size_t i = 0; i < ng; i++)
		named |= g[i].name != NULL;
	fprintf(f, "%slevel,threshold,tp,fp,precision,recall,fpr\n", named ? "category," : "");
	for (size_t i = 0; i < ng; i++) {
		/* A single run among named groups still needs its column. */
		const char *category = named ? (g[i].name ? g[i].name : "") : NULL;

		for (size_t j = 0; j < g[i].n; j++) {
			const struct adt_plot_curve *c = &g[i].c[j];

			if (max_points == ADT_CURVES_THINNED || max_points == ADT_CURVES_CORNERS
				? csv_corners(f, category, c, max_points == ADT_CURVES_THINNED,
					      &written, err)
				: csv_curve(f, category, c, max_points, &written, err))
				return -1;
		}
	}
	if (rows)
		*rows = written;
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}
