/* Unit tests for the PNG reader (adt_png_probe_mem, adt_png_read_mem): one
 * table row per case, each a test of its own.  The PNGs are written in
 * memory with libpng's writer, then optionally damaged. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adthresh/error.h"
#include "adthresh/image_formats.h"
#include "adthresh/raster.h"

#include "test_list.h"

/* Growable byte buffer. */
struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const void *data, size_t n)
{
	if (n == 0)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->n + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		assert_non_null(b->p);
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

/* An image to write.  px holds w * h * channels samples (palette: indices),
 * NULL for the pattern below. */
struct img {
	uint32_t w, h;
	int depth, colour, interlace;
	const uint16_t *px;
	const uint8_t *pal; /* npal RGB triples */
	int npal;
	const uint8_t *trns; /* ntrns palette alphas */
	int ntrns;
	int gray_trns; /* a tRNS chunk making gray value trns_gray transparent */
	uint16_t trns_gray;
	int text; /* a tEXt chunk (ancillary, after IHDR) */
};

enum mutation {
	MUT_NONE = 0,
	MUT_RAW,	/* the input is raw, not a generated PNG */
	MUT_KEEP,	/* keep the first `at` bytes */
	MUT_CUT_IDAT,	/* cut halfway through the IDAT data */
	MUT_DROP_IEND,	/* drop the IEND chunk */
	MUT_CRC,	/* flip a bit of the CRC of chunk `chunk` */
	MUT_ZLIB_HDR,	/* break the zlib header of the IDAT data, CRC fixed */
	MUT_ZLIB_BODY,	/* an invalid deflate block type, CRC fixed */
	MUT_SHORT_IDAT, /* IDAT holds the first half of its data, CRC fixed */
	MUT_IHDR	/* IHDR width, height or depth replaced, CRC fixed */
};

struct png_case {
	const char *name;
	struct img img;
	enum mutation mut;
	size_t at;
	const char *chunk;
	uint32_t ihdr_w, ihdr_h; /* MUT_IHDR: 0 keeps the value unless set_zero */
	int ihdr_depth, set_zero;
	const char *raw;
	size_t raw_len;
	enum adt_purpose purpose;
	uint64_t max_pixels;
	/* success: this sample type and these samples (NULL: computed from
	 * the image by reference()) */
	enum adt_sample sample;
	const uint16_t *want;
	/* failure, when code != ADT_EOK */
	enum adt_errcode code;
	const char *msg;
	int header_bad; /* probing fails the same way */
};

#define PX(...)                                                                                    \
	.px = (const uint16_t[])                                                                   \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}
#define WANT(...)                                                                                  \
	.want = (const uint16_t[])                                                                 \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}
#define PAL(...)                                                                                   \
	.pal = (const uint8_t[])                                                                   \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}
#define TRNS(...)                                                                                  \
	.trns = (const uint8_t[])                                                                  \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}

#define GRAY  PNG_COLOR_TYPE_GRAY
#define GA    PNG_COLOR_TYPE_GRAY_ALPHA
#define RGB   PNG_COLOR_TYPE_RGB
#define RGBA  PNG_COLOR_TYPE_RGB_ALPHA
#define PALET PNG_COLOR_TYPE_PALETTE
#define ADAM7 PNG_INTERLACE_ADAM7

#define MAP  ADT_AS_MAP
#define MASK ADT_AS_MASK

#define MAP_GRAY "a PNG map must be 8- or 16-bit grayscale, got "

/* A palette with black at index 1 and blue-only at index 2. */
#define PAL4 PAL(255, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9), .npal = 4

