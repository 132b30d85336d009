/* Unit tests of the evaluation pipeline: adt_run on small inputs written
 * to a temporary folder (single runs, an image-only batch, a JSON
 * document of maps), the thresholds file, the gates, the output names,
 * failing categories and the plot groups. */
#include "test_list.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_tree.h"
#include "adthresh/gate.h"
#include "adthresh/run.h"

static char root[PATH_MAX];

/* The inputs, below root. */
static char single_csv[PATH_MAX]; /* threshold 0.5, F1 6/7, AUROC 8/9 */
static char batch_dir[PATH_MAX];  /* bottle.csv (as single.csv), cable.csv */
static char bad_dir[PATH_MAX];	  /* bottle.csv, broken.csv, cable.csv */
static char broken_csv[PATH_MAX]; /* bad_dir/broken.csv: line 3 has score 'x' */
static char doc_json[PATH_MAX];	  /* maps and masks in one JSON document */
static char missing_csv[PATH_MAX];

static const char scores_a[] = "image_path,label,score\n"
			       "good/000.png,0,0.1\n"
			       "good/001.png,0,0.2\n"
			       "good/002.png,0,0.6\n"
			       "crack/000.png,1,0.5\n"
			       "crack/001.png,1,0.8\n"
			       "crack/002.png,1,0.9\n";

/* Threshold 0.5, F1 0.8. */
static const char scores_b[] = "image_path,label,score\n"
			       "good/000.png,0,0.25\n"
			       "good/001.png,0,0.5\n"
			       "cut/000.png,1,0.75\n"
			       "cut/001.png,1,0.5\n";

static const char scores_broken[] = "image_path,label,score\n"
				    "good/000.png,0,0.1\n"
				    "crack/000.png,1,x\n";

/* Image level: 0.9 and 0.2 (threshold 0.9).  Pixel level: 0.75 and 0.5
 * anomalous, 0.375 and below normal (threshold 0.5). */
static const char doc[] =
    "[{\"image_path\": \"a/test/crack/000.png\", \"pred_score\": 0.9, \"gt_label\": 1,\n"
    "  \"anomaly_map\": [[0.25, 0.75], [0.125, 0.5]], \"gt_mask\": [[0, 1], [0, 1]]},\n"
    " {\"image_path\": \"a/test/good/000.png\", \"pred_score\": 0.2, \"gt_label\": 0,\n"
    "  \"anomaly_map\": [[0.25, 0.375], [0.125, 0.125]], \"gt_mask\": null}]\n";

static const char *join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < size);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int make_inputs(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];

	snprintf(root, sizeof(root), "%s/adt-run-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		return -1;
	join(single_csv, sizeof(single_csv), root, "single.csv");
	write_file(single_csv, scores_a);
	join(batch_dir, sizeof(batch_dir), root, "batch");
	if (mkdir(batch_dir, 0777))
		return -1;
	write_file(join(path, sizeof(path), batch_dir, "bottle.csv"), scores_a);
	write_file(join(path, sizeof(path), batch_dir, "cable.csv"), scores_b);
	join(bad_dir, sizeof(bad_dir), root, "bad");
	if (mkdir(bad_dir, 0777))
		return -1;
	write_file(join(path, sizeof(path), bad_dir, "bottle.csv"), scores_a);
	write_file(join(broken_csv, sizeof(broken_csv), bad_dir, "broken.csv"), scores_broken);
	write_file(join(path, sizeof(path), bad_dir, "cable.csv"), scores_b);
	write_file(join(doc_json, sizeof(doc_json), root, "doc.json"), doc);
	join(missing_csv, sizeof(missing_csv), root, "missing.csv");
	return 0;
}

/* Checks that res holds exactly the messages want (kind and text). */
struct want_msg {
	enum adt_msg_kind kind;
	const char *text;
};

static void assert_messages(const struct adt_messages *m, const struct want_msg *want, size_t n)
{
	/* On a mismatch in number, show what there is. */
	for (size_t i = 0; m->n != n && i < m->n; i++)
		print_message("message %zu: %s\n", i, m->v[i].text);
	assert_int_equal(m->n, n);
	assert_int_equal(m->lost, 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(m->v[i].kind, want[i].kind);
		assert_string_equal(m->v[i].text, want[i].text);
	}
}

static void test_output_option(void **state)
{
	(void)state;
	assert_string_equal(adt_output_option(ADT_OUTPUT_REPORT), "-o");
	assert_string_equal(adt_output_option(ADT_OUTPUT_THRESHOLDS), "--save-thresholds");
	assert_string_equal(adt_output_option(ADT_OUTPUT_CURVES), "--curves");
	assert_string_equal(adt_output_option(ADT_OUTPUT_PLOT), "--plot");
	assert_string_equal(adt_output_option(ADT_OUTPUT_PER_IMAGE), "--per-image");
	assert_string_equal(adt_output_option(ADT_OUTPUTS), "");
}

