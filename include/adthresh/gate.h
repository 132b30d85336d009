/* --fail-under: bounds on reported fields that steer the exit status. */
#ifndef ADTHRESH_GATE_H
#define ADTHRESH_GATE_H

#include <stddef.h>

#include "adthresh/error.h"
#include "adthresh/eval.h"
#include "adthresh/fields.h"
#include "adthresh/run.h"

/* One bound: scope.level.field >= bound. */
struct adt_gate {
	char *scope; /* "" (single run), "mean", "*" (every category) or a category */
	int pixel;   /* 0 image level, 1 pixel level */
	const struct adt_field *field; /* NULL: the mean's "categories" */
	const char *name;	       /* the field's name */
	double bound;
	char *text; /* as the user wrote it, for messages */
};

/* A growable list; zeroed is empty. */
struct adt_gates {
	struct adt_gate *v;
	size_t n, cap;
};

/* Parses "image.auroc=0.95,pixel.f1=0.6" (single run) or, with batch,
 * "mean.pixel.auroc=0.97,*.image.auroc=0.9,bottle.pixel.f1=0.5".  Fields:
 * the ADT_FIELD_GATE fields of the level (adt_fields); in the mean, the
 * ADT_FIELD_MEAN ones and categories.  Returns 0, or -1 with ADT_EUSAGE
 * naming the malformed gate; an unknown field's message lists the valid
 * names ("invalid gate 'image.speed=1': unknown field 'speed' (fields: n,
 * positives, ...)"). */
int adt_gates_parse(const char *spec, int batch, struct adt_gates *g, struct adt_error *err);

void adt_gates_release(struct adt_gates *g);

/* Whether the options compute what gate g bounds: a field present only
 * with an option (pauroc, aupro, aupimo) needs it.  Returns 0, or -1 with
 * ADT_EUSAGE "gate 'pixel.aupro=0.9' needs --aupro". */
int adt_gate_available(const struct adt_gate *g, const struct adt_eval_opts *o,
		       struct adt_error *err);

/* The batch mean of level (0 image, 1 pixel) over the entries that did
 * not fail. */
void adt_entries_mean(const struct adt_entry *e, size_t n, int level, struct adt_level_mean *m);

/* Checks every gate against the entries (one unnamed entry for a single
 * run).  Calls unmet(ctx, message) for each bound not met (an undefined
 * value does not meet its bound) and returns how many were not met; or
 * returns -1 with ADT_EUSAGE when a gate names a category or level that
 * the run does not have.  Failed categories are not checked. */
int adt_gates_check(const struct adt_gates *g, const struct adt_entry *e, size_t n, int batch,
		    void (*unmet)(void *ctx, const char *message), void *ctx,
		    struct adt_error *err);

#endif
