/* Unit tests of the table of result fields: the table itself, presence,
 * values, the lists of names and the batch means. */
#include "test_list.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adthresh/fields.h"
#include "adthresh/gate.h"

static void test_names_unique(void **state)
{
	(void)state;
	assert_true(adt_field_count > 0);
	assert_true(adt_field_count <= ADT_FIELDS_MAX);
	for (size_t i = 0; i < adt_field_count; i++) {
		assert_non_null(adt_fields[i].name);
		assert_true(adt_fields[i].name[0] != '\0');
		/* "categories" is the mean's own field. */
		assert_string_not_equal(adt_fields[i].name, "categories");
		for (size_t j = i + 1; j < adt_field_count; j++)
			assert_string_not_equal(adt_fields[i].name, adt_fields[j].name);
	}
}

static void test_table_kinds(void **state)
{
	(void)state;
	for (size_t i = 0; i < adt_field_count; i++) {
		const struct adt_field *f = &adt_fields[i];

		print_message("%s\n", f->name);
		/* A gate or a mean bounds or averages a number. */
		if (f->flags & (ADT_FIELD_GATE | ADT_FIELD_MEAN | ADT_FIELD_PARAM))
			assert_true(f->type == ADT_FIELD_COUNT || f->type == ADT_FIELD_REAL ||
				    f->type == ADT_FIELD_AUPIMO);
		/* A mean field is a gate field too (mean.LEVEL.FIELD). */
		if (f->flags & ADT_FIELD_MEAN)
			assert_true(f->flags & ADT_FIELD_GATE);
		/* Every field belongs to a level. */
		assert_true(f->flags & ADT_FIELD_BOTH);
		if (f->type == ADT_FIELD_TEXT)
			assert_non_null(f->fallback);
		/* A field's value lies inside the result. */
		if (f->type != ADT_FIELD_NORMALIZED)
			assert_true(f->offset < sizeof(struct adt_level_result));
	}
}

static const struct find_case {
	const char *name;
	const char *field; /* to look up */
	int found;
	enum adt_field_type type;
} finds[] = {
    {"find n", "n", 1, ADT_FIELD_COUNT},
    {"find threshold", "threshold", 1, ADT_FIELD_REAL},
    {"find rule", "rule", 1, ADT_FIELD_RULE},
    {"find policy", "policy", 1, ADT_FIELD_TEXT},
    {"find source", "source", 1, ADT_FIELD_STRING},
    {"find normalized", "normalized", 1, ADT_FIELD_NORMALIZED},
    {"find aupro", "aupro", 1, ADT_FIELD_REAL},
    {"find tn", "tn", 1, ADT_FIELD_COUNT},
    {"find unknown", "speed", 0, ADT_FIELD_COUNT},
    {"find empty", "", 0, ADT_FIELD_COUNT},
    {"find is case-sensitive", "AUROC", 0, ADT_FIELD_COUNT},
    {"find no prefix match", "aupro_", 0, ADT_FIELD_COUNT},
    {"find categories is the mean's", "categories", 0, ADT_FIELD_COUNT},
};

static void test_find(void **state)
{
	const struct find_case *c = *state;
	const struct adt_field *f = adt_field_find(c->field);

	if (!c->found) {
		assert_null(f);
		return;
	}
	assert_non_null(f);
	assert_string_equal(f->name, c->field);
	assert_int_equal(f->type, c->type);
	assert_true(f >= adt_fields && f < adt_fields + adt_field_count);
}

/* What a level's result says about the options. */
enum {
	OPT_NONE = 0,
	OPT_MAX_FPR = 1,
	OPT_AUPRO = 2,
	OPT_NORMALIZE = 4,
	OPT_SOURCE = 8,
	OPT_AUPIMO = 16
};

