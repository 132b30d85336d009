/* The PR / ROC plot as SVG (see plot.h). */
#include "adthresh/plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/format.h"

/* ---- thinning ---- */

/* The tolerance is spent on two errors: how far beside the segment a
 * dropped vertex may lie (4/5 of it) and how far past the segment's end
 * (3/5 of it), together at most tol (a 3-4-5 triangle).  Allowing the
 * second lets a vertex that falls back a little, as a PR curve's precision
 * wobbles by a hundredth of a pixel between thresholds, be dropped. */
#define SIDE  0.8
#define AHEAD 0.6

void adt_thin_init(struct adt_thin *s, double tol)
{
	memset(s, 0, sizeof(*s));
	s->tol = tol;
}

/* (x, y) becomes the anchor, with no vertex after it yet. */
static void thin_restart(struct adt_thin *s, double x, double y)
{
	s->ax = x;
	s->ay = y;
	s->wedge = 0;
	s->far2 = 0;
	s->reach2 = 0;
}

static double cross(double ax, double ay, double bx, double by)
{
	return ax * by - ay * bx;
}

/* Whether the segment from the anchor to (x, y) passes within tol of every
 * vertex since the anchor.  A vertex at distance d > w = SIDE tol lies
 * within w of the line through the anchor in direction u exactly when u
 * is within asin(w / d) of its direction; the stored wedge is the
 * intersection of those, so every such vertex is within w of the line.
 * The wedge is narrower than a half-turn, so each vertex projects ahead
 * of the anchor, and it projects at most AHEAD tol past the end when the
 * segment is at least d - AHEAD tol long, which is the reach2 test.  That
 * test also keeps every point where the polyline doubles back by more. */
static int thin_fits(const struct adt_thin *s, double x, double y)
{
	double dx = x - s->ax, dy = y - s->ay;

	if (!s->wedge)
		return 1;
	if (dx * dx + dy * dy < s->reach2)
		return 0;
	/* The two half-planes alone also admit the opposite direction when
	 * the wedge has closed to a line; the dot product rules it out. */
	return cross(s->lox, s->loy, dx, dy) >= 0 && cross(dx, dy, s->hix, s->hiy) >= 0 &&
	       dx * (s->lox + s->hix) + dy * (s->loy + s->hiy) > 0;
}

/* Narrows the wedge by the vertex at (dx, dy) from the anchor, d2 its
 * squared distance, d2 > w^2: its own wedge is its direction turned either
 * way by asin(w / d).  The bounds are kept as vectors of any length (only
 * the signs of cross and dot products are used), which spares a division
 * and the trigonometry. */
static void thin_narrow(struct adt_thin *s, double dx, double dy, double d2, double w)
{
	double c = sqrt(d2 - w * w);
	double lox = dx * c + dy * w, loy = dy * c - dx * w;
	double hix = dx * c - dy * w, hiy = dy * c + dx * w;

	if (!s->wedge) {
		s->wedge = 1;
		s->lox = lox;
		s->loy = loy;
		s->hix = hix;
		s->hiy = hiy;
		return;
	}
	/* Both wedges contain the vertex's direction, so each bound of the
	 * intersection is the tighter of the two. */
	if (cross(s->lox, s->loy, lox, loy) > 0) {
		s->lox = lox;
		s->loy = loy;
	}
	if (cross(hix, hiy, s->hix, s->hiy) > 0) {
		s->hix = hix;
		s->hiy = hiy;
	}
}

int adt_thin_push(struct adt_thin *s, double x, double y, double kept[2])
{
	int out = 0;
	double dx, dy, d2, w = SIDE * s->tol;

	if (s->n++ == 0) {
		thin_restart(s, x, y);
		s->px = kept[0] = x;
		s->py = kept[1] = y;
		s->pending = 0;
		return 1;
	}
	if (!thin_fits(s, x, y)) {
		/* The vertex before this one is the farthest the anchor's
		 * segment reaches: keep it and start again from it. */
		thin_restart(s, s->px, s->py);
		kept[0] = s->px;
		kept[1] = s->py;
		out = 1;
	}
	dx = x - s->ax;
	dy = y - s->ay;
	d2 = dx * dx + dy * dy;
	/* A vertex within w of the anchor is within w of any segment from it. */
	if (d2 > w * w) {
		thin_narrow(s, dx, dy, d2, w);
		if (d2 > s->far2) {
			double reach = sqrt(d2) - AHEAD * s->tol;

			s->far2 = d2;
			s->reach2 = reach > 0 ? reach * reach : 0;
		}
	}
	s->px = x;
	s->py = y;
	s->pending = 1;
	return out;
}

