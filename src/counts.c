/* The counts file: writer and strict reader (see counts.h). */
#include "adthresh/counts.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "adthresh/grow.h"
#include "adthresh/sort.h"

static const char magic[8] = {'A', 'D', 'T', 'C', 'O', 'U', 'N', 'T'};

/* Writing, buffered (a step takes a few bytes: one fwrite and one crc32
 * call each cost more than the step), with the checksum of what was
 * flushed. */
struct wr {
	FILE *f;
	uLong crc;
	size_t n;
	unsigned char buf[1 << 16];
};

static void flush(struct wr *w)
{
	w->crc = crc32(w->crc, w->buf, (uInt)w->n);
	fwrite(w->buf, 1, w->n, w->f);
	w->n = 0;
}

static void put(struct wr *w, const void *p, size_t n)
{
	if (n > sizeof(w->buf) - w->n) {
		flush(w);
		if (n > sizeof(w->buf)) {
			w->crc = crc32(w->crc, p, (uInt)n);
			fwrite(p, 1, n, w->f);
			return;
		}
	}
	memcpy(w->buf + w->n, p, n);
	w->n += n;
}

static void put_u32(struct wr *w, uint32_t v)
{
	unsigned char b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(w, b, 4);
}

static void put_u64(struct wr *w, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(w, b, 8);
}

static void put_varint(struct wr *w, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	put(w, b, n);
}

static void put_text(struct wr *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_varint(w, n);
	put(w, s, n);
}

static uint64_t key_of(double t, int wide)
{
	return wide ? adt_key_f64(t) : adt_key_f32((float)t);
}

/* The steps of the points, each with its region sizes (region_size NULL:
 * none). */
static int put_steps(struct wr *w, const struct adt_points *points, int wide,
		     const uint32_t *region_size, struct adt_error *err)
{
	struct adt_points_reader r;
	struct adt_point pt;
	uint64_t tp = 0, fp = 0, prev = 0, k = 0;
	int got;

	adt_points_read_begin(&r, points);
	while ((got = adt_points_read(&r, &pt)) == 1) {
		uint64_t key = key_of(pt.t, wide);

		put_varint(w, k++ ? prev - key : key);
		put_varint(w, pt.tp - tp);
		put_varint(w, pt.fp - fp);
		for (uint64_t i = tp; region_size && i < pt.tp; i++)
			put_varint(w, region_size[i]);
		prev = key;
		tp = pt.tp;
		fp = pt.fp;
	}
	if (got < 0)
		return adt_points_read_error(&r, "pixel", err);
	return 0;
}

/* P, N and the step count of points (the last point's counts), and with
 * regions_too the region count. */
static int put_totals(struct wr *w, const struct adt_points *points, uint64_t regions,
		      int regions_too, struct adt_error *err)
{
	uint64_t n = adt_points_count(points);
	struct adt_point last = {0, 0, 0};
	struct adt_points_reader r;
	int got;

	if (n > 0 && points->n > 0) {
		last = points->p[points->n - 1];
	} else if (n > 0) {
		adt_points_read_begin(&r, points);
		while ((got = adt_points_read(&r, &last)) == 1)
			;
		if (got < 0)
			return adt_points_read_error(&r, "pixel", err);
	}
	put_varint(w, last.tp);
	put_varint(w, last.fp);
	put_varint(w, n);
	if (regions_too)
		put_varint(w, regions);
	return 0;
}

