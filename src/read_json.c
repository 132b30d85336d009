/* JSON and JSON Lines score files (see score_formats.h), JSON matrices and
 * JSON results documents of maps and masks (see image_formats.h), and
 * thresholds files (see read.h), all on json.h. */
#include "adthresh/score_formats.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/image_formats.h"
#include "adthresh/json.h"
#include "adthresh/read.h"
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
	struct adt_json_scan s = {NULL, 0, 0, 1, 1, name, err};
	struct adt_read_opts defaults;
	size_t n = 0, cap = 0, p = 0, eol, next, start, end, rest;
	struct adt_json_pos *pos = NULL, *grown;
	struct adt_json *root = NULL, *item;
	unsigned long line = 0;
	const char *nl;
	struct jctx c;
	int ret = -1;

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
	s.t = c.t;
	for (; p < c.len; p = next) {
		line++;
		nl = memchr(c.t + p, '\n', c.len - p);
		eol = nl ? (size_t)(nl - c.t) : c.len;
		next = nl ? eol + 1 : c.len;
		if (eol > p && c.t[eol - 1] == '\r')
			eol--;
		start = adt_json_skip_ws(c.t, p, eol);
		if (start == eol)
			continue;
		s.begin = p;
		s.end = eol;
		s.line = line;
		if (adt_json_scan_value(&s, start, &end))
			goto out;
		rest = adt_json_skip_ws(c.t, end, eol);
		if (rest < eol) {
			adt_error_at(err, ADT_EFORMAT, name, line,
				     "trailing data after the JSON value (one object per line)");
			goto out;
		}
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
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = cap <= SIZE_MAX / sizeof(*pos) ? realloc(pos, cap * sizeof(*pos))
							       : NULL;
			if (!grown) {
				nomem(&c);
				goto out;
			}
			pos = grown;
		}
		pos[n].off = start;
		pos[n].line = line;
		n++;
	}
	if (read_objects(&c, adt_json_child(root), pos, n))
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

/* ---- Matrices and results documents (image_formats.h). ----
 *
 * These hold one number per pixel, and cJSON's tree would take some 64
 * bytes for each, so they are walked in the validated text instead;
 * cJSON only decodes strings with escapes.  A matrix is walked twice: once
 * for its shape and types, so that the size is checked before anything
 * is allocated, and once for the numbers. */

/* How one matrix is read; prefix starts every message
 * ("element 2: 'anomaly_map': "). */
struct mspec {
	const char *name;
	const char *prefix;
	int bools; /* true and false read as 1 and 0 */
	const struct adt_decode_opts *o;
	struct adt_error *err;
};

