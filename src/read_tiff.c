/* TIFF maps and masks through libtiff (see image_formats.h).  This is the
 * only file that includes tiffio.h.
 *
 * libtiff's default error and warning handlers are process-wide and print
 * to stderr, so every handle is opened with its own TIFFOpenOptions: errors
 * are collected into a per-call context (the first message wins), so are
 * the warnings that mean the pixels would not be what the tags say (the
 * others are dropped), and libtiff's own allocations are bounded.  Nothing
 * here touches libtiff's global state.
 *
 * Every page (directory) of a file is one image: a file of N pages is a
 * stack [N,H,W], as a stacked NPY is. */
#include "adthresh/image_formats.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tiffio.h>

/* Largest scratch buffer (one strip or tile) accepted regardless of the
 * image size, and the bound on libtiff's single allocations when no pixel
 * limit is given to a probe. */
#define SCRATCH_FLOOR	((uint64_t)64 << 20)
#define PROBE_ALLOC_CAP ((tmsize_t)128 << 20)

/* A buffer in memory seen through libtiff's client procs. */
struct cursor {
	const unsigned char *buf;
	uint64_t len, pos;
};

/* One open TIFF and what libtiff said while reading it. */
struct tiff_ctx {
	const char *name;
	uint64_t file_size;
	unsigned header; /* bytes: 8, or 16 for a BigTIFF */
	int fd;		 /* the file variants: -1 once libtiff owns it */
	struct cursor cur;
	TIFF *tif;
	uint64_t page;		 /* the directory libtiff holds, from 0 */
	char msg[ADT_MSG_SIZE];	 /* libtiff's first error since the last reset */
	char warn[ADT_MSG_SIZE]; /* its first warning that matters, since the
				  * directory was read */
};

/* A file open for reading its pages one after another. */
struct adt_tiff_file {
	struct tiff_ctx c;
	char *path;
};

/* How a page stores its pixels. */
struct layout {
	uint32_t width, height;
	uint16_t bits; /* 1 for a bilevel image, else the sample size in bits */
	enum adt_sample sample;
};

/* Formats what libtiff said into dst (ADT_MSG_SIZE bytes), without the
 * file's name, which libtiff may repeat and the program prints already. */
static void format_libtiff(const struct tiff_ctx *c, char *dst, const char *module, const char *fmt,
			   va_list ap)
{
	/* Room for the file's name and a message. */
	char text[ADT_PATH_MAX + ADT_MSG_SIZE];
	const char *t = text;
	size_t k = strlen(c->name);
	int n, cut;

	dst[0] = '\0';
	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (n < 0)
		return;
	cut = (size_t)n >= sizeof(text);
	/* libtiff names the file as the module or at the start of the text. */
	if (k && strncmp(t, c->name, k) == 0 && strncmp(t + k, ": ", 2) == 0)
		t += k + 2;
	if (module && module[0] && strcmp(module, c->name) != 0)
		n = snprintf(dst, ADT_MSG_SIZE, "%s: %s", module, t);
	else
		n = snprintf(dst, ADT_MSG_SIZE, "%s", t);
	if (n < 0)
		dst[0] = '\0';
	else if (cut || (size_t)n >= ADT_MSG_SIZE)
		adt_error_mark_cut(dst, ADT_MSG_SIZE);
}

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	struct tiff_ctx *c = user;

	(void)tif;
	if (!c->msg[0])
		format_libtiff(c, c->msg, module, fmt, ap);
	return 1;
}

/* Whether a warning means that the pixels libtiff would decode are not the
 * ones the tags describe: libtiff read a tag that places or shapes the
 * pixels wrongly, or not at all, and goes on with a guess (an offset of 0
 * for the strips it could not read, byte counts worked out from the image
 * size).  libtiff quotes the tag's name in these.  Others (an unknown tag,
 * tags out of order, a tile size that is no multiple of 16, a text tag it
 * cuts short) leave the pixels as they are. */
static int warning_matters(const char *text)
{
	static const char *const needles[] = {
	    "\"StripOffsets\"",
	    "\"StripByteCounts\"",
	    "\"TileOffsets\"",
	    "\"TileByteCounts\"",
	    "\"RowsPerStrip\"",
	    "\"TileWidth\"",
	    "\"TileLength\"",
	    "\"TileDepth\"",
	    "\"ImageWidth\"",
	    "\"ImageLength\"",
	    "\"ImageDepth\"",
	    "\"BitsPerSample\"",
	    "\"SampleFormat\"",
	    "\"SamplesPerPixel\"",
	    "\"Compression\"",
	    "\"Predictor\"",
	    "\"FillOrder\"",
	    "\"PlanarConfiguration\"",
	    "[Strip|Tile]",
	    "IO error",
	    "tag is missing, assuming",
	    "tag value assumed incorrect",
	};

	for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (strstr(text, needles[i]))
			return 1;
	return 0;
}

