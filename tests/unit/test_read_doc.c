/* Unit tests for JSON matrices (adt_matrix_json_read_mem) and JSON results
 * documents (adt_doc_json_read_mem): one table row per case, each a test
 * of its own. */
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

#define MAXV   8
#define MAXIMG 3

#define LABEL_WORDS                                                                                \
	"expected 0/1, true/false, normal/good/ok or "                                             \
	"anomalous/abnormal/anomaly/defect/defective/bad/ng, or name the anomalous value with "    \
	"--positive-label"
#define LEADING "leading dimension is 2, expected 1 (one image: [H, W] or [1, H, W])"

/* ---- Matrices ---- */

struct matrix_case {
	const char *name;
	const char *in;
	int mask; /* decode as a mask (booleans allowed) */
	uint64_t max_pixels;
	uint64_t width, height;
	double v[MAXV];
	enum adt_errcode code;
	const char *msg;
	unsigned long line;
};

static const struct matrix_case matrix_cases[] = {
    {.name = "2-D array",
     .in = "[[1,2,3],[4,5,6]]",
     .width = 3,
     .height = 2,
     .v = {1, 2, 3, 4, 5, 6}},
    {.name = "pretty-printed",
     .in = "[\n  [1, 2],\n  [3, 4]\n]\n",
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},
    {.name = "BOM and CRLF",
     .in = "\xEF\xBB\xBF[\r\n[1, 2],\r\n[3, 4]\r\n]\r\n",
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},
    {.name = "[1, H, W]",
     .in = "[[[1, 2], [3, 4], [5, 6]]]",
     .width = 2,
     .height = 3,
     .v = {1, 2, 3, 4, 5, 6}},
    {.name = "[1, 1, H, W]", .in = "[[[[1, 2, 3]]]]", .width = 3, .height = 1, .v = {1, 2, 3}},
    {.name = "one row", .in = "[[1, 2, 3, 4]]", .width = 4, .height = 1, .v = {1, 2, 3, 4}},
    {.name = "one column", .in = "[[1], [2]]", .width = 1, .height = 2, .v = {1, 2}},
    {.name = "one value", .in = " [[5]] ", .width = 1, .height = 1, .v = {5}},
    {.name = "numbers",
     .in = "[[-1.5e-3, 0.1, 1E2, -0], [1e-400, 0.30000000000000004, 2.5e+1, 7]]",
     .width = 4,
     .height = 2,
     .v = {-1.5e-3, 0.1, 100, 0, 0, 0.30000000000000004, 25, 7}},
    {.name = "booleans in a mask",
     .in = "[[true, false], [0, 1]]",
     .mask = 1,
     .width = 2,
     .height = 2,
     .v = {1, 0, 0, 1}},
    {.name = "max pixels: at the limit",
     .in = "[[1,2],[3,4]]",
     .max_pixels = 4,
     .width = 2,
     .height = 2,
     .v = {1, 2, 3, 4}},

    {.name = "empty input", .in = "", .code = ADT_EFORMAT, .msg = "empty matrix", .line = 0},
    {.name = "blank input", .in = "\xEF\xBB\xBF \n", .code = ADT_EFORMAT, .msg = "empty matrix"},
    {.name = "empty array", .in = "\n[]", .code = ADT_EFORMAT, .msg = "empty matrix", .line = 2},
    {.name = "empty rows", .in = "[[], []]", .code = ADT_EFORMAT, .msg = "empty matrix", .line = 1},
    {.name = "empty [1, H, W]",
     .in = "[[[]]]",
     .code = ADT_EFORMAT,
     .msg = "empty matrix",
     .line = 1},
    {.name = "an empty row first",
     .in = "[[],\n [1]]",
     .code = ADT_EFORMAT,
     .msg = "row 2 has 1 value, row 1 has 0",
     .line = 2},
    {.name = "ragged rows",
     .in = "[[1, 2, 3],\n [4, 5, 6],\n [7, 8]]",
     .code = ADT_EFORMAT,
     .msg = "row 3 has 2 values, row 1 has 3",
     .line = 3},
    {.name = "a 1-D array",
     .in = "[1, 2, 3]",
     .code = ADT_EDATA,
     .msg = "expected a 2-D array of numbers, got a 1-D array",
     .line = 1},
    {.name = "an object",
     .in = "{\"a\": [[1]]}",
     .code = ADT_EDATA,
     .msg = "expected a 2-D array of numbers, got object",
     .line = 1},
    {.name = "a number",
     .in = "\n\n5",
     .code = ADT_EDATA,
     .msg = "expected a 2-D array of numbers, got number",
     .line = 3},
    {.name = "a row that is no array",
     .in = "[[1, 2],\n 3]",
     .code = ADT_EDATA,
     .msg = "row 2: expected an array of numbers, got number",
     .line = 2},
    {.name = "null",
     .in = "[[1, 2],\n [3,\n  null]]",
     .code = ADT_EDATA,
     .msg = "row 2, column 2: expected a number, got null",
     .line = 3},
    {.name = "string",
     .in = "[[\"1\"]]",
     .code = ADT_EDATA,
     .msg = "row 1, column 1: expected a number, got string",
     .line = 1},
    {.name = "boolean in a map",
     .in = "[[0, true]]",
     .code = ADT_EDATA,
     .msg = "row 1, column 2: expected a number, got boolean",
     .line = 1},
    {.name = "null in a mask",
     .in = "[[0, null]]",
     .mask = 1,
     .code = ADT_EDATA,
     .msg = "row 1, column 2: expected a number, got null",
     .line = 1},
    {.name = "array in a row",
     .in = "[[1, [2]]]",
     .code = ADT_EDATA,
     .msg = "row 1, column 2: expected a number, got array",
     .line = 1},
    {.name = "NaN literal",
     .in = "[[1, 2],\n [NaN, 4]]",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .line = 2},
    {.name = "Infinity literal",
     .in = "[[-Infinity]]",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .line = 1},
    {.name = "overflow",
     .in = "[[1],\n [1e999]]",
     .code = ADT_EDATA,
     .msg = "row 2, column 1: value '1e999' overflows a double",
     .line = 2},
    {.name = "leading dimension of 2",
     .in = "[[[1]], [[2]]]",
     .code = ADT_EDATA,
     .msg = LEADING,
     .line = 1},
    {.name = "syntax error",
     .in = "[[1, 2],\n [3, 4]",
     .code = ADT_EFORMAT,
     .msg = "unexpected end of input",
     .line = 2},
    {.name = "trailing comma",
     .in = "[[1, 2,]]",
     .code = ADT_EFORMAT,
     .msg = "trailing comma before ']'",
     .line = 1},
    {.name = "trailing data",
     .in = "[[1]]\n[[2]]",
     .code = ADT_EFORMAT,
     .msg = "trailing data after the JSON document",
     .line = 2},
    {.name = "max pixels: over the limit",
     .in = "\n[[1,2],[3,4]]",
     .max_pixels = 3,
     .code = ADT_EDATA,
     .msg = "image of 2x2 pixels is over the limit of 3 pixels (--max-pixels)",
     .line = 2},
};