static void test_single(void **state)
{
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	const struct adt_level_result *r;

	(void)state;
	adt_run_job_init(&job);
	assert_int_equal(job.batch, 0);
	assert_null(job.thresholds);
	job.scores = single_csv;
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_int_equal(res.batch, 0);
	assert_int_equal(res.n, 1);
	assert_null(res.v[0].name);
	assert_null(res.v[0].error);
	assert_null(res.v[0].level[1]);
	r = res.v[0].level[0];
	assert_non_null(r);
	assert_true(r->threshold == 0.5);
	assert_int_equal(r->rule, ADT_RULE_GE);
	assert_int_equal(r->given, 0);
	assert_string_equal(r->policy, "f1");
	assert_int_equal(r->tp, 3);
	assert_int_equal(r->fp, 1);
	assert_int_equal(r->fn, 0);
	assert_int_equal(r->tn, 2);
	assert_true(r->f1 == 6.0 / 7);
	assert_true(r->auroc == 8.0 / 9);
	assert_string_equal(r->source, single_csv);
	assert_int_equal(res.complete, 1);
	assert_int_equal(res.failed, 0);
	assert_messages(&res.msgs, NULL, 0);
	assert_messages(&res.unmet, NULL, 0);
	assert_int_equal(err.code, ADT_EOK);
	adt_result_release(&res);
	assert_int_equal(res.n, 0);
	assert_null(res.v);
	/* Released twice is fine. */
	adt_result_release(&res);
}

/* Inputs of a case: a single run of single.csv, a single run of the maps
 * document, or the image-only batch. */
enum input { IN_SINGLE = 0, IN_DOC, IN_BATCH, IN_BAD };

static void job_for(struct adt_run_job *job, enum input in)
{
	adt_run_job_init(job);
	switch (in) {
	case IN_SINGLE:
		job->scores = single_csv;
		break;
	case IN_DOC:
		job->maps = doc_json;
		break;
	case IN_BATCH:
		job->batch = 1;
		job->scores = batch_dir;
		break;
	case IN_BAD:
		job->batch = 1;
		job->scores = bad_dir;
		break;
	}
}

#define NONE (-1.0) /* no threshold expected: the level is absent */

static const struct thr_case {
	const char *name;
	enum input in;
	const char *file; /* the thresholds file's content; NULL: a missing file */
	enum adt_rule rule;
	int has[2]; /* given as options */
	double given[2];
	enum adt_errcode code; /* ADT_EOK: the run succeeds */
	const char *msg;       /* the error (err.file is the thresholds file) */
	double want[2][2];     /* entry 0 and 1: image, pixel thresholds */
	const char *warn[2];   /* warnings, after "FILE: " */
} thr_cases[] = {
    {"thresholds: the file's image threshold",
     IN_SINGLE,
     "{\"rule\": \">=\", \"image\": {\"threshold\": 0.7}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EOK,
     NULL,
     {{0.7, NONE}},
     {NULL}},
    {"thresholds: the option wins over the file",
     IN_SINGLE,
     "{\"rule\": \">=\", \"image\": {\"threshold\": 0.7}}",
     ADT_RULE_GE,
     {1, 0},
     {0.55, 0},
     ADT_EOK,
     NULL,
     {{0.55, NONE}},
     {NULL}},
    {"thresholds: the option gives the level the file lacks",
     IN_SINGLE,
     "{\"rule\": \">=\", \"pixel\": {\"threshold\": 0.5}}",
     ADT_RULE_GE,
     {1, 0},
     {0.3, 0},
     ADT_EOK,
     NULL,
     {{0.3, NONE}},
     {NULL}},
    {"thresholds: no image threshold",
     IN_SINGLE,
     "{\"rule\": \">=\", \"pixel\": {\"threshold\": 0.5}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EDATA,
     "no image threshold",
     {{0}},
     {NULL}},
    {"thresholds: no pixel threshold",
     IN_DOC,
     "{\"rule\": \">=\", \"image\": {\"threshold\": 0.7}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EDATA,
     "no pixel threshold",
     {{0}},
     {NULL}},
    {"thresholds: both levels from the file",
     IN_DOC,
     "{\"rule\": \">=\", \"image\": {\"threshold\": 0.7}, \"pixel\": {\"threshold\": 0.5}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EOK,
     NULL,
     {{0.7, 0.5}},
     {NULL}},
    {"thresholds: the pixel option wins",
     IN_DOC,
     "{\"rule\": \">=\", \"image\": {\"threshold\": 0.7}, \"pixel\": {\"threshold\": 0.5}}",
     ADT_RULE_GE,
     {0, 1},
     {0, 0.25},
     ADT_EOK,
     NULL,
     {{0.7, 0.25}},
     {NULL}},
    {"thresholds: batch, each category's own",
     IN_BATCH,
     "{\"rule\": \">=\", \"categories\": {\"bottle\": {\"image\": {\"threshold\": 0.7}},\n"
     " \"cable\": {\"image\": {\"threshold\": 0.6}}}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EOK,
     NULL,
     {{0.7, NONE}, {0.6, NONE}},
     {NULL}},
    {"thresholds: batch, no image threshold for a category",
     IN_BATCH,
     "{\"rule\": \">=\", \"categories\": {\"bottle\": {\"image\": {\"threshold\": 0.7}}}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EDATA,
     "no image threshold for category cable",
     {{0}},
     {NULL}},
    {"thresholds: batch, the option for every category",
     IN_BATCH,
     "{\"rule\": \">=\", \"categories\": {\"bottle\": {\"image\": {\"threshold\": 0.7}}}}",
     ADT_RULE_GE,
     {1, 0},
     {0.4, 0},
     ADT_EOK,
     NULL,
     {{0.4, NONE}, {0.4, NONE}},
     {NULL}},
    {"thresholds: a batch's file in a single run",
     IN_SINGLE,
     "{\"rule\": \">=\", \"categories\": {\"bottle\": {\"image\": {\"threshold\": 0.7}}}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EUSAGE,
     "holds the thresholds of a batch; use it with --batch",
     {{0}},
     {NULL}},
    {"thresholds: a single run's file in a batch",
     IN_BATCH,
     "{\"rule\": \">=\", \"image\": {\"threshold\": 0.7}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EUSAGE,
     "holds the thresholds of a single run, not of a batch",
     {{0}},
     {NULL}},
    {"thresholds: chosen with >, applied with >=",
     IN_SINGLE,
     "{\"rule\": \">\", \"image\": {\"threshold\": 0.7}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EOK,
     NULL,
     {{0.7, NONE}},
     {"the thresholds were chosen with score > threshold and are applied with >="}},
    {"thresholds: chosen with >=, applied with >",
     IN_SINGLE,
     "{\"rule\": \">=\", \"image\": {\"threshold\": 0.7}}",
     ADT_RULE_GT,
     {0, 0},
     {0, 0},
     ADT_EOK,
     NULL,
     {{0.7, NONE}},
     {"the thresholds were chosen with score >= threshold and are applied with >"}},
    {"thresholds: categories not in the run",
     IN_BATCH,
     "{\"rule\": \">=\", \"categories\": {\"bottle\": {\"image\": {\"threshold\": 0.7}},\n"
     " \"capsule\": {\"image\": {\"threshold\": 0.1}, \"pixel\": {\"threshold\": 0.2}},\n"
     " \"cable\": {\"image\": {\"threshold\": 0.6}},\n"
     " \"zipper\": {\"image\": {\"threshold\": 0.3}}}}",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EOK,
     NULL,
     {{0.7, NONE}, {0.6, NONE}},
     {"category 'capsule' is not in this run; its thresholds are not used",
      "category 'zipper' is not in this run; its thresholds are not used"}},
    {"thresholds: a missing file",
     IN_SINGLE,
     NULL,
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EIO,
     "cannot open: No such file or directory",
     {{0}},
     {NULL}},
    {"thresholds: an empty file",
     IN_SINGLE,
     "",
     ADT_RULE_GE,
     {0, 0},
     {0, 0},
     ADT_EFORMAT,
     "empty thresholds file",
     {{0}},
     {NULL}},
};