/* The first warning that matters since the directory was read, without
 * the way libtiff works around it ("; tag ignored", ", calculating from
 * imagelength"): here it is an error. */
static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	static const char *const tails[] = {"; tag ", ", ignoring", ", calculating", ", assuming"};
	struct tiff_ctx *c = user;
	char text[ADT_MSG_SIZE];
	char *end;

	(void)tif;
	if (c->warn[0])
		return 1;
	format_libtiff(c, text, module, fmt, ap);
	if (!warning_matters(text))
		return 1;
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		end = strstr(text, tails[i]);
		if (end)
			*end = '\0';
	}
	end = text + strlen(text);
	if (end > text && end[-1] == '.')
		end[-1] = '\0';
	memcpy(c->warn, text, strlen(text) + 1);
	return 1;
}

static tmsize_t mem_read(thandle_t h, void *dst, tmsize_t size)
{
	struct cursor *c = (struct cursor *)h;
	uint64_t n;

	if (size <= 0 || c->pos >= c->len)
		return 0;
	n = c->len - c->pos;
	if ((uint64_t)size < n)
		n = (uint64_t)size;
	memcpy(dst, c->buf + c->pos, (size_t)n);
	c->pos += n;
	return (tmsize_t)n;
}

static tmsize_t mem_write(thandle_t h, void *src, tmsize_t size)
{
	(void)h;
	(void)src;
	(void)size;
	return -1;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
	struct cursor *c = (struct cursor *)h;
	uint64_t base, pos;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = c->pos;
		break;
	case SEEK_END:
		base = c->len;
		break;
	default:
		return (toff_t)-1;
	}
	/* For SEEK_CUR and SEEK_END, off is a signed offset passed as
	 * unsigned: a negative one must not wrap below 0. */
	pos = base + off;
	if (whence != SEEK_SET && (int64_t)off < 0 && pos > base)
		return (toff_t)-1;
	c->pos = pos;
	return pos;
}

static int mem_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t mem_size(thandle_t h)
{
	return ((struct cursor *)h)->len;
}

/* No mapping: libtiff then reads through mem_read. */
static int mem_map(thandle_t h, void **base, toff_t *size)
{
	(void)h;
	(void)base;
	(void)size;
	return 0;
}

static void mem_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h;
	(void)base;
	(void)size;
}

/* strerror is not thread-safe; decoding runs on several threads. */
static const char *errno_text(int e, char *buf, size_t n)
{
	if (strerror_r(e, buf, n) != 0)
		snprintf(buf, n, "error %d", e);
	return buf;
}

static int fail(struct tiff_ctx *c, struct adt_error *err, enum adt_errcode code, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static int fail(struct tiff_ctx *c, struct adt_error *err, enum adt_errcode code, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	adt_error_vat(err, code, c->name, 0, fmt, ap);
	va_end(ap);
	return -1;
}

/* A libtiff call failed: report what libtiff said, or what failed if it
 * said nothing.  where names the strip or tile, if any. */
static int fail_libtiff(struct tiff_ctx *c, struct adt_error *err, const char *where,
			const char *what)
{
	return fail(c, err, ADT_EFORMAT, "corrupt TIFF: %s%s%s", where ? where : "",
		    where ? ": " : "", c->msg[0] ? c->msg : what);
}

static uint64_t get_u(const unsigned char *p, int n, int big)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big ? i : n - 1 - i] << (8 * (n - 1 - i));
	return v;
}

/* Checks the header before libtiff sees the file, so that "not a TIFF"
 * and a file cut short are told apart from libtiff's wording.  h holds the
 * first n bytes (at most 16) of a file of c->file_size bytes. */
