/* Unit tests of curve points: growth, the temporary file past the memory
 * limit, reading back in order, appending in every combination. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

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

/* Fills a with n points while TMPDIR is dir (NULL: unset). */
static void fill_in(struct adt_points *a, const char *dir, uint64_t n)
{
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

	if (dir)
		setenv("TMPDIR", dir, 1);
	else
		unsetenv("TMPDIR");
	fill(a, 0, n);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
}

/* Without a place for the file the points are incomplete, never wrong,
 * and the message names the folder and the system's reason. */
static void test_spill_fails(void **state)
{
	static const struct {
		const char *dir, *msg;
	} cases[] = {
	    {"/nonexistent/folder", "cannot create a temporary file in '/nonexistent/folder' for "
				    "the pixel curve's points: No such file or directory"},
	    {"/dev/null", "cannot create a temporary file in '/dev/null' for the pixel curve's "
			  "points: Not a directory"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct adt_points a = {.limit = 10}, b = {.limit = 10};
		struct adt_error err;

		fill_in(&a, cases[i].dir, 100);
		assert_int_equal(a.failed, ADT_POINTS_CREATE);
		adt_error_init(&err);
		assert_int_equal(adt_points_error(&a, "pixel", &err), -1);
		assert_int_equal(err.code, ADT_EIO);
		assert_string_equal(err.msg, cases[i].msg);
		/* Appended, the failure and its folder go along. */
		fill(&b, 0, 5);
		adt_points_append(&b, &a);
		adt_error_init(&err);
		adt_points_error(&b, "pixel", &err);
		assert_string_equal(err.msg, cases[i].msg);
		adt_points_release(&a);
		adt_points_release(&b);
	}
}

/* A file that cannot grow (the file size limit stands in for a full
 * disk): the write fails and says why. */
static void test_spill_write_fails(void **state)
{
	struct adt_points a = {.limit = 100};
	struct rlimit old, small;
	struct adt_error err;
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 1000;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	fill_in(&a, NULL, 1000);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_int_equal(a.failed, ADT_POINTS_WRITE);
	adt_error_init(&err);
	adt_points_error(&a, "image", &err);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.msg, "cannot write the image curve's points to a temporary file "
				     "in '/tmp': File too large");
	adt_points_release(&a);
}

/* Out of memory is still called so. */
static void test_nomem_message(void **state)
{
	struct adt_points a = {.failed = ADT_POINTS_NOMEM};
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	adt_points_error(&a, "pixel", &err);
	assert_int_equal(err.code, ADT_ENOMEM);
	assert_string_equal(err.msg, "out of memory keeping the pixel curve's points");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memory_only),	  cmocka_unit_test(test_spill),
	    cmocka_unit_test(test_spill_fails),	  cmocka_unit_test(test_spill_write_fails),
	    cmocka_unit_test(test_nomem_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
