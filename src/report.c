/* Writing results in text, JSON, CSV or Markdown (see report.h). */
#include "adthresh/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void adt_format_shortest(char *buf, size_t size, double x)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			return;
	}
}

static const char *rule_str(enum adt_rule rule)
{
	return rule == ADT_RULE_GT ? ">" : ">=";
}

/* One level with its name, so the writers can loop over what is present. */
struct level {
	const char *name;
	const struct adt_level_result *r;
};

static size_t levels_of(const struct adt_report *rep, struct level out[2])
{
	size_t n = 0;

	if (rep->image)
		out[n++] = (struct level){"image", rep->image};
	if (rep->pixel)
		out[n++] = (struct level){"pixel", rep->pixel};
	return n;
}

/* %.17g, or `undef` for an undefined value. */
static void exact(char *buf, size_t size, double x, const char *undef)
{
	if (isnan(x))
		snprintf(buf, size, "%s", undef);
	else
		snprintf(buf, size, "%.17g", x);
}

/* Four decimals for people, or n/a. */
static void rounded(char *buf, size_t size, double x)
{
	if (isnan(x))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.4f", x);
}

/* The real numbers of a level, each printed exactly (or as `undef`). */
struct reals {
	char t[40], f1[40], p[40], rc[40], auc[40], ap[40], mn[40], mx[40];
};

static void format_reals(const struct adt_level_result *r, const char *undef, struct reals *o)
{
	exact(o->t, sizeof(o->t), r->threshold, undef);
	exact(o->f1, sizeof(o->f1), r->f1, undef);
	exact(o->p, sizeof(o->p), r->precision, undef);
	exact(o->rc, sizeof(o->rc), r->recall, undef);
	exact(o->auc, sizeof(o->auc), r->auroc, undef);
	exact(o->ap, sizeof(o->ap), r->ap, undef);
	exact(o->mn, sizeof(o->mn), r->min, undef);
	exact(o->mx, sizeof(o->mx), r->max, undef);
}

static void json_string(FILE *f, const char *s);

/* One level as a JSON object (the public field names of DESIGN.md). */
static void json_level(FILE *f, const char *name, const struct adt_level_result *r,
		       const char *policy, const char *indent)
{
	struct reals x;

	format_reals(r, "null", &x);
	fprintf(f,
		"%s\"%s\": {\"n\": %llu, \"positives\": %llu, \"negatives\": %llu,\n"
		"%s  \"threshold\": %s, \"rule\": \"%s\", \"policy\": \"%s\",\n"
		"%s  \"f1\": %s, \"precision\": %s, \"recall\": %s,\n"
		"%s  \"tp\": %llu, \"fp\": %llu, \"fn\": %llu, \"tn\": %llu,\n"
		"%s  \"auroc\": %s, \"ap\": %s, \"min\": %s, \"max\": %s",
		indent, name, (unsigned long long)r->n, (unsigned long long)r->positives,
		(unsigned long long)r->negatives, indent, x.t, rule_str(r->rule),
		r->policy[0] ? r->policy : policy, indent, x.f1, x.p, x.rc, indent,
		(unsigned long long)r->tp, (unsigned long long)r->fp, (unsigned long long)r->fn,
		(unsigned long long)r->tn, indent, x.auc, x.ap, x.mn, x.mx);
	if (r->normalize) {
		char nt[40], nmin[40], nmax[40];

		exact(nt, sizeof(nt),
		      adt_normalize_minmax(r->threshold, r->threshold, r->min, r->max), "null");
		exact(nmin, sizeof(nmin),
		      adt_normalize_minmax(r->min, r->threshold, r->min, r->max), "null");
		exact(nmax, sizeof(nmax),
		      adt_normalize_minmax(r->max, r->threshold, r->min, r->max), "null");
		fprintf(f,
			",\n%s  \"normalized\": {\"method\": \"minmax\", \"threshold\": %s, "
			"\"min\": %s, \"max\": %s}",
			indent, nt, nmin, nmax);
	}
	if (r->max_fpr > 0) {
		char pa[40], fpr[40];

		exact(pa, sizeof(pa), r->pauroc, "null");
		exact(fpr, sizeof(fpr), r->max_fpr, "null");
		fprintf(f, ",\n%s  \"max_fpr\": %s, \"pauroc\": %s", indent, fpr, pa);
	}
	if (r->aupro_limit > 0) {
		char v[40], lim[40];

		exact(v, sizeof(v), r->aupro, "null");
		exact(lim, sizeof(lim), r->aupro_limit, "null");
		fprintf(f, ",\n%s  \"aupro_limit\": %s, \"aupro\": %s", indent, lim, v);
	}
	fputc('}', f);
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
}

