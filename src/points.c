/* Curve points (see points.h). */
#include "adthresh/points.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adthresh/grow.h"

static int reserve(struct adt_points *pts, size_t more)
{
	void *p = pts->p;

	if (more > SIZE_MAX - pts->n || adt_grow(&p, &pts->cap, pts->n + more, sizeof(*pts->p)))
		return -1;
	pts->p = p;
	return 0;
}

/* A temporary file that is gone once closed. */
static FILE *temp_file(void)
{
	static const char name[] = "/adthresh-curve-XXXXXX";
	const char *dir = getenv("TMPDIR");
	size_t len;
	char *path;
	FILE *f;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	len = strlen(dir);
	path = len < SIZE_MAX - sizeof(name) ? malloc(len + sizeof(name)) : NULL;
	if (!path)
		return NULL;
	memcpy(path, dir, len);
	memcpy(path + len, name, sizeof(name));
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	free(path);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w+b");
	if (!f)
		close(fd);
	return f;
}

/* Moves the points in memory to the end of the file. */
static int spill(struct adt_points *pts)
{
	if (!pts->spill && !(pts->spill = temp_file()))
		return -1;
	if (fwrite(pts->p, sizeof(*pts->p), pts->n, pts->spill) != pts->n ||
	    fflush(pts->spill) != 0)
		return -1;
	pts->spilled += pts->n;
	pts->n = 0;
	return 0;
}

void adt_points_push(struct adt_points *pts, double t, uint64_t tp, uint64_t fp)
{
	if (pts->failed)
		return;
	if ((pts->limit && pts->n >= pts->limit && spill(pts)) || reserve(pts, 1)) {
		pts->failed = 1;
		return;
	}
	pts->p[pts->n++] = (struct adt_point){t, tp, fp};
}

uint64_t adt_points_count(const struct adt_points *pts)
{
	return pts->spilled + pts->n;
}

void adt_points_append(struct adt_points *to, struct adt_points *from)
{
	struct adt_points_reader r;
	struct adt_point x;
	int got;

	if (from->failed)
		to->failed = 1;
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
			to->failed = 1;
		}
		adt_points_release(from);
		return;
	}
	if (!to->limit)
		to->limit = from->limit;
	adt_points_read_begin(&r, from);
	while (!to->failed && (got = adt_points_read(&r, &x)) != 0) {
		if (got < 0)
			to->failed = 1;
		else
			adt_points_push(to, x.t, x.tp, x.fp);
	}
	adt_points_release(from);
}

void adt_points_release(struct adt_points *pts)
{
	free(pts->p);
	if (pts->spill)
		fclose(pts->spill);
	memset(pts, 0, sizeof(*pts));
}

void adt_points_read_begin(struct adt_points_reader *r, const struct adt_points *pts)
{
	r->pts = pts;
	r->next = 0;
	r->have = r->at = 0;
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

		if (got <= 0 || (size_t)got % sizeof(*r->buf) != 0)
			return -1;
		r->have = (size_t)got / sizeof(*r->buf);
		r->at = 0;
	}
	*out = r->buf[r->at++];
	r->next++;
	return 1;
}
