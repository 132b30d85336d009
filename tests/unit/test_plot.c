/* Unit tests of the curve writers: the thinning and its guarantee, the
 * exact CSV text, and the plot: its text, curves, size and formats. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adthresh/curves.h"
#include "adthresh/plot.h"

/* ---- helpers ---- */

/* A deterministic generator (xorshift64*), so that failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static double uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 0x2545f4914f6cdd1du) >> 11) / 9007199254740992.0;
}

/* The distance from (px, py) to the segment from (ax, ay) to (bx, by). */
static double seg_dist(double px, double py, double ax, double ay, double bx, double by)
{
	double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, u = 0;

	if (l2 > 0) {
		u = ((px - ax) * dx + (py - ay) * dy) / l2;
		u = u < 0 ? 0 : u > 1 ? 1 : u;
	}
	return hypot(px - (ax + u * dx), py - (ay + u * dy));
}

/* Checks the thinning of (x, y): the first and last vertex kept, indexes
 * increasing, and every dropped vertex within tol of the segment joining
 * the kept vertices around it.  Returns the number kept. */
static size_t check_thin(const double *x, const double *y, size_t n, double tol)
{
	size_t *keep = malloc((n ? n : 1) * sizeof(*keep));
	size_t m;

	assert_non_null(keep);
	m = adt_thin(x, y, n, tol, keep);
	if (n == 0) {
		assert_int_equal(m, 0);
		free(keep);
		return 0;
	}
	assert_true(m >= (n > 1 ? 2u : 1u));
	assert_int_equal(keep[0], 0);
	assert_int_equal(keep[m - 1], n - 1);
	for (size_t k = 0; k + 1 < m; k++) {
		size_t a = keep[k], b = keep[k + 1];

		assert_true(a < b);
		for (size_t i = a + 1; i < b; i++) {
			double d = seg_dist(x[i], y[i], x[a], y[a], x[b], y[b]);

			if (d > tol * (1 + 1e-9)) {
				print_message("vertex %zu at %g from segment %zu-%zu\n", i, d, a,
					      b);
				fail();
			}
		}
	}
	free(keep);
	return m;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void make_points(struct adt_points *pts, const double *t, const uint64_t (*c)[2], size_t n)
{
	memset(pts, 0, sizeof(*pts));
	for (size_t i = 0; i < n; i++)
		adt_points_push(pts, t[i], c[i][0], c[i][1]);
	assert_false(pts->failed);
}

/* ---- thinning ---- */

static void test_thin_small(void **state)
{
	static const double x[] = {1, 1, 2}, y[] = {5, 5, 7};
	size_t keep[3];

	(void)state;
	assert_int_equal(adt_thin(x, y, 0, 0.05, keep), 0);
	assert_int_equal(adt_thin(x, y, 1, 0.05, keep), 1);
	assert_int_equal(keep[0], 0);
	assert_int_equal(adt_thin(x, y, 2, 0.05, keep), 2);
	assert_int_equal(keep[1], 1);
	/* A repeated vertex goes; the ends stay. */
	assert_int_equal(adt_thin(x, y, 3, 0.05, keep), 2);
	assert_int_equal(keep[0], 0);
	assert_int_equal(keep[1], 2);
}

static void test_thin_staircase(void **state)
{
	/* Steps of 3 px right then 2 px down, a vertex every px: the corners
	 * are kept, the vertices along each tread and riser are not. */
	double x[64], y[64];
	size_t keep[64], m, n = 0, corners[16], nc = 0;
	double cx = 0, cy = 0;

	(void)state;
	x[n] = cx;
	y[n++] = cy;
	for (int step = 0; step < 5; step++) {
		for (int i = 0; i < 3; i++) {
			x[n] = ++cx;
			y[n++] = cy;
		}
		corners[nc++] = n - 1;
		for (int i = 0; i < 2; i++) {
			x[n] = cx;
			y[n++] = ++cy;
		}
		corners[nc++] = n - 1;
	}
	m = adt_thin(x, y, n, 0.05, keep);
	assert_int_equal(m, nc + 1);
	assert_int_equal(keep[0], 0);
	for (size_t k = 0; k < nc; k++)
		assert_int_equal(keep[k + 1], corners[k]);
	check_thin(x, y, n, 0.05);
}

static void test_thin_collinear(void **state)
{
	double x[1000], y[1000];
	size_t keep[1000];

	(void)state;
	for (size_t i = 0; i < 1000; i++) {
		x[i] = 3 + 0.25 * (double)i;
		y[i] = 7 - 0.5 * (double)i;
	}
	assert_int_equal(adt_thin(x, y, 1000, 0.05, keep), 2);
	assert_int_equal(keep[1], 999);
}

static void test_thin_turns_back(void **state)
{
	/* Out along a line and back: the turning vertex stays even though
	 * every vertex lies on one line. */
	double x[21], y[21];
	size_t keep[21];
	static const double jx[] = {0, 10, 20, -30}, jy[] = {0, 0, 0, 0};

	(void)state;
	for (size_t i = 0; i <= 20; i++) {
		x[i] = i <= 10 ? (double)i : (double)(20 - i);
		y[i] = 0;
	}
	assert_int_equal(adt_thin(x, y, 21, 0.05, keep), 3);
	assert_int_equal(keep[1], 10);
	assert_int_equal(keep[2], 20);
	/* A jump back past the anchor along the same line. */
	assert_int_equal(adt_thin(jx, jy, 4, 0.05, keep), 3);
	assert_int_equal(keep[1], 2);
	assert_int_equal(keep[2], 3);
}

static void test_thin_random_walk(void **state)
{
	enum { N = 100000 };
	double *x = malloc(N * sizeof(*x)), *y = malloc(N * sizeof(*y));
	size_t m;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	x[0] = y[0] = 0;
	for (size_t i = 1; i < N; i++) {
		/* Small steps with a drift, so that runs of them are nearly
		 * straight and others are not. */
		x[i] = x[i - 1] + 0.02 + 0.04 * (uniform() - 0.5);
		y[i] = y[i - 1] + 0.06 * (uniform() - 0.5);
	}
	m = check_thin(x, y, N, 0.05);
	print_message("random walk: %zu of %d vertices kept\n", m, N);
	assert_true(m < N / 2);
	free(x);
	free(y);
}

static void test_thin_smooth(void **state)
{
	/* A quarter circle of radius 300 px in 1e6 vertices. */
	enum { N = 1000000 };
	double *x = malloc(N * sizeof(*x)), *y = malloc(N * sizeof(*y));
	size_t m;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	for (size_t i = 0; i < N; i++) {
		double a = 1.5707963267948966 * (double)i / (N - 1);

		x[i] = 64 + 300 * (1 - cos(a));
		y[i] = 340 - 300 * sin(a);
	}
	m = check_thin(x, y, N, 0.05);
	print_message("quarter circle: %zu of %d vertices kept\n", m, N);
	assert_true(m >= 10 && m <= 300);
	free(x);
	free(y);
}

static void test_thin_stream(void **state)
{
	/* The streaming interface keeps the vertices the array one names,
	 * and can be used again after adt_thin_end. */
	static const double x[] = {0, 1, 2, 2, 2, 3}, y[] = {0, 0, 0, 1, 2, 2};
	struct adt_thin s;
	double k[2], got[6][2];
	size_t keep[6], m = adt_thin(x, y, 6, 0.05, keep), n;

	(void)state;
	adt_thin_init(&s, 0.05);
	for (int round = 0; round < 2; round++) {
		n = 0;
		for (size_t i = 0; i < 6; i++) {
			if (adt_thin_push(&s, x[i], y[i], k)) {
				got[n][0] = k[0];
				got[n++][1] = k[1];
			}
		}
		if (adt_thin_end(&s, k)) {
			got[n][0] = k[0];
			got[n++][1] = k[1];
		}
		assert_int_equal(n, m);
		for (size_t i = 0; i < n; i++) {
			assert_true(got[i][0] == x[keep[i]]);
			assert_true(got[i][1] == y[keep[i]]);
		}
	}
	assert_int_equal(adt_thin_end(&s, k), 0);
}

/* ---- CSV ---- */

/* Writes the groups as CSV to a memory stream; returns the text (owned). */
static char *render_csv(const struct adt_plot_group *g, size_t ng, size_t max_points)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct adt_error err;

	assert_non_null(f);
	adt_error_init(&err);
	assert_int_equal(adt_curves_write(f, g, ng, max_points, NULL, &err), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_csv_single(void **state)
{
	/* P = 2, N = 3: precision 1/1, 1/2, 2/5; recall 1/2, 1/2, 2/2; FPR
	 * 0/3, 1/3, 3/3, each in its shortest exact form: 0.9, not %.17g's
	 * 0.90000000000000002; 1/3 with 16 digits. */
	static const double t[] = {0.9, 0.5, 0.25};
	static const uint64_t c[][2] = {{1, 0}, {1, 1}, {2, 3}};
	struct adt_points pts;
	struct adt_plot_curve curve = {"image", &pts, 2, 3, NULL};
	struct adt_plot_group g = {NULL, &curve, 1};
	char *s;

	(void)state;
	make_points(&pts, t, c, 3);
	s = render_csv(&g, 1, 0);
	assert_string_equal(s, "level,threshold,tp,fp,precision,recall,fpr\n"
			       "image,0.9,1,0,1,0.5,0\n"
			       "image,0.5,1,1,0.5,0.5,0.3333333333333333\n"
			       "image,0.25,2,3,0.4,1,1\n");
	free(s);
	adt_points_release(&pts);
}

static void test_csv_undefined_and_names(void **state)
{
	/* No positives: recall is 0/0.  No negatives: FPR is 0/0.  A point
	 * that no sample reaches (not made by a sweep, but allowed): the
	 * precision is 0/0. */
	static const double t1[] = {2, 1}, t2[] = {-1, -2.5};
	static const uint64_t c1[][2] = {{0, 1}, {0, 3}}, c2[][2] = {{0, 0}, {4, 0}};
	struct adt_points p1, p2;
	struct adt_plot_curve ca[2] = {{"image", &p1, 0, 3, NULL}, {"pixel", &p2, 4, 0, NULL}};
	struct adt_plot_curve cb = {"image", &p1, 0, 3, NULL};
	struct adt_plot_group g[3] = {{"bot\"tle,x", ca, 2}, {NULL, &cb, 1}, {"cable", NULL, 0}};
	char *s;

	(void)state;
	make_points(&p1, t1, c1, 2);
	make_points(&p2, t2, c2, 2);
	s = render_csv(g, 3, 0);
	assert_string_equal(s, "category,level,threshold,tp,fp,precision,recall,fpr\n"
			       "\"bot\"\"tle,x\",image,2,0,1,0,,0.3333333333333333\n"
			       "\"bot\"\"tle,x\",image,1,0,3,0,,1\n"
			       "\"bot\"\"tle,x\",pixel,-1,0,0,,0,\n"
			       "\"bot\"\"tle,x\",pixel,-2.5,4,0,1,1,\n"
			       ",image,2,0,1,0,,0.3333333333333333\n"
			       ",image,1,0,3,0,,1\n");
	free(s);
	adt_points_release(&p1);
	adt_points_release(&p2);
}

static void test_csv_max_points(void **state)
{
	/* 11 points, thresholds 10 down to 0, tp = fp = 10 - t. */
	static const struct {
		size_t max;
		const char *thresholds;
	} cases[] = {
	    {ADT_CURVES_EVERY, "10 9 8 7 6 5 4 3 2 1 0"},
	    /* equal steps all along: only the ends are corners */
	    {ADT_CURVES_CORNERS, "10 0"},
	    {11, "10 9 8 7 6 5 4 3 2 1 0"},
	    {100, "10 9 8 7 6 5 4 3 2 1 0"},
	    {1, "10"},
	    {2, "10 0"},
	    /* ranks round(k 10 / 3) = 0, 3, 7, 10 */
	    {4, "10 7 3 0"},
	    /* ranks k 10 / 4 = 0, 2.5, 5, 7.5, 10: halves up to 3 and 8 */
	    {5, "10 7 5 2 0"},
	    /* ranks round(k 10 / 9): 0 1 2 3 4 6 7 8 9 10 */
	    {10, "10 9 8 7 6 4 3 2 1 0"},
	};
	struct adt_points pts;
	struct adt_plot_curve curve = {"pixel", &pts, 10, 10, NULL};
	struct adt_plot_group g = {NULL, &curve, 1};

	(void)state;
	memset(&pts, 0, sizeof(pts));
	for (int i = 0; i < 11; i++)
		adt_points_push(&pts, 10 - i, (uint64_t)i, (uint64_t)i);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *s = render_csv(&g, 1, cases[i].max), want[64] = "", *line;
		size_t rows = 0;

		print_message("max_points %zu\n", (size_t)cases[i].max);
		/* Read the threshold back from every row after the header. */
		for (line = strchr(s, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
			char num[8];

			assert_int_equal(strncmp(line, "pixel,", 6), 0);
			snprintf(num, sizeof(num), "%.*s", (int)strcspn(line + 6, ","), line + 6);
			if (rows++)
				strcat(want, " ");
			strcat(want, num);
		}
		assert_string_equal(want, cases[i].thresholds);
		free(s);
	}
	adt_points_release(&pts);
}

/* The thresholds of the rows of CSV text s, space-separated, into want;
 * returns the rows. */
static size_t row_thresholds(const char *s, char *want, size_t size)
{
	size_t rows = 0, len = 0;

	want[0] = '\0';
	for (const char *line = strchr(s, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		const char *t = strchr(line, ',') + 1;

		len += (size_t)snprintf(want + len, size - len, "%s%.*s", rows ? " " : "",
					(int)strcspn(t, ","), t);
		rows++;
	}
	return rows;
}

static void test_csv_corners(void **state)
{
	/* Steps in (TP, FP) from point to point; a point is left out when
	 * the step into it equals the step out of it. */
	static const struct {
		const char *name;
		size_t n;
		uint64_t c[9][2];
		const char *want;
	} cases[] = {
	    {"one point", 1, {{1, 0}}, "8"},
	    {"two points", 2, {{1, 0}, {2, 0}}, "8 7"},
	    {"a vertical run", 3, {{1, 0}, {2, 0}, {3, 0}}, "8 6"},
	    {"a horizontal run", 4, {{0, 1}, {0, 2}, {0, 3}, {1, 3}}, "8 6 5"},
	    {"runs, a turn, equal diagonal steps",
	     9,
	     {{1, 0}, {2, 0}, {3, 0}, {3, 1}, {3, 2}, {5, 2}, {6, 3}, {7, 4}, {9, 5}},
	     "8 6 4 3 1 0"},
	    /* collinear but of unequal steps: kept, as scikit-learn keeps it */
	    {"unequal steps on a line", 3, {{1, 0}, {2, 0}, {4, 0}}, "8 7 6"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		double t[9];
		struct adt_points pts;
		struct adt_plot_curve curve = {"image", &pts, 9, 5, NULL};
		struct adt_plot_group g = {NULL, &curve, 1};
		char *buf = NULL, want[64];
		size_t len = 0;
		uint64_t rows = 0;
		FILE *f = open_memstream(&buf, &len);
		struct adt_error err;

		print_message("%s\n", cases[i].name);
		for (size_t k = 0; k < cases[i].n; k++)
			t[k] = 8 - (double)k;
		make_points(&pts, t, cases[i].c, cases[i].n);
		assert_non_null(f);
		adt_error_init(&err);
		assert_int_equal(adt_curves_write(f, &g, 1, ADT_CURVES_CORNERS, &rows, &err), 0);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(row_thresholds(buf, want, sizeof(want)), rows);
		assert_string_equal(want, cases[i].want);
		free(buf);
		adt_points_release(&pts);
	}
}

static void test_csv_thinned(void **state)
{
	/* The default rows: corners 1e-5 apart in FPR, recall or precision,
	 * compared exactly.  Every inner point below is a corner. */
	static const uint64_t fps[][2] = {{0, 1}, {0, 2}, {0, 4}, {0, 5}, {0, 7}};
	static const uint64_t tps[][2] = {{1, 0}, {2, 0}, {4, 0}, {5, 0}, {7, 0}};
	/* precision 0 to 1 / 100000 (kept), then 1 / 100002 and 2 / 100003,
	 * less than 1e-5 from 1 / 100000 */
	static const uint64_t prec_at[][2] = {
	    {0, 99999}, {1, 99999}, {1, 100001}, {2, 100001}, {3, 100002}};
	/* 1 / 100000, then 2 / 100001 and 2 / 100002 */
	static const uint64_t prec_under[][2] = {{1, 99999}, {2, 99999}, {2, 100000}, {3, 100000}};
	static const uint64_t many = 1000000000000;
	static const struct {
		const char *name;
		uint64_t P, N;
		size_t n;
		const uint64_t (*c)[2];
		const char *want;
	} cases[] = {
	    /* 5 / N - 4 / N rounds below 1e-5 in doubles */
	    {"FPR steps of 1e-5 exactly", 1, 100000, 5, fps, "8 7 6 5 4"},
	    {"FPR steps under 1e-5", 1, 100001, 5, fps, "8 6 4"},
	    /* 3 / 300000 from the last row written, not from the point before */
	    {"three steps make 1e-5", 1, 300000, 5, fps, "8 6 4"},
	    {"three steps under 1e-5", 1, 300001, 5, fps, "8 5 4"},
	    {"recall steps of 1e-5 exactly", 100000, 1, 5, tps, "8 7 6 5 4"},
	    {"recall steps under 1e-5", 100001, 1, 5, tps, "8 6 4"},
	    {"precision moves 1e-5 exactly", many, many, 5, prec_at, "8 7 4"},
	    {"precision moves under 1e-5", many, many, 4, prec_under, "8 5"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		double t[5];
		struct adt_points pts;
		struct adt_plot_curve curve = {"pixel", &pts, cases[i].P, cases[i].N, NULL};
		struct adt_plot_group g = {NULL, &curve, 1};
		char want[64], *s;

		print_message("%s\n", cases[i].name);
		for (size_t k = 0; k < cases[i].n; k++)
			t[k] = 8 - (double)k;
		make_points(&pts, t, cases[i].c, cases[i].n);
		s = render_csv(&g, 1, ADT_CURVES_THINNED);
		row_thresholds(s, want, sizeof(want));
		assert_string_equal(want, cases[i].want);
		free(s);
		/* The corners are every point. */
		s = render_csv(&g, 1, ADT_CURVES_CORNERS);
		assert_int_equal(row_thresholds(s, want, sizeof(want)), cases[i].n);
		free(s);
		adt_points_release(&pts);
	}
}

/* ---- SVG ---- */
/* ---- the plot ---- */

static const struct adt_plot_opts svg_opts = {ADT_PLOT_SVG, "data/bottle"};

/* Writes the groups in format fmt to a temporary file; returns its bytes
 * (owned, NUL-terminated, the length in *size) and checks an SVG with
 * xmllint when there is one. */
static char *render(const struct adt_plot_group *g, size_t ng, const struct adt_plot_opts *o,
		    size_t *size)
{
	char path[] = "/tmp/adthresh-test-plot-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	struct adt_error err;
	char *buf;
	long len;

	assert_true(fd >= 0);
	f = fdopen(fd, "w+");
	assert_non_null(f);
	adt_error_init(&err);
	assert_int_equal(adt_plot_write(f, g, ng, o, &err), 0);
	assert_int_equal(fflush(f), 0);
	len = ftell(f);
	assert_true(len > 0);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	if (o->format == ADT_PLOT_SVG && access("/usr/bin/xmllint", X_OK) == 0) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
	} else if (o->format == ADT_PLOT_SVG) {
		print_message("no /usr/bin/xmllint: well-formedness not checked\n");
	}
	unlink(path);
	if (size)
		*size = (size_t)len;
	return buf;
}

static char *render_svg(const struct adt_plot_group *g, size_t ng)
{
	return render(g, ng, &svg_opts, NULL);
}

/* The d attribute of the n-th curve (from 0; a curve is stroked 1.5
 * wide), owned. */
static char *curve_path(const char *s, size_t n)
{
	const char *p = s, *end;

	for (size_t i = 0; i <= n; i++) {
		p = strstr(p, "<path style=\"fill:none;stroke-width:1.5;");
		assert_non_null(p);
		p++;
	}
	p = strstr(p, " d=\"") + 4;
	end = strchr(p, '"');
	return strndup(p, (size_t)(end - p));
}

/* The text of the <desc>, owned. */
static char *desc_of(const char *s)
{
	const char *p = strstr(s, "<desc>"), *end;

	assert_non_null(p);
	p += 6;
	end = strstr(p, "</desc>");
	assert_non_null(end);
	return strndup(p, (size_t)(end - p));
}

/* Two small curves: image with P = 2, N = 2 and points (tp, fp) (1, 0),
 * (2, 2); pixel with P = 4, N = 4 and points (2, 1), (4, 4). */
static const double ti[] = {0.8, 0.3}, tpx[] = {0.5, 0.1};
static const uint64_t ci[][2] = {{1, 0}, {2, 2}}, cpx[][2] = {{2, 1}, {4, 4}};

#define IMAGE_STROKE "stroke:rgb(12.156863%,46.666667%,70.588235%)"
#define PIXEL_STROKE "stroke:rgb(100%,49.803922%,5.490196%)"

static void test_svg_batch(void **state)
{
	struct adt_points pi, pp;
	struct adt_level_result ri = {.threshold = 0.8,
				      .tp = 1,
				      .fp = 0,
				      .ap = 5.0 / 6,
				      .auroc = 0.875,
				      .rule = ADT_RULE_GE,
				      .policy = "f1"};
	struct adt_level_result rp = {.threshold = 0.123456,
				      .tp = 4,
				      .fp = 4,
				      .ap = 2.0 / 3,
				      .auroc = 0.75,
				      .rule = ADT_RULE_GT,
				      .policy = "recall:0.95"};
	struct adt_plot_curve c[2] = {{"image", &pi, 2, 2, &ri}, {"pixel", &pp, 4, 4, &rp}};
	struct adt_plot_group g[2] = {{"bottle", c, 2}, {"<a&b> \"q\" \xff\x01", c, 2}};
	char *s, *d, *pts;

	(void)state;
	make_points(&pi, ti, ci, 2);
	make_points(&pp, tpx, cpx, 2);
	s = render_svg(g, 2);
	/* Two cells side by side: (2 x 488 - 24 + 32) x (276 + 32) units at
	 * scale 2. */
	assert_non_null(strstr(s, "width=\"1968px\" height=\"616px\" viewBox=\"0 0 1968 616\""));
	assert_non_null(strstr(s, "<title>data/bottle</title>"));
	d = desc_of(s);
	assert_int_equal(count(d, "bottle\n"), 1);
	assert_int_equal(count(d, "&lt;a&amp;b&gt; \"q\" ??\n"), 1);
	assert_int_equal(count(d, "\nrecall\nprecision\n"), 2);
	assert_int_equal(count(d, "\nfalse positive rate\ntrue positive rate\n"), 2);
	/* Thresholds to 4 significant digits, in each panel. */
	assert_int_equal(count(d, "\nt = 0.8\n"), 4);
	assert_int_equal(count(d, "\nt = 0.1235\n"), 4);
	/* AP 5/6 and 2/3, AUROC 7/8 and 3/4, to 4 decimals. */
	assert_int_equal(count(d, "image  AP 0.8333\n"), 2);
	assert_int_equal(count(d, "pixel  AP 0.6667\n"), 2);
	assert_int_equal(count(d, "image  AUROC 0.8750\n"), 2);
	assert_int_equal(count(d, "pixel  AUROC 0.7500\n"), 2);
	free(d);
	/* Per level and panel a curve and a legend line; the chance
	 * diagonal, dashed, on each ROC panel. */
	assert_int_equal(count(s, "stroke-width:1.5;"), 8);
	assert_int_equal(
	    count(s, "stroke-width:1.5;stroke-linecap:butt;stroke-linejoin:round;" IMAGE_STROKE),
	    4);
	assert_int_equal(
	    count(s, "stroke-width:1.5;stroke-linecap:butt;stroke-linejoin:round;" PIXEL_STROKE),
	    4);
	assert_int_equal(count(s, "stroke-dasharray:4,3;"), 2);
	/* A marker (a disc with a black edge) per level and panel. */
	assert_int_equal(count(s, "stroke-width:0.8;"), 8);
	/* The first cell's plot areas start at (58, 46) and (290, 46), 180
	 * units square.  Image PR in steps from (0, 1): precision 1 to
	 * recall 1/2, down to 1/2, across to recall 1; the repeated (0, 1)
	 * and nothing else is dropped. */
	pts = curve_path(s, 0);
	assert_string_equal(pts, "M 58 46 L 148 46 L 148 136 L 238 136 ");
	free(pts);
	/* Pixel PR: (0, 1), down to 2/3 at recall 0, across to 1/2, down to
	 * 1/2, across to 1. */
	pts = curve_path(s, 1);
	assert_string_equal(pts, "M 58 46 L 58 106 L 148 106 L 148 136 L 238 136 ");
	free(pts);
	/* Image ROC: (0, 0), (0, 1/2), (1, 1). */
	pts = curve_path(s, 2);
	assert_string_equal(pts, "M 290 226 L 290 136 L 470 46 ");
	free(pts);
	/* Pixel ROC: (0, 0), (1/4, 1/2), (1, 1): not one line. */
	pts = curve_path(s, 3);
	assert_string_equal(pts, "M 290 226 L 335 136 L 470 46 ");
	free(pts);
	/* The second cell is 488 units to the right. */
	pts = curve_path(s, 6);
	assert_string_equal(pts, "M 778 226 L 778 136 L 958 46 ");
	free(pts);
	free(s);
	adt_points_release(&pi);
	adt_points_release(&pp);
}

static void test_svg_undefined(void **state)
{
	/* No positives: neither curve can be drawn.  No negatives: the PR
	 * curve only.  No chosen threshold: no marker, no metric. */
	static const uint64_t c0[][2] = {{0, 1}, {0, 3}}, c1[][2] = {{1, 0}, {4, 0}};
	struct adt_points p0, p1;
	struct adt_level_result r0 = {
	    .threshold = 0.8, .tp = 0, .fp = 1, .ap = NAN, .auroc = NAN, .policy = "f1"};
	struct adt_plot_curve c[2] = {{"image", &p0, 0, 3, &r0}, {"pixel", &p1, 4, 0, NULL}};
	struct adt_plot_group g = {NULL, c, 2};
	struct adt_plot_opts untitled = {ADT_PLOT_SVG, NULL};
	char *s, *d;

	(void)state;
	make_points(&p0, ti, c0, 2);
	make_points(&p1, tpx, c1, 2);
	s = render(&g, 1, &untitled, NULL);
	assert_int_equal(count(s, "stroke-width:1.5;"), 1);
	assert_int_equal(count(s, "stroke-width:0.8;"), 0);
	assert_non_null(strstr(s, "<title>precision-recall and ROC curves</title>"));
	d = desc_of(s);
	assert_int_equal(count(d, "precision-recall and ROC curves\n"), 1);
	assert_int_equal(count(d, "image  AP n/a\n"), 1);
	assert_int_equal(count(d, "image  AUROC n/a\n"), 1);
	assert_int_equal(count(d, "\npixel\n"), 2);
	assert_int_equal(count(d, "t = "), 0);
	free(d);
	free(s);
	/* Nothing at all still makes a document. */
	s = render_svg(NULL, 0);
	assert_int_equal(count(s, "stroke-width:1.5;"), 0);
	assert_non_null(strstr(s, "<desc>no curves to plot\n</desc>"));
	assert_non_null(strstr(s, "</svg>"));
	free(s);
	adt_points_release(&p0);
	adt_points_release(&p1);
}

static void test_svg_large(void **state)
{
	/* 1e6 thresholds on a smooth ROC curve, TPR = 1 - (1 - FPR)^3 with
	 * P = N = 1e6: each curve keeps a few hundred vertices at most. */
	enum { N = 1000000 };
	struct adt_points pts;
	struct adt_level_result r = {.threshold = 0.5, .tp = 875000, .fp = 500000};
	struct adt_plot_curve c = {"pixel", &pts, N, N, &r};
	struct adt_plot_group g = {NULL, &c, 1};
	char *s, *p;

	(void)state;
	memset(&pts, 0, sizeof(pts));
	for (size_t i = 0; i < N; i++) {
		double fpr = (double)(i + 1) / N;

		adt_points_push(&pts, 1 - fpr, (uint64_t)llround(N * (1 - pow(1 - fpr, 3))), i + 1);
	}
	assert_false(pts.failed);
	s = render_svg(&g, 1);
	for (size_t i = 0; i < 2; i++) {
		size_t n = count((p = curve_path(s, i)), " L ") + 1;

		print_message("curve %zu: %zu vertices\n", i, n);
		assert_true(n >= 10 && n <= 1000);
		free(p);
	}
	free(s);
	adt_points_release(&pts);
}

static void test_svg_locale(void **state)
{
	/* The threshold's decimal point stays a point under a decimal-comma
	 * locale. */
	static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8"};
	struct adt_points pts;
	struct adt_level_result r = {.threshold = 0.5, .tp = 2, .fp = 1};
	struct adt_plot_curve c = {"image", &pts, 4, 4, &r};
	struct adt_plot_group g = {NULL, &c, 1};
	int set = 0;
	char *s, *p;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names) && !set; i++)
		set = setlocale(LC_NUMERIC, names[i]) != NULL;
	if (!set)
		skip();
	make_points(&pts, tpx, cpx, 2);
	s = render_svg(&g, 1);
	setlocale(LC_NUMERIC, "C");
	assert_int_equal(count(s, "\nt = 0.5\n"), 2);
	p = curve_path(s, 1);
	assert_string_equal(p, "M 290 226 L 335 136 L 470 46 ");
	free(p);
	free(s);
	adt_points_release(&pts);
}

/* Width and height from a PNG's IHDR. */
static void png_size(const unsigned char *b, size_t len, unsigned long *w, unsigned long *h)
{
	assert_true(len > 24);
	assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(b + 12, "IHDR", 4);
	*w = (unsigned long)b[16] << 24 | (unsigned long)b[17] << 16 | b[18] << 8 | b[19];
	*h = (unsigned long)b[20] << 24 | (unsigned long)b[21] << 16 | b[22] << 8 | b[23];
}

static void test_png_grid(void **state)
{
	/* The picture's size in px for ng groups: min(4, ceil(sqrt(ng))) a
	 * row, the scale the largest quarter up to 2 within 2000 px. */
	static const struct {
		size_t ng;
		unsigned long w, h;
	} cases[] = {{0, 992, 616},  {1, 992, 616},   {2, 1968, 616},	{3, 1968, 1168},
		     {5, 1840, 730}, {9, 1840, 1075}, {15, 1960, 1136}, {17, 1960, 1412}};
	struct adt_points pts;
	struct adt_level_result r = {.threshold = 0.5, .tp = 2, .fp = 1};
	struct adt_plot_curve c = {"image", &pts, 4, 4, &r};
	struct adt_plot_group g[17];
	struct adt_plot_opts png = {ADT_PLOT_PNG, "scores.csv"};

	(void)state;
	make_points(&pts, tpx, cpx, 2);
	for (size_t i = 0; i < 17; i++)
		g[i] = (struct adt_plot_group){"cat", &c, 1};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		unsigned char *b = (unsigned char *)render(g, cases[i].ng, &png, &len);
		unsigned long w, h;

		png_size(b, len, &w, &h);
		if (w != cases[i].w || h != cases[i].h) {
			print_message("%zu groups: %lu x %lu, not %lu x %lu\n", cases[i].ng, w, h,
				      cases[i].w, cases[i].h);
			fail();
		}
		free(b);
	}
	adt_points_release(&pts);
}

/* Whether the n bytes at b hold s. */
static int holds(const char *b, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++) {
		if (memcmp(b + i, s, k) == 0)
			return 1;
	}
	return 0;
}

