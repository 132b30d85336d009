/* JSON and JSON Lines score files (see score_formats.h), read from the
 * tree of json.h: an array of objects, an object of parallel arrays, or
 * one object per line. */
#include "adthresh/score_formats.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/grow.h"
#include "adthresh/json.h"
#include "adthresh/value.h"

#define N_ROLES	   4
#define JSONL_HINT " (JSON Lines? use .jsonl or --input-format jsonl)"

static const char *const role_word[N_ROLES] = {"", "score", "label", "id"};
static const char *const role_opt[N_ROLES] = {"", "--score-col", "--label-col", "--id-col"};

struct jctx {
	const char *t; /* the text, after any BOM */
	size_t len;
	const char *name;
	struct adt_read_opts *o;
	struct adt_samples *out;
	struct adt_error *err;
	struct adt_labeler lb;
	int jsonl;
};

/* The members of one object that have a role, by role. */
struct keys {
	const struct adt_json *v[N_ROLES];
	size_t idx[N_ROLES];
};

/* ---- From the tree to samples. ---- */

static int nomem(const struct jctx *c)
{
	return adt_error_at(c->err, ADT_ENOMEM, c->name, 0, "out of memory");
}

static const char *role_spec(const struct jctx *c, enum adt_role r)
{
	if (r == ADT_ROLE_SCORE)
		return c->o->score_col;
	if (r == ADT_ROLE_LABEL)
		return c->o->label_col;
	if (r == ADT_ROLE_ID)
		return c->o->id_col;
	return NULL;
}

/* The role of a key: an explicitly named key first; the built-in names
 * only serve roles that were not named. */
static enum adt_role key_role(const struct jctx *c, const char *key, int plural)
{
	enum adt_role r;

	for (r = ADT_ROLE_SCORE; r < N_ROLES; r++) {
		if (role_spec(c, r) && adt_json_key_casecmp(key, role_spec(c, r)) == 0)
			return r;
	}
	r = adt_role_of(key, plural);
	return role_spec(c, r) ? ADT_ROLE_NONE : r;
}

/* The keys of obj as "'a', 'b'" for messages. */
static void list_keys(const struct adt_json *obj, char *dst, size_t size)
{
	const struct adt_json *m;
	size_t used = 0;
	int k;

	snprintf(dst, size, "no keys");
	for (m = adt_json_child(obj); m; m = adt_json_next(m)) {
		k = snprintf(dst + used, size - used, "%s'%.*s'", used ? ", " : "", ADT_JSON_SHOW,
			     adt_json_key(m));
		if (k < 0 || (size_t)k >= size - used || size - used - (size_t)k < 8) {
			snprintf(dst + used, size - used, "%s...", used ? ", " : "");
			return;
		}
		used += (size_t)k;
	}
}

/* Checks obj (at `at`) for duplicate keys and two keys of one role, and
 * finds the member of each role.  loc prefixes messages; noun is "key" or
 * "array". */
static int object_keys(const struct jctx *c, const struct adt_json *obj, struct adt_json_pos at,
		       int plural, const char *loc, const char *noun, struct keys *k)
{
	const struct adt_json *m;
	size_t dup, i, val;
	enum adt_role r;

	if (adt_json_find_duplicate(obj, &dup))
		return nomem(c);
	if (dup != SIZE_MAX) {
		for (m = adt_json_child(obj), i = 0; i < dup; i++)
			m = adt_json_next(m);
		return adt_error_at(c->err, ADT_EFORMAT, c->name,
				    adt_json_member_line(c->t, c->len, at, dup, &val),
				    "%sduplicate key '%.*s'", loc, ADT_JSON_SHOW, adt_json_key(m));
	}
	memset(k, 0, sizeof(*k));
	for (m = adt_json_child(obj), i = 0; m; m = adt_json_next(m), i++) {
		r = key_role(c, adt_json_key(m), plural);
		if (r == ADT_ROLE_NONE)
			continue;
		if (k->v[r])
			return adt_error_at(
			    c->err, ADT_EDATA, c->name,
			    adt_json_member_line(c->t, c->len, at, i, &val),
			    "%sambiguous %s %ss '%.*s' and '%.*s'; choose one with %s", loc,
			    role_word[r], noun, ADT_JSON_SHOW, adt_json_key(k->v[r]), ADT_JSON_SHOW,
			    adt_json_key(m), role_opt[r]);
		k->v[r] = m;
		k->idx[r] = i;
	}
	return 0;
}

static int no_key(const struct jctx *c, const struct adt_json *obj, const char *loc,
		  enum adt_role r, const char *noun, int plural, unsigned long line)
{
	const char *spec = role_spec(c, r);
	char found[512];

