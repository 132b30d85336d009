/* CSV/TSV score files, parsed with libcsv.  This is the only file that
 * includes csv.h. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "adthresh/error.h"
#include "adthresh/grow.h"
#include "adthresh/score_formats.h"
#include "adthresh/samples.h"
#include "adthresh/value.h"

#define NO_COL SIZE_MAX

/* libcsv grows its field buffer by this much at a time (its default, 128
 * bytes, makes a long field cost a realloc per 128 bytes). */
#define CSV_BLOCK ((size_t)64 << 10)

/* Lines are fed to libcsv in pieces of at most this many bytes, and the
 * field buffer is checked after each: an overlong field is refused within
 * CSV_BLOCK + FEED_MAX bytes of ADT_CSV_FIELD_MAX. */
#define FEED_MAX ((size_t)64 << 10)

/* Column roles indexed by enum adt_role; slot ADT_ROLE_NONE is unused. */
#define N_ROLES 4

/* One row's fields, packed NUL-terminated into one buffer.  Offsets, not
 * pointers, because the buffer moves when it grows. */
struct row {
	char *buf;
	size_t len, cap;
	size_t *off;
	size_t n, ocap;
};

/* Everything the libcsv callbacks need: they cannot return an error, so
 * they record it here and the feeding loop stops at the next chunk. */
struct ctx {
	const char *name;
	const struct adt_read_opts *o;
	struct adt_samples *out;
	struct adt_error *err;
	struct adt_labeler lb;
	unsigned char delim;
	unsigned long cur_line; /* physical line of the chunk being fed */
	unsigned long row_line; /* line where the current row starts; 0: none */
	int failed;
	struct row row;
	struct row hdr;
	int have_header;
	unsigned long hdr_line;
	size_t col[N_ROLES];
	int labels_from_path;
	size_t n_rows;
};

static const char *const role_word[N_ROLES] = {"", "score", "label", "id"};
static const char *const role_opt[N_ROLES] = {"", "--score-col", "--label-col", "--id-col"};

static void row_release(struct row *r)
{
	free(r->buf);
	free(r->off);
	memset(r, 0, sizeof(*r));
}

static int row_add(struct row *r, const char *s, size_t len)
{
	void *p;

	if (len > SIZE_MAX - r->len - 1)
		return -1;
	p = r->buf;
	if (adt_grow(&p, &r->cap, r->len + len + 1, 1))
		return -1;
	r->buf = p;
	p = r->off;
	if (adt_grow(&p, &r->ocap, r->n + 1, sizeof(*r->off)))
		return -1;
	r->off = p;
	if (len)
		memcpy(r->buf + r->len, s, len);
	r->buf[r->len + len] = '\0';
	r->off[r->n++] = r->len;
	r->len += len + 1;
	return 0;
}

static const char *row_field(const struct row *r, size_t i)
{
	return r->buf + r->off[i];
}

/* ASCII only: column names are matched the same way in every locale. */
static int ascii_casecmp(const char *a, const char *b)
{
	unsigned char ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca = (unsigned char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (unsigned char)(cb - 'A' + 'a');
	} while (ca && ca == cb);
	return ca - cb;
}

static int ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && ascii_casecmp(s + n - m, suffix) == 0;
}

static int fail_nomem(struct ctx *c)
{
	c->failed = 1;
	return adt_error_at(c->err, ADT_ENOMEM, c->name, 0, "out of memory");
}

/* The field being read, number field (1-based) of its row, is longer than
 * ADT_CSV_FIELD_MAX: no score, label or path is that long. */
static int fail_too_long(struct ctx *c, size_t field)
{
	c->failed = 1;
	return adt_error_at(c->err, ADT_EFORMAT, c->name, c->row_line ? c->row_line : c->cur_line,
			    "field %zu is longer than the limit of %zu bytes (1 MiB)", field,
			    ADT_CSV_FIELD_MAX);
}

