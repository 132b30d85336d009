/* JSON matrices and JSON results documents of maps and masks (see
 * image_formats.h).
 *
 * These hold one number per pixel, and cJSON's tree would take some 64
 * bytes for each, so they are walked in the validated text instead;
 * cJSON only decodes strings with escapes.  A matrix is walked twice: once
 * for its shape and types, so that the size is checked before anything
 * is allocated, and once for the numbers. */
#include "adthresh/image_formats.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"
#include "adthresh/json.h"
#include "adthresh/value.h"

/* How one matrix is read; prefix starts every message
 * ("element 2: 'anomaly_map': "). */
struct mspec {
	const char *name;
	const char *prefix;
	int bools; /* true and false read as 1 and 0 */
	const struct adt_decode_opts *o;
	struct adt_error *err;
};

static int mfail(const struct mspec *m, enum adt_errcode code, unsigned long line, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

static int mfail(const struct mspec *m, enum adt_errcode code, unsigned long line, const char *fmt,
		 ...)
{
	char msg[sizeof(m->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return adt_error_at(m->err, code, m->name, line, "%s%s", m->prefix, msg);
}

/* Finds the 2-D array in the value at *a, going through leading
 * dimensions of 1 ([1, H, W], [1, 1, H, W]), and checks its rows: arrays
 * of equal length holding numbers (or booleans).  Sets *width, *height. */
static int matrix_shape(const struct mspec *m, struct adt_json_cur *a, size_t *width,
			size_t *height)
{
	struct adt_json_cur e, r;
	size_t n, row = 0, col;
	char ch;

	if (a->t[a->off] != '[')
		return mfail(m, ADT_EDATA, a->line, "expected a 2-D array of numbers, got %s",
			     adt_json_text_type(a->t[a->off]));
	for (;;) {
		e = *a;
		adt_json_cur_step(&e);
		if (e.t[e.off] != '[')
			break;
		r = e;
		adt_json_cur_step(&r);
		if (r.t[r.off] != '[')
			break;
		n = adt_json_cur_count(*a);
		if (n != 1)
			return mfail(m, ADT_EDATA, a->line,
				     "leading dimension is %zu, expected 1 (one image: [H, W] or "
				     "[1, H, W])",
				     n);
		*a = e;
	}
	e = *a;
	adt_json_cur_step(&e);
	if (e.t[e.off] == ']')
		return mfail(m, ADT_EFORMAT, a->line, "empty matrix");
	*width = 0;
	do {
		row++;
		ch = e.t[e.off];
		if (ch != '[' && row == 1 && (adt_json_is_num_start(ch) || ch == 't' || ch == 'f'))
			return mfail(m, ADT_EDATA, a->line,
				     "expected a 2-D array of numbers, got a 1-D array");
		if (ch != '[')
			return mfail(m, ADT_EDATA, e.line,
				     "row %zu: expected an array of numbers, got %s", row,
				     adt_json_text_type(ch));
		r = e;
		adt_json_cur_step(&r);
		col = 0;
		if (r.t[r.off] != ']') {
			do {
				col++;
				ch = r.t[r.off];
				if (!adt_json_is_num_start(ch) &&
				    !(m->bools && (ch == 't' || ch == 'f')))
					return mfail(
					    m, ADT_EDATA, r.line,
					    "row %zu, column %zu: expected a number, got %s", row,
					    col, adt_json_text_type(ch));
				adt_json_cur_skip_scalar(&r);
			} while (adt_json_cur_next(&r));
		}
		if (row == 1)
			*width = col;
		else if (col != *width)
			return mfail(m, ADT_EFORMAT, e.line,
				     "row %zu has %zu value%s, row 1 has %zu", row, col,
				     col == 1 ? "" : "s", *width);
		e = r;
		adt_json_cur_step(&e);
	} while (adt_json_cur_next(&e));
	*height = row;
	if (*width == 0)
		return mfail(m, ADT_EFORMAT, a->line, "empty matrix");
	return 0;
}

/* Reads the matrix at `at` into out as F64 samples. */
static int read_matrix(const struct mspec *m, struct adt_json_cur at, struct adt_raster *out)
{
	size_t width = 0, height = 0, row = 0, col;
	struct adt_error tmp;
	struct adt_json_cur e, r;
	double *v;

	if (matrix_shape(m, &at, &width, &height))
		return -1;
	adt_error_init(&tmp);
	if (adt_raster_check_size(width, height, sizeof(double), m->o, &tmp) ||
	    adt_raster_reshape(out, width, height, ADT_SAMPLE_F64, &tmp))
		return mfail(m, tmp.code, at.line, "%s", tmp.msg);
	v = out->data;
	e = at;
	adt_json_cur_step(&e);
	do {
		row++;
		r = e;
		adt_json_cur_step(&r);
		col = 0;
		do {
			col++;
			if (r.t[r.off] == 't' || r.t[r.off] == 'f')
				*v = r.t[r.off] == 't';
			else if (adt_json_cur_double(&r, "value", v, &tmp))
				return mfail(m, tmp.code, r.line, "row %zu, column %zu: %s", row,
					     col, tmp.msg);
			v++;
			adt_json_cur_skip_scalar(&r);
		} while (adt_json_cur_next(&r));
		e = r;
		adt_json_cur_step(&e);
	} while (adt_json_cur_next(&e));
	return 0;
}

int adt_matrix_json_read_mem(const void *buf, size_t len, const char *name,
			     const struct adt_decode_opts *o, struct adt_raster *out,
			     struct adt_error *err)
{
	struct adt_json_scan s = {NULL, 0, 0, 1, 0, name, err};
	struct mspec m = {name, "", o && o->purpose == ADT_AS_MASK, o, err};
	const char *t = adt_json_skip_bom(buf, &len);
	size_t off = adt_json_skip_ws(t, 0, len), end, rest;
	struct adt_json_cur c = {t, off, len, 1 + adt_json_count_nl(t, 0, off)};

	if (off == len)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "empty matrix");
	s.t = t;
	s.end = len;
	if (adt_json_scan_value(&s, off, &end))
		return -1;
	rest = adt_json_skip_ws(t, end, len);
	if (rest < len)
		return adt_error_at(err, ADT_EFORMAT, name, 1 + adt_json_count_nl(t, 0, rest),
				    "trailing data after the JSON document");
	return read_matrix(&m, c, out);
}

/* Keys of a results document's objects. */
enum dkey { DK_NONE = 0, DK_ID, DK_SCORE, DK_LABEL, DK_MAP, DK_MASK, N_DKEYS };

static const char *const dkey_word[N_DKEYS] = {"", "id", "score", "label", "map", "mask"};

static enum dkey doc_key(const char *key)
{
	static const char *const maps[] = {"anomaly_map", "anomaly_maps", "map", "heatmap"};
	static const char *const masks[] = {"gt_mask", "gt_masks", "mask"};
	size_t i;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		if (adt_json_key_casecmp(key, maps[i]) == 0)
			return DK_MAP;
	}
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		if (adt_json_key_casecmp(key, masks[i]) == 0)
			return DK_MASK;
	}
	switch (adt_role_of(key, 0)) {
	case ADT_ROLE_ID:
		return DK_ID;
	case ADT_ROLE_SCORE:
		return DK_SCORE;
	case ADT_ROLE_LABEL:
		return DK_LABEL;
	default:
		return DK_NONE;
	}
}

