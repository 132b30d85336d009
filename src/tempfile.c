/* Temporary files (see tempfile.h). */
#include "adthresh/tempfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

int adt_temp_open(const char *tag, char **dir)
{
	const char *d = getenv("TMPDIR");
	size_t len, tlen = strlen(tag);
	char *path;
	int fd, e;

	if (!d || !*d)
		d = "/tmp";
	len = strlen(d);
	*dir = NULL;
	/* d, "/adthresh-", tag, "-XXXXXX" and the NUL. */
	path = len < SIZE_MAX - tlen - 32 ? malloc(len + tlen + 32) : NULL;
	if (!path) {
		errno = ENOMEM;
		return -1;
	}
	snprintf(path, len + tlen + 32, "%s/adthresh-%s-XXXXXX", d, tag);
	fd = mkstemp(path);
	e = errno;
	if (fd >= 0)
		unlink(path);
	/* The name is gone; its folder is what a message needs. */
	path[len] = '\0';
	*dir = path;
	errno = e;
	return fd;
}

/* Moves n bytes between buf and the file at off, a call at a time. */
static int move_all(int fd, char *buf, size_t n, uint64_t off, int write)
{
	while (n > 0) {
		/* One call stays well under SSIZE_MAX everywhere. */
		size_t want = n < ((size_t)1 << 30) ? n : (size_t)1 << 30;
		ssize_t got = write ? pwrite(fd, buf, want, (off_t)off)
				    : pread(fd, buf, want, (off_t)off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0) /* a full disk, or a file that ends early */
				errno = write ? ENOSPC : EIO;
			return -1;
		}
		buf += got;
		off += (uint64_t)got;
		n -= (size_t)got;
	}
	return 0;
}

int adt_pwrite_all(int fd, const void *buf, size_t n, uint64_t off)
{
	return move_all(fd, (char *)buf, n, off, 1);
}

int adt_pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	return move_all(fd, buf, n, off, 0);
}
