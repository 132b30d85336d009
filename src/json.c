/* JSON text for the readers (see json.h).  The only file that includes
 * cJSON.
 *
 * cJSON builds the tree but keeps no positions, cannot tell a syntax
 * error from a failed allocation, and accepts a few things JSON does not
 * (leading zeros, control characters in strings, invalid \u digits).  So
 * the text is first checked by a strict validator of our own, which gives
 * exact messages and lines; cJSON then only fails when memory runs out.
 * Lines of elements and keys come from a second, simple scanner over the
 * validated text. */
#include "adthresh/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* The nesting limit cJSON is built with; the validator refuses deeper
 * documents itself so that everything it accepts cJSON can parse. */
#define MAX_DEPTH 1000

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
int adt_json_key_casecmp(const char *a, const char *b)
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

size_t adt_json_skip_ws(const char *t, size_t off, size_t end)
{
	while (off < end && is_ws(t[off]))
		off++;
	return off;
}

unsigned long adt_json_count_nl(const char *t, size_t from, size_t to)
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

static int scan_fail(const struct adt_json_scan *s, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int scan_fail(const struct adt_json_scan *s, size_t off, const char *fmt, ...)
{
	char msg[sizeof(s->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return adt_error_at(s->err, ADT_EFORMAT, s->name,
			    s->line + adt_json_count_nl(s->t, s->begin, off), "%s", msg);
}

/* The input stops inside a value: reported at its last non-blank byte. */
static int scan_eof(const struct adt_json_scan *s)
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
static void describe(const struct adt_json_scan *s, size_t off, char *buf, size_t size)
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
static int scan_u4(const struct adt_json_scan *s, size_t off, unsigned *code)
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
static int scan_string(const struct adt_json_scan *s, size_t off, size_t *next)
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
static int scan_scalar(const struct adt_json_scan *s, size_t off, size_t *next)
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
		return scan_fail(s, off, "invalid number '%.*s'",
				 n > ADT_JSON_SHOW ? ADT_JSON_SHOW : (int)n, t + off);
	if (n > ADT_JSON_NUMBER_MAX)
		return scan_fail(s, off, "number '%.20s...' is too long (over %d characters)",
				 t + off, ADT_JSON_NUMBER_MAX);
	return 0;
}

enum { S_VALUE, S_KEY, S_AFTER };

/* Checks the one value starting at off (after any blanks); *next is right
 * after it.  Iterative, so deep nesting costs no stack. */
int adt_json_scan_value(const struct adt_json_scan *s, size_t off, size_t *next)
{
	const char *t = s->t;
	char stack[MAX_DEPTH], got[80], want;
	size_t depth = 0;
	int state = S_VALUE;

	for (;;) {
		if (state == S_AFTER && depth == 0)
			break;
		off = adt_json_skip_ws(t, off, s->end);
		if (off >= s->end)
			return scan_eof(s);
		if (state == S_AFTER) {
			want = stack[depth - 1] == '[' ? ']' : '}';
			if (t[off] == want) {
				off++;
				depth--;
			} else if (t[off] == ',') {
				off = adt_json_skip_ws(t, off + 1, s->end);
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
			off = adt_json_skip_ws(t, off, s->end);
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
			off = adt_json_skip_ws(t, off + 1, s->end);
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

void adt_json_lines_init(struct adt_json_lines *l, const char *t, size_t len, const char *name,
			 struct adt_error *err)
{
	struct adt_json_scan s = {t, 0, 0, 0, 1, name, err};

	l->s = s;
	l->len = len;
	l->next = 0;
}

int adt_json_lines_next(struct adt_json_lines *l, size_t *start, size_t *end)
{
	const char *t = l->s.t, *nl;
	size_t p, eol;

	while (l->next < l->len) {
		p = l->next;
		l->s.line++;
		nl = memchr(t + p, '\n', l->len - p);
		eol = nl ? (size_t)(nl - t) : l->len;
		l->next = nl ? eol + 1 : l->len;
		if (eol > p && t[eol - 1] == '\r')
			eol--;
		*start = adt_json_skip_ws(t, p, eol);
		if (*start == eol)
			continue;
		l->s.begin = p;
		l->s.end = eol;
		if (adt_json_scan_value(&l->s, *start, end))
			return -1;
		if (adt_json_skip_ws(t, *end, eol) < eol)
			return adt_error_at(l->s.err, ADT_EFORMAT, l->s.name, l->s.line,
					    "trailing data after the JSON value (one object per "
					    "line)");
		return 1;
	}
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
void adt_json_array_positions(const char *t, size_t end, struct adt_json_pos at,
			      struct adt_json_pos *pos, size_t n)
{
	size_t off = adt_json_skip_ws(t, at.off + 1, end), prev = at.off;
	unsigned long line = at.line;

	for (size_t i = 0; i < n; i++) {
		if (t[off] == ',')
			off = adt_json_skip_ws(t, off + 1, end);
		line += adt_json_count_nl(t, prev, off);
		pos[i].off = off;
		pos[i].line = line;
		prev = off;
		off = adt_json_skip_ws(t, skip_value(t, off, end), end);
	}
}

unsigned long adt_json_member_line(const char *t, size_t len, struct adt_json_pos at, size_t index,
				   size_t *val)
{
	size_t off = adt_json_skip_ws(t, at.off + 1, len), key;

	for (size_t j = 0;; j++) {
		if (t[off] == ',')
			off = adt_json_skip_ws(t, off + 1, len);
		key = off;
		off = adt_json_skip_ws(t, skip_string(t, off), len);
		*val = adt_json_skip_ws(t, off + 1, len);
		if (j == index)
			return at.line + adt_json_count_nl(t, at.off, key);
		off = adt_json_skip_ws(t, skip_value(t, *val, len), len);
	}
}

void adt_json_number_text(const char *t, size_t len, size_t off, char *buf, size_t size)
{
	size_t n = 0;

	while (off + n < len && n + 1 < size && is_number_char(t[off + n]))
		n++;
	memcpy(buf, t + off, n);
	buf[n] = '\0';
}

/* Skips a UTF-8 BOM at the start of buf, shortening *len. */
const char *adt_json_skip_bom(const void *buf, size_t *len)
{
	const char *t = buf;

	if (*len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
		t += 3;
		*len -= 3;
	}
	return t;
}

static int keyref_cmp(const void *a, const void *b)
{
	const struct adt_json_keyref *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	if (d)
		return d;
	return (x->index > y->index) - (x->index < y->index);
}

/* The index of the first of refs[0, n) whose key repeats an earlier one,
 * SIZE_MAX when all keys differ.  Sorts refs. */
size_t adt_json_first_duplicate(struct adt_json_keyref *refs, size_t n)
{
	size_t dup = SIZE_MAX, i;

	qsort(refs, n, sizeof(*refs), keyref_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(refs[i].key, refs[i - 1].key) == 0 && refs[i].index < dup)
			dup = refs[i].index;
	}
	return dup;
}

/* ---- A cursor in validated text ---- */

void adt_json_cur_ws(struct adt_json_cur *c)
{
	while (c->off < c->end && is_ws(c->t[c->off])) {
		if (c->t[c->off] == '\n')
			c->line++;
		c->off++;
	}
}

/* Moves past the value at the cursor and the blanks after it. */
void adt_json_cur_skip(struct adt_json_cur *c)
{
	size_t next = skip_value(c->t, c->off, c->end);

	c->line += adt_json_count_nl(c->t, c->off, next);
	c->off = next;
	adt_json_cur_ws(c);
}

/* The same for a number or literal, which has no line break. */
void adt_json_cur_skip_scalar(struct adt_json_cur *c)
{
	c->off = skip_value(c->t, c->off, c->end);
	adt_json_cur_ws(c);
}

/* Moves into the array or object at the cursor (onto its first element or
 * its closing bracket), or out of one when on its closing bracket. */
void adt_json_cur_step(struct adt_json_cur *c)
{
	c->off++;
	adt_json_cur_ws(c);
}

/* After an element: moves onto the next one and returns 1, or stays on
 * the closing bracket and returns 0. */
int adt_json_cur_next(struct adt_json_cur *c)
{
	if (c->t[c->off] != ',')
		return 0;
	adt_json_cur_step(c);
	return 1;
}

size_t adt_json_cur_count(struct adt_json_cur c)
{
	size_t n = 0;

	adt_json_cur_step(&c);
	if (c.t[c.off] == ']' || c.t[c.off] == '}')
		return 0;
	do {
		n++;
		adt_json_cur_skip(&c);
	} while (adt_json_cur_next(&c));
	return n;
}

/* The type of the validated value starting with ch. */
const char *adt_json_text_type(char ch)
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

int adt_json_is_num_start(char ch)
{
	return ch == '-' || is_digit(ch);
}

/* The number at the cursor, as written (validated: at most ADT_JSON_NUMBER_MAX
 * characters). */
void adt_json_cur_number(const struct adt_json_cur *c, char buf[ADT_JSON_NUMBER_MAX + 1])
{
	size_t n = skip_value(c->t, c->off, c->end) - c->off;

	if (n > ADT_JSON_NUMBER_MAX)
		n = ADT_JSON_NUMBER_MAX;
	memcpy(buf, c->t + c->off, n);
	buf[n] = '\0';
}

/* The number at the cursor as a double.  The validator has checked its
 * syntax, so strtod needs none of adt_parse_double's checks (nor its
 * copy) but the one for overflow, worded the same. */
int adt_json_cur_double(const struct adt_json_cur *c, const char *what, double *out,
			struct adt_error *err)
{
	char num[ADT_JSON_NUMBER_MAX + 1];
	double v;

	adt_json_cur_number(c, num);
	v = strtod(num, NULL);
	if (isinf(v))
		return adt_error_set(err, ADT_EDATA, "%s '%s' overflows a double", what, num);
	*out = v == 0 ? 0.0 : v; /* no -0 */
	return 0;
}

/* The string at the cursor, decoded into a new string; NULL when out of
 * memory. */
char *adt_json_cur_string(const struct adt_json_cur *c)
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

/* ---- The tree ---- */

/* A struct adt_json is a cJSON; the casts below are the only places that
 * know it. */
static const cJSON *cj(const struct adt_json *v)
{
	return (const cJSON *)v;
}

static const struct adt_json *aj(const cJSON *v)
{
	return (const struct adt_json *)v;
}

struct adt_json *adt_json_parse(const char *t, size_t len)
{
	return (struct adt_json *)cJSON_ParseWithLengthOpts(t, len, NULL, 0);
}

struct adt_json *adt_json_array_new(void)
{
	return (struct adt_json *)cJSON_CreateArray();
}

void adt_json_array_append(struct adt_json *a, struct adt_json *item)
{
	cJSON_AddItemToArray((cJSON *)a, (cJSON *)item);
}

void adt_json_free(struct adt_json *v)
{
	cJSON_Delete((cJSON *)v);
}

enum adt_json_type adt_json_type_of(const struct adt_json *v)
{
	if (cJSON_IsNull(cj(v)))
		return ADT_JSON_NULL;
	if (cJSON_IsBool(cj(v)))
		return ADT_JSON_BOOLEAN;
	if (cJSON_IsNumber(cj(v)))
		return ADT_JSON_NUMBER;
	if (cJSON_IsString(cj(v)))
		return ADT_JSON_STRING;
	if (cJSON_IsArray(cj(v)))
		return ADT_JSON_ARRAY;
	return ADT_JSON_OBJECT;
}

const char *adt_json_type_name(const struct adt_json *v)
{
	static const char *const names[] = {"null",   "boolean", "number",
					    "string", "array",	 "object"};

	return names[adt_json_type_of(v)];
}

const struct adt_json *adt_json_child(const struct adt_json *v)
{
	return aj(cj(v)->child);
}

const struct adt_json *adt_json_next(const struct adt_json *v)
{
	return aj(cj(v)->next);
}

const char *adt_json_key(const struct adt_json *v)
{
	return cj(v)->string;
}

double adt_json_number(const struct adt_json *v)
{
	return cj(v)->valuedouble;
}

const char *adt_json_string(const struct adt_json *v)
{
	return cj(v)->valuestring;
}

int adt_json_is_true(const struct adt_json *v)
{
	return cJSON_IsTrue(cj(v));
}

const struct adt_json *adt_json_member(const struct adt_json *obj, const char *key)
{
	return aj(cJSON_GetObjectItemCaseSensitive(cj(obj), key));
}

/* Sets *dup to the index of the first member whose key repeats an earlier
 * one, SIZE_MAX when all keys differ.  Sorting keeps big objects cheap.
 * Returns -1 when out of memory. */
int adt_json_find_duplicate(const struct adt_json *v, size_t *dup)
{
	struct adt_json_keyref small[32], *refs = small;
	const cJSON *obj = cj(v), *m;
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
	*dup = adt_json_first_duplicate(refs, n);
	if (refs != small)
		free(refs);
	return 0;
}

void adt_json_library_version(char *buf, size_t size)
{
	snprintf(buf, size, "%s", cJSON_Version());
}
