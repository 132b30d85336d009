/* Fuzzes the TIFF reader: the probe of every page, then the first and the
 * last page decoded as a map and as a mask (one raster reused, as the
 * pixel reader does), within a pixel limit, from memory and through one
 * open file stepping from page to page.  A decoded image has the probe's
 * shape and sample type; a page past the last is an error. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "adthresh/image_formats.h"

#define MAX_PIXELS ((uint64_t)1 << 22)

/* The input as a file, for the API that reads by path; NULL when there
 * is no room for one. */
static char *as_file(const uint8_t *data, size_t size)
{
	char *path = strdup("/tmp/fuzz_tiff_XXXXXX");
	int fd = path ? mkstemp(path) : -1;
	size_t done = 0;

	if (fd < 0) {
		free(path);
		return NULL;
	}
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	if (done < size) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct adt_decode_opts map = {ADT_AS_MAP, MAX_PIXELS};
	const struct adt_decode_opts mask = {ADT_AS_MASK, MAX_PIXELS};
	const struct adt_decode_opts *opts[2] = {&map, &mask};
	struct adt_raster_info info;
	struct adt_tiff_file *tf = NULL;
	struct adt_raster r;
	struct adt_error err;
	uint64_t index[2] = {0, 0};
	char *path;
	int probed, rc;

	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_tiff_probe_mem(data, size, "map.tiff", &info, &err);
	fuzz_quiet_end();
	probed = fuzz_check_rc(rc, &err) == 0;
	if (probed) {
		FUZZ_ASSERT(info.count >= 1);
		index[1] = info.count - 1;
	}

	adt_raster_init(&r);
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 2; i++) {
			adt_error_init(&err);
			fuzz_quiet_begin();
			rc = adt_tiff_read_mem(data, size, "map.tiff", index[i], opts[k], &r, &err);
			fuzz_quiet_end();
			if (fuzz_check_rc(rc, &err) == 0)
				fuzz_check_raster(&r, probed ? &info : NULL, MAX_PIXELS);
		}
	if (probed) {
		/* Past the last page is an error, not a read of something else. */
		adt_error_init(&err);
		fuzz_quiet_begin();
		rc = adt_tiff_read_mem(data, size, "map.tiff", info.count, &map, &r, &err);
		fuzz_quiet_end();
		FUZZ_ASSERT(rc == -1);
		fuzz_check_error(&err);
	}

	/* Through one open file: the pages in order (8 at most), back to the
	 * first, then past the last. */
	path = probed ? as_file(data, size) : NULL;
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = path ? adt_tiff_file_open(path, &map, &tf, &err) : -1;
	fuzz_quiet_end();
	if (path)
		fuzz_check_rc(rc, &err);
	for (uint64_t pages = info.count < 8 ? info.count : 8, i = 0; tf && i <= pages + 1; i++) {
		uint64_t page = i < pages ? i : i == pages ? 0 : info.count;

		adt_error_init(&err);
		fuzz_quiet_begin();
		rc = adt_tiff_file_read(tf, page, &map, &r, &err);
		fuzz_quiet_end();
		if (page == info.count)
			FUZZ_ASSERT(rc == -1);
		if (fuzz_check_rc(rc, &err) != 0)
			break;
		fuzz_check_raster(&r, &info, MAX_PIXELS);
	}
	adt_tiff_file_close(tf);
	if (path) {
		unlink(path);
		free(path);
	}
	adt_raster_release(&r);
	return 0;
}