static int mfail(const struct mspec *m, enum adt_errcode code, unsigned long line, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

static int mfail(const struct mspec *m, enum adt_errcode code, unsigned long line, const char *fmt,
		 ...)
{
	char msg[sizeof(m->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return adt_error_at(m->err, code, m->name, line, "%s%s", m->prefix, msg);
}

/* Finds the 2-D array in the value at *a, going through leading
 * dimensions of 1 ([1, H, W], [1, 1, H, W]), and checks its rows: arrays
 * of equal length holding numbers (or booleans).  Sets *width, *height. */
static int matrix_shape(const struct mspec *m, struct adt_json_cur *a, size_t *width,
			size_t *height)
{
	struct adt_json_cur e, r;
	size_t n, row = 0, col;
	char ch;

	if (a->t[a->off] != '[')
		return mfail(m, ADT_EDATA, a->line, "expected a 2-D array of numbers, got %s",
			     adt_json_text_type(a->t[a->off]));
	for (;;) {
		e = *a;
		adt_json_cur_step(&e);
		if (e.t[e.off] != '[')
			break;
		r = e;
		adt_json_cur_step(&r);
		if (r.t[r.off] != '[')
			break;
		n = adt_json_cur_count(*a);
		if (n != 1)
			return mfail(m, ADT_EDATA, a->line,
				     "leading dimension is %zu, expected 1 (one image: [H, W] or "
				     "[1, H, W])",
				     n);
		*a = e;
	}
	e = *a;
	adt_json_cur_step(&e);
	if (e.t[e.off] == ']')
		return mfail(m, ADT_EFORMAT, a->line, "empty matrix");
	*width = 0;
	do {
		row++;
		ch = e.t[e.off];
		if (ch != '[' && row == 1 && (adt_json_is_num_start(ch) || ch == 't' || ch == 'f'))
			return mfail(m, ADT_EDATA, a->line,
				     "expected a 2-D array of numbers, got a 1-D array");
		if (ch != '[')
			return mfail(m, ADT_EDATA, e.line,
				     "row %zu: expected an array of numbers, got %s", row,
				     adt_json_text_type(ch));
		r = e;
		adt_json_cur_step(&r);
		col = 0;
		if (r.t[r.off] != ']') {
			do {
				col++;
				ch = r.t[r.off];
				if (!adt_json_is_num_start(ch) &&
				    !(m->bools && (ch == 't' || ch == 'f')))
					return mfail(
					    m, ADT_EDATA, r.line,
					    "row %zu, column %zu: expected a number, got %s", row,
					    col, adt_json_text_type(ch));
				adt_json_cur_skip_scalar(&r);
			} while (adt_json_cur_next(&r));
		}
		if (row == 1)
			*width = col;
		else if (col != *width)
			return mfail(m, ADT_EFORMAT, e.line,
				     "row %zu has %zu value%s, row 1 has %zu", row, col,
				     col == 1 ? "" : "s", *width);
		e = r;
		adt_json_cur_step(&e);
	} while (adt_json_cur_next(&e));
	*height = row;
	if (*width == 0)
		return mfail(m, ADT_EFORMAT, a->line, "empty matrix");
	return 0;
}

/* Reads the matrix at `at` into out as F64 samples. */
static int read_matrix(const struct mspec *m, struct adt_json_cur at, struct adt_raster *out)
{
	size_t width = 0, height = 0, row = 0, col;
	struct adt_error tmp;
	struct adt_json_cur e, r;
	double *v;

	if (matrix_shape(m, &at, &width, &height))
		return -1;
	adt_error_init(&tmp);
	if (adt_raster_check_size(width, height, sizeof(double), m->o, &tmp) ||
	    adt_raster_reshape(out, width, height, ADT_SAMPLE_F64, &tmp))
		return mfail(m, tmp.code, at.line, "%s", tmp.msg);
	v = out->data;
	e = at;
	adt_json_cur_step(&e);
	do {
		row++;
		r = e;
		adt_json_cur_step(&r);
		col = 0;
		do {
			col++;
			if (r.t[r.off] == 't' || r.t[r.off] == 'f')
				*v = r.t[r.off] == 't';
			else if (adt_json_cur_double(&r, "value", v, &tmp))
				return mfail(m, tmp.code, r.line, "row %zu, column %zu: %s", row,
					     col, tmp.msg);
			v++;
			adt_json_cur_skip_scalar(&r);
		} while (adt_json_cur_next(&r));
		e = r;
		adt_json_cur_step(&e);
	} while (adt_json_cur_next(&e));
	return 0;
}

int adt_matrix_json_read_mem(const void *buf, size_t len, const char *name,
			     const struct adt_decode_opts *o, struct adt_raster *out,
			     struct adt_error *err)
{
	struct adt_json_scan s = {NULL, 0, 0, 1, 0, name, err};
	struct mspec m = {name, "", o && o->purpose == ADT_AS_MASK, o, err};
	const char *t = adt_json_skip_bom(buf, &len);
	size_t off = adt_json_skip_ws(t, 0, len), end, rest;
	struct adt_json_cur c = {t, off, len, 1 + adt_json_count_nl(t, 0, off)};

	if (off == len)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "empty matrix");
	s.t = t;
	s.end = len;
	if (adt_json_scan_value(&s, off, &end))
		return -1;
	rest = adt_json_skip_ws(t, end, len);
	if (rest < len)
		return adt_error_at(err, ADT_EFORMAT, name, 1 + adt_json_count_nl(t, 0, rest),
				    "trailing data after the JSON document");
	return read_matrix(&m, c, out);
}

/* Keys of a results document's objects. */
enum dkey { DK_NONE = 0, DK_ID, DK_SCORE, DK_LABEL, DK_MAP, DK_MASK, N_DKEYS };

static const char *const dkey_word[N_DKEYS] = {"", "id", "score", "label", "map", "mask"};

static enum dkey doc_key(const char *key)
{
	static const char *const maps[] = {"anomaly_map", "anomaly_maps", "map", "heatmap"};
	static const char *const masks[] = {"gt_mask", "gt_masks", "mask"};
	size_t i;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		if (adt_json_key_casecmp(key, maps[i]) == 0)
			return DK_MAP;
	}
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		if (adt_json_key_casecmp(key, masks[i]) == 0)
			return DK_MASK;
	}
	switch (adt_role_of(key, 0)) {
	case ADT_ROLE_ID:
		return DK_ID;
	case ADT_ROLE_SCORE:
		return DK_SCORE;
	case ADT_ROLE_LABEL:
		return DK_LABEL;
	default:
		return DK_NONE;
	}
}

