/* Writing a run's result in text, JSON, CSV or Markdown (see report.h). */
#include "adthresh/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/fields.h"
#include "adthresh/gate.h"
#include "adthresh/version.h"

int adt_out_format_parse(const char *name, enum adt_out_format *out)
{
	static const struct {
		const char *name;
		enum adt_out_format fmt;
	} names[] = {{"text", ADT_OUT_TEXT},
		     {"json", ADT_OUT_JSON},
		     {"csv", ADT_OUT_CSV},
		     {"markdown", ADT_OUT_MARKDOWN},
		     {"md", ADT_OUT_MARKDOWN}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].fmt;
			return 0;
		}
	}
	return -1;
}

static const char *const level_name[2] = {"image", "pixel"};

/* The level of an entry that the writers show: NULL when absent or when
 * the category failed. */
static const struct adt_level_result *level_of(const struct adt_entry *e, int l)
{
	return e->error ? NULL : e->level[l];
}

/* The means of both levels over the entries of a batch. */
static void means_of(const struct adt_result *res, struct adt_level_mean mean[2])
{
	for (int l = 0; l < 2; l++)
		adt_entries_mean(res->v, res->n, l, &mean[l]);
}

/* The counts of a level within one defect folder as a level result at
 * the level's threshold (the metrics of the whole curve left undefined). */
static void defect_result(const struct adt_defect_counts *c, const struct adt_level_result *lv,
			  struct adt_level_result *r)
{
	memset(r, 0, sizeof(*r));
	r->n = c->n;
	r->positives = c->positives;
	r->negatives = c->n - c->positives;
	r->threshold = lv->threshold;
	r->rule = lv->rule;
	snprintf(r->policy, sizeof(r->policy), "%s", lv->policy);
	r->tp = c->tp;
	r->fp = c->fp;
	r->fn = c->positives - c->tp;
	r->tn = r->negatives - c->fp;
	r->f1 = adt_f1(r->tp, r->fp, r->fn);
	r->precision = adt_precision(r->tp, r->fp);
	r->recall = adt_recall(r->tp, r->fn);
	r->auroc = r->ap = r->min = r->max = NAN;
	r->source = lv->source;
}

static double fpr_of(const struct adt_level_result *r)
{
	return r->negatives ? (double)r->fp / (double)r->negatives : NAN;
}

/* ---- JSON ---- */

/* One field's value as JSON. */
static void json_value(FILE *f, const struct adt_field *fd, const struct adt_level_result *r)
{
	char v[ADT_NUMBER_SIZE];

	switch (fd->type) {
	case ADT_FIELD_COUNT:
		fprintf(f, "%llu", (unsigned long long)adt_field_uint(fd, r));
		break;
	case ADT_FIELD_REAL:
		adt_format_exact(v, sizeof(v), adt_field_number(fd, r), "null");
		fputs(v, f);
		break;
	case ADT_FIELD_RULE:
	case ADT_FIELD_TEXT:
	case ADT_FIELD_STRING:
		adt_format_json_string(f, adt_field_text(fd, r));
		break;
	case ADT_FIELD_NORMALIZED: {
		char t[ADT_NUMBER_SIZE], mn[ADT_NUMBER_SIZE], mx[ADT_NUMBER_SIZE];

		adt_format_exact(t, sizeof(t),
				 adt_normalize_minmax(r->threshold, r->threshold, r->min, r->max),
				 "null");
		adt_format_exact(mn, sizeof(mn),
				 adt_normalize_minmax(r->min, r->threshold, r->min, r->max),
				 "null");
		adt_format_exact(mx, sizeof(mx),
				 adt_normalize_minmax(r->max, r->threshold, r->min, r->max),
				 "null");
		fprintf(f, "{\"method\": \"minmax\", \"threshold\": %s, \"min\": %s, \"max\": %s}",
			t, mn, mx);
		break;
	}
	case ADT_FIELD_AUPIMO: {
		char lo[ADT_NUMBER_SIZE], hi[ADT_NUMBER_SIZE], m[ADT_NUMBER_SIZE],
		    sd[ADT_NUMBER_SIZE];

		adt_format_exact(lo, sizeof(lo), r->aupimo_lower, "null");
		adt_format_exact(hi, sizeof(hi), r->aupimo_upper, "null");
		adt_format_exact(m, sizeof(m), r->aupimo, "null");
		adt_format_exact(sd, sizeof(sd), r->aupimo_std, "null");
		fprintf(f,
			"{\"fpr_lower\": %s, \"fpr_upper\": %s, \"images\": %llu, \"mean\": %s, "
			"\"std\": %s}",
			lo, hi, (unsigned long long)r->aupimo_images, m, sd);
		break;
	}
	}
}

/* A compared policy's count: null where the policy does not apply. */
static void json_count(FILE *f, const char *name, int defined, uint64_t v)
{
	if (defined)
		fprintf(f, ", \"%s\": %llu", name, (unsigned long long)v);
	else
		fprintf(f, ", \"%s\": null", name);
}

/* ,"policies": {NAME: {"threshold", "precision", "recall", "f1", "fpr",
 * "tp", "fp", "fn", "tn"}, ...}: a line each (--compare-policies). */
