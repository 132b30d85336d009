/* The fields of a level's result (see fields.h). */
#include "adthresh/fields.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define AT(member) offsetof(struct adt_level_result, member)

/* Flags shared by most numbers. */
enum { NUM = ADT_FIELD_BOTH | ADT_FIELD_GATE | ADT_FIELD_CSV, METRIC = NUM | ADT_FIELD_MEAN };

const struct adt_field adt_fields[] = {
    {"n", ADT_FIELD_COUNT, AT(n), NUM, ADT_WHEN_ALWAYS, "n", NULL},
    {"positives", ADT_FIELD_COUNT, AT(positives), NUM, ADT_WHEN_ALWAYS, "anomalous", NULL},
    {"negatives", ADT_FIELD_COUNT, AT(negatives), NUM, ADT_WHEN_ALWAYS, NULL, NULL},
    {"threshold", ADT_FIELD_REAL, AT(threshold), NUM | ADT_FIELD_BREAK | ADT_FIELD_SHORTEST,
     ADT_WHEN_ALWAYS, "threshold", NULL},
    {"rule", ADT_FIELD_RULE, AT(rule), ADT_FIELD_BOTH | ADT_FIELD_CSV, ADT_WHEN_ALWAYS, "rule",
     NULL},
    {"policy", ADT_FIELD_TEXT, AT(policy), ADT_FIELD_BOTH | ADT_FIELD_CSV, ADT_WHEN_ALWAYS, NULL,
     "f1"},
    {"f1", ADT_FIELD_REAL, AT(f1), METRIC | ADT_FIELD_BREAK, ADT_WHEN_ALWAYS, "F1", NULL},
    {"precision", ADT_FIELD_REAL, AT(precision), METRIC, ADT_WHEN_ALWAYS, "precision", NULL},
    {"recall", ADT_FIELD_REAL, AT(recall), METRIC, ADT_WHEN_ALWAYS, "recall", NULL},
    {"tp", ADT_FIELD_COUNT, AT(tp), NUM | ADT_FIELD_BREAK, ADT_WHEN_ALWAYS, "TP", NULL},
    {"fp", ADT_FIELD_COUNT, AT(fp), NUM, ADT_WHEN_ALWAYS, "FP", NULL},
    {"fn", ADT_FIELD_COUNT, AT(fn), NUM, ADT_WHEN_ALWAYS, "FN", NULL},
    {"tn", ADT_FIELD_COUNT, AT(tn), NUM, ADT_WHEN_ALWAYS, "TN", NULL},
    {"fpr", ADT_FIELD_REAL, AT(fpr), ADT_FIELD_BOTH | ADT_FIELD_GATE, ADT_WHEN_ALWAYS, NULL, NULL},
    {"auroc", ADT_FIELD_REAL, AT(auroc), METRIC | ADT_FIELD_BREAK | ADT_FIELD_MEAN_BREAK,
     ADT_WHEN_ALWAYS, "AUROC", NULL},
    {"ap", ADT_FIELD_REAL, AT(ap), METRIC, ADT_WHEN_ALWAYS, "AP", NULL},
    {"min", ADT_FIELD_REAL, AT(min), NUM, ADT_WHEN_ALWAYS, NULL, NULL},
    {"max", ADT_FIELD_REAL, AT(max), NUM, ADT_WHEN_ALWAYS, NULL, NULL},
    {"normal_mean", ADT_FIELD_REAL, AT(normal_mean), ADT_FIELD_BOTH | ADT_FIELD_BREAK,
     ADT_WHEN_SIGMA, NULL, NULL},
    {"normal_std", ADT_FIELD_REAL, AT(normal_std), ADT_FIELD_BOTH, ADT_WHEN_SIGMA, NULL, NULL},
    {"normalized", ADT_FIELD_NORMALIZED, 0, ADT_FIELD_BOTH | ADT_FIELD_BREAK, ADT_WHEN_NORMALIZE,
     NULL, NULL},
    {"max_fpr", ADT_FIELD_REAL, AT(max_fpr),
     ADT_FIELD_BOTH | ADT_FIELD_CSV | ADT_FIELD_PARAM | ADT_FIELD_BREAK, ADT_WHEN_PAUROC, NULL,
     NULL},
    {"pauroc", ADT_FIELD_REAL, AT(pauroc), METRIC, ADT_WHEN_PAUROC, "pAUROC", NULL},
    {"aupro_limit", ADT_FIELD_REAL, AT(aupro_limit),
     ADT_FIELD_PIXEL | ADT_FIELD_CSV | ADT_FIELD_PARAM | ADT_FIELD_BREAK, ADT_WHEN_AUPRO, NULL,
     NULL},
    {"aupro", ADT_FIELD_REAL, AT(aupro), (METRIC & ~ADT_FIELD_IMAGE), ADT_WHEN_AUPRO, "AU-PRO",
     NULL},
    {"aupimo", ADT_FIELD_AUPIMO, AT(aupimo), (METRIC & ~ADT_FIELD_IMAGE) | ADT_FIELD_BREAK,
     ADT_WHEN_AUPIMO, "AUPIMO", NULL},
    {"aupimo_std", ADT_FIELD_REAL, AT(aupimo_std),
     ADT_FIELD_PIXEL | ADT_FIELD_CSV | ADT_FIELD_NOJSON, ADT_WHEN_AUPIMO, "AUPIMO std", NULL},
    {"source", ADT_FIELD_STRING, AT(source), ADT_FIELD_IMAGE | ADT_FIELD_BREAK, ADT_WHEN_SOURCE,
     NULL, NULL},
};