static double fpr_of(const struct adt_level_result *r)
{
	return r->negatives ? (double)r->fp / (double)r->negatives : NAN;
}

/* "defects": {NAME: {"image": {...}, "pixel": {...}}, ...} */
static void json_defects(FILE *f, const struct adt_defects *d, const struct adt_level_result *lv[2],
			 const char *indent)
{
	fprintf(f, ",\n%s\"defects\": {", indent);
	for (size_t i = 0; i < d->n; i++) {
		int first = 1;

		fprintf(f, "%s\n%s ", i ? "," : "", indent);
		json_string(f, d->v[i].name);
		fputs(": {", f);
		for (int l = 0; l < 2; l++) {
			struct adt_level_result r;
			char rc[40], fpr[40], p[40];

			if (!d->v[i].has[l] || !lv[l])
				continue;
			defect_result(&d->v[i].lv[l], lv[l], &r);
			exact(rc, sizeof(rc), r.recall, "null");
			exact(p, sizeof(p), r.precision, "null");
			exact(fpr, sizeof(fpr), fpr_of(&r), "null");
			fprintf(f,
				"%s\"%s\": {\"n\": %llu, \"positives\": %llu, \"negatives\": %llu, "
				"\"tp\": %llu, \"fp\": %llu, \"fn\": %llu, \"tn\": %llu, "
				"\"recall\": %s, \"fpr\": %s, \"precision\": %s}",
				first ? "" : ", ", l ? "pixel" : "image", (unsigned long long)r.n,
				(unsigned long long)r.positives, (unsigned long long)r.negatives,
				(unsigned long long)r.tp, (unsigned long long)r.fp,
				(unsigned long long)r.fn, (unsigned long long)r.tn, rc, fpr, p);
			first = 0;
		}
		fputc('}', f);
	}
	fputc('}', f);
}

static void write_json(FILE *f, const struct adt_report *rep)
{
	struct level lv[2];
	size_t n = levels_of(rep, lv);
	const struct adt_level_result *r[2] = {rep->image, rep->pixel};

	fprintf(f, "{\"adthresh\": \"%s\"", ADTHRESH_VERSION);
	for (size_t i = 0; i < n; i++) {
		fputs(",\n", f);
		json_level(f, lv[i].name, lv[i].r, rep->policy, " ");
	}
	if (rep->defects)
		json_defects(f, rep->defects, r, " ");
	fputs("}\n", f);
}

static const char csv_head[] = "level,n,positives,negatives,threshold,rule,policy,f1,precision,"
			       "recall,tp,fp,fn,tn,auroc,ap,min,max";

void adt_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* One level as a CSV row, after `prefix` (the category column, or ""). */
static void csv_level(FILE *f, const char *prefix, const char *name,
		      const struct adt_level_result *r, const char *policy)
{
	struct reals x;

	format_reals(r, "", &x);
	fprintf(f, "%s%s,%llu,%llu,%llu,%s,%s,%s,%s,%s,%s,%llu,%llu,%llu,%llu,%s,%s,%s,%s", prefix,
		name, (unsigned long long)r->n, (unsigned long long)r->positives,
		(unsigned long long)r->negatives, x.t, rule_str(r->rule),
		r->policy[0] ? r->policy : policy, x.f1, x.p, x.rc, (unsigned long long)r->tp,
		(unsigned long long)r->fp, (unsigned long long)r->fn, (unsigned long long)r->tn,
		x.auc, x.ap, x.mn, x.mx);
}

/* Which optional metrics a CSV carries: columns max_fpr,pauroc and
 * aupro_limit,aupro when any level of any row has them. */
struct csv_extra {
	int pauroc, aupro;
};

static void csv_extra_of(const struct adt_level_result *r, struct csv_extra *x)
{
	if (r && r->max_fpr > 0)
		x->pauroc = 1;
	if (r && r->aupro_limit > 0)
		x->aupro = 1;
}

static void csv_extra_head(FILE *f, const struct csv_extra *x)
{
	if (x->pauroc)
		fputs(",max_fpr,pauroc", f);
	if (x->aupro)
		fputs(",aupro_limit,aupro", f);
}