static void json_policies(FILE *f, const struct adt_level_result *r, const char *indent)
{
	if (r->npolicies == 0)
		return;
	fprintf(f, ",\n%s  \"policies\": {", indent);
	for (size_t i = 0; i < r->npolicies; i++) {
		const struct adt_policy_result *p = &r->policies[i];
		const double v[5] = {p->threshold, p->precision, p->recall, p->f1, p->fpr};
		static const char *const names[5] = {"threshold", "precision", "recall", "f1",
						     "fpr"};

		fprintf(f, "%s\n%s   ", i ? "," : "", indent);
		adt_format_json_string(f, p->name);
		fputs(": {", f);
		for (int k = 0; k < 5; k++) {
			char x[ADT_NUMBER_SIZE];

			adt_format_exact(x, sizeof(x), v[k], "null");
			fprintf(f, "%s\"%s\": %s", k ? ", " : "", names[k], x);
		}
		json_count(f, "tp", p->defined, p->tp);
		json_count(f, "fp", p->defined, p->fp);
		json_count(f, "fn", p->defined, p->fn);
		json_count(f, "tn", p->defined, p->tn);
		fputc('}', f);
	}
	fputc('}', f);
}

/* One level as a JSON object: the fields of adt_fields it has, a new line
 * (indented) before those that start one. */
static void json_level(FILE *f, int l, const struct adt_level_result *r, const char *indent)
{
	int first = 1;

	fprintf(f, "%s\"%s\": {", indent, level_name[l]);
	for (size_t i = 0; i < adt_field_count; i++) {
		const struct adt_field *fd = &adt_fields[i];

		if (!adt_field_present(fd, r, l) || (fd->flags & ADT_FIELD_NOJSON))
			continue;
		if (!first)
			fprintf(f, (fd->flags & ADT_FIELD_BREAK) ? ",\n%s  " : ", ", indent);
		fprintf(f, "\"%s\": ", fd->name);
		json_value(f, fd, r);
		first = 0;
	}
	json_policies(f, r, indent);
	fputc('}', f);
}

/* ,"defects": {NAME: {"image": {...}, "pixel": {...}}, ...} */
static void json_defects(FILE *f, const struct adt_entry *e, const char *indent)
{
	const struct adt_defects *d = &e->out.defects;

	fprintf(f, ",\n%s\"defects\": {", indent);
	for (size_t i = 0; i < d->n; i++) {
		int first = 1;

		fprintf(f, "%s\n%s ", i ? "," : "", indent);
		adt_format_json_string(f, d->v[i].name);
		fputs(": {", f);
		for (int l = 0; l < 2; l++) {
			struct adt_level_result r;
			char rc[ADT_NUMBER_SIZE], fpr[ADT_NUMBER_SIZE], p[ADT_NUMBER_SIZE];

			if (!d->v[i].has[l] || !level_of(e, l))
				continue;
			defect_result(&d->v[i].lv[l], level_of(e, l), &r);
			adt_format_exact(rc, sizeof(rc), r.recall, "null");
			adt_format_exact(p, sizeof(p), r.precision, "null");
			adt_format_exact(fpr, sizeof(fpr), fpr_of(&r), "null");
			fprintf(f,
				"%s\"%s\": {\"n\": %llu, \"positives\": %llu, \"negatives\": %llu, "
				"\"tp\": %llu, \"fp\": %llu, \"fn\": %llu, \"tn\": %llu, "
				"\"recall\": %s, \"fpr\": %s, \"precision\": %s}",
				first ? "" : ", ", level_name[l], (unsigned long long)r.n,
				(unsigned long long)r.positives, (unsigned long long)r.negatives,
				(unsigned long long)r.tp, (unsigned long long)r.fp,
				(unsigned long long)r.fn, (unsigned long long)r.tn, rc, fpr, p);
			first = 0;
		}
		fputc('}', f);
	}
	fputc('}', f);
}

/* The members of one entry: its levels and per-defect table, each after
 * `lead` (the first) or ",\n"; or its error. */
static void json_entry(FILE *f, const struct adt_result *res, const struct adt_entry *e,
		       const char *lead, const char *indent)
{
	if (e->error) {
		fputs("\"error\": ", f);
		adt_format_json_string(f, e->error);
		return;
	}
	for (int l = 0; l < 2; l++) {
		if (!level_of(e, l))
			continue;
		fputs(lead, f);
		json_level(f, l, level_of(e, l), indent);
		lead = ",\n";
	}
	if (res->per_defect)
		json_defects(f, e, indent);
}

/* A batch's mean of one level. */
static void json_mean(FILE *f, int l, const struct adt_level_mean *m)
{
	fprintf(f, "  \"%s\": {\"categories\": %zu", level_name[l], m->categories);
	for (size_t i = 0; i < adt_field_count; i++) {
		const struct adt_field *fd = &adt_fields[i];
		char v[ADT_NUMBER_SIZE];

		if (!(fd->flags & (ADT_FIELD_MEAN | ADT_FIELD_PARAM)) || !m->has[i])
			continue;
		adt_format_exact(v, sizeof(v), m->v[i], "null");
		fprintf(f,
			(fd->flags & ADT_FIELD_MEAN_BREAK) ? ",\n    \"%s\": %s" : ", \"%s\": %s",
			fd->name, v);
	}
	fputc('}', f);
}