static void check_values(const struct adt_raster *r, uint64_t width, uint64_t height,
			 const double *want)
{
	const double *v = r->data;
	size_t i;

	assert_int_equal(r->width, width);
	assert_int_equal(r->height, height);
	assert_int_equal(r->sample, ADT_SAMPLE_F64);
	for (i = 0; i < width * height; i++) {
		if (memcmp(&v[i], &want[i], sizeof(double)) != 0)
			fail_msg("value %zu = %.17g, want %.17g", i, v[i], want[i]);
	}
}

static void test_matrix(void **state)
{
	const struct matrix_case *c = *state;
	struct adt_decode_opts o = {c->mask ? ADT_AS_MASK : ADT_AS_MAP, c->max_pixels};
	struct adt_raster r;
	struct adt_error err;
	int rc;

	adt_raster_init(&r);
	adt_error_init(&err);
	snprintf(err.file, sizeof(err.file), "stale");
	err.line = 99;
	rc = adt_matrix_json_read_mem(c->in, strlen(c->in), "m.json", &o, &r, &err);
	if (c->code != ADT_EOK) {
		if (rc != -1)
			fail_msg("expected an error, got rc %d", rc);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(err.code, c->code);
		assert_int_equal(err.line, c->line);
		assert_string_equal(err.file, "m.json");
		adt_raster_release(&r);
		return;
	}
	if (rc != 0)
		fail_msg("unexpected error (%d) at line %lu: %s", err.code, err.line, err.msg);
	check_values(&r, c->width, c->height, c->v);
	adt_raster_release(&r);
}