/* The optional columns of a level (empty where it lacks them). */
static void csv_extra_row(FILE *f, const struct csv_extra *x, const struct adt_level_result *r)
{
	char a[40] = "", b[40] = "";

	if (x->pauroc) {
		if (r->max_fpr > 0) {
			exact(a, sizeof(a), r->max_fpr, "");
			exact(b, sizeof(b), r->pauroc, "");
		}
		fprintf(f, ",%s,%s", a, b);
	}
	if (x->aupro) {
		a[0] = b[0] = '\0';
		if (r->aupro_limit > 0) {
			exact(a, sizeof(a), r->aupro_limit, "");
			exact(b, sizeof(b), r->aupro, "");
		}
		fprintf(f, ",%s,%s", a, b);
	}
}

/* The defect and fpr columns of a row (defect NULL: the whole level). */
static void csv_defect_cols(FILE *f, const char *defect, const struct adt_level_result *r)
{
	char v[40];

	exact(v, sizeof(v), r->negatives ? (double)r->fp / (double)r->negatives : NAN, "");
	fputc(',', f);
	if (defect)
		adt_csv_field(f, defect);
	fprintf(f, ",%s", v);
}

/* The rows of each defect folder and level: the level's columns counted
 * within the folder at the level's threshold, then defect and fpr. */
static void csv_defect_rows(FILE *f, const char *category, const struct adt_defects *d,
			    const struct adt_level_result *lv[2], const struct csv_extra *x,
			    const char *policy, const char *tail)
{
	for (size_t i = 0; i < d->n; i++) {
		for (int l = 0; l < 2; l++) {
			struct adt_level_result r;

			if (!d->v[i].has[l] || !lv[l])
				continue;
			defect_result(&d->v[i].lv[l], lv[l], &r);
			if (category)
				adt_csv_field(f, category);
			csv_level(f, category ? "," : "", l ? "pixel" : "image", &r, policy);
			csv_extra_row(f, x, &r);
			csv_defect_cols(f, d->v[i].name, &r);
			fprintf(f, "%s\n", tail);
		}
	}
}

static void write_csv(FILE *f, const struct adt_report *rep)
{
	struct level lv[2];
	size_t n = levels_of(rep, lv);
	struct csv_extra x = {0, 0};
	const struct adt_level_result *r[2] = {rep->image, rep->pixel};

	for (size_t i = 0; i < n; i++)
		csv_extra_of(lv[i].r, &x);
	fputs(csv_head, f);
	csv_extra_head(f, &x);
	fputs(rep->defects ? ",defect,fpr\n" : "\n", f);
	for (size_t i = 0; i < n; i++) {
		csv_level(f, "", lv[i].name, lv[i].r, rep->policy);
		csv_extra_row(f, &x, lv[i].r);
		if (rep->defects)
			csv_defect_cols(f, NULL, lv[i].r);
		fputc('\n', f);
	}
	if (rep->defects)
		csv_defect_rows(f, NULL, rep->defects, r, &x, rep->policy, "");
}

/* The people-facing table (text and Markdown): cells of 40 bytes; a
 * batch has one column more than a single run, the category. */
enum { COLS = 14, MAXCOLS = COLS + 1, CELL = 40 };

static const char *const table_head[COLS] = {"level", "n",	   "anomalous", "threshold", "rule",
					     "F1",    "precision", "recall",	"AUROC",     "AP",
					     "TP",    "FP",	   "FN",	"TN"};