static void write_json(FILE *f, const struct adt_result *res)
{
	struct adt_level_mean mean[2];
	const char *lead = "\n";

	fprintf(f, "{\"adthresh\": \"%s\"", ADTHRESH_VERSION);
	if (!res->batch) {
		for (size_t i = 0; i < res->n; i++)
			json_entry(f, res, &res->v[i], ",\n", " ");
		fputs("}\n", f);
		return;
	}
	fputs(",\n \"categories\": {", f);
	for (size_t i = 0; i < res->n; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		adt_format_json_string(f, res->v[i].name);
		fputs(": {", f);
		json_entry(f, res, &res->v[i], "\n", "   ");
		fputs("}", f);
	}
	fputs("},\n \"mean\": {", f);
	means_of(res, mean);
	for (int l = 0; l < 2; l++) {
		if (mean[l].categories == 0)
			continue;
		fputs(lead, f);
		json_mean(f, l, &mean[l]);
		lead = ",\n";
	}
	fputs("}}\n", f);
}

/* ---- CSV ---- */

/* Which columns a CSV carries: the chosen ones, or by default the
 * category in a batch, the level, and the CSV fields that any row has
 * (the optional ones only when asked for); then defect and fpr with a
 * per-defect table, error in a batch, and by default source when a level
 * names one. */
struct csv_cols {
	struct adt_columns c;
	int defects, error, source;
};

static void csv_cols_of(const struct adt_result *res, const struct adt_columns *chosen,
			struct csv_cols *c)
{
	const struct adt_field *source = adt_field_find("source");
	int has[ADT_FIELDS_MAX];

	memset(c, 0, sizeof(*c));
	c->defects = res->per_defect;
	c->error = res->batch;
	if (chosen) {
		c->c = *chosen;
		return;
	}
	for (size_t i = 0; i < adt_field_count; i++)
		has[i] =
		    (adt_fields[i].flags & ADT_FIELD_CSV) && adt_fields[i].when == ADT_WHEN_ALWAYS;
	for (size_t k = 0; k < res->n; k++) {
		for (int l = 0; l < 2; l++) {
			const struct adt_level_result *r = level_of(&res->v[k], l);

			for (size_t i = 0; r && i < adt_field_count; i++)
				has[i] |= (adt_fields[i].flags & ADT_FIELD_CSV) &&
					  adt_field_present(&adt_fields[i], r, l);
			c->source |= r && adt_field_present(source, r, l);
		}
	}
	if (res->batch)
		c->c.v[c->c.n++] = ADT_COLUMN_CATEGORY;
	c->c.v[c->c.n++] = ADT_COLUMN_LEVEL;
	for (size_t i = 0; i < adt_field_count; i++) {
		if (has[i])
			c->c.v[c->c.n++] = (int)i;
	}
}

static void csv_head(FILE *f, const struct csv_cols *c)
{
	for (size_t i = 0; i < c->c.n; i++)
		fprintf(f, "%s%s", i ? "," : "", adt_column_name(c->c.v[i]));
	fprintf(f, "%s%s%s\n", c->defects ? ",defect,fpr" : "", c->error ? ",error" : "",
		c->source ? ",source" : "");
}

/* One field of a level row (empty where the level lacks it). */
static void csv_value(FILE *f, const struct adt_field *fd, const struct adt_level_result *r, int l)
{
	char v[ADT_NUMBER_SIZE];

	if (!adt_field_present(fd, r, l))
		return;
	switch (fd->type) {
	case ADT_FIELD_COUNT:
		fprintf(f, "%llu", (unsigned long long)adt_field_uint(fd, r));
		break;
	case ADT_FIELD_REAL:
	case ADT_FIELD_AUPIMO:
		adt_format_exact(v, sizeof(v), adt_field_number(fd, r), "");
		fputs(v, f);
		break;
	case ADT_FIELD_RULE:
	case ADT_FIELD_TEXT:
	case ADT_FIELD_STRING:
		adt_format_csv_field(f, adt_field_text(fd, r));
		break;
	case ADT_FIELD_NORMALIZED:
		break;
	}
}

/* A level row: the whole level (defect NULL) or its counts in one defect
 * folder. */
static void csv_row(FILE *f, const struct csv_cols *c, const char *category, int l,
		    const struct adt_level_result *r, const char *defect)
{
	char v[ADT_NUMBER_SIZE];

	for (size_t i = 0; i < c->c.n; i++) {
		if (i)
			fputc(',', f);
		if (c->c.v[i] == ADT_COLUMN_CATEGORY)
			adt_format_csv_field(f, category ? category : "");
		else if (c->c.v[i] == ADT_COLUMN_LEVEL)
			fputs(level_name[l], f);
		else
			csv_value(f, &adt_fields[c->c.v[i]], r, l);
	}
	if (c->defects) {
		adt_format_exact(v, sizeof(v), fpr_of(r), "");
		fputc(',', f);
		if (defect)
			adt_format_csv_field(f, defect);
		fprintf(f, ",%s", v);
	}
	if (c->error)
		fputc(',', f);
	if (c->source) {
		fputc(',', f);
		if (r->source)
			adt_format_csv_field(f, r->source);
	}
	fputc('\n', f);
}

/* The row of a failed category: its name, empty fields, the error. */
static void csv_error_row(FILE *f, const struct csv_cols *c, const struct adt_entry *e)
{
	for (size_t i = 0; i < c->c.n; i++) {
		if (i)
			fputc(',', f);
		if (c->c.v[i] == ADT_COLUMN_CATEGORY)
			adt_format_csv_field(f, e->name);
	}
	fputs(c->defects ? ",,," : ",", f);
	adt_format_csv_field(f, e->error);
	fputs(c->source ? ",\n" : "\n", f);
}

