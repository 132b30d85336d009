/* Fuzzes the JSON score reader (adt_read_json_mem): an array of objects
 * or an object of parallel arrays.  The first byte picks the options:
 *   bit 0  positive label "defect" (else the built-in words)
 *   bit 1  keys named: score "anomaly", label "gt", id "file"
 *   bit 2  verbose */
#include "fuzz.h"

#include "adthresh/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adt_read_opts o;
	struct adt_samples s;
	struct adt_error err;
	int rc;

	if (size < 1)
		return 0;
	adt_read_opts_init(&o);
	o.format = ADT_FMT_JSON;
	o.positive_label = data[0] & 1 ? "defect" : NULL;
	if (data[0] & 2) {
		o.score_col = "anomaly";
		o.label_col = "gt";
		o.id_col = "file";
	}
	o.verbose = (data[0] & 4) != 0;
	adt_samples_init(&s);
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_read_json_mem(data + 1, size - 1, "scores.json", &o, &s, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0)
		fuzz_check_samples(&s);
	FUZZ_ASSERT(memchr(o.note, '\0', sizeof(o.note)) != NULL);
	adt_samples_release(&s);
	return 0;
}