static void check_threshold(const struct adt_level_result *r, double want)
{
	if (want == NONE) {
		assert_null(r);
		return;
	}
	assert_non_null(r);
	assert_true(r->threshold == want);
	assert_int_equal(r->given, 1);
}

static void test_thresholds(void **state)
{
	const struct thr_case *c = *state;
	char path[PATH_MAX], name[32], text[1024];
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	struct want_msg warn[2];
	size_t nwarn = 0;
	int ret;

	snprintf(name, sizeof(name), "thr-%d.json", (int)(c - thr_cases));
	join(path, sizeof(path), root, name);
	if (c->file)
		write_file(path, c->file);
	job_for(&job, c->in);
	job.eval.image.rule = job.eval.pixel.rule = c->rule;
	job.thresholds = path;
	for (int l = 0; l < 2; l++) {
		job.has_threshold[l] = c->has[l];
		job.threshold[l] = c->given[l];
	}
	adt_result_init(&res);
	adt_error_init(&err);
	ret = adt_run(&job, &res, &err);
	if (c->code != ADT_EOK) {
		assert_int_equal(ret, -1);
		assert_int_equal(err.code, c->code);
		assert_string_equal(err.file, path);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(res.msgs.n, 0);
		adt_result_release(&res);
		return;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(res.complete, 1);
	assert_int_equal(res.n, c->in == IN_BATCH ? 2 : 1);
	for (size_t i = 0; i < res.n; i++) {
		assert_null(res.v[i].error);
		check_threshold(res.v[i].level[0], c->want[i][0]);
		check_threshold(res.v[i].level[1], c->want[i][1]);
		assert_int_equal(res.v[i].level[0]->rule, c->rule);
	}
	if (c->in == IN_BATCH) {
		assert_string_equal(res.v[0].name, "bottle");
		assert_string_equal(res.v[1].name, "cable");
	}
	for (size_t i = 0; i < 2 && c->warn[i]; i++) {
		/* Each text is kept in its own slot of `text`. */
		char *t = text + i * (sizeof(text) / 2);

		int k = snprintf(t, sizeof(text) / 2, "%s: %s", path, c->warn[i]);

		assert_true(k > 0 && (size_t)k < sizeof(text) / 2);
		warn[nwarn].kind = ADT_MSG_WARNING;
		warn[nwarn++].text = t;
	}
	assert_messages(&res.msgs, warn, nwarn);
	adt_result_release(&res);
}

/* A thresholds file saved among the score files of an image-only batch
 * is no category. */
static void test_thresholds_beside_scores(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX], t[PATH_MAX];
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;

	(void)state;
	join(dir, sizeof(dir), root, "beside");
	assert_int_equal(mkdir(dir, 0777), 0);
	write_file(join(path, sizeof(path), dir, "bottle.csv"), scores_a);
	write_file(join(t, sizeof(t), dir, "t.json"),
		   "{\"rule\": \">=\", \"categories\": {\"bottle\": {\"image\": {\"threshold\": "
		   "0.8}}}}");
	adt_run_job_init(&job);
	job.batch = 1;
	job.scores = dir;
	job.thresholds = t;
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_int_equal(res.n, 1);
	assert_string_equal(res.v[0].name, "bottle");
	assert_true(res.v[0].level[0]->threshold == 0.8);
	assert_messages(&res.msgs, NULL, 0);
	adt_result_release(&res);
}

