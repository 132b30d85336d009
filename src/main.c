/* adthresh: the program around libadthresh.  It parses the options,
 * runs the job, prints what the run had to say, writes the outputs and
 * chooses the exit status; the evaluation and its policy are the
 * library's (run.h). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "adthresh/error.h"
#include "adthresh/format.h"
#include "adthresh/output.h"
#include "adthresh/run.h"
#include "adthresh/version.h"
#include "cli.h"

enum { EXIT_OK = 0, EXIT_GATE = 1, EXIT_ERROR = 2 };

/* Unmet gates printed one by one before the rest are counted. */
enum { UNMET_SHOWN = 32 };

/* Every message is one line: the names and values in it can hold any
 * byte, so control characters are escaped (adt_format_line). */
static void say(const char *kind, const char *text)
{
	fprintf(stderr, "adthresh: %s", kind);
	adt_format_line(stderr, text);
	fputc('\n', stderr);
}

static void print_error(const struct adt_error *err)
{
	fputs("adthresh: ", stderr);
	if (err->file[0]) {
		adt_format_line(stderr, err->file);
		if (err->line)
			fprintf(stderr, ":%lu", err->line);
		fputs(": ", stderr);
	}
	adt_format_line(stderr, err->msg);
	fputc('\n', stderr);
}

/* Prints err; a usage error also points to --help. */
static void report_error(const struct adt_error *err)
{
	if (err->msg[0]) /* else getopt_long has said it */
		print_error(err);
	if (err->code == ADT_EUSAGE)
		fputs("Try 'adthresh --help' for more information.\n", stderr);
}

/* Prints what the run had to say besides its result. */
static void print_messages(const struct adt_messages *m, int quiet, int verbose)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct adt_message *k = &m->v[i];

		if (k->kind == ADT_MSG_WARNING && !quiet)
			say("warning: ", k->text);
		else if ((k->kind == ADT_MSG_NOTE && verbose) || k->kind == ADT_MSG_ERROR)
			say("", k->text);
	}
	if (m->lost)
		fprintf(stderr, "adthresh: %zu more messages lost (out of memory)\n", m->lost);
}

/* Progress of a batch on a terminal: one line, rewritten.  ctx keeps
 * whether the line is still open. */
static void show_progress(void *ctx, size_t done, size_t total)
{
	int *open = ctx;

	fprintf(stderr, "\radthresh: %zu of %zu categories done", done, total);
	*open = done < total;
	if (!*open)
		fputs("\n", stderr);
}

/* The temporary files being written, removed when a signal ends the
 * program (unlink is safe in a signal handler). */
static const char *volatile temporary[ADT_OUTPUTS];

static void remove_temporaries(int sig)
{
	for (int k = 0; k < ADT_OUTPUTS; k++) {
		if (temporary[k])
			unlink(temporary[k]);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* An interrupt, or a reader that closed its pipe (`| head`), ends the
 * program as usual, but removes the temporary files first. */
static void handle_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], remove_temporaries);
}

/* The job the options describe. */
static void job_of(const struct adt_cli *cli, struct adt_run_job *job)
{
	adt_run_job_init(job);
	job->batch = cli->batch;
	job->keep_going = cli->keep_going;
	job->scores = !cli->maps || cli->input_given ? cli->input : NULL;
	job->maps = cli->maps;
	job->masks = cli->masks;
	job->map_maxima = cli->map_maxima;
	/* A plot alone needs only the points that show. */
	job->eval.curves = cli->curves ? ADT_RECORD_ALL
			   : cli->plot ? ADT_RECORD_PLOT
				       : ADT_RECORD_NONE;
	job->eval.per_defect = cli->per_defect;
	job->eval.per_image = cli->per_image != NULL;
	job->eval.read = cli->read;
	job->eval.image = cli->eval;
	job->eval.pixel = cli->eval;
	job->eval.pixel.policy = cli->pixel_policy;
	job->eval.pixel.compare = cli->pixel_compare;
	job->eval.pixels = cli->pixel;
	job->eval.verbose = cli->verbose;
	job->normalize = cli->normalize;
	job->thresholds = cli->thresholds;
	job->has_threshold[0] = cli->has_image_threshold;
	job->threshold[0] = cli->image_threshold;
	job->has_threshold[1] = cli->has_pixel_threshold;
	job->threshold[1] = cli->pixel_threshold;
	job->gates = cli->fail_under;
	job->gate = cli->gate;
	job->ngate = cli->ngate;
	job->output[ADT_OUTPUT_REPORT] = cli->output ? cli->output : "-";
	job->output[ADT_OUTPUT_THRESHOLDS] = cli->save_thresholds;
	job->output[ADT_OUTPUT_CURVES] = cli->curves;
	job->output[ADT_OUTPUT_PLOT] = cli->plot;
	job->output[ADT_OUTPUT_PER_IMAGE] = cli->per_image;
	if (cli->batch && isatty(STDERR_FILENO) && !cli->quiet)
		job->progress = show_progress;
}

