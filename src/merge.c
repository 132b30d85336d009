/* Merging counts files (see merge.h). */
#include "adthresh/merge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/app.h"
#include "adthresh/defects.h"
#include "adthresh/moments.h"

struct adt_merge {
	const char **path; /* in merge order: by shard, else as given */
	struct adt_counts_head *head;
	size_t n;
	struct adt_samples images; /* every file's, in merge order */
	size_t *image_file;	   /* the file of each image sample */
};

/* One file's place in a pass over the steps. */
struct source {
	struct adt_counts_reader *r;
	uint64_t key, pos, neg;
	const uint32_t *sizes;
};

/* A pass over the merged steps: a heap of the files by their next key,
 * highest first. */
struct pass {
	struct source *s;
	size_t *heap, n;
};

void adt_merge_close(struct adt_merge *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		adt_counts_head_release(&m->head[i]);
	free(m->head);
	free(m->path);
	free(m->image_file);
	adt_samples_release(&m->images);
	free(m);
}

/* The first option word in which a and b differ, as text. */
static void first_difference(const struct adt_counts_head *a, const struct adt_counts_head *b,
			     const char **wa, const char **wb)
{
	size_t i = 0;

	while (i < a->nwords && i < b->nwords && strcmp(a->words[i], b->words[i]) == 0)
		i++;
	*wa = i < a->nwords ? a->words[i] : "nothing more";
	*wb = i < b->nwords ? b->words[i] : "nothing more";
}

static const char *kind_of_images(unsigned flags)
{
	return !(flags & ADT_COUNTS_IMAGE)     ? "no image level"
	       : (flags & ADT_COUNTS_IMPLIED) ? "image scores from the map maxima"
					       : "image scores from a scores file";
}

/* Whether b can merge with a, the first file. */
static int compatible(const char *pa, const struct adt_counts_head *a, const char *pb,
		      const struct adt_counts_head *b, struct adt_error *err)
{
	const unsigned image = ADT_COUNTS_IMAGE | ADT_COUNTS_IMPLIED;
	const char *wa, *wb;

	if ((a->flags ^ b->flags) & ADT_COUNTS_PIXEL)
		return adt_error_at(err, ADT_EDATA, pb, 0, "%s pixel level and '%s' %s",
				    b->flags & ADT_COUNTS_PIXEL ? "has a" : "has no", pa,
				    a->flags & ADT_COUNTS_PIXEL ? "has one" : "has none");
	if ((a->flags ^ b->flags) & ADT_COUNTS_WIDE)
		return adt_error_at(err, ADT_EDATA, pb, 0,
				    "counts float%d maps and '%s' float%d maps; merge counts of "
				    "one precision",
				    b->flags & ADT_COUNTS_WIDE ? 64 : 32, pa,
				    a->flags & ADT_COUNTS_WIDE ? 64 : 32);
	if ((a->flags ^ b->flags) & image)
		return adt_error_at(err, ADT_EDATA, pb, 0, "has %s and '%s' %s",
				    kind_of_images(b->flags), pa, kind_of_images(a->flags));
	first_difference(a, b, &wa, &wb);
	if (strcmp(wa, wb) != 0)
		return adt_error_at(err, ADT_EDATA, pb, 0,
				    "counted with other options than '%s': '%s' against '%s'", pa,
				    wb, wa);
	if ((a->flags ^ b->flags) & (ADT_COUNTS_REGIONS | ADT_COUNTS_IDS | ADT_COUNTS_SINGLE))
		return adt_error_at(err, ADT_EDATA, pb, 0,
				    "holds other kinds of counts than '%s' (format flags 0x%x "
				    "against 0x%x)",
				    pa, b->flags, a->flags);
	if ((a->shard_n == 0) != (b->shard_n == 0)) {
		const struct adt_counts_head *s = a->shard_n ? a : b;

		return adt_error_at(err, ADT_EDATA, pb, 0, "%s a shard and '%s' %s (shard %u/%u)",
				    b->shard_n ? "is" : "is not", pa, a->shard_n ? "is" : "is not",
				    s->shard_k, s->shard_n);
	}
	if (a->shard_n && a->shard_n == b->shard_n && a->items == b->items && a->cut != b->cut)
		return adt_error_at(err, ADT_EDATA, pb, 0,
				    "is shard %u/%u of other inputs than '%s': shards of one data "
				    "set read the same files",
				    b->shard_k, b->shard_n, pa);
	if (a->shard_n && (a->shard_n != b->shard_n || a->items != b->items))
		return adt_error_at(err, ADT_EDATA, pb, 0,
				    "is shard %u/%u of %llu images and '%s' shard %u/%u of %llu "
				    "images: not parts of one data set",
				    b->shard_k, b->shard_n, (unsigned long long)b->items, pa,
				    a->shard_k, a->shard_n, (unsigned long long)a->items);
	return 0;
}