static const struct gate_case {
	const char *name;
	enum input in;
	int missing; /* the scores file does not exist */
	const char *gates;
	double max_fpr, aupro_limit;
	enum adt_errcode code;
	const char *msg;
	const char *unmet[2];
} gate_cases[] = {
    {"gates: an unknown field, before the input is read",
     IN_SINGLE,
     1,
     "image.speed=1",
     0,
     0,
     ADT_EUSAGE,
     "invalid gate 'image.speed=1': unknown field 'speed' (fields: n, positives, negatives, "
     "threshold, f1, precision, recall, tp, fp, fn, tn, fpr, auroc, ap, min, max, pauroc)",
     {NULL}},
    {"gates: aupro without --aupro",
     IN_DOC,
     0,
     "pixel.aupro=0.5",
     0,
     0,
     ADT_EUSAGE,
     "gate 'pixel.aupro=0.5' needs --aupro",
     {NULL}},
    {"gates: aupro without --aupro, before the input is read",
     IN_DOC,
     1,
     "pixel.aupro=0.5",
     0,
     0,
     ADT_EUSAGE,
     "gate 'pixel.aupro=0.5' needs --aupro",
     {NULL}},
    {"gates: aupro with --aupro", IN_DOC, 0, "pixel.aupro=0", 0, 0.3, ADT_EOK, NULL, {NULL}},
    {"gates: pauroc without --max-fpr",
     IN_SINGLE,
     0,
     "image.pauroc=0.5",
     0,
     0,
     ADT_EUSAGE,
     "gate 'image.pauroc=0.5' needs --max-fpr",
     {NULL}},
    {"gates: pauroc with --max-fpr", IN_SINGLE, 0, "image.pauroc=0", 0.5, 0, ADT_EOK, NULL, {NULL}},
    {"gates: met", IN_SINGLE, 0, "image.f1=0.85,image.tp=3", 0, 0, ADT_EOK, NULL, {NULL}},
    {"gates: one unmet",
     IN_SINGLE,
     0,
     "image.f1=0.9,image.auroc=0.5",
     0,
     0,
     ADT_EOK,
     NULL,
     {"image.f1 is 0.8571428571428571, under 0.9"}},
    {"gates: two unmet, in order",
     IN_SINGLE,
     0,
     "image.tp=4,image.fp=0,image.auroc=1",
     0,
     0,
     ADT_EOK,
     NULL,
     {"image.tp is 3, under 4", "image.auroc is 0.8888888888888888, under 1"}},
    {"gates: a level the run lacks",
     IN_SINGLE,
     0,
     "pixel.f1=0.5",
     0,
     0,
     ADT_EUSAGE,
     "gate 'pixel.f1=0.5': this run has no pixel level",
     {NULL}},
    {"gates: a pixel gate met", IN_DOC, 0, "pixel.f1=1,image.f1=1", 0, 0, ADT_EOK, NULL, {NULL}},
    {"gates: batch, no such category",
     IN_BATCH,
     0,
     "nosuch.image.f1=0.5",
     0,
     0,
     ADT_EUSAGE,
     "gate 'nosuch.image.f1=0.5': no category 'nosuch'",
     {NULL}},
    {"gates: batch, a single run's gate",
     IN_BATCH,
     1,
     "image.f1=0.5",
     0,
     0,
     ADT_EUSAGE,
     "invalid gate 'image.f1=0.5': in a batch, say mean.image, *.image or CATEGORY.image",
     {NULL}},
    {"gates: batch, the mean unmet",
     IN_BATCH,
     0,
     "mean.image.f1=0.9,mean.image.categories=2",
     0,
     0,
     ADT_EOK,
     NULL,
     {"mean.image.f1 is 0.8285714285714285, under 0.9"}},
    {"gates: batch, every category",
     IN_BATCH,
     0,
     "*.image.f1=0.85",
     0,
     0,
     ADT_EOK,
     NULL,
     {"cable.image.f1 is 0.8, under 0.85"}},
    {"gates: batch, one category",
     IN_BATCH,
     0,
     "bottle.image.f1=0.85",
     0,
     0,
     ADT_EOK,
     NULL,
     {NULL}},
};

