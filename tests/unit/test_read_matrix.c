/* Unit tests for CSV/TSV text matrices (adt_matrix_csv_read_mem): one
 * table row per case, each a test of its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/error.h"
#include "adthresh/image_formats.h"
#include "adthresh/raster.h"

#include "test_list.h"

#define MAXV 12

struct matrix_case {
	const char *name;
	const char *in;
	size_t len;	     /* 0: strlen(in) */
	uint64_t max_pixels; /* 0: no limit */
	/* success */
	uint64_t width, height;
	double v[MAXV];
	/* failure, when code != ADT_EOK */
	enum adt_errcode code;
	const char *msg;
	unsigned long line;
};

static const struct matrix_case cases[] = {
    /* Separators */
    {.name = "commas", .in = "1,2,3\n4,5,6\n", .width = 3, .height = 2, .v = {1, 2, 3, 4, 5, 6}},
    {.name = "commas with blanks around values",
     .in = " 1 , 2,\t3 \n4 ,5 ,6\t\n",
     .width = 3,
     .height = 2,
     .v = {1, 2, 3, 4, 5, 6}},
    {.name = "semicolons", .in = "1;2\n3;4\n", .width = 2, .height = 2, .v = {1, 2, 3, 4}},
    {.name = "tabs", .in = "1\t2\t3\n4\t5\t6", .width = 3, .height = 2, .v = {1, 2, 3, 4, 5, 6}},
    {.name = "tabs with spaces around values",
     .in = "1 \t 2\n3\t4 \n",
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},
    {.name = "runs of spaces",
     .in = "  1   2 3\n4 5      6   \n",
     .width = 3,
     .height = 2,
     .v = {1, 2, 3, 4, 5, 6}},
    {.name = "numpy savetxt",
     .in = "1.000000000000000000e+00 -2.500000000000000000e-01\n",
     .width = 2,
     .height = 1,
     .v = {1, -0.25}},
    {.name = "one value", .in = "7", .width = 1, .height = 1, .v = {7}},
    {.name = "one column", .in = "1\n2\n3\n", .width = 1, .height = 3, .v = {1, 2, 3}},
    {.name = "one row", .in = "1,2,3,4", .width = 4, .height = 1, .v = {1, 2, 3, 4}},

    /* Line ends and encoding */
    {.name = "CRLF", .in = "1,2\r\n3,4\r\n", .width = 2, .height = 2, .v = {1, 2, 3, 4}},
    {.name = "CRLF without a final one",
     .in = "1;2\r\n3;4",
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},
    {.name = "BOM",
     .in = "\xEF\xBB\xBF"
	   "1,2\n3,4\n",
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},
    {.name = "no trailing newline", .in = "1 2\n3 4", .width = 2, .height = 2, .v = {1, 2, 3, 4}},
    {.name = "blank lines at the end ignored",
     .in = "1,2\n3,4\n\n  \n\t\r\n\n",
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},

    /* Numbers */
    {.name = "scientific notation",
     .in = "1e-3,2.5E+2,-3e0\n1E2,.5e1,5.e-1\n",
     .width = 3,
     .height = 2,
     .v = {1e-3, 250, -3, 100, 5, 0.5}},
    {.name = "negative and signed values",
     .in = "-1;-0.5;+2\n-0;+0;-1e-2\n",
     .width = 3,
     .height = 2,
     .v = {-1, -0.5, 2, 0, 0, -0.01}},
    {.name = "exact values",
     .in = "0.1,0.2,0.30000000000000004\n1e-400,1.7976931348623157e308,4.9e-324\n",
     .width = 3,
     .height = 2,
     .v = {0.1, 0.2, 0.30000000000000004, 0, 1.7976931348623157e308, 4.9e-324}},
    {.name = "a long value is not cut",
     .in = "1.00000000000000000000000000000000000000000000000000000000000000000000000000000"
	   "00000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	   "0000000000000000000000000000000000000000000000000000000000000000000000000005,2\n",
     .width = 2,
     .height = 1,
     .v = {1, 2}},
    {.name = "max pixels: at the limit",
     .in = "1,2\n3,4\n",
     .max_pixels = 4,
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},

    /* Errors */
    {.name = "empty input", .in = "", .code = ADT_EFORMAT, .msg = "empty matrix", .line = 0},
    {.name = "blank input",
     .in = "\xEF\xBB\xBF \n\r\n\t\n",
     .code = ADT_EFORMAT,
     .msg = "empty matrix",
     .line = 0},
    {.name = "blank line inside",
     .in = "1,2\n3,4\n\n5,6\n",
     .code = ADT_EFORMAT,
     .msg = "blank line inside the matrix",
     .line = 3},
    {.name = "blank lines inside, the first reported",
     .in = "1,2\n \r\n\n5,6\n",
     .code = ADT_EFORMAT,
     .msg = "blank line inside the matrix",
     .line = 2},
    {.name = "blank line before",
     .in = "\n1,2\n",
     .code = ADT_EFORMAT,
     .msg = "blank line before the matrix",
     .line = 1},
    {.name = "short row",
     .in = "1,2,3,4,5,6,7,8,9,10\n1,2,3,4,5,6,7,8,9,10\n1,2,3,4,5,6,7,8,9,10\n1,2,3,4,5,6,7,8,9\n",
     .code = ADT_EFORMAT,
     .msg = "row 4 has 9 values, row 1 has 10",
     .line = 4},
    {.name = "long row",
     .in = "1 2\n3 4 5\n",
     .code = ADT_EFORMAT,
     .msg = "row 2 has 3 values, row 1 has 2",
     .line = 2},
    {.name = "one value in a row",
     .in = "1,2\n3\n",
     .code = ADT_EFORMAT,
     .msg = "row 2 has 1 value, row 1 has 2",
     .line = 2},
    {.name = "more values after one column",
     .in = "1\n2\n3;4\n",
     .code = ADT_EFORMAT,
     .msg = "row 3 has 2 values, row 1 has 1",
     .line = 3},
    {.name = "row with another separator: ';' after ','",
     .in = "1,2\n3;4\n",
     .code = ADT_EFORMAT,
     .msg = "row 2 is separated by ';', row 1 by ','",
     .line = 2},
    {.name = "row with another separator: tabs after spaces",
     .in = "1 2\n3 4\n5\t6\n",
     .code = ADT_EFORMAT,
     .msg = "row 3 is separated by tabs, row 1 by spaces",
     .line = 3},
    {.name = "row with another separator: spaces after tabs",
     .in = "1\t2\n3 4\n",
     .code = ADT_EFORMAT,
     .msg = "row 2 is separated by spaces, row 1 by tabs",
     .line = 2},
    {.name = "row with another separator: ',' after ';'",
     .in = "1;2\r\n3,4\r\n",
     .code = ADT_EFORMAT,
     .msg = "row 2 is separated by ',', row 1 by ';'",
     .line = 2},
    {.name = "NaN",
     .in = "1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,nan\n",
     .code = ADT_EDATA,
     .msg = "row 3, column 5: value 'nan' is not a number (NaN)",
     .line = 3},
    {.name = "NaN, upper case, in spaces",
     .in = "1 NaN\n",
     .code = ADT_EDATA,
     .msg = "row 1, column 2: value 'NaN' is not a number (NaN)",
     .line = 1},
    {.name = "infinity",
     .in = "1\t2\n-inf\t3\n",
     .code = ADT_EDATA,
     .msg = "row 2, column 1: value '-inf' is not finite",
     .line = 2},
    {.name = "overflow",
     .in = "1;1e999\n",
     .code = ADT_EDATA,
     .msg = "row 1, column 2: value '1e999' overflows a double",
     .line = 1},
    {.name = "decimal commas with ';'",
     .in = "0,5;0,7\n",
     .code = ADT_EDATA,
     .msg = "row 1, column 1: value '0,5' has a decimal comma; use '.'",
     .line = 1},
    {.name = "empty value",
     .in = "1,2,3\n4,,6\n",
     .code = ADT_EDATA,
     .msg = "row 2, column 2: value is empty",
     .line = 2},
    {.name = "trailing separator",
     .in = "1,2,\n",
     .code = ADT_EDATA,
     .msg = "row 1, column 3: value is empty",
     .line = 1},
    {.name = "header row",
     .in = "a,b\n1,2\n",
     .code = ADT_EDATA,
     .msg = "row 1, column 1: value 'a' is not a number",
     .line = 1},
    {.name = "hex value",
     .in = "1 0x10\n",
     .code = ADT_EDATA,
     .msg = "row 1, column 2: value '0x10' is not a number",
     .line = 1},
    {.name = "blank inside a tab-separated value",
     .in = "1\t2 3\n",
     .code = ADT_EDATA,
     .msg = "row 1, column 2: value '2 3' is not a number",
     .line = 1},
    {.name = "NUL byte",
     .in = "1,2\n3\0,4\n",
     .len = 9,
     .code = ADT_EFORMAT,
     .msg = "NUL byte (not a text matrix?)",
     .line = 2},
    {.name = "bare carriage return",
     .in = "1,2\r3,4\n",
     .code = ADT_EFORMAT,
     .msg = "carriage return inside a line (expected LF or CRLF line ends)",
     .line = 1},
    {.name = "max pixels: over the limit",
     .in = "1,2\n3,4\n",
     .max_pixels = 3,
     .code = ADT_EDATA,
     .msg = "image of 2x2 pixels is over the limit of 3 pixels (--max-pixels)",
     .line = 0},
};