int adt_thin_end(struct adt_thin *s, double kept[2])
{
	int out = s->pending;

	if (out) {
		kept[0] = s->px;
		kept[1] = s->py;
	}
	adt_thin_init(s, s->tol);
	return out;
}

size_t adt_thin(const double *x, const double *y, size_t n, double tol, size_t *keep)
{
	struct adt_thin s;
	double k[2];
	size_t m = 0;

	adt_thin_init(&s, tol);
	for (size_t i = 0; i < n; i++) {
		if (adt_thin_push(&s, x[i], y[i], k))
			keep[m++] = i ? i - 1 : 0;
	}
	if (adt_thin_end(&s, k))
		keep[m++] = n - 1;
	return m;
}

/* ---- SVG ---- */

/* The layout, in px: a panel is a plot area of PW x PH with margins for
 * the title (top), the tick labels and axis titles (left, bottom) and the
 * legend (under the x axis title). */
enum {
	PANEL_W = 400,
	PANEL_H = 440,
	ML = 64,     /* left of the plot area */
	MT = 40,     /* above it */
	PW = 300,    /* its width */
	PH = 300,    /* its height */
	LEGEND = 56, /* from its bottom to the first legend line */
	LINE = 18    /* between legend lines */
};

/* Vertices closer than this to the drawn line are dropped: far below what
 * a screen or a printer at any sensible zoom can show. */
#define THIN_TOL 0.05

/* Formats v with `decimals` (2 or 4) decimals from an integer, so that the
 * decimal point is a point in every locale. */
static void fixed(char *buf, size_t size, double v, int decimals)
{
	long long scale = decimals == 4 ? 10000 : 100;
	long long q = llround(v * (double)scale);

	snprintf(buf, size, "%s%lld.%0*lld", q < 0 ? "-" : "", llabs(q) / scale, decimals,
		 llabs(q) % scale);
}

/* 4 decimals for people, or n/a. */
static void rounded4(char *buf, size_t size, double v)
{
	if (!isfinite(v))
		snprintf(buf, size, "n/a");
	else
		fixed(buf, size, v, 4);
}

/* The length of the UTF-8 sequence at p when it is well-formed and a
 * character XML 1.0 allows, else 0. */
static size_t xml_char_len(const unsigned char *p)
{
	uint32_t c;
	size_t len = adt_format_utf8_char((const char *)p, &c);

	if (len == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
		return 0;
	return c == 0xfffe || c == 0xffff ? 0 : len;
}

/* Writes s as XML character data.  Category names come from folder names,
 * which can hold any byte: a byte that is not part of a character XML
 * allows becomes '?', so that the document stays well-formed. */
static void xml_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t len = xml_char_len(p);

		if (len == 0) {
			fputc('?', f);
			p++;
			continue;
		}
		if (*p == '&')
			fputs("&amp;", f);
		else if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '"')
			fputs("&quot;", f);
		else
			fwrite(p, 1, len, f);
		p += len;
	}
}

/* Image blue and pixel orange (matplotlib's first two colours), by level
 * name so that a category with only one level keeps its colour. */
static const char *level_colour(const struct adt_plot_curve *c, size_t j)
{
	if (c->level && strcmp(c->level, "image") == 0)
		return "#1f77b4";
	if (c->level && strcmp(c->level, "pixel") == 0)
		return "#ff7f0e";
	return j == 0 ? "#2ca02c" : "#9467bd";
}

/* A panel's plot area: its top-left corner in the document. */
struct area {
	double x0, y0;
};

static double px_x(const struct area *a, double fx)
{
	return a->x0 + fx * PW;
}

static double px_y(const struct area *a, double fy)
{
	return a->y0 + (1 - fy) * PH;
}

/* A <polyline> being written: its vertices go through the thinning. */
struct polyline {
	FILE *f;
	const struct area *a;
	struct adt_thin thin;
	size_t kept;
};

static void poly_put(struct polyline *pl, const double v[2])
{
	char x[40], y[40];

	fixed(x, sizeof(x), v[0], 2);
	fixed(y, sizeof(y), v[1], 2);
	/* A line break now and then keeps the lines of the file short. */
	fprintf(pl->f, "%s%s,%s", pl->kept == 0 ? "" : pl->kept % 8 ? " " : "\n", x, y);
	pl->kept++;
}

static void poly_begin(struct polyline *pl, FILE *f, const struct area *a, const char *colour)
{
	pl->f = f;
	pl->a = a;
	pl->kept = 0;
	adt_thin_init(&pl->thin, THIN_TOL);
	fprintf(f,
		"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
		"stroke-linejoin=\"round\" points=\"",
		colour);
}