/* One member of an object: its decoded key and where its value is. */
struct member {
	char *key;
	unsigned long line; /* of the key */
	struct adt_json_cur val;
};

struct dctx {
	const char *name;
	const struct adt_decode_opts *o;
	struct adt_error *err;
	struct adt_doc *doc;
	size_t cap; /* of doc->images */
	struct adt_labeler lb;
	/* The members of the object being read, kept for the next one. */
	struct member *m;
	struct adt_json_keyref *refs;
	size_t n_m, m_cap;
};

static int dnomem(const struct dctx *d)
{
	return adt_error_at(d->err, ADT_ENOMEM, d->name, 0, "out of memory");
}

/* Collects the members of the object at *c, leaving *c after it. */
static int doc_members(struct dctx *d, struct adt_json_cur *c)
{
	struct member *m;
	struct adt_json_keyref *r;
	size_t cap;

	adt_json_cur_step(c);
	if (c->t[c->off] == '}') {
		adt_json_cur_step(c);
		return 0;
	}
	do {
		if (d->n_m == d->m_cap) {
			cap = d->m_cap ? d->m_cap * 2 : 16;
			if (cap > SIZE_MAX / sizeof(*m))
				return dnomem(d);
			m = realloc(d->m, cap * sizeof(*m));
			if (!m)
				return dnomem(d);
			d->m = m;
			r = realloc(d->refs, cap * sizeof(*r));
			if (!r)
				return dnomem(d);
			d->refs = r;
			d->m_cap = cap;
		}
		m = &d->m[d->n_m];
		m->line = c->line;
		m->key = adt_json_cur_string(c);
		if (!m->key)
			return dnomem(d);
		d->n_m++;
		adt_json_cur_skip(c);
		adt_json_cur_step(c); /* the ':' */
		m->val = *c;
		adt_json_cur_skip(c);
	} while (adt_json_cur_next(c));
	adt_json_cur_step(c);
	return 0;
}

static void doc_members_clear(struct dctx *d)
{
	for (size_t i = 0; i < d->n_m; i++)
		free(d->m[i].key);
	d->n_m = 0;
}

static struct adt_doc_image *doc_push(struct dctx *d, unsigned long line)
{
	struct adt_doc_image *img;
	size_t cap;

	if (d->doc->n == d->cap) {
		cap = d->cap ? d->cap * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*img))
			return NULL;
		img = realloc(d->doc->images, cap * sizeof(*img));
		if (!img)
			return NULL;
		d->doc->images = img;
		d->cap = cap;
	}
	img = &d->doc->images[d->doc->n++];
	memset(img, 0, sizeof(*img));
	adt_raster_init(&img->map);
	adt_raster_init(&img->mask);
	img->line = line;
	return img;
}

static int doc_label(struct dctx *d, const struct member *k, const char *loc, int *label)
{
	char num[ADT_JSON_NUMBER_MAX + 1], *s = NULL;
	const char *text;
	char ch = k->val.t[k->val.off];
	int ret;

	if (adt_json_is_num_start(ch)) {
		adt_json_cur_number(&k->val, num);
		text = num;
	} else if (ch == 't' || ch == 'f') {
		text = ch == 't' ? "true" : "false";
	} else if (ch == '"') {
		s = adt_json_cur_string(&k->val);
		if (!s)
			return dnomem(d);
		text = s;
	} else {
		return adt_error_at(d->err, ADT_EDATA, d->name, k->val.line,
				    "%s'%.*s' must be a number, a boolean or a string, got %s", loc,
				    ADT_JSON_SHOW, k->key, adt_json_text_type(ch));
	}
	ret = adt_labeler_parse(&d->lb, text, k->val.line, label, d->err) < 0 ? -1 : 0;
	free(s);
	return ret;
}

/* Reads the members of one object (starting at line `line`) into a new
 * image; loc starts messages ("element 2: "). */
