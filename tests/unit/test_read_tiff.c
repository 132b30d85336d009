/* Unit tests for the TIFF reader (adt_tiff_*): files are written with
 * libtiff into temporary files (or built byte by byte where the layout
 * matters), then read back through both the file and the memory API.  One
 * table row per case, each a test of its own.  Every library call runs
 * with stderr captured: the reader must never print. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tiffio.h>

#include "adthresh/error.h"
#include "adthresh/image_formats.h"
#include "adthresh/raster.h"

#include "test_list.h"

#define MEM_NAME "m.tif"

/* A TIFF for libtiff to write.  Pixel values come from pixel() below. */
struct spec {
	uint32_t w, h;
	uint16_t bits, fmt;		 /* fmt 0: no SampleFormat tag (unsigned) */
	uint16_t spp;			 /* 0: 1; 3 writes RGB */
	uint16_t compression, predictor; /* 0: none */
	uint32_t rps;			 /* rows per strip; 0: one strip */
	uint32_t tw, th;		 /* tile size; 0: strips */
	const char *mode;		 /* TIFFOpen mode; NULL: "w" (native order); "a" appends
					  * a page */
	int miniswhite, palette;
	uint32_t seed; /* another pattern of pixels (and no specials) */
};

/* ---- test data ---- */

static const float f32_specials[] = {0.1f,
				     -0.0f,
				     1.0f,
				     -2.5f,
				     1e-45f /* smallest denormal */,
				     -1.1754942e-38f /* largest denormal */,
				     FLT_MAX,
				     -FLT_MAX,
				     3.14159274f,
				     1e-7f,
				     0.0f,
				     65504.0f,
				     16777217.0f};

static const double f64_specials[] = {0.1,
				      -0.0,
				      4.9406564584124654e-324 /* smallest denormal */,
				      -2.2250738585072009e-308 /* largest denormal */,
				      DBL_MAX,
				      -1e300,
				      1.0 / 3.0,
				      1.0,
				      0.0,
				      -0.5,
				      123456789.125,
				      1e-300};

/* binary16 bit patterns: 1, -2.5, smallest denormal, -largest denormal,
 * 65504, -0, ~0.1, 0, inf, ~1/3, -65504, smallest normal */
static const uint16_t f16_specials[] = {0x3C00, 0xC100, 0x0001, 0x83FF, 0x7BFF, 0x8000,
					0x2E66, 0x0000, 0x7C00, 0x3555, 0xFBFF, 0x0400};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t hash(uint64_t i)
{
	uint32_t h = (uint32_t)(i * 2654435761u) ^ (uint32_t)(i >> 3);

	h ^= h >> 15;
	h *= 0x2C1B3C6Du;
	h ^= h >> 12;
	return h;
}

/* Bytes of one native sample of the type a spec is read as. */
static size_t spec_sample_size(const struct spec *s)
{
	return s->bits <= 8 ? 1 : s->bits <= 16 ? 2 : s->bits <= 32 ? 4 : 8;
}

/* The value of pixel i in native order: the specials first, then a
 * pattern that uses the whole range of the type. */
static void pixel(const struct spec *s, uint64_t i, void *dst)
{
	uint32_t h = hash(i + ((uint64_t)s->seed << 32));
	uint16_t u16 = (uint16_t)h;
	uint32_t u32 = h;
	uint8_t u8 = (uint8_t)(h >> 8);
	float f;
	double d;

	if (s->fmt == SAMPLEFORMAT_IEEEFP && s->bits == 32) {
		f = i < COUNT(f32_specials) && !s->seed ? f32_specials[i]
							: (float)((int32_t)h) / 4096.0f;
		memcpy(dst, &f, 4);
	} else if (s->fmt == SAMPLEFORMAT_IEEEFP && s->bits == 64) {
		d = i < COUNT(f64_specials) && !s->seed ? f64_specials[i]
							: (double)(int32_t)h * 1e-3 + 0.1;
		memcpy(dst, &d, 8);
	} else if (s->fmt == SAMPLEFORMAT_IEEEFP && s->bits == 16) {
		u16 = i < COUNT(f16_specials) && !s->seed ? f16_specials[i] : u16;
		memcpy(dst, &u16, 2);
	} else if (s->bits == 1) {
		u8 = (h >> 7) & 1;
		memcpy(dst, &u8, 1);
	} else if (s->bits == 8) {
		memcpy(dst, &u8, 1);
	} else if (s->bits == 16) {
		memcpy(dst, &u16, 2);
	} else if (s->bits == 32) {
		memcpy(dst, &u32, 4);
	} else {
		memset(dst, 0, spec_sample_size(s));
	}
}

/* ---- writing ---- */

static char *temp_path(void)
{
	char *p = strdup("/tmp/adt_tiff_XXXXXX");
	int fd;

	assert_non_null(p);
	fd = mkstemp(p);
	assert_true(fd >= 0);
	close(fd);
	return p;
}

/* Packs the pixels of one strip or tile at (x0, y0), uw x uh pixels with
 * row_bytes per row, zero outside the image. */
static void pack_unit(const struct spec *s, unsigned char *buf, size_t row_bytes, uint32_t x0,
		      uint32_t y0, uint32_t uw, uint32_t uh)
{
	size_t sz = spec_sample_size(s);
	unsigned char v[8];
	uint32_t r, c;

	memset(buf, 0, row_bytes * uh);
	if (s->spp > 1)
		return;
	for (r = 0; r < uh && y0 + r < s->h; r++) {
		for (c = 0; c < uw && x0 + c < s->w; c++) {
			pixel(s, (uint64_t)(y0 + r) * s->w + x0 + c, v);
			if (s->bits == 1 && v[0])
				buf[r * row_bytes + c / 8] |= (unsigned char)(0x80 >> (c % 8));
			else if (s->bits % 8 == 0 && s->bits <= 64 && s->bits != 24)
				memcpy(buf + r * row_bytes + c * sz, v, sz);
		}
	}
}

