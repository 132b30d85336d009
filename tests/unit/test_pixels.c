/* Unit tests of the pixel level's keys and counting sweep, against the
 * sort-based sweep of the image level on the same scores. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stdatomic.h>

#include "adthresh/curve.h"
#include "adthresh/parallel.h"
#include "adthresh/pixels.h"

static uint64_t rng = 0x243F6A8885A308D3ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double unit(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

/* Score distributions that stress the buckets differently. */
enum shape {
	NARROW,	   /* all in [1, 1.0078): one bucket, dense */
	SPREAD,	   /* across many exponents and both signs: many sparse buckets */
	QUANTISED, /* few distinct values: heavy ties */
	GAUSSIAN,  /* a detector-like map: a few dense buckets */
	ZEROS	   /* +0 and -0 and tiny values */
};

static float draw(enum shape s, int positive)
{
	switch (s) {
	case NARROW:
		return 1.0f + (float)(unit() * 0.0078);
	case SPREAD:
		return (float)((unit() < 0.5 ? -1 : 1) * pow(10, unit() * 60 - 30));
	case QUANTISED:
		return (float)(floor(unit() * 7) / 4 + positive * 0.5);
	case GAUSSIAN:
		return (float)(1.0 + 0.35 * (unit() + unit() + unit() - 1.5) + positive);
	case ZEROS:
		return next() % 3 == 0 ? -0.0f : next() % 2 ? 0.0f : (float)(unit() * 1e-40);
	}
	return 0;
}

/* Given thresholds (a score of the data, one between scores, one above
 * and one below all) count exactly what a scan counts. */
static void check_given(struct adt_pixels *px, unsigned threads, const float *map,
			const uint8_t *mask, size_t n)
{
	double given[4] = {map[n / 2], nextafter((double)map[n / 3], INFINITY), 1e39, -1e39};
	struct adt_error err;

	adt_error_init(&err);
	for (int g = 0; g < 4; g++) {
		struct adt_sweep s;
		struct adt_level_result ge, gt;
		uint64_t tp = 0, fp = 0, tp_gt = 0, fp_gt = 0;

		for (size_t i = 0; i < n; i++) {
			tp += mask[i] && map[i] >= given[g];
			fp += !mask[i] && map[i] >= given[g];
			tp_gt += mask[i] && map[i] > given[g];
			fp_gt += !mask[i] && map[i] > given[g];
		}
		struct adt_sweep_opts so = {.has_given = 1, .given = given[g]};

		adt_policy_default(&so.policy);
		assert_int_equal(adt_pixels_sweep(px, threads, &so, &s, &err), 0);
		adt_sweep_result(&s, ADT_RULE_GE, &ge);
		adt_sweep_result(&s, ADT_RULE_GT, &gt);
		assert_true(ge.given && ge.threshold == given[g]);
		assert_int_equal(ge.tp, tp);
		assert_int_equal(ge.fp, fp);
		assert_int_equal(gt.tp, tp_gt);
		assert_int_equal(gt.fp, fp_gt);
	}
}

/* Every policy and the partial AUROC agree between the parallel counting
 * sweep and the sort path; and the same policies compared in one
 * parallel sweep give what each gives alone. */
static void check_policies(struct adt_pixels *px, unsigned threads, const float *pos, size_t np,
			   const float *neg, size_t nn)
{
	static const char *const names[] = {"recall:0.9", "fpr:0.05", "precision:0.7",
					    "youden",	  "corner",   "f1"};
	enum { NAMES = sizeof(names) / sizeof(*names) };
	struct adt_sweep_opts all = {.ncompare = NAMES};
	struct adt_sweep c;
	struct adt_level_result rc;
	struct adt_error err;

	adt_error_init(&err);
	adt_policy_default(&all.policy);
	for (size_t k = 0; k < NAMES; k++)
		assert_int_equal(adt_policy_parse(names[k], &all.compare[k].policy, &err), 0);
	assert_int_equal(adt_pixels_sweep(px, threads, &all, &c, &err), 0);
	adt_sweep_result(&c, ADT_RULE_GT, &rc);
	for (size_t k = 0; k < NAMES; k++) {
		struct adt_sweep_opts so = {.max_fpr = 0.3};
		struct adt_sweep a, b;
		struct adt_level_result ra, rb, gt;

		assert_int_equal(adt_policy_parse(names[k], &so.policy, &err), 0);
		assert_int_equal(adt_pixels_sweep(px, threads, &so, &a, &err), 0);
		adt_sweep_init(&b, np, nn);
		adt_sweep_configure(&b, &so);
		assert_int_equal(adt_curve_sweep_f32(pos, np, neg, nn, &b, &err), 0);
		adt_sweep_result(&a, ADT_RULE_GE, &ra);
		adt_sweep_result(&b, ADT_RULE_GE, &rb);
		assert_int_equal(ra.unmet, rb.unmet);
		assert_true(ra.unmet || ra.threshold == rb.threshold);
		assert_int_equal(ra.tp, rb.tp);
		assert_int_equal(ra.fp, rb.fp);
		assert_true((isnan(ra.pauroc) && isnan(rb.pauroc)) ||
			    fabs(ra.pauroc - rb.pauroc) < 1e-12);
		adt_sweep_result(&a, ADT_RULE_GT, &gt);
		if (gt.one_class) {
			/* Undefined, but for fpr (on normal pixels alone, if
			 * a threshold meets it). */
			assert_true(!rc.policies[k].defined || so.policy.kind == ADT_POLICY_FPR);
			continue;
		}
		assert_int_equal(rc.policies[k].defined, !gt.unmet);
		assert_true(gt.unmet || rc.policies[k].threshold == gt.threshold);
		assert_int_equal(rc.policies[k].tp, gt.unmet ? 0 : gt.tp);
		assert_int_equal(rc.policies[k].fp, gt.unmet ? 0 : gt.fp);
	}
	adt_sweep_release(&c);
}

