/* Per-defect breakdown (see defects.h). */
#include "adthresh/defects.h"

#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"

int adt_defect_of(const char *id, const char **start, size_t *len)
{
	const char *end = NULL, *p;

	/* The separator before the file name; ids from Windows use '\'. */
	for (p = id; *p; p++) {
		if (*p == '/' || *p == '\\')
			end = p;
	}
	if (!end)
		return -1;
	for (p = end; p > id && p[-1] != '/' && p[-1] != '\\';)
		p--;
	if (p == end)
		return -1; /* "/x.png" or "a//x.png": no name */
	*start = p;
	*len = (size_t)(end - p);
	return 0;
}

int adt_defects_add(struct adt_defects *d, const char *id, int level,
		    const struct adt_defect_counts *c, struct adt_error *err)
{
	const char *name;
	size_t len, i;
	struct adt_defect *k;

	if (adt_defect_of(id, &name, &len))
		return adt_error_set(err, ADT_EDATA,
				     "image '%s' is in no folder; the per-defect breakdown groups "
				     "images by the folder that holds them (test/<defect>/...)",
				     id);
	for (i = 0; i < d->n; i++) {
		if (strlen(d->v[i].name) == len && memcmp(d->v[i].name, name, len) == 0)
			break;
	}
	if (i == d->n) {
		struct adt_defect *v;
		void *p = d->v;

		if (adt_grow(&p, &d->cap, d->n + 1, sizeof(*d->v)))
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		d->v = v = p;
		memset(&v[i], 0, sizeof(v[i]));
		v[i].name = malloc(len + 1);
		if (!v[i].name)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		memcpy(v[i].name, name, len);
		v[i].name[len] = '\0';
		d->n++;
	}
	k = &d->v[i];
	k->has[level] = 1;
	k->lv[level].n += c->n;
	k->lv[level].positives += c->positives;
	k->lv[level].tp += c->tp;
	k->lv[level].fp += c->fp;
	return 0;
}

static int cmp_defect(const void *a, const void *b)
{
	return strcmp(((const struct adt_defect *)a)->name, ((const struct adt_defect *)b)->name);
}

void adt_defects_sort(struct adt_defects *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp_defect);
}

void adt_defects_release(struct adt_defects *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