static int doc_image(struct dctx *d, unsigned long line, const char *loc)
{
	const struct member *k[N_DKEYS] = {NULL};
	char prefix[ADT_JSON_SHOW + 64];
	struct adt_doc_image *img;
	struct adt_error tmp;
	struct mspec ms;
	size_t i, dup;
	enum dkey r;
	char ch;

	for (i = 0; i < d->n_m; i++) {
		d->refs[i].key = d->m[i].key;
		d->refs[i].index = i;
	}
	dup = d->n_m > 1 ? adt_json_first_duplicate(d->refs, d->n_m) : SIZE_MAX;
	if (dup != SIZE_MAX)
		return adt_error_at(d->err, ADT_EFORMAT, d->name, d->m[dup].line,
				    "%sduplicate key '%.*s'", loc, ADT_JSON_SHOW, d->m[dup].key);
	for (i = 0; i < d->n_m; i++) {
		r = doc_key(d->m[i].key);
		if (r == DK_NONE)
			continue;
		if (k[r])
			return adt_error_at(d->err, ADT_EDATA, d->name, d->m[i].line,
					    "%sambiguous %s keys '%.*s' and '%.*s'", loc,
					    dkey_word[r], ADT_JSON_SHOW, k[r]->key, ADT_JSON_SHOW,
					    d->m[i].key);
		k[r] = &d->m[i];
	}
	if (!k[DK_MAP])
		return adt_error_at(d->err, ADT_EDATA, d->name, line,
				    "%sno anomaly map (expected 'anomaly_map')", loc);
	img = doc_push(d, line);
	if (!img)
		return dnomem(d);
	if (k[DK_ID]) {
		ch = k[DK_ID]->val.t[k[DK_ID]->val.off];
		if (ch != '"')
			return adt_error_at(d->err, ADT_EDATA, d->name, k[DK_ID]->val.line,
					    "%s'%.*s' must be a string, got %s", loc, ADT_JSON_SHOW,
					    k[DK_ID]->key, adt_json_text_type(ch));
		img->id = adt_json_cur_string(&k[DK_ID]->val);
		if (!img->id)
			return dnomem(d);
	}
	if (k[DK_SCORE]) {
		ch = k[DK_SCORE]->val.t[k[DK_SCORE]->val.off];
		if (!adt_json_is_num_start(ch))
			return adt_error_at(d->err, ADT_EDATA, d->name, k[DK_SCORE]->val.line,
					    "%s'%.*s' must be a number, got %s", loc, ADT_JSON_SHOW,
					    k[DK_SCORE]->key, adt_json_text_type(ch));
		adt_error_init(&tmp);
		if (adt_json_cur_double(&k[DK_SCORE]->val, "score", &img->score, &tmp))
			return adt_error_at(d->err, tmp.code, d->name, k[DK_SCORE]->val.line,
					    "%s%s", loc, tmp.msg);
		img->has_score = 1;
	}
	if (k[DK_LABEL]) {
		if (doc_label(d, k[DK_LABEL], loc, &img->label))
			return -1;
		img->has_label = 1;
	}
	ms.name = d->name;
	ms.prefix = prefix;
	ms.o = d->o;
	ms.err = d->err;
	ms.bools = 0;
	snprintf(prefix, sizeof(prefix), "%s'%.*s': ", loc, ADT_JSON_SHOW, k[DK_MAP]->key);
	if (read_matrix(&ms, k[DK_MAP]->val, &img->map))
		return -1;
	/* A null mask is no mask, as for the normal images of MVTec AD. */
	if (k[DK_MASK] && k[DK_MASK]->val.t[k[DK_MASK]->val.off] != 'n') {
		ms.bools = 1;
		snprintf(prefix, sizeof(prefix), "%s'%.*s': ", loc, ADT_JSON_SHOW, k[DK_MASK]->key);
		if (read_matrix(&ms, k[DK_MASK]->val, &img->mask))
			return -1;
	}
	return 0;
}

/* Reads the object at *c (validated), leaving *c after it. */
static int doc_object(struct dctx *d, struct adt_json_cur *c, const char *loc)
{
	unsigned long line = c->line;
	int ret;

	ret = doc_members(d, c);
	if (ret == 0)
		ret = doc_image(d, line, loc);
	doc_members_clear(d);
	return ret;
}

/* A top-level array of objects at c (validated). */
static int doc_array(struct dctx *d, struct adt_json_cur c)
{
	char loc[48];
	size_t i = 0;

	adt_json_cur_step(&c);
	if (c.t[c.off] == ']')
		return 0;
	do {
		i++;
		if (c.t[c.off] != '{')
			return adt_error_at(d->err, ADT_EFORMAT, d->name, c.line,
					    "element %zu must be an object, got %s", i,
					    adt_json_text_type(c.t[c.off]));
		snprintf(loc, sizeof(loc), "element %zu: ", i);
		if (doc_object(d, &c, loc))
			return -1;
	} while (adt_json_cur_next(&c));
	return 0;
}