/* ---- Documents ---- */

struct img {
	const char *id; /* NULL: none */
	uint64_t w, h;
	double map[MAXV];
	uint64_t mw, mh; /* 0: no mask */
	double mask[MAXV];
	int has_score;
	double score;
	int has_label;
	int label;
	unsigned long line;
};

struct doc_case {
	const char *name;
	const char *in;
	uint64_t max_pixels;
	size_t n;
	struct img img[MAXIMG];
	enum adt_errcode code;
	const char *msg;
	unsigned long line;
};

static const struct doc_case doc_cases[] = {
    {.name = "array with every key",
     .in = "[\n"
	   "  {\"image_path\": \"bottle/test/broken/000.png\",\n"
	   "   \"anomaly_map\": [[0.1, 0.9], [0.2, 0.3]],\n"
	   "   \"gt_mask\": [[0, 1], [0, 0]],\n"
	   "   \"pred_score\": 0.9, \"gt_label\": 1},\n"
	   "  {\"image_path\": \"bottle/test/good/001.png\",\n"
	   "   \"anomaly_map\": [[0.05, 0.1], [0.0, 0.2]],\n"
	   "   \"gt_mask\": [[0, 0], [0, 0]],\n"
	   "   \"pred_score\": 0.2, \"gt_label\": 0}\n"
	   "]\n",
     .n = 2,
     .img = {{.id = "bottle/test/broken/000.png",
	      .w = 2,
	      .h = 2,
	      .map = {0.1, 0.9, 0.2, 0.3},
	      .mw = 2,
	      .mh = 2,
	      .mask = {0, 1, 0, 0},
	      .has_score = 1,
	      .score = 0.9,
	      .has_label = 1,
	      .label = 1,
	      .line = 2},
	     {.id = "bottle/test/good/001.png",
	      .w = 2,
	      .h = 2,
	      .map = {0.05, 0.1, 0, 0.2},
	      .mw = 2,
	      .mh = 2,
	      .has_score = 1,
	      .score = 0.2,
	      .has_label = 1,
	      .label = 0,
	      .line = 6}}},
    {.name = "only maps",
     .in = "[{\"anomaly_map\": [[1]]}, {\"anomaly_map\": [[2, 3]]}]",
     .n = 2,
     .img = {{.w = 1, .h = 1, .map = {1}, .line = 1}, {.w = 2, .h = 1, .map = {2, 3}, .line = 1}}},
    {.name = "JSON Lines with other key names",
     .in = "\xEF\xBB\xBF{\"path\": \"a.png\", \"heatmap\": [[1, 2]], \"mask\": [[true, false]], "
	   "\"score\": 2, \"label\": \"defect\"}\r\n"
	   "\r\n"
	   "{\"filename\": \"b.png\", \"map\": [[[3, 4]]], \"gt_masks\": [[[0, 0]]], "
	   "\"anomaly_score\": -1e-1, \"is_anomalous\": false}\r\n",
     .n = 2,
     .img = {{.id = "a.png",
	      .w = 2,
	      .h = 1,
	      .map = {1, 2},
	      .mw = 2,
	      .mh = 1,
	      .mask = {1, 0},
	      .has_score = 1,
	      .score = 2,
	      .has_label = 1,
	      .label = 1,
	      .line = 1},
	     {.id = "b.png",
	      .w = 2,
	      .h = 1,
	      .map = {3, 4},
	      .mw = 2,
	      .mh = 1,
	      .mask = {0, 0},
	      .has_score = 1,
	      .score = -0.1,
	      .has_label = 1,
	      .label = 0,
	      .line = 3}}},
    {.name = "JSON Lines of one object",
     .in = "\n{\"anomaly_maps\": [[1]], \"file\": \"x\"}",
     .n = 1,
     .img = {{.id = "x", .w = 1, .h = 1, .map = {1}, .line = 2}}},
    {.name = "one object over several lines",
     .in = "{\n"
	   "  \"image\": \"c.png\",\n"
	   "  \"anomaly_map\": [\n"
	   "    [1, 2],\n"
	   "    [3, 4]\n"
	   "  ],\n"
	   "  \"gt_label\": true\n"
	   "}\n",
     .n = 1,
     .img = {{.id = "c.png",
	      .w = 2,
	      .h = 2,
	      .map = {1, 2, 3, 4},
	      .has_label = 1,
	      .label = 1,
	      .line = 1}}},
    {.name = "labels as numbers, booleans and words",
     .in = "[{\"anomaly_map\": [[1]], \"label\": 1.0},\n"
	   " {\"anomaly_map\": [[1]], \"label\": false},\n"
	   " {\"anomaly_map\": [[1]], \"label\": \"GOOD\"}]",
     .n = 3,
     .img = {{.w = 1, .h = 1, .map = {1}, .has_label = 1, .label = 1, .line = 1},
	     {.w = 1, .h = 1, .map = {1}, .has_label = 1, .label = 0, .line = 2},
	     {.w = 1, .h = 1, .map = {1}, .has_label = 1, .label = 0, .line = 3}}},
    {.name = "null mask is no mask",
     .in = "[{\"anomaly_map\": [[1, 2]], \"gt_mask\": null}]",
     .n = 1,
     .img = {{.w = 2, .h = 1, .map = {1, 2}, .line = 1}}},
    {.name = "keys case-insensitive and escaped, unknown keys ignored",
     .in = "[{\"Extra\": [1, {\"anomaly_map\": \"]}\\\"[{\"}, [[]], null],\n"
	   "  \"Anomaly_Map\": [[5]], \"anomaly\\u005fmask\": 3, \"GT_Mask\": [[1]],\n"
	   "  \"Image_Path\": \"d\\/e \\u00e9\", \"Pred_Score\": 1E+2, \"n\": {\"map\": 1}}]",
     .n = 1,
     .img = {{.id = "d/e \xC3\xA9",
	      .w = 1,
	      .h = 1,
	      .map = {5},
	      .mw = 1,
	      .mh = 1,
	      .mask = {1},
	      .has_score = 1,
	      .score = 100,
	      .line = 1}}},
    {.name = "key with an escape",
     .in = "[{\"anomaly\\u005fmap\": [[7]], \"gt\\u005flabel\": 0}]",
     .n = 1,
     .img = {{.w = 1, .h = 1, .map = {7}, .has_label = 1, .label = 0, .line = 1}}},
    {.name = "map and mask of different sizes (the caller checks)",
     .in = "[{\"anomaly_map\": [[1, 2]], \"gt_mask\": [[1], [0]]}]",
     .n = 1,
     .img = {{.w = 2, .h = 1, .map = {1, 2}, .mw = 1, .mh = 2, .mask = {1, 0}, .line = 1}}},

    /* Errors */
    {.name = "no map",
     .in = "[\n {\"anomaly_map\": [[1]]},\n {\"gt_mask\": [[1]], \"image_path\": \"x\"}\n]",
     .code = ADT_EDATA,
     .msg = "element 2: no anomaly map (expected 'anomaly_map')",
     .line = 3},
    {.name = "no map, JSON Lines",
     .in = "{\"anomaly_map\": [[1]]}\n{\"score\": 1}\n",
     .code = ADT_EDATA,
     .msg = "no anomaly map (expected 'anomaly_map')",
     .line = 2},
    {.name = "duplicate key",
     .in = "[{\"anomaly_map\": [[1]],\n \"gt_mask\": [[1]],\n \"gt_mask\": [[0]]}]",
     .code = ADT_EFORMAT,
     .msg = "element 1: duplicate key 'gt_mask'",
     .line = 3},
    {.name = "two map keys",
     .in = "[{\"map\": [[1]],\n \"heatmap\": [[1]]}]",
     .code = ADT_EDATA,
     .msg = "element 1: ambiguous map keys 'map' and 'heatmap'",
     .line = 2},
    {.name = "two id keys",
     .in = "{\"anomaly_map\": [[1]], \"path\": \"a\", \"Image\": \"b\"}",
     .code = ADT_EDATA,
     .msg = "ambiguous id keys 'path' and 'Image'",
     .line = 1},
    {.name = "id not a string",
     .in = "[{\"anomaly_map\": [[1]], \"image_path\": 3}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'image_path' must be a string, got number",
     .line = 1},
    {.name = "score not a number",
     .in = "[{\"anomaly_map\": [[1]],\n \"pred_score\": \"0.5\"}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'pred_score' must be a number, got string",
     .line = 2},
    {.name = "score overflows",
     .in = "[{\"anomaly_map\": [[1]]}, {\"anomaly_map\": [[1]], \"score\": -1e999}]",
     .code = ADT_EDATA,
     .msg = "element 2: score '-1e999' overflows a double",
     .line = 1},
    {.name = "label null",
     .in = "[{\"anomaly_map\": [[1]], \"gt_label\": null}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'gt_label' must be a number, a boolean or a string, got null",
     .line = 1},
    {.name = "unknown labels",
     .in = "{\"anomaly_map\": [[1]], \"gt_label\": 1}\n"
	   "{\"anomaly_map\": [[1]], \"gt_label\": \"maybe\"}\n"
	   "{\"anomaly_map\": [[1]], \"gt_label\": 2}\n",
     .code = ADT_EDATA,
     .msg = "unknown label 'maybe' (values seen: 'maybe', '2'; " LABEL_WORDS ")",
     .line = 2},
    {.name = "map not an array",
     .in = "[{\"anomaly_map\": \"m.png\"}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'anomaly_map': expected a 2-D array of numbers, got string",
     .line = 1},
    {.name = "map null",
     .in = "[{\"anomaly_map\": null}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'anomaly_map': expected a 2-D array of numbers, got null",
     .line = 1},
    {.name = "map with ragged rows",
     .in = "[{\"anomaly_map\": [[1, 2],\n [3]]}]",
     .code = ADT_EFORMAT,
     .msg = "element 1: 'anomaly_map': row 2 has 1 value, row 1 has 2",
     .line = 2},
    {.name = "map of booleans",
     .in = "{\"heatmap\": [[true]]}",
     .code = ADT_EDATA,
     .msg = "'heatmap': row 1, column 1: expected a number, got boolean",
     .line = 1},
    {.name = "mask with null",
     .in = "[{\"anomaly_map\": [[1, 2]]},\n"
	   " {\"anomaly_map\": [[1, 2]],\n"
	   "  \"gt_mask\": [[0,\n null]]}]",
     .code = ADT_EDATA,
     .msg = "element 2: 'gt_mask': row 1, column 2: expected a number, got null",
     .line = 4},
    {.name = "mask of stacked images",
     .in = "[{\"anomaly_map\": [[1]], \"mask\": [[[1]], [[0]]]}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'mask': " LEADING,
     .line = 1},
    {.name = "element not an object",
     .in = "[{\"anomaly_map\": [[1]]},\n [[1]]]",
     .code = ADT_EFORMAT,
     .msg = "element 2 must be an object, got array",
     .line = 2},
    {.name = "JSON Lines, an array line",
     .in = "{\"anomaly_map\": [[1]]}\n[[1]]\n",
     .code = ADT_EFORMAT,
     .msg = "expected an object, got array",
     .line = 2},
    {.name = "JSON Lines, an object over several lines",
     .in = "{\"anomaly_map\": [[1]]}\n{\"anomaly_map\":\n [[1]]}\n",
     .code = ADT_EFORMAT,
     .msg = "unexpected end of line (JSON Lines need one complete object per line)",
     .line = 2},
    {.name = "JSON Lines, two objects on a line",
     .in = "{\"anomaly_map\": [[1]]}\n{\"anomaly_map\": [[1]]} {}\n",
     .code = ADT_EFORMAT,
     .msg = "trailing data after the JSON value (one object per line)",
     .line = 2},
    {.name = "an object over several lines, then more",
     .in = "{\n\"anomaly_map\": [[1]]\n}\n{\"anomaly_map\": [[1]]}\n",
     .code = ADT_EFORMAT,
     .msg = "trailing data after the JSON document (JSON Lines need one complete object per "
	    "line)",
     .line = 4},
    {.name = "syntax error in an array",
     .in = "[{\"anomaly_map\": [[1,]]}]",
     .code = ADT_EFORMAT,
     .msg = "trailing comma before ']'",
     .line = 1},
    {.name = "NaN in a map",
     .in = "[{\"anomaly_map\":\n [[NaN]]}]",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .line = 2},
    {.name = "empty input", .in = "", .code = ADT_EDATA, .msg = "no images in the document"},
    {.name = "empty array", .in = "[ ]\n", .code = ADT_EDATA, .msg = "no images in the document"},
    {.name = "blank lines", .in = "\n\r\n", .code = ADT_EDATA, .msg = "no images in the document"},
    {.name = "max pixels",
     .in = "[{\"anomaly_map\": [[1, 2]]},\n {\"anomaly_map\": [[1, 2], [3, 4]]}]",
     .max_pixels = 3,
     .code = ADT_EDATA,
     .msg = "element 2: 'anomaly_map': image of 2x2 pixels is over the limit of 3 pixels "
	    "(--max-pixels)",
     .line = 2},
};