	list_keys(obj, found, sizeof(found));
	if (spec)
		return adt_error_at(c->err, ADT_EDATA, c->name, line,
				    "%sno %s %s '%.*s' (found: %s; check %s)", loc, role_word[r],
				    noun, ADT_JSON_SHOW, spec, found, role_opt[r]);
	return adt_error_at(c->err, ADT_EDATA, c->name, line,
			    "%sno %s %s (expected one of: %s%s; found: %s; use %s)", loc,
			    role_word[r], noun, adt_role_names(r),
			    plural ? ", or their plurals" : "", found, role_opt[r]);
}

/* what names the value in messages ("element 2: 'score'"); loc is the
 * element prefix ("element 2: "). */
static int get_score(const struct jctx *c, const struct adt_json *v, size_t off, unsigned long line,
		     const char *loc, const char *what, double *score)
{
	char text[ADT_JSON_NUMBER_MAX + 1];

	if (adt_json_type_of(v) != ADT_JSON_NUMBER)
		return adt_error_at(c->err, ADT_EDATA, c->name, line, "%s must be a number, got %s",
				    what, adt_json_type_name(v));
	if (!isfinite(adt_json_number(v))) {
		adt_json_number_text(c->t, c->len, off, text, sizeof(text));
		return adt_error_at(c->err, ADT_EDATA, c->name, line,
				    "%sscore '%s' overflows a double", loc, text);
	}
	*score = adt_json_number(v);
	return 0;
}

static int get_label(struct jctx *c, const struct adt_json *v, size_t off, unsigned long line,
		     const char *what, int *label)
{
	char num[ADT_JSON_NUMBER_MAX + 1];
	const char *text;

	if (adt_json_type_of(v) == ADT_JSON_NUMBER) {
		adt_json_number_text(c->t, c->len, off, num, sizeof(num));
		text = num;
	} else if (adt_json_type_of(v) == ADT_JSON_BOOLEAN) {
		text = adt_json_is_true(v) ? "true" : "false";
	} else if (adt_json_type_of(v) == ADT_JSON_STRING) {
		text = adt_json_string(v);
	} else {
		return adt_error_at(c->err, ADT_EDATA, c->name, line,
				    "%s must be a number, a boolean or a string, got %s", what,
				    adt_json_type_name(v));
	}
	if (adt_labeler_parse(&c->lb, text, line, label, c->err) < 0)
		return -1;
	return 0;
}

static int get_id(const struct jctx *c, const struct adt_json *v, unsigned long line,
		  const char *what, const char **id)
{
	if (adt_json_type_of(v) != ADT_JSON_STRING)
		return adt_error_at(c->err, ADT_EDATA, c->name, line, "%s must be a string, got %s",
				    what, adt_json_type_name(v));
	*id = adt_json_string(v);
	return 0;
}

static int label_from_id(const struct jctx *c, const char *id, const char *loc, const char *noun,
			 unsigned long line, int *label)
{
	if (adt_label_from_path(id, label) == 0)
		return 0;
	return adt_error_at(c->err, ADT_EDATA, c->name, line,
			    "%sno label %s, and id '%.*s' has no folder to take the label from "
			    "(expected a label %s: %s)",
			    loc, noun, ADT_JSON_SHOW, id, noun, adt_role_names(ADT_ROLE_LABEL));
}

static void note_paths(struct jctx *c)
{
	if (c->o->verbose)
		snprintf(c->o->note, sizeof(c->o->note),
			 "labels taken from folder names (good = normal)");
}

