/* adthresh: the program around libadthresh.  Only this file prints
 * diagnostics and chooses the exit status. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "adthresh/error.h"
#include "adthresh/eval.h"
#include "adthresh/read.h"
#include "adthresh/report.h"
#include "adthresh/samples.h"
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

static int usage_error(const struct adt_error *err)
{
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

/* Whether path names the same file as the input (never overwrite input). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(b, "-") == 0 || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void warn_one_class(const char *level, const struct adt_level_result *r)
{
	fprintf(stderr,
		"adthresh: warning: %s level has only %s samples (%llu); threshold = %s score "
		"(anomalib's fallback), undefined metrics are n/a\n",
		level, r->positives ? "anomalous" : "normal", (unsigned long long)r->n,
		r->positives ? "lowest" : "highest");
}

static int run(const struct adt_cli *cli)
{
	struct adt_read_opts ro = cli->read;
	struct adt_samples samples;
	struct adt_level_result image;
	struct adt_report rep = {NULL, NULL, "f1"};
	struct adt_error err;
	FILE *out = stdout;
	const char *out_name = cli->output ? cli->output : "standard output";
	int status = EXIT_ERROR;

	adt_error_init(&err);
	adt_samples_init(&samples);
	if (cli->output && same_file(cli->output, cli->input)) {
		fprintf(stderr, "adthresh: %s: refusing to overwrite the input with the output\n",
			cli->output);
		goto out;
	}
	if (adt_read_scores_file(cli->input, &ro, &samples, &err)) {
		print_error(&err);
		goto out;
	}
	if (cli->verbose && ro.note[0])
		fprintf(stderr, "adthresh: %s: %s\n", err.file[0] ? err.file : cli->input, ro.note);
	if (adt_eval_samples(&samples, "image", &cli->eval, &image, &err)) {
		adt_error_set_file(&err, strcmp(cli->input, "-") ? cli->input : "<stdin>");
		print_error(&err);
		goto out;
	}
	if (image.one_class && !cli->quiet)
		warn_one_class("image", &image);
	rep.image = &image;
	/* The output file is opened only once there is a result to put in it. */
	if (cli->output) {
		out = fopen(cli->output, "w");
		if (!out) {
			fprintf(stderr, "adthresh: %s: cannot open for writing: %s\n", cli->output,
				strerror(errno));
			goto out;
		}
	}
	adt_report_write(out, cli->out_format, &rep, &err);
	if (close_output(out, out_name) == 0)
		status = EXIT_OK;
	out = NULL;
out:
	adt_samples_release(&samples);
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
