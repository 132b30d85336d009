/* Unit tests of the sweep: thresholds, counts and metrics on small tables,
 * and against a brute-force reference on random data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/curve.h"
#include "adthresh/moments.h"
#include "adthresh/eval.h"
#include "adthresh/metrics.h"

#define MAXN 8

struct case_ {
	const char *name;
	size_t npos, nneg;
	double pos[MAXN], neg[MAXN];
	enum adt_rule rule;
	/* expected */
	double t;
	uint64_t tp, fp;
	double f1, precision, recall, auroc, ap;
	int one_class;
};

#define U NAN /* undefined */

static const struct case_ cases[] = {
    {"all tied",
     2,
     2,
     {0.5, 0.5},
     {0.5, 0.5},
     ADT_RULE_GE,
     0.5,
     2,
     2,
     2.0 / 3,
     0.5,
     1,
     0.5,
     0.5,
     0},
    {"one of each", 1, 1, {0.9}, {0.1}, ADT_RULE_GE, 0.9, 1, 0, 1, 1, 1, 1, 1, 0},
    {"separable", 2, 2, {3, 4}, {1, 2}, ADT_RULE_GE, 3, 2, 0, 1, 1, 1, 1, 1, 0},
    {"reversed", 2, 2, {1, 2}, {3, 4}, ADT_RULE_GE, 1, 2, 2, 2.0 / 3, 0.5, 1, 0, 5.0 / 12, 0},
    {"equal across classes",
     2,
     2,
     {0.5, 0.7},
     {0.5, 0.2},
     ADT_RULE_GE,
     0.5,
     2,
     1,
     0.8,
     2.0 / 3,
     1,
     0.875,
     5.0 / 6,
     0},
    {"strict rule",
     2,
     2,
     {0.5, 0.7},
     {0.5, 0.2},
     ADT_RULE_GT,
     0.5,
     1,
     0,
     2.0 / 3,
     1,
     0.5,
     0.875,
     5.0 / 6,
     0},
    {"negative and huge",
     2,
     2,
     {1e300, -1e-300},
     {-1e300, 0},
     ADT_RULE_GE,
     -1e-300,
     2,
     1,
     0.8,
     2.0 / 3,
     1,
     0.75,
     0.5 + 0.5 * 2.0 / 3,
     0},
    {"one ulp apart",
     1,
     1,
     {1.0000000000000002},
     {1.0},
     ADT_RULE_GE,
     1.0000000000000002,
     1,
     0,
     1,
     1,
     1,
     1,
     1,
     0},
    {"minus zero is zero",
     1,
     1,
     {-0.0},
     {0.0},
     ADT_RULE_GE,
     0.0,
     1,
     1,
     2.0 / 3,
     0.5,
     1,
     0.5,
     0.5,
     0},
    {"tie goes to the lowest",
     2,
     2,
     {3, 1},
     {2, 2},
     ADT_RULE_GE,
     1,
     2,
     2,
     2.0 / 3,
     0.5,
     1,
     0.5,
     0.5 + 0.5 * 0.5,
     0},
    {"n = 1 anomalous", 1, 0, {7}, {0}, ADT_RULE_GE, 7, 1, 0, 1, 1, 1, U, 1, 1},
    {"n = 1 normal", 0, 1, {0}, {7}, ADT_RULE_GE, 7, 0, 1, 0, 0, U, U, U, 1},
    {"only normal, strict", 0, 3, {0}, {1, 2, 2}, ADT_RULE_GT, 2, 0, 0, U, U, U, U, U, 1},
    {"only anomalous", 3, 0, {1, 2, 3}, {0}, ADT_RULE_GE, 1, 3, 0, 1, 1, 1, U, 1, 1},
    {"only anomalous, strict",
     3,
     0,
     {1, 2, 3},
     {0},
     ADT_RULE_GT,
     1,
     2,
     0,
     0.8,
     1,
     2.0 / 3,
     U,
     1,
     1},
};

static void assert_real(const char *what, double got, double want)
{
	if (isnan(want) ? !isnan(got) : fabs(got - want) > 1e-15) {
		print_error("%s: got %.17g, want %.17g\n", what, got, want);
		fail();
	}
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct case_ *c = &cases[i];
		struct adt_sweep s;
		struct adt_level_result r;
		struct adt_error err;

		print_message("case: %s\n", c->name);
		adt_error_init(&err);
		adt_sweep_init(&s, c->npos, c->nneg);
		assert_int_equal(adt_curve_sweep_f64(c->pos, c->npos, c->neg, c->nneg, &s, &err),
				 0);
		adt_sweep_result(&s, c->rule, &r);
		assert_true(r.threshold == c->t);
		assert_false(signbit(r.threshold) && r.threshold == 0);
		assert_int_equal(r.tp, c->tp);
		assert_int_equal(r.fp, c->fp);
		assert_int_equal(r.fn, c->npos - c->tp);
		assert_int_equal(r.tn, c->nneg - c->fp);
		assert_int_equal(r.n, c->npos + c->nneg);
		assert_int_equal(r.rule, c->rule);
		assert_int_equal(r.one_class, c->one_class);
		assert_real("f1", r.f1, c->f1);
		assert_real("precision", r.precision, c->precision);
		assert_real("recall", r.recall, c->recall);
		assert_real("auroc", r.auroc, c->auroc);
		assert_real("ap", r.ap, c->ap);
	}
}

