/* Fuzzes the PNG reader: the header probe, then a decode as a map and as
 * a mask (one raster reused, as the pixel reader does), within a pixel
 * limit.  A map has the probe's shape and sample type; a mask its shape,
 * one byte per pixel, each 0 or 1.
 *
 * libpng rejects a chunk whose CRC is wrong, so nearly every mutation
 * would stop at the first chunk it touched; the target therefore
 * rewrites each chunk's CRC in a copy of the input before decoding it
 * (libpng's own fuzzer skips the check instead). */
#include "fuzz.h"

#include "adthresh/image_formats.h"

#define MAX_PIXELS ((uint64_t)1 << 22)

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFu;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Sets the CRC of every whole chunk after the signature to the right one. */
static void fix_crcs(uint8_t *p, size_t size)
{
	size_t pos = 8, len;
	uint32_t crc;

	if (size < 8 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0)
		return;
	while (size - pos >= 12) {
		len = be32(p + pos);
		if (len > size - pos - 12)
			break;
		crc = crc32_of(p + pos + 4, len + 4);
		p[pos + 8 + len] = (uint8_t)(crc >> 24);
		p[pos + 9 + len] = (uint8_t)(crc >> 16);
		p[pos + 10 + len] = (uint8_t)(crc >> 8);
		p[pos + 11 + len] = (uint8_t)crc;
		pos += 12 + len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct adt_decode_opts map = {ADT_AS_MAP, MAX_PIXELS};
	const struct adt_decode_opts mask = {ADT_AS_MASK, MAX_PIXELS};
	struct adt_raster_info info;
	struct adt_raster r;
	struct adt_error err;
	uint8_t *copy;
	int probed, rc;

	copy = malloc(size ? size : 1);
	FUZZ_ASSERT(copy != NULL);
	if (size)
		memcpy(copy, data, size);
	fix_crcs(copy, size);
	data = copy;

	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_png_probe_mem(data, size, "map.png", &info, &err);
	fuzz_quiet_end();
	probed = fuzz_check_rc(rc, &err) == 0;
	if (probed)
		FUZZ_ASSERT(info.count == 1);

	adt_raster_init(&r);
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_png_read_mem(data, size, "map.png", &map, &r, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0) {
		FUZZ_ASSERT(probed);
		fuzz_check_raster(&r, &info, MAX_PIXELS);
		FUZZ_ASSERT(r.sample == ADT_SAMPLE_U8 || r.sample == ADT_SAMPLE_U16);
	}

	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_png_read_mem(data, size, "mask.png", &mask, &r, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0) {
		FUZZ_ASSERT(probed);
		fuzz_check_raster(&r, NULL, MAX_PIXELS);
		FUZZ_ASSERT(r.width == info.width && r.height == info.height);
		fuzz_check_mask(&r);
	}
	adt_raster_release(&r);
	free(copy);
	return 0;
}
