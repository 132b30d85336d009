/* The files a run writes, all or nothing: each output is opened before
 * anything is written, written to a temporary file in its own folder and
 * renamed into place only when every output has been written; a run that
 * fails leaves no output behind and every earlier file of those names as
 * it was. */
#ifndef ADTHRESH_OUTPUT_H
#define ADTHRESH_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "adthresh/error.h"
#include "adthresh/fields.h"
#include "adthresh/run.h"

struct adt_output {
	const char *path; /* as given; "-" is standard output */
	FILE *f;	  /* NULL: not open */
	char *tmp;	  /* the temporary file renamed to target on commit;
			   * NULL: written in place (standard output, or an
			   * existing file that is not a regular file, such as
			   * /dev/null or a pipe) */
	char *target;	  /* the file tmp replaces: path, or the file a
			   * symbolic link at path points to */
};

/* Opens path for writing.  A regular file (existing or not) gets a
 * temporary file ".NAME.XXXXXX" beside it (beside the file a symbolic
 * link points to; a NAME over 247 bytes is cut there), with the mode the
 * file has (and its owner where the process may give it), or 0666 less
 * the umask for a new one.  Being replaced by a rename, an existing file
 * gets a new inode: its other hard links keep the old content.  Its
 * folder must be writable ("cannot open for writing: cannot create a
 * file in 'FOLDER' ...").  Errors (ADT_EIO, naming path): "cannot open for writing:
 * REASON" (a missing folder, a folder given as the file, no write
 * permission on the file or its folder), "Too many levels of symbolic
 * links"; o then holds nothing.  A symbolic link, even to a file that
 * does not exist yet, stays a link: the file it points to is written. */
int adt_output_open(struct adt_output *o, const char *path, struct adt_error *err);

/* Flushes and closes the stream.  A write that failed at any point is an
 * error: "write error: REASON" (ADT_EIO) naming the file, or "standard
 * output".  Returns 0 or -1. */
int adt_output_close(struct adt_output *o, struct adt_error *err);

/* Renames the temporary file into place (nothing for a file written in
 * place).  Returns 0, or -1 with ADT_EIO "cannot replace: REASON". */
int adt_output_commit(struct adt_output *o, struct adt_error *err);

/* Closes the stream if open and removes the temporary file; frees what o
 * holds.  Safe on a zeroed or committed output. */
void adt_output_abort(struct adt_output *o);

/* How an output of the result is written. */
struct adt_write_opts {
	int format;			   /* enum adt_out_format of the report */
	size_t curve_points;		   /* --curve-points: ADT_CURVES_THINNED,
					      ADT_CURVES_CORNERS, ADT_CURVES_EVERY or a
					      count (curves.h) */
	struct adt_plot_opts plot;	   /* --plot's format, and the title of a
					    * single run */
	uint64_t *curve_rows;		   /* set to the rows of the curves written; NULL:
					      not needed */
	const struct adt_columns *columns; /* --columns of the report; NULL: the
					      default columns */
};

/* Writes output k of res to f: the report, the thresholds file, the
 * curves, the plot or the per-image list.  Returns 0, or -1 with err:
 * ADT_EIO when a write fails, or before anything is written ADT_ENOMEM
 * when a curve's points are incomplete, ADT_EDATA when a level has no
 * threshold for the per-image list. */
int adt_output_write(FILE *f, enum adt_output_kind k, const struct adt_result *res,
		     const struct adt_write_opts *o, struct adt_error *err);

/* Writes the outputs of res, all or nothing: path[k] names output k
 * (NULL: not written; "-": standard output, or std when std is not
 * NULL).  Every file is opened first, each written to its temporary
 * file, the one on standard output last; the files are renamed into place
 * only when every output has been written and closed.  A std given is
 * closed in every case (its text is the caller's when this returns 0).
 * temporary (NULL: none) receives at [k] the temporary file of output k
 * while it exists, for a signal handler that removes it.  Returns 0, or
 * -1 with err naming the file (the errors of adt_output_open,
 * adt_output_write, adt_output_close and adt_output_commit); nothing is
 * left behind then. */
int adt_outputs_write(const char *const *path, FILE *std, const struct adt_result *res,
		      const struct adt_write_opts *wo, const char *volatile *temporary,
		      struct adt_error *err);

/* Checks that no two of the named files are one file (NULL and "-" are
 * skipped): option[i] names file[i] in the message.  Returns 0, or -1
 * with ADT_EUSAGE "FILE: given to both -o and --plot".  Two names that
 * lead to one file through symbolic links are one file; a character
 * device such as /dev/null is never. */
int adt_outputs_distinct(const char *const *file, const char *const *option, size_t n,
			 struct adt_error *err);

#endif