static void test_nan_refused(void **state)
{
	double pos[] = {0.3, NAN}, neg[] = {0.1};
	struct adt_sweep s;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	adt_sweep_init(&s, 2, 1);
	assert_int_equal(adt_curve_sweep_f64(pos, 2, neg, 1, &s, &err), -1);
	assert_int_equal(err.code, ADT_EDATA);
	assert_string_equal(err.msg, "score is NaN");
}

static void test_f32_in_own_precision(void **state)
{
	/* 0.1f and the double 0.1 differ: the threshold is the float's value. */
	float pos[] = {0.1f, 0.3f}, neg[] = {0.1f, 0.05f};
	struct adt_sweep s;
	struct adt_level_result r;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	adt_sweep_init(&s, 2, 2);
	assert_int_equal(adt_curve_sweep_f32(pos, 2, neg, 2, &s, &err), 0);
	adt_sweep_result(&s, ADT_RULE_GE, &r);
	assert_true(r.threshold == (double)0.1f);
	assert_int_equal(r.tp, 2);
	assert_int_equal(r.fp, 1);
	assert_int_equal(s.steps, 3);
}

static void test_eval_one_class_error(void **state)
{
	double score[] = {0.2, 0.4, 0.4};
	unsigned char label[] = {0, 0, 0};
	struct adt_samples smp = {score, label, NULL, NULL, 3, 3, 0};
	struct adt_eval_opts o = {.rule = ADT_RULE_GE};
	struct adt_level_result r;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	assert_int_equal(adt_eval_samples(&smp, "image", &o, &r, &err), -1);
	assert_string_equal(err.msg,
			    "image level has 0 anomalous and 3 normal samples; a threshold "
			    "needs both (--allow-one-class falls back as anomalib does)");
	o.allow_one_class = 1;
	assert_int_equal(adt_eval_samples(&smp, "image", &o, &r, &err), 0);
	assert_true(r.threshold == 0.4);
	assert_int_equal(r.fp, 2);
}

/* A brute-force reference: every distinct score by a scan, F1 in exact
 * rationals via cross-multiplication of small counts, AUROC by pairs. */
struct ref {
	double t, f1, auroc, ap;
	uint64_t tp, fp;
};

static void reference(const double *pos, size_t np, const double *neg, size_t nn, struct ref *out)
{
	double best_t = 0, ap = 0;
	uint64_t btp = 0, bfp = 0, pairs2 = 0;
	int have = 0;

	for (size_t i = 0; i < np; i++) {
		for (size_t j = 0; j < nn; j++)
			pairs2 += pos[i] > neg[j] ? 2 : pos[i] == neg[j] ? 1 : 0;
	}
	for (size_t k = 0; k < np + nn; k++) {
		double t = k < np ? pos[k] : neg[k - np];
		uint64_t tp = 0, fp = 0;

		for (size_t i = 0; i < np; i++)
			tp += pos[i] >= t;
		for (size_t j = 0; j < nn; j++)
			fp += neg[j] >= t;
		/* F1 = 2tp/(tp+fp+P): compare tp*(btp+bfp+P) with btp*(tp+fp+P); ties: lower t */
		if (!have || tp * (btp + bfp + np) > btp * (tp + fp + np) ||
		    (tp * (btp + bfp + np) == btp * (tp + fp + np) && t < best_t)) {
			best_t = t;
			btp = tp;
			bfp = fp;
			have = 1;
		}
	}
	/* AP: sum over distinct thresholds of (R_k - R_{k-1}) P_k. */
	for (size_t k = 0; k < np + nn; k++) {
		double t = k < np ? pos[k] : neg[k - np];
		uint64_t tp = 0, fp = 0, at = 0;
		int first = 1;

		for (size_t m = 0; m < k; m++)
			first &= (m < np ? pos[m] : neg[m - np]) != t;
		if (!first)
			continue;
		for (size_t i = 0; i < np; i++) {
			tp += pos[i] >= t;
			at += pos[i] == t;
		}
		for (size_t j = 0; j < nn; j++)
			fp += neg[j] >= t;
		ap += (double)at / (double)np * (double)tp / (double)(tp + fp);
	}
	out->t = best_t;
	out->tp = btp;
	out->fp = bfp;
	out->f1 = 2.0 * (double)btp / (double)(2 * btp + bfp + (np - btp));
	out->auroc = (double)pairs2 / (2.0 * (double)np * (double)nn);
	out->ap = ap;
}

