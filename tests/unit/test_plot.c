/* Unit tests of the curve writers: the thinning and its guarantee, the
 * exact CSV text, and the elements and well-formedness of the SVG. */
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

/* ---- SVG ---- */

/* Writes the groups as SVG to a temporary file; returns the text (owned)
 * and checks it with xmllint when there is one. */
static char *render_svg(const struct adt_plot_group *g, size_t ng)
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
	assert_int_equal(adt_plot_write(f, g, ng, &err), 0);
	assert_int_equal(fflush(f), 0);
	len = ftell(f);
	assert_true(len > 0);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	if (access("/usr/bin/xmllint", X_OK) == 0) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
	} else {
		print_message("no /usr/bin/xmllint: well-formedness not checked\n");
	}
	unlink(path);
	return buf;
}

/* The points attribute of the n-th polyline (from 0), owned. */
static char *polyline_points(const char *s, size_t n)
{
	const char *p = s, *end;

	for (size_t i = 0; i <= n; i++) {
		p = strstr(p, "<polyline");
		assert_non_null(p);
		p++;
	}
	p = strstr(p, "points=\"") + 8;
	end = strchr(p, '"');
	return strndup(p, (size_t)(end - p));
}

/* Two small curves: image with P = 2, N = 2 and points (tp, fp) (1, 0),
 * (2, 2); pixel with P = 4, N = 4 and points (2, 1), (4, 4). */
static const double ti[] = {0.8, 0.3}, tpx[] = {0.5, 0.1};
static const uint64_t ci[][2] = {{1, 0}, {2, 2}}, cpx[][2] = {{2, 1}, {4, 4}};

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
	struct adt_level_result rp = {.threshold = 0.1,
				      .tp = 4,
				      .fp = 4,
				      .ap = 2.0 / 3,
				      .auroc = 0.75,
				      .rule = ADT_RULE_GT,
				      .policy = "recall:0.95"};
	struct adt_plot_curve c[2] = {{"image", &pi, 2, 2, &ri}, {"pixel", &pp, 4, 4, &rp}};
	struct adt_plot_group g[2] = {{"bottle", c, 2}, {"<a&b> \"q\" \xff\x01", c, 2}};
	char *s, *pts;

	(void)state;
	make_points(&pi, ti, ci, 2);
	make_points(&pp, tpx, cpx, 2);
	s = render_svg(g, 2);
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" "
				  "height=\"880\" viewBox=\"0 0 800 880\""));
	assert_non_null(strstr(s, "<title>adthresh: precision-recall and ROC curves</title>"));
	assert_int_equal(count(s, "<polyline"), 8);
	assert_int_equal(count(s, "<circle"), 8);
	assert_int_equal(count(s, ">bottle: Precision-recall</text>"), 1);
	assert_int_equal(count(s, ">bottle: ROC</text>"), 1);
	assert_int_equal(count(s, ">&lt;a&amp;b&gt; &quot;q&quot; ??: ROC</text>"), 1);
	/* AP 5/6 and 2/3, AUROC 7/8 and 3/4, to 4 decimals. */
	assert_int_equal(count(s, ">image (AP 0.8333)</text>"), 2);
	assert_int_equal(count(s, ">pixel (AP 0.6667)</text>"), 2);
	assert_int_equal(count(s, ">image (AUROC 0.8750)</text>"), 2);
	assert_int_equal(count(s, ">pixel (AUROC 0.7500)</text>"), 2);
	assert_int_equal(count(s, "stroke=\"#1f77b4\""), 8);
	assert_int_equal(count(s, "stroke=\"#ff7f0e\""), 8);
	assert_non_null(strstr(s, "<title>bottle, image: threshold 0.8 (score &gt;= threshold), "
				  "policy f1\nprecision 1.0000 (1/1)\nrecall 0.5000 (1/2)\n"
				  "FPR 0.0000 (0/2)</title>"));
	assert_non_null(strstr(s, "<title>bottle, pixel: threshold 0.1 (score &gt; threshold), "
				  "policy recall:0.95\nprecision 0.5000 (4/8)\n"
				  "recall 1.0000 (4/4)\nFPR 1.0000 (4/4)</title>"));
	/* The plot areas start at (64, 40) and (464, 40), 300 px square.
	 * Image PR in steps from (0, 1): precision 1 to recall 1/2, down to
	 * 1/2, across to recall 1; the repeated (0, 1) and nothing else is
	 * dropped. */
	pts = polyline_points(s, 0);
	assert_string_equal(pts, "64.00,40.00 214.00,40.00 214.00,190.00 364.00,190.00");
	free(pts);
	/* Pixel PR: (0, 1), down to 2/3 at recall 0, across to 1/2, down to
	 * 1/2, across to 1. */
	pts = polyline_points(s, 1);
	assert_string_equal(pts, "64.00,40.00 64.00,140.00 214.00,140.00 214.00,190.00 "
				 "364.00,190.00");
	free(pts);
	/* Image ROC: (0, 0), (0, 1/2), (1, 1). */
	pts = polyline_points(s, 2);
	assert_string_equal(pts, "464.00,340.00 464.00,190.00 764.00,40.00");
	free(pts);
	/* Pixel ROC: (0, 0), (1/4, 1/2), (1, 1): not one line. */
	pts = polyline_points(s, 3);
	assert_string_equal(pts, "464.00,340.00 539.00,190.00 764.00,40.00");
	free(pts);
	/* The second row of panels is 440 px lower. */
	pts = polyline_points(s, 6);
	assert_string_equal(pts, "464.00,780.00 464.00,630.00 764.00,480.00");
	free(pts);
	/* Markers: image at recall 1/2, precision 1 and FPR 0, TPR 1/2. */
	assert_non_null(strstr(s, "<circle cx=\"214.00\" cy=\"40.00\""));
	assert_non_null(strstr(s, "<circle cx=\"464.00\" cy=\"190.00\""));
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
	char *s;

	(void)state;
	make_points(&p0, ti, c0, 2);
	make_points(&p1, tpx, c1, 2);
	s = render_svg(&g, 1);
	assert_int_equal(count(s, "<polyline"), 1);
	assert_int_equal(count(s, "<circle"), 0);
	assert_int_equal(count(s, ">image (AP n/a)</text>"), 1);
	assert_int_equal(count(s, ">image (AUROC n/a)</text>"), 1);
	assert_int_equal(count(s, ">pixel</text>"), 2);
	assert_int_equal(count(s, ">Precision-recall</text>"), 1);
	free(s);
	/* Nothing at all still makes a document. */
	s = render_svg(NULL, 0);
	assert_int_equal(count(s, "<polyline"), 0);
	assert_non_null(strstr(s, "</svg>"));
	free(s);
	adt_points_release(&p0);
	adt_points_release(&p1);
}

