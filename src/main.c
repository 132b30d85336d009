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
#include "adthresh/curves.h"
#include "adthresh/error.h"
#include "adthresh/gate.h"
#include "adthresh/imagefile.h"
#include "adthresh/plot.h"
#include "adthresh/report.h"
#include "adthresh/thresholds.h"
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
	job->output[0] = cli->output;
	job->output[1] = cli->save_thresholds;
	job->output[2] = cli->curves;
	job->output[3] = cli->plot;
	/* A plot alone needs only the points that show. */
	job->curves = cli->curves ? ADT_RECORD_ALL : cli->plot ? ADT_RECORD_PLOT : ADT_RECORD_NONE;
	job->per_defect = cli->per_defect;
	job->read = cli->read;
	job->image = cli->eval;
	job->pixel = cli->eval;
	job->pixel.policy = cli->pixel_policy;
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
		adt_error_at(&err, ADT_EUSAGE, cli->thresholds, 0,
			     t->batch ? "holds the thresholds of a batch; use it with --batch"
				      : "holds the thresholds of a single run, not of a batch");
		adt_thresholds_release(t);
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

/* The curves of the outcomes as plot groups (names NULL for a single
 * run; failed categories left out, *ng the number kept); groups and
 * curves are allocated together, freed by the caller. */