static void check_image(const struct adt_doc_image *got, const struct img *want)
{
	if (want->id)
		assert_string_equal(got->id, want->id);
	else
		assert_null(got->id);
	check_values(&got->map, want->w, want->h, want->map);
	if (want->mw)
		check_values(&got->mask, want->mw, want->mh, want->mask);
	else
		assert_int_equal(got->mask.width, 0);
	assert_int_equal(got->has_score, want->has_score);
	if (want->has_score && got->score != want->score)
		fail_msg("score = %.17g, want %.17g", got->score, want->score);
	assert_int_equal(got->has_label, want->has_label);
	if (want->has_label)
		assert_int_equal(got->label, want->label);
	assert_int_equal(got->line, want->line);
}

static void test_doc(void **state)
{
	const struct doc_case *c = *state;
	struct adt_decode_opts o = {ADT_AS_MAP, c->max_pixels};
	struct adt_error err;
	struct adt_doc doc;
	size_t i;
	int rc;

	adt_error_init(&err);
	snprintf(err.file, sizeof(err.file), "stale");
	err.line = 99;
	rc = adt_doc_json_read_mem(c->in, strlen(c->in), "r.json", &o, &doc, &err);
	if (c->code != ADT_EOK) {
		if (rc != -1)
			fail_msg("expected an error, got rc %d and %zu images", rc, doc.n);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(err.code, c->code);
		assert_int_equal(err.line, c->line);
		assert_string_equal(err.file, "r.json");
		assert_int_equal(doc.n, 0);
		assert_null(doc.images);
		return;
	}
	if (rc != 0)
		fail_msg("unexpected error (%d) at line %lu: %s", err.code, err.line, err.msg);
	assert_int_equal(doc.n, c->n);
	for (i = 0; i < c->n; i++)
		check_image(&doc.images[i], &c->img[i]);
	adt_doc_release(&doc);
	assert_int_equal(doc.n, 0);
	adt_doc_release(&doc);
}