static const struct present_case {
	const char *name;
	const char *field;
	int level;
	unsigned opts;
	int present;
} presents[] = {
    {"n image", "n", 0, OPT_NONE, 1},
    {"n pixel", "n", 1, OPT_NONE, 1},
    {"policy pixel", "policy", 1, OPT_NONE, 1},
    {"pauroc without max_fpr", "pauroc", 0, OPT_NONE, 0},
    {"pauroc image with max_fpr", "pauroc", 0, OPT_MAX_FPR, 1},
    {"pauroc pixel with max_fpr", "pauroc", 1, OPT_MAX_FPR, 1},
    {"max_fpr without max_fpr", "max_fpr", 1, OPT_AUPRO, 0},
    {"max_fpr with max_fpr", "max_fpr", 0, OPT_MAX_FPR, 1},
    {"aupro pixel without aupro_limit", "aupro", 1, OPT_MAX_FPR, 0},
    {"aupro pixel with aupro_limit", "aupro", 1, OPT_AUPRO, 1},
    {"aupro image with aupro_limit", "aupro", 0, OPT_AUPRO, 0},
    {"aupro_limit pixel with aupro_limit", "aupro_limit", 1, OPT_AUPRO, 1},
    {"aupro_limit image with aupro_limit", "aupro_limit", 0, OPT_AUPRO, 0},
    {"normalized without normalize", "normalized", 0, OPT_NONE, 0},
    {"normalized image with normalize", "normalized", 0, OPT_NORMALIZE, 1},
    {"normalized pixel with normalize", "normalized", 1, OPT_NORMALIZE, 1},
    {"source image without source", "source", 0, OPT_NONE, 0},
    {"source image with source", "source", 0, OPT_SOURCE, 1},
    {"source pixel with source", "source", 1, OPT_SOURCE, 0},
    {"every option: pauroc", "pauroc", 1, OPT_MAX_FPR | OPT_AUPRO | OPT_NORMALIZE, 1},
    {"aupimo pixel without aupimo", "aupimo", 1, OPT_AUPRO, 0},
    {"aupimo pixel with aupimo", "aupimo", 1, OPT_AUPIMO, 1},
    {"aupimo image with aupimo", "aupimo", 0, OPT_AUPIMO, 0},
    {"aupimo_std pixel with aupimo", "aupimo_std", 1, OPT_AUPIMO, 1},
    {"aupimo_std pixel without aupimo", "aupimo_std", 1, OPT_NONE, 0},
};

static void test_present(void **state)
{
	const struct present_case *c = *state;
	const struct adt_field *f = adt_field_find(c->field);
	struct adt_level_result r;

	memset(&r, 0, sizeof(r));
	if (c->opts & OPT_MAX_FPR)
		r.max_fpr = 0.3;
	if (c->opts & OPT_AUPRO)
		r.aupro_limit = 0.3;
	if (c->opts & OPT_NORMALIZE)
		r.normalize = 1;
	if (c->opts & OPT_AUPIMO)
		r.aupimo_upper = 1e-4;
	if (c->opts & OPT_SOURCE)
		r.source = "scores.csv";
	assert_non_null(f);
	assert_int_equal(adt_field_present(f, &r, c->level), c->present);
}

static const struct adt_level_result filled = {.n = 10,
					       .positives = 4,
					       .negatives = 6,
					       .threshold = 0.625,
					       .rule = ADT_RULE_GT,
					       .tp = 3,
					       .fp = 1,
					       .fn = 1,
					       .tn = 5,
					       .f1 = 0.75,
					       .precision = 0.75,
					       .recall = 0.75,
					       .auroc = 0.875,
					       .ap = NAN,
					       .min = -1.5,
					       .max = 2.25,
					       .policy = "recall:0.95",
					       .max_fpr = 0.25,
					       .pauroc = 0.5,
					       .aupro_limit = 0.3,
					       .aupro = 0.125,
					       .aupimo = 0.375,
					       .aupimo_std = 0.25,
					       .source = "scores.csv"};

/* Counts above 2^53 stay exact through adt_field_uint. */
static const uint64_t big = ((uint64_t)1 << 60) + 1;

