/* Batch evaluation (see batch.h). */
#include "adthresh/batch.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adthresh/parallel.h"

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (s)
		snprintf(s, la + lb + 2, "%s/%s", a, b);
	return s;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The extension of a score file, or NULL. */
static const char *score_ext(const char *name)
{
	static const char *const exts[] = {".csv", ".tsv", ".json", ".jsonl", ".ndjson", NULL};
	size_t len = strlen(name);

	for (const char *const *e = exts; *e; e++) {
		size_t el = strlen(*e);

		if (len > el && strcasecmp(name + len - el, *e) == 0)
			return name + len - el;
	}
	return NULL;
}

static int cmp_category(const void *a, const void *b)
{
	return strcmp(((const struct adt_category *)a)->name,
		      ((const struct adt_category *)b)->name);
}

void adt_categories_release(struct adt_categories *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].scores);
		free(c->v[i].maps);
		free(c->v[i].masks);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* The scores file of a category folder, if any. */
static char *scores_in(const char *dir)
{
	static const char *const names[] = {"scores.csv", "scores.tsv", "scores.json",
					    "scores.jsonl", NULL};

	for (const char *const *n = names; *n; n++) {
		char *p = join(dir, *n);

		if (p && is_file(p))
			return p;
		free(p);
	}
	return NULL;
}

/* Adds one category; the strings are taken over (freed on failure). */
static int add(struct adt_categories *c, char *name, char *scores, char *maps, char *masks)
{
	struct adt_category *p = realloc(c->v, (c->n + 1) * sizeof(*c->v));

	if (!p || !name) {
		free(name);
		free(scores);
		free(maps);
		free(masks);
		return -1;
	}
	c->v = p;
	c->v[c->n++] = (struct adt_category){name, scores, maps, masks};
	return 0;
}

int adt_categories_list(const char *maps_root, const char *masks_root, const char *scores_dir,
			struct adt_categories *c, struct adt_error *err)
{
	const char *root = maps_root ? maps_root : scores_dir;
	DIR *d = opendir(root);
	struct dirent *e;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	if (!d)
		return adt_error_at(err, ADT_EIO, root, 0, "cannot open folder: %s",
				    strerror(errno));
	while (ret == 0 && (e = readdir(d)) != NULL) {
		char *path;

		if (e->d_name[0] == '.')
			continue;
		path = join(root, e->d_name);
		if (!path) {
			ret = -1;
		} else if (maps_root && is_dir(path)) {
			char *masks = join(masks_root, e->d_name);

			ret = add(c, strdup(e->d_name), scores_in(path), path, masks);
			path = NULL;
		} else if (!maps_root && is_file(path) && score_ext(e->d_name)) {
			char *name = strndup(e->d_name, (size_t)(score_ext(e->d_name) - e->d_name));

			ret = add(c, name, path, NULL, NULL);
			path = NULL;
		}
		free(path);
	}
	closedir(d);
	if (ret) {
		adt_categories_release(c);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	if (c->n == 0)
		return adt_error_at(err, ADT_EDATA, root, 0,
				    maps_root ? "no category folders in it"
					      : "no score files in it (.csv, .tsv, .json, .jsonl)");
	qsort(c->v, c->n, sizeof(*c->v), cmp_category);
	for (size_t i = 1; i < c->n; i++) {
		if (strcmp(c->v[i - 1].name, c->v[i].name) == 0) {
			adt_error_at(err, ADT_EDATA, c->v[i].scores, 0,
				     "two score files for category '%s'", c->v[i].name);
			adt_categories_release(c);
			return -1;
		}
	}
	return 0;
}

struct run {
	const struct adt_categories *c;
	const struct adt_job *base;
	const struct adt_batch_given *given;
	unsigned inner_threads;
	struct adt_outcome *out;
	struct adt_error *errs;
	int *ok;
	atomic_size_t next;
	atomic_int stop;
	int stop_on_error;
	size_t done; /* under lock */
	pthread_mutex_t lock;
	void (*progress)(void *ctx, size_t done, size_t total);
	void *ctx;
};

static void worker(void *arg, unsigned t)
{
	struct run *r = arg;

	(void)t;
	/* Categories are claimed in order: after a failure that stops the
	 * run, every category before it has still been evaluated. */
	for (size_t i = atomic_fetch_add(&r->next, 1); i < r->c->n && !atomic_load(&r->stop);
	     i = atomic_fetch_add(&r->next, 1)) {
		const struct adt_category *cat = &r->c->v[i];
		struct adt_job job = *r->base;
		size_t done;

		job.scores = cat->scores;
		job.maps = cat->maps;
		job.masks = cat->masks;
		job.pixels.threads = r->inner_threads;
		if (r->given) {
			job.image.has_threshold = r->given[i].has_image;
			job.image.threshold = r->given[i].image;
			job.pixel.has_threshold = r->given[i].has_pixel;
			job.pixel.threshold = r->given[i].pixel;
		}
		adt_error_init(&r->errs[i]);
		r->ok[i] = adt_evaluate(&job, &r->out[i], &r->errs[i]) == 0;
		if (!r->ok[i] && r->stop_on_error)
			atomic_store(&r->stop, 1);
		/* Counted and shown under the lock, so the last line is the last. */
		pthread_mutex_lock(&r->lock);
		done = ++r->done;
		if (r->progress)
			r->progress(r->ctx, done, r->c->n);
		pthread_mutex_unlock(&r->lock);
	}
}

void adt_batch_run(const struct adt_categories *c, const struct adt_job *base,
		   const struct adt_batch_given *given, unsigned threads, int stop_on_error,
		   struct adt_outcome *out, struct adt_error *errs, int *ok,
		   void (*progress)(void *ctx, size_t done, size_t total), void *ctx)
{
	struct run r = {.c = c,
			.base = base,
			.given = given,
			.out = out,
			.errs = errs,
			.ok = ok,
			.stop_on_error = stop_on_error,
			.progress = progress,
			.ctx = ctx};
	unsigned outer;

	if (threads == 0)
		threads = adt_parallel_default();
	/* Categories in parallel, sharing the threads out among them. */
	outer = c->n < threads ? (unsigned)c->n : threads;
	r.inner_threads = outer > 1 ? threads / outer : threads;
	atomic_init(&r.next, 0);
	atomic_init(&r.stop, 0);
	pthread_mutex_init(&r.lock, NULL);
	adt_parallel_run(outer ? outer : 1, worker, &r);
	pthread_mutex_destroy(&r.lock);
}
