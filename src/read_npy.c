/* NPY reader (see image_formats.h): a strict hand-written parser of the
 * header numpy writes (numpy.lib.format, NEP 1) and a decoder of one image
 * of the array, from memory or from a file descriptor. */
#include "adthresh/image_formats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAGIC	  "\x93NUMPY"
#define MAGIC_LEN 6
#define MAX_DIMS  64
/* Enough for a message; longer user text is cut with "...". */
#define SHOW_MAX 60

#define DTYPE_HINT "(expected float16/32/64, bool or an integer type)"
#define SHAPE_HINT "expected (H, W), (N, H, W) or (N, 1, H, W)"

/* The three keys of an NPY header dict. */
enum key { KEY_DESCR, KEY_FORTRAN, KEY_SHAPE, NKEYS };

static const char *const key_names[NKEYS] = {"descr", "fortran_order", "shape"};

struct parser {
	const unsigned char *p, *end;
	uint64_t base; /* file offset of the header text, for messages */
	const unsigned char *text;
	const char *name;
	struct adt_error *err;
	/* What the dict says. */
	int seen[NKEYS];
	const unsigned char *descr; /* string contents, or the raw text of a list */
	size_t descr_len;
	int descr_is_str;
	int fortran;
	uint64_t dims[MAX_DIMS];
	size_t ndim;
};

static int host_is_little(void)
{
	const uint16_t one = 1;
	unsigned char c;

	memcpy(&c, &one, 1);
	return c == 1;
}

static uint64_t le_u16(const unsigned char *b)
{
	return (uint64_t)b[0] | (uint64_t)b[1] << 8;
}

static uint64_t le_u32(const unsigned char *b)
{
	return le_u16(b) | le_u16(b + 2) << 16;
}

static uint64_t at(const struct parser *ps)
{
	return ps->base + (uint64_t)(ps->p - ps->text);
}

static int syntax(struct parser *ps, const char *what)
{
	return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
			    "invalid NPY header: expected %s at byte %llu", what,
			    (unsigned long long)at(ps));
}

/* Python's whitespace between tokens (a literal may span lines). */
static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_ident(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && is_space(*ps->p))
		ps->p++;
}

/* Skips whitespace, then consumes c if it is next. */
static int accept(struct parser *ps, unsigned char c)
{
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return 1;
	}
	return 0;
}

/* A quoted string without escapes (no key or dtype string needs one); a
 * single-line literal, as in Python. */
static int parse_string(struct parser *ps, const unsigned char **s, size_t *n)
{
	unsigned char q;
	const unsigned char *start;

	skip_space(ps);
	if (ps->p >= ps->end || (*ps->p != '\'' && *ps->p != '"'))
		return syntax(ps, "a quoted string");
	q = *ps->p++;
	start = ps->p;
	while (ps->p < ps->end && *ps->p != q && *ps->p != '\n' && *ps->p != '\\')
		ps->p++;
	if (ps->p >= ps->end || *ps->p != q)
		return syntax(ps, "the end of the string");
	*s = start;
	*n = (size_t)(ps->p - start);
	ps->p++;
	return 0;
}

/* Skips a bracketed literal (a structured dtype's list of fields) so that
 * the dtype can be reported as unsupported rather than as bad syntax. */
static int skip_nested(struct parser *ps)
{
	size_t depth = 0;
	unsigned char q;

	do {
		if (ps->p >= ps->end)
			return syntax(ps, "a closing bracket");
		switch (*ps->p) {
		case '[':
		case '(':
		case '{':
			depth++;
			break;
		case ']':
		case ')':
		case '}':
			depth--;
			break;
		case '\'':
		case '"':
			q = *ps->p++;
			while (ps->p < ps->end && *ps->p != q) {
				if (*ps->p == '\\' && ps->end - ps->p > 1)
					ps->p++;
				ps->p++;
			}
			if (ps->p >= ps->end)
				return syntax(ps, "the end of the string");
			break;
		default:
			break;
		}
		ps->p++;
	} while (depth > 0);
	return 0;
}

static int parse_descr(struct parser *ps)
{
	const unsigned char *start;

	skip_space(ps);
	if (ps->p < ps->end && (*ps->p == '\'' || *ps->p == '"')) {
		ps->descr_is_str = 1;
		return parse_string(ps, &ps->descr, &ps->descr_len);
	}
	if (ps->p < ps->end && (*ps->p == '[' || *ps->p == '(' || *ps->p == '{')) {
		start = ps->p;
		if (skip_nested(ps))
			return -1;
		ps->descr_is_str = 0;
		ps->descr = start;
		ps->descr_len = (size_t)(ps->p - start);
		return 0;
	}
	return syntax(ps, "a dtype string for 'descr'");
}