/* An image id or a shard number with where it stands, sorted without
 * global state. */
struct ranked {
	const char *id;
	uint32_t k;
	size_t at;
};

static int by_id(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	int c = strcmp(a->id, b->id);

	return c ? c : a->at < b->at ? -1 : a->at > b->at;
}

static int by_shard(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;

	return a->k < b->k ? -1 : a->k > b->k;
}

/* No image in two files (it would count twice).  The images of maps are
 * saved under their files' paths as opened, so runs over other folders or
 * stacks do not share an id; ids from a scores file are its own. */
static int distinct_images(struct adt_merge *m, struct adt_error *err)
{
	size_t n = m->images.n;
	struct ranked *ix;

	if (!m->images.id || n < 2)
		return 0;
	ix = malloc(n * sizeof(*ix));
	if (!ix)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		ix[i] = (struct ranked){m->images.id[i], 0, i};
	qsort(ix, n, sizeof(*ix), by_id);
	for (size_t i = 1; i < n; i++) {
		size_t a = ix[i - 1].at, b = ix[i].at;

		if (strcmp(m->images.id[a], m->images.id[b]) != 0)
			continue;
		if (m->image_file[a] == m->image_file[b])
			adt_error_at(err, ADT_EDATA, m->path[m->image_file[b]], 0,
				     "image '%s' is in it twice", m->images.id[b]);
		else
			adt_error_at(err, ADT_EDATA, m->path[m->image_file[b]], 0,
				     "image '%s' is also in '%s'; merge counts of disjoint parts",
				     m->images.id[b], m->path[m->image_file[a]]);
		free(ix);
		return -1;
	}
	free(ix);
	return 0;
}

/* Every shard of n once. */
static int shards_complete(struct adt_merge *m, struct adt_error *err)
{
	uint32_t n = m->head[0].shard_n;
	char missing[256] = "";
	size_t used = 0, nmissing = 0;

	for (size_t i = 1; i < m->n; i++) {
		if (m->head[i].shard_k == m->head[i - 1].shard_k)
			return adt_error_at(err, ADT_EDATA, m->path[i], 0,
					    "is shard %u/%u, as '%s' is", m->head[i].shard_k, n,
					    m->path[i - 1]);
	}
	for (uint32_t k = 1, i = 0; k <= n; k++) {
		if (i < m->n && m->head[i].shard_k == k) {
			i++;
			continue;
		}
		if (nmissing++ < 8 && used < sizeof(missing))
			used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%u",
						 nmissing > 1 ? ", " : "", k);
	}
	if (nmissing)
		return adt_error_set(err, ADT_EDATA,
				     "%zu of the %u shards are missing (%s%s): the merge would "
				     "report a part of the data",
				     nmissing, n, missing, nmissing > 8 ? ", ..." : "");
	return 0;
}

/* Puts the files in shard order. */
static int order_shards(struct adt_merge *m, struct adt_error *err)
{
	struct ranked *ix = malloc(m->n * sizeof(*ix));
	struct adt_counts_head *h = malloc(m->n * sizeof(*h));
	const char **p = malloc(m->n * sizeof(*p));

	if (!ix || !h || !p) {
		free(ix);
		free(h);
		free(p);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < m->n; i++)
		ix[i] = (struct ranked){NULL, m->head[i].shard_k, i};
	qsort(ix, m->n, sizeof(*ix), by_shard);
	for (size_t i = 0; i < m->n; i++) {
		h[i] = m->head[ix[i].at];
		p[i] = m->path[ix[i].at];
	}
	free(m->head);
	free(m->path);
	m->head = h;
	m->path = p;
	free(ix);
	return 0;
}

