/* Readers of image-level score files: CSV/TSV, JSON and JSON Lines. */
#ifndef ADTHRESH_READ_H
#define ADTHRESH_READ_H

#include <stddef.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"
#include "adthresh/samples.h"

enum adt_format {
	ADT_FMT_AUTO = 0, /* from the file name, else sniffed from the content */
	ADT_FMT_CSV,	  /* delimiter auto-detected unless given */
	ADT_FMT_TSV,	  /* CSV with a tab delimiter */
	ADT_FMT_JSON,
	ADT_FMT_JSONL
};

/* How to read a score file.  All pointers are borrowed. */
struct adt_read_opts {
	enum adt_format format;
	char delimiter;		    /* CSV: 0 auto-detects among ',' ';' '\t' */
	const char *score_col;	    /* NULL: found by name; else a name or a 1-based index */
	const char *label_col;	    /* likewise */
	const char *id_col;	    /* likewise */
	const char *positive_label; /* NULL: built-in label words */
	int verbose;		    /* nonzero: fill notes (see below) */
	/* Out: a human note on a choice the reader made, such as labels taken
	 * from folder names; empty when none.  Never an error. */
	char note[256];
};

/* Sets every option to its default. */
void adt_read_opts_init(struct adt_read_opts *o);

/* Parses a format name: csv, tsv, json, jsonl (ndjson).  -1 if unknown. */
int adt_format_parse(const char *name, enum adt_format *out);

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

/* The format readers themselves, on a buffer.  Each handles a UTF-8 BOM,
 * fills out, resolves labels and returns 0, or -1 with err at the line.
 * They do not check for empty input or duplicate ids (the callers above
 * do).  The CSV reader refuses a field of more than ADT_CSV_FIELD_MAX
 * bytes (ADT_EFORMAT, at the line where its row starts), before holding
 * much more than that of it. */
#define ADT_CSV_FIELD_MAX ((size_t)1 << 20)
int adt_read_csv_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		     struct adt_samples *out, struct adt_error *err);
int adt_read_json_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		      struct adt_samples *out, struct adt_error *err);
int adt_read_jsonl_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
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