/* Writes every output, all or nothing: each is opened first, the files
 * are written to temporary files, standard output last, and the files
 * are renamed into place only when all went well.  Prints any error. */
static int write_outputs(const struct adt_cli *cli, const struct adt_run_job *job,
			 const struct adt_result *res)
{
	struct adt_output o[ADT_OUTPUTS];
	struct adt_write_opts wo = {(int)cli->out_format, (size_t)cli->curve_points};
	struct adt_error err;
	enum adt_output_kind order[ADT_OUTPUTS];
	size_t n = 0, i;
	int ret = -1;

	memset(o, 0, sizeof(o));
	adt_error_init(&err);
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < ADT_OUTPUTS; k++) {
			const char *path = job->output[k];

			if (path && (strcmp(path, "-") == 0) == pass)
				order[n++] = (enum adt_output_kind)k;
		}
	}
	for (i = 0; i < n; i++) {
		if (adt_output_open(&o[order[i]], job->output[order[i]], &err))
			goto out;
		temporary[order[i]] = o[order[i]].tmp;
	}
	for (i = 0; i < n; i++) {
		struct adt_output *k = &o[order[i]];

		/* A failed write shows when the stream is closed. */
		if (adt_output_write(k->f, order[i], res, &wo, &err) && err.code != ADT_EIO) {
			adt_error_set_file(&err, k->path);
			goto out;
		}
		if (adt_output_close(k, &err))
			goto out;
	}
	for (i = 0; i < n; i++) {
		if (adt_output_commit(&o[order[i]], &err))
			goto out;
	}
	ret = 0;
out:
	if (ret)
		print_error(&err);
	for (i = 0; i < n; i++) {
		temporary[order[i]] = NULL;
		adt_output_abort(&o[order[i]]);
	}
	return ret;
}

static int run(const struct adt_cli *cli)
{
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	int status = EXIT_ERROR, ret, progress_open = 0;

	job_of(cli, &job);
	job.ctx = &progress_open;
	adt_result_init(&res);
	adt_error_init(&err);
	handle_signals();
	ret = adt_run(&job, &res, &err);
	if (progress_open) /* a batch that stopped early */
		fputs("\n", stderr);
	print_messages(&res.msgs, cli->quiet, cli->verbose);
	if (ret) {
		report_error(&err);
	} else if (res.complete && write_outputs(cli, &job, &res) == 0) {
		size_t shown = 0;

		for (; shown < res.unmet.n && shown < UNMET_SHOWN; shown++)
			say("gate not met: ", res.unmet.v[shown].text);
		if (res.gates_unmet > shown)
			fprintf(stderr, "adthresh: %zu more gates not met\n",
				res.gates_unmet - shown);
		status = res.failed ? EXIT_ERROR : res.gates_unmet ? EXIT_GATE : EXIT_OK;
	}
	adt_result_release(&res);
	return status;
}

/* Flushes and closes standard output; a failed write is an error. */
static int close_stdout(void)
{
	struct adt_output o = {"-", stdout, NULL, NULL};
	struct adt_error err;

	adt_error_init(&err);
	if (adt_output_close(&o, &err) == 0)
		return EXIT_OK;
	print_error(&err);
	return EXIT_ERROR;
}

/* The program's version, then the libraries' it runs with. */
static void print_version(void)
{
	char libs[ADT_VERSION_LIBRARIES_SIZE];

	adt_version_libraries(libs, sizeof(libs));
	printf("adthresh %s\nlibraries: %s\n", ADTHRESH_VERSION, libs);
}

int main(int argc, char **argv)
{
	struct adt_cli cli;
	struct adt_error err;

	int status;

	adt_error_init(&err);
	if (adt_cli_parse(argc, argv, &cli, &err)) {
		err.code = ADT_EUSAGE;
		report_error(&err);
		status = EXIT_ERROR;
	} else if (cli.help || cli.version) {
		if (cli.help)
			adt_cli_help(stdout);
		else
			print_version();
		status = close_stdout();
	} else {
		status = run(&cli);
	}
	adt_cli_release(&cli);
	return status;
}
