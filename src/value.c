/* Parsing single values: numbers, labels, column names (see value.h). */
#include "adthresh/value.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Shown in full in messages up to this many bytes; a longer value shows
 * its start and "..." (see shown and more). */
#define SHOW 60

/* How many bytes of s a message quotes: all of it up to SHOW bytes, else
 * at most SHOW, ending before a whole UTF-8 character. */
static int shown(const char *s)
{
	size_t n = strnlen(s, SHOW + 1);

	if (n <= SHOW)
		return (int)n;
	n = SHOW;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* The mark after a quoted value that shown() cut. */
static const char *more(const char *s)
{
	return strnlen(s, SHOW + 1) > SHOW ? "..." : "";
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Copies text without surrounding blanks into a fresh string. */
static char *trimmed(const char *text)
{
	size_t len;
	char *s;

	while (is_blank(*text))
		text++;
	len = strlen(text);
	while (len > 0 && is_blank(text[len - 1]))
		len--;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	memcpy(s, text, len);
	s[len] = '\0';
	return s;
}

static size_t skip_digits(const char *s, size_t i)
{
	while (is_digit(s[i]))
		i++;
	return i;
}

/* Whether s is [sign] (digits [. digits*] | . digits) [e [sign] digits]. */
static int is_decimal(const char *s)
{
	size_t i = 0, d;

	if (s[i] == '+' || s[i] == '-')
		i++;
	d = skip_digits(s, i);
	if (s[d] == '.') {
		size_t f = skip_digits(s, d + 1);

		if (d == i && f == d + 1)
			return 0;
		d = f;
	} else if (d == i) {
		return 0;
	}
	if (s[d] == 'e' || s[d] == 'E') {
		size_t e = d + 1;

		if (s[e] == '+' || s[e] == '-')
			e++;
		d = skip_digits(s, e);
		if (d == e)
			return 0;
	}
	return s[d] == '\0';
}

/* Whether s is [sign] digits ',' digits: a number with a decimal comma. */
static int is_decimal_comma(const char *s)
{
	size_t i = 0, d;

	if (s[i] == '+' || s[i] == '-')
		i++;
	d = skip_digits(s, i);
	if (d == i || s[d] != ',')
		return 0;
	i = d + 1;
	d = skip_digits(s, i);
	return d > i && s[d] == '\0';
}

static int is_nan_word(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	return strncasecmp(s, "nan", 3) == 0 && (s[3] == '\0' || s[3] == '(');
}

static int is_inf_word(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	return strcasecmp(s, "inf") == 0 || strcasecmp(s, "infinity") == 0;
}

int adt_parse_double(const char *text, const char *what, double *out, struct adt_error *err)
{
	char *s = trimmed(text), *end;
	double v;
	int ret = -1;

	if (!s)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (!*s)
		adt_error_set(err, ADT_EDATA, "%s is empty", what);
	else if (is_nan_word(s))
		adt_error_set(err, ADT_EDATA, "%s '%.*s%s' is not a number (NaN)", what, shown(s),
			      s, more(s));
	else if (is_inf_word(s))
		adt_error_set(err, ADT_EDATA, "%s '%.*s%s' is not finite", what, shown(s), s,
			      more(s));
	else if (is_decimal_comma(s))
		adt_error_set(err, ADT_EDATA, "%s '%.*s%s' has a decimal comma; use '.'", what,
			      shown(s), s, more(s));
	else if (!is_decimal(s))
		adt_error_set(err, ADT_EDATA, "%s '%.*s%s' is not a number", what, shown(s), s,
			      more(s));
	else {
		errno = 0;
		v = strtod(s, &end);
		if (isinf(v))
			adt_error_set(err, ADT_EDATA, "%s '%.*s%s' overflows a double", what,
				      shown(s), s, more(s));
		else {
			/* ERANGE on underflow still gives the nearest value. */
			*out = v == 0 ? 0.0 : v;
			ret = 0;
		}
	}
	free(s);
	return ret;
}

int adt_parse_long(const char *text, const char *what, long min, long max, long *out,
		   struct adt_error *err)
{
	const char *p = text;
	char *end;
	long v;

	if (*p == '+' || *p == '-')
		p++;
	if (!is_digit(*p))
		return adt_error_set(err, ADT_EUSAGE, "%s '%s' is not a whole number", what, text);
	errno = 0;
	v = strtol(text, &end, 10);
	if (*end != '\0')
		return adt_error_set(err, ADT_EUSAGE, "%s '%s' is not a whole number", what, text);
	if (errno == ERANGE || v < min || v > max)
		return adt_error_set(err, ADT_EUSAGE, "%s '%s' is out of range (%ld to %ld)", what,
				     text, min, max);
	*out = v;
	return 0;
}

static const char *const score_names[] = {"score",	 "pred_score", "anomaly_score",
					  "pred_scores", "prediction", NULL};
static const char *const label_names[] = {"label",	  "gt_label",  "target", "y_true",
					  "is_anomalous", "anomalous", NULL};
static const char *const id_names[] = {"image_path", "path", "filename", "file", "image", NULL};

static int in_list(const char *const *list, const char *name, size_t len)
{
	for (; *list; list++) {
		if (strlen(*list) == len && strncasecmp(*list, name, len) == 0)
			return 1;
	}
	return 0;
}

static enum adt_role role_of_len(const char *name, size_t len)
{
	if (in_list(score_names, name, len))
		return ADT_ROLE_SCORE;
	if (in_list(label_names, name, len))
		return ADT_ROLE_LABEL;
	if (in_list(id_names, name, len))
		return ADT_ROLE_ID;
	return ADT_ROLE_NONE;
}

enum adt_role adt_role_of(const char *name, int plural)
{
	size_t len = strlen(name);
	enum adt_role r = role_of_len(name, len);

	if (r == ADT_ROLE_NONE && plural && len > 1 &&
	    (name[len - 1] == 's' || name[len - 1] == 'S'))
		r = role_of_len(name, len - 1);
	return r;
}

const char *adt_role_names(enum adt_role role)
{
	switch (role) {
	case ADT_ROLE_SCORE:
		return "score, pred_score, anomaly_score, pred_scores, prediction";
	case ADT_ROLE_LABEL:
		return "label, gt_label, target, y_true, is_anomalous, anomalous";
	case ADT_ROLE_ID:
		return "image_path, path, filename, file, image";
	case ADT_ROLE_NONE:
		break;
	}
	return "";
}

void adt_labeler_init(struct adt_labeler *lb, const char *positive)
{
	memset(lb, 0, sizeof(*lb));
	lb->positive = positive;
}

void adt_labeler_release(struct adt_labeler *lb)
{
	for (size_t i = 0; i < lb->n_unknown && i < 8; i++)
		free(lb->unknown[i]);
	adt_labeler_init(lb, lb->positive);
}

static const char *const normal_words[] = {"0", "false", "normal", "good", "ok", NULL};
static const char *const anomalous_words[] = {
    "1", "true", "anomalous", "abnormal", "anomaly", "defect", "defective", "bad", "ng", NULL};

/* 0 or 1 when the decimal s (is_decimal) is exactly 0 or 1 as written,
 * -1 else.  Read on the text, never through a double: strtod rounds
 * 0.99999999999999999999 to 1 and 1e-400 to 0.  The value is 0 when
 * every digit is 0 (whatever the sign and exponent), and 1 when the one
 * nonzero digit is a 1 whose place the exponent cancels. */
static int exact_label(const char *s)
{
	/* Places and exponents stay far below this, so sums cannot overflow;
	 * a larger exponent saturates (it cannot cancel a digit's place). */
	const long long lim = LLONG_MAX / 4;
	long long n_int = 0, n_dig = 0, at = -1, e = 0;
	int neg = *s == '-', frac = 0, esign = 1;

	if (*s == '+' || *s == '-')
		s++;
	for (; is_digit(*s) || *s == '.'; s++) {
		if (*s == '.') {
			frac = 1;
			continue;
		}
		n_dig++;
		n_int += !frac;
		if (*s == '0')
			continue;
		if (*s != '1' || at >= 0)
			return -1;
		at = n_dig - 1; /* the index of the 1 among the digits */
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			esign = *s++ == '-' ? -1 : 1;
		for (; is_digit(*s); s++)
			e = e < lim / 10 ? e * 10 + (*s - '0') : lim;
	}
	if (at < 0)
		return 0;
	/* The digit at index `at` stands for 10^(n_int - 1 - at). */
	return !neg && n_int - 1 - at + esign * e == 0 ? 1 : -1;
}

/* 0 or 1 for a built-in word or a number that is exactly 0 or 1 in any
 * decimal spelling ("1.0", as pandas writes labels of a float column);
 * -1 else. */
static int builtin_label(const char *s)
{
	if (in_list(normal_words, s, strlen(s)))
		return 0;
	if (in_list(anomalous_words, s, strlen(s)))
		return 1;
	if (is_decimal(s))
		return exact_label(s);
	return -1;
}

/* Remembers an unknown value: the first 8 distinct ones are kept. */
static int remember(struct adt_labeler *lb, char *s, unsigned long line)
{
	size_t kept = lb->n_unknown < 8 ? lb->n_unknown : 8;

	for (size_t i = 0; i < kept; i++) {
		if (strcmp(lb->unknown[i], s) == 0) {
			free(s);
			return 0;
		}
	}
	if (lb->n_unknown == 0)
		lb->first_line = line;
	if (kept < 8)
		lb->unknown[kept] = s;
	else
		free(s);
	lb->n_unknown++;
	return 0;
}

int adt_labeler_parse(struct adt_labeler *lb, const char *text, unsigned long line, int *label,
		      struct adt_error *err)
{
	char *s = trimmed(text);
	int v;

	if (!s)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (lb->positive)
		v = *s ? strcasecmp(s, lb->positive) == 0 : -1;
	else
		v = builtin_label(s);
	if (v >= 0) {
		free(s);
		*label = v;
		return 0;
	}
	remember(lb, s, line);
	*label = 0;
	return 1;
}

int adt_labeler_finish(const struct adt_labeler *lb, struct adt_error *err)
{
	/* Room for 8 values of SHOW bytes with their quotes, marks and
	 * separators, and the closing ", ...". */
	char seen[8 * (SHOW + 7) + 8];
	size_t len = 0, kept = lb->n_unknown < 8 ? lb->n_unknown : 8;

	if (lb->n_unknown == 0)
		return 0;
	seen[0] = '\0';
	for (size_t i = 0; i < kept; i++)
		len +=
		    (size_t)snprintf(seen + len, sizeof(seen) - len, "%s'%.*s%s'", i ? ", " : "",
				     shown(lb->unknown[i]), lb->unknown[i], more(lb->unknown[i]));
	if (lb->n_unknown > kept)
		snprintf(seen + len, sizeof(seen) - len, ", ...");
	if (lb->positive)
		return adt_error_at(err, ADT_EDATA, NULL, lb->first_line,
				    "empty label (with --positive-label '%s' every label must be "
				    "non-empty)",
				    lb->positive);
	if (lb->unknown[0][0] == '\0')
		return adt_error_at(err, ADT_EDATA, NULL, lb->first_line,
				    "empty label (values seen: %s; expected 0/1, true/false, "
				    "normal/good/ok or anomalous/abnormal/anomaly/defect/defective/"
				    "bad/ng, or name the anomalous value with --positive-label)",
				    seen);
	return adt_error_at(err, ADT_EDATA, NULL, lb->first_line,
			    "unknown label '%.*s%s' (values seen: %s; expected 0/1, true/false, "
			    "normal/good/ok or anomalous/abnormal/anomaly/defect/defective/bad/ng, "
			    "or name the anomalous value with --positive-label)",
			    shown(lb->unknown[0]), lb->unknown[0], more(lb->unknown[0]), seen);
}

int adt_label_from_path(const char *id, int *label)
{
	const char *end = NULL, *start;
	size_t len;

	/* The parent folder is the last component before the file name. */
	for (const char *p = id; *p; p++) {
		if (*p == '/' || *p == '\\')
			end = p;
	}
	if (!end)
		return -1;
	start = end;
	while (start > id && start[-1] != '/' && start[-1] != '\\')
		start--;
	len = (size_t)(end - start);
	if (len == 0)
		return -1;
	*label = !((len == 4 && strncasecmp(start, "good", 4) == 0) ||
		   (len == 2 && strncasecmp(start, "ok", 2) == 0) ||
		   (len == 6 && strncasecmp(start, "normal", 6) == 0));
	return 0;
}
