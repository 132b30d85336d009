/* Unit tests of --fail-under gates: parsing and checking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "adthresh/gate.h"

static const struct {
	const char *spec;
	int batch;
	const char *msg; /* NULL: valid */
} specs[] = {
    {"image.auroc=0.95,pixel.f1=0.6", 0, NULL},
    {"image.tp=3", 0, NULL},
    {"mean.pixel.auroc=0.97,*.image.auroc=0.9,bottle.pixel.f1=0.5", 1, NULL},
    {"mean.image.categories=2", 1, NULL},
    {"image.auroc", 0, "invalid gate 'image.auroc' (expected LEVEL.FIELD=BOUND)"},
    {"auroc=0.9", 0, "invalid gate 'auroc=0.9' (expected LEVEL.FIELD=BOUND)"},
    {"image.auroc=high", 0, "invalid gate 'image.auroc=high': bound 'high' is not a number"},
    {"image.speed=1", 0,
     "invalid gate 'image.speed=1': unknown field 'speed' (fields: n, positives, negatives, "
     "threshold, f1, precision, recall, tp, fp, fn, tn, auroc, ap, min, max, pauroc)"},
    {"image.aupro=0.5", 0, "invalid gate 'image.aupro=0.5': AU-PRO is a pixel-level metric"},
    {"voxel.f1=1", 0, "invalid gate 'voxel.f1=1': level 'voxel' (expected image or pixel)"},
    {"image.f1=0.5", 1,
     "invalid gate 'image.f1=0.5': in a batch, say mean.image, *.image or CATEGORY.image"},
    {"mean.image.f1=0.5", 0,
     "invalid gate 'mean.image.f1=0.5': categories and mean exist only with --batch"},
    {"mean.image.tp=3", 1,
     "invalid gate 'mean.image.tp=3': unknown field 'tp' (fields of the mean: categories, f1, "
     "precision, recall, auroc, ap, pauroc)"},
    {"mean.pixel.source=1", 1,
     "invalid gate 'mean.pixel.source=1': unknown field 'source' (fields of the mean: "
     "categories, f1, precision, recall, auroc, ap, pauroc, aupro, aupimo)"},
    {" image.auroc=0.9 , pixel.f1=0.5 ", 0, NULL},
    {"", 0, "empty gate in --fail-under ''"},
    {"image.auroc=0.9,", 0, "empty gate in --fail-under 'image.auroc=0.9,'"},
    {"image.f1=1,,image.ap=1", 0, "empty gate in --fail-under 'image.f1=1,,image.ap=1'"},
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(*specs); i++) {
		struct adt_gates g = {NULL, 0, 0};
		struct adt_error err;
		int ret;

		adt_error_init(&err);
		print_message("%s\n", specs[i].spec);
		ret = adt_gates_parse(specs[i].spec, specs[i].batch, &g, &err);
		if (specs[i].msg) {
			assert_int_equal(ret, -1);
			assert_int_equal(err.code, ADT_EUSAGE);
			assert_string_equal(err.msg, specs[i].msg);
		} else {
			assert_int_equal(ret, 0);
		}
		adt_gates_release(&g);
	}
}

struct seen {
	char msg[4][512];
	int n;
};

static void collect(void *ctx, const char *message)
{
	struct seen *s = ctx;

	if (s->n < 4)
		strcpy(s->msg[s->n], message);
	s->n++;
}

static void test_check(void **state)
{
	struct adt_level_result a = {0}, b = {0};
	struct adt_entry e[3];
	struct adt_gates g = {NULL, 0, 0};
	struct adt_error err;
	struct seen s = {0};

	(void)state;
	memset(e, 0, sizeof(e));
	e[0].name = "bottle";
	e[0].level[0] = &a;
	e[0].level[1] = &b;
	e[1].name = "cable";
	e[1].level[0] = &a;
	e[2].name = "wood";
	e[2].error = "broken";
	a.auroc = 0.9;
	a.f1 = 0.5;
	b.auroc = NAN;
	b.f1 = 0.75;
	adt_error_init(&err);
	assert_int_equal(
	    adt_gates_parse("*.image.auroc=0.9,mean.image.f1=0.6,bottle.pixel.auroc=0.5,"
			    "bottle.pixel.f1=0.75",
			    1, &g, &err),
	    0);
	assert_int_equal(adt_gates_check(&g, e, 3, 1, collect, &s, &err), 2);
	assert_string_equal(s.msg[0], "mean.image.f1 is 0.5, under 0.6");
	assert_string_equal(s.msg[1], "bottle.pixel.auroc is undefined, so not at least 0.5");
	adt_gates_release(&g);

	assert_int_equal(adt_gates_parse("cable.pixel.f1=0.1", 1, &g, &err), 0);
	assert_int_equal(adt_gates_check(&g, e, 3, 1, collect, &s, &err), -1);
	assert_string_equal(err.msg,
			    "gate 'cable.pixel.f1=0.1': category cable has no pixel level");
	adt_gates_release(&g);

	assert_int_equal(adt_gates_parse("metal.image.f1=0.1", 1, &g, &err), 0);
	assert_int_equal(adt_gates_check(&g, e, 3, 1, collect, &s, &err), -1);
	assert_string_equal(err.msg, "gate 'metal.image.f1=0.1': no category 'metal'");
	adt_gates_release(&g);

	s.n = 0;
	assert_int_equal(adt_gates_parse("image.f1=0.5,image.auroc=0.95", 0, &g, &err), 0);
	assert_int_equal(adt_gates_check(&g, e, 1, 0, collect, &s, &err), 1);
	assert_string_equal(s.msg[0], "image.auroc is 0.9, under 0.95");
	adt_gates_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
