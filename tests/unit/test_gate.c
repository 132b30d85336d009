/* Unit tests of --fail-under and --gate gates: parsing and checking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "adthresh/defects.h"
#include "adthresh/gate.h"

static const struct {
	const char *spec;
	int batch, two_sided; /* --fail-under (0) or --gate (1) */
	const char *msg;      /* NULL: valid */
} specs[] = {
    {"image.auroc=0.95,pixel.f1=0.6", 0, 0, NULL},
    {"image.tp=3", 0, 0, NULL},
    {"mean.pixel.auroc=0.97,*.image.auroc=0.9,bottle.pixel.f1=0.5", 1, 0, NULL},
    {"mean.image.categories=2", 1, 0, NULL},
    {"image.auroc", 0, 0, "invalid gate 'image.auroc' (expected LEVEL.FIELD=BOUND)"},
    {"auroc=0.9", 0, 0, "invalid gate 'auroc=0.9' (expected LEVEL.FIELD=BOUND)"},
    {"image.auroc=high", 0, 0, "invalid gate 'image.auroc=high': bound 'high' is not a number"},
    {"image.speed=1", 0, 0,
     "invalid gate 'image.speed=1': unknown field 'speed' (fields: n, positives, negatives, "
     "threshold, f1, precision, recall, tp, fp, fn, tn, fpr, auroc, ap, min, max, pauroc)"},
    {"image.aupro=0.5", 0, 0, "invalid gate 'image.aupro=0.5': AU-PRO is a pixel-level metric"},
    {"voxel.f1=1", 0, 0, "invalid gate 'voxel.f1=1': level 'voxel' (expected image or pixel)"},
    {"image.f1=0.5", 1, 0,
     "invalid gate 'image.f1=0.5': in a batch, say mean.image, *.image or CATEGORY.image"},
    {"mean.image.f1=0.5", 0, 0,
     "invalid gate 'mean.image.f1=0.5': categories and mean exist only with --batch"},
    {"mean.image.tp=3", 1, 0,
     "invalid gate 'mean.image.tp=3': unknown field 'tp' (fields of the mean: categories, f1, "
     "precision, recall, auroc, ap, pauroc)"},
    {"mean.pixel.source=1", 1, 0,
     "invalid gate 'mean.pixel.source=1': unknown field 'source' (fields of the mean: "
     "categories, f1, precision, recall, auroc, ap, pauroc, aupro, aupimo)"},
    {" image.auroc=0.9 , pixel.f1=0.5 ", 0, 0, NULL},
    {"", 0, 0, "empty gate in --fail-under ''"},
    {"image.auroc=0.9,", 0, 0, "empty gate in --fail-under 'image.auroc=0.9,'"},
    {"image.f1=1,,image.ap=1", 0, 0, "empty gate in --fail-under 'image.f1=1,,image.ap=1'"},
    /* --gate: both operators, every scope, defect rows. */
    {"image.fp<=5,pixel.recall>=0.9", 0, 1, NULL},
    {"image.tn>=1,image.n<=100,pixel.positives>=1,pixel.negatives<=1e9", 0, 1, NULL},
    {"mean.pixel.auroc>=0.97,*.image.recall>=0.95,bottle.pixel.fn<=3", 1, 1, NULL},
    {"defect.crack.image.recall>=0.9,defect.good.pixel.fpr<=0.01", 0, 1, NULL},
    {"bottle.defect.crack.image.recall>=0.9,*.defect.good.image.fp<=0", 1, 1, NULL},
    {"defect.crack.image.recall=0.9", 0, 0, NULL},
    {"image.f1=0.9", 0, 1,
     "invalid gate 'image.f1=0.9' (expected LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND)"},
    {"image.f1>0.9", 0, 1,
     "invalid gate 'image.f1>0.9' (expected LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND)"},
    {"image.f1<0.9", 0, 1,
     "invalid gate 'image.f1<0.9' (expected LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND)"},
    {"image.f1=>0.9", 0, 1,
     "invalid gate 'image.f1=>0.9' (expected LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND)"},
    {"image.f1", 1, 1,
     "invalid gate 'image.f1' (expected [CATEGORY|mean|*].LEVEL.FIELD>=BOUND or "
     "[CATEGORY|mean|*].LEVEL.FIELD<=BOUND)"},
    {"image.f1>==0.9", 0, 1, "invalid gate 'image.f1>==0.9': bound '=0.9' is not a number"},
    {"image.f1>=", 0, 1, "invalid gate 'image.f1>=': bound is empty"},
    {"f1<=0.9", 0, 1, "invalid gate 'f1<=0.9' (expected LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND)"},
    {"image.f1>=0,9", 0, 1,
     "invalid gate '9' (expected LEVEL.FIELD>=BOUND or LEVEL.FIELD<=BOUND; a decimal comma? "
     "bounds take '.')"},
    {"image.f1>=0.9", 0, 0,
     "invalid gate 'image.f1>=0.9': --fail-under takes LEVEL.FIELD=BOUND, at least BOUND; "
     "--gate takes >= and <="},
    {"image.speed<=1", 0, 1,
     "invalid gate 'image.speed<=1': unknown field 'speed' (fields: n, positives, negatives, "
     "threshold, f1, precision, recall, tp, fp, fn, tn, fpr, auroc, ap, min, max, pauroc)"},
    {"image.policy<=1", 0, 1,
     "invalid gate 'image.policy<=1': unknown field 'policy' (fields: n, positives, "
     "negatives, threshold, f1, precision, recall, tp, fp, fn, tn, fpr, auroc, ap, min, max, "
     "pauroc)"},
    {"mean.image.fp<=3", 1, 1,
     "invalid gate 'mean.image.fp<=3': unknown field 'fp' (fields of the mean: categories, "
     "f1, precision, recall, auroc, ap, pauroc)"},
    {"defect.crack.image.auroc>=0.9", 0, 1,
     "invalid gate 'defect.crack.image.auroc>=0.9': unknown field 'auroc' (fields of a "
     "defect row: n, positives, negatives, tp, fp, fn, tn, recall, fpr, precision)"},
    {"defect.image.recall>=0.9", 0, 1,
     "invalid gate 'defect.image.recall>=0.9': no defect folder named (expected "
     "defect.NAME.image.FIELD)"},
    {"bottle.defect.pixel.recall>=0.9", 1, 1,
     "invalid gate 'bottle.defect.pixel.recall>=0.9': no defect folder named (expected "
     "defect.NAME.pixel.FIELD)"},
    {"defect..image.recall>=0.9", 0, 1,
     "invalid gate 'defect..image.recall>=0.9': no defect folder named (expected "
     "defect.NAME.image.FIELD)"},
    {"defect.crack.voxel.recall>=0.9", 0, 1,
     "invalid gate 'defect.crack.voxel.recall>=0.9': level 'voxel' (expected image or "
     "pixel)"},
    {"defect.crack.image.recall>=0.9", 1, 1,
     "invalid gate 'defect.crack.image.recall>=0.9': in a batch, say *.defect.crack.image or "
     "CATEGORY.defect.crack.image"},
    {"bottle.defect.crack.image.recall>=0.9", 0, 1,
     "invalid gate 'bottle.defect.crack.image.recall>=0.9': categories and mean exist only "
     "with --batch"},
    {"mean.defect.crack.image.recall>=0.9", 1, 1,
     "invalid gate 'mean.defect.crack.image.recall>=0.9': the mean has no defect rows (say "
     "*.defect.crack.image or CATEGORY.defect.crack.image)"},
    {"defect.image.f1>=0.9", 1, 1, NULL}, /* a category called defect */
    {"", 0, 1, "empty gate in --gate ''"},
    {"image.fp<=1,,image.fn<=1", 0, 1, "empty gate in --gate 'image.fp<=1,,image.fn<=1'"},
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
		ret = adt_gates_parse(specs[i].spec, specs[i].batch, specs[i].two_sided, &g, &err);
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
			    1, 0, &g, &err),
	    0);
	assert_int_equal(adt_gates_check(&g, e, 3, 1, collect, &s, &err), 2);
	assert_string_equal(s.msg[0], "mean.image.f1 is 0.5, under 0.6");
	assert_string_equal(s.msg[1], "bottle.pixel.auroc is undefined, so not at least 0.5");
	adt_gates_release(&g);

	assert_int_equal(adt_gates_parse("cable.pixel.f1=0.1", 1, 0, &g, &err), 0);
	assert_int_equal(adt_gates_check(&g, e, 3, 1, collect, &s, &err), -1);
	assert_string_equal(err.msg,
			    "gate 'cable.pixel.f1=0.1': category cable has no pixel level");
	adt_gates_release(&g);

	assert_int_equal(adt_gates_parse("metal.image.f1=0.1", 1, 0, &g, &err), 0);
	assert_int_equal(adt_gates_check(&g, e, 3, 1, collect, &s, &err), -1);
	assert_string_equal(err.msg, "gate 'metal.image.f1=0.1': no category 'metal'");
	adt_gates_release(&g);

	s.n = 0;
	assert_int_equal(adt_gates_parse("image.f1=0.5,image.auroc=0.95", 0, 0, &g, &err), 0);
	assert_int_equal(adt_gates_check(&g, e, 1, 0, collect, &s, &err), 1);
	assert_string_equal(s.msg[0], "image.auroc is 0.9, under 0.95");
	adt_gates_release(&g);
}

