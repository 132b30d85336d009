/* The per-image list (see perimage.h). */
#include "adthresh/perimage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/defects.h"
#include "adthresh/format.h"
#include "adthresh/grow.h"
#include "adthresh/run.h"

int adt_perimage_add(struct adt_perimage *l, const char *id, const struct adt_perimage_row *row,
		     struct adt_error *err)
{
	size_t len = strlen(id) + 1;
	void *v = l->v, *names = l->names;

	if (adt_grow(&v, &l->cap, l->n + 1, sizeof(*l->v)))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	l->v = v;
	if (len > SIZE_MAX - l->names_len || adt_grow(&names, &l->names_cap, l->names_len + len, 1))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	l->names = names;
	memcpy(l->names + l->names_len, id, len);
	l->v[l->n] = *row;
	l->v[l->n++].name = l->names_len;
	l->names_len += len;
	return 0;
}

const char *adt_perimage_id(const struct adt_perimage *l, size_t i)
{
	return l->names + l->v[i].name;
}

void adt_perimage_release(struct adt_perimage *l)
{
	free(l->v);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

/* How the columns after image and folder write a row's value: at is the
 * offset of the field read by the generic ones. */
static void put_count(FILE *f, const struct adt_perimage_row *row, size_t at)
{
	uint64_t v;

	memcpy(&v, (const char *)row + at, sizeof(v));
	fprintf(f, "%llu", (unsigned long long)v);
}

/* A real number read back as the same double; empty when undefined. */
static void put_real(FILE *f, const struct adt_perimage_row *row, size_t at)
{
	char buf[ADT_NUMBER_SIZE];
	double v;

	memcpy(&v, (const char *)row + at, sizeof(v));
	if (isnan(v))
		return;
	adt_format_shortest(buf, sizeof(buf), v);
	fputs(buf, f);
}

static void put_flag(FILE *f, const struct adt_perimage_row *row, size_t at)
{
	fputc(((const unsigned char *)row)[at] ? '1' : '0', f);
}

static void put_outcome(FILE *f, const struct adt_perimage_row *row, size_t at)
{
	(void)at;
	fputc(row->flagged == row->label ? 'T' : 'F', f);
	fputc(row->flagged ? 'P' : 'N', f);
}

static void put_pixel_fn(FILE *f, const struct adt_perimage_row *row, size_t at)
{
	(void)at;
	fprintf(f, "%llu", (unsigned long long)(row->positives - row->tp));
}

static void put_pixel_tn(FILE *f, const struct adt_perimage_row *row, size_t at)
{
	(void)at;
	fprintf(f, "%llu", (unsigned long long)(row->pixels - row->positives - row->fp));
}

static int with_aupimo(const struct adt_level_result *r)
{
	return r->aupimo_upper > 0;
}

/* The columns after image and folder, in order: each belongs to a level
 * and is there when some entry has that level, and, when `shown` is not
 * NULL, shown says so for that level's result (a metric computed on
 * request).  A metric kept per row is one more line here. */
static const struct column {
	const char *name;
	int level; /* 0 image, 1 pixel */
	void (*put)(FILE *f, const struct adt_perimage_row *row, size_t at);
	size_t at;
	int (*shown)(const struct adt_level_result *r);
} columns[] = {
    {"label", 0, put_flag, offsetof(struct adt_perimage_row, label), NULL},
    {"score", 0, put_real, offsetof(struct adt_perimage_row, score), NULL},
    {"predicted", 0, put_flag, offsetof(struct adt_perimage_row, flagged), NULL},
    {"outcome", 0, put_outcome, 0, NULL},
    {"pixels", 1, put_count, offsetof(struct adt_perimage_row, pixels), NULL},
    {"anomalous_pixels", 1, put_count, offsetof(struct adt_perimage_row, positives), NULL},
    {"pixel_tp", 1, put_count, offsetof(struct adt_perimage_row, tp), NULL},
    {"pixel_fp", 1, put_count, offsetof(struct adt_perimage_row, fp), NULL},
    {"pixel_fn", 1, put_pixel_fn, 0, NULL},
    {"pixel_tn", 1, put_pixel_tn, 0, NULL},
    {"aupimo", 1, put_real, offsetof(struct adt_perimage_row, aupimo), with_aupimo},
};

enum { NCOLUMNS = sizeof(columns) / sizeof(columns[0]) };

/* Whether entry e has column c. */
static int has_column(const struct adt_entry *e, const struct column *c)
{
	const struct adt_level_result *r = e->error ? NULL : e->level[c->level];

	return r && (!c->shown || c->shown(r));
}

/* Every level of every entry that is written must have a threshold: what
 * a row says it flags would be made up otherwise. */
static int check_thresholds(const struct adt_result *res, struct adt_error *err)
{
	static const char *const level[2] = {"image", "pixel"};

	for (size_t i = 0; i < res->n; i++) {
		const struct adt_entry *e = &res->v[i];

		for (int l = 0; l < 2; l++) {
			if (e->error || !e->level[l] || !isnan(e->level[l]->threshold))
				continue;
			return adt_error_set(err, ADT_EDATA,
					     "%s%s%sthe %s level has no threshold; the per-image "
					     "list needs one",
					     res->batch ? "category " : "",
					     res->batch ? e->name : "", res->batch ? ": " : "",
					     level[l]);
		}
	}
	return 0;
}

int adt_perimage_write(FILE *f, const struct adt_result *res, struct adt_error *err)
{
	int shown[NCOLUMNS] = {0};

	if (check_thresholds(res, err))
		return -1;
	for (size_t i = 0; i < res->n; i++) {
		for (size_t c = 0; c < NCOLUMNS; c++)
			shown[c] |= has_column(&res->v[i], &columns[c]);
	}
	fputs(res->batch ? "category,image,folder" : "image,folder", f);
	for (size_t c = 0; c < NCOLUMNS; c++) {
		if (shown[c])
			fprintf(f, ",%s", columns[c].name);
	}
	fputc('\n', f);
	for (size_t i = 0; i < res->n; i++) {
		const struct adt_entry *e = &res->v[i];
		const struct adt_perimage *l = &e->out.images;

		for (size_t k = 0; !e->error && k < l->n; k++) {
			const char *id = adt_perimage_id(l, k), *folder = "";
			size_t len = 0;

			if (res->batch) {
				adt_format_csv_field(f, e->name);
				fputc(',', f);
			}
			adt_format_csv_field(f, id);
			fputc(',', f);
			if (adt_defect_of(id, &folder, &len) == 0)
				adt_format_csv_field_n(f, folder, len);
			for (size_t c = 0; c < NCOLUMNS; c++) {
				if (!shown[c])
					continue;
				fputc(',', f);
				if (has_column(e, &columns[c]))
					columns[c].put(f, &l->v[k], columns[c].at);
			}
			fputc('\n', f);
		}
	}
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}
