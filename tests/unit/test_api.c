/* Unit tests of adt_api_evaluate: option words and arrays in, the
 * program's status, report and messages out, nothing printed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "adthresh/api.h"

static const double scores[] = {0.1, 0.4, 0.35, 0.8};
static const unsigned char labels[] = {0, 0, 1, 1};
/* Two 2x3 float32 maps and their masks: image 1 has two anomalous pixels. */
static const float maps[] = {0.1f, 0.2f, 0.3f, 0.2f, 0.1f, 0.0f,
			     0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.1f};
static const unsigned char masks[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0};

enum input { NONE, SCORES, MAPS, BOTH };

static const struct {
	const char *words[4];
	enum input in;
	int status;
	const char *report; /* a part of the report; NULL: none */
	const char *error;  /* the whole error; NULL: none */
} cases[] = {
    {{NULL}, SCORES, 0, "\"threshold\": 0.35, \"rule\": \">=\"", NULL},
    {{"--rule", "gt", NULL}, SCORES, 0, "\"rule\": \">\"", NULL},
    {{"--rule=gt", NULL}, SCORES, 0, "\"rule\": \">\"", NULL},
    {{NULL}, MAPS, 0, "\"source\": \"map maxima\"", NULL},
    {{"--aupro", NULL}, MAPS, 0, "\"aupro\": 1", NULL},
    {{NULL}, BOTH, 0, "\"source\": \"scores\"", NULL},
    {{"--fail-under=image.f1=1.5", NULL}, SCORES, 1, "\"f1\":",
     "gate not met: image.f1 is 0.8, under 1.5\n"},
    {{"--bogus", NULL}, SCORES, 2, NULL, "unrecognized option '--bogus'\n"},
    {{"--ver", NULL}, SCORES, 2, NULL,
     "option '--ver' is ambiguous; possibilities: '--verbose' '--version'\n"},
    {{"--rule", NULL}, SCORES, 2, NULL, "option '--rule' requires an argument\n"},
    {{"-x", NULL}, SCORES, 2, NULL, "invalid option -- 'x'\n"},
    {{"--aupro", NULL}, SCORES, 2, NULL,
     "--aupro needs --maps and masks (it is a pixel-level metric)\n"},
    {{"--maps", "m.npy", NULL}, MAPS, 2, NULL,
     "inputs given as arrays cannot be combined with --maps, --masks or a scores file\n"},
    {{"scores.csv", NULL}, SCORES, 2, NULL,
     "inputs given as arrays cannot be combined with --maps, --masks or a scores file\n"},
    {{"--batch", NULL}, MAPS, 2, NULL, "--batch evaluates folders, not arrays\n"},
    {{NULL}, NONE, 2, NULL, "no input: give scores and labels, or maps and masks\n"},
    {{"--curves", "-", NULL}, SCORES, 2, NULL,
     "only one of the report, --curves, --plot, --save-thresholds, --per-image and --save-counts "
     "can go to standard output (-o FILE sends the report elsewhere)\n"},
    {{"-o", "r.json", NULL}, SCORES, 2, NULL,
     "-o writes the report to a file; this call returns it\n"},
    {{"--save-thresholds", "/nonexistent/t.json", NULL}, SCORES, 2, NULL,
     "/nonexistent/t.json: cannot open for writing: No such file or directory\n"},
    {{"--format", "csv", NULL}, SCORES, 2, NULL,
     "this call returns the JSON report, not --format csv\n"},
    {{"--map-maxima", NULL}, BOTH, 2, NULL,
     "--map-maxima takes the image scores from the maps, not from 'scores'\n"},
    {{"--pixel-threshold=0.5", NULL}, SCORES, 2, NULL, "--pixel-threshold needs --maps\n"},
};

static void fill(enum input in, struct adt_api_inputs *a)
{
	memset(a, 0, sizeof(*a));
	if (in == SCORES || in == BOTH) {
		a->scores = in == BOTH ? scores + 1 : scores;
		a->labels = in == BOTH ? labels + 1 : labels;
		a->nscores = in == BOTH ? 2 : 4;
	}
	if (in == MAPS || in == BOTH) {
		a->maps = maps;
		a->map_dtype = "float32";
		a->masks = masks;
		a->mask_dtype = "uint8";
		a->count = 2;
		a->height = 2;
		a->width = 3;
	}
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct adt_api_inputs in;
		struct adt_api_result out;
		int argc = 0;

		while (cases[i].words[argc])
			argc++;
		fill(cases[i].in, &in);
		print_message("case %zu: %s\n", i, cases[i].words[0] ? cases[i].words[0] : "");
		assert_int_equal(adt_api_evaluate(argc, cases[i].words, &in, &out), cases[i].status);
		assert_int_equal(out.status, cases[i].status);
		if (cases[i].report) {
			assert_non_null(out.report);
			assert_non_null(strstr(out.report, cases[i].report));
		} else {
			assert_null(out.report);
		}
		if (cases[i].error)
			assert_string_equal(out.error, cases[i].error);
		else
			assert_null(out.error);
		adt_api_result_release(&out);
		assert_null(out.report);
	}
}

/* The arrays are read in place: the same result from a copy, a
 * different one once a pixel of the caller's buffer changes. */
static void test_in_place(void **state)
{
	float copy[12];
	struct adt_api_inputs in;
	struct adt_api_result a, b;

	(void)state;
	memcpy(copy, maps, sizeof(copy));
	fill(MAPS, &in);
	assert_int_equal(adt_api_evaluate(0, NULL, &in, &a), 0);
	in.maps = copy;
	copy[7] = 0.05f; /* an anomalous pixel drops below every other */
	assert_int_equal(adt_api_evaluate(0, NULL, &in, &b), 0);
	assert_string_not_equal(a.report, b.report);
	copy[7] = maps[7];
	adt_api_result_release(&b);
	assert_int_equal(adt_api_evaluate(0, NULL, &in, &b), 0);
	assert_string_equal(a.report, b.report);
	adt_api_result_release(&a);
	adt_api_result_release(&b);
}

/* Warnings come back as text, --quiet silences them. */
static void test_messages(void **state)
{
	static const unsigned char normal[] = {0, 0, 0, 0};
	const char *words[] = {"--allow-one-class", "-q"};
	struct adt_api_inputs in;
	struct adt_api_result out;

	(void)state;
	fill(SCORES, &in);
	in.labels = normal;
	assert_int_equal(adt_api_evaluate(1, words, &in, &out), 0);
	assert_non_null(out.messages);
	assert_non_null(strstr(out.messages, "warning: image level has only normal samples (4)"));
	adt_api_result_release(&out);
	assert_int_equal(adt_api_evaluate(2, words, &in, &out), 0);
	assert_null(out.messages);
	adt_api_result_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_in_place),
	    cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