/* Builds one map of n pixels, a fraction of them anomalous, feeds it to
 * the pixel level in several images, and compares with the sort path. */
static void check(enum shape shape, size_t n, double frac, unsigned threads, size_t images)
{
	float *map = malloc(n * sizeof(*map)), *pos = malloc(n * sizeof(*pos));
	float *neg = malloc(n * sizeof(*neg));
	uint8_t *mask = malloc(n);
	size_t np = 0, nn = 0, done = 0;
	struct adt_error err;
	struct adt_pixels *px;
	struct adt_sweep a, b;
	struct adt_level_result ra, rb;

	assert_non_null(map);
	assert_non_null(mask);
	for (size_t i = 0; i < n; i++) {
		mask[i] = unit() < frac;
		map[i] = draw(shape, mask[i]);
		if (mask[i])
			pos[np++] = map[i];
		else
			neg[nn++] = map[i];
	}
	adt_error_init(&err);
	px = adt_pixels_new(n, 0, &err);
	assert_non_null(px);
	for (size_t k = 0; k < images; k++) {
		size_t len = (n - done) / (images - k);
		struct adt_raster m = {len, 1, ADT_SAMPLE_F32, map + done, 0};
		struct adt_raster g = {len, 1, ADT_SAMPLE_U8, mask + done, 0};
		struct adt_image_stats st;

		assert_int_equal(adt_pixels_add(px, &m, 0, &g, &st, &err), 0);
		done += len;
	}
	assert_int_equal(adt_pixels_sweep(px, threads, NULL, &a, &err), 0);
	adt_sweep_init(&b, np, nn);
	assert_int_equal(adt_curve_sweep_f32(pos, np, neg, nn, &b, &err), 0);
	assert_int_equal(a.steps, b.steps);
	adt_sweep_result(&a, ADT_RULE_GE, &ra);
	adt_sweep_result(&b, ADT_RULE_GE, &rb);
	assert_true(ra.threshold == rb.threshold);
	assert_int_equal(ra.tp, rb.tp);
	assert_int_equal(ra.fp, rb.fp);
	assert_true(ra.min == rb.min && ra.max == rb.max);
	if (np && nn) {
		assert_true(ra.auroc == rb.auroc); /* exact integer area either way */
		assert_true(fabs(ra.ap - rb.ap) < 1e-12);
	}
	adt_sweep_result(&a, ADT_RULE_GT, &ra);
	adt_sweep_result(&b, ADT_RULE_GT, &rb);
	assert_int_equal(ra.tp, rb.tp);
	assert_int_equal(ra.fp, rb.fp);
	check_given(px, threads, map, mask, n);
	check_policies(px, threads, pos, np, neg, nn);
	adt_pixels_free(px);
	free(map);
	free(pos);
	free(neg);
	free(mask);
}

static void test_against_sort(void **state)
{
	static const size_t sizes[] = {1, 2, 17, 5000, 70000, 150000};
	static const double fracs[] = {0.0, 0.02, 0.5, 1.0};

	(void)state;
	for (int shape = NARROW; shape <= ZEROS; shape++) {
		for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
			for (size_t f = 0; f < sizeof(fracs) / sizeof(*fracs); f++) {
				for (unsigned t = 1; t <= 3; t++) {
					print_message("shape %d n %zu frac %g threads %u\n", shape,
						      sizes[s], fracs[f], t);
					check((enum shape)shape, sizes[s], fracs[f], t,
					      sizes[s] > 4 ? 4 : 1);
				}
			}
		}
	}
}

static void test_bad_pixels(void **state)
{
	float v[6] = {0.5f, 0.25f, 0.0f, 1.0f, 2.0f, 3.0f};
	uint8_t m[6] = {0, 1, 0, 0, 1, 0};
	struct adt_raster map = {3, 2, ADT_SAMPLE_F32, v, 0};
	struct adt_raster mask = {3, 2, ADT_SAMPLE_U8, m, 0};
	struct adt_raster small = {2, 2, ADT_SAMPLE_U8, m, 0};
	struct adt_image_stats st;
	struct adt_error err;
	struct adt_pixels *px;

	(void)state;
	adt_error_init(&err);
	v[4] = NAN;
	px = adt_pixels_new(100, 0, &err);
	assert_int_equal(adt_pixels_add(px, &map, 0, &mask, &st, &err), -1);
	assert_string_equal(err.msg, "pixel (1, 1) is NaN");
	v[4] = -INFINITY;
	assert_int_equal(adt_pixels_add(px, &map, 0, &mask, &st, &err), -1);
	assert_string_equal(err.msg, "pixel (1, 1) is not finite (inf)");
	v[4] = 2;
	assert_int_equal(adt_pixels_add(px, &map, 0, &small, &st, &err), -1);
	assert_string_equal(err.msg, "mask is 2x2 pixels, map is 3x2");
	map.sample = ADT_SAMPLE_F64;
	assert_int_equal(adt_pixels_add(px, &map, 0, NULL, &st, &err), -1);
	assert_string_equal(err.msg, "a float64 map needs 8-byte keys");
	map.sample = ADT_SAMPLE_U8;
	assert_int_equal(adt_pixels_add(px, &map, 0, NULL, &st, &err), -1);
	assert_string_equal(err.msg,
			    "uint8 samples cannot be a map (expected float16, float32 or float64)");
	adt_pixels_free(px);
}

