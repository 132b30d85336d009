/* The files a run writes (see output.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "adthresh/output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adthresh/app.h"
#include "adthresh/counts.h"
#include "adthresh/perimage.h"
#include "adthresh/plot.h"
#include "adthresh/report.h"
#include "adthresh/thresholds.h"

static int open_error(const char *path, int e, struct adt_error *err)
{
	return adt_error_at(err, ADT_EIO, path, 0, "cannot open for writing: %s", strerror(e));
}

/* The folder part of path ("." when it has none) and its last part. */
static char *folder_of(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 1;
	char *dir = malloc(len + 2);

	if (!dir)
		return NULL;
	if (!slash)
		memcpy(dir, ".", 2);
	else if (len == 0)
		memcpy(dir, "/", 2);
	else {
		memcpy(dir, path, len);
		dir[len] = '\0';
	}
	*base = slash ? slash + 1 : path;
	return dir;
}

/* Room for a file name in a folder (NAME_MAX on Linux and the BSDs). */
enum { NAME_ROOM = 255 };

/* Creates the temporary file ".NAME.XXXXXX" of o->target (a long NAME
 * keeps its start, so the name fits a folder) and opens it as o->f.  It
 * is created with mode 0666 less the umask, as fopen would create the
 * file; an existing file's mode (and, where permitted, its owner) is
 * copied instead. */
static int open_temporary(struct adt_output *o, const struct stat *old, struct adt_error *err)
{
	const char *base;
	char *dir = folder_of(o->target, &base);
	size_t size, keep = strlen(base);
	struct timespec ts;
	unsigned long long x;
	int fd = -1, e = 0;

	if (!dir) {
		adt_output_abort(o);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	size = strlen(dir) + keep + 16;
	o->tmp = malloc(size);
	if (!o->tmp) {
		free(dir);
		adt_output_abort(o);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	if (keep > NAME_ROOM - 8)
		keep = NAME_ROOM - 8;
	clock_gettime(CLOCK_REALTIME, &ts);
	x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 30) ^
	    ((unsigned long long)getpid() << 12) ^ (unsigned long long)(uintptr_t)o;
	for (int tries = 0; tries < 100; tries++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		snprintf(o->tmp, size, "%s/.%.*s.%06llx", dir, (int)keep, base,
			 (x >> 40) & 0xffffff);
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		e = errno;
		free(o->tmp);
		o->tmp = NULL;
		adt_output_abort(o);
		if (e == EACCES || e == EPERM || e == EROFS)
			adt_error_at(
			    err, ADT_EIO, o->path, 0,
			    "cannot open for writing: cannot create a file in '%s' (outputs "
			    "are written beside their target and renamed): %s",
			    dir, strerror(e));
		else
			open_error(o->path, e, err);
		free(dir);
		return -1;
	}
	free(dir);
	if (old) {
		/* Only root can give a file away; the mode is copied after, as
		 * a change of owner clears the set-id bits. */
		if (fchown(fd, old->st_uid, old->st_gid) != 0) {
			/* keeps the creator as owner */
		}
		if (fchmod(fd, old->st_mode & 07777) != 0)
			e = errno;
	}
	o->f = e == 0 ? fdopen(fd, "w") : NULL;
	if (!o->f) {
		e = e ? e : errno;
		close(fd);
		adt_output_abort(o);
		return open_error(o->path, e, err);
	}
	return 0;
}

/* The file path names after following symbolic links, even a link to a
 * file that does not exist yet (a relative link is taken from the link's
 * folder).  NULL with errno set when it cannot be told (ELOOP after 40
 * links, ENAMETOOLONG, ENOMEM). */
static char *link_target(const char *path)
{
	char *cur = strdup(path);

	for (int hops = 0; cur && hops < 40; hops++) {
		struct stat lst;
		char buf[PATH_MAX + 1], *next;
		const char *base;
		ssize_t len;

		if (lstat(cur, &lst) != 0 || !S_ISLNK(lst.st_mode))
			return cur;
		len = readlink(cur, buf, sizeof(buf));
		if (len < 0 || (size_t)len == sizeof(buf)) {
			errno = len < 0 ? errno : ENAMETOOLONG;
			break;
		}
		buf[len] = '\0';
		if (buf[0] == '/' || !strchr(cur, '/')) {
			next = strdup(buf);
		} else {
			char *dir = folder_of(cur, &base);
			size_t size = dir ? strlen(dir) + (size_t)len + 2 : 0;

			next = dir ? malloc(size) : NULL;
			if (next)
				snprintf(next, size, "%s/%s", dir, buf);
			free(dir);
		}
		free(cur);
		cur = next;
		if (!cur)
			errno = ENOMEM;
	}
	if (cur) {
		free(cur);
		errno = ELOOP;
	}
	return NULL;
}

int adt_output_open(struct adt_output *o, const char *path, struct adt_error *err)
{
	struct stat st;
	int exists, e;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	/* A symbolic link stays: the file it points to is replaced. */
	o->target = link_target(path);
	if (!o->target)
		return errno == ENOMEM ? adt_error_set(err, ADT_ENOMEM, "out of memory")
				       : open_error(path, errno, err);
	exists = stat(o->target, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		e = EISDIR;
	} else if (exists && !S_ISREG(st.st_mode)) {
		/* A device or a pipe is written as it is. */
		free(o->target);
		o->target = NULL;
		o->f = fopen(path, "w");
		if (o->f)
			return 0;
		e = errno;
	} else if (exists && access(o->target, W_OK) != 0) {
		e = errno;
	} else {
		return open_temporary(o, exists ? &st : NULL, err);
	}
	adt_output_abort(o);
	return open_error(path, e, err);
}

int adt_output_close(struct adt_output *o, struct adt_error *err)
{
	int bad, e;

	if (!o->f)
		return 0;
	bad = ferror(o->f);
	e = errno;
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	o->f = NULL;
	if (!bad)
		return 0;
	return adt_error_at(err, ADT_EIO, strcmp(o->path, "-") ? o->path : "standard output", 0,
			    "write error: %s", strerror(e));
}

int adt_output_commit(struct adt_output *o, struct adt_error *err)
{
	int ret = 0;

	if (o->tmp && rename(o->tmp, o->target) != 0) {
		ret = adt_error_at(err, ADT_EIO, o->path, 0, "cannot replace: %s", strerror(errno));
		remove(o->tmp);
	}
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	return ret;
}

void adt_output_abort(struct adt_output *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp)
		remove(o->tmp);
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
}

