/* The pixel level's keys, split by label (see pixels.h). */
#include "adthresh/pixels.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/curve.h"
#include "adthresh/parallel.h"
#include "adthresh/sort.h"

/* One buffer of cap keys: positives fill it from the front, negatives from
 * the back, so neither class needs to be known in advance. */
struct adt_pixels {
	int wide;
	void *keys;
	uint64_t cap;
	atomic_uint_fast64_t npos, nneg;
};

struct adt_pixels *adt_pixels_new(uint64_t capacity, int wide, struct adt_error *err)
{
	size_t ks = wide ? sizeof(uint64_t) : sizeof(uint32_t);
	struct adt_pixels *px;

	if (capacity > SIZE_MAX / ks - 1) {
		adt_error_set(err, ADT_ENOMEM, "too many pixels (%llu)",
			      (unsigned long long)capacity);
		return NULL;
	}
	px = calloc(1, sizeof(*px));
	if (px)
		px->keys = malloc((size_t)(capacity ? capacity : 1) * ks);
	if (!px || !px->keys) {
		free(px);
		adt_error_set(err, ADT_ENOMEM, "out of memory for %llu pixels",
			      (unsigned long long)capacity);
		return NULL;
	}
	px->wide = wide;
	px->cap = capacity;
	atomic_init(&px->npos, 0);
	atomic_init(&px->nneg, 0);
	return px;
}

void adt_pixels_free(struct adt_pixels *px)
{
	if (!px)
		return;
	free(px->keys);
	free(px);
}

uint64_t adt_pixels_positives(const struct adt_pixels *px)
{
	return atomic_load(&((struct adt_pixels *)px)->npos);
}

uint64_t adt_pixels_negatives(const struct adt_pixels *px)
{
	return atomic_load(&((struct adt_pixels *)px)->nneg);
}

/* Sample i of a raster as a double; every sample type converts exactly
 * except 64-bit integers beyond 2^53, which only masks use (as != 0). */
static double sample_at(const struct adt_raster *r, size_t i)
{
	const void *d = r->data;

	switch (r->sample) {
	case ADT_SAMPLE_BOOL:
	case ADT_SAMPLE_U8:
		return ((const uint8_t *)d)[i];
	case ADT_SAMPLE_U16:
		return ((const uint16_t *)d)[i];
	case ADT_SAMPLE_U32:
		return ((const uint32_t *)d)[i];
	case ADT_SAMPLE_U64:
		return ((const uint64_t *)d)[i] != 0;
	case ADT_SAMPLE_I8:
		return ((const int8_t *)d)[i];
	case ADT_SAMPLE_I16:
		return ((const int16_t *)d)[i];
	case ADT_SAMPLE_I32:
		return ((const int32_t *)d)[i];
	case ADT_SAMPLE_I64:
		return ((const int64_t *)d)[i] != 0;
	case ADT_SAMPLE_F16:
		return adt_half_to_float(((const uint16_t *)d)[i]);
	case ADT_SAMPLE_F32:
		return ((const float *)d)[i];
	case ADT_SAMPLE_F64:
		return ((const double *)d)[i];
	}
	return 0;
}

/* Whether mask pixel i is anomalous; -1 for a NaN float mask pixel. */
static int mask_at(const struct adt_raster *m, size_t i)
{
	double v;

	if (m->sample == ADT_SAMPLE_U8 || m->sample == ADT_SAMPLE_BOOL)
		return ((const uint8_t *)m->data)[i] != 0;
	v = sample_at(m, i);
	return isnan(v) ? -1 : v != 0;
}

/* The score of map pixel i in the precision the keys keep. */
static double map_at(const struct adt_raster *m, int scale_int, size_t i)
{
	switch (m->sample) {
	case ADT_SAMPLE_F32:
		return ((const float *)m->data)[i];
	case ADT_SAMPLE_U8:
		return (double)((float)((const uint8_t *)m->data)[i] / 255.0f);
	case ADT_SAMPLE_U16:
		return (double)((float)((const uint16_t *)m->data)[i] / 65535.0f);
	default:
		(void)scale_int;
		return sample_at(m, i);
	}
}

static int check_map(const struct adt_pixels *px, const struct adt_raster *map, int scale_int,
		     const struct adt_raster *mask, struct adt_error *err)
{
	switch (map->sample) {
	case ADT_SAMPLE_F16:
	case ADT_SAMPLE_F32:
		break;
	case ADT_SAMPLE_F64:
		if (!px->wide)
			return adt_error_set(err, ADT_EDATA, "a float64 map needs 8-byte keys");
		break;
	case ADT_SAMPLE_U8:
	case ADT_SAMPLE_U16:
		if (scale_int)
			break;
		/* fall through */
	default:
		return adt_error_set(err, ADT_EDATA,
				     "%s samples cannot be a map (expected float16, float32 or "
				     "float64)",
				     adt_sample_name(map->sample));
	}
	if (mask && (mask->width != map->width || mask->height != map->height))
		return adt_error_set(
		    err, ADT_EDATA, "mask is %llux%llu pixels, map is %llux%llu",
		    (unsigned long long)mask->width, (unsigned long long)mask->height,
		    (unsigned long long)map->width, (unsigned long long)map->height);
	return 0;
}