static struct adt_plot_group *plot_groups(const struct adt_batch_entry *e,
					  const struct adt_outcome *out, size_t n, int batch,
					  size_t *ng)
{
	struct adt_plot_group *g =
	    calloc(n ? n : 1, sizeof(*g) + 2 * sizeof(struct adt_plot_curve));
	struct adt_plot_curve *c;

	*ng = 0;
	if (!g)
		return NULL;
	c = (struct adt_plot_curve *)(g + (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r[2] = {e[i].image, e[i].pixel};
		struct adt_plot_group *k = &g[*ng];

		if (e[i].error || (!r[0] && !r[1]))
			continue;
		k->name = batch ? e[i].name : NULL;
		k->c = c;
		for (int l = 0; l < 2; l++) {
			if (!r[l])
				continue;
			*c++ = (struct adt_plot_curve){l ? "pixel" : "image", &out[i].curve[l],
						       r[l]->positives, r[l]->negatives, r[l]};
			k->n++;
		}
		++*ng;
	}
	return g;
}

/* Writes --curves and --plot; prints any error. */
static int write_curves(const struct adt_cli *cli, const struct adt_batch_entry *e,
			const struct adt_outcome *out, size_t n)
{
	const char *name[2] = {cli->curves, cli->plot};
	struct adt_plot_group *g;
	size_t ng;
	int ret = 0;

	if (!cli->curves && !cli->plot)
		return 0;
	g = plot_groups(e, out, n, cli->batch, &ng);
	if (!g) {
		fputs("adthresh: out of memory\n", stderr);
		return -1;
	}
	for (int k = 0; k < 2 && ret == 0; k++) {
		struct adt_error err;
		FILE *f;

		if (!name[k])
			continue;
		adt_error_init(&err);
		f = strcmp(name[k], "-") == 0 ? stdout : fopen(name[k], "w");
		if (!f) {
			fprintf(stderr, "adthresh: %s: cannot open for writing: %s\n", name[k],
				strerror(errno));
			ret = -1;
			break;
		}
		if (k == 0)
			ret = adt_curves_write(f, g, ng, (size_t)cli->curve_points, &err);
		else
			ret = adt_plot_write(f, g, ng, &err);
		if (ret && err.code != ADT_EIO) {
			/* Not a write error: say what, and leave no half file. */
			adt_error_set_file(&err, name[k]);
			print_error(&err);
			if (f != stdout) {
				fclose(f);
				remove(name[k]);
			}
			break;
		}
		ret = close_output(f, f == stdout ? "standard output" : name[k]);
	}
	free(g);
	return ret;
}

/* Unmet gates, kept to be printed after the report. */
struct unmet {
	char line[32][300];
	size_t n, more;
};

static void collect_unmet(void *ctx, const char *message)
{
	struct unmet *u = ctx;

	if (u->n < 32)
		snprintf(u->line[u->n++], sizeof(u->line[0]), "%s", message);
	else
		u->more++;
}

/* Evaluates --fail-under before anything is written: returns the number
 * of unmet gates (kept in u), or -1 after printing why a gate cannot be
 * checked (it names a level or category the run does not have). */
static int eval_gates(const struct adt_cli *cli, const struct adt_batch_entry *e, size_t n,
		      struct unmet *u)
{
	struct adt_gates g = {NULL, 0};
	struct adt_error err;
	int ret;

	memset(u, 0, sizeof(*u));
	if (!cli->fail_under)
		return 0;
	adt_error_init(&err);
	if (adt_gates_parse(cli->fail_under, cli->batch, &g, &err) == 0)
		ret = adt_gates_check(&g, e, n, cli->batch, collect_unmet, u, &err);
	else
		ret = -1;
	adt_gates_release(&g);
	if (ret < 0)
		report_error(&err);
	return ret;
}

static int print_unmet(const struct unmet *u)
{
	for (size_t i = 0; i < u->n; i++)
		fprintf(stderr, "adthresh: gate not met: %s\n", u->line[i]);
	if (u->more)
		fprintf(stderr, "adthresh: %zu more gates not met\n", u->more);
	return u->n ? EXIT_GATE : EXIT_OK;
}

/* Checks the gates' syntax before any work is done, and in a batch that
 * every category a gate names exists. */
static int gates_ok(const struct adt_cli *cli, const struct adt_categories *cats)
{
	struct adt_gates g = {NULL, 0};
	struct adt_error err;
	int ret = 0;

	adt_error_init(&err);
	if (cli->fail_under && adt_gates_parse(cli->fail_under, cli->batch, &g, &err))
		ret = -1;
	for (size_t k = 0; ret == 0 && cats && k < g.n; k++) {
		const char *scope = g.v[k].scope;
		size_t i = 0;

		if (strcmp(scope, "mean") == 0 || strcmp(scope, "*") == 0)
			continue;
		while (i < cats->n && strcmp(cats->v[i].name, scope) != 0)
			i++;
		if (i == cats->n)
			ret = adt_error_set(&err, ADT_EUSAGE, "gate '%s': no category '%s'",
					    g.v[k].text, scope);
	}
	/* A gate on a metric the options do not ask for could never hold. */
	for (size_t k = 0; ret == 0 && k < g.n; k++) {
		if (strcmp(g.v[k].field, "aupro") == 0 && !(cli->eval.aupro_limit > 0))
			ret =
			    adt_error_set(&err, ADT_EUSAGE, "gate '%s' needs --aupro", g.v[k].text);
		else if (strcmp(g.v[k].field, "pauroc") == 0 && !(cli->eval.max_fpr > 0))
			ret = adt_error_set(&err, ADT_EUSAGE, "gate '%s' needs --max-fpr",
					    g.v[k].text);
	}
	adt_gates_release(&g);
	if (ret)
		report_error(&err);
	return ret;
}

/* Whether two output paths name one file, even before either exists:
 * the same file, or the same name in the same folder. */
static int same_target(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	char da[4096], db[4096];

	if (strcmp(a, b) == 0 || adt_same_file(a, b))
		return 1;
	if (strcmp(sa ? sa + 1 : a, sb ? sb + 1 : b) != 0)
		return 0;
	snprintf(da, sizeof(da), "%.*s", sa ? (int)(sa - a) + 1 : 1, sa ? a : ".");
	snprintf(db, sizeof(db), "%.*s", sb ? (int)(sb - b) + 1 : 1, sb ? b : ".");
	return adt_same_file(da, db);
}

/* Two of the files the run reads or writes (-o, --save-thresholds,
 * --thresholds, --curves, --plot) must not be one file. */
static int files_ok(const struct adt_cli *cli)
{
	const char *f[5] = {cli->output, cli->save_thresholds, cli->thresholds, cli->curves,
			    cli->plot};
	const char *what[5] = {"-o", "--save-thresholds", "--thresholds", "--curves", "--plot"};

	for (int i = 0; i < 5; i++) {
		for (int j = i + 1; j < 5; j++) {
			if (!f[i] || !f[j] || strcmp(f[i], "-") == 0 || strcmp(f[j], "-") == 0)
				continue;
			if (same_target(f[i], f[j])) {
				fprintf(stderr, "adthresh: %s: given to both %s and %s\n", f[j],
					what[i], what[j]);
				fputs("Try 'adthresh --help' for more information.\n", stderr);
				return -1;
			}
		}
	}
	return 0;
}

/* With --thresholds, every level the run has must have one (from the file
 * or an option): choosing on the evaluated data instead would leak it. */
static int thresholds_complete(const struct adt_cli *cli, const struct adt_batch_given *g,
			       const char *category)
{
	const char *missing = NULL;

	if (!cli->thresholds)
		return 0;
	if (!g->has_image)
		missing = "image";
	else if (cli->maps && !g->has_pixel)
		missing = "pixel";
	if (!missing)
		return 0;
	fprintf(stderr, "adthresh: %s: no %s threshold%s%s\n", cli->thresholds, missing,
		category ? " for category " : "", category ? category : "");
	return -1;
}

static int run(const struct adt_cli *cli)
{
	struct adt_job job;
	struct adt_outcome *out = calloc(1, sizeof(*out)); /* released on every path */
	struct adt_report rep = {NULL, NULL, "f1", NULL};
	struct adt_thresholds t = {NULL, 0, 0, ADT_RULE_GE};
	struct adt_batch_given g;
	struct adt_batch_entry entry = {NULL, NULL, NULL, NULL, NULL};
	struct unmet *u = malloc(sizeof(*u));
	struct adt_error err;
	int status = EXIT_ERROR;

	if (!out || !u) {
		fputs("adthresh: out of memory\n", stderr);
		goto out;
	}
	adt_error_init(&err);
	if (files_ok(cli) || gates_ok(cli, NULL) || (cli->thresholds && load_thresholds(cli, &t)))
		goto out;
	job_of(cli, &job);
	thresholds_for(cli, cli->thresholds ? &t : NULL, NULL, &g);
	if (thresholds_complete(cli, &g, NULL))
		goto out;
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
	out->image.normalize = out->pixel.normalize = cli->normalize;
	rep.image = entry.image = out->has_image ? &out->image : NULL;
	rep.pixel = entry.pixel = out->has_pixel ? &out->pixel : NULL;
	rep.defects = entry.defects = cli->per_defect ? &out->defects : NULL;
	/* Gates that cannot be checked stop the run before anything is written. */
	if (eval_gates(cli, &entry, 1, u) < 0)
		goto out;
	if (cli->save_thresholds && save_thresholds(cli, &entry, 1))
		goto out;
	if (write_curves(cli, &entry, out, 1))
		goto out;
	if (write_report(cli, &rep) == 0)
		status = print_unmet(u);
out:
	adt_thresholds_release(&t);
	if (out)
		adt_outcome_release(out);
	free(out);
	free(u);
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

/* Leaves out of an image-only batch the files this run reads or writes
 * besides the scores (a thresholds file saved in the same folder). */
static void drop_own_files(const struct adt_cli *cli, struct adt_categories *cats)
{
	size_t k = 0;

	for (size_t i = 0; i < cats->n; i++) {
		struct adt_category *c = &cats->v[i];

		if (!cli->maps && (adt_same_file(c->scores, cli->output) ||
				   adt_same_file(c->scores, cli->save_thresholds) ||
				   adt_same_file(c->scores, cli->thresholds))) {
			free(c->name);
			free(c->scores);
			continue;
		}
		cats->v[k++] = *c;
	}
	cats->n = k;
}

/* Warns about categories of the thresholds file that the run lacks. */
static void warn_unused_thresholds(const struct adt_cli *cli, const struct adt_thresholds *t,
				   const struct adt_categories *cats)
{
	for (size_t k = 0; !cli->quiet && k < t->n; k++) {
		size_t i = 0;

		if (k > 0 && t->v[k - 1].category && t->v[k].category &&
		    strcmp(t->v[k - 1].category, t->v[k].category) == 0)
			continue;
		while (i < cats->n && strcmp(cats->v[i].name, t->v[k].category) != 0)
			i++;
		if (i == cats->n)
			fprintf(stderr,
				"adthresh: warning: %s: category '%s' is not in this run; its "
				"thresholds are not used\n",
				cli->thresholds, t->v[k].category);
	}
}

/* The message of a failed category as on stderr, with file and line. */
static void failure_text(char *buf, size_t size, const struct adt_error *err)
{
	if (err->file[0] && err->line)
		snprintf(buf, size, "%s:%lu: %s", err->file, err->line, err->msg);
	else if (err->file[0])
		snprintf(buf, size, "%s: %s", err->file, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
}

static int run_batch(const struct adt_cli *cli)
{
	struct adt_categories cats = {NULL, 0};
	struct adt_thresholds t = {NULL, 0, 0, ADT_RULE_GE};
	struct adt_outcome *out = NULL;
	struct adt_error *errs = NULL, err;
	struct adt_batch_entry *e = NULL;
	struct adt_batch_given *given = NULL;
	struct unmet *u = malloc(sizeof(*u));
	char(*why)[1600] = NULL;
	struct adt_job job;
	int *ok = NULL, status = EXIT_ERROR, failed = 0, fatal = 0;
	FILE *f = stdout;

	adt_error_init(&err);
	if (!u || files_ok(cli) || gates_ok(cli, NULL) ||
	    (cli->thresholds && load_thresholds(cli, &t)))
		goto out;
	if (adt_categories_list(cli->maps, cli->masks, cli->maps ? NULL : cli->input, &cats,
				&err)) {
		report_error(&err);
		goto out;
	}
	drop_own_files(cli, &cats);
	if (gates_ok(cli, &cats))
		goto out;
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
	for (size_t i = 0; i < cats.n; i++) {
		thresholds_for(cli, cli->thresholds ? &t : NULL, cats.v[i].name, &given[i]);
		if (thresholds_complete(cli, &given[i], cats.v[i].name))
			goto out;
	}
	if (cli->thresholds)
		warn_unused_thresholds(cli, &t, &cats);
	adt_batch_run(&cats, &job, given, cli->pixel.threads, !cli->keep_going, out, errs, ok,
		      isatty(STDERR_FILENO) && !cli->quiet ? show_progress : NULL, NULL);
	for (size_t i = 0; i < cats.n; i++) {
		for (size_t k = 0; !cli->quiet && k < out[i].warnings.n; k++)
			fprintf(stderr, "adthresh: warning: %s: %s\n", cats.v[i].name,
				out[i].warnings.text[k]);
		for (size_t k = 0; cli->verbose && k < out[i].notes.n; k++)
			fprintf(stderr, "adthresh: %s: %s\n", cats.v[i].name, out[i].notes.text[k]);
		e[i].name = cats.v[i].name;
		out[i].image.normalize = out[i].pixel.normalize = cli->normalize;
		e[i].image = ok[i] && out[i].has_image ? &out[i].image : NULL;
		e[i].pixel = ok[i] && out[i].has_pixel ? &out[i].pixel : NULL;
		e[i].defects = ok[i] && cli->per_defect ? &out[i].defects : NULL;
		if (ok[i] || errs[i].code == ADT_EOK) /* evaluated, or never started */
			continue;
		failure_text(why[i], sizeof(why[i]), &errs[i]);
		e[i].error = why[i];
		/* An output that is an input stops the run, --keep-going or not. */
		fatal |= errs[i].code == ADT_EUSAGE;
		/* Without --keep-going the first failure (in name order) is it. */
		if (cli->keep_going || failed == 0)
			fprintf(stderr, "adthresh: category %s: %s\n", cats.v[i].name, why[i]);
		failed++;
	}
	if (fatal || (failed && !cli->keep_going) || eval_gates(cli, e, cats.n, u) < 0)
		goto out;
	if (cli->save_thresholds && save_thresholds(cli, e, cats.n))
		goto out;
	if (write_curves(cli, e, out, cats.n))
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
	if (close_output(f, f == stdout ? "standard output" : cli->output) == 0) {
		status = print_unmet(u);
		if (failed)
			status = EXIT_ERROR;
	}
out:
	for (size_t i = 0; out && i < cats.n; i++)
		adt_outcome_release(&out[i]);
	free(out);
	free(errs);
	free(e);
	free(given);
	free(ok);
	free(why);
	free(u);
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