static void test_stats_and_scaling(void **state)
{
	uint8_t png[4] = {0, 128, 255, 7};
	uint16_t half[4] = {0x3C00, 0xC000, 0x0001, 0x8000}; /* 1, -2, 2^-24, -0 */
	uint8_t m[4] = {0, 255, 0, 1};
	struct adt_raster map = {2, 2, ADT_SAMPLE_U8, png, 0};
	struct adt_raster mask = {2, 2, ADT_SAMPLE_U8, m, 0};
	struct adt_image_stats st;
	struct adt_error err;
	struct adt_pixels *px;
	struct adt_sweep s;

	(void)state;
	adt_error_init(&err);
	px = adt_pixels_new(8, 0, &err);
	assert_int_equal(adt_pixels_add(px, &map, 1, &mask, &st, &err), 0);
	assert_true(st.max == (double)1.0f);
	assert_int_equal(st.positives, 2);
	map = (struct adt_raster){2, 2, ADT_SAMPLE_F16, half, 0};
	assert_int_equal(adt_pixels_add(px, &map, 0, NULL, &st, &err), 0);
	assert_true(st.max == 1.0);
	assert_int_equal(st.positives, 0);
	assert_int_equal(adt_pixels_sweep(px, 2, NULL, &s, &err), 0);
	assert_int_equal(s.P, 2);
	assert_int_equal(s.N, 6);
	/* Distinct: 1 (twice), 128/255, 7/255, 2^-24, 0 (three times), -2. */
	assert_int_equal(s.steps, 6);
	assert_true(s.first == 1.0 && s.last == -2.0);
	adt_pixels_free(px);
}

static void test_wide(void **state)
{
	enum { N = 20000 };
	double *v = malloc(N * sizeof(*v)), *pos = malloc(N * sizeof(*pos));
	double *neg = malloc(N * sizeof(*neg));
	uint8_t *m = malloc(N);
	size_t np = 0, nn = 0;
	struct adt_raster map = {N, 1, ADT_SAMPLE_F64, v, 0};
	struct adt_raster mask = {N, 1, ADT_SAMPLE_U8, m, 0};
	struct adt_image_stats st;
	struct adt_error err;
	struct adt_pixels *px;
	struct adt_sweep a, b;
	struct adt_level_result ra, rb;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		m[i] = unit() < 0.1;
		v[i] = floor(unit() * 1000) / 1000 + m[i] * 0.2 + 1e-17 * (double)(i % 3);
		if (m[i])
			pos[np++] = v[i];
		else
			neg[nn++] = v[i];
	}
	adt_error_init(&err);
	px = adt_pixels_new(N, 1, &err);
	assert_int_equal(adt_pixels_add(px, &map, 0, &mask, &st, &err), 0);
	assert_int_equal(adt_pixels_sweep(px, 2, NULL, &a, &err), 0);
	adt_sweep_init(&b, np, nn);
	assert_int_equal(adt_curve_sweep_f64(pos, np, neg, nn, &b, &err), 0);
	adt_sweep_result(&a, ADT_RULE_GE, &ra);
	adt_sweep_result(&b, ADT_RULE_GE, &rb);
	assert_int_equal(a.steps, b.steps);
	assert_true(ra.threshold == rb.threshold);
	assert_int_equal(ra.tp, rb.tp);
	assert_int_equal(ra.fp, rb.fp);
	assert_true(ra.auroc == rb.auroc);
	adt_pixels_free(px);
	free(v);
	free(pos);
	free(neg);
	free(m);
}

/* Regions by flood fill (a stack of pixels, 8 neighbours): label[i] is
 * 1.. for anomalous pixels; returns the number of regions. */
static int flood_regions(const uint8_t *m, int w, int h, int *label, int *size)
{
	int *stack = malloc((size_t)(w * h) * sizeof(*stack)), regions = 0;

	for (int i = 0; i < w * h; i++)
		label[i] = 0;
	for (int i = 0; i < w * h; i++) {
		int top = 0;

		if (!m[i] || label[i])
			continue;
		regions++;
		size[regions] = 0;
		label[i] = regions;
		stack[top++] = i;
		while (top > 0) {
			int p = stack[--top], x = p % w, y = p / w;

			size[regions]++;
			for (int dy = -1; dy <= 1; dy++) {
				for (int dx = -1; dx <= 1; dx++) {
					int q = (y + dy) * w + (x + dx);

					if (x + dx < 0 || x + dx >= w || y + dy < 0 ||
					    y + dy >= h || !m[q] || label[q])
						continue;
					label[q] = regions;
					stack[top++] = q;
				}
			}
		}
	}
	free(stack);
	return regions;
}