static int parse_fortran(struct parser *ps)
{
	const unsigned char *start;
	size_t n;

	skip_space(ps);
	start = ps->p;
	while (ps->p < ps->end && is_ident(*ps->p))
		ps->p++;
	n = (size_t)(ps->p - start);
	if (n == 4 && !memcmp(start, "True", 4))
		ps->fortran = 1;
	else if (n == 5 && !memcmp(start, "False", 5))
		ps->fortran = 0;
	else {
		ps->p = start;
		return syntax(ps, "True or False for 'fortran_order'");
	}
	return 0;
}

/* A non-negative Python integer, with the 'L' suffix of Python 2 longs. */
static int parse_dim(struct parser *ps, uint64_t *v)
{
	const unsigned char *start;
	uint64_t x = 0;
	unsigned d;
	size_t n;

	skip_space(ps);
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return syntax(ps, "a non-negative integer in 'shape'");
	start = ps->p;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	n = (size_t)(ps->p - start);
	for (size_t i = 0; i < n; i++) {
		d = (unsigned)(start[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return adt_error_at(
			    ps->err, ADT_EFORMAT, ps->name, 0,
			    "invalid NPY header: shape dimension %.*s%s is too large",
			    n > SHOW_MAX ? SHOW_MAX : (int)n, (const char *)start,
			    n > SHOW_MAX ? "..." : "");
		x = x * 10 + d;
	}
	if (ps->p < ps->end && *ps->p == 'L')
		ps->p++;
	*v = x;
	return 0;
}

/* A tuple of integers: "()", "(5,)", "(3, 4)", "(3, 4,)".  "(5)" is an
 * integer in Python, not a tuple. */
static int parse_shape(struct parser *ps)
{
	uint64_t v = 0;

	if (!accept(ps, '('))
		return syntax(ps, "a tuple for 'shape'");
	ps->ndim = 0;
	if (accept(ps, ')'))
		return 0;
	for (;;) {
		if (parse_dim(ps, &v))
			return -1;
		if (ps->ndim == MAX_DIMS)
			return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
					    "invalid NPY header: shape has more than %d dimensions",
					    MAX_DIMS);
		ps->dims[ps->ndim++] = v;
		if (accept(ps, ')')) {
			if (ps->ndim > 1)
				return 0;
			ps->p--;
			return syntax(ps, "',' after the only dimension of 'shape'");
		}
		if (!accept(ps, ','))
			return syntax(ps, "',' or ')' in 'shape'");
		if (accept(ps, ')'))
			return 0;
	}
}

/* The dict literal: keys in any order, each once, optional trailing
 * comma, nothing but whitespace after it. */
static int parse_dict(struct parser *ps)
{
	const unsigned char *k;
	size_t n;
	int i, key;

	if (!accept(ps, '{'))
		return syntax(ps, "'{'");
	while (!accept(ps, '}')) {
		if (parse_string(ps, &k, &n))
			return -1;
		key = -1;
		for (i = 0; i < NKEYS; i++)
			if (strlen(key_names[i]) == n && !memcmp(key_names[i], k, n))
				key = i;
		if (key < 0)
			return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
					    "invalid NPY header: unknown key '%.*s%s'",
					    n > SHOW_MAX ? SHOW_MAX : (int)n, (const char *)k,
					    n > SHOW_MAX ? "..." : "");
		if (ps->seen[key])
			return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
					    "invalid NPY header: duplicate key '%s'",
					    key_names[key]);
		ps->seen[key] = 1;
		if (!accept(ps, ':'))
			return syntax(ps, "':'");
		if ((key == KEY_DESCR && parse_descr(ps)) ||
		    (key == KEY_FORTRAN && parse_fortran(ps)) ||
		    (key == KEY_SHAPE && parse_shape(ps)))
			return -1;
		if (accept(ps, '}'))
			break;
		if (!accept(ps, ','))
			return syntax(ps, "',' or '}'");
	}
	skip_space(ps);
	if (ps->p != ps->end)
		return syntax(ps, "only spaces after the header dict");
	for (i = 0; i < NKEYS; i++)
		if (!ps->seen[i])
			return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
					    "invalid NPY header: missing key '%s'", key_names[i]);
	return 0;
}