/* ---- The masks a document must give (adt_doc_check_masks) ---- */

struct mask_case {
	const char *name;
	const char *in;
	const char *msg; /* NULL: every mask needed is there */
	unsigned long line;
};

#define NO_MASK_LABEL                                                                              \
	"no gt_mask for an image labelled anomalous (a missing or null mask would count every "    \
	"pixel normal)"
#define NO_MASK_FOLDER                                                                             \
	"no gt_mask for an image without a gt_label outside a folder named good, ok or normal "    \
	"(give its mask, or gt_label 0 if it is normal)"
#define NO_MASK_UNKNOWN                                                                            \
	"no gt_mask, and neither a gt_label nor a folder in image_path says the image is normal "  \
	"(give its mask, or gt_label 0 if it is normal)"

static const struct mask_case mask_cases[] = {
    {.name = "label 1 without a mask",
     .in = "[{\"gt_label\": 0, \"anomaly_map\": [[1]]},\n"
	   " {\"image_path\": \"t/crack/1.png\", \"gt_label\": 1, \"anomaly_map\": [[1]]}]",
     .msg = "element 2 ('t/crack/1.png'): " NO_MASK_LABEL,
     .line = 2},
    {.name = "label 1 with a null mask in a good folder",
     .in = "[{\"image_path\": \"t/good/1.png\", \"gt_label\": 1, \"anomaly_map\": [[1]], "
	   "\"gt_mask\": null}]",
     .msg = "element 1 ('t/good/1.png'): " NO_MASK_LABEL,
     .line = 1},
    {.name = "label word without a mask, no image_path",
     .in = "{\"label\": \"defect\", \"map\": [[1]]}\n{\"label\": \"ng\", \"map\": [[1]]}\n",
     .msg = "element 1: " NO_MASK_LABEL,
     .line = 1},
    {.name = "no label, a defect folder",
     .in = "{\"image_path\": \"t/good/0.png\", \"map\": [[1]]}\n\n"
	   "{\"image_path\": \"t/crack/0.png\", \"map\": [[1]], \"mask\": null}\n",
     .msg = "element 2 ('t/crack/0.png'): " NO_MASK_FOLDER,
     .line = 3},
    {.name = "no label, no folder",
     .in = "[{\"path\": \"0.png\", \"anomaly_map\": [[1]]}]",
     .msg = "element 1 ('0.png'): " NO_MASK_UNKNOWN,
     .line = 1},
    {.name = "no label, no image_path",
     .in = "[{\"anomaly_map\": [[1]], \"gt_mask\": [[1]]},\n {\"anomaly_map\": [[1]]}]",
     .msg = "element 2: " NO_MASK_UNKNOWN,
     .line = 2},
    {.name = "the first image concerned",
     .in = "[{\"gt_label\": 1, \"anomaly_map\": [[1]], \"gt_mask\": [[0]]},\n"
	   " {\"image_path\": \"a/b/1.png\", \"anomaly_map\": [[1]]},\n"
	   " {\"gt_label\": 1, \"anomaly_map\": [[1]]}]",
     .msg = "element 2 ('a/b/1.png'): " NO_MASK_FOLDER,
     .line = 2},
    {.name = "a long image_path, cut",
     .in = "[{\"image_path\": "
	   "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbb.png\", "
	   "\"gt_label\": 1, \"anomaly_map\": [[1]]}]",
     .msg = "element 1 "
	    "('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/b'): " NO_MASK_LABEL,
     .line = 1},
    {.name = "normal images need none",
     .in = "[{\"image_path\": \"t/crack/0.png\", \"gt_label\": 0, \"anomaly_map\": [[1]]},\n"
	   " {\"gt_label\": false, \"anomaly_map\": [[1]], \"gt_mask\": null},\n"
	   " {\"image_path\": \"0.png\", \"gt_label\": \"good\", \"anomaly_map\": [[1]]},\n"
	   " {\"image_path\": \"t/good/1.png\", \"anomaly_map\": [[1]]},\n"
	   " {\"image_path\": \"t\\\\OK\\\\2.png\", \"anomaly_map\": [[1]]},\n"
	   " {\"image_path\": \"t/Normal/3.png\", \"anomaly_map\": [[1]], \"gt_mask\": null}]"},
    {.name = "anomalous images with masks, empty or not",
     .in = "[{\"image_path\": \"t/crack/0.png\", \"gt_label\": 1, \"anomaly_map\": [[1]], "
	   "\"gt_mask\": [[0]]},\n"
	   " {\"image_path\": \"t/crack/1.png\", \"anomaly_map\": [[1]], \"gt_mask\": [[1]]},\n"
	   " {\"anomaly_map\": [[1]], \"gt_mask\": [[false]]}]"},
};

