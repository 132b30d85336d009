/* Unit tests of the per-image list: the rows kept, and the exact CSV of a
 * single run and of a batch. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/perimage.h"
#include "adthresh/run.h"

static const struct adt_level_result image = {.threshold = 0.5, .rule = ADT_RULE_GE};
static const struct adt_level_result pixel = {.threshold = 0.25, .rule = ADT_RULE_GT};

/* An image-level row: score, label, whether the threshold flags it. */
static struct adt_perimage_row scored(double score, int label, int flagged)
{
	struct adt_perimage_row r;

	memset(&r, 0, sizeof(r));
	r.score = score;
	r.label = (unsigned char)label;
	r.flagged = (unsigned char)flagged;
	return r;
}

static void add(struct adt_perimage *l, const char *id, struct adt_perimage_row row)
{
	struct adt_error err;

	adt_error_init(&err);
	assert_int_equal(adt_perimage_add(l, id, &row, &err), 0);
}

/* Writes the list of res and returns the text (owned), or NULL with err
 * when the writer fails. */
static char *render(const struct adt_result *res, struct adt_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	assert_non_null(f);
	adt_error_init(err);
	ret = adt_perimage_write(f, res, err);
	assert_int_equal(fclose(f), 0);
	if (ret == 0)
		return buf;
	/* Nothing is written before the error. */
	assert_string_equal(buf, "");
	free(buf);
	return NULL;
}

/* A result of n entries (e, zeroed by the caller); batch names them. */
static struct adt_result result_of(struct adt_entry *e, size_t n, int batch)
{
	struct adt_result r;

	adt_result_init(&r);
	r.v = e;
	r.n = n;
	r.batch = batch;
	r.complete = 1;
	return r;
}