/* descr "<f4" and the like; 0, or -1 when the dtype is not one we read. */
static int dtype_of(const unsigned char *s, size_t n, enum adt_sample *sample, char *order)
{
	static const struct {
		char kind, size;
		enum adt_sample sample;
	} types[] = {
	    {'f', '2', ADT_SAMPLE_F16},	 {'f', '4', ADT_SAMPLE_F32}, {'f', '8', ADT_SAMPLE_F64},
	    {'b', '1', ADT_SAMPLE_BOOL}, {'u', '1', ADT_SAMPLE_U8},  {'u', '2', ADT_SAMPLE_U16},
	    {'u', '4', ADT_SAMPLE_U32},	 {'u', '8', ADT_SAMPLE_U64}, {'i', '1', ADT_SAMPLE_I8},
	    {'i', '2', ADT_SAMPLE_I16},	 {'i', '4', ADT_SAMPLE_I32}, {'i', '8', ADT_SAMPLE_I64},
	};
	size_t i;

	if (n != 3 || s[0] == '\0' || !strchr("<>|=", s[0]))
		return -1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].kind == (char)s[1] && types[i].size == (char)s[2]) {
			*sample = types[i].sample;
			*order = (char)s[0];
			return 0;
		}
	return -1;
}

/* "(3, 2, 8, 8)", "(5,)" or "()", as Python prints a shape. */
static void shape_str(char *buf, size_t size, const uint64_t *dims, size_t ndim)
{
	size_t i, len = 1;
	int k;

	snprintf(buf, size, "(");
	for (i = 0; i < ndim; i++) {
		if (size - len < 32) {
			snprintf(buf + len, size - len, ", ...");
			len += 5;
			break;
		}
		k = snprintf(buf + len, size - len, "%s%llu", i ? ", " : "",
			     (unsigned long long)dims[i]);
		len += (size_t)k;
	}
	snprintf(buf + len, size - len, ndim == 1 ? ",)" : ")");
}

/* a * b, or -1 when it overflows 64 bits. */
static int mul_u64(uint64_t a, uint64_t b, uint64_t *r)
{
	if (a != 0 && b > UINT64_MAX / a)
		return -1;
	*r = a * b;
	return 0;
}

/* Checks what the parsed dict asks for and fills h. */
static int check_header(struct parser *ps, uint64_t data_offset, uint64_t file_size,
			struct adt_npy_header *h)
{
	enum adt_sample sample = ADT_SAMPLE_F32;
	char order = '<', shape[256];
	uint64_t n, height, width, bytes = 1, have;
	size_t i, sz, show = ps->descr_len > SHOW_MAX ? SHOW_MAX : ps->descr_len;
	const char *more = ps->descr_len > SHOW_MAX ? "..." : "";

	if (!ps->descr_is_str)
		return adt_error_at(ps->err, ADT_EDATA, ps->name, 0,
				    "unsupported NPY dtype %.*s%s " DTYPE_HINT, (int)show,
				    (const char *)ps->descr, more);
	if (dtype_of(ps->descr, ps->descr_len, &sample, &order))
		return adt_error_at(ps->err, ADT_EDATA, ps->name, 0,
				    "unsupported NPY dtype '%.*s%s' " DTYPE_HINT, (int)show,
				    (const char *)ps->descr, more);
	if (ps->fortran)
		return adt_error_at(
		    ps->err, ADT_EDATA, ps->name, 0,
		    "Fortran-order NPY arrays are not supported (save with C order)");