int adt_pixels_add(struct adt_pixels *px, const struct adt_raster *map, int scale_int,
		   const struct adt_raster *mask, struct adt_image_stats *st, struct adt_error *err)
{
	size_t n = (size_t)(map->width * map->height), p, q;
	uint64_t npos = 0, before_pos, before_neg;
	double max = -INFINITY;

	if (check_map(px, map, scale_int, mask, err))
		return -1;
	/* First the mask, to reserve each class's share of the buffer. */
	for (size_t i = 0; mask && i < n; i++) {
		int a = mask_at(mask, i);

		if (a < 0)
			return adt_error_set(err, ADT_EDATA, "mask pixel (%zu, %zu) is NaN",
					     i % (size_t)map->width, i / (size_t)map->width);
		npos += (uint64_t)a;
	}
	before_pos = atomic_fetch_add(&px->npos, npos);
	before_neg = atomic_fetch_add(&px->nneg, n - npos);
	if (before_pos + npos + before_neg + (n - npos) > px->cap)
		return adt_error_set(err, ADT_EDATA, "more pixels than announced");
	p = (size_t)before_pos;
	q = (size_t)(px->cap - before_neg - (n - npos));
	for (size_t i = 0; i < n; i++) {
		double v = map_at(map, scale_int, i);
		int a = mask ? mask_at(mask, i) : 0;

		if (!isfinite(v))
			return adt_error_set(err, ADT_EDATA, "pixel (%zu, %zu) is %s",
					     i % (size_t)map->width, i / (size_t)map->width,
					     isnan(v) ? "NaN" : "not finite (inf)");
		if (v > max)
			max = v;
		if (px->wide)
			((uint64_t *)px->keys)[a ? p++ : q++] = adt_key_f64(v);
		else
			((uint32_t *)px->keys)[a ? p++ : q++] = adt_key_f32((float)v);
	}
	st->max = max;
	st->pixels = n;
	st->positives = npos;
	return 0;
}

/* The sort: each thread sorts its slice of the positives and its slice of
 * the negatives, each with the same slice of the scratch buffer; the walk
 * then merges all slices. */
struct sort_job {
	struct adt_pixels *px;
	void *scratch;
	unsigned threads;
	uint64_t npos, nneg;
};

static void slice(uint64_t n, unsigned parts, unsigned i, uint64_t *start, uint64_t *len)
{
	*start = n * i / parts;
	*len = n * (i + 1) / parts - *start;
}

static void sort_slice(struct adt_pixels *px, void *scratch, uint64_t at, uint64_t len)
{
	if (px->wide)
		adt_radix_sort_u64((uint64_t *)px->keys + at, (uint64_t *)scratch + at,
				   (size_t)len);
	else
		adt_radix_sort_u32((uint32_t *)px->keys + at, (uint32_t *)scratch + at,
				   (size_t)len);
}

static void sort_worker(void *arg, unsigned i)
{
	struct sort_job *j = arg;
	uint64_t at, len;

	slice(j->npos, j->threads, i, &at, &len);
	sort_slice(j->px, j->scratch, at, len);
	slice(j->nneg, j->threads, i, &at, &len);
	sort_slice(j->px, j->scratch, j->px->cap - j->nneg + at, len);
}

int adt_pixels_sweep(struct adt_pixels *px, unsigned threads, struct adt_sweep *s,
		     struct adt_error *err)
{
	size_t ks = px->wide ? sizeof(uint64_t) : sizeof(uint32_t);
	struct sort_job job = {px, NULL, threads, atomic_load(&px->npos), atomic_load(&px->nneg)};
	struct adt_keyrun runs[ADT_MAX_RUNS];
	size_t nruns = 0;

	if (job.npos + job.nneg != px->cap)
		return adt_error_set(err, ADT_EDATA, "fewer pixels than announced");
	if (threads < 1)
		threads = 1;
	if (threads > ADT_MAX_RUNS / 2)
		threads = ADT_MAX_RUNS / 2;
	job.threads = threads;
	job.scratch = malloc((size_t)(px->cap ? px->cap : 1) * ks);
	if (!job.scratch)
		return adt_error_set(err, ADT_ENOMEM, "out of memory sorting %llu pixels",
				     (unsigned long long)px->cap);
	adt_parallel_run(threads, sort_worker, &job);
	free(job.scratch);
	for (unsigned i = 0; i < threads; i++) {
		uint64_t at, len;

		slice(job.npos, threads, i, &at, &len);
		runs[nruns++] =
		    (struct adt_keyrun){(const char *)px->keys + at * ks, (size_t)len, 1};
		slice(job.nneg, threads, i, &at, &len);
		runs[nruns++] = (struct adt_keyrun){
		    (const char *)px->keys + (px->cap - job.nneg + at) * ks, (size_t)len, 0};
	}
	adt_sweep_init(s, job.npos, job.nneg);
	if (px->wide)
		adt_curve_walk_u64(runs, nruns, s);
	else
		adt_curve_walk_u32(runs, nruns, s);
	return 0;
}