static int check_header(struct tiff_ctx *c, const unsigned char *h, size_t n, struct adt_error *err)
{
	static const unsigned char magic[4][4] = {
	    {'I', 'I', 42, 0}, {'M', 'M', 0, 42}, {'I', 'I', 43, 0}, {'M', 'M', 0, 43}};
	size_t i, k = n < 4 ? n : 4;
	int big, bigtiff;
	uint64_t ifd;

	for (i = 0; i < 4; i++)
		if (k > 0 && memcmp(h, magic[i], k) == 0)
			break;
	if (i == 4)
		return fail(c, err, ADT_EFORMAT, "not a TIFF file");
	big = h[0] == 'M';
	bigtiff = i >= 2;
	c->header = bigtiff ? 16u : 8u;
	if (n < c->header)
		return fail(c, err, ADT_EFORMAT,
			    "truncated TIFF data: the file ends in its header");
	if (bigtiff && (get_u(h + 4, 2, big) != 8 || get_u(h + 6, 2, big) != 0))
		return fail(c, err, ADT_EFORMAT, "corrupt TIFF: bad BigTIFF header");
	ifd = bigtiff ? get_u(h + 8, 8, big) : get_u(h + 4, 4, big);
	/* libtiff fails on these without a word. */
	if (ifd == 0)
		return fail(c, err, ADT_EFORMAT, "corrupt TIFF: no image directory");
	if (ifd < c->header)
		return fail(c, err, ADT_EFORMAT, "corrupt TIFF: bad directory offset %llu",
			    (unsigned long long)ifd);
	if (ifd >= c->file_size)
		return fail(c, err, ADT_EFORMAT,
			    "truncated TIFF data: the directory at byte %llu is past the end of "
			    "the %llu-byte file",
			    (unsigned long long)ifd, (unsigned long long)c->file_size);
	return 0;
}

/* Options for one handle.  max_alloc bounds each allocation libtiff makes
 * itself (0: none); our own buffers are checked separately. */
static TIFFOpenOptions *new_options(struct tiff_ctx *c, tmsize_t max_alloc)
{
	TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();

	if (!opts)
		return NULL;
	TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, c);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, c);
	if (max_alloc > 0)
		TIFFOpenOptionsSetMaxSingleMemAlloc(opts, max_alloc);
	return opts;
}

/* libtiff's biggest allocations are one strip or tile (raw, and decoded
 * for the floating-point predictor), which are bounded by our scratch
 * limit below; with a pixel limit, bound libtiff to twice that.  Without
 * one the caller asked for no limit. */
static tmsize_t alloc_cap(const struct adt_decode_opts *o)
{
	uint64_t cap;

	if (!o)
		return PROBE_ALLOC_CAP;
	if (!o->max_pixels)
		return 0;
	if (o->max_pixels > (uint64_t)INT64_MAX / 128)
		return 0;
	cap = 2 * (SCRATCH_FLOOR + 4 * 8 * o->max_pixels);
	if (sizeof(tmsize_t) < 8 && cap > (uint64_t)INT32_MAX)
		return 0;
	return (tmsize_t)cap;
}

static int open_mem(struct tiff_ctx *c, const void *buf, size_t len, const char *name,
		    tmsize_t max_alloc, struct adt_error *err)
{
	TIFFOpenOptions *opts;

	memset(c, 0, sizeof(*c));
	c->name = name ? name : "";
	c->fd = -1;
	c->cur.buf = buf;
	c->cur.len = buf ? len : 0;
	c->file_size = c->cur.len;
	if (check_header(c, buf, c->cur.len < 16 ? (size_t)c->cur.len : 16, err) < 0)
		return -1;
	opts = new_options(c, max_alloc);
	if (!opts)
		return fail(c, err, ADT_ENOMEM, "out of memory");
	c->tif = TIFFClientOpenExt(c->name, "rm", (thandle_t)&c->cur, mem_read, mem_write, mem_seek,
				   mem_close, mem_size, mem_map, mem_unmap, opts);
	TIFFOpenOptionsFree(opts);
	if (!c->tif)
		return fail_libtiff(c, err, NULL, "cannot read the first directory");
	return 0;
}

