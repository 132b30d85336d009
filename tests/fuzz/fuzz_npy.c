/* Fuzzes the NPY reader: the header parser, then images 0 and N-1 of the
 * array decoded from memory, as a map and as a mask, within a pixel limit
 * (so that a header cannot make the fuzzer run out of memory).  One
 * raster is reused across the reads, as the pixel reader does. */
#include "fuzz.h"

#include "adthresh/image_formats.h"

#define MAX_PIXELS ((uint64_t)1 << 22)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct adt_decode_opts map = {ADT_AS_MAP, MAX_PIXELS};
	const struct adt_decode_opts mask = {ADT_AS_MASK, MAX_PIXELS};
	const struct adt_decode_opts *opts[2] = {&map, &mask};
	struct adt_npy_header h;
	struct adt_raster r;
	struct adt_error err;
	uint64_t index[2];
	int rc;

	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_npy_parse_header(data, size, size, "map.npy", &h, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) != 0)
		return 0;
	FUZZ_ASSERT(h.info.count >= 1);
	FUZZ_ASSERT(h.data_offset <= size);
	FUZZ_ASSERT(h.swap == 0 || h.swap == 1);
	index[0] = 0;
	index[1] = h.info.count - 1;
	adt_raster_init(&r);
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 2; i++) {
			adt_error_init(&err);
			fuzz_quiet_begin();
			rc = adt_npy_read_mem(data, size, "map.npy", index[i], opts[k], &r, &err);
			fuzz_quiet_end();
			if (fuzz_check_rc(rc, &err) == 0)
				fuzz_check_raster(&r, &h.info, MAX_PIXELS);
		}
	/* Out of range is an error, not a read past the end. */
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_npy_read_mem(data, size, "map.npy", h.info.count, &map, &r, &err);
	fuzz_quiet_end();
	FUZZ_ASSERT(rc == -1);
	fuzz_check_error(&err);
	adt_raster_release(&r);
	return 0;
}
