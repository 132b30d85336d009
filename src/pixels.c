/* The pixel level's keys, split by label, and their sweep (see pixels.h). */
#include "adthresh/pixels.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adthresh/curve.h"
#include "adthresh/moments.h"
#include "adthresh/parallel.h"
#include "adthresh/sort.h"
#include "adthresh/tempfile.h"

struct count_job;

/* Normal pixels' keys past the memory bound: whenever the buffer is full,
 * its negatives are bucketed by their high 16 bits and appended to a
 * temporary file as a run; the sweep reads each bucket back from every
 * run.  With the keys kept in order (adt_pixels_keep_order), each run is
 * also written as it came to a second file, for adt_pixels_count_at.  A
 * thread that finds the buffer full waits for the others to finish
 * writing their images, then writes the run on all threads, while the
 * others wait. */
struct spill_run {
	uint64_t base;	 /* its first key in either file */
	uint64_t n;	 /* its keys */
	uint64_t cap;	 /* the buffer's size when it was written */
	uint32_t *start; /* NBUCKETS + 1 offsets of its buckets from base (a
			  * run holds fewer than 2^32 keys) */
};

struct spill {
	int fd, order_fd; /* -1 until needed */
	char *dir;	  /* the temporary folder, for messages */
	uint64_t memory;  /* the bound, for messages */
	unsigned threads;
	uint32_t *scratch;
	struct count_job *job;
	struct spill_run *runs;
	size_t nruns, runs_cap;
	uint64_t keys; /* in the runs */
	pthread_mutex_t lock;
	pthread_cond_t idle;
	unsigned writers; /* threads writing an image's keys */
	int flushing, failed;
	struct adt_error err; /* when failed */
};

/* One buffer of cap keys: positives fill it from the front, negatives from
 * the back, so neither class needs to be known in advance. */
struct adt_pixels {
	int wide;
	void *keys;
	uint64_t cap;			/* keys the buffer holds */
	uint64_t total;			/* pixels announced */
	atomic_uint_fast64_t added;	/* pixels added */
	atomic_uint_fast64_t npos, nneg; /* keys in the buffer */
	/* With a memory bound the pixels exceed: the negatives go to a
	 * temporary file whenever the buffer is full (see struct spill). */
	struct spill *sp;
	/* For AU-PRO: the size of each positive's region, beside its key;
	 * the pages past the positives are never touched, so they cost no
	 * memory.  regions counts the regions of all masks. */
	uint32_t *region_size;
	atomic_uint_fast64_t regions;
	int keep_order; /* the sweep must not reorder the keys */
	/* For AUPIMO (adt_pixels_track_images): the anomalous image of each
	 * positive, beside its key; the anomalous pixels of each anomalous
	 * image; the shared FPR at the normal images' highest scores. */
	uint32_t *image_of;
	uint64_t *image_positives, images, normal_images;
	double *shared_score, *shared_fpr;
	size_t shared_n;
};

/* The most memory a run takes, buffer and scratch (see below). */
#define SPILL_RUN ((uint64_t)256 << 20)

static struct spill *spill_new(uint64_t memory, unsigned threads);
static void spill_free(struct spill *sp);

struct adt_pixels *adt_pixels_new(uint64_t capacity, int wide, struct adt_error *err)
{
	return adt_pixels_new_bounded(capacity, wide, 0, 0, 1, err);
}

struct adt_pixels *adt_pixels_new_bounded(uint64_t capacity, int wide, uint64_t memory,
					  uint64_t largest, unsigned threads, struct adt_error *err)
{
	size_t ks = wide ? sizeof(uint64_t) : sizeof(uint32_t);
	uint64_t cap = capacity;
	struct adt_pixels *px;

	/* A buffer and the sweep's scratch of the same size: 8 bytes a key.
	 * Once keys spill, runs of at most SPILL_RUN bytes are faster than
	 * larger ones (the scatter stays within reach of the TLB, and the
	 * kernel takes the writes in smaller bursts), so a larger bound is
	 * not filled. */
	if (!wide && memory > 0 && capacity > memory / 8) {
		/* Room for two of the largest maps at least, so that runs are
		 * not written for a map or two each. */
		if (largest > memory / 8) {
			adt_error_set(err, ADT_ENOMEM,
				      "a map of %llu pixels needs %llu MiB for its keys, more than "
				      "the memory bound (%llu MiB); raise --memory",
				      (unsigned long long)largest,
				      (unsigned long long)((largest * 8 + (1 << 20) - 1) >> 20),
				      (unsigned long long)(memory >> 20));
			return NULL;
		}
		cap = (memory < SPILL_RUN ? memory : SPILL_RUN) / 8;
		if (cap < 2 * largest)
			cap = 2 * largest < memory / 8 ? 2 * largest : memory / 8;
		if (cap > UINT32_MAX)
			cap = UINT32_MAX;
	}
	if (cap > SIZE_MAX / ks - 1) {
		adt_error_set(err, ADT_ENOMEM, "too many pixels (%llu)", (unsigned long long)cap);
		return NULL;
	}
	px = calloc(1, sizeof(*px));
	if (px)
		px->keys = malloc((size_t)(cap ? cap : 1) * ks);
	if (px && px->keys && cap < capacity && !(px->sp = spill_new(cap, threads))) {
		free(px->keys);
		px->keys = NULL;
	}
	if (!px || !px->keys) {
		free(px);
		adt_error_set(err, ADT_ENOMEM, "out of memory for %llu pixels",
			      (unsigned long long)cap);
		return NULL;
	}
	px->wide = wide;
	px->cap = cap;
	px->total = capacity;
	atomic_init(&px->added, 0);
	atomic_init(&px->npos, 0);
	atomic_init(&px->nneg, 0);
	atomic_init(&px->regions, 0);
	return px;
}

void adt_pixels_keep_order(struct adt_pixels *px)
{
	px->keep_order = 1;
}

/* How many of keys[0..n) are at least k. */
static int spill_error(const struct spill *sp, const char *what, int e, struct adt_error *err);

static uint64_t count_from_u32(const uint32_t *keys, uint64_t n, uint32_t k)
{
	uint64_t c = 0;

	for (uint64_t i = 0; i < n; i++)
		c += keys[i] >= k;
	return c;
}

static uint64_t count_from_u64(const uint64_t *keys, uint64_t n, uint64_t k)
{
	uint64_t c = 0;

	for (uint64_t i = 0; i < n; i++)
		c += keys[i] >= k;
	return c;
}

static int spill_count_from(const struct adt_pixels *px, const struct adt_image_stats *st,
			    uint64_t n, uint32_t k, uint64_t *out, struct adt_error *err);

int adt_pixels_count_at(const struct adt_pixels *px, double t, enum adt_rule rule,
			struct adt_image_stats *st, size_t n, struct adt_error *err)
{
	/* The smallest score the rule flags, as a key: the least float (or
	 * double) at or above t, or above it with rule >. */
	uint32_t k32 = 0;
	uint64_t k64 = 0;
	int none = 0;

	if (px->wide) {
		double v = t;

		if (rule == ADT_RULE_GT)
			v = nextafter(t, INFINITY);
		none = v == INFINITY;
		k64 = adt_key_f64(v);
	} else {
		float v = (float)t;

		if ((double)v < t || (rule == ADT_RULE_GT && (double)v <= t))
			v = nextafterf(v, INFINITY);
		none = v == INFINITY;
		k32 = adt_key_f32(v);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t neg = st[i].pixels - st[i].positives;

		if (none) {
			st[i].tp = st[i].fp = 0;
		} else if (px->sp) {
			st[i].tp = count_from_u32((const uint32_t *)px->keys + st[i].pos_at,
						  st[i].positives, k32);
			if (spill_count_from(px, &st[i], neg, k32, &st[i].fp, err))
				return -1;
		} else if (px->wide) {
			st[i].tp = count_from_u64((const uint64_t *)px->keys + st[i].pos_at,
						  st[i].positives, k64);
			st[i].fp =
			    count_from_u64((const uint64_t *)px->keys + st[i].neg_at, neg, k64);
		} else {
			st[i].tp = count_from_u32((const uint32_t *)px->keys + st[i].pos_at,
						  st[i].positives, k32);
			st[i].fp =
			    count_from_u32((const uint32_t *)px->keys + st[i].neg_at, neg, k32);
		}
	}
	return 0;
}

