/* Reading an image-level score file: loading it, choosing its format
 * (score_formats.h has the readers of each) and the checks common to all. */
#ifndef ADTHRESH_READ_H
#define ADTHRESH_READ_H

#include <stddef.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"
#include "adthresh/read_opts.h"
#include "adthresh/samples.h"
#include "adthresh/score_formats.h"

/* Reads the score file at path ("-" is standard input) into out, which
 * must be empty (adt_samples_init).  The format comes from o->format, else
 * from the extension (.csv .tsv .tab .txt .json .jsonl .ndjson), else is
 * sniffed.  Labels are resolved (see value.h); ids are checked for
 * duplicates; empty input is an error.  On error returns -1, out holds
 * nothing that must be used (release it), and err names the file and,
 * where known, the line. */
int adt_read_scores_file(const char *path, struct adt_read_opts *o, struct adt_samples *out,
			 struct adt_error *err);

/* As adt_read_scores_file on a buffer; name is used for the format guess
 * (by extension) and in errors. */
int adt_read_scores_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
			struct adt_samples *out, struct adt_error *err);

/* A threshold read from a file written by --save-thresholds. */
struct adt_saved_threshold {
	char *category; /* NULL in the file of a single run */
	int pixel;	/* 0 image level, 1 pixel level */
	double value;
};

struct adt_thresholds {
	struct adt_saved_threshold *v;
	size_t n;
	int batch;	    /* the file holds categories */
	enum adt_rule rule; /* the rule they were chosen with */
};

/* Reads a thresholds file (JSON, in read_json.c): {"rule": ">=", "image":
 * {"threshold": x}, "pixel": {"threshold": y}} or {"rule": ...,
 * "categories": {NAME: {"image": {...}, "pixel": {...}}}}; other fields
 * are ignored.  Returns 0, or -1 with err (t is empty then). */
int adt_read_thresholds_mem(const void *buf, size_t len, const char *name, struct adt_thresholds *t,
			    struct adt_error *err);

/* Frees what t owns. */
void adt_thresholds_release(struct adt_thresholds *t);

#endif
