/* Unit tests of adt_grow: the capacity it picks, and that a size that
 * does not fit in a size_t fails before realloc sees a wrapped value.
 * realloc is wrapped at link time (-Wl,--wrap=realloc, see the Makefile)
 * so that each test sees the byte count asked for and can make it fail
 * (the test list's own growth goes through it too, before any test). */
#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"

#include "test_list.h"

void *__real_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size);

/* What the last realloc was asked; sizes above FAKE_LIMIT, or any size
 * while fail is set, fail without allocating. */
#define FAKE_LIMIT ((size_t)1 << 24)
static struct {
	int calls;
	size_t size;
	int fail;
} rec;

void *__wrap_realloc(void *p, size_t size)
{
	rec.calls++;
	rec.size = size;
	if (rec.fail || size > FAKE_LIMIT)
		return NULL;
	return __real_realloc(p, size);
}

#define HUGE_1 (SIZE_MAX / 2 + 1) /* 2^63 on 64 bits */

struct grow_case {
	const char *name;
	size_t cap, need, elem;
	int fail;	/* realloc fails */
	int ret;	/* what adt_grow returns */
	size_t cap_out; /* *cap afterwards */
	size_t asked;	/* the bytes realloc is asked for; 0: not called */
};

static const struct grow_case cases[] = {
    {"need fits: nothing to do", 16, 16, 8, 0, 0, 16, 0},
    {"need zero on empty: nothing to do", 0, 0, 8, 0, 0, 0, 0},
    {"first growth: the first capacity", 0, 1, 8, 0, 0, 16, 128},
    {"first growth: doubles past need", 0, 100, 1, 0, 0, 128, 128},
    {"doubles once", 16, 17, 4, 0, 0, 32, 128},
    {"doubles until need fits", 64, 1000, 2, 0, 0, 1024, 2048},
    {"need exactly a power of two", 16, 64, 1, 0, 0, 64, 64},
    {"realloc fails: cap kept", 16, 17, 4, 1, -1, 16, 128},
    {"need * elem overflows", 0, SIZE_MAX / 8 + 1, 8, 0, -1, 0, 0},
    {"need * elem wraps to zero", 0, HUGE_1, 2, 0, -1, 0, 0},
    {"need SIZE_MAX, elem 2", 16, SIZE_MAX, 2, 0, -1, 16, 0},
    {"need SIZE_MAX, elem SIZE_MAX", 0, SIZE_MAX, SIZE_MAX, 0, -1, 0, 0},
    {"elem SIZE_MAX, one element", 0, 1, SIZE_MAX, 0, -1, 0, SIZE_MAX},
    {"doubling would overflow: exactly need", HUGE_1 / 2, HUGE_1 + 1, 1, 0, -1, HUGE_1 / 2,
     HUGE_1 + 1},
    {"doubled bytes would overflow: exactly need", 4, 5, SIZE_MAX / 6, 0, -1, 4,
     5 * (SIZE_MAX / 6)},
    {"first capacity too big for elem: exactly need", 0, 3, SIZE_MAX / 4, 0, -1, 0,
     3 * (SIZE_MAX / 4)},
};

static void test_case(void **state)
{
	const struct grow_case *c = *state;
	unsigned char *old = c->cap ? malloc(8) : NULL;
	void *p = old;
	size_t cap = c->cap;

	if (old)
		memcpy(old, "adthresh", 8);
	rec.calls = 0;
	rec.size = 0;
	rec.fail = c->fail;
	assert_int_equal(adt_grow(&p, &cap, c->need, c->elem), c->ret);
	rec.fail = 0;
	assert_int_equal(cap, c->cap_out);
	assert_int_equal(rec.calls, c->asked ? 1 : 0);
	assert_int_equal(rec.size, c->asked);
	if (c->ret != 0 || !c->asked)
		assert_ptr_equal(p, old); /* untouched, still the caller's */
	else if (old)
		assert_memory_equal(p, "adthresh", 8); /* the contents moved along */
	free(p);
}

/* Appending one at a time reallocates log2(n) times, not n times. */
static void test_amortised(void **state)
{
	void *p = NULL;
	size_t cap = 0;

	(void)state;
	rec.calls = 0;
	for (size_t n = 1; n <= 100000; n++) {
		assert_int_equal(adt_grow(&p, &cap, n, sizeof(double)), 0);
		assert_true(cap >= n);
		((double *)p)[n - 1] = (double)n;
	}
	assert_true(rec.calls <= 14); /* 16 << 13 > 100000 */
	assert_true(((double *)p)[99999] == 100000.0);
	free(p);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_case);
	test_list_add(&l, "amortised growth", test_amortised);
	return test_list_run(&l, "grow");
}