/* A given threshold counts what a scan counts, under both rules. */
static void check_given(const double *pos, size_t np, const double *neg, size_t nn, double t)
{
	struct adt_sweep s;
	struct adt_level_result ge, gt;
	struct adt_error err;
	uint64_t tp = 0, fp = 0, tp_gt = 0, fp_gt = 0;

	for (size_t i = 0; i < np; i++) {
		tp += pos[i] >= t;
		tp_gt += pos[i] > t;
	}
	for (size_t j = 0; j < nn; j++) {
		fp += neg[j] >= t;
		fp_gt += neg[j] > t;
	}
	adt_error_init(&err);
	adt_sweep_init(&s, np, nn);
	adt_sweep_give(&s, t);
	assert_int_equal(adt_curve_sweep_f64(pos, np, neg, nn, &s, &err), 0);
	adt_sweep_result(&s, ADT_RULE_GE, &ge);
	adt_sweep_result(&s, ADT_RULE_GT, &gt);
	assert_true(ge.given && ge.threshold == t);
	assert_int_equal(ge.tp, tp);
	assert_int_equal(ge.fp, fp);
	assert_int_equal(gt.tp, tp_gt);
	assert_int_equal(gt.fp, fp_gt);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_against_reference(void **state)
{
	enum { ROUNDS = 300, MAX = 120 };
	double pos[MAX], neg[MAX];

	(void)state;
	for (int round = 0; round < ROUNDS; round++) {
		size_t np = 1 + next() % (MAX - 1), nn = 1 + next() % (MAX - 1);
		unsigned levels = 1 + (unsigned)(next() % 40); /* few levels: heavy ties */
		double scale = (round % 3 == 0) ? 1e6 : (round % 3 == 1) ? 1.0 : -1e-3;
		struct adt_sweep s;
		struct adt_level_result r;
		struct adt_error err;
		struct ref ref;

		for (size_t i = 0; i < np; i++)
			pos[i] = scale * (double)(next() % levels + next() % 3) / 7.0;
		for (size_t j = 0; j < nn; j++)
			neg[j] = scale * (double)(next() % levels) / 7.0;
		reference(pos, np, neg, nn, &ref);
		adt_error_init(&err);
		adt_sweep_init(&s, np, nn);
		assert_int_equal(adt_curve_sweep_f64(pos, np, neg, nn, &s, &err), 0);
		adt_sweep_result(&s, ADT_RULE_GE, &r);
		assert_true(r.threshold == ref.t);
		assert_int_equal(r.tp, ref.tp);
		assert_int_equal(r.fp, ref.fp);
		assert_real("f1", r.f1, ref.f1);
		assert_true(fabs(r.auroc - ref.auroc) < 1e-12);
		assert_true(fabs(r.ap - ref.ap) < 1e-12);
		check_given(pos, np, neg, nn, pos[0]);
		check_given(pos, np, neg, nn, neg[0] + 0.5);
	}
}

/* The threshold each policy picks, by a scan over the distinct scores
 * with exact integer comparisons; NAN when none meets the target. */
static double policy_reference(const double *pos, size_t np, const double *neg, size_t nn,
			       enum adt_policy_kind kind, uint64_t num, uint64_t den)
{
	double best = NAN;
	uint64_t btp = 0, bfp = 0;

	for (size_t k = 0; k < np + nn; k++) {
		double t = k < np ? pos[k] : neg[k - np];
		uint64_t tp = 0, fp = 0;
		int take = 0;

		for (size_t i = 0; i < np; i++)
			tp += pos[i] >= t;
		for (size_t j = 0; j < nn; j++)
			fp += neg[j] >= t;
		switch (kind) {
		case ADT_POLICY_RECALL: /* highest meeting it */
			take = tp * den >= num * np && (isnan(best) || t > best);
			break;
		case ADT_POLICY_FPR: /* lowest meeting it */
			take = fp * den <= num * nn && (isnan(best) || t < best);
			break;
		case ADT_POLICY_PRECISION:
			take =
			    tp + fp > 0 && tp * den >= num * (tp + fp) && (isnan(best) || t < best);
			break;
		case ADT_POLICY_YOUDEN: {
			/* tp/P - fp/N against the best, multiplied out; ties: lowest */
			int64_t a = (int64_t)(tp * nn) - (int64_t)(fp * np);
			int64_t b = (int64_t)(btp * nn) - (int64_t)(bfp * np);

			take = isnan(best) || a > b || (a == b && t < best);
			break;
		}
		case ADT_POLICY_CORNER: {
			/* fp^2 P^2 + fn^2 N^2 against the best; ties: lowest */
			uint64_t a = fp * fp * np * np + (np - tp) * (np - tp) * nn * nn;
			uint64_t b = bfp * bfp * np * np + (np - btp) * (np - btp) * nn * nn;

			take = isnan(best) || a < b || (a == b && t < best);
			break;
		}
		case ADT_POLICY_F1:
		case ADT_POLICY_SIGMA:
			break;
		}
		if (take) {
			best = t;
			btp = tp;
			bfp = fp;
		}
	}
	if (kind == ADT_POLICY_FPR && isnan(best)) {
		/* No score meets it: the next double above the highest. */
		double top = -INFINITY;

		for (size_t k = 0; k < np + nn; k++)
			top = fmax(top, k < np ? pos[k] : neg[k - np]);
		best = nextafter(top, INFINITY);
	}
	return best;
}

/* The partial area under the ROC curve up to FPR f, standardised as
 * McClish: a plain trapezoid over every distinct threshold, cut by
 * interpolation where the FPR passes f. */
static double pauroc_reference(const double *pos, size_t np, const double *neg, size_t nn, double f)
{
	double x0 = 0, y0 = 0, area = 0, lo = 0.5 * f * f;
	double ts[2 * 120];
	size_t nt = 0;

	for (size_t k = 0; k < np + nn; k++) {
		double t = k < np ? pos[k] : neg[k - np];
		size_t i = 0;

		while (i < nt && ts[i] != t)
			i++;
		if (i == nt)
			ts[nt++] = t;
	}
	/* descending */
	for (size_t i = 0; i < nt; i++) {
		for (size_t j = i + 1; j < nt; j++) {
			if (ts[j] > ts[i]) {
				double x = ts[i];

				ts[i] = ts[j];
				ts[j] = x;
			}
		}
	}
	for (size_t i = 0; i < nt && x0 < f; i++) {
		double tp = 0, fp = 0, x, y;

		for (size_t a = 0; a < np; a++)
			tp += pos[a] >= ts[i];
		for (size_t b = 0; b < nn; b++)
			fp += neg[b] >= ts[i];
		x = fp / (double)nn;
		y = tp / (double)np;
		if (x > f) {
			y = y0 + (y - y0) * (f - x0) / (x - x0);
			x = f;
		}
		area += (x - x0) * (y + y0) / 2;
		x0 = x;
		y0 = y;
	}
	return 0.5 * (1 + (area - lo) / (f - lo));
}

static void test_policies(void **state)
{
	static const char *const names[] = {"recall:0.9", "fpr:0.1", "precision:0.8", "youden",
					    "recall:1",	  "fpr:0",   "precision:1",   "corner"};
	double pos[120], neg[120];

	(void)state;
	for (int round = 0; round < 200; round++) {
		size_t np = 1 + next() % 119, nn = 1 + next() % 119;
		unsigned levels = 1 + (unsigned)(next() % 30);

		for (size_t i = 0; i < np; i++)
			pos[i] = (double)(next() % levels + next() % 4) / 8.0;
		for (size_t j = 0; j < nn; j++)
			neg[j] = (double)(next() % levels) / 8.0;
		for (size_t p = 0; p < sizeof(names) / sizeof(*names); p++) {
			struct adt_policy pol;
			struct adt_sweep s;
			struct adt_level_result r;
			struct adt_error err;
			double want;

			adt_error_init(&err);
			assert_int_equal(adt_policy_parse(names[p], &pol, &err), 0);
			want = policy_reference(pos, np, neg, nn, pol.kind, pol.num, pol.den);
			adt_sweep_init(&s, np, nn);
			adt_sweep_set_policy(&s, &pol);
			adt_sweep_set_max_fpr(&s, 0.25);
			assert_int_equal(adt_curve_sweep_f64(pos, np, neg, nn, &s, &err), 0);
			adt_sweep_result(&s, ADT_RULE_GE, &r);
			assert_string_equal(r.policy, names[p]);
			if (isnan(want)) {
				assert_true(r.unmet);
			} else {
				assert_false(r.unmet);
				assert_true(r.threshold == want);
				/* Above every score: nothing flagged. */
				assert_true(!r.above || (r.tp == 0 && r.fp == 0));
			}
			assert_real("pauroc", r.pauroc, pauroc_reference(pos, np, neg, nn, 0.25));
		}
	}
}

static void test_policy_parse(void **state)
{
	struct adt_policy p;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	assert_int_equal(adt_policy_parse("recall:0.95", &p, &err), 0);
	assert_int_equal(p.kind, ADT_POLICY_RECALL);
	assert_int_equal(p.num, 95);
	assert_int_equal(p.den, 100);
	assert_int_equal(adt_policy_parse("fpr:1", &p, &err), 0);
	assert_int_equal(p.num, 1);
	assert_int_equal(p.den, 1);
	assert_int_equal(adt_policy_parse("recall:1.5", &p, &err), -1);
	assert_string_equal(
	    err.msg, "invalid policy 'recall:1.5': the target must be a decimal from 0 to 1");
	assert_int_equal(adt_policy_parse("recall:", &p, &err), -1);
	assert_int_equal(adt_policy_parse("recall:-0.1", &p, &err), -1);
	assert_int_equal(adt_policy_parse("f2", &p, &err), -1);
	assert_string_equal(err.msg, "invalid policy 'f2' (expected f1, youden, corner, recall:R, "
				     "fpr:F, precision:P or sigma:K)");
	assert_int_equal(adt_policy_parse("corner", &p, &err), 0);
	assert_int_equal(p.kind, ADT_POLICY_CORNER);
	assert_string_equal(p.name, "corner");
	assert_int_equal(adt_policy_parse("sigma:2.5", &p, &err), 0);
	assert_int_equal(p.kind, ADT_POLICY_SIGMA);
	assert_true(p.k == 2.5);
	assert_string_equal(p.name, "sigma:2.5");
	assert_false(adt_policy_needs_anomalies(&p));
	assert_int_equal(adt_policy_parse("sigma:0", &p, &err), 0);
	assert_true(p.k == 0);
	assert_int_equal(adt_policy_parse("sigma:.5", &p, &err), 0);
	assert_true(p.k == 0.5);
	static const char *const bad[] = {"sigma:", "sigma:-1", "sigma:1e3", "sigma:inf",
					  "sigma:nan", "sigma: 1", "sigma:3x",
					  "sigma:0.00000000000000000000000000001"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char want[200];

		assert_int_equal(adt_policy_parse(bad[i], &p, &err), -1);
		assert_int_equal(err.code, ADT_EUSAGE);
		snprintf(want, sizeof(want),
			 "invalid policy '%s': K must be a decimal of at least 0, such as 3 or 2.5",
			 bad[i]);
		assert_string_equal(err.msg, want);
	}
	assert_int_equal(adt_policy_parse("fpr:0.1", &p, &err), 0);
	assert_false(adt_policy_needs_anomalies(&p));
	assert_int_equal(adt_policy_parse("youden", &p, &err), 0);
	assert_true(adt_policy_needs_anomalies(&p));
}

/* The mean and standard deviation of values 1e8 + k / 1024 (exact
 * doubles), against the exact ones from integer sums: a spread a
 * billionth of the mean, where one pass of sums of squares loses every
 * digit. */
static void test_mean_std(void **state)
{
	enum { N = 100000 };
	__extension__ typedef __int128 i128;
	double *x = malloc(N * sizeof(*x)), mean, std;
	i128 sum = 0, sum2 = 0;
	uint64_t r = 12345;

	(void)state;
	assert_non_null(x);
	for (size_t i = 0; i < N; i++) {
		int64_t a = (int64_t)100000000 * 1024;

		r = r * 6364136223846793005u + 1442695040888963407u;
		a += (int64_t)(r >> 40) % 5000;
		x[i] = (double)a / 1024;
		sum += a;
		sum2 += (i128)a * a;
	}
	adt_mean_std(x, N, &mean, &std);
	{
		long double m = (long double)sum / N / 1024;
		/* N^2 var = N sum2 - sum^2, exactly in 128 bits. */
		i128 v = (i128)N * sum2 - sum * sum;
		long double sd = sqrtl((long double)v) / N / 1024;

		assert_true(fabsl(mean - m) <= 1e-15L * m);
		assert_true(fabsl(std - sd) <= 1e-12L * sd);
	}
	adt_mean_std((const double[]){4, 4, 4}, 3, &mean, &std);
	assert_true(mean == 4 && std == 0);
	free(x);
}

/* A list of policies keeps one of each: targets compare as fractions. */
static void test_policy_list(void **state)
{
	static const char *const names[] = {"f1",	  "youden",	 "corner",    "f1",
					    "recall:0.9", "recall:0.90", "fpr:0.9",   "precision:1",
					    "fpr:0.1",	  "recall:1",	 "recall:0.5"};
	struct adt_policy_list l;
	struct adt_policy p;
	struct adt_error err;

	(void)state;
	memset(&l, 0, sizeof(l));
	adt_error_init(&err);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(adt_policy_parse(names[i], &p, &err), 0);
		assert_int_equal(adt_policy_list_add(&l, &p), 0);
	}
	assert_int_equal(l.n, ADT_COMPARE_MAX);
	assert_string_equal(l.v[3].name, "recall:0.9");
	assert_string_equal(l.v[4].name, "fpr:0.9");
	assert_string_equal(l.v[7].name, "recall:1");
	assert_int_equal(adt_policy_parse(names[10], &p, &err), 0);
	assert_int_equal(adt_policy_list_add(&l, &p), -1);
	assert_int_equal(l.n, ADT_COMPARE_MAX);
}

