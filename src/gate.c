/* --fail-under and --gate gates (see gate.h). */
#include "adthresh/gate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/defects.h"
#include "adthresh/format.h"
#include "adthresh/grow.h"
#include "adthresh/messages.h"
#include "adthresh/value.h"

/* Sets g's field from its name; -1 when the scope has no such field. */
static int find_field(struct adt_gate *g, const char *name)
{
	const struct adt_field *f = adt_field_find(name);
	unsigned need = strcmp(g->scope, "mean") == 0 ? ADT_FIELD_MEAN : ADT_FIELD_GATE;

	if (g->defect) {
		int k = adt_defect_field_find(name);

		if (k < 0)
			return -1;
		g->defect_field = (size_t)k;
		g->name = adt_defect_fields[k];
		return 0;
	}
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

/* The names a gate of g's scope may bound, for messages. */
static void field_names(const struct adt_gate *g, char *buf, size_t size)
{
	int mean = strcmp(g->scope, "mean") == 0;

	if (g->defect)
		adt_defect_field_names(buf, size);
	else
		adt_field_names(buf, size,
				(mean ? ADT_FIELD_MEAN : ADT_FIELD_GATE) |
				    (g->pixel ? ADT_FIELD_PIXEL : ADT_FIELD_IMAGE),
				0, mean);
}

/* Splits off a defect folder: "defect.NAME" (a single run) or
 * "SCOPE.defect.NAME" (a batch) in scope sets g->defect and leaves the
 * scope before it.  Returns 0, or -1 with ADT_EUSAGE when the folder has
 * no name. */
static int split_defect(char *scope, int batch, struct adt_gate *g, const char *level,
			struct adt_error *err)
{
	char *mark = strncmp(scope, "defect.", 7) == 0 ? scope : strstr(scope, ".defect.");
	size_t len = strlen(scope);
	char *name = mark ? mark + (mark == scope ? 7 : 8) : NULL;

	/* In a batch, "defect" alone may be a category. */
	if ((name && !*name) || (!name && !batch && strcmp(scope, "defect") == 0) ||
	    (!name && len > 7 && strcmp(scope + len - 7, ".defect") == 0))
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': no defect folder named (expected "
				     "defect.NAME.%s.FIELD)",
				     g->text, level);
	if (!name)
		return 0;
	*mark = '\0';
	g->defect = strdup(name);
	if (!g->defect)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	return 0;
}

/* How a gate of g's option is written, for messages. */
static const char *syntax(const struct adt_gate *g, int batch)
{
	if (g->two_sided)
		return batch ? "[CATEGORY|mean|*].LEVEL.FIELD>=BOUND or "
			       "[CATEGORY|mean|*].LEVEL.FIELD<=BOUND"
			     : "LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND";
	return batch ? "[CATEGORY|mean|*].LEVEL.FIELD=BOUND" : "LEVEL.FIELD=BOUND";
}

/* Finds the operator of an item and cuts the item there: *bound is what
 * follows it.  --fail-under takes '=', --gate '>=' or '<='. */
static int split_operator(char *item, int batch, struct adt_gate *g, char **bound,
			  struct adt_error *err)
{
	const char *what = syntax(g, batch);
	char *op = g->two_sided ? strpbrk(item, "<>=") : strchr(item, '=');

	if (!op)
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s' (expected %s%s)", g->text,
				     what,
				     strspn(item, "0123456789") == strlen(item)
					 ? "; a decimal comma? bounds take '.'"
					 : "");
	if (g->two_sided && (op[0] == '=' || op[1] != '='))
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s' (expected %s)", g->text,
				     what);
	if (!g->two_sided && op > item && (op[-1] == '<' || op[-1] == '>'))
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': --fail-under takes LEVEL.FIELD=BOUND, at "
				     "least BOUND; --gate takes >= and <=",
				     g->text);
	g->op = op[0] == '<' ? ADT_GATE_AT_MOST : ADT_GATE_AT_LEAST;
	*op = '\0';
	*bound = op + (g->two_sided ? 2 : 1);
	return 0;
}

/* One "scope.level.field=bound" item, or with two_sided ">=" or "<="
 * (item is modified). */