/* Everything before the checksum. */
static int put_all(struct wr *w, const struct adt_counts_save *s, struct adt_error *err)
{
	const struct adt_samples *im = s->images;
	int wide = (s->flags & ADT_COUNTS_WIDE) != 0;

	put(w, magic, sizeof(magic));
	put_u32(w, ADT_COUNTS_VERSION);
	put_u32(w, s->flags);
	put_u32(w, s->shard_k);
	put_u32(w, s->shard_n);
	put_u64(w, s->items);
	put_u64(w, s->cut);
	put_varint(w, s->nwords);
	for (size_t i = 0; i < s->nwords; i++)
		put_text(w, s->words[i]);
	put_text(w, s->source);
	if (s->flags & ADT_COUNTS_IMAGE) {
		put_varint(w, im->n);
		for (size_t i = 0; i < im->n; i++) {
			uint64_t bits;
			unsigned char label = im->label[i] != 0;

			memcpy(&bits, &im->score[i], sizeof(bits));
			put_u64(w, bits);
			put(w, &label, 1);
			if (s->flags & ADT_COUNTS_IDS)
				put_text(w, im->id[i]);
		}
	}
	if ((s->flags & ADT_COUNTS_PIXEL) &&
	    (put_totals(w, s->points, (s->flags & ADT_COUNTS_REGIONS) ? s->regions : 0, 1, err) ||
	     put_steps(w, s->points, wide, (s->flags & ADT_COUNTS_REGIONS) ? s->region_size : NULL,
		       err)))
		return -1;
	if (s->flags & ADT_COUNTS_DEFECTS) {
		put_varint(w, s->ngroups);
		for (size_t i = 0; i < s->ngroups; i++) {
			put_text(w, s->group_name[i]);
			if (put_totals(w, &s->group_points[i], 0, 0, err) ||
			    put_steps(w, &s->group_points[i], wide, NULL, err))
				return -1;
		}
	}
	return 0;
}

/* What the reader would refuse, refused before anything is written. */
static int check_save(const struct adt_counts_save *s, struct adt_error *err)
{
	const struct adt_samples *im = s->images;

	if (s->nwords > ADT_COUNTS_MAX_WORDS)
		return adt_error_set(err, ADT_EDATA,
				     "%zu evaluation option words; a counts file keeps at most %d",
				     s->nwords, ADT_COUNTS_MAX_WORDS);
	for (size_t i = 0; i < s->nwords; i++) {
		if (strlen(s->words[i]) > ADT_COUNTS_MAX_TEXT)
			return adt_error_set(err, ADT_EDATA,
					     "option word of %zu bytes; a counts file keeps words "
					     "of at most %d",
					     strlen(s->words[i]), ADT_COUNTS_MAX_TEXT);
	}
	if (s->source && strlen(s->source) > ADT_COUNTS_MAX_TEXT)
		return adt_error_set(err, ADT_EDATA,
				     "a source name of %zu bytes; a counts file keeps at most %d",
				     strlen(s->source), ADT_COUNTS_MAX_TEXT);
	for (size_t i = 0; (s->flags & ADT_COUNTS_IDS) && i < im->n; i++) {
		if (strlen(im->id[i]) > ADT_COUNTS_MAX_TEXT)
			return adt_error_set(err, ADT_EDATA,
					     "image id '%.40s...' is %zu bytes long; a counts file "
					     "keeps ids of at most %d",
					     im->id[i], strlen(im->id[i]), ADT_COUNTS_MAX_TEXT);
	}
	return 0;
}

