/* Per-defect breakdown (see defects.h). */
#include "adthresh/defects.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"
#include "adthresh/hash.h"

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

/* The slot of the name (len bytes) in d's index: the one holding it, or
 * the free one where it goes. */
static size_t find_slot(const struct adt_defects *d, const char *name, size_t len)
{
	size_t mask = d->slots - 1, h = (size_t)adt_hash_bytes(name, len) & mask;

	while (d->slot[h]) {
		const char *s = d->v[d->slot[h] - 1].name;

		if (strncmp(s, name, len) == 0 && s[len] == '\0')
			break;
		h = (h + 1) & mask;
	}
	return h;
}

/* Makes the index hold every defect with room for one more while staying
 * at most half full.  Returns 0, or -1 when out of memory. */
static int fit_index(struct adt_defects *d)
{
	size_t slots = d->slots ? d->slots : 64;
	size_t *old = d->slot;

	if (d->slot && d->n < d->slots / 2)
		return 0;
	while (d->n >= slots / 2) {
		if (slots > SIZE_MAX / 2 / sizeof(*d->slot))
			return -1;
		slots *= 2;
	}
	d->slot = calloc(slots, sizeof(*d->slot));
	if (!d->slot) {
		d->slot = old;
		return -1;
	}
	free(old);
	d->slots = slots;
	for (size_t i = 0; i < d->n; i++)
		d->slot[find_slot(d, d->v[i].name, strlen(d->v[i].name))] = i + 1;
	return 0;
}

int adt_defects_add(struct adt_defects *d, const char *id, int level,
		    const struct adt_defect_counts *c, struct adt_error *err)
{
	const char *name;
	size_t len, h, i;
	struct adt_defect *k;

	if (adt_defect_of(id, &name, &len))
		return adt_error_set(err, ADT_EDATA,
				     "image '%s' is in no folder; the per-defect breakdown groups "
				     "images by the folder that holds them (test/<defect>/...)",
				     id);
	if (fit_index(d))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	h = find_slot(d, name, len);
	i = d->slot[h] ? d->slot[h] - 1 : d->n;
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
		d->slot[h] = d->n;
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
	/* The index holds positions in v: the next add rebuilds it. */
	free(d->slot);
	d->slot = NULL;
	d->slots = 0;
}

void adt_defects_release(struct adt_defects *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	free(d->slot);
	d->v = NULL;
	d->slot = NULL;
	d->n = d->cap = d->slots = 0;
}
