/* The fields of a level's result: one table that the JSON and CSV
 * writers, the text tables, the gates, the batch means and the help text
 * all walk.  Adding a metric means a row here and the code that computes
 * it. */
#ifndef ADTHRESH_FIELDS_H
#define ADTHRESH_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/metrics.h"

enum adt_field_type {
	ADT_FIELD_COUNT,      /* uint64_t */
	ADT_FIELD_REAL,	      /* double; NaN is undefined (null, empty, n/a) */
	ADT_FIELD_RULE,	      /* enum adt_rule, as ">=" or ">" */
	ADT_FIELD_TEXT,	      /* a char array (empty: the field's fallback) */
	ADT_FIELD_STRING,     /* const char * (NULL: absent) */
	ADT_FIELD_NORMALIZED, /* JSON only: {"method": "minmax", "threshold", "min",
			       * "max"} after anomalib's normalisation */
	ADT_FIELD_AUPIMO      /* double (the mean) elsewhere; in JSON {"fpr_lower",
			       * "fpr_upper", "images", "mean", "std"} */
};

/* When a field is present in a level's result. */
enum adt_field_when {
	ADT_WHEN_ALWAYS = 0,
	ADT_WHEN_PAUROC,    /* with --max-fpr (r->max_fpr > 0) */
	ADT_WHEN_AUPRO,	    /* with --aupro (r->aupro_limit > 0) */
	ADT_WHEN_NORMALIZE, /* with --normalize */
	ADT_WHEN_SOURCE,    /* when r->source is set (the image level) */
	ADT_WHEN_SIGMA,	    /* when the policy is sigma:K */
	ADT_WHEN_AUPIMO	    /* with --aupimo (r->aupimo_upper > 0) */
};

enum {
	ADT_FIELD_IMAGE = 1 << 0,      /* the image level has it */
	ADT_FIELD_PIXEL = 1 << 1,      /* the pixel level has it */
	ADT_FIELD_GATE = 1 << 2,       /* a number a gate may bound */
	ADT_FIELD_MEAN = 1 << 3,       /* averaged over the categories of a batch */
	ADT_FIELD_PARAM = 1 << 4,      /* a parameter the batch mean repeats */
	ADT_FIELD_CSV = 1 << 5,	       /* a column of the CSV output */
	ADT_FIELD_BREAK = 1 << 6,      /* JSON: a new line before it */
	ADT_FIELD_MEAN_BREAK = 1 << 7, /* JSON of the mean: a new line before it */
	ADT_FIELD_SHORTEST = 1 << 8,   /* text tables: exact, not rounded */
	ADT_FIELD_NOJSON = 1 << 9,     /* not a key of the level's JSON object */
	ADT_FIELD_BOTH = ADT_FIELD_IMAGE | ADT_FIELD_PIXEL
};

struct adt_field {
	const char *name; /* JSON key, CSV column, gate field */
	enum adt_field_type type;
	size_t offset; /* in struct adt_level_result */
	unsigned flags;
	enum adt_field_when when;
	const char *heading;  /* text and Markdown column heading; NULL: the name */
	const char *fallback; /* ADT_FIELD_TEXT: printed when empty */
};

/* The fields in output order; adt_field_count of them. */
extern const struct adt_field adt_fields[];
extern const size_t adt_field_count;

/* The field called name, or NULL. */
const struct adt_field *adt_field_find(const char *name);

/* Whether level (0 image, 1 pixel) result r has field f. */
int adt_field_present(const struct adt_field *f, const struct adt_level_result *r, int level);

/* The value of a number field (COUNT, REAL) of r; NaN when undefined. */
double adt_field_number(const struct adt_field *f, const struct adt_level_result *r);

/* The value of a COUNT field of r, exactly (0 for other fields). */
uint64_t adt_field_uint(const struct adt_field *f, const struct adt_level_result *r);

/* The value of a word field (RULE, TEXT, STRING) of r; NULL when absent. */
const char *adt_field_text(const struct adt_field *f, const struct adt_level_result *r);

/* The names of the fields with all of `flags` and none of `without`
 * (and, with mean set, the mean's "categories" first), comma-separated,
 * into buf (cut with "..." only if size is too small).  For messages and
 * the help text. */
void adt_field_names(char *buf, size_t size, unsigned flags, unsigned without, int mean);

/* The option a field needs to be present ("--aupro", "--max-fpr",
 * "--aupimo", "--normalize", "--policy sigma:K"), or NULL when no option
 * adds it. */
const char *adt_field_option(const struct adt_field *f);

/* The columns of the tables chosen by name (--columns): "category" (a
 * batch's), "level", and the fields of adt_fields but "normalized" (an
 * object in JSON), each at most once, in the order given. */
enum { ADT_COLUMN_CATEGORY = -2, ADT_COLUMN_LEVEL = -1, ADT_COLUMNS_MAX = 34 };

struct adt_columns {
	size_t n;		/* 0: the writer's default columns */
	int v[ADT_COLUMNS_MAX]; /* an index in adt_fields, or ADT_COLUMN_* */
};

/* Parses list, comma-separated names, into c.  Returns 0, or -1 with
 * ADT_EUSAGE: "--columns: unknown column 'NAME' (expected category,
 * level, n, ...)", "--columns: empty column name in 'LIST'", "--columns:
 * 'NAME' is listed twice". */
int adt_columns_parse(const char *list, struct adt_columns *c, struct adt_error *err);

/* The name of column v of a struct adt_columns. */
const char *adt_column_name(int v);

/* The mean of each ADT_FIELD_MEAN field over the categories that have
 * the level; a value undefined in any of them is NaN, and so is a field
 * no category has.  ADT_FIELD_PARAM fields are copied from the last. */
enum { ADT_FIELDS_MAX = 32 }; /* room for adt_field_count */

struct adt_level_mean {
	size_t categories;	  /* 0: no category has the level */
	double v[ADT_FIELDS_MAX]; /* by index in adt_fields */
	int has[ADT_FIELDS_MAX];  /* the field is in the mean */
};

/* Starts a mean (no category yet). */
void adt_mean_init(struct adt_level_mean *m);

/* Adds one category's result r of level (0 image, 1 pixel). */
void adt_mean_add(struct adt_level_mean *m, const struct adt_level_result *r, int level);

/* Divides the sums: the means of the categories added. */
void adt_mean_finish(struct adt_level_mean *m);

/* The mean's value of the field called name ("categories" too); -1 when
 * the mean has no such field. */
int adt_mean_field(const struct adt_level_mean *m, const char *name, double *out);

#endif