/* The vertex at (fx, fy) in curve coordinates. */
static void poly_vertex(struct polyline *pl, double fx, double fy)
{
	double k[2];

	if (adt_thin_push(&pl->thin, px_x(pl->a, fx), px_y(pl->a, fy), k))
		poly_put(pl, k);
}

static void poly_end(struct polyline *pl)
{
	double k[2];

	if (adt_thin_end(&pl->thin, k))
		poly_put(pl, k);
	fputs("\"/>\n", pl->f);
}

/* The ROC curve: from (0, 0) straight through every threshold.  Returns
 * -1 with err when the points cannot be read back. */
static int roc_polyline(FILE *f, const struct area *a, const struct adt_plot_curve *c,
			const char *colour, struct adt_error *err)
{
	struct polyline pl;
	double P = (double)c->P, N = (double)c->N;

	struct adt_points_reader r;
	struct adt_point p;
	int got;

	poly_begin(&pl, f, a, colour);
	poly_vertex(&pl, 0, 0);
	adt_curves_read_begin(&r, c);
	while ((got = adt_points_read(&r, &p)) == 1)
		poly_vertex(&pl, (double)p.fp / N, (double)p.tp / P);
	poly_end(&pl);
	return got < 0 ? adt_points_read_error(&r, c->level, err) : 0;
}

/* The PR curve in steps from (0, 1): from one threshold, down or up to the
 * next one's precision, then across to its recall.  The area under it is
 * the step-wise AP, sum (R_k - R_k-1) P_k. */
static int pr_polyline(FILE *f, const struct area *a, const struct adt_plot_curve *c,
		       const char *colour, struct adt_error *err)
{
	struct polyline pl;
	double P = (double)c->P, recall = 0;

	struct adt_points_reader r;
	struct adt_point pt;
	int got;

	poly_begin(&pl, f, a, colour);
	poly_vertex(&pl, 0, 1);
	adt_curves_read_begin(&r, c);
	while ((got = adt_points_read(&r, &pt)) == 1) {
		const struct adt_point *p = &pt;
		double precision;

		if (p->tp + p->fp == 0)
			continue;
		precision = (double)p->tp / (double)(p->tp + p->fp);
		poly_vertex(&pl, recall, precision);
		recall = (double)p->tp / P;
		poly_vertex(&pl, recall, precision);
	}
	poly_end(&pl);
	return got < 0 ? adt_points_read_error(&r, c->level, err) : 0;
}

/* "n/d" with the ratio rounded to 4 decimals, or n/a. */
static void ratio_words(char *buf, size_t size, uint64_t n, uint64_t d)
{
	char v[40];

	rounded4(v, sizeof(v), adt_curves_ratio(n, d));
	snprintf(buf, size, "%s (%llu/%llu)", v, (unsigned long long)n, (unsigned long long)d);
}

/* The marker of a chosen threshold at (fx, fy), with its tooltip. */
static void chosen_marker(FILE *f, const struct area *a, const char *group,
			  const struct adt_plot_curve *c, const char *colour, double fx, double fy)
{
	const struct adt_level_result *r = c->r;
	char x[40], y[40], t[40], pr[80], rc[80], fpr[80];

	fixed(x, sizeof(x), px_x(a, fx), 2);
	fixed(y, sizeof(y), px_y(a, fy), 2);
	adt_format_shortest(t, sizeof(t), r->threshold);
	ratio_words(pr, sizeof(pr), r->tp, r->tp + r->fp);
	ratio_words(rc, sizeof(rc), r->tp, c->P);
	ratio_words(fpr, sizeof(fpr), r->fp, c->N);
	fprintf(f,
		"<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\" stroke=\"black\" "
		"stroke-width=\"1\"><title>",
		x, y, colour);
	if (group) {
		xml_text(f, group);
		fputs(", ", f);
	}
	xml_text(f, c->level);
	fprintf(f, ": threshold %s (score %s threshold), policy ", t,
		r->rule == ADT_RULE_GT ? "&gt;" : "&gt;=");
	xml_text(f, r->policy);
	fprintf(f, "\nprecision %s\nrecall %s\nFPR %s</title></circle>\n", pr, rc, fpr);
}

/* Which panel: what its axes show and which metric its legend gives. */
struct panel_kind {
	const char *title, *xtitle, *ytitle, *metric;
	int roc;
};

static const struct panel_kind kinds[2] = {
    {"Precision-recall", "Recall", "Precision", "AP", 0},
    {"ROC", "False-positive rate", "True-positive rate (recall)", "AUROC", 1}};

