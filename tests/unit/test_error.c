/* Unit tests of errors as values: file names and messages come out whole,
 * or shortened with a visible "..." and never inside a UTF-8 character. */
#include <stdlib.h>
#include <string.h>

#include "adthresh/error.h"

#include "test_list.h"

/* How a long text is built: `unit` repeated up to len bytes (whole units). */
struct error_case {
	const char *name;
	int is_file;	  /* the text is a file name, else a message */
	int via_set_file; /* adt_error_set_file instead of adt_error_at */
	const char *unit;
	size_t len;
	int whole; /* expected whole, else shortened */
};

static const struct error_case cases[] = {
    {"path of 4000 bytes: whole", 1, 0, "dir/", 4000, 1},
    {"path of ADT_PATH_MAX bytes: whole", 1, 0, "abcd", ADT_PATH_MAX, 1},
    {"path of 4100 bytes: start...end", 1, 0, "dir/", 4100, 0},
    {"path of 5000 bytes: start...end", 1, 0, "abc/", 5000, 0},
    {"path of 5000 bytes by set_file: start...end", 1, 1, "abc/", 5000, 0},
    {"path of 5000 bytes of UTF-8: whole characters", 1, 0, "\xc3\xa9/\xe2\x82\xac/", 5000, 0},
    {"path of 20000 bytes: start...end", 1, 0, "x/", 20000, 0},
    {"message of 3000 bytes: whole", 0, 0, "value ", 3000, 1},
    {"message of ADT_MSG_SIZE - 1 bytes: whole", 0, 0, "m", ADT_MSG_SIZE - 1, 1},
    {"message of ADT_MSG_SIZE bytes: ends in ...", 0, 0, "m", ADT_MSG_SIZE, 0},
    {"message of 9000 bytes: ends in ...", 0, 0, "value ", 9000, 0},
    {"message of UTF-8: whole characters", 0, 0, "\xe2\x82\xac", 6000, 0},
};

static int continues(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

static char *make_text(const char *unit, size_t len)
{
	size_t u = strlen(unit), n = len / u * u;
	char *s = malloc(n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i += u)
		memcpy(s + i, unit, u);
	s[n] = '\0';
	return s;
}

/* out is in, or in's start, "...", and (for a file) in's end, cut at
 * character boundaries and filling the room it has. */
static void check_text(const char *in, const char *out, size_t room, int is_file, int whole)
{
	size_t lin = strlen(in), lout = strlen(out), head, tail;
	const char *dots;

	if (whole) {
		assert_string_equal(out, in);
		return;
	}
	assert_true(lout <= room);
	assert_true(lout + 7 > room); /* short of it by parts of characters at most */
	dots = strstr(out, "...");
	assert_non_null(dots);
	head = (size_t)(dots - out);
	assert_memory_equal(out, in, head);
	assert_false(continues(in[head])); /* the cut starts a character */
	tail = lout - head - 3;
	if (is_file) {
		assert_true(head > room / 3 && tail > room / 3); /* both ends kept */
		assert_memory_equal(out + head + 3, in + lin - tail, tail);
		assert_false(continues(in[lin - tail]));
	} else {
		assert_int_equal(tail, 0); /* a message keeps its start */
	}
}

static void test_case(void **state)
{
	const struct error_case *c = *state;
	char *text = make_text(c->unit, c->len);
	struct adt_error err;

	adt_error_init(&err);
	if (c->is_file && c->via_set_file) {
		adt_error_set(&err, ADT_EIO, "cannot open");
		adt_error_set_file(&err, text);
	} else if (c->is_file) {
		adt_error_at(&err, ADT_EIO, text, 7, "cannot open");
	} else {
		adt_error_at(&err, ADT_EDATA, "f.csv", 7, "%s", text);
	}
	if (c->is_file) {
		check_text(text, err.file, ADT_PATH_MAX, 1, c->whole);
		assert_string_equal(err.msg, "cannot open");
	} else {
		check_text(text, err.msg, ADT_MSG_SIZE - 1, 0, c->whole);
		assert_string_equal(err.file, "f.csv");
	}
	free(text);
}

/* The arguments may be the error's own message and file. */
static void test_own_fields(void **state)
{
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	adt_error_at(&err, ADT_EDATA, "a.csv", 3, "bad value");
	adt_error_set(&err, err.code, "image 2: %s", err.msg);
	assert_string_equal(err.msg, "image 2: bad value");
	adt_error_at(&err, err.code, err.file, err.line, "%s (in %s)", err.msg, err.file);
	assert_string_equal(err.msg, "image 2: bad value (in a.csv)");
	assert_string_equal(err.file, "a.csv");
	assert_int_equal(err.line, 3);
}

/* set_file names the file of an error that has none, and only then. */
static void test_set_file_once(void **state)
{
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	adt_error_set_file(&err, "first");
	assert_string_equal(err.file, "first");
	adt_error_set_file(&err, "second");
	assert_string_equal(err.file, "first");
	adt_error_set_file(NULL, "x");
	assert_int_equal(adt_error_set(NULL, ADT_EIO, "x"), -1);
}

static void test_mark_cut(void **state)
{
	char buf[8];

	(void)state;
	strcpy(buf, "abcdefg");
	adt_error_mark_cut(buf, sizeof(buf));
	assert_string_equal(buf, "abcd...");
	strcpy(buf, "ab");
	adt_error_mark_cut(buf, sizeof(buf));
	assert_string_equal(buf, "ab...");
	strcpy(buf, "a\xe2\x82\xac"
		    "bc"); /* a, the euro sign, b, c */
	adt_error_mark_cut(buf, 6);
	assert_string_equal(buf, "a...");
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_case);
	test_list_add(&l, "arguments from the error itself", test_own_fields);
	test_list_add(&l, "set_file only names an unnamed error", test_set_file_once);
	test_list_add(&l, "mark_cut", test_mark_cut);
	return test_list_run(&l, "error");
}