/* The counts of a single run (--save-counts). */
static int write_counts(FILE *f, const struct adt_result *res, struct adt_error *err)
{
	const struct adt_outcome *out = res->n == 1 ? &res->v[0].out : NULL;
	const struct adt_saved *s = out ? out->saved : NULL;
	struct adt_counts_save cs;

	if (!s)
		return adt_error_set(err, ADT_EUSAGE, "--save-counts saves a single run");
	memset(&cs, 0, sizeof(cs));
	cs.flags = s->flags;
	cs.shard_k = s->shard_k;
	cs.shard_n = s->shard_n;
	cs.items = s->items;
	cs.cut = s->cut;
	cs.words = s->words;
	cs.nwords = s->nwords;
	cs.source = out->source;
	cs.images = &s->images;
	cs.points = &out->curve[1];
	cs.region_size = s->region_size;
	cs.regions = s->regions;
	cs.group_name = (const char *const *)s->group_name;
	cs.group_points = s->group_points;
	cs.ngroups = s->ngroups;
	return adt_counts_write(f, &cs, err);
}

int adt_output_write(FILE *f, enum adt_output_kind k, const struct adt_result *res,
		     const struct adt_write_opts *o, struct adt_error *err)
{
	struct adt_plot_group *g;
	size_t ng;
	int ret;

	switch (k) {
	case ADT_OUTPUT_REPORT:
		return adt_report_write(f, (enum adt_out_format)o->format, res, o->columns, err);
	case ADT_OUTPUT_THRESHOLDS:
		return adt_thresholds_write(f, res, err);
	case ADT_OUTPUT_CURVES:
	case ADT_OUTPUT_PLOT:
		if (adt_result_plot_groups(res, &g, &ng, err))
			return -1;
		ret = k == ADT_OUTPUT_CURVES
			  ? adt_curves_write(f, g, ng, o->curve_points, o->curve_rows, err)
			  : adt_plot_write(f, g, ng, &o->plot, err);
		free(g);
		return ret;
	case ADT_OUTPUT_PER_IMAGE:
		return adt_perimage_write(f, res, err);
	case ADT_OUTPUT_COUNTS:
		return write_counts(f, res, err);
	case ADT_OUTPUTS:
		break;
	}
	return adt_error_set(err, ADT_EUSAGE, "no such output");
}