static const struct value_case {
	const char *name;
	const char *field;
	int empty_policy; /* r.policy "" */
	int rule_ge;	  /* r.rule ADT_RULE_GE */
	int big_n;	  /* r.n = big */
	int no_source;	  /* r.source NULL */
	double number;	  /* adt_field_number; NaN: NaN */
	uint64_t uint;	  /* adt_field_uint */
	const char *text; /* adt_field_text; NULL: NULL */
} values[] = {
    {"value n", "n", 0, 0, 0, 0, 10, 10, NULL},
    {"value positives", "positives", 0, 0, 0, 0, 4, 4, NULL},
    {"value negatives", "negatives", 0, 0, 0, 0, 6, 6, NULL},
    {"value tp", "tp", 0, 0, 0, 0, 3, 3, NULL},
    {"value fp", "fp", 0, 0, 0, 0, 1, 1, NULL},
    {"value fn", "fn", 0, 0, 0, 0, 1, 1, NULL},
    {"value tn", "tn", 0, 0, 0, 0, 5, 5, NULL},
    {"value big n", "n", 0, 0, 1, 0, 1152921504606846976.0, ((uint64_t)1 << 60) + 1, NULL},
    {"value threshold", "threshold", 0, 0, 0, 0, 0.625, 0, NULL},
    {"value f1", "f1", 0, 0, 0, 0, 0.75, 0, NULL},
    {"value auroc", "auroc", 0, 0, 0, 0, 0.875, 0, NULL},
    {"value ap undefined", "ap", 0, 0, 0, 0, NAN, 0, NULL},
    {"value min", "min", 0, 0, 0, 0, -1.5, 0, NULL},
    {"value max", "max", 0, 0, 0, 0, 2.25, 0, NULL},
    {"value max_fpr", "max_fpr", 0, 0, 0, 0, 0.25, 0, NULL},
    {"value pauroc", "pauroc", 0, 0, 0, 0, 0.5, 0, NULL},
    {"value aupro_limit", "aupro_limit", 0, 0, 0, 0, 0.3, 0, NULL},
    {"value aupro", "aupro", 0, 0, 0, 0, 0.125, 0, NULL},
    {"value aupimo", "aupimo", 0, 0, 0, 0, 0.375, 0, NULL},
    {"value aupimo_std", "aupimo_std", 0, 0, 0, 0, 0.25, 0, NULL},
    {"value rule >", "rule", 0, 0, 0, 0, NAN, 0, ">"},
    {"value rule >=", "rule", 0, 1, 0, 0, NAN, 0, ">="},
    {"value policy", "policy", 0, 0, 0, 0, NAN, 0, "recall:0.95"},
    {"value policy empty falls back to f1", "policy", 1, 0, 0, 0, NAN, 0, "f1"},
    {"value source", "source", 0, 0, 0, 0, NAN, 0, "scores.csv"},
    {"value source absent", "source", 0, 0, 0, 1, NAN, 0, NULL},
    {"value normalized", "normalized", 0, 0, 0, 0, NAN, 0, NULL},
};

static void test_value(void **state)
{
	const struct value_case *c = *state;
	const struct adt_field *f = adt_field_find(c->field);
	struct adt_level_result r = filled;
	double v;

	assert_non_null(f);
	if (c->empty_policy)
		r.policy[0] = '\0';
	if (c->rule_ge)
		r.rule = ADT_RULE_GE;
	if (c->big_n)
		r.n = big;
	if (c->no_source)
		r.source = NULL;
	v = adt_field_number(f, &r);
	if (isnan(c->number))
		assert_true(isnan(v));
	else
		assert_true(v == c->number);
	assert_true(adt_field_uint(f, &r) == c->uint);
	if (c->text)
		assert_string_equal(adt_field_text(f, &r), c->text);
	else
		assert_null(adt_field_text(f, &r));
}