/* The mean row of a level: category "mean", n empty (a mean row counts
 * no samples), policy "mean", the means and the parameters. */
static void csv_mean_row(FILE *f, const struct csv_cols *c, int l, const struct adt_level_mean *m)
{
	for (size_t k = 0; k < c->c.n; k++) {
		int i = c->c.v[k];
		char v[ADT_NUMBER_SIZE] = "";

		if (i == ADT_COLUMN_CATEGORY)
			snprintf(v, sizeof(v), "mean");
		else if (i == ADT_COLUMN_LEVEL)
			snprintf(v, sizeof(v), "%s", level_name[l]);
		else if (strcmp(adt_fields[i].name, "policy") == 0)
			snprintf(v, sizeof(v), "mean");
		else if ((adt_fields[i].flags & (ADT_FIELD_MEAN | ADT_FIELD_PARAM)) && m->has[i])
			adt_format_exact(v, sizeof(v), m->v[i], "");
		fprintf(f, "%s%s", k ? "," : "", v);
	}
	fprintf(f, "%s%s%s\n", c->defects ? ",," : "", c->error ? "," : "", c->source ? "," : "");
}

static void write_csv(FILE *f, const struct adt_result *res, const struct adt_columns *chosen)
{
	struct csv_cols c;

	csv_cols_of(res, chosen, &c);
	csv_head(f, &c);
	for (size_t k = 0; k < res->n; k++) {
		const struct adt_entry *e = &res->v[k];
		const char *category = res->batch ? e->name : NULL;
		const struct adt_defects *d = &e->out.defects;

		if (e->error) {
			csv_error_row(f, &c, e);
			continue;
		}
		for (int l = 0; l < 2; l++) {
			if (level_of(e, l))
				csv_row(f, &c, category, l, level_of(e, l), NULL);
		}
		for (size_t i = 0; res->per_defect && i < d->n; i++) {
			for (int l = 0; l < 2; l++) {
				struct adt_level_result r;

				if (!d->v[i].has[l] || !level_of(e, l))
					continue;
				defect_result(&d->v[i].lv[l], level_of(e, l), &r);
				csv_row(f, &c, category, l, &r, d->v[i].name);
			}
		}
	}
	if (res->batch) {
		struct adt_level_mean mean[2];

		means_of(res, mean);
		for (int l = 0; l < 2; l++) {
			if (mean[l].categories)
				csv_mean_row(f, &c, l, &mean[l]);
		}
	}
}

/* ---- Text and Markdown tables ---- */

/* The table's cells: CELL bytes each, MAXCOLS to a row. */
enum { MAXCOLS = ADT_COLUMNS_MAX, CELL = 40 };

/* The level columns of the tables by default, by field name; the last
 * ones only when a level has them. */
static const char *const table_fields[] = {
    "n",  "positives", "threshold", "rule", "f1",     "precision", "recall", "auroc",	  "ap",
    "tp", "fp",	       "fn",	    "tn",   "pauroc", "aupro",	   "aupimo", "aupimo_std"};
enum { TABLE_FIELDS = sizeof(table_fields) / sizeof(table_fields[0]), TABLE_ALWAYS = 13 };

/* One field of a level as a table cell. */
static void table_cell(char *cell, const struct adt_field *fd, const struct adt_level_result *r)
{
	double x = adt_field_number(fd, r);

	if (fd->type == ADT_FIELD_COUNT)
		snprintf(cell, CELL, "%llu", (unsigned long long)adt_field_uint(fd, r));
	else if (fd->type != ADT_FIELD_REAL && fd->type != ADT_FIELD_AUPIMO)
		snprintf(cell, CELL, "%s", adt_field_text(fd, r));
	else if (fd->flags & ADT_FIELD_SHORTEST)
		adt_format_shortest(cell, CELL, x);
	else
		adt_format_rounded(cell, CELL, x);
}

/* Prints rows of ncols cells (row 0 the heading): aligned columns for
 * text, numbers right-aligned; a pipe table for Markdown.  left[c] marks
 * the columns of words. */
static void print_table(FILE *f, char (*cell)[MAXCOLS][CELL], size_t rows, size_t ncols,
			const int *left, int markdown)
{
	int width[MAXCOLS] = {0};

	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			int w = (int)strlen(cell[r][c]);

			width[c] = w > width[c] ? w : width[c];
		}
	}
	for (size_t r = 0; r < rows; r++) {
		size_t last = ncols;

		/* Text rows end at their last cell with something in it. */
		while (!markdown && last > 1 && !cell[r][last - 1][0])
			last--;
		for (size_t c = 0; c < last; c++) {
			const char *s = cell[r][c];

			if (markdown)
				fprintf(f, "| %s ", s);
			else if (left[c])
				fprintf(f, "%s%-*s", c ? "  " : "", c + 1 == last ? 0 : width[c],
					s);
			else
				fprintf(f, "  %*s", width[c], s);
		}
		fputs(markdown ? "|\n" : "\n", f);
		if (markdown && r == 0) {
			for (size_t c = 0; c < ncols; c++)
				fputs(left[c] ? "|---" : "|--:", f);
			fputs("|\n", f);
		}
	}
	if (markdown)
		fputs("\n", f);
}

