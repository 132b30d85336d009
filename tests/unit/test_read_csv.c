/* Unit tests for the CSV/TSV reader (adt_read_csv_mem): one table row per
 * case, each a test of its own. */
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
#define LABEL_WORDS                                                                                \
	"expected 0/1, true/false, normal/good/ok or "                                             \
	"anomalous/abnormal/anomaly/defect/defective/bad/ng, or name the anomalous value with "    \
	"--positive-label"

struct opts {
	enum adt_format format;
	char delimiter;
	const char *score_col, *label_col, *id_col, *positive;
	int verbose;
};

struct csv_case {
	const char *name;
	const char *file; /* the name given to the reader; NULL: "s.csv" */
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

static const struct csv_case cases[] = {
    /* Delimiters */
    {.name = "comma",
     .in = "score,label\n0.5,1\n0.25,0\n",
     .n = 2,
     .score = {0.5, 0.25},
     .label = {1, 0},
     .line = {2, 3}},
    {.name = "semicolon auto-detected",
     .in = "image;score;label\na.png;0.5;normal\nb.png;1.5;anomalous\n",
     .n = 2,
     .score = {0.5, 1.5},
     .label = {0, 1},
     .id = {"a.png", "b.png"},
     .line = {2, 3}},
    {.name = "tab auto-detected",
     .in = "score\tlabel\n1\t1\n2\t0\n",
     .n = 2,
     .score = {1, 2},
     .label = {1, 0},
     .line = {2, 3}},
    {.name = "tab with empty fields",
     .in = "image\tscore\tlabel\tnote\n\t1\t0\t\n \t2\t1\t \n",
     .n = 2,
     .score = {1, 2},
     .label = {0, 1},
     .id = {"", ""},
     .line = {2, 3}},
    {.name = "quoted commas do not count when detecting",
     .in = "\"a,b,c\";score;label\nx;0.5;1\n",
     .n = 1,
     .score = {0.5},
     .label = {1},
     .line = {2}},
    {.name = "tsv by extension",
     .file = "scores.tsv",
     .in = "a,b,c\tscore\tlabel\nx,y\t0.125\t1\n",
     .n = 1,
     .score = {0.125},
     .label = {1},
     .line = {2}},
    {.name = "tab by extension .TAB",
     .file = "dir.x/SCORES.TAB",
     .in = "score\tlabel,x\n3\t1,2\n",
     .o = {.label_col = "2"},
     .code = ADT_EDATA,
     .msg = "unknown label '1,2' (values seen: '1,2'; " LABEL_WORDS ")",
     .err_line = 2},
    {.name = "tsv by format",
     .file = "scores.csv",
     .in = "a,b\tscore\tlabel\nx\t7\tok\n",
     .o = {.format = ADT_FMT_TSV},
     .n = 1,
     .score = {7},
     .label = {0},
     .line = {2}},
    {.name = "csv format overrides .tsv",
     .file = "scores.tsv",
     .in = "score,label\n7,ok\n",
     .o = {.format = ADT_FMT_CSV},
     .n = 1,
     .score = {7},
     .label = {0},
     .line = {2}},
    {.name = "explicit delimiter",
     .in = "score|label,x\n4|1,0\n",
     .o = {.delimiter = '|', .label_col = "LABEL,X"},
     .code = ADT_EDATA,
     .msg = "unknown label '1,0' (values seen: '1,0'; " LABEL_WORDS ")",
     .err_line = 2},
    {.name = "explicit delimiter pipe",
     .in = "score|label\n4|1\n",
     .o = {.delimiter = '|'},
     .n = 1,
     .score = {4},
     .label = {1},
     .line = {2}},
    {.name = "quote as delimiter",
     .in = "score\"label\n",
     .o = {.delimiter = '"'},
     .code = ADT_EUSAGE,
     .msg = "delimiter cannot be a quote or a line end"},

    /* Encoding and line ends */
    {.name = "bom",
     .in = "\xEF\xBB\xBFscore,label\n0.5,1\n",
     .n = 1,
     .score = {0.5},
     .label = {1},
     .line = {2}},
    {.name = "bom and missing column on line 1",
     .in = "\xEF\xBB\xBF"
	   "a\n1\n",
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES "; found: 'a'; use --score-col)",
     .err_line = 1},
    {.name = "crlf",
     .in = "score,label\r\n0.5,1\r\n0.75,0\r\n",
     .n = 2,
     .score = {0.5, 0.75},
     .label = {1, 0},
     .line = {2, 3}},
    {.name = "crlf error line",
     .in = "score,label\r\n0.5,1\r\nx,0\r\n",
     .code = ADT_EDATA,
     .msg = "score 'x' is not a number",
     .err_line = 3},
    {.name = "no final newline",
     .in = "score,label\n0.5,1\n2,0",
     .n = 2,
     .score = {0.5, 2},
     .label = {1, 0},
     .line = {2, 3}},
    {.name = "cr only",
     .in = "score,label\r0.1,0\r0.2,1\r",
     .n = 2,
     .score = {0.1, 0.2},
     .label = {0, 1},
     .line = {2, 3}},
    {.name = "cr only error line",
     .in = "score,label\r0.1,0\r0.2,0\rx,1\r",
     .code = ADT_EDATA,
     .msg = "score 'x' is not a number",
     .err_line = 4},
    {.name = "cr only, no final line end",
     .in = "score,label\r0.1,0\rx,1",
     .code = ADT_EDATA,
     .msg = "score 'x' is not a number",
     .err_line = 3},
    {.name = "cr only short row",
     .in = "score,label\r0.5,1\r0.5\r",
     .code = ADT_EFORMAT,
     .msg = "row has 1 field, header has 2",
     .err_line = 3},
    {.name = "cr only unknown label",
     .in = "score,label\r0.5,1\r0.5,maybe\r",
     .code = ADT_EDATA,
     .msg = "unknown label 'maybe' (values seen: 'maybe'; " LABEL_WORDS ")",
     .err_line = 3},
    {.name = "cr only blank lines",
     .in = "\rscore,label\r\r0.5,1\r \r0.25,0\r\r",
     .n = 2,
     .score = {0.5, 0.25},
     .label = {1, 0},
     .line = {4, 6}},
    {.name = "cr only header after blank lines",
     .in = "\r\rx,y\r1,2\r",
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES "; found: 'x', 'y'; use --score-col)",
     .err_line = 3},
    {.name = "cr only unterminated quote",
     .in = "score,label\r0.5,1\r\"0.5,1\r2,0\r",
     .code = ADT_EFORMAT,
     .msg = "unterminated quoted field",
     .err_line = 3},
    {.name = "cr inside quotes counts as a line end",
     .in = "path,score,label\r\"a\rb\",0.5,1\rc,x,0\r",
     .code = ADT_EDATA,
     .msg = "score 'x' is not a number",
     .err_line = 4},
    {.name = "mixed line ends",
     .in = "score,label\r\n0.1,0\r0.2,1\n0.3,0\r\n0.4,1\r",
     .n = 4,
     .score = {0.1, 0.2, 0.3, 0.4},
     .label = {0, 1, 0, 1},
     .line = {2, 3, 4, 5}},
    {.name = "mixed line ends error line",
     .in = "score,label\r\n0.1,0\r0.2,1\nx,0\r\n",
     .code = ADT_EDATA,
     .msg = "score 'x' is not a number",
     .err_line = 4},
    {.name = "blank lines skipped",
     .in = "\nscore,label\n\n0.5,1\n   \n\r\n0.25,0\n\n",
     .n = 2,
     .score = {0.5, 0.25},
     .label = {1, 0},
     .line = {4, 7}},
    {.name = "header after blank lines",
     .in = "\n\nx,y\n1,2\n",
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES "; found: 'x', 'y'; use --score-col)",
     .err_line = 3},

    /* Quoting */
    {.name = "quoted fields",
     .in = "path,score,label\n"
	   "\"a,b.png\",0.5,1\n"
	   "\"c\"\"d.png\",\"0.25\",0\n"
	   "\"e\nf.png\",0.125,\"1\"\n"
	   "g.png,1,0\n",
     .n = 4,
     .score = {0.5, 0.25, 0.125, 1},
     .label = {1, 0, 1, 0},
     .id = {"a,b.png", "c\"d.png", "e\nf.png", "g.png"},
     .line = {2, 3, 4, 6}},
    {.name = "line after embedded newlines",
     .in = "path,score,label\n\"a\nb\nc\",0.5,1\nx,bad,0\n",
     .code = ADT_EDATA,
     .msg = "score 'bad' is not a number",
     .err_line = 5},
    {.name = "row starting with a multi-line field",
     .in = "path,score,label\n\"a\r\nb\",bad,1\n",
     .code = ADT_EDATA,
     .msg = "score 'bad' is not a number",
     .err_line = 2},
    {.name = "quoted fields are not trimmed, unquoted are",
     .in = "path,score,label\n\" a \",  0.5  , 1 \n  b c\t,2,0\n",
     .n = 2,
     .score = {0.5, 2},
     .label = {1, 0},
     .id = {" a ", "b c"},
     .line = {2, 3}},
    {.name = "quoted header names",
     .in = "\"Score\",\"Label\"\n1,0\n",
     .n = 1,
     .score = {1},
     .label = {0},
     .line = {2}},
    {.name = "malformed quoting after a closing quote",
     .in = "score,label\n0.5,1\n\"0.5\"x,1\n",
     .code = ADT_EFORMAT,
     .msg = "malformed quoting",
     .err_line = 3},
    {.name = "malformed quoting inside a field",
     .in = "score,label\n0.\"5,1\n",
     .code = ADT_EFORMAT,
     .msg = "malformed quoting",
     .err_line = 2},
    {.name = "malformed quoting in the header",
     .in = "sc\"ore,label\n1,0\n",
     .code = ADT_EFORMAT,
     .msg = "malformed quoting",
     .err_line = 1},
    {.name = "unterminated quote",
     .in = "score,label\n0.5,1\n\"0.5,1\n2,0\n",
     .code = ADT_EFORMAT,
     .msg = "unterminated quoted field",
     .err_line = 3},
    {.name = "nul byte",
     .in = "score,label\n0.5\0,1\n",
     .len = 18,
     .code = ADT_EFORMAT,
     .msg = "field contains a NUL byte",
     .err_line = 2},

    /* Columns */
    {.name = "names case-insensitive",
     .in = "Image_Path,PRED_SCORE,other,Gt_Label\nx/a.png,3,z,TRUE\n",
     .n = 1,
     .score = {3},
     .label = {1},
     .id = {"x/a.png"},
     .line = {2}},
    {.name = "score-col by name",
     .in = "a,B,label\n1,2,0\n",
     .o = {.score_col = "b"},
     .n = 1,
     .score = {2},
     .label = {0},
     .line = {2}},
    {.name = "score-col by index",
     .in = "a,b,label\n1,2,0\n",
     .o = {.score_col = "1"},
     .n = 1,
     .score = {1},
     .label = {0},
     .line = {2}},
    {.name = "score-col beats a score-named column",
     .in = "score,mine,label\n1,2,0\n",
     .o = {.score_col = "mine"},
     .n = 1,
     .score = {2},
     .label = {0},
     .line = {2}},
    {.name = "label-col and id-col by index",
     .in = "s,k,l,m\n5,x/1.png,bad,7\n",
     .o = {.score_col = "1", .label_col = "3", .id_col = "2"},
     .n = 1,
     .score = {5},
     .label = {1},
     .id = {"x/1.png"},
     .line = {2}},
    {.name = "ambiguous score",
     .in = "score,pred_score,label\n1,2,0\n",
     .code = ADT_EDATA,
     .msg = "ambiguous score columns 'score' and 'pred_score'; choose one with --score-col",
     .err_line = 1},
    {.name = "ambiguous label",
     .in = "score,label,TARGET\n1,0,0\n",
     .code = ADT_EDATA,
     .msg = "ambiguous label columns 'label' and 'TARGET'; choose one with --label-col",
     .err_line = 1},
    {.name = "ambiguous id",
     .in = "path,score,label,file\n1,2,0,3\n",
     .code = ADT_EDATA,
     .msg = "ambiguous id columns 'path' and 'file'; choose one with --id-col",
     .err_line = 1},
    {.name = "no score column",
     .in = "a,b,c\n1,2,3\n",
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES
	    "; found: 'a', 'b', 'c'; use --score-col)",
     .err_line = 1},
    {.name = "no label or id column",
     .in = "score,x\n1,0\n",
     .code = ADT_EDATA,
     .msg =
	 "no label column (expected one of: " LABEL_NAMES "; found: 'score', 'x'; use --label-col)",
     .err_line = 1},
    {.name = "named score column missing",
     .in = "score,label\n1,0\n",
     .o = {.score_col = "foo"},
     .code = ADT_EDATA,
     .msg = "no score column 'foo' (found: 'score', 'label'; check --score-col)",
     .err_line = 1},
    {.name = "named id column missing",
     .in = "score,label\n1,0\n",
     .o = {.id_col = "name"},
     .code = ADT_EDATA,
     .msg = "no id column 'name' (found: 'score', 'label'; check --id-col)",
     .err_line = 1},
    {.name = "index out of range",
     .in = "score,label\n1,0\n",
     .o = {.score_col = "3"},
     .code = ADT_EDATA,
     .msg = "--score-col 3 is out of range (the header has 2 columns)",
     .err_line = 1},
    {.name = "index zero",
     .in = "score\n1\n",
     .o = {.label_col = "0"},
     .code = ADT_EDATA,
     .msg = "--label-col 0 is out of range (the header has 1 column)",
     .err_line = 1},
    {.name = "index overflow",
     .in = "score,label\n1,0\n",
     .o = {.score_col = "99999999999999999999999"},
     .code = ADT_EDATA,
     .msg = "--score-col 99999999999999999999999 is out of range (the header has 2 columns)",
     .err_line = 1},
    {.name = "label-col takes the score column",
     .in = "score,label\n0.1,0\n0.9,1\n",
     .o = {.label_col = "1"},
     .code = ADT_EDATA,
     .msg = "no score column: 'score' is taken by --label-col (expected one of: " SCORE_NAMES
	    "; use --score-col)",
     .err_line = 1},
    {.name = "id-col takes the score column by name",
     .in = "Pred_Score,label\n0.1,0\n",
     .o = {.id_col = "pred_score"},
     .code = ADT_EDATA,
     .msg = "no score column: 'Pred_Score' is taken by --id-col (expected one of: " SCORE_NAMES
	    "; use --score-col)",
     .err_line = 1},
    {.name = "score-col takes the label column",
     .in = "label,x\n1,0\n",
     .o = {.score_col = "label"},
     .code = ADT_EDATA,
     .msg = "no label column: 'label' is taken by --score-col (expected one of: " LABEL_NAMES
	    "; use --label-col)",
     .err_line = 1},
    {.name = "a column taken, another found by name",
     .in = "score,pred_score,label\n1,2,0\n",
     .o = {.id_col = "score"},
     .n = 1,
     .score = {2},
     .label = {0},
     .id = {"1"},
     .line = {2}},
    {.name = "one column for two roles",
     .in = "score,label\n1,0\n",
     .o = {.score_col = "1", .label_col = "SCORE"},
     .code = ADT_EDATA,
     .msg = "--score-col and --label-col both select column 'score'",
     .err_line = 1},

    /* A wrong delimiter leaves the header as one column */
    {.name = "semicolon on a comma file",
     .in = "image_path,gt_label,pred_score\na.png,0,0.5\n",
     .o = {.delimiter = ';'},
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES
	    "; found: 'image_path,gt_label,pred_score'; use --score-col) (the header is one "
	    "column when split at ';': wrong --delimiter? it looks like ',')",
     .err_line = 1},
    {.name = "tsv format on a comma file",
     .in = "score,label\n0.5,1\n",
     .o = {.format = ADT_FMT_TSV},
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES
	    "; found: 'score,label'; use --score-col) (the header is one column when split at "
	    "tab: wrong --delimiter? it looks like ',')",
     .err_line = 1},
    {.name = "comma on a tab file",
     .in = "score\tlabel\n0.5\t1\n",
     .o = {.delimiter = ','},
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES
	    "; found: 'score\tlabel'; use --score-col) (the header is one column when split at "
	    "',': wrong --delimiter? it looks like tab)",
     .err_line = 1},
    {.name = "comma on a semicolon file, score-col by name",
     .in = "score;label\n0.5;1\n",
     .o = {.delimiter = ',', .score_col = "score"},
     .code = ADT_EDATA,
     .msg = "no score column 'score' (found: 'score;label'; check --score-col) (the header is "
	    "one column when split at ',': wrong --delimiter? it looks like ';')",
     .err_line = 1},
    {.name = "comma on a semicolon file, score-col by index",
     .in = "a;score;label\n0.5;1\n",
     .o = {.delimiter = ',', .score_col = "2"},
     .code = ADT_EDATA,
     .msg = "--score-col 2 is out of range (the header has 1 column when split at ',': wrong "
	    "--delimiter? it looks like ';')",
     .err_line = 1},
    {.name = "most frequent delimiter named",
     .in = "a;b,c;d\n1\n",
     .o = {.delimiter = '\t'},
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES
	    "; found: 'a;b,c;d'; use --score-col) (the header is one column when split at tab: "
	    "wrong --delimiter? it looks like ';')",
     .err_line = 1},
    {.name = "one column with a quoted delimiter: no hint",
     .in = "\"a,b\"\n1\n",
     .code = ADT_EDATA,
     .msg = "no score column (expected one of: " SCORE_NAMES "; found: 'a,b'; use --score-col)",
     .err_line = 1},
    {.name = "one score column and no label: no hint",
     .in = "score\n1\n",
     .code = ADT_EDATA,
     .msg = "no label column (expected one of: " LABEL_NAMES "; found: 'score'; use --label-col)",
     .err_line = 1},

    /* Labels */
    {.name = "label words",
     .in = "score,label\n1,0\n2,1\n3,true\n4,FALSE\n5,good\n6,Defect\n7,1.0\n8,ng\n",
     .n = 8,
     .score = {1, 2, 3, 4, 5, 6, 7, 8},
     .label = {0, 1, 1, 0, 0, 1, 1, 1},
     .line = {2, 3, 4, 5, 6, 7, 8, 9}},
    {.name = "positive label",
     .in = "score,label\n1,bad_thing\n2,fine\n3,BAD_THING\n",
     .o = {.positive = "bad_thing"},
     .n = 3,
     .score = {1, 2, 3},
     .label = {1, 0, 1},
     .line = {2, 3, 4}},
    {.name = "positive label and an empty one",
     .in = "score,label\n1,x\n2,\"\"\n",
     .o = {.positive = "x"},
     .code = ADT_EDATA,
     .msg = "empty label (with --positive-label 'x' every label must be non-empty)",
     .err_line = 3},
    {.name = "unknown labels listed",
     .in = "score,label\n1,0\n2,maybe\n3,perhaps\n4,maybe\n5,1\n",
     .code = ADT_EDATA,
     .msg = "unknown label 'maybe' (values seen: 'maybe', 'perhaps'; " LABEL_WORDS ")",
     .err_line = 3},
    {.name = "labels from folders",
     .in = "image_path,score\ntest/good/0.png,0.1\ntest/crack/1.png,0.9\n",
     .n = 2,
     .score = {0.1, 0.9},
     .label = {0, 1},
     .id = {"test/good/0.png", "test/crack/1.png"},
     .line = {2, 3}},
    {.name = "labels from folders, verbose",
     .in = "image_path,score\ntest/good/0.png,0.1\n",
     .o = {.verbose = 1},
     .n = 1,
     .score = {0.1},
     .label = {0},
     .id = {"test/good/0.png"},
     .line = {2},
     .note = "read as CSV: delimiter ',', score column 'score', id column 'image_path', labels "
	     "taken from folder names (good = normal)"},
    {.name = "verbose note",
     .in = "image_path;pred_score;gt_label\na.png;0.5;1\n",
     .o = {.verbose = 1},
     .n = 1,
     .score = {0.5},
     .label = {1},
     .id = {"a.png"},
     .line = {2},
     .note = "read as CSV: delimiter ';', score column 'pred_score', label column 'gt_label', id "
	     "column 'image_path'"},
    {.name = "verbose note, tab, no id",
     .file = "s.tsv",
     .in = "Score\tLabel\n0.5\t1\n",
     .o = {.verbose = 1},
     .n = 1,
     .score = {0.5},
     .label = {1},
     .line = {2},
     .note = "read as CSV: delimiter tab, score column 'Score', label column 'Label'"},
    {.name = "verbose note, explicit columns",
     .in = "a|b|c\nx/1.png|3|bad\n",
     .o = {.delimiter = '|', .score_col = "2", .label_col = "c", .id_col = "A", .verbose = 1},
     .n = 1,
     .score = {3},
     .label = {1},
     .id = {"x/1.png"},
     .line = {2},
     .note = "read as CSV: delimiter '|', score column 'b', label column 'c', id column 'a'"},
    {.name = "verbose note cuts long names",
     /* 39 bytes, then a 2-byte character that would straddle the limit */
     .in = "aaaaaaaaaabbbbbbbbbbccccccccccddddddddd\xC3\xA9xyz,label\n1,0\n",
     .o = {.score_col = "1", .verbose = 1},
     .n = 1,
     .score = {1},
     .label = {0},
     .line = {2},
     .note =
	 "read as CSV: delimiter ',', score column 'aaaaaaaaaabbbbbbbbbbccccccccccddddddddd...', "
	 "label column 'label'"},
    {.name = "verbose note fits",
     .in = "pred_score_with_a_very_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"
	   "gt_label_with_a_very_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"
	   "image_path_with_a_very_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n1,0,x\n",
     .o = {.score_col = "1", .label_col = "2", .id_col = "3", .verbose = 1},
     .n = 1,
     .score = {1},
     .label = {0},
     .id = {"x"},
     .line = {2},
     .note =
	 "read as CSV: delimiter ',', score column 'pred_score_with_a_very_long_name_aaaaaaa...', "
	 "label column 'gt_label_with_a_very_long_name_aaaaaaaaa...', id column "
	 "'image_path_with_a_very_long_name_aaaaaaa...'"},
    {.name = "tab on a comma file, score-col by index",
     .in = "image_path_with_a_very_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"
	   "pred_score_with_a_very_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	   "d/good/1.png,1\n",
     .o = {.score_col = "2", .id_col = "1", .delimiter = '\t', .verbose = 1},
     .code = ADT_EDATA,
     .msg = "--score-col 2 is out of range (the header has 1 column when split at tab: wrong "
	    "--delimiter? it looks like ',')",
     .err_line = 1},
    {.name = "verbose note, folder labels and long names fit",
     .in = "image_path_with_a_very_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\t"
	   "pred_score_with_a_very_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	   "d/good/1.png\t1\n",
     .o = {.score_col = "2", .id_col = "1", .verbose = 1},
     .n = 1,
     .score = {1},
     .label = {0},
     .id = {"d/good/1.png"},
     .line = {2},
     .note =
	 "read as CSV: delimiter tab, score column 'pred_score_with_a_very_long_name_aaaaaaa...', "
	 "id column 'image_path_with_a_very_long_name_aaaaaaa...', labels taken from folder "
	 "names (good = normal)"},
    {.name = "id without folder",
     .in = "image_path,score\nx/good/0.png,0.1\na.png,0.5\n",
     .code = ADT_EDATA,
     .msg = "no label column, and id 'a.png' has no folder to take the label from "
	    "(expected a label column: " LABEL_NAMES ")",
     .err_line = 3},

    /* Scores */
    {.name = "score formats",
     .in = "score,label\n-1.5e2,0\n+3,1\n.5,0\n1e-320,1\n",
     .n = 4,
     .score = {-150, 3, 0.5, 1e-320},
     .label = {0, 1, 0, 1},
     .line = {2, 3, 4, 5}},
    {.name = "nan score",
     .in = "score,label\n0.5,1\nNaN,0\n",
     .code = ADT_EDATA,
     .msg = "score 'NaN' is not a number (NaN)",
     .err_line = 3},
    {.name = "inf score",
     .in = "score,label\n-inf,0\n",
     .code = ADT_EDATA,
     .msg = "score '-inf' is not finite",
     .err_line = 2},
    {.name = "overflowing score",
     .in = "score,label\n1e999,0\n",
     .code = ADT_EDATA,
     .msg = "score '1e999' overflows a double",
     .err_line = 2},
    {.name = "empty score",
     .in = "score,label\n,0\n",
     .code = ADT_EDATA,
     .msg = "score is empty",
     .err_line = 2},
    {.name = "decimal comma with semicolons",
     .in = "score;label\n0,5;1\n",
     .code = ADT_EDATA,
     .msg = "score '0,5' has a decimal comma; use '.'",
     .err_line = 2},
    {.name = "decimal comma split by commas",
     .in = "path,score,label\na/b.png,0,75,1\n",
     .code = ADT_EFORMAT,
     .msg = "row has 4 fields, header has 3 (a decimal comma? use '.' in numbers)",
     .err_line = 2},

    /* Row shapes */
    {.name = "short row",
     .in = "score,label\n0.5,1\n0.5\n",
     .code = ADT_EFORMAT,
     .msg = "row has 1 field, header has 2",
     .err_line = 3},
    {.name = "long row",
     .in = "score,label\n0.5,1,x\n",
     .code = ADT_EFORMAT,
     .msg = "row has 3 fields, header has 2",
     .err_line = 2},
    {.name = "row of delimiters",
     .in = "score,label\n0.5,1\n,\n",
     .code = ADT_EDATA,
     .msg = "score is empty",
     .err_line = 3},
    {.name = "header only",
     .in = "score,label\n\n  \n",
     .code = ADT_EDATA,
     .msg = "no data rows after the header",
     .err_line = 1},
    {.name = "empty input", .in = "", .code = ADT_EDATA, .msg = "empty input", .err_line = 0},
    {.name = "blank input",
     .in = "\xEF\xBB\xBF\n  \r\n\t\n",
     .code = ADT_EDATA,
     .msg = "empty input",
     .err_line = 0},
};

static void check_case(const struct csv_case *c)
{
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	const char *file = c->file ? c->file : "s.csv";
	size_t len = c->len ? c->len : strlen(c->in);
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = c->o.format;
	o.delimiter = c->o.delimiter;
	o.score_col = c->o.score_col;
	o.label_col = c->o.label_col;
	o.id_col = c->o.id_col;
	o.positive_label = c->o.positive;
	o.verbose = c->o.verbose;
	strcpy(o.note, "stale");
	adt_samples_init(&s);
	adt_error_init(&err);

	rc = adt_read_csv_mem(c->in, len, file, &o, &s, &err);
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

/* Many rows, a field longer than any buffer libcsv starts with (exactly
 * as long as a field may be), and the line of an error near the end. */
static void test_large(void **state)
{
	const size_t rows = 200000, big = ADT_CSV_FIELD_MAX - 12;
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	size_t cap = rows * 40 + big + 100, len = 0, i;
	char *buf = malloc(cap);

	(void)state;
	assert_non_null(buf);
	len += (size_t)sprintf(buf + len, "path,score,label\n\"");
	memset(buf + len, 'x', big);
	len += big;
	len += (size_t)sprintf(buf + len, "\n/good/a.png\",0.5,0\n");
	for (i = 0; i < rows; i++)
		len += (size_t)sprintf(buf + len, "d/%zu.png,%zu.25,%d\n", i, i, (int)(i % 2));

	memset(&o, 0, sizeof(o));
	adt_samples_init(&s);
	adt_error_init(&err);
	if (adt_read_csv_mem(buf, len, "big.csv", &o, &s, &err))
		fail_msg("unexpected error at line %lu: %s", err.line, err.msg);
	assert_int_equal(s.n, rows + 1);
	assert_int_equal(strlen(s.id[0]), big + 12);
	assert_int_equal(s.line[0], 2);
	assert_int_equal(s.line[rows], rows + 3);
	assert_true(s.score[rows] == (double)(rows - 1) + 0.25);
	assert_int_equal(s.label[rows], (int)((rows - 1) % 2));
	adt_samples_release(&s);

	/* Break the last row's score. */
	memcpy(buf + len - 7, "x", 1);
	adt_samples_init(&s);
	assert_int_equal(adt_read_csv_mem(buf, len, "big.csv", &o, &s, &err), -1);
	assert_int_equal(err.line, rows + 3);
	assert_int_equal(s.n, 0);
	free(buf);
}

/* A field of ADT_CSV_FIELD_MAX bytes is read, one byte more is refused
 * at the line its row starts, wherever the field is: unquoted, quoted over
 * several lines, the last field of a file without a final line end, or
 * far longer than the limit (refused before it is all buffered). */
static void test_field_limit(void **state)
{
	static const struct {
		const char *name, *before, *after;
		size_t extra; /* bytes over ADT_CSV_FIELD_MAX; SIZE_MAX: at the limit */
		unsigned long line;
		const char *msg; /* NULL: success */
	} lim[] = {
	    {"at the limit", "score,label,path\n0.5,0,", "\n0.7,1,b\n", SIZE_MAX, 0, NULL},
	    {"one byte over", "score,label,path\n0.5,0,", "\n0.7,1,b\n", 1, 2,
	     "field 3 is longer than the limit of 1048576 bytes (1 MiB)"},
	    {"quoted over lines", "path,score,label\na,0.1,0\n\"x\n", "\",0.5,0\n", 1, 3,
	     "field 1 is longer than the limit of 1048576 bytes (1 MiB)"},
	    {"last line, no line end", "score,label,path\n0.5,0,a\n0.7,1,", "", 1, 3,
	     "field 3 is longer than the limit of 1048576 bytes (1 MiB)"},
	    {"far over", "score,label\n0.5,0\n0.", "1,1\n", (size_t)15 << 20, 3,
	     "field 1 is longer than the limit of 1048576 bytes (1 MiB)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		size_t nb = strlen(lim[i].before), na = strlen(lim[i].after);
		size_t big =
		    lim[i].extra == SIZE_MAX ? ADT_CSV_FIELD_MAX : ADT_CSV_FIELD_MAX + lim[i].extra;
		char *buf = malloc(nb + big + na);
		struct adt_samples s;
		struct adt_error err;
		int rc;

		assert_non_null(buf);
		memcpy(buf, lim[i].before, nb);
		memset(buf + nb, '7', big);
		if (lim[i].extra != SIZE_MAX && strchr(lim[i].before, '"'))
			buf[nb + big / 2] = '\n'; /* a line end inside the quotes */
		memcpy(buf + nb + big, lim[i].after, na);
		adt_samples_init(&s);
		adt_error_init(&err);
		rc = adt_read_csv_mem(buf, nb + big + na, "long.csv", NULL, &s, &err);
		if (!lim[i].msg) {
			if (rc)
				fail_msg("%s: unexpected error: %s", lim[i].name, err.msg);
			assert_int_equal(s.n, 2);
			assert_int_equal(strlen(s.id[0]), ADT_CSV_FIELD_MAX);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(err.code, ADT_EFORMAT);
			assert_string_equal(err.file, "long.csv");
			assert_string_equal(err.msg, lim[i].msg);
			if (err.line != lim[i].line)
				fail_msg("%s: line %lu, expected %lu", lim[i].name, err.line,
					 lim[i].line);
			assert_int_equal(s.n, 0);
		}
		adt_samples_release(&s);
		free(buf);
	}
}

/* err and o may be NULL. */
static void test_null_args(void **state)
{
	struct adt_samples s;
	const char *in = "score,label\n1,0\n";

	(void)state;
	adt_samples_init(&s);
	assert_int_equal(adt_read_csv_mem(in, strlen(in), "x.csv", NULL, &s, NULL), 0);
	assert_int_equal(s.n, 1);
	adt_samples_release(&s);
	adt_samples_init(&s);
	assert_int_equal(adt_read_csv_mem("score\n1\n", 8, "x.csv", NULL, &s, NULL), -1);
	assert_int_equal(s.n, 0);
	assert_int_equal(adt_read_csv_mem(NULL, 0, NULL, NULL, &s, NULL), -1);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_case);
	test_list_add(&l, "large input", test_large);
	test_list_add(&l, "null arguments", test_null_args);
	test_list_add(&l, "field length limit", test_field_limit);
	return test_list_run(&l, "read_csv");
}