static int gather_images(struct adt_merge *m, struct adt_error *err)
{
	size_t total = 0, at = 0;

	if (!(m->head[0].flags & ADT_COUNTS_IMAGE))
		return 0;
	for (size_t i = 0; i < m->n; i++)
		total += m->head[i].images.n;
	m->image_file = malloc((total ? total : 1) * sizeof(*m->image_file));
	if (!m->image_file)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		const struct adt_samples *s = &m->head[i].images;

		for (size_t j = 0; j < s->n; j++, at++) {
			if (adt_samples_push(&m->images, s->score[j], s->label[j],
					     s->id ? s->id[j] : NULL, 0, err))
				return -1;
			m->image_file[at] = i;
		}
	}
	m->images.single = m->head[0].images.single;
	return distinct_images(m, err);
}

int adt_merge_open(const char *const *files, size_t n, struct adt_merge **out,
		   struct adt_error *err)
{
	struct adt_merge *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	adt_samples_init(&m->images);
	m->head = calloc(n ? n : 1, sizeof(*m->head));
	m->path = calloc(n ? n : 1, sizeof(*m->path));
	if (!m->head || !m->path) {
		adt_merge_close(m);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct adt_counts_reader *r;

		for (size_t j = 0; j < i; j++) {
			if (adt_same_file(files[i], files[j]) || strcmp(files[i], files[j]) == 0) {
				adt_merge_close(m);
				return adt_error_at(err, ADT_EUSAGE, files[i], 0,
						    "given twice to --merge");
			}
		}
		/* The head is kept; the steps are read in the passes. */
		if (adt_counts_open(files[i], NULL, &r, err)) {
			adt_merge_close(m);
			return -1;
		}
		adt_counts_take_head(r, &m->head[i]);
		adt_counts_close(r);
		m->path[i] = files[i];
		m->n++;
		if (i > 0 && compatible(files[0], &m->head[0], files[i], &m->head[i], err)) {
			adt_merge_close(m);
			return -1;
		}
	}
	if (m->n > 0 && m->head[0].shard_n &&
	    (order_shards(m, err) || shards_complete(m, err))) {
		adt_merge_close(m);
		return -1;
	}
	if (m->n > 0 && gather_images(m, err)) {
		adt_merge_close(m);
		return -1;
	}
	*out = m;
	return 0;
}

const struct adt_counts_head *adt_merge_head(const struct adt_merge *m)
{
	return &m->head[0];
}

const char *adt_merge_first(const struct adt_merge *m)
{
	return m->path[0];
}

struct adt_samples *adt_merge_images(struct adt_merge *m)
{
	return &m->images;
}

/* The source of the merged image level: the files' own when they agree. */
const char *adt_merge_source(const struct adt_merge *m)
{
	for (size_t i = 1; i < m->n; i++) {
		if (strcmp(m->head[i].source, m->head[0].source) != 0)
			return "merged counts";
	}
	return m->head[0].source;
}

static int higher(const struct pass *p, size_t a, size_t b)
{
	return p->s[p->heap[a]].key > p->s[p->heap[b]].key;
}

static void sift_down(struct pass *p, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, top = i, t;

		if (l < p->n && higher(p, l, top))
			top = l;
		if (r < p->n && higher(p, r, top))
			top = r;
		if (top == i)
			return;
		t = p->heap[i];
		p->heap[i] = p->heap[top];
		p->heap[top] = t;
		i = top;
	}
}

static void pass_close(struct pass *p, size_t n)
{
	for (size_t i = 0; p->s && i < n; i++)
		adt_counts_close(p->s[i].r);
	free(p->s);
	free(p->heap);
	memset(p, 0, sizeof(*p));
}

/* Reads the next step of file i into its source; 0 at its end. */
static int advance(struct source *s, struct adt_error *err)
{
	return adt_counts_step(s->r, &s->key, &s->pos, &s->neg, &s->sizes, err);
}

