/* Unit tests of reading a score file whatever its format: the checks made
 * before any reader sees the bytes (empty input, UTF-16 and UTF-32). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "adthresh/read.h"

/* "score,label\n0.1,0\n0.9,1\n" in other encodings. */
#define LE16                                                                                       \
	"s\0c\0o\0r\0e\0,\0l\0a\0b\0e\0l\0\n\0000\0.\0001\0,\0000\0\n\0000\0.\0009\0,\0001\0\n\0"
#define BE16                                                                                       \
	"\0s\0c\0o\0r\0e\0,\0l\0a\0b\0e\0l\0\n\0000\0.\0001\0,\0000\0\n\0000\0.\0009\0,\0001\0\n"

static const struct {
	const char *name, *in;
	size_t len; /* 0: strlen(in) */
	enum adt_errcode code;
	const char *msg;
	unsigned long line;
	size_t n; /* samples read when code is ADT_EOK */
} cases[] = {
    {"UTF-8", "score,label\n0.1,0\n0.9,1\n", 0, ADT_EOK, NULL, 0, 2},
    {"UTF-8 with a BOM", "\xEF\xBB\xBFscore,label\n0.1,0\n0.9,1\n", 0, ADT_EOK, NULL, 0, 2},
    {"UTF-16LE with a BOM", "\xFF\xFE" LE16, sizeof(LE16) + 1, ADT_EFORMAT,
     "looks like UTF-16 text (byte order mark FF FE); a score file must be UTF-8", 0, 0},
    {"UTF-16BE with a BOM", "\xFE\xFF" BE16, sizeof(BE16) + 1, ADT_EFORMAT,
     "looks like UTF-16 text (byte order mark FE FF); a score file must be UTF-8", 0, 0},
    {"UTF-16LE", LE16, sizeof(LE16) - 1, ADT_EFORMAT,
     "looks like UTF-16 text (a NUL byte in every other position); a score file must be UTF-8", 0,
     0},
    {"UTF-16BE", BE16, sizeof(BE16) - 1, ADT_EFORMAT,
     "looks like UTF-16 text (a NUL byte in every other position); a score file must be UTF-8", 0,
     0},
    {"UTF-16LE with other characters", "s\0c\0o\0r\0\xe9\0,\0l\0a\0b\0\x3b\x04l\0", 22, ADT_EFORMAT,
     "looks like UTF-16 text (a NUL byte in every other position); a score file must be UTF-8", 0,
     0},
    {"UTF-32LE with a BOM", "\xFF\xFE\0\0s\0\0\0", 8, ADT_EFORMAT,
     "looks like UTF-32 text (byte order mark FF FE 00 00); a score file must be UTF-8", 0, 0},
    {"UTF-32BE with a BOM", "\0\0\xFE\xFF\0\0\0s", 8, ADT_EFORMAT,
     "looks like UTF-32 text (byte order mark 00 00 FE FF); a score file must be UTF-8", 0, 0},
    /* A NUL or two in UTF-8 text is the reader's to report, at its line. */
    {"a NUL in a field", "score,label\n0.1\0,0\n0.9,1\n", 25, ADT_EFORMAT,
     "field contains a NUL byte", 2, 0},
    {"empty", "", 0, ADT_EDATA, "empty input", 0, 0},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct adt_read_opts o;
		struct adt_samples s;
		struct adt_error err;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		int rc;

		print_message("%s\n", cases[i].name);
		adt_read_opts_init(&o);
		adt_samples_init(&s);
		adt_error_init(&err);
		rc = adt_read_scores_mem(cases[i].in, len, "s.csv", &o, &s, &err);
		if (cases[i].code == ADT_EOK) {
			assert_int_equal(rc, 0);
			assert_int_equal(s.n, cases[i].n);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(err.code, cases[i].code);
			assert_string_equal(err.msg, cases[i].msg);
			assert_string_equal(err.file, "s.csv");
			assert_int_equal(err.line, cases[i].line);
		}
		adt_samples_release(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