/* A category name for a table cell: pipes escaped for Markdown, cut with
 * "..." when it does not fit (the JSON and CSV outputs keep it whole). */
static void table_name(char *cell, const char *name, int markdown)
{
	const char *p = name;
	size_t k = 0;

	for (; *p && k + 5 < CELL; p++) {
		if (markdown && *p == '|')
			cell[k++] = '\\';
		cell[k++] = (*p == '\n' || *p == '\r') ? ' ' : *p;
	}
	if (*p) {
		memcpy(cell + k, "...", 3);
		k += 3;
	}
	cell[k] = '\0';
}

/* The per-defect table: a row per defect folder and level, after a
 * category column in a batch. */
static const char *const defect_head[11] = {
    "category", "defect", "level", "n", "anomalous", "TP", "FP", "FN", "TN", "recall", "FPR"};

static void defect_rows(const struct adt_entry *e, const char *category, int markdown,
			char (*cell)[MAXCOLS][CELL], size_t *rows)
{
	const struct adt_defects *d = &e->out.defects;

	for (size_t i = 0; i < d->n; i++) {
		for (int l = 0; l < 2; l++) {
			struct adt_level_result r;
			char(*c)[CELL] = cell[*rows];
			int k = 0;

			if (!d->v[i].has[l] || !level_of(e, l))
				continue;
			defect_result(&d->v[i].lv[l], level_of(e, l), &r);
			if (category)
				table_name(c[k++], category, markdown);
			table_name(c[k++], d->v[i].name, markdown);
			snprintf(c[k++], CELL, "%s", level_name[l]);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.n);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.positives);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.tp);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.fp);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.fn);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.tn);
			adt_format_rounded(c[k++], CELL, r.recall);
			adt_format_rounded(c[k], CELL, fpr_of(&r));
			++*rows;
		}
	}
}

/* The rows the per-defect table needs, its heading included; 1: none. */
static size_t defect_rows_needed(const struct adt_result *res)
{
	size_t need = 1;

	for (size_t i = 0; res->per_defect && i < res->n; i++)
		need += res->v[i].error ? 0 : 2 * res->v[i].out.defects.n;
	return need;
}

/* Prints the per-defect table into cells allocated for it (NULL: there
 * is none) and frees them. */
static void defect_table(FILE *f, const struct adt_result *res, int markdown,
			 char (*cell)[MAXCOLS][CELL])
{
	static const int left[11] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
	size_t rows = 1, cols = res->batch ? 11 : 10;

	if (!cell)
		return;
	for (size_t c = 0; c < cols; c++)
		snprintf(cell[0][c], CELL, "%s", defect_head[c + !res->batch]);
	for (size_t i = 0; i < res->n; i++) {
		if (!res->v[i].error)
			defect_rows(&res->v[i], res->batch ? res->v[i].name : NULL, markdown, cell,
				    &rows);
	}
	fputs(markdown ? "\nPer defect folder, at the thresholds above:\n\n"
		       : "\nPer defect folder, at the thresholds above:\n",
	      f);
	print_table(f, cell, rows, cols, left + !res->batch, markdown);
	fputs("recall = TP / anomalous; FPR = FP / (n - anomalous); n/a where there are none.\n",
	      f);
	free(cell);
}

/* How a policy chose its threshold, in words. */
static void policy_words(char *buf, size_t size, const char *policy)
{
	const char *target = strchr(policy, ':');

	if (strncmp(policy, "recall:", 7) == 0)
		snprintf(buf, size, "the highest score whose recall is at least %s", target + 1);
	else if (strncmp(policy, "fpr:", 4) == 0)
		snprintf(buf, size, "the lowest score whose false-positive rate is at most %s",
			 target + 1);
	else if (strncmp(policy, "precision:", 10) == 0)
		snprintf(buf, size, "the lowest score whose precision is at least %s", target + 1);
	else if (strcmp(policy, "youden") == 0)
		snprintf(buf, size, "the score that maximises TPR - FPR (the lowest on ties)");
	else if (strncmp(policy, "sigma:", 6) == 0)
		snprintf(buf, size, "the mean + %s x the standard deviation of the normal scores",
			 target + 1);
	else if (strcmp(policy, "corner") == 0)
		snprintf(buf, size,
			 "the score whose ROC point is closest to the top-left corner, the lowest "
			 "FPR^2 + (1 - TPR)^2 (the lowest on ties)");
	else if (strcmp(policy, "given") == 0)
		snprintf(buf, size, "given, not chosen on this data");
	else
		snprintf(buf, size, "the score that maximises F1 (the lowest on ties)");
}

/* The line under a table that says how its thresholds were set. */
static void table_footer(FILE *f, const struct adt_result *res)
{
	char policy[2][40] = {"", ""}, words[2][160];
	enum adt_rule rule = ADT_RULE_GE;
	int given = 0, levels = 0, all_given;
	const char *how;

	for (size_t i = 0; i < res->n; i++) {
		for (int l = 0; l < 2; l++) {
			const struct adt_level_result *r = level_of(&res->v[i], l);

			if (!r)
				continue;
			snprintf(policy[l], sizeof(policy[l]), "%s", r->policy);
			rule = r->rule;
			given += r->given;
			levels++;
		}
	}
	all_given = levels > 0 && given == levels;
	how = rule == ADT_RULE_GT ? ", chosen with score >= threshold" : "";
	for (int l = 0; l < 2; l++)
		policy_words(words[l], sizeof(words[l]), policy[l]);
	if (all_given)
		fprintf(f, "Threshold: given, not chosen on this data");
	else if (policy[0][0] && policy[1][0] && strcmp(policy[0], policy[1]) != 0)
		fprintf(f, "Thresholds: image level %s%s; pixel level %s%s", words[0], how,
			words[1], how);
	else
		fprintf(f, "Threshold: %s%s", policy[0][0] ? words[0] : words[1], how);
	if (rule == ADT_RULE_GT && !all_given)
		fputs("; the counts and metrics are those of score > threshold.\n", f);
	else
		fprintf(f, "; anomalous when score %s threshold.\n",
			rule == ADT_RULE_GT ? ">" : ">=");
}

