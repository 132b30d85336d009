/* The points of a level's curve: one per distinct score, from the highest
 * score down, with the exact counts at it.  PR and ROC both follow from
 * them: recall = tp / P, precision = tp / (tp + fp), FPR = fp / N. */
#ifndef ADTHRESH_POINTS_H
#define ADTHRESH_POINTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "adthresh/error.h"

/* At threshold t: tp positives and fp negatives have score >= t. */
struct adt_point {
	double t;
	uint64_t tp, fp;
};

/* Why a sequence is incomplete. */
enum adt_points_failure {
	ADT_POINTS_COMPLETE = 0,
	ADT_POINTS_NOMEM,  /* an allocation failed */
	ADT_POINTS_CREATE, /* the temporary file could not be created */
	ADT_POINTS_WRITE,  /* or written */
	ADT_POINTS_READ	   /* or read back (appending a spilled sequence) */
};

/* A growable sequence; zeroed is empty and keeps every point in memory.
 * With a limit, at most `limit` points stay in memory: when they fill
 * up they are appended to a temporary file (in $TMPDIR, else /tmp,
 * removed on close), so a curve of a billion points costs disk, not
 * memory.  p[0..n) are the latest points, after the `spilled` ones of the
 * file; read them all in order with adt_points_reader. */
struct adt_points {
	struct adt_point *p;
	size_t n, cap;
	/* An enum adt_points_failure: nonzero when a point was dropped (the
	 * first failure is kept; adt_points_error words it). */
	int failed;
	int errnum;   /* the system's errno of a failed file operation */
	char *dir;    /* the folder of the temporary file, once one was tried */
	size_t limit; /* 0: no file */
	FILE *spill;
	uint64_t spilled;
};

/* Appends one point; on failure sets pts->failed and drops it. */
void adt_points_push(struct adt_points *pts, double t, uint64_t tp, uint64_t fp);

/* Moves every point of from to the end of to (from is left empty). */
void adt_points_append(struct adt_points *to, struct adt_points *from);

/* How many points pts holds. */
uint64_t adt_points_count(const struct adt_points *pts);

/* Why pts is incomplete (pts->failed nonzero), as err, for the curve of
 * level ("image" or "pixel").  Returns -1 with ADT_ENOMEM "out of memory
 * keeping the LEVEL curve's points", or with ADT_EIO and the folder of
 * the temporary file and the system's reason: "cannot create a temporary
 * file in 'DIR' for the LEVEL curve's points: REASON", "cannot write the
 * LEVEL curve's points to a temporary file in 'DIR': REASON" or "cannot
 * read back the LEVEL curve's points from a temporary file in 'DIR':
 * REASON". */
int adt_points_error(const struct adt_points *pts, const char *level, struct adt_error *err);

/* Frees the points, closes the file and empties pts (its limit and
 * failure too); a zeroed pts is fine. */
void adt_points_release(struct adt_points *pts);

/* Reads the points of pts from the first, in chunks. */
struct adt_points_reader {
	const struct adt_points *pts;
	uint64_t next; /* index of the next point to read */
	struct adt_point buf[512];
	size_t have, at;
	int errnum; /* why the last read returned -1 */
};

void adt_points_read_begin(struct adt_points_reader *r, const struct adt_points *pts);

/* The next point in *out: returns 1, 0 at the end, -1 when the file
 * cannot be read (r->errnum says why). */
int adt_points_read(struct adt_points_reader *r, struct adt_point *out);

/* Why reading r failed (adt_points_read returned -1), as err: ADT_EIO
 * "cannot read back the LEVEL curve's points from a temporary file in
 * 'DIR': REASON".  Returns -1. */
int adt_points_read_error(const struct adt_points_reader *r, const char *level,
			  struct adt_error *err);

#endif