int adt_pixels_track_regions(struct adt_pixels *px, struct adt_error *err)
{
	if (px->region_size)
		return 0;
	px->region_size = malloc((size_t)(px->cap ? px->cap : 1) * sizeof(uint32_t));
	if (!px->region_size)
		return adt_error_set(err, ADT_ENOMEM,
				     "out of memory for the regions of %llu pixels",
				     (unsigned long long)px->cap);
	return 0;
}

uint64_t adt_pixels_regions(const struct adt_pixels *px)
{
	return atomic_load(&((struct adt_pixels *)px)->regions);
}

uint32_t *adt_pixels_take_region_sizes(struct adt_pixels *px, uint64_t *regions)
{
	uint32_t *r = px->region_size;

	*regions = atomic_load(&px->regions);
	px->region_size = NULL;
	return r;
}

void adt_pixels_free(struct adt_pixels *px)
{
	if (!px)
		return;
	free(px->keys);
	spill_free(px->sp);
	free(px->region_size);
	free(px->image_of);
	free(px->image_positives);
	free(px->shared_score);
	free(px->shared_fpr);
	free(px);
}

uint64_t adt_pixels_positives(const struct adt_pixels *px)
{
	return atomic_load(&((struct adt_pixels *)px)->npos);
}

uint64_t adt_pixels_negatives(const struct adt_pixels *px)
{
	return atomic_load(&((struct adt_pixels *)px)->nneg) + adt_pixels_spilled(px);
}

/* Pixels are converted CHUNK at a time into plain float (or double) values
 * and 0/1 mask bytes, so that the loop that makes keys is one tight loop
 * whatever the sample types. */
enum { CHUNK = 4096 };

/* Spilled keys read back at a time: 256 KiB. */
#define READ_KEYS 65536

/* Sample i of a raster as a double; exact for every sample type except
 * 64-bit integers beyond 2^53, which only masks use (as != 0). */
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

/* Mask bytes [at, at + n) as 0/1 (pointing into the raster when it already
 * holds bytes); the index of a NaN float mask pixel in *nan, else -1. */
static const uint8_t *mask_chunk(const struct adt_raster *m, size_t at, size_t n,
				 uint8_t buf[CHUNK], long *nan)
{
	*nan = -1;
	if (m->sample == ADT_SAMPLE_U8 || m->sample == ADT_SAMPLE_BOOL)
		return (const uint8_t *)m->data + at;
	for (size_t i = 0; i < n; i++) {
		double v = sample_at(m, at + i);

		if (isnan(v) && *nan < 0)
			*nan = (long)i;
		buf[i] = v != 0;
	}
	return buf;
}

/* Map value i as a float: 8/16-bit PNG samples scaled to [0, 1] in float,
 * half floats widened exactly. */
static float map_value_f32(const struct adt_raster *m, size_t i)
{
	switch (m->sample) {
	case ADT_SAMPLE_F32:
		return ((const float *)m->data)[i];
	case ADT_SAMPLE_U8:
		return (float)((const uint8_t *)m->data)[i] / 255.0f;
	case ADT_SAMPLE_U16:
		return (float)((const uint16_t *)m->data)[i] / 65535.0f;
	default:
		return (float)sample_at(m, i);
	}
}

/* Map values [at, at + n) as floats, pointing into the raster for float32. */
static const float *map_chunk_f32(const struct adt_raster *m, size_t at, size_t n, float buf[CHUNK])
{
	if (m->sample == ADT_SAMPLE_F32)
		return (const float *)m->data + at;
	for (size_t i = 0; i < n; i++)
		buf[i] = map_value_f32(m, at + i);
	return buf;
}

/* The same as doubles: float64 maps as they are, others exactly widened. */
static const double *map_chunk_f64(const struct adt_raster *m, size_t at, size_t n,
				   double buf[CHUNK])
{
	if (m->sample == ADT_SAMPLE_F64)
		return (const double *)m->data + at;
	for (size_t i = 0; i < n; i++)
		buf[i] = map_value_f32(m, at + i);
	return buf;
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

static int pixel_error(const struct adt_raster *map, size_t i, const char *what, int nan,
		       struct adt_error *err)
{
	size_t w = (size_t)map->width;

	return adt_error_set(err, ADT_EDATA, "%spixel (%zu, %zu) is %s", what, i % w, i / w,
			     nan ? "NaN" : "not finite (inf)");
}

/* Counts the anomalous pixels of mask (NULL: none). */
static int count_mask(const struct adt_raster *map, const struct adt_raster *mask, size_t n,
		      uint64_t *npos, struct adt_error *err)
{
	uint8_t buf[CHUNK];
	uint64_t c = 0;
	long nan;

	for (size_t at = 0; mask && at < n; at += CHUNK) {
		size_t len = n - at < CHUNK ? n - at : CHUNK;
		const uint8_t *m = mask_chunk(mask, at, len, buf, &nan);

		if (nan >= 0)
			return pixel_error(map, at + (size_t)nan, "mask ", 1, err);
		for (size_t i = 0; i < len; i++)
			c += m[i] != 0;
	}
	*npos = c;
	return 0;
}

/* The float keys of one chunk: positives at *p, negatives at *q.  Returns
 * the offset of the first NaN or infinite value, or -1. */
static long keys_f32(const float *v, const uint8_t *m, size_t n, uint32_t *keys, size_t *p,
		     size_t *q, uint32_t *kmax)
{
	uint32_t hi = *kmax;

	for (size_t i = 0; i < n; i++) {
		uint32_t u, k;

		memcpy(&u, &v[i], sizeof(u));
		if ((u & 0x7F800000u) == 0x7F800000u) /* NaN or infinite */
			return (long)i;
		k = adt_key_f32(v[i]);
		hi = k > hi ? k : hi;
		if (m && m[i])
			keys[(*p)++] = k;
		else
			keys[(*q)++] = k;
	}
	*kmax = hi;
	return -1;
}

static long keys_f64(const double *v, const uint8_t *m, size_t n, uint64_t *keys, size_t *p,
		     size_t *q, uint64_t *kmax)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t k;

		if (!isfinite(v[i]))
			return (long)i;
		k = adt_key_f64(v[i]);
		*kmax = k > *kmax ? k : *kmax;
		if (m && m[i])
			keys[(*p)++] = k;
		else
			keys[(*q)++] = k;
	}
	return -1;
}

