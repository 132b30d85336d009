/* Reading an image-level score file: loading it, choosing its format
 * (score_formats.h has the readers of each) and the checks common to all. */
#ifndef ADTHRESH_READ_H
#define ADTHRESH_READ_H

#include <stddef.h>

#include "adthresh/error.h"
#include "adthresh/read_opts.h"
#include "adthresh/samples.h"
#include "adthresh/score_formats.h"

/* Reads the score file at path ("-" is standard input) into out, which
 * must be empty (adt_samples_init).  The format comes from o->format, else
 * from the extension (.csv .tsv .tab .txt .json .jsonl .ndjson), else is
 * sniffed.  Labels are resolved (see value.h); ids are checked for
 * duplicates; empty input is an error ("empty input"), and so is text in
 * UTF-16 or UTF-32, by its byte order mark or its NUL bytes (ADT_EFORMAT
 * "looks like UTF-16 text (byte order mark FF FE); a score file must be
 * UTF-8", also "(a NUL byte in every other position)" and UTF-32).  On error returns -1, out holds
 * nothing that must be used (release it), and err names the file and,
 * where known, the line. */
int adt_read_scores_file(const char *path, struct adt_read_opts *o, struct adt_samples *out,
			 struct adt_error *err);

/* As adt_read_scores_file on a buffer; name is used for the format guess
 * (by extension) and in errors. */
int adt_read_scores_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
			struct adt_samples *out, struct adt_error *err);

#endif
