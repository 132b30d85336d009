/* The points of a level's curve: one per distinct score, from the highest
 * score down, with the exact counts at it.  PR and ROC both follow from
 * them: recall = tp / P, precision = tp / (tp + fp), FPR = fp / N. */
#ifndef ADTHRESH_POINTS_H
#define ADTHRESH_POINTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* At threshold t: tp positives and fp negatives have score >= t. */
struct adt_point {
	double t;
	uint64_t tp, fp;
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
	int failed;   /* an append could not allocate or write: incomplete */
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

/* Frees the points, closes the file and empties pts (its limit too); a
 * zeroed pts is fine. */
void adt_points_release(struct adt_points *pts);

/* Reads the points of pts from the first, in chunks. */
struct adt_points_reader {
	const struct adt_points *pts;
	uint64_t next; /* index of the next point to read */
	struct adt_point buf[512];
	size_t have, at;
};

void adt_points_read_begin(struct adt_points_reader *r, const struct adt_points *pts);

/* The next point in *out: returns 1, 0 at the end, -1 when the file
 * cannot be read. */
int adt_points_read(struct adt_points_reader *r, struct adt_point *out);

#endif