/* corner: the lowest of equally close points wins; under > the counts
 * are those above it. */
static void test_corner_ties(void **state)
{
	/* P = N = 2: t 3 gives (FPR, 1 - TPR) (0, 1/2), t 1 gives (1/2, 0),
	 * both at distance^2 1/4; t 2 and t 0 are further. */
	const double pos[] = {3, 1}, neg[] = {2, 0};
	struct adt_policy p;
	struct adt_sweep s;
	struct adt_level_result ge, gt;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	assert_int_equal(adt_policy_parse("corner", &p, &err), 0);
	adt_sweep_init(&s, 2, 2);
	adt_sweep_set_policy(&s, &p);
	assert_int_equal(adt_curve_sweep_f64(pos, 2, neg, 2, &s, &err), 0);
	adt_sweep_result(&s, ADT_RULE_GE, &ge);
	adt_sweep_result(&s, ADT_RULE_GT, &gt);
	assert_true(ge.threshold == 1);
	assert_string_equal(ge.policy, "corner");
	assert_int_equal(ge.tp, 2);
	assert_int_equal(ge.fp, 1);
	assert_int_equal(gt.tp, 1);
	assert_int_equal(gt.fp, 1);
}

/* corner compares exactly where doubles cannot: with P = N = 2^41 the
 * point at t 3 is closer than the one at t 2 by 1 / (N P)^2 of a unit,
 * which FPR^2 + (1 - TPR)^2 in double rounds away (a tie there, which
 * would pick the lower t).  The counts are fed to the sweep directly,
 * whole and split in two parts merged, and compared policies agree. */