/* Re-issues an error from a helper that knows no file (value.h,
 * samples.h) with this file's name and the given line (0: the helper's). */
static int relay(struct ctx *c, const struct adt_error *e, unsigned long line)
{
	c->failed = 1;
	return adt_error_at(c->err, e->code, c->name, line ? line : e->line, "%s", e->msg);
}

/* "'a', 'b', 'c'", cut short with ", ..." so that the message fits. */
static void list_header(const struct row *h, char *dst, size_t size)
{
	size_t used = 0, i;
	int k;

	dst[0] = '\0';
	for (i = 0; i < h->n; i++) {
		k = snprintf(dst + used, size - used, "%s'%s'", i ? ", " : "", row_field(h, i));
		if (k < 0 || (size_t)k >= size - used || size - used - (size_t)k < 8) {
			snprintf(dst + used, size - used, "%s...", i ? ", " : "");
			return;
		}
		used += (size_t)k;
	}
}

/* A delimiter as messages show it: "tab", else quoted. */
static const char *delim_word(unsigned char d, char buf[4])
{
	if (d == '\t')
		return "tab";
	buf[0] = '\'';
	buf[1] = (char)d;
	buf[2] = '\'';
	buf[3] = '\0';
	return buf;
}

/* When the header came out as one column that holds another of the usual
 * delimiters, the delimiter is most likely wrong (forced, or implied by
 * --input-format tsv or a .tsv name); names the one it holds most of.
 * Fills dst with " when split at X: wrong --delimiter? it looks like Y",
 * or with "" when there is nothing to suggest. */