/* The thresholds, descending (insertion sort: n is small); the distinct
 * ones are those unlike the one before. */
static void sort_descending(double *t, int n)
{
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && t[j] > t[j - 1]; j--) {
			double x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	}
}

/* AU-PRO straight from its definition: at every distinct score t, FPR(t)
 * and PRO(t) = the mean over regions of the covered fraction, then the
 * trapezoid up to limit, cut by linear interpolation there. */
static double brute_aupro(const float *v, const uint8_t *m, const int *label, const int *size,
			  int n, int regions, double limit)
{
	double *t = malloc((size_t)n * sizeof(*t)), area = 0, x0 = 0, y0 = 0;
	int nt = 0, N = 0;

	for (int i = 0; i < n; i++) {
		N += !m[i];
		t[nt++] = v[i];
	}
	sort_descending(t, nt);
	for (int k = 0; k < nt; k++) {
		double x1, y1 = 0;
		int fp = 0;

		if (k > 0 && t[k] == t[k - 1])
			continue;
		for (int i = 0; i < n; i++) {
			if (v[i] >= t[k] && !m[i])
				fp++;
			if (v[i] >= t[k] && m[i])
				y1 += 1.0 / size[label[i]];
		}
		x1 = (double)fp / N;
		y1 /= regions;
		if (x0 >= limit)
			break;
		if (x1 <= limit) {
			area += (x1 - x0) * (y0 + y1) / 2;
		} else {
			double yl = y0 + (y1 - y0) * (limit - x0) / (x1 - x0);

			area += (limit - x0) * (y0 + yl) / 2;
		}
		x0 = x1;
		y0 = y1;
	}
	free(t);
	return area / limit;
}

static void test_regions_and_aupro(void **state)
{
	/* Diagonal neighbours join (8-connectivity); a U whose arms meet
	 * only at its bottom joins late. */
	static const uint8_t shapes[] = {1, 0, 0, 1, 1, /* */
					 0, 1, 0, 0, 0, /* */
					 0, 0, 0, 0, 1, /* */
					 1, 1, 0, 1, 0, /* */
					 1, 0, 1, 0, 0, /* U and anti-diagonal */
					 1, 0, 1, 0, 1, /* */
					 1, 1, 1, 0, 0, /* */
					 0, 0, 0, 0, 0};
	enum { W = 23, H = 17, N = W * H, IMAGES = 3 };
	float *v = malloc(IMAGES * N * sizeof(*v));
	uint8_t *m = malloc(IMAGES * N);
	int *label = malloc(IMAGES * N * sizeof(*label)), *size = malloc((N + 1) * sizeof(*size));
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	{
		struct adt_raster map = {5, 8, ADT_SAMPLE_F32, v, 0};
		struct adt_raster mask = {5, 8, ADT_SAMPLE_U8, (void *)shapes, 0};
		struct adt_image_stats st;
		struct adt_pixels *px = adt_pixels_new(40, 0, &err);

		for (int i = 0; i < 40; i++)
			v[i] = (float)i;
		assert_int_equal(adt_pixels_track_regions(px, &err), 0);
		assert_int_equal(adt_pixels_add(px, &map, 0, &mask, &st, &err), 0);
		/* {(0,0),(1,1)}, {(3,0),(4,0)}, the single (4,5), and the U
		 * joined through (1,3)-(2,4) and (3,3)-(4,2) diagonally. */
		assert_int_equal(adt_pixels_regions(px), 4);
		assert_int_equal(flood_regions(shapes, 5, 8, label, size), 4);
		adt_pixels_free(px);
	}
	for (int round = 0; round < 40; round++) {
		/* Blobs: a few seeds grown at random, plus sparse single pixels. */
		double density = 0.02 + 0.1 * unit();
		double limits[] = {0.3, 0.05, 1.0, unit()};
		int regions = 0;

		for (int i = 0; i < IMAGES * N; i++) {
			m[i] = unit() < density;
			v[i] = (float)(round % 2 ? floor(unit() * 9) / 8 : unit());
		}
		for (int i = 0; i < IMAGES * N; i++) {
			if (m[i])
				v[i] += (float)(0.3 * unit());
		}
		for (int img = 0; img < IMAGES; img++) {
			/* One image without anomalies now and then. */
			if (round % 5 == 0 && img == 1)
				memset(m + img * N, 0, N);
		}
		for (size_t l = 0; l < sizeof(limits) / sizeof(*limits); l++) {
			double want;
			int *lab = label;

			/* The reference over all images pooled: regions of each image,
			 * numbered on from the previous images' regions. */
			regions = 0;
			for (int img = 0; img < IMAGES; img++) {
				int *sz = malloc((N + 1) * sizeof(*sz));
				int k = flood_regions(m + img * N, W, H, lab + img * N, sz);

				for (int i = 0; i < N; i++) {
					if (lab[img * N + i])
						lab[img * N + i] += regions;
				}
				for (int r = 1; r <= k; r++)
					size[regions + r] = sz[r];
				regions += k;
				free(sz);
			}
			if (regions == 0)
				continue;
			want = brute_aupro(v, m, label, size, IMAGES * N, regions, limits[l]);
			for (unsigned threads = 1; threads <= 3; threads++) {
				struct adt_pixels *px = adt_pixels_new(IMAGES * N, 0, &err);
				struct adt_sweep_opts o;
				struct adt_sweep s;
				struct adt_level_result r;

				memset(&o, 0, sizeof(o));
				adt_policy_default(&o.policy);
				o.aupro_limit = limits[l];
				assert_int_equal(adt_pixels_track_regions(px, &err), 0);
				for (int img = 0; img < IMAGES; img++) {
					struct adt_raster map = {W, H, ADT_SAMPLE_F32, v + img * N,
								 0};
					struct adt_raster mask = {W, H, ADT_SAMPLE_U8, m + img * N,
								  0};
					struct adt_image_stats st;

					assert_int_equal(
					    adt_pixels_add(px, &map, 0, &mask, &st, &err), 0);
				}
				assert_int_equal(adt_pixels_regions(px), regions);
				assert_int_equal(adt_pixels_sweep(px, threads, &o, &s, &err), 0);
				adt_sweep_result(&s, ADT_RULE_GE, &r);
				if (fabs(r.aupro - want) > 1e-12)
					fail_msg("round %d limit %g threads %u: aupro %.17g, want "
						 "%.17g",
						 round, limits[l], threads, r.aupro, want);
				adt_pixels_free(px);
			}
		}
	}
	free(v);
	free(m);
	free(label);
	free(size);
}

