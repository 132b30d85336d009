/* Writing a run's result: a text table, JSON, CSV or Markdown.  One set
 * of writers over the list of entries: a single run is the list of one
 * (its JSON keeps the single-run schema), a batch adds a category column
 * and the mean rows. */
#ifndef ADTHRESH_REPORT_H
#define ADTHRESH_REPORT_H

#include <stdio.h>

#include "adthresh/error.h"
#include "adthresh/fields.h"
#include "adthresh/format.h"
#include "adthresh/run.h"

enum adt_out_format { ADT_OUT_TEXT = 0, ADT_OUT_JSON, ADT_OUT_CSV, ADT_OUT_MARKDOWN };

/* Parses text, json, csv, markdown (md).  Returns -1 if unknown. */
int adt_out_format_parse(const char *name, enum adt_out_format *out);

/* Writes res to f in format fmt.  The fields of each level are those of
 * adt_fields (fields.h), present as the options ask.  Real numbers in
 * JSON and CSV are printed in the shortest form that reads back as the
 * same double (adt_format_exact), undefined ones
 * as null (JSON) or empty (CSV) or n/a (text, Markdown).
 *
 * A single run's JSON is {"adthresh": VERSION, "image": {...}, "pixel":
 * {...}, "defects": {...}}; a batch's is {"adthresh": ..., "categories":
 * {NAME: {"image": {...}, "pixel": {...}} or {"error": MESSAGE}}, "mean":
 * {"image": {...}, "pixel": {...}}}.  CSV has a row per level (and per
 * defect folder and level), a batch a category column first, an error
 * column and the mean rows.  Returns 0, or -1 with ADT_EIO when a write
 * fails (the caller still closes f), or ADT_ENOMEM. */
int adt_report_write(FILE *f, enum adt_out_format fmt, const struct adt_result *res,
		     const struct adt_columns *columns, struct adt_error *err);

#endif