/* One member of an object: its decoded key and where its value is. */
struct member {
	char *key;
	unsigned long line; /* of the key */
	struct adt_json_cur val;
};

struct dctx {
	const char *name;
	const struct adt_decode_opts *o;
	struct adt_error *err;
	struct adt_doc *doc;
	size_t cap; /* of doc->images */
	struct adt_labeler lb;
	/* The members of the object being read, kept for the next one. */
	struct member *m;
	struct adt_json_keyref *refs;
	size_t n_m, m_cap;
};

static int dnomem(const struct dctx *d)
{
	return adt_error_at(d->err, ADT_ENOMEM, d->name, 0, "out of memory");
}

/* Collects the members of the object at *c, leaving *c after it. */
static int doc_members(struct dctx *d, struct adt_json_cur *c)
{
	struct member *m;

	adt_json_cur_step(c);
	if (c->t[c->off] == '}') {
		adt_json_cur_step(c);
		return 0;
	}
	do {
		if (d->n_m == d->m_cap) {
			/* The members and their key references share a capacity:
			 * it moves once both have grown. */
			void *pm = d->m, *pr = d->refs;
			size_t cm = d->m_cap, cr = d->m_cap;

			if (adt_grow(&pm, &cm, d->n_m + 1, sizeof(*d->m)))
				return dnomem(d);
			d->m = pm;
			if (adt_grow(&pr, &cr, cm, sizeof(*d->refs)))
				return dnomem(d);
			d->refs = pr;
			d->m_cap = cm;
		}
		m = &d->m[d->n_m];
		m->line = c->line;
		m->key = adt_json_cur_string(c);
		if (!m->key)
			return dnomem(d);
		d->n_m++;
		adt_json_cur_skip(c);
		adt_json_cur_step(c); /* the ':' */
		m->val = *c;
		adt_json_cur_skip(c);
	} while (adt_json_cur_next(c));
	adt_json_cur_step(c);
	return 0;
}