/* Per-image counts at a threshold equal a scan, for both rules, with
 * thresholds that are scores, between scores and not floats at all. */
static void test_count_at(void **state)
{
	enum { W = 7, H = 5, N = W * H };
	float v[2 * N];
	uint8_t m[2 * N];
	struct adt_image_stats st[2];
	struct adt_error err;
	const double ts[] = {0.5, 0.1, 0.25, -1, 2, 0.0, 1e-50, 3.4e38, 1e300};

	(void)state;
	adt_error_init(&err);
	for (int i = 0; i < 2 * N; i++) {
		v[i] = (float)(floor(unit() * 8) / 8 - (i % 9 == 0 ? 0.0 : 0.25));
		if (i % 11 == 0)
			v[i] = -0.0f;
		m[i] = unit() < 0.3;
	}
	for (int wide = 0; wide <= 1; wide++) {
		double dv[2 * N];

		for (int i = 0; i < 2 * N; i++)
			dv[i] = v[i];
		for (size_t k = 0; k < sizeof(ts) / sizeof(*ts); k++) {
			for (int rule = ADT_RULE_GE; rule <= ADT_RULE_GT; rule++) {
				struct adt_pixels *px = adt_pixels_new(2 * N, wide, &err);
				struct adt_sweep s;

				adt_pixels_keep_order(px);
				for (int img = 0; img < 2; img++) {
					struct adt_raster map = {
					    W, H, wide ? ADT_SAMPLE_F64 : ADT_SAMPLE_F32,
					    wide ? (void *)(dv + img * N) : (void *)(v + img * N),
					    0};
					struct adt_raster mask = {W, H, ADT_SAMPLE_U8, m + img * N,
								  0};

					assert_int_equal(
					    adt_pixels_add(px, &map, 0, &mask, &st[img], &err), 0);
				}
				assert_int_equal(adt_pixels_sweep(px, 2, NULL, &s, &err), 0);
				assert_int_equal(adt_pixels_count_at(px, ts[k], (enum adt_rule)rule, st, 2, &err), 0);
				for (int img = 0; img < 2; img++) {
					uint64_t tp = 0, fp = 0;

					for (int i = img * N; i < (img + 1) * N; i++) {
						double x = v[i];
						int f =
						    rule == ADT_RULE_GT ? x > ts[k] : x >= ts[k];

						tp += f && m[i];
						fp += f && !m[i];
					}
					assert_int_equal(st[img].tp, tp);
					assert_int_equal(st[img].fp, fp);
				}
				adt_pixels_free(px);
			}
		}
	}
}

/* AUPIMO straight from its definition: the images' pixels (v, m) with
 * image[i] the image of pixel i; at every distinct score t, S(t) = the
 * mean over the normal images of their flagged fraction and TPR_i(t);
 * the points with S > 0 joined by straight lines in (ln S, TPR), cut to
 * [ln lower, ln upper] by interpolation; out[k] for the k-th anomalous
 * image.  Returns the lowest S above 0. */