/* Where the image scores came from: one line, naming the categories of a
 * batch when they differ. */
static void source_line(FILE *f, const struct adt_result *res)
{
	const char *first = NULL;
	int same = 1;

	for (size_t i = 0; i < res->n; i++) {
		const struct adt_level_result *r = level_of(&res->v[i], 0);

		if (!r || !r->source)
			continue;
		same &= !first || strcmp(first, r->source) == 0;
		first = first ? first : r->source;
	}
	if (!first)
		return;
	if (same) {
		fprintf(f, "Image scores: %s%s\n", first, res->batch ? " (every category)" : "");
		return;
	}
	fputs("Image scores:", f);
	for (size_t i = 0, k = 0; i < res->n; i++) {
		const struct adt_level_result *r = level_of(&res->v[i], 0);

		if (r && r->source)
			fprintf(f, "%s %s %s", k++ ? "," : "", res->v[i].name, r->source);
	}
	fputs("\n", f);
}

/* Whether column v is among the columns c. */
static int has_column(const struct adt_columns *c, int v)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i] == v)
			return 1;
	}
	return 0;
}

/* Whether a level of the result has field fd. */
static int any_level_has(const struct adt_result *res, const struct adt_field *fd)
{
	for (size_t i = 0; i < res->n; i++) {
		for (int l = 0; l < 2; l++) {
			const struct adt_level_result *r = level_of(&res->v[i], l);

			if (r && adt_field_present(fd, r, l))
				return 1;
		}
	}
	return 0;
}

/* What the partial AUROC and AU-PRO columns hold, a line each when the
 * table shows them. */
static void metric_lines(FILE *f, const struct adt_result *res, const struct adt_columns *c)
{
	for (int k = 0; k < 2; k++) {
		const struct adt_field *fd = adt_field_find(k ? "aupro" : "pauroc");
		const struct adt_field *lim = adt_field_find(k ? "aupro_limit" : "max_fpr");
		char v[ADT_NUMBER_SIZE];

		if (!has_column(c, (int)(fd - adt_fields)))
			continue;
		for (size_t i = 0; i < res->n; i++) {
			for (int l = 0; l < 2; l++) {
				const struct adt_level_result *r = level_of(&res->v[i], l);

				if (r && adt_field_present(fd, r, l))
					adt_format_shortest(v, sizeof(v), adt_field_number(lim, r));
			}
		}
		if (k)
			fprintf(f,
				"AU-PRO: pixel level, the area under the per-region overlap curve "
				"up to FPR %s (MVTec AD), divided by the limit.\n",
				v);
		else
			fprintf(f,
				"pAUROC: the partial AUROC up to FPR %s, McClish-standardised.\n",
				v);
	}
}

/* What a threshold chosen on normal samples rests on, and what a level
 * without anomalies cannot say. */
static void calibration_notes(FILE *f, const char *level, const struct adt_level_result *r)
{
	char a[ADT_NUMBER_SIZE], b[ADT_NUMBER_SIZE];

	if (strncmp(r->policy, "sigma:", 6) == 0) {
		adt_format_shortest(a, sizeof(a), r->normal_mean);
		adt_format_shortest(b, sizeof(b), r->normal_std);
		fprintf(f,
			"%s level: threshold = mean %s + %s x standard deviation %s (population) "
			"of the %llu normal scores.\n",
			level, a, r->policy + 6, b, (unsigned long long)r->negatives);
	}
	if (r->above) {
		adt_format_shortest(a, sizeof(a), r->max);
		fprintf(f,
			"%s level: no score has a false-positive rate of at most %s (the highest, "
			"%s, is normal), so the threshold is the next %s above it and flags "
			"nothing.\n",
			level, r->policy + 4, a, r->single ? "float32" : "double");
	}
	if (r->normal_only)
		fprintf(f,
			"%s level: no anomalous samples, so recall, precision, F1, AUROC and AP "
			"are n/a; FP, TN and FPR = FP / %llu normal are at the threshold.\n",
			level, (unsigned long long)r->negatives);
}

