/* Fuzzes the JSON results-document reader (adt_doc_json_read_mem): per
 * image an id, a map, a mask, a score and a label.  The first byte picks a
 * small or generous pixel limit.  On success every map and mask (when
 * present) is a finite F64 raster, scores are finite and labels 0 or 1;
 * on error the document is empty.  A document read is also checked for
 * its masks (adt_doc_check_masks): when it passes every image labelled
 * 1 has a mask, and when it fails the error is at an image's line.
 * adt_doc_release frees it either way. */
#include "fuzz.h"

#include "adthresh/image_formats.h"

#define MAX_PIXELS ((uint64_t)1 << 22)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adt_decode_opts o = {ADT_AS_MAP, MAX_PIXELS};
	struct adt_doc doc = {NULL, 0};
	struct adt_error err;
	int rc;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		o.max_pixels = 16;
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_doc_json_read_mem(data + 1, size - 1, "results.json", &o, &doc, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0) {
		FUZZ_ASSERT(doc.n == 0 || doc.images != NULL);
		for (size_t i = 0; i < doc.n; i++) {
			const struct adt_doc_image *img = &doc.images[i];

			fuzz_check_raster(&img->map, NULL, o.max_pixels);
			fuzz_check_finite(&img->map);
			if (img->mask.width != 0) {
				fuzz_check_raster(&img->mask, NULL, o.max_pixels);
				fuzz_check_finite(&img->mask);
			}
			if (img->has_score)
				FUZZ_ASSERT(isfinite(img->score));
			if (img->has_label)
				FUZZ_ASSERT(img->label == 0 || img->label == 1);
			FUZZ_ASSERT(img->line >= 1);
		}
		adt_error_init(&err);
		fuzz_quiet_begin();
		rc = adt_doc_check_masks(&doc, "results.json", &err);
		fuzz_quiet_end();
		if (fuzz_check_rc(rc, &err) == 0) {
			for (size_t i = 0; i < doc.n; i++)
				FUZZ_ASSERT(doc.images[i].mask.width != 0 ||
					    !(doc.images[i].has_label && doc.images[i].label));
		} else {
			FUZZ_ASSERT(err.line >= 1);
		}
	} else {
		FUZZ_ASSERT(doc.n == 0);
	}
	adt_doc_release(&doc);
	return 0;
}
