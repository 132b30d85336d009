/* CSV/TSV text matrices (see image_formats.h): one image row per line,
 * numbers only.  Hand-written rather than libcsv: a matrix has no header,
 * no quoting and no text fields, and this way every error can name the row
 * and column.
 *
 * The separator is detected on the first line, preferring ';' over ','
 * because a ';' file with decimal commas ("0,5;0,7") must read as ';' to
 * get the decimal-comma message rather than a confusing one.  Values go
 * into a growing vector first: the width is known after one line, the
 * height only at the end. */
#include "adthresh/image_formats.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"
#include "adthresh/value.h"

enum sep { SEP_NONE = 0, SEP_COMMA, SEP_SEMI, SEP_TAB, SEP_SPACE };

static const char *const sep_name[] = {"nothing", "','", "';'", "tabs", "spaces"};
static const char sep_char[] = {0, ',', ';', '\t', ' '};

struct mctx {
	const char *name;
	struct adt_error *err;
	double *v; /* the values so far, row-major */
	size_t n, cap;
	char *field; /* one field, NUL-terminated for adt_parse_double */
	size_t field_cap;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int nomem(const struct mctx *c)
{
	return adt_error_at(c->err, ADT_ENOMEM, c->name, 0, "out of memory");
}

/* Moves an error from tmp to the caller's err with the file, the line and
 * a prefix (tmp's message has neither). */
static int relay(const struct mctx *c, const struct adt_error *tmp, unsigned long line,
		 const char *prefix)
{
	return adt_error_at(c->err, tmp->code, c->name, line, "%s%s", prefix, tmp->msg);
}

static int push(struct mctx *c, double x)
{
	void *p = c->v;

	if (adt_grow(&p, &c->cap, c->n + 1, sizeof(*c->v)))
		return nomem(c);
	c->v = p;
	c->v[c->n++] = x;
	return 0;
}

/* The separator of the line p[0, n) (no blanks at either end). */
static enum sep detect(const char *p, size_t n)
{
	if (memchr(p, ';', n))
		return SEP_SEMI;
	if (memchr(p, ',', n))
		return SEP_COMMA;
	if (memchr(p, '\t', n))
		return SEP_TAB;
	if (memchr(p, ' ', n))
		return SEP_SPACE;
	return SEP_NONE;
}

/* The end of the field starting at p (before `end`) for separator s. */
static const char *field_end(const char *p, const char *end, enum sep s)
{
	const char *q;

	if (s == SEP_NONE)
		return end;
	if (s == SEP_SPACE) {
		while (p < end && !is_blank(*p))
			p++;
		return p;
	}
	q = memchr(p, sep_char[s], (size_t)(end - p));
	return q ? q : end;
}

/* Where the field after the one ending at p (before `end`) starts. */
static const char *next_field(const char *p, const char *end, enum sep s)
{
	if (s == SEP_SPACE) {
		while (p < end && is_blank(*p))
			p++;
		return p;
	}
	return p + 1;
}

static uint64_t count_fields(const char *p, const char *end, enum sep s)
{
	uint64_t n = 1;

	for (p = field_end(p, end, s); p < end; p = field_end(next_field(p, end, s), end, s))
		n++;
	return n;
}

/* Parses the fields of one non-blank row p[0, n) (no blanks at either end). */
static int read_row(struct mctx *c, const char *p, size_t n, unsigned long row, enum sep s)
{
	const char *end = p + n, *q;
	struct adt_error tmp;
	char prefix[96];
	uint64_t col = 0;
	size_t len;
	double x;
	void *field;

	adt_error_init(&tmp);
	for (;;) {
		q = field_end(p, end, s);
		len = (size_t)(q - p);
		field = c->field;
		if (adt_grow(&field, &c->field_cap, len + 1, 1))
			return nomem(c);
		c->field = field;
		memcpy(c->field, p, len);
		c->field[len] = '\0';
		col++;
		if (adt_parse_double(c->field, "value", &x, &tmp)) {
			snprintf(prefix, sizeof(prefix), "row %lu, column %llu: ", row,
				 (unsigned long long)col);
			return relay(c, &tmp, row, prefix);
		}
		if (push(c, x))
			return -1;
		if (q == end)
			return 0;
		p = next_field(q, end, s);
	}
}

int adt_matrix_csv_read_mem(const void *buf, size_t len, const char *name,
			    const struct adt_decode_opts *o, struct adt_raster *out,
			    struct adt_error *err)
{
	struct mctx c = {name, err, NULL, 0, 0, NULL, 0};
	const char *t = buf, *end, *p, *nl, *eol;
	unsigned long line = 0, blank = 0;
	uint64_t width = 0, count;
	struct adt_error tmp;
	enum sep mode = SEP_NONE, s;
	int ret = -1;

	if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
		t += 3;
		len -= 3;
	}
	end = t + len;
	/* Rows and lines coincide: a blank line is only allowed at the end. */
	for (p = t; p < end; p = nl ? nl + 1 : end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl ? nl : end;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (memchr(p, '\0', (size_t)(eol - p))) {
			adt_error_at(err, ADT_EFORMAT, name, line, "NUL byte (not a text matrix?)");
			goto out;
		}
		if (memchr(p, '\r', (size_t)(eol - p))) {
			adt_error_at(
			    err, ADT_EFORMAT, name, line,
			    "carriage return inside a line (expected LF or CRLF line ends)");
			goto out;
		}
		while (p < eol && is_blank(*p))
			p++;
		while (eol > p && is_blank(eol[-1]))
			eol--;
		if (p == eol) {
			if (!blank)
				blank = line;
			continue;
		}
		if (blank) {
			adt_error_at(err, ADT_EFORMAT, name, blank, "blank line %s the matrix",
				     blank == 1 ? "before" : "inside");
			goto out;
		}
		s = detect(p, (size_t)(eol - p));
		if (line == 1)
			mode = s;
		if (s != SEP_NONE && mode != SEP_NONE && s != mode) {
			adt_error_at(err, ADT_EFORMAT, name, line,
				     "row %lu is separated by %s, row 1 by %s", line, sep_name[s],
				     sep_name[mode]);
			goto out;
		}
		count = count_fields(p, eol, s);
		if (line == 1)
			width = count;
		if (count != width) {
			adt_error_at(err, ADT_EFORMAT, name, line,
				     "row %lu has %llu value%s, row 1 has %llu", line,
				     (unsigned long long)count, count == 1 ? "" : "s",
				     (unsigned long long)width);
			goto out;
		}
		if (read_row(&c, p, (size_t)(eol - p), line, s))
			goto out;
	}
	if (c.n == 0) {
		adt_error_at(err, ADT_EFORMAT, name, 0, "empty matrix");
		goto out;
	}
	adt_error_init(&tmp);
	if (adt_raster_check_size(width, c.n / width, sizeof(double), o, &tmp) ||
	    adt_raster_reshape(out, width, c.n / width, ADT_SAMPLE_F64, &tmp)) {
		relay(&c, &tmp, 0, "");
		goto out;
	}
	memcpy(out->data, c.v, c.n * sizeof(double));
	ret = 0;
out:
	free(c.v);
	free(c.field);
	return ret;
}