/* The normalisation and one-class lines of a single run. */
static void level_notes(FILE *f, const struct adt_entry *e)
{
	for (int l = 0; l < 2; l++) {
		const struct adt_level_result *r = level_of(e, l);
		char t[ADT_NUMBER_SIZE], mn[ADT_NUMBER_SIZE], mx[ADT_NUMBER_SIZE];
		char nmn[ADT_NUMBER_SIZE], nmx[ADT_NUMBER_SIZE];

		if (!r || !r->normalize)
			continue;
		adt_format_shortest(t, sizeof(t), r->threshold);
		adt_format_shortest(mn, sizeof(mn), r->min);
		adt_format_shortest(mx, sizeof(mx), r->max);
		adt_format_rounded(nmn, sizeof(nmn),
				   adt_normalize_minmax(r->min, r->threshold, r->min, r->max));
		adt_format_rounded(nmx, sizeof(nmx),
				   adt_normalize_minmax(r->max, r->threshold, r->min, r->max));
		fprintf(f,
			"%s min-max normalised as anomalib: threshold %s -> 0.5, min %s -> %s, max "
			"%s -> %s\n",
			level_name[l], t, mn, nmn, mx, nmx);
	}
	for (int l = 0; l < 2; l++) {
		const struct adt_level_result *r = level_of(e, l);

		if (r && r->one_class)
			fprintf(f,
				"%s level: one class only, so the threshold is the %s score "
				"(anomalib's fallback); n/a marks what is undefined.\n",
				level_name[l], r->positives ? "lowest" : "highest");
		if (r)
			calibration_notes(f, level_name[l], r);
	}
}

/* The --compare-policies table: a row per level and compared policy (a
 * category column first in a batch); NULL cells: there is no such
 * table.  Returns -1 when out of memory. */
static const char *const compare_head[12] = {"category",  "level",  "policy", "threshold",
					     "precision", "recall", "F1",     "FPR",
					     "TP",	  "FP",	    "FN",     "TN"};

static int compare_table(FILE *f, const struct adt_result *res, int markdown)
{
	static const int left[12] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	size_t need = 1, rows = 1, cols = res->batch ? 12 : 11;
	char(*cell)[MAXCOLS][CELL];
	enum adt_rule rule = ADT_RULE_GE;

	for (size_t i = 0; i < res->n; i++) {
		for (int l = 0; l < 2; l++)
			need += level_of(&res->v[i], l) ? level_of(&res->v[i], l)->npolicies : 0;
	}
	if (need == 1)
		return 0;
	cell = calloc(need, sizeof(*cell));
	if (!cell)
		return -1;
	for (size_t c = 0; c < cols; c++)
		snprintf(cell[0][c], CELL, "%s", compare_head[c + !res->batch]);
	for (size_t i = 0; i < res->n; i++) {
		for (int l = 0; l < 2; l++) {
			const struct adt_level_result *r = level_of(&res->v[i], l);

			for (size_t k = 0; r && k < r->npolicies; k++) {
				const struct adt_policy_result *p = &r->policies[k];
				const uint64_t n[4] = {p->tp, p->fp, p->fn, p->tn};
				char(*c)[CELL] = cell[rows++];
				int m = 0;

				rule = r->rule;
				if (res->batch)
					table_name(c[m++], res->v[i].name, markdown);
				snprintf(c[m++], CELL, "%s", level_name[l]);
				table_name(c[m++], p->name, markdown);
				if (p->defined)
					adt_format_shortest(c[m++], CELL, p->threshold);
				else
					snprintf(c[m++], CELL, "n/a");
				adt_format_rounded(c[m++], CELL, p->precision);
				adt_format_rounded(c[m++], CELL, p->recall);
				adt_format_rounded(c[m++], CELL, p->f1);
				adt_format_rounded(c[m++], CELL, p->fpr);
				for (int j = 0; j < 4; j++) {
					if (p->defined)
						snprintf(c[m++], CELL, "%llu",
							 (unsigned long long)n[j]);
					else
						snprintf(c[m++], CELL, "n/a");
				}
			}
		}
	}
	fprintf(f, markdown ? "\nPolicies compared (one sweep per level; the result above is "
			      "unchanged):\n\n"
			    : "\nPolicies compared (one sweep per level; the result above is "
			      "unchanged):\n");
	print_table(f, cell, rows, cols, left + !res->batch, markdown);
	fprintf(f,
		"Each policy chooses %s; FPR = FP / negatives; n/a where a policy cannot apply "
		"(one class) or no score meets its target.\n",
		rule == ADT_RULE_GT ? "with score >= threshold and counts with score > threshold"
				    : "and counts with score >= threshold");
	free(cell);
	return 0;
}

/* The columns of the table: the chosen ones, or the category in a batch,
 * the level and table_fields (the optional ones when a level has them). */
static void table_columns(const struct adt_result *res, const struct adt_columns *chosen,
			  struct adt_columns *c)
{
	if (chosen) {
		*c = *chosen;
		return;
	}
	c->n = 0;
	if (res->batch)
		c->v[c->n++] = ADT_COLUMN_CATEGORY;
	c->v[c->n++] = ADT_COLUMN_LEVEL;
	for (size_t i = 0; i < TABLE_FIELDS; i++) {
		const struct adt_field *fd = adt_field_find(table_fields[i]);

		if (i < TABLE_ALWAYS || any_level_has(res, fd))
			c->v[c->n++] = (int)(fd - adt_fields);
	}
}