static int parse_one(char *item, int batch, struct adt_gate *g, struct adt_error *err)
{
	char *bound = NULL, *dot, *level, *field;

	if (split_operator(item, batch, g, &bound, err))
		return -1;
	if (adt_parse_double(bound, "bound", &g->bound, err)) {
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
				     syntax(g, batch));
	*field++ = '\0';
	dot = strrchr(item, '.');
	level = dot ? dot + 1 : item;
	if (dot)
		*dot = '\0';
	if (strcmp(level, "image") != 0 && strcmp(level, "pixel") != 0)
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': level '%s' (expected image or pixel)",
				     g->text, level);
	if (dot && split_defect(item, batch, g, level, err))
		return -1;
	g->scope = strdup(dot ? item : "");
	if (!g->scope)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	g->pixel = strcmp(level, "pixel") == 0;
	if (batch && !g->scope[0] && g->defect)
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': in a batch, say *.defect.%s.%s or "
				     "CATEGORY.defect.%s.%s",
				     g->text, g->defect, level, g->defect, level);
	if (batch && !g->scope[0])
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': in a batch, say mean.%s, *.%s or "
				     "CATEGORY.%s",
				     g->text, level, level, level);
	if (!batch && g->scope[0])
		return adt_error_set(
		    err, ADT_EUSAGE,
		    "invalid gate '%s': categories and mean exist only with --batch", g->text);
	if (g->defect && strcmp(g->scope, "mean") == 0)
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': the mean has no defect rows (say "
				     "*.defect.%s.%s or CATEGORY.defect.%s.%s)",
				     g->text, g->defect, level, g->defect, level);
	if (find_field(g, field)) {
		char names[512];

		field_names(g, names, sizeof(names));
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid gate '%s': unknown field '%s' (fields%s: %s)",
				     g->text, field,
				     g->defect			     ? " of a defect row"
				     : strcmp(g->scope, "mean") == 0 ? " of the mean"
								     : "",
				     names);
	}
	if (g->field && !(g->field->flags & (g->pixel ? ADT_FIELD_PIXEL : ADT_FIELD_IMAGE)))
		return adt_error_set(err, ADT_EUSAGE, "invalid gate '%s': %s is a %s-level metric",
				     g->text, strcmp(g->name, "aupro") == 0 ? "AU-PRO" : g->name,
				     g->pixel ? "image" : "pixel");
	return 0;
}

int adt_gates_parse(const char *spec, int batch, int two_sided, struct adt_gates *g,
		    struct adt_error *err)
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
			return adt_error_set(err, ADT_EUSAGE, "empty gate in %s '%s'",
					     two_sided ? "--gate" : "--fail-under", spec);
		void *grown = g->v;

		if (adt_grow(&grown, &g->cap, g->n + 1, sizeof(*g->v)))
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		g->v = grown;
		v = &g->v[g->n++];
		memset(v, 0, sizeof(*v));
		v->two_sided = two_sided;
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
		free(g->v[i].defect);
		free(g->v[i].text);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