	shape_str(shape, sizeof(shape), ps->dims, ps->ndim);
	if (ps->ndim == 2) {
		n = 1;
		height = ps->dims[0];
		width = ps->dims[1];
	} else if (ps->ndim == 3 || (ps->ndim == 4 && ps->dims[1] == 1)) {
		n = ps->dims[0];
		height = ps->dims[ps->ndim - 2];
		width = ps->dims[ps->ndim - 1];
	} else {
		return adt_error_at(ps->err, ADT_EDATA, ps->name, 0,
				    "unsupported NPY shape %s: " SHAPE_HINT, shape);
	}
	sz = adt_sample_size(sample);
	for (i = 0; i < ps->ndim; i++)
		if (ps->dims[i] == 0)
			return adt_error_at(ps->err, ADT_EDATA, ps->name, 0,
					    "empty NPY array of shape %s", shape);
	for (i = 0; i < ps->ndim; i++)
		if (mul_u64(bytes, ps->dims[i], &bytes))
			break;
	if (i < ps->ndim || mul_u64(bytes, sz, &bytes) || bytes > UINT64_MAX - data_offset)
		return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
				    "NPY array of shape %s is too large", shape);

	have = file_size - data_offset;
	if (have < bytes)
		return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
				    "truncated NPY data: expected %llu bytes of array data, "
				    "found %llu",
				    (unsigned long long)bytes, (unsigned long long)have);
	if (have > bytes)
		return adt_error_at(ps->err, ADT_EFORMAT, ps->name, 0,
				    "NPY file has %llu bytes after the array data",
				    (unsigned long long)(have - bytes));

	h->info.width = width;
	h->info.height = height;
	h->info.count = n;
	h->info.sample = sample;
	/* '=' (the writer's native order; the file cannot say which) and
	 * '|' (order not applicable) are read as native, as numpy does. */
	h->swap =
	    sz > 1 && ((order == '<' && !host_is_little()) || (order == '>' && host_is_little()));
	h->data_offset = data_offset;
	return 0;
}

int adt_npy_parse_header(const void *buf, size_t len, uint64_t file_size, const char *name,
			 struct adt_npy_header *h, struct adt_error *err)
{
	const unsigned char *b = buf;
	uint64_t avail = len < file_size ? len : file_size, prefix, hlen, i;
	struct parser ps;

	if (!b && len)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "not an NPY file");
	if (avail == 0)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "not an NPY file (it is empty)");
	if (memcmp(b, MAGIC, avail < MAGIC_LEN ? avail : MAGIC_LEN))
		return adt_error_at(err, ADT_EFORMAT, name, 0, "not an NPY file");
	if (avail < MAGIC_LEN + 2)
		return adt_error_at(err, ADT_EFORMAT, name, 0,
				    "truncated NPY header: expected at least %d bytes, found %llu",
				    MAGIC_LEN + 4, (unsigned long long)avail);
	if (b[6] < 1 || b[6] > 3 || b[7] != 0)
		return adt_error_at(err, ADT_EFORMAT, name, 0,
				    "unsupported NPY format version %u.%u", b[6], b[7]);
	prefix = b[6] == 1 ? MAGIC_LEN + 4 : MAGIC_LEN + 6;
	if (avail < prefix)
		return adt_error_at(
		    err, ADT_EFORMAT, name, 0,
		    "truncated NPY header: expected at least %llu bytes, found %llu",
		    (unsigned long long)prefix, (unsigned long long)avail);
	hlen = b[6] == 1 ? le_u16(b + 8) : le_u32(b + 8);
	if (avail - prefix < hlen)
		return adt_error_at(err, ADT_EFORMAT, name, 0,
				    "truncated NPY header: expected %llu bytes, found %llu",
				    (unsigned long long)(prefix + hlen), (unsigned long long)avail);
	if (hlen == 0 || b[prefix + hlen - 1] != '\n')
		return adt_error_at(err, ADT_EFORMAT, name, 0,
				    "invalid NPY header: it does not end with a newline");
	/* Versions 1 and 2 are ASCII (latin-1 to numpy, but it writes ASCII);
	 * version 3 allows UTF-8, which can only matter inside strings. */
	if (b[6] < 3)
		for (i = 0; i < hlen; i++)
			if (b[prefix + i] >= 0x80)
				return adt_error_at(
				    err, ADT_EFORMAT, name, 0,
				    "invalid NPY header: non-ASCII byte at byte %llu "
				    "(allowed from format version 3.0)",
				    (unsigned long long)(prefix + i));

	memset(&ps, 0, sizeof(ps));
	ps.text = b + prefix;
	ps.p = ps.text;
	ps.end = ps.text + hlen;
	ps.base = prefix;
	ps.name = name;
	ps.err = err;
	if (parse_dict(&ps))
		return -1;
	return check_header(&ps, prefix + hlen, file_size, h);
}

/* Records name as the file of an error set by a raster.h helper (which
 * leaves the file alone, possibly stale from an earlier error). */
static int named(struct adt_error *err, const char *name)
{
	if (!err)
		return -1;
	return adt_error_at(err, err->code, name, 0, "%s", err->msg);
}

/* Validates the index and the size limits and shapes out for one image;
 * *off and *bytes locate the image in the file. */
