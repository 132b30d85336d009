/* Fuzzes the TIFF reader: the header probe, then a decode as a map and as
 * a mask (one raster reused, as the pixel reader does), within a pixel
 * limit.  A decoded image has the probe's shape and sample type. */
#include "fuzz.h"

#include "adthresh/image_formats.h"

#define MAX_PIXELS ((uint64_t)1 << 22)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct adt_decode_opts map = {ADT_AS_MAP, MAX_PIXELS};
	const struct adt_decode_opts mask = {ADT_AS_MASK, MAX_PIXELS};
	const struct adt_decode_opts *opts[2] = {&map, &mask};
	struct adt_raster_info info;
	struct adt_raster r;
	struct adt_error err;
	int probed, rc;

	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_tiff_probe_mem(data, size, "map.tiff", &info, &err);
	fuzz_quiet_end();
	probed = fuzz_check_rc(rc, &err) == 0;
	if (probed)
		FUZZ_ASSERT(info.count == 1);

	adt_raster_init(&r);
	for (int k = 0; k < 2; k++) {
		adt_error_init(&err);
		fuzz_quiet_begin();
		rc = adt_tiff_read_mem(data, size, "map.tiff", opts[k], &r, &err);
		fuzz_quiet_end();
		if (fuzz_check_rc(rc, &err) == 0) {
			FUZZ_ASSERT(probed);
			fuzz_check_raster(&r, &info, MAX_PIXELS);
		}
	}
	adt_raster_release(&r);
	return 0;
}
