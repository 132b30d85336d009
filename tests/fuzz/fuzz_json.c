/* Fuzzes the JSON score reader (adt_read_json_mem): an array of objects
 * or an object of parallel arrays.  fuzz_jsonl.c builds the JSON Lines
 * target from this file.  The first byte picks the options:
 *   bit 0  positive label "defect" (else the built-in words)
 *   bit 1  keys named: score "anomaly", label "gt", id "file"
 *   bit 2  verbose */
#include "fuzz.h"

#include "adthresh/score_formats.h"

#ifndef FUZZ_JSON_READER
#define FUZZ_JSON_READER adt_read_json_mem
#define FUZZ_JSON_FORMAT ADT_FMT_JSON
#define FUZZ_JSON_NAME	 "scores.json"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adt_read_opts o;

	if (size < 1)
		return 0;
	adt_read_opts_init(&o);
	o.format = FUZZ_JSON_FORMAT;
	o.positive_label = data[0] & 1 ? "defect" : NULL;
	if (data[0] & 2) {
		o.score_col = "anomaly";
		o.label_col = "gt";
		o.id_col = "file";
	}
	o.verbose = (data[0] & 4) != 0;
	fuzz_scores(FUZZ_JSON_READER, data + 1, size - 1, FUZZ_JSON_NAME, &o, 0);
	return 0;
}
