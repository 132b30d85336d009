/* Decoded images and their sample types (see raster.h). */
#include "adthresh/raster.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	size_t size;
	const char *name;
	int is_float;
} samples[] = {
    [ADT_SAMPLE_BOOL] = {1, "bool", 0},	  [ADT_SAMPLE_U8] = {1, "uint8", 0},
    [ADT_SAMPLE_U16] = {2, "uint16", 0},  [ADT_SAMPLE_U32] = {4, "uint32", 0},
    [ADT_SAMPLE_U64] = {8, "uint64", 0},  [ADT_SAMPLE_I8] = {1, "int8", 0},
    [ADT_SAMPLE_I16] = {2, "int16", 0},	  [ADT_SAMPLE_I32] = {4, "int32", 0},
    [ADT_SAMPLE_I64] = {8, "int64", 0},	  [ADT_SAMPLE_F16] = {2, "float16", 1},
    [ADT_SAMPLE_F32] = {4, "float32", 1}, [ADT_SAMPLE_F64] = {8, "float64", 1},
};

size_t adt_sample_size(enum adt_sample s)
{
	return samples[s].size;
}

const char *adt_sample_name(enum adt_sample s)
{
	return samples[s].name;
}

int adt_sample_is_float(enum adt_sample s)
{
	return samples[s].is_float;
}

float adt_half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1F, man = h & 0x3FF, bits;
	float f;

	if (exp == 0x1F) {
		bits = sign | 0x7F800000u | (man << 13); /* inf or NaN */
	} else if (exp != 0) {
		bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
	} else if (man == 0) {
		bits = sign;
	} else {
		/* Subnormal half: normalise the mantissa into a float. */
		exp = 127 - 15 + 1;
		while (!(man & 0x400)) {
			man <<= 1;
			exp--;
		}
		bits = sign | (exp << 23) | ((man & 0x3FF) << 13);
	}
	memcpy(&f, &bits, sizeof(f));
	return f;
}

void adt_raster_init(struct adt_raster *r)
{
	memset(r, 0, sizeof(*r));
}

void adt_raster_release(struct adt_raster *r)
{
	free(r->data);
	adt_raster_init(r);
}

int adt_raster_reshape(struct adt_raster *r, uint64_t width, uint64_t height, enum adt_sample s,
		       struct adt_error *err)
{
	size_t sz = adt_sample_size(s), bytes;
	void *p;

	if (width != 0 && height > SIZE_MAX / width / sz)
		return adt_error_set(err, ADT_ENOMEM, "image of %llux%llu pixels is too large",
				     (unsigned long long)width, (unsigned long long)height);
	bytes = (size_t)(width * height) * sz;
	if (bytes > r->cap || !r->data) {
		p = malloc(bytes ? bytes : 1);
		if (!p)
			return adt_error_set(err, ADT_ENOMEM,
					     "out of memory for an image of %llux%llu pixels",
					     (unsigned long long)width, (unsigned long long)height);
		free(r->data);
		r->data = p;
		r->cap = bytes;
	}
	r->width = width;
	r->height = height;
	r->sample = s;
	return 0;
}

int adt_raster_check_size(uint64_t width, uint64_t height, size_t sz,
			  const struct adt_decode_opts *o, struct adt_error *err)
{
	if (width == 0 || height == 0)
		return adt_error_set(err, ADT_EDATA, "image is %llux%llu pixels",
				     (unsigned long long)width, (unsigned long long)height);
	if (height > SIZE_MAX / width / sz)
		return adt_error_set(err, ADT_EDATA, "image of %llux%llu pixels is too large",
				     (unsigned long long)width, (unsigned long long)height);
	if (o && o->max_pixels && width * height > o->max_pixels)
		return adt_error_set(err, ADT_EDATA,
				     "image of %llux%llu pixels is over the limit of %llu pixels "
				     "(--max-pixels)",
				     (unsigned long long)width, (unsigned long long)height,
				     (unsigned long long)o->max_pixels);
	return 0;
}
