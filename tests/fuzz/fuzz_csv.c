/* Fuzzes the CSV/TSV score reader (adt_read_csv_mem).  The first byte
 * picks the options, the rest is the file:
 *   bits 0-1  delimiter: auto, ';', tab, ','
 *   bit 2     positive label "defect" (else the built-in words)
 *   bit 3     format TSV (else CSV)
 *   bit 4     columns named: score "2", label "label", id "path"
 *   bit 5     verbose (fills the note)
 *   bit 6     name "scores.tsv" (else "scores.csv") */
#include "fuzz.h"

#include "adthresh/score_formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {0, ';', '\t', ','};
	struct adt_read_opts o;
	unsigned flags;

	if (size < 1)
		return 0;
	flags = data[0];
	adt_read_opts_init(&o);
	o.delimiter = delims[flags & 3];
	o.positive_label = flags & 4 ? "defect" : NULL;
	o.format = flags & 8 ? ADT_FMT_TSV : ADT_FMT_CSV;
	if (flags & 16) {
		o.score_col = "2";
		o.label_col = "label";
		o.id_col = "path";
	}
	o.verbose = (flags & 32) != 0;
	fuzz_scores(adt_read_csv_mem, data + 1, size - 1, flags & 64 ? "scores.tsv" : "scores.csv",
		    &o, 0);
	return 0;
}
