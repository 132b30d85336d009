/* Command-line options of the adthresh program, parsed into a run job.
 * The program and the library's API (api.h) share them, so that options,
 * their validation and their messages are one. */
#ifndef ADTHRESH_CLI_H
#define ADTHRESH_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "adthresh/error.h"
#include "adthresh/eval.h"
#include "adthresh/fields.h"
#include "adthresh/output.h"
#include "adthresh/plot.h"
#include "adthresh/read.h"
#include "adthresh/report.h"
#include "adthresh/run.h"

struct adt_cli {
	struct adt_read_opts read;
	struct adt_eval_opts eval;       /* the image level's, and by default the pixel level's */
	struct adt_policy pixel_policy; /* the pixel level's policy */
	struct adt_policy_list pixel_compare; /* the pixel level's compared policies
					       * (eval.compare the image level's) */
	int compare_policies;		      /* --compare-policies */
	struct adt_policy_list asked[2];      /* every --policy, per level */
	enum adt_out_format out_format;
	struct adt_columns columns; /* --columns; n 0: the default columns */
	const char *output; /* NULL: standard output */
	const char *input;  /* "-": standard input */
	int input_given;    /* SCORES was named on the command line */
	const char *maps;   /* NULL: image level only */
	const char *masks;
	const char *mask_suffix; /* --mask-suffix S; NULL: the default */
	const char *split;	 /* --split NAME; NULL: the first present */
	struct adt_pixel_opts pixel;
	int batch, keep_going;
	int normalize; /* --normalize minmax */
	const char *curves; /* --curves FILE: NULL none */
	const char *plot;   /* --plot FILE: NULL none */
	enum adt_plot_format plot_format; /* by --plot's extension */
	uint64_t curve_points; /* 0: the default (corners 1e-5 apart); 1: every
				  corner (corners); UINT64_MAX: every point (all);
				  else a count */
	int per_defect;	       /* --per-defect */
	const char *per_image; /* --per-image FILE: NULL none */
	int map_maxima;	       /* --map-maxima */
	const char *save_thresholds; /* NULL: do not save */
	const char *thresholds;      /* NULL: choose them */
	int has_image_threshold, has_pixel_threshold;
	double image_threshold, pixel_threshold;
	const char *fail_under; /* NULL: no gates */
	const char **gate;	/* the argument of each --gate, in order */
	size_t ngate, gate_cap;
	int quiet, verbose, help, version;
	/* Sharded evaluation (counts.h, merge.h). */
	const char *save_counts; /* --save-counts FILE: NULL none */
	int merge;		 /* --merge: the arguments are counts files */
	const char **merge_files;
	size_t nmerge;
	unsigned merge_flags;	   /* the first counts file's ADT_COUNTS_* */
	char **merge_words;	   /* its option words, owned: options given by
				    * them point into them */
	size_t nmerge_words;
	uint32_t shard_k, shard_n; /* --shard K/N; 0 0: none */
	/* The evaluation options given, as words "--name[=value]": what
	 * --save-counts records and --merge evaluates with. */
	char **words;
	size_t nwords, words_cap;
	const char *eval_given;	 /* the first evaluation option given, or NULL */
	const char *input_given_opt; /* the first option about inputs, or NULL */
};

/* Parses argv into cli (strings are borrowed from argv; argv[0] is
 * replaced by "adthresh" and the other pointers may be permuted, as
 * getopt_long does), then checks the options against each other
 * (adt_cli_check).  Returns 0, or -1 with ADT_EUSAGE and a message for
 * the user (ADT_ENOMEM "out of memory").  Either way adt_cli_release
 * frees what cli holds.
 *
 * Nothing is printed: the messages of getopt_long are made here, worded
 * as glibc words them ("unrecognized option '--bogus'", "option '--ver'
 * is ambiguous; possibilities: '--verbose' '--version'", "option
 * '--quiet' doesn't allow an argument", "option '--format' requires an
 * argument", "invalid option -- 'x'", "option requires an argument --
 * 'o'").  getopt_long keeps its state in globals: calls are serialised
 * by a lock, so threads may parse at the same time. */
int adt_cli_parse(int argc, char **argv, struct adt_cli *cli, struct adt_error *err);

/* adt_cli_parse without the cross-option checks: the caller fills in
 * what it gives besides argv (inputs held in memory) and then calls
 * adt_cli_check. */
int adt_cli_parse_options(int argc, char **argv, struct adt_cli *cli, struct adt_error *err);

/* The checks of options against each other ("--masks needs --maps",
 * "--aupro needs --maps and masks (it is a pixel-level metric)", ...),
 * the first that fails as ADT_EUSAGE.  Returns 0 or -1. */
int adt_cli_check(struct adt_cli *cli, struct adt_error *err);

/* The run job the options describe (strings borrowed from cli), without
 * a progress callback. */
void adt_cli_job(const struct adt_cli *cli, struct adt_run_job *job);

/* How the options write the outputs; *curve_rows (may be NULL) receives
 * the rows of the curves written. */
void adt_cli_write_opts(const struct adt_cli *cli, struct adt_write_opts *wo,
			uint64_t *curve_rows);

void adt_cli_release(struct adt_cli *cli);

/* Writes the two usage lines that open the --help text to f. */
void adt_cli_usage(FILE *f);

/* Whether the run would wait for scores typed on a terminal: no SCORES
 * named, no --maps, and standard input a terminal (stdin_is_terminal).
 * An explicit - still reads the terminal. */
int adt_cli_reads_terminal(const struct adt_cli *cli, int stdin_is_terminal);

/* Writes the --help text to f. */
void adt_cli_help(FILE *f);

#endif