/* Parses spec (--gate's with two_sided) and checks it against the n
 * entries e; returns what adt_gates_check returns. */
static int check(const char *spec, int batch, int two_sided, const struct adt_entry *e, size_t n,
		 struct seen *s, struct adt_error *err)
{
	struct adt_gates g = {NULL, 0, 0};
	int ret = adt_gates_parse(spec, batch, two_sided, &g, err);

	if (ret == 0)
		ret = adt_gates_check(&g, e, n, batch, collect, s, err);
	adt_gates_release(&g);
	return ret;
}

static void test_check_two_sided(void **state)
{
	struct adt_level_result a = {0};
	struct adt_entry e;
	struct adt_gates g = {NULL, 0, 0};
	struct adt_error err;
	struct seen s = {0};

	(void)state;
	memset(&e, 0, sizeof(e));
	e.level[0] = &a;
	a.fp = 5;
	a.tp = 7;
	a.recall = 0.875;
	a.precision = NAN;
	adt_error_init(&err);
	/* A bound equal to the value holds either way. */
	assert_int_equal(check("image.fp<=5,image.fp>=5,image.recall>=0.875,"
			       "image.recall<=0.875,image.tp<=7",
			       0, 1, &e, 1, &s, &err),
			 0);

	/* --gate's and --fail-under's in one list. */
	assert_int_equal(
	    adt_gates_parse("image.fp<=4,image.recall>=0.9,image.precision<=1", 0, 1, &g, &err), 0);
	assert_int_equal(adt_gates_parse("image.tp=8", 0, 0, &g, &err), 0);
	assert_int_equal(adt_gates_check(&g, &e, 1, 0, collect, &s, &err), 4);
	assert_string_equal(s.msg[0], "image.fp is 5, not <= 4");
	assert_string_equal(s.msg[1], "image.recall is 0.875, not >= 0.9");
	assert_string_equal(s.msg[2], "image.precision is undefined, so not <= 1");
	assert_string_equal(s.msg[3], "image.tp is 7, under 8");
	adt_gates_release(&g);
}

