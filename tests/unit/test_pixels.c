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

#include "adthresh/curve.h"
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
 * sweep and the sort path. */
static void check_policies(struct adt_pixels *px, unsigned threads, const float *pos, size_t np,
			   const float *neg, size_t nn)
{
	static const char *const names[] = {"recall:0.9", "fpr:0.05", "precision:0.7", "youden"};
	struct adt_error err;

	adt_error_init(&err);
	for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++) {
		struct adt_sweep_opts so = {.max_fpr = 0.3};
		struct adt_sweep a, b;
		struct adt_level_result ra, rb;

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
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_against_sort),
	    cmocka_unit_test(test_bad_pixels),
	    cmocka_unit_test(test_stats_and_scaling),
	    cmocka_unit_test(test_wide),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
