/* One call that runs adthresh as the program does, for other languages
 * (the Python package src/python/adthresh): the program's options as
 * words, inputs as files or as arrays in the caller's memory, the JSON
 * report as text.  Option parsing, validation and every message are the
 * program's own (cli.h, run.h), so the report is the one `adthresh
 * --format json` prints for the same data. */
#ifndef ADTHRESH_API_H
#define ADTHRESH_API_H

#include <stddef.h>
#include <stdint.h>

/* Inputs held in memory; all borrowed (read in place, never copied,
 * written or freed).  Zeroed: none, and the inputs are files named by the
 * options. */
struct adt_api_inputs {
	const double *scores;	     /* NULL: none; nscores image scores */
	const unsigned char *labels; /* nscores labels: 0 normal, else anomalous */
	size_t nscores;
	/* count maps of height x width samples each, row-major, one after
	 * the other, in native byte order, and as many masks of the same
	 * shape (nonzero = anomalous).  NULL: none. */
	const void *maps;
	const char *map_dtype; /* "float32", "float64" or "float16" */
	const void *masks;
	const char *mask_dtype; /* "bool", "uint8", ... any integer type */
	uint64_t count, height, width;
};

/* What a call gives back, as the program would have printed it. */
struct adt_api_result {
	int status;	/* the program's exit status: 0 success, 1 a gate not met,
			 * 2 usage or input error */
	char *report;	/* the JSON report (as --format json prints it) when
			 * the program would print one (status 0 or 1, or 2
			 * for a batch with --keep-going where a category
			 * failed); else NULL */
	char *error;	/* status 2: the error as the program prints it on
			 * standard error, each line without its "adthresh: "
			 * prefix and without "Try 'adthresh --help'..."
			 * ("FILE:LINE: message", "message"); status 1: the
			 * unmet gates, a line each ("gate not met: ...");
			 * else NULL */
	char *messages; /* the warnings and notes the program would print
			 * (--quiet and --verbose apply), a line each without
			 * "adthresh: " ("warning: ..."); NULL: none.  The
			 * failures of a batch's categories go to error. */
};

/* Runs adthresh with the options words argv[0..argc-1] (no program
 * name: "--rule", "gt", "--policy", "pixel=fpr:0.01", "--aupro=0.3") on
 * in (NULL or zeroed: the inputs the options name, SCORES, --maps,
 * --masks).  Fills out (the caller releases it with adt_api_result_release
 * in every case) and returns out->status.
 *
 * Arrays follow the rules of files: the image scores are the map maxima
 * unless scores are given (then score i goes with map i, as in a scores
 * file without an id column; both are named "i"); map i is named "i" as image i
 * of a stacked .npy is, in a file named "maps" (errors: "maps: image 3:
 * pixel (1, 2) is NaN"); scores are named "scores" (also as the image
 * level's source; errors "scores: element 4: score is NaN" or "is
 * infinite", counted from 0).  Usage errors of the API itself (status 2):
 *   "inputs given as arrays cannot be combined with --maps, --masks or a
 *    scores file";
 *   "--batch evaluates folders, not arrays";
 *   "no input: give scores and labels, or maps and masks";
 *   "scores need labels", "maps need masks (nonzero = anomalous)";
 *   "5 scores for 4 maps: give one score per map, in the order of the
 *    maps";
 *   "--map-maxima takes the image scores from the maps, not from
 *    'scores'";
 *   "unsupported map dtype 'X'", "unsupported mask dtype 'X'";
 *   "-o writes the report to a file; this call returns it";
 *   "this call returns the JSON report, not --format csv" (or markdown;
 *    json and text are accepted and give JSON);
 *   "out of memory".
 * The files --save-thresholds, --curves, --plot and --per-image name are
 * written as the program writes them, all or nothing, with the report
 * (none may be "-": the report is on the program's standard output).
 * Nothing is printed.  Calls may run in parallel threads. */
int adt_api_evaluate(int argc, const char *const *argv, const struct adt_api_inputs *in,
		     struct adt_api_result *out);

/* Frees what out holds and zeroes it; a zeroed out is fine. */
void adt_api_result_release(struct adt_api_result *out);

#endif