static void test_corner_exact(void **state)
{
	const uint64_t M = UINT64_C(1) << 41, fn1 = UINT64_C(1) << 39;
	const uint64_t fp1 = (UINT64_C(1) << 40) - 2, tp1 = M - fn1;
	volatile double d1, d2; /* no extended precision */
	struct adt_policy p;
	struct adt_sweep s, upper, lower;
	struct adt_compare c;
	struct adt_level_result r, rm;
	struct adt_error err;

	(void)state;
	d1 = ((double)fp1 / (double)M) * ((double)fp1 / (double)M) +
	     ((double)fn1 / (double)M) * ((double)fn1 / (double)M);
	d2 = ((double)(fp1 + 1) / (double)M) * ((double)(fp1 + 1) / (double)M) +
	     ((double)(fn1 - 2) / (double)M) * ((double)(fn1 - 2) / (double)M);
	assert_true(d1 == d2);
	adt_error_init(&err);
	assert_int_equal(adt_policy_parse("corner", &p, &err), 0);
	memset(&c, 0, sizeof(c));
	c.policy = p;
	adt_sweep_init(&s, M, M);
	adt_sweep_set_policy(&s, &p);
	adt_sweep_compare(&s, &c);
	adt_sweep_step(&s, 3, tp1, fp1);
	adt_sweep_step(&s, 2, 2, 1);
	adt_sweep_step(&s, 1, M - tp1 - 2, M - fp1 - 1);
	adt_sweep_result(&s, ADT_RULE_GE, &r);
	assert_true(r.threshold == 3);
	assert_int_equal(r.tp, tp1);
	assert_int_equal(r.fp, fp1);
	assert_int_equal(r.npolicies, 1);
	assert_true(r.policies[0].defined && r.policies[0].threshold == 3);
	/* The same split after t 3: the lower part's t 2 must not win. */
	adt_sweep_init(&upper, M, M);
	adt_sweep_set_policy(&upper, &p);
	adt_sweep_compare(&upper, &c);
	adt_sweep_step(&upper, 3, tp1, fp1);
	adt_sweep_init_at(&lower, M, M, tp1, fp1);
	adt_sweep_set_policy(&lower, &p);
	adt_sweep_compare(&lower, &c);
	adt_sweep_step(&lower, 2, 2, 1);
	adt_sweep_step(&lower, 1, M - tp1 - 2, M - fp1 - 1);
	adt_sweep_merge(&upper, &lower);
	adt_sweep_result(&upper, ADT_RULE_GE, &rm);
	assert_true(rm.threshold == 3 && rm.policies[0].threshold == 3);
	/* One unit the other way: t 2 is closer, and chosen. */
	adt_sweep_init(&s, M, M);
	adt_sweep_set_policy(&s, &p);
	adt_sweep_step(&s, 3, tp1, fp1 - 1);
	adt_sweep_step(&s, 2, 2, 1);
	adt_sweep_step(&s, 1, M - tp1 - 2, M - fp1);
	adt_sweep_result(&s, ADT_RULE_GE, &r);
	assert_true(r.threshold == 2);
}