/* A gate is checked against the options of its own level. */
static void test_gate_level_options(void **state)
{
	static const struct {
		const char *gates;
		double image_fpr, pixel_fpr;
		const char *msg; /* NULL: accepted */
	} cases[] = {
	    {"image.pauroc=0", 0.5, 0, NULL},
	    {"image.pauroc=0", 0, 0.5, "gate 'image.pauroc=0' needs --max-fpr"},
	    {"pixel.pauroc=0", 0.5, 0, "gate 'pixel.pauroc=0' needs --max-fpr"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct adt_run_job job;
		struct adt_result res;
		struct adt_error err;
		int ret;

		job_for(&job, IN_SINGLE);
		job.gates = cases[i].gates;
		job.eval.image.max_fpr = cases[i].image_fpr;
		job.eval.pixel.max_fpr = cases[i].pixel_fpr;
		adt_result_init(&res);
		adt_error_init(&err);
		ret = adt_run(&job, &res, &err);
		if (cases[i].msg) {
			assert_int_equal(ret, -1);
			assert_string_equal(err.msg, cases[i].msg);
		} else {
			assert_int_equal(ret, 0);
		}
		adt_result_release(&res);
	}
}

static void test_gates(void **state)
{
	const struct gate_case *c = *state;
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	struct want_msg unmet[2];
	size_t n = 0;
	int ret;

	job_for(&job, c->in);
	if (c->missing) {
		if (c->in == IN_DOC)
			job.maps = missing_csv;
		else
			job.scores = missing_csv;
	}
	job.gates = c->gates;
	job.eval.image.max_fpr = job.eval.pixel.max_fpr = c->max_fpr;
	job.eval.pixel.aupro_limit = c->aupro_limit;
	adt_result_init(&res);
	adt_error_init(&err);
	ret = adt_run(&job, &res, &err);
	if (c->code != ADT_EOK) {
		assert_int_equal(ret, -1);
		assert_int_equal(err.code, c->code);
		assert_string_equal(err.file, "");
		assert_string_equal(err.msg, c->msg);
		adt_result_release(&res);
		return;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(res.complete, 1);
	for (size_t i = 0; i < 2 && c->unmet[i]; i++) {
		unmet[n].kind = ADT_MSG_ERROR;
		unmet[n++].text = c->unmet[i];
	}
	assert_messages(&res.unmet, unmet, n);
	adt_result_release(&res);
}

static const struct available_case {
	const char *name;
	const char *gate;
	int batch;
	double max_fpr, aupro_limit;
	const char *msg; /* NULL: available */
} available[] = {
    {"available: aupro without a limit", "pixel.aupro=0.5", 0, 0, 0,
     "gate 'pixel.aupro=0.5' needs --aupro"},
    {"available: aupro with a limit", "pixel.aupro=0.5", 0, 0, 0.3, NULL},
    {"available: aupro with max_fpr only", "pixel.aupro=0.5", 0, 0.3, 0,
     "gate 'pixel.aupro=0.5' needs --aupro"},
    {"available: pauroc without max_fpr", "image.pauroc=0.5", 0, 0, 0.3,
     "gate 'image.pauroc=0.5' needs --max-fpr"},
    {"available: pauroc with max_fpr", "pixel.pauroc=0.5", 0, 0.2, 0, NULL},
    {"available: the mean's pauroc without max_fpr", "mean.image.pauroc=0.5", 1, 0, 0,
     "gate 'mean.image.pauroc=0.5' needs --max-fpr"},
    {"available: a field of every run", "image.f1=0.5", 0, 0, 0, NULL},
    {"available: the mean's categories", "mean.pixel.categories=3", 1, 0, 0, NULL},
};

static void test_available(void **state)
{
	const struct available_case *c = *state;
	struct adt_gates g = {NULL, 0, 0};
	struct adt_job o;
	struct adt_error err;

	memset(&o, 0, sizeof(o));
	o.image.max_fpr = o.pixel.max_fpr = c->max_fpr;
	o.image.aupro_limit = o.pixel.aupro_limit = c->aupro_limit;
	adt_error_init(&err);
	assert_int_equal(adt_gates_parse(c->gate, c->batch, 0, &g, &err), 0);
	assert_int_equal(g.n, 1);
	if (c->msg) {
		assert_int_equal(adt_gate_available(&g.v[0], &o, &err), -1);
		assert_int_equal(err.code, ADT_EUSAGE);
		assert_string_equal(err.msg, c->msg);
	} else {
		assert_int_equal(adt_gate_available(&g.v[0], &o, &err), 0);
		assert_int_equal(err.code, ADT_EOK);
	}
	adt_gates_release(&g);
}

/* Output names that are one file: refused before any input is read (the
 * scores file does not exist). */
static const struct collision_case {
	const char *name;
	const char *output[ADT_OUTPUTS]; /* below root; "-" as it is */
	const char *thresholds;		 /* below root */
	const char *file;		 /* err.file, below root; NULL: no collision */
	const char *msg;
} collisions[] = {
    {"outputs: -o and --plot",
     {"same.out", NULL, NULL, "same.out"},
     NULL,
     "same.out",
     "given to both -o and --plot"},
    {"outputs: --save-thresholds and --curves spelled two ways",
     {NULL, "x.csv", "./x.csv", NULL},
     NULL,
     "./x.csv",
     "given to both --save-thresholds and --curves"},
    {"outputs: --save-thresholds and --thresholds",
     {NULL, "t.json", NULL, NULL},
     "t.json",
     "t.json",
     "given to both --save-thresholds and --thresholds"},
    {"outputs: -o and an existing --plot",
     {"single.csv", NULL, NULL, "single.csv"},
     NULL,
     "single.csv",
     "given to both -o and --plot"},
    {"outputs: --curves and --per-image",
     {NULL, NULL, "x.csv", NULL, "x.csv"},
     NULL,
     "x.csv",
     "given to both --curves and --per-image"},
    {"outputs: standard output twice", {"-", NULL, "-", NULL}, NULL, NULL, NULL},
    {"outputs: all different", {"a.txt", "b.json", "c.csv", "d.svg"}, NULL, NULL, NULL},
};

static void test_collision(void **state)
{
	const struct collision_case *c = *state;
	char out[ADT_OUTPUTS][PATH_MAX], thr[PATH_MAX], file[PATH_MAX];
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	struct stat st;

	adt_run_job_init(&job);
	job.scores = missing_csv;
	for (int k = 0; k < ADT_OUTPUTS; k++) {
		if (c->output[k] && strcmp(c->output[k], "-") != 0)
			job.output[k] = join(out[k], sizeof(out[k]), root, c->output[k]);
		else
			job.output[k] = c->output[k];
	}
	if (c->thresholds)
		job.thresholds = join(thr, sizeof(thr), root, c->thresholds);
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), -1);
	if (!c->file) {
		/* No collision: the run goes on to the missing input. */
		assert_int_equal(err.code, ADT_EIO);
		assert_string_equal(err.file, missing_csv);
		adt_result_release(&res);
		return;
	}
	assert_int_equal(err.code, ADT_EUSAGE);
	assert_string_equal(err.file, join(file, sizeof(file), root, c->file));
	assert_int_equal(err.line, 0);
	assert_string_equal(err.msg, c->msg);
	assert_int_equal(res.n, 0);
	assert_int_equal(res.msgs.n, 0);
	/* Nothing was written. */
	for (int k = 0; k < ADT_OUTPUTS; k++) {
		if (job.output[k] && strcmp(job.output[k], "-") != 0 &&
		    strcmp(job.output[k], single_csv) != 0)
			assert_int_equal(stat(job.output[k], &st), -1);
	}
	adt_result_release(&res);
}

