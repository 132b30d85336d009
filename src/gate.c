/* --fail-under gates (see gate.h). */
#include "adthresh/gate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/value.h"

static const char *const level_fields[] = {
    "n",  "positives", "negatives", "threshold", "f1",	"precision", "recall", "tp",	"fp",
    "fn", "tn",	       "auroc",	    "ap",	 "min", "max",	     "pauroc", "aupro", NULL};
static const char *const mean_fields[] = {"f1",	    "precision", "recall",     "auroc", "ap",
					  "pauroc", "aupro",	 "categories", NULL};

static int in(const char *const *list, const char *s)
{
	for (; *list; list++) {
		if (strcmp(*list, s) == 0)
			return 1;
	}
	return 0;
}

int adt_level_field(const struct adt_level_result *r, const char *name, double *out)
{
	const struct {
		const char *name;
		double value;
	} f[] = {{"n", (double)r->n},
		 {"positives", (double)r->positives},
		 {"negatives", (double)r->negatives},
		 {"threshold", r->threshold},
		 {"f1", r->f1},
		 {"precision", r->precision},
		 {"recall", r->recall},
		 {"tp", (double)r->tp},
		 {"fp", (double)r->fp},
		 {"fn", (double)r->fn},
		 {"tn", (double)r->tn},
		 {"auroc", r->auroc},
		 {"ap", r->ap},
		 {"min", r->min},
		 {"max", r->max},
		 {"pauroc", r->pauroc},
		 {"aupro", r->aupro}};

	for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++) {
		if (strcmp(f[i].name, name) == 0) {
			*out = f[i].value;
			return 0;
		}
	}
	return -1;
}

/* One "scope.level.field=bound" item. */
static int parse_one(const char *item, int batch, struct adt_gate *g, struct adt_error *err)
{
	char path[300], *eq, *dot, *level, *field;
	const char *what = batch ? "[CATEGORY|mean|*].LEVEL.FIELD=BOUND" : "LEVEL.FIELD=BOUND";

	memset(g, 0, sizeof(*g));
	snprintf(g->text, sizeof(g->text), "%s", item);
	if (strlen(item) >= sizeof(path) || !(eq = strchr(item, '=')))
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s' (expected %s%s)", item,
				     what,
				     strspn(item, "0123456789") == strlen(item)
					 ? "; a decimal comma? bounds take '.'"
					 : "");
	memcpy(path, item, (size_t)(eq - item));
	path[eq - item] = '\0';
	if (adt_parse_double(eq + 1, "bound", &g->bound, err)) {
		char why[sizeof(err->msg)];

		/* err->msg cannot be both the source and the target. */
		memcpy(why, err->msg, sizeof(why));
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s': %.900s", item, why);
	}
	field = strrchr(path, '.');
	if (!field)
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s' (expected %s)", item,
				     what);
	*field++ = '\0';
	dot = strrchr(path, '.');
	level = dot ? dot + 1 : path;
	if (dot) {
		*dot = '\0';
		snprintf(g->scope, sizeof(g->scope), "%.127s", path);
	}
	if (strcmp(level, "image") != 0 && strcmp(level, "pixel") != 0)
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': level '%s' (expected image or pixel)",
				     item, level);
	g->pixel = strcmp(level, "pixel") == 0;
	if (batch && !g->scope[0])
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': in a batch, say mean.%s, *.%s or "
				     "CATEGORY.%s",
				     item, level, level, level);
	if (!batch && g->scope[0])
		return adt_error_set(
		    err, ADT_EUSAGE,
		    "invalid gate '%s': categories and mean exist only with --batch", item);
	snprintf(g->field, sizeof(g->field), "%.31s", field);
	if (strcmp(g->scope, "mean") == 0 ? !in(mean_fields, field) : !in(level_fields, field))
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s': unknown field '%s'", item,
				     field);
	if (strcmp(field, "aupro") == 0 && !g->pixel)
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': AU-PRO is a pixel-level metric", item);
	return 0;
}

int adt_gates_parse(const char *spec, int batch, struct adt_gates *g, struct adt_error *err)
{
	const char *p = spec;

	do {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[300];
		struct adt_gate *v;

		/* Blanks around an item are allowed; an empty item is not. */
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0)
			return adt_error_set(err, ADT_EUSAGE, "empty gate in --fail-under '%s'",
					     spec);
		if (len >= sizeof(item))
			return adt_error_set(err, ADT_EUSAGE, "gate '%.40s...' is too long", p);
		memcpy(item, p, len);
		item[len] = '\0';
		v = realloc(g->v, (g->n + 1) * sizeof(*g->v));
		if (!v)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		g->v = v;
		if (parse_one(item, batch, &g->v[g->n], err))
			return -1;
		g->n++;
		p = end ? end + 1 : NULL;
	} while (p);
	return 0;
}

void adt_gates_release(struct adt_gates *g)
{
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

/* Checks one value against its gate; reports it when not met. */
static int check_value(const struct adt_gate *g, const char *where, double v,
		       void (*unmet)(void *, const char *), void *ctx)
{
	char msg[512], num[40], bound[40];

	if (!isnan(v) && v >= g->bound)
		return 0;
	adt_format_shortest(bound, sizeof(bound), g->bound);
	if (isnan(v)) {
		snprintf(msg, sizeof(msg), "%s%s.%s is undefined, so not at least %s", where,
			 g->pixel ? "pixel" : "image", g->field, bound);
	} else {
		adt_format_shortest(num, sizeof(num), v);
		snprintf(msg, sizeof(msg), "%s%s.%s is %s, under %s", where,
			 g->pixel ? "pixel" : "image", g->field, num, bound);
	}
	unmet(ctx, msg);
	return 1;
}

int adt_gates_check(const struct adt_gates *g, const struct adt_batch_entry *e, size_t n, int batch,
		    void (*unmet)(void *ctx, const char *message), void *ctx, struct adt_error *err)
{
	int failed = 0;

	for (size_t k = 0; k < g->n; k++) {
		const struct adt_gate *gate = &g->v[k];
		const char *level = gate->pixel ? "pixel" : "image";
		size_t seen = 0;

		if (strcmp(gate->scope, "mean") == 0) {
			struct adt_level_mean m;
			double v;

			adt_batch_mean(e, n, gate->pixel, &m);
			if (m.categories == 0)
				return adt_error_set(err, ADT_EUSAGE,
						     "gate '%s': no category has a %s level",
						     gate->text, level);
			adt_mean_field(&m, gate->field, &v);
			failed += check_value(gate, "mean.", v, unmet, ctx);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			const struct adt_level_result *r = gate->pixel ? e[i].pixel : e[i].image;
			char where[200] = "";
			double v = NAN;

			if (batch && strcmp(gate->scope, "*") != 0 &&
			    strcmp(gate->scope, e[i].name))
				continue;
			seen++;
			if (e[i].error)
				continue;
			if (!r)
				return adt_error_set(err, ADT_EUSAGE,
						     "gate '%s': %s%s has no %s level", gate->text,
						     batch ? "category " : "this run",
						     batch ? e[i].name : "", level);
			if (batch)
				snprintf(where, sizeof(where), "%.190s.", e[i].name);
			adt_level_field(r, gate->field, &v);
			failed += check_value(gate, where, v, unmet, ctx);
		}
		if (seen == 0)
			return adt_error_set(err, ADT_EUSAGE, "gate '%s': no category '%s'",
					     gate->text, gate->scope);
	}
	return failed;
}
