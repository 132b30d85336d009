/* Thresholds saved by --save-thresholds: {"rule": ..., "image":
 * {"threshold": x}, "pixel": {...}} or {"rule": ..., "categories":
 * {NAME: {"image": {...}, "pixel": {...}}}} (see thresholds.h). */
#include "adthresh/thresholds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/format.h"
#include "adthresh/grow.h"
#include "adthresh/json.h"
#include "adthresh/run.h"
#include "adthresh/version.h"

/* The first key of obj that another key before it repeats, or NULL. */
static const char *repeated_key(const struct adt_json *obj)
{
	for (const struct adt_json *k = adt_json_child(obj); k; k = adt_json_next(k)) {
		for (const struct adt_json *j = adt_json_child(obj); j != k; j = adt_json_next(j)) {
			if (strcmp(adt_json_key(j), adt_json_key(k)) == 0)
				return adt_json_key(k);
		}
	}
	return NULL;
}

static int levels_of_object(const struct adt_json *obj, const char *category, const char *name,
			    struct adt_thresholds *t, struct adt_error *err)
{
	static const char *const levels[2] = {"image", "pixel"};

	if (repeated_key(obj) && category)
		return adt_error_at(err, ADT_EFORMAT, name, 0,
				    "duplicate key '%.100s' in category '%.100s'",
				    repeated_key(obj), category);
	if (repeated_key(obj))
		return adt_error_at(err, ADT_EFORMAT, name, 0, "duplicate key '%.100s'",
				    repeated_key(obj));
	for (const struct adt_json *k = adt_json_child(obj); k; k = adt_json_next(k)) {
		int pixel = -1;
		const struct adt_json *v;
		struct adt_saved_threshold *p;
		void *grown;

		for (int l = 0; l < 2; l++) {
			if (strcmp(adt_json_key(k), levels[l]) == 0)
				pixel = l;
		}
		if (pixel < 0)
			continue;
		v = adt_json_member(k, "threshold");
		if (adt_json_type_of(k) != ADT_JSON_OBJECT || !v ||
		    adt_json_type_of(v) != ADT_JSON_NUMBER || !isfinite(adt_json_number(v)))
			return adt_error_at(
			    err, ADT_EDATA, name, 0, "%s%s'%s' needs a finite number \"threshold\"",
			    category ? category : "", category ? ": " : "", adt_json_key(k));
		grown = t->v;
		if (adt_grow(&grown, &t->cap, t->n + 1, sizeof(*t->v)))
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		t->v = grown;
		p = &t->v[t->n];
		p->category = category ? strdup(category) : NULL;
		if (category && !p->category)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		p->pixel = pixel;
		p->value = adt_json_number(v);
		t->n++;
	}
	return 0;
}

int adt_read_thresholds_mem(const void *buf, size_t len, const char *name, struct adt_thresholds *t,
			    struct adt_error *err)
{
	struct adt_json_scan s = {NULL, 0, 0, 1, 0, name, err};
	const char *text = adt_json_skip_bom(buf, &len);
	const struct adt_json *cats, *rule;
	struct adt_json *root = NULL;
	size_t end;
	int ret = -1;

