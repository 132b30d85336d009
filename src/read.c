/* Reading a score file: loading, choosing the format, common checks
 * (see read.h). */
#include "adthresh/read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adthresh/grow.h"

static enum adt_format format_of_name(const char *name)
{
	static const struct {
		const char *ext;
		enum adt_format fmt;
	} exts[] = {{".csv", ADT_FMT_CSV},   {".tsv", ADT_FMT_TSV},	{".tab", ADT_FMT_TSV},
		    {".json", ADT_FMT_JSON}, {".jsonl", ADT_FMT_JSONL}, {".ndjson", ADT_FMT_JSONL}};
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t el = strlen(exts[i].ext);

		if (len > el && strcasecmp(name + len - el, exts[i].ext) == 0)
			return exts[i].fmt;
	}
	return ADT_FMT_AUTO;
}

/* Guesses from the first bytes: '[' is JSON; '{' is JSON Lines when the
 * first line closes its object and another line opens one, or when it is
 * the only line and holds no array (parallel arrays make a JSON document);
 * else JSON; anything else is CSV. */
static enum adt_format sniff(const char *p, size_t len)
{
	size_t i = 0, eol, last;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == len || (p[i] != '[' && p[i] != '{'))
		return ADT_FMT_CSV;
	if (p[i] == '[')
		return ADT_FMT_JSON;
	for (eol = i; eol < len && p[eol] != '\n'; eol++)
		;
	last = eol;
	while (last > i && (p[last - 1] == ' ' || p[last - 1] == '\t' || p[last - 1] == '\r'))
		last--;
	if (last == i || p[last - 1] != '}')
		return ADT_FMT_JSON;
	for (size_t j = eol; j < len; j++) {
		if (p[j] == '{')
			return ADT_FMT_JSONL;
		if (p[j] != ' ' && p[j] != '\t' && p[j] != '\r' && p[j] != '\n')
			return ADT_FMT_JSON;
	}
	return memchr(p + i, '[', last - i) ? ADT_FMT_JSON : ADT_FMT_JSONL;
}

static int blank_only(const char *p, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	}
	return 1;
}

/* Text in UTF-16 or UTF-32 (what Windows tools save as "Unicode"): by its
 * byte order mark or, without one, by a NUL byte in every other position
 * of its start (ASCII text; a few other characters allowed).  Returns
 * what the file looks like, or NULL. */
static const char *wide_text(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t pairs = (len < 256 ? len : 256) / 2, nul[2] = {0, 0};

	if (len >= 4 && memcmp(p, "\xFF\xFE\0\0", 4) == 0)
		return "UTF-32 text (byte order mark FF FE 00 00)";
	if (len >= 4 && memcmp(p, "\0\0\xFE\xFF", 4) == 0)
		return "UTF-32 text (byte order mark 00 00 FE FF)";
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return "UTF-16 text (byte order mark FF FE)";
	if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return "UTF-16 text (byte order mark FE FF)";
	for (size_t i = 0; i < pairs; i++) {
		nul[0] += p[2 * i] == 0;
		nul[1] += p[2 * i + 1] == 0;
	}
	for (int k = 0; k < 2; k++) {
		if (pairs >= 2 && nul[!k] == 0 && 4 * nul[k] >= 3 * pairs)
			return "UTF-16 text (a NUL byte in every other position)";
	}
	return NULL;
}

/* Reads buf; the format comes from the options, else from name when
 * by_name is set, else from the content. */
static int read_buffer(const char *buf, size_t len, const char *name, int by_name,
		       struct adt_read_opts *o, struct adt_samples *out, struct adt_error *err)
{
	enum adt_format fmt = o->format;
	int ret;

	o->note[0] = '\0';
	if (blank_only(buf, len))
		return adt_error_at(err, ADT_EDATA, name, 0, "empty input");
	if (wide_text(buf, len))
		return adt_error_at(err, ADT_EFORMAT, name, 0,
				    "looks like %s; a score file must be UTF-8",
				    wide_text(buf, len));
	if (fmt == ADT_FMT_AUTO && by_name)
		fmt = format_of_name(name);
	if (fmt == ADT_FMT_AUTO)
		fmt = sniff(buf, len);
	if (fmt == ADT_FMT_JSON)
		ret = adt_read_json_mem(buf, len, name, o, out, err);
	else if (fmt == ADT_FMT_JSONL)
		ret = adt_read_jsonl_mem(buf, len, name, o, out, err);
	else {
		/* An explicit TSV format reaches the CSV reader as its delimiter. */
		struct adt_read_opts csv = *o;

		if (fmt == ADT_FMT_TSV && !csv.delimiter)
			csv.delimiter = '\t';
		ret = adt_read_csv_mem(buf, len, name, &csv, out, err);
		memcpy(o->note, csv.note, sizeof(o->note));
	}
	if (ret == 0 && out->n == 0)
		ret = adt_error_at(err, ADT_EDATA, name, 0, "no samples");
	if (ret == 0)
		ret = adt_samples_check_ids(out, err);
	adt_error_set_file(err, name);
	return ret;
}

int adt_read_scores_mem(const void *buf, size_t len, const char *name, struct adt_read_opts *o,
			struct adt_samples *out, struct adt_error *err)
{
	return read_buffer(buf, len, name, 1, o, out, err);
}

/* Reads all of f; *buf is owned by the caller on success. */
static int slurp(FILE *f, char **buf, size_t *len)
{
	size_t cap = 0, n = 0, got;
	void *p = NULL;

	if (adt_grow(&p, &cap, (size_t)1 << 16, 1))
		return -1;
	while ((got = fread((char *)p + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap && adt_grow(&p, &cap, n + 1, 1))
			goto fail;
	}
	if (ferror(f))
		goto fail;
	*buf = p;
	*len = n;
	return 0;
fail:
	free(p);
	return -1;
}

int adt_read_scores_file(const char *path, struct adt_read_opts *o, struct adt_samples *out,
			 struct adt_error *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (!f)
		return adt_error_at(err, ADT_EIO, name, 0, "cannot open: %s", strerror(errno));
	errno = 0;
	if (slurp(f, &buf, &len)) {
		int e = errno;

		if (!is_stdin)
			fclose(f);
		if (e == ENOMEM || e == 0)
			return adt_error_at(err, ADT_ENOMEM, name, 0, "out of memory reading it");
		return adt_error_at(err, ADT_EIO, name, 0, "cannot read: %s", strerror(e));
	}
	if (!is_stdin)
		fclose(f);
	/* Standard input has no name to guess the format from. */
	ret = read_buffer(buf, len, name, !is_stdin, o, out, err);
	free(buf);
	return ret;
}
