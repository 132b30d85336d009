/* JSON text for the readers: a strict validator with exact messages, lines
 * and positions in validated text, a cursor over validated text, and the
 * tree of a validated document.  json.c is the only file that includes
 * cJSON; the tree is cJSON's, behind the opaque struct adt_json.
 *
 * Every function but adt_json_scan_value takes text that
 * adt_json_scan_value has accepted (or a part of it that is one value);
 * on other text they may read past its end. */
#ifndef ADTHRESH_JSON_H
#define ADTHRESH_JSON_H

#include <stddef.h>

#include "adthresh/error.h"

/* The longest number the validator accepts, in characters (cJSON copies
 * at most this many). */
#define ADT_JSON_NUMBER_MAX 63
/* Bytes of user text (keys, values) shown in messages. */
#define ADT_JSON_SHOW 60

/* The version of cJSON loaded at run time (cJSON_Version, "1.7.15"),
 * written into buf, truncated to size - 1 bytes; size must be at least 1. */
void adt_json_library_version(char *buf, size_t size);

/* ---- Validating ---- */

/* What the validator looks at: t[begin, end), whose first byte is on line
 * `line`.  jsonl words the message of a value cut short for JSON Lines.
 * Errors go to err, with name as the file. */
struct adt_json_scan {
	const char *t;
	size_t begin, end;
	unsigned long line;
	int jsonl;
	const char *name;
	struct adt_error *err;
};

/* Checks that one strict JSON value (RFC 8259) starts at off, after any
 * blanks, and sets *next right after it; what follows is not looked at.
 * Besides the RFC it refuses what cJSON cannot take: nesting deeper than
 * 1000 levels, numbers over ADT_JSON_NUMBER_MAX characters, and \u0000
 * in strings.  Returns 0, or -1 with ADT_EFORMAT at the line of the
 * fault: "unexpected end of input" (of line, for JSON Lines), "expected
 * a value, got 'x'", "expected ',' or ']' after an array element, got
 * ...", "expected ',' or '}' after an object member, got ...", "expected
 * a key in double quotes, got ...", "expected ':' after a key, got ...",
 * "trailing comma before ']'", "unterminated string", "control character
 * (byte 0x01) in a string", "invalid escape '\q' in a string", "invalid
 * \u escape in a string (expected 4 hex digits)", "unpaired surrogate
 * '\udc00' in a string", "\u0000 in a string is not supported", "NaN and
 * Infinity are not valid JSON", "invalid number '01'", "number '...' is
 * too long (over 63 characters)", "nesting deeper than 1000 levels". */
int adt_json_scan_value(const struct adt_json_scan *s, size_t off, size_t *next);

/* JSON Lines: one value per line, blank lines skipped.  The text is
 * t[0, len); s.begin and s.end are the line being read (without its line
 * break), s.line its number. */
struct adt_json_lines {
	struct adt_json_scan s;
	size_t len;
	size_t next; /* where the next line starts */
};

/* Sets l up to read t[0, len); errors name `name` and go to err. */
void adt_json_lines_init(struct adt_json_lines *l, const char *t, size_t len, const char *name,
			 struct adt_error *err);

/* Moves to the next non-blank line and validates it as one value with
 * nothing after it but blanks.  Returns 1 with the value at t[*start,
 * *end) on line l->s.line; 0 after the last line; or -1 with ADT_EFORMAT
 * at the line: a syntax error (see adt_json_scan_value) or "trailing
 * data after the JSON value (one object per line)". */
int adt_json_lines_next(struct adt_json_lines *l, size_t *start, size_t *end);

/* ---- Text ---- */

/* Skips a UTF-8 BOM at the start of buf, shortening *len. */
const char *adt_json_skip_bom(const void *buf, size_t *len);

/* The first offset from off on (at most end) that is not a JSON blank. */
size_t adt_json_skip_ws(const char *t, size_t off, size_t end);

/* The number of line feeds in t[from, to). */
unsigned long adt_json_count_nl(const char *t, size_t from, size_t to);

/* strcmp for keys, ignoring ASCII case whatever the locale. */
int adt_json_key_casecmp(const char *a, const char *b);

/* Where a value starts in the text, and its line. */
struct adt_json_pos {
	size_t off;
	unsigned long line;
};

/* Fills pos[0, n) with the starts and lines of the n elements of the
 * validated array at `at` (its '['), t[0, end) the text. */
void adt_json_array_positions(const char *t, size_t end, struct adt_json_pos at,
			      struct adt_json_pos *pos, size_t n);

/* The line of the key of member `index` (0-based, which must exist) of
 * the validated object at `at`; *val is set to where its value starts. */
unsigned long adt_json_member_line(const char *t, size_t len, struct adt_json_pos at, size_t index,
				   size_t *val);