static void delim_hint(const struct ctx *c, char *dst, size_t size)
{
	static const unsigned char cand[] = {',', '\t', ';'};
	size_t count[3] = {0, 0, 0}, j, best = 0;
	const char *s;
	char a[4], b[4];

	dst[0] = '\0';
	if (c->hdr.n != 1)
		return;
	for (s = row_field(&c->hdr, 0); *s; s++)
		for (j = 0; j < 3; j++)
			count[j] += (unsigned char)*s == cand[j] && cand[j] != c->delim;
	for (j = 1; j < 3; j++)
		if (count[j] > count[best])
			best = j;
	if (count[best])
		snprintf(dst, size, " when split at %s: wrong --delimiter? it looks like %s",
			 delim_word(c->delim, a), delim_word(cand[best], b));
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Resolves an explicit --X-col (a name, or a 1-based index when all
 * digits) to a column of the header. */
static int find_explicit(struct ctx *c, enum adt_role r, const char *spec, size_t *col)
{
	const struct row *h = &c->hdr;
	struct adt_error e;
	char found[512], hint[128];
	long idx;
	size_t i;

	delim_hint(c, hint, sizeof(hint));
	if (all_digits(spec)) {
		/* All digits, so the only failure is overflow: out of range too. */
		adt_error_init(&e);
		if (adt_parse_long(spec, role_opt[r], 0, LONG_MAX, &idx, &e) || idx < 1 ||
		    (unsigned long)idx > h->n) {
			c->failed = 1;
			return adt_error_at(c->err, ADT_EDATA, c->name, c->hdr_line,
					    "%s %s is out of range (the header has %zu column%s%s)",
					    role_opt[r], spec, h->n, h->n == 1 ? "" : "s", hint);
		}
		*col = (size_t)idx - 1;
		return 0;
	}
	for (i = 0; i < h->n; i++) {
		if (ascii_casecmp(row_field(h, i), spec) == 0) {
			*col = i;
			return 0;
		}
	}
	list_header(h, found, sizeof(found));
	c->failed = 1;
	return adt_error_at(c->err, ADT_EDATA, c->name, c->hdr_line,
			    "no %s column '%s' (found: %s; check %s)%s%s%s", role_word[r], spec,
			    found, role_opt[r], hint[0] ? " (the header is one column" : "", hint,
			    hint[0] ? ")" : "");
}

/* Picks the score, label and id columns: explicit options first, then by
 * name among the columns left.  Two candidates for one role is an error
 * rather than a guess. */
static int pick_columns(struct ctx *c)
{
	const struct row *h = &c->hdr;
	const char *spec[N_ROLES] = {NULL, NULL, NULL, NULL};
	size_t second[N_ROLES];
	/* The first column named for a role but taken by another's option,
	 * and that option: said when the role ends up with no column. */
	size_t taken_col[N_ROLES];
	enum adt_role taken_by[N_ROLES];
	char found[512], hint[128];
	enum adt_role r, q;
	size_t i;

	spec[ADT_ROLE_SCORE] = c->o->score_col;
	spec[ADT_ROLE_LABEL] = c->o->label_col;
	spec[ADT_ROLE_ID] = c->o->id_col;
	for (r = ADT_ROLE_SCORE; r < N_ROLES; r++) {
		c->col[r] = NO_COL;
		second[r] = NO_COL;
		taken_col[r] = NO_COL;
		taken_by[r] = ADT_ROLE_NONE;
		if (spec[r] && find_explicit(c, r, spec[r], &c->col[r]))
			return -1;
		for (q = ADT_ROLE_SCORE; q < r; q++) {
			if (spec[q] && c->col[q] == c->col[r]) {
				c->failed = 1;
				return adt_error_at(c->err, ADT_EDATA, c->name, c->hdr_line,
						    "%s and %s both select column '%s'",
						    role_opt[q], role_opt[r],
						    row_field(h, c->col[r]));
			}
		}
	}
	for (i = 0; i < h->n; i++) {
		enum adt_role taker = ADT_ROLE_NONE;

		for (q = ADT_ROLE_SCORE; q < N_ROLES; q++)
			if (spec[q] && c->col[q] == i)
				taker = q;
		r = adt_role_of(row_field(h, i), 0);
		if (r == ADT_ROLE_NONE || spec[r])
			continue;
		if (taker != ADT_ROLE_NONE) {
			if (taken_col[r] == NO_COL) {
				taken_col[r] = i;
				taken_by[r] = taker;
			}
			continue;
		}
		if (c->col[r] == NO_COL)
			c->col[r] = i;
		else if (second[r] == NO_COL)
			second[r] = i;
	}
	for (r = ADT_ROLE_SCORE; r < N_ROLES; r++) {
		if (second[r] != NO_COL) {
			c->failed = 1;
			return adt_error_at(
			    c->err, ADT_EDATA, c->name, c->hdr_line,
			    "ambiguous %s columns '%s' and '%s'; choose one with %s", role_word[r],
			    row_field(h, c->col[r]), row_field(h, second[r]), role_opt[r]);
		}
	}
	if (c->col[ADT_ROLE_SCORE] == NO_COL ||
	    (c->col[ADT_ROLE_LABEL] == NO_COL && c->col[ADT_ROLE_ID] == NO_COL)) {
		r = c->col[ADT_ROLE_SCORE] == NO_COL ? ADT_ROLE_SCORE : ADT_ROLE_LABEL;
		c->failed = 1;
		if (taken_col[r] != NO_COL)
			return adt_error_at(
			    c->err, ADT_EDATA, c->name, c->hdr_line,
			    "no %s column: '%s' is taken by %s (expected one of: %s; use %s)",
			    role_word[r], row_field(h, taken_col[r]), role_opt[taken_by[r]],
			    adt_role_names(r), role_opt[r]);
		list_header(h, found, sizeof(found));
		delim_hint(c, hint, sizeof(hint));
		return adt_error_at(c->err, ADT_EDATA, c->name, c->hdr_line,
				    "no %s column (expected one of: %s; found: %s; use %s)%s%s%s",
				    role_word[r], adt_role_names(r), found, role_opt[r],
				    hint[0] ? " (the header is one column" : "", hint,
				    hint[0] ? ")" : "");
	}
	c->labels_from_path = c->col[ADT_ROLE_LABEL] == NO_COL;
	return 0;
}

/* Longest column name quoted in the note, in bytes: three of them and
 * the rest of the note fit in its 256 bytes. */
#define NOTE_NAME_MAX 40

/* Appends "<what> column 'name', " to the note at *used, the name cut
 * at a UTF-8 character boundary with "..." when longer than
 * NOTE_NAME_MAX. */
static void note_column(char *note, size_t size, size_t *used, const char *what, const char *name)
{
	size_t len = strlen(name);
	const char *more = "";
	int k;

	if (len > NOTE_NAME_MAX) {
		len = NOTE_NAME_MAX;
		while (len && ((unsigned char)name[len] & 0xC0) == 0x80)
			len--;
		more = "...";
	}
	k = snprintf(note + *used, size - *used, "%s column '%.*s%s', ", what, (int)len, name,
		     more);
	if (k > 0 && (size_t)k < size - *used)
		*used += (size_t)k;
}

/* "read as CSV: delimiter ',', score column 'x', label column 'y', id
 * column 'z'", with the folder-name rule in place of a label column. */
static void fill_note(const struct ctx *c, char *note, size_t size)
{
	char d[4];
	size_t used;
	int k;

	k = snprintf(note, size, "read as CSV: delimiter %s, ", delim_word(c->delim, d));
	used = k > 0 && (size_t)k < size ? (size_t)k : 0;
	note_column(note, size, &used, "score", row_field(&c->hdr, c->col[ADT_ROLE_SCORE]));
	if (c->col[ADT_ROLE_LABEL] != NO_COL)
		note_column(note, size, &used, "label", row_field(&c->hdr, c->col[ADT_ROLE_LABEL]));
	if (c->col[ADT_ROLE_ID] != NO_COL)
		note_column(note, size, &used, "id", row_field(&c->hdr, c->col[ADT_ROLE_ID]));
	if (c->labels_from_path)
		snprintf(note + used, size - used,
			 "labels taken from folder names (good = normal)");
	else if (used >= 2)
		note[used - 2] = '\0'; /* the last ", " */
}

/* "12" and "5" around a comma: a score like 12,5 split in two. */
static int looks_split(const char *a, const char *b)
{
	if (*a == '+' || *a == '-')
		a++;
	return all_digits(a) && all_digits(b);
}

static int data_row(struct ctx *c)
{
	const struct row *f = &c->row;
	unsigned long line = c->row_line;
	size_t sc = c->col[ADT_ROLE_SCORE];
	const char *id = NULL;
	struct adt_error e;
	double score;
	int label, rc;

	if (f->n != c->hdr.n) {
		int hint = c->delim == ',' && f->n > c->hdr.n && sc + 1 < f->n &&
			   looks_split(row_field(f, sc), row_field(f, sc + 1));

		c->failed = 1;
		return adt_error_at(c->err, ADT_EFORMAT, c->name, line,
				    "row has %zu field%s, header has %zu%s", f->n,
				    f->n == 1 ? "" : "s", c->hdr.n,
				    hint ? " (a decimal comma? use '.' in numbers)" : "");
	}
	adt_error_init(&e);
	if (adt_parse_double(row_field(f, sc), "score", &score, &e))
		return relay(c, &e, line);
	if (c->col[ADT_ROLE_ID] != NO_COL)
		id = row_field(f, c->col[ADT_ROLE_ID]);
	if (!c->labels_from_path) {
		rc = adt_labeler_parse(&c->lb, row_field(f, c->col[ADT_ROLE_LABEL]), line, &label,
				       &e);
		if (rc < 0)
			return relay(c, &e, 0);
	} else if (adt_label_from_path(id, &label)) {
		c->failed = 1;
		return adt_error_at(c->err, ADT_EDATA, c->name, line,
				    "no label column, and id '%s' has no folder to take the label "
				    "from (expected a label column: %s)",
				    id, adt_role_names(ADT_ROLE_LABEL));
	}
	if (adt_samples_push(c->out, score, label, id, line, &e))
		return relay(c, &e, 0);
	c->n_rows++;
	return 0;
}

static void on_field(void *s, size_t len, void *data)
{
	struct ctx *c = data;

	if (c->failed)
		return;
	if (!c->row_line)
		c->row_line = c->cur_line;
	/* A NUL would silently cut the field short for the C-string parsers. */
	if (len && memchr(s, '\0', len)) {
		c->failed = 1;
		adt_error_at(c->err, ADT_EFORMAT, c->name, c->row_line,
			     "field contains a NUL byte");
		return;
	}
	if (len > ADT_CSV_FIELD_MAX) {
		fail_too_long(c, c->row.n + 1);
		return;
	}
	if (row_add(&c->row, s, len))
		fail_nomem(c);
}

static void on_row(int term, void *data)
{
	struct ctx *c = data;
	struct row tmp;

	(void)term;
	if (c->failed)
		return;
	if (!c->row_line)
		c->row_line = c->cur_line;
	if (!c->have_header) {
		/* Keep the header's fields; the row buffer starts afresh. */
		tmp = c->hdr;
		c->hdr = c->row;
		c->row = tmp;
		c->have_header = 1;
		c->hdr_line = c->row_line;
		pick_columns(c);
	} else {
		data_row(c);
	}
	c->row.n = 0;
	c->row.len = 0;
	c->row_line = 0;
}

/* Whether libcsv will begin a row within this chunk: it skips line ends,
 * and blanks that are not the delimiter, while no row is open.  Needed so
 * that a row whose first field spans lines is placed on its first line. */
static int starts_row(const unsigned char *p, size_t n, unsigned char delim)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			continue;
		if ((p[i] == ' ' || p[i] == '\t') && p[i] != delim)
			continue;
		return 1;
	}
	return 0;
}

