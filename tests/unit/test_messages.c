/* Unit tests of the message lists: adding, copying by kind with a prefix,
 * long messages kept whole, order kept. */
#include "test_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/messages.h"

static void test_add(void **state)
{
	static const struct {
		enum adt_msg_kind kind;
		const char *text;
	} want[] = {
	    {ADT_MSG_WARNING, "first 1"},
	    {ADT_MSG_NOTE, "second 'x'"},
	    {ADT_MSG_ERROR, "third 3.5"},
	    {ADT_MSG_WARNING, ""},
	};
	struct adt_messages m;

	(void)state;
	adt_messages_init(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.v);
	assert_int_equal(adt_messages_add(&m, ADT_MSG_WARNING, "first %d", 1), 0);
	assert_int_equal(adt_messages_add(&m, ADT_MSG_NOTE, "second '%s'", "x"), 0);
	assert_int_equal(adt_messages_add(&m, ADT_MSG_ERROR, "third %.1f", 3.5), 0);
	assert_int_equal(adt_messages_add(&m, ADT_MSG_WARNING, "%s", ""), 0);
	assert_int_equal(m.n, sizeof(want) / sizeof(want[0]));
	assert_int_equal(m.lost, 0);
	for (size_t i = 0; i < m.n; i++) {
		assert_int_equal(m.v[i].kind, want[i].kind);
		assert_string_equal(m.v[i].text, want[i].text);
	}
	adt_messages_release(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.v);
	/* Released twice is fine: it is empty after the first. */
	adt_messages_release(&m);
}

static void test_long(void **state)
{
	enum { LEN = 10000 };
	char *big = malloc(LEN + 1);
	struct adt_messages m, to;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < LEN; i++)
		big[i] = (char)('a' + i % 26);
	big[LEN] = '\0';
	adt_messages_init(&m);
	adt_messages_init(&to);
	assert_int_equal(adt_messages_add(&m, ADT_MSG_ERROR, "%s", big), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(strlen(m.v[0].text), LEN);
	assert_string_equal(m.v[0].text, big);
	assert_int_equal(adt_messages_copy(&to, &m, ADT_MSG_ERROR, "p: "), 0);
	assert_int_equal(to.n, 1);
	assert_int_equal(strlen(to.v[0].text), LEN + 3);
	assert_memory_equal(to.v[0].text, "p: ", 3);
	assert_string_equal(to.v[0].text + 3, big);
	adt_messages_release(&m);
	adt_messages_release(&to);
	free(big);
}

/* A source list of mixed kinds copied one kind at a time. */
static const struct {
	enum adt_msg_kind kind;
	const char *text;
} source[] = {
    {ADT_MSG_WARNING, "w1"}, {ADT_MSG_NOTE, "n1"}, {ADT_MSG_ERROR, "e1"},
    {ADT_MSG_WARNING, "w2"}, {ADT_MSG_NOTE, "n2"}, {ADT_MSG_WARNING, "w3"},
};

struct copy_case {
	const char *name;
	enum adt_msg_kind kind;
	const char *prefix;
	size_t lost; /* of the source */
	size_t n;
	const char *want[3];
};

static const struct copy_case copies[] = {
    {"warnings with a prefix",
     ADT_MSG_WARNING,
     "bottle: ",
     0,
     3,
     {"bottle: w1", "bottle: w2", "bottle: w3"}},
    {"notes without a prefix", ADT_MSG_NOTE, "", 0, 2, {"n1", "n2"}},
    {"errors", ADT_MSG_ERROR, "category x: ", 0, 1, {"category x: e1"}},
    {"lost messages carried over", ADT_MSG_ERROR, "", 2, 1, {"e1"}},
    {"a prefix with a percent sign", ADT_MSG_NOTE, "100%: ", 0, 2, {"100%: n1", "100%: n2"}},
};

static void test_copy(void **state)
{
	const struct copy_case *c = *state;
	struct adt_messages from, to;

	adt_messages_init(&from);
	adt_messages_init(&to);
	for (size_t i = 0; i < sizeof(source) / sizeof(source[0]); i++)
		assert_int_equal(adt_messages_add(&from, source[i].kind, "%s", source[i].text), 0);
	from.lost = c->lost;
	/* What `to` held before stays first. */
	assert_int_equal(adt_messages_add(&to, ADT_MSG_NOTE, "before"), 0);
	to.lost = 1;
	assert_int_equal(adt_messages_copy(&to, &from, c->kind, c->prefix), 0);
	assert_int_equal(to.n, 1 + c->n);
	assert_int_equal(to.lost, 1 + c->lost);
	assert_int_equal(to.v[0].kind, ADT_MSG_NOTE);
	assert_string_equal(to.v[0].text, "before");
	for (size_t i = 0; i < c->n; i++) {
		assert_int_equal(to.v[1 + i].kind, c->kind);
		assert_string_equal(to.v[1 + i].text, c->want[i]);
	}
	/* The source is unchanged. */
	assert_int_equal(from.n, sizeof(source) / sizeof(source[0]));
	assert_string_equal(from.v[0].text, "w1");
	adt_messages_release(&from);
	adt_messages_release(&to);
}

static void test_order(void **state)
{
	enum { N = 1000 };
	struct adt_messages m;
	char want[32];

	(void)state;
	adt_messages_init(&m);
	for (int i = 0; i < N; i++)
		assert_int_equal(adt_messages_add(&m, (enum adt_msg_kind)(i % 3), "message %d", i),
				 0);
	assert_int_equal(m.n, N);
	assert_true(m.cap >= m.n);
	for (int i = 0; i < N; i++) {
		snprintf(want, sizeof(want), "message %d", i);
		assert_int_equal(m.v[i].kind, i % 3);
		assert_string_equal(m.v[i].text, want);
	}
	adt_messages_release(&m);
}

int main(void)
{
	struct test_list l = {0};

	test_list_add(&l, "add", test_add);
	test_list_add(&l, "a 10000-byte message", test_long);
	TEST_LIST_TABLE(&l, copies, test_copy);
	test_list_add(&l, "order of 1000 messages", test_order);
	return test_list_run(&l, "messages");
}
