/* Errors as values (see error.h). */
#include "adthresh/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void adt_error_init(struct adt_error *err)
{
	if (!err)
		return;
	err->code = ADT_EOK;
	err->line = 0;
	err->file[0] = '\0';
	err->msg[0] = '\0';
}

/* Whether byte c continues a UTF-8 character rather than starting one:
 * a cut made before such a byte moves to the character's start. */
static int continues(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

void adt_error_mark_cut(char *buf, size_t size)
{
	size_t end = strlen(buf);

	if (end > size - 4)
		end = size - 4;
	while (end > 0 && continues(buf[end]))
		end--;
	memcpy(buf + end, "...", 4);
}

/* Formats the message into buf (ADT_MSG_SIZE bytes), ending it in "..."
 * when it does not fit.  A buffer of its own, so that the arguments may
 * be the error's own message. */
static void format_msg(char *buf, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, ADT_MSG_SIZE, fmt, ap);

	if (n < 0)
		snprintf(buf, ADT_MSG_SIZE, "(the message could not be formatted)");
	else if ((size_t)n >= ADT_MSG_SIZE)
		adt_error_mark_cut(buf, ADT_MSG_SIZE);
}

/* Records file whole, or its start and end around "..." when it is longer
 * than ADT_PATH_MAX bytes: both ends of a path say which file it was (the
 * folder it is in, the file's own name). */
static void set_file(struct adt_error *err, const char *file)
{
	size_t len = strlen(file), head = (ADT_PATH_MAX - 3) / 2, tail;

	if (len <= ADT_PATH_MAX) {
		memmove(err->file, file, len + 1);
		return;
	}
	while (head > 0 && continues(file[head]))
		head--;
	tail = len - (ADT_PATH_MAX - 3 - head);
	while (tail < len && continues(file[tail]))
		tail++;
	memcpy(err->file, file, head);
	memcpy(err->file + head, "...", 3);
	memcpy(err->file + head + 3, file + tail, len - tail + 1);
}

int adt_error_set(struct adt_error *err, enum adt_errcode code, const char *fmt, ...)
{
	char buf[ADT_MSG_SIZE];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	format_msg(buf, fmt, ap);
	va_end(ap);
	err->code = code;
	memcpy(err->msg, buf, strlen(buf) + 1);
	return -1;
}

int adt_error_at(struct adt_error *err, enum adt_errcode code, const char *file, unsigned long line,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	adt_error_vat(err, code, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

int adt_error_vat(struct adt_error *err, enum adt_errcode code, const char *file,
		  unsigned long line, const char *fmt, va_list ap)
{
	char buf[ADT_MSG_SIZE];

	if (!err)
		return -1;
	format_msg(buf, fmt, ap);
	/* The file before the message: either may come from the error. */
	set_file(err, file ? file : "");
	err->code = code;
	memcpy(err->msg, buf, strlen(buf) + 1);
	err->line = line;
	return -1;
}

void adt_error_set_file(struct adt_error *err, const char *file)
{
	if (!err || err->file[0] || !file)
		return;
	set_file(err, file);
}
