/* adthresh: the program around libadthresh.  Only this file prints
 * diagnostics and chooses the exit status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adthresh/app.h"
#include "adthresh/error.h"
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

static int run(const struct adt_cli *cli)
{
	struct adt_job job;
	struct adt_outcome *out = malloc(sizeof(*out));
	struct adt_report rep = {NULL, NULL, "f1"};
	struct adt_error err;
	int status = EXIT_ERROR;

	if (!out) {
		fputs("adthresh: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	adt_error_init(&err);
	job_of(cli, &job);
	if (adt_evaluate(&job, out, &err)) {
		print_messages(out, cli->quiet, cli->verbose);
		report_error(&err);
		goto out;
	}
	print_messages(out, cli->quiet, cli->verbose);
	rep.image = out->has_image ? &out->image : NULL;
	rep.pixel = out->has_pixel ? &out->pixel : NULL;
	if (write_report(cli, &rep) == 0)
		status = EXIT_OK;
out:
	free(out);
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
	return run(&cli);
}