static void test_masks(void **state)
{
	const struct mask_case *c = *state;
	struct adt_error err;
	struct adt_doc doc;

	adt_error_init(&err);
	if (adt_doc_json_read_mem(c->in, strlen(c->in), "r.json", NULL, &doc, &err))
		fail_msg("unexpected error at line %lu: %s", err.line, err.msg);
	if (!c->msg) {
		if (adt_doc_check_masks(&doc, "r.json", &err))
			fail_msg("unexpected error at line %lu: %s", err.line, err.msg);
	} else {
		assert_int_equal(adt_doc_check_masks(&doc, "r.json", &err), -1);
		assert_int_equal(err.code, ADT_EDATA);
		assert_string_equal(err.msg, c->msg);
		assert_string_equal(err.file, "r.json");
		assert_int_equal(err.line, c->line);
	}
	adt_doc_release(&doc);
}

/* Appends a 2-D array of h rows of w values to buf. */
static size_t put_matrix(char *buf, size_t w, size_t h, size_t seed, int mask)
{
	size_t len = 0, i, j;

	len += (size_t)sprintf(buf + len, "[");
	for (i = 0; i < h; i++) {
		len += (size_t)sprintf(buf + len, "%s[", i ? ",\n" : "");
		for (j = 0; j < w; j++) {
			if (mask)
				len += (size_t)sprintf(buf + len, "%s%d", j ? "," : "",
						       (int)((i + j + seed) % 2));
			else
				len += (size_t)sprintf(buf + len, "%s%.17g", j ? "," : "",
						       (double)(i * w + j + seed) / 3.0);
		}
		len += (size_t)sprintf(buf + len, "]");
	}
	len += (size_t)sprintf(buf + len, "]");
	return len;
}