static double brute_aupimo(const double *v, const uint8_t *m, const int *image, int n, int images,
			   double lower, double upper, double *out)
{
	double *t = malloc((size_t)n * sizeof(*t)), *x = malloc((size_t)n * sizeof(*x));
	double *y = malloc((size_t)n * (size_t)images * sizeof(*y));
	int *size = calloc((size_t)images, sizeof(*size)),
	    *pos = calloc((size_t)images, sizeof(*pos));
	int *fp = malloc((size_t)images * sizeof(*fp)), *tp = malloc((size_t)images * sizeof(*tp));
	int nt = 0, np = 0, normal = 0, k;
	double a = log(lower), b = log(upper), least = 0;

	for (int i = 0; i < n; i++) {
		size[image[i]]++;
		pos[image[i]] += m[i];
		t[nt++] = v[i];
	}
	for (int j = 0; j < images; j++)
		normal += pos[j] == 0;
	sort_descending(t, nt);
	for (int q = 0; q < nt; q++) {
		double sh = 0;

		if (q > 0 && t[q] == t[q - 1])
			continue;
		memset(fp, 0, (size_t)images * sizeof(*fp));
		memset(tp, 0, (size_t)images * sizeof(*tp));
		for (int i = 0; i < n; i++) {
			if (v[i] >= t[q] && m[i])
				tp[image[i]]++;
			else if (v[i] >= t[q] && pos[image[i]] == 0)
				fp[image[i]]++;
		}
		for (int j = 0; j < images; j++)
			sh += pos[j] ? 0 : (double)fp[j] / size[j];
		sh /= normal;
		if (sh <= 0)
			continue;
		least = np == 0 ? sh : least;
		x[np] = log(sh);
		k = 0;
		for (int j = 0; j < images; j++) {
			if (pos[j])
				y[(size_t)np * (size_t)images + (size_t)k++] =
				    (double)tp[j] / pos[j];
		}
		np++;
	}
	k = 0;
	for (int j = 0; j < images; j++) {
		long double area = 0;

		if (!pos[j])
			continue;
		for (int q = 0; q + 1 < np; q++) {
			double x0 = x[q], x1 = x[q + 1], lo = x0 > a ? x0 : a, hi = x1 < b ? x1 : b;
			double y0 = y[(size_t)q * (size_t)images + (size_t)k];
			double y1 = y[(size_t)(q + 1) * (size_t)images + (size_t)k];

			if (hi > lo)
				area += (hi - lo) *
					(2 * y0 + (y1 - y0) * (lo - x0 + hi - x0) / (x1 - x0)) / 2;
		}
		out[k++] = (double)(area / (b - a));
	}
	free(t);
	free(x);
	free(y);
	free(size);
	free(pos);
	free(fp);
	free(tp);
	return least;
}

/* Runs AUPIMO through the pixel level: images of the given sizes, all
 * one row; returns the sweep's per-image values in out. */
static void sweep_aupimo(const double *v, const uint8_t *m, const int *sizes, int images, int wide,
			 unsigned threads, double lower, double upper, double *out,
			 struct adt_level_result *r)
{
	int n = 0;
	struct adt_error err;
	struct adt_image_stats *st = calloc((size_t)images, sizeof(*st));
	float *f;
	struct adt_pixels *px;
	struct adt_sweep_opts o;
	struct adt_sweep s;

	adt_error_init(&err);
	for (int j = 0; j < images; j++)
		n += sizes[j];
	f = malloc((size_t)n * sizeof(*f));
	for (int i = 0; i < n; i++)
		f[i] = (float)v[i];
	px = adt_pixels_new((uint64_t)n, wide, &err);
	for (int j = 0, at = 0; j < images; at += sizes[j], j++) {
		struct adt_raster map = {(uint64_t)sizes[j], 1,
					 wide ? ADT_SAMPLE_F64 : ADT_SAMPLE_F32,
					 wide ? (void *)(v + at) : (void *)(f + at), 0};
		struct adt_raster mask = {(uint64_t)sizes[j], 1, ADT_SAMPLE_U8, (void *)(m + at),
					  0};

		assert_int_equal(adt_pixels_add(px, &map, 0, &mask, &st[j], &err), 0);
	}
	assert_int_equal(adt_pixels_track_images(px, st, (size_t)images, upper, &err), 0);
	memset(&o, 0, sizeof(o));
	adt_policy_default(&o.policy);
	o.aupimo.lower = lower;
	o.aupimo.upper = upper;
	assert_int_equal(adt_pixels_sweep(px, threads, &o, &s, &err), 0);
	assert_false(s.aupimo_failed);
	adt_sweep_result(&s, ADT_RULE_GE, r);
	adt_sweep_aupimo(&s, out);
	adt_sweep_release(&s);
	adt_pixels_free(px);
	free(st);
	free(f);
}

/* Two normal images of 2 and 4 pixels and an anomalous one: the shared
 * FPR steps 1/4, 3/8, 1; the anomalous pixel tied with a normal one rises
 * on a slanted segment, cut at a bound between two points. */
static void test_aupimo_hand(void **state)
{
	static const double v[] = {4, 1, 3, 1, 1, 1, 5, 3};
	static const uint8_t m[] = {0, 0, 0, 0, 0, 0, 1, 1};
	static const int sizes[] = {2, 4, 2};
	double got[1], l4 = log(0.25), l8 = log(0.375), l3 = log(0.3);
	double y3 = 0.5 + 0.5 * (l3 - l4) / (l8 - l4);
	struct adt_level_result r;

	(void)state;
	sweep_aupimo(v, m, sizes, 3, 0, 1, 0.25, 1, got, &r);
	assert_true(fabs(got[0] - (0.75 * (l8 - l4) - l8) / -l4) < 1e-15);
	assert_int_equal(r.aupimo_images, 1);
	assert_true(r.aupimo == got[0] && r.aupimo_std == 0);
	sweep_aupimo(v, m, sizes, 3, 1, 2, 0.3, 1, got, &r);
	assert_true(fabs(got[0] - ((l8 - l3) * (y3 + 1) / 2 - l8) / -l3) < 1e-15);
	/* A band inside the vertical-free tail: TPR 1 throughout. */
	sweep_aupimo(v, m, sizes, 3, 0, 1, 0.5, 0.75, got, &r);
	assert_true(got[0] == 1);
}

