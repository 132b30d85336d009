/* A cmocka group built at run time: a test per row of a case table (the
 * row, which has a `name`, is the test's state), then named tests.  The
 * reader tests share it. */
#ifndef ADTHRESH_TEST_LIST_H
#define ADTHRESH_TEST_LIST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

struct test_list {
	struct CMUnitTest *v;
	size_t n, cap;
	int failed; /* out of memory: the group is not run */
};

static struct CMUnitTest *test_list_next(struct test_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct CMUnitTest *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->failed = 1;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = (struct CMUnitTest){0};
	return &l->v[l->n++];
}

/* Adds a test named name. */
static void test_list_add(struct test_list *l, const char *name, CMUnitTestFunction f)
{
	struct CMUnitTest *t = test_list_next(l);

	if (t) {
		t->name = name;
		t->test_func = f;
	}
}

/* Adds f once per row of the n rows of `size` bytes at rows, each named by
 * the string pointer at byte name_at of the row. */
static void test_list_table(struct test_list *l, const void *rows, size_t n, size_t size,
			    size_t name_at, CMUnitTestFunction f)
{
	for (size_t i = 0; i < n; i++) {
		const char *row = (const char *)rows + i * size;
		struct CMUnitTest *t = test_list_next(l);

		if (!t)
			return;
		t->name = *(const char *const *)(const void *)(row + name_at);
		t->test_func = f;
		t->initial_state = (void *)row;
	}
}

/* Adds f for every row of the array `rows`, whose rows have a `name`. */
#define TEST_LIST_TABLE(l, rows, f)                                                                \
	test_list_table(l, rows, sizeof(rows) / sizeof((rows)[0]), sizeof((rows)[0]),              \
			(size_t)((const char *)&(rows)[0].name - (const char *)(rows)), f)

/* Runs the group and frees the list; 1 when it could not be built. */
static int test_list_run(struct test_list *l, const char *group)
{
	int rc = 1;

	if (!l->failed)
		rc = _cmocka_run_group_tests(group, l->v, l->n, NULL, NULL);
	free(l->v);
	return rc;
}

#endif
