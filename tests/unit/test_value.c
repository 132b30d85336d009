/* Unit tests of value parsing: numbers, labels, column names, paths. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adthresh/value.h"

static const struct {
	const char *text;
	double value; /* when msg is NULL */
	const char *msg;
} doubles[] = {
    {"0.5", 0.5, NULL},
    {" -1.25e3\t", -1250, NULL},
    {"+.5", 0.5, NULL},
    {"5.", 5, NULL},
    {"1E-2", 0.01, NULL},
    {"-0", 0, NULL},
    {"4.9e-324", 4.9e-324, NULL},
    {"1e-400", 0, NULL},
    {"0.1000000000000000055511151231257827", 0.1, NULL},
    {"", 0, "score is empty"},
    {"  ", 0, "score is empty"},
    {"nan", 0, "score 'nan' is not a number (NaN)"},
    {"-NaN", 0, "score '-NaN' is not a number (NaN)"},
    {"inf", 0, "score 'inf' is not finite"},
    {"-Infinity", 0, "score '-Infinity' is not finite"},
    {"1e999", 0, "score '1e999' overflows a double"},
    {"0,5", 0, "score '0,5' has a decimal comma; use '.'"},
    {"0x1p3", 0, "score '0x1p3' is not a number"},
    {"1,000.5", 0, "score '1,000.5' is not a number"},
    {"1e", 0, "score '1e' is not a number"},
    {".", 0, "score '.' is not a number"},
    {"--1", 0, "score '--1' is not a number"},
    {"1 2", 0, "score '1 2' is not a number"},
    {"abc", 0, "score 'abc' is not a number"},
    /* Longer than 60 bytes: the start, marked; never half a character. */
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0,
     "score 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not a number"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 0,
     "score 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a number"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9", 0,
     "score 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a number"},
    {"nanaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0,
     "score 'nanaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a number"},
};

static void test_parse_double(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(doubles) / sizeof(*doubles); i++) {
		struct adt_error err;
		double v = -42;
		int ret;

		adt_error_init(&err);
		ret = adt_parse_double(doubles[i].text, "score", &v, &err);
		print_message("'%s'\n", doubles[i].text);
		if (doubles[i].msg) {
			assert_int_equal(ret, -1);
			assert_int_equal(err.code, ADT_EDATA);
			assert_string_equal(err.msg, doubles[i].msg);
		} else {
			assert_int_equal(ret, 0);
			assert_true(v == doubles[i].value);
			assert_false(signbit(v) && v == 0);
		}
	}
}

static void test_parse_long(void **state)
{
	struct adt_error err;
	long v = 0;

	(void)state;
	adt_error_init(&err);
	assert_int_equal(adt_parse_long("12", "index", 1, 100, &v, &err), 0);
	assert_int_equal(v, 12);
	assert_int_equal(adt_parse_long("0", "index", 1, 100, &v, &err), -1);
	assert_string_equal(err.msg, "index '0' is out of range (1 to 100)");
	assert_int_equal(adt_parse_long("12a", "index", 1, 100, &v, &err), -1);
	assert_string_equal(err.msg, "index '12a' is not a whole number");
	assert_int_equal(adt_parse_long(" 1", "index", 1, 100, &v, &err), -1);
	assert_int_equal(adt_parse_long("99999999999999999999", "index", 1, 100, &v, &err), -1);
	assert_string_equal(err.msg, "index '99999999999999999999' is out of range (1 to 100)");
}