static void check_case(const struct matrix_case *c)
{
	struct adt_decode_opts o = {ADT_AS_MAP, c->max_pixels};
	size_t len = c->len ? c->len : strlen(c->in), i;
	struct adt_raster r;
	struct adt_error err;
	const double *v;
	int rc;

	adt_raster_init(&r);
	adt_error_init(&err);
	/* Stale file and line must not survive into the error. */
	snprintf(err.file, sizeof(err.file), "stale");
	err.line = 99;
	rc = adt_matrix_csv_read_mem(c->in, len, "m.csv", &o, &r, &err);
	if (c->code != ADT_EOK) {
		if (rc != -1)
			fail_msg("expected an error, got rc %d and %llux%llu", rc,
				 (unsigned long long)r.width, (unsigned long long)r.height);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(err.code, c->code);
		assert_int_equal(err.line, c->line);
		assert_string_equal(err.file, "m.csv");
		assert_null(r.data);
		return;
	}
	if (rc != 0)
		fail_msg("unexpected error (%d) at line %lu: %s", err.code, err.line, err.msg);
	assert_int_equal(r.width, c->width);
	assert_int_equal(r.height, c->height);
	assert_int_equal(r.sample, ADT_SAMPLE_F64);
	v = r.data;
	for (i = 0; i < c->width * c->height; i++) {
		if (memcmp(&v[i], &c->v[i], sizeof(double)) != 0)
			fail_msg("value %zu = %.17g, want %.17g", i, v[i], c->v[i]);
	}
	adt_raster_release(&r);
}