/* The length of the physical line at p, its end included: "\n", "\r\n",
 * or a lone "\r" (old Mac files); all of n when there is no line end. */
static size_t line_len(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n')
			return i + 1;
		if (p[i] == '\r')
			return i + 1 < n && p[i + 1] == '\n' ? i + 2 : i + 1;
	}
	return n;
}

/* The delimiter among ',', ';' and tab used most often outside quotes in
 * the first non-blank line; ',' when none is. */
static unsigned char sniff_delim(const unsigned char *p, size_t n)
{
	static const unsigned char cand[] = {',', '\t', ';'};
	size_t count[3] = {0, 0, 0}, i = 0, j, best = 0;
	int quoted = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) {
		/* A line of blanks only is skipped; a tab before text is not. */
		size_t k = i;

		while (k < n && (p[k] == ' ' || p[k] == '\t'))
			k++;
		if (k < n && p[k] != '\r' && p[k] != '\n')
			break;
		i = k + 1;
	}
	for (; i < n; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && (p[i] == '\n' || p[i] == '\r'))
			break;
		else if (!quoted)
			for (j = 0; j < 3; j++)
				count[j] += p[i] == cand[j];
	}
	for (j = 1; j < 3; j++)
		if (count[j] > count[best])
			best = j;
	return count[best] ? cand[best] : ',';
}

