/* Unit tests for the JSON and JSON Lines readers (adt_read_json_mem,
 * adt_read_jsonl_mem): one table row per case, each a test of its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/error.h"
#include "adthresh/samples.h"
#include "adthresh/score_formats.h"

#include "test_list.h"

#define MAXS 8

#define SCORE_NAMES "score, pred_score, anomaly_score, pred_scores, prediction"
#define LABEL_NAMES "label, gt_label, target, y_true, is_anomalous, anomalous"
#define ID_NAMES    "image_path, path, filename, file, image"
#define LABEL_WORDS                                                                                \
	"expected 0/1, true/false, normal/good/ok or "                                             \
	"anomalous/abnormal/anomaly/defect/defective/bad/ng, or name the anomalous value with "    \
	"--positive-label"
#define JSONL_HINT " (JSON Lines? use .jsonl or --input-format jsonl)"
#define PATHS_NOTE "labels taken from folder names (good = normal)"

struct opts {
	const char *score_col, *label_col, *id_col, *positive;
	int verbose;
};

struct json_case {
	const char *name;
	int jsonl; /* read with adt_read_jsonl_mem */
	const char *in;
	size_t len; /* 0: strlen(in) */
	struct opts o;
	/* success: n samples with these values (id[0] NULL: no ids) */
	size_t n;
	double score[MAXS];
	int label[MAXS];
	const char *id[MAXS];
	unsigned long line[MAXS];
	const char *note; /* NULL: expect an empty note */
	/* failure, when code != ADT_EOK */
	enum adt_errcode code;
	const char *msg;
	unsigned long err_line;
};

