/* Numbers and strings as the outputs print them (see format.h). */
#include "adthresh/format.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Whether text reads back (strtod) as the same double as x, bit for bit. */
static int reads_back(const char *text, double x)
{
	double y = strtod(text, NULL);

	return memcmp(&x, &y, sizeof(x)) == 0;
}

void adt_format_shortest(char *buf, size_t size, double x)
{
	int prec = 1;

	/* A normal double that some decimal of at most 15 digits reads back
	 * as is printed as that decimal by %.15g (DBL_DIG), trailing zeros
	 * dropped, so when %.15g does not read back only 16 and 17 digits are
	 * left to try: most scores of a detector need them.  A subnormal has
	 * fewer digits of its own (5e-324), so every precision is tried. */
	if (fabs(x) >= DBL_MIN || x == 0) {
		snprintf(buf, size, "%.15g", x);
		if (reads_back(buf, x))
			return;
		prec = 16;
	}
	for (; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, x);
		if (reads_back(buf, x))
			return;
	}
}

void adt_format_exact(char *buf, size_t size, double x, const char *undef)
{
	if (isnan(x))
		snprintf(buf, size, "%s", undef);
	else
		adt_format_shortest(buf, size, x);
}

void adt_format_rounded(char *buf, size_t size, double x)
{
	if (isnan(x))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.4f", x);
}

void adt_format_csv_field_n(FILE *f, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n')
		i++;
	if (i == len) {
		fwrite(s, 1, len, f);
		return;
	}
	fputc('"', f);
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

void adt_format_csv_field(FILE *f, const char *s)
{
	adt_format_csv_field_n(f, s, strlen(s));
}

size_t adt_format_utf8_char(const char *s, uint32_t *c)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	if (p[0] < 0x80) {
		*c = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		*c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		*c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		*c = p[0] & 0x07;
	} else {
		return 0;
	}
	/* A continuation byte is never the terminating NUL, so this stops
	 * at the end of the string. */
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*c = *c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && *c < 0x800) || (len == 4 && (*c < 0x10000 || *c > 0x10ffff)))
		return 0;
	if (*c >= 0xd800 && *c <= 0xdfff)
		return 0;
	return len;
}

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
static const char replacement[] = "\xEF\xBF\xBD";

void adt_format_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	while (*s) {
		uint32_t c;
		size_t len = adt_format_utf8_char(s, &c);

		if (len == 0) {
			fputs(replacement, f);
			s++;
			continue;
		}
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", (int)c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", (unsigned)c);
		else
			fwrite(s, 1, len, f);
		s += len;
	}
	fputc('"', f);
}

int adt_format_json_same(const char *s, const char *text)
{
	while (*s) {
		uint32_t c;
		size_t len = adt_format_utf8_char(s, &c);
		const char *as = len ? s : replacement;
		size_t n = len ? len : sizeof(replacement) - 1;

		/* strncmp stops at the end of text. */
		if (strncmp(text, as, n) != 0)
			return 0;
		text += n;
		s += len ? len : 1;
	}
	return *text == '\0';
}

void adt_format_line(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

void adt_format_error(FILE *f, const char *prefix, const struct adt_error *err)
{
	fputs(prefix, f);
	if (err->file[0]) {
		adt_format_line(f, err->file);
		if (err->line)
			fprintf(f, ":%lu", err->line);
		fputs(": ", f);
	}
	adt_format_line(f, err->msg);
	fputc('\n', f);
}