static void set_tags(TIFF *t, const struct spec *s, uint16_t **cmap)
{
	uint16_t spp = s->spp ? s->spp : 1, photometric = PHOTOMETRIC_MINISBLACK;
	size_t n;

	if (spp == 3)
		photometric = PHOTOMETRIC_RGB;
	else if (s->palette)
		photometric = PHOTOMETRIC_PALETTE;
	else if (s->miniswhite)
		photometric = PHOTOMETRIC_MINISWHITE;
	assert_true(TIFFSetField(t, TIFFTAG_IMAGEWIDTH, s->w));
	assert_true(TIFFSetField(t, TIFFTAG_IMAGELENGTH, s->h));
	assert_true(TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, s->bits));
	assert_true(TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, spp));
	assert_true(TIFFSetField(t, TIFFTAG_PHOTOMETRIC, photometric));
	assert_true(TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG));
	assert_true(TIFFSetField(t, TIFFTAG_COMPRESSION,
				 s->compression ? s->compression : COMPRESSION_NONE));
	if (s->predictor)
		assert_true(TIFFSetField(t, TIFFTAG_PREDICTOR, s->predictor));
	if (s->fmt)
		assert_true(TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, s->fmt));
	if (s->palette) {
		n = (size_t)1 << s->bits;
		*cmap = calloc(3 * n, sizeof(**cmap));
		assert_non_null(*cmap);
		assert_true(TIFFSetField(t, TIFFTAG_COLORMAP, *cmap, *cmap + n, *cmap + 2 * n));
	}
	if (s->tw) {
		assert_true(TIFFSetField(t, TIFFTAG_TILEWIDTH, s->tw));
		assert_true(TIFFSetField(t, TIFFTAG_TILELENGTH, s->th));
	} else {
		assert_true(TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, s->rps ? s->rps : s->h));
	}
}

static void write_tiff(const struct spec *s, const char *path);

/* libtiff 4.5.0 byte-swaps the samples before the floating-point
 * predictor when it writes a big-endian file, so that no reader (libtiff
 * included) gets the values back.  The predictor's output does not depend
 * on the byte order, so such a file gets the raw strips or tiles of the
 * same image written little-endian. */
static void write_fp_big_endian(const struct spec *s, const char *path)
{
	struct spec le = *s;
	char *le_path = temp_path();
	uint16_t *cmap = NULL;
	unsigned char *buf;
	uint32_t k, n;
	uint64_t size;
	TIFF *in, *t;

	le.mode = strchr(s->mode, '8') ? "w8l" : "wl";
	write_tiff(&le, le_path);
	in = TIFFOpen(le_path, "r");
	assert_non_null(in);
	t = TIFFOpen(path, s->mode);
	assert_non_null(t);
	set_tags(t, s, &cmap);
	n = s->tw ? TIFFNumberOfTiles(in) : TIFFNumberOfStrips(in);
	for (k = 0; k < n; k++) {
		size = TIFFGetStrileByteCount(in, k);
		buf = malloc(size);
		assert_non_null(buf);
		if (s->tw) {
			assert_int_equal(TIFFReadRawTile(in, k, buf, (tmsize_t)size), size);
			assert_int_equal(TIFFWriteRawTile(t, k, buf, (tmsize_t)size), size);
		} else {
			assert_int_equal(TIFFReadRawStrip(in, k, buf, (tmsize_t)size), size);
			assert_int_equal(TIFFWriteRawStrip(t, k, buf, (tmsize_t)size), size);
		}
		free(buf);
	}
	TIFFClose(t);
	TIFFClose(in);
	unlink(le_path);
	free(le_path);
	free(cmap);
}

