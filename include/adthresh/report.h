/* Writing results: a text table, JSON, CSV or Markdown. */
#ifndef ADTHRESH_REPORT_H
#define ADTHRESH_REPORT_H

#include <stdio.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"

enum adt_out_format { ADT_OUT_TEXT = 0, ADT_OUT_JSON, ADT_OUT_CSV, ADT_OUT_MARKDOWN };

/* What one run reports; a NULL level is absent from the output. */
struct adt_report {
	const struct adt_level_result *image;
	const struct adt_level_result *pixel;
	const char *policy; /* "f1" */
};

/* Parses text, json, csv, markdown (md).  Returns -1 if unknown. */
int adt_out_format_parse(const char *name, enum adt_out_format *out);

/* Writes rep to f in format fmt.  Real numbers in JSON and CSV are
 * printed with %.17g (round-trip exact), undefined ones as null (JSON) or
 * empty (CSV) or n/a (text, Markdown).  Returns 0, or -1 with ADT_EIO
 * when a write fails (the caller still closes f). */
int adt_report_write(FILE *f, enum adt_out_format fmt, const struct adt_report *rep,
		     struct adt_error *err);

/* Formats x in the shortest decimal form that reads back as the same
 * double (at most 17 significant digits) into buf (at least 32 bytes). */
void adt_format_shortest(char *buf, size_t size, double x);

#endif
