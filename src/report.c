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
	fputc('}', f);
}

static void write_json(FILE *f, const struct adt_report *rep)
{
	struct level lv[2];
	size_t n = levels_of(rep, lv);

	fprintf(f, "{\"adthresh\": \"%s\"", ADTHRESH_VERSION);
	for (size_t i = 0; i < n; i++) {
		fputs(",\n", f);
		json_level(f, lv[i].name, lv[i].r, rep->policy, " ");
	}
	fputs("}\n", f);
}

static const char csv_head[] = "level,n,positives,negatives,threshold,rule,policy,f1,precision,"
			       "recall,tp,fp,fn,tn,auroc,ap,min,max";

/* A CSV field, quoted when it holds a delimiter, a quote or a line end. */
static void csv_field(FILE *f, const char *s)
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

static void write_csv(FILE *f, const struct adt_report *rep)
{
	struct level lv[2];
	size_t n = levels_of(rep, lv);

	fprintf(f, "%s\n", csv_head);
	for (size_t i = 0; i < n; i++) {
		csv_level(f, "", lv[i].name, lv[i].r, rep->policy);
		fputc('\n', f);
	}
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
		normalize_line(f, lv[i].name, lv[i].r);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r = lv[i].r;

		if (r->one_class)
			fprintf(f,
				"%s level: one class only, so the threshold is the %s score "
				"(anomalib's fallback); n/a marks what is undefined.\n",
				lv[i].name, r->positives ? "lowest" : "highest");
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
	double sum[5] = {0, 0, 0, 0, 0};

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
		m->categories++;
	}
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
		"    \"auroc\": %s, \"ap\": %s}",
		name, m->categories, f1, p, rc, auc, ap);
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
	fprintf(f, "category,%s,error\n", csv_head);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r[2] = {e[i].image, e[i].pixel};

		if (e[i].error) {
			csv_field(f, e[i].name);
			fputs(",,,,,,,,,,,,,,,,,,,", f);
			csv_field(f, e[i].error);
			fputs("\n", f);
			continue;
		}
		for (int l = 0; l < 2; l++) {
			if (!r[l])
				continue;
			csv_field(f, e[i].name);
			csv_level(f, ",", l ? "pixel" : "image", r[l], policy);
			fputs(",\n", f);
		}
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
		fprintf(f, "mean,%s,%zu,,,,,mean,%s,%s,%s,,,,,%s,%s,,,\n", l ? "pixel" : "image",
			mean[l].categories, f1, p, rc, auc, ap);
	}
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
	for (size_t i = 0; i < n; i++) {
		if (e[i].error)
			fprintf(f, "%s: failed: %s\n", e[i].name, e[i].error);
	}
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