/* Random images of different sizes, ties across images and classes,
 * both key widths and 1 to 3 threads against the brute force. */
static void test_aupimo_random(void **state)
{
	enum { IMAGES = 7, MAXPX = 240 };
	static const double bands[][2] = {{1e-3, 1e-2}, {0.01, 1}, {0.05, 0.2}, {0.2, 0.9}};
	double *v = malloc(IMAGES * MAXPX * sizeof(*v)), want[IMAGES], got[IMAGES];
	uint8_t *m = malloc(IMAGES * MAXPX);
	int *image = malloc(IMAGES * MAXPX * sizeof(*image)), sizes[IMAGES], bands_run = 0;

	(void)state;
	for (int round = 0; round < 30; round++) {
		int n = 0, k = 0;

		for (int j = 0; j < IMAGES; j++) {
			int anomalous = j % 3 != 0 || (round % 4 == 0 && j == 3);

			sizes[j] = 20 + (int)(unit() * (MAXPX - 20));
			for (int i = 0; i < sizes[j]; i++, n++) {
				image[n] = j;
				m[n] = anomalous && unit() < 0.25;
				v[n] = round % 2 ? floor(unit() * 16) / 16 : (float)unit();
				v[n] += m[n] ? (round % 2 ? 0.25 : 0.3 * unit()) : 0;
				v[n] = (float)v[n];
			}
			if (anomalous) {
				m[n - 1] = 1;
				k++;
			}
		}
		for (size_t b = 0; b < sizeof(bands) / sizeof(*bands); b++) {
			double least =
			    brute_aupimo(v, m, image, n, IMAGES, bands[b][0], bands[b][1], want);

			if (least > bands[b][0])
				continue;
			bands_run++;
			for (int wide = 0; wide <= 1; wide++) {
				for (unsigned threads = 1; threads <= 3; threads++) {
					struct adt_level_result r;

					sweep_aupimo(v, m, sizes, IMAGES, wide, threads,
						     bands[b][0], bands[b][1], got, &r);
					assert_int_equal(r.aupimo_images, k);
					for (int i = 0; i < k; i++) {
						if (fabs(got[i] - want[i]) > 1e-12)
							fail_msg(
							    "round %d band %zu wide %d threads "
							    "%u image %d: %.17g, want %.17g",
							    round, b, wide, threads, i, got[i],
							    want[i]);
					}
				}
			}
		}
	}
	/* Most bands are within reach of the data. */
	assert_true(bands_run >= 60);
	free(v);
	free(m);
	free(image);
}

/* Adds image k of a bounded run from several threads at once. */
struct bounded_add {
	struct adt_pixels *px;
	const float *map;
	const uint8_t *mask;
	size_t images, per;
	struct adt_image_stats *st;
	atomic_size_t next;
	atomic_int failed;
};

static void bounded_worker(void *arg, unsigned t)
{
	struct bounded_add *b = arg;
	struct adt_error err;

	(void)t;
	adt_error_init(&err);
	for (size_t k = atomic_fetch_add(&b->next, 1); k < b->images;
	     k = atomic_fetch_add(&b->next, 1)) {
		struct adt_raster m = {b->per, 1, ADT_SAMPLE_F32, (void *)(b->map + k * b->per), 0};
		struct adt_raster g = {b->per, 1, ADT_SAMPLE_U8, (void *)(b->mask + k * b->per), 0};

		if (adt_pixels_add(b->px, &m, 0, &g, &b->st[k], &err))
			atomic_store(&b->failed, 1);
	}
}

/* A memory bound that holds a tenth of the keys: the normal keys spill to
 * temporary files in runs, written while images are still being added on
 * two threads, and the sweep, the moments and the per-image counts come
 * out as with every key in memory. */