/* The root of i's tree, halving the path on the way. */
static uint32_t find_root(uint32_t *parent, uint32_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
	a = find_root(parent, a);
	b = find_root(parent, b);
	/* The smaller index becomes the root: roots are then the first pixel
	 * of their region in scan order. */
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

/* The 8-connected regions of mask (n = w * h pixels, all but NaN checked
 * before): for the k-th anomalous pixel in scan order, out[k] = the size
 * of its region.  Returns the number of regions, or -1 out of memory. */
static long long label_regions(const struct adt_raster *mask, size_t w, size_t n, uint32_t *out)
{
	uint8_t *m = malloc(n ? n : 1);
	uint32_t *parent = malloc((n ? n : 1) * sizeof(*parent));
	long long regions = 0;
	size_t k = 0;

	if (!m || !parent) {
		free(m);
		free(parent);
		return -1;
	}
	for (size_t at = 0; at < n; at += CHUNK) {
		size_t len = n - at < CHUNK ? n - at : CHUNK;
		uint8_t buf[CHUNK];
		long nan;

		memcpy(m + at, mask_chunk(mask, at, len, buf, &nan), len);
	}
	/* Each anomalous pixel joins its anomalous neighbours above and to
	 * the left (W, NW, N, NE), the ones already visited. */
	for (size_t i = 0; i < n; i++) {
		size_t x = i % w;

		if (!m[i])
			continue;
		parent[i] = (uint32_t)i;
		if (x > 0 && m[i - 1])
			unite(parent, (uint32_t)i, (uint32_t)(i - 1));
		if (i >= w) {
			if (x > 0 && m[i - w - 1])
				unite(parent, (uint32_t)i, (uint32_t)(i - w - 1));
			if (m[i - w])
				unite(parent, (uint32_t)i, (uint32_t)(i - w));
			if (x + 1 < w && m[i - w + 1])
				unite(parent, (uint32_t)i, (uint32_t)(i - w + 1));
		}
	}
	/* Flatten: every anomalous pixel points at its root, the region's first
	 * pixel in scan order. */
	for (size_t i = 0; i < n; i++) {
		if (m[i])
			parent[i] = find_root(parent, (uint32_t)i);
	}
	/* Count each region in out[] at its root's ordinal (the smallest of
	 * the region), and point every pixel at that ordinal instead. */
	for (size_t i = 0; i < n; i++) {
		uint32_t r;

		if (!m[i])
			continue;
		r = parent[i];
		if (r == i) {
			parent[i] = (uint32_t)k;
			out[k] = 1;
			regions++;
		} else {
			parent[i] = parent[r];
			out[parent[r]]++;
		}
		k++;
	}
	/* Then every pixel takes its region's count; out[j] for j < k is
	 * final, and no region's count sits at a later pixel's ordinal. */
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i]) {
			out[k] = out[parent[i]];
			k++;
		}
	}
	free(m);
	free(parent);
	return regions;
}

static int spill_reserve(struct adt_pixels *px, uint64_t npos, uint64_t nneg,
			 uint64_t *before_pos, uint64_t *before_neg, uint64_t *run,
			 struct adt_error *err);
static void spill_release(struct adt_pixels *px);

static int add_keys(struct adt_pixels *px, const struct adt_raster *map,
		    const struct adt_raster *mask, size_t n, uint64_t npos, uint64_t before_pos,
		    uint64_t before_neg, struct adt_image_stats *st, struct adt_error *err);

int adt_pixels_add(struct adt_pixels *px, const struct adt_raster *map, int scale_int,
		   const struct adt_raster *mask, struct adt_image_stats *st, struct adt_error *err)
{
	size_t n = (size_t)(map->width * map->height);
	uint64_t npos = 0, before_pos, before_neg;
	int ret;

	if (check_map(px, map, scale_int, mask, err) || count_mask(map, mask, n, &npos, err))
		return -1;
	if (atomic_fetch_add(&px->added, n) + n > px->total)
		return adt_error_set(err, ADT_EDATA,
				     "the maps held another number of pixels than their headers "
				     "announced");
	/* Reserve this image's share of each class's end of the buffer. */
	st->run = 0;
	if (px->sp) {
		if (spill_reserve(px, npos, n - npos, &before_pos, &before_neg, &st->run, err))
			return -1;
	} else {
		before_pos = atomic_fetch_add(&px->npos, npos);
		before_neg = atomic_fetch_add(&px->nneg, n - npos);
	}
	ret = add_keys(px, map, mask, n, npos, before_pos, before_neg, st, err);
	if (px->sp)
		spill_release(px);
	return ret;
}

/* Writes the keys of an image into the room reserved for them. */
static int add_keys(struct adt_pixels *px, const struct adt_raster *map,
		    const struct adt_raster *mask, size_t n, uint64_t npos, uint64_t before_pos,
		    uint64_t before_neg, struct adt_image_stats *st, struct adt_error *err)
{
	size_t p, q;
	uint32_t kmax32 = 0;
	uint64_t kmax64 = 0;

	if (px->region_size && mask && npos > 0) {
		long long regions;

		if (n > UINT32_MAX)
			return adt_error_set(err, ADT_EDATA,
					     "AU-PRO needs images of fewer than 2^32 pixels");
		regions = label_regions(mask, (size_t)map->width, n, px->region_size + before_pos);
		if (regions < 0)
			return adt_error_set(err, ADT_ENOMEM,
					     "out of memory finding the regions of a mask");
		atomic_fetch_add(&px->regions, (uint64_t)regions);
	}
	p = (size_t)before_pos;
	q = (size_t)(px->cap - before_neg - (n - npos));
	for (size_t at = 0; at < n; at += CHUNK) {
		size_t len = n - at < CHUNK ? n - at : CHUNK;
		uint8_t mbuf[CHUNK];
		const uint8_t *m = NULL;
		long nan = -1, bad;

		if (mask)
			m = mask_chunk(mask, at, len, mbuf, &nan);
		if (px->wide) {
			double vbuf[CHUNK];
			const double *v = map_chunk_f64(map, at, len, vbuf);

			bad = keys_f64(v, m, len, px->keys, &p, &q, &kmax64);
			if (bad >= 0)
				return pixel_error(map, at + (size_t)bad, "", isnan(v[bad]), err);
		} else {
			float vbuf[CHUNK];
			const float *v = map_chunk_f32(map, at, len, vbuf);

			bad = keys_f32(v, m, len, px->keys, &p, &q, &kmax32);
			if (bad >= 0)
				return pixel_error(map, at + (size_t)bad, "", isnan(v[bad]), err);
		}
	}
	st->max = px->wide ? adt_f64_of_key(kmax64) : (double)adt_f32_of_key(kmax32);
	st->pixels = n;
	st->positives = npos;
	st->pos_at = before_pos;
	st->neg_at = px->cap - before_neg - (n - npos);
	return 0;
}

/* Part i of n things split into parts. */
static void slice(uint64_t n, unsigned parts, unsigned i, uint64_t *start, uint64_t *len)
{
	*start = n * i / parts;
	*len = n * (i + 1) / parts - *start;
}

/* The normal pixels' mean and standard deviation: each thread sums its
 * slice of the normal keys, and the slices merge in order, so that the
 * result does not depend on timing. */
struct moments_job {
	const struct adt_pixels *px;
	unsigned threads;
	int errnum; /* a read of spilled keys failed */
	double mean; /* the first pass's, in the second */
	struct adt_sum sum[ADT_MAX_RUNS];
	struct adt_deviations dev[ADT_MAX_RUNS];
	int pass;
};

static double normal_at(const struct adt_pixels *px, uint64_t i)
{
	uint64_t k = px->cap - atomic_load(&px->nneg) + i;

	return px->wide ? adt_f64_of_key(((const uint64_t *)px->keys)[k])
			: (double)adt_f32_of_key(((const uint32_t *)px->keys)[k]);
}

static void moment_add(struct moments_job *j, unsigned t, double v)
{
	if (j->pass == 0)
		adt_sum_add(&j->sum[t], v);
	else
		adt_deviations_add(&j->dev[t], v, j->mean);
}

static int spill_read(const struct spill *sp, uint32_t *buf, uint64_t at, size_t n);

