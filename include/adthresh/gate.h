/* --fail-under and --gate: bounds on reported fields that steer the exit
 * status. */
#ifndef ADTHRESH_GATE_H
#define ADTHRESH_GATE_H

#include <stddef.h>

#include "adthresh/app.h"
#include "adthresh/error.h"
#include "adthresh/eval.h"
#include "adthresh/fields.h"
#include "adthresh/run.h"

/* Which side of its bound a gate keeps the value on. */
enum adt_gate_op {
	ADT_GATE_AT_LEAST, /* value >= bound (--fail-under's only kind) */
	ADT_GATE_AT_MOST   /* value <= bound */
};

/* One bound: scope.level.field >= bound (or <=), or on a defect row
 * scope.defect.NAME.level.field. */
struct adt_gate {
	char *scope;  /* "" (single run), "mean", "*" (every category) or a category */
	char *defect; /* NULL: the level's result; else the defect folder's row */
	int pixel;    /* 0 image level, 1 pixel level */
	const struct adt_field *field; /* NULL: the mean's "categories" or a defect field */
	size_t defect_field;	       /* with defect: the index in adt_defect_fields */
	const char *name;	       /* the field's name */
	enum adt_gate_op op;
	int two_sided; /* written for --gate: "PATH>=BOUND", and said with the operator */
	double bound;
	char *text; /* as the user wrote it, for messages */
};

/* A growable list; zeroed is empty. */
struct adt_gates {
	struct adt_gate *v;
	size_t n, cap;
};

/* Parses the gates of one option and adds them to g.  --fail-under's
 * (two_sided 0) are "image.auroc=0.95,pixel.f1=0.6", lower bounds; --gate's
 * (two_sided 1) are "image.fp<=5,pixel.recall>=0.9", either way.  A single
 * run's paths are LEVEL.FIELD or defect.NAME.LEVEL.FIELD; with batch
 * (the scope first) mean.LEVEL.FIELD, *.LEVEL.FIELD, CATEGORY.LEVEL.FIELD,
 * *.defect.NAME.LEVEL.FIELD or CATEGORY.defect.NAME.LEVEL.FIELD.  Fields:
 * the ADT_FIELD_GATE fields of the level (adt_fields); in the mean, the
 * ADT_FIELD_MEAN ones and categories; on a defect row adt_defect_fields.
 * Returns 0, or -1 with ADT_EUSAGE naming the malformed gate ("invalid
 * gate 'image.f1=0.9' (expected LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND)",
 * "empty gate in --gate ''"); an unknown field's message lists the valid
 * names ("invalid gate 'image.speed=1': unknown field 'speed' (fields: n,
 * positives, ...)", "... (fields of a defect row: n, positives, ...)");
 * "... --fail-under takes LEVEL.FIELD=BOUND, at least BOUND; --gate takes
 * >= and <=" for an operator given to --fail-under. */
int adt_gates_parse(const char *spec, int batch, int two_sided, struct adt_gates *g,
		    struct adt_error *err);

void adt_gates_release(struct adt_gates *g);

/* Whether the options of job compute what gate g bounds: a field present
 * only with an option (pauroc, aupro, aupimo) needs it, and a defect row needs the
 * per-defect breakdown.  Returns 0, or -1 with ADT_EUSAGE "gate
 * 'pixel.aupro=0.9' needs --aupro" ("... needs --max-fpr", "... needs
 * --per-defect"). */
int adt_gate_available(const struct adt_gate *g, const struct adt_job *job, struct adt_error *err);

/* The batch mean of level (0 image, 1 pixel) over the entries that did
 * not fail. */
void adt_entries_mean(const struct adt_entry *e, size_t n, int level, struct adt_level_mean *m);

/* Checks every gate against the entries (one unnamed entry for a single
 * run).  Calls unmet(ctx, message) for each bound not met (an undefined
 * value does not meet its bound) and returns how many were not met; or
 * returns -1 with ADT_EUSAGE when a gate names a category or level that
 * the run does not have.  Failed categories are not checked.  A defect
 * gate bounds the row of its folder in each category of its scope that
 * has the folder (*.defect.crack: every category with a crack folder);
 * when none of them has it, it returns -1 with ADT_EDATA "gate
 * 'defect.dent.image.recall>=0.9': no defect folder 'dent' (defects:
 * crack, good)", naming the folders of the categories in scope.  Unmet
 * lines: --fail-under's "image.auroc is 0.9, under 0.95" and "... is
 * undefined, so not at least 0.5"; --gate's "image.fp is 7, not <= 5" and
 * "defect.good.image.recall is undefined, so not >= 0.9". */
int adt_gates_check(const struct adt_gates *g, const struct adt_entry *e, size_t n, int batch,
		    void (*unmet)(void *ctx, const char *message), void *ctx,
		    struct adt_error *err);

#endif
