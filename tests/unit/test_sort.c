/* Unit tests of the order-preserving keys and the radix sort. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/sort.h"

/* Increasing doubles, each strictly above the one before. */
static const double ordered_f64[] = {
    -INFINITY, -DBL_MAX, -1e300,  -2.5,	   -1.0, -DBL_MIN, -4.9e-324,
    0.0,       4.9e-324, DBL_MIN, 1e-300,  0.5,	 1.0,	   1.0000000000000002,
    3.0,       1e300,	 DBL_MAX, INFINITY};

static void test_key_f64_order(void **state)
{
	(void)state;
	for (size_t i = 0; i + 1 < sizeof(ordered_f64) / sizeof(*ordered_f64); i++) {
		uint64_t a = adt_key_f64(ordered_f64[i]), b = adt_key_f64(ordered_f64[i + 1]);

		assert_true(a < b);
		assert_true(adt_f64_of_key(a) == ordered_f64[i]);
	}
}

static void test_key_zero(void **state)
{
	(void)state;
	assert_int_equal(adt_key_f64(-0.0), adt_key_f64(0.0));
	assert_false(signbit(adt_f64_of_key(adt_key_f64(-0.0))));
	assert_int_equal(adt_key_f32(-0.0f), adt_key_f32(0.0f));
	assert_false(signbit(adt_f32_of_key(adt_key_f32(-0.0f))));
}

static void test_key_f32_order(void **state)
{
	static const float v[] = {-INFINITY, -FLT_MAX, -1.5f, -FLT_MIN,	  -1e-45f, 0.0f,    1e-45f,
				  FLT_MIN,   0.25f,    1.0f,  1.0000001f, FLT_MAX, INFINITY};

	(void)state;
	for (size_t i = 0; i + 1 < sizeof(v) / sizeof(*v); i++) {
		assert_true(adt_key_f32(v[i]) < adt_key_f32(v[i + 1]));
		assert_true(adt_f32_of_key(adt_key_f32(v[i])) == v[i]);
	}
}

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t next_u64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Sizes and value spreads: constant, few distinct, narrow, full width. */
static const struct {
	size_t n;
	uint64_t mask;
} sort_cases[] = {{0, ~0ULL},	  {1, ~0ULL},	     {2, ~0ULL},	 {3, 0},
		  {1000, 0},	  {1000, 3},	     {1000, 0xFFF},	 {5000, ~0ULL},
		  {70000, ~0ULL}, {70000, 0xFF00FF}, {12345, 1ULL << 63}};

static void test_radix_u64(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(sort_cases) / sizeof(*sort_cases); c++) {
		size_t n = sort_cases[c].n;
		uint64_t *a = malloc((n + 1) * sizeof(*a)), *b = malloc((n + 1) * sizeof(*b));
		uint64_t *t = malloc((n + 1) * sizeof(*t));

		assert_non_null(a);
		assert_non_null(b);
		assert_non_null(t);
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = (next_u64() & sort_cases[c].mask) | 0x10;
		adt_radix_sort_u64(a, t, n);
		qsort(b, n, sizeof(*b), cmp_u64);
		if (n)
			assert_memory_equal(a, b, n * sizeof(*a));
		free(a);
		free(b);
		free(t);
	}
}

static void test_radix_u32(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(sort_cases) / sizeof(*sort_cases); c++) {
		size_t n = sort_cases[c].n;
		uint32_t *a = malloc((n + 1) * sizeof(*a)), *b = malloc((n + 1) * sizeof(*b));
		uint32_t *t = malloc((n + 1) * sizeof(*t));

		assert_non_null(a);
		assert_non_null(b);
		assert_non_null(t);
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = (uint32_t)(next_u64() & sort_cases[c].mask);
		adt_radix_sort_u32(a, t, n);
		qsort(b, n, sizeof(*b), cmp_u32);
		if (n)
			assert_memory_equal(a, b, n * sizeof(*a));
		free(a);
		free(b);
		free(t);
	}
}

/* The tagged sort orders the keys like the plain one and carries each
 * tag with its key, stably: equal keys keep their tags' order. */
static void test_radix_tagged(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(sort_cases) / sizeof(*sort_cases); c++) {
		size_t n = sort_cases[c].n;
		uint64_t *a = malloc((n + 1) * sizeof(*a)), *b = malloc((n + 1) * sizeof(*b));
		uint64_t *t = malloc((n + 1) * sizeof(*t)), *orig = malloc((n + 1) * sizeof(*orig));
		uint32_t *tag = malloc((n + 1) * sizeof(*tag)), *tt = malloc((n + 1) * sizeof(*tt));

		assert_non_null(a);
		assert_non_null(b);
		assert_non_null(t);
		assert_non_null(orig);
		assert_non_null(tag);
		assert_non_null(tt);
		for (size_t i = 0; i < n; i++) {
			a[i] = b[i] = orig[i] = (next_u64() & sort_cases[c].mask) | 0x10;
			tag[i] = (uint32_t)i;
		}
		adt_radix_sort_u64_tagged(a, tag, t, tt, n);
		qsort(b, n, sizeof(*b), cmp_u64);
		if (n)
			assert_memory_equal(a, b, n * sizeof(*a));
		for (size_t i = 0; i < n; i++) {
			assert_true(orig[tag[i]] == a[i]);
			if (i > 0 && a[i] == a[i - 1])
				assert_true(tag[i] > tag[i - 1]);
		}
		free(a);
		free(b);
		free(t);
		free(orig);
		free(tag);
		free(tt);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_f64_order), cmocka_unit_test(test_key_zero),
	    cmocka_unit_test(test_key_f32_order), cmocka_unit_test(test_radix_u64),
	    cmocka_unit_test(test_radix_u32),	  cmocka_unit_test(test_radix_tagged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