static void test_pdf_same_bytes(void **state)
{
	/* A PDF with no date in it: the same curves give the same bytes. */
	struct adt_points pts;
	struct adt_level_result r = {.threshold = 0.5, .tp = 2, .fp = 1};
	struct adt_plot_curve c = {"image", &pts, 4, 4, &r};
	struct adt_plot_group g = {NULL, &c, 1};
	struct adt_plot_opts pdf = {ADT_PLOT_PDF, "scores.csv"};
	size_t n1, n2;
	char *a, *b;

	(void)state;
	make_points(&pts, tpx, cpx, 2);
	a = render(&g, 1, &pdf, &n1);
	b = render(&g, 1, &pdf, &n2);
	assert_memory_equal(a, "%PDF-", 5);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	assert_false(holds(a, n1, "/CreationDate"));
	assert_true(holds(a, n1, "/Title (scores.csv)"));
	free(a);
	free(b);
	adt_points_release(&pts);
}

static void test_format_of(void **state)
{
	static const struct {
		const char *path;
		int fmt; /* -1: an error */
	} cases[] = {{"p.svg", ADT_PLOT_SVG},
		     {"P.SVG", ADT_PLOT_SVG},
		     {"a/b.Png", ADT_PLOT_PNG},
		     {"x.pdf", ADT_PLOT_PDF},
		     {"-", ADT_PLOT_SVG},
		     {"p.jpg", -1},
		     {"png", -1},
		     {"p.svg.gz", -1},
		     {"/dev/full", -1},
		     {"p.pdff", -1},
		     {"", -1}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct adt_error err;
		enum adt_plot_format fmt;
		int ret;

		adt_error_init(&err);
		ret = adt_plot_format_of(cases[i].path, &fmt, &err);
		if (cases[i].fmt < 0) {
			assert_int_equal(ret, -1);
			assert_int_equal(err.code, ADT_EUSAGE);
			assert_string_equal(err.file, cases[i].path);
			assert_string_equal(
			    err.msg,
			    "unknown plot format: the name must end in .svg, .png or .pdf");
		} else {
			assert_int_equal(ret, 0);
			assert_int_equal(fmt, cases[i].fmt);
		}
	}
}