/* What the AUPIMO columns hold, in a line, when the table shows one. */
static void aupimo_line(FILE *f, const struct adt_result *res, const struct adt_columns *c)
{
	const struct adt_field *fd = adt_field_find("aupimo");
	const struct adt_field *sd = adt_field_find("aupimo_std");

	if (!has_column(c, (int)(fd - adt_fields)) && !has_column(c, (int)(sd - adt_fields)))
		return;

	for (size_t i = 0; i < res->n; i++) {
		const struct adt_level_result *r = level_of(&res->v[i], 1);
		char lo[ADT_NUMBER_SIZE], hi[ADT_NUMBER_SIZE];

		if (!r || !adt_field_present(fd, r, 1))
			continue;
		adt_format_shortest(lo, sizeof(lo), r->aupimo_lower);
		adt_format_shortest(hi, sizeof(hi), r->aupimo_upper);
		if (res->batch)
			fprintf(f, "pixel AUPIMO: per category, ");
		else
			fprintf(f, "pixel AUPIMO: over the %llu anomalous images, ",
				(unsigned long long)r->aupimo_images);
		fprintf(f,
			"the mean and population std of each image's area under TPR against "
			"ln(shared FPR) from %s to %s, divided by ln(%s / %s) (Bertoldo et al.)\n",
			lo, hi, hi, lo);
		return;
	}
}

/* The heading of column v. */
static const char *column_heading(int v)
{
	if (v < 0)
		return adt_column_name(v);
	return adt_fields[v].heading ? adt_fields[v].heading : adt_fields[v].name;
}

/* Whether column v holds words (left-aligned in text). */
static int column_left(int v)
{
	return v < 0 || adt_fields[v].type == ADT_FIELD_RULE ||
	       adt_fields[v].type == ADT_FIELD_TEXT || adt_fields[v].type == ADT_FIELD_STRING;
}

static int write_table(FILE *f, const struct adt_result *res, const struct adt_columns *chosen,
		       int markdown)
{
	struct adt_columns cols;
	int left[MAXCOLS];
	size_t ncols, rows = 1;
	char(*cell)[MAXCOLS][CELL] = calloc(2 * res->n + 3, sizeof(*cell));
	size_t defect_need = defect_rows_needed(res);
	/* Both tables are allocated before anything is printed. */
	char(*defect_cell)[MAXCOLS][CELL] =
	    defect_need > 1 ? calloc(defect_need, sizeof(*defect_cell)) : NULL;
	struct adt_level_mean mean[2];

	if (!cell || (defect_need > 1 && !defect_cell)) {
		free(cell);
		free(defect_cell);
		return -1;
	}
	table_columns(res, chosen, &cols);
	ncols = cols.n;
	for (size_t c = 0; c < ncols; c++) {
		snprintf(cell[0][c], CELL, "%s", column_heading(cols.v[c]));
		left[c] = column_left(cols.v[c]);
	}
	for (size_t i = 0; i < res->n; i++) {
		for (int l = 0; l < 2; l++) {
			const struct adt_level_result *r = level_of(&res->v[i], l);

			if (!r)
				continue;
			for (size_t c = 0; c < ncols; c++) {
				int v = cols.v[c];

				if (v == ADT_COLUMN_CATEGORY)
					table_name(cell[rows][c], res->v[i].name, markdown);
				else if (v == ADT_COLUMN_LEVEL)
					snprintf(cell[rows][c], CELL, "%s", level_name[l]);
				else if (adt_field_present(&adt_fields[v], r, l))
					table_cell(cell[rows][c], &adt_fields[v], r);
			}
			rows++;
		}
	}
	means_of(res, mean);
	for (int l = 0; res->batch && l < 2; l++) {
		if (mean[l].categories == 0)
			continue;
		for (size_t c = 0; c < ncols; c++) {
			int v = cols.v[c];

			if (v == ADT_COLUMN_CATEGORY)
				snprintf(cell[rows][c], CELL, "mean");
			else if (v == ADT_COLUMN_LEVEL)
				snprintf(cell[rows][c], CELL, "%s", level_name[l]);
			else if ((adt_fields[v].flags & ADT_FIELD_MEAN) && mean[l].has[v])
				adt_format_rounded(cell[rows][c], CELL, mean[l].v[v]);
		}
		rows++;
	}
	print_table(f, cell, rows, ncols, left, markdown);
	free(cell);
	table_footer(f, res);
	source_line(f, res);
	if (res->batch)
		fputs("The mean rows average each metric over the categories (n/a if it is "
		      "undefined in one of them).\n",
		      f);
	metric_lines(f, res, &cols);
	aupimo_line(f, res, &cols);
	for (size_t i = 0; !res->batch && i < res->n; i++)
		level_notes(f, &res->v[i]);
	for (size_t i = 0; res->batch && i < res->n; i++) {
		if (!res->v[i].error)
			continue;
		/* One line each, as on stderr. */
		adt_format_line(f, res->v[i].name);
		fputs(": failed: ", f);
		adt_format_line(f, res->v[i].error);
		fputc('\n', f);
	}
	if (compare_table(f, res, markdown)) {
		free(defect_cell);
		return -1;
	}
	defect_table(f, res, markdown, defect_cell);
	return 0;
}

int adt_report_write(FILE *f, enum adt_out_format fmt, const struct adt_result *res,
		     const struct adt_columns *columns, struct adt_error *err)
{
	int ret = 0;

	switch (fmt) {
	case ADT_OUT_JSON:
		write_json(f, res);
		break;
	case ADT_OUT_CSV:
		write_csv(f, res, columns);
		break;
	case ADT_OUT_MARKDOWN:
	case ADT_OUT_TEXT:
		ret = write_table(f, res, columns, fmt == ADT_OUT_MARKDOWN);
		break;
	}
	if (ret)
		return adt_error_set(err, ADT_ENOMEM, "out of memory for the table");
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}