const size_t adt_field_count = sizeof(adt_fields) / sizeof(adt_fields[0]);

_Static_assert(sizeof(adt_fields) / sizeof(adt_fields[0]) <= ADT_FIELDS_MAX,
	       "struct adt_level_mean has room for every field");

const struct adt_field *adt_field_find(const char *name)
{
	for (size_t i = 0; i < adt_field_count; i++) {
		if (strcmp(adt_fields[i].name, name) == 0)
			return &adt_fields[i];
	}
	return NULL;
}

int adt_field_present(const struct adt_field *f, const struct adt_level_result *r, int level)
{
	if (!(f->flags & (level ? ADT_FIELD_PIXEL : ADT_FIELD_IMAGE)))
		return 0;
	switch (f->when) {
	case ADT_WHEN_ALWAYS:
		return 1;
	case ADT_WHEN_PAUROC:
		return r->max_fpr > 0;
	case ADT_WHEN_AUPRO:
		return r->aupro_limit > 0;
	case ADT_WHEN_NORMALIZE:
		return r->normalize != 0;
	case ADT_WHEN_SOURCE:
		return r->source != NULL;
	case ADT_WHEN_SIGMA:
		return strncmp(r->policy, "sigma:", 6) == 0;
	case ADT_WHEN_AUPIMO:
		return r->aupimo_upper > 0;
	}
	return 0;
}

double adt_field_number(const struct adt_field *f, const struct adt_level_result *r)
{
	const char *p = (const char *)r + f->offset;
	uint64_t u;
	double d;

	switch (f->type) {
	case ADT_FIELD_COUNT:
		memcpy(&u, p, sizeof(u));
		return (double)u;
	case ADT_FIELD_REAL:
	case ADT_FIELD_AUPIMO:
		memcpy(&d, p, sizeof(d));
		return d;
	default:
		return NAN;
	}
}

uint64_t adt_field_uint(const struct adt_field *f, const struct adt_level_result *r)
{
	uint64_t u = 0;

	if (f->type == ADT_FIELD_COUNT)
		memcpy(&u, (const char *)r + f->offset, sizeof(u));
	return u;
}

const char *adt_field_text(const struct adt_field *f, const struct adt_level_result *r)
{
	const char *p = (const char *)r + f->offset;
	const char *s;
	enum adt_rule rule;

	switch (f->type) {
	case ADT_FIELD_RULE:
		memcpy(&rule, p, sizeof(rule));
		return rule == ADT_RULE_GT ? ">" : ">=";
	case ADT_FIELD_TEXT:
		return *p ? p : f->fallback;
	case ADT_FIELD_STRING:
		memcpy(&s, p, sizeof(s));
		return s;
	default:
		return NULL;
	}
}