static void test_rows(void **state)
{
	struct adt_perimage l;
	struct adt_perimage_row row = scored(1.5, 1, 0);
	struct adt_error err;

	(void)state;
	memset(&l, 0, sizeof(l));
	adt_error_init(&err);
	/* Enough rows and names to grow both arrays several times. */
	for (int i = 0; i < 1000; i++) {
		char id[32];

		snprintf(id, sizeof(id), "defect%d/%03d", i % 7, i);
		row.pixels = (uint64_t)i;
		assert_int_equal(adt_perimage_add(&l, id, &row, &err), 0);
	}
	assert_int_equal(l.n, 1000);
	assert_string_equal(adt_perimage_id(&l, 0), "defect0/000");
	assert_string_equal(adt_perimage_id(&l, 999), "defect5/999");
	assert_int_equal(l.v[999].pixels, 999);
	assert_true(l.v[999].score == 1.5);
	assert_int_equal(l.v[999].label, 1);
	/* The row given is not changed. */
	assert_int_equal(row.name, 0);
	adt_perimage_release(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	adt_perimage_release(&l);
}

static void test_image_level(void **state)
{
	struct adt_entry e;
	struct adt_result res;
	struct adt_error err;
	char *text;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.level[0] = &image;
	/* Every outcome; a score printed as it reads back; ids without a
	 * folder, with a comma, and with '\' as separator. */
	add(&e.out.images, "test/crack/001.png", scored(0.5, 1, 1));
	add(&e.out.images, "good/000.png", scored(0.1 + 0.2, 0, 0));
	add(&e.out.images, "a.png", scored(0.75, 0, 1));
	add(&e.out.images, "x,y/b.png", scored(-0.0, 1, 0));
	add(&e.out.images, "c:\\data\\hole\\002.png", scored(1e300, 1, 1));
	res = result_of(&e, 1, 0);
	text = render(&res, &err);
	assert_string_equal(text, "image,folder,label,score,predicted,outcome\n"
				  "test/crack/001.png,crack,1,0.5,1,TP\n"
				  "good/000.png,good,0,0.30000000000000004,0,TN\n"
				  "a.png,,0,0.75,1,FP\n"
				  "\"x,y/b.png\",\"x,y\",1,-0,0,FN\n"
				  "c:\\data\\hole\\002.png,hole,1,1e+300,1,TP\n");
	free(text);
	adt_perimage_release(&e.out.images);
}

static void test_both_levels(void **state)
{
	struct adt_entry e;
	struct adt_result res;
	struct adt_error err;
	struct adt_perimage_row row = scored(0.9, 1, 1);
	char *text;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.level[0] = &image;
	e.level[1] = &pixel;
	row.pixels = 100;
	row.positives = 10;
	row.tp = 7;
	row.fp = 4;
	add(&e.out.images, "crack/000", row);
	row = scored(0.2, 0, 0);
	row.pixels = 100;
	row.fp = 1;
	add(&e.out.images, "good/000", row);
	res = result_of(&e, 1, 0);
	text = render(&res, &err);
	assert_string_equal(text,
			    "image,folder,label,score,predicted,outcome,pixels,anomalous_pixels,"
			    "pixel_tp,pixel_fp,pixel_fn,pixel_tn\n"
			    "crack/000,crack,1,0.9,1,TP,100,10,7,4,3,86\n"
			    "good/000,good,0,0.2,0,TN,100,0,0,1,0,99\n");
	free(text);
	/* Without an image level its columns are absent. */
	e.level[0] = NULL;
	text = render(&res, &err);
	assert_string_equal(text, "image,folder,pixels,anomalous_pixels,pixel_tp,pixel_fp,"
				  "pixel_fn,pixel_tn\n"
				  "crack/000,crack,100,10,7,4,3,86\n"
				  "good/000,good,100,0,0,1,0,99\n");
	free(text);
	adt_perimage_release(&e.out.images);
}

/* A batch: category first; the columns of every level some category has,
 * empty where a category lacks the level; failed categories left out. */
static void test_batch(void **state)
{
	struct adt_entry e[3];
	struct adt_result res;
	struct adt_error err;
	struct adt_perimage_row row = scored(0.5, 1, 1);
	char *text;

	(void)state;
	memset(e, 0, sizeof(e));
	e[0].name = "bottle";
	e[0].level[1] = &pixel;
	row.pixels = 4;
	row.positives = 1;
	row.tp = 1;
	add(&e[0].out.images, "crack/000", row);
	e[1].name = "cable";
	e[1].error = "cable/scores.csv:3: not a number";
	add(&e[1].out.images, "good/000", row);
	e[2].name = "wood,old";
	e[2].level[0] = &image;
	e[2].level[1] = &pixel;
	add(&e[2].out.images, "good/000", scored(0.25, 0, 0));
	res = result_of(e, 3, 1);
	text = render(&res, &err);
	assert_string_equal(text, "category,image,folder,label,score,predicted,outcome,pixels,"
				  "anomalous_pixels,pixel_tp,pixel_fp,pixel_fn,pixel_tn\n"
				  "bottle,crack/000,crack,,,,,4,1,1,0,0,3\n"
				  "\"wood,old\",good/000,good,0,0.25,0,TN,0,0,0,0,0,0\n");
	free(text);
	for (int i = 0; i < 3; i++)
		adt_perimage_release(&e[i].out.images);
}

/* A level without a threshold fails before anything is written. */
static void test_no_threshold(void **state)
{
	struct adt_level_result none = pixel;
	struct adt_entry e[2];
	struct adt_result res;
	struct adt_error err;

	(void)state;
	none.threshold = NAN;
	memset(e, 0, sizeof(e));
	e[0].level[0] = &image;
	e[0].level[1] = &none;
	add(&e[0].out.images, "good/000", scored(0.25, 0, 0));
	res = result_of(e, 1, 0);
	assert_null(render(&res, &err));
	assert_int_equal(err.code, ADT_EDATA);
	assert_string_equal(err.msg,
			    "the pixel level has no threshold; the per-image list needs one");

	e[0].name = "bottle";
	e[1].name = "screw";
	e[1].level[0] = &none;
	/* A failed category is not written, so its levels do not matter. */
	e[0].error = "failed";
	res = result_of(e, 2, 1);
	assert_null(render(&res, &err));
	assert_string_equal(err.msg, "category screw: the image level has no threshold; the "
				     "per-image list needs one");
	adt_perimage_release(&e[0].out.images);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows),	 cmocka_unit_test(test_image_level),
	    cmocka_unit_test(test_both_levels),	 cmocka_unit_test(test_batch),
	    cmocka_unit_test(test_no_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