/* One element of shape (a) or one line of JSON Lines. */
static int read_object(struct jctx *c, const struct adt_json *obj, struct adt_json_pos at, size_t i,
		       const int need[N_ROLES])
{
	char loc[48], what[ADT_JSON_SHOW + 64];
	const char *id = NULL;
	unsigned long line;
	struct keys k;
	double score;
	size_t val;
	int label;

	loc[0] = '\0';
	if (!c->jsonl)
		snprintf(loc, sizeof(loc), "element %zu: ", i + 1);
	if (adt_json_type_of(obj) != ADT_JSON_OBJECT)
		return adt_error_at(c->err, ADT_EFORMAT, c->name, at.line,
				    "element %zu must be an object, got %s", i + 1,
				    adt_json_type_name(obj));
	if (object_keys(c, obj, at, 0, loc, "key", &k))
		return -1;
	for (enum adt_role r = ADT_ROLE_SCORE; r < N_ROLES; r++) {
		if (!k.v[r] && need[r])
			return no_key(c, obj, loc, r, "key", 0, at.line);
	}

	line = adt_json_member_line(c->t, c->len, at, k.idx[ADT_ROLE_SCORE], &val);
	snprintf(what, sizeof(what), "%s'%.*s'", loc, ADT_JSON_SHOW,
		 adt_json_key(k.v[ADT_ROLE_SCORE]));
	if (get_score(c, k.v[ADT_ROLE_SCORE], val, line, loc, what, &score))
		return -1;
	if (need[ADT_ROLE_ID]) {
		line = adt_json_member_line(c->t, c->len, at, k.idx[ADT_ROLE_ID], &val);
		snprintf(what, sizeof(what), "%s'%.*s'", loc, ADT_JSON_SHOW,
			 adt_json_key(k.v[ADT_ROLE_ID]));
		if (get_id(c, k.v[ADT_ROLE_ID], line, what, &id))
			return -1;
	}
	if (need[ADT_ROLE_LABEL]) {
		line = adt_json_member_line(c->t, c->len, at, k.idx[ADT_ROLE_LABEL], &val);
		snprintf(what, sizeof(what), "%s'%.*s'", loc, ADT_JSON_SHOW,
			 adt_json_key(k.v[ADT_ROLE_LABEL]));
		if (get_label(c, k.v[ADT_ROLE_LABEL], val, line, what, &label))
			return -1;
	} else if (!id) {
		return no_key(c, obj, loc, ADT_ROLE_LABEL, "key", 0, at.line);
	} else if (label_from_id(c, id, loc, "key", at.line, &label)) {
		return -1;
	}
	return adt_samples_push(c->out, score, label, id, at.line, c->err);
}

/* Shape (a) and JSON Lines: n objects, the first one `first`.  Labels
 * (and ids) are read when any object has them or they are named; without
 * labels they come from the ids' folders. */
static int read_objects(struct jctx *c, const struct adt_json *first,
			const struct adt_json_pos *pos, size_t n)
{
	int need[N_ROLES] = {0, 1, 0, 0};
	const struct adt_json *obj, *m;
	size_t i;

	need[ADT_ROLE_LABEL] = c->o->label_col != NULL;
	need[ADT_ROLE_ID] = c->o->id_col != NULL;
	for (obj = first; obj; obj = adt_json_next(obj)) {
		if (adt_json_type_of(obj) != ADT_JSON_OBJECT)
			continue;
		for (m = adt_json_child(obj); m; m = adt_json_next(m))
			need[key_role(c, adt_json_key(m), 0)] = 1;
	}
	for (obj = first, i = 0; i < n; obj = adt_json_next(obj), i++) {
		if (read_object(c, obj, pos[i], i, need))
			return -1;
	}
	if (n && !need[ADT_ROLE_LABEL])
		note_paths(c);
	return 0;
}

static size_t array_size(const struct adt_json *a)
{
	size_t n = 0;

	for (a = adt_json_child(a); a; a = adt_json_next(a))
		n++;
	return n;
}

static struct adt_json_pos *pos_alloc(size_t n)
{
	if (n == 0 || n > SIZE_MAX / sizeof(struct adt_json_pos))
		return NULL;
	return malloc(n * sizeof(struct adt_json_pos));
}

