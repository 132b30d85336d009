/* Fuzzes the single-value parsers of value.h.  The input is split at NUL
 * bytes; each piece goes through adt_parse_double, adt_parse_long (three
 * ranges), adt_role_of (singular and plural), adt_label_from_path and one
 * labeler shared by all pieces (finished at the end).  The first byte
 * picks the labeler's anomalous value: the built-in words, or the first
 * piece. */
#include "fuzz.h"

#include <limits.h>

#include "adthresh/value.h"

static void one_piece(const char *s, struct adt_labeler *lb, unsigned long line)
{
	static const long ranges[3][2] = {{LONG_MIN, LONG_MAX}, {1, 1000}, {-5, 0}};
	struct adt_error err;
	enum adt_role role;
	double d;
	long v;
	int rc, label, is_number;

	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_parse_double(s, "score", &d, &err);
	fuzz_quiet_end();
	is_number = fuzz_check_rc(rc, &err) == 0;
	if (is_number)
		FUZZ_ASSERT(isfinite(d));

	for (int k = 0; k < 3; k++) {
		adt_error_init(&err);
		fuzz_quiet_begin();
		rc = adt_parse_long(s, "count", ranges[k][0], ranges[k][1], &v, &err);
		fuzz_quiet_end();
		if (fuzz_check_rc(rc, &err) == 0)
			FUZZ_ASSERT(v >= ranges[k][0] && v <= ranges[k][1]);
	}

	for (int plural = 0; plural < 2; plural++) {
		fuzz_quiet_begin();
		role = adt_role_of(s, plural);
		fuzz_quiet_end();
		FUZZ_ASSERT(role >= ADT_ROLE_NONE && role <= ADT_ROLE_ID);
		if (role != ADT_ROLE_NONE)
			FUZZ_ASSERT(adt_role_names(role) != NULL && adt_role_names(role)[0]);
	}

	label = -1;
	fuzz_quiet_begin();
	rc = adt_label_from_path(s, &label);
	fuzz_quiet_end();
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc == 0)
		FUZZ_ASSERT(label == 0 || label == 1);

	label = -1;
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_labeler_parse(lb, s, line, &label, &err);
	fuzz_quiet_end();
	FUZZ_ASSERT(rc >= -1 && rc <= 1);
	if (rc == -1)
		fuzz_check_error(&err);
	else
		FUZZ_ASSERT(label == 0 || label == 1);
	/* A number is a built-in label only when it is exactly 0 or 1, so
	 * its double is exactly that label too. */
	if (rc == 0 && !lb->positive && is_number)
		FUZZ_ASSERT(d == label);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adt_labeler lb;
	struct adt_error err;
	char *text, *p, *end;
	unsigned long line = 0;
	int rc;

	if (size < 1)
		return 0;
	text = fuzz_strndup(data + 1, size - 1);
	end = text + (size - 1);
	adt_labeler_init(&lb, data[0] & 1 ? text : NULL);
	for (p = text; p <= end; p += strlen(p) + 1)
		one_piece(p, &lb, ++line);
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_labeler_finish(&lb, &err);
	fuzz_quiet_end();
	fuzz_check_rc(rc, &err);
	FUZZ_ASSERT(rc == -1 || lb.n_unknown == 0);
	adt_labeler_release(&lb);
	free(text);
	return 0;
}
