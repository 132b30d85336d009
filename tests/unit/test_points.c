/* Unit tests of curve points: growth, the temporary file past the memory
 * limit, reading back in order, appending in every combination. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "adthresh/points.h"

/* Point i of a test sequence starting at `base`. */
static void fill(struct adt_points *pts, uint64_t base, uint64_t n)
{
	for (uint64_t i = base; i < base + n; i++)
		adt_points_push(pts, -(double)i, i, 3 * i);
}

/* pts holds the points base .. base + n - 1, in order. */
static void check_seq(const struct adt_points *pts, uint64_t base, uint64_t n)
{
	struct adt_points_reader r;
	struct adt_point x;
	uint64_t i = base;

	assert_false(pts->failed);
	assert_int_equal(adt_points_count(pts), n);
	adt_points_read_begin(&r, pts);
	while (adt_points_read(&r, &x) == 1) {
		assert_true(x.t == -(double)i && x.tp == i && x.fp == 3 * i);
		i++;
	}
	assert_int_equal(i, base + n);
	assert_int_equal(adt_points_read(&r, &x), 0);
}

static void test_memory_only(void **state)
{
	struct adt_points a = {0}, b = {0};

	(void)state;
	fill(&a, 0, 1000);
	fill(&b, 1000, 2345);
	assert_null(a.spill);
	adt_points_append(&a, &b);
	check_seq(&a, 0, 3345);
	assert_int_equal(adt_points_count(&b), 0);
	adt_points_release(&a);
	adt_points_release(&b);
}

static void test_spill(void **state)
{
	struct adt_points a = {.limit = 1000}, b = {.limit = 700}, c = {0}, d = {.limit = 64};

	(void)state;
	fill(&a, 0, 250000); /* 250 spills into one file */
	assert_non_null(a.spill);
	assert_true(a.n <= 1000);
	check_seq(&a, 0, 250000);
	/* Spilled onto spilled, memory onto spilled, spilled onto memory. */
	fill(&b, 250000, 5000);
	adt_points_append(&a, &b);
	fill(&c, 255000, 17);
	adt_points_append(&a, &c);
	check_seq(&a, 0, 255017);
	fill(&d, 255017, 1000);
	c = (struct adt_points){0};
	fill(&c, 0, 1);
	adt_points_release(&c);
	adt_points_append(&a, &d);
	check_seq(&a, 0, 256017);
	/* Onto an empty one the whole sequence moves, file and all. */
	c = (struct adt_points){.limit = 5};
	adt_points_append(&c, &a);
	check_seq(&c, 0, 256017);
	assert_int_equal(adt_points_count(&a), 0);
	adt_points_release(&c);
}

/* Without a place for the file the points are incomplete, never wrong. */
static void test_spill_fails(void **state)
{
	struct adt_points a = {.limit = 10};
	const char *old = getenv("TMPDIR");

	(void)state;
	setenv("TMPDIR", "/nonexistent/folder", 1);
	fill(&a, 0, 100);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	assert_true(a.failed);
	adt_points_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memory_only),
	    cmocka_unit_test(test_spill),
	    cmocka_unit_test(test_spill_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
