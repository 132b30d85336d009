/* --fail-under gates (see gate.h). */
#include "adthresh/gate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/format.h"
#include "adthresh/grow.h"
#include "adthresh/messages.h"
#include "adthresh/value.h"

/* Sets g's field from its name; -1 when the scope has no such field. */
static int find_field(struct adt_gate *g, const char *name)
{
	const struct adt_field *f = adt_field_find(name);
	unsigned need = strcmp(g->scope, "mean") == 0 ? ADT_FIELD_MEAN : ADT_FIELD_GATE;

	if (need == ADT_FIELD_MEAN && strcmp(name, "categories") == 0) {
		g->name = "categories";
		return 0;
	}
	if (!f || !(f->flags & need))
		return -1;
	g->field = f;
	g->name = f->name;
	return 0;
}

/* One "scope.level.field=bound" item (item is modified). */
static int parse_one(char *item, int batch, struct adt_gate *g, struct adt_error *err)
{
	char *eq = strchr(item, '='), *dot, *level, *field;
	const char *what = batch ? "[CATEGORY|mean|*].LEVEL.FIELD=BOUND" : "LEVEL.FIELD=BOUND";

	if (!eq)
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s' (expected %s%s)", g->text,
				     what,
				     strspn(item, "0123456789") == strlen(item)
					 ? "; a decimal comma? bounds take '.'"
					 : "");
	*eq = '\0';
	if (adt_parse_double(eq + 1, "bound", &g->bound, err)) {
		struct adt_messages m;
		int ret;

		/* err->msg cannot be both the source and the target. */
		adt_messages_init(&m);
		if (adt_messages_add(&m, ADT_MSG_ERROR, "%s", err->msg))
			ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
		else
			ret = adt_error_set(err, ADT_EUSAGE, "invalid gate '%s': %s", g->text,
					    m.v[0].text);
		adt_messages_release(&m);
		return ret;
	}
	field = strrchr(item, '.');
	if (!field)
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s' (expected %s)", g->text,
				     what);
	*field++ = '\0';
	dot = strrchr(item, '.');
	level = dot ? dot + 1 : item;
	if (dot)
		*dot = '\0';
	g->scope = strdup(dot ? item : "");
	if (!g->scope)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (strcmp(level, "image") != 0 && strcmp(level, "pixel") != 0)
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': level '%s' (expected image or pixel)",
				     g->text, level);
	g->pixel = strcmp(level, "pixel") == 0;
	if (batch && !g->scope[0])
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': in a batch, say mean.%s, *.%s or "
				     "CATEGORY.%s",
				     g->text, level, level, level);
	if (!batch && g->scope[0])
		return adt_error_set(
		    err, ADT_EUSAGE,
		    "invalid gate '%s': categories and mean exist only with --batch", g->text);
	if (find_field(g, field)) {
		int mean = strcmp(g->scope, "mean") == 0;
		char names[512];

		adt_field_names(names, sizeof(names),
				(mean ? ADT_FIELD_MEAN : ADT_FIELD_GATE) |
				    (g->pixel ? ADT_FIELD_PIXEL : ADT_FIELD_IMAGE),
				0, mean);
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': unknown field '%s' (fields%s: %s)",
				     g->text, field, mean ? " of the mean" : "", names);
	}
	if (g->field && !(g->field->flags & (g->pixel ? ADT_FIELD_PIXEL : ADT_FIELD_IMAGE)))
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s': %s is a %s-level metric",
				     g->text, strcmp(g->name, "aupro") == 0 ? "AU-PRO" : g->name,
				     g->pixel ? "image" : "pixel");
	return 0;
}

int adt_gates_parse(const char *spec, int batch, struct adt_gates *g, struct adt_error *err)
{
	const char *p = spec;

	do {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct adt_gate *v;
		char *item;
		int ret;

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
		void *grown = g->v;

		if (adt_grow(&grown, &g->cap, g->n + 1, sizeof(*g->v)))
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		g->v = grown;
		v = &g->v[g->n++];
		memset(v, 0, sizeof(*v));
		v->text = strndup(p, len);
		item = strndup(p, len);
		if (!v->text || !item) {
			free(item);
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		}
		ret = parse_one(item, batch, v, err);
		free(item);
		if (ret)
			return -1;
		p = end ? end + 1 : NULL;
	} while (p);
	return 0;
}