static void table_row(const char *name, const struct adt_level_result *r, char *cell[COLS])
{
	snprintf(cell[0], CELL, "%s", name);
	snprintf(cell[1], CELL, "%llu", (unsigned long long)r->n);
	snprintf(cell[2], CELL, "%llu", (unsigned long long)r->positives);
	adt_format_shortest(cell[3], CELL, r->threshold);
	snprintf(cell[4], CELL, "%s", rule_str(r->rule));
	rounded(cell[5], CELL, r->f1);
	rounded(cell[6], CELL, r->precision);
	rounded(cell[7], CELL, r->recall);
	rounded(cell[8], CELL, r->auroc);
	rounded(cell[9], CELL, r->ap);
	snprintf(cell[10], CELL, "%llu", (unsigned long long)r->tp);
	snprintf(cell[11], CELL, "%llu", (unsigned long long)r->fp);
	snprintf(cell[12], CELL, "%llu", (unsigned long long)r->fn);
	snprintf(cell[13], CELL, "%llu", (unsigned long long)r->tn);
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
 * category column in a batch (names[k] NULL: no category). */
static const char *const defect_head[11] = {
    "category", "defect", "level", "n", "anomalous", "TP", "FP", "FN", "TN", "recall", "FPR"};

static void defect_rows(const struct adt_defects *d, const struct adt_level_result *lv[2],
			const char *category, int markdown, char (*cell)[MAXCOLS][CELL],
			size_t *rows)
{
	for (size_t i = 0; i < d->n; i++) {
		for (int l = 0; l < 2; l++) {
			struct adt_level_result r;
			char(*c)[CELL] = cell[*rows];
			int k = 0;

			if (!d->v[i].has[l] || !lv[l])
				continue;
			defect_result(&d->v[i].lv[l], lv[l], &r);
			if (category)
				table_name(c[k++], category, markdown);
			table_name(c[k++], d->v[i].name, markdown);
			snprintf(c[k++], CELL, "%s", l ? "pixel" : "image");
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.n);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.positives);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.tp);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.fp);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.fn);
			snprintf(c[k++], CELL, "%llu", (unsigned long long)r.tn);
			rounded(c[k++], CELL, r.recall);
			rounded(c[k], CELL, fpr_of(&r));
			++*rows;
		}
	}
}

/* How many rows the per-defect tables of the entries need. */
static size_t defect_count(const struct adt_batch_entry *e, size_t n)
{
	size_t rows = 0;

	for (size_t i = 0; i < n; i++)
		rows += e[i].defects && !e[i].error ? 2 * e[i].defects->n : 0;
	return rows;
}

/* The per-defect table of n entries (names given in a batch). */
static void defect_table(FILE *f, const struct adt_batch_entry *e, size_t n, int batch,
			 int markdown)
{
	static const int left[11] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
	size_t rows = 1, cols = batch ? 11 : 10;
	char(*cell)[MAXCOLS][CELL];

	if (defect_count(e, n) == 0)
		return;
	cell = calloc(defect_count(e, n) + 1, sizeof(*cell));
	if (!cell) {
		fputs("adthresh: out of memory for the table\n", f);
		return;
	}
	for (size_t c = 0; c < cols; c++)
		snprintf(cell[0][c], CELL, "%s", defect_head[c + !batch]);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *lv[2] = {e[i].image, e[i].pixel};

		if (e[i].defects && !e[i].error)
			defect_rows(e[i].defects, lv, batch ? e[i].name : NULL, markdown, cell,
				    &rows);
	}
	fputs(markdown ? "\nPer defect folder, at the thresholds above:\n\n"
		       : "\nPer defect folder, at the thresholds above:\n",
	      f);
	print_table(f, cell, rows, cols, left + !batch, markdown);
	fputs("recall = TP / anomalous; FPR = FP / (n - anomalous); n/a where there are none.\n",
	      f);
	free(cell);
}

/* The lines under a table that say how its thresholds were set. */
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
	else if (strcmp(policy, "given") == 0)
		snprintf(buf, size, "given, not chosen on this data");
	else
		snprintf(buf, size, "the score that maximises F1 (the lowest on ties)");
}

/* The lines under a table that say how its thresholds were set: policy
 * holds the image and pixel levels' policies ("" when absent). */
static void table_footer(FILE *f, enum adt_rule rule, int all_given, char policy[2][40])
{
	char words[2][160];
	const char *how = rule == ADT_RULE_GT ? ", chosen with score >= threshold" : "";

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
		fprintf(f, "; anomalous when score %s threshold.\n", rule_str(rule));
}

/* The normalisation line under a table, when it was asked for. */
static void normalize_line(FILE *f, const char *name, const struct adt_level_result *r)
{
	char t[40], mn[40], mx[40], nmn[40], nmx[40];

	if (!r || !r->normalize)
		return;
	adt_format_shortest(t, sizeof(t), r->threshold);
	adt_format_shortest(mn, sizeof(mn), r->min);
	adt_format_shortest(mx, sizeof(mx), r->max);
	rounded(nmn, sizeof(nmn), adt_normalize_minmax(r->min, r->threshold, r->min, r->max));
	rounded(nmx, sizeof(nmx), adt_normalize_minmax(r->max, r->threshold, r->min, r->max));
	fprintf(f,
		"%s min-max normalised as anomalib: threshold %s -> 0.5, min %s -> %s, max %s -> "
		"%s\n",
		name, t, mn, nmn, mx, nmx);
}