/* Compared policies get, from one sweep, the threshold and counts that
 * each gives as the main policy, under both rules; a fixed threshold
 * gets the counts of a given one. */
static void test_compare(void **state)
{
	static const char *const names[] = {"f1",      "youden",	"corner",      "recall:0.9",
					    "fpr:0.1", "precision:0.8", "precision:1", "fpr:0"};
	enum { NAMES = sizeof(names) / sizeof(*names) };
	double pos[120], neg[120];

	(void)state;
	for (int round = 0; round < 200; round++) {
		size_t np = 1 + next() % 119, nn = 1 + next() % 119;
		unsigned levels = 1 + (unsigned)(next() % 30);
		struct adt_sweep_opts o;
		struct adt_sweep s;
		struct adt_level_result r[2];
		struct adt_error err;

		for (size_t i = 0; i < np; i++)
			pos[i] = (double)(next() % levels + next() % 4) / 8.0;
		for (size_t j = 0; j < nn; j++)
			neg[j] = (double)(next() % levels) / 8.0;
		adt_error_init(&err);
		memset(&o, 0, sizeof(o));
		adt_policy_default(&o.policy);
		for (size_t p = 0; p < NAMES - 1; p++)
			assert_int_equal(adt_policy_parse(names[p], &o.compare[p].policy, &err), 0);
		/* The last one fixed at a score or between two. */
		o.compare[NAMES - 1].fixed = 1;
		o.compare[NAMES - 1].at = neg[0] + (round % 2 ? 0.0625 : 0);
		o.ncompare = NAMES;
		adt_sweep_init(&s, np, nn);
		adt_sweep_configure(&s, &o);
		assert_int_equal(adt_curve_sweep_f64(pos, np, neg, nn, &s, &err), 0);
		adt_sweep_result(&s, ADT_RULE_GE, &r[0]);
		adt_sweep_result(&s, ADT_RULE_GT, &r[1]);
		for (size_t p = 0; p < NAMES; p++) {
			struct adt_sweep one;
			struct adt_level_result want[2];

			adt_sweep_init(&one, np, nn);
			if (p < NAMES - 1)
				adt_sweep_set_policy(&one, &o.compare[p].policy);
			else
				adt_sweep_give(&one, o.compare[p].at);
			assert_int_equal(adt_curve_sweep_f64(pos, np, neg, nn, &one, &err), 0);
			adt_sweep_result(&one, ADT_RULE_GE, &want[0]);
			adt_sweep_result(&one, ADT_RULE_GT, &want[1]);
			for (int rule = 0; rule < 2; rule++) {
				const struct adt_policy_result *got = &r[rule].policies[p];

				assert_int_equal(r[rule].npolicies, NAMES);
				assert_int_equal(got->defined, !want[rule].unmet);
				if (want[rule].unmet)
					continue;
				assert_true(got->threshold == want[rule].threshold);
				assert_int_equal(got->tp, want[rule].tp);
				assert_int_equal(got->fp, want[rule].fp);
				assert_int_equal(got->fn, want[rule].fn);
				assert_int_equal(got->tn, want[rule].tn);
				assert_real("f1", got->f1, want[rule].f1);
				assert_real("precision", got->precision, want[rule].precision);
				assert_real("recall", got->recall, want[rule].recall);
				assert_real("fpr", got->fpr, (double)got->fp / (double)nn);
			}
		}
	}
}