int adt_gate_available(const struct adt_gate *g, const struct adt_job *job, struct adt_error *err)
{
	const struct adt_eval_opts *o = g->pixel ? &job->pixel : &job->image;

	if (g->defect && !job->per_defect)
		return adt_error_set(err, ADT_EUSAGE, "gate '%s' needs --per-defect", g->text);
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

/* Checks one value against its gate; reports it when not met.  where is
 * what comes before the level: "bottle.", "defect.crack.", ... */
static int check_value(const struct adt_gate *g, const char *where, double v,
		       void (*unmet)(void *, const char *), void *ctx)
{
	struct adt_messages m;
	char num[ADT_NUMBER_SIZE], bound[ADT_NUMBER_SIZE];
	const char *level = g->pixel ? "pixel" : "image";
	const char *op = g->op == ADT_GATE_AT_MOST ? "<=" : ">=";

	if (!isnan(v) && (g->op == ADT_GATE_AT_MOST ? v <= g->bound : v >= g->bound))
		return 0;
	adt_messages_init(&m);
	adt_format_shortest(bound, sizeof(bound), g->bound);
	adt_format_shortest(num, sizeof(num), v);
	if (!g->two_sided && isnan(v))
		adt_messages_add(&m, ADT_MSG_ERROR, "%s%s.%s is undefined, so not at least %s",
				 where, level, g->name, bound);
	else if (!g->two_sided)
		adt_messages_add(&m, ADT_MSG_ERROR, "%s%s.%s is %s, under %s", where, level,
				 g->name, num, bound);
	else if (isnan(v))
		adt_messages_add(&m, ADT_MSG_ERROR, "%s%s.%s is undefined, so not %s %s", where,
				 level, g->name, op, bound);
	else
		adt_messages_add(&m, ADT_MSG_ERROR, "%s%s.%s is %s, not %s %s", where, level,
				 g->name, num, op, bound);
	unmet(ctx, m.n ? m.v[0].text : "a gate is not met (out of memory)");
	adt_messages_release(&m);
	return 1;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The error of a defect gate whose folder no category in scope has: it
 * names the folders there are, each once, sorted. */
static int no_defect(const struct adt_gate *g, const struct adt_entry *e, size_t n, int batch,
		     struct adt_error *err)
{
	const char **names = NULL;
	size_t k = 0, total = 0, len = 0;
	char list[1024] = "";

	for (size_t i = 0; i < n; i++)
		total += e[i].out.defects.n;
	if (total && !(names = malloc(total * sizeof(*names))))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (e[i].error ||
		    (batch && strcmp(g->scope, "*") != 0 && strcmp(g->scope, e[i].name) != 0))
			continue;
		for (size_t j = 0; j < e[i].out.defects.n; j++)
			names[k++] = e[i].out.defects.v[j].name;
	}
	if (k > 1)
		qsort(names, k, sizeof(*names), cmp_name);
	for (size_t j = 0; j < k && len < sizeof(list); j++) {
		if (j > 0 && strcmp(names[j], names[j - 1]) == 0)
			continue;
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
					names[j]);
	}
	if (len >= sizeof(list))
		memcpy(list + sizeof(list) - 4, "...", 4);
	free(names);
	return adt_error_set(err, ADT_EDATA, "gate '%s': no defect folder '%s' (defects: %s)",
			     g->text, g->defect, k ? list : "none");
}

/* The value a gate bounds in one entry's level result r; *found is
 * cleared when the entry has not the gate's defect folder. */
static double value_of(const struct adt_gate *g, const struct adt_entry *e,
		       const struct adt_level_result *r, int *found)
{
	const struct adt_defect *d;

	*found = 1;
	if (!g->defect)
		return adt_field_number(g->field, r);
	d = adt_defects_find(&e->out.defects, g->defect);
	if (!d) {
		*found = 0;
		return NAN;
	}
	return d->has[g->pixel] ? adt_defect_value(&d->lv[g->pixel], g->defect_field) : NAN;
}

int adt_gates_check(const struct adt_gates *g, const struct adt_entry *e, size_t n, int batch,
		    void (*unmet)(void *ctx, const char *message), void *ctx, struct adt_error *err)
{
	int failed = 0;

	for (size_t k = 0; k < g->n; k++) {
		const struct adt_gate *gate = &g->v[k];
		const char *level = gate->pixel ? "pixel" : "image";
		size_t seen = 0, checked = 0, found = 0, skipped = 0;

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
			struct adt_messages m;
			double v;
			int has;

			if (batch && strcmp(gate->scope, "*") != 0 && strcmp(gate->scope, name))
				continue;
			seen++;
			if (e[i].error) {
				skipped++;
				continue;
			}
			if (!r)
				return adt_error_set(err, ADT_EUSAGE,
						     "gate '%s': %s%s has no %s level", gate->text,
						     batch ? "category " : "this run", name, level);
			checked++;
			v = value_of(gate, &e[i], r, &has);
			if (!has)
				continue;
			found++;
			/* What comes before the level: "bottle.defect.crack.". */
			adt_messages_init(&m);
			if (adt_messages_add(&m, ADT_MSG_ERROR, "%s%s%s%s%s", batch ? name : "",
					     batch ? "." : "", gate->defect ? "defect." : "",
					     gate->defect ? gate->defect : "",
					     gate->defect ? "." : ""))
				return adt_error_set(err, ADT_ENOMEM, "out of memory");
			failed += check_value(gate, m.v[0].text, v, unmet, ctx);
			adt_messages_release(&m);
		}
		if (seen == 0)
			return adt_error_set(err, ADT_EUSAGE, "gate '%s': no category '%s'",
					     gate->text, gate->scope);
		/* A failed category may hold the folder: then nothing says it
		 * does not exist. */
		if (gate->defect && checked > 0 && found == 0 && skipped == 0)
			return no_defect(gate, e, n, batch, err);
	}
	return failed;
}
