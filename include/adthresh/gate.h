/* --fail-under: bounds on reported fields that steer the exit status. */
#ifndef ADTHRESH_GATE_H
#define ADTHRESH_GATE_H

#include <stddef.h>

#include "adthresh/error.h"
#include "adthresh/report.h"

/* One bound: scope.level.field >= bound. */
struct adt_gate {
	char scope[128]; /* "" (single run), "mean", "*" (every category) or a category */
	int pixel;	 /* 0 image level, 1 pixel level */
	char field[32];
	double bound;
	char text[300]; /* as the user wrote it, for messages */
};

struct adt_gates {
	struct adt_gate *v;
	size_t n;
};

/* Parses "image.auroc=0.95,pixel.f1=0.6" (single run) or, with batch,
 * "mean.pixel.auroc=0.97,*.image.auroc=0.9,bottle.pixel.f1=0.5".  Fields:
 * n positives negatives threshold f1 precision recall tp fp fn tn auroc
 * ap min max; in the mean: f1 precision recall auroc ap categories.
 * Returns 0, or -1 with ADT_EUSAGE naming the malformed gate. */
int adt_gates_parse(const char *spec, int batch, struct adt_gates *g, struct adt_error *err);

void adt_gates_release(struct adt_gates *g);

/* The value of a level's field by name; -1 when the name is not a field. */
int adt_level_field(const struct adt_level_result *r, const char *name, double *out);

/* Checks every gate against the entries (one unnamed entry for a single
 * run).  Calls unmet(ctx, message) for each bound not met (an undefined
 * value does not meet its bound) and returns how many were not met; or
 * returns -1 with ADT_EUSAGE when a gate names a category or level that
 * the run does not have.  Failed categories are not checked. */
int adt_gates_check(const struct adt_gates *g, const struct adt_batch_entry *e, size_t n, int batch,
		    void (*unmet)(void *ctx, const char *message), void *ctx,
		    struct adt_error *err);

#endif
