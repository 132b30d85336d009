/* Errors as values: every library function that can fail fills a
 * struct adt_error and returns -1; only the program prints it. */
#ifndef ADTHRESH_ERROR_H
#define ADTHRESH_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum adt_errcode {
	ADT_EOK = 0,
	ADT_EUSAGE,  /* an option or argument is wrong */
	ADT_EIO,     /* a file cannot be opened, read or written */
	ADT_EFORMAT, /* the input is not well-formed in its format */
	ADT_EDATA,   /* well-formed input whose values cannot be used */
	ADT_ENOMEM   /* an allocation failed or a size overflowed */
};

/* The longest path the system opens, in bytes (Linux's PATH_MAX, 4096,
 * counts the terminating NUL too). */
#define ADT_PATH_MAX 4096

/* How many bytes a message keeps, its NUL included. */
#define ADT_MSG_SIZE 4096

/* Where and what went wrong.  file is empty when no file is concerned,
 * line is 0 when no line is known.
 *
 * Nothing is cut silently.  file holds any name of up to ADT_PATH_MAX
 * bytes whole; a longer one (no file by that name can be opened) is kept
 * as its start, "...", and its end, ADT_PATH_MAX bytes in all.  A message
 * longer than ADT_MSG_SIZE - 1 bytes keeps its start and ends in "...".
 * Neither is cut inside a UTF-8 character. */
struct adt_error {
	enum adt_errcode code;
	unsigned long line;
	char file[ADT_PATH_MAX + 1];
	char msg[ADT_MSG_SIZE];
};

/* Resets err to "no error".  Allocates nothing. */
void adt_error_init(struct adt_error *err);

/* Records code and the printf-formatted message (ending in "..." when it
 * does not fit), keeping any file and line already recorded.  The
 * arguments may point into err itself ("%s", err->msg).  err may be NULL.
 * Always returns -1 so that callers can write
 * `return adt_error_set(err, ...)`. */
int adt_error_set(struct adt_error *err, enum adt_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As adt_error_set, and records file (may be NULL: none; shortened in
 * the middle when longer than ADT_PATH_MAX bytes) and line (0: none). */
int adt_error_at(struct adt_error *err, enum adt_errcode code, const char *file, unsigned long line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* As adt_error_at, with the arguments in ap: for a reader's own fail()
 * that adds its file name, so that the message is formatted once and
 * nothing is cut on the way. */
int adt_error_vat(struct adt_error *err, enum adt_errcode code, const char *file,
		  unsigned long line, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Marks the text in buf as cut: ends it in "..." in place of its last
 * characters (whole UTF-8 characters), so that text and mark fit in size
 * bytes (size >= 4).  For a message built in a buffer of its own, when
 * snprintf says that the whole did not fit. */
void adt_error_mark_cut(char *buf, size_t size);

/* Sets the file of an error that has none yet (a reader's caller knows
 * the name), shortened as adt_error_at does.  Does nothing when err is
 * NULL or already names a file. */
void adt_error_set_file(struct adt_error *err, const char *file);

#endif
