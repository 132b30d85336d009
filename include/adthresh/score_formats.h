/* The readers of one score-file format each, on a buffer: CSV/TSV in
 * read_csv.c, JSON and JSON Lines in read_scores_json.c.  read.h picks
 * one of them for a file. */
#ifndef ADTHRESH_SCORE_FORMATS_H
#define ADTHRESH_SCORE_FORMATS_H

#include <stddef.h>

#include "adthresh/error.h"
#include "adthresh/read_opts.h"
#include "adthresh/samples.h"

/* Each handles a UTF-8 BOM, fills out, resolves labels and returns 0, or
 * -1 with err at the line.  o may be NULL for the defaults.  They do not
 * check for empty input or duplicate ids (read.h's readers do).  The CSV
 * reader refuses a field of more than ADT_CSV_FIELD_MAX bytes
 * (ADT_EFORMAT, at the line where its row starts), before holding much
 * more than that of it. */
#define ADT_CSV_FIELD_MAX ((size_t)1 << 20)
int adt_read_csv_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		     struct adt_samples *out, struct adt_error *err);
int adt_read_json_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		      struct adt_samples *out, struct adt_error *err);
int adt_read_jsonl_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		       struct adt_samples *out, struct adt_error *err);

/* The version of libcsv that read_csv.c was compiled with ("3.0.3"),
 * from csv.h's CSV_MAJOR, CSV_MINOR and CSV_RELEASE (libcsv has no
 * function that tells its version at run time); empty when csv.h does
 * not define them.  Written into buf, truncated to size - 1 bytes; size
 * must be at least 1. */
void adt_csv_library_version(char *buf, size_t size);

#endif