struct progress {
	size_t calls, last_done, last_total;
};

static void on_progress(void *ctx, size_t done, size_t total)
{
	struct progress *p = ctx;

	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

static void failure_text(char *buf, size_t size)
{
	int n = snprintf(buf, size, "category broken: %s:3: score 'x' is not a number", broken_csv);

	assert_true(n > 0 && (size_t)n < size);
}

static const struct stop_case {
	const char *name;
	unsigned threads;
} stops[] = {
    {"batch: a failure stops the run (one thread)", 1},
    {"batch: a failure stops the run (two threads)", 2},
    {"batch: a failure stops the run (default threads)", 0},
};

static void test_batch_stop(void **state)
{
	const struct stop_case *c = *state;
	char text[PATH_MAX + 64];
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	struct want_msg want = {ADT_MSG_ERROR, text};

	failure_text(text, sizeof(text));
	job_for(&job, IN_BAD);
	job.eval.pixels.threads = c->threads;
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_int_equal(res.batch, 1);
	assert_int_equal(res.complete, 0);
	assert_int_equal(res.failed, 1);
	assert_int_equal(res.n, 3);
	assert_string_equal(res.v[0].name, "bottle");
	assert_string_equal(res.v[1].name, "broken");
	assert_string_equal(res.v[2].name, "cable");
	assert_non_null(res.v[0].level[0]);
	assert_non_null(res.v[1].error);
	assert_string_equal(res.v[1].error, text + strlen("category broken: "));
	assert_null(res.v[1].level[0]);
	assert_null(res.v[1].level[1]);
	assert_null(res.v[2].error);
	assert_messages(&res.msgs, &want, 1);
	assert_messages(&res.unmet, NULL, 0);
	adt_result_release(&res);
}

static void test_batch_keep_going(void **state)
{
	char text[PATH_MAX + 64];
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	struct want_msg want = {ADT_MSG_ERROR, text};
	struct progress p = {0, 0, 0};
	struct adt_plot_group *g;
	size_t ng;

	(void)state;
	failure_text(text, sizeof(text));
	job_for(&job, IN_BAD);
	job.keep_going = 1;
	job.gates = "*.image.f1=0.85";
	job.progress = on_progress;
	job.ctx = &p;
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_int_equal(res.complete, 1);
	assert_int_equal(res.failed, 1);
	assert_int_equal(res.n, 3);
	assert_true(res.v[0].level[0]->threshold == 0.5);
	assert_true(res.v[0].level[0]->f1 == 6.0 / 7);
	assert_string_equal(res.v[0].level[0]->source, "bottle.csv");
	assert_null(res.v[0].level[1]);
	assert_string_equal(res.v[1].error, text + strlen("category broken: "));
	assert_null(res.v[1].level[0]);
	assert_null(res.v[2].error);
	assert_true(res.v[2].level[0]->threshold == 0.5);
	assert_true(res.v[2].level[0]->f1 == 0.8);
	assert_messages(&res.msgs, &want, 1);
	/* The gates skip the failed category. */
	want.text = "cable.image.f1 is 0.8, under 0.85";
	assert_messages(&res.unmet, &want, 1);
	assert_int_equal(p.calls, 3);
	assert_int_equal(p.last_done, 3);
	assert_int_equal(p.last_total, 3);

	/* One plot group per category that did not fail, named. */
	assert_int_equal(adt_result_plot_groups(&res, &g, &ng, &err), 0);
	assert_int_equal(ng, 2);
	assert_string_equal(g[0].name, "bottle");
	assert_int_equal(g[0].n, 1);
	assert_string_equal(g[0].c[0].level, "image");
	assert_ptr_equal(g[0].c[0].r, res.v[0].level[0]);
	assert_ptr_equal(g[0].c[0].pts, &res.v[0].out.curve[0]);
	assert_int_equal(g[0].c[0].P, 3);
	assert_int_equal(g[0].c[0].N, 3);
	assert_string_equal(g[1].name, "cable");
	assert_int_equal(g[1].n, 1);
	assert_string_equal(g[1].c[0].level, "image");
	assert_ptr_equal(g[1].c[0].r, res.v[2].level[0]);
	assert_int_equal(g[1].c[0].P, 2);
	assert_int_equal(g[1].c[0].N, 2);
	free(g);
	adt_result_release(&res);
}

/* A single run of maps: one unnamed group, the image curve first. */
static void test_plot_groups_single(void **state)
{
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	struct adt_plot_group *g;
	size_t ng;

	(void)state;
	job_for(&job, IN_DOC);
	job.eval.curves = ADT_RECORD_ALL;
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_int_equal(res.n, 1);
	assert_non_null(res.v[0].level[0]);
	assert_non_null(res.v[0].level[1]);
	assert_true(res.v[0].level[0]->threshold == 0.9);
	assert_true(res.v[0].level[1]->threshold == 0.5);
	assert_int_equal(adt_result_plot_groups(&res, &g, &ng, &err), 0);
	assert_int_equal(ng, 1);
	assert_null(g[0].name);
	assert_int_equal(g[0].n, 2);
	assert_string_equal(g[0].c[0].level, "image");
	assert_string_equal(g[0].c[1].level, "pixel");
	assert_int_equal(g[0].c[0].P, 1);
	assert_int_equal(g[0].c[0].N, 1);
	assert_int_equal(g[0].c[1].P, 2);
	assert_int_equal(g[0].c[1].N, 6);
	assert_ptr_equal(g[0].c[1].r, res.v[0].level[1]);
	assert_ptr_equal(g[0].c[1].pts, &res.v[0].out.curve[1]);
	/* Every distinct score is a point. */
	assert_int_equal(g[0].c[0].pts->n, 2);
	assert_int_equal(g[0].c[1].pts->n, 5);
	free(g);
	adt_result_release(&res);
}

/* Groups of a result made by hand: entries without a level or failed are
 * left out; a pixel-only entry has one curve. */
static void test_plot_groups_made(void **state)
{
	struct adt_level_result a, b;
	struct adt_entry e[4];
	struct adt_result res;
	struct adt_error err;
	struct adt_plot_group *g;
	size_t ng;
	char n0[] = "a", n1[] = "b", n2[] = "c", n3[] = "d", broken[] = "broken";

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.positives = 1;
	a.negatives = 2;
	b.positives = 3;
	b.negatives = 4;
	memset(e, 0, sizeof(e));
	e[0].name = n0; /* no level */
	e[1].name = n1;
	e[1].level[1] = &b;
	e[2].name = n2;
	e[2].error = broken;
	e[3].name = n3;
	e[3].level[0] = &a;
	e[3].level[1] = &b;
	adt_result_init(&res);
	adt_error_init(&err);
	res.batch = 1;
	res.v = e;
	res.n = 4;
	assert_int_equal(adt_result_plot_groups(&res, &g, &ng, &err), 0);
	assert_int_equal(ng, 2);
	assert_string_equal(g[0].name, "b");
	assert_int_equal(g[0].n, 1);
	assert_string_equal(g[0].c[0].level, "pixel");
	assert_int_equal(g[0].c[0].P, 3);
	assert_int_equal(g[0].c[0].N, 4);
	assert_string_equal(g[1].name, "d");
	assert_int_equal(g[1].n, 2);
	assert_string_equal(g[1].c[0].level, "image");
	assert_ptr_equal(g[1].c[0].r, &a);
	assert_string_equal(g[1].c[1].level, "pixel");
	assert_ptr_equal(g[1].c[1].r, &b);
	free(g);

	/* No entries: no groups. */
	res.n = 0;
	assert_int_equal(adt_result_plot_groups(&res, &g, &ng, &err), 0);
	assert_int_equal(ng, 0);
	free(g);
}

static const char scores_normal[] = "image_path,label,score\n"
				    "good/000.png,0,0.1\n"
				    "good/001.png,0,0.2\n"
				    "good/002.png,0,0.3\n";

/* The warnings of an evaluation: as they are in a single run, after the
 * category's name in a batch, in category order. */
static void test_warnings(void **state)
{
	static const char warning[] =
	    "image level has only normal samples (3); threshold = highest score (anomalib's "
	    "fallback); undefined metrics are n/a (null in JSON)";
	char dir[PATH_MAX], path[PATH_MAX], text[2][PATH_MAX + 512];
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	struct want_msg want[2] = {{ADT_MSG_WARNING, text[0]}, {ADT_MSG_WARNING, text[1]}};

	(void)state;
	join(dir, sizeof(dir), root, "one-class");
	assert_int_equal(mkdir(dir, 0777), 0);
	write_file(join(path, sizeof(path), dir, "good.csv"), scores_normal);
	write_file(join(path, sizeof(path), dir, "bottle.csv"), scores_a);
	write_file(join(path, sizeof(path), dir, "wood.csv"), scores_normal);

	adt_run_job_init(&job);
	job.scores = join(path, sizeof(path), dir, "good.csv");
	job.eval.image.allow_one_class = 1;
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_true(res.v[0].level[0]->threshold == 0.3);
	assert_int_equal(res.v[0].level[0]->one_class, 1);
	want[0].text = warning;
	assert_messages(&res.msgs, want, 1);
	adt_result_release(&res);

	job.batch = 1;
	job.scores = dir;
	adt_result_init(&res);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_int_equal(res.n, 3);
	assert_int_equal(res.complete, 1);
	snprintf(text[0], sizeof(text[0]), "good: %s", warning);
	snprintf(text[1], sizeof(text[1]), "wood: %s", warning);
	want[0].text = text[0];
	assert_messages(&res.msgs, want, 2);
	adt_result_release(&res);

	/* Without the fallback one class is a failure of the category. */
	job.eval.image.allow_one_class = 0;
	job.keep_going = 1;
	adt_result_init(&res);
	assert_int_equal(adt_run(&job, &res, &err), 0);
	assert_int_equal(res.failed, 2);
	assert_int_equal(res.complete, 1);
	for (int i = 0; i < 2; i++) {
		int k = snprintf(text[i], sizeof(text[i]),
				 "category %s: %s/%s.csv: image level has 0 anomalous and 3 normal "
				 "samples; a threshold needs both (--allow-one-class falls back as "
				 "anomalib does)",
				 i ? "wood" : "good", dir, i ? "wood" : "good");

		assert_true(k > 0 && (size_t)k < sizeof(text[i]));
		want[i].kind = ADT_MSG_ERROR;
	}
	want[0].text = text[0];
	assert_messages(&res.msgs, want, 2);
	adt_result_release(&res);
}

/* A single run's failure is the run's error, with file and line. */
static void test_single_failure(void **state)
{
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;

	(void)state;
	adt_run_job_init(&job);
	job.scores = broken_csv;
	adt_result_init(&res);
	adt_error_init(&err);
	assert_int_equal(adt_run(&job, &res, &err), -1);
	assert_int_equal(err.code, ADT_EDATA);
	assert_string_equal(err.file, broken_csv);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "score 'x' is not a number");
	assert_int_equal(res.msgs.n, 0);
	adt_result_release(&res);
}

int main(void)
{
	struct test_list l = {0};
	int rc;

	if (make_inputs()) {
		perror("test_run: inputs");
		return 1;
	}
	test_list_add(&l, "output options", test_output_option);
	test_list_add(&l, "a single run", test_single);
	test_list_add(&l, "gates: the options of their own level", test_gate_level_options);
	test_list_add(&l, "a single run that fails", test_single_failure);
	test_list_add(&l, "warnings of single runs and batches", test_warnings);
	TEST_LIST_TABLE(&l, thr_cases, test_thresholds);
	test_list_add(&l, "thresholds: a file among the scores", test_thresholds_beside_scores);
	TEST_LIST_TABLE(&l, gate_cases, test_gates);
	TEST_LIST_TABLE(&l, available, test_available);
	TEST_LIST_TABLE(&l, collisions, test_collision);
	TEST_LIST_TABLE(&l, stops, test_batch_stop);
	test_list_add(&l, "batch: keep going", test_batch_keep_going);
	test_list_add(&l, "plot groups: a single run", test_plot_groups_single);
	test_list_add(&l, "plot groups: entries made by hand", test_plot_groups_made);
	rc = test_list_run(&l, "run");
	remove_tree(root);
	return rc;
}