static int prepare(const struct adt_npy_header *h, const char *name, uint64_t index,
		   const struct adt_decode_opts *o, struct adt_raster *out, uint64_t *off,
		   size_t *bytes, struct adt_error *err)
{
	const struct adt_raster_info *in = &h->info;
	size_t sz = adt_sample_size(in->sample);
	uint64_t img, skip;

	if (index >= in->count)
		return adt_error_at(err, ADT_EDATA, name, 0,
				    "image index %llu is out of range: the NPY file holds %llu "
				    "image%s",
				    (unsigned long long)index, (unsigned long long)in->count,
				    in->count == 1 ? "" : "s");
	if (adt_raster_check_size(in->width, in->height, sz, o, err))
		return named(err, name);
	img = in->width * in->height * sz; /* fits size_t: checked above */
	if (mul_u64(index, img, &skip) || skip > UINT64_MAX - h->data_offset)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "NPY image %llu is out of the file",
				    (unsigned long long)index);
	if (adt_raster_reshape(out, in->width, in->height, in->sample, err))
		return named(err, name);
	*off = h->data_offset + skip;
	*bytes = (size_t)img;
	return 0;
}

static int fits_off_t(uint64_t v)
{
	off_t o = (off_t)v;

	return o >= 0 && (uint64_t)o == v;
}

static void swap_bytes(void *data, size_t n, size_t sz)
{
	unsigned char *p = data, t;
	size_t i, j;

	for (i = 0; i < n; i++, p += sz)
		for (j = 0; j < sz / 2; j++) {
			t = p[j];
			p[j] = p[sz - 1 - j];
			p[sz - 1 - j] = t;
		}
}

/* Byte order and bool values of the image just read into out.  The
 * caller names the image of a stack ("image 2: ..."). */
static int finish(const struct adt_npy_header *h, const char *name, struct adt_raster *out,
		  struct adt_error *err)
{
	size_t sz = adt_sample_size(out->sample), n = (size_t)(out->width * out->height), i;
	const unsigned char *p = out->data;

	if (h->swap)
		swap_bytes(out->data, n, sz);
	if (out->sample == ADT_SAMPLE_BOOL)
		for (i = 0; i < n; i++)
			if (p[i] > 1)
				return adt_error_at(err, ADT_EFORMAT, name, 0,
						    "invalid bool value %u in NPY data at pixel "
						    "(%llu, %llu)",
						    p[i], (unsigned long long)(i % out->width),
						    (unsigned long long)(i / out->width));
	return 0;
}

int adt_npy_read_mem(const void *buf, size_t len, const char *name, uint64_t index,
		     const struct adt_decode_opts *o, struct adt_raster *out, struct adt_error *err)
{
	struct adt_npy_header h;
	uint64_t off;
	size_t bytes;

	if (adt_npy_parse_header(buf, len, len, name, &h, err) ||
	    prepare(&h, name, index, o, out, &off, &bytes, err))
		return -1;
	memcpy(out->data, (const unsigned char *)buf + off, bytes);
	return finish(&h, name, out, err);
}

int adt_npy_read_fd(int fd, const struct adt_npy_header *h, const char *name, uint64_t index,
		    const struct adt_decode_opts *o, struct adt_raster *out, struct adt_error *err)
{
	/* One pread stays well under SSIZE_MAX everywhere. */
	const size_t chunk = (size_t)1 << 30;
	unsigned char *p;
	uint64_t off, total;
	size_t bytes, got = 0, want;
	ssize_t r;

	if (prepare(h, name, index, o, out, &off, &bytes, err))
		return -1;
	p = out->data;
	while (got < bytes) {
		if (!fits_off_t(off + got))
			return adt_error_at(err, ADT_EFORMAT, name, 0,
					    "NPY image %llu is beyond the largest file offset",
					    (unsigned long long)index);
		want = bytes - got < chunk ? bytes - got : chunk;
		r = pread(fd, p + got, want, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return adt_error_at(err, ADT_EIO, name, 0, "cannot read NPY data: %s",
					    strerror(errno));
		if (r == 0) {
			/* The file shrank since its header was read. */
			total = h->info.count * bytes;
			return adt_error_at(
			    err, ADT_EFORMAT, name, 0,
			    "truncated NPY data: expected %llu bytes of array data, "
			    "found %llu",
			    (unsigned long long)total,
			    (unsigned long long)(off - h->data_offset + got));
		}
		got += (size_t)r;
	}
	return finish(h, name, out, err);
}
