/* Fuzzes the text matrix reader (adt_matrix_csv_read_mem): one image row
 * per line.  fuzz_matrix_json.c builds the JSON matrix target from this
 * file.  The first byte picks map or mask and a small or generous pixel
 * limit; on success every value is finite. */
#include "fuzz.h"

#include "adthresh/image_formats.h"

#ifndef FUZZ_MATRIX_READER
#define FUZZ_MATRIX_READER adt_matrix_csv_read_mem
#define FUZZ_MATRIX_NAME   "map.csv"
#endif

#define MAX_PIXELS ((uint64_t)1 << 22)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adt_decode_opts o;
	struct adt_raster r;
	struct adt_error err;
	int rc;

	if (size < 1)
		return 0;
	o.purpose = data[0] & 1 ? ADT_AS_MASK : ADT_AS_MAP;
	o.max_pixels = data[0] & 2 ? 16 : MAX_PIXELS;
	adt_raster_init(&r);
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = FUZZ_MATRIX_READER(data + 1, size - 1, FUZZ_MATRIX_NAME, &o, &r, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0) {
		fuzz_check_raster(&r, NULL, o.max_pixels);
		fuzz_check_finite(&r);
	}
	adt_raster_release(&r);
	return 0;
}