/* Shape (b): an object of parallel arrays at `at`. */
static int read_columns(struct jctx *c, const struct adt_json *root, struct adt_json_pos at)
{
	const struct adt_json *item[N_ROLES] = {NULL};
	struct adt_json_pos *pos[N_ROLES] = {NULL};
	char loc[48], what[ADT_JSON_SHOW + 64];
	const char *id = NULL;
	enum adt_role r;
	struct keys k;
	size_t n = 0, len, val, i;
	unsigned long line;
	struct adt_json_pos arr;
	double score;
	int label, ret = -1;

	if (object_keys(c, root, at, 1, "", "array", &k))
		return -1;
	if (!k.v[ADT_ROLE_SCORE])
		return no_key(c, root, "", ADT_ROLE_SCORE, "array", 1, at.line);
	if (!k.v[ADT_ROLE_LABEL] && (c->o->label_col || !k.v[ADT_ROLE_ID]))
		return no_key(c, root, "", ADT_ROLE_LABEL, "array", 1, at.line);
	if (!k.v[ADT_ROLE_ID] && c->o->id_col)
		return no_key(c, root, "", ADT_ROLE_ID, "array", 1, at.line);
	for (r = ADT_ROLE_SCORE; r < N_ROLES; r++) {
		if (!k.v[r])
			continue;
		line = adt_json_member_line(c->t, c->len, at, k.idx[r], &val);
		if (adt_json_type_of(k.v[r]) != ADT_JSON_ARRAY) {
			/* A number score here is likely one JSON Lines record. */
			adt_error_at(
			    c->err, ADT_EFORMAT, c->name, line, "'%.*s' must be an array, got %s%s",
			    ADT_JSON_SHOW, adt_json_key(k.v[r]), adt_json_type_name(k.v[r]),
			    r == ADT_ROLE_SCORE && adt_json_type_of(k.v[r]) == ADT_JSON_NUMBER
				? JSONL_HINT
				: "");
			goto out;
		}
		len = array_size(k.v[r]);
		if (r == ADT_ROLE_SCORE) {
			n = len;
		} else if (len != n) {
			adt_error_at(c->err, ADT_EFORMAT, c->name, line,
				     "'%.*s' has %zu element%s but '%.*s' has %zu", ADT_JSON_SHOW,
				     adt_json_key(k.v[ADT_ROLE_SCORE]), n, n == 1 ? "" : "s",
				     ADT_JSON_SHOW, adt_json_key(k.v[r]), len);
			goto out;
		}
		if (n == 0)
			continue;
		pos[r] = pos_alloc(n);
		if (!pos[r]) {
			nomem(c);
			goto out;
		}
		arr.off = val;
		arr.line = at.line + adt_json_count_nl(c->t, at.off, val);
		adt_json_array_positions(c->t, c->len, arr, pos[r], n);
		item[r] = adt_json_child(k.v[r]);
	}
	for (i = 0; i < n; i++) {
		snprintf(loc, sizeof(loc), "element %zu: ", i + 1);
		snprintf(what, sizeof(what), "element %zu of '%.*s'", i + 1, ADT_JSON_SHOW,
			 adt_json_key(k.v[ADT_ROLE_SCORE]));
		if (get_score(c, item[ADT_ROLE_SCORE], pos[ADT_ROLE_SCORE][i].off,
			      pos[ADT_ROLE_SCORE][i].line, loc, what, &score))
			goto out;
		if (item[ADT_ROLE_ID]) {
			snprintf(what, sizeof(what), "element %zu of '%.*s'", i + 1, ADT_JSON_SHOW,
				 adt_json_key(k.v[ADT_ROLE_ID]));
			if (get_id(c, item[ADT_ROLE_ID], pos[ADT_ROLE_ID][i].line, what, &id))
				goto out;
		}
		if (item[ADT_ROLE_LABEL]) {
			snprintf(what, sizeof(what), "element %zu of '%.*s'", i + 1, ADT_JSON_SHOW,
				 adt_json_key(k.v[ADT_ROLE_LABEL]));
			if (get_label(c, item[ADT_ROLE_LABEL], pos[ADT_ROLE_LABEL][i].off,
				      pos[ADT_ROLE_LABEL][i].line, what, &label))
				goto out;
		} else if (label_from_id(c, id, loc, "array", pos[ADT_ROLE_ID][i].line, &label)) {
			goto out;
		}
		/* A sample's line serves messages about its id (duplicates, pairing). */
		if (adt_samples_push(c->out, score, label, id,
				     pos[id ? ADT_ROLE_ID : ADT_ROLE_SCORE][i].line, c->err))
			goto out;
		for (r = ADT_ROLE_SCORE; r < N_ROLES; r++) {
			if (item[r])
				item[r] = adt_json_next(item[r]);
		}
	}
	if (n && !k.v[ADT_ROLE_LABEL])
		note_paths(c);
	ret = 0;
out:
	for (r = ADT_ROLE_SCORE; r < N_ROLES; r++)
		free(pos[r]);
	return ret;
}

/* Sets c up for buf, skipping a UTF-8 BOM; also checks that no two
 * options name the same key. */
static int ctx_init(struct jctx *c, const void *buf, size_t len, const char *name,
		    struct adt_read_opts *o, struct adt_samples *out, struct adt_error *err,
		    int jsonl)
{
	c->t = adt_json_skip_bom(buf, &len);
	c->len = len;
	c->name = name;
	c->o = o;
	c->out = out;
	c->err = err;
	c->jsonl = jsonl;
	adt_labeler_init(&c->lb, o->positive_label);
	o->note[0] = '\0';
	for (enum adt_role r = ADT_ROLE_LABEL; r < N_ROLES; r++) {
		for (enum adt_role q = ADT_ROLE_SCORE; q < r; q++) {
			if (role_spec(c, q) && role_spec(c, r) &&
			    adt_json_key_casecmp(role_spec(c, q), role_spec(c, r)) == 0)
				return adt_error_at(err, ADT_EUSAGE, name, 0,
						    "%s and %s both name key '%s'", role_opt[q],
						    role_opt[r], role_spec(c, r));
		}
	}
	return 0;
}

