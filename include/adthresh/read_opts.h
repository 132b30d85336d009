/* How a score file is read: the format and column options every score
 * reader takes, and the names of the formats. */
#ifndef ADTHRESH_READ_OPTS_H
#define ADTHRESH_READ_OPTS_H

enum adt_format {
	ADT_FMT_AUTO = 0, /* from the file name, else sniffed from the content */
	ADT_FMT_CSV,	  /* delimiter auto-detected unless given */
	ADT_FMT_TSV,	  /* CSV with a tab delimiter */
	ADT_FMT_JSON,
	ADT_FMT_JSONL
};

/* How to read a score file.  All pointers are borrowed. */
struct adt_read_opts {
	enum adt_format format;
	char delimiter;		    /* CSV: 0 auto-detects among ',' ';' '\t' */
	const char *score_col;	    /* NULL: found by name; else a name or a 1-based index */
	const char *label_col;	    /* likewise */
	const char *id_col;	    /* likewise */
	const char *positive_label; /* NULL: built-in label words */
	int verbose;		    /* nonzero: fill notes (see below) */
	/* Out: a human note on a choice the reader made, such as labels taken
	 * from folder names; empty when none.  Never an error. */
	char note[256];
};

/* Sets every option to its default. */
void adt_read_opts_init(struct adt_read_opts *o);

/* Parses a format name: csv, tsv, json, jsonl (ndjson).  -1 if unknown. */
int adt_format_parse(const char *name, enum adt_format *out);

#endif