static void test_svg_large(void **state)
{
	/* 1e6 thresholds on a smooth ROC curve, TPR = 1 - (1 - FPR)^3 with
	 * P = N = 1e6: each polyline keeps a few hundred vertices at most. */
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
		size_t n = 1;

		p = polyline_points(s, i);
		n += count(p, " ") + count(p, "\n");
		print_message("polyline %zu: %zu vertices\n", i, n);
		assert_true(n >= 10 && n <= 1000);
		free(p);
	}
	free(s);
	adt_points_release(&pts);
}

static void test_svg_locale(void **state)
{
	/* Coordinates keep their decimal point under a decimal-comma locale. */
	static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8"};
	struct adt_points pts;
	struct adt_plot_curve c = {"image", &pts, 4, 4, NULL};
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
	p = polyline_points(s, 1);
	assert_string_equal(p, "464.00,340.00 539.00,190.00 764.00,40.00");
	free(p);
	free(s);
	adt_points_release(&pts);
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
	assert_int_equal(adt_plot_write(f, &g, 1, &err), -1);
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
	assert_int_equal(adt_plot_write(f, &g, 1, &err), -1);
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
	assert_int_equal(adt_plot_write(f, &g, 1, &err), -1);
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
	    cmocka_unit_test(test_svg_batch),
	    cmocka_unit_test(test_svg_undefined),
	    cmocka_unit_test(test_svg_large),
	    cmocka_unit_test(test_svg_locale),
	    cmocka_unit_test(test_write_error),
	    cmocka_unit_test(test_incomplete_points),
	    cmocka_unit_test(test_unreadable_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
