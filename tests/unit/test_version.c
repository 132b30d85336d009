/* Unit tests of the libraries' line of --version: every library named in
 * its place with a version, and a short buffer holding a prefix of the
 * line. */
#include <ctype.h>
#include <string.h>

#include "adthresh/version.h"

#include "test_list.h"

/* The libraries in the order the line names them. */
struct library_case {
	const char *name; /* the test's name */
	const char *library;
	size_t index;
};

static const struct library_case libraries[] = {
    {"libcsv first", "libcsv", 0},
    {"cJSON second", "cJSON", 1},
    {"libpng third", "libpng", 2},
    {"libtiff fourth", "libtiff", 3},
    {"cairo fifth and last", "cairo", 4},
};

/* Entry `index` of the ", "-separated line is "LIBRARY VERSION", the
 * version a word that starts with a digit; the last entry ends the line. */
static void test_library(void **state)
{
	const struct library_case *c = *state;
	char buf[ADT_VERSION_LIBRARIES_SIZE];
	const char *p = buf;
	size_t len = strlen(c->library);

	adt_version_libraries(buf, sizeof(buf));
	for (size_t i = 0; i < c->index; i++) {
		p = strstr(p, ", ");
		assert_non_null(p);
		p += 2;
	}
	assert_memory_equal(p, c->library, len);
	p += len;
	assert_int_equal(*p++, ' ');
	assert_true(isdigit((unsigned char)*p));
	while (*p && *p != ',')
		assert_false(isspace((unsigned char)*p++));
	if (c->index == sizeof(libraries) / sizeof(libraries[0]) - 1)
		assert_int_equal(*p, '\0');
}

/* Any size from 1 up gives the first size - 1 bytes of the line. */
static void test_truncated(void **state)
{
	char full[ADT_VERSION_LIBRARIES_SIZE];
	char buf[ADT_VERSION_LIBRARIES_SIZE];
	size_t len;

	(void)state;
	adt_version_libraries(full, sizeof(full));
	len = strlen(full);
	assert_true(len + 1 < sizeof(full));
	for (size_t size = 1; size <= len + 1; size++) {
		memset(buf, 'x', sizeof(buf));
		adt_version_libraries(buf, size);
		assert_int_equal(strlen(buf), size - 1);
		assert_memory_equal(buf, full, size - 1);
	}
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, libraries, test_library);
	test_list_add(&l, "a short buffer holds a prefix", test_truncated);
	return test_list_run(&l, "version");
}