/* The partial AUROC line under a table, when it was asked for. */
static void pauroc_line(FILE *f, const char *name, const struct adt_level_result *r)
{
	char v[40];

	if (!r || r->max_fpr <= 0)
		return;
	rounded(v, sizeof(v), r->pauroc);
	fprintf(f, "%s partial AUROC up to FPR %g (McClish-standardised): %s\n", name, r->max_fpr,
		v);
}

/* The AU-PRO line under a table, when it was asked for. */
static void aupro_line(FILE *f, const char *name, const struct adt_level_result *r)
{
	char v[40];

	if (!r || r->aupro_limit <= 0)
		return;
	rounded(v, sizeof(v), r->aupro);
	fprintf(f, "%s AU-PRO up to FPR %g (MVTec AD, divided by the limit): %s\n", name,
		r->aupro_limit, v);
}

static void write_table(FILE *f, const struct adt_report *rep, int markdown)
{
	static const int left[MAXCOLS] = {1, 0, 0, 0, 1};
	struct level lv[2];
	size_t n = levels_of(rep, lv);
	char cell[3][MAXCOLS][CELL];
	enum adt_rule rule = ADT_RULE_GE;
	int given = 0;

	for (size_t c = 0; c < COLS; c++)
		snprintf(cell[0][c], CELL, "%s", table_head[c]);
	for (size_t i = 0; i < n; i++) {
		char *row[COLS];

		for (size_t c = 0; c < COLS; c++)
			row[c] = cell[i + 1][c];
		table_row(lv[i].name, lv[i].r, row);
		rule = lv[i].r->rule;
		given += lv[i].r->given;
	}
	print_table(f, cell, n + 1, COLS, left, markdown);
	{
		char policy[2][40] = {"", ""};

		for (size_t i = 0; i < n; i++)
			snprintf(policy[lv[i].r == rep->pixel], 40, "%s", lv[i].r->policy);
		table_footer(f, rule, n > 0 && given == (int)n, policy);
	}
	for (size_t i = 0; i < n; i++)
		pauroc_line(f, lv[i].name, lv[i].r);
	for (size_t i = 0; i < n; i++)
		aupro_line(f, lv[i].name, lv[i].r);
	for (size_t i = 0; i < n; i++)
		normalize_line(f, lv[i].name, lv[i].r);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r = lv[i].r;

		if (r->one_class)
			fprintf(f,
				"%s level: one class only, so the threshold is the %s score "
				"(anomalib's fallback); n/a marks what is undefined.\n",
				lv[i].name, r->positives ? "lowest" : "highest");
	}
	if (rep->defects) {
		struct adt_batch_entry e = {NULL, rep->image, rep->pixel, NULL, rep->defects};

		defect_table(f, &e, 1, 0, markdown);
	}
}

int adt_report_write(FILE *f, enum adt_out_format fmt, const struct adt_report *rep,
		     struct adt_error *err)
{
	switch (fmt) {
	case ADT_OUT_JSON:
		write_json(f, rep);
		break;
	case ADT_OUT_CSV:
		write_csv(f, rep);
		break;
	case ADT_OUT_MARKDOWN:
		write_table(f, rep, 1);
		break;
	case ADT_OUT_TEXT:
		write_table(f, rep, 0);
		break;
	}
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}

void adt_batch_mean(const struct adt_batch_entry *e, size_t n, int pixel, struct adt_level_mean *m)
{
	double sum[7] = {0, 0, 0, 0, 0, 0, 0};

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r = pixel ? e[i].pixel : e[i].image;

		if (e[i].error || !r)
			continue;
		sum[0] += r->f1;
		sum[1] += r->precision;
		sum[2] += r->recall;
		sum[3] += r->auroc;
		sum[4] += r->ap;
		sum[5] += r->pauroc;
		sum[6] += r->aupro;
		/* Every category is run with the same options. */
		m->max_fpr = r->max_fpr;
		m->aupro_limit = r->aupro_limit;
		m->categories++;
	}
	m->pauroc = m->categories && m->max_fpr > 0 ? sum[5] / (double)m->categories : NAN;
	m->aupro = m->categories && m->aupro_limit > 0 ? sum[6] / (double)m->categories : NAN;
	/* NaN, the mark of an undefined metric, spreads through the sums. */
	m->f1 = m->categories ? sum[0] / (double)m->categories : NAN;
	m->precision = m->categories ? sum[1] / (double)m->categories : NAN;
	m->recall = m->categories ? sum[2] / (double)m->categories : NAN;
	m->auroc = m->categories ? sum[3] / (double)m->categories : NAN;
	m->ap = m->categories ? sum[4] / (double)m->categories : NAN;
}