static int open_file(struct tiff_ctx *c, const char *path, tmsize_t max_alloc,
		     struct adt_error *err)
{
	unsigned char h[16];
	char ebuf[128];
	TIFFOpenOptions *opts;
	struct stat st;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	c->name = path ? path : "";
	c->fd = -1;
	if (!path)
		return fail(c, err, ADT_EUSAGE, "no file name");
	c->fd = open(path, O_RDONLY);
	if (c->fd < 0)
		return fail(c, err, ADT_EIO, "cannot open: %s",
			    errno_text(errno, ebuf, sizeof(ebuf)));
	if (fstat(c->fd, &st) < 0)
		return fail(c, err, ADT_EIO, "cannot read: %s",
			    errno_text(errno, ebuf, sizeof(ebuf)));
	if (S_ISDIR(st.st_mode))
		return fail(c, err, ADT_EIO, "cannot read: %s",
			    errno_text(EISDIR, ebuf, sizeof(ebuf)));
	c->file_size = (uint64_t)st.st_size;
	do
		n = pread(c->fd, h, sizeof(h), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(c, err, ADT_EIO, "cannot read: %s",
			    errno_text(errno, ebuf, sizeof(ebuf)));
	if (check_header(c, h, (size_t)n, err) < 0)
		return -1;
	opts = new_options(c, max_alloc);
	if (!opts)
		return fail(c, err, ADT_ENOMEM, "out of memory");
	/* "m": read(2), never mmap(2), so that a file shrinking under us is a
	 * read error rather than SIGBUS.  On success TIFFClose closes fd. */
	c->tif = TIFFFdOpenExt(c->fd, c->name, "rm", opts);
	TIFFOpenOptionsFree(opts);
	if (!c->tif)
		return fail_libtiff(c, err, NULL, "cannot read the first directory");
	c->fd = -1;
	return 0;
}

static void close_ctx(struct tiff_ctx *c)
{
	if (c->tif)
		TIFFClose(c->tif);
	if (c->fd >= 0)
		close(c->fd);
	c->tif = NULL;
	c->fd = -1;
}

static const char *format_name(uint16_t fmt)
{
	switch (fmt) {
	case SAMPLEFORMAT_UINT:
		return "unsigned integer";
	case SAMPLEFORMAT_INT:
		return "signed integer";
	case SAMPLEFORMAT_IEEEFP:
		return "floating point";
	case SAMPLEFORMAT_VOID:
		return "untyped";
	case SAMPLEFORMAT_COMPLEXINT:
		return "complex integer";
	case SAMPLEFORMAT_COMPLEXIEEEFP:
		return "complex floating point";
	default:
		return NULL;
	}
}

/* The sample type of a (SampleFormat, BitsPerSample) pair; bilevel
 * images are expanded to one byte per pixel. */
static int sample_of(uint16_t fmt, uint16_t bits, enum adt_sample *s)
{
	static const struct {
		uint16_t fmt, bits;
		enum adt_sample s;
	} map[] = {
	    {SAMPLEFORMAT_UINT, 1, ADT_SAMPLE_U8},     {SAMPLEFORMAT_UINT, 8, ADT_SAMPLE_U8},
	    {SAMPLEFORMAT_UINT, 16, ADT_SAMPLE_U16},   {SAMPLEFORMAT_UINT, 32, ADT_SAMPLE_U32},
	    {SAMPLEFORMAT_INT, 8, ADT_SAMPLE_I8},      {SAMPLEFORMAT_INT, 16, ADT_SAMPLE_I16},
	    {SAMPLEFORMAT_INT, 32, ADT_SAMPLE_I32},    {SAMPLEFORMAT_IEEEFP, 16, ADT_SAMPLE_F16},
	    {SAMPLEFORMAT_IEEEFP, 32, ADT_SAMPLE_F32}, {SAMPLEFORMAT_IEEEFP, 64, ADT_SAMPLE_F64},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].fmt == fmt && map[i].bits == bits) {
			*s = map[i].s;
			return 0;
		}
	}
	return -1;
}

