/* Per-defect breakdown (see defects.h). */
#include "adthresh/defects.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"
#include "adthresh/hash.h"
#include "adthresh/metrics.h"

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

const struct adt_defect *adt_defects_find(const struct adt_defects *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++) {
		if (strcmp(d->v[i].name, name) == 0)
			return &d->v[i];
	}
	return NULL;
}

enum { N, POSITIVES, NEGATIVES, TP, FP, FN, TN, RECALL, FPR, PRECISION, FIELDS };

const char *const adt_defect_fields[] = {[N] = "n",
					 [POSITIVES] = "positives",
					 [NEGATIVES] = "negatives",
					 [TP] = "tp",
					 [FP] = "fp",
					 [FN] = "fn",
					 [TN] = "tn",
					 [RECALL] = "recall",
					 [FPR] = "fpr",
					 [PRECISION] = "precision"};

const size_t adt_defect_field_count = FIELDS;

void adt_defect_field_names(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < FIELDS && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", k ? ", " : "",
					adt_defect_fields[k]);
	if (len >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

int adt_defect_field_find(const char *name)
{
	for (int k = 0; k < FIELDS; k++) {
		if (strcmp(adt_defect_fields[k], name) == 0)
			return k;
	}
	return -1;
}

double adt_defect_value(const struct adt_defect_counts *c, size_t k)
{
	uint64_t negatives = c->n - c->positives;

	switch (k) {
	case N:
		return (double)c->n;
	case POSITIVES:
		return (double)c->positives;
	case NEGATIVES:
		return (double)negatives;
	case TP:
		return (double)c->tp;
	case FP:
		return (double)c->fp;
	case FN:
		return (double)(c->positives - c->tp);
	case TN:
		return (double)(negatives - c->fp);
	case RECALL:
		return adt_recall(c->tp, c->positives - c->tp);
	case FPR:
		return negatives ? (double)c->fp / (double)negatives : NAN;
	case PRECISION:
		return adt_precision(c->tp, c->fp);
	}
	return NAN;
}
