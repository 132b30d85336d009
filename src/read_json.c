/* JSON and JSON Lines score files (see score_formats.h), JSON matrices and JSON
 * results documents of maps and masks (see image_formats.h).  The only
 * file that includes cJSON.
 *
 * cJSON builds the tree but keeps no positions, cannot tell a syntax
 * error from a failed allocation, and accepts a few things JSON does not
 * (leading zeros, control characters in strings, invalid \u digits).  So
 * the text is first checked by a strict validator of our own, which gives
 * exact messages and lines; cJSON then only fails when memory runs out.
 * Lines of elements and keys come from a second, simple scanner over the
 * validated text. */
#include "adthresh/score_formats.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "adthresh/image_formats.h"
#include "adthresh/read.h"
#include "adthresh/value.h"

/* The nesting limit cJSON is built with; the validator refuses deeper
 * documents itself so that everything it accepts cJSON can parse. */
#define MAX_DEPTH 1000
/* cJSON copies at most this many characters of a number. */
#define MAX_NUMBER 63
/* Bytes of user text shown in messages. */
#define SHOW	   60
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

/* Where a value starts in the text, and its line. */
struct pos {
	size_t off;
	unsigned long line;
};

/* The members of one object that have a role, by role. */
struct keys {
	const cJSON *v[N_ROLES];
	size_t idx[N_ROLES];
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_number_char(char c)
{
	return is_digit(c) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

/* Characters that run together into one bare word in messages. */
static int is_word(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '+' || c == '-' || c == '.';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (unsigned char)c;
}

/* strcasecmp for ASCII, whatever the locale. */
static int ascii_casecmp(const char *a, const char *b)
{
	int x, y;

	do {
		x = lower(*a++);
		y = lower(*b++);
	} while (x && x == y);
	return x - y;
}

/* Whether t[off, off + n) is word, ignoring case. */
static int word_is(const char *t, size_t off, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++) {
		if (lower(t[off + i]) != word[i])
			return 0;
	}
	return 1;
}

static size_t skip_ws(const char *t, size_t off, size_t end)
{
	while (off < end && is_ws(t[off]))
		off++;
	return off;
}

static unsigned long count_nl(const char *t, size_t from, size_t to)
{
	const char *p = t + from, *e = t + to, *q;
	unsigned long n = 0;

	while (p < e && (q = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p = q + 1;
	}
	return n;
}

/* ---- The validator: strict JSON (RFC 8259), one value. ---- */

struct scan {
	const char *t;
	size_t begin, end;  /* the bytes to look at */
	unsigned long line; /* the line of begin */
	int jsonl;
	const char *name;
	struct adt_error *err;
};

static int scan_fail(const struct scan *s, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int scan_fail(const struct scan *s, size_t off, const char *fmt, ...)
{
	char msg[sizeof(s->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return adt_error_at(s->err, ADT_EFORMAT, s->name, s->line + count_nl(s->t, s->begin, off),
			    "%s", msg);
}

/* The input stops inside a value: reported at its last non-blank byte. */
static int scan_eof(const struct scan *s)
{
	size_t off = s->end;

	while (off > s->begin && is_ws(s->t[off - 1]))
		off--;
	if (s->jsonl)
		return scan_fail(s, off,
				 "unexpected end of line (JSON Lines need one complete object "
				 "per line)");
	return scan_fail(s, off, "unexpected end of input");
}

/* Describes what is at off (< end) for "expected X, got Y". */
static void describe(const struct scan *s, size_t off, char *buf, size_t size)
{
	unsigned char c = (unsigned char)s->t[off];
	size_t n = 0;

	while (off + n < s->end && n < 20 && is_word(s->t[off + n]))
		n++;
	if (n)
		snprintf(buf, size, "'%.*s%s'", (int)n, s->t + off,
			 off + n < s->end && is_word(s->t[off + n]) ? "..." : "");
	else if (c == '\'')
		snprintf(buf, size, "a single quote (strings take double quotes)");
	else if (c > ' ' && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02x", c);
}

/* Reads the 4 hex digits of a \u escape at off (the backslash). */
static int scan_u4(const struct scan *s, size_t off, unsigned *code)
{
	unsigned v = 0;
	size_t i;

	if (off > s->end || s->end - off < 6 || s->t[off] != '\\' || s->t[off + 1] != 'u')
		return -1;
	for (i = 2; i < 6; i++) {
		int h = hex_value(s->t[off + i]);

		if (h < 0)
			return -1;
		v = v * 16 + (unsigned)h;
	}
	*code = v;
	return 0;
}

/* A string starting at off (the quote); *next is after its closing quote. */
static int scan_string(const struct scan *s, size_t off, size_t *next)
{
	const char *t = s->t;
	size_t q = off + 1;
	unsigned code, low;

	while (q < s->end) {
		unsigned char c = (unsigned char)t[q];

		if (c == '"') {
			*next = q + 1;
			return 0;
		}
		if (c == '\n')
			break;
		if (c < 0x20)
			return scan_fail(s, q, "control character (byte 0x%02x) in a string", c);
		if (c != '\\') {
			q++;
			continue;
		}
		if (q + 1 >= s->end)
			break;
		c = (unsigned char)t[q + 1];
		if (c && strchr("\"\\/bfnrt", c)) {
			q += 2;
			continue;
		}
		if (c != 'u') {
			if (c > ' ' && c < 0x7f)
				return scan_fail(s, q, "invalid escape '\\%c' in a string", c);
			return scan_fail(s, q, "invalid escape in a string");
		}
		if (scan_u4(s, q, &code))
			return scan_fail(s, q,
					 "invalid \\u escape in a string (expected 4 hex digits)");
		if (code == 0)
			return scan_fail(s, q, "\\u0000 in a string is not supported");
		if (code >= 0xDC00 && code <= 0xDFFF)
			return scan_fail(s, q, "unpaired surrogate '\\u%.4s' in a string",
					 t + q + 2);
		if (code >= 0xD800 && code <= 0xDBFF) {
			if (scan_u4(s, q + 6, &low) || low < 0xDC00 || low > 0xDFFF)
				return scan_fail(s, q, "unpaired surrogate '\\u%.4s' in a string",
						 t + q + 2);
			q += 6;
		}
		q += 6;
	}
	return scan_fail(s, off, "unterminated string");
}

/* Whether t[off, end) is exactly a JSON number. */
static int is_number(const char *t, size_t off, size_t end)
{
	size_t p = off;

	if (p < end && t[p] == '-')
		p++;
	if (p < end && t[p] == '0')
		p++;
	else if (p < end && t[p] >= '1' && t[p] <= '9')
		while (p < end && is_digit(t[p]))
			p++;
	else
		return 0;
	if (p < end && t[p] == '.') {
		if (++p >= end || !is_digit(t[p]))
			return 0;
		while (p < end && is_digit(t[p]))
			p++;
	}
	if (p < end && (t[p] == 'e' || t[p] == 'E')) {
		p++;
		if (p < end && (t[p] == '+' || t[p] == '-'))
			p++;
		if (p >= end || !is_digit(t[p]))
			return 0;
		while (p < end && is_digit(t[p]))
			p++;
	}
	return p == end;
}

/* A number or a literal at off; *next is after it. */
static int scan_scalar(const struct scan *s, size_t off, size_t *next)
{
	const char *t = s->t;
	size_t n = 0, w = off;
	char got[80];

	while (off + n < s->end && is_word(t[off + n]))
		n++;
	if (n == 0) {
		describe(s, off, got, sizeof(got));
		return scan_fail(s, off, "expected a value, got %s", got);
	}
	if (t[w] == '+' || t[w] == '-')
		w++;
	if (word_is(t, w, off + n - w, "nan") || word_is(t, w, off + n - w, "inf") ||
	    word_is(t, w, off + n - w, "infinity"))
		return scan_fail(s, off, "NaN and Infinity are not valid JSON");
	*next = off + n;
	if ((n == 4 && memcmp(t + off, "true", 4) == 0) ||
	    (n == 5 && memcmp(t + off, "false", 5) == 0) ||
	    (n == 4 && memcmp(t + off, "null", 4) == 0))
		return 0;
	if (!is_digit(t[off]) && !strchr("+-.", t[off])) {
		describe(s, off, got, sizeof(got));
		return scan_fail(s, off, "expected a value, got %s", got);
	}
	if (!is_number(t, off, off + n))
		return scan_fail(s, off, "invalid number '%.*s'", n > SHOW ? SHOW : (int)n,
				 t + off);
	if (n > MAX_NUMBER)
		return scan_fail(s, off, "number '%.20s...' is too long (over %d characters)",
				 t + off, MAX_NUMBER);
	return 0;
}

enum { S_VALUE, S_KEY, S_AFTER };

/* Checks the one value starting at off (after any blanks); *next is right
 * after it.  Iterative, so deep nesting costs no stack. */
static int scan_value(const struct scan *s, size_t off, size_t *next)
{
	const char *t = s->t;
	char stack[MAX_DEPTH], got[80], want;
	size_t depth = 0;
	int state = S_VALUE;

	for (;;) {
		if (state == S_AFTER && depth == 0)
			break;
		off = skip_ws(t, off, s->end);
		if (off >= s->end)
			return scan_eof(s);
		if (state == S_AFTER) {
			want = stack[depth - 1] == '[' ? ']' : '}';
			if (t[off] == want) {
				off++;
				depth--;
			} else if (t[off] == ',') {
				off = skip_ws(t, off + 1, s->end);
				if (off < s->end && t[off] == want)
					return scan_fail(s, off, "trailing comma before '%c'",
							 want);
				state = want == ']' ? S_VALUE : S_KEY;
			} else {
				describe(s, off, got, sizeof(got));
				if (want == ']')
					return scan_fail(
					    s, off,
					    "expected ',' or ']' after an array element, got %s",
					    got);
				return scan_fail(
				    s, off, "expected ',' or '}' after an object member, got %s",
				    got);
			}
			continue;
		}
		if (state == S_KEY) {
			if (t[off] != '"') {
				describe(s, off, got, sizeof(got));
				return scan_fail(s, off, "expected a key in double quotes, got %s",
						 got);
			}
			if (scan_string(s, off, &off))
				return -1;
			off = skip_ws(t, off, s->end);
			if (off >= s->end)
				return scan_eof(s);
			if (t[off] != ':') {
				describe(s, off, got, sizeof(got));
				return scan_fail(s, off, "expected ':' after a key, got %s", got);
			}
			off++;
			state = S_VALUE;
			continue;
		}
		if (t[off] == '[' || t[off] == '{') {
			if (depth == MAX_DEPTH)
				return scan_fail(s, off, "nesting deeper than %d levels",
						 MAX_DEPTH);
			stack[depth++] = t[off];
			want = t[off] == '[' ? ']' : '}';
			off = skip_ws(t, off + 1, s->end);
			if (off < s->end && t[off] == want) {
				off++;
				depth--;
				state = S_AFTER;
			} else {
				state = want == ']' ? S_VALUE : S_KEY;
			}
			continue;
		}
		if (t[off] == '"') {
			if (scan_string(s, off, &off))
				return -1;
		} else if (scan_scalar(s, off, &off)) {
			return -1;
		}
		state = S_AFTER;
	}
	*next = off;
	return 0;
}

/* ---- Positions in validated text. ---- */

static size_t skip_string(const char *t, size_t off)
{
	off++;
	while (t[off] != '"')
		off += t[off] == '\\' ? 2 : 1;
	return off + 1;
}

static size_t skip_value(const char *t, size_t off, size_t end)
{
	size_t depth = 0;

	if (t[off] == '"')
		return skip_string(t, off);
	if (t[off] != '[' && t[off] != '{') {
		while (off < end && !is_ws(t[off]) && t[off] != ',' && t[off] != ']' &&
		       t[off] != '}')
			off++;
		return off;
	}
	do {
		if (t[off] == '"') {
			off = skip_string(t, off);
			continue;
		}
		if (t[off] == '[' || t[off] == '{')
			depth++;
		else if (t[off] == ']' || t[off] == '}')
			depth--;
		off++;
	} while (depth > 0);
	return off;
}

/* Fills pos[0, n) with the starts and lines of the n elements of the
 * array at `at` (its '['). */
static void array_positions(const char *t, size_t end, struct pos at, struct pos *pos, size_t n)
{
	size_t off = skip_ws(t, at.off + 1, end), prev = at.off;
	unsigned long line = at.line;

	for (size_t i = 0; i < n; i++) {
		if (t[off] == ',')
			off = skip_ws(t, off + 1, end);
		line += count_nl(t, prev, off);
		pos[i].off = off;
		pos[i].line = line;
		prev = off;
		off = skip_ws(t, skip_value(t, off, end), end);
	}
}

/* The line of the key of member `index` of the object at `at`; *val is
 * where its value starts. */
static unsigned long member_line(const struct jctx *c, struct pos at, size_t index, size_t *val)
{
	const char *t = c->t;
	size_t off = skip_ws(t, at.off + 1, c->len), key;

	for (size_t j = 0;; j++) {
		if (t[off] == ',')
			off = skip_ws(t, off + 1, c->len);
		key = off;
		off = skip_ws(t, skip_string(t, off), c->len);
		*val = skip_ws(t, off + 1, c->len);
		if (j == index)
			return at.line + count_nl(t, at.off, key);
		off = skip_ws(t, skip_value(t, *val, c->len), c->len);
	}
}

/* The text of the number at off, as written. */
static void number_text(const struct jctx *c, size_t off, char *buf, size_t size)
{
	size_t n = 0;

	while (off + n < c->len && n + 1 < size && is_number_char(c->t[off + n]))
		n++;
	memcpy(buf, c->t + off, n);
	buf[n] = '\0';
}

/* ---- From the tree to samples. ---- */

static int nomem(const struct jctx *c)
{
	return adt_error_at(c->err, ADT_ENOMEM, c->name, 0, "out of memory");
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNumber(v))
		return "number";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsArray(v))
		return "array";
	return "object";
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
		if (role_spec(c, r) && ascii_casecmp(key, role_spec(c, r)) == 0)
			return r;
	}
	r = adt_role_of(key, plural);
	return role_spec(c, r) ? ADT_ROLE_NONE : r;
}

/* The keys of obj as "'a', 'b'" for messages. */
static void list_keys(const cJSON *obj, char *dst, size_t size)
{
	const cJSON *m;
	size_t used = 0;
	int k;

	snprintf(dst, size, "no keys");
	for (m = obj->child; m; m = m->next) {
		k = snprintf(dst + used, size - used, "%s'%.*s'", used ? ", " : "", SHOW,
			     m->string);
		if (k < 0 || (size_t)k >= size - used || size - used - (size_t)k < 8) {
			snprintf(dst + used, size - used, "%s...", used ? ", " : "");
			return;
		}
		used += (size_t)k;
	}
}

struct keyref {
	const char *key;
	size_t index;
};

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	if (d)
		return d;
	return (x->index > y->index) - (x->index < y->index);
}

/* The index of the first of refs[0, n) whose key repeats an earlier one,
 * SIZE_MAX when all keys differ.  Sorts refs. */
static size_t first_duplicate(struct keyref *refs, size_t n)
{
	size_t dup = SIZE_MAX, i;

	qsort(refs, n, sizeof(*refs), keyref_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(refs[i].key, refs[i - 1].key) == 0 && refs[i].index < dup)
			dup = refs[i].index;
	}
	return dup;
}

/* Sets *dup to the index of the first member whose key repeats an earlier
 * one, SIZE_MAX when all keys differ.  Sorting keeps big objects cheap.
 * Returns -1 when out of memory. */
static int find_duplicate(const cJSON *obj, size_t *dup)
{
	struct keyref small[32], *refs = small;
	const cJSON *m;
	size_t n = 0, i;

	*dup = SIZE_MAX;
	for (m = obj->child; m; m = m->next)
		n++;
	if (n < 2)
		return 0;
	if (n > sizeof(small) / sizeof(small[0])) {
		if (n > SIZE_MAX / sizeof(*refs))
			return -1;
		refs = malloc(n * sizeof(*refs));
		if (!refs)
			return -1;
	}
	for (m = obj->child, i = 0; m; m = m->next, i++) {
		refs[i].key = m->string;
		refs[i].index = i;
	}
	*dup = first_duplicate(refs, n);
	if (refs != small)
		free(refs);
	return 0;
}

/* Checks obj (at `at`) for duplicate keys and two keys of one role, and
 * finds the member of each role.  loc prefixes messages; noun is "key" or
 * "array". */
static int object_keys(const struct jctx *c, const cJSON *obj, struct pos at, int plural,
		       const char *loc, const char *noun, struct keys *k)
{
	const cJSON *m;
	size_t dup, i, val;
	enum adt_role r;

	if (find_duplicate(obj, &dup))
		return nomem(c);
	if (dup != SIZE_MAX) {
		for (m = obj->child, i = 0; i < dup; i++)
			m = m->next;
		return adt_error_at(c->err, ADT_EFORMAT, c->name, member_line(c, at, dup, &val),
				    "%sduplicate key '%.*s'", loc, SHOW, m->string);
	}
	memset(k, 0, sizeof(*k));
	for (m = obj->child, i = 0; m; m = m->next, i++) {
		r = key_role(c, m->string, plural);
		if (r == ADT_ROLE_NONE)
			continue;
		if (k->v[r])
			return adt_error_at(
			    c->err, ADT_EDATA, c->name, member_line(c, at, i, &val),
			    "%sambiguous %s %ss '%.*s' and '%.*s'; choose one with %s", loc,
			    role_word[r], noun, SHOW, k->v[r]->string, SHOW, m->string,
			    role_opt[r]);
		k->v[r] = m;
		k->idx[r] = i;
	}
	return 0;
}

static int no_key(const struct jctx *c, const cJSON *obj, const char *loc, enum adt_role r,
		  const char *noun, int plural, unsigned long line)
{
	const char *spec = role_spec(c, r);
	char found[512];

	list_keys(obj, found, sizeof(found));
	if (spec)
		return adt_error_at(c->err, ADT_EDATA, c->name, line,
				    "%sno %s %s '%.*s' (found: %s; check %s)", loc, role_word[r],
				    noun, SHOW, spec, found, role_opt[r]);
	return adt_error_at(c->err, ADT_EDATA, c->name, line,
			    "%sno %s %s (expected one of: %s%s; found: %s; use %s)", loc,
			    role_word[r], noun, adt_role_names(r),
			    plural ? ", or their plurals" : "", found, role_opt[r]);
}

/* what names the value in messages ("element 2: 'score'"); loc is the
 * element prefix ("element 2: "). */
static int get_score(const struct jctx *c, const cJSON *v, size_t off, unsigned long line,
		     const char *loc, const char *what, double *score)
{
	char text[MAX_NUMBER + 1];

	if (!cJSON_IsNumber(v))
		return adt_error_at(c->err, ADT_EDATA, c->name, line, "%s must be a number, got %s",
				    what, type_name(v));
	if (!isfinite(v->valuedouble)) {
		number_text(c, off, text, sizeof(text));
		return adt_error_at(c->err, ADT_EDATA, c->name, line,
				    "%sscore '%s' overflows a double", loc, text);
	}
	*score = v->valuedouble;
	return 0;
}

static int get_label(struct jctx *c, const cJSON *v, size_t off, unsigned long line,
		     const char *what, int *label)
{
	char num[MAX_NUMBER + 1];
	const char *text;

	if (cJSON_IsNumber(v)) {
		number_text(c, off, num, sizeof(num));
		text = num;
	} else if (cJSON_IsBool(v)) {
		text = cJSON_IsTrue(v) ? "true" : "false";
	} else if (cJSON_IsString(v)) {
		text = v->valuestring;
	} else {
		return adt_error_at(c->err, ADT_EDATA, c->name, line,
				    "%s must be a number, a boolean or a string, got %s", what,
				    type_name(v));
	}
	if (adt_labeler_parse(&c->lb, text, line, label, c->err) < 0)
		return -1;
	return 0;
}

static int get_id(const struct jctx *c, const cJSON *v, unsigned long line, const char *what,
		  const char **id)
{
	if (!cJSON_IsString(v))
		return adt_error_at(c->err, ADT_EDATA, c->name, line, "%s must be a string, got %s",
				    what, type_name(v));
	*id = v->valuestring;
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
			    loc, noun, SHOW, id, noun, adt_role_names(ADT_ROLE_LABEL));
}