static void doc_members_clear(struct dctx *d)
{
	for (size_t i = 0; i < d->n_m; i++)
		free(d->m[i].key);
	d->n_m = 0;
}

static struct adt_doc_image *doc_push(struct dctx *d, unsigned long line)
{
	struct adt_doc_image *img;
	void *grown = d->doc->images;

	if (adt_grow(&grown, &d->cap, d->doc->n + 1, sizeof(*img)))
		return NULL;
	d->doc->images = grown;
	img = &d->doc->images[d->doc->n++];
	memset(img, 0, sizeof(*img));
	adt_raster_init(&img->map);
	adt_raster_init(&img->mask);
	img->line = line;
	return img;
}

static int doc_label(struct dctx *d, const struct member *k, const char *loc, int *label)
{
	char num[ADT_JSON_NUMBER_MAX + 1], *s = NULL;
	const char *text;
	char ch = k->val.t[k->val.off];
	int ret;

	if (adt_json_is_num_start(ch)) {
		adt_json_cur_number(&k->val, num);
		text = num;
	} else if (ch == 't' || ch == 'f') {
		text = ch == 't' ? "true" : "false";
	} else if (ch == '"') {
		s = adt_json_cur_string(&k->val);
		if (!s)
			return dnomem(d);
		text = s;
	} else {
		return adt_error_at(d->err, ADT_EDATA, d->name, k->val.line,
				    "%s'%.*s' must be a number, a boolean or a string, got %s", loc,
				    ADT_JSON_SHOW, k->key, adt_json_text_type(ch));
	}
	ret = adt_labeler_parse(&d->lb, text, k->val.line, label, d->err) < 0 ? -1 : 0;
	free(s);
	return ret;
}

/* Reads the members of one object (starting at line `line`) into a new
 * image; loc starts messages ("element 2: "). */