/* Adds n images of a level to the folder of id, tp and fp of them flagged. */
static void add(struct adt_defects *d, const char *id, int level, uint64_t n, uint64_t positives,
		uint64_t tp, uint64_t fp)
{
	struct adt_defect_counts c = {n, positives, tp, fp};
	struct adt_error err;

	adt_error_init(&err);
	assert_int_equal(adt_defects_add(d, id, level, &c, &err), 0);
}

static void test_check_defects(void **state)
{
	struct adt_level_result a = {0};
	struct adt_entry e[3];
	struct adt_error err;
	struct seen s = {0};

	(void)state;
	memset(e, 0, sizeof(e));
	e[0].name = "bottle";
	e[1].name = "carpet";
	e[2].name = "wood";
	e[2].error = "broken";
	for (int i = 0; i < 3; i++)
		e[i].level[0] = e[i].level[1] = &a;
	add(&e[0].out.defects, "test/crack/0.png", 0, 4, 4, 3, 0);
	add(&e[0].out.defects, "test/crack/0.png", 1, 100, 20, 15, 4);
	add(&e[0].out.defects, "test/good/0.png", 0, 5, 0, 0, 1);
	add(&e[1].out.defects, "test/hole/0.png", 0, 2, 2, 2, 0);
	add(&e[1].out.defects, "test/good/0.png", 0, 4, 0, 0, 0);
	add(&e[2].out.defects, "test/dent/0.png", 0, 2, 2, 2, 0);
	for (int i = 0; i < 3; i++)
		adt_defects_sort(&e[i].out.defects);
	adt_error_init(&err);

	/* Every field of a defect row, at its value. */
	assert_int_equal(check("bottle.defect.crack.pixel.n>=100,bottle.defect.crack.pixel.n<=100,"
			       "bottle.defect.crack.pixel.positives<=20,"
			       "bottle.defect.crack.pixel.negatives<=80,"
			       "bottle.defect.crack.pixel.tp>=15,bottle.defect.crack.pixel.fp<=4,"
			       "bottle.defect.crack.pixel.fn<=5,bottle.defect.crack.pixel.tn>=76,"
			       "bottle.defect.crack.pixel.recall>=0.75,"
			       "bottle.defect.crack.pixel.fpr<=0.05,"
			       "bottle.defect.crack.pixel.precision>=0.7894736842105263",
			       1, 1, e, 3, &s, &err),
			 0);

	/* *. bounds every category with the folder; undefined fails. */
	assert_int_equal(check("*.defect.good.image.fp<=0,*.defect.good.image.recall>=0,"
			       "carpet.defect.hole.image.recall>=1",
			       1, 1, e, 3, &s, &err),
			 3);
	assert_string_equal(s.msg[0], "bottle.defect.good.image.fp is 1, not <= 0");
	assert_string_equal(s.msg[1], "bottle.defect.good.image.recall is undefined, so not >= 0");
	assert_string_equal(s.msg[2], "carpet.defect.good.image.recall is undefined, so not >= 0");

	/* A folder no category in scope has names those there are; a
	 * failed category in scope may have had it, so then nothing is
	 * said. */
	assert_int_equal(check("*.defect.scratch.image.recall>=0.5", 1, 1, e, 3, &s, &err), 0);
	assert_int_equal(check("*.defect.scratch.image.recall>=0.5", 1, 1, e, 2, &s, &err), -1);
	assert_int_equal(err.code, ADT_EDATA);
	assert_string_equal(err.msg, "gate '*.defect.scratch.image.recall>=0.5': no defect folder "
				     "'scratch' (defects: crack, good, hole)");
	assert_int_equal(check("carpet.defect.crack.image.recall>=0.5", 1, 1, e, 3, &s, &err), -1);
	assert_string_equal(err.msg, "gate 'carpet.defect.crack.image.recall>=0.5': no defect "
				     "folder 'crack' (defects: good, hole)");

	/* A failed category is not checked, so its folder is no error. */
	s.n = 0;
	assert_int_equal(check("wood.defect.dent.image.recall>=0.5", 1, 1, e, 3, &s, &err), 0);

	/* A single run. */
	assert_int_equal(
	    check("defect.crack.image.recall>=0.8,defect.crack.image.fn<=1", 0, 1, e, 1, &s, &err),
	    1);
	assert_string_equal(s.msg[0], "defect.crack.image.recall is 0.75, not >= 0.8");
	for (int i = 0; i < 3; i++)
		adt_defects_release(&e[i].out.defects);
}