static void moments_worker(void *arg, unsigned t)
{
	struct moments_job *j = arg;
	const struct spill *sp = j->px->sp;
	uint64_t at, len;
	uint32_t *buf;

	if (!sp) {
		slice(atomic_load(&j->px->nneg), j->threads, t, &at, &len);
		for (uint64_t i = at; i < at + len; i++)
			moment_add(j, t, normal_at(j->px, i));
		return;
	}
	/* Every normal key is in the run file once adding has finished. */
	slice(sp->keys, j->threads, t, &at, &len);
	buf = malloc(READ_KEYS * sizeof(*buf));
	if (!buf) {
		j->errnum = ENOMEM;
		return;
	}
	for (uint64_t done = 0; done < len;) {
		size_t n = len - done < READ_KEYS ? (size_t)(len - done) : READ_KEYS;

		if (spill_read(sp, buf, at + done, n)) {
			j->errnum = errno ? errno : EIO;
			break;
		}
		for (size_t i = 0; i < n; i++)
			moment_add(j, t, (double)adt_f32_of_key(buf[i]));
		done += n;
	}
	free(buf);
}

int adt_pixels_normal_moments(const struct adt_pixels *px, unsigned threads, double *mean,
			      double *std, struct adt_error *err)
{
	uint64_t n = adt_pixels_negatives(px);
	struct moments_job *j;

	if (n == 0)
		return adt_error_set(err, ADT_EDATA, "no normal pixel");
	j = calloc(1, sizeof(*j));
	if (!j)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	j->px = px;
	j->threads = threads < 1 ? 1 : threads > ADT_MAX_RUNS ? ADT_MAX_RUNS : threads;
	adt_parallel_run(j->threads, moments_worker, j);
	for (unsigned t = 1; t < j->threads; t++)
		adt_sum_merge(&j->sum[0], &j->sum[t]);
	j->mean = adt_sum_value(&j->sum[0]) / (double)n;
	j->pass = 1;
	if (!j->errnum)
		adt_parallel_run(j->threads, moments_worker, j);
	if (j->errnum) {
		int e = j->errnum;

		free(j);
		return e == ENOMEM ? adt_error_set(err, ADT_ENOMEM, "out of memory")
				   : spill_error(px->sp, "read", e, err);
	}
	for (unsigned t = 1; t < j->threads; t++) {
		adt_sum_merge(&j->dev[0].d, &j->dev[t].d);
		adt_sum_merge(&j->dev[0].d2, &j->dev[t].d2);
	}
	*mean = j->mean;
	adt_deviations_finish(&j->dev[0], n, mean, std);
	free(j);
	return 0;
}

/* Double keys (float64 maps, rare): each thread radix sorts its slice of
 * each class, and one walk merges the slices. */
struct sort_job {
	uint64_t *keys, *scratch;
	unsigned threads;
	uint64_t cap, npos, nneg;
};

static void sort_worker(void *arg, unsigned i)
{
	struct sort_job *j = arg;
	uint64_t at, len;

	slice(j->npos, j->threads, i, &at, &len);
	adt_radix_sort_u64(j->keys + at, j->scratch + at, (size_t)len);
	slice(j->nneg, j->threads, i, &at, &len);
	at += j->cap - j->nneg;
	adt_radix_sort_u64(j->keys + at, j->scratch + at, (size_t)len);
}

static int sweep_wide(struct adt_pixels *px, unsigned threads, const struct adt_sweep_opts *o,
		      struct adt_sweep *s, struct adt_error *err)
{
	struct sort_job job = {
	    px->keys, NULL, threads, px->cap, atomic_load(&px->npos), atomic_load(&px->nneg)};
	struct adt_keyrun runs[ADT_MAX_RUNS];
	size_t nruns = 0, bytes = (size_t)(px->cap ? px->cap : 1) * sizeof(uint64_t);
	uint64_t *copy = NULL;

	job.scratch = malloc(bytes);
	if (job.scratch && px->keep_order) {
		/* Sort a copy, so that each image's keys stay where they were. */
		copy = malloc(bytes);
		if (copy)
			memcpy(copy, px->keys, bytes);
		job.keys = copy;
	}
	if (!job.scratch || !job.keys) {
		free(job.scratch);
		return adt_error_set(err, ADT_ENOMEM, "out of memory sorting %llu pixels",
				     (unsigned long long)px->cap);
	}
	adt_parallel_run(threads, sort_worker, &job);
	free(job.scratch);
	for (unsigned i = 0; i < threads; i++) {
		uint64_t at, len;

		slice(job.npos, threads, i, &at, &len);
		runs[nruns++] = (struct adt_keyrun){job.keys + at, (size_t)len, 1};
		slice(job.nneg, threads, i, &at, &len);
		runs[nruns++] =
		    (struct adt_keyrun){job.keys + px->cap - job.nneg + at, (size_t)len, 0};
	}
	adt_sweep_init(s, job.npos, job.nneg);
	adt_sweep_configure(s, o);
	adt_curve_walk_u64(runs, nruns, s);
	free(copy);
	return 0;
}

/* Float keys: a bucketed count instead of a sort.  The high 16 bits of a
 * key pick a bucket; each thread counts its slice per bucket and class,
 * then moves its keys into their buckets (one pass that reads and writes
 * each key once); then each thread takes a range of buckets and counts
 * the low 16 bits of every key inside a bucket in a table that stays in
 * cache, which yields each distinct score with its counts in order.  The
 * parts of the sweep are merged at the end: the counts above a range are
 * known from the bucket totals, so the ranges need not wait for each
 * other. */
#define HI_BITS	 16
#define NBUCKETS (1u << HI_BITS)
#define LO_MASK	 (NBUCKETS - 1)
/* Buckets with fewer keys are sorted rather than counted: scanning a
 * 65536-entry table costs more than sorting a few keys. */
#define SPARSE 4096

struct count_job {
	uint32_t *keys, *scratch;
	unsigned threads;
	uint64_t cap, npos, nneg;
	uint64_t (*hist)[2][NBUCKETS];		     /* per thread, then offsets per thread */
	uint64_t (*total)[NBUCKETS];		     /* [class][bucket] over all threads */
	uint64_t (*start)[NBUCKETS];		     /* [class][bucket]: where the bucket begins */
	uint32_t lo[ADT_MAX_RUNS], hi[ADT_MAX_RUNS]; /* bucket range of each part */
	struct adt_sweep part[ADT_MAX_RUNS];
	const struct spill *sp; /* when keys spilled */
	int failed; /* a counting thread could not allocate its table (1) or read (2) */
	int errnum; /* the read's error */
};

/* The slice of class c (0 negatives, 1 positives) a thread handles. */
static void class_slice(const struct count_job *j, int c, unsigned t, uint64_t *at, uint64_t *len)
{
	slice(c ? j->npos : j->nneg, j->threads, t, at, len);
	if (!c)
		*at += j->cap - j->nneg;
}

static void histogram_worker(void *arg, unsigned t)
{
	struct count_job *j = arg;

	for (int c = 0; c < 2; c++) {
		uint64_t at, len, *h = j->hist[t][c];
		const uint32_t *k;

		class_slice(j, c, t, &at, &len);
		k = j->keys + at;
		memset(h, 0, sizeof(j->hist[t][c]));
		for (uint64_t i = 0; i < len; i++)
			h[k[i] >> HI_BITS]++;
	}
}

/* Bucket b of class c starts after the smaller buckets; within it, thread
 * t's keys come after those of threads before t.  Turns the threads'
 * histograms into where each writes, and adds them to the totals. */
static void bucket_starts(struct count_job *j, int c)
{
	uint64_t pos = c ? 0 : j->cap - j->nneg;

	for (uint32_t b = 0; b < NBUCKETS; b++) {
		j->start[c][b] = pos;
		for (unsigned t = 0; t < j->threads; t++) {
			uint64_t h = j->hist[t][c][b];

			j->hist[t][c][b] = pos;
			pos += h;
			j->total[c][b] += h;
		}
	}
}

static void scatter_worker(void *arg, unsigned t)
{
	struct count_job *j = arg;

	for (int c = 0; c < 2; c++) {
		uint64_t at, len, *off = j->hist[t][c];
		const uint32_t *k;

		class_slice(j, c, t, &at, &len);
		k = j->keys + at;
		for (uint64_t i = 0; i < len; i++)
			j->scratch[off[k[i] >> HI_BITS]++] = k[i];
	}
}