static const struct json_case cases[] = {
    /* Shape (a): an array of objects */
    {.name = "array of objects",
     .in = "[\n  {\"score\": 0.5, \"label\": 1},\n  {\"score\": 0.25, \"label\": 0}\n]\n",
     .n = 2,
     .score = {0.5, 0.25},
     .label = {1, 0},
     .line = {2, 3}},
    {.name = "array on one line",
     .in = "[{\"score\":1,\"label\":0},{\"score\":-2.5e-1,\"label\":1}]",
     .n = 2,
     .score = {1, -0.25},
     .label = {0, 1},
     .line = {1, 1}},
    {.name = "pretty-printed array with ids",
     .in = "[\n"
	   "  {\n"
	   "    \"image_path\": \"bottle/test/broken/000.png\",\n"
	   "    \"pred_score\": 0.9,\n"
	   "    \"gt_label\": \"anomalous\"\n"
	   "  },\n"
	   "  {\n"
	   "    \"image_path\": \"bottle/test/good/001.png\",\n"
	   "    \"pred_score\": -1.5e-3,\n"
	   "    \"gt_label\": \"good\"\n"
	   "  }\n"
	   "]\n",
     .n = 2,
     .score = {0.9, -1.5e-3},
     .label = {1, 0},
     .id = {"bottle/test/broken/000.png", "bottle/test/good/001.png"},
     .line = {2, 7}},
    {.name = "keys are case-insensitive",
     .in = "[{\"Anomaly_Score\": 3, \"LABEL\": 1, \"Path\": \"x/a\"},\n"
	   " {\"SCORE\": 4, \"Is_Anomalous\": false, \"FileName\": \"x/b\"}]",
     .n = 2,
     .score = {3, 4},
     .label = {1, 0},
     .id = {"x/a", "x/b"},
     .line = {1, 2}},
    {.name = "other built-in names",
     .in = "[{\"prediction\": 1, \"target\": 1, \"file\": \"a\"},\n"
	   " {\"pred_scores\": 2, \"y_true\": 0, \"image\": \"b\"},\n"
	   " {\"score\": 3, \"anomalous\": 1, \"filename\": \"c\"}]",
     .n = 3,
     .score = {1, 2, 3},
     .label = {1, 0, 1},
     .id = {"a", "b", "c"},
     .line = {1, 2, 3}},
    {.name = "unknown keys ignored, whatever they hold",
     .in = "[{\"extra\": [1, {\"a\": \"]}\\\"[{\"}, [[]], null], \"score\": 0.5,\n"
	   "  \"note\": \"}{,\", \"label\": 1, \"n\": {\"score\": \"x\"}}]",
     .n = 1,
     .score = {0.5},
     .label = {1},
     .line = {1}},
    {.name = "empty array", .in = "[ ]", .n = 0},
    {.name = "empty array with explicit keys", .in = "[]", .o = {.label_col = "y"}, .n = 0},
    {.name = "blank input gives no samples", .in = "\xEF\xBB\xBF \r\n\t\n", .n = 0},
    {.name = "BOM skipped",
     .in = "\xEF\xBB\xBF[{\"score\": 1, \"label\": 0}]",
     .n = 1,
     .score = {1},
     .label = {0},
     .line = {1}},
    {.name = "CRLF line ends",
     .in = "[\r\n {\"score\": 1, \"label\": 0},\r\n\r\n {\"score\": 2, \"label\": 1}\r\n]\r\n",
     .n = 2,
     .score = {1, 2},
     .label = {0, 1},
     .line = {2, 4}},
    {.name = "string escapes in ids",
     .in =
	 "[{\"score\": 1, \"label\": 0, \"path\": \"a\\/b\\\\c \\\"q\\\" \\u00e9\\ud83d\\ude00\"}]",
     .n = 1,
     .score = {1},
     .label = {0},
     .id = {"a/b\\c \"q\" \xC3\xA9\xF0\x9F\x98\x80"},
     .line = {1}},
    {.name = "a 63-character number is read",
     .in = "[{\"score\": 100000000000000000000000000000000000000000000000000000000000000, "
	   "\"label\": 1}]",
     .n = 1,
     .score = {1e62},
     .label = {1},
     .line = {1}},
    {.name = "underflow reads as zero",
     .in = "[{\"score\": 1e-400, \"label\": 1}, {\"score\": -0, \"label\": 0}]",
     .n = 2,
     .score = {0, 0},
     .label = {1, 0},
     .line = {1, 1}},

    /* Labels */
    {.name = "number labels",
     .in = "[{\"score\": 1, \"label\": 0}, {\"score\": 2, \"label\": 1},\n"
	   " {\"score\": 3, \"label\": 1.0}, {\"score\": 4, \"label\": 0e0},\n"
	   " {\"score\": 5, \"label\": 1E+0}]",
     .n = 5,
     .score = {1, 2, 3, 4, 5},
     .label = {0, 1, 1, 0, 1},
     .line = {1, 1, 2, 2, 3}},
    {.name = "boolean labels",
     .in = "[{\"score\": 1, \"is_anomalous\": true}, {\"score\": 2, \"is_anomalous\": false}]",
     .n = 2,
     .score = {1, 2},
     .label = {1, 0},
     .line = {1, 1}},
    {.name = "string labels",
     .in = "[{\"score\": 1, \"label\": \"OK\"}, {\"score\": 2, \"label\": \" defect \"},\n"
	   " {\"score\": 3, \"label\": \"1\"}, {\"score\": 4, \"label\": \"normal\"},\n"
	   " {\"score\": 5, \"label\": \"true\"}, {\"score\": 6, \"label\": \"NG\"}]",
     .n = 6,
     .score = {1, 2, 3, 4, 5, 6},
     .label = {0, 1, 1, 0, 1, 1},
     .line = {1, 1, 2, 2, 3, 3}},
    {.name = "positive label, strings",
     .in = "[{\"score\": 1, \"label\": \"cat\"}, {\"score\": 2, \"label\": \"dog\"},\n"
	   " {\"score\": 3, \"label\": \"CAT\"}]",
     .o = {.positive = "cat"},
     .n = 3,
     .score = {1, 2, 3},
     .label = {1, 0, 1},
     .line = {1, 1, 2}},
    {.name = "positive label, numbers as written",
     .in = "[{\"score\": 1, \"label\": 2}, {\"score\": 2, \"label\": 1}, "
	   "{\"score\": 3, \"label\": 2.0}]",
     .o = {.positive = "2"},
     .n = 3,
     .score = {1, 2, 3},
     .label = {1, 0, 0},
     .line = {1, 1, 1}},
    {.name = "positive label, booleans",
     .in = "[{\"score\": 1, \"label\": true}, {\"score\": 2, \"label\": false}]",
     .o = {.positive = "false"},
     .n = 2,
     .score = {1, 2},
     .label = {0, 1},
     .line = {1, 1}},
    {.name = "positive label, empty string",
     .in = "[{\"score\": 1, \"label\": \"cat\"},\n {\"score\": 2, \"label\": \"\"}]",
     .o = {.positive = "cat"},
     .code = ADT_EDATA,
     .msg = "empty label (with --positive-label 'cat' every label must be non-empty)",
     .err_line = 2},
    {.name = "unknown labels listed",
     .in = "[\n"
	   "  {\"score\": 1, \"label\": 0},\n"
	   "  {\"score\": 2, \"label\": 2},\n"
	   "  {\"score\": 3, \"label\": \"maybe\"},\n"
	   "  {\"score\": 4, \"label\": 2}\n"
	   "]",
     .code = ADT_EDATA,
     .msg = "unknown label '2' (values seen: '2', 'maybe'; " LABEL_WORDS ")",
     .err_line = 3},
    {.name = "labels from folder names",
     .in = "[{\"path\": \"bottle/test/good/000.png\", \"score\": 0.1},\n"
	   " {\"path\": \"bottle/test/broken_large/000.png\", \"score\": 0.9}]",
     .o = {.verbose = 1},
     .n = 2,
     .score = {0.1, 0.9},
     .label = {0, 1},
     .id = {"bottle/test/good/000.png", "bottle/test/broken_large/000.png"},
     .line = {1, 2},
     .note = PATHS_NOTE},
    {.name = "labels from folder names, quietly",
     .in = "[{\"image_path\": \"good\\\\a.png\", \"score\": 0.1},\n"
	   " {\"image_path\": \"crack\\\\b.png\", \"score\": 0.9}]",
     .n = 2,
     .score = {0.1, 0.9},
     .label = {0, 1},
     .id = {"good\\a.png", "crack\\b.png"},
     .line = {1, 2}},
    {.name = "id without a folder for the label",
     .in = "[{\"path\": \"a/good/1.png\", \"score\": 1},\n {\"path\": \"b.png\", \"score\": 2}]",
     .code = ADT_EDATA,
     .msg = "element 2: no label key, and id 'b.png' has no folder to take the label from "
	    "(expected a label key: " LABEL_NAMES ")",
     .err_line = 2},
    {.name = "no label and no id",
     .in = "[\n  {\"score\": 1}\n]",
     .code = ADT_EDATA,
     .msg = "element 1: no label key (expected one of: " LABEL_NAMES
	    "; found: 'score'; use --label-col)",
     .err_line = 2},
    {.name = "labels in some elements only",
     .in = "[{\"score\": 1, \"label\": 0, \"path\": \"good/a\"},\n"
	   " {\"score\": 2, \"path\": \"bad/b\"}]",
     .code = ADT_EDATA,
     .msg = "element 2: no label key (expected one of: " LABEL_NAMES
	    "; found: 'score', 'path'; use --label-col)",
     .err_line = 2},
    {.name = "ids in some elements only",
     .in = "[{\"score\": 1, \"label\": 0, \"path\": \"a\"},\n {\"score\": 2, \"label\": 1}]",
     .code = ADT_EDATA,
     .msg = "element 2: no id key (expected one of: " ID_NAMES
	    "; found: 'score', 'label'; use --id-col)",
     .err_line = 2},

    /* Explicit key names */
    {.name = "explicit keys replace the built-in names",
     .in = "[{\"s\": 0.1, \"y\": \"1\", \"name\": \"p\", \"score\": 5, \"label\": \"x\"}]",
     .o = {.score_col = "s", .label_col = "Y", .id_col = "name"},
     .n = 1,
     .score = {0.1},
     .label = {1},
     .id = {"p"},
     .line = {1}},
    {.name = "explicit keys can swap roles",
     .in = "[{\"label\": 0.75, \"score\": 0}]",
     .o = {.score_col = "label", .label_col = "score"},
     .n = 1,
     .score = {0.75},
     .label = {0},
     .line = {1}},
    {.name = "an all-digit option is a key name",
     .in = "[{\"1\": 0.5, \"label\": 0}]",
     .o = {.score_col = "1"},
     .n = 1,
     .score = {0.5},
     .label = {0},
     .line = {1}},
    {.name = "explicit score key missing",
     .in = "[{\"score\": 1, \"label\": 0}]",
     .o = {.score_col = "s"},
     .code = ADT_EDATA,
     .msg = "element 1: no score key 's' (found: 'score', 'label'; check --score-col)",
     .err_line = 1},
    {.name = "explicit label key missing: no fallback to paths",
     .in = "[{\"score\": 1, \"path\": \"a/good/x.png\"}]",
     .o = {.label_col = "gt"},
     .code = ADT_EDATA,
     .msg = "element 1: no label key 'gt' (found: 'score', 'path'; check --label-col)",
     .err_line = 1},
    {.name = "explicit id key missing",
     .in = "[{\"score\": 1, \"label\": 0}]",
     .o = {.id_col = "name"},
     .code = ADT_EDATA,
     .msg = "element 1: no id key 'name' (found: 'score', 'label'; check --id-col)",
     .err_line = 1},
    {.name = "two options name one key",
     .in = "[]",
     .o = {.score_col = "x", .id_col = "X"},
     .code = ADT_EUSAGE,
     .msg = "--score-col and --id-col both name key 'X'",
     .err_line = 0},

    /* Element errors */
    {.name = "score must be a number",
     .in = "[\n"
	   "  {\n"
	   "    \"score\": 1,\n"
	   "    \"label\": 0\n"
	   "  },\n"
	   "  {\n"
	   "    \"label\": 1,\n"
	   "    \"score\": \"0.5\"\n"
	   "  }\n"
	   "]",
     .code = ADT_EDATA,
     .msg = "element 2: 'score' must be a number, got string",
     .err_line = 8},
    {.name = "score null",
     .in = "[{\"Pred_Score\": null, \"label\": 0}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'Pred_Score' must be a number, got null",
     .err_line = 1},
    {.name = "score boolean",
     .in = "[{\"score\": true, \"label\": 0}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'score' must be a number, got boolean",
     .err_line = 1},
    {.name = "score overflows",
     .in = "[\n  {\"score\": 1, \"label\": 0},\n  {\"score\": 1e999, \"label\": 0}\n]",
     .code = ADT_EDATA,
     .msg = "element 2: score '1e999' overflows a double",
     .err_line = 3},
    {.name = "negative score overflows",
     .in = "[{\"score\": -2.5E+400, \"label\": 0}]",
     .code = ADT_EDATA,
     .msg = "element 1: score '-2.5E+400' overflows a double",
     .err_line = 1},
    {.name = "label null",
     .in = "[{\"score\": 1,\n  \"label\": null}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'label' must be a number, a boolean or a string, got null",
     .err_line = 2},
    {.name = "label array",
     .in = "[{\"score\": 1, \"label\": [1]}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'label' must be a number, a boolean or a string, got array",
     .err_line = 1},
    {.name = "id must be a string",
     .in = "[{\"score\": 1, \"label\": 0, \"path\": 7}]",
     .code = ADT_EDATA,
     .msg = "element 1: 'path' must be a string, got number",
     .err_line = 1},
    {.name = "element not an object",
     .in = "[\n  {\"score\": 1, \"label\": 0},\n  [1, 0]\n]",
     .code = ADT_EFORMAT,
     .msg = "element 2 must be an object, got array",
     .err_line = 3},
    {.name = "missing score key",
     .in = "[\n  {\"score\": 1, \"label\": 0},\n  {\"label\": 1, \"x\": 2}\n]",
     .code = ADT_EDATA,
     .msg = "element 2: no score key (expected one of: " SCORE_NAMES
	    "; found: 'label', 'x'; use --score-col)",
     .err_line = 3},
    {.name = "plural score key in an element",
     .in = "[{\"predictions\": 1, \"label\": 0}]",
     .code = ADT_EDATA,
     .msg = "element 1: no score key (expected one of: " SCORE_NAMES
	    "; found: 'predictions', 'label'; use --score-col)",
     .err_line = 1},
    {.name = "empty object",
     .in = "[{}]",
     .code = ADT_EDATA,
     .msg = "element 1: no score key (expected one of: " SCORE_NAMES
	    "; found: no keys; use --score-col)",
     .err_line = 1},
    {.name = "duplicate key",
     .in = "[\n"
	   "  {\n"
	   "    \"score\": 1,\n"
	   "    \"label\": 0,\n"
	   "    \"score\": 2\n"
	   "  }\n"
	   "]",
     .code = ADT_EFORMAT,
     .msg = "element 1: duplicate key 'score'",
     .err_line = 5},
    {.name = "duplicate ignored key",
     .in = "[{\"score\": 1, \"label\": 0},\n {\"x\": 1, \"score\": 1, \"label\": 0,\n"
	   "  \"y\": 2, \"y\": 3, \"x\": 4}]",
     .code = ADT_EFORMAT,
     .msg = "element 2: duplicate key 'y'",
     .err_line = 3},
    {.name = "two score keys",
     .in = "[{\"score\": 1,\n  \"label\": 0,\n  \"pred_score\": 2}]",
     .code = ADT_EDATA,
     .msg = "element 1: ambiguous score keys 'score' and 'pred_score'; choose one with "
	    "--score-col",
     .err_line = 3},
    {.name = "two label keys differing in case",
     .in = "[{\"score\": 1, \"Label\": 0, \"label\": 1}]",
     .code = ADT_EDATA,
     .msg = "element 1: ambiguous label keys 'Label' and 'label'; choose one with "
	    "--label-col",
     .err_line = 1},

    /* Shape (b): an object of parallel arrays */
    {.name = "parallel arrays, plural names",
     .in = "{\n"
	   "  \"pred_scores\": [\n"
	   "    0.5,\n"
	   "    0.25\n"
	   "  ],\n"
	   "  \"gt_labels\": [1, 0],\n"
	   "  \"image_paths\": [\"a/1.png\", \"a/2.png\"]\n"
	   "}\n",
     .n = 2,
     .score = {0.5, 0.25},
     .label = {1, 0},
     .id = {"a/1.png", "a/2.png"},
     .line = {7, 7}},
    {.name = "parallel arrays, singular names",
     .in = "{\"score\": [1, 2, 3], \"label\": [\"good\", \"bad\", true]}",
     .n = 3,
     .score = {1, 2, 3},
     .label = {0, 1, 1},
     .line = {1, 1, 1}},
    {.name = "parallel arrays, case-insensitive",
     .in = "{\"Scores\": [1], \"LABELS\": [0], \"Paths\": [\"p\"]}",
     .n = 1,
     .score = {1},
     .label = {0},
     .id = {"p"},
     .line = {1}},
    {.name = "parallel arrays, other keys ignored",
     .in = "{\"meta\": {\"scores\": \"[\"}, \"predictions\": [1, 2],\n"
	   " \"version\": 3, \"targets\": [0, 1]}",
     .n = 2,
     .score = {1, 2},
     .label = {0, 1},
     .line = {1, 1}},
    {.name = "parallel arrays, empty", .in = "{\"scores\": [], \"labels\": []}", .n = 0},
    {.name = "parallel arrays, explicit names",
     .in = "{\"s\": [0.5], \"y\": [\"yes\"], \"scores\": [\"ignored\"]}",
     .o = {.score_col = "s", .label_col = "y", .positive = "yes"},
     .n = 1,
     .score = {0.5},
     .label = {1},
     .line = {1}},
    {.name = "parallel arrays, labels from folder names",
     .in = "{\"scores\": [0.1, 0.9],\n \"image_paths\": [\"t/good/1.png\", \"t/cut/2.png\"]}",
     .o = {.verbose = 1},
     .n = 2,
     .score = {0.1, 0.9},
     .label = {0, 1},
     .id = {"t/good/1.png", "t/cut/2.png"},
     .line = {2, 2},
     .note = PATHS_NOTE},
    {.name = "parallel arrays, id without a folder",
     .in = "{\"scores\": [0.1, 0.9],\n \"paths\": [\"good/1.png\",\n  \"2.png\"]}",
     .code = ADT_EDATA,
     .msg = "element 2: no label array, and id '2.png' has no folder to take the label "
	    "from (expected a label array: " LABEL_NAMES ")",
     .err_line = 3},
    {.name = "parallel arrays of unequal length",
     .in = "{\n  \"scores\": [1, 2, 3],\n  \"labels\": [0, 1]\n}",
     .code = ADT_EFORMAT,
     .msg = "'scores' has 3 elements but 'labels' has 2",
     .err_line = 3},
    {.name = "id array of unequal length",
     .in = "{\"scores\": [1],\n \"labels\": [0],\n \"paths\": []}",
     .code = ADT_EFORMAT,
     .msg = "'scores' has 1 element but 'paths' has 0",
     .err_line = 3},
    {.name = "parallel arrays, not an array",
     .in = "{\n  \"score\": 0.5,\n  \"label\": 1\n}",
     .code = ADT_EFORMAT,
     .msg = "'score' must be an array, got number" JSONL_HINT,
     .err_line = 2},
    {.name = "parallel arrays, label not an array",
     .in = "{\"scores\": [1],\n \"labels\": \"1\"}",
     .code = ADT_EFORMAT,
     .msg = "'labels' must be an array, got string",
     .err_line = 2},
    {.name = "parallel arrays, no score array",
     .in = "\n{\"labels\": [1], \"x\": []}",
     .code = ADT_EDATA,
     .msg = "no score array (expected one of: " SCORE_NAMES
	    ", or their plurals; found: 'labels', 'x'; use --score-col)",
     .err_line = 2},
    {.name = "parallel arrays, no label and no id array",
     .in = "{\"scores\": [1]}",
     .code = ADT_EDATA,
     .msg = "no label array (expected one of: " LABEL_NAMES
	    ", or their plurals; found: 'scores'; use --label-col)",
     .err_line = 1},
    {.name = "parallel arrays, explicit key missing",
     .in = "{\"scores\": [1], \"labels\": [1]}",
     .o = {.score_col = "s"},
     .code = ADT_EDATA,
     .msg = "no score array 's' (found: 'scores', 'labels'; check --score-col)",
     .err_line = 1},
    {.name = "parallel arrays, element must be a number",
     .in = "{\n  \"scores\": [\n    1,\n    \"2\"\n  ],\n  \"labels\": [0, 1]\n}",
     .code = ADT_EDATA,
     .msg = "element 2 of 'scores' must be a number, got string",
     .err_line = 4},
    {.name = "parallel arrays, score overflows",
     .in = "{\"labels\": [0],\n \"scores\": [\n  -1e999]}",
     .code = ADT_EDATA,
     .msg = "element 1: score '-1e999' overflows a double",
     .err_line = 3},
    {.name = "parallel arrays, label of a wrong type",
     .in = "{\"scores\": [1, 2], \"labels\": [0,\n {}]}",
     .code = ADT_EDATA,
     .msg = "element 2 of 'labels' must be a number, a boolean or a string, got object",
     .err_line = 2},
    {.name = "parallel arrays, id of a wrong type",
     .in = "{\"scores\": [1], \"labels\": [0], \"paths\": [null]}",
     .code = ADT_EDATA,
     .msg = "element 1 of 'paths' must be a string, got null",
     .err_line = 1},
    {.name = "parallel arrays, duplicate key",
     .in = "{\n  \"scores\": [],\n  \"scores\": []\n}",
     .code = ADT_EFORMAT,
     .msg = "duplicate key 'scores'",
     .err_line = 3},
    {.name = "parallel arrays, two score arrays",
     .in = "{\"scores\": [1], \"labels\": [0],\n \"pred_scores\": [2]}",
     .code = ADT_EDATA,
     .msg = "ambiguous score arrays 'scores' and 'pred_scores'; choose one with --score-col",
     .err_line = 2},

    /* Syntax */
    {.name = "missing comma between elements",
     .in = "[\n  {\"score\": 1, \"label\": 0}\n  {\"score\": 2, \"label\": 1}\n]",
     .code = ADT_EFORMAT,
     .msg = "expected ',' or ']' after an array element, got '{'",
     .err_line = 3},
    {.name = "missing comma between members",
     .in = "[{\"score\": 1\n  \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "expected ',' or '}' after an object member, got '\"'",
     .err_line = 2},
    {.name = "missing colon",
     .in = "{\"scores\" [1]}",
     .code = ADT_EFORMAT,
     .msg = "expected ':' after a key, got '['",
     .err_line = 1},
    {.name = "unquoted key",
     .in = "[\n  {score: 1}\n]",
     .code = ADT_EFORMAT,
     .msg = "expected a key in double quotes, got 'score'",
     .err_line = 2},
    {.name = "single-quoted string",
     .in = "[{\"score\": 1, \"label\": 'good'}]",
     .code = ADT_EFORMAT,
     .msg = "expected a value, got a single quote (strings take double quotes)",
     .err_line = 1},
    {.name = "trailing comma in an array",
     .in = "[\n  {\"score\": 1, \"label\": 0},\n]",
     .code = ADT_EFORMAT,
     .msg = "trailing comma before ']'",
     .err_line = 3},
    {.name = "trailing comma in an object",
     .in = "[{\"score\": 1, \"label\": 0,\n  }]",
     .code = ADT_EFORMAT,
     .msg = "trailing comma before '}'",
     .err_line = 2},
    {.name = "missing value",
     .in = "[{\"score\": , \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "expected a value, got ','",
     .err_line = 1},
    {.name = "truncated document",
     .in = "[\n  {\"score\": 1,\n\n",
     .code = ADT_EFORMAT,
     .msg = "unexpected end of input",
     .err_line = 2},
    {.name = "truncated after a key",
     .in = "{\"scores\"",
     .code = ADT_EFORMAT,
     .msg = "unexpected end of input",
     .err_line = 1},
    {.name = "NaN",
     .in = "[\n  {\"score\": 1, \"label\": 0},\n  {\"score\": NaN, \"label\": 1}\n]",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .err_line = 3},
    {.name = "Infinity",
     .in = "{\"scores\": [\n1,\nInfinity]}",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .err_line = 3},
    {.name = "-Infinity",
     .in = "[{\"score\": -Infinity}]",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .err_line = 1},
    {.name = "lower-case nan and inf",
     .in = "[{\"score\": 1, \"label\": 0}, {\"score\": -inf}, {\"score\": nan}]",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .err_line = 1},
    {.name = "leading zero",
     .in = "[{\"score\": 01, \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "invalid number '01'",
     .err_line = 1},
    {.name = "number with a trailing point",
     .in = "[{\"score\": 1., \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "invalid number '1.'",
     .err_line = 1},
    {.name = "number with a leading point",
     .in = "[{\"score\": .5, \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "invalid number '.5'",
     .err_line = 1},
    {.name = "number with a plus sign",
     .in = "[{\"score\": +1, \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "invalid number '+1'",
     .err_line = 1},
    {.name = "hex number",
     .in = "[{\"score\": 0x1F, \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "invalid number '0x1F'",
     .err_line = 1},
    {.name = "exponent without digits",
     .in = "[{\"score\": 1e+, \"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "invalid number '1e+'",
     .err_line = 1},
    {.name = "number too long",
     .in = "[{\"score\": 0.00000000000000000000000000000000000000000000000000000000000001, "
	   "\"label\": 0}]",
     .code = ADT_EFORMAT,
     .msg = "number '0.000000000000000000...' is too long (over 63 characters)",
     .err_line = 1},
    {.name = "Python literals",
     .in = "[{\"score\": 1, \"label\": True}]",
     .code = ADT_EFORMAT,
     .msg = "expected a value, got 'True'",
     .err_line = 1},
    {.name = "long bare word",
     .in = "[abcdefghijklmnopqrstuvwxyz]",
     .code = ADT_EFORMAT,
     .msg = "expected a value, got 'abcdefghijklmnopqrst...'",
     .err_line = 1},
    {.name = "unterminated string",
     .in = "[{\"score\": 1, \"label\": 0,\n  \"path\": \"a/b.png}]\n",
     .code = ADT_EFORMAT,
     .msg = "unterminated string",
     .err_line = 2},
    {.name = "unterminated string at the end",
     .in = "[\"abc\\",
     .code = ADT_EFORMAT,
     .msg = "unterminated string",
     .err_line = 1},
    {.name = "invalid escape",
     .in = "[{\"score\": 1, \"label\": 0, \"path\": \"C:\\dir\"}]",
     .code = ADT_EFORMAT,
     .msg = "invalid escape '\\d' in a string",
     .err_line = 1},
    {.name = "invalid \\u escape",
     .in = "[\"\\u12G4\"]",
     .code = ADT_EFORMAT,
     .msg = "invalid \\u escape in a string (expected 4 hex digits)",
     .err_line = 1},
    {.name = "short \\u escape",
     .in = "[\"\\u12\"]",
     .code = ADT_EFORMAT,
     .msg = "invalid \\u escape in a string (expected 4 hex digits)",
     .err_line = 1},
    {.name = "lone high surrogate",
     .in = "[\"\\uD83Dx\"]",
     .code = ADT_EFORMAT,
     .msg = "unpaired surrogate '\\uD83D' in a string",
     .err_line = 1},
    {.name = "high surrogate without a low one",
     .in = "[\"\\ud83d\\u0041\"]",
     .code = ADT_EFORMAT,
     .msg = "unpaired surrogate '\\ud83d' in a string",
     .err_line = 1},
    {.name = "lone low surrogate",
     .in = "[\"\\ude00\"]",
     .code = ADT_EFORMAT,
     .msg = "unpaired surrogate '\\ude00' in a string",
     .err_line = 1},
    {.name = "\\u0000",
     .in = "[{\"score\": 1, \"label\": 0, \"path\": \"a\\u0000b\"}]",
     .code = ADT_EFORMAT,
     .msg = "\\u0000 in a string is not supported",
     .err_line = 1},
    {.name = "control character in a string",
     .in = "[{\"score\": 1, \"label\": 0, \"path\": \"a\tb\"}]",
     .code = ADT_EFORMAT,
     .msg = "control character (byte 0x09) in a string",
     .err_line = 1},
    {.name = "NUL byte in a string",
     .in = "[\"a\0b\"]",
     .len = 7,
     .code = ADT_EFORMAT,
     .msg = "control character (byte 0x00) in a string",
     .err_line = 1},
    {.name = "NUL byte between tokens",
     .in = "[1,\0 2]",
     .len = 7,
     .code = ADT_EFORMAT,
     .msg = "expected a value, got byte 0x00",
     .err_line = 1},
    {.name = "second BOM",
     .in = "\xEF\xBB\xBF\xEF\xBB\xBF[]",
     .code = ADT_EFORMAT,
     .msg = "expected a value, got byte 0xef",
     .err_line = 1},
    {.name = "CSV given as JSON",
     .in = "score,label\n1,0\n",
     .code = ADT_EFORMAT,
     .msg = "expected a value, got 'score'",
     .err_line = 1},
    {.name = "trailing data",
     .in = "[\n  {\"score\": 1, \"label\": 0}\n]\n]\n",
     .code = ADT_EFORMAT,
     .msg = "trailing data after the JSON document",
     .err_line = 4},
    {.name = "JSON Lines given as JSON",
     .in = "{\"score\": 1, \"label\": 0}\n{\"score\": 2, \"label\": 1}\n",
     .code = ADT_EFORMAT,
     .msg = "trailing data after the JSON document" JSONL_HINT,
     .err_line = 2},
    {.name = "two objects on one line",
     .in = "{\"scores\": [1], \"labels\": [0]} {}",
     .code = ADT_EFORMAT,
     .msg = "trailing data after the JSON document",
     .err_line = 1},
    {.name = "top-level number",
     .in = "\n\n  42\n",
     .code = ADT_EFORMAT,
     .msg = "the top-level value must be an array or an object, got number",
     .err_line = 3},
    {.name = "top-level string",
     .in = "\"scores\"",
     .code = ADT_EFORMAT,
     .msg = "the top-level value must be an array or an object, got string",
     .err_line = 1},
    {.name = "top-level null",
     .in = "null",
     .code = ADT_EFORMAT,
     .msg = "the top-level value must be an array or an object, got null",
     .err_line = 1},

    /* JSON Lines */
    {.name = "JSON Lines",
     .jsonl = 1,
     .in = "{\"score\": 0.5, \"label\": 1}\n{\"score\": 0.25, \"label\": 0}\n",
     .n = 2,
     .score = {0.5, 0.25},
     .label = {1, 0},
     .line = {1, 2}},
    {.name = "JSON Lines, blank lines, CRLF, no final line end",
     .jsonl = 1,
     .in = "\r\n{\"score\": 1, \"label\": \"good\", \"path\": \"a\"}\r\n\r\n  \t\r\n"
	   "  {\"score\": 2, \"label\": \"bad\", \"path\": \"b\"}  \r\n"
	   "{\"path\": \"c\", \"score\": 3, \"label\": false}",
     .n = 3,
     .score = {1, 2, 3},
     .label = {0, 1, 0},
     .id = {"a", "b", "c"},
     .line = {2, 5, 6}},
    {.name = "JSON Lines, BOM",
     .jsonl = 1,
     .in = "\xEF\xBB\xBF{\"score\": 1, \"label\": 1}\n",
     .n = 1,
     .score = {1},
     .label = {1},
     .line = {1}},
    {.name = "JSON Lines, empty", .jsonl = 1, .in = "\n\r\n", .n = 0},
    {.name = "JSON Lines, labels from folder names",
     .jsonl = 1,
     .in = "{\"image_path\": \"x/good/1.png\", \"anomaly_score\": 0.2}\n"
	   "{\"image_path\": \"x/hole/2.png\", \"anomaly_score\": 0.8}\n",
     .o = {.verbose = 1},
     .n = 2,
     .score = {0.2, 0.8},
     .label = {0, 1},
     .id = {"x/good/1.png", "x/hole/2.png"},
     .line = {1, 2},
     .note = PATHS_NOTE},
    {.name = "JSON Lines, wrong type",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n\n\n{\"score\": \"2\", \"label\": 0}\n",
     .code = ADT_EDATA,
     .msg = "'score' must be a number, got string",
     .err_line = 4},
    {.name = "JSON Lines, overflow",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n{\"score\": 1e999, \"label\": 0}\n",
     .code = ADT_EDATA,
     .msg = "score '1e999' overflows a double",
     .err_line = 2},
    {.name = "JSON Lines, unknown label",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n{\"score\": 2, \"label\": \"?\"}\n",
     .code = ADT_EDATA,
     .msg = "unknown label '?' (values seen: '?'; " LABEL_WORDS ")",
     .err_line = 2},
    {.name = "JSON Lines, missing score",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n{\"label\": 0}\n",
     .code = ADT_EDATA,
     .msg = "no score key (expected one of: " SCORE_NAMES "; found: 'label'; use --score-col)",
     .err_line = 2},
    {.name = "JSON Lines, ids on some lines only",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0, \"file\": \"a\"}\n{\"score\": 2, \"label\": 0}\n",
     .code = ADT_EDATA,
     .msg = "no id key (expected one of: " ID_NAMES "; found: 'score', 'label'; use --id-col)",
     .err_line = 2},
    {.name = "JSON Lines, duplicate key",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n{\"score\": 1, \"label\": 0, \"label\": 1}\n",
     .code = ADT_EFORMAT,
     .msg = "duplicate key 'label'",
     .err_line = 2},
    {.name = "JSON Lines, syntax error",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n\n{\"score\": 1, \"label\": 0,}\n",
     .code = ADT_EFORMAT,
     .msg = "trailing comma before '}'",
     .err_line = 3},
    {.name = "JSON Lines, NaN",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\r\n{\"score\": NaN, \"label\": 0}\r\n",
     .code = ADT_EFORMAT,
     .msg = "NaN and Infinity are not valid JSON",
     .err_line = 2},
    {.name = "JSON Lines, pretty-printed object",
     .jsonl = 1,
     .in = "{\n  \"score\": 1\n}\n",
     .code = ADT_EFORMAT,
     .msg = "unexpected end of line (JSON Lines need one complete object per line)",
     .err_line = 1},
    {.name = "JSON Lines, string across lines",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0, \"path\": \"a\nb\"}\n",
     .code = ADT_EFORMAT,
     .msg = "unterminated string",
     .err_line = 1},
    {.name = "JSON Lines, two objects on a line",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n{\"score\": 1, \"label\": 0} {\"score\": 2}\n",
     .code = ADT_EFORMAT,
     .msg = "trailing data after the JSON value (one object per line)",
     .err_line = 2},
    {.name = "JSON Lines, a JSON document",
     .jsonl = 1,
     .in = "[{\"score\": 1, \"label\": 0}]\n",
     .code = ADT_EFORMAT,
     .msg = "expected an object, got array (a JSON document? use .json or --input-format "
	    "json)",
     .err_line = 1},
    {.name = "JSON Lines, a number line",
     .jsonl = 1,
     .in = "{\"score\": 1, \"label\": 0}\n\n7\n",
     .code = ADT_EFORMAT,
     .msg = "expected an object, got number",
     .err_line = 3},
};

static void set_opts(struct adt_read_opts *o, const struct opts *c)
{
	memset(o, 0, sizeof(*o));
	o->score_col = c->score_col;
	o->label_col = c->label_col;
	o->id_col = c->id_col;
	o->positive_label = c->positive;
	o->verbose = c->verbose;
	strcpy(o->note, "stale");
}

static int read_any(int jsonl, const char *in, size_t len, const char *file,
		    struct adt_read_opts *o, struct adt_samples *s, struct adt_error *err)
{
	if (jsonl)
		return adt_read_jsonl_mem(in, len, file, o, s, err);
	return adt_read_json_mem(in, len, file, o, s, err);
}

static void check_case(const struct json_case *c)
{
	const char *file = c->jsonl ? "s.jsonl" : "s.json";
	size_t len = c->len ? c->len : strlen(c->in);
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	size_t i;
	int rc;

	set_opts(&o, &c->o);
	adt_samples_init(&s);
	adt_error_init(&err);

	rc = read_any(c->jsonl, c->in, len, file, &o, &s, &err);
	if (c->code != ADT_EOK) {
		if (rc != -1)
			fail_msg("expected an error, got rc %d and %zu samples", rc, s.n);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(err.code, c->code);
		assert_int_equal(err.line, c->err_line);
		assert_string_equal(err.file, file);
		/* out holds nothing after an error */
		assert_int_equal(s.n, 0);
		assert_null(s.score);
		assert_null(s.id);
		return;
	}
	if (rc != 0)
		fail_msg("unexpected error (%d) at line %lu: %s", err.code, err.line, err.msg);
	assert_int_equal(err.code, ADT_EOK);
	assert_int_equal(s.n, c->n);
	for (i = 0; i < c->n; i++) {
		if (s.score[i] != c->score[i])
			fail_msg("score[%zu] = %.17g, want %.17g", i, s.score[i], c->score[i]);
		if (s.label[i] != c->label[i])
			fail_msg("label[%zu] = %d, want %d", i, s.label[i], c->label[i]);
		if (s.line[i] != c->line[i])
			fail_msg("line[%zu] = %lu, want %lu", i, s.line[i], c->line[i]);
	}
	if (c->id[0]) {
		assert_non_null(s.id);
		for (i = 0; i < c->n; i++)
			assert_string_equal(s.id[i], c->id[i]);
	} else {
		assert_null(s.id);
	}
	assert_string_equal(o.note, c->note ? c->note : "");
	adt_samples_release(&s);
}

static void test_case(void **state)
{
	check_case(*state);
}

/* Reads in with default options and expects an error. */
static void expect_error(int jsonl, const char *in, size_t len, enum adt_errcode code,
			 const char *msg, unsigned long line)
{
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	struct opts none = {0};

	set_opts(&o, &none);
	adt_samples_init(&s);
	adt_error_init(&err);
	assert_int_equal(read_any(jsonl, in, len, "big", &o, &s, &err), -1);
	assert_string_equal(err.msg, msg);
	assert_int_equal(err.code, code);
	assert_int_equal(err.line, line);
	assert_int_equal(s.n, 0);
}

/* cJSON's nesting limit is 1000: a document that deep is read (and fails
 * on its shape, not as out of memory), one level more is refused. */
static void test_nesting(void **state)
{
	char buf[2 * 1001 + 8];

	(void)state;
	memset(buf, '[', 1000);
	memset(buf + 1000, ']', 1000);
	expect_error(0, buf, 2000, ADT_EFORMAT, "element 1 must be an object, got array", 1);
	memset(buf, '[', 1001);
	memset(buf + 1001, ']', 1001);
	expect_error(0, buf, 2002, ADT_EFORMAT, "nesting deeper than 1000 levels", 1);
	memcpy(buf, "{\"a\":", 5);
	memset(buf + 5, '[', 1000);
	memset(buf + 1005, ']', 1000);
	buf[2005] = '}';
	expect_error(1, buf, 2006, ADT_EFORMAT, "nesting deeper than 1000 levels", 1);
}

/* Objects with more keys than the duplicate check keeps on the stack. */
static void test_many_keys(void **state)
{
	char buf[4096];
	size_t len = 0, tail;
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	struct opts none = {0};
	int i;

	(void)state;
	len += (size_t)sprintf(buf + len, "[{\"score\": 1, \"label\": 0");
	for (i = 0; i < 100; i++)
		len += (size_t)sprintf(buf + len, ",\n\"k%d\": %d", 99 - i, i);
	len += (size_t)sprintf(buf + len, "}]");
	set_opts(&o, &none);
	adt_samples_init(&s);
	adt_error_init(&err);
	if (adt_read_json_mem(buf, len, "k.json", &o, &s, &err))
		fail_msg("unexpected error at line %lu: %s", err.line, err.msg);
	assert_int_equal(s.n, 1);
	adt_samples_release(&s);

	/* k99 (line 2) repeats on line 102, k1 (line 100) on line 103: the
	 * first repeat in document order is reported, not the first in key
	 * order. */
	len -= 2;
	tail = len;
	len += (size_t)sprintf(buf + len, ",\n\"k99\": 0,\n\"k1\": 0}]");
	expect_error(0, buf, len, ADT_EFORMAT, "element 1: duplicate key 'k99'", 102);
	memcpy(buf + tail + 3, "zzz", 3);
	expect_error(0, buf, len, ADT_EFORMAT, "element 1: duplicate key 'k1'", 103);
}

/* Many samples in each shape, and the line of an error near the end. */
static void test_large(void **state)
{
	const size_t rows = 100000;
	size_t cap = rows * 80 + 100, len, i, bad;
	char *buf = malloc(cap);
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	struct opts none = {0};
	int shape;

	(void)state;
	assert_non_null(buf);
	for (shape = 0; shape < 3; shape++) {
		len = 0;
		if (shape == 0)
			len += (size_t)sprintf(buf, "[\n");
		if (shape == 1)
			len += (size_t)sprintf(buf, "{\"scores\": [\n");
		for (i = 0; i < rows; i++) {
			if (shape == 1)
				len += (size_t)sprintf(buf + len, "%s%zu.25\n", i ? "," : "", i);
			else
				len +=
				    (size_t)sprintf(buf + len,
						    "%s{\"score\": %zu.25, \"label\": %d, "
						    "\"path\": \"d/%zu.png\"}\n",
						    i && shape == 0 ? "," : "", i, (int)(i % 2), i);
		}
		if (shape == 0)
			len += (size_t)sprintf(buf + len, "]\n");
		if (shape == 1) {
			len += (size_t)sprintf(buf + len, "],\n\"labels\": [");
			for (i = 0; i < rows; i++)
				len +=
				    (size_t)sprintf(buf + len, "%s%d", i ? "," : "", (int)(i % 2));
			len += (size_t)sprintf(buf + len, "]}\n");
		}
		set_opts(&o, &none);
		adt_samples_init(&s);
		adt_error_init(&err);
		if (read_any(shape == 2, buf, len, "big", &o, &s, &err))
			fail_msg("shape %d: unexpected error at line %lu: %s", shape, err.line,
				 err.msg);
		assert_int_equal(s.n, rows);
		assert_int_equal(s.line[0], shape == 2 ? 1 : 2);
		assert_int_equal(s.line[rows - 1], shape == 2 ? rows : rows + 1);
		assert_true(s.score[rows - 1] == (double)(rows - 1) + 0.25);
		assert_int_equal(s.label[rows - 1], (int)((rows - 1) % 2));
		adt_samples_release(&s);

		/* Turn the last score into a string. */
		bad = (size_t)(strstr(buf, "99999.25") - buf);
		memcpy(buf + bad, "\"9999.5\"", 8);
		if (shape == 0)
			expect_error(0, buf, len, ADT_EDATA,
				     "element 100000: 'score' must be a number, got string",
				     rows + 1);
		else if (shape == 1)
			expect_error(0, buf, len, ADT_EDATA,
				     "element 100000 of 'scores' must be a number, got string",
				     rows + 1);
		else
			expect_error(1, buf, len, ADT_EDATA, "'score' must be a number, got string",
				     rows);
	}
	free(buf);
}

/* o and err may be NULL; a NULL buffer of length 0 is blank. */
static void test_null_args(void **state)
{
	const char *in = "[{\"score\": 1, \"label\": 0}]";
	struct adt_samples s;

	(void)state;
	adt_samples_init(&s);
	assert_int_equal(adt_read_json_mem(in, strlen(in), "x.json", NULL, &s, NULL), 0);
	assert_int_equal(s.n, 1);
	adt_samples_release(&s);
	assert_int_equal(adt_read_jsonl_mem(in + 1, strlen(in) - 2, NULL, NULL, &s, NULL), 0);
	assert_int_equal(s.n, 1);
	adt_samples_release(&s);
	assert_int_equal(adt_read_json_mem("[1]", 3, "x.json", NULL, &s, NULL), -1);
	assert_int_equal(s.n, 0);
	assert_int_equal(adt_read_json_mem(NULL, 0, NULL, NULL, &s, NULL), 0);
	assert_int_equal(adt_read_jsonl_mem(NULL, 0, NULL, NULL, &s, NULL), 0);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_case);
	test_list_add(&l, "nesting limit", test_nesting);
	test_list_add(&l, "many keys", test_many_keys);
	test_list_add(&l, "large input", test_large);
	test_list_add(&l, "null arguments", test_null_args);
	return test_list_run(&l, "read_json");
}
