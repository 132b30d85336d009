/* The PR / ROC plot, drawn with cairo as SVG, PNG or PDF (see plot.h). */
#include "adthresh/plot.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <ctype.h>
#include <locale.h>
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

/* ---- the format ---- */

int adt_plot_format_of(const char *path, enum adt_plot_format *fmt, struct adt_error *err)
{
	static const struct {
		const char *ext;
		enum adt_plot_format fmt;
	} exts[] = {{".svg", ADT_PLOT_SVG}, {".png", ADT_PLOT_PNG}, {".pdf", ADT_PLOT_PDF}};
	size_t len = strlen(path);

	*fmt = ADT_PLOT_SVG;
	if (strcmp(path, "-") == 0)
		return 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]) && len >= 4; i++) {
		const char *e = path + len - 4;
		size_t k = 0;

		/* By hand: strcasecmp would follow the locale. */
		while (k < 4 && (e[k] == exts[i].ext[k] || (e[k] >= 'A' && e[k] <= 'Z' &&
							    e[k] - 'A' + 'a' == exts[i].ext[k])))
			k++;
		if (k == 4) {
			*fmt = exts[i].fmt;
			return 0;
		}
	}
	return adt_error_at(err, ADT_EUSAGE, path, 0,
			    "unknown plot format: the name must end in .svg, .png or .pdf");
}

/* ---- layout ---- */

/* In units (px at scale 1): a cell per group, the precision-recall panel
 * beside the ROC panel under the group's heading; a panel is its plot
 * area with the room for tick labels and the axis label left of it and
 * the tick labels, the axis label and the legend under it. */
enum {
	MARGIN = 16,	/* around the grid */
	CELL_W = 488,	/* two panels and the gap to the next cell */
	CELL_H = 276,	/* heading, plot areas, ticks, axis labels, legend */
	CELL_GAP = 24,	/* between cells side by side */
	PANEL_W = 232,	/* ML + PA and 10 to the right */
	ML = 42,	/* a panel's left edge to its plot area */
	MT = 30,	/* a cell's top to its plot areas */
	PA = 180,	/* the plot area's side */
	MAX_COLS = 4,	/* cells a row */
	MAX_W = 2000,	/* the widest picture, px */
	MAX_PNG = 32767 /* cairo's largest image side, px */
};

/* Vertices closer than this (px) to the drawn line are dropped: far below
 * what a screen or a printer at any sensible zoom can show. */
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

/* A threshold for a label: 4 significant digits, with a decimal point
 * whatever LC_NUMERIC says. */
static void threshold_text(char *buf, size_t size, double v)
{
	const char *dp = localeconv()->decimal_point;
	char tmp[40], *p;
	size_t dl = strlen(dp);

	snprintf(tmp, sizeof(tmp), "%.4g", v);
	p = dl && strcmp(dp, ".") != 0 ? strstr(tmp, dp) : NULL;
	if (p) {
		*p = '.';
		memmove(p + 1, p + dl, strlen(p + dl) + 1);
	}
	snprintf(buf, size, "t = %s", tmp);
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

/* Writes s as XML character data (s is clean text, see clean_text). */
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
		else
			fwrite(p, 1, len, f);
		p += len;
	}
}

/* A copy of s that cairo can show and XML can hold: category names come
 * from folder names, which can hold any byte, and cairo refuses text
 * that is not UTF-8.  A byte that is not part of such a character, or a
 * control character, becomes '?'.  NULL when memory runs out. */
static char *clean_text(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *t = malloc(n + 1);
	const unsigned char *p = (const unsigned char *)s;

	if (!t)
		return NULL;
	while (*p) {
		size_t len = xml_char_len(p);

		if (len == 0 || *p < 0x20 || *p == 0x7f) {
			t[o++] = '?';
			p++;
			continue;
		}
		memcpy(t + o, p, len);
		o += len;
		p += len;
	}
	t[o] = '\0';
	return t;
}

/* ---- drawing ---- */

#define PI 3.14159265358979323846

struct rgb {
	double r, g, b;
};

/* Image blue and pixel orange (matplotlib's first two colours), by level
 * name so that a category with only one level keeps its colour. */
