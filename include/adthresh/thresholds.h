/* Thresholds files, as --save-thresholds writes them: the chosen
 * threshold of each level, of a single run or of every category of a
 * batch, with the rule they were chosen with, to apply them to other
 * data with --thresholds. */
#ifndef ADTHRESH_THRESHOLDS_H
#define ADTHRESH_THRESHOLDS_H

#include <stddef.h>
#include <stdio.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"

/* A threshold read from a file written by --save-thresholds. */
struct adt_saved_threshold {
	char *category; /* NULL in the file of a single run */
	int pixel;	/* 0 image level, 1 pixel level */
	double value;
};

struct adt_thresholds {
	struct adt_saved_threshold *v;
	size_t n, cap;
	int batch;	    /* the file holds categories */
	enum adt_rule rule; /* the rule they were chosen with */
};

/* Reads a thresholds file (JSON) held in buf, a UTF-8 BOM allowed:
 * {"rule": ">=", "image": {"threshold": x}, "pixel": {"threshold": y}}
 * or {"rule": ..., "categories": {NAME: {"image": {...}, "pixel":
 * {...}}}}; other fields are ignored.  "rule" is ">=" (or "ge", also
 * when absent) or ">" (or "gt").  Returns 0, or -1 with err naming the
 * file (t is empty then): a JSON syntax error at its line (json.h), or
 * "trailing data after the JSON document" at its line; with line 0
 * ADT_EFORMAT "empty thresholds file", "a thresholds file is a JSON
 * object (as --save-thresholds writes)", "\"categories\" must be an
 * object", "duplicate category 'NAME'", "duplicate key 'K'" (with " in
 * category 'NAME'"); ADT_EDATA "\"rule\" must be \">=\" or \">\"",
 * "category 'NAME' must be an object of levels", "NAME: 'image' needs a
 * finite number \"threshold\"" (without "NAME: " in a single run's
 * file), "no threshold in the file (expected \"image\" or \"pixel\"
 * objects with a \"threshold\")"; ADT_ENOMEM "out of memory". */
int adt_read_thresholds_mem(const void *buf, size_t len, const char *name, struct adt_thresholds *t,
			    struct adt_error *err);

/* Frees what t owns. */
void adt_thresholds_release(struct adt_thresholds *t);

struct adt_result;

/* Writes the thresholds of the entries as JSON for --thresholds to read
 * back: {"adthresh": ..., "rule": ">=", "image": {"threshold": x},
 * "pixel": {...}} for a single run, or with "categories": {NAME: {...}}
 * for a batch; thresholds in the shortest form that reads back as the same double.  Failed
 * categories are left out. Returns 0, or -1 with ADT_EIO. */
int adt_thresholds_write(FILE *f, const struct adt_result *res, struct adt_error *err);

#endif