static const struct names_case {
	const char *name;
	unsigned flags, without;
	int mean;
	size_t size; /* of the buffer; 0: large */
	const char *want;
} names[] = {
    {"names of image gates", ADT_FIELD_GATE | ADT_FIELD_IMAGE, 0, 0, 0,
     "n, positives, negatives, threshold, f1, precision, recall, tp, fp, fn, tn, fpr, auroc, ap, "
     "min, max, pauroc"},
    {"names of pixel gates", ADT_FIELD_GATE | ADT_FIELD_PIXEL, 0, 0, 0,
     "n, positives, negatives, threshold, f1, precision, recall, tp, fp, fn, tn, fpr, auroc, ap, "
     "min, max, pauroc, aupro, aupimo"},
    {"names of the image mean", ADT_FIELD_MEAN | ADT_FIELD_IMAGE, 0, 1, 0,
     "categories, f1, precision, recall, auroc, ap, pauroc"},
    {"names of the pixel mean", ADT_FIELD_MEAN | ADT_FIELD_PIXEL, 0, 1, 0,
     "categories, f1, precision, recall, auroc, ap, pauroc, aupro, aupimo"},
    {"names of CSV columns that are no gate", ADT_FIELD_CSV, ADT_FIELD_GATE, 0, 0,
     "rule, policy, max_fpr, aupro_limit, aupimo_std"},
    {"names of JSON-less fields", ADT_FIELD_NOJSON, 0, 0, 0, "aupimo_std"},
    {"names of the parameters", ADT_FIELD_PARAM, 0, 0, 0, "max_fpr, aupro_limit"},
    {"names of image gates without the mean's", ADT_FIELD_GATE | ADT_FIELD_IMAGE, ADT_FIELD_MEAN, 0,
     0, "n, positives, negatives, threshold, tp, fp, fn, tn, fpr, min, max"},
    {"names of no field", ADT_FIELD_PARAM | ADT_FIELD_MEAN, 0, 0, 0, ""},
    {"names of no field with the mean", ADT_FIELD_PARAM | ADT_FIELD_MEAN, 0, 1, 0, "categories"},
    {"names in a buffer just large enough", ADT_FIELD_PARAM, 0, 0, 21, "max_fpr, aupro_limit"},
    {"names cut one byte short", ADT_FIELD_PARAM, 0, 0, 20, "max_fpr, aupro_l..."},
    {"names cut early", ADT_FIELD_GATE | ADT_FIELD_IMAGE, 0, 0, 12, "n, posit..."},
    {"names cut in categories", ADT_FIELD_MEAN | ADT_FIELD_IMAGE, 0, 1, 8, "cate..."},
};

static void test_names(void **state)
{
	const struct names_case *c = *state;
	char buf[512];
	size_t size = c->size ? c->size : sizeof(buf);

	memset(buf, 'x', sizeof(buf));
	adt_field_names(buf, size, c->flags, c->without, c->mean);
	assert_string_equal(buf, c->want);
	/* Nothing written past the buffer given. */
	if (size < sizeof(buf))
		assert_int_equal(buf[size], 'x');
}

static size_t index_of(const char *name)
{
	const struct adt_field *f = adt_field_find(name);

	assert_non_null(f);
	return (size_t)(f - adt_fields);
}

/* Two image-level results to average. */
static void two_results(struct adt_level_result *a, struct adt_level_result *b)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	a->f1 = 0.5;
	a->precision = 0.25;
	a->recall = 1;
	a->auroc = 0.75;
	a->ap = 0.5;
	a->tp = 7;
	b->f1 = 1;
	b->precision = 0.75;
	b->recall = 0.5;
	b->auroc = 0.25;
	b->ap = 1;
	b->tp = 9;
}