/* The text of the number at t[off], as written, in buf (size bytes, at
 * least 1): at most size - 1 characters, NUL-terminated. */
void adt_json_number_text(const char *t, size_t len, size_t off, char *buf, size_t size);

/* A key and the index of its member, to look for repeated keys. */
struct adt_json_keyref {
	const char *key;
	size_t index;
};

/* The index of the first of refs[0, n) whose key repeats an earlier one
 * (exactly, case counts), SIZE_MAX when all keys differ.  Sorts refs. */
size_t adt_json_first_duplicate(struct adt_json_keyref *refs, size_t n);

/* ---- A cursor in validated text ---- */

/* At t[off], on line `line`; t[0, end) the text.  The functions below
 * keep line counted as the cursor moves. */
struct adt_json_cur {
	const char *t;
	size_t off, end;
	unsigned long line;
};

/* Moves past blanks. */
void adt_json_cur_ws(struct adt_json_cur *c);

/* Moves past the value at the cursor and the blanks after it. */
void adt_json_cur_skip(struct adt_json_cur *c);

/* The same for a number or literal, which has no line break. */
void adt_json_cur_skip_scalar(struct adt_json_cur *c);

/* Moves into the array or object at the cursor (onto its first element,
 * key or its closing bracket), past a key's ':', or out of an array or
 * object when on its closing bracket: one byte, then blanks. */
void adt_json_cur_step(struct adt_json_cur *c);

/* After an element or member: moves onto the next one and returns 1, or
 * stays on the closing bracket and returns 0. */
int adt_json_cur_next(struct adt_json_cur *c);

/* The number of elements or members of the array or object at c. */
size_t adt_json_cur_count(struct adt_json_cur c);

/* The type of the validated value starting with ch, for messages:
 * "array", "object", "string", "boolean", "null" or "number". */
const char *adt_json_text_type(char ch);

/* Whether a validated value starting with ch is a number. */
int adt_json_is_num_start(char ch);

/* The number at the cursor, as written. */
void adt_json_cur_number(const struct adt_json_cur *c, char buf[ADT_JSON_NUMBER_MAX + 1]);

/* The number at the cursor as a double, -0 read as 0.  Returns 0, or -1
 * with ADT_EDATA and no file or line: "WHAT '1e999' overflows a double". */
int adt_json_cur_double(const struct adt_json_cur *c, const char *what, double *out,
			struct adt_error *err);

/* The string at the cursor, decoded into a new string the caller frees;
 * NULL when out of memory. */
char *adt_json_cur_string(const struct adt_json_cur *c);

/* ---- The tree of a validated document ---- */

/* A value of the tree: a document, an element or a member.  The functions
 * below that take one take a value, never NULL (but adt_json_free). */
struct adt_json;

enum adt_json_type {
	ADT_JSON_NULL,
	ADT_JSON_BOOLEAN,
	ADT_JSON_NUMBER,
	ADT_JSON_STRING,
	ADT_JSON_ARRAY,
	ADT_JSON_OBJECT
};

/* The tree of t[0, len), one validated value; NULL when out of memory.
 * The caller frees it with adt_json_free. */
struct adt_json *adt_json_parse(const char *t, size_t len);

/* An empty array to gather trees into; NULL when out of memory. */
struct adt_json *adt_json_array_new(void);

/* Appends item, which the array then owns, to the array a. */
void adt_json_array_append(struct adt_json *a, struct adt_json *item);

/* Frees a tree (NULL is fine). */
void adt_json_free(struct adt_json *v);

enum adt_json_type adt_json_type_of(const struct adt_json *v);

/* The type of v as adt_json_text_type words it. */
const char *adt_json_type_name(const struct adt_json *v);

/* The first element of an array or member of an object (NULL when it is
 * empty), and the one after v (NULL after the last). */
const struct adt_json *adt_json_child(const struct adt_json *v);
const struct adt_json *adt_json_next(const struct adt_json *v);

/* The key of a member of an object, decoded. */
const char *adt_json_key(const struct adt_json *v);

/* The value of a number (infinite when it overflows), a string (decoded)
 * and a boolean. */
double adt_json_number(const struct adt_json *v);
const char *adt_json_string(const struct adt_json *v);
int adt_json_is_true(const struct adt_json *v);

/* The first member of the object obj with the key `key` (case counts),
 * or NULL. */
const struct adt_json *adt_json_member(const struct adt_json *obj, const char *key);

/* Sets *dup to the index of the first member of obj whose key repeats an
 * earlier one, SIZE_MAX when all keys differ.  Returns -1 when out of
 * memory. */
int adt_json_find_duplicate(const struct adt_json *obj, size_t *dup);

#endif