/* ---- errors ---- */

static void test_write_error(void **state)
{
	struct adt_points pts;
	struct adt_plot_curve c = {"image", &pts, 2, 2, NULL};
	struct adt_plot_group g = {NULL, &c, 1};
	struct adt_error err;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	make_points(&pts, ti, ci, 2);
	adt_error_init(&err);
	assert_int_equal(adt_curves_write(f, &g, 1, 0, NULL, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	clearerr(f);
	adt_error_init(&err);
	assert_int_equal(adt_plot_write(f, &g, 1, &svg_opts, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	fclose(f);
	adt_points_release(&pts);
}

static void test_incomplete_points(void **state)
{
	struct adt_points pts = {.failed = ADT_POINTS_NOMEM};
	struct adt_plot_curve c = {"pixel", &pts, 2, 2, NULL};
	struct adt_plot_group g = {NULL, &c, 1};
	struct adt_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	adt_error_init(&err);
	assert_int_equal(adt_curves_write(f, &g, 1, 0, NULL, &err), -1);
	assert_int_equal(err.code, ADT_ENOMEM);
	assert_string_equal(err.msg, "out of memory keeping the pixel curve's points");
	adt_error_init(&err);
	assert_int_equal(adt_plot_write(f, &g, 1, &svg_opts, &err), -1);
	assert_int_equal(err.code, ADT_ENOMEM);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(len, 0);
	free(buf);
}

/* Points whose temporary file lost them: both writers say so. */
static void test_unreadable_points(void **state)
{
	struct adt_points pts = {.spill = tmpfile(), .spilled = 3, .dir = strdup("/tmp")};
	struct adt_plot_curve c = {"pixel", &pts, 2, 2, NULL};
	struct adt_plot_group g = {NULL, &c, 1};
	static const char msg[] = "cannot read back the pixel curve's points from a temporary "
				  "file in '/tmp': Input/output error";
	struct adt_error err;
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(pts.spill);
	assert_non_null(f);
	adt_error_init(&err);
	assert_int_equal(adt_curves_write(f, &g, 1, 0, NULL, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.msg, msg);
	adt_error_init(&err);
	assert_int_equal(adt_plot_write(f, &g, 1, &svg_opts, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.msg, msg);
	fclose(f);
	adt_points_release(&pts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thin_small),
	    cmocka_unit_test(test_thin_staircase),
	    cmocka_unit_test(test_thin_collinear),
	    cmocka_unit_test(test_thin_turns_back),
	    cmocka_unit_test(test_thin_random_walk),
	    cmocka_unit_test(test_thin_smooth),
	    cmocka_unit_test(test_thin_stream),
	    cmocka_unit_test(test_csv_single),
	    cmocka_unit_test(test_csv_undefined_and_names),
	    cmocka_unit_test(test_csv_max_points),
	    cmocka_unit_test(test_csv_corners),
	    cmocka_unit_test(test_csv_thinned),
	    cmocka_unit_test(test_svg_batch),
	    cmocka_unit_test(test_svg_undefined),
	    cmocka_unit_test(test_svg_large),
	    cmocka_unit_test(test_svg_locale),
	    cmocka_unit_test(test_png_grid),
	    cmocka_unit_test(test_pdf_same_bytes),
	    cmocka_unit_test(test_format_of),
	    cmocka_unit_test(test_write_error),
	    cmocka_unit_test(test_incomplete_points),
	    cmocka_unit_test(test_unreadable_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