static int doc_image(struct dctx *d, unsigned long line, const char *loc)
{
	const struct member *k[N_DKEYS] = {NULL};
	char prefix[ADT_JSON_SHOW + 64];
	struct adt_doc_image *img;
	struct adt_error tmp;
	struct mspec ms;
	size_t i, dup;
	enum dkey r;
	char ch;

	for (i = 0; i < d->n_m; i++) {
		d->refs[i].key = d->m[i].key;
		d->refs[i].index = i;
	}
	dup = d->n_m > 1 ? adt_json_first_duplicate(d->refs, d->n_m) : SIZE_MAX;
	if (dup != SIZE_MAX)
		return adt_error_at(d->err, ADT_EFORMAT, d->name, d->m[dup].line,
				    "%sduplicate key '%.*s'", loc, ADT_JSON_SHOW, d->m[dup].key);
	for (i = 0; i < d->n_m; i++) {
		r = doc_key(d->m[i].key);
		if (r == DK_NONE)
			continue;
		if (k[r])
			return adt_error_at(d->err, ADT_EDATA, d->name, d->m[i].line,
					    "%sambiguous %s keys '%.*s' and '%.*s'", loc,
					    dkey_word[r], ADT_JSON_SHOW, k[r]->key, ADT_JSON_SHOW,
					    d->m[i].key);
		k[r] = &d->m[i];
	}
	if (!k[DK_MAP])
		return adt_error_at(d->err, ADT_EDATA, d->name, line,
				    "%sno anomaly map (expected 'anomaly_map')", loc);
	img = doc_push(d, line);
	if (!img)
		return dnomem(d);
	if (k[DK_ID]) {
		ch = k[DK_ID]->val.t[k[DK_ID]->val.off];
		if (ch != '"')
			return adt_error_at(d->err, ADT_EDATA, d->name, k[DK_ID]->val.line,
					    "%s'%.*s' must be a string, got %s", loc, ADT_JSON_SHOW,
					    k[DK_ID]->key, adt_json_text_type(ch));
		img->id = adt_json_cur_string(&k[DK_ID]->val);
		if (!img->id)
			return dnomem(d);
	}
	if (k[DK_SCORE]) {
		ch = k[DK_SCORE]->val.t[k[DK_SCORE]->val.off];
		if (!adt_json_is_num_start(ch))
			return adt_error_at(d->err, ADT_EDATA, d->name, k[DK_SCORE]->val.line,
					    "%s'%.*s' must be a number, got %s", loc, ADT_JSON_SHOW,
					    k[DK_SCORE]->key, adt_json_text_type(ch));
		adt_error_init(&tmp);
		if (adt_json_cur_double(&k[DK_SCORE]->val, "score", &img->score, &tmp))
			return adt_error_at(d->err, tmp.code, d->name, k[DK_SCORE]->val.line,
					    "%s%s", loc, tmp.msg);
		img->has_score = 1;
	}
	if (k[DK_LABEL]) {
		if (doc_label(d, k[DK_LABEL], loc, &img->label))
			return -1;
		img->has_label = 1;
	}
	ms.name = d->name;
	ms.prefix = prefix;
	ms.o = d->o;
	ms.err = d->err;
	ms.bools = 0;
	snprintf(prefix, sizeof(prefix), "%s'%.*s': ", loc, ADT_JSON_SHOW, k[DK_MAP]->key);
	if (read_matrix(&ms, k[DK_MAP]->val, &img->map))
		return -1;
	/* A null mask is no mask, as for the normal images of MVTec AD. */
	if (k[DK_MASK] && k[DK_MASK]->val.t[k[DK_MASK]->val.off] != 'n') {
		ms.bools = 1;
		snprintf(prefix, sizeof(prefix), "%s'%.*s': ", loc, ADT_JSON_SHOW, k[DK_MASK]->key);
		if (read_matrix(&ms, k[DK_MASK]->val, &img->mask))
			return -1;
	}
	return 0;
}

/* Reads the object at *c (validated), leaving *c after it. */
static int doc_object(struct dctx *d, struct adt_json_cur *c, const char *loc)
{
	unsigned long line = c->line;
	int ret;

	ret = doc_members(d, c);
	if (ret == 0)
		ret = doc_image(d, line, loc);
	doc_members_clear(d);
	return ret;
}

/* A top-level array of objects at c (validated). */
static int doc_array(struct dctx *d, struct adt_json_cur c)
{
	char loc[48];
	size_t i = 0;

	adt_json_cur_step(&c);
	if (c.t[c.off] == ']')
		return 0;
	do {
		i++;
		if (c.t[c.off] != '{')
			return adt_error_at(d->err, ADT_EFORMAT, d->name, c.line,
					    "element %zu must be an object, got %s", i,
					    adt_json_text_type(c.t[c.off]));
		snprintf(loc, sizeof(loc), "element %zu: ", i);
		if (doc_object(d, &c, loc))
			return -1;
	} while (adt_json_cur_next(&c));
	return 0;
}

/* JSON Lines: one object per non-blank line. */
static int doc_lines(struct dctx *d, const char *t, size_t len)
{
	struct adt_json_lines l;
	struct adt_json_cur c;
	size_t start, end;
	int got;

	adt_json_lines_init(&l, t, len, d->name, d->err);
	while ((got = adt_json_lines_next(&l, &start, &end)) == 1) {
		if (t[start] != '{')
			return adt_error_at(d->err, ADT_EFORMAT, d->name, l.s.line,
					    "expected an object, got %s",
					    adt_json_text_type(t[start]));
		c.t = t;
		c.off = start;
		c.end = l.s.end;
		c.line = l.s.line;
		if (doc_object(d, &c, ""))
			return -1;
	}
	return got;
}