static const struct mean_case {
	const char *name;
	int level;
	double max_fpr;	    /* of both */
	double aupro_limit; /* of both */
	int nan_auroc;	    /* a's auroc is NaN */
	const char *field;
	int has; /* m.has of the field */
	double want;
} means[] = {
    {"mean f1", 0, 0, 0, 0, "f1", 1, 0.75},
    {"mean precision", 0, 0, 0, 0, "precision", 1, 0.5},
    {"mean recall", 0, 0, 0, 0, "recall", 1, 0.75},
    {"mean auroc", 0, 0, 0, 0, "auroc", 1, 0.5},
    {"mean ap", 0, 0, 0, 0, "ap", 1, 0.75},
    {"mean auroc undefined in one", 0, 0, 0, 1, "auroc", 1, NAN},
    {"mean f1 with auroc undefined in one", 0, 0, 0, 1, "f1", 1, 0.75},
    {"mean pauroc without max_fpr", 0, 0, 0, 0, "pauroc", 0, NAN},
    {"mean pauroc with max_fpr", 0, 0.25, 0, 0, "pauroc", 1, 0.375},
    {"mean max_fpr repeated", 0, 0.25, 0, 0, "max_fpr", 1, 0.25},
    {"mean max_fpr without max_fpr", 0, 0, 0, 0, "max_fpr", 0, 0},
    {"mean aupro of the image level", 0, 0, 0.3, 0, "aupro", 0, NAN},
    {"mean aupro of the pixel level", 1, 0, 0.3, 0, "aupro", 1, 0.625},
    {"mean aupro_limit repeated", 1, 0, 0.3, 0, "aupro_limit", 1, 0.3},
    {"mean tp is not averaged", 0, 0, 0, 0, "tp", 0, 0},
};

static void test_mean(void **state)
{
	const struct mean_case *c = *state;
	struct adt_level_result a, b;
	struct adt_level_mean m;
	size_t i = index_of(c->field);

	two_results(&a, &b);
	a.max_fpr = b.max_fpr = c->max_fpr;
	a.pauroc = 0.5;
	b.pauroc = 0.25;
	a.aupro_limit = b.aupro_limit = c->aupro_limit;
	a.aupro = 0.5;
	b.aupro = 0.75;
	if (c->nan_auroc)
		a.auroc = NAN;
	adt_mean_init(&m);
	assert_int_equal(m.categories, 0);
	adt_mean_add(&m, &a, c->level);
	adt_mean_add(&m, &b, c->level);
	adt_mean_finish(&m);
	assert_int_equal(m.categories, 2);
	assert_int_equal(m.has[i], c->has);
	if (isnan(c->want))
		assert_true(isnan(m.v[i]));
	else
		assert_true(m.v[i] == c->want);
}

static void test_mean_field(void **state)
{
	struct adt_level_result a, b;
	struct adt_level_mean m;
	double v = -7;

	(void)state;
	two_results(&a, &b);
	adt_mean_init(&m);
	adt_mean_add(&m, &a, 0);
	adt_mean_add(&m, &b, 0);
	adt_mean_add(&m, &b, 0);
	adt_mean_finish(&m);
	assert_int_equal(adt_mean_field(&m, "categories", &v), 0);
	assert_true(v == 3);
	assert_int_equal(adt_mean_field(&m, "f1", &v), 0);
	assert_true(v == 2.5 / 3);
	assert_int_equal(adt_mean_field(&m, "precision", &v), 0);
	assert_true(v == 1.75 / 3);
	/* pauroc is a mean field, undefined when no category has it. */
	assert_int_equal(adt_mean_field(&m, "pauroc", &v), 0);
	assert_true(isnan(v));
	v = -7;
	assert_int_equal(adt_mean_field(&m, "tp", &v), -1);
	assert_int_equal(adt_mean_field(&m, "threshold", &v), -1);
	assert_int_equal(adt_mean_field(&m, "speed", &v), -1);
	assert_true(v == -7);
}

