/* Shared by the fuzz targets (tests/fuzz/fuzz_*.c) and the replay driver:
 * the libFuzzer entry point, and the invariants every target asserts.
 *
 * Each target checks, besides "no crash, no leak, no undefined behaviour"
 * (the sanitizers' part): a successful read yields usable values (finite
 * scores, labels 0 or 1, rasters of the size they claim), a failed read
 * leaves a non-empty message, and the library printed nothing.  The last
 * is checked by pointing the stdio streams stdout and stderr at a scratch
 * file around each library call (libFuzzer and the sanitizers write to
 * their own descriptors and are unaffected); libtiff's and libpng's
 * default handlers print through these streams too. */
#ifndef ADTHRESH_FUZZ_H
#define ADTHRESH_FUZZ_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/error.h"
#include "adthresh/raster.h"
#include "adthresh/read_opts.h"
#include "adthresh/samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a message naming the broken invariant. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(__FILE__, __LINE__, #cond);                                      \
	} while (0)

static inline void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

/* The scratch stream standing in for stdout and stderr, and the real
 * ones while a library call runs. */
static FILE *fuzz_scratch;
static FILE *fuzz_real_out, *fuzz_real_err;

/* Starts a library call: anything it prints lands in the scratch file. */
static inline void fuzz_quiet_begin(void)
{
	if (!fuzz_scratch) {
		fuzz_scratch = tmpfile();
		FUZZ_ASSERT(fuzz_scratch != NULL);
	}
	rewind(fuzz_scratch);
	fuzz_real_out = stdout;
	fuzz_real_err = stderr;
	stdout = fuzz_scratch;
	stderr = fuzz_scratch;
}

/* Ends it: restores the streams and fails when something was printed,
 * showing what. */
static inline void fuzz_quiet_end(void)
{
	long n;
	char buf[512];
	size_t got;

	stdout = fuzz_real_out;
	stderr = fuzz_real_err;
	fflush(fuzz_scratch);
	n = ftell(fuzz_scratch);
	if (n > 0) {
		rewind(fuzz_scratch);
		got = fread(buf, 1, sizeof(buf) - 1, fuzz_scratch);
		buf[got] = '\0';
		fprintf(stderr, "the library printed %ld bytes: %s\n", n, buf);
		fuzz_fail(__FILE__, __LINE__, "nothing is printed");
	}
}

/* A failed call left a code and a message. */
static inline void fuzz_check_error(const struct adt_error *err)
{
	FUZZ_ASSERT(err->code != ADT_EOK);
	FUZZ_ASSERT(err->msg[0] != '\0');
	FUZZ_ASSERT(memchr(err->msg, '\0', sizeof(err->msg)) != NULL);
	FUZZ_ASSERT(memchr(err->file, '\0', sizeof(err->file)) != NULL);
}

/* Checks the result of a call that returned rc: 0, or -1 with a
 * message.  Returns rc. */
static inline int fuzz_check_rc(int rc, const struct adt_error *err)
{
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc != 0)
		fuzz_check_error(err);
	return rc;
}

/* Samples read successfully: finite scores, labels 0 or 1, ids (when
 * present) real strings. */
static inline void fuzz_check_samples(const struct adt_samples *s)
{
	FUZZ_ASSERT(s->n <= s->cap);
	for (size_t i = 0; i < s->n; i++) {
		FUZZ_ASSERT(isfinite(s->score[i]));
		FUZZ_ASSERT(s->label[i] == 0 || s->label[i] == 1);
		if (s->id)
			FUZZ_ASSERT(s->id[i] != NULL && strlen(s->id[i]) < ((size_t)1 << 30));
	}
}

/* A score reader's entry point (adt_read_csv_mem and its siblings). */
typedef int (*fuzz_score_reader)(const void *buf, size_t len, const char *name,
				 struct adt_read_opts *o, struct adt_samples *out,
				 struct adt_error *err);

/* Runs read on data with o, quietly, and checks what it promises: a
 * message on failure, usable samples on success (non-empty with unique
 * ids as well when strict), a terminated note either way. */
static inline void fuzz_scores(fuzz_score_reader read, const uint8_t *data, size_t size,
			       const char *name, struct adt_read_opts *o, int strict)
{
	struct adt_samples s;
	struct adt_error err;
	int rc;

	adt_samples_init(&s);
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = read(data, size, name, o, &s, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0) {
		fuzz_check_samples(&s);
		if (strict) {
			FUZZ_ASSERT(s.n > 0);
			adt_error_init(&err);
			FUZZ_ASSERT(adt_samples_check_ids(&s, &err) == 0);
		}
	}
	FUZZ_ASSERT(memchr(o->note, '\0', sizeof(o->note)) != NULL);
	adt_samples_release(&s);
}

/* A raster decoded successfully: nonzero size within the limit, a buffer
 * large enough for every sample (touched, so that ASan sees a short one),
 * and the shape of the probe when one was made (info may be NULL). */
static inline void fuzz_check_raster(const struct adt_raster *r, const struct adt_raster_info *info,
				     uint64_t max_pixels)
{
	size_t sz = adt_sample_size(r->sample), n;
	const unsigned char *p = r->data;
	unsigned sum = 0;

	FUZZ_ASSERT(r->width > 0 && r->height > 0);
	FUZZ_ASSERT(r->width <= max_pixels / r->height);
	FUZZ_ASSERT(sz > 0 && r->data != NULL);
	n = (size_t)(r->width * r->height);
	FUZZ_ASSERT(r->cap >= n * sz);
	if (info) {
		FUZZ_ASSERT(info->width == r->width && info->height == r->height);
		FUZZ_ASSERT(info->sample == r->sample);
	}
	for (size_t i = 0; i < n * sz; i += 4093)
		sum += p[i];
	sum += p[n * sz - 1];
	(void)sum;
}

/* A raster parsed from text: F64 samples, every one finite (binary maps
 * may hold NaN; the pixel reader rejects them later, not the decoder). */
static inline void fuzz_check_finite(const struct adt_raster *r)
{
	size_t n = (size_t)(r->width * r->height);

	FUZZ_ASSERT(r->sample == ADT_SAMPLE_F64);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(isfinite(((const double *)r->data)[i]));
}

/* A mask decoded successfully: one byte per pixel, 0 or 1. */
static inline void fuzz_check_mask(const struct adt_raster *r)
{
	const unsigned char *p = r->data;
	size_t n = (size_t)(r->width * r->height);

	FUZZ_ASSERT(r->sample == ADT_SAMPLE_U8 || r->sample == ADT_SAMPLE_BOOL);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(p[i] <= 1);
}

/* A NUL-terminated copy of the input, for the text-based entry points
 * that need a C string.  The caller frees it. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_ASSERT(s != NULL);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
