/* Curve points (see points.h). */
#include "adthresh/points.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adthresh/grow.h"
#include "adthresh/tempfile.h"

static int reserve(struct adt_points *pts, size_t more)
{
	void *p = pts->p;

	if (more > SIZE_MAX - pts->n || adt_grow(&p, &pts->cap, pts->n + more, sizeof(*pts->p)))
		return -1;
	pts->p = p;
	return 0;
}

/* Records why pts is incomplete; the first reason stays. */
static void fail(struct adt_points *pts, enum adt_points_failure why, int errnum)
{
	if (pts->failed)
		return;
	pts->failed = why;
	pts->errnum = errnum;
}

/* A temporary file that is gone once closed, in $TMPDIR (else /tmp),
 * which pts->dir records; NULL on failure, recorded in pts. */
static FILE *temp_file(struct adt_points *pts)
{
	char *dir;
	int fd = adt_temp_open("curve", &dir);
	FILE *f;

	free(pts->dir);
	pts->dir = dir;
	if (fd < 0) {
		fail(pts, dir ? ADT_POINTS_CREATE : ADT_POINTS_NOMEM, dir ? errno : 0);
		return NULL;
	}
	f = fdopen(fd, "w+b");
	if (!f) {
		fail(pts, ADT_POINTS_CREATE, errno);
		close(fd);
	}
	return f;
}

/* Moves the points in memory to the end of the file. */
static int spill(struct adt_points *pts)
{
	if (!pts->spill && !(pts->spill = temp_file(pts)))
		return -1;
	errno = 0;
	if (fwrite(pts->p, sizeof(*pts->p), pts->n, pts->spill) != pts->n ||
	    fflush(pts->spill) != 0) {
		fail(pts, ADT_POINTS_WRITE, errno ? errno : EIO);
		return -1;
	}
	pts->spilled += pts->n;
	pts->n = 0;
	return 0;
}

void adt_points_push(struct adt_points *pts, double t, uint64_t tp, uint64_t fp)
{
	if (pts->failed)
		return;
	if (pts->limit && pts->n >= pts->limit && spill(pts))
		return;
	if (reserve(pts, 1)) {
		fail(pts, ADT_POINTS_NOMEM, 0);
		return;
	}
	pts->p[pts->n++] = (struct adt_point){t, tp, fp};
}

uint64_t adt_points_count(const struct adt_points *pts)
{
	return pts->spilled + pts->n;
}

/* The folder of from's file goes with a failure that came from it. */
static void take_dir(struct adt_points *to, struct adt_points *from)
{
	if (to->dir)
		return;
	to->dir = from->dir;
	from->dir = NULL;
}

void adt_points_append(struct adt_points *to, struct adt_points *from)
{
	struct adt_points_reader r;
	struct adt_point x;
	int got;

	if (from->failed) {
		fail(to, from->failed, from->errnum);
		take_dir(to, from);
	}
	if (!to->failed && adt_points_count(to) == 0) {
		size_t limit = to->limit;

		adt_points_release(to);
		*to = *from;
		if (!to->limit)
			to->limit = limit;
		memset(from, 0, sizeof(*from));
		return;
	}
	if (!to->failed && !to->limit && !from->spill) {
		if (reserve(to, from->n) == 0) {
			memcpy(to->p + to->n, from->p, from->n * sizeof(*from->p));
			to->n += from->n;
		} else {
			fail(to, ADT_POINTS_NOMEM, 0);
		}
		adt_points_release(from);
		return;
	}
	if (!to->limit)
		to->limit = from->limit;
	adt_points_read_begin(&r, from);
	while (!to->failed && (got = adt_points_read(&r, &x)) != 0) {
		if (got < 0) {
			fail(to, ADT_POINTS_READ, r.errnum);
			take_dir(to, from);
		} else
			adt_points_push(to, x.t, x.tp, x.fp);
	}
	adt_points_release(from);
}

void adt_points_release(struct adt_points *pts)
{
	free(pts->p);
	free(pts->dir);
	if (pts->spill)
		fclose(pts->spill);
	memset(pts, 0, sizeof(*pts));
}

void adt_points_read_begin(struct adt_points_reader *r, const struct adt_points *pts)
{
	r->pts = pts;
	r->next = 0;
	r->have = r->at = 0;
	r->errnum = 0;
}

int adt_points_read(struct adt_points_reader *r, struct adt_point *out)
{
	const struct adt_points *pts = r->pts;

	if (r->next >= adt_points_count(pts))
		return 0;
	if (r->next >= pts->spilled) {
		*out = pts->p[r->next++ - pts->spilled];
		return 1;
	}
	if (r->at == r->have) {
		/* From the file, a buffer at a time; pread leaves the file's
		 * position, where points are appended, alone. */
		uint64_t left = pts->spilled - r->next;
		size_t want = left < 512 ? (size_t)left : 512;
		ssize_t got = pread(fileno(pts->spill), r->buf, want * sizeof(*r->buf),
				    (off_t)(r->next * sizeof(*r->buf)));

		if (got <= 0 || (size_t)got % sizeof(*r->buf) != 0) {
			/* A file shorter than what was written is an I/O error too. */
			r->errnum = got < 0 ? errno : EIO;
			return -1;
		}
		r->have = (size_t)got / sizeof(*r->buf);
		r->at = 0;
	}
	*out = r->buf[r->at++];
	r->next++;
	return 1;
}

/* The message of a failure why (enum adt_points_failure) with the
 * system's errnum, of a temporary file in dir. */
static int failure(int why, int errnum, const char *dir, const char *level, struct adt_error *err)
{
	const char *in = dir ? dir : "";

	switch (why) {
	case ADT_POINTS_CREATE:
		return adt_error_set(err, ADT_EIO,
				     "cannot create a temporary file in '%s' for the %s curve's "
				     "points: %s",
				     in, level, strerror(errnum));
	case ADT_POINTS_WRITE:
		return adt_error_set(err, ADT_EIO,
				     "cannot write the %s curve's points to a temporary file in "
				     "'%s': %s",
				     level, in, strerror(errnum));
	case ADT_POINTS_READ:
		return adt_error_set(err, ADT_EIO,
				     "cannot read back the %s curve's points from a temporary file "
				     "in '%s': %s",
				     level, in, strerror(errnum));
	}
	return adt_error_set(err, ADT_ENOMEM, "out of memory keeping the %s curve's points", level);
}

int adt_points_error(const struct adt_points *pts, const char *level, struct adt_error *err)
{
	return failure(pts->failed, pts->errnum, pts->dir, level, err);
}

int adt_points_read_error(const struct adt_points_reader *r, const char *level,
			  struct adt_error *err)
{
	return failure(ADT_POINTS_READ, r->errnum, r->pts->dir, level, err);
}