/* JSON Lines: one object per non-blank line. */
static int doc_lines(struct dctx *d, const char *t, size_t len)
{
	struct adt_json_scan s = {t, 0, 0, 1, 1, d->name, d->err};
	size_t p, eol, next, start, end;
	unsigned long line = 0;
	const char *nl;
	struct adt_json_cur c;

	for (p = 0; p < len; p = next) {
		line++;
		nl = memchr(t + p, '\n', len - p);
		eol = nl ? (size_t)(nl - t) : len;
		next = nl ? eol + 1 : len;
		if (eol > p && t[eol - 1] == '\r')
			eol--;
		start = adt_json_skip_ws(t, p, eol);
		if (start == eol)
			continue;
		s.begin = p;
		s.end = eol;
		s.line = line;
		if (adt_json_scan_value(&s, start, &end))
			return -1;
		if (adt_json_skip_ws(t, end, eol) < eol)
			return adt_error_at(d->err, ADT_EFORMAT, d->name, line,
					    "trailing data after the JSON value (one object per "
					    "line)");
		if (t[start] != '{')
			return adt_error_at(d->err, ADT_EFORMAT, d->name, line,
					    "expected an object, got %s",
					    adt_json_text_type(t[start]));
		c.t = t;
		c.off = start;
		c.end = eol;
		c.line = line;
		if (doc_object(d, &c, ""))
			return -1;
	}
	return 0;
}

/* Whether the line holding off is one complete JSON value from off on. */
static int line_is_value(const char *t, size_t off, size_t len, const char *name)
{
	const char *nl = memchr(t + off, '\n', len - off);
	size_t eol = nl ? (size_t)(nl - t) : len, end;
	struct adt_error ignored;
	struct adt_json_scan s = {t, off, eol, 1, 1, name, &ignored};

	return adt_json_scan_value(&s, off, &end) == 0 && adt_json_skip_ws(t, end, eol) == eol;
}

int adt_doc_json_read_mem(const void *buf, size_t len, const char *name,
			  const struct adt_decode_opts *o, struct adt_doc *doc,
			  struct adt_error *err)
{
	struct adt_json_scan s = {NULL, 0, 0, 1, 0, name, err};
	struct dctx d = {name, o, err, doc, 0, {0}, NULL, NULL, 0, 0};
	const char *t = adt_json_skip_bom(buf, &len);
	size_t off = adt_json_skip_ws(t, 0, len), end, rest;
	struct adt_json_cur c = {t, off, len, 1 + adt_json_count_nl(t, 0, off)};
	int ret = -1;

	doc->images = NULL;
	doc->n = 0;
	adt_labeler_init(&d.lb, NULL);
	s.t = t;
	s.end = len;
	if (off < len && (t[off] == '[' || (t[off] == '{' && !line_is_value(t, off, len, name)))) {
		/* An array of objects, or one object over several lines. */
		if (adt_json_scan_value(&s, off, &end))
			goto out;
		rest = adt_json_skip_ws(t, end, len);
		if (rest < len) {
			adt_error_at(
			    err, ADT_EFORMAT, name, 1 + adt_json_count_nl(t, 0, rest),
			    "trailing data after the JSON document%s",
			    t[off] == '{' ? " (JSON Lines need one complete object per line)" : "");
			goto out;
		}
		if (t[off] == '[' ? doc_array(&d, c) : doc_object(&d, &c, ""))
			goto out;
	} else if (doc_lines(&d, t, len)) {
		goto out;
	}
	if (doc->n == 0) {
		adt_error_at(err, ADT_EDATA, name, 0, "no images in the document");
		goto out;
	}
	ret = adt_labeler_finish(&d.lb, err);
out:
	if (ret) {
		adt_error_set_file(err, name);
		adt_doc_release(doc);
	}
	doc_members_clear(&d);
	free(d.m);
	free(d.refs);
	adt_labeler_release(&d.lb);
	return ret;
}

void adt_doc_release(struct adt_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n; i++) {
		free(doc->images[i].id);
		adt_raster_release(&doc->images[i].map);
		adt_raster_release(&doc->images[i].mask);
	}
	free(doc->images);
	doc->images = NULL;
	doc->n = 0;
}

/* Thresholds saved by --save-thresholds: {"rule": ..., "image":
 * {"threshold": x}, "pixel": {...}} or {"rule": ..., "categories":
 * {NAME: {"image": {...}, "pixel": {...}}}}. */
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

	if (repeated_key(obj))
		return adt_error_at(err, ADT_EFORMAT, name, 0, "duplicate key '%.100s'%s%.100s",
				    repeated_key(obj), category ? " in category " : "",
				    category ? category : "");
	for (const struct adt_json *k = adt_json_child(obj); k; k = adt_json_next(k)) {
		int pixel = -1;
		const struct adt_json *v;
		struct adt_saved_threshold *p;

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
		p = realloc(t->v, (t->n + 1) * sizeof(*t->v));
		if (!p)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		t->v = p;
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
