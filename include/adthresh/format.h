/* Numbers and strings as the outputs print them: exact real numbers,
 * rounded ones for people, CSV fields and JSON strings.  Numbers are
 * C-locale as long as the program does not call setlocale. */
#ifndef ADTHRESH_FORMAT_H
#define ADTHRESH_FORMAT_H

#include <stddef.h>
#include <stdio.h>

/* Room for any number these functions format. */
enum { ADT_NUMBER_SIZE = 40 };

/* Formats x in the shortest decimal form that reads back as the same
 * double (at most 17 significant digits) into buf (at least 32 bytes). */
void adt_format_shortest(char *buf, size_t size, double x);

/* x with 17 significant digits (reads back as the same double), or
 * `undef` when x is NaN (an undefined value). */
void adt_format_exact(char *buf, size_t size, double x, const char *undef);

/* x with four decimals, for people; "n/a" when x is NaN. */
void adt_format_rounded(char *buf, size_t size, double x);

/* Writes s as one CSV field: as it is, or in double quotes (quotes
 * doubled) when it holds a comma, a quote or a line end. */
void adt_format_csv_field(FILE *f, const char *s);

/* Writes s as a JSON string: quotes, backslashes and control characters
 * escaped. */
void adt_format_json_string(FILE *f, const char *s);

#endif