int adt_mean_field(const struct adt_level_mean *m, const char *name, double *out)
{
	if (strcmp(name, "f1") == 0)
		*out = m->f1;
	else if (strcmp(name, "precision") == 0)
		*out = m->precision;
	else if (strcmp(name, "recall") == 0)
		*out = m->recall;
	else if (strcmp(name, "auroc") == 0)
		*out = m->auroc;
	else if (strcmp(name, "ap") == 0)
		*out = m->ap;
	else if (strcmp(name, "pauroc") == 0)
		*out = m->pauroc;
	else if (strcmp(name, "aupro") == 0)
		*out = m->aupro;
	else if (strcmp(name, "categories") == 0)
		*out = (double)m->categories;
	else
		return -1;
	return 0;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_mean(FILE *f, const char *name, const struct adt_level_mean *m)
{
	char f1[40], p[40], rc[40], auc[40], ap[40];

	exact(f1, sizeof(f1), m->f1, "null");
	exact(p, sizeof(p), m->precision, "null");
	exact(rc, sizeof(rc), m->recall, "null");
	exact(auc, sizeof(auc), m->auroc, "null");
	exact(ap, sizeof(ap), m->ap, "null");
	fprintf(f,
		"  \"%s\": {\"categories\": %zu, \"f1\": %s, \"precision\": %s, \"recall\": %s,\n"
		"    \"auroc\": %s, \"ap\": %s",
		name, m->categories, f1, p, rc, auc, ap);
	if (m->max_fpr > 0) {
		exact(f1, sizeof(f1), m->max_fpr, "null");
		exact(p, sizeof(p), m->pauroc, "null");
		fprintf(f, ", \"max_fpr\": %s, \"pauroc\": %s", f1, p);
	}
	if (m->aupro_limit > 0) {
		exact(f1, sizeof(f1), m->aupro_limit, "null");
		exact(p, sizeof(p), m->aupro, "null");
		fprintf(f, ", \"aupro_limit\": %s, \"aupro\": %s", f1, p);
	}
	fputc('}', f);
}

static void write_batch_json(FILE *f, const struct adt_batch_entry *e, size_t n, const char *policy,
			     const struct adt_level_mean mean[2])
{
	int first;

	fprintf(f, "{\"adthresh\": \"%s\",\n \"categories\": {", ADTHRESH_VERSION);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		json_string(f, e[i].name);
		fputs(": {", f);
		if (e[i].error) {
			fputs("\"error\": ", f);
			json_string(f, e[i].error);
		}
		first = 1;
		if (!e[i].error && e[i].image) {
			fputs("\n", f);
			json_level(f, "image", e[i].image, policy, "   ");
			first = 0;
		}
		if (!e[i].error && e[i].pixel) {
			fputs(first ? "\n" : ",\n", f);
			json_level(f, "pixel", e[i].pixel, policy, "   ");
		}
		if (!e[i].error && e[i].defects) {
			const struct adt_level_result *lv[2] = {e[i].image, e[i].pixel};

			json_defects(f, e[i].defects, lv, "   ");
		}
		fputs("}", f);
	}
	fputs("},\n \"mean\": {", f);
	first = 1;
	for (int l = 0; l < 2; l++) {
		if (mean[l].categories == 0)
			continue;
		fputs(first ? "\n" : ",\n", f);
		json_mean(f, l ? "pixel" : "image", &mean[l]);
		first = 0;
	}
	fputs("}}\n", f);
}