void adt_field_names(char *buf, size_t size, unsigned flags, unsigned without, int mean)
{
	size_t len = 0;

	buf[0] = '\0';
	if (mean)
		len = (size_t)snprintf(buf, size, "categories");
	for (size_t i = 0; i < adt_field_count && len < size; i++) {
		if ((adt_fields[i].flags & flags) != flags || (adt_fields[i].flags & without))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
					adt_fields[i].name);
	}
	if (len >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

void adt_mean_init(struct adt_level_mean *m)
{
	memset(m, 0, sizeof(*m));
}

void adt_mean_add(struct adt_level_mean *m, const struct adt_level_result *r, int level)
{
	for (size_t i = 0; i < adt_field_count; i++) {
		const struct adt_field *f = &adt_fields[i];

		if (!(f->flags & (ADT_FIELD_MEAN | ADT_FIELD_PARAM)) ||
		    !adt_field_present(f, r, level))
			continue;
		/* Every category is run with the same options. */
		if (f->flags & ADT_FIELD_PARAM)
			m->v[i] = adt_field_number(f, r);
		else
			m->v[i] += adt_field_number(f, r);
		m->has[i] = 1;
	}
	m->categories++;
}

void adt_mean_finish(struct adt_level_mean *m)
{
	for (size_t i = 0; i < adt_field_count; i++) {
		/* NaN, the mark of an undefined metric, spreads through the sums. */
		if (adt_fields[i].flags & ADT_FIELD_MEAN)
			m->v[i] = m->has[i] ? m->v[i] / (double)m->categories : NAN;
	}
}

int adt_mean_field(const struct adt_level_mean *m, const char *name, double *out)
{
	const struct adt_field *f;

	if (strcmp(name, "categories") == 0) {
		*out = (double)m->categories;
		return 0;
	}
	f = adt_field_find(name);
	if (!f || !(f->flags & ADT_FIELD_MEAN))
		return -1;
	*out = m->v[f - adt_fields];
	return 0;
}

const char *adt_field_option(const struct adt_field *f)
{
	switch (f->when) {
	case ADT_WHEN_PAUROC:
		return "--max-fpr";
	case ADT_WHEN_AUPRO:
		return "--aupro";
	case ADT_WHEN_NORMALIZE:
		return "--normalize";
	case ADT_WHEN_SIGMA:
		return "--policy sigma:K";
	case ADT_WHEN_AUPIMO:
		return "--aupimo";
	case ADT_WHEN_ALWAYS:
	case ADT_WHEN_SOURCE:
		break;
	}
	return NULL;
}

const char *adt_column_name(int v)
{
	if (v == ADT_COLUMN_CATEGORY)
		return "category";
	if (v == ADT_COLUMN_LEVEL)
		return "level";
	return adt_fields[v].name;
}

/* The names a column can have, comma-separated, into buf. */
static void column_names(char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "category, level");

	for (size_t i = 0; i < adt_field_count && len < size; i++) {
		if (adt_fields[i].type != ADT_FIELD_NORMALIZED)
			len += (size_t)snprintf(buf + len, size - len, ", %s", adt_fields[i].name);
	}
}

int adt_columns_parse(const char *list, struct adt_columns *c, struct adt_error *err)
{
	const char *p = list;

	c->n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		int v = -3;

		if (len == 0)
			return adt_error_set(err, ADT_EUSAGE,
					     "--columns: empty column name in '%s'", list);
		if (len == 8 && strncmp(p, "category", len) == 0)
			v = ADT_COLUMN_CATEGORY;
		else if (len == 5 && strncmp(p, "level", len) == 0)
			v = ADT_COLUMN_LEVEL;
		for (size_t i = 0; v == -3 && i < adt_field_count; i++) {
			if (adt_fields[i].type != ADT_FIELD_NORMALIZED &&
			    strlen(adt_fields[i].name) == len &&
			    strncmp(adt_fields[i].name, p, len) == 0)
				v = (int)i;
		}
		if (v == -3) {
			char names[512];

			column_names(names, sizeof(names));
			return adt_error_set(err, ADT_EUSAGE,
					     "--columns: unknown column '%.*s' (expected %s)",
					     (int)len, p, names);
		}
		for (size_t k = 0; k < c->n; k++) {
			if (c->v[k] == v)
				return adt_error_set(err, ADT_EUSAGE,
						     "--columns: '%s' is listed twice",
						     adt_column_name(v));
		}
		c->v[c->n++] = v;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}
