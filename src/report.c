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

static void write_json(FILE *f, const struct adt_report *rep)
{
	struct level lv[2];
	size_t n = levels_of(rep, lv);

	fprintf(f, "{\"adthresh\": \"%s\"", ADTHRESH_VERSION);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r = lv[i].r;
		char t[40], f1[40], p[40], rc[40], auc[40], ap[40], mn[40], mx[40];

		exact(t, sizeof(t), r->threshold, "null");
		exact(f1, sizeof(f1), r->f1, "null");
		exact(p, sizeof(p), r->precision, "null");
		exact(rc, sizeof(rc), r->recall, "null");
		exact(auc, sizeof(auc), r->auroc, "null");
		exact(ap, sizeof(ap), r->ap, "null");
		exact(mn, sizeof(mn), r->min, "null");
		exact(mx, sizeof(mx), r->max, "null");
		fprintf(f,
			",\n \"%s\": {\"n\": %llu, \"positives\": %llu, \"negatives\": %llu,\n"
			"   \"threshold\": %s, \"rule\": \"%s\", \"policy\": \"%s\",\n"
			"   \"f1\": %s, \"precision\": %s, \"recall\": %s,\n"
			"   \"tp\": %llu, \"fp\": %llu, \"fn\": %llu, \"tn\": %llu,\n"
			"   \"auroc\": %s, \"ap\": %s, \"min\": %s, \"max\": %s}",
			lv[i].name, (unsigned long long)r->n, (unsigned long long)r->positives,
			(unsigned long long)r->negatives, t, rule_str(r->rule), rep->policy, f1, p,
			rc, (unsigned long long)r->tp, (unsigned long long)r->fp,
			(unsigned long long)r->fn, (unsigned long long)r->tn, auc, ap, mn, mx);
	}
	fputs("}\n", f);
}

static void write_csv(FILE *f, const struct adt_report *rep)
{
	struct level lv[2];
	size_t n = levels_of(rep, lv);

	fputs("level,n,positives,negatives,threshold,rule,policy,f1,precision,recall,"
	      "tp,fp,fn,tn,auroc,ap,min,max\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		const struct adt_level_result *r = lv[i].r;
		char t[40], f1[40], p[40], rc[40], auc[40], ap[40], mn[40], mx[40];

		exact(t, sizeof(t), r->threshold, "");
		exact(f1, sizeof(f1), r->f1, "");
		exact(p, sizeof(p), r->precision, "");
		exact(rc, sizeof(rc), r->recall, "");
		exact(auc, sizeof(auc), r->auroc, "");
		exact(ap, sizeof(ap), r->ap, "");
		exact(mn, sizeof(mn), r->min, "");
		exact(mx, sizeof(mx), r->max, "");
		fprintf(f, "%s,%llu,%llu,%llu,%s,%s,%s,%s,%s,%s,%llu,%llu,%llu,%llu,%s,%s,%s,%s\n",
			lv[i].name, (unsigned long long)r->n, (unsigned long long)r->positives,
			(unsigned long long)r->negatives, t, rule_str(r->rule), rep->policy, f1, p,
			rc, (unsigned long long)r->tp, (unsigned long long)r->fp,
			(unsigned long long)r->fn, (unsigned long long)r->tn, auc, ap, mn, mx);
	}
}

/* The cells of the people-facing table (text and Markdown). */
enum { COLS = 14 };

static const char *const table_head[COLS] = {"level", "n",	   "anomalous", "threshold", "rule",
					     "F1",    "precision", "recall",	"AUROC",     "AP",
					     "TP",    "FP",	   "FN",	"TN"};

static void table_row(const char *name, const struct adt_level_result *r, char cell[COLS][40])
{
	snprintf(cell[0], 40, "%s", name);
	snprintf(cell[1], 40, "%llu", (unsigned long long)r->n);
	snprintf(cell[2], 40, "%llu", (unsigned long long)r->positives);
	adt_format_shortest(cell[3], 40, r->threshold);
	snprintf(cell[4], 40, "%s", rule_str(r->rule));
	rounded(cell[5], 40, r->f1);
	rounded(cell[6], 40, r->precision);
	rounded(cell[7], 40, r->recall);
	rounded(cell[8], 40, r->auroc);
	rounded(cell[9], 40, r->ap);
	snprintf(cell[10], 40, "%llu", (unsigned long long)r->tp);
	snprintf(cell[11], 40, "%llu", (unsigned long long)r->fp);
	snprintf(cell[12], 40, "%llu", (unsigned long long)r->fn);
	snprintf(cell[13], 40, "%llu", (unsigned long long)r->tn);
}

static void write_table(FILE *f, const struct adt_report *rep, int markdown)
{
	struct level lv[2];
	size_t n = levels_of(rep, lv);
	char cell[2][COLS][40];
	int width[COLS];
	enum adt_rule rule = ADT_RULE_GE;

	for (size_t c = 0; c < COLS; c++)
		width[c] = (int)strlen(table_head[c]);
	for (size_t i = 0; i < n; i++) {
		table_row(lv[i].name, lv[i].r, cell[i]);
		rule = lv[i].r->rule;
		for (size_t c = 0; c < COLS; c++) {
			int w = (int)strlen(cell[i][c]);

			if (w > width[c])
				width[c] = w;
		}
	}
	/* Numbers right-aligned, words left-aligned. */
	for (size_t row = 0; row <= n; row++) {
		for (size_t c = 0; c < COLS; c++) {
			const char *s = row ? cell[row - 1][c] : table_head[c];
			int left = c == 0 || c == 4;

			if (markdown)
				fprintf(f, "| %s ", s);
			else if (left)
				fprintf(f, "%s%-*s", c ? "  " : "", c == COLS - 1 ? 0 : width[c],
					s);
			else
				fprintf(f, "  %*s", width[c], s);
		}
		fputs(markdown ? "|\n" : "\n", f);
		if (markdown && row == 0) {
			for (size_t c = 0; c < COLS; c++)
				fputs(c == 0 || c == 4 ? "|---" : "|--:", f);
			fputs("|\n", f);
		}
	}
	if (markdown)
		fputs("\n", f);
	if (rule == ADT_RULE_GT)
		fputs("Threshold: the score that maximises F1 of score >= threshold (the lowest "
		      "on ties); the counts and metrics are those of score > threshold.\n",
		      f);
	else
		fputs("Threshold: the score that maximises F1 (the lowest on ties); anomalous "
		      "when score >= threshold.\n",
		      f);
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
