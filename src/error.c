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

static void set_msg(struct adt_error *err, enum adt_errcode code, const char *fmt, va_list ap)
{
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int adt_error_set(struct adt_error *err, enum adt_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	set_msg(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int adt_error_at(struct adt_error *err, enum adt_errcode code, const char *file, unsigned long line,
		 const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	set_msg(err, code, fmt, ap);
	va_end(ap);
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	return -1;
}

void adt_error_set_file(struct adt_error *err, const char *file)
{
	if (!err || err->file[0] || !file)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file);
}
