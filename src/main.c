/* adthresh: the program around libadthresh.  Only this file prints
 * diagnostics and chooses the exit status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adthresh/app.h"
#include "adthresh/batch.h"
#include "adthresh/error.h"
#include "adthresh/gate.h"
#include "adthresh/imagefile.h"
#include "adthresh/read.h"
#include "adthresh/report.h"
#include "adthresh/version.h"
#include "cli.h"

enum { EXIT_OK = 0, EXIT_GATE = 1, EXIT_ERROR = 2 };

static void print_error(const struct adt_error *err)
{
	if (err->file[0] && err->line)
		fprintf(stderr, "adthresh: %s:%lu: %s\n", err->file, err->line, err->msg);
	else if (err->file[0])
		fprintf(stderr, "adthresh: %s: %s\n", err->file, err->msg);
	else
		fprintf(stderr, "adthresh: %s\n", err->msg);
}

/* Prints err; a usage error also points to --help. */
static void report_error(const struct adt_error *err)
{
	print_error(err);
	if (err->code == ADT_EUSAGE)
		fputs("Try 'adthresh --help' for more information.\n", stderr);
}

static int usage_error(const struct adt_error *err)
{
	if (err->msg[0]) /* else getopt_long has said it */
		print_error(err);
	fputs("Try 'adthresh --help' for more information.\n", stderr);
	return EXIT_ERROR;
}

/* Flushes and closes a result stream; a failed write is an error. */
static int close_output(FILE *f, const char *name)
{
	int bad = ferror(f);
	int e = errno;

	if (fclose(f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		fprintf(stderr, "adthresh: %s: write error: %s\n", name, strerror(e));
		return -1;
	}
	return 0;
}

/* Prints what an evaluation had to say besides its result. */
static void print_messages(const struct adt_outcome *o, int quiet, int verbose)
{
	for (size_t i = 0; !quiet && i < o->warnings.n; i++)
		fprintf(stderr, "adthresh: warning: %s\n", o->warnings.text[i]);
	for (size_t i = 0; verbose && i < o->notes.n; i++)
		fprintf(stderr, "adthresh: %s\n", o->notes.text[i]);
}

/* Opens the output only once there is a result to put in it, writes it
 * and closes it; write errors are errors. */
static int write_report(const struct adt_cli *cli, const struct adt_report *rep)
{
	FILE *out = stdout;
	struct adt_error err;

	adt_error_init(&err);
	if (cli->output && strcmp(cli->output, "-") != 0) {
		out = fopen(cli->output, "w");
		if (!out) {
			fprintf(stderr, "adthresh: %s: cannot open for writing: %s\n", cli->output,
				strerror(errno));
			return -1;
		}
	}
	adt_report_write(out, cli->out_format, rep, &err);
	return close_output(out, out == stdout ? "standard output" : cli->output);
}

/* The evaluation the options describe. */
static void job_of(const struct adt_cli *cli, struct adt_job *job)
{
	memset(job, 0, sizeof(*job));
	job->scores = !cli->maps || cli->input_given ? cli->input : NULL;
	job->maps = cli->maps;
	job->masks = cli->masks;
	job->output = cli->output;
	job->read = cli->read;
	job->image = cli->eval;
	job->pixel = cli->eval;
	job->pixels = cli->pixel;
	job->verbose = cli->verbose;
}

/* Reads --thresholds FILE.  Prints any error. */
static int load_thresholds(const struct adt_cli *cli, struct adt_thresholds *t)
{
	struct adt_error err;
	char *buf;
	size_t len;
	int ret;

	adt_error_init(&err);
	if (adt_slurp_file(cli->thresholds, &buf, &len, &err)) {
		adt_error_set_file(&err, cli->thresholds);
		print_error(&err);
		return -1;
	}
	ret = adt_read_thresholds_mem(buf, len, cli->thresholds, t, &err);
	free(buf);
	if (ret == 0 && t->batch != cli->batch) {
		adt_thresholds_release(t);
		adt_error_at(&err, ADT_EUSAGE, cli->thresholds, 0,
			     t->batch ? "holds the thresholds of a batch; use it with --batch"
				      : "holds the thresholds of a single run, not of a batch");
		ret = -1;
	}
	if (ret)
		report_error(&err);
	else if (t->rule != cli->eval.rule && !cli->quiet)
		fprintf(stderr,
			"adthresh: warning: %s: the thresholds were chosen with score %s threshold "
			"and are applied with %s\n",
			cli->thresholds, t->rule == ADT_RULE_GT ? ">" : ">=",
			cli->eval.rule == ADT_RULE_GT ? ">" : ">=");
	return ret;
}

/* The thresholds for one category (NULL: a single run) from the file and
 * the options; the options win. */
static void thresholds_for(const struct adt_cli *cli, const struct adt_thresholds *t,
			   const char *category, struct adt_batch_given *g)
{
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; t && i < t->n; i++) {
		if (category && (!t->v[i].category || strcmp(t->v[i].category, category)))
			continue;
		if (t->v[i].pixel) {
			g->has_pixel = 1;
			g->pixel = t->v[i].value;
		} else {
			g->has_image = 1;
			g->image = t->v[i].value;
		}
	}
	if (cli->has_image_threshold) {
		g->has_image = 1;
		g->image = cli->image_threshold;
	}
	if (cli->has_pixel_threshold) {
		g->has_pixel = 1;
		g->pixel = cli->pixel_threshold;
	}
}