static void test_mean_empty(void **state)
{
	struct adt_level_mean m;
	double v = -7;

	(void)state;
	adt_mean_init(&m);
	adt_mean_finish(&m);
	assert_int_equal(m.categories, 0);
	assert_int_equal(adt_mean_field(&m, "categories", &v), 0);
	assert_true(v == 0);
	assert_int_equal(adt_mean_field(&m, "auroc", &v), 0);
	assert_true(isnan(v));
}

/* adt_entries_mean leaves out failed entries and entries without the level. */
static void test_entries_mean(void **state)
{
	struct adt_level_result a, b, c;
	struct adt_entry e[4];
	struct adt_level_mean m;
	char broken[] = "broken";
	double v;

	(void)state;
	two_results(&a, &b);
	c = b;
	c.f1 = 0;
	memset(e, 0, sizeof(e));
	e[0].level[0] = &a;
	e[1].level[0] = &c;
	e[1].error = broken;
	e[2].level[1] = &c; /* pixel only */
	e[3].level[0] = &b;
	e[3].level[1] = &c;
	adt_entries_mean(e, 4, 0, &m);
	assert_int_equal(m.categories, 2);
	assert_int_equal(adt_mean_field(&m, "f1", &v), 0);
	assert_true(v == 0.75);
	adt_entries_mean(e, 4, 1, &m);
	assert_int_equal(m.categories, 2);
	assert_int_equal(adt_mean_field(&m, "f1", &v), 0);
	assert_true(v == 0);
	adt_entries_mean(e, 0, 0, &m);
	assert_int_equal(m.categories, 0);
}

/* --columns lists: names in order, and each error. */
static void test_columns(void **state)
{
	static const struct {
		const char *list;
		const char *want; /* the names back, or the error's start */
		int fails;
	} cases[] = {
	    {"level,threshold,f1,aupro", "level threshold f1 aupro", 0},
	    {"category,level,source,fpr", "category level source fpr", 0},
	    {"aupro", "aupro", 0},
	    {"F1", "--columns: unknown column 'F1' (expected category, level, n,", 1},
	    {"normalized", "--columns: unknown column 'normalized'", 1},
	    {"level,", "--columns: empty column name in 'level,'", 1},
	    {"", "--columns: empty column name in ''", 1},
	    {"f1,level,f1", "--columns: 'f1' is listed twice", 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct adt_columns c;
		struct adt_error err;
		char got[256] = "";
		size_t len = 0;

		adt_error_init(&err);
		print_message("%s\n", cases[i].list);
		if (cases[i].fails) {
			assert_int_equal(adt_columns_parse(cases[i].list, &c, &err), -1);
			assert_int_equal(err.code, ADT_EUSAGE);
			assert_int_equal(strncmp(err.msg, cases[i].want, strlen(cases[i].want)), 0);
			continue;
		}
		assert_int_equal(adt_columns_parse(cases[i].list, &c, &err), 0);
		for (size_t k = 0; k < c.n; k++)
			len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", k ? " " : "",
						adt_column_name(c.v[k]));
		assert_string_equal(got, cases[i].want);
	}
	assert_string_equal(adt_field_option(adt_field_find("aupro")), "--aupro");
	assert_string_equal(adt_field_option(adt_field_find("pauroc")), "--max-fpr");
	assert_null(adt_field_option(adt_field_find("f1")));
}

int main(void)
{
	struct test_list l = {0};

	test_list_add(&l, "names are unique", test_names_unique);
	test_list_add(&l, "gate and mean fields are numbers", test_table_kinds);
	TEST_LIST_TABLE(&l, finds, test_find);
	TEST_LIST_TABLE(&l, presents, test_present);
	TEST_LIST_TABLE(&l, values, test_value);
	TEST_LIST_TABLE(&l, names, test_names);
	TEST_LIST_TABLE(&l, means, test_mean);
	test_list_add(&l, "mean field lookup", test_mean_field);
	test_list_add(&l, "mean of no category", test_mean_empty);
	test_list_add(&l, "mean of entries", test_entries_mean);
	test_list_add(&l, "column lists", test_columns);
	return test_list_run(&l, "fields");
}