static const struct {
	const char *text;
	const char *positive;
	int label; /* -1: unknown */
} labels[] = {
    {"0", NULL, 0},
    {"1", NULL, 1},
    {"1.0", NULL, 1},
    {"0.0", NULL, 0},
    {"True", NULL, 1},
    {"FALSE", NULL, 0},
    {" good ", NULL, 0},
    {"OK", NULL, 0},
    {"normal", NULL, 0},
    {"Anomalous", NULL, 1},
    {"abnormal", NULL, 1},
    {"anomaly", NULL, 1},
    {"defect", NULL, 1},
    {"defective", NULL, 1},
    {"bad", NULL, 1},
    {"NG", NULL, 1},
    {"2", NULL, -1},
    {"0.5", NULL, -1},
    {"", NULL, -1},
    {"yes", NULL, -1},
    {"crack", "Crack", 1},
    {"good", "crack", 0},
    {"1", "crack", 0},
    {"", "crack", -1},
    /* Numbers: exactly 0 or 1 as written, in any decimal spelling. */
    {"1.", NULL, 1},
    {".0", NULL, 0},
    {"1e0", NULL, 1},
    {"1E+0", NULL, 1},
    {"10e-1", NULL, 1},
    {"0.1e1", NULL, 1},
    {"0.001e3", NULL, 1},
    {"100E-2", NULL, 1},
    {"+1", NULL, 1},
    {"+1.000", NULL, 1},
    {"001", NULL, 1},
    {"-0", NULL, 0},
    {"+0.0", NULL, 0},
    {"00", NULL, 0},
    {"0e999999999999999999999", NULL, 0},
    {"0.000e-5", NULL, 0},
    /* What only rounds to 0 or 1 as a double is no label. */
    {"0.99999999999999999999", NULL, -1},
    {"1.0000000000000001", NULL, -1},
    {"1e-400", NULL, -1},
    {"4.9e-324", NULL, -1},
    {"-1", NULL, -1},
    {"-1.0", NULL, -1},
    {"1e1", NULL, -1},
    {"10", NULL, -1},
    {"0.1", NULL, -1},
    {"11e-1", NULL, -1},
    {"1.1", NULL, -1},
    {"2e0", NULL, -1},
    {"1e999999999999999999999", NULL, -1},
    {"1e-999999999999999999999", NULL, -1},
    {"0.0000000000000000000000000000000000000000000000000000000000001e61", NULL, 1},
    {"1.0e", NULL, -1},
    {"1..0", NULL, -1},
    {"0x1", NULL, -1},
};

static void test_labels(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++) {
		struct adt_labeler lb;
		struct adt_error err;
		int v = -7, ret;

		print_message("'%s'\n", labels[i].text);
		adt_error_init(&err);
		adt_labeler_init(&lb, labels[i].positive);
		ret = adt_labeler_parse(&lb, labels[i].text, 3, &v, &err);
		assert_int_equal(ret, labels[i].label < 0 ? 1 : 0);
		if (labels[i].label >= 0)
			assert_int_equal(v, labels[i].label);
		assert_int_equal(adt_labeler_finish(&lb, &err), labels[i].label < 0 ? -1 : 0);
		adt_labeler_release(&lb);
	}
}

#define EXPECTED_LABELS                                                                            \
	"expected 0/1, true/false, normal/good/ok or anomalous/abnormal/anomaly/defect/"           \
	"defective/bad/ng, or name the anomalous value with --positive-label"

/* Labels on lines 2, 3, ...: the error is at the first unknown one, on
 * line 3, and lists the distinct unknown values in order. */
static const struct {
	const char *seen[6];
	const char *msg;
} lists[] = {
    {{"1", "x", "2", "x", "0", "y"},
     "unknown label 'x' (values seen: 'x', '2', 'y'; " EXPECTED_LABELS ")"},
    /* Numbers that only round to 0 or 1 are listed like any unknown label. */
    {{"0", "0.99999999999999999999", "1", "1e-400", "1.0", "1e-400"},
     "unknown label '0.99999999999999999999' (values seen: '0.99999999999999999999', "
     "'1e-400'; " EXPECTED_LABELS ")"},
};

