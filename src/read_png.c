/* PNG maps and masks with libpng (see image_formats.h).  The only file that
 * includes png.h.
 *
 * libpng reports errors by longjmp.  The jump lands in run(), a function
 * with no locals of its own, so nothing the decoding step modifies can be
 * clobbered: all state the error path needs lives in struct png_src, which
 * belongs to the caller's frame. */
#include "adthresh/image_formats.h"

#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest side libpng accepts from us: a row of 2^24 RGBA 16-bit pixels is
 * already 128 MiB.  Ancillary chunks (text, ICC profiles) may take at most
 * PNG_CHUNK_MAX bytes each. */
#define PNG_SIDE_MAX  (1u << 24)
#define PNG_CHUNK_MAX (8u << 20)

struct png_src {
	const unsigned char *buf;
	size_t len, pos;
	const char *name;
	struct adt_error *err;
	const struct adt_decode_opts *o;
	struct adt_raster *out;	      /* read: where the image goes */
	struct adt_raster_info *info; /* probe: what to fill */
	png_structp png;
	png_infop pinfo;
	unsigned char *row; /* one decoded row (owned) */
	int truncated;	    /* the read callback ran out of data */
	char msg[256];	    /* libpng's error message */
	char warning[256];  /* libpng's first warning */
};

static int fail(struct png_src *s, enum adt_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct png_src *s, enum adt_errcode code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	adt_error_vat(s->err, code, s->name, 0, fmt, ap);
	va_end(ap);
	return -1;
}

/* Keeps a message of libpng, lower-casing its first letter unless it starts
 * a chunk name or acronym ("IDAT: CRC error" stays, "Not enough image data"
 * becomes "not enough image data"). */
static void keep_msg(char *dst, size_t n, const char *msg)
{
	snprintf(dst, n, "%s", msg ? msg : "unknown error");
	if (dst[0] >= 'A' && dst[0] <= 'Z' && !(dst[1] >= 'A' && dst[1] <= 'Z'))
		dst[0] = (char)(dst[0] - 'A' + 'a');
}

static void on_error(png_structp png, png_const_charp msg)
{
	struct png_src *s = png_get_error_ptr(png);

	keep_msg(s->msg, sizeof(s->msg), msg);
	png_longjmp(png, 1);
}

/* libpng's default handler prints warnings: keep the first one instead, it
 * explains an "Invalid IHDR data" error that follows. */
static void on_warning(png_structp png, png_const_charp msg)
{
	struct png_src *s = png_get_error_ptr(png);

	if (!s->warning[0])
		keep_msg(s->warning, sizeof(s->warning), msg);
}