/* Reads the tags of the first directory that decide the sample type. */
static int read_layout(struct tiff_ctx *c, struct layout *l, struct adt_error *err)
{
	uint16_t spp = 1, bits = 1, fmt = SAMPLEFORMAT_UINT, photometric = PHOTOMETRIC_MINISBLACK;
	uint32_t w = 0, h = 0;
	const char *fname;

	if (!TIFFGetField(c->tif, TIFFTAG_IMAGEWIDTH, &w) ||
	    !TIFFGetField(c->tif, TIFFTAG_IMAGELENGTH, &h))
		return fail(c, err, ADT_EFORMAT, "corrupt TIFF: no image width or length");
	TIFFGetFieldDefaulted(c->tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(c->tif, TIFFTAG_BITSPERSAMPLE, &bits);
	TIFFGetFieldDefaulted(c->tif, TIFFTAG_SAMPLEFORMAT, &fmt);
	TIFFGetField(c->tif, TIFFTAG_PHOTOMETRIC, &photometric);
	if (spp != 1)
		return fail(
		    c, err, ADT_EDATA,
		    "TIFF with %u samples per pixel is not supported (expected one channel)",
		    (unsigned)spp);
	/* Palette indices are not values; a gray image is what a map or mask
	 * should be.  MinIsWhite is taken as stored: a mask's nonzero samples
	 * are its anomalous pixels whatever a viewer would show. */
	if (photometric == PHOTOMETRIC_PALETTE)
		return fail(c, err, ADT_EDATA,
			    "TIFF palette images are not supported (expected one gray channel)");
	if (sample_of(fmt, bits, &l->sample) < 0) {
		fname = format_name(fmt);
		if (fname)
			return fail(c, err, ADT_EDATA, "unsupported TIFF sample format: %u-bit %s",
				    (unsigned)bits, fname);
		return fail(c, err, ADT_EDATA,
			    "unsupported TIFF sample format: %u-bit samples of format %u",
			    (unsigned)bits, (unsigned)fmt);
	}
	l->width = w;
	l->height = h;
	l->bits = bits;
	return 0;
}

/* The layout of the directory libtiff holds, its size checked. */
static int page_layout(struct tiff_ctx *c, struct layout *l, struct adt_error *err)
{
	if (read_layout(c, l, err) < 0)
		return -1;
	if (adt_raster_check_size(l->width, l->height, adt_sample_size(l->sample), NULL, err) < 0) {
		adt_error_set_file(err, c->name);
		return -1;
	}
	return 0;
}

/* Puts "page N: " before the message of an error met on page c->page. */
static int on_page(const struct tiff_ctx *c, struct adt_error *err)
{
	if (err)
		adt_error_set(err, err->code, "page %llu: %s", (unsigned long long)c->page + 1,
			      err->msg);
	return -1;
}

/* Reads the directory of the next page. */
static int next_page(struct tiff_ctx *c, struct adt_error *err)
{
	c->page++;
	c->msg[0] = '\0';
	c->warn[0] = '\0';
	if (!TIFFReadDirectory(c->tif))
		return fail_libtiff(c, err, NULL, "cannot read the directory");
	return 0;
}

/* Every page is one image of a stack: each has the first one's size and
 * sample type.  Only the directories are read. */
static int probe(struct tiff_ctx *c, struct adt_raster_info *info, struct adt_error *err)
{
	struct layout first, l;
	int ret = -1;

	if (page_layout(c, &first, err) < 0)
		goto out;
	while (!TIFFLastDirectory(c->tif)) {
		if (next_page(c, err) < 0 || page_layout(c, &l, err) < 0) {
			on_page(c, err);
			goto out;
		}
		if (l.width != first.width || l.height != first.height) {
			fail(c, err, ADT_EDATA,
			     "page %llu is %ux%u pixels but page 1 is %ux%u (the pages of a TIFF "
			     "are the images of one stack: one size, one sample type)",
			     (unsigned long long)c->page + 1, (unsigned)l.width, (unsigned)l.height,
			     (unsigned)first.width, (unsigned)first.height);
			goto out;
		}
		if (l.sample != first.sample) {
			fail(c, err, ADT_EDATA,
			     "page %llu holds %s samples but page 1 %s (the pages of a TIFF are "
			     "the images of one stack: one size, one sample type)",
			     (unsigned long long)c->page + 1, adt_sample_name(l.sample),
			     adt_sample_name(first.sample));
			goto out;
		}
	}
	if (info) {
		info->width = first.width;
		info->height = first.height;
		info->count = c->page + 1;
		info->sample = first.sample;
	}
	ret = 0;
out:
	close_ctx(c);
	return ret;
}

/* Makes page index the directory libtiff holds: on from the page it holds,
 * or over again from the first page to go back. */
static int seek_page(struct tiff_ctx *c, uint64_t index, struct adt_error *err)
{
	if (index < c->page) {
		c->msg[0] = '\0';
		c->warn[0] = '\0';
		c->page = 0;
		if (!TIFFSetDirectory(c->tif, 0))
			return fail_libtiff(c, err, NULL, "cannot read the first directory");
	}
	while (c->page < index) {
		if (TIFFLastDirectory(c->tif))
			return fail(c, err, ADT_EDATA,
				    "image index %llu is out of range: the TIFF file holds %llu "
				    "page%s",
				    (unsigned long long)index, (unsigned long long)c->page + 1,
				    c->page ? "s" : "");
		if (next_page(c, err) < 0)
			return on_page(c, err);
	}
	return 0;
}

/* Copies cols samples of one stored row into the raster, expanding a
 * bilevel row (most significant bit first, as libtiff delivers it) to one
 * byte per pixel. */
static void copy_row(unsigned char *dst, const unsigned char *src, uint32_t cols, size_t sz,
		     uint16_t bits)
{
	uint32_t i;

	if (bits != 1) {
		memcpy(dst, src, (size_t)cols * sz);
		return;
	}
	for (i = 0; i < cols; i++)
		dst[i] = (src[i >> 3] >> (7 - (i & 7))) & 1;
}

/* Checks the n strips (or tiles) of the page before any is decoded, in
 * this order: one that runs past the end of the file is truncated data (a
 * file cut short); then a warning libtiff gave on the page's tags; then
 * one that starts in the header, where no pixels are (libtiff reads an
 * offset it lost as 0) or has no entry at all. */
static int check_units(struct tiff_ctx *c, uint64_t n, const char *what, struct adt_error *err)
{
	uint64_t off, cnt, inside_off = 0;
	uint32_t k, inside = 0;
	int missing = 0, in_header = 0;

	for (k = 0; k < n; k++) {
		off = TIFFGetStrileOffsetWithErr(c->tif, k, &missing);
		cnt = missing ? 0 : TIFFGetStrileByteCountWithErr(c->tif, k, &missing);
		if (missing || k == UINT32_MAX)
			return fail(
			    c, err, ADT_EFORMAT,
			    "corrupt TIFF: the page has %llu %ss but its tags place only %lu",
			    (unsigned long long)n, what, (unsigned long)k);
		if (off > c->file_size || cnt > c->file_size - off)
			return fail(
			    c, err, ADT_EFORMAT,
			    "truncated TIFF data: %s %lu ends at byte %llu, past the end of "
			    "the %llu-byte file",
			    what, (unsigned long)k, (unsigned long long)(off + cnt),
			    (unsigned long long)c->file_size);
		if (off < c->header && !in_header) {
			in_header = 1;
			inside = k;
			inside_off = off;
		}
	}
	if (c->warn[0])
		return fail(c, err, ADT_EFORMAT, "corrupt TIFF: %s", c->warn);
	if (in_header)
		return fail(c, err, ADT_EFORMAT,
			    "corrupt TIFF: %s %lu starts at byte %llu, inside the %u-byte header",
			    what, (unsigned long)inside, (unsigned long long)inside_off, c->header);
	return 0;
}

/* Strips hold whole rows: without scratch (samples of whole bytes), each
 * is decoded straight into its rows of the raster. */
static int read_strips(struct tiff_ctx *c, const struct layout *l, unsigned char *scratch,
		       uint64_t row_bytes, uint32_t rps, struct adt_raster *out,
		       struct adt_error *err)
{
	size_t sz = adt_sample_size(l->sample), out_row = (size_t)l->width * sz;
	unsigned char *dst = out->data;
	uint32_t s, r, rows, y;
	tmsize_t need, got;
	char where[32];

	for (s = 0, y = 0; y < l->height; s++, y += rows) {
		rows = l->height - y < rps ? l->height - y : rps;
		need = (tmsize_t)(row_bytes * rows);
		c->msg[0] = '\0';
		got = TIFFReadEncodedStrip(c->tif, s, scratch ? scratch : dst + (size_t)y * out_row,
					   need);
		if (got < 0) {
			snprintf(where, sizeof(where), "strip %u", (unsigned)s);
			return fail_libtiff(c, err, where, "cannot decode");
		}
		if (got < need)
			return fail(c, err, ADT_EFORMAT,
				    "truncated TIFF data: strip %u holds %lld of %lld bytes",
				    (unsigned)s, (long long)got, (long long)need);
		for (r = 0; scratch && r < rows; r++)
			copy_row(dst + (size_t)(y + r) * out_row, scratch + r * row_bytes, l->width,
				 sz, l->bits);
	}
	return 0;
}

static int read_tiles(struct tiff_ctx *c, const struct layout *l, unsigned char *scratch,
		      uint64_t row_bytes, tmsize_t tile_bytes, uint32_t tw, uint32_t th,
		      struct adt_raster *out, struct adt_error *err)
{
	size_t sz = adt_sample_size(l->sample), out_row = (size_t)l->width * sz;
	uint32_t x, y, r, rows, cols, k;
	unsigned char *dst = out->data;
	tmsize_t got;
	char where[32];

	for (y = 0; y < l->height; y += rows) {
		rows = l->height - y < th ? l->height - y : th;
		for (x = 0; x < l->width; x += cols) {
			cols = l->width - x < tw ? l->width - x : tw;
			k = TIFFComputeTile(c->tif, x, y, 0, 0);
			c->msg[0] = '\0';
			got = TIFFReadEncodedTile(c->tif, k, scratch, tile_bytes);
			if (got < 0) {
				snprintf(where, sizeof(where), "tile %u", (unsigned)k);
				return fail_libtiff(c, err, where, "cannot decode");
			}
			if (got < tile_bytes)
				return fail(c, err, ADT_EFORMAT,
					    "truncated TIFF data: tile %u holds %lld of %lld bytes",
					    (unsigned)k, (long long)got, (long long)tile_bytes);
			/* Edge tiles are padded to the full tile: copy the part
			 * inside the image. */
			for (r = 0; r < rows; r++)
				copy_row(dst + (size_t)(y + r) * out_row + (size_t)x * sz,
					 scratch + r * row_bytes, cols, sz, l->bits);
		}
	}
	return 0;
}

/* Decodes the page libtiff holds; the caller closes c. */
static int decode(struct tiff_ctx *c, const struct adt_decode_opts *o, struct adt_raster *out,
		  struct adt_error *err)
{
	uint64_t row_bytes, unit_bytes, img_bytes, limit, units;
	uint32_t tw = 0, th = 0, rps = 0;
	unsigned char *scratch = NULL;
	struct layout l;
	int tiled, ret = -1;
	size_t sz;

	if (read_layout(c, &l, err) < 0)
		goto out;
	sz = adt_sample_size(l.sample);
	if (adt_raster_check_size(l.width, l.height, sz, o, err) < 0) {
		adt_error_set_file(err, c->name);
		goto out;
	}
	/* One strip or tile of stored rows; libtiff computes the sizes from
	 * the tags (0 on overflow, with an error). */
	c->msg[0] = '\0';
	tiled = TIFFIsTiled(c->tif);
	if (tiled) {
		if (!TIFFGetField(c->tif, TIFFTAG_TILEWIDTH, &tw) ||
		    !TIFFGetField(c->tif, TIFFTAG_TILELENGTH, &th) || tw == 0 || th == 0) {
			fail(c, err, ADT_EFORMAT, "corrupt TIFF: bad tile size");
			goto out;
		}
		row_bytes = (uint64_t)TIFFTileRowSize64(c->tif);
		unit_bytes = (uint64_t)TIFFTileSize64(c->tif);
	} else {
		TIFFGetFieldDefaulted(c->tif, TIFFTAG_ROWSPERSTRIP, &rps);
		if (rps == 0 || rps > l.height)
			rps = l.height;
		row_bytes = (uint64_t)TIFFScanlineSize64(c->tif);
		unit_bytes = row_bytes <= UINT64_MAX / rps ? row_bytes * rps : 0;
	}
	if (row_bytes == 0 || unit_bytes == 0 || unit_bytes / row_bytes < (tiled ? th : rps) ||
	    row_bytes < ((uint64_t)(tiled ? tw : l.width) * l.bits + 7) / 8) {
		fail_libtiff(c, err, NULL, "bad strip or tile size");
		goto out;
	}
	/* A tile may be larger than the image, but not absurdly so: it is
	 * allocated before anything is decoded. */
	img_bytes = (uint64_t)l.width * l.height * sz;
	limit = SCRATCH_FLOOR;
	if (img_bytes > limit / 4)
		limit = img_bytes > UINT64_MAX / 4 ? UINT64_MAX : 4 * img_bytes;
	if (unit_bytes > limit || unit_bytes > (uint64_t)SIZE_MAX ||
	    unit_bytes > (uint64_t)(sizeof(tmsize_t) < 8 ? INT32_MAX : INT64_MAX)) {
		if (tiled)
			fail(c, err, ADT_EDATA,
			     "TIFF tile of %ux%u pixels is too large for an image of %ux%u pixels",
			     (unsigned)tw, (unsigned)th, (unsigned)l.width, (unsigned)l.height);
		else
			fail(c, err, ADT_EDATA, "TIFF strip of %llu bytes is too large",
			     (unsigned long long)unit_bytes);
		goto out;
	}
	units = tiled ? (((uint64_t)l.width + tw - 1) / tw) * (((uint64_t)l.height + th - 1) / th)
		      : ((uint64_t)l.height + rps - 1) / rps;
	if (check_units(c, units, tiled ? "tile" : "strip", err) < 0)
		goto out;
	/* Strips of whole-byte samples are rows of the raster as they are. */
	if (!tiled && l.bits != 1 && row_bytes == (uint64_t)l.width * sz)
		unit_bytes = 0;
	scratch = unit_bytes ? malloc((size_t)unit_bytes) : NULL;
	if (unit_bytes && !scratch) {
		fail(c, err, ADT_ENOMEM, "out of memory for a TIFF %s of %llu bytes",
		     tiled ? "tile" : "strip", (unsigned long long)unit_bytes);
		goto out;
	}
	if (adt_raster_reshape(out, l.width, l.height, l.sample, err) < 0) {
		adt_error_set_file(err, c->name);
		goto out;
	}
	if (tiled)
		ret = read_tiles(c, &l, scratch, row_bytes, (tmsize_t)unit_bytes, tw, th, out, err);
	else
		ret = read_strips(c, &l, scratch, row_bytes, rps, out, err);
out:
	free(scratch);
	return ret;
}

static const struct adt_decode_opts no_limit = {ADT_AS_MAP, 0};

int adt_tiff_probe_mem(const void *buf, size_t len, const char *name, struct adt_raster_info *info,
		       struct adt_error *err)
{
	struct tiff_ctx c;

	if (open_mem(&c, buf, len, name, alloc_cap(NULL), err) < 0)
		return -1;
	return probe(&c, info, err);
}

int adt_tiff_read_mem(const void *buf, size_t len, const char *name, uint64_t index,
		      const struct adt_decode_opts *o, struct adt_raster *out,
		      struct adt_error *err)
{
	struct tiff_ctx c;
	int ret;

	if (!o)
		o = &no_limit;
	if (open_mem(&c, buf, len, name, alloc_cap(o), err) < 0)
		return -1;
	ret = seek_page(&c, index, err) < 0 ? -1 : decode(&c, o, out, err);
	close_ctx(&c);
	return ret;
}

int adt_tiff_probe_file(const char *path, struct adt_raster_info *info, struct adt_error *err)
{
	struct tiff_ctx c;

	if (open_file(&c, path, alloc_cap(NULL), err) < 0) {
		close_ctx(&c);
		return -1;
	}
	return probe(&c, info, err);
}

int adt_tiff_file_open(const char *path, const struct adt_decode_opts *o, struct adt_tiff_file **tf,
		       struct adt_error *err)
{
	struct adt_tiff_file *f = calloc(1, sizeof(*f));

	*tf = NULL;
	if (f && path)
		f->path = strdup(path);
	if (!f || (path && !f->path)) {
		free(f);
		return adt_error_at(err, ADT_ENOMEM, path, 0, "out of memory");
	}
	if (open_file(&f->c, f->path, alloc_cap(o ? o : &no_limit), err) < 0) {
		adt_tiff_file_close(f);
		return -1;
	}
	*tf = f;
	return 0;
}

int adt_tiff_file_read(struct adt_tiff_file *tf, uint64_t index, const struct adt_decode_opts *o,
		       struct adt_raster *out, struct adt_error *err)
{
	if (seek_page(&tf->c, index, err) < 0)
		return -1;
	return decode(&tf->c, o ? o : &no_limit, out, err);
}

void adt_tiff_file_close(struct adt_tiff_file *tf)
{
	if (!tf)
		return;
	close_ctx(&tf->c);
	free(tf->path);
	free(tf);
}

int adt_tiff_read_file(const char *path, uint64_t index, const struct adt_decode_opts *o,
		       struct adt_raster *out, struct adt_error *err)
{
	struct adt_tiff_file *tf;
	int ret;

	if (adt_tiff_file_open(path, o, &tf, err) < 0)
		return -1;
	ret = adt_tiff_file_read(tf, index, o, out, err);
	adt_tiff_file_close(tf);
	return ret;
}

/* TIFFGetVersion says "LIBTIFF, Version 4.5.0" and a copyright notice on
 * the lines after it. */
void adt_tiff_library_version(char *buf, size_t size)
{
	const char *v = TIFFGetVersion();
	const char *at = strstr(v, "Version ");
	const char *nl = strchr(v, '\n');
	size_t len;

	if (at && (!nl || at < nl))
		v = at + strlen("Version ");
	len = nl ? (size_t)(nl - v) : strlen(v);
	snprintf(buf, size, "%.*s", (int)(len < (size_t)INT_MAX ? len : (size_t)INT_MAX), v);
}
