/* Numbers and strings as the outputs print them: exact real numbers,
 * rounded ones for people, CSV fields and JSON strings.  Numbers are
 * C-locale as long as the program does not call setlocale. */
#ifndef ADTHRESH_FORMAT_H
#define ADTHRESH_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "adthresh/error.h"

/* Room for any number these functions format. */
enum { ADT_NUMBER_SIZE = 40 };

/* Formats x in the shortest decimal form that reads back as the same
 * double, bit for bit (at most 17 significant digits), into buf (at
 * least 32 bytes): %.15g, else %.16g, else %.17g, the first that strtod
 * reads back.  0.98 is "0.98", 1e-05 "1e-05". */
void adt_format_shortest(char *buf, size_t size, double x);

/* x as adt_format_shortest writes it (reads back as the same double),
 * or `undef` when x is NaN (an undefined value).  Every JSON and CSV
 * number of full precision is written this way. */
void adt_format_exact(char *buf, size_t size, double x, const char *undef);

/* x with four decimals, for people; "n/a" when x is NaN. */
void adt_format_rounded(char *buf, size_t size, double x);

/* Writes s as one CSV field: as it is, or in double quotes (quotes
 * doubled) when it holds a comma, a quote or a line end. */
void adt_format_csv_field(FILE *f, const char *s);

/* The same for the len bytes at s (a part of a string). */
void adt_format_csv_field_n(FILE *f, const char *s, size_t len);

/* The length (1 to 4) of the well-formed UTF-8 character that s starts,
 * its code point in *c; or 0 when s starts none: a stray continuation
 * byte, a sequence cut short (by the string's end too), an overlong form,
 * a surrogate or a value above U+10FFFF.  An ASCII byte (NUL too) is a
 * character of length 1. */
size_t adt_format_utf8_char(const char *s, uint32_t *c);

/* Writes s as a JSON string, always valid UTF-8: quotes, backslashes and
 * control characters escaped (\uXXXX), and every byte that is not part
 * of a well-formed UTF-8 character replaced by U+FFFD.  Names come from
 * folder names, which can hold any byte; a \u escape names a character,
 * not a byte, so a byte cannot be escaped, and JSON holds no
 * byte-preserving form that every parser accepts (Python's surrogate
 * escapes are lone surrogates, which strict parsers refuse). */
void adt_format_json_string(FILE *f, const char *s);

/* Whether text, a string read back from JSON, is s as
 * adt_format_json_string writes it (s with its invalid bytes replaced by
 * U+FFFD): how a name read back matches the name it was written from. */
int adt_format_json_same(const char *s, const char *text);

/* Writes s on one line, for messages: control characters (bytes below
 * 0x20, and 0x7f) as \n, \t, \r or \xHH; every other byte, a
 * backslash too, as it is.  The text is for reading, not for parsing
 * back. */
void adt_format_line(FILE *f, const char *s);

/* Writes err as one line to f, after prefix: "FILE:LINE: message",
 * "FILE: message" or "message", names and message as adt_format_line
 * writes them. */
void adt_format_error(FILE *f, const char *prefix, const struct adt_error *err);

#endif