/* 100 images of 256x256 with maps and masks, then an error in the last. */
static void test_large_doc(void **state)
{
	const size_t n = 100, w = 256;
	size_t cap = n * w * w * 28 + n * 200, len = 0, k, i, bad = 0;
	char *buf = malloc(cap);
	const double *v, *m;
	struct adt_error err;
	struct adt_doc doc;

	(void)state;
	assert_non_null(buf);
	len += (size_t)sprintf(buf + len, "[\n");
	for (k = 0; k < n; k++) {
		len += (size_t)sprintf(buf + len,
				       "%s{\"image_path\": \"d/%03zu.png\", \"pred_score\": %zu, "
				       "\"gt_label\": %d,\n\"anomaly_map\": ",
				       k ? ",\n" : "", k, k, (int)(k % 2));
		len += put_matrix(buf + len, w, w, k, 0);
		len += (size_t)sprintf(buf + len, ",\n\"gt_mask\": ");
		bad = len;
		len += put_matrix(buf + len, w, w, k, 1);
		len += (size_t)sprintf(buf + len, "}");
	}
	len += (size_t)sprintf(buf + len, "\n]\n");
	assert_true(len < cap);
	adt_error_init(&err);
	if (adt_doc_json_read_mem(buf, len, "big.json", NULL, &doc, &err))
		fail_msg("unexpected error at line %lu: %s", err.line, err.msg);
	assert_int_equal(doc.n, n);
	for (k = 0; k < n; k += 33) {
		assert_int_equal(doc.images[k].map.width, w);
		assert_int_equal(doc.images[k].mask.height, w);
		assert_true(doc.images[k].score == (double)k);
		assert_int_equal(doc.images[k].label, (int)(k % 2));
		assert_int_equal(doc.images[k].line, 2 + k * (2 * w + 1));
		v = doc.images[k].map.data;
		m = doc.images[k].mask.data;
		for (i = 0; i < w * w; i++) {
			if (v[i] != (double)(i + k) / 3.0 ||
			    m[i] != (double)((i / w + i % w + k) % 2))
				fail_msg("image %zu value %zu: %.17g %g", k, i, v[i], m[i]);
		}
	}
	adt_doc_release(&doc);
	/* The last mask's first value becomes a string. */
	memcpy(buf + bad + 2, "\"", 1);
	memcpy(buf + bad + 4, "\"", 1);
	assert_int_equal(adt_doc_json_read_mem(buf, len, "big.json", NULL, &doc, &err), -1);
	assert_string_equal(
	    err.msg, "element 100: 'gt_mask': row 1, column 1: expected a number, got string");
	assert_int_equal(err.line, 2 + 99 * (2 * w + 1) + w + 1);
	assert_int_equal(doc.n, 0);
	free(buf);
}