static struct rgb level_colour(const struct adt_plot_curve *c, size_t j)
{
	if (c->level && strcmp(c->level, "image") == 0)
		return (struct rgb){0x1f / 255.0, 0x77 / 255.0, 0xb4 / 255.0};
	if (c->level && strcmp(c->level, "pixel") == 0)
		return (struct rgb){0xff / 255.0, 0x7f / 255.0, 0x0e / 255.0};
	return j == 0 ? (struct rgb){0x2c / 255.0, 0xa0 / 255.0, 0x2c / 255.0}
		      : (struct rgb){0x94 / 255.0, 0x67 / 255.0, 0xbd / 255.0};
}

static void set_colour(cairo_t *cr, struct rgb c, double shade)
{
	cairo_set_source_rgb(cr, c.r * shade, c.g * shade, c.b * shade);
}

/* A rectangle taken by a marker or a label. */
struct box {
	double x0, y0, x1, y1;
};

/* What a drawing goes through. */
struct draw {
	cairo_t *cr;
	FILE *text;	     /* the picture's text, a line each (SVG), or NULL */
	double tol;	     /* thinning tolerance, units */
	int nomem;	     /* a name could not be copied */
	struct box taken[8]; /* in the panel being drawn */
	size_t ntaken;
};

static void font(cairo_t *cr, double size, int bold)
{
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

/* Shows s (clean text) with its baseline at y: its left end at x
 * (align 0), its middle (0.5) or its right end (1). */
static void text_at(struct draw *d, const char *s, double x, double y, double align)
{
	cairo_text_extents_t e;

	cairo_text_extents(d->cr, s, &e);
	cairo_move_to(d->cr, x - align * e.x_advance, y);
	cairo_show_text(d->cr, s);
	if (d->text)
		fprintf(d->text, "%s\n", s);
}

/* A name as text: cleaned first. */
static void name_at(struct draw *d, const char *s, double x, double y, double align)
{
	char *t = clean_text(s);

	if (!t) {
		d->nomem = 1;
		return;
	}
	text_at(d, t, x, y, align);
	free(t);
}

/* A panel's plot area: its top-left corner. */
struct area {
	double x0, y0;
};

static double px_x(const struct area *a, double fx)
{
	return a->x0 + fx * PA;
}

static double px_y(const struct area *a, double fy)
{
	return a->y0 + (1 - fy) * PA;
}

/* A curve being drawn: its vertices go through the thinning. */
struct line {
	cairo_t *cr;
	const struct area *a;
	struct adt_thin thin;
	size_t kept;
};

static void line_put(struct line *l, const double v[2])
{
	if (l->kept++ == 0)
		cairo_move_to(l->cr, v[0], v[1]);
	else
		cairo_line_to(l->cr, v[0], v[1]);
}

static void line_begin(struct line *l, struct draw *d, const struct area *a)
{
	l->cr = d->cr;
	l->a = a;
	l->kept = 0;
	adt_thin_init(&l->thin, d->tol);
}

/* The vertex at (fx, fy) in curve coordinates. */
static void line_vertex(struct line *l, double fx, double fy)
{
	double k[2];

	if (adt_thin_push(&l->thin, px_x(l->a, fx), px_y(l->a, fy), k))
		line_put(l, k);
}

static void line_end(struct line *l, struct rgb colour)
{
	double k[2];

	if (adt_thin_end(&l->thin, k))
		line_put(l, k);
	set_colour(l->cr, colour, 1);
	cairo_set_line_width(l->cr, 1.5);
	cairo_set_line_join(l->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_stroke(l->cr);
}

/* The ROC curve: from (0, 0) straight through every threshold.  Returns
 * -1 with err when the points cannot be read back. */
static int roc_line(struct draw *d, const struct area *a, const struct adt_plot_curve *c,
		    struct rgb colour, struct adt_error *err)
{
	struct line l;
	double P = (double)c->P, N = (double)c->N;
	struct adt_points_reader r;
	struct adt_point p;
	int got;

	line_begin(&l, d, a);
	line_vertex(&l, 0, 0);
	adt_curves_read_begin(&r, c);
	while ((got = adt_points_read(&r, &p)) == 1)
		line_vertex(&l, (double)p.fp / N, (double)p.tp / P);
	line_end(&l, colour);
	return got < 0 ? adt_points_read_error(&r, c->level, err) : 0;
}

/* The PR curve in steps from (0, 1): from one threshold, down or up to the
 * next one's precision, then across to its recall.  The area under it is
 * the step-wise AP, sum (R_k - R_k-1) P_k. */
static int pr_line(struct draw *d, const struct area *a, const struct adt_plot_curve *c,
		   struct rgb colour, struct adt_error *err)
{
	struct line l;
	double P = (double)c->P, recall = 0;
	struct adt_points_reader r;
	struct adt_point p;
	int got;

	line_begin(&l, d, a);
	line_vertex(&l, 0, 1);
	adt_curves_read_begin(&r, c);
	while ((got = adt_points_read(&r, &p)) == 1) {
		double precision;

		if (p.tp + p.fp == 0)
			continue;
		precision = (double)p.tp / (double)(p.tp + p.fp);
		line_vertex(&l, recall, precision);
		recall = (double)p.tp / P;
		line_vertex(&l, recall, precision);
	}
	line_end(&l, colour);
	return got < 0 ? adt_points_read_error(&r, c->level, err) : 0;
}

/* Which panel: what its axes show and which metric its legend gives. */
struct panel_kind {
	const char *xtitle, *ytitle, *metric;
	int roc;
};

static const struct panel_kind kinds[2] = {
    {"recall", "precision", "AP", 0}, {"false positive rate", "true positive rate", "AUROC", 1}};

/* The grid, frame, ticks with their values and axis labels of a panel,
 * and the chance diagonal of a ROC panel. */
static void panel_axes(struct draw *d, const struct area *a, const struct panel_kind *k)
{
	static const char *const tick[6] = {"0", "0.2", "0.4", "0.6", "0.8", "1"};
	static const double dash[2] = {4, 3};
	cairo_t *cr = d->cr;
	double x0 = a->x0, y0 = a->y0;
	FILE *text;

	cairo_set_line_width(cr, 1);
	cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
	for (int i = 1; i < 5; i++) {
		cairo_move_to(cr, x0 + i * PA / 5.0, y0);
		cairo_rel_line_to(cr, 0, PA);
		cairo_move_to(cr, x0, y0 + i * PA / 5.0);
		cairo_rel_line_to(cr, PA, 0);
	}
	cairo_stroke(cr);
	if (k->roc) {
		cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
		cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, x0, y0 + PA);
		cairo_line_to(cr, x0 + PA, y0);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	cairo_set_source_rgb(cr, 0.27, 0.27, 0.27);
	cairo_rectangle(cr, x0, y0, PA, PA);
	for (int i = 0; i <= 5; i++) {
		cairo_move_to(cr, x0 + i * PA / 5.0, y0 + PA);
		cairo_rel_line_to(cr, 0, 4);
		cairo_move_to(cr, x0, y0 + PA - i * PA / 5.0);
		cairo_rel_line_to(cr, -4, 0);
	}
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	font(cr, 10, 0);
	/* The tick values say nothing in the document's text. */
	text = d->text;
	d->text = NULL;
	for (int i = 0; i <= 5; i++) {
		text_at(d, tick[i], x0 + i * PA / 5.0, y0 + PA + 15, 0.5);
		text_at(d, tick[i], x0 - 6, y0 + PA - i * PA / 5.0 + 3.5, 1);
	}
	d->text = text;
	font(cr, 11, 0);
	text_at(d, k->xtitle, x0 + PA / 2.0, y0 + PA + 30, 0.5);
	cairo_save(cr);
	cairo_translate(cr, x0 - 28, y0 + PA / 2.0);
	cairo_rotate(cr, -PI / 2);
	text_at(d, k->ytitle, 0, 0, 0.5);
	cairo_restore(cr);
}

static int overlaps(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static void take(struct draw *d, struct box b)
{
	if (d->ntaken < sizeof(d->taken) / sizeof(d->taken[0]))
		d->taken[d->ntaken++] = b;
}

/* Whether b is inside the plot area and clear of what the panel holds. */
static int room_for(const struct draw *d, const struct area *a, const struct box *b)
{
	if (b->x0 < a->x0 + 1 || b->x1 > a->x0 + PA - 1 || b->y0 < a->y0 + 1 ||
	    b->y1 > a->y0 + PA - 1)
		return 0;
	for (size_t i = 0; i < d->ntaken; i++) {
		if (overlaps(b, &d->taken[i]))
			return 0;
	}
	return 1;
}

/* The label "t = VALUE" of the chosen point at (mx, my): beside it, in
 * the first of eight places (below right, below left, above right, above
 * left, then a line farther) inside the plot area and clear of the
 * markers and labels already there; on a white ground. */
static void threshold_label(struct draw *d, const struct area *a, double mx, double my,
			    double threshold, struct rgb colour)
{
	cairo_t *cr = d->cr;
	cairo_text_extents_t e;
	char s[64];
	double w, h = 13, gap = 5;
	struct box b;

	threshold_text(s, sizeof(s), threshold);
	font(cr, 10, 0);
	cairo_text_extents(cr, s, &e);
	w = e.x_advance + 4;
	for (int k = 0; k < 9; k++) {
		double far = k >= 4 ? h : 0;
		double x = k % 2 ? mx - gap - w : mx + gap;
		double y = (k / 2) % 2 ? my - gap - h - far : my + gap + far;

		if (k == 8) {
			/* Nowhere clear: below right, kept inside the area. */
			x = fmin(fmax(mx + gap, a->x0 + 1), a->x0 + PA - 1 - w);
			y = fmin(fmax(my + gap, a->y0 + 1), a->y0 + PA - 1 - h);
		}
		b = (struct box){x, y, x + w, y + h};
		if (k == 8 || room_for(d, a, &b))
			break;
	}
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_rectangle(cr, b.x0, b.y0, w, h);
	cairo_fill(cr);
	set_colour(cr, colour, 0.7);
	text_at(d, s, b.x0 + 2, b.y1 - 3.5, 0);
	take(d, b);
}

/* Whether the panel can draw c: recall needs positives, FPR negatives. */
static int drawable(const struct adt_plot_curve *c, int roc)
{
	return c->P > 0 && (!roc || c->N > 0);
}

/* Where c's chosen point is in the panel; 0 when it has none there. */
static int chosen_point(const struct adt_plot_curve *c, int roc, double *fx, double *fy)
{
	const struct adt_level_result *r = c->r;

	if (!r || !drawable(c, roc))
		return 0;
	if (roc) {
		*fx = (double)r->fp / (double)c->N;
		*fy = (double)r->tp / (double)c->P;
		return 1;
	}
	if (r->tp + r->fp == 0)
		return 0;
	*fx = (double)r->tp / (double)c->P;
	*fy = (double)r->tp / (double)(r->tp + r->fp);
	return 1;
}

/* Returns -1 with err when a curve's points cannot be read back. */
static int panel(struct draw *d, const struct area *a, const struct panel_kind *k,
		 const struct adt_plot_group *g, struct adt_error *err)
{
	cairo_t *cr = d->cr;
	double fx, fy;

	panel_axes(d, a, k);
	for (size_t j = 0; j < g->n; j++) {
		const struct adt_plot_curve *c = &g->c[j];

		if (!drawable(c, k->roc))
			continue;
		if (k->roc ? roc_line(d, a, c, level_colour(c, j), err)
			   : pr_line(d, a, c, level_colour(c, j), err))
			return -1;
	}
	/* The markers after every line, so that no line hides one, and the
	 * labels after every marker. */
	d->ntaken = 0;
	for (size_t j = 0; j < g->n; j++) {
		const struct adt_plot_curve *c = &g->c[j];
		double x, y;

		if (!chosen_point(c, k->roc, &fx, &fy))
			continue;
		x = px_x(a, fx);
		y = px_y(a, fy);
		cairo_new_path(cr);
		cairo_arc(cr, x, y, 3.5, 0, 2 * PI);
		set_colour(cr, level_colour(c, j), 1);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 0.8);
		cairo_stroke(cr);
		take(d, (struct box){x - 4.5, y - 4.5, x + 4.5, y + 4.5});
	}
	for (size_t j = 0; j < g->n; j++) {
		const struct adt_plot_curve *c = &g->c[j];

		if (chosen_point(c, k->roc, &fx, &fy))
			threshold_label(d, a, px_x(a, fx), px_y(a, fy), c->r->threshold,
					level_colour(c, j));
	}
	font(cr, 10, 0);
	for (size_t j = 0; j < g->n; j++) {
		const struct adt_plot_curve *c = &g->c[j];
		double y = a->y0 + PA + 47 + (double)j * 14;
		char s[80], v[40];

		set_colour(cr, level_colour(c, j), 1);
		cairo_set_line_width(cr, 2);
		cairo_move_to(cr, a->x0, y - 3.5);
		cairo_rel_line_to(cr, 18, 0);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		if (c->r) {
			rounded4(v, sizeof(v), k->roc ? c->r->auroc : c->r->ap);
			snprintf(s, sizeof(s), "%s  %s %s", c->level, k->metric, v);
			name_at(d, s, a->x0 + 24, y, 0);
		} else {
			name_at(d, c->level, a->x0 + 24, y, 0);
		}
	}
	return 0;
}

/* A cell: the heading over both panels, then the panels. */
static int cell(struct draw *d, double cx, double cy, const struct adt_plot_group *g,
		const char *title, struct adt_error *err)
{
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	font(d->cr, 13, 1);
	name_at(d, g->name ? g->name : title, cx + PANEL_W, cy + 17, 0.5);
	for (int k = 0; k < 2; k++) {
		struct area a = {cx + k * PANEL_W + ML, cy + MT};

		if (panel(d, &a, &kinds[k], g, err))
			return -1;
	}
	return 0;
}

/* Where cairo's output goes: to f, with the SVG's text after its root
 * start tag. */
struct sink {
	FILE *f;
	int failed;	   /* a write failed */
	int discard;	   /* the drawing failed: write nothing more */
	int svg;	   /* 0 not SVG or done; 1 looking for "<svg"; 2 for its '>' */
	size_t match;	   /* of "<svg" */
	const char *title; /* clean text */
	const char *desc;  /* clean text, a line each */
};

static void svg_text(struct sink *k)
{
	fputs("\n<title>", k->f);
	xml_text(k->f, k->title);
	fputs("</title>\n<desc>", k->f);
	xml_text(k->f, k->desc ? k->desc : "");
	fputs("</desc>", k->f);
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
	static const char tag[] = "<svg";
	struct sink *k = closure;
	size_t from = 0;

	if (k->discard)
		return CAIRO_STATUS_SUCCESS;
	for (size_t i = 0; i < length && k->svg; i++) {
		if (k->svg == 1) {
			k->match = data[i] == (unsigned char)tag[k->match] ? k->match + 1
				   : data[i] == '<'			   ? 1
									   : 0;
			if (k->match == 4)
				k->svg = 2;
		} else if (data[i] == '>') {
			fwrite(data + from, 1, i + 1 - from, k->f);
			from = i + 1;
			svg_text(k);
			k->svg = 0;
		}
	}
	if (from < length)
		fwrite(data + from, 1, length - from, k->f);
	if (ferror(k->f)) {
		k->failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* The error for a cairo status. */
static int draw_error(cairo_status_t st, const struct sink *k, struct adt_error *err)
{
	if (k->failed || st == CAIRO_STATUS_WRITE_ERROR)
		return adt_error_set(err, ADT_EIO, "write error");
	if (st == CAIRO_STATUS_NO_MEMORY)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	return adt_error_set(err, ADT_EDATA, "cannot draw the plot: %s",
			     cairo_status_to_string(st));
}

int adt_plot_write(FILE *f, const struct adt_plot_group *g, size_t ng,
		   const struct adt_plot_opts *o, struct adt_error *err)
{
	const char *title = o->title ? o->title : "precision-recall and ROC curves";
	struct sink k = {f, 0, 0, o->format == ADT_PLOT_SVG, 0, NULL, NULL};
	struct draw d = {NULL, NULL, 0, 0, {{0, 0, 0, 0}}, 0};
	size_t cols = 1, rows, max_rows;
	double scale, w, h;
	cairo_surface_t *s = NULL;
	cairo_font_options_t *fo;
	cairo_status_t st;
	char *text = NULL, *clean = NULL;
	size_t text_len = 0;
	int ret = -1;

	if (adt_curves_check(g, ng, err))
		return -1;
	/* As near a square of cells as 4 a row allow: a cell is about 16:9,
	 * as a screen is. */
	while (cols < MAX_COLS && cols * cols < ng)
		cols++;
	rows = ng ? (ng + cols - 1) / cols : 1;
	w = (double)(cols * CELL_W - CELL_GAP + 2 * MARGIN);
	scale = fmin(2, floor(MAX_W * 4 / w) / 4);
	max_rows = (size_t)((MAX_PNG / scale - 2 * MARGIN) / CELL_H);
	if (o->format == ADT_PLOT_PNG && rows > max_rows)
		return adt_error_set(err, ADT_EDATA,
				     "too many categories to plot as PNG: %zu (at "
				     "most %zu)",
				     ng, max_rows * cols);
	if (rows > 1000000)
		return adt_error_set(err, ADT_EDATA, "too many categories to plot: %zu", ng);
	h = (double)(rows * CELL_H + 2 * MARGIN);
	clean = clean_text(title);
	if (!clean)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	k.title = clean;
	switch (o->format) {
	case ADT_PLOT_SVG:
		s = cairo_svg_surface_create_for_stream(sink_write, &k, w * scale, h * scale);
		cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
		d.text = open_memstream(&text, &text_len);
		if (!d.text) {
			ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
			goto out;
		}
		break;
	case ADT_PLOT_PDF:
		s = cairo_pdf_surface_create_for_stream(sink_write, &k, w * scale, h * scale);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, clean);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "");
		break;
	case ADT_PLOT_PNG:
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * scale),
					       (int)(h * scale));
		break;
	}
	st = cairo_surface_status(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		ret = draw_error(st, &k, err);
		goto out;
	}
	d.cr = cairo_create(s);
	d.tol = THIN_TOL / scale;
	cairo_scale(d.cr, scale, scale);
	/* No hinting: the same shapes whatever fontconfig prefers. */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_set_font_options(d.cr, fo);
	cairo_font_options_destroy(fo);
	cairo_set_source_rgb(d.cr, 1, 1, 1);
	cairo_paint(d.cr);
	if (ng == 0) {
		cairo_set_source_rgb(d.cr, 0, 0, 0);
		font(d.cr, 13, 0);
		text_at(&d, "no curves to plot", MARGIN + PANEL_W, MARGIN + CELL_H / 2.0, 0.5);
	}
	for (size_t i = 0; i < ng; i++) {
		double cx = MARGIN + (double)(i % cols) * CELL_W;
		double cy = MARGIN + (double)(i / cols) * CELL_H;

		if (cell(&d, cx, cy, &g[i], title, err))
			goto out;
	}
	if (d.nomem) {
		ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	st = cairo_status(d.cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		ret = draw_error(st, &k, err);
		goto out;
	}
	cairo_destroy(d.cr);
	d.cr = NULL;
	if (d.text) {
		int bad = fclose(d.text);

		d.text = NULL;
		if (bad) {
			ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
			goto out;
		}
		k.desc = text;
	}
	if (o->format == ADT_PLOT_PNG)
		st = cairo_surface_write_to_png_stream(s, sink_write, &k);
	else {
		cairo_surface_finish(s);
		st = cairo_surface_status(s);
	}
	if (st != CAIRO_STATUS_SUCCESS || k.failed || ferror(f)) {
		ret = draw_error(st, &k, err);
		goto out;
	}
	ret = 0;
out:
	/* A drawing that failed is not finished into f. */
	k.discard = ret != 0;
	if (d.cr)
		cairo_destroy(d.cr);
	if (s)
		cairo_surface_destroy(s);
	if (d.text)
		fclose(d.text);
	free(text);
	free(clean);
	return ret;
}

void adt_cairo_library_version(char *buf, size_t size)
{
	snprintf(buf, size, "%s", cairo_version_string());
}