void adt_gates_release(struct adt_gates *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].scope);
		free(g->v[i].text);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

int adt_gate_available(const struct adt_gate *g, const struct adt_eval_opts *o,
		       struct adt_error *err)
{
	if (!g->field)
		return 0;
	if (g->field->when == ADT_WHEN_AUPRO && !(o->aupro_limit > 0))
		return adt_error_set(err, ADT_EUSAGE, "gate '%s' needs --aupro", g->text);
	if (g->field->when == ADT_WHEN_PAUROC && !(o->max_fpr > 0))
		return adt_error_set(err, ADT_EUSAGE, "gate '%s' needs --max-fpr", g->text);
	if (g->field->when == ADT_WHEN_AUPIMO && !(o->aupimo_upper > 0))
		return adt_error_set(err, ADT_EUSAGE, "gate '%s' needs --aupimo", g->text);
	return 0;
}

void adt_entries_mean(const struct adt_entry *e, size_t n, int level, struct adt_level_mean *m)
{
	adt_mean_init(m);
	for (size_t i = 0; i < n; i++) {
		if (!e[i].error && e[i].level[level])
			adt_mean_add(m, e[i].level[level], level);
	}
	adt_mean_finish(m);
}

/* Checks one value against its gate; reports it when not met. */
static int check_value(const struct adt_gate *g, const char *where, double v,
		       void (*unmet)(void *, const char *), void *ctx)
{
	struct adt_messages m;
	char num[ADT_NUMBER_SIZE], bound[ADT_NUMBER_SIZE];
	const char *level = g->pixel ? "pixel" : "image";

	if (!isnan(v) && v >= g->bound)
		return 0;
	adt_messages_init(&m);
	adt_format_shortest(bound, sizeof(bound), g->bound);
	adt_format_shortest(num, sizeof(num), v);
	if (isnan(v))
		adt_messages_add(&m, ADT_MSG_ERROR, "%s%s.%s is undefined, so not at least %s",
				 where, level, g->name, bound);
	else
		adt_messages_add(&m, ADT_MSG_ERROR, "%s%s.%s is %s, under %s", where, level,
				 g->name, num, bound);
	unmet(ctx, m.n ? m.v[0].text : "a gate is not met (out of memory)");
	adt_messages_release(&m);
	return 1;
}

int adt_gates_check(const struct adt_gates *g, const struct adt_entry *e, size_t n, int batch,
		    void (*unmet)(void *ctx, const char *message), void *ctx, struct adt_error *err)
{
	int failed = 0;

	for (size_t k = 0; k < g->n; k++) {
		const struct adt_gate *gate = &g->v[k];
		const char *level = gate->pixel ? "pixel" : "image";
		size_t seen = 0;

		if (strcmp(gate->scope, "mean") == 0) {
			struct adt_level_mean m;
			double v = NAN;

			adt_entries_mean(e, n, gate->pixel, &m);
			if (m.categories == 0)
				return adt_error_set(err, ADT_EUSAGE,
						     "gate '%s': no category has a %s level",
						     gate->text, level);
			adt_mean_field(&m, gate->name, &v);
			failed += check_value(gate, "mean.", v, unmet, ctx);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			const struct adt_level_result *r = e[i].level[gate->pixel];
			const char *name = e[i].name ? e[i].name : "";

			if (batch && strcmp(gate->scope, "*") != 0 && strcmp(gate->scope, name))
				continue;
			seen++;
			if (e[i].error)
				continue;
			if (!r)
				return adt_error_set(err, ADT_EUSAGE,
						     "gate '%s': %s%s has no %s level", gate->text,
						     batch ? "category " : "this run", name, level);
			if (batch) {
				struct adt_messages m;

				adt_messages_init(&m);
				if (adt_messages_add(&m, ADT_MSG_ERROR, "%s.", name))
					return adt_error_set(err, ADT_ENOMEM, "out of memory");
				failed += check_value(gate, m.v[0].text,
						      adt_field_number(gate->field, r), unmet, ctx);
				adt_messages_release(&m);
			} else {
				failed += check_value(gate, "", adt_field_number(gate->field, r),
						      unmet, ctx);
			}
		}
		if (seen == 0)
			return adt_error_set(err, ADT_EUSAGE, "gate '%s': no category '%s'",
					     gate->text, gate->scope);
	}
	return failed;
}