static void write_batch_csv(FILE *f, const struct adt_batch_entry *e, size_t n, const char *policy,
			    const struct adt_level_mean mean[2])
{
	struct csv_extra x = {0, 0};
	int extra, defects = 0;

	for (size_t i = 0; i < n; i++) {
		csv_extra_of(e[i].error ? NULL : e[i].image, &x);
		csv_extra_of(e[i].error ? NULL : e[i].pixel, &x);
	}
	for (size_t i = 0; i < n; i++)
		defects |= e[i].defects != NULL;
	extra = 2 * (x.pauroc + x.aupro + defects);
	fprintf(f, "category,%s", csv_head);
	csv_extra_head(f, &x);
	fputs(defects ? ",defect,fpr,error\n" : ",error\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r[2] = {e[i].image, e[i].pixel};

		if (e[i].error) {
			adt_csv_field(f, e[i].name);
			fprintf(f, ",,,,,,,,,,,,,,,,,,%.*s,", extra, ",,,,,,");
			adt_csv_field(f, e[i].error);
			fputs("\n", f);
			continue;
		}
		for (int l = 0; l < 2; l++) {
			if (!r[l])
				continue;
			adt_csv_field(f, e[i].name);
			csv_level(f, ",", l ? "pixel" : "image", r[l], policy);
			csv_extra_row(f, &x, r[l]);
			if (defects)
				csv_defect_cols(f, NULL, r[l]);
			fputs(",\n", f);
		}
		if (e[i].defects)
			csv_defect_rows(f, e[i].name, e[i].defects, r, &x, policy, ",");
	}
	for (int l = 0; l < 2; l++) {
		char f1[40], p[40], rc[40], auc[40], ap[40];

		if (mean[l].categories == 0)
			continue;
		exact(f1, sizeof(f1), mean[l].f1, "");
		exact(p, sizeof(p), mean[l].precision, "");
		exact(rc, sizeof(rc), mean[l].recall, "");
		exact(auc, sizeof(auc), mean[l].auroc, "");
		exact(ap, sizeof(ap), mean[l].ap, "");
		fprintf(f, "mean,%s,%zu,,,,,mean,%s,%s,%s,,,,,%s,%s,,", l ? "pixel" : "image",
			mean[l].categories, f1, p, rc, auc, ap);
		if (x.pauroc) {
			exact(f1, sizeof(f1), mean[l].max_fpr, "");
			exact(p, sizeof(p), mean[l].pauroc, "");
			fprintf(f, ",%s,%s", mean[l].max_fpr > 0 ? f1 : "",
				mean[l].max_fpr > 0 ? p : "");
		}
		if (x.aupro) {
			exact(f1, sizeof(f1), mean[l].aupro_limit, "");
			exact(p, sizeof(p), mean[l].aupro, "");
			fprintf(f, ",%s,%s", mean[l].aupro_limit > 0 ? f1 : "",
				mean[l].aupro_limit > 0 ? p : "");
		}
		fputs(defects ? ",,,\n" : ",\n", f);
	}
}

/* The partial AUROC and AU-PRO of each category and their means, under
 * a batch table, when they were asked for. */
static void batch_extra_lines(FILE *f, const struct adt_batch_entry *e, size_t n,
			      const struct adt_level_mean mean[2])
{
	for (int l = 0; l < 2; l++) {
		for (int k = 0; k < 2; k++) {
			double limit = k ? mean[l].aupro_limit : mean[l].max_fpr;
			char v[40];

			if (mean[l].categories == 0 || limit <= 0)
				continue;
			if (k)
				fprintf(f,
					"%s AU-PRO up to FPR %g (MVTec AD, divided by the limit):",
					l ? "pixel" : "image", limit);
			else
				fprintf(f, "%s partial AUROC up to FPR %g (McClish-standardised):",
					l ? "pixel" : "image", limit);
			for (size_t i = 0; i < n; i++) {
				const struct adt_level_result *r = l ? e[i].pixel : e[i].image;

				if (e[i].error || !r)
					continue;
				rounded(v, sizeof(v), k ? r->aupro : r->pauroc);
				fprintf(f, " %s %s,", e[i].name, v);
			}
			rounded(v, sizeof(v), k ? mean[l].aupro : mean[l].pauroc);
			fprintf(f, " mean %s\n", v);
		}
	}
}

