/* Decoded anomaly maps and masks: one 2-D single-channel image of one
 * sample type, whatever file format it came from. */
#ifndef ADTHRESH_RASTER_H
#define ADTHRESH_RASTER_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"

/* Sample types a decoder can produce (native byte order in memory). */
enum adt_sample {
	ADT_SAMPLE_BOOL = 0, /* one byte, 0 or 1 (NPY |b1) */
	ADT_SAMPLE_U8,
	ADT_SAMPLE_U16,
	ADT_SAMPLE_U32,
	ADT_SAMPLE_U64,
	ADT_SAMPLE_I8,
	ADT_SAMPLE_I16,
	ADT_SAMPLE_I32,
	ADT_SAMPLE_I64,
	ADT_SAMPLE_F16, /* IEEE 754 binary16, stored as uint16_t bits */
	ADT_SAMPLE_F32,
	ADT_SAMPLE_F64
};

/* Bytes per sample, and a short name for messages ("float32", "uint8"). */
size_t adt_sample_size(enum adt_sample s);
const char *adt_sample_name(enum adt_sample s);
int adt_sample_is_float(enum adt_sample s);

/* The value of a binary16 as a float (exact: every half is a float). */
float adt_half_to_float(uint16_t h);

/* What a file holds, known from its header alone. */
struct adt_raster_info {
	uint64_t width, height;
	uint64_t count; /* images in the file: 1, or N for a stack (NPY, TIFF pages) */
	enum adt_sample sample;
};

/* How to decode.  A map keeps its samples (8/16-bit PNG maps are integer
 * samples; the caller scales them); a mask is reduced to one channel where
 * any colour channel is nonzero counts (alpha ignored). */
enum adt_purpose { ADT_AS_MAP = 0, ADT_AS_MASK };

struct adt_decode_opts {
	enum adt_purpose purpose;
	uint64_t max_pixels; /* width * height above this is an error; 0: no limit */
};

/* One decoded image: width * height samples, row-major, native byte order.
 * data is owned; cap is its size in bytes so that a raster can be reused
 * for the next image without a new allocation. */
struct adt_raster {
	uint64_t width, height;
	enum adt_sample sample;
	void *data;
	size_t cap;
};

/* Makes r empty.  Allocates nothing. */
void adt_raster_init(struct adt_raster *r);
/* Frees r's data and makes it empty. */
void adt_raster_release(struct adt_raster *r);
/* Sets r's shape and makes room for width * height samples of type s,
 * reusing the buffer when it is large enough.  Returns 0, or -1 with
 * ADT_ENOMEM (also when the size overflows). */
int adt_raster_reshape(struct adt_raster *r, uint64_t width, uint64_t height, enum adt_sample s,
		       struct adt_error *err);

/* Checks width and height against o (nonzero, product within max_pixels
 * and within size_t for samples of size sz).  Returns 0, or -1 with
 * ADT_EDATA "image is 0x10 pixels" or "image of 100000x100000 pixels is
 * over the limit of N pixels (--max-pixels)". */
int adt_raster_check_size(uint64_t width, uint64_t height, size_t sz,
			  const struct adt_decode_opts *o, struct adt_error *err);

#endif
