/* Writing results: a text table, JSON, CSV or Markdown. */
#ifndef ADTHRESH_REPORT_H
#define ADTHRESH_REPORT_H

#include <stdio.h>

#include "adthresh/defects.h"
#include "adthresh/error.h"
#include "adthresh/metrics.h"

enum adt_out_format { ADT_OUT_TEXT = 0, ADT_OUT_JSON, ADT_OUT_CSV, ADT_OUT_MARKDOWN };

/* What one run reports; a NULL level is absent from the output. */
struct adt_report {
	const struct adt_level_result *image;
	const struct adt_level_result *pixel;
	const char *policy;		   /* "f1" */
	const struct adt_defects *defects; /* NULL: no per-defect breakdown */
};

/* Parses text, json, csv, markdown (md).  Returns -1 if unknown. */
int adt_out_format_parse(const char *name, enum adt_out_format *out);

/* Writes rep to f in format fmt.  Real numbers in JSON and CSV are
 * printed with %.17g (round-trip exact), undefined ones as null (JSON) or
 * empty (CSV) or n/a (text, Markdown).  Returns 0, or -1 with ADT_EIO
 * when a write fails (the caller still closes f). */
int adt_report_write(FILE *f, enum adt_out_format fmt, const struct adt_report *rep,
		     struct adt_error *err);

/* One category of a batch run. */
struct adt_batch_entry {
	const char *name;
	const struct adt_level_result *image; /* NULL: the level is absent */
	const struct adt_level_result *pixel;
	const char *error;		   /* not NULL: the category failed with this message */
	const struct adt_defects *defects; /* NULL: no per-defect breakdown */
};

/* The arithmetic mean of a level's metrics over the categories that have
 * it (and did not fail); a metric undefined in any of them is NaN. */
struct adt_level_mean {
	size_t categories; /* 0: no category has the level */
	double f1, precision, recall, auroc, ap;
	double max_fpr, pauroc;	   /* max_fpr 0: no partial AUROC was asked for */
	double aupro_limit, aupro; /* aupro_limit 0: no AU-PRO was asked for */
};

/* Fills m for the image (pixel == 0) or pixel level of the n entries. */
void adt_batch_mean(const struct adt_batch_entry *e, size_t n, int pixel, struct adt_level_mean *m);

/* The value of a mean's field by name (f1, precision, recall, auroc, ap,
 * pauroc, aupro, categories); -1 when the name is not a mean field. */
int adt_mean_field(const struct adt_level_mean *m, const char *name, double *out);

/* Writes a batch: a row per category and level, then the mean rows.  JSON
 * is {"adthresh": ..., "categories": {NAME: {"image": {...}, "pixel":
 * {...}} or {"error": MESSAGE}}, "mean": {"image": {...}, "pixel":
 * {...}}}.  Returns 0, or -1 with ADT_EIO when a write fails. */
int adt_report_write_batch(FILE *f, enum adt_out_format fmt, const struct adt_batch_entry *e,
			   size_t n, const char *policy, struct adt_error *err);

/* Writes the thresholds of the entries as JSON for --thresholds to read
 * back: {"adthresh": ..., "rule": ">=", "image": {"threshold": x},
 * "pixel": {...}} for a single run (batch == 0, one entry), or with
 * "categories": {NAME: {...}}; thresholds with %.17g.  Failed categories
 * are left out.  Returns 0, or -1 with ADT_EIO. */
int adt_thresholds_write(FILE *f, const struct adt_batch_entry *e, size_t n, int batch,
			 struct adt_error *err);

/* Writes s as one CSV field: as it is, or in double quotes (quotes
 * doubled) when it holds a comma, a quote or a line end. */
void adt_csv_field(FILE *f, const char *s);

/* Formats x in the shortest decimal form that reads back as the same
 * double (at most 17 significant digits) into buf (at least 32 bytes). */
void adt_format_shortest(char *buf, size_t size, double x);

#endif