static int pass_open(const struct adt_merge *m, struct pass *p, struct adt_error *err)
{
	memset(p, 0, sizeof(*p));
	p->s = calloc(m->n, sizeof(*p->s));
	p->heap = calloc(m->n, sizeof(*p->heap));
	if (!p->s || !p->heap) {
		pass_close(p, m->n);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < m->n; i++) {
		int got;

		if (adt_counts_open(m->path[i], NULL, &p->s[i].r, err) ||
		    (got = advance(&p->s[i], err)) < 0) {
			pass_close(p, m->n);
			return -1;
		}
		if (got)
			p->heap[p->n++] = i;
	}
	for (size_t i = p->n / 2; i-- > 0;)
		sift_down(p, i);
	return 0;
}

/* The next merged step: the highest key of the files, its counts summed
 * and its region sizes put at regions (NULL: not kept).  Returns 1, 0 at
 * the end, -1 with err. */
static int pass_step(struct pass *p, uint64_t *key, uint64_t *pos, uint64_t *neg,
		     uint32_t *regions, struct adt_error *err)
{
	if (p->n == 0)
		return 0;
	*key = p->s[p->heap[0]].key;
	*pos = *neg = 0;
	while (p->n > 0 && p->s[p->heap[0]].key == *key) {
		struct source *s = &p->s[p->heap[0]];
		int got;

		if (regions && s->pos > 0)
			memcpy(regions + *pos, s->sizes, (size_t)s->pos * sizeof(*regions));
		*pos += s->pos;
		*neg += s->neg;
		if ((got = advance(s, err)) < 0)
			return -1;
		if (!got)
			p->heap[0] = p->heap[--p->n];
		sift_down(p, 0);
	}
	return 1;
}

/* The mean and population standard deviation of the normal pixels'
 * scores, in two passes (compensated sums weighted by the counts). */
static int normal_moments(const struct adt_merge *m, uint64_t N, double *mean, double *std,
			  struct adt_error *err)
{
	struct adt_sum sum = {0, 0};
	struct adt_deviations dev = {{0, 0}, {0, 0}};
	struct pass p;
	uint64_t key, pos, neg;
	int got;

	for (int round = 0; round < 2; round++) {
		if (pass_open(m, &p, err))
			return -1;
		while ((got = pass_step(&p, &key, &pos, &neg, NULL, err)) == 1) {
			double t = adt_counts_score(p.s[0].r, key), d;

			if (neg == 0)
				continue;
			if (round == 0) {
				adt_sum_add(&sum, t * (double)neg);
				continue;
			}
			d = t - *mean;
			adt_sum_add(&dev.d, d * (double)neg);
			adt_sum_add(&dev.d2, d * d * (double)neg);
		}
		pass_close(&p, m->n);
		if (got < 0)
			return -1;
		if (round == 0)
			*mean = adt_sum_value(&sum) / (double)N;
	}
	adt_deviations_finish(&dev, N, mean, std);
	return 0;
}

/* One file's defect folders counted at the pixel level's threshold into
 * d. */
static int file_defects(const char *path, const struct adt_level_result *pixel,
			struct adt_defects *d, struct adt_error *err)
{
	struct adt_counts_reader *r;
	const char *name;
	uint64_t P, N, key, pos, neg;
	const uint32_t *sizes;
	int got;

	if (adt_counts_open(path, NULL, &r, err))
		return -1;
	if (!(adt_counts_head_of(r)->flags & ADT_COUNTS_DEFECTS)) {
		adt_counts_close(r);
		return adt_error_at(err, ADT_EDATA, path, 0,
				    "has no defect folders for the per-defect table");
	}
	while ((got = adt_counts_next_group(r, &name, &P, &N, err)) == 1) {
		struct adt_defect_counts c = {P + N, P, 0, 0};
		char id[ADT_COUNTS_MAX_TEXT + 3];

		while ((got = adt_counts_step(r, &key, &pos, &neg, &sizes, err)) == 1) {
			double t = adt_counts_score(r, key);

			if (pixel->rule == ADT_RULE_GT ? t > pixel->threshold
						       : t >= pixel->threshold) {
				c.tp += pos;
				c.fp += neg;
			}
		}
		/* The folder of a path "NAME/-" is NAME. */
		snprintf(id, sizeof(id), "%s/-", name);
		if (got < 0 || adt_defects_add(d, id, 1, &c, err)) {
			got = -1;
			break;
		}
	}
	adt_counts_close(r);
	return got < 0 ? -1 : 0;
}