static void test_available(void **state)
{
	struct adt_job job;
	struct adt_gates g = {NULL, 0, 0};
	struct adt_error err;

	(void)state;
	memset(&job, 0, sizeof(job));
	adt_error_init(&err);
	assert_int_equal(adt_gates_parse("defect.crack.image.recall>=0.5", 0, 1, &g, &err), 0);
	assert_int_equal(adt_gate_available(&g.v[0], &job, &err), -1);
	assert_int_equal(err.code, ADT_EUSAGE);
	assert_string_equal(err.msg, "gate 'defect.crack.image.recall>=0.5' needs --per-defect");
	job.per_defect = 1;
	assert_int_equal(adt_gate_available(&g.v[0], &job, &err), 0);
	adt_gates_release(&g);
	assert_int_equal(adt_gates_parse("pixel.aupro>=0.5", 0, 1, &g, &err), 0);
	assert_int_equal(adt_gate_available(&g.v[0], &job, &err), -1);
	assert_string_equal(err.msg, "gate 'pixel.aupro>=0.5' needs --aupro");
	job.pixel.aupro_limit = 0.3;
	assert_int_equal(adt_gate_available(&g.v[0], &job, &err), 0);
	adt_gates_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_check_two_sided), cmocka_unit_test(test_check_defects),
	    cmocka_unit_test(test_available),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