static void on_read(png_structp png, png_bytep data, size_t n)
{
	struct png_src *s = png_get_io_ptr(png);

	if (n > s->len - s->pos) {
		s->truncated = 1;
		png_error(png, "truncated PNG data");
	}
	memcpy(data, s->buf + s->pos, n);
	s->pos += n;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* libpng says "Out of memory", "Out of Memory", "insufficient memory ...". */
static int is_oom(const char *msg)
{
	char low[sizeof(((struct png_src *)0)->msg)];
	size_t i;

	for (i = 0; msg[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)(msg[i] >= 'A' && msg[i] <= 'Z' ? msg[i] - 'A' + 'a' : msg[i]);
	low[i] = '\0';
	return strstr(low, "out of memory") || strstr(low, "insufficient memory");
}

/* Turns the error libpng jumped with into ours. */
static int libpng_fail(struct png_src *s)
{
	struct adt_error e;
	uint32_t w, h;

	if (s->truncated)
		return fail(s, ADT_EFORMAT, "truncated PNG data");
	if (is_oom(s->msg))
		return fail(s, ADT_ENOMEM, "out of memory decoding PNG");
	/* libpng rejects a bad header with a warning saying why and then
	 * "Invalid IHDR data", or with a bare "PNG unsigned integer out of
	 * range" for a side over 2^31 - 1: say what is wrong with it. */
	if ((!strcmp(s->msg, "invalid IHDR data") ||
	     !strcmp(s->msg, "PNG unsigned integer out of range")) &&
	    s->len >= 24 && !memcmp(s->buf + 12, "IHDR", 4)) {
		w = be32(s->buf + 16);
		h = be32(s->buf + 20);
		if (w == 0 || h == 0) {
			adt_error_init(&e);
			adt_raster_check_size(w, h, 1, NULL, &e);
			return fail(s, e.code, "%s", e.msg);
		}
		if (w > PNG_UINT_31_MAX || h > PNG_UINT_31_MAX)
			return fail(s, ADT_EFORMAT,
				    "corrupt PNG: invalid image size %lux%lu in IHDR",
				    (unsigned long)w, (unsigned long)h);
		if (w > PNG_SIDE_MAX || h > PNG_SIDE_MAX)
			return fail(s, ADT_EDATA,
				    "image of %lux%lu pixels is over the PNG limit of %lu pixels "
				    "per side",
				    (unsigned long)w, (unsigned long)h,
				    (unsigned long)PNG_SIDE_MAX);
		if (s->warning[0])
			return fail(s, ADT_EFORMAT, "corrupt PNG: %s", s->warning);
	}
	return fail(s, ADT_EFORMAT, "corrupt PNG: %s", s->msg);
}

/* Reads the header, up to the first IDAT, within limits.  Runs under
 * run()'s setjmp. */
static void start(struct png_src *s)
{
	png_set_read_fn(s->png, s, on_read);
	png_set_user_limits(s->png, PNG_SIDE_MAX, PNG_SIDE_MAX);
	png_set_chunk_malloc_max(s->png, PNG_CHUNK_MAX);
	png_read_info(s->png, s->pinfo);
}

static const char *colour_name(int colour_type)
{
	switch (colour_type) {
	case PNG_COLOR_TYPE_GRAY:
		return "grayscale";
	case PNG_COLOR_TYPE_PALETTE:
		return "palette";
	case PNG_COLOR_TYPE_GRAY_ALPHA:
		return "grayscale with alpha";
	case PNG_COLOR_TYPE_RGB:
		return "RGB";
	case PNG_COLOR_TYPE_RGB_ALPHA:
		return "RGBA";
	}
	return "unknown colour type";
}

static int probe_step(struct png_src *s)
{
	png_structp png = s->png;
	png_infop pi = s->pinfo;

	start(s);
	s->info->width = png_get_image_width(png, pi);
	s->info->height = png_get_image_height(png, pi);
	s->info->count = 1;
	s->info->sample =
	    png_get_color_type(png, pi) == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, pi) == 16
		? ADT_SAMPLE_U16
		: ADT_SAMPLE_U8;
	return 0;
}

/* Stores the pass row just decoded into the output: as samples for a map,
 * as 0/1 for a mask (any nonzero byte of a colour channel; alpha, the last
 * channel when present, is skipped). */
static void store_row(struct png_src *s, uint32_t y, uint32_t x0, uint32_t dx, uint32_t n,
		      size_t colour_bytes, size_t pixel_bytes)
{
	const unsigned char *p = s->row;
	size_t base = (size_t)y * (size_t)s->out->width + x0, k;
	uint32_t c;

	if (s->out->sample == ADT_SAMPLE_U16) {
		uint16_t *d = (uint16_t *)s->out->data + base;

		for (c = 0; c < n; c++, p += 2)
			d[(size_t)c * dx] = (uint16_t)(p[0] << 8 | p[1]);
	} else if (s->o->purpose == ADT_AS_MAP) {
		unsigned char *d = (unsigned char *)s->out->data + base;

		for (c = 0; c < n; c++)
			d[(size_t)c * dx] = p[c];
	} else {
		unsigned char *d = (unsigned char *)s->out->data + base;

		for (c = 0; c < n; c++, p += pixel_bytes) {
			unsigned char any = 0;

			for (k = 0; k < colour_bytes; k++)
				any |= p[k];
			d[(size_t)c * dx] = any != 0;
		}
	}
}

static int read_step(struct png_src *s)
{
	png_structp png = s->png;
	png_infop pi = s->pinfo;
	uint32_t width, height, r, rows, cols;
	int depth, colour, interlace, pass, passes, channels;
	size_t colour_bytes, pixel_bytes;
	enum adt_sample sample = ADT_SAMPLE_U8;
	struct adt_error e;

	start(s);
	width = png_get_image_width(png, pi);
	height = png_get_image_height(png, pi);
	depth = png_get_bit_depth(png, pi);
	colour = png_get_color_type(png, pi);
	interlace = png_get_interlace_type(png, pi);

	if (s->o->purpose == ADT_AS_MAP) {
		/* Samples are kept as stored: no transformation at all (a tRNS
		 * chunk only marks a value as transparent and is ignored). */
		if (colour != PNG_COLOR_TYPE_GRAY || depth < 8) {
			char what[64];

			if (colour == PNG_COLOR_TYPE_GRAY)
				snprintf(what, sizeof(what), "%d-bit grayscale", depth);
			else
				snprintf(what, sizeof(what), "%s", colour_name(colour));
			return fail(s, ADT_EDATA,
				    "a PNG map must be 8- or 16-bit grayscale, got %s", what);
		}
		if (depth == 16)
			sample = ADT_SAMPLE_U16;
	} else {
		/* Palette indices become colours (a black entry is 0 whatever its
		 * index) and 1/2/4-bit gray becomes 8-bit; 16-bit samples stay
		 * 16-bit so that 1..255 remain nonzero. */
		if (colour == PNG_COLOR_TYPE_PALETTE)
			png_set_palette_to_rgb(png);
		else if (depth < 8)
			png_set_expand_gray_1_2_4_to_8(png);
	}

	adt_error_init(&e);
	if (adt_raster_check_size(width, height, adt_sample_size(sample), s->o, &e))
		return fail(s, e.code, "%s", e.msg);

	png_read_update_info(png, pi);
	channels = png_get_channels(png, pi);
	depth = png_get_bit_depth(png, pi);
	colour = png_get_color_type(png, pi);
	pixel_bytes = (size_t)channels * (size_t)(depth / 8);
	colour_bytes =
	    (size_t)(channels - ((colour & PNG_COLOR_MASK_ALPHA) ? 1 : 0)) * (size_t)(depth / 8);

	if (adt_raster_reshape(s->out, width, height, sample, &e))
		return fail(s, e.code, "%s", e.msg);
	s->row = malloc(png_get_rowbytes(png, pi));
	if (!s->row)
		return fail(s, ADT_ENOMEM, "out of memory decoding PNG");

	/* Without png_set_interlace_handling libpng hands over each Adam7 pass
	 * as a small image of its own (empty passes skipped); its pixels are
	 * spread into place here, so no full-size buffer of decoded colour
	 * pixels is ever needed. */
	passes = interlace == PNG_INTERLACE_ADAM7 ? PNG_INTERLACE_ADAM7_PASSES : 1;
	for (pass = 0; pass < passes; pass++) {
		if (passes == 1) {
			rows = height;
			cols = width;
		} else {
			rows = PNG_PASS_ROWS(height, pass);
			cols = PNG_PASS_COLS(width, pass);
		}
		if (rows == 0 || cols == 0)
			continue;
		for (r = 0; r < rows; r++) {
			png_read_row(png, s->row, NULL);
			if (passes == 1)
				store_row(s, r, 0, 1, cols, colour_bytes, pixel_bytes);
			else
				store_row(s, PNG_ROW_FROM_PASS_ROW(r, pass),
					  (uint32_t)PNG_PASS_START_COL(pass),
					  1u << PNG_PASS_COL_SHIFT(pass), cols, colour_bytes,
					  pixel_bytes);
		}
	}
	/* Reads up to IEND: catches data cut short after the image and bad
	 * checksums in the chunks that follow it. */
	png_read_end(png, NULL);
	return 0;
}

/* Runs step with libpng's errors caught.  Has no locals: see the top. */
static int run(struct png_src *s, int (*step)(struct png_src *))
{
	if (setjmp(png_jmpbuf(s->png)))
		return libpng_fail(s);
	return step(s);
}

/* Shared by probe and read: checks the signature, sets up libpng, runs
 * step and frees everything. */
static int decode(struct png_src *s, int (*step)(struct png_src *))
{
	static const unsigned char sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
	int ret;

	if (!s->buf || s->len == 0)
		return fail(s, ADT_EFORMAT, "not a PNG file");
	if (memcmp(s->buf, sig, s->len < 8 ? s->len : 8))
		return fail(s, ADT_EFORMAT, "not a PNG file");
	if (s->len <= 8)
		return fail(s, ADT_EFORMAT, "truncated PNG data");

	s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s, on_error, on_warning);
	if (!s->png)
		return fail(s, ADT_ENOMEM, "out of memory decoding PNG");
	s->pinfo = png_create_info_struct(s->png);
	if (!s->pinfo) {
		ret = fail(s, ADT_ENOMEM, "out of memory decoding PNG");
		goto out;
	}
	ret = run(s, step);
out:
	png_destroy_read_struct(&s->png, s->pinfo ? &s->pinfo : NULL, NULL);
	free(s->row);
	s->row = NULL;
	return ret;
}

static void src_init(struct png_src *s, const void *buf, size_t len, const char *name,
		     struct adt_error *err)
{
	memset(s, 0, sizeof(*s));
	s->buf = buf;
	s->len = len;
	s->name = name;
	s->err = err;
}

int adt_png_probe_mem(const void *buf, size_t len, const char *name, struct adt_raster_info *info,
		      struct adt_error *err)
{
	struct png_src s;

	src_init(&s, buf, len, name, err);
	s.info = info;
	return decode(&s, probe_step);
}

int adt_png_read_mem(const void *buf, size_t len, const char *name, const struct adt_decode_opts *o,
		     struct adt_raster *out, struct adt_error *err)
{
	static const struct adt_decode_opts defaults = {ADT_AS_MAP, 0};
	struct png_src s;

	src_init(&s, buf, len, name, err);
	s.o = o ? o : &defaults;
	s.out = out;
	return decode(&s, read_step);
}

void adt_png_library_version(char *buf, size_t size)
{
	snprintf(buf, size, "%s", png_get_libpng_ver(NULL));
}