static void note_paths(struct jctx *c)
{
	if (c->o->verbose)
		snprintf(c->o->note, sizeof(c->o->note),
			 "labels taken from folder names (good = normal)");
}

/* One element of shape (a) or one line of JSON Lines. */
static int read_object(struct jctx *c, const cJSON *obj, struct pos at, size_t i,
		       const int need[N_ROLES])
{
	char loc[48], what[SHOW + 64];
	const char *id = NULL;
	unsigned long line;
	struct keys k;
	double score;
	size_t val;
	int label;

	loc[0] = '\0';
	if (!c->jsonl)
		snprintf(loc, sizeof(loc), "element %zu: ", i + 1);
	if (!cJSON_IsObject(obj))
		return adt_error_at(c->err, ADT_EFORMAT, c->name, at.line,
				    "element %zu must be an object, got %s", i + 1, type_name(obj));
	if (object_keys(c, obj, at, 0, loc, "key", &k))
		return -1;
	for (enum adt_role r = ADT_ROLE_SCORE; r < N_ROLES; r++) {
		if (!k.v[r] && need[r])
			return no_key(c, obj, loc, r, "key", 0, at.line);
	}

	line = member_line(c, at, k.idx[ADT_ROLE_SCORE], &val);
	snprintf(what, sizeof(what), "%s'%.*s'", loc, SHOW, k.v[ADT_ROLE_SCORE]->string);
	if (get_score(c, k.v[ADT_ROLE_SCORE], val, line, loc, what, &score))
		return -1;
	if (need[ADT_ROLE_ID]) {
		line = member_line(c, at, k.idx[ADT_ROLE_ID], &val);
		snprintf(what, sizeof(what), "%s'%.*s'", loc, SHOW, k.v[ADT_ROLE_ID]->string);
		if (get_id(c, k.v[ADT_ROLE_ID], line, what, &id))
			return -1;
	}
	if (need[ADT_ROLE_LABEL]) {
		line = member_line(c, at, k.idx[ADT_ROLE_LABEL], &val);
		snprintf(what, sizeof(what), "%s'%.*s'", loc, SHOW, k.v[ADT_ROLE_LABEL]->string);
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
static int read_objects(struct jctx *c, const cJSON *first, const struct pos *pos, size_t n)
{
	int need[N_ROLES] = {0, 1, 0, 0};
	const cJSON *obj, *m;
	size_t i;

	need[ADT_ROLE_LABEL] = c->o->label_col != NULL;
	need[ADT_ROLE_ID] = c->o->id_col != NULL;
	for (obj = first; obj; obj = obj->next) {
		if (!cJSON_IsObject(obj))
			continue;
		for (m = obj->child; m; m = m->next)
			need[key_role(c, m->string, 0)] = 1;
	}
	for (obj = first, i = 0; i < n; obj = obj->next, i++) {
		if (read_object(c, obj, pos[i], i, need))
			return -1;
	}
	if (n && !need[ADT_ROLE_LABEL])
		note_paths(c);
	return 0;
}

static size_t array_size(const cJSON *a)
{
	size_t n = 0;

	for (a = a->child; a; a = a->next)
		n++;
	return n;
}

static struct pos *pos_alloc(size_t n)
{
	if (n == 0 || n > SIZE_MAX / sizeof(struct pos))
		return NULL;
	return malloc(n * sizeof(struct pos));
}

/* Shape (b): an object of parallel arrays at `at`. */
static int read_columns(struct jctx *c, const cJSON *root, struct pos at)
{
	const cJSON *item[N_ROLES] = {NULL};
	struct pos *pos[N_ROLES] = {NULL};
	char loc[48], what[SHOW + 64];
	const char *id = NULL;
	enum adt_role r;
	struct keys k;
	size_t n = 0, len, val, i;
	unsigned long line;
	struct pos arr;
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
		line = member_line(c, at, k.idx[r], &val);
		if (!cJSON_IsArray(k.v[r])) {
			/* A number score here is likely one JSON Lines record. */
			adt_error_at(
			    c->err, ADT_EFORMAT, c->name, line, "'%.*s' must be an array, got %s%s",
			    SHOW, k.v[r]->string, type_name(k.v[r]),
			    r == ADT_ROLE_SCORE && cJSON_IsNumber(k.v[r]) ? JSONL_HINT : "");
			goto out;
		}
		len = array_size(k.v[r]);
		if (r == ADT_ROLE_SCORE) {
			n = len;
		} else if (len != n) {
			adt_error_at(c->err, ADT_EFORMAT, c->name, line,
				     "'%.*s' has %zu element%s but '%.*s' has %zu", SHOW,
				     k.v[ADT_ROLE_SCORE]->string, n, n == 1 ? "" : "s", SHOW,
				     k.v[r]->string, len);
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
		arr.line = at.line + count_nl(c->t, at.off, val);
		array_positions(c->t, c->len, arr, pos[r], n);
		item[r] = k.v[r]->child;
	}
	for (i = 0; i < n; i++) {
		snprintf(loc, sizeof(loc), "element %zu: ", i + 1);
		snprintf(what, sizeof(what), "element %zu of '%.*s'", i + 1, SHOW,
			 k.v[ADT_ROLE_SCORE]->string);
		if (get_score(c, item[ADT_ROLE_SCORE], pos[ADT_ROLE_SCORE][i].off,
			      pos[ADT_ROLE_SCORE][i].line, loc, what, &score))
			goto out;
		if (item[ADT_ROLE_ID]) {
			snprintf(what, sizeof(what), "element %zu of '%.*s'", i + 1, SHOW,
				 k.v[ADT_ROLE_ID]->string);
			if (get_id(c, item[ADT_ROLE_ID], pos[ADT_ROLE_ID][i].line, what, &id))
				goto out;
		}
		if (item[ADT_ROLE_LABEL]) {
			snprintf(what, sizeof(what), "element %zu of '%.*s'", i + 1, SHOW,
				 k.v[ADT_ROLE_LABEL]->string);
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
				item[r] = item[r]->next;
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
	c->t = buf;
	c->len = len;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		c->t += 3;
		c->len -= 3;
	}
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
			    ascii_casecmp(role_spec(c, q), role_spec(c, r)) == 0)
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
	struct scan s = {NULL, 0, 0, 1, 0, name, err};
	struct adt_read_opts defaults;
	struct pos at, *pos = NULL;
	cJSON *root = NULL;
	size_t end, rest, n;
	struct jctx c;
	int ret = -1;

	if (!o) {
		adt_read_opts_init(&defaults);
		o = &defaults;
	}
	if (ctx_init(&c, buf, len, name, o, out, err, 0))
		goto out;
	at.off = skip_ws(c.t, 0, c.len);
	if (at.off == c.len) {
		ret = 0; /* blank: no samples, which the caller reports */
		goto out;
	}
	at.line = 1 + count_nl(c.t, 0, at.off);
	s.t = c.t;
	s.end = c.len;
	if (scan_value(&s, at.off, &end))
		goto out;
	rest = skip_ws(c.t, end, c.len);
	if (rest < c.len) {
		int lines = c.t[at.off] == '{' && c.t[rest] == '{' && count_nl(c.t, end, rest);

		adt_error_at(err, ADT_EFORMAT, name, 1 + count_nl(c.t, 0, rest),
			     "trailing data after the JSON document%s", lines ? JSONL_HINT : "");
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(c.t, c.len, NULL, 0);
	if (!root) {
		nomem(&c);
		goto out;
	}
	if (cJSON_IsArray(root)) {
		n = array_size(root);
		pos = pos_alloc(n);
		if (n && !pos) {
			nomem(&c);
			goto out;
		}
		if (n)
			array_positions(c.t, c.len, at, pos, n);
		if (read_objects(&c, root->child, pos, n))
			goto out;
	} else if (cJSON_IsObject(root)) {
		if (read_columns(&c, root, at))
			goto out;
	} else {
		adt_error_at(err, ADT_EFORMAT, name, at.line,
			     "the top-level value must be an array or an object, got %s",
			     type_name(root));
		goto out;
	}
	ret = adt_labeler_finish(&c.lb, err);
out:
	if (ret) {
		adt_error_set_file(err, name);
		adt_samples_release(out);
	}
	cJSON_Delete(root);
	free(pos);
	adt_labeler_release(&c.lb);
	return ret;
}

int adt_read_jsonl_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		       struct adt_samples *out, struct adt_error *err)
{
	struct scan s = {NULL, 0, 0, 1, 1, name, err};
	struct adt_read_opts defaults;
	size_t n = 0, cap = 0, p = 0, eol, next, start, end, rest;
	struct pos *pos = NULL, *grown;
	cJSON *root = NULL, *item;
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
	root = cJSON_CreateArray();
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
		start = skip_ws(c.t, p, eol);
		if (start == eol)
			continue;
		s.begin = p;
		s.end = eol;
		s.line = line;
		if (scan_value(&s, start, &end))
			goto out;
		rest = skip_ws(c.t, end, eol);
		if (rest < eol) {
			adt_error_at(err, ADT_EFORMAT, name, line,
				     "trailing data after the JSON value (one object per line)");
			goto out;
		}
		item = cJSON_ParseWithLengthOpts(c.t + start, end - start, NULL, 0);
		if (!item) {
			nomem(&c);
			goto out;
		}
		if (!cJSON_IsObject(item)) {
			adt_error_at(err, ADT_EFORMAT, name, line, "expected an object, got %s%s",
				     type_name(item),
				     cJSON_IsArray(item)
					 ? " (a JSON document? use .json or --input-format json)"
					 : "");
			cJSON_Delete(item);
			goto out;
		}
		cJSON_AddItemToArray(root, item);
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
	if (read_objects(&c, root->child, pos, n))
		goto out;
	ret = adt_labeler_finish(&c.lb, err);
out:
	if (ret) {
		adt_error_set_file(err, name);
		adt_samples_release(out);
	}
	cJSON_Delete(root);
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

/* A cursor in validated text that counts lines as it moves. */
struct cur {
	const char *t;
	size_t off, end;
	unsigned long line;
};

static void cur_ws(struct cur *c)
{
	while (c->off < c->end && is_ws(c->t[c->off])) {
		if (c->t[c->off] == '\n')
			c->line++;
		c->off++;
	}
}

/* Moves past the value at the cursor and the blanks after it. */
static void cur_skip(struct cur *c)
{
	size_t next = skip_value(c->t, c->off, c->end);

	c->line += count_nl(c->t, c->off, next);
	c->off = next;
	cur_ws(c);
}

/* The same for a number or literal, which has no line break. */
static void cur_skip_scalar(struct cur *c)
{
	c->off = skip_value(c->t, c->off, c->end);
	cur_ws(c);
}

/* Moves into the array or object at the cursor (onto its first element or
 * its closing bracket), or out of one when on its closing bracket. */
static void cur_step(struct cur *c)
{
	c->off++;
	cur_ws(c);
}

/* After an element: moves onto the next one and returns 1, or stays on
 * the closing bracket and returns 0. */
static int cur_next(struct cur *c)
{
	if (c->t[c->off] != ',')
		return 0;
	cur_step(c);
	return 1;
}

static size_t cur_count(struct cur c)
{
	size_t n = 0;

	cur_step(&c);
	if (c.t[c.off] == ']' || c.t[c.off] == '}')
		return 0;
	do {
		n++;
		cur_skip(&c);
	} while (cur_next(&c));
	return n;
}

/* The type of the validated value starting with ch. */
static const char *text_type(char ch)
{
	switch (ch) {
	case '[':
		return "array";
	case '{':
		return "object";
	case '"':
		return "string";
	case 't':
	case 'f':
		return "boolean";
	case 'n':
		return "null";
	default:
		return "number";
	}
}

static int is_num_start(char ch)
{
	return ch == '-' || is_digit(ch);
}

/* The number at the cursor, as written (validated: at most MAX_NUMBER
 * characters). */
static void cur_number(const struct cur *c, char buf[MAX_NUMBER + 1])
{
	size_t n = skip_value(c->t, c->off, c->end) - c->off;

	if (n > MAX_NUMBER)
		n = MAX_NUMBER;
	memcpy(buf, c->t + c->off, n);
	buf[n] = '\0';
}

/* The number at the cursor as a double.  The validator has checked its
 * syntax, so strtod needs none of adt_parse_double's checks (nor its
 * copy) but the one for overflow, worded the same. */
static int cur_double(const struct cur *c, const char *what, double *out, struct adt_error *err)
{
	char num[MAX_NUMBER + 1];
	double v;

	cur_number(c, num);
	v = strtod(num, NULL);
	if (isinf(v))
		return adt_error_set(err, ADT_EDATA, "%s '%s' overflows a double", what, num);
	*out = v == 0 ? 0.0 : v; /* no -0 */
	return 0;
}

/* The string at the cursor, decoded into a new string; NULL when out of
 * memory. */
static char *cur_string(const struct cur *c)
{
	size_t n = skip_string(c->t, c->off) - c->off - 2;
	cJSON *v;
	char *s;

	if (!memchr(c->t + c->off + 1, '\\', n)) {
		s = malloc(n + 1);
		if (s) {
			memcpy(s, c->t + c->off + 1, n);
			s[n] = '\0';
		}
		return s;
	}
	v = cJSON_ParseWithLengthOpts(c->t + c->off, n + 2, NULL, 0);
	s = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
	cJSON_Delete(v);
	return s;
}

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
static int matrix_shape(const struct mspec *m, struct cur *a, size_t *width, size_t *height)
{
	struct cur e, r;
	size_t n, row = 0, col;
	char ch;

	if (a->t[a->off] != '[')
		return mfail(m, ADT_EDATA, a->line, "expected a 2-D array of numbers, got %s",
			     text_type(a->t[a->off]));
	for (;;) {
		e = *a;
		cur_step(&e);
		if (e.t[e.off] != '[')
			break;
		r = e;
		cur_step(&r);
		if (r.t[r.off] != '[')
			break;
		n = cur_count(*a);
		if (n != 1)
			return mfail(m, ADT_EDATA, a->line,
				     "leading dimension is %zu, expected 1 (one image: [H, W] or "
				     "[1, H, W])",
				     n);
		*a = e;
	}
	e = *a;
	cur_step(&e);
	if (e.t[e.off] == ']')
		return mfail(m, ADT_EFORMAT, a->line, "empty matrix");
	*width = 0;
	do {
		row++;
		ch = e.t[e.off];
		if (ch != '[' && row == 1 && (is_num_start(ch) || ch == 't' || ch == 'f'))
			return mfail(m, ADT_EDATA, a->line,
				     "expected a 2-D array of numbers, got a 1-D array");
		if (ch != '[')
			return mfail(m, ADT_EDATA, e.line,
				     "row %zu: expected an array of numbers, got %s", row,
				     text_type(ch));
		r = e;
		cur_step(&r);
		col = 0;
		if (r.t[r.off] != ']') {
			do {
				col++;
				ch = r.t[r.off];
				if (!is_num_start(ch) && !(m->bools && (ch == 't' || ch == 'f')))
					return mfail(
					    m, ADT_EDATA, r.line,
					    "row %zu, column %zu: expected a number, got %s", row,
					    col, text_type(ch));
				cur_skip_scalar(&r);
			} while (cur_next(&r));
		}
		if (row == 1)
			*width = col;
		else if (col != *width)
			return mfail(m, ADT_EFORMAT, e.line,
				     "row %zu has %zu value%s, row 1 has %zu", row, col,
				     col == 1 ? "" : "s", *width);
		e = r;
		cur_step(&e);
	} while (cur_next(&e));
	*height = row;
	if (*width == 0)
		return mfail(m, ADT_EFORMAT, a->line, "empty matrix");
	return 0;
}

/* Reads the matrix at `at` into out as F64 samples. */
static int read_matrix(const struct mspec *m, struct cur at, struct adt_raster *out)
{
	size_t width = 0, height = 0, row = 0, col;
	struct adt_error tmp;
	struct cur e, r;
	double *v;

	if (matrix_shape(m, &at, &width, &height))
		return -1;
	adt_error_init(&tmp);
	if (adt_raster_check_size(width, height, sizeof(double), m->o, &tmp) ||
	    adt_raster_reshape(out, width, height, ADT_SAMPLE_F64, &tmp))
		return mfail(m, tmp.code, at.line, "%s", tmp.msg);
	v = out->data;
	e = at;
	cur_step(&e);
	do {
		row++;
		r = e;
		cur_step(&r);
		col = 0;
		do {
			col++;
			if (r.t[r.off] == 't' || r.t[r.off] == 'f')
				*v = r.t[r.off] == 't';
			else if (cur_double(&r, "value", v, &tmp))
				return mfail(m, tmp.code, r.line, "row %zu, column %zu: %s", row,
					     col, tmp.msg);
			v++;
			cur_skip_scalar(&r);
		} while (cur_next(&r));
		e = r;
		cur_step(&e);
	} while (cur_next(&e));
	return 0;
}

/* Skips a UTF-8 BOM at the start of buf, shortening *len. */
static const char *skip_bom(const void *buf, size_t *len)
{
	const char *t = buf;

	if (*len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
		t += 3;
		*len -= 3;
	}
	return t;
}

int adt_matrix_json_read_mem(const void *buf, size_t len, const char *name,
			     const struct adt_decode_opts *o, struct adt_raster *out,
			     struct adt_error *err)
{
	struct scan s = {NULL, 0, 0, 1, 0, name, err};
	struct mspec m = {name, "", o && o->purpose == ADT_AS_MASK, o, err};
	const char *t = skip_bom(buf, &len);
	size_t off = skip_ws(t, 0, len), end, rest;
	struct cur c = {t, off, len, 1 + count_nl(t, 0, off)};

	if (off == len)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "empty matrix");
	s.t = t;
	s.end = len;
	if (scan_value(&s, off, &end))
		return -1;
	rest = skip_ws(t, end, len);
	if (rest < len)
		return adt_error_at(err, ADT_EFORMAT, name, 1 + count_nl(t, 0, rest),
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
		if (ascii_casecmp(key, maps[i]) == 0)
			return DK_MAP;
	}
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		if (ascii_casecmp(key, masks[i]) == 0)
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
	struct cur val;
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
	struct keyref *refs;
	size_t n_m, m_cap;
};

static int dnomem(const struct dctx *d)
{
	return adt_error_at(d->err, ADT_ENOMEM, d->name, 0, "out of memory");
}

/* Collects the members of the object at *c, leaving *c after it. */
static int doc_members(struct dctx *d, struct cur *c)
{
	struct member *m;
	struct keyref *r;
	size_t cap;

	cur_step(c);
	if (c->t[c->off] == '}') {
		cur_step(c);
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
		m->key = cur_string(c);
		if (!m->key)
			return dnomem(d);
		d->n_m++;
		c->off = skip_string(c->t, c->off);
		cur_ws(c);
		cur_step(c); /* the ':' */
		m->val = *c;
		cur_skip(c);
	} while (cur_next(c));
	cur_step(c);
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
	char num[MAX_NUMBER + 1], *s = NULL;
	const char *text;
	char ch = k->val.t[k->val.off];
	int ret;

	if (is_num_start(ch)) {
		cur_number(&k->val, num);
		text = num;
	} else if (ch == 't' || ch == 'f') {
		text = ch == 't' ? "true" : "false";
	} else if (ch == '"') {
		s = cur_string(&k->val);
		if (!s)
			return dnomem(d);
		text = s;
	} else {
		return adt_error_at(d->err, ADT_EDATA, d->name, k->val.line,
				    "%s'%.*s' must be a number, a boolean or a string, got %s", loc,
				    SHOW, k->key, text_type(ch));
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
	char prefix[SHOW + 64];
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
	dup = d->n_m > 1 ? first_duplicate(d->refs, d->n_m) : SIZE_MAX;
	if (dup != SIZE_MAX)
		return adt_error_at(d->err, ADT_EFORMAT, d->name, d->m[dup].line,
				    "%sduplicate key '%.*s'", loc, SHOW, d->m[dup].key);
	for (i = 0; i < d->n_m; i++) {
		r = doc_key(d->m[i].key);
		if (r == DK_NONE)
			continue;
		if (k[r])
			return adt_error_at(d->err, ADT_EDATA, d->name, d->m[i].line,
					    "%sambiguous %s keys '%.*s' and '%.*s'", loc,
					    dkey_word[r], SHOW, k[r]->key, SHOW, d->m[i].key);
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
					    "%s'%.*s' must be a string, got %s", loc, SHOW,
					    k[DK_ID]->key, text_type(ch));
		img->id = cur_string(&k[DK_ID]->val);
		if (!img->id)
			return dnomem(d);
	}
	if (k[DK_SCORE]) {
		ch = k[DK_SCORE]->val.t[k[DK_SCORE]->val.off];
		if (!is_num_start(ch))
			return adt_error_at(d->err, ADT_EDATA, d->name, k[DK_SCORE]->val.line,
					    "%s'%.*s' must be a number, got %s", loc, SHOW,
					    k[DK_SCORE]->key, text_type(ch));
		adt_error_init(&tmp);
		if (cur_double(&k[DK_SCORE]->val, "score", &img->score, &tmp))
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
	snprintf(prefix, sizeof(prefix), "%s'%.*s': ", loc, SHOW, k[DK_MAP]->key);
	if (read_matrix(&ms, k[DK_MAP]->val, &img->map))
		return -1;
	/* A null mask is no mask, as for the normal images of MVTec AD. */
	if (k[DK_MASK] && k[DK_MASK]->val.t[k[DK_MASK]->val.off] != 'n') {
		ms.bools = 1;
		snprintf(prefix, sizeof(prefix), "%s'%.*s': ", loc, SHOW, k[DK_MASK]->key);
		if (read_matrix(&ms, k[DK_MASK]->val, &img->mask))
			return -1;
	}
	return 0;
}

/* Reads the object at *c (validated), leaving *c after it. */
static int doc_object(struct dctx *d, struct cur *c, const char *loc)
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
static int doc_array(struct dctx *d, struct cur c)
{
	char loc[48];
	size_t i = 0;

	cur_step(&c);
	if (c.t[c.off] == ']')
		return 0;
	do {
		i++;
		if (c.t[c.off] != '{')
			return adt_error_at(d->err, ADT_EFORMAT, d->name, c.line,
					    "element %zu must be an object, got %s", i,
					    text_type(c.t[c.off]));
		snprintf(loc, sizeof(loc), "element %zu: ", i);
		if (doc_object(d, &c, loc))
			return -1;
	} while (cur_next(&c));
	return 0;
}

/* JSON Lines: one object per non-blank line. */
static int doc_lines(struct dctx *d, const char *t, size_t len)
{
	struct scan s = {t, 0, 0, 1, 1, d->name, d->err};
	size_t p, eol, next, start, end;
	unsigned long line = 0;
	const char *nl;
	struct cur c;

	for (p = 0; p < len; p = next) {
		line++;
		nl = memchr(t + p, '\n', len - p);
		eol = nl ? (size_t)(nl - t) : len;
		next = nl ? eol + 1 : len;
		if (eol > p && t[eol - 1] == '\r')
			eol--;
		start = skip_ws(t, p, eol);
		if (start == eol)
			continue;
		s.begin = p;
		s.end = eol;
		s.line = line;
		if (scan_value(&s, start, &end))
			return -1;
		if (skip_ws(t, end, eol) < eol)
			return adt_error_at(d->err, ADT_EFORMAT, d->name, line,
					    "trailing data after the JSON value (one object per "
					    "line)");
		if (t[start] != '{')
			return adt_error_at(d->err, ADT_EFORMAT, d->name, line,
					    "expected an object, got %s", text_type(t[start]));
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
	struct scan s = {t, off, eol, 1, 1, name, &ignored};

	return scan_value(&s, off, &end) == 0 && skip_ws(t, end, eol) == eol;
}

int adt_doc_json_read_mem(const void *buf, size_t len, const char *name,
			  const struct adt_decode_opts *o, struct adt_doc *doc,
			  struct adt_error *err)
{
	struct scan s = {NULL, 0, 0, 1, 0, name, err};
	struct dctx d = {name, o, err, doc, 0, {0}, NULL, NULL, 0, 0};
	const char *t = skip_bom(buf, &len);
	size_t off = skip_ws(t, 0, len), end, rest;
	struct cur c = {t, off, len, 1 + count_nl(t, 0, off)};
	int ret = -1;

	doc->images = NULL;
	doc->n = 0;
	adt_labeler_init(&d.lb, NULL);
	s.t = t;
	s.end = len;
	if (off < len && (t[off] == '[' || (t[off] == '{' && !line_is_value(t, off, len, name)))) {
		/* An array of objects, or one object over several lines. */
		if (scan_value(&s, off, &end))
			goto out;
		rest = skip_ws(t, end, len);
		if (rest < len) {
			adt_error_at(
			    err, ADT_EFORMAT, name, 1 + count_nl(t, 0, rest),
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
static const char *repeated_key(const cJSON *obj)
{
	for (const cJSON *k = obj->child; k; k = k->next) {
		for (const cJSON *j = obj->child; j != k; j = j->next) {
			if (strcmp(j->string, k->string) == 0)
				return k->string;
		}
	}
	return NULL;
}

static int levels_of_object(const cJSON *obj, const char *category, const char *name,
			    struct adt_thresholds *t, struct adt_error *err)
{
	static const char *const levels[2] = {"image", "pixel"};

	if (repeated_key(obj))
		return adt_error_at(err, ADT_EFORMAT, name, 0, "duplicate key '%.100s'%s%.100s",
				    repeated_key(obj), category ? " in category " : "",
				    category ? category : "");
	for (const cJSON *k = obj->child; k; k = k->next) {
		int pixel = -1;
		const cJSON *v;
		struct adt_saved_threshold *p;

		for (int l = 0; l < 2; l++) {
			if (strcmp(k->string, levels[l]) == 0)
				pixel = l;
		}
		if (pixel < 0)
			continue;
		v = cJSON_GetObjectItemCaseSensitive(k, "threshold");
		if (!cJSON_IsObject(k) || !cJSON_IsNumber(v) || !isfinite(v->valuedouble))
			return adt_error_at(
			    err, ADT_EDATA, name, 0, "%s%s'%s' needs a finite number \"threshold\"",
			    category ? category : "", category ? ": " : "", k->string);
		p = realloc(t->v, (t->n + 1) * sizeof(*t->v));
		if (!p)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		t->v = p;
		p = &t->v[t->n];
		p->category = category ? strdup(category) : NULL;
		if (category && !p->category)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		p->pixel = pixel;
		p->value = v->valuedouble;
		t->n++;
	}
	return 0;
}

int adt_read_thresholds_mem(const void *buf, size_t len, const char *name, struct adt_thresholds *t,
			    struct adt_error *err)
{
	struct scan s = {NULL, 0, 0, 1, 0, name, err};
	const char *text = buf;
	const cJSON *cats, *rule;
	cJSON *root = NULL;
	size_t end;
	int ret = -1;

	memset(t, 0, sizeof(*t));
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	s.t = text;
	s.end = len;
	end = skip_ws(text, 0, len);
	if (end == len)
		return adt_error_at(err, ADT_EFORMAT, name, 0, "empty thresholds file");
	if (scan_value(&s, end, &end))
		return -1;
	if (skip_ws(text, end, len) < len)
		return adt_error_at(err, ADT_EFORMAT, name, 1 + count_nl(text, 0, end),
				    "trailing data after the JSON document");
	root = cJSON_ParseWithLengthOpts(text, len, NULL, 0);
	if (!root)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (!cJSON_IsObject(root)) {
		adt_error_at(err, ADT_EFORMAT, name, 0,
			     "a thresholds file is a JSON object (as --save-thresholds writes)");
		goto out;
	}
	rule = cJSON_GetObjectItemCaseSensitive(root, "rule");
	t->rule = ADT_RULE_GE;
	if (rule && cJSON_IsString(rule) &&
	    (strcmp(rule->valuestring, ">") == 0 || strcmp(rule->valuestring, "gt") == 0)) {
		t->rule = ADT_RULE_GT;
	} else if (rule && !(cJSON_IsString(rule) && (strcmp(rule->valuestring, ">=") == 0 ||
						      strcmp(rule->valuestring, "ge") == 0))) {
		adt_error_at(err, ADT_EDATA, name, 0, "\"rule\" must be \">=\" or \">\"");
		goto out;
	}
	cats = cJSON_GetObjectItemCaseSensitive(root, "categories");
	if (cats && cJSON_IsObject(cats) && repeated_key(cats)) {
		adt_error_at(err, ADT_EFORMAT, name, 0, "duplicate category '%.100s'",
			     repeated_key(cats));
		goto out;
	}
	if (cats) {
		t->batch = 1;
		if (!cJSON_IsObject(cats)) {
			adt_error_at(err, ADT_EFORMAT, name, 0, "\"categories\" must be an object");
			goto out;
		}
		for (const cJSON *c = cats->child; c; c = c->next) {
			if (!cJSON_IsObject(c)) {
				adt_error_at(err, ADT_EDATA, name, 0,
					     "category '%.100s' must be an object of levels",
					     c->string);
				goto out;
			}
			if (levels_of_object(c, c->string, name, t, err))
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
	cJSON_Delete(root);
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
