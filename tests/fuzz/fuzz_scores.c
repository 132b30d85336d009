/* Fuzzes the score-file entry point (adt_read_scores_mem) with the format
 * sniffed from the content: the name has no extension.  The first byte
 * picks the options:
 *   bit 0  positive label "defect" (else the built-in words)
 *   bit 1  columns named: score "score", label "2", id "image_path"
 *   bit 2  verbose
 * On success the samples are non-empty with unique ids. */
#include "fuzz.h"

#include "adthresh/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adt_read_opts o;

	if (size < 1)
		return 0;
	adt_read_opts_init(&o);
	o.positive_label = data[0] & 1 ? "defect" : NULL;
	if (data[0] & 2) {
		o.score_col = "score";
		o.label_col = "2";
		o.id_col = "image_path";
	}
	o.verbose = (data[0] & 4) != 0;
	fuzz_scores(adt_read_scores_mem, data + 1, size - 1, "scores", &o, 1);
	return 0;
}
