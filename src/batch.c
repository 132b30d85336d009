/* Batch evaluation (see batch.h). */
#include "adthresh/batch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adthresh/dataset.h"
#include "adthresh/grow.h"

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
		free(c->v[i].source);
		free(c->v[i].maps);
		free(c->v[i].masks);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

int adt_category_scores(const char *dir, char **path, struct adt_error *err)
{
	static const char *const names[] = {"scores.csv", "scores.tsv", "scores.json",
					    "scores.jsonl", NULL};
	const char *first = NULL;

	*path = NULL;
	for (const char *const *n = names; *n; n++) {
		char *p = join(dir, *n);

		if (!p) {
			free(*path);
			*path = NULL;
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		}
		if (!is_file(p)) {
			free(p);
			continue;
		}
		if (first) {
			free(p);
			free(*path);
			*path = NULL;
			return adt_error_at(err, ADT_EDATA, dir, 0,
					    "two score files, '%s' and '%s'; keep one", first, *n);
		}
		first = *n;
		*path = p;
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int adt_categories_refuse_parent(const char *dir, struct adt_error *err)
{
	char **names = NULL, list[256] = "";
	size_t n = 0, cap = 0;
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (!is_dir(dir) || adt_dataset_is_category(dir) || !(d = opendir(dir)))
		return 0;
	while (ret == 0 && (e = readdir(d)) != NULL) {
		char *path;
		void *p = names;

		if (e->d_name[0] == '.')
			continue;
		path = join(dir, e->d_name);
		if (!path)
			ret = -1;
		else if (is_dir(path) && adt_dataset_is_category(path)) {
			if (adt_grow(&p, &cap, n + 1, sizeof(*names)) ||
			    !(((char **)p)[n] = strdup(e->d_name)))
				ret = -1;
			names = p;
			n += ret == 0;
		}
		free(path);
	}
	closedir(d);
	if (ret == 0 && n) {
		qsort(names, n, sizeof(*names), cmp_name);
		for (size_t i = 0; i < n && i < 3; i++) {
			size_t len = strlen(list);

			snprintf(list + len, sizeof(list) - len, "%s'%.60s'", i ? ", " : "",
				 names[i]);
		}
		ret = adt_error_at(err, ADT_EUSAGE, dir, 0,
				   "holds categories of a data set (%s%s), not one: did you mean "
				   "--batch?",
				   list, n > 3 ? ", ..." : "");
	} else if (ret) {
		adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* The name of a file within its folder, as a new string. */
static char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return strdup(slash ? slash + 1 : path);
}

int adt_categories_add(struct adt_categories *c, int single, char *name, char *scores, char *source,
		       char *maps, char *masks, struct adt_error *err)
{
	void *p = c->v;

	if ((!name && !single) || (!single && ((scores && !source) || (maps && !masks))) ||
	    adt_grow(&p, &c->cap, c->n + 1, sizeof(*c->v))) {
		free(name);
		free(scores);
		free(source);
		free(maps);
		free(masks);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	c->v = p;
	c->v[c->n++] = (struct adt_category){name, scores, source, maps, masks};
	return 0;
}

void adt_categories_remove(struct adt_categories *c, size_t i)
{
	struct adt_category *k = &c->v[i];

	free(k->name);
	free(k->scores);
	free(k->source);
	free(k->maps);
	free(k->masks);
	memmove(k, k + 1, (c->n - i - 1) * sizeof(*k));
	c->n--;
}

int adt_categories_list(const char *maps_root, const char *masks_root, const char *scores_dir,
			int map_maxima, struct adt_categories *c, struct adt_error *err)
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
			ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
		} else if (maps_root && is_dir(path)) {
			char *scores = NULL;

			ret = map_maxima ? 0 : adt_category_scores(path, &scores, err);
			if (ret == 0) {
				ret = adt_categories_add(c, 0, strdup(e->d_name), scores,
							 scores ? base_of(scores) : NULL, path,
							 join(masks_root, e->d_name), err);
				path = NULL;
			}
		} else if (!maps_root && is_file(path) && score_ext(e->d_name)) {
			char *name = strndup(e->d_name, (size_t)(score_ext(e->d_name) - e->d_name));

			ret = adt_categories_add(c, 0, name, path, strdup(e->d_name), NULL, NULL,
						 err);
			path = NULL;
		}
		free(path);
	}
	closedir(d);
	if (ret) {
		adt_categories_release(c);
		return -1;
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