/* The frame, grid, ticks and titles of a panel. */
static void panel_axes(FILE *f, const struct area *a, const struct panel_kind *k, const char *group)
{
	static const char *const tick[6] = {"0", "0.2", "0.4", "0.6", "0.8", "1"};
	int x0 = (int)a->x0, y0 = (int)a->y0;

	fprintf(f,
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"white\" "
		"stroke=\"#444444\"/>\n",
		x0, y0, PW, PH);
	for (int i = 0; i <= 5; i++) {
		int tx = x0 + i * PW / 5, ty = y0 + PH - i * PH / 5;

		if (i > 0 && i < 5)
			fprintf(f,
				"<path d=\"M%d %dv%dM%d %dh%d\" stroke=\"#e5e5e5\" "
				"fill=\"none\"/>\n",
				tx, y0 + 1, PH - 2, x0 + 1, ty, PW - 2);
		fprintf(f, "<path d=\"M%d %dv5M%d %dh-5\" stroke=\"#444444\" fill=\"none\"/>\n", tx,
			y0 + PH, x0, ty);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", tx,
			y0 + PH + 18, tick[i]);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", x0 - 8,
			ty + 4, tick[i]);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x0 + PW / 2,
		y0 + PH + 36, k->xtitle);
	fprintf(f,
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">"
		"%s</text>\n",
		x0 - 44, y0 + PH / 2, x0 - 44, y0 + PH / 2, k->ytitle);
	fprintf(f,
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"14\" "
		"font-weight=\"bold\">",
		x0 + PW / 2, y0 - 14);
	if (group) {
		xml_text(f, group);
		fputs(": ", f);
	}
	fprintf(f, "%s</text>\n", k->title);
}

/* Whether the panel can draw c: recall needs positives, FPR negatives. */
static int drawable(const struct adt_plot_curve *c, int roc)
{
	return c->P > 0 && (!roc || c->N > 0);
}

/* Returns -1 with err when a curve's points cannot be read back. */
static int panel(FILE *f, const struct area *a, const struct panel_kind *k,
		 const struct adt_plot_group *g, struct adt_error *err)
{
	panel_axes(f, a, k, g->name);
	for (size_t j = 0; j < g->n; j++) {
		const struct adt_plot_curve *c = &g->c[j];

		if (!drawable(c, k->roc))
			continue;
		if (k->roc ? roc_polyline(f, a, c, level_colour(c, j), err)
			   : pr_polyline(f, a, c, level_colour(c, j), err))
			return -1;
	}
	/* The markers after every line, so that no line hides one. */
	for (size_t j = 0; j < g->n; j++) {
		const struct adt_plot_curve *c = &g->c[j];
		const struct adt_level_result *r = c->r;

		if (!r || !drawable(c, k->roc))
			continue;
		if (k->roc)
			chosen_marker(f, a, g->name, c, level_colour(c, j),
				      (double)r->fp / (double)c->N, (double)r->tp / (double)c->P);
		else if (r->tp + r->fp > 0)
			chosen_marker(f, a, g->name, c, level_colour(c, j),
				      (double)r->tp / (double)c->P,
				      (double)r->tp / (double)(r->tp + r->fp));
	}
	for (size_t j = 0; j < g->n; j++) {
		const struct adt_plot_curve *c = &g->c[j];
		int x0 = (int)a->x0, y = (int)a->y0 + PH + LEGEND + (int)j * LINE;

		fprintf(f,
			"<path d=\"M%d %dh24\" stroke=\"%s\" stroke-width=\"1.5\" "
			"fill=\"none\"/>\n<text x=\"%d\" y=\"%d\">",
			x0, y, level_colour(c, j), x0 + 30, y + 4);
		xml_text(f, c->level);
		if (c->r) {
			char v[40];

			rounded4(v, sizeof(v), k->roc ? c->r->auroc : c->r->ap);
			fprintf(f, " (%s %s)", k->metric, v);
		}
		fputs("</text>\n", f);
	}
	return 0;
}

int adt_plot_write(FILE *f, const struct adt_plot_group *g, size_t ng, struct adt_error *err)
{
	int width = 2 * PANEL_W, height;

	if (adt_curves_check(g, ng, err))
		return -1;
	/* The layout is in int pixels. */
	if (ng > (size_t)(100000000 / PANEL_H))
		return adt_error_set(err, ADT_EDATA, "too many categories to plot: %zu", ng);
	height = ng ? (int)ng * PANEL_H : 40;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<title>adthresh: precision-recall and ROC curves</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		width, height, width, height);
	if (ng == 0)
		fputs("<text x=\"16\" y=\"24\">No curves to plot</text>\n", f);
	for (size_t i = 0; i < ng; i++) {
		for (int k = 0; k < 2; k++) {
			struct area a = {(double)(k * PANEL_W + ML),
					 (double)((int)i * PANEL_H + MT)};

			if (panel(f, &a, &kinds[k], &g[i], err))
				return -1;
		}
	}
	fputs("</svg>\n", f);
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}