/* Whether two paths name one file, even before either exists: the same
 * existing file, or the same name in the same folder.  A character
 * device (/dev/null) can take any number of outputs. */
static int same_target(const char *a, const char *b)
{
	const char *ba, *bb;
	struct stat st;
	char *da, *db;
	int same;

	if (stat(a, &st) == 0 && S_ISCHR(st.st_mode))
		return 0;
	if (strcmp(a, b) == 0 || adt_same_file(a, b))
		return 1;
	da = folder_of(a, &ba);
	db = folder_of(b, &bb);
	same = da && db && strcmp(ba, bb) == 0 && adt_same_file(da, db);
	free(da);
	free(db);
	return same;
}

/* Whether a and b lead, through symbolic links, to one file. */
static int same_link_target(const char *a, const char *b)
{
	char *ta = link_target(a), *tb = link_target(b);
	int same = ta && tb && (strcmp(ta, a) != 0 || strcmp(tb, b) != 0) && same_target(ta, tb);

	free(ta);
	free(tb);
	return same;
}

int adt_outputs_distinct(const char *const *file, const char *const *option, size_t n,
			 struct adt_error *err)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			if (!file[i] || !file[j] || strcmp(file[i], "-") == 0 ||
			    strcmp(file[j], "-") == 0)
				continue;
			if (same_target(file[i], file[j]) || same_link_target(file[i], file[j]))
				return adt_error_at(err, ADT_EUSAGE, file[j], 0,
						    "given to both %s and %s", option[i],
						    option[j]);
		}
	}
	return 0;
}

int adt_outputs_write(const char *const *path, FILE *std, const struct adt_result *res,
		      const struct adt_write_opts *wo, const char *volatile *temporary,
		      struct adt_error *err)
{
	struct adt_output o[ADT_OUTPUTS];
	enum adt_output_kind order[ADT_OUTPUTS];
	size_t n = 0, i;
	int ret = -1, std_taken = 0;

	memset(o, 0, sizeof(o));
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < ADT_OUTPUTS; k++) {
			if (path[k] && (strcmp(path[k], "-") == 0) == pass)
				order[n++] = (enum adt_output_kind)k;
		}
	}
	for (i = 0; i < n; i++) {
		struct adt_output *k = &o[order[i]];

		if (adt_output_open(k, path[order[i]], err))
			goto out;
		if (std && strcmp(k->path, "-") == 0) {
			/* Closed from here on as the output's stream. */
			k->f = std;
			std_taken = 1;
		}
		if (temporary)
			temporary[order[i]] = k->tmp;
	}
	for (i = 0; i < n; i++) {
		struct adt_output *k = &o[order[i]];

		/* A failed write shows when the stream is closed. */
		if (adt_output_write(k->f, order[i], res, wo, err) && err->code != ADT_EIO) {
			adt_error_set_file(err, k->path);
			goto out;
		}
		if (adt_output_close(k, err))
			goto out;
	}
	for (i = 0; i < n; i++) {
		if (adt_output_commit(&o[order[i]], err))
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++) {
		if (temporary)
			temporary[order[i]] = NULL;
		adt_output_abort(&o[order[i]]);
	}
	if (std && !std_taken)
		fclose(std);
	return ret;
}
