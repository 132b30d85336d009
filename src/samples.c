/* Image-level samples (see samples.h). */
#include "adthresh/samples.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"
#include "adthresh/hash.h"

void adt_samples_init(struct adt_samples *s)
{
	memset(s, 0, sizeof(*s));
}

void adt_samples_release(struct adt_samples *s)
{
	if (s->id) {
		for (size_t i = 0; i < s->n; i++)
			free(s->id[i]);
	}
	free(s->score);
	free(s->label);
	free(s->id);
	free(s->line);
	adt_samples_init(s);
}

/* Grows one of the parallel arrays, of capacity `from`, to hold need
 * elements of size sz; *cap becomes the least capacity grown so far. */
static int grow(void **p, size_t from, size_t *cap, size_t need, size_t sz)
{
	if (adt_grow(p, &from, need, sz))
		return -1;
	if (from < *cap)
		*cap = from;
	return 0;
}

static int reserve(struct adt_samples *s, int with_id)
{
	void *score = s->score, *label = s->label, *line = s->line, *id = s->id;
	size_t need = s->n + 1, cap = SIZE_MAX;
	int bad;

	if (need <= s->cap)
		return 0;
	/* The arrays share s->cap, which moves only once all have grown, to
	 * the least of their new capacities.  Those that did grow are stored
	 * back either way: their old blocks are gone. */
	bad = grow(&score, s->cap, &cap, need, sizeof(*s->score)) ||
	      grow(&label, s->cap, &cap, need, sizeof(*s->label)) ||
	      grow(&line, s->cap, &cap, need, sizeof(*s->line)) ||
	      (with_id && grow(&id, s->cap, &cap, need, sizeof(*s->id)));
	s->score = score;
	s->label = label;
	s->line = line;
	s->id = id;
	if (bad)
		return -1;
	s->cap = cap;
	return 0;
}

int adt_samples_push(struct adt_samples *s, double score, int label, const char *id,
		     unsigned long line, struct adt_error *err)
{
	char *copy = NULL;

	if ((id != NULL) != (s->id != NULL) && s->n > 0)
		return adt_error_set(err, ADT_EDATA, "some samples have an id and some do not");
	if (reserve(s, id != NULL))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (id) {
		copy = strdup(id);
		if (!copy)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		s->id[s->n] = copy;
	}
	s->score[s->n] = score;
	s->label[s->n] = label ? 1 : 0;
	s->line[s->n] = line;
	s->n++;
	return 0;
}

int adt_samples_find_duplicate(const struct adt_samples *s, size_t *first, size_t *dup)
{
	size_t cap = 16, *slot;
	int ret = 0;

	if (!s->id || s->n < 2)
		return 0;
	while (cap < s->n * 2)
		cap *= 2;
	slot = calloc(cap, sizeof(*slot)); /* sample index + 1; 0 is empty */
	if (!slot)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		size_t h = (size_t)adt_hash_bytes(s->id[i], strlen(s->id[i])) & (cap - 1);

		while (slot[h] && strcmp(s->id[slot[h] - 1], s->id[i]) != 0)
			h = (h + 1) & (cap - 1);
		if (slot[h]) {
			*first = slot[h] - 1;
			*dup = i;
			ret = 1;
			break;
		}
		slot[h] = i + 1;
	}
	free(slot);
	return ret;
}

int adt_samples_check_ids(const struct adt_samples *s, struct adt_error *err)
{
	size_t first, dup;

	switch (adt_samples_find_duplicate(s, &first, &dup)) {
	case 0:
		return 0;
	case 1:
		return adt_error_at(err, ADT_EDATA, NULL, s->line[dup],
				    "duplicate id '%s' (first on line %lu)", s->id[dup],
				    s->line[first]);
	default:
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
}
