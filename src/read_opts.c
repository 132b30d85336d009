/* Score-reading options and format names (see read_opts.h). */
#include "adthresh/read_opts.h"

#include <string.h>

void adt_read_opts_init(struct adt_read_opts *o)
{
	memset(o, 0, sizeof(*o));
}

int adt_format_parse(const char *name, enum adt_format *out)
{
	static const struct {
		const char *name;
		enum adt_format fmt;
	} names[] = {{"csv", ADT_FMT_CSV},
		     {"tsv", ADT_FMT_TSV},
		     {"json", ADT_FMT_JSON},
		     {"jsonl", ADT_FMT_JSONL},
		     {"ndjson", ADT_FMT_JSONL}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].fmt;
			return 0;
		}
	}
	return -1;
}
