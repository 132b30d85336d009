/* Parsing single values of the input: scores, labels and column names.
 * All parsing is in the C locale whatever the environment says. */
#ifndef ADTHRESH_VALUE_H
#define ADTHRESH_VALUE_H

#include <stddef.h>

#include "adthresh/error.h"

/* Parses a decimal number strictly: optional sign, digits with an optional
 * '.' fraction, optional exponent, nothing else (surrounding blanks are
 * allowed).  Hex floats, thousands separators and decimal commas are
 * refused.  On failure returns -1 with ADT_EDATA and a message naming
 * `what` (e.g. "score"), without file or line:
 *   "score is empty", "score 'nan' is not a number (NaN)",
 *   "score 'inf' is not finite", "score '1e999' overflows a double",
 *   "score '0,5' has a decimal comma; use '.'",
 *   "score 'abc' is not a number".
 * A value longer than 60 bytes is quoted by its first 60 (whole UTF-8
 * characters) and "...": "score 'aaaa...' is not a number". */
int adt_parse_double(const char *text, const char *what, double *out, struct adt_error *err);

/* Parses a whole number in [min, max] strictly (for options and column
 * indices).  Returns 0, or -1 with ADT_EUSAGE naming `what`. */
int adt_parse_long(const char *text, const char *what, long min, long max, long *out,
		   struct adt_error *err);

/* Column roles recognised by name. */
enum adt_role { ADT_ROLE_NONE = 0, ADT_ROLE_SCORE, ADT_ROLE_LABEL, ADT_ROLE_ID };

/* The role of a column or key named `name`, case-insensitively, from the
 * built-in name lists.  With plural != 0 a trailing 's' is also accepted
 * ("gt_labels", "pred_scores", "image_paths"). */
enum adt_role adt_role_of(const char *name, int plural);

/* The built-in names of a role, comma-separated, for messages. */
const char *adt_role_names(enum adt_role role);

/* Collects label values: knows the built-in words, or a single explicit
 * anomalous value, and remembers unknown values for one error at the end
 * listing all of them. */
struct adt_labeler {
	const char *positive;	  /* NULL: built-in words; else the anomalous value */
	char *unknown[8];	  /* distinct unknown values seen (owned), first 8 */
	size_t n_unknown;	  /* distinct unknown values seen in all */
	unsigned long first_line; /* line of the first unknown value */
};

/* Sets lb up; positive is borrowed and may be NULL. */
void adt_labeler_init(struct adt_labeler *lb, const char *positive);

/* Frees what lb owns. */
void adt_labeler_release(struct adt_labeler *lb);

/* Maps one label text to 0 or 1 in *label.  Built-in words, compared
 * case-insensitively after trimming blanks: 0, false, normal, good, ok ->
 * 0; 1, true, anomalous, abnormal, anomaly, defect, defective, bad, ng ->
 * 1.  A number (adt_parse_double's syntax) is a label when its decimal
 * value is exactly 0 or 1 as written, judged on the text and never
 * through a double: 0.0, -0, .0, 00, 0e5 are 0; 1.0, 1., +1, 001, 1e0,
 * 10e-1, 0.1e1 are 1; 0.99999999999999999999 and 1e-400, which only
 * round to 1 and 0, are unknown, as are -1 and 2.  JSON readers pass a
 * number's text as written.  With an explicit positive value, that value
 * (case-insensitively) is 1 and every other non-empty value is 0.  An
 * unknown or empty value is remembered with its line and 1 is returned;
 * the caller goes on and calls adt_labeler_finish at the end.  Returns 0
 * when known, 1 when unknown, -1 with ADT_ENOMEM. */
int adt_labeler_parse(struct adt_labeler *lb, const char *text, unsigned long line, int *label,
		      struct adt_error *err);

/* Returns 0 when every label was known, else -1 with ADT_EDATA at the line
 * of the first unknown value: "unknown label 'x' (values seen: 'x', 'y';
 * expected ...)"; up to 8 values are listed, each quoted as
 * adt_parse_double quotes a value. */
int adt_labeler_finish(const struct adt_labeler *lb, struct adt_error *err);

/* The MVTec AD convention for a sample without a label: an id whose
 * parent folder is named good, ok or normal (case-insensitively) is
 * normal (0), an id in any other folder anomalous (1): test/good/000.png
 * is normal, test/crack/000.png anomalous.  Returns 0, or -1 when the id
 * has no folder at all. */
int adt_label_from_path(const char *id, int *label);

#endif
