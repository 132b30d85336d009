/* Errors as values: every library function that can fail fills a
 * struct adt_error and returns -1; only the program prints it. */
#ifndef ADTHRESH_ERROR_H
#define ADTHRESH_ERROR_H

#include <stddef.h>

enum adt_errcode {
	ADT_EOK = 0,
	ADT_EUSAGE,  /* an option or argument is wrong */
	ADT_EIO,     /* a file cannot be opened, read or written */
	ADT_EFORMAT, /* the input is not well-formed in its format */
	ADT_EDATA,   /* well-formed input whose values cannot be used */
	ADT_ENOMEM   /* an allocation failed or a size overflowed */
};

/* Where and what went wrong.  file is empty when no file is concerned,
 * line is 0 when no line is known. */
struct adt_error {
	enum adt_errcode code;
	unsigned long line;
	char file[512];
	char msg[1024];
};

/* Resets err to "no error".  Allocates nothing. */
void adt_error_init(struct adt_error *err);

/* Records code and the printf-formatted message, keeping any file and
 * line already recorded.  err may be NULL.  Always returns -1 so that
 * callers can write `return adt_error_set(err, ...)`. */
int adt_error_set(struct adt_error *err, enum adt_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As adt_error_set, and records file (may be NULL) and line (0: none). */
int adt_error_at(struct adt_error *err, enum adt_errcode code, const char *file, unsigned long line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sets the file of an error that has none yet (a reader's caller knows
 * the name).  Does nothing when err is NULL or already names a file. */
void adt_error_set_file(struct adt_error *err, const char *file);

#endif