	memset(t, 0, sizeof(*t));
	s.t = text;
	s.end = len;
	end = adt_json_skip_ws(text, 0, len);
	if (end == len)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "empty thresholds file");
	if (adt_json_scan_value(&s, end, &end))
		return -1;
	if (adt_json_skip_ws(text, end, len) < len)
		return adt_error_at(err, ADT_EFORMAT, name, 1 + adt_json_count_nl(text, 0, end),
				    "trailing data after the JSON document");
	root = adt_json_parse(text, len);
	if (!root)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (adt_json_type_of(root) != ADT_JSON_OBJECT) {
		adt_error_at(err, ADT_EFORMAT, name, 0,
			     "a thresholds file is a JSON object (as --save-thresholds writes)");
		goto out;
	}
	rule = adt_json_member(root, "rule");
	t->rule = ADT_RULE_GE;
	if (rule && adt_json_type_of(rule) == ADT_JSON_STRING &&
	    (strcmp(adt_json_string(rule), ">") == 0 || strcmp(adt_json_string(rule), "gt") == 0)) {
		t->rule = ADT_RULE_GT;
	} else if (rule && !(adt_json_type_of(rule) == ADT_JSON_STRING &&
			     (strcmp(adt_json_string(rule), ">=") == 0 ||
			      strcmp(adt_json_string(rule), "ge") == 0))) {
		adt_error_at(err, ADT_EDATA, name, 0, "\"rule\" must be \">=\" or \">\"");
		goto out;
	}
	cats = adt_json_member(root, "categories");
	if (cats && adt_json_type_of(cats) == ADT_JSON_OBJECT && repeated_key(cats)) {
		adt_error_at(err, ADT_EFORMAT, name, 0, "duplicate category '%.100s'",
			     repeated_key(cats));
		goto out;
	}
	if (cats) {
		t->batch = 1;
		if (adt_json_type_of(cats) != ADT_JSON_OBJECT) {
			adt_error_at(err, ADT_EFORMAT, name, 0, "\"categories\" must be an object");
			goto out;
		}
		for (const struct adt_json *c = adt_json_child(cats); c; c = adt_json_next(c)) {
			if (adt_json_type_of(c) != ADT_JSON_OBJECT) {
				adt_error_at(err, ADT_EDATA, name, 0,
					     "category '%.100s' must be an object of levels",
					     adt_json_key(c));
				goto out;
			}
			if (levels_of_object(c, adt_json_key(c), name, t, err))
				goto out;
		}
	} else if (levels_of_object(root, NULL, name, t, err)) {
		goto out;
	}
	if (t->n == 0) {
		adt_error_at(err, ADT_EDATA, name, 0,
			     "no threshold in the file (expected \"image\" or \"pixel\" objects "
			     "with a \"threshold\")");
		goto out;
	}
	ret = 0;
out:
	adt_json_free(root);
	if (ret)
		adt_thresholds_release(t);
	return ret;
}

void adt_thresholds_release(struct adt_thresholds *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].category);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* The level l of an entry that did not fail, or NULL. */
static const struct adt_level_result *level_of(const struct adt_entry *e, int l)
{
	return e->error ? NULL : e->level[l];
}

/* {"image": {"threshold": x}, "pixel": {...}} of one entry. */
static void json_thresholds(FILE *f, const struct adt_entry *e, const char *indent)
{
	int first = 1;

	for (int l = 0; l < 2; l++) {
		char t[ADT_NUMBER_SIZE];

		if (!level_of(e, l))
			continue;
		adt_format_exact(t, sizeof(t), level_of(e, l)->threshold, "null");
		fprintf(f, "%s%s\"%s\": {\"threshold\": %s}", first ? "" : ",\n", indent,
			l ? "pixel" : "image", t);
		first = 0;
	}
}

int adt_thresholds_write(FILE *f, const struct adt_result *res, struct adt_error *err)
{
	enum adt_rule rule = ADT_RULE_GE;
	int first = 1;

	for (size_t i = 0; i < res->n; i++) {
		const struct adt_entry *e = &res->v[i];

		if (level_of(e, 0) || level_of(e, 1))
			rule = level_of(e, level_of(e, 0) ? 0 : 1)->rule;
	}
	fprintf(f, "{\"adthresh\": \"%s\", \"rule\": \"%s\",\n", ADTHRESH_VERSION,
		rule == ADT_RULE_GT ? ">" : ">=");
	if (!res->batch && res->n > 0) {
		json_thresholds(f, &res->v[0], " ");
		fputs("}\n", f);
	} else {
		fputs(" \"categories\": {", f);
		for (size_t i = 0; i < res->n; i++) {
			if (res->v[i].error)
				continue;
			fputs(first ? "\n  " : ",\n  ", f);
			adt_format_json_string(f, res->v[i].name);
			fputs(": {\n", f);
			json_thresholds(f, &res->v[i], "   ");
			fputs("}", f);
			first = 0;
		}
		fputs("}}\n", f);
	}
	if (ferror(f))
		return adt_error_set(err, ADT_EIO, "write error");
	return 0;
}
