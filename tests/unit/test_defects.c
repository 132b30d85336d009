/* Unit tests of the per-defect breakdown's grouping (adt_defects_add,
 * adt_defects_sort): a table of cases, each a test of its own, then many
 * folders, and adding after a sort. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/defects.h"
#include "adthresh/error.h"

#include "test_list.h"

#define MAXN 8
#define NO_FOLDER                                                                                  \
	"is in no folder; the per-defect breakdown groups images by the folder that holds them "   \
	"(test/<defect>/...)"

struct defect_case {
	const char *name;
	const char *ids[MAXN];	  /* image ids, up to the first NULL; image i is
				   * anomalous when i is odd */
	const char *want[MAXN];	  /* the folders, sorted */
	uint64_t n[MAXN];	  /* images in each */
	uint64_t positives[MAXN]; /* anomalous ones in each */
	const char *msg;	  /* failure: the message of the first bad id */
};

static const struct defect_case cases[] = {
    {.name = "one folder",
     .ids = {"crack/000.png", "crack/001.png"},
     .want = {"crack"},
     .n = {2},
     .positives = {1}},
    {.name = "the last folder, at any depth, with either separator",
     .ids = {"bottle/test/crack/000.png", "crack\\001.tiff", "a\\b/crack/002", "crack/003"},
     .want = {"crack"},
     .n = {4},
     .positives = {2}},
    {.name = "names that share a start",
     .ids = {"crack/0", "cr/1", "cracks/2", "c/3", "crack/4", "crac/5"},
     .want = {"c", "cr", "crac", "crack", "cracks"},
     .n = {1, 1, 1, 2, 1},
     .positives = {1, 1, 1, 0, 0}},
    {.name = "sorted bytewise",
     .ids = {"b/0", "B/1", "a/2", "_/3", "good/4"},
     .want = {"B", "_", "a", "b", "good"},
     .n = {1, 1, 1, 1, 1},
     .positives = {1, 1, 0, 0, 0}},
    {.name = "an id in no folder", .ids = {"crack/0", "x.png"}, .msg = "image 'x.png' " NO_FOLDER},
    {.name = "an empty folder name", .ids = {"a//x.png"}, .msg = "image 'a//x.png' " NO_FOLDER},
    {.name = "a leading slash", .ids = {"/x.png"}, .msg = "image '/x.png' " NO_FOLDER},
};

static int add(struct adt_defects *d, const char *id, int anomalous, struct adt_error *err)
{
	struct adt_defect_counts c = {1, (uint64_t)anomalous, 0, 0};

	return adt_defects_add(d, id, 0, &c, err);
}

static void test_defect_case(void **state)
{
	const struct defect_case *c = *state;
	struct adt_defects d = {0};
	struct adt_error err;
	size_t k = 0;
	int ret = 0;

	adt_error_init(&err);
	for (size_t i = 0; i < MAXN && c->ids[i] && ret == 0; i++)
		ret = add(&d, c->ids[i], (int)(i % 2), &err);
	if (c->msg) {
		assert_int_equal(ret, -1);
		assert_int_equal(err.code, ADT_EDATA);
		assert_string_equal(err.msg, c->msg);
	} else {
		assert_int_equal(ret, 0);
		adt_defects_sort(&d);
		for (; k < MAXN && c->want[k]; k++) {
			assert_true(k < d.n);
			assert_string_equal(d.v[k].name, c->want[k]);
			assert_int_equal(d.v[k].has[0], 1);
			assert_int_equal(d.v[k].has[1], 0);
			assert_int_equal(d.v[k].lv[0].n, c->n[k]);
			assert_int_equal(d.v[k].lv[0].positives, c->positives[k]);
		}
		assert_int_equal(d.n, k);
	}
	adt_defects_release(&d);
	adt_defects_release(&d); /* released twice: still empty */
}

/* 30,000 folders of three images each, the images of a folder far apart
 * in the order of adding, and the pixel level on some: every folder once,
 * sorted, with its own counts. */
static void test_many_folders(void **state)
{
	enum { FOLDERS = 30000 };
	struct adt_defects d = {0};
	struct adt_error err;
	char id[64];

	(void)state;
	for (size_t r = 0; r < 3; r++) {
		for (size_t k = 0; k < FOLDERS; k++) {
			size_t f = (k * 7919) % FOLDERS;

			snprintf(id, sizeof(id), "test/f%06zu/%zu.png", f, r);
			assert_int_equal(add(&d, id, r == 1, &err), 0);
			if (f % 10 == 0) {
				struct adt_defect_counts c = {16, 4, 3, 1};

				assert_int_equal(adt_defects_add(&d, id, 1, &c, &err), 0);
			}
		}
	}
	assert_int_equal(d.n, FOLDERS);
	adt_defects_sort(&d);
	for (size_t f = 0; f < FOLDERS; f++) {
		snprintf(id, sizeof(id), "f%06zu", f);
		assert_string_equal(d.v[f].name, id);
		assert_int_equal(d.v[f].lv[0].n, 3);
		assert_int_equal(d.v[f].lv[0].positives, 1);
		assert_int_equal(d.v[f].has[1], f % 10 == 0);
		if (f % 10 == 0) {
			assert_int_equal(d.v[f].lv[1].n, 48);
			assert_int_equal(d.v[f].lv[1].positives, 12);
			assert_int_equal(d.v[f].lv[1].tp, 9);
			assert_int_equal(d.v[f].lv[1].fp, 3);
		}
	}
	adt_defects_release(&d);
}

/* Sorting moves the folders: images added after it still find theirs. */
static void test_add_after_sort(void **state)
{
	static const char *const before[] = {"z/0", "m/1", "a/2", "m/3"};
	static const char *const after[] = {"a/4", "z/5", "b/6", "m/7"};
	static const char *const names[] = {"a", "b", "m", "z"};
	static const uint64_t n[] = {2, 1, 3, 2};
	struct adt_defects d = {0};
	struct adt_error err;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(add(&d, before[i], 0, &err), 0);
	adt_defects_sort(&d);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(add(&d, after[i], 0, &err), 0);
	adt_defects_sort(&d);
	assert_int_equal(d.n, 4);
	for (size_t k = 0; k < 4; k++) {
		assert_string_equal(d.v[k].name, names[k]);
		assert_int_equal(d.v[k].lv[0].n, n[k]);
	}
	adt_defects_release(&d);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_defect_case);
	test_list_add(&l, "30,000 folders", test_many_folders);
	test_list_add(&l, "adding after a sort", test_add_after_sort);
	return test_list_run(&l, "defects");
}