/* On one class only, the policies that need both are undefined; fpr
 * needs only normal samples. */
static void test_compare_one_class(void **state)
{
	static const char *const names[] = {"f1",	  "youden",	   "corner",
					    "recall:0.5", "precision:0.5", "fpr:0.5"};
	const double neg[] = {1, 2, 3, 4};
	struct adt_sweep s;
	struct adt_level_result r;
	struct adt_compare c;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	memset(&c, 0, sizeof(c));
	adt_sweep_init(&s, 0, 4);
	for (size_t p = 0; p < 6; p++) {
		assert_int_equal(adt_policy_parse(names[p], &c.policy, &err), 0);
		adt_sweep_compare(&s, &c);
	}
	assert_int_equal(adt_curve_sweep_f64(NULL, 0, neg, 4, &s, &err), 0);
	adt_sweep_result(&s, ADT_RULE_GE, &r);
	assert_int_equal(r.npolicies, 6);
	for (size_t p = 0; p < 5; p++) {
		assert_string_equal(r.policies[p].name, names[p]);
		assert_false(r.policies[p].defined);
		assert_true(isnan(r.policies[p].threshold) && isnan(r.policies[p].fpr));
	}
	assert_true(r.policies[5].defined);
	assert_true(r.policies[5].threshold == 3);
	assert_int_equal(r.policies[5].fp, 2);
	assert_int_equal(r.policies[5].tn, 2);
	assert_true(r.policies[5].fpr == 0.5);
	assert_true(isnan(r.policies[5].recall));
}