static void write_batch_table(FILE *f, const struct adt_batch_entry *e, size_t n,
			      const struct adt_level_mean mean[2], int markdown)
{
	static const int left[MAXCOLS] = {1, 1, 0, 0, 0, 1};
	size_t rows = 1;
	char(*cell)[MAXCOLS][CELL] = calloc(2 * n + 3, sizeof(*cell));
	enum adt_rule rule = ADT_RULE_GE;
	int given = 0, levels = 0;

	if (!cell) {
		fputs("adthresh: out of memory for the table\n", f);
		return;
	}
	snprintf(cell[0][0], CELL, "category");
	for (size_t c = 0; c < COLS; c++)
		snprintf(cell[0][c + 1], CELL, "%s", table_head[c]);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r[2] = {e[i].image, e[i].pixel};

		for (int l = 0; !e[i].error && l < 2; l++) {
			char *row[COLS];

			if (!r[l])
				continue;
			for (size_t c = 0; c < COLS; c++)
				row[c] = cell[rows][c + 1];
			table_row(l ? "pixel" : "image", r[l], row);
			table_name(cell[rows][0], e[i].name, markdown);
			rule = r[l]->rule;
			given += r[l]->given;
			levels++;
			rows++;
		}
	}
	for (int l = 0; l < 2; l++) {
		if (mean[l].categories == 0)
			continue;
		snprintf(cell[rows][0], CELL, "mean");
		snprintf(cell[rows][1], CELL, "%s", l ? "pixel" : "image");
		rounded(cell[rows][6], CELL, mean[l].f1);
		rounded(cell[rows][7], CELL, mean[l].precision);
		rounded(cell[rows][8], CELL, mean[l].recall);
		rounded(cell[rows][9], CELL, mean[l].auroc);
		rounded(cell[rows][10], CELL, mean[l].ap);
		rows++;
	}
	print_table(f, cell, rows, MAXCOLS, left, markdown);
	free(cell);
	{
		char policy[2][40] = {"", ""};

		for (size_t i = 0; i < n; i++) {
			if (!e[i].error && e[i].image)
				snprintf(policy[0], 40, "%s", e[i].image->policy);
			if (!e[i].error && e[i].pixel)
				snprintf(policy[1], 40, "%s", e[i].pixel->policy);
		}
		table_footer(f, rule, levels > 0 && given == levels, policy);
	}
	fputs("The mean rows average each metric over the categories (n/a if it is undefined "
	      "in one of them).\n",
	      f);
	batch_extra_lines(f, e, n, mean);
	for (size_t i = 0; i < n; i++) {
		if (e[i].error)
			fprintf(f, "%s: failed: %s\n", e[i].name, e[i].error);
	}
	defect_table(f, e, n, 1, markdown);
}

int adt_report_write_batch(FILE *f, enum adt_out_format fmt, const struct adt_batch_entry *e,
			   size_t n, const char *policy, struct adt_error *err)
{
	struct adt_level_mean mean[2];

	adt_batch_mean(e, n, 0, &mean[0]);
	adt_batch_mean(e, n, 1, &mean[1]);
	switch (fmt) {
	case ADT_OUT_JSON:
		write_batch_json(f, e, n, policy, mean);
		break;
	case ADT_OUT_CSV:
		write_batch_csv(f, e, n, policy, mean);
		break;
	case ADT_OUT_MARKDOWN:
		write_batch_table(f, e, n, mean, 1);
		break;
	case ADT_OUT_TEXT:
		write_batch_table(f, e, n, mean, 0);
		break;
	}
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}

/* {"image": {"threshold": x}, "pixel": {...}} of one entry. */
static void json_thresholds(FILE *f, const struct adt_batch_entry *e, const char *indent)
{
	const struct adt_level_result *r[2] = {e->image, e->pixel};
	int first = 1;

	for (int l = 0; l < 2; l++) {
		char t[40];

		if (!r[l])
			continue;
		exact(t, sizeof(t), r[l]->threshold, "null");
		fprintf(f, "%s%s\"%s\": {\"threshold\": %s}", first ? "" : ",\n", indent,
			l ? "pixel" : "image", t);
		first = 0;
	}
}

int adt_thresholds_write(FILE *f, const struct adt_batch_entry *e, size_t n, int batch,
			 struct adt_error *err)
{
	enum adt_rule rule = ADT_RULE_GE;
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		if (!e[i].error && (e[i].image || e[i].pixel))
			rule = e[i].image ? e[i].image->rule : e[i].pixel->rule;
	}
	fprintf(f, "{\"adthresh\": \"%s\", \"rule\": \"%s\",\n", ADTHRESH_VERSION, rule_str(rule));
	if (!batch && n > 0) {
		json_thresholds(f, &e[0], " ");
		fputs("}\n", f);
	} else {
		fputs(" \"categories\": {", f);
		for (size_t i = 0; i < n; i++) {
			if (e[i].error)
				continue;
			fputs(first ? "\n  " : ",\n  ", f);
			json_string(f, e[i].name);
			fputs(": {\n", f);
			json_thresholds(f, &e[i], "   ");
			fputs("}", f);
			first = 0;
		}
		fputs("}}\n", f);
	}
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}