int adt_merge_defects(const struct adt_merge *m, const struct adt_level_result *pixel,
		      struct adt_defects *d, struct adt_error *err)
{
	for (size_t i = 0; i < m->n; i++) {
		if (file_defects(m->path[i], pixel, d, err))
			return -1;
	}
	adt_defects_sort(d);
	return 0;
}

int adt_merge_pixels(const struct adt_merge *m, const struct adt_eval_opts *eo,
		     struct adt_level_result *r, uint32_t **keep_regions, uint64_t *nregions,
		     struct adt_error *err)
{
	uint64_t P = 0, N = 0, regions = 0, key, pos, neg, tp = 0;
	double mean = NAN, std = NAN;
	uint32_t *region = NULL;
	int wide = (m->head[0].flags & ADT_COUNTS_WIDE) != 0, got = -1, ret = -1;
	int with_regions = (m->head[0].flags & ADT_COUNTS_REGIONS) &&
			   (eo->aupro_limit > 0 || keep_regions);
	struct adt_sweep sw;
	struct adt_sweep_opts so;
	struct pass p;

	memset(&sw, 0, sizeof(sw));
	memset(&p, 0, sizeof(p));
	for (size_t i = 0; i < m->n; i++) {
		/* P + N stays below 2^64 (the reader checked each file's). */
		if (m->head[i].P + m->head[i].N > UINT64_MAX - P - N)
			return adt_error_set(err, ADT_EDATA, "the merged pixel counts overflow");
		P += m->head[i].P;
		N += m->head[i].N;
		regions += m->head[i].regions;
	}
	if (adt_eval_classes_missing(eo, P, N))
		return adt_error_at(err, ADT_EDATA, m->path[0], 0,
				    "pixel level has %llu anomalous and %llu normal pixels%s in "
				    "the merged counts; a threshold needs both (--allow-one-class "
				    "falls back as anomalib does)",
				    (unsigned long long)P, (unsigned long long)N,
				    P == 0 ? " (no mask marks a pixel anomalous)" : "");
	if (eo->aupro_limit > 0 && !(m->head[0].flags & ADT_COUNTS_REGIONS))
		return adt_error_at(err, ADT_EDATA, m->path[0], 0,
				    "has no region sizes for AU-PRO");
	if (with_regions && P > SIZE_MAX / sizeof(*region))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (with_regions && !(region = malloc((size_t)(P ? P : 1) * sizeof(*region))))
		return adt_error_set(err, ADT_ENOMEM,
				     "out of memory for the regions of %llu anomalous pixels",
				     (unsigned long long)P);
	adt_eval_sweep_opts(eo, &so);
	if (adt_eval_wants_moments(eo, &so) &&
	    ((N > 0 && normal_moments(m, N, &mean, &std, err)) ||
	     adt_eval_sigma(eo, &so, mean, std, "pixel", err))) {
		adt_error_set_file(err, m->path[0]);
		goto out;
	}
	if (so.aupro_limit > 0) {
		so.region_size = region;
		so.regions = regions;
	}
	adt_sweep_init(&sw, P, N);
	adt_sweep_configure(&sw, &so);
	sw.single = !wide;
	if (pass_open(m, &p, err))
		goto out;
	/* Each step's region sizes are in place before the sweep reads them. */
	while ((got = pass_step(&p, &key, &pos, &neg, region ? region + tp : NULL, err)) == 1) {
		adt_sweep_step(&sw, adt_counts_score(p.s[0].r, key), pos, neg);
		tp += pos;
	}
	if (got < 0)
		goto out;
	if (adt_eval_finish(&sw, "pixel", eo, r, err))
		goto out;
	r->normal_mean = mean;
	r->normal_std = std;
	if (r->unmet) {
		adt_error_at(err, ADT_EDATA, m->path[0], 0, "pixel level: no threshold meets %s",
			     so.policy.name);
		goto out;
	}
	if (keep_regions) {
		*keep_regions = region;
		*nregions = regions;
		region = NULL;
	}
	ret = 0;
out:
	pass_close(&p, m->n);
	adt_sweep_release(&sw);
	free(region);
	return ret;
}
