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

/* Returns -1 with err when the points cannot be read back. */
static int csv_curve(FILE *f, const char *category, const struct adt_plot_curve *c,
		     size_t max_points, struct adt_error *err)
{
	uint64_t n = npoints(c), i = 0, k = 0;
	uint64_t m = max_points == 0 || max_points >= n ? n : max_points;
	struct adt_points_reader r;
	struct adt_point pt;
	int got;

	adt_curves_read_begin(&r, c);
	for (; k < m && (got = adt_points_read(&r, &pt)) == 1; i++) {
		const struct adt_point *p = &pt;

		/* The ranks grow with k, so one pass over the points finds them. */
		if (m < n && i != csv_rank(k, n, m))
			continue;
		k++;

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
	return k == m ? 0 : adt_points_read_error(&r, c->level, err);
}

int adt_curves_write(FILE *f, const struct adt_plot_group *g, size_t ng, size_t max_points,
		     struct adt_error *err)
{
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
			if (csv_curve(f, category, &g[i].c[j], max_points, err))
				return -1;
		}
	}
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}