/* Feeds the keys of a sparse bucket, negatives k0 and positives k1 (fewer
 * than SPARSE together), to s, highest first; sorts them in place. */
static void walk_sparse(uint32_t *k0, uint64_t n0, uint32_t *k1, uint64_t n1, uint32_t *tmp,
			struct adt_sweep *s)
{
	struct adt_keyrun runs[2] = {{k0, (size_t)n0, 0}, {k1, (size_t)n1, 1}};

	adt_radix_sort_u32(k0, tmp, (size_t)n0);
	adt_radix_sort_u32(k1, tmp, (size_t)n1);
	adt_curve_walk_u32(runs, 2, s);
}

/* Feeds the distinct keys of bucket b, as counted in cnt (low 16 bits,
 * class), to s, highest first, and clears cnt. */
static void emit_bucket(uint32_t b, uint64_t (*cnt)[2], struct adt_sweep *s)
{
	for (uint32_t l = NBUCKETS; l-- > 0;) {
		if (cnt[l][0] | cnt[l][1]) {
			adt_sweep_step(s, (double)adt_f32_of_key(b << HI_BITS | l), cnt[l][1],
				       cnt[l][0]);
			cnt[l][0] = cnt[l][1] = 0;
		}
	}
}

/* Feeds the distinct keys of bucket b to s, highest first. */
static void count_bucket(struct count_job *j, uint32_t b, uint64_t (*cnt)[2], uint32_t *tmp,
			 struct adt_sweep *s)
{
	uint64_t n[2] = {j->total[0][b], j->total[1][b]};
	uint32_t *k[2] = {j->scratch + j->start[0][b], j->scratch + j->start[1][b]};

	if (n[0] + n[1] < SPARSE) {
		walk_sparse(k[0], n[0], k[1], n[1], tmp, s);
		return;
	}
	for (int c = 0; c < 2; c++) {
		for (uint64_t i = 0; i < n[c]; i++)
			cnt[k[c][i] & LO_MASK][c]++;
	}
	emit_bucket(b, cnt, s);
}

static void count_worker(void *arg, unsigned t)
{
	struct count_job *j = arg;
	uint64_t(*cnt)[2] = calloc(NBUCKETS, sizeof(*cnt));
	uint32_t tmp[SPARSE];

	if (!cnt) {
		j->failed = 1;
		return;
	}
	for (uint32_t b = j->hi[t]; b-- > j->lo[t];) {
		if (j->total[0][b] + j->total[1][b] > 0)
			count_bucket(j, b, cnt, tmp, &j->part[t]);
	}
	free(cnt);
}

/* Splits the buckets, from the top, into `threads` ranges of about equal
 * numbers of keys, and starts each range's sweep with the counts above. */
static void plan_ranges(struct count_job *j, const struct adt_sweep_opts *o)
{
	uint64_t all = j->npos + j->nneg, seen = 0, tp = 0, fp = 0;
	uint32_t b = NBUCKETS;

	for (unsigned t = 0; t < j->threads; t++) {
		uint64_t goal = all * (t + 1) / j->threads;

		j->hi[t] = b;
		adt_sweep_init_at(&j->part[t], j->npos, j->nneg, tp, fp);
		adt_sweep_configure(&j->part[t], o);
		while (b > 0 && (seen < goal || t + 1 == j->threads)) {
			b--;
			seen += j->total[0][b] + j->total[1][b];
			fp += j->total[0][b];
			tp += j->total[1][b];
		}
		j->lo[t] = b;
	}
}

static int sweep_narrow(struct adt_pixels *px, unsigned threads, const struct adt_sweep_opts *o,
			struct adt_sweep *s, struct adt_error *err)
{
	struct count_job *j = calloc(1, sizeof(*j));
	int ret = -1;

	if (!j)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	j->keys = px->keys;
	j->threads = threads;
	j->cap = px->cap;
	j->npos = atomic_load(&px->npos);
	j->nneg = atomic_load(&px->nneg);
	j->hist = calloc(threads, sizeof(*j->hist));
	j->total = calloc(2, sizeof(*j->total));
	j->start = calloc(2, sizeof(*j->start));
	j->scratch = malloc((size_t)(px->cap ? px->cap : 1) * sizeof(uint32_t));
	if (!j->hist || !j->total || !j->start || !j->scratch) {
		adt_error_set(err, ADT_ENOMEM, "out of memory counting %llu pixels",
			      (unsigned long long)px->cap);
		goto out;
	}
	adt_parallel_run(threads, histogram_worker, j);
	bucket_starts(j, 0);
	bucket_starts(j, 1);
	adt_parallel_run(threads, scatter_worker, j);
	plan_ranges(j, o);
	adt_parallel_run(threads, count_worker, j);
	if (j->failed) {
		adt_error_set(err, ADT_ENOMEM, "out of memory counting pixels");
		for (unsigned t = 0; t < threads; t++)
			adt_sweep_release(&j->part[t]);
		goto out;
	}
	adt_sweep_init(s, j->npos, j->nneg);
	adt_sweep_configure(s, o);
	for (unsigned t = 0; t < threads; t++)
		adt_sweep_merge(s, &j->part[t]);
	ret = 0;
out:
	free(j->hist);
	free(j->total);
	free(j->start);
	free(j->scratch);
	free(j);
	return ret;
}

/* ---- keys past the memory bound (struct spill) ---- */


static struct spill *spill_new(uint64_t memory, unsigned threads)
{
	struct spill *sp = calloc(1, sizeof(*sp));

	if (threads < 1)
		threads = 1;
	if (threads > ADT_MAX_RUNS / 2)
		threads = ADT_MAX_RUNS / 2;
	if (!sp)
		return NULL;
	sp->fd = sp->order_fd = -1;
	sp->memory = memory;
	sp->threads = threads;
	sp->scratch = malloc((size_t)(memory ? memory : 1) * sizeof(uint32_t));
	sp->job = calloc(1, sizeof(*sp->job));
	if (sp->job) {
		sp->job->hist = calloc(threads, sizeof(*sp->job->hist));
		sp->job->total = calloc(2, sizeof(*sp->job->total));
		sp->job->start = calloc(2, sizeof(*sp->job->start));
	}
	if (!sp->scratch || !sp->job || !sp->job->hist || !sp->job->total || !sp->job->start ||
	    pthread_mutex_init(&sp->lock, NULL) != 0) {
		spill_free(sp);
		return NULL;
	}
	if (pthread_cond_init(&sp->idle, NULL) != 0) {
		pthread_mutex_destroy(&sp->lock);
		spill_free(sp);
		return NULL;
	}
	sp->runs_cap = 1; /* marks the lock and condition as made */
	return sp;
}

static void spill_free(struct spill *sp)
{
	if (!sp)
		return;
	if (sp->runs_cap) {
		pthread_mutex_destroy(&sp->lock);
		pthread_cond_destroy(&sp->idle);
	}
	if (sp->fd >= 0)
		close(sp->fd);
	if (sp->order_fd >= 0)
		close(sp->order_fd);
	for (size_t r = 0; r < sp->nruns; r++)
		free(sp->runs[r].start);
	free(sp->runs);
	if (sp->job) {
		free(sp->job->hist);
		free(sp->job->total);
		free(sp->job->start);
		free(sp->job);
	}
	free(sp->scratch);
	free(sp->dir);
	free(sp);
}

uint64_t adt_pixels_spilled(const struct adt_pixels *px)
{
	return px->sp ? px->sp->keys : 0;
}

uint64_t adt_pixels_runs(const struct adt_pixels *px)
{
	return px->sp ? px->sp->nruns : 0;
}

