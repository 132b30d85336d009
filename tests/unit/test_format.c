/* Unit tests of the output formatting: JSON strings always valid UTF-8,
 * names read back from JSON, one-line message text, CSV fields. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/format.h"

/* What writer writes for s, owned by the caller. */
static char *written(void (*writer)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	writer(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static const struct {
	const char *name, *in, *json, *line;
} strings[] = {
    {"plain", "bottle", "\"bottle\"", "bottle"},
    {"empty", "", "\"\"", ""},
    {"quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"", "a\"b\\c"},
    {"control characters",
     "a\nb\tc\rd\x01"
     "e\x1f",
     "\"a\\u000ab\\u0009c\\u000dd\\u0001e\\u001f\"", "a\\nb\\tc\\rd\\x01e\\x1f"},
    {"delete", "a\x7f", "\"a\x7f\"", "a\\x7f"},
    {"valid UTF-8 as it is", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
    {"a Latin-1 byte",
     "d\xe9"
     "faut",
     "\"d\xef\xbf\xbd"
     "faut\"",
     "d\xe9"
     "faut"},
    {"a stray continuation byte",
     "a\x80"
     "b",
     "\"a\xef\xbf\xbd"
     "b\"",
     "a\x80"
     "b"},
    {"a sequence cut short", "a\xe2\x82", "\"a\xef\xbf\xbd\xef\xbf\xbd\"", "a\xe2\x82"},
    {"cut short before ASCII",
     "\xe2\x82"
     "x",
     "\"\xef\xbf\xbd\xef\xbf\xbd"
     "x\"",
     "\xe2\x82"
     "x"},
    {"overlong", "\xc0\xaf\xe0\x80\xaf",
     "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", "\xc0\xaf\xe0\x80\xaf"},
    {"a surrogate", "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", "\xed\xa0\x80"},
    {"above U+10FFFF", "\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
     "\xf4\x90\x80\x80"},
    {"U+10FFFF", "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"", "\xf4\x8f\xbf\xbf"},
    {"U+FFFD itself", "\xef\xbf\xbd", "\"\xef\xbf\xbd\"", "\xef\xbf\xbd"},
};

/* Each string as a JSON string and as message text. */
static void test_strings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		char *json = written(adt_format_json_string, strings[i].in);
		char *line = written(adt_format_line, strings[i].in);

		print_message("%s\n", strings[i].name);
		assert_string_equal(json, strings[i].json);
		assert_string_equal(line, strings[i].line);
		assert_null(strchr(line, '\n'));
		free(json);
		free(line);
	}
}

/* A name read back from JSON (the text between the quotes, unescaped)
 * matches the name it was written from, and only that. */
static void test_json_same(void **state)
{
	static const struct {
		const char *s, *text;
		int same;
	} cases[] = {
	    {"bottle", "bottle", 1},
	    {"bottle", "bottles", 0},
	    {"bottles", "bottle", 0},
	    {"", "", 1},
	    {"caf\xc3\xa9", "caf\xc3\xa9", 1},
	    {"caf\xe9", "caf\xef\xbf\xbd", 1},
	    {"caf\xe9", "caf\xe9", 0},
	    {"caf\xe9", "caf?", 0},
	    {"caf\xe9", "caf\xef\xbf", 0},
	    {"caf\xef\xbf\xbd", "caf\xef\xbf\xbd", 1},
	    {"a\xe2\x82", "a\xef\xbf\xbd\xef\xbf\xbd", 1},
	    {"a\xe2\x82", "a\xef\xbf\xbd", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %zu\n", i);
		assert_int_equal(adt_format_json_same(cases[i].s, cases[i].text), cases[i].same);
	}
	/* Every written form of the table reads back as the same name. */
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		char *out = written(adt_format_json_string, strings[i].in);

		if (!strpbrk(strings[i].in, "\"\\\x01\x1f\n\t\r")) {
			out[strlen(out) - 1] = '\0';
			assert_true(adt_format_json_same(strings[i].in, out + 1));
		}
		free(out);
	}
}

static void test_utf8_char(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		uint32_t c;
	} cases[] = {
	    {"", 1, 0},
	    {"a", 1, 'a'},
	    {"\xc2\x80", 2, 0x80},
	    {"\xdf\xbf", 2, 0x7ff},
	    {"\xe0\xa0\x80", 3, 0x800},
	    {"\xed\x9f\xbf", 3, 0xd7ff},
	    {"\xee\x80\x80", 3, 0xe000},
	    {"\xef\xbf\xbf", 3, 0xffff},
	    {"\xf0\x90\x80\x80", 4, 0x10000},
	    {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
	    {"\x80", 0, 0},
	    {"\xc1\xbf", 0, 0},
	    {"\xe0\x9f\xbf", 0, 0},
	    {"\xed\xbf\xbf", 0, 0},
	    {"\xf0\x8f\xbf\xbf", 0, 0},
	    {"\xf4\x90\x80\x80", 0, 0},
	    {"\xf5\x80\x80\x80", 0, 0},
	    {"\xff", 0, 0},
	    {"\xc3", 0, 0},
	    {"\xe2\x82", 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t c = 0;

		print_message("case %zu\n", i);
		assert_int_equal(adt_format_utf8_char(cases[i].s, &c), cases[i].len);
		if (cases[i].len)
			assert_int_equal(c, cases[i].c);
	}
}

/* CSV fields of a part of a string: quoted only when they must be. */
static void test_csv_field_n(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
	    {"crack/000", 5, "crack"},
	    {"a,b/000", 3, "\"a,b\""},
	    {"a\"b/000", 3, "\"a\"\"b\""},
	    {"line\nend/x", 8, "\"line\nend\""},
	    {"a,b", 1, "a"},
	    {"", 0, ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(f);
		adt_format_csv_field_n(f, cases[i].in, cases[i].len);
		assert_int_equal(fclose(f), 0);
		assert_string_equal(buf, cases[i].out);
		free(buf);
	}
}

/* Real numbers: the shortest form that reads back as the same double. */
static void test_numbers(void **state)
{
	static const struct {
		double x;
		const char *want;
	} cases[] = {
	    {0.98, "0.98"},
	    {1e-05, "1e-05"},
	    {0.1 + 0.2, "0.30000000000000004"},
	    {1.0 / 3.0, "0.3333333333333333"},
	    {2.0 / 3.0, "0.6666666666666666"},
	    {0.0, "0"},
	    {-0.0, "-0"},
	    {1.0, "1"},
	    {0.7311999797821045, "0.7311999797821045"},
	    {5e-324, "5e-324"},
	    {2.2250738585072014e-308, "2.2250738585072014e-308"},
	    {1e-310, "1e-310"},
	    {1.7976931348623157e308, "1.7976931348623157e+308"},
	    {123456789012345.0, "123456789012345"},
	    {9007199254740993.0, "9007199254740992"},
	};
	char buf[ADT_NUMBER_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double back;

		adt_format_shortest(buf, sizeof(buf), cases[i].x);
		assert_string_equal(buf, cases[i].want);
		back = strtod(buf, NULL);
		assert_memory_equal(&back, &cases[i].x, sizeof(back));
		adt_format_exact(buf, sizeof(buf), cases[i].x, "null");
		assert_string_equal(buf, cases[i].want);
	}
	adt_format_exact(buf, sizeof(buf), NAN, "null");
	assert_string_equal(buf, "null");
	adt_format_exact(buf, sizeof(buf), NAN, "");
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strings),   cmocka_unit_test(test_json_same),
	    cmocka_unit_test(test_utf8_char), cmocka_unit_test(test_csv_field_n),
	    cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