/* Writes --save-thresholds; prints any error. */
static int save_thresholds(const struct adt_cli *cli, const struct adt_batch_entry *e, size_t n)
{
	struct adt_error err;
	FILE *f = fopen(cli->save_thresholds, "w");

	adt_error_init(&err);
	if (!f) {
		fprintf(stderr, "adthresh: %s: cannot open for writing: %s\n", cli->save_thresholds,
			strerror(errno));
		return -1;
	}
	adt_thresholds_write(f, e, n, cli->batch, &err);
	return close_output(f, cli->save_thresholds);
}

static void print_unmet(void *ctx, const char *message)
{
	(void)ctx;
	fprintf(stderr, "adthresh: gate not met: %s\n", message);
}

/* Checks --fail-under: EXIT_OK, EXIT_GATE, or EXIT_ERROR for a gate that
 * names what the run does not have. */
static int check_gates(const struct adt_cli *cli, const struct adt_batch_entry *e, size_t n)
{
	struct adt_gates g = {NULL, 0};
	struct adt_error err;
	int unmet;

	if (!cli->fail_under)
		return EXIT_OK;
	adt_error_init(&err);
	if (adt_gates_parse(cli->fail_under, cli->batch, &g, &err)) {
		adt_gates_release(&g);
		report_error(&err);
		return EXIT_ERROR;
	}
	unmet = adt_gates_check(&g, e, n, cli->batch, print_unmet, NULL, &err);
	adt_gates_release(&g);
	if (unmet < 0) {
		report_error(&err);
		return EXIT_ERROR;
	}
	return unmet ? EXIT_GATE : EXIT_OK;
}

/* Checks the gates' syntax before any work is done. */
static int gates_ok(const struct adt_cli *cli)
{
	struct adt_gates g = {NULL, 0};
	struct adt_error err;
	int ret = 0;

	adt_error_init(&err);
	if (cli->fail_under && adt_gates_parse(cli->fail_under, cli->batch, &g, &err)) {
		report_error(&err);
		ret = -1;
	}
	adt_gates_release(&g);
	return ret;
}