static const struct png_case cases[] = {
    /* Maps */
    {.name = "8-bit gray map",
     .img = {3, 2, 8, GRAY, PX(0, 1, 127, 128, 254, 255)},
     .sample = ADT_SAMPLE_U8,
     WANT(0, 1, 127, 128, 254, 255)},
    {.name = "16-bit gray map in native byte order",
     .img = {3, 2, 16, GRAY, PX(0, 1, 255, 256, 0x1234, 65535)},
     .sample = ADT_SAMPLE_U16,
     WANT(0, 1, 255, 256, 0x1234, 65535)},
    {.name = "8-bit gray map with tRNS keeps its values",
     .img = {2, 2, 8, GRAY, PX(5, 0, 7, 5), .gray_trns = 1, .trns_gray = 5},
     .sample = ADT_SAMPLE_U8,
     WANT(5, 0, 7, 5)},
    {.name = "16-bit gray map 1x1",
     .img = {1, 1, 16, GRAY, PX(0xABCD)},
     .sample = ADT_SAMPLE_U16,
     WANT(0xABCD)},
    {.name = "map with a tEXt chunk", .img = {9, 3, 8, GRAY, .text = 1}, .sample = ADT_SAMPLE_U8},
    {.name = "map with a bad CRC in tEXt (ancillary: warning only)",
     .img = {4, 4, 16, GRAY, .text = 1},
     .mut = MUT_CRC,
     .chunk = "tEXt",
     .sample = ADT_SAMPLE_U16},
    {.name = "map of 4x3 at max-pixels 12", .img = {4, 3, 8, GRAY}, .max_pixels = 12},
    {.name = "wide 16-bit map", .img = {1000, 3, 16, GRAY}, .sample = ADT_SAMPLE_U16},

    /* Interlaced maps */
    {.name = "interlaced 8-bit map 9x9", .img = {9, 9, 8, GRAY, .interlace = ADAM7}},
    {.name = "interlaced 16-bit map 13x7",
     .img = {13, 7, 16, GRAY, .interlace = ADAM7},
     .sample = ADT_SAMPLE_U16},
    {.name = "interlaced map 1x1",
     .img = {1, 1, 16, GRAY, PX(0x0102), .interlace = ADAM7},
     .sample = ADT_SAMPLE_U16,
     WANT(0x0102)},
    {.name = "interlaced map 3x1",
     .img = {3, 1, 8, GRAY, PX(9, 8, 7), .interlace = ADAM7},
     WANT(9, 8, 7)},
    {.name = "interlaced map 1x5",
     .img = {1, 5, 8, GRAY, PX(1, 2, 3, 4, 5), .interlace = ADAM7},
     WANT(1, 2, 3, 4, 5)},
    {.name = "interlaced explicit 16-bit map 4x4",
     .img = {4, 4, 16, GRAY,
	     PX(1, 2, 3, 4, 0x100, 0x200, 0x300, 0x400, 0xFFFF, 0xFFFE, 0, 0x8000, 5, 6, 7, 8),
	     .interlace = ADAM7},
     .sample = ADT_SAMPLE_U16,
     WANT(1, 2, 3, 4, 0x100, 0x200, 0x300, 0x400, 0xFFFF, 0xFFFE, 0, 0x8000, 5, 6, 7, 8)},

    /* Maps that are not 8/16-bit gray */
    {.name = "RGB as map", .img = {2, 2, 8, RGB}, .code = ADT_EDATA, .msg = MAP_GRAY "RGB"},
    {.name = "16-bit RGBA as map",
     .img = {2, 2, 16, RGBA},
     .code = ADT_EDATA,
     .msg = MAP_GRAY "RGBA"},
    {.name = "palette as map",
     .img = {2, 2, 8, PALET, .pal = (const uint8_t[]){0, 0, 0, 1, 1, 1}, .npal = 2},
     .code = ADT_EDATA,
     .msg = MAP_GRAY "palette"},
    {.name = "gray+alpha as map",
     .img = {2, 2, 8, GA},
     .code = ADT_EDATA,
     .msg = MAP_GRAY "grayscale with alpha"},
    {.name = "4-bit gray as map",
     .img = {2, 2, 4, GRAY},
     .code = ADT_EDATA,
     .msg = MAP_GRAY "4-bit grayscale"},
    {.name = "1-bit gray as map",
     .img = {2, 2, 1, GRAY},
     .code = ADT_EDATA,
     .msg = MAP_GRAY "1-bit grayscale"},

    /* Masks: gray */
    {.name = "1-bit gray mask across a byte",
     .img = {9, 2, 1, GRAY, PX(1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1)},
     .purpose = MASK,
     WANT(1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1)},
    {.name = "2-bit gray mask",
     .img = {5, 1, 2, GRAY, PX(0, 1, 2, 3, 0)},
     .purpose = MASK,
     WANT(0, 1, 1, 1, 0)},
    {.name = "4-bit gray mask",
     .img = {3, 2, 4, GRAY, PX(0, 15, 1, 8, 0, 0)},
     .purpose = MASK,
     WANT(0, 1, 1, 1, 0, 0)},
    {.name = "8-bit gray mask",
     .img = {4, 1, 8, GRAY, PX(0, 255, 1, 0)},
     .purpose = MASK,
     WANT(0, 1, 1, 0)},
    {.name = "16-bit gray mask: 1 and 256 are nonzero",
     .img = {6, 1, 16, GRAY, PX(0, 1, 255, 256, 65535, 0)},
     .purpose = MASK,
     WANT(0, 1, 1, 1, 1, 0)},
    {.name = "gray mask with tRNS: a transparent value still counts",
     .img = {3, 1, 8, GRAY, PX(5, 0, 7), .gray_trns = 1, .trns_gray = 5},
     .purpose = MASK,
     WANT(1, 0, 1)},
    {.name = "2-bit gray mask with tRNS of 0",
     .img = {4, 1, 2, GRAY, PX(0, 3, 0, 1), .gray_trns = 1, .trns_gray = 0},
     .purpose = MASK,
     WANT(0, 1, 0, 1)},

    /* Masks: palette */
    {.name = "8-bit palette mask: black at index 1 is 0",
     .img = {4, 1, 8, PALET, PX(0, 1, 2, 3), PAL4},
     .purpose = MASK,
     WANT(1, 0, 1, 1)},
    {.name = "2-bit palette mask",
     .img = {5, 1, 2, PALET, PX(1, 0, 1, 2, 1), PAL4},
     .purpose = MASK,
     WANT(0, 1, 0, 1, 0)},
    {.name = "1-bit palette mask, black at index 1",
     .img = {3, 1, 1, PALET, PX(1, 0, 1), PAL(7, 7, 7, 0, 0, 0), .npal = 2},
     .purpose = MASK,
     WANT(0, 1, 0)},
    {.name = "palette mask with tRNS: transparent red counts, opaque black not",
     .img = {4, 1, 4, PALET, PX(0, 1, 2, 3), PAL4, TRNS(0, 255, 0), .ntrns = 3},
     .purpose = MASK,
     WANT(1, 0, 1, 1)},

    /* Masks: gray+alpha, RGB, RGBA */
    {.name = "gray+alpha mask: alpha ignored",
     .img = {4, 1, 8, GA, PX(0, 255, 5, 0, 0, 0, 255, 128)},
     .purpose = MASK,
     WANT(0, 1, 0, 1)},
    {.name = "16-bit gray+alpha mask",
     .img = {3, 1, 16, GA, PX(1, 0, 0, 65535, 0x100, 0)},
     .purpose = MASK,
     WANT(1, 0, 1)},
    {.name = "RGB mask: one channel is enough",
     .img = {4, 1, 8, RGB, PX(0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7, 0)},
     .purpose = MASK,
     WANT(1, 0, 1, 1)},
    {.name = "16-bit RGB mask: low bytes count",
     .img = {4, 1, 16, RGB, PX(0, 0, 1, 256, 0, 0, 0, 0, 0, 0, 0xFF00, 0)},
     .purpose = MASK,
     WANT(1, 1, 0, 1)},
    {.name = "RGBA mask: transparent blue counts, opaque black not",
     .img = {3, 1, 8, RGBA, PX(0, 0, 0, 255, 0, 0, 9, 0, 0, 0, 0, 0)},
     .purpose = MASK,
     WANT(0, 1, 0)},
    {.name = "16-bit RGBA mask",
     .img = {3, 1, 16, RGBA, PX(0, 0, 0, 65535, 0, 0, 1, 0, 0, 1, 0, 1)},
     .purpose = MASK,
     WANT(0, 1, 1)},

    /* Interlaced masks */
    {.name = "interlaced 1-bit gray mask 11x10",
     .img = {11, 10, 1, GRAY, .interlace = ADAM7},
     .purpose = MASK},
    {.name = "interlaced 16-bit gray mask 9x9",
     .img = {9, 9, 16, GRAY, .interlace = ADAM7},
     .purpose = MASK},
    {.name = "interlaced RGBA mask 9x9",
     .img = {9, 9, 8, RGBA, .interlace = ADAM7},
     .purpose = MASK},
    {.name = "interlaced 16-bit RGB mask 7x12",
     .img = {7, 12, 16, RGB, .interlace = ADAM7},
     .purpose = MASK},
    {.name = "interlaced 4-bit palette mask 10x9",
     .img = {10, 9, 4, PALET, PAL4, .interlace = ADAM7},
     .purpose = MASK},
    {.name = "interlaced gray+alpha mask 5x3",
     .img = {5, 3, 8, GA, .interlace = ADAM7},
     .purpose = MASK},
    {.name = "interlaced 1-bit mask 1x1",
     .img = {1, 1, 1, GRAY, PX(1), .interlace = ADAM7},
     .purpose = MASK,
     WANT(1)},

    /* Not PNG */
    {.name = "empty input",
     .mut = MUT_RAW,
     .raw = "",
     .code = ADT_EFORMAT,
     .msg = "not a PNG file",
     .header_bad = 1},
    {.name = "GIF",
     .mut = MUT_RAW,
     .raw = "GIF89a\1\0\1\0\0\0\0",
     .raw_len = 13,
     .code = ADT_EFORMAT,
     .msg = "not a PNG file",
     .header_bad = 1},
    {.name = "signature mangled by a text-mode transfer",
     .mut = MUT_RAW,
     .raw = "\x89PNG\n\x1a\n\0\0\0\rIHDR",
     .raw_len = 15,
     .code = ADT_EFORMAT,
     .msg = "not a PNG file",
     .header_bad = 1},
    {.name = "one byte",
     .mut = MUT_RAW,
     .raw = "P",
     .code = ADT_EFORMAT,
     .msg = "not a PNG file",
     .header_bad = 1},

    /* Truncated */
    {.name = "half a signature",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_KEEP,
     .at = 4,
     .code = ADT_EFORMAT,
     .msg = "truncated PNG data",
     .header_bad = 1},
    {.name = "signature only",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_KEEP,
     .at = 8,
     .code = ADT_EFORMAT,
     .msg = "truncated PNG data",
     .header_bad = 1},
    {.name = "cut inside IHDR",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_KEEP,
     .at = 20,
     .code = ADT_EFORMAT,
     .msg = "truncated PNG data",
     .header_bad = 1},
    {.name = "header only",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_KEEP,
     .at = 33,
     .code = ADT_EFORMAT,
     .msg = "truncated PNG data",
     .header_bad = 1},
    {.name = "cut mid-IDAT",
     .img = {16, 16, 16, GRAY},
     .mut = MUT_CUT_IDAT,
     .code = ADT_EFORMAT,
     .msg = "truncated PNG data"},
    {.name = "interlaced mask cut mid-IDAT",
     .img = {16, 16, 8, RGB, .interlace = ADAM7},
     .mut = MUT_CUT_IDAT,
     .purpose = MASK,
     .code = ADT_EFORMAT,
     .msg = "truncated PNG data"},
    {.name = "no IEND",
     .img = {3, 3, 8, GRAY},
     .mut = MUT_DROP_IEND,
     .code = ADT_EFORMAT,
     .msg = "truncated PNG data"},
    {.name = "IDAT shorter than the image",
     .img = {16, 16, 8, GRAY},
     .mut = MUT_SHORT_IDAT,
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: not enough image data"},

    /* Corrupt */
    {.name = "bad IHDR CRC",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_CRC,
     .chunk = "IHDR",
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: IHDR: CRC error",
     .header_bad = 1},
    {.name = "bad IDAT CRC",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_CRC,
     .chunk = "IDAT",
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: IDAT: CRC error"},
    {.name = "bad IDAT CRC in a mask",
     .img = {2, 2, 8, RGB},
     .purpose = MASK,
     .mut = MUT_CRC,
     .chunk = "IDAT",
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: IDAT: CRC error"},
    {.name = "bad IEND CRC",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_CRC,
     .chunk = "IEND",
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: IEND: CRC error"},
    {.name = "bad zlib header",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_ZLIB_HDR,
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: IDAT: incorrect header check"},
    {.name = "bad deflate data",
     .img = {8, 8, 8, GRAY},
     .mut = MUT_ZLIB_BODY,
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: IDAT: invalid block type"},
    {.name = "bit depth 3",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_IHDR,
     .ihdr_depth = 3,
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: invalid bit depth in IHDR",
     .header_bad = 1},
    {.name = "width over 2^31",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_IHDR,
     .ihdr_w = 0x80000000u,
     .code = ADT_EFORMAT,
     .msg = "corrupt PNG: invalid image size 2147483648x2 in IHDR",
     .header_bad = 1},

    /* Sizes */
    {.name = "width 0",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_IHDR,
     .set_zero = 1,
     .ihdr_h = 2,
     .code = ADT_EDATA,
     .msg = "image is 0x2 pixels",
     .header_bad = 1},
    {.name = "height 0 as mask",
     .img = {2, 2, 8, RGB},
     .purpose = MASK,
     .mut = MUT_IHDR,
     .set_zero = 1,
     .ihdr_w = 2,
     .code = ADT_EDATA,
     .msg = "image is 2x0 pixels",
     .header_bad = 1},
    {.name = "width over the per-side limit",
     .img = {2, 2, 8, GRAY},
     .mut = MUT_IHDR,
     .ihdr_w = (1u << 24) + 1,
     .code = ADT_EDATA,
     .msg = "image of 16777217x2 pixels is over the PNG limit of 16777216 pixels per side",
     .header_bad = 1},
    {.name = "map over max-pixels",
     .img = {4, 3, 16, GRAY},
     .max_pixels = 11,
     .code = ADT_EDATA,
     .msg = "image of 4x3 pixels is over the limit of 11 pixels (--max-pixels)"},
    {.name = "mask over max-pixels",
     .img = {4, 3, 8, RGBA},
     .purpose = MASK,
     .max_pixels = 11,
     .code = ADT_EDATA,
     .msg = "image of 4x3 pixels is over the limit of 11 pixels (--max-pixels)"},
    {.name = "huge declared size over max-pixels before any allocation",
     .img = {2, 2, 16, GRAY},
     .mut = MUT_IHDR,
     .ihdr_w = 1u << 24,
     .ihdr_h = 1u << 24,
     .max_pixels = 1000000,
     .code = ADT_EDATA,
     .msg = "image of 16777216x16777216 pixels is over the limit of 1000000 pixels "
	    "(--max-pixels)"},
};

static int channels_of(int colour)
{
	switch (colour) {
	case GA:
		return 2;
	case RGB:
		return 3;
	case RGBA:
		return 4;
	}
	return 1;
}

/* Sample c of pixel (x, y) of m: from px, or a pattern where every third
 * pixel is all zero, one colour channel of the others is nonzero and
 * alpha varies on its own. */
static unsigned sample_of(const struct img *m, uint32_t x, uint32_t y, int c)
{
	int ch = channels_of(m->colour), nc = ch - (m->colour & PNG_COLOR_MASK_ALPHA ? 1 : 0);
	unsigned maxv = (1u << m->depth) - 1;

	if (m->px)
		return m->px[((size_t)y * m->w + x) * (size_t)ch + (size_t)c];
	if (m->colour == PALET)
		return (x * 5 + y * 3) % (unsigned)m->npal;
	if (c >= nc)
		return (x * 3 + y) % 2 ? 0 : maxv;
	if ((x + 2 * y) % 3 == 0)
		return 0;
	if (c != (int)((x + y) % (unsigned)nc))
		return 0;
	return 1 + (x * 37 + y * 101) % maxv;
}

/* What a decoded pixel must be, computed from the image's definition. */
static unsigned reference(const struct img *m, enum adt_purpose purpose, uint32_t x, uint32_t y)
{
	int ch = channels_of(m->colour), nc = ch - (m->colour & PNG_COLOR_MASK_ALPHA ? 1 : 0), c;
	unsigned any = 0;

	if (purpose == MAP)
		return sample_of(m, x, y, 0);
	if (m->colour == PALET) {
		const uint8_t *e = m->pal + 3 * sample_of(m, x, y, 0);

		return e[0] || e[1] || e[2];
	}
	for (c = 0; c < nc; c++)
		any |= sample_of(m, x, y, c);
	return any != 0;
}

static jmp_buf write_jmp;

static void write_error(png_structp png, png_const_charp msg)
{
	(void)png;
	print_error("libpng writing the test image: %s\n", msg);
	longjmp(write_jmp, 1);
}

static void write_data(png_structp png, png_bytep data, size_t n)
{
	buf_add(png_get_io_ptr(png), data, n);
}

static void write_flush(png_structp png)
{
	(void)png;
}

/* Encodes m as a PNG appended to out. */
static void write_png(const struct img *m, struct buf *out)
{
	int ch = channels_of(m->colour), c;
	size_t rowbytes = ((size_t)m->w * (size_t)ch * (size_t)m->depth + 7) / 8;
	unsigned char *pixels = calloc(m->h, rowbytes);
	png_bytep *rows = calloc(m->h, sizeof(*rows));
	png_structp png;
	png_infop info;
	uint32_t x, y;

	assert_non_null(pixels);
	assert_non_null(rows);
	for (y = 0; y < m->h; y++) {
		unsigned char *r = pixels + y * rowbytes;
		size_t bit = 0;

		rows[y] = r;
		for (x = 0; x < m->w; x++) {
			for (c = 0; c < ch; c++, bit += (size_t)m->depth) {
				unsigned v = sample_of(m, x, y, c);

				if (m->depth == 16) {
					r[bit / 8] = (unsigned char)(v >> 8);
					r[bit / 8 + 1] = (unsigned char)v;
				} else {
					r[bit / 8] |=
					    (unsigned char)(v << (8 - m->depth - bit % 8));
				}
			}
		}
	}

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, write_error, NULL);
	assert_non_null(png);
	info = png_create_info_struct(png);
	assert_non_null(info);
	if (setjmp(write_jmp))
		fail_msg("cannot write the test image");
	png_set_write_fn(png, out, write_data, write_flush);
	png_set_IHDR(png, info, m->w, m->h, m->depth, m->colour, m->interlace,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (m->pal) {
		png_color pal[256];
		int i;

		for (i = 0; i < m->npal; i++) {
			pal[i].red = m->pal[3 * i];
			pal[i].green = m->pal[3 * i + 1];
			pal[i].blue = m->pal[3 * i + 2];
		}
		png_set_PLTE(png, info, pal, m->npal);
	}
	if (m->trns)
		png_set_tRNS(png, info, m->trns, m->ntrns, NULL);
	if (m->gray_trns) {
		png_color_16 t;

		memset(&t, 0, sizeof(t));
		t.gray = m->trns_gray;
		png_set_tRNS(png, info, NULL, 0, &t);
	}
	if (m->text) {
		png_text t;

		memset(&t, 0, sizeof(t));
		t.compression = PNG_TEXT_COMPRESSION_NONE;
		t.key = "Comment";
		t.text = "made by test_read_png";
		png_set_text(png, info, &t, 1);
	}
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(rows);
	free(pixels);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
	}
	return crc ^ 0xFFFFFFFFu;
}

/* Offset of the first chunk of this type (its length field). */
static size_t find_chunk(const struct buf *b, const char *type)
{
	size_t at = 8;

	while (at + 12 <= b->n) {
		if (!memcmp(b->p + at + 4, type, 4))
			return at;
		at += 12 + get32(b->p + at);
	}
	fail_msg("no %s chunk", type);
	return 0;
}

static void fix_crc(struct buf *b, size_t at)
{
	uint32_t len = get32(b->p + at);

	put32(b->p + at + 8 + len, crc32_of(b->p + at + 4, 4 + (size_t)len));
}

static void mutate(const struct png_case *t, struct buf *b)
{
	size_t at, len;

	switch (t->mut) {
	case MUT_NONE:
	case MUT_RAW:
		break;
	case MUT_KEEP:
		assert_true(t->at < b->n);
		b->n = t->at;
		break;
	case MUT_CUT_IDAT:
		at = find_chunk(b, "IDAT");
		b->n = at + 8 + get32(b->p + at) / 2;
		break;
	case MUT_DROP_IEND:
		at = find_chunk(b, "IEND");
		assert_int_equal(at + 12, b->n);
		b->n = at;
		break;
	case MUT_CRC:
		at = find_chunk(b, t->chunk);
		b->p[at + 8 + get32(b->p + at)] ^= 0x10;
		break;
	case MUT_ZLIB_HDR:
		at = find_chunk(b, "IDAT");
		b->p[at + 9] ^= 1;
		fix_crc(b, at);
		break;
	case MUT_ZLIB_BODY:
		at = find_chunk(b, "IDAT");
		b->p[at + 10] = 0xFF;
		fix_crc(b, at);
		break;
	case MUT_SHORT_IDAT:
		at = find_chunk(b, "IDAT");
		len = get32(b->p + at);
		memmove(b->p + at + 8 + len / 2, b->p + at + 8 + len, b->n - (at + 8 + len));
		b->n -= len - len / 2;
		put32(b->p + at, (uint32_t)(len / 2));
		fix_crc(b, at);
		break;
	case MUT_IHDR:
		at = find_chunk(b, "IHDR");
		if (t->ihdr_w || t->set_zero)
			put32(b->p + at + 8, t->ihdr_w);
		if (t->ihdr_h || t->set_zero)
			put32(b->p + at + 12, t->ihdr_h);
		if (t->ihdr_depth)
			b->p[at + 16] = (unsigned char)t->ihdr_depth;
		fix_crc(b, at);
		break;
	}
}

static void make_input(const struct png_case *t, struct buf *b)
{
	memset(b, 0, sizeof(*b));
	if (t->mut == MUT_RAW)
		buf_add(b, t->raw, t->raw_len ? t->raw_len : strlen(t->raw));
	else
		write_png(&t->img, b);
	mutate(t, b);
}

/* Runs fn with stderr sent to a temporary file; fails if anything was
 * written there (the library never prints). */
struct quiet {
	int saved;
	FILE *tmp;
};

static void quiet_begin(struct quiet *q)
{
	fflush(stderr);
	q->tmp = tmpfile();
	assert_non_null(q->tmp);
	q->saved = dup(2);
	assert_true(q->saved >= 0);
	assert_true(dup2(fileno(q->tmp), 2) >= 0);
}

static long quiet_end(struct quiet *q)
{
	long n;

	fflush(stderr);
	dup2(q->saved, 2);
	close(q->saved);
	fseek(q->tmp, 0, SEEK_END);
	n = ftell(q->tmp);
	fclose(q->tmp);
	return n;
}

static void check_case(const struct png_case *t)
{
	struct adt_decode_opts o = {t->purpose, t->max_pixels};
	struct adt_raster_info info;
	struct adt_raster r;
	struct adt_error err, perr;
	struct quiet q;
	struct buf b;
	int rc, prc;
	uint32_t x, y;

	make_input(t, &b);
	adt_raster_init(&r);
	adt_error_init(&err);
	adt_error_init(&perr);
	memset(&info, 0xA5, sizeof(info));

	quiet_begin(&q);
	rc = adt_png_read_mem(b.p, b.n, "m.png", &o, &r, &err);
	prc = adt_png_probe_mem(b.p, b.n, "m.png", &info, &perr);
	assert_int_equal(quiet_end(&q), 0);

	if (t->code != ADT_EOK) {
		if (rc == 0)
			fail_msg("expected error '%s', got success", t->msg);
		assert_int_equal(rc, -1);
		assert_string_equal(err.msg, t->msg);
		assert_int_equal(err.code, t->code);
		assert_string_equal(err.file, "m.png");
		assert_int_equal(err.line, 0);
	} else {
		if (rc != 0)
			fail_msg("unexpected error: %s", err.msg);
		assert_int_equal(r.width, t->img.w);
		assert_int_equal(r.height, t->img.h);
		if (t->purpose == MASK)
			assert_int_equal(r.sample, ADT_SAMPLE_U8);
		else
			assert_int_equal(r.sample,
					 t->img.depth == 16 ? ADT_SAMPLE_U16 : ADT_SAMPLE_U8);
		if (t->sample != ADT_SAMPLE_BOOL)
			assert_int_equal(r.sample, t->sample);
		for (y = 0; y < t->img.h; y++) {
			for (x = 0; x < t->img.w; x++) {
				size_t i = (size_t)y * t->img.w + x;
				unsigned got = r.sample == ADT_SAMPLE_U16 ? ((uint16_t *)r.data)[i]
									  : ((uint8_t *)r.data)[i];
				unsigned want =
				    t->want ? t->want[i] : reference(&t->img, t->purpose, x, y);

				if (got != want)
					fail_msg("pixel (%u, %u): got %u, want %u", x, y, got,
						 want);
			}
		}
	}

	/* Probing reads the header only. */
	if (t->header_bad) {
		assert_int_equal(prc, -1);
		assert_string_equal(perr.msg, t->msg);
		assert_int_equal(perr.code, t->code);
		assert_string_equal(perr.file, "m.png");
	} else {
		if (prc != 0)
			fail_msg("unexpected probe error: %s", perr.msg);
		assert_int_equal(info.width, t->mut == MUT_IHDR ? t->ihdr_w : t->img.w);
		assert_int_equal(info.height, t->mut == MUT_IHDR ? t->ihdr_h : t->img.h);
		assert_int_equal(info.count, 1);
		assert_int_equal(info.sample, t->img.colour == GRAY && t->img.depth == 16
						  ? ADT_SAMPLE_U16
						  : ADT_SAMPLE_U8);
	}
	adt_raster_release(&r);
	free(b.p);
}

static void test_case(void **state)
{
	check_case(*state);
}

/* One raster decodes several images in turn: the buffer is reused when
 * large enough and grown when not, and the shape follows each image. */
static void test_reuse(void **state)
{
	static const struct img big = {.w = 13, .h = 7, .depth = 16, .colour = GRAY},
				small = {.w = 3, .h = 2, .depth = 4, .colour = GRAY},
				bigger = {.w = 40, .h = 40, .depth = 8, .colour = RGB};
	struct adt_decode_opts map = {ADT_AS_MAP, 0}, mask = {ADT_AS_MASK, 0};
	struct adt_raster r;
	struct adt_error err;
	struct buf b1, b2, b3;
	void *first;
	uint32_t x, y;

	(void)state;
	memset(&b1, 0, sizeof(b1));
	memset(&b2, 0, sizeof(b2));
	memset(&b3, 0, sizeof(b3));
	write_png(&big, &b1);
	write_png(&small, &b2);
	write_png(&bigger, &b3);
	adt_raster_init(&r);
	adt_error_init(&err);

	assert_int_equal(adt_png_read_mem(b1.p, b1.n, "a.png", &map, &r, &err), 0);
	assert_int_equal(r.cap, 13 * 7 * 2);
	first = r.data;
	assert_int_equal(adt_png_read_mem(b2.p, b2.n, "b.png", &mask, &r, &err), 0);
	assert_ptr_equal(r.data, first);
	assert_int_equal(r.width, 3);
	assert_int_equal(r.height, 2);
	assert_int_equal(r.sample, ADT_SAMPLE_U8);
	for (y = 0; y < 2; y++)
		for (x = 0; x < 3; x++)
			assert_int_equal(((uint8_t *)r.data)[y * 3 + x],
					 reference(&small, ADT_AS_MASK, x, y));
	assert_int_equal(adt_png_read_mem(b3.p, b3.n, "c.png", &mask, &r, &err), 0);
	assert_int_equal(r.cap, 40 * 40);
	for (y = 0; y < 40; y++)
		for (x = 0; x < 40; x++)
			assert_int_equal(((uint8_t *)r.data)[y * 40 + x],
					 reference(&bigger, ADT_AS_MASK, x, y));
	adt_raster_release(&r);
	free(b1.p);
	free(b2.p);
	free(b3.p);
}

/* o and err may be NULL (a map without limits; errors not reported). */
static void test_null_args(void **state)
{
	const struct img m = {2, 1, 16, GRAY, PX(0x0102, 0xFFFE)};
	struct adt_raster_info info;
	struct adt_raster r;
	struct buf b;

	(void)state;
	memset(&b, 0, sizeof(b));
	write_png(&m, &b);
	adt_raster_init(&r);
	assert_int_equal(adt_png_read_mem(b.p, b.n, NULL, NULL, &r, NULL), 0);
	assert_int_equal(r.sample, ADT_SAMPLE_U16);
	assert_int_equal(((uint16_t *)r.data)[0], 0x0102);
	assert_int_equal(((uint16_t *)r.data)[1], 0xFFFE);
	assert_int_equal(adt_png_probe_mem(b.p, b.n, NULL, &info, NULL), 0);
	assert_int_equal(info.width, 2);
	assert_int_equal(adt_png_read_mem(b.p, b.n - 20, NULL, NULL, &r, NULL), -1);
	assert_int_equal(adt_png_read_mem(NULL, 0, NULL, NULL, &r, NULL), -1);
	assert_int_equal(adt_png_probe_mem(b.p, 12, NULL, &info, NULL), -1);
	adt_raster_release(&r);
	free(b.p);
}

/* Every prefix of a PNG fails cleanly (no crash, no leak, no output), with
 * "truncated PNG data" once the signature is complete. */
static void test_every_prefix(void **state)
{
	const struct img m = {6, 5, 4, PALET, PAL4, .interlace = ADAM7, .text = 1};
	struct adt_decode_opts mask = {ADT_AS_MASK, 0};
	struct adt_raster r;
	struct adt_error err;
	struct quiet q;
	struct buf b;
	size_t n;

	(void)state;
	memset(&b, 0, sizeof(b));
	write_png(&m, &b);
	adt_raster_init(&r);
	for (n = 0; n < b.n; n++) {
		int rc;

		adt_error_init(&err);
		quiet_begin(&q);
		rc = adt_png_read_mem(b.p, n, "p.png", &mask, &r, &err);
		assert_int_equal(quiet_end(&q), 0);
		assert_int_equal(rc, -1);
		assert_int_equal(err.code, ADT_EFORMAT);
		assert_string_equal(err.msg, n == 0 ? "not a PNG file" : "truncated PNG data");
	}
	assert_int_equal(adt_png_read_mem(b.p, b.n, "p.png", &mask, &r, &err), 0);
	adt_raster_release(&r);
	free(b.p);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_case);
	test_list_add(&l, "one raster reused", test_reuse);
	test_list_add(&l, "null arguments", test_null_args);
	test_list_add(&l, "every prefix is truncated", test_every_prefix);
	return test_list_run(&l, "read_png");
}
