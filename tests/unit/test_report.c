/* Unit tests of the report writers: exact text of every format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/report.h"

static const struct adt_level_result image = {.n = 120,
					      .positives = 80,
					      .negatives = 40,
					      .threshold = 0.7312,
					      .rule = ADT_RULE_GE,
					      .tp = 75,
					      .fp = 3,
					      .fn = 5,
					      .tn = 37,
					      .fpr = 3.0 / 40,
					      .f1 = 150.0 / 158,
					      .precision = 75.0 / 78,
					      .recall = 75.0 / 80,
					      .auroc = 0.98,
					      .ap = 0.97,
					      .min = -0.1,
					      .max = 2.5,
					      .policy = "f1"};

static const struct adt_level_result one_class = {.n = 3,
						  .positives = 0,
						  .negatives = 3,
						  .threshold = 2,
						  .rule = ADT_RULE_GT,
						  .tn = 3,
						  .fpr = 0,
						  .f1 = NAN,
						  .precision = NAN,
						  .recall = NAN,
						  .auroc = NAN,
						  .ap = NAN,
						  .min = 1,
						  .max = 2,
						  .one_class = 1,
						  .policy = "f1"};

/* Writes rep in fmt to a memory stream and returns the text (owned). */
/* A single run's result with the levels a and b (either may be NULL). */
static struct adt_result single(struct adt_entry *e, const struct adt_level_result *a,
				const struct adt_level_result *b)
{
	struct adt_result r;

	memset(e, 0, sizeof(*e));
	e->level[0] = a;
	e->level[1] = b;
	adt_result_init(&r);
	r.v = e;
	r.n = 1;
	r.complete = 1;
	return r;
}

static char *render(enum adt_out_format fmt, const struct adt_result *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct adt_error err;

	assert_non_null(f);
	adt_error_init(&err);
	assert_int_equal(adt_report_write(f, fmt, rep, NULL, &err), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_json(void **state)
{
	struct adt_entry e;
	struct adt_result rep = single(&e, &image, NULL);
	char *s = render(ADT_OUT_JSON, &rep);

	(void)state;
	assert_string_equal(s, "{\"adthresh\": \"0.1.0\",\n"
			       " \"image\": {\"n\": 120, \"positives\": 80, \"negatives\": 40,\n"
			       "   \"threshold\": 0.7312, \"rule\": \">=\", "
			       "\"policy\": \"f1\",\n"
			       "   \"f1\": 0.9493670886075949, \"precision\": "
			       "0.9615384615384616, \"recall\": 0.9375,\n"
			       "   \"tp\": 75, \"fp\": 3, \"fn\": 5, \"tn\": 37, \"fpr\": 0.075,\n"
			       "   \"auroc\": 0.98, \"ap\": 0.97, "
			       "\"min\": -0.1, \"max\": 2.5}}\n");
	free(s);
}

static void test_json_null_and_two_levels(void **state)
{
	struct adt_entry e;
	struct adt_result rep = single(&e, &image, &one_class);
	char *s = render(ADT_OUT_JSON, &rep);

	(void)state;
	assert_non_null(strstr(s, "\"pixel\": {\"n\": 3, \"positives\": 0, \"negatives\": 3,\n"
				  "   \"threshold\": 2, \"rule\": \">\", \"policy\": \"f1\",\n"
				  "   \"f1\": null, \"precision\": null, \"recall\": null,\n"));
	assert_non_null(strstr(s, "\"auroc\": null, \"ap\": null, \"min\": 1, \"max\": 2}}\n"));
	free(s);
}

static void test_csv(void **state)
{
	struct adt_entry e;
	struct adt_result rep = single(&e, &image, &one_class);
	char *s = render(ADT_OUT_CSV, &rep);

	(void)state;
	assert_string_equal(s, "level,n,positives,negatives,threshold,rule,policy,f1,precision,"
			       "recall,tp,fp,fn,tn,auroc,ap,min,max\n"
			       "image,120,80,40,0.7312,>=,f1,0.9493670886075949,"
			       "0.9615384615384616,0.9375,75,3,5,37,0.98,"
			       "0.97,-0.1,2.5\n"
			       "pixel,3,0,3,2,>,f1,,,,0,0,0,3,,,1,2\n");
	free(s);
}

static void test_text(void **state)
{
	struct adt_entry e;
	struct adt_result rep = single(&e, &image, NULL);
	char *s = render(ADT_OUT_TEXT, &rep);

	(void)state;
	assert_string_equal(s, "level    n  anomalous  threshold  rule      F1  precision  recall"
			       "   AUROC      AP  TP  FP  FN  TN\n"
			       "image  120         80     0.7312  >=    0.9494     0.9615  0.9375"
			       "  0.9800  0.9700  75   3   5  37\n"
			       "Threshold: the score that maximises F1 (the lowest on ties); "
			       "anomalous when score >= threshold.\n");
	free(s);
}

static void test_markdown_one_class(void **state)
{
	struct adt_entry e;
	struct adt_result rep = single(&e, NULL, &one_class);
	char *s = render(ADT_OUT_MARKDOWN, &rep);

	(void)state;
	assert_string_equal(s, "| level | n | anomalous | threshold | rule | F1 | precision | "
			       "recall | AUROC | AP | TP | FP | FN | TN |\n"
			       "|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
			       "| pixel | 3 | 0 | 2 | > | n/a | n/a | n/a | n/a | n/a | 0 | 0 | 0 "
			       "| 3 |\n"
			       "\n"
			       "Threshold: the score that maximises F1 (the lowest on ties), "
			       "chosen with score >= threshold; the counts and metrics are those "
			       "of score > threshold.\n"
			       "pixel level: one class only, so the threshold is the highest "
			       "score (anomalib's fallback); n/a marks what is undefined.\n");
	free(s);
}

static void test_write_error(void **state)
{
	struct adt_entry e;
	struct adt_result rep = single(&e, &image, NULL);
	struct adt_error err;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	adt_error_init(&err);
	assert_int_equal(adt_report_write(f, ADT_OUT_JSON, &rep, NULL, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	fclose(f);
}

static void test_shortest(void **state)
{
	static const double v[] = {0.1, 0.7312, 1.0 / 3, 1e300, -2.5e-310, 1.0000000000000002, 0};
	static const char *const want[] = {"0.1",    "0.7312",	  "0.3333333333333333",
					   "1e+300", "-2.5e-310", "1.0000000000000002",
					   "0"};
	char buf[40];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		adt_format_shortest(buf, sizeof(buf), v[i]);
		assert_string_equal(buf, want[i]);
	}
}

static void test_format_names(void **state)
{
	enum adt_out_format f;

	(void)state;
	assert_int_equal(adt_out_format_parse("md", &f), 0);
	assert_int_equal(f, ADT_OUT_MARKDOWN);
	assert_int_equal(adt_out_format_parse("JSON", &f), -1);
	assert_int_equal(adt_out_format_parse("xml", &f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_json_null_and_two_levels),
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_markdown_one_class),
	    cmocka_unit_test(test_write_error),
	    cmocka_unit_test(test_shortest),
	    cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
