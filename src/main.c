/* adthresh: the program around libadthresh.  It parses the options,
 * runs the job, prints what the run had to say, writes the outputs and
 * chooses the exit status; the evaluation and its policy are the
 * library's (run.h). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adthresh/cli.h"
#include "adthresh/curves.h"
#include "adthresh/error.h"
#include "adthresh/format.h"
#include "adthresh/output.h"
#include "adthresh/run.h"
#include "adthresh/version.h"

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
	adt_format_error(stderr, "adthresh: ", err);
}

/* Prints err; a usage error also points to --help. */
static void report_error(const struct adt_error *err)
{
	if (err->msg[0]) /* else getopt_long has said it */
		print_error(err);
	if (err->code == ADT_EUSAGE)
		fputs("Try 'adthresh --help' for more information.\n", stderr);
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

/* Progress of a single run's pixel level on a terminal: one line,
 * rewritten at most four times a second, erased at the end. */
struct pixel_line {
	pthread_mutex_t lock;
	struct timespec start, last;
	int open;
};

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void show_pixels(void *ctx, const struct adt_pixel_progress *p)
{
	struct pixel_line *l = ctx;
	struct timespec now;
	double spent;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&l->lock);
	spent = seconds_between(&l->start, &now);
	if (spent < 0.5 || (!p->counting && seconds_between(&l->last, &now) < 0.25)) {
		pthread_mutex_unlock(&l->lock);
		return;
	}
	l->last = now;
	if (p->counting) {
		fprintf(stderr, "\r\033[Kadthresh: %llu images decoded; counting %.3g pixels, %.0f s",
			(unsigned long long)p->images_total, (double)p->pixels_total, spent);
	} else {
		double left = p->pixels ? spent * (double)(p->pixels_total - p->pixels) /
					      (double)p->pixels
					: 0;

		fprintf(stderr,
			"\r\033[Kadthresh: %llu of %llu images decoded, %.3g of %.3g pixels, "
			"%.0f s, about %.0f s left",
			(unsigned long long)p->images, (unsigned long long)p->images_total,
			(double)p->pixels, (double)p->pixels_total, spent, left);
	}
	l->open = 1;
	pthread_mutex_unlock(&l->lock);
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

/* Curves of more rows than this are said even without -v. */
#define CURVE_ROWS_SAID 1000000

/* Writes every output, all or nothing (adt_outputs_write).  Prints any
 * error. */
static int write_outputs(const struct adt_cli *cli, const struct adt_run_job *job,
			 const struct adt_result *res)
{
	struct adt_write_opts wo;
	uint64_t curve_rows = 0;
	struct adt_error err;

	adt_cli_write_opts(cli, &wo, &curve_rows);
	adt_error_init(&err);
	if (adt_outputs_write(job->output, NULL, res, &wo, temporary, &err)) {
		print_error(&err);
		return -1;
	}
	/* A curve of continuous scores can keep many of its points: say so
	 * when the file is large, not only with -v. */
	if (cli->curves && (cli->verbose || (!cli->quiet && curve_rows > CURVE_ROWS_SAID))) {
		const char *kept = wo.curve_points == ADT_CURVES_CORNERS
				       ? "the corners of the ROC curve"
				   : wo.curve_points == ADT_CURVES_THINNED
				       ? "the corners of the ROC curve 1e-5 apart"
				       : NULL;

		fprintf(stderr, "adthresh: %scurves: %llu rows written to ",
			cli->verbose ? "" : "warning: ", (unsigned long long)curve_rows);
		adt_format_line(stderr,
				strcmp(cli->curves, "-") == 0 ? "standard output" : cli->curves);
		if (kept && curve_rows > CURVE_ROWS_SAID)
			fprintf(stderr, " (%s; --curve-points N keeps N a curve)\n", kept);
		else
			fputc('\n', stderr);
	}
	return 0;
}

static int run(const struct adt_cli *cli)
{
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	int status = EXIT_ERROR, ret, progress_open = 0;
	struct pixel_line line = {.open = 0};

	adt_cli_job(cli, &job);
	if (cli->batch && isatty(STDERR_FILENO) && !cli->quiet)
		job.progress = show_progress;
	if (!cli->batch && isatty(STDERR_FILENO) && !cli->quiet)
		job.eval.pixels.progress = show_pixels;
	job.ctx = &progress_open;
	pthread_mutex_init(&line.lock, NULL);
	clock_gettime(CLOCK_MONOTONIC, &line.start);
	job.eval.pixels.progress_ctx = &line;
	adt_result_init(&res);
	adt_error_init(&err);
	handle_signals();
	ret = adt_run(&job, &res, &err);
	if (progress_open) /* a batch that stopped early */
		fputs("\n", stderr);
	if (line.open) /* erased: the report follows */
		fputs("\r\033[K", stderr);
	pthread_mutex_destroy(&line.lock);
	adt_messages_print(&res.msgs, stderr, stderr, "adthresh: ", cli->quiet, cli->verbose);
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
		/* A counts file that --merge cannot read is not a usage error. */
		if (err.code != ADT_EIO && err.code != ADT_EFORMAT && err.code != ADT_ENOMEM)
			err.code = ADT_EUSAGE;
		report_error(&err);
		status = EXIT_ERROR;
	} else if (cli.help || cli.version) {
		if (cli.help)
			adt_cli_help(stdout);
		else
			print_version();
		status = close_stdout();
	} else if (adt_cli_reads_terminal(&cli, isatty(STDIN_FILENO))) {
		/* Waiting without a word for scores typed in looks like a hang. */
		adt_cli_usage(stderr);
		fputs("adthresh: no SCORES and standard input is a terminal: give a file, pipe "
		      "the scores in, or give - to type them\n"
		      "Try 'adthresh --help' for more information.\n",
		      stderr);
		status = EXIT_ERROR;
	} else {
		status = run(&cli);
	}
	adt_cli_release(&cli);
	return status;
}