static int run(const struct adt_cli *cli)
{
	struct adt_job job;
	struct adt_outcome *out = malloc(sizeof(*out));
	struct adt_report rep = {NULL, NULL, "f1"};
	struct adt_thresholds t = {NULL, 0, 0, ADT_RULE_GE};
	struct adt_batch_given g;
	struct adt_batch_entry entry = {NULL, NULL, NULL, NULL};
	struct adt_error err;
	int status = EXIT_ERROR;

	if (!out) {
		fputs("adthresh: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	adt_error_init(&err);
	if (gates_ok(cli) || (cli->thresholds && load_thresholds(cli, &t)))
		goto out;
	job_of(cli, &job);
	thresholds_for(cli, cli->thresholds ? &t : NULL, NULL, &g);
	job.image.has_threshold = g.has_image;
	job.image.threshold = g.image;
	job.pixel.has_threshold = g.has_pixel;
	job.pixel.threshold = g.pixel;
	if (adt_evaluate(&job, out, &err)) {
		print_messages(out, cli->quiet, cli->verbose);
		report_error(&err);
		goto out;
	}
	print_messages(out, cli->quiet, cli->verbose);
	rep.image = entry.image = out->has_image ? &out->image : NULL;
	rep.pixel = entry.pixel = out->has_pixel ? &out->pixel : NULL;
	if (cli->save_thresholds && save_thresholds(cli, &entry, 1))
		goto out;
	if (write_report(cli, &rep) == 0)
		status = check_gates(cli, &entry, 1);
out:
	adt_thresholds_release(&t);
	free(out);
	return status;
}

/* Progress of a batch on a terminal: one line, rewritten. */
static void show_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	fprintf(stderr, "\radthresh: %zu of %zu categories done", done, total);
	if (done == total)
		fputs("\n", stderr);
}

static int run_batch(const struct adt_cli *cli)
{
	struct adt_categories cats = {NULL, 0};
	struct adt_thresholds t = {NULL, 0, 0, ADT_RULE_GE};
	struct adt_outcome *out = NULL;
	struct adt_error *errs = NULL, err;
	struct adt_batch_entry *e = NULL;
	struct adt_batch_given *given = NULL;
	char(*why)[1600] = NULL;
	struct adt_job job;
	int *ok = NULL, status = EXIT_ERROR, failed = 0;
	FILE *f = stdout;

	adt_error_init(&err);
	if (gates_ok(cli) || (cli->thresholds && load_thresholds(cli, &t)))
		goto out;
	if (adt_categories_list(cli->maps, cli->masks, cli->maps ? NULL : cli->input, &cats,
				&err)) {
		report_error(&err);
		goto out;
	}
	out = calloc(cats.n, sizeof(*out));
	errs = calloc(cats.n, sizeof(*errs));
	e = calloc(cats.n, sizeof(*e));
	given = calloc(cats.n, sizeof(*given));
	ok = calloc(cats.n, sizeof(*ok));
	why = calloc(cats.n, sizeof(*why));
	if (!out || !errs || !e || !given || !ok || !why) {
		fputs("adthresh: out of memory\n", stderr);
		goto out;
	}
	job_of(cli, &job);
	for (size_t i = 0; i < cats.n; i++)
		thresholds_for(cli, cli->thresholds ? &t : NULL, cats.v[i].name, &given[i]);
	adt_batch_run(&cats, &job, given, cli->pixel.threads, out, errs, ok,
		      isatty(STDERR_FILENO) && !cli->quiet ? show_progress : NULL, NULL);
	for (size_t i = 0; i < cats.n; i++) {
		for (size_t k = 0; !cli->quiet && k < out[i].warnings.n; k++)
			fprintf(stderr, "adthresh: warning: %s: %s\n", cats.v[i].name,
				out[i].warnings.text[k]);
		for (size_t k = 0; cli->verbose && k < out[i].notes.n; k++)
			fprintf(stderr, "adthresh: %s: %s\n", cats.v[i].name, out[i].notes.text[k]);
		e[i].name = cats.v[i].name;
		e[i].image = ok[i] && out[i].has_image ? &out[i].image : NULL;
		e[i].pixel = ok[i] && out[i].has_pixel ? &out[i].pixel : NULL;
		if (!ok[i]) {
			/* The message as on stderr, with its file and line. */
			if (errs[i].file[0] && errs[i].line)
				snprintf(why[i], sizeof(why[i]), "%s:%lu: %s", errs[i].file,
					 errs[i].line, errs[i].msg);
			else if (errs[i].file[0])
				snprintf(why[i], sizeof(why[i]), "%s: %s", errs[i].file,
					 errs[i].msg);
			else
				snprintf(why[i], sizeof(why[i]), "%s", errs[i].msg);
			e[i].error = why[i];
			fprintf(stderr, "adthresh: category %s: %s\n", cats.v[i].name, why[i]);
			failed++;
		}
	}
	if (failed && !cli->keep_going)
		goto out;
	if (cli->save_thresholds && save_thresholds(cli, e, cats.n))
		goto out;
	if (cli->output && strcmp(cli->output, "-") != 0) {
		f = fopen(cli->output, "w");
		if (!f) {
			fprintf(stderr, "adthresh: %s: cannot open for writing: %s\n", cli->output,
				strerror(errno));
			goto out;
		}
	}
	adt_report_write_batch(f, cli->out_format, e, cats.n, "f1", &err);
	if (close_output(f, f == stdout ? "standard output" : cli->output) == 0)
		status = failed ? EXIT_ERROR : check_gates(cli, e, cats.n);
out:
	free(out);
	free(errs);
	free(e);
	free(given);
	free(ok);
	free(why);
	adt_categories_release(&cats);
	adt_thresholds_release(&t);
	return status;
}

int main(int argc, char **argv)
{
	struct adt_cli cli;
	struct adt_error err;

	adt_error_init(&err);
	if (adt_cli_parse(argc, argv, &cli, &err))
		return usage_error(&err);
	if (cli.help || cli.version) {
		if (cli.help)
			adt_cli_help(stdout);
		else
			printf("adthresh %s\n", ADTHRESH_VERSION);
		return close_output(stdout, "standard output") ? EXIT_ERROR : EXIT_OK;
	}
	return cli.batch ? run_batch(&cli) : run(&cli);
}