static void test_bounded(void **state)
{
	enum { IMAGES = 60, PER = 3001, N = IMAGES * PER };
	float *map = malloc(N * sizeof(*map));
	uint8_t *mask = malloc(N);
	struct adt_image_stats *st[2];
	struct adt_error err;

	(void)state;
	assert_non_null(map);
	assert_non_null(mask);
	adt_error_init(&err);
	for (int shape = NARROW; shape <= ZEROS; shape++) {
		struct adt_pixels *px[2];
		struct adt_sweep s[2];
		struct adt_level_result r[2];
		double mean[2], sd[2];

		for (size_t i = 0; i < N; i++) {
			mask[i] = unit() < 0.05;
			map[i] = draw((enum shape)shape, mask[i]);
		}
		for (int b = 0; b < 2; b++) {
			struct bounded_add add = {.map = map, .mask = mask, .images = IMAGES, .per = PER};

			/* 8 bytes a key: room for a tenth of them. */
			px[b] = adt_pixels_new_bounded(N, 0, b ? N / 10 * 8 : 0, PER, 2, &err);
			assert_non_null(px[b]);
			adt_pixels_keep_order(px[b]);
			st[b] = calloc(IMAGES, sizeof(*st[b]));
			assert_non_null(st[b]);
			add.px = px[b];
			add.st = st[b];
			atomic_init(&add.next, 0);
			atomic_init(&add.failed, 0);
			adt_parallel_run(2, bounded_worker, &add);
			assert_int_equal(atomic_load(&add.failed), 0);
			assert_int_equal(adt_pixels_finish(px[b], &err), 0);
			assert_int_equal(adt_pixels_negatives(px[b]), adt_pixels_negatives(px[0]));
			assert_int_equal(adt_pixels_normal_moments(px[b], 2, &mean[b], &sd[b], &err), 0);
			assert_int_equal(adt_pixels_sweep(px[b], 2, NULL, &s[b], &err), 0);
			adt_sweep_result(&s[b], ADT_RULE_GE, &r[b]);
		}
		assert_int_equal(adt_pixels_runs(px[0]), 0);
		assert_true(adt_pixels_runs(px[1]) >= 9);
		assert_int_equal(adt_pixels_spilled(px[1]), adt_pixels_negatives(px[1]));
		assert_int_equal(s[0].steps, s[1].steps);
		assert_true(r[0].threshold == r[1].threshold);
		assert_int_equal(r[0].tp, r[1].tp);
		assert_int_equal(r[0].fp, r[1].fp);
		/* The same steps in the same order: the same bits. */
		assert_true(r[0].auroc == r[1].auroc);
		assert_true(r[0].ap == r[1].ap);
		assert_true(r[0].f1 == r[1].f1);
		/* The moments sum in another order: equal to rounding. */
		assert_true(fabs(mean[0] - mean[1]) <= 1e-14 * fabs(mean[0]) + 1e-300);
		assert_true(fabs(sd[0] - sd[1]) <= 1e-12 * fabs(sd[0]) + 1e-300);
		for (int rule = ADT_RULE_GE; rule <= ADT_RULE_GT; rule++) {
			for (int b = 0; b < 2; b++)
				assert_int_equal(adt_pixels_count_at(px[b], r[0].threshold,
								     (enum adt_rule)rule, st[b],
								     IMAGES, &err),
						 0);
			for (size_t k = 0; k < IMAGES; k++) {
				assert_int_equal(st[0][k].tp, st[1][k].tp);
				assert_int_equal(st[0][k].fp, st[1][k].fp);
			}
		}
		for (int b = 0; b < 2; b++) {
			adt_sweep_release(&s[b]);
			adt_pixels_free(px[b]);
			free(st[b]);
		}
	}
	free(map);
	free(mask);
}

/* Anomalous pixels past the bound stay in memory: the buffer grows for
 * them, and the counts are those of an unbounded run.  A map larger than
 * the bound is an error that says so. */
static void test_bounded_positives(void **state)
{
	enum { N = 1000 };
	float v[N];
	uint8_t m[N];
	struct adt_raster map = {N, 1, ADT_SAMPLE_F32, v, 0};
	struct adt_raster mask = {N, 1, ADT_SAMPLE_U8, m, 0};
	struct adt_image_stats st;
	struct adt_error err;
	struct adt_pixels *px[2];
	struct adt_sweep s[2];
	struct adt_level_result r[2];

	(void)state;
	adt_error_init(&err);
	for (int i = 0; i < N; i++) {
		v[i] = (float)(i % 97);
		m[i] = i % 10 != 0;
	}
	for (int b = 0; b < 2; b++) {
		px[b] = adt_pixels_new_bounded(8 * N, 0, b ? 2 * N * 8 : 0, N, 1, &err);
		assert_non_null(px[b]);
		for (int k = 0; k < 8; k++)
			assert_int_equal(adt_pixels_add(px[b], &map, 0, &mask, &st, &err), 0);
		assert_int_equal(adt_pixels_sweep(px[b], 1, NULL, &s[b], &err), 0);
		adt_sweep_result(&s[b], ADT_RULE_GE, &r[b]);
	}
	assert_true(adt_pixels_runs(px[1]) >= 1);
	assert_int_equal(adt_pixels_positives(px[1]), 8 * 900);
	assert_true(r[0].threshold == r[1].threshold);
	assert_int_equal(r[0].tp, r[1].tp);
	assert_int_equal(r[0].fp, r[1].fp);
	assert_true(r[0].auroc == r[1].auroc && r[0].ap == r[1].ap);
	for (int b = 0; b < 2; b++) {
		adt_sweep_release(&s[b]);
		adt_pixels_free(px[b]);
	}
	assert_null(adt_pixels_new_bounded(8 * N, 0, N * 8 - 8, N, 1, &err));
	assert_non_null(strstr(err.msg, "a map of 1000 pixels needs 1 MiB for its keys"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_against_sort),      cmocka_unit_test(test_bad_pixels),
	    cmocka_unit_test(test_stats_and_scaling), cmocka_unit_test(test_wide),
	    cmocka_unit_test(test_regions_and_aupro), cmocka_unit_test(test_count_at),
	    cmocka_unit_test(test_aupimo_hand),	      cmocka_unit_test(test_aupimo_random),
	    cmocka_unit_test(test_bounded),	      cmocka_unit_test(test_bounded_positives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