static unsigned char choose_delim(const struct adt_read_opts *o, const char *name,
				  const unsigned char *p, size_t n)
{
	if (o->delimiter)
		return (unsigned char)o->delimiter;
	if (o->format == ADT_FMT_TSV)
		return '\t';
	if (o->format != ADT_FMT_CSV && name &&
	    (ends_with_ci(name, ".tsv") || ends_with_ci(name, ".tab")))
		return '\t';
	return sniff_delim(p, n);
}

int adt_read_csv_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
		     struct adt_samples *out, struct adt_error *err)
{
	const unsigned char *p = buf, *end;
	struct adt_read_opts defaults;
	struct adt_error dummy, e;
	struct csv_parser parser;
	int parser_ok = 0, ret = -1;
	struct ctx c;
	unsigned long line;
	size_t n, done, piece;

	if (!err)
		err = &dummy;
	if (!o) {
		memset(&defaults, 0, sizeof(defaults));
		o = &defaults;
	}
	o->note[0] = '\0';
	memset(&c, 0, sizeof(c));
	c.name = name;
	c.o = o;
	c.out = out;
	c.err = err;
	adt_labeler_init(&c.lb, o->positive_label);
	if (!p) {
		p = (const unsigned char *)"";
		len = 0;
	}
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3; /* a UTF-8 byte order mark */
		len -= 3;
	}
	end = p + len;

	c.delim = choose_delim(o, name, p, (size_t)(end - p));
	if (c.delim == '"' || c.delim == '\r' || c.delim == '\n' || c.delim == '\0') {
		adt_error_at(err, ADT_EUSAGE, name, 0, "delimiter cannot be a quote or a line end");
		goto out;
	}
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		adt_error_at(err, ADT_ENOMEM, name, 0, "out of memory");
		goto out;
	}
	parser_ok = 1;
	csv_set_delim(&parser, c.delim);
	csv_set_blk_size(&parser, CSV_BLOCK);

	/* Fed one physical line at a time, so the callbacks know the line
	 * they are on whatever the file's size.  A line ends at "\n", "\r\n"
	 * or a lone "\r", as libcsv's rows do. */
	for (line = 1; p < end; line++, p += n) {
		c.cur_line = line;
		n = line_len(p, (size_t)(end - p));
		if (!c.row_line && starts_row(p, n, c.delim))
			c.row_line = c.cur_line;
		for (done = 0; done < n; done += piece) {
			piece = n - done < FEED_MAX ? n - done : FEED_MAX;
			if (csv_parse(&parser, p + done, piece, on_field, on_row, &c) != piece &&
			    !c.failed) {
				if (csv_error(&parser) == CSV_EPARSE)
					adt_error_at(err, ADT_EFORMAT, name,
						     c.row_line ? c.row_line : c.cur_line,
						     "malformed quoting");
				else
					adt_error_at(err, ADT_ENOMEM, name, 0, "out of memory");
				goto out;
			}
			if (c.failed)
				goto out;
			/* The buffer grows only when full, so past this size
			 * the field in it (every earlier one passed on_field)
			 * is longer than the limit. */
			if (csv_get_buffer_size(&parser) > ADT_CSV_FIELD_MAX + CSV_BLOCK) {
				fail_too_long(&c, c.row.n + 1);
				goto out;
			}
		}
	}
	if (csv_fini(&parser, on_field, on_row, &c) != 0) {
		adt_error_at(err, ADT_EFORMAT, name, c.row_line ? c.row_line : c.cur_line,
			     "unterminated quoted field");
		goto out;
	}
	if (c.failed)
		goto out;
	if (!c.have_header) {
		adt_error_at(err, ADT_EDATA, name, 0, "empty input");
		goto out;
	}
	if (!c.n_rows) {
		adt_error_at(err, ADT_EDATA, name, c.hdr_line, "no data rows after the header");
		goto out;
	}
	adt_error_init(&e);
	if (!c.labels_from_path && adt_labeler_finish(&c.lb, &e)) {
		relay(&c, &e, 0);
		goto out;
	}
	if (o->verbose)
		fill_note(&c, o->note, sizeof(o->note));
	ret = 0;
out:
	if (parser_ok)
		csv_free(&parser);
	adt_labeler_release(&c.lb);
	row_release(&c.row);
	row_release(&c.hdr);
	if (ret)
		adt_samples_release(out);
	return ret;
}

void adt_csv_library_version(char *buf, size_t size)
{
#if defined(CSV_MAJOR) && defined(CSV_MINOR) && defined(CSV_RELEASE)
	snprintf(buf, size, "%d.%d.%d", CSV_MAJOR, CSV_MINOR, CSV_RELEASE);
#else
	buf[0] = '\0';
#endif
}