/* The error of a temporary file's call `what` that failed with errno e;
 * the folder is the error's file. */
static int spill_error(const struct spill *sp, const char *what, int e, struct adt_error *err)
{
	const char *dir = sp->dir ? sp->dir : "the temporary folder";

	if (e == ENOSPC || e == EDQUOT)
		return adt_error_at(err, ADT_EIO, dir, 0,
				    "the folder of temporary files is full (%s) after %llu MiB "
				    "of pixels past the memory bound; free space there, set TMPDIR "
				    "to another folder, or raise --memory",
				    strerror(e),
				    (unsigned long long)(sp->keys * sizeof(uint32_t) >> 20));
	return adt_error_at(err, ADT_EIO, dir, 0,
			    "cannot %s a temporary file for the pixels past the memory bound "
			    "(--memory): %s",
			    what, strerror(e));
}

static int spill_open(struct spill *sp, int *fd, const char *tag, struct adt_error *err)
{
	char *dir = NULL;

	*fd = adt_temp_open(tag, &dir);
	if (dir) {
		free(sp->dir);
		sp->dir = dir;
	}
	if (*fd < 0)
		return dir ? spill_error(sp, "create", errno, err)
			   : adt_error_set(err, ADT_ENOMEM, "out of memory");
	return 0;
}

/* Writes the buffer's negatives to the run files as one more run and
 * empties their end of the buffer.  Called by one thread while no other
 * writes keys. */
static int spill_flush(struct adt_pixels *px, struct adt_error *err)
{
	struct spill *sp = px->sp;
	struct count_job *j = sp->job;
	uint64_t nneg = atomic_load(&px->nneg), at = px->cap - nneg;
	const uint32_t *keys = (const uint32_t *)px->keys;
	struct spill_run *r;

	if (nneg == 0)
		return 0;
	if ((sp->fd < 0 && spill_open(sp, &sp->fd, "pixels", err)) ||
	    (px->keep_order && sp->order_fd < 0 &&
	     spill_open(sp, &sp->order_fd, "pixel-order", err)))
		return -1;
	if (sp->nruns == sp->runs_cap || !sp->runs) {
		size_t cap = sp->runs ? sp->runs_cap * 2 : 8;
		struct spill_run *more = realloc(sp->runs, cap * sizeof(*more));

		if (!more)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		sp->runs = more;
		sp->runs_cap = cap;
	}
	r = &sp->runs[sp->nruns];
	r->start = malloc((NBUCKETS + 1) * sizeof(*r->start));
	if (!r->start)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (sp->order_fd >= 0 &&
	    adt_pwrite_all(sp->order_fd, keys + at, (size_t)nneg * sizeof(*keys),
			   sp->keys * sizeof(*keys))) {
		free(r->start);
		return spill_error(sp, "write", errno, err);
	}
	j->keys = px->keys;
	j->scratch = sp->scratch;
	j->threads = sp->threads;
	j->cap = px->cap;
	j->npos = 0;
	j->nneg = nneg;
	memset(j->total, 0, 2 * sizeof(*j->total));
	adt_parallel_run(j->threads, histogram_worker, j);
	bucket_starts(j, 0);
	adt_parallel_run(j->threads, scatter_worker, j);
	for (uint32_t b = 0; b < NBUCKETS; b++)
		r->start[b] = (uint32_t)(j->start[0][b] - at);
	r->start[NBUCKETS] = (uint32_t)nneg;
	if (adt_pwrite_all(sp->fd, sp->scratch + at, (size_t)nneg * sizeof(*keys),
			   sp->keys * sizeof(*keys))) {
		free(r->start);
		return spill_error(sp, "write", errno, err);
	}
	r->base = sp->keys;
	r->n = nneg;
	r->cap = px->cap;
	sp->keys += nneg;
	sp->nruns++;
	atomic_store(&px->nneg, 0);
	return 0;
}

/* Grows the buffer, its scratch and the regions' sizes so that `need`
 * keys leave a quarter of it free.  Called by one thread while no other
 * writes keys, with no normal key in the buffer. */
static int spill_grow(struct adt_pixels *px, uint64_t need, struct adt_error *err)
{
	struct spill *sp = px->sp;
	uint64_t cap = px->cap;
	void *k, *t, *r = NULL;

	while (cap < need + need / 3 + 1 && cap < UINT32_MAX)
		cap = cap * 2 < UINT32_MAX ? cap * 2 : UINT32_MAX;
	if (cap < need || cap > SIZE_MAX / sizeof(uint32_t))
		return adt_error_set(err, ADT_ENOMEM, "too many anomalous pixels (%llu)",
				     (unsigned long long)need);
	k = realloc(px->keys, (size_t)cap * sizeof(uint32_t));
	if (k)
		px->keys = k;
	t = k ? realloc(sp->scratch, (size_t)cap * sizeof(uint32_t)) : NULL;
	if (t)
		sp->scratch = t;
	if (t && px->region_size) {
		r = realloc(px->region_size, (size_t)cap * sizeof(uint32_t));
		if (r)
			px->region_size = r;
	}
	if (!k || !t || (px->region_size && !r))
		return adt_error_set(err, ADT_ENOMEM,
				     "out of memory holding the keys of %llu anomalous pixels",
				     (unsigned long long)atomic_load(&px->npos));
	px->cap = cap;
	return 0;
}

/* Reserves room for an image's keys, writing a run first when the buffer
 * is full; the caller then writes them and calls spill_release. */
static int spill_reserve(struct adt_pixels *px, uint64_t npos, uint64_t nneg,
			 uint64_t *before_pos, uint64_t *before_neg, uint64_t *run,
			 struct adt_error *err)
{
	struct spill *sp = px->sp;
	int ret = 0;

	pthread_mutex_lock(&sp->lock);
	for (;;) {
		uint64_t p = atomic_load(&px->npos), q = atomic_load(&px->nneg);
		struct adt_error e;
		int failed;

		if (sp->failed) {
			*err = sp->err;
			ret = -1;
			break;
		}
		if (!sp->flushing && p + npos + q + nneg <= px->cap) {
			atomic_store(&px->npos, p + npos);
			atomic_store(&px->nneg, q + nneg);
			*before_pos = p;
			*before_neg = q;
			*run = sp->nruns;
			sp->writers++;
			break;
		}
		if (sp->flushing) {
			pthread_cond_wait(&sp->idle, &sp->lock);
			continue;
		}
		sp->flushing = 1;
		while (sp->writers > 0)
			pthread_cond_wait(&sp->idle, &sp->lock);
		pthread_mutex_unlock(&sp->lock);
		adt_error_init(&e);
		failed = spill_flush(px, &e);
		/* The anomalous pixels stay in the buffer: when they leave too
		 * little room for this map, or for runs of a quarter of it, the
		 * buffer grows (past the bound, by what they need). */
		if (!failed && (p + npos + nneg > px->cap || p + npos > px->cap / 4 * 3))
			failed = spill_grow(px, p + npos + nneg, &e);
		pthread_mutex_lock(&sp->lock);
		if (failed) {
			sp->failed = 1;
			sp->err = e;
		}
		sp->flushing = 0;
		pthread_cond_broadcast(&sp->idle);
	}
	pthread_mutex_unlock(&sp->lock);
	return ret;
}

static void spill_release(struct adt_pixels *px)
{
	struct spill *sp = px->sp;

	pthread_mutex_lock(&sp->lock);
	if (--sp->writers == 0)
		pthread_cond_broadcast(&sp->idle);
	pthread_mutex_unlock(&sp->lock);
}

int adt_pixels_finish(struct adt_pixels *px, struct adt_error *err)
{
	struct spill *sp = px->sp;

	if (!sp)
		return 0;
	if (sp->failed) {
		*err = sp->err;
		return -1;
	}
	return spill_flush(px, err);
}