/* Recorded points: every distinct score with ADT_RECORD_ALL; with
 * ADT_RECORD_PLOT a subset that keeps the last point, whose neighbours
 * differ by at least 1e-5 in one coordinate, and whose every dropped
 * point lies within 1e-5 of the point kept before it. */
static void test_recorded_points(void **state)
{
	enum { NP = 2000, NN = 1000000 };
	double *pos = malloc(NP * sizeof(*pos)), *neg = malloc(NN * sizeof(*neg));
	struct adt_sweep all, plot;
	struct adt_sweep_opts o;
	struct adt_points a = {0}, p = {0};
	struct adt_error err;
	size_t k = 0;

	(void)state;
	adt_error_init(&err);
	for (size_t i = 0; i < NP; i++)
		pos[i] = (double)(next() % 100000) / 1000 + 20;
	for (size_t i = 0; i < NN; i++)
		neg[i] = (double)(next() >> 11) / 9007199254740992.0 * 100;
	memset(&o, 0, sizeof(o));
	adt_policy_default(&o.policy);
	o.record = ADT_RECORD_ALL;
	adt_sweep_init(&all, NP, NN);
	adt_sweep_configure(&all, &o);
	assert_int_equal(adt_curve_sweep_f64(pos, NP, neg, NN, &all, &err), 0);
	o.record = ADT_RECORD_PLOT;
	adt_sweep_init(&plot, NP, NN);
	adt_sweep_configure(&plot, &o);
	assert_int_equal(adt_curve_sweep_f64(pos, NP, neg, NN, &plot, &err), 0);
	assert_int_equal(adt_sweep_take_points(&all, &a), 0);
	assert_int_equal(adt_sweep_take_points(&plot, &p), 0);
	assert_int_equal(a.n, all.steps);
	assert_true(p.n < a.n / 4 && p.n > 2);
	assert_true(p.p[p.n - 1].tp == NP && p.p[p.n - 1].fp == NN);
	for (size_t i = 0; i < a.n; i++) {
		const struct adt_point *x = &a.p[i], *kept;
		double d[3];

		if (i > 0)
			assert_true(x->t < a.p[i - 1].t && x->tp >= a.p[i - 1].tp);
		if (k < p.n && p.p[k].t == x->t) {
			assert_true(p.p[k].tp == x->tp && p.p[k].fp == x->fp);
			k++;
			continue;
		}
		assert_true(k > 0);
		kept = &p.p[k - 1];
		d[0] = fabs((double)x->fp / NN - (double)kept->fp / NN);
		d[1] = fabs((double)x->tp / NP - (double)kept->tp / NP);
		d[2] = fabs((double)x->tp / (double)(x->tp + x->fp) -
			    (double)kept->tp / (double)(kept->tp + kept->fp));
		assert_true(d[0] < 1e-5 && d[1] < 1e-5 && d[2] < 1e-5);
	}
	assert_int_equal(k, p.n);
	adt_points_release(&a);
	adt_points_release(&p);
	adt_sweep_release(&all);
	adt_sweep_release(&plot);
	free(pos);
	free(neg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_policies),
	    cmocka_unit_test(test_policy_parse),
	    cmocka_unit_test(test_mean_std),
	    cmocka_unit_test(test_policy_list),
	    cmocka_unit_test(test_corner_ties),
	    cmocka_unit_test(test_corner_exact),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_compare_one_class),
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_nan_refused),
	    cmocka_unit_test(test_f32_in_own_precision),
	    cmocka_unit_test(test_eval_one_class_error),
	    cmocka_unit_test(test_against_reference),
	    cmocka_unit_test(test_recorded_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