int adt_counts_write(FILE *f, const struct adt_counts_save *s, struct adt_error *err)
{
	struct wr *w = malloc(sizeof(*w));
	int ret;

	if (!w)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (check_save(s, err)) {
		free(w);
		return -1;
	}
	w->f = f;
	w->crc = crc32(0, NULL, 0);
	w->n = 0;
	ret = put_all(w, s, err);
	if (ret == 0) {
		flush(w);
		put_u32(w, (uint32_t)w->crc);
		flush(w);
	}
	free(w);
	if (ret == 0 && ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return ret;
}

/* Reading, buffered, with the checksum of what was consumed. */
struct adt_counts_reader {
	FILE *f;
	const char *path;
	unsigned char buf[1 << 16];
	size_t have, at, crc_at;
	uint64_t offset; /* of buf[0] in the file */
	uLong crc;
	struct adt_counts_head h;
	/* The section being read: the pixel level, then each defect folder. */
	uint64_t sec_P, sec_N, sec_steps;
	int in_group, sec_end;
	uint64_t groups, groups_read, group_P, group_N; /* folders, and their sums */
	char *group_name;
	uint64_t step, prev, tp, fp;
	uint32_t *sizes;
	size_t sizes_cap;
	int done;
};

static int bad(struct adt_counts_reader *r, struct adt_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct adt_counts_reader *r, struct adt_error *err, const char *fmt, ...)
{
	char msg[ADT_MSG_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return adt_error_at(err, ADT_EFORMAT, r->path, 0, "byte %llu: %s",
			    (unsigned long long)(r->offset + r->at), msg);
}

/* Refills the buffer; returns the bytes available (0 at the end), or -1
 * with err. */
static int fill(struct adt_counts_reader *r, struct adt_error *err)
{
	size_t n;

	if (r->at < r->have)
		return 1;
	r->crc = crc32(r->crc, r->buf + r->crc_at, (uInt)(r->at - r->crc_at));
	r->offset += r->have;
	r->have = r->at = r->crc_at = 0;
	n = fread(r->buf, 1, sizeof(r->buf), r->f);
	if (n == 0 && ferror(r->f))
		return adt_error_at(err, ADT_EIO, r->path, 0, "cannot read: %s", strerror(errno));
	r->have = n;
	return n > 0;
}

static int get(struct adt_counts_reader *r, void *out, size_t n, struct adt_error *err)
{
	unsigned char *o = out;

	while (n > 0) {
		size_t k;
		int got = fill(r, err);

		if (got < 0)
			return -1;
		if (got == 0)
			return bad(r, err, "the file ends early");
		k = r->have - r->at < n ? r->have - r->at : n;
		memcpy(o, r->buf + r->at, k);
		r->at += k;
		o += k;
		n -= k;
	}
	return 0;
}

static int get_u32(struct adt_counts_reader *r, uint32_t *v, struct adt_error *err)
{
	unsigned char b[4];

	if (get(r, b, 4, err))
		return -1;
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

static int get_u64(struct adt_counts_reader *r, uint64_t *v, struct adt_error *err)
{
	unsigned char b[8];

	if (get(r, b, 8, err))
		return -1;
	*v = 0;
	for (int i = 7; i >= 0; i--)
		*v = *v << 8 | b[i];
	return 0;
}

static int get_varint(struct adt_counts_reader *r, uint64_t *v, const char *what,
		      struct adt_error *err)
{
	uint64_t x = 0;

	for (int i = 0; i < 10; i++) {
		int got;
		unsigned char b;

		if (r->at < r->have) {
			b = r->buf[r->at++];
		} else {
			if ((got = fill(r, err)) < 0)
				return -1;
			if (got == 0)
				return bad(r, err, "the file ends early, in %s", what);
			b = r->buf[r->at++];
		}
		if (i == 9 && b > 1)
			return bad(r, err, "%s does not fit 64 bits", what);
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			if (b == 0 && i > 0)
				return bad(r, err, "%s is not in its shortest form", what);
			*v = x;
			return 0;
		}
	}
	return bad(r, err, "%s does not fit 64 bits", what);
}

/* A string of 1 (0 when empty is allowed) to ADT_COUNTS_MAX_TEXT bytes
 * without NUL, owned by *out; on failure *out is NULL. */
static int get_text(struct adt_counts_reader *r, char **out, int empty, const char *what,
		    struct adt_error *err)
{
	uint64_t n;
	char *s;

	*out = NULL;
	if (get_varint(r, &n, what, err))
		return -1;
	if ((n == 0 && !empty) || n > ADT_COUNTS_MAX_TEXT)
		return bad(r, err, "%s is %llu bytes long (%d to %d)", what, (unsigned long long)n,
			   empty ? 0 : 1, ADT_COUNTS_MAX_TEXT);
	s = malloc(n + 1);
	if (!s)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (get(r, s, n, err)) {
		free(s);
		return -1;
	}
	s[n] = '\0';
	if (strlen(s) != n) {
		free(s);
		return bad(r, err, "%s holds a NUL byte", what);
	}
	*out = s;
	return 0;
}

void adt_counts_head_release(struct adt_counts_head *h)
{
	for (size_t i = 0; i < h->nwords; i++)
		free(h->words[i]);
	free(h->words);
	free(h->source);
	adt_samples_release(&h->images);
	memset(h, 0, sizeof(*h));
	adt_samples_init(&h->images);
}

static int read_images(struct adt_counts_reader *r, struct adt_error *err)
{
	struct adt_counts_head *h = &r->h;
	uint64_t n;
	char *id = NULL;
	size_t first, dup;

	if (get_varint(r, &n, "the image sample count", err))
		return -1;
	if (n == 0)
		return bad(r, err, "the image level has no samples");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t bits;
		unsigned char label;
		double score;
		int ret;

		if (get_u64(r, &bits, err) || get(r, &label, 1, err))
			return -1;
		memcpy(&score, &bits, sizeof(score));
		if (!isfinite(score))
			return bad(r, err, "image sample %llu: the score is not finite",
				   (unsigned long long)i);
		if (label > 1)
			return bad(r, err, "image sample %llu: label %u is neither 0 nor 1",
				   (unsigned long long)i, label);
		/* Compared in double only when the cast to float is defined. */
		if ((h->flags & ADT_COUNTS_SINGLE) &&
		    (fabs(score) > FLT_MAX || (double)(float)score != score))
			return bad(r, err, "image sample %llu: the score is not a float32 value",
				   (unsigned long long)i);
		if ((h->flags & ADT_COUNTS_IDS) && get_text(r, &id, 1, "an image id", err))
			return -1;
		ret = adt_samples_push(&h->images, score, label, id, 0, err);
		free(id);
		id = NULL;
		if (ret)
			return -1;
	}
	h->images.single = (h->flags & ADT_COUNTS_SINGLE) != 0;
	switch (adt_samples_find_duplicate(&h->images, &first, &dup)) {
	case 0:
		return 0;
	case 1:
		return bad(r, err, "image samples %zu and %zu have the same id '%s'", first, dup,
			   h->images.id[dup]);
	default:
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
}

static int read_head(struct adt_counts_reader *r, struct adt_error *err)
{
	struct adt_counts_head *h = &r->h;
	char m[sizeof(magic)];
	uint32_t version;
	uint64_t n;

	if (get(r, m, sizeof(m), err) || memcmp(m, magic, sizeof(m)) != 0) {
		if (err->code == ADT_EIO)
			return -1;
		adt_error_init(err);
		r->at = 0;
		r->offset = 0;
		return bad(r, err, "not an adthresh counts file (it does not start with ADTCOUNT)");
	}
	if (get_u32(r, &version, err))
		return -1;
	if (version != ADT_COUNTS_VERSION)
		return bad(r, err, "format version %u; this adthresh reads version %d",
			   (unsigned)version, ADT_COUNTS_VERSION);
	if (get_u32(r, &version, err))
		return -1;
	h->flags = version;
	if (h->flags & ~(unsigned)ADT_COUNTS_FLAGS)
		return bad(r, err, "unknown flags 0x%x", h->flags & ~(unsigned)ADT_COUNTS_FLAGS);
	if (!(h->flags & (ADT_COUNTS_IMAGE | ADT_COUNTS_PIXEL)))
		return bad(r, err, "neither an image nor a pixel level");
	if (!(h->flags & ADT_COUNTS_PIXEL) &&
	    (h->flags & (ADT_COUNTS_REGIONS | ADT_COUNTS_WIDE | ADT_COUNTS_IMPLIED |
			 ADT_COUNTS_DEFECTS)))
		return bad(r, err, "pixel flags without a pixel level");
	if (!(h->flags & ADT_COUNTS_IMAGE) &&
	    (h->flags & (ADT_COUNTS_SINGLE | ADT_COUNTS_IDS | ADT_COUNTS_IMPLIED)))
		return bad(r, err, "image flags without image samples");
	if (get_u32(r, &h->shard_k, err) || get_u32(r, &h->shard_n, err) ||
	    get_u64(r, &h->items, err) || get_u64(r, &h->cut, err))
		return -1;
	if (h->shard_n == 0 ? h->shard_k != 0 || h->items != 0 || h->cut != 0
			    : h->shard_k < 1 || h->shard_k > h->shard_n || h->items < h->shard_n ||
				  h->cut == 0)
		return bad(r, err, "shard %u of %u of %llu images (cut %016llx) is not a part",
			   h->shard_k, h->shard_n, (unsigned long long)h->items,
			   (unsigned long long)h->cut);
	if (get_varint(r, &n, "the option word count", err))
		return -1;
	if (n > ADT_COUNTS_MAX_WORDS)
		return bad(r, err, "%llu option words (at most %d)", (unsigned long long)n,
			   ADT_COUNTS_MAX_WORDS);
	h->words = calloc(n ? n : 1, sizeof(*h->words));
	if (!h->words)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	for (; h->nwords < n; h->nwords++) {
		if (get_text(r, &h->words[h->nwords], 0, "an option word", err))
			return -1;
	}
	if (get_text(r, &h->source, 1, "the source", err))
		return -1;
	if ((h->flags & ADT_COUNTS_IMAGE) && read_images(r, err))
		return -1;
	if (!(h->flags & ADT_COUNTS_PIXEL))
		return 0;
	if (get_varint(r, &h->P, "the anomalous pixel count", err) ||
	    get_varint(r, &h->N, "the normal pixel count", err) ||
	    get_varint(r, &h->steps, "the step count", err) ||
	    get_varint(r, &h->regions, "the region count", err))
		return -1;
	if (h->P > UINT64_MAX - h->N)
		return bad(r, err, "%llu + %llu pixels overflow", (unsigned long long)h->P,
			   (unsigned long long)h->N);
	if (h->steps < 1 || h->steps > h->P + h->N)
		return bad(r, err, "%llu distinct scores for %llu pixels",
			   (unsigned long long)h->steps, (unsigned long long)(h->P + h->N));
	if (!(h->flags & ADT_COUNTS_REGIONS) && h->regions != 0)
		return bad(r, err, "%llu regions without region sizes",
			   (unsigned long long)h->regions);
	if ((h->flags & ADT_COUNTS_REGIONS) &&
	    (h->P > 0 ? h->regions < 1 || h->regions > h->P : h->regions != 0))
		return bad(r, err, "%llu regions for %llu anomalous pixels",
			   (unsigned long long)h->regions, (unsigned long long)h->P);
	return 0;
}

/* The end of the file: its checksum, then nothing. */
static int read_end(struct adt_counts_reader *r, struct adt_error *err)
{
	uint32_t sum, want;
	unsigned char extra;
	int got;

	r->crc = crc32(r->crc, r->buf + r->crc_at, (uInt)(r->at - r->crc_at));
	r->crc_at = r->at;
	want = (uint32_t)r->crc;
	if (get_u32(r, &sum, err))
		return -1;
	if (sum != want)
		return bad(r, err, "checksum 0x%08x, but the bytes before it give 0x%08x",
			   (unsigned)sum, (unsigned)want);
	if ((got = fill(r, err)) < 0)
		return -1;
	if (got > 0 || fread(&extra, 1, 1, r->f) == 1)
		return bad(r, err, "bytes after the checksum");
	return 0;
}

int adt_counts_open(const char *path, FILE *f, struct adt_counts_reader **out,
		    struct adt_error *err)
{
	struct adt_counts_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r) {
		if (f)
			fclose(f);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	r->path = path;
	r->crc = crc32(0, NULL, 0);
	adt_samples_init(&r->h.images);
	r->f = f ? f : fopen(path, "rb");
	if (!r->f) {
		adt_error_at(err, ADT_EIO, path, 0, "cannot open: %s", strerror(errno));
		free(r);
		return -1;
	}
	if (read_head(r, err) || (!(r->h.flags & ADT_COUNTS_PIXEL) && read_end(r, err))) {
		adt_counts_close(r);
		return -1;
	}
	r->done = !(r->h.flags & ADT_COUNTS_PIXEL);
	r->sec_P = r->h.P;
	r->sec_N = r->h.N;
	r->sec_steps = r->h.steps;
	*out = r;
	return 0;
}

const struct adt_counts_head *adt_counts_head_of(const struct adt_counts_reader *r)
{
	return &r->h;
}

void adt_counts_take_head(struct adt_counts_reader *r, struct adt_counts_head *h)
{
	*h = r->h;
	memset(&r->h, 0, sizeof(r->h));
	adt_samples_init(&r->h.images);
}

double adt_counts_score(const struct adt_counts_reader *r, uint64_t key)
{
	return r->h.flags & ADT_COUNTS_WIDE ? adt_f64_of_key(key)
					    : (double)adt_f32_of_key((uint32_t)key);
}

int adt_counts_step(struct adt_counts_reader *r, uint64_t *key, uint64_t *pos, uint64_t *neg,
		    const uint32_t **sizes, struct adt_error *err)
{
	struct adt_counts_head *h = &r->h;
	uint64_t d, k, limit = h->flags & ADT_COUNTS_WIDE ? UINT64_MAX : UINT32_MAX;
	int regions = (h->flags & ADT_COUNTS_REGIONS) && !r->in_group;

	if (r->done || r->sec_end)
		return 0;
	if (r->step == r->sec_steps) {
		if (r->tp != r->sec_P || r->fp != r->sec_N)
			return bad(r, err,
				   "the steps%s%s%s hold %llu anomalous and %llu normal pixels, "
				   "its head says %llu and %llu",
				   r->in_group ? " of folder '" : "",
				   r->in_group ? r->group_name : "", r->in_group ? "'" : "",
				   (unsigned long long)r->tp, (unsigned long long)r->fp,
				   (unsigned long long)r->sec_P, (unsigned long long)r->sec_N);
		if (h->flags & ADT_COUNTS_DEFECTS) {
			r->sec_end = 1;
			return 0;
		}
		if (read_end(r, err))
			return -1;
		r->done = 1;
		return 0;
	}
	if (get_varint(r, &d, "a score", err))
		return -1;
	if (r->step == 0) {
		k = d;
	} else {
		if (d == 0 || d > r->prev)
			return bad(r, err, "step %llu: the scores do not decrease",
				   (unsigned long long)r->step);
		k = r->prev - d;
	}
	if (k > limit)
		return bad(r, err, "step %llu: the key does not fit %d bits",
			   (unsigned long long)r->step, limit == UINT32_MAX ? 32 : 64);
	if (!isfinite(adt_counts_score(r, k)))
		return bad(r, err, "step %llu: the score is not a finite number",
			   (unsigned long long)r->step);
	/* Two keys decode to zero; -0's would make a second step of score 0. */
	if (adt_counts_score(r, k) == 0 && k != (limit >> 1) + 1)
		return bad(r, err, "step %llu: the score is -0, which is saved as 0",
			   (unsigned long long)r->step);
	if (get_varint(r, pos, "an anomalous count", err) ||
	    get_varint(r, neg, "a normal count", err))
		return -1;
	if (*pos + *neg == 0)
		return bad(r, err, "step %llu holds no pixels", (unsigned long long)r->step);
	if (*pos > r->sec_P - r->tp || *neg > r->sec_N - r->fp)
		return bad(r, err, "step %llu: counts %llu and %llu do not fit the totals",
			   (unsigned long long)r->step, (unsigned long long)*pos,
			   (unsigned long long)*neg);
	/* The sizes array grows as sizes arrive, never to what a count
	 * claims: a few bytes could claim 2^60 of them. */
	for (uint64_t i = 0; regions && i < *pos; i++) {
		uint64_t v, most = h->P < UINT32_MAX ? h->P : UINT32_MAX;

		if (get_varint(r, &v, "a region size", err))
			return -1;
		if (v < 1 || v > most)
			return bad(r, err, "step %llu: region size %llu (1 to %llu)",
				   (unsigned long long)r->step, (unsigned long long)v,
				   (unsigned long long)most);
		if (i >= r->sizes_cap) {
			void *p = r->sizes;

			if (adt_grow(&p, &r->sizes_cap, (size_t)i + 1, sizeof(*r->sizes)))
				return adt_error_set(err, ADT_ENOMEM, "out of memory");
			r->sizes = p;
		}
		r->sizes[i] = (uint32_t)v;
	}
	*sizes = r->sizes;
	*key = k;
	r->prev = k;
	r->tp += *pos;
	r->fp += *neg;
	r->step++;
	return 1;
}

int adt_counts_next_group(struct adt_counts_reader *r, const char **name, uint64_t *P,
			  uint64_t *N, struct adt_error *err)
{
	struct adt_counts_head *h = &r->h;
	uint64_t key, pos, neg, steps;
	const uint32_t *sizes;
	char *text;
	int got;

	if (r->done || !(h->flags & ADT_COUNTS_DEFECTS))
		return 0;
	while (!r->sec_end) {
		if ((got = adt_counts_step(r, &key, &pos, &neg, &sizes, err)) < 0)
			return -1;
	}
	if (!r->in_group) {
		if (get_varint(r, &r->groups, "the folder count", err))
			return -1;
		if (r->groups < 1 || r->groups > 65536)
			return bad(r, err, "%llu defect folders (1 to 65536)",
				   (unsigned long long)r->groups);
		r->in_group = 1;
	}
	if (r->groups_read == r->groups) {
		if (r->group_P != h->P || r->group_N != h->N)
			return bad(r, err,
				   "the folders hold %llu anomalous and %llu normal pixels, the "
				   "pixel level %llu and %llu",
				   (unsigned long long)r->group_P, (unsigned long long)r->group_N,
				   (unsigned long long)h->P, (unsigned long long)h->N);
		if (read_end(r, err))
			return -1;
		r->done = 1;
		return 0;
	}
	if (get_text(r, &text, 0, "a folder name", err)) {
		free(text);
		return -1;
	}
	if (strchr(text, '/') || (r->group_name && strcmp(text, r->group_name) <= 0)) {
		got = bad(r, err, "folder name '%s' %s", text,
			  strchr(text, '/') ? "holds '/'" : "is not after the one before");
		free(text);
		return got;
	}
	free(r->group_name);
	r->group_name = text;
	if (get_varint(r, &r->sec_P, "a folder's anomalous count", err) ||
	    get_varint(r, &r->sec_N, "a folder's normal count", err) ||
	    get_varint(r, &steps, "a folder's step count", err))
		return -1;
	if (r->sec_P > h->P - r->group_P || r->sec_N > h->N - r->group_N)
		return bad(r, err, "folder '%s' holds more pixels than the pixel level", text);
	if (steps < 1 || steps > r->sec_P + r->sec_N)
		return bad(r, err, "folder '%s': %llu distinct scores for %llu pixels", text,
			   (unsigned long long)steps, (unsigned long long)(r->sec_P + r->sec_N));
	r->group_P += r->sec_P;
	r->group_N += r->sec_N;
	r->groups_read++;
	r->sec_steps = steps;
	r->sec_end = 0;
	r->step = r->prev = r->tp = r->fp = 0;
	*name = r->group_name;
	*P = r->sec_P;
	*N = r->sec_N;
	return 1;
}

void adt_counts_close(struct adt_counts_reader *r)
{
	if (!r)
		return;
	free(r->group_name);
	if (r->f)
		fclose(r->f);
	adt_counts_head_release(&r->h);
	free(r->sizes);
	free(r);
}