static void test_labeler_lists_unknown(void **state)
{
	struct adt_labeler lb;
	struct adt_error err;
	int v;

	(void)state;
	adt_error_init(&err);
	for (size_t k = 0; k < sizeof(lists) / sizeof(*lists); k++) {
		adt_labeler_init(&lb, NULL);
		for (size_t i = 0; i < 6; i++)
			adt_labeler_parse(&lb, lists[k].seen[i], i + 2, &v, &err);
		assert_int_equal(adt_labeler_finish(&lb, &err), -1);
		assert_int_equal(err.line, 3);
		assert_string_equal(err.msg, lists[k].msg);
		adt_labeler_release(&lb);
	}

	/* More than eight distinct values: the first eight and an ellipsis. */
	adt_labeler_init(&lb, NULL);
	for (int i = 0; i < 12; i++) {
		char text[8];

		snprintf(text, sizeof(text), "v%d", i);
		adt_labeler_parse(&lb, text, 1, &v, &err);
	}
	assert_int_equal(adt_labeler_finish(&lb, &err), -1);
	assert_non_null(strstr(err.msg, "'v7', ...;"));
	adt_labeler_release(&lb);

	/* Eight long values: each quoted by its start and marked, none lost. */
	adt_labeler_init(&lb, NULL);
	for (int i = 0; i < 9; i++) {
		char text[200];

		memset(text, 'a' + i, sizeof(text) - 1);
		text[sizeof(text) - 1] = '\0';
		adt_labeler_parse(&lb, text, 1, &v, &err);
	}
	assert_int_equal(adt_labeler_finish(&lb, &err), -1);
	assert_non_null(strstr(err.msg, "unknown label 'aaaaaaaaaa"));
	assert_non_null(strstr(
	    err.msg, "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh...', ...;"));
	assert_null(
	    strstr(err.msg, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	adt_labeler_release(&lb);
}

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(adt_role_of("Pred_Score", 0), ADT_ROLE_SCORE);
	assert_int_equal(adt_role_of("pred_scores", 0), ADT_ROLE_SCORE);
	assert_int_equal(adt_role_of("gt_labels", 0), ADT_ROLE_NONE);
	assert_int_equal(adt_role_of("gt_labels", 1), ADT_ROLE_LABEL);
	assert_int_equal(adt_role_of("image_paths", 1), ADT_ROLE_ID);
	assert_int_equal(adt_role_of("IMAGE", 0), ADT_ROLE_ID);
	assert_int_equal(adt_role_of("y_true", 0), ADT_ROLE_LABEL);
	assert_int_equal(adt_role_of("scores", 1), ADT_ROLE_SCORE);
	assert_int_equal(adt_role_of("s", 1), ADT_ROLE_NONE);
	assert_int_equal(adt_role_of("mask_path", 0), ADT_ROLE_NONE);
	assert_string_equal(adt_role_names(ADT_ROLE_LABEL),
			    "label, gt_label, target, y_true, is_anomalous, anomalous");
}

static const struct {
	const char *id;
	int label; /* -1: no folder */
} paths[] = {
    {"bottle/test/good/000.png", 0},
    {"/data/bottle/test/broken_large/000.png", 1},
    {"test\\good\\001.png", 0},
    {"good/x.png", 0},
    {"ok/x.png", 0},
    {"Normal/x.png", 0},
    {"good_ones/x.png", 1},
    {"good/crack/x.png", 1},
    {"000.png", -1},
    {"/000.png", -1},
};

static void test_label_from_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		int v = -7;

		print_message("%s\n", paths[i].id);
		if (paths[i].label < 0) {
			assert_int_equal(adt_label_from_path(paths[i].id, &v), -1);
		} else {
			assert_int_equal(adt_label_from_path(paths[i].id, &v), 0);
			assert_int_equal(v, paths[i].label);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_double), cmocka_unit_test(test_parse_long),
	    cmocka_unit_test(test_labels),	 cmocka_unit_test(test_labeler_lists_unknown),
	    cmocka_unit_test(test_roles),	 cmocka_unit_test(test_label_from_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