/* How many of an image's n normal keys, read back from the order file,
 * are at least k. */
static int spill_count_from(const struct adt_pixels *px, const struct adt_image_stats *st,
			    uint64_t n, uint32_t k, uint64_t *out, struct adt_error *err)
{
	const struct spill *sp = px->sp;
	const struct spill_run *r;
	uint64_t at, c = 0;
	uint32_t *buf;

	*out = 0;
	if (n == 0)
		return 0;
	if (st->run >= sp->nruns || sp->order_fd < 0)
		return adt_error_set(err, ADT_EDATA, "the pixels were not kept in order");
	r = &sp->runs[st->run];
	at = r->base + (st->neg_at - (r->cap - r->n));
	buf = malloc(READ_KEYS * sizeof(*buf));
	if (!buf)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	for (uint64_t done = 0; done < n;) {
		size_t len = n - done < READ_KEYS ? (size_t)(n - done) : READ_KEYS;

		if (adt_pread_all(sp->order_fd, buf, len * sizeof(*buf),
				  (at + done) * sizeof(*buf))) {
			free(buf);
			return spill_error(sp, "read", errno, err);
		}
		c += count_from_u32(buf, len, k);
		done += len;
	}
	free(buf);
	*out = c;
	return 0;
}

/* Reads keys [at, at + n) of the run file into buf; 0, or -1 with errno. */
static int spill_read(const struct spill *sp, uint32_t *buf, uint64_t at, size_t n)
{
	return adt_pread_all(sp->fd, buf, n * sizeof(*buf), at * sizeof(*buf));
}

/* Reads the normal keys of bucket b back from every run: into buf one
 * after the other when gather is set (fewer than SPARSE of them), else a
 * chunk at a time counted by their low 16 bits in cnt.  0, or -1 with
 * errno. */
static int spill_bucket(const struct spill *sp, uint32_t b, uint32_t *buf, uint64_t (*cnt)[2],
			int gather)
{
	uint64_t got = 0;

	for (size_t r = 0; r < sp->nruns; r++) {
		const struct spill_run *run = &sp->runs[r];
		uint64_t at = run->base + run->start[b], n = run->start[b + 1] - run->start[b];

		for (uint64_t done = 0; done < n; done += READ_KEYS) {
			size_t len = n - done < READ_KEYS ? (size_t)(n - done) : READ_KEYS;

			if (spill_read(sp, gather ? buf + got : buf, at + done, len))
				return -1;
			got += len;
			for (size_t i = 0; !gather && i < len; i++)
				cnt[buf[i] & LO_MASK][0]++;
		}
	}
	return 0;
}

/* As count_worker, with the negatives of each bucket read back from every
 * run and the positives bucketed in the scratch. */
static void spill_count_worker(void *arg, unsigned t)
{
	struct count_job *j = arg;
	uint64_t(*cnt)[2] = calloc(NBUCKETS, sizeof(*cnt));
	uint32_t *buf = malloc(READ_KEYS * sizeof(*buf));
	uint32_t tmp[SPARSE];

	if (!cnt || !buf) {
		j->failed = 1;
		goto out;
	}
	for (uint32_t b = j->hi[t]; b-- > j->lo[t] && !j->failed;) {
		uint64_t n0 = j->total[0][b], n1 = j->total[1][b];
		uint32_t *k1 = j->scratch + j->start[1][b];
		int sparse = n0 + n1 < SPARSE;

		if (n0 + n1 == 0)
			continue;
		if (spill_bucket(j->sp, b, buf, cnt, sparse)) {
			j->errnum = errno;
			j->failed = 2;
			break;
		}
		if (sparse) {
			walk_sparse(buf, n0, k1, n1, tmp, &j->part[t]);
			continue;
		}
		for (uint64_t i = 0; i < n1; i++)
			cnt[k1[i] & LO_MASK][1]++;
		emit_bucket(b, cnt, &j->part[t]);
	}
out:
	free(cnt);
	free(buf);
}

/* The sweep when keys spilled: the positives, still in the buffer, are
 * bucketed into the scratch; the negatives' bucket totals come from the
 * runs; then each thread counts a range of buckets. */
static int sweep_spilled(struct adt_pixels *px, unsigned threads, const struct adt_sweep_opts *o,
			 struct adt_sweep *s, struct adt_error *err)
{
	struct spill *sp = px->sp;
	struct count_job *j = sp->job;
	int ret = -1;

	j->keys = px->keys;
	j->scratch = sp->scratch;
	j->threads = threads < sp->threads ? threads : sp->threads;
	j->cap = px->cap;
	j->npos = atomic_load(&px->npos);
	j->nneg = 0;
	j->sp = sp;
	j->failed = 0;
	memset(j->total, 0, 2 * sizeof(*j->total));
	adt_parallel_run(j->threads, histogram_worker, j);
	bucket_starts(j, 1);
	adt_parallel_run(j->threads, scatter_worker, j);
	for (size_t r = 0; r < sp->nruns; r++) {
		for (uint32_t b = 0; b < NBUCKETS; b++)
			j->total[0][b] += sp->runs[r].start[b + 1] - sp->runs[r].start[b];
	}
	j->nneg = sp->keys;
	plan_ranges(j, o);
	adt_parallel_run(j->threads, spill_count_worker, j);
	if (j->failed) {
		if (j->failed == 2)
			spill_error(sp, "read", j->errnum, err);
		else
			adt_error_set(err, ADT_ENOMEM, "out of memory counting pixels");
		for (unsigned t = 0; t < j->threads; t++)
			adt_sweep_release(&j->part[t]);
		return -1;
	}
	adt_sweep_init(s, j->npos, j->nneg);
	adt_sweep_configure(s, o);
	for (unsigned t = 0; t < j->threads; t++)
		adt_sweep_merge(s, &j->part[t]);
	ret = 0;
	return ret;
}

/* Puts tags of the positives (region sizes, images) in sweep order: the
 * positives' keys are sorted with the tags (the keys themselves stay as
 * they are), and the tags are written back from the highest key down. */
static int order_tags(struct adt_pixels *px, uint32_t *tag, struct adt_error *err)
{
	size_t n = (size_t)atomic_load(&px->npos);
	uint64_t *k = NULL;
	uint32_t *tags = NULL;

	if (n <= SIZE_MAX / 2 / sizeof(*k)) {
		k = malloc((n ? n : 1) * 2 * sizeof(*k));
		if (px->wide)
			tags = malloc((n ? n : 1) * 2 * sizeof(*tags));
	}
	if (!k || (px->wide && !tags)) {
		free(k);
		free(tags);
		return adt_error_set(err, ADT_ENOMEM,
				     "out of memory ordering the regions of %zu anomalous pixels",
				     n);
	}
	if (px->wide) {
		memcpy(k, px->keys, n * sizeof(*k));
		memcpy(tags, tag, n * sizeof(*tags));
		adt_radix_sort_u64_tagged(k, tags, k + n, tags + n, n);
		for (size_t i = 0; i < n; i++)
			tag[i] = tags[n - 1 - i];
	} else {
		/* A float key and a size fit in one word, the key on top: 16
		 * bytes an anomalous pixel while sorting. */
		for (size_t i = 0; i < n; i++)
			k[i] = (uint64_t)((const uint32_t *)px->keys)[i] << 32 | tag[i];
		adt_radix_sort_u64(k, k + n, n);
		for (size_t i = 0; i < n; i++)
			tag[i] = (uint32_t)k[n - 1 - i];
	}
	free(k);
	free(tags);
	return 0;
}

int adt_pixels_sweep(struct adt_pixels *px, unsigned threads, const struct adt_sweep_opts *o,
		     struct adt_sweep *s, struct adt_error *err)
{
	struct adt_sweep_opts with;