static void test_case(void **state)
{
	check_case(*state);
}

/* A raster is reused: a smaller matrix after a bigger one keeps the buffer;
 * an error leaves the raster as it was. */
static void test_reuse(void **state)
{
	struct adt_raster r;
	struct adt_error err;
	void *data;

	(void)state;
	adt_raster_init(&r);
	adt_error_init(&err);
	assert_int_equal(adt_matrix_csv_read_mem("1,2,3\n4,5,6\n", 12, NULL, NULL, &r, &err), 0);
	data = r.data;
	assert_int_equal(adt_matrix_csv_read_mem("9 8\n", 4, NULL, NULL, &r, &err), 0);
	assert_ptr_equal(r.data, data);
	assert_int_equal(r.width, 2);
	assert_int_equal(r.height, 1);
	assert_true(((double *)r.data)[1] == 8);
	assert_int_equal(adt_matrix_csv_read_mem("1,x\n", 4, NULL, NULL, &r, &err), -1);
	assert_string_equal(err.file, "");
	assert_string_equal(err.msg, "row 1, column 2: value 'x' is not a number");
	assert_int_equal(r.width, 2);
	assert_ptr_equal(r.data, data);
	adt_raster_release(&r);
}

/* o and err may be NULL; a NULL buffer of length 0 is empty. */
static void test_null_args(void **state)
{
	struct adt_raster r;

	(void)state;
	adt_raster_init(&r);
	assert_int_equal(adt_matrix_csv_read_mem("nan", 3, NULL, NULL, &r, NULL), -1);
	assert_int_equal(adt_matrix_csv_read_mem("1,2\n3\n", 6, NULL, NULL, &r, NULL), -1);
	assert_int_equal(adt_matrix_csv_read_mem(NULL, 0, NULL, NULL, &r, NULL), -1);
	assert_null(r.data);
	assert_int_equal(adt_matrix_csv_read_mem("5", 1, NULL, NULL, &r, NULL), 0);
	assert_true(((double *)r.data)[0] == 5);
	adt_raster_release(&r);
}

/* A 512x512 map as numpy writes it, and an error in its last value. */
static void test_large(void **state)
{
	const size_t n = 512;
	size_t cap = n * n * 28 + 16, len = 0, i, j, last = 0;
	char *buf = malloc(cap);
	struct adt_raster r;
	struct adt_error err;
	const double *v;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			last = len;
			len += (size_t)sprintf(buf + len, "%s%.18e", j ? " " : "",
					       (double)(i * n + j) / 7.0);
		}
		len += (size_t)sprintf(buf + len, "\n");
	}
	adt_raster_init(&r);
	adt_error_init(&err);
	if (adt_matrix_csv_read_mem(buf, len, "big.txt", NULL, &r, &err))
		fail_msg("unexpected error at line %lu: %s", err.line, err.msg);
	assert_int_equal(r.width, n);
	assert_int_equal(r.height, n);
	v = r.data;
	for (i = 0; i < n * n; i++) {
		if (v[i] != (double)i / 7.0)
			fail_msg("value %zu = %.17g, want %.17g", i, v[i], (double)i / 7.0);
	}
	/* The last value becomes "nan" and blanks. */
	memset(buf + last + 1, ' ', len - 1 - (last + 1));
	memcpy(buf + last + 1, "nan", 3);
	assert_int_equal(adt_matrix_csv_read_mem(buf, len, "big.txt", NULL, &r, &err), -1);
	assert_int_equal(err.line, n);
	assert_int_equal(err.code, ADT_EDATA);
	assert_string_equal(err.msg, "row 512, column 512: value 'nan' is not a number (NaN)");
	adt_raster_release(&r);
	free(buf);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_case);
	test_list_add(&l, "raster reuse", test_reuse);
	test_list_add(&l, "null arguments", test_null_args);
	test_list_add(&l, "large matrix", test_large);
	return test_list_run(&l, "read_matrix");
}