/* Whether the line holding off is one complete JSON value from off on. */
static int line_is_value(const char *t, size_t off, size_t len, const char *name)
{
	const char *nl = memchr(t + off, '\n', len - off);
	size_t eol = nl ? (size_t)(nl - t) : len, end;
	struct adt_error ignored;
	struct adt_json_scan s = {t, off, eol, 1, 1, name, &ignored};

	return adt_json_scan_value(&s, off, &end) == 0 && adt_json_skip_ws(t, end, eol) == eol;
}

int adt_doc_json_read_mem(const void *buf, size_t len, const char *name,
			  const struct adt_decode_opts *o, struct adt_doc *doc,
			  struct adt_error *err)
{
	struct adt_json_scan s = {NULL, 0, 0, 1, 0, name, err};
	struct dctx d = {name, o, err, doc, 0, {0}, NULL, NULL, 0, 0};
	const char *t = adt_json_skip_bom(buf, &len);
	size_t off = adt_json_skip_ws(t, 0, len), end, rest;
	struct adt_json_cur c = {t, off, len, 1 + adt_json_count_nl(t, 0, off)};
	int ret = -1;

	doc->images = NULL;
	doc->n = 0;
	adt_labeler_init(&d.lb, NULL);
	s.t = t;
	s.end = len;
	if (off < len && (t[off] == '[' || (t[off] == '{' && !line_is_value(t, off, len, name)))) {
		/* An array of objects, or one object over several lines. */
		if (adt_json_scan_value(&s, off, &end))
			goto out;
		rest = adt_json_skip_ws(t, end, len);
		if (rest < len) {
			adt_error_at(
			    err, ADT_EFORMAT, name, 1 + adt_json_count_nl(t, 0, rest),
			    "trailing data after the JSON document%s",
			    t[off] == '{' ? " (JSON Lines need one complete object per line)" : "");
			goto out;
		}
		if (t[off] == '[' ? doc_array(&d, c) : doc_object(&d, &c, ""))
			goto out;
	} else if (doc_lines(&d, t, len)) {
		goto out;
	}
	if (doc->n == 0) {
		adt_error_at(err, ADT_EDATA, name, 0, "no images in the document");
		goto out;
	}
	ret = adt_labeler_finish(&d.lb, err);
out:
	if (ret) {
		adt_error_set_file(err, name);
		adt_doc_release(doc);
	}
	doc_members_clear(&d);
	free(d.m);
	free(d.refs);
	adt_labeler_release(&d.lb);
	return ret;
}

int adt_doc_check_masks(const struct adt_doc *doc, const char *name, struct adt_error *err)
{
	for (size_t i = 0; i < doc->n; i++) {
		const struct adt_doc_image *im = &doc->images[i];
		char what[ADT_JSON_SHOW + 48];
		int label = 1, in_folder;

		if (im->mask.width)
			continue;
		in_folder = im->id && adt_label_from_path(im->id, &label) == 0;
		if (im->has_label ? im->label == 0 : in_folder && label == 0)
			continue;
		if (im->id)
			snprintf(what, sizeof(what), "element %zu ('%.*s')", i + 1, ADT_JSON_SHOW,
				 im->id);
		else
			snprintf(what, sizeof(what), "element %zu", i + 1);
		if (im->has_label)
			return adt_error_at(
			    err, ADT_EDATA, name, im->line,
			    "%s: no gt_mask for an image labelled anomalous (a missing "
			    "or null mask would count every pixel normal)",
			    what);
		if (in_folder)
			return adt_error_at(
			    err, ADT_EDATA, name, im->line,
			    "%s: no gt_mask for an image without a gt_label outside a "
			    "folder named good, ok or normal (give its mask, or "
			    "gt_label 0 if it is normal)",
			    what);
		return adt_error_at(
		    err, ADT_EDATA, name, im->line,
		    "%s: no gt_mask, and neither a gt_label nor a folder in "
		    "image_path says the image is normal (give its mask, or gt_label "
		    "0 if it is normal)",
		    what);
	}
	return 0;
}

void adt_doc_release(struct adt_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n; i++) {
		free(doc->images[i].id);
		adt_raster_release(&doc->images[i].map);
		adt_raster_release(&doc->images[i].mask);
	}
	free(doc->images);
	doc->images = NULL;
	doc->n = 0;
}