	if (atomic_load(&px->added) != px->total)
		return adt_error_set(err, ADT_EDATA,
				     "the maps held another number of pixels than their headers "
				     "announced");
	if (threads < 1)
		threads = 1;
	if (threads > ADT_MAX_RUNS / 2)
		threads = ADT_MAX_RUNS / 2;
	if (o) {
		with = *o;
		if (o->aupro_limit > 0 && px->region_size) {
			if (order_tags(px, px->region_size, err))
				return -1;
			with.region_size = px->region_size;
			with.regions = atomic_load(&px->regions);
		}
		if (o->aupimo.upper > 0 && px->image_of) {
			if (order_tags(px, px->image_of, err))
				return -1;
			with.aupimo.image_of = px->image_of;
			with.aupimo.positives = px->image_positives;
			with.aupimo.images = px->images;
			with.aupimo.score = px->shared_score;
			with.aupimo.shared_fpr = px->shared_fpr;
			with.aupimo.shared_n = px->shared_n;
		}
		o = &with;
	}
	if (adt_pixels_finish(px, err))
		return -1;
	if (px->sp ? sweep_spilled(px, threads, o, s, err)
	    : px->wide ? sweep_wide(px, threads, o, s, err)
		       : sweep_narrow(px, threads, o, s, err))
		return -1;
	s->single = !px->wide;
	return 0;
}

/* The top 32 bits of key i. */
static uint32_t key_prefix(const struct adt_pixels *px, uint64_t i)
{
	return px->wide ? (uint32_t)(((const uint64_t *)px->keys)[i] >> 32)
			: ((const uint32_t *)px->keys)[i];
}

/* The top 32 bits of the m-th highest of the n keys from `at` (0 < m <=
 * n), found with two 16-bit histograms (hist: 65536 entries). */
static uint32_t prefix_cut(const struct adt_pixels *px, uint64_t at, uint64_t n, uint64_t m,
			   uint64_t *hist)
{
	uint64_t seen = 0;
	uint32_t hi, lo;

	memset(hist, 0, NBUCKETS * sizeof(*hist));
	for (uint64_t i = at; i < at + n; i++)
		hist[key_prefix(px, i) >> 16]++;
	for (hi = LO_MASK; hi > 0 && seen + hist[hi] < m; hi--)
		seen += hist[hi];
	memset(hist, 0, NBUCKETS * sizeof(*hist));
	for (uint64_t i = at; i < at + n; i++) {
		uint32_t p = key_prefix(px, i);

		if (p >> 16 == hi)
			hist[p & LO_MASK]++;
	}
	for (lo = LO_MASK; lo > 0 && seen + hist[lo] < m; lo--)
		seen += hist[lo];
	return hi << 16 | lo;
}

/* How many of a normal image's highest pixels the shared FPR up to
 * `upper` can need: while S < upper, an image of n pixels among J normal
 * ones has fewer than upper * J * n pixels flagged (the margin covers
 * rounding). */
static uint64_t shared_need(double upper, uint64_t J, uint64_t n)
{
	double want = upper * (double)J * (double)n * (1 + 1e-9);

	return want >= (double)n ? n : (uint64_t)want + 2 > n ? n : (uint64_t)want + 2;
}

/* The table of the shared FPR (see struct adt_aupimo): the candidates
 * (keys, with their normal image's ordinal as tags) sorted, then summed
 * from the highest down, one entry per distinct score. */
static int shared_table(struct adt_pixels *px, uint64_t *keys, uint32_t *tags, size_t c,
			const double *weight, double upper, struct adt_error *err)
{
	struct adt_sum sum = {0, 0};
	size_t out = 0;

	px->shared_score = malloc((c ? c : 1) * sizeof(double));
	px->shared_fpr = malloc((c ? c : 1) * sizeof(double));
	if (!px->shared_score || !px->shared_fpr)
		return adt_error_set(err, ADT_ENOMEM, "out of memory for the shared FPR");
	adt_radix_sort_u64_tagged(keys, tags, keys + c, tags + c, c);
	for (size_t i = c; i-- > 0;) {
		adt_sum_add(&sum, weight[tags[i]]);
		if (i > 0 && keys[i - 1] == keys[i])
			continue;
		px->shared_score[out] =
		    px->wide ? adt_f64_of_key(keys[i]) : (double)adt_f32_of_key((uint32_t)keys[i]);
		px->shared_fpr[out++] = adt_sum_value(&sum);
		if (adt_sum_value(&sum) >= upper)
			break;
	}
	px->shared_n = out;
	return 0;
}

int adt_pixels_track_images(struct adt_pixels *px, const struct adt_image_stats *st, size_t n,
			    double upper, struct adt_error *err)
{
	uint64_t npos = atomic_load(&px->npos), J = 0, K = 0, c = 0;
	uint64_t *hist = NULL, *cut = NULL, *keys = NULL;
	uint32_t *tags = NULL;
	double *weight = NULL;
	int ret = -1;

	for (size_t i = 0; i < n; i++) {
		K += st[i].positives > 0;
		J += st[i].positives == 0;
	}
	px->images = K;
	px->normal_images = J;
	px->image_of = malloc((size_t)(npos ? npos : 1) * sizeof(*px->image_of));
	px->image_positives = malloc((size_t)(K ? K : 1) * sizeof(*px->image_positives));
	hist = malloc(NBUCKETS * sizeof(*hist));
	cut = malloc((n ? n : 1) * sizeof(*cut));
	weight = malloc((size_t)(J ? J : 1) * sizeof(*weight));
	if (!px->image_of || !px->image_positives || !hist || !cut || !weight) {
		adt_error_set(err, ADT_ENOMEM, "out of memory for AUPIMO");
		goto out;
	}
	K = J = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t need;

		if (st[i].positives > 0) {
			for (uint64_t k = 0; k < st[i].positives; k++)
				px->image_of[st[i].pos_at + k] = (uint32_t)K;
			px->image_positives[K++] = st[i].positives;
			continue;
		}
		if (st[i].pixels == 0)
			continue;
		/* A normal image: the prefix of its need-th highest key. */
		weight[J] = 1.0 / ((double)px->normal_images * (double)st[i].pixels);
		need = shared_need(upper, px->normal_images, st[i].pixels);
		cut[i] = prefix_cut(px, st[i].neg_at, st[i].pixels, need, hist);
		for (uint64_t k = st[i].neg_at; k < st[i].neg_at + st[i].pixels; k++)
			c += key_prefix(px, k) >= cut[i];
		J++;
	}
	keys = malloc((size_t)(c ? c : 1) * 2 * sizeof(*keys));
	tags = malloc((size_t)(c ? c : 1) * 2 * sizeof(*tags));
	if (!keys || !tags) {
		adt_error_set(err, ADT_ENOMEM, "out of memory for the shared FPR");
		goto out;
	}
	c = J = 0;
	for (size_t i = 0; i < n; i++) {
		if (st[i].positives > 0 || st[i].pixels == 0)
			continue;
		for (uint64_t k = st[i].neg_at; k < st[i].neg_at + st[i].pixels; k++) {
			if (key_prefix(px, k) < cut[i])
				continue;
			keys[c] = px->wide ? ((const uint64_t *)px->keys)[k]
					   : ((const uint32_t *)px->keys)[k];
			tags[c++] = (uint32_t)J;
		}
		J++;
	}
	ret = shared_table(px, keys, tags, (size_t)c, weight, upper, err);
out:
	free(hist);
	free(cut);
	free(keys);
	free(tags);
	free(weight);
	return ret;
}

uint64_t adt_pixels_anomalous_images(const struct adt_pixels *px)
{
	return px->images;
}

uint64_t adt_pixels_normal_images(const struct adt_pixels *px)
{
	return px->normal_images;
}

double adt_pixels_shared_fpr_min(const struct adt_pixels *px)
{
	return px->shared_n ? px->shared_fpr[0] : 0;
}