/* o and err may be NULL. */
static void test_null_args(void **state)
{
	struct adt_raster r;
	struct adt_doc doc;

	(void)state;
	adt_raster_init(&r);
	assert_int_equal(adt_matrix_json_read_mem("[[1]]", 5, NULL, NULL, &r, NULL), 0);
	assert_int_equal(adt_matrix_json_read_mem("[[true]]", 8, NULL, NULL, &r, NULL), -1);
	assert_int_equal(adt_matrix_json_read_mem(NULL, 0, NULL, NULL, &r, NULL), -1);
	adt_raster_release(&r);
	assert_int_equal(adt_doc_json_read_mem("{\"map\": [[1]]}", 14, NULL, NULL, &doc, NULL), 0);
	assert_int_equal(doc.n, 1);
	adt_doc_release(&doc);
	assert_int_equal(adt_doc_json_read_mem("[{\"a\": 1}]", 10, NULL, NULL, &doc, NULL), -1);
	assert_int_equal(adt_doc_json_read_mem(NULL, 0, NULL, NULL, &doc, NULL), -1);
	assert_int_equal(doc.n, 0);
	adt_doc_release(NULL);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, matrix_cases, test_matrix);
	TEST_LIST_TABLE(&l, doc_cases, test_doc);
	TEST_LIST_TABLE(&l, mask_cases, test_masks);
	test_list_add(&l, "large document", test_large_doc);
	test_list_add(&l, "null arguments", test_null_args);
	return test_list_run(&l, "read_doc");
}