int adt_read_json_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		      struct adt_samples *out, struct adt_error *err)
{
	struct adt_json_scan s = {NULL, 0, 0, 1, 0, name, err};
	struct adt_read_opts defaults;
	struct adt_json_pos at, *pos = NULL;
	struct adt_json *root = NULL;
	size_t end, rest, n;
	struct jctx c;
	int ret = -1;

	if (!o) {
		adt_read_opts_init(&defaults);
		o = &defaults;
	}
	if (ctx_init(&c, buf, len, name, o, out, err, 0))
		goto out;
	at.off = adt_json_skip_ws(c.t, 0, c.len);
	if (at.off == c.len) {
		ret = 0; /* blank: no samples, which the caller reports */
		goto out;
	}
	at.line = 1 + adt_json_count_nl(c.t, 0, at.off);
	s.t = c.t;
	s.end = c.len;
	if (adt_json_scan_value(&s, at.off, &end))
		goto out;
	rest = adt_json_skip_ws(c.t, end, c.len);
	if (rest < c.len) {
		int lines =
		    c.t[at.off] == '{' && c.t[rest] == '{' && adt_json_count_nl(c.t, end, rest);

		adt_error_at(err, ADT_EFORMAT, name, 1 + adt_json_count_nl(c.t, 0, rest),
			     "trailing data after the JSON document%s", lines ? JSONL_HINT : "");
		goto out;
	}
	root = adt_json_parse(c.t, c.len);
	if (!root) {
		nomem(&c);
		goto out;
	}
	if (adt_json_type_of(root) == ADT_JSON_ARRAY) {
		n = array_size(root);
		pos = pos_alloc(n);
		if (n && !pos) {
			nomem(&c);
			goto out;
		}
		if (n)
			adt_json_array_positions(c.t, c.len, at, pos, n);
		if (read_objects(&c, adt_json_child(root), pos, n))
			goto out;
	} else if (adt_json_type_of(root) == ADT_JSON_OBJECT) {
		if (read_columns(&c, root, at))
			goto out;
	} else {
		adt_error_at(err, ADT_EFORMAT, name, at.line,
			     "the top-level value must be an array or an object, got %s",
			     adt_json_type_name(root));
		goto out;
	}
	ret = adt_labeler_finish(&c.lb, err);
out:
	if (ret) {
		adt_error_set_file(err, name);
		adt_samples_release(out);
	}
	adt_json_free(root);
	free(pos);
	adt_labeler_release(&c.lb);
	return ret;
}

int adt_read_jsonl_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		       struct adt_samples *out, struct adt_error *err)
{
	struct adt_read_opts defaults;
	size_t n = 0, cap = 0, start, end;
	struct adt_json_pos *pos = NULL;
	void *grown;
	struct adt_json *root = NULL, *item;
	struct adt_json_lines lines;
	unsigned long line;
	struct jctx c;
	int got, ret = -1;

	if (!o) {
		adt_read_opts_init(&defaults);
		o = &defaults;
	}
	if (ctx_init(&c, buf, len, name, o, out, err, 1))
		goto out;
	root = adt_json_array_new();
	if (!root) {
		nomem(&c);
		goto out;
	}
	adt_json_lines_init(&lines, c.t, c.len, name, err);
	while ((got = adt_json_lines_next(&lines, &start, &end)) == 1) {
		line = lines.s.line;
		item = adt_json_parse(c.t + start, end - start);
		if (!item) {
			nomem(&c);
			goto out;
		}
		if (adt_json_type_of(item) != ADT_JSON_OBJECT) {
			adt_error_at(err, ADT_EFORMAT, name, line, "expected an object, got %s%s",
				     adt_json_type_name(item),
				     adt_json_type_of(item) == ADT_JSON_ARRAY
					 ? " (a JSON document? use .json or --input-format json)"
					 : "");
			adt_json_free(item);
			goto out;
		}
		adt_json_array_append(root, item);
		grown = pos;
		if (adt_grow(&grown, &cap, n + 1, sizeof(*pos))) {
			nomem(&c);
			goto out;
		}
		pos = grown;
		pos[n].off = start;
		pos[n].line = line;
		n++;
	}
	if (got < 0 || read_objects(&c, adt_json_child(root), pos, n))
		goto out;
	ret = adt_labeler_finish(&c.lb, err);
out:
	if (ret) {
		adt_error_set_file(err, name);
		adt_samples_release(out);
	}
	adt_json_free(root);
	free(pos);
	adt_labeler_release(&c.lb);
	return ret;
}