static void write_tiff(const struct spec *s, const char *path)
{
	uint16_t spp = s->spp ? s->spp : 1;
	uint32_t rps = s->rps ? s->rps : s->h, uw, uh, x0, y0, rows;
	uint16_t *cmap = NULL;
	unsigned char *buf;
	size_t row_bytes;
	TIFF *t;

	if (s->predictor == PREDICTOR_FLOATINGPOINT && s->mode && strchr(s->mode, 'b')) {
		write_fp_big_endian(s, path);
		return;
	}
	t = TIFFOpen(path, s->mode ? s->mode : "w");
	assert_non_null(t);
	set_tags(t, s, &cmap);
	uw = s->tw ? s->tw : s->w;
	uh = s->tw ? s->th : rps;
	row_bytes = ((size_t)uw * spp * s->bits + 7) / 8;
	buf = malloc(row_bytes * uh);
	assert_non_null(buf);
	for (y0 = 0; y0 < s->h; y0 += uh) {
		for (x0 = 0; x0 < s->w; x0 += uw) {
			/* libtiff byte-swaps the buffer it is given in place. */
			pack_unit(s, buf, row_bytes, x0, y0, uw, uh);
			if (s->tw) {
				assert_true(
				    TIFFWriteEncodedTile(t, TIFFComputeTile(t, x0, y0, 0, 0), buf,
							 (tmsize_t)(row_bytes * uh)) >= 0);
			} else {
				rows = s->h - y0 < uh ? s->h - y0 : uh;
				assert_true(TIFFWriteEncodedStrip(t, y0 / uh, buf,
								  (tmsize_t)(row_bytes * rows)) >=
					    0);
			}
		}
	}
	TIFFClose(t);
	free(buf);
	free(cmap);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *p;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	p = malloc(*len ? *len : 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

static void spit(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* ---- a classic little-endian TIFF built by hand, directory first ---- */

struct hand {
	uint32_t w, h, rps, tw, th; /* tw 0: strips */
	uint16_t bits, fmt;
	uint32_t claim;	      /* nonzero: every byte count says this (no data written) */
	uint32_t offsets;     /* nonzero: the offsets tag says it has this many entries */
	uint32_t counts;      /* nonzero: the byte counts tag says this many */
	uint32_t zero_offset; /* nonzero: strip or tile zero_offset - 1 starts at byte 0 */
	int unknown_tag;      /* adds a tag libtiff does not know */
};

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static unsigned char *entry(unsigned char *p, uint16_t tag, uint16_t type, uint32_t count,
			    uint32_t value)
{
	put16(p, tag);
	put16(p + 2, type);
	put32(p + 4, count);
	if (type == 3 && count == 1)
		put16(p + 8, (uint16_t)value);
	else
		put32(p + 8, value);
	return p + 12;
}

/* Header, directory, offset and count arrays, then the strips or tiles,
 * each filled from pixel() (only the first unit for a claimed size). */
static unsigned char *build_tiff(const struct hand *hd, size_t *len)
{
	const struct spec ps = {.w = hd->w, .h = hd->h, .bits = hd->bits, .fmt = hd->fmt};
	uint32_t uw = hd->tw ? hd->tw : hd->w, uh = hd->tw ? hd->th : hd->rps;
	uint32_t across = (hd->w + uw - 1) / uw, n = across * ((hd->h + uh - 1) / uh), k, r, c;
	size_t sz = spec_sample_size(&ps), unit = (size_t)uw * uh * sz;
	size_t arrays = 8 + 2 + 12 * 12 + 4, data = arrays + (n > 1 ? 8 * (size_t)n : 0), x, y;
	unsigned char *b, *p;
	uint16_t tags = (hd->tw ? 11 : 10) + (hd->unknown_tag ? 1 : 0);
	uint32_t noff = hd->offsets ? hd->offsets : n, ncnt = hd->counts ? hd->counts : n;

	*len = data + (hd->claim ? 0 : unit * n);
	b = calloc(*len, 1);
	assert_non_null(b);
	memcpy(b, "II*\0", 4);
	put32(b + 4, 8);
	put16(b + 8, tags);
	p = b + 10;
	p = entry(p, 256, 4, 1, hd->w);
	p = entry(p, 257, 4, 1, hd->h);
	p = entry(p, 258, 3, 1, hd->bits);
	p = entry(p, 259, 3, 1, 1);
	p = entry(p, 262, 3, 1, 1);
	if (!hd->tw) {
		p = entry(p, 273, 4, noff, n > 1 ? (uint32_t)arrays : (uint32_t)data);
		p = entry(p, 277, 3, 1, 1);
		p = entry(p, 278, 4, 1, hd->rps);
		p = entry(p, 279, 4, ncnt,
			  n > 1 ? (uint32_t)(arrays + 4 * n)
				: (hd->claim ? hd->claim : (uint32_t)unit));
	} else {
		p = entry(p, 277, 3, 1, 1);
		p = entry(p, 322, 4, 1, hd->tw);
		p = entry(p, 323, 4, 1, hd->th);
		p = entry(p, 324, 4, noff, n > 1 ? (uint32_t)arrays : (uint32_t)data);
		p = entry(p, 325, 4, ncnt,
			  n > 1 ? (uint32_t)(arrays + 4 * n)
				: (hd->claim ? hd->claim : (uint32_t)unit));
	}
	p = entry(p, 339, 3, 1, hd->fmt);
	if (hd->unknown_tag)
		p = entry(p, 65000, 3, 1, 7);
	put32(p, 0);
	for (k = 0; k < n && n > 1; k++) {
		put32(b + arrays + 4 * k,
		      k + 1 == hd->zero_offset ? 0 : (uint32_t)(data + unit * k));
		put32(b + arrays + 4 * (n + k), hd->claim ? hd->claim : (uint32_t)unit);
	}
	for (k = 0; k < n && !hd->claim; k++) {
		for (r = 0; r < uh; r++) {
			for (c = 0; c < uw; c++) {
				x = (size_t)(k % across) * uw + c;
				y = (size_t)(k / across) * uh + r;
				if (x < hd->w && y < hd->h)
					pixel(&ps, (uint64_t)y * hd->w + x,
					      b + data + unit * k + ((size_t)r * uw + c) * sz);
			}
		}
	}
	return b;
}

/* ---- calling the reader with stderr captured ---- */

struct capture {
	int saved, fd;
};

static void capture_begin(struct capture *c)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	c->fd = dup(fileno(f));
	fclose(f);
	assert_true(c->fd >= 0);
	fflush(stderr);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_true(dup2(c->fd, 2) >= 0);
}

static void capture_end(struct capture *c)
{
	char text[256];
	ssize_t n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	n = pread(c->fd, text, sizeof(text) - 1, 0);
	close(c->fd);
	if (n > 0) {
		text[n] = '\0';
		fail_msg("the reader printed to stderr: %s", text);
	}
}

enum api { FILE_READ, MEM_READ, FILE_PROBE, MEM_PROBE };

static const char *const api_names[] = {"read_file", "read_mem", "probe_file", "probe_mem"};

/* One call of the reader; the file's bytes are buf (the memory API) and
 * path (the file API). */
static int call(enum api a, const char *path, const void *buf, size_t len,
		const struct adt_decode_opts *o, struct adt_raster *r, struct adt_raster_info *info,
		struct adt_error *err)
{
	struct capture c;
	int rc = -1;

	adt_error_init(err);
	capture_begin(&c);
	switch (a) {
	case FILE_READ:
		rc = adt_tiff_read_file(path, 0, o, r, err);
		break;
	case MEM_READ:
		rc = adt_tiff_read_mem(buf, len, MEM_NAME, 0, o, r, err);
		break;
	case FILE_PROBE:
		rc = adt_tiff_probe_file(path, info, err);
		break;
	case MEM_PROBE:
		rc = adt_tiff_probe_mem(buf, len, MEM_NAME, info, err);
		break;
	}
	capture_end(&c);
	return rc;
}

/* ---- success cases ---- */

struct ok_case {
	const char *name;
	struct spec s;
	enum adt_sample sample;
	const char *magic; /* the first bytes the writer must have produced, or NULL */
	size_t magic_len;
};

#define F32 .bits = 32, .fmt = SAMPLEFORMAT_IEEEFP
#define F16 .bits = 16, .fmt = SAMPLEFORMAT_IEEEFP
#define F64 .bits = 64, .fmt = SAMPLEFORMAT_IEEEFP
#define BE  .mode = "wb"
#define LE  .mode = "wl"

static const struct ok_case ok_cases[] = {
    {"float32 specials", {4, 4, F32, LE}, ADT_SAMPLE_F32, "II*\0", 4},
    {"float32 specials big-endian", {4, 4, F32, BE}, ADT_SAMPLE_F32, "MM\0*", 4},
    {"float16 specials", {4, 3, F16, LE}, ADT_SAMPLE_F16, "II*\0", 4},
    {"float16 specials big-endian", {4, 3, F16, BE}, ADT_SAMPLE_F16, "MM\0*", 4},
    {"float64 specials", {3, 4, F64}, ADT_SAMPLE_F64, NULL, 0},
    {"float64 specials big-endian", {3, 4, F64, BE}, ADT_SAMPLE_F64, "MM\0*", 4},
    {"float32 1x1", {1, 1, F32}, ADT_SAMPLE_F32, NULL, 0},
    {"float32 strips of 4 rows, last short", {20, 17, F32, .rps = 4}, ADT_SAMPLE_F32, NULL, 0},
    {"float32 strips of 1 row big-endian", {9, 5, F32, .rps = 1, BE}, ADT_SAMPLE_F32, "MM\0*", 4},
    {"float32 tiles 16x16 on 37x23", {37, 23, F32, .tw = 16, .th = 16}, ADT_SAMPLE_F32, NULL, 0},
    {"float32 tile larger than image", {5, 3, F32, .tw = 32, .th = 16}, ADT_SAMPLE_F32, NULL, 0},
    {"float16 tiles big-endian", {37, 23, F16, .tw = 16, .th = 16, BE}, ADT_SAMPLE_F16, "MM\0*", 4},
    {"float64 tiles", {37, 23, F64, .tw = 16, .th = 32}, ADT_SAMPLE_F64, NULL, 0},
    {"float32 LZW + float predictor, strips",
     {37, 23, F32, .compression = COMPRESSION_LZW, .predictor = PREDICTOR_FLOATINGPOINT, .rps = 5},
     ADT_SAMPLE_F32,
     NULL,
     0},
    {"float32 deflate + float predictor, tiles, big-endian",
     {37, 23, F32, .compression = COMPRESSION_ADOBE_DEFLATE, .predictor = PREDICTOR_FLOATINGPOINT,
      .tw = 16, .th = 16, BE},
     ADT_SAMPLE_F32,
     "MM\0*",
     4},
    {"float32 deflate + horizontal predictor",
     {30, 7, F32, .compression = COMPRESSION_ADOBE_DEFLATE, .predictor = PREDICTOR_HORIZONTAL},
     ADT_SAMPLE_F32,
     NULL,
     0},
    {"float16 deflate + float predictor big-endian",
     {37, 23, F16, .compression = COMPRESSION_ADOBE_DEFLATE, .predictor = PREDICTOR_FLOATINGPOINT,
      .rps = 8, BE},
     ADT_SAMPLE_F16,
     "MM\0*",
     4},
    {"float64 LZW + float predictor big-endian",
     {19, 11, F64, .compression = COMPRESSION_LZW, .predictor = PREDICTOR_FLOATINGPOINT, BE},
     ADT_SAMPLE_F64,
     "MM\0*",
     4},
    {"float32 BigTIFF", {37, 23, F32, .mode = "w8", .rps = 3}, ADT_SAMPLE_F32, "II+\0", 4},
    {"float32 BigTIFF big-endian tiles",
     {37, 23, F32, .mode = "w8b", .tw = 16, .th = 16},
     ADT_SAMPLE_F32,
     "MM\0+",
     4},
    {"uint8 mask", {37, 23, .bits = 8, .fmt = SAMPLEFORMAT_UINT}, ADT_SAMPLE_U8, NULL, 0},
    {"uint8 mask without SampleFormat, packbits",
     {37, 23, .bits = 8, .compression = COMPRESSION_PACKBITS, .rps = 7},
     ADT_SAMPLE_U8,
     NULL,
     0},
    {"uint8 mask deflate + horizontal predictor, tiles",
     {37, 23, .bits = 8, .fmt = SAMPLEFORMAT_UINT, .compression = COMPRESSION_ADOBE_DEFLATE,
      .predictor = PREDICTOR_HORIZONTAL, .tw = 16, .th = 16},
     ADT_SAMPLE_U8,
     NULL,
     0},
    {"uint8 mask MinIsWhite as stored", {8, 3, .bits = 8, .miniswhite = 1}, ADT_SAMPLE_U8, NULL, 0},
    {"uint16 mask big-endian", {37, 23, .bits = 16, BE}, ADT_SAMPLE_U16, "MM\0*", 4},
    {"uint16 LZW + horizontal predictor big-endian",
     {37, 23, .bits = 16, .compression = COMPRESSION_LZW, .predictor = PREDICTOR_HORIZONTAL, BE},
     ADT_SAMPLE_U16,
     "MM\0*",
     4},
    {"uint32 big-endian",
     {13, 6, .bits = 32, .fmt = SAMPLEFORMAT_UINT, BE},
     ADT_SAMPLE_U32,
     "MM\0*",
     4},
    {"int8", {13, 6, .bits = 8, .fmt = SAMPLEFORMAT_INT}, ADT_SAMPLE_I8, NULL, 0},
    {"int16 big-endian",
     {13, 6, .bits = 16, .fmt = SAMPLEFORMAT_INT, BE},
     ADT_SAMPLE_I16,
     "MM\0*",
     4},
    {"int32 tiles",
     {37, 23, .bits = 32, .fmt = SAMPLEFORMAT_INT, .tw = 16, .th = 16},
     ADT_SAMPLE_I32,
     NULL,
     0},
    {"bilevel 37x5 strips of 2 rows", {37, 5, .bits = 1, .rps = 2}, ADT_SAMPLE_U8, NULL, 0},
    {"bilevel MinIsWhite as stored, deflate",
     {37, 9, .bits = 1, .miniswhite = 1, .compression = COMPRESSION_ADOBE_DEFLATE},
     ADT_SAMPLE_U8,
     NULL,
     0},
    {"bilevel tiles 16x16 on 37x23",
     {37, 23, .bits = 1, .tw = 16, .th = 16},
     ADT_SAMPLE_U8,
     NULL,
     0},
};

/* The expected raster of a spec, in native order (bilevel: 0/1 bytes). */
static unsigned char *expected(const struct spec *s)
{
	size_t sz = spec_sample_size(s), i, n = (size_t)s->w * s->h;
	unsigned char *e = malloc(n * sz);

	assert_non_null(e);
	for (i = 0; i < n; i++)
		pixel(s, i, e + i * sz);
	return e;
}

static void check_raster(const struct ok_case *c, const struct adt_raster *r,
			 const unsigned char *want, const char *api)
{
	size_t sz = spec_sample_size(&c->s), i, n = (size_t)c->s.w * c->s.h;
	const unsigned char *got = r->data;

	assert_int_equal(r->width, c->s.w);
	assert_int_equal(r->height, c->s.h);
	assert_int_equal(r->sample, c->sample);
	assert_int_equal(adt_sample_size(r->sample), sz);
	assert_non_null(got);
	for (i = 0; i < n; i++)
		if (memcmp(got + i * sz, want + i * sz, sz) != 0)
			fail_msg("%s: pixel %zu (x %zu, y %zu) differs", api, i, i % c->s.w,
				 i / c->s.w);
}

static void test_ok(void **state)
{
	const struct ok_case *c = *state;
	struct adt_decode_opts o = {ADT_AS_MAP, (uint64_t)c->s.w * c->s.h};
	struct adt_raster_info info;
	struct adt_raster r;
	struct adt_error err;
	unsigned char *want = expected(&c->s), *buf;
	char *path = temp_path();
	size_t len;
	int a;

	write_tiff(&c->s, path);
	buf = slurp(path, &len);
	if (c->magic)
		assert_memory_equal(buf, c->magic, c->magic_len);
	adt_raster_init(&r);
	for (a = FILE_READ; a <= MEM_PROBE; a++) {
		memset(&info, 0xAB, sizeof(info));
		o.purpose = a == MEM_READ ? ADT_AS_MASK : ADT_AS_MAP;
		if (call(a, path, buf, len, &o, &r, &info, &err) != 0)
			fail_msg("%s: unexpected error (%d): %s", api_names[a], err.code, err.msg);
		assert_int_equal(err.code, ADT_EOK);
		if (a == FILE_READ || a == MEM_READ) {
			/* The second read reuses the first one's buffer. */
			check_raster(c, &r, want, api_names[a]);
		} else {
			assert_int_equal(info.width, c->s.w);
			assert_int_equal(info.height, c->s.h);
			assert_int_equal(info.count, 1);
			assert_int_equal(info.sample, c->sample);
		}
	}
	adt_raster_release(&r);
	unlink(path);
	free(path);
	free(buf);
	free(want);
}

/* ---- failure cases ---- */

enum source {
	WRITTEN,   /* spec written by libtiff */
	TRUNCATED, /* spec written, then cut to `at` bytes (negative: from the end) */
	CORRUPTED, /* spec written, then the first `n` bytes of strip 0 set to `byte` */
	BYTES,	   /* the literal bytes */
	HAND,	   /* built by hand, directory first, then cut to `at` bytes (0: whole) */
};

struct fail_case {
	const char *name;
	enum source src;
	struct spec s;
	struct hand hd;
	long at;
	size_t n;
	unsigned char byte;
	const char *bytes;
	size_t len;
	uint64_t max_pixels;
	int probe_ok; /* the probes succeed: decoding is what fails */
	enum adt_errcode code;
	const char *msg;
};

#define STRIPS_F32                                                                                 \
	{                                                                                          \
		.w = 20, .h = 10, F32, .rps = 3                                                    \
	}
#define LZW_F32                                                                                    \
	{                                                                                          \
		.w = 40, .h = 30, F32, .compression = COMPRESSION_LZW,                             \
		.predictor = PREDICTOR_FLOATINGPOINT                                               \
	}
#define DEFLATE_U8                                                                                 \
	{                                                                                          \
		.w = 40, .h = 30, .bits = 8, .compression = COMPRESSION_ADOBE_DEFLATE, .rps = 10   \
	}
#define HAND_F32                                                                                   \
	{                                                                                          \
		.w = 8, .h = 6, .rps = 2, .bits = 32, .fmt = SAMPLEFORMAT_IEEEFP                   \
	}

static const struct fail_case fail_cases[] = {
    {.name = "RGB",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 8, .spp = 3},
     .code = ADT_EDATA,
     .msg = "TIFF with 3 samples per pixel is not supported (expected one channel)"},
    {.name = "gray + alpha",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 16, .spp = 2},
     .code = ADT_EDATA,
     .msg = "TIFF with 2 samples per pixel is not supported (expected one channel)"},
    {.name = "12-bit unsigned",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 12},
     .code = ADT_EDATA,
     .msg = "unsupported TIFF sample format: 12-bit unsigned integer"},
    {.name = "24-bit unsigned",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 24, .fmt = SAMPLEFORMAT_UINT},
     .code = ADT_EDATA,
     .msg = "unsupported TIFF sample format: 24-bit unsigned integer"},
    {.name = "64-bit unsigned",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 64, .fmt = SAMPLEFORMAT_UINT},
     .code = ADT_EDATA,
     .msg = "unsupported TIFF sample format: 64-bit unsigned integer"},
    {.name = "4-bit signed",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 4, .fmt = SAMPLEFORMAT_INT},
     .code = ADT_EDATA,
     .msg = "unsupported TIFF sample format: 4-bit signed integer"},
    {.name = "24-bit float",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 24, .fmt = SAMPLEFORMAT_IEEEFP},
     .code = ADT_EDATA,
     .msg = "unsupported TIFF sample format: 24-bit floating point"},
    {.name = "complex float",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 64, .fmt = SAMPLEFORMAT_COMPLEXIEEEFP},
     .code = ADT_EDATA,
     .msg = "unsupported TIFF sample format: 64-bit complex floating point"},
    {.name = "untyped",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 16, .fmt = SAMPLEFORMAT_VOID},
     .code = ADT_EDATA,
     .msg = "unsupported TIFF sample format: 16-bit untyped"},
    {.name = "palette",
     .src = WRITTEN,
     .s = {.w = 4, .h = 4, .bits = 8, .palette = 1},
     .code = ADT_EDATA,
     .msg = "TIFF palette images are not supported (expected one gray channel)"},
    {.name = "over max_pixels",
     .src = WRITTEN,
     .s = {.w = 37, .h = 23, F32, .tw = 16, .th = 16},
     .max_pixels = 850,
     .probe_ok = 1,
     .code = ADT_EDATA,
     .msg = "image of 37x23 pixels is over the limit of 850 pixels (--max-pixels)"},
    {.name = "empty file",
     .src = BYTES,
     .bytes = "",
     .len = 0,
     .code = ADT_EFORMAT,
     .msg = "not a TIFF file"},
    {.name = "PNG signature",
     .src = BYTES,
     .bytes = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
     .len = 16,
     .code = ADT_EFORMAT,
     .msg = "not a TIFF file"},
    {.name = "text",
     .src = BYTES,
     .bytes = "score,label\n0.5,1\n",
     .len = 18,
     .code = ADT_EFORMAT,
     .msg = "not a TIFF file"},
    {.name = "one byte, not TIFF",
     .src = BYTES,
     .bytes = "P",
     .len = 1,
     .code = ADT_EFORMAT,
     .msg = "not a TIFF file"},
    {.name = "wrong version",
     .src = BYTES,
     .bytes = "II\x2b\x01\x08\0\0\0",
     .len = 8,
     .code = ADT_EFORMAT,
     .msg = "not a TIFF file"},
    {.name = "no directory",
     .src = BYTES,
     .bytes = "II*\0\0\0\0\0",
     .len = 8,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: no image directory"},
    {.name = "directory in the header",
     .src = BYTES,
     .bytes = "MM\0*\0\0\0\4\0\0\0\0",
     .len = 12,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: bad directory offset 4"},
    {.name = "bad BigTIFF header",
     .src = BYTES,
     .bytes = "II\x2b\0\x04\0\0\0\x10\0\0\0\0\0\0\0",
     .len = 16,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: bad BigTIFF header"},
    {.name = "truncated at 1 byte",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 1,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: the file ends in its header"},
    {.name = "truncated at 7 bytes",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 7,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: the file ends in its header"},
    {.name = "truncated BigTIFF at 12 bytes",
     .src = TRUNCATED,
     .s = {.w = 4, .h = 4, F32, .mode = "w8"},
     .at = 12,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: the file ends in its header"},
    {.name = "truncated after the header",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 8,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: the directory at byte 808 is past the end of the 8-byte file"},
    {.name = "truncated in the strips",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 500,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: the directory at byte 808 is past the end of the 500-byte "
	    "file"},
    {.name = "truncated in the directory",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 809,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchDirectory: Can not read TIFF directory count"},
    {.name = "truncated in the directory entries",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 830,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchDirectory: Can not read TIFF directory"},
    {.name = "truncated in the strip offsets",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 960,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchStripThing: IO error during reading of \"StripOffsets\""},
    {.name = "truncated in the strip byte counts",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = 950,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchStripThing: IO error during reading of \"StripOffsets\""},
    {.name = "truncated by one byte",
     .src = TRUNCATED,
     .s = STRIPS_F32,
     .at = -1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchStripThing: IO error during reading of \"StripOffsets\""},
    {.name = "hand-made: truncated in strip 0",
     .src = HAND,
     .hd = HAND_F32,
     .at = 218,
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: strip 0 ends at byte 246, past the end of the 218-byte file"},
    {.name = "hand-made: truncated in strip 2",
     .src = HAND,
     .hd = HAND_F32,
     .at = -1,
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: strip 2 ends at byte 374, past the end of the 373-byte file"},
    {.name = "hand-made: truncated in the offset array",
     .src = HAND,
     .hd = HAND_F32,
     .at = 164,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchStripThing: IO error during reading of \"StripOffsets\""},
    {.name = "hand-made: tile far larger than the image",
     .src = HAND,
     .hd = {.w = 16,
	    .h = 16,
	    .tw = 16384,
	    .th = 16384,
	    .bits = 32,
	    .fmt = SAMPLEFORMAT_IEEEFP,
	    .claim = 1000},
     .probe_ok = 1,
     .code = ADT_EDATA,
     .msg = "TIFF tile of 16384x16384 pixels is too large for an image of 16x16 pixels"},
    /* libtiff replaces a bogus count of a single uncompressed strip with
     * the size the image needs. */
    {.name = "hand-made: one strip, byte count past the end",
     .src = HAND,
     .hd = {.w = 4, .h = 4, .rps = 4, .bits = 8, .fmt = SAMPLEFORMAT_UINT, .claim = 100000},
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: strip 0 ends at byte 174, past the end of the 158-byte file"},
    {.name = "hand-made: two strips, byte counts past the end",
     .src = HAND,
     .hd = {.w = 4, .h = 4, .rps = 2, .bits = 8, .fmt = SAMPLEFORMAT_UINT, .claim = 100000},
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "truncated TIFF data: strip 0 ends at byte 100174, past the end of the 174-byte "
	    "file"},
    /* Tables shorter than the strips or tiles: libtiff warns, fills the
     * rest with 0 and would read the header as pixels. */
    {.name = "hand-made: StripOffsets lists 2 of 3 strips",
     .src = HAND,
     .hd = {.w = 8, .h = 6, .rps = 2, .bits = 32, .fmt = SAMPLEFORMAT_IEEEFP, .offsets = 2},
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchStripThing: Incorrect count for \"StripOffsets\""},
    {.name = "hand-made: StripByteCounts lists 2 of 3 strips",
     .src = HAND,
     .hd = {.w = 8, .h = 6, .rps = 2, .bits = 32, .fmt = SAMPLEFORMAT_IEEEFP, .counts = 2},
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchStripThing: Incorrect count for \"StripByteCounts\""},
    {.name = "hand-made: TileOffsets lists 3 of 6 tiles",
     .src = HAND,
     .hd =
	 {.w = 37, .h = 23, .tw = 16, .th = 16, .bits = 16, .fmt = SAMPLEFORMAT_INT, .offsets = 3},
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: TIFFFetchStripThing: Incorrect count for \"TileOffsets\""},
    /* An offset into the header: no pixels are there. */
    {.name = "hand-made: strip 1 starts at byte 0",
     .src = HAND,
     .hd = {.w = 8, .h = 6, .rps = 2, .bits = 32, .fmt = SAMPLEFORMAT_IEEEFP, .zero_offset = 2},
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: strip 1 starts at byte 0, inside the 8-byte header"},
    {.name = "hand-made: tile 4 starts at byte 0",
     .src = HAND,
     .hd = {.w = 37,
	    .h = 23,
	    .tw = 16,
	    .th = 16,
	    .bits = 16,
	    .fmt = SAMPLEFORMAT_INT,
	    .zero_offset = 5},
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: tile 4 starts at byte 0, inside the 8-byte header"},
    {.name = "corrupt LZW strip",
     .src = CORRUPTED,
     .s = LZW_F32,
     .n = 64,
     .byte = 0xFF,
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: strip 0: Using code not yet in table"},
    {.name = "corrupt deflate strip",
     .src = CORRUPTED,
     .s = DEFLATE_U8,
     .n = 2,
     .byte = 0x00,
     .probe_ok = 1,
     .code = ADT_EFORMAT,
     .msg = "corrupt TIFF: strip 0: ZIPDecode: Decoding error at scanline 0"},
};

static unsigned char *fail_bytes(const struct fail_case *c, const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	uint64_t off = 0;
	TIFF *t;

	switch (c->src) {
	case WRITTEN:
	case TRUNCATED:
	case CORRUPTED:
		write_tiff(&c->s, path);
		buf = slurp(path, len);
		break;
	case BYTES:
		buf = malloc(c->len + 1);
		assert_non_null(buf);
		memcpy(buf, c->bytes, c->len);
		*len = c->len;
		break;
	case HAND:
		buf = build_tiff(&c->hd, len);
		break;
	}
	if (c->src == TRUNCATED || (c->src == HAND && c->at)) {
		assert_true(labs(c->at) <= (long)*len);
		*len = c->at > 0 ? (size_t)c->at : *len - (size_t)-c->at;
	}
	if (c->src == CORRUPTED) {
		t = TIFFOpen(path, "r");
		assert_non_null(t);
		off = TIFFGetStrileOffset(t, 0);
		assert_true(TIFFGetStrileByteCount(t, 0) > c->n);
		TIFFClose(t);
		memset(buf + off, c->byte, c->n);
	}
	spit(path, buf, *len);
	return buf;
}

static void test_fail(void **state)
{
	const struct fail_case *c = *state;
	struct adt_decode_opts o = {ADT_AS_MAP, c->max_pixels};
	struct adt_raster_info info;
	struct adt_raster r;
	struct adt_error err;
	char *path = temp_path();
	unsigned char *buf;
	size_t len = 0;
	int a, rc;

	buf = fail_bytes(c, path, &len);
	adt_raster_init(&r);
	for (a = FILE_READ; a <= MEM_PROBE; a++) {
		rc = call(a, path, buf, len, &o, &r, &info, &err);
		if ((a == FILE_PROBE || a == MEM_PROBE) && c->probe_ok) {
			if (rc != 0)
				fail_msg("%s: unexpected error (%d): %s", api_names[a], err.code,
					 err.msg);
			continue;
		}
		if (rc != -1)
			fail_msg("%s: expected an error, got rc %d", api_names[a], rc);
		if (strcmp(err.msg, c->msg) != 0)
			fail_msg("%s: message\n  got:  %s\n  want: %s", api_names[a], err.msg,
				 c->msg);
		assert_int_equal(err.code, c->code);
		assert_int_equal(err.line, 0);
		assert_string_equal(err.file, a == FILE_READ || a == FILE_PROBE ? path : MEM_NAME);
	}
	adt_raster_release(&r);
	unlink(path);
	free(path);
	free(buf);
}

/* ---- the rest ---- */

/* The hand-built layout itself reads back, so that its failure cases
 * fail for the reason they name. */
static void test_hand_ok(void **state)
{
	/* A tag libtiff does not know draws a warning that changes no pixel. */
	static const struct hand hds[] = {
	    HAND_F32,
	    {.w = 37, .h = 23, .tw = 16, .th = 16, .bits = 16, .fmt = SAMPLEFORMAT_INT},
	    {.w = 8, .h = 6, .rps = 2, .bits = 32, .fmt = SAMPLEFORMAT_IEEEFP, .unknown_tag = 1},
	};
	struct adt_raster r;
	struct adt_error err;
	unsigned char *buf, *want;
	size_t len, i;

	(void)state;
	for (i = 0; i < COUNT(hds); i++) {
		const struct ok_case c = {
		    "hand",
		    {.w = hds[i].w, .h = hds[i].h, .bits = hds[i].bits, .fmt = hds[i].fmt},
		    hds[i].fmt == SAMPLEFORMAT_IEEEFP ? ADT_SAMPLE_F32 : ADT_SAMPLE_I16,
		    NULL,
		    0};

		buf = build_tiff(&hds[i], &len);
		want = expected(&c.s);
		adt_raster_init(&r);
		if (call(MEM_READ, NULL, buf, len, NULL, &r, NULL, &err) != 0)
			fail_msg("unexpected error (%d): %s", err.code, err.msg);
		check_raster(&c, &r, want, "read_mem");
		adt_raster_release(&r);
		free(want);
		free(buf);
	}
}

static void test_no_file(void **state)
{
	struct adt_raster_info info;
	struct adt_raster r;
	struct adt_error err;
	const char *missing = "/nonexistent/adt/x.tif";

	(void)state;
	adt_raster_init(&r);
	assert_int_equal(call(FILE_READ, missing, NULL, 0, NULL, &r, NULL, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.msg, "cannot open: No such file or directory");
	assert_string_equal(err.file, missing);
	assert_int_equal(call(FILE_PROBE, missing, NULL, 0, NULL, NULL, &info, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.msg, "cannot open: No such file or directory");
	assert_int_equal(call(FILE_READ, "/tmp", NULL, 0, NULL, &r, NULL, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.msg, "cannot read: Is a directory");
	assert_null(r.data);
}

/* err, name, info and o may be NULL. */
static void test_null_args(void **state)
{
	const struct spec s = {.w = 5, .h = 2, F32};
	struct adt_raster r;
	char *path = temp_path();
	unsigned char *buf;
	size_t len;

	(void)state;
	write_tiff(&s, path);
	buf = slurp(path, &len);
	adt_raster_init(&r);
	assert_int_equal(adt_tiff_probe_mem(buf, len, NULL, NULL, NULL), 0);
	assert_int_equal(adt_tiff_probe_file(path, NULL, NULL), 0);
	assert_int_equal(adt_tiff_read_mem(buf, len, NULL, 0, NULL, &r, NULL), 0);
	assert_int_equal(r.width, 5);
	assert_int_equal(adt_tiff_read_file(path, 0, NULL, &r, NULL), 0);
	assert_int_equal(r.height, 2);
	assert_int_equal(adt_tiff_read_mem(buf, 7, NULL, 0, NULL, &r, NULL), -1);
	assert_int_equal(adt_tiff_read_mem(NULL, 0, NULL, 0, NULL, &r, NULL), -1);
	assert_int_equal(adt_tiff_probe_mem(NULL, 0, NULL, NULL, NULL), -1);
	adt_raster_release(&r);
	unlink(path);
	free(path);
	free(buf);
}

/* ---- pages: a stack of images ---- */

#define MAX_PAGES 4

/* Writes the pages into path, one after another. */
static void write_pages(const struct spec *pages, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++) {
		struct spec p = pages[i];

		if (i > 0)
			p.mode = "a";
		write_tiff(&p, path);
	}
}

struct stack_case {
	const char *name;
	struct spec pages[MAX_PAGES];
	size_t n;
	enum adt_sample sample;
};

/* Pages stored each their own way, of one size and sample type. */
static const struct stack_case stack_cases[] = {
    {"float32: strips, LZW, tiles",
     {{6, 4, F32},
      {6, 4, F32, .rps = 1, .compression = COMPRESSION_LZW, .seed = 1},
      {6, 4, F32, .tw = 16, .th = 16, .seed = 2}},
     3,
     ADT_SAMPLE_F32},
    {"float64 big-endian", {{5, 3, F64, BE}, {5, 3, F64, BE, .seed = 1}}, 2, ADT_SAMPLE_F64},
    {"masks of 1 and 8 bits",
     {{9, 3, .bits = 1},
      {9, 3, .bits = 8, .seed = 1},
      {9, 3, .bits = 1, .seed = 2},
      {9, 3, .bits = 8, .seed = 3}},
     4,
     ADT_SAMPLE_U8},
    {"one page", {{7, 2, F32}}, 1, ADT_SAMPLE_F32},
};

static void check_page(const struct stack_case *c, size_t i, const struct adt_raster *r,
		       const char *api)
{
	const struct ok_case oc = {c->name, c->pages[i], c->sample, NULL, 0};
	unsigned char *want = expected(&c->pages[i]);

	check_raster(&oc, r, want, api);
	free(want);
}

/* Every page reads back as itself through each API; reading through one
 * open file goes forward and back; an index past the last page is an
 * error. */
static void test_stack(void **state)
{
	static const size_t order[] = {0, 2, 3, 1, 0, 3};
	const struct stack_case *c = *state;
	struct adt_raster_info info;
	struct adt_tiff_file *tf;
	struct adt_raster r;
	struct adt_error err;
	struct capture cap;
	char *path = temp_path(), want[128];
	unsigned char *buf;
	size_t len, i;

	write_pages(c->pages, c->n, path);
	buf = slurp(path, &len);
	adt_raster_init(&r);
	for (int a = FILE_PROBE; a <= MEM_PROBE; a++) {
		assert_int_equal(call(a, path, buf, len, NULL, NULL, &info, &err), 0);
		assert_int_equal(info.count, c->n);
		assert_int_equal(info.width, c->pages[0].w);
		assert_int_equal(info.height, c->pages[0].h);
		assert_int_equal(info.sample, c->sample);
	}
	for (i = 0; i < c->n; i++) {
		capture_begin(&cap);
		assert_int_equal(adt_tiff_read_file(path, i, NULL, &r, &err), 0);
		check_page(c, i, &r, "read_file");
		assert_int_equal(adt_tiff_read_mem(buf, len, MEM_NAME, i, NULL, &r, &err), 0);
		check_page(c, i, &r, "read_mem");
		capture_end(&cap);
	}
	capture_begin(&cap);
	assert_int_equal(adt_tiff_file_open(path, NULL, &tf, &err), 0);
	for (i = 0; i < COUNT(order); i++) {
		if (order[i] >= c->n)
			continue;
		if (adt_tiff_file_read(tf, order[i], NULL, &r, &err) != 0)
			fail_msg("page %zu: %s", order[i], err.msg);
		check_page(c, order[i], &r, "file_read");
	}
	adt_tiff_file_close(tf);
	snprintf(want, sizeof(want),
		 "image index %zu is out of range: the TIFF file holds %zu page%s", c->n, c->n,
		 c->n == 1 ? "" : "s");
	assert_int_equal(adt_tiff_read_file(path, c->n, NULL, &r, &err), -1);
	assert_int_equal(err.code, ADT_EDATA);
	assert_string_equal(err.msg, want);
	assert_int_equal(adt_tiff_read_mem(buf, len, MEM_NAME, c->n, NULL, &r, &err), -1);
	assert_string_equal(err.msg, want);
	capture_end(&cap);
	adt_raster_release(&r);
	unlink(path);
	free(path);
	free(buf);
}

struct pages_fail_case {
	const char *name;
	struct spec pages[MAX_PAGES];
	size_t n;
	enum adt_errcode code;
	const char *msg;
};

/* Pages that are not one stack: the probes fail, naming the page. */
static const struct pages_fail_case pages_fail_cases[] = {
    {"page 3 of another size",
     {{6, 4, F32}, {6, 4, F32, .seed = 1}, {6, 5, F32}},
     3,
     ADT_EDATA,
     "page 3 is 6x5 pixels but page 1 is 6x4 (the pages of a TIFF are the images of one "
     "stack: one size, one sample type)"},
    {"page 2 of another sample type",
     {{6, 4, F32}, {6, 4, F64}},
     2,
     ADT_EDATA,
     "page 2 holds float64 samples but page 1 float32 (the pages of a TIFF are the images "
     "of one stack: one size, one sample type)"},
    {"page 2 of RGB",
     {{4, 4, .bits = 8}, {4, 4, .bits = 8, .spp = 3}},
     2,
     ADT_EDATA,
     "page 2: TIFF with 3 samples per pixel is not supported (expected one channel)"},
};

static void test_pages_fail(void **state)
{
	const struct pages_fail_case *c = *state;
	struct adt_raster_info info;
	struct adt_error err;
	char *path = temp_path();
	unsigned char *buf;
	size_t len;

	write_pages(c->pages, c->n, path);
	buf = slurp(path, &len);
	for (int a = FILE_PROBE; a <= MEM_PROBE; a++) {
		assert_int_equal(call(a, path, buf, len, NULL, NULL, &info, &err), -1);
		if (strcmp(err.msg, c->msg) != 0)
			fail_msg("%s: message\n  got:  %s\n  want: %s", api_names[a], err.msg,
				 c->msg);
		assert_int_equal(err.code, c->code);
		assert_string_equal(err.file, a == FILE_PROBE ? path : MEM_NAME);
	}
	unlink(path);
	free(path);
	free(buf);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, ok_cases, test_ok);
	TEST_LIST_TABLE(&l, fail_cases, test_fail);
	test_list_add(&l, "hand-made layouts read", test_hand_ok);
	test_list_add(&l, "missing file, directory", test_no_file);
	test_list_add(&l, "null arguments", test_null_args);
	TEST_LIST_TABLE(&l, stack_cases, test_stack);
	TEST_LIST_TABLE(&l, pages_fail_cases, test_pages_fail);
	return test_list_run(&l, "read_tiff");
}
