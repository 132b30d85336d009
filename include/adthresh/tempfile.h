/* Temporary files that no exit path leaves behind, and whole reads and
 * writes at an offset. */
#ifndef ADTHRESH_TEMPFILE_H
#define ADTHRESH_TEMPFILE_H

#include <stddef.h>
#include <stdint.h>

/* Creates a file in $TMPDIR (else /tmp) whose name is removed at once, so
 * that it is gone when closed, however the process ends.  tag goes into
 * the short-lived name ("curve", "pixels").  Returns its descriptor, or
 * -1 with errno set.  *dir (malloc'ed; NULL when out of memory, errno
 * then ENOMEM) names the folder for messages either way; the caller frees
 * it. */
int adt_temp_open(const char *tag, char **dir);

/* Writes n bytes at offset off, or reads them: 0, or -1 with errno set
 * (a file that ends early reads as EIO). */
int adt_pwrite_all(int fd, const void *buf, size_t n, uint64_t off);
int adt_pread_all(int fd, void *buf, size_t n, uint64_t off);

#endif
