/* Numbers and strings as the outputs print them (see format.h). */
#include "adthresh/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void adt_format_shortest(char *buf, size_t size, double x)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			return;
	}
}

void adt_format_exact(char *buf, size_t size, double x, const char *undef)
{
	if (isnan(x))
		snprintf(buf, size, "%s", undef);
	else
		snprintf(buf, size, "%.17g", x);
}

void adt_format_rounded(char *buf, size_t size, double x)
{
	if (isnan(x))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.4f", x);
}

void adt_format_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void adt_format_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
