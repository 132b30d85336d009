/* Fuzzes the CSV/TSV score reader (adt_read_csv_mem).  The first byte
 * picks the options, the rest is the file:
 *   bits 0-1  delimiter: auto, ';', tab, ','
 *   bit 2     positive label "defect" (else the built-in words)
 *   bit 3     format TSV (else CSV)
 *   bit 4     columns named: score "2", label "label", id "path"
 *   bit 5     verbose (fills the note)
 *   bit 6     name "scores.tsv" (else "scores.csv") */
#include "fuzz.h"

#include "adthresh/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {0, ';', '\t', ','};
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	unsigned flags;
	int rc;

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
	adt_samples_init(&s);
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_read_csv_mem(data + 1, size - 1, flags & 64 ? "scores.tsv" : "scores.csv", &o, &s,
			      &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0)
		fuzz_check_samples(&s);
	FUZZ_ASSERT(memchr(o.note, '\0', sizeof(o.note)) != NULL);
	adt_samples_release(&s);
	return 0;
}
