/* The sweep over distinct scores and the metrics it yields (see metrics.h). */
#include "adthresh/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/moments.h"

/* Products of two 64-bit counts need 128 bits to compare exactly. */
__extension__ typedef unsigned __int128 u128;

void adt_sweep_init(struct adt_sweep *s, uint64_t P, uint64_t N)
{
	memset(s, 0, sizeof(*s));
	s->P = P;
	s->N = N;
	adt_policy_default(&s->policy);
}

void adt_policy_default(struct adt_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = ADT_POLICY_F1;
	snprintf(p->name, sizeof(p->name), "f1");
}

/* A decimal in [0, 1] as an exact fraction num / 10^k. */
static int parse_fraction(const char *s, uint64_t *num, uint64_t *den)
{
	uint64_t n = 0, d = 1;
	int digits = 0, point = 0;

	for (; *s; s++) {
		if (*s == '.' && !point) {
			point = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || digits >= 19 ||
		    (point && d >= UINT64_C(1000000000000000000)))
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
		if (point)
			d *= 10;
		digits++;
	}
	if (digits == 0 || n > d)
		return -1;
	*num = n;
	*den = d;
	return 0;
}

/* A plain decimal >= 0 ("3", "2.5", ".5"; no sign, exponent or spaces) of
 * at most 30 characters, as the nearest double. */
static int parse_decimal(const char *s, double *k)
{
	size_t digits = strspn(s, "0123456789"), frac = 0, len = strlen(s);

	if (s[digits] == '.')
		frac = strspn(s + digits + 1, "0123456789");
	if (digits + frac == 0 || len > 30 || len != digits + (s[digits] == '.') + frac)
		return -1;
	*k = strtod(s, NULL);
	return 0;
}

int adt_policy_parse(const char *text, struct adt_policy *p, struct adt_error *err)
{
	static const struct {
		const char *prefix;
		enum adt_policy_kind kind;
	} targets[] = {{"recall:", ADT_POLICY_RECALL},
		       {"fpr:", ADT_POLICY_FPR},
		       {"precision:", ADT_POLICY_PRECISION}};

	adt_policy_default(p);
	if (strcmp(text, "f1") == 0)
		return 0;
	if (strcmp(text, "youden") == 0 || strcmp(text, "corner") == 0) {
		p->kind = text[0] == 'y' ? ADT_POLICY_YOUDEN : ADT_POLICY_CORNER;
		snprintf(p->name, sizeof(p->name), "%s", text);
		return 0;
	}
	for (size_t i = 0; i < sizeof(targets) / sizeof(*targets); i++) {
		size_t len = strlen(targets[i].prefix);

		if (strncmp(text, targets[i].prefix, len) != 0)
			continue;
		if (parse_fraction(text + len, &p->num, &p->den))
			return adt_error_set(err, ADT_EUSAGE,
					     "invalid policy '%s': the target must be a decimal "
					     "from 0 to 1",
					     text);
		p->kind = targets[i].kind;
		snprintf(p->name, sizeof(p->name), "%.39s", text);
		return 0;
	}
	if (strncmp(text, "sigma:", 6) == 0) {
		if (parse_decimal(text + 6, &p->k))
			return adt_error_set(err, ADT_EUSAGE,
					     "invalid policy '%s': K must be a decimal of at least "
					     "0, such as 3 or 2.5",
					     text);
		p->kind = ADT_POLICY_SIGMA;
		snprintf(p->name, sizeof(p->name), "%.39s", text);
		return 0;
	}
	return adt_error_set(err, ADT_EUSAGE,
			     "invalid policy '%s' (expected f1, youden, corner, recall:R, fpr:F, "
			     "precision:P or sigma:K)",
			     text);
}

int adt_policy_needs_anomalies(const struct adt_policy *p)
{
	return p->kind != ADT_POLICY_FPR && p->kind != ADT_POLICY_SIGMA;
}

int adt_policy_list_add(struct adt_policy_list *l, const struct adt_policy *p)
{
	/* n may already say that the list overflowed (more than the most). */
	for (size_t i = 0; i < l->n && i < ADT_COMPARE_MAX; i++) {
		const struct adt_policy *q = &l->v[i];

		/* Targets are fractions: 9/10 and 90/100 are the same. */
		if (q->kind == p->kind && (u128)q->num * p->den == (u128)p->num * q->den &&
		    q->k == p->k)
			return 0;
	}
	if (l->n >= ADT_COMPARE_MAX)
		return -1;
	l->v[l->n++] = *p;
	return 0;
}

/* Neumaier's compensated sum (moments.h) on a sum kept as two doubles:
 * AP adds up to one term per distinct score. */
static void add_compensated(double *sum, double *comp, double x)
{
	struct adt_sum a = {*sum, *comp};

	adt_sum_add(&a, x);
	*sum = a.s;
	*comp = a.c;
}

void adt_sweep_configure(struct adt_sweep *s, const struct adt_sweep_opts *o)
{
	if (!o)
		return;
	adt_sweep_set_policy(s, &o->policy);
	adt_sweep_set_max_fpr(s, o->max_fpr);
	for (size_t i = 0; i < o->ncompare; i++)
		adt_sweep_compare(s, &o->compare[i]);
	if (o->has_given)
		adt_sweep_give(s, o->given);
	s->record = o->record;
	s->points.limit = o->record_memory;
	if (o->aupro_limit > 0 && o->region_size) {
		s->aupro_limit = o->aupro_limit;
		s->region_size = o->region_size;
		s->regions = o->regions;
		/* A part of a parallel sweep starts below tp positives: its PRO
		 * starts at theirs. */
		for (uint64_t k = 0; k < s->tp; k++)
			add_compensated(&s->pro_sum, &s->pro_comp, 1.0 / s->region_size[k]);
	}
	if (o->aupimo.upper > 0 && o->aupimo.image_of) {
		size_t k = o->aupimo.images ? (size_t)o->aupimo.images : 1;

		s->aupimo = o->aupimo;
		s->aupimo_full = calloc(k, sizeof(*s->aupimo_full));
		s->aupimo_band = calloc(k, sizeof(*s->aupimo_band));
		s->aupimo_comp = calloc(k, sizeof(*s->aupimo_comp));
		s->aupimo_failed = !s->aupimo_full || !s->aupimo_band || !s->aupimo_comp;
	}
}

static void aupimo_free(struct adt_sweep *s)
{
	free(s->aupimo_full);
	free(s->aupimo_band);
	free(s->aupimo_comp);
	s->aupimo_full = NULL;
	s->aupimo_band = s->aupimo_comp = NULL;
}

void adt_sweep_release(struct adt_sweep *s)
{
	adt_points_release(&s->points);
	aupimo_free(s);
}

int adt_sweep_take_points(struct adt_sweep *s, struct adt_points *pts)
{
	int failed = s->points.failed;

	adt_points_release(pts);
	/* A thinned curve still ends at its last point. */
	if (!failed && s->record == ADT_RECORD_PLOT && s->steps > 0 &&
	    (s->points.n == 0 || s->points.p[s->points.n - 1].tp != s->tp ||
	     s->points.p[s->points.n - 1].fp != s->fp)) {
		adt_points_push(&s->points, s->last, s->tp, s->fp);
		failed = s->points.failed;
	}
	*pts = s->points;
	memset(&s->points, 0, sizeof(s->points));
	return failed ? -1 : 0;
}

void adt_sweep_set_policy(struct adt_sweep *s, const struct adt_policy *p)
{
	s->policy = *p;
}

void adt_sweep_compare(struct adt_sweep *s, const struct adt_compare *c)
{
	if (s->ncompare == ADT_COMPARE_MAX)
		return;
	s->compare[s->ncompare++].c = *c;
	s->compare_every |=
	    c->fixed || c->policy.kind == ADT_POLICY_FPR || c->policy.kind == ADT_POLICY_PRECISION;
}

void adt_sweep_set_max_fpr(struct adt_sweep *s, double max_fpr)
{
	s->max_fpr = max_fpr;
}

void adt_sweep_give(struct adt_sweep *s, double t)
{
	s->has_given = 1;
	s->given = t == 0 ? 0.0 : t;
}

void adt_sweep_init_at(struct adt_sweep *s, uint64_t P, uint64_t N, uint64_t tp0, uint64_t fp0)
{
	adt_sweep_init(s, P, N);
	s->tp = tp0;
	s->fp = fp0;
}

/* Whether F1 at (tp, fp) is at least F1 at (btp, bfp).  F1 = 2 tp / (tp +
 * fp + P) with the same P on both sides, so cross-multiply the counts. */
static int f1_at_least(uint64_t tp, uint64_t fp, uint64_t btp, uint64_t bfp, uint64_t P)
{
	u128 lhs, rhs;

	/* Counts below 2^31 keep every product within 64 bits (the common
	 * case, and the pixel level's hot path). */
	if ((tp | fp | btp | bfp | P) < (UINT64_C(1) << 31))
		return tp * (btp + bfp + P) >= btp * (tp + fp + P);
	lhs = (u128)tp * ((u128)btp + bfp + P);
	rhs = (u128)btp * ((u128)tp + fp + P);
	return lhs >= rhs;
}

/* Whether TPR - FPR at (tp, fp) is at least that at (btp, bfp): tp/P -
 * fp/N >= btp/P - bfp/N, multiplied out by P * N. */
static int youden_at_least(uint64_t tp, uint64_t fp, uint64_t btp, uint64_t bfp, uint64_t P,
			   uint64_t N)
{
	return (u128)tp * N + (u128)bfp * P >= (u128)btp * N + (u128)fp * P;
}

/* A 256-bit unsigned integer: hi * 2^128 + lo. */
struct u256 {
	u128 hi, lo;
};

/* x^2 in 256 bits, from 64-bit halves: x = a 2^64 + b, x^2 = a^2 2^128 +
 * 2ab 2^64 + b^2. */
static struct u256 square(u128 x)
{
	uint64_t a = (uint64_t)(x >> 64), b = (uint64_t)x;
	u128 ab = (u128)a * b, mid_lo = ab << 65, lo = (u128)b * b;
	struct u256 r = {(u128)a * a + (ab >> 63), lo + mid_lo};

	r.hi += r.lo < lo;
	return r;
}

/* fp^2 P^2 + fn^2 N^2: the squared distance of (fp / N, tp / P) from the
 * corner (0, 1), times N^2 P^2 (see metrics.h for the bound). */
static struct u256 corner_distance(uint64_t tp, uint64_t fp, uint64_t P, uint64_t N)
{
	u128 x = (u128)fp * P, y = (u128)(P - tp) * N;
	struct u256 a, b;

	/* Both products below 2^63 (N P below 2^63, the common case): the
	 * sum of squares fits 128 bits. */
	if (((x | y) >> 63) == 0)
		return (struct u256){0, x * x + y * y};
	a = square(x);
	b = square(y);
	a.lo += b.lo;
	a.hi += b.hi + (a.lo < b.lo);
	return a;
}

/* Whether the corner distance at (tp, fp) is at most that at (btp, bfp). */
static int corner_at_most(uint64_t tp, uint64_t fp, uint64_t btp, uint64_t bfp, uint64_t P,
			  uint64_t N)
{
	struct u256 a = corner_distance(tp, fp, P, N), b = corner_distance(btp, bfp, P, N);

	return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo);
}

/* Whether the counts meet the target of policy p (policies with one). */
static int meets_policy(const struct adt_policy *p, uint64_t P, uint64_t N, uint64_t tp,
			uint64_t fp)
{
	switch (p->kind) {
	case ADT_POLICY_RECALL:
		return (u128)tp * p->den >= (u128)p->num * P;
	case ADT_POLICY_FPR:
		return (u128)fp * p->den <= (u128)p->num * N;
	case ADT_POLICY_PRECISION:
		return tp + fp > 0 && (u128)tp * p->den >= (u128)p->num * (tp + fp);
	case ADT_POLICY_F1:
	case ADT_POLICY_YOUDEN:
	case ADT_POLICY_SIGMA:
	case ADT_POLICY_CORNER:
		break;
	}
	return 1;
}

/* Whether the step at (tp, fp), pos of whose samples are positives,
 * replaces the choice so far of policy p (found: there is one, at (btp,
 * bfp)); steps come from the highest threshold down. */
static int prefer(const struct adt_policy *p, uint64_t P, uint64_t N, int found, uint64_t btp,
		  uint64_t bfp, uint64_t pos, uint64_t tp, uint64_t fp)
{
	switch (p->kind) {
	case ADT_POLICY_F1:
		/* A step without positives cannot raise F1 (more false positives,
		 * the same true ones), nor tie it unless F1 is 0 throughout, where
		 * the one-class fallback decides anyway.  Ties: the lowest. */
		return !found || (pos > 0 && f1_at_least(tp, fp, btp, bfp, P));
	case ADT_POLICY_YOUDEN:
		/* Nor TPR - FPR, nor the distance to the ROC's top-left corner:
		 * a step without positives only moves away from it. */
		return !found || (pos > 0 && youden_at_least(tp, fp, btp, bfp, P, N));
	case ADT_POLICY_CORNER:
		return !found || (pos > 0 && corner_at_most(tp, fp, btp, bfp, P, N));
	case ADT_POLICY_RECALL:
		return !found && meets_policy(p, P, N, tp, fp); /* the first is the highest */
	case ADT_POLICY_FPR:
	case ADT_POLICY_PRECISION:
		return meets_policy(p, P, N, tp, fp); /* the last is the lowest */
	case ADT_POLICY_SIGMA:
		break; /* counted at its threshold, fixed before the sweep */
	}
	return 0;
}

static int better(const struct adt_sweep *s, uint64_t pos, uint64_t tp, uint64_t fp)
{
	return prefer(&s->policy, s->P, s->N, s->best_found, s->best_tp, s->best_fp, pos, tp, fp);
}

/* Updates a compared policy's choice after a step at t from (prev_tp,
 * prev_fp) to the sweep's counts.  A fixed threshold is counted as a
 * given one: the last step at or above it gives score >= at, and score >
 * at is that step's counts when it lies above, else the counts before. */
static void choice_step(const struct adt_sweep *s, struct adt_choice *c, double t, uint64_t pos,
			uint64_t prev_tp, uint64_t prev_fp)
{
	if (c->c.fixed) {
		if (!(t >= c->c.at))
			return;
		c->found = 1;
		c->t = c->c.at;
		c->tp = s->tp;
		c->fp = s->fp;
		c->prev_tp = t > c->c.at ? s->tp : prev_tp;
		c->prev_fp = t > c->c.at ? s->fp : prev_fp;
		return;
	}
	if (!prefer(&c->c.policy, s->P, s->N, c->found, c->tp, c->fp, pos, s->tp, s->fp))
		return;
	c->found = 1;
	c->t = t;
	c->tp = s->tp;
	c->fp = s->fp;
	c->prev_tp = prev_tp;
	c->prev_fp = prev_fp;
}

/* AU-PRO after a step from (prev_tp, prev_fp): PRO rises by 1 / size for
 * each new positive (over the region count, applied at the end), and the
 * trapezoid under the segment is added while the FPR is within the limit;
 * the segment that crosses it is cut there, its PRO interpolated linearly
 * (the MVTec AD evaluation's rule).  FPRs are compared as the doubles
 * fp / N, as that evaluation compares them. */
static void aupro_step(struct adt_sweep *s, uint64_t prev_tp, uint64_t prev_fp)
{
	double before = s->pro_sum + s->pro_comp, after, f0, f1;
	long double lim = s->aupro_limit;

	for (uint64_t k = prev_tp; k < s->tp; k++)
		add_compensated(&s->pro_sum, &s->pro_comp, 1.0 / s->region_size[k]);
	if (s->fp == prev_fp || s->N == 0)
		return;
	after = s->pro_sum + s->pro_comp;
	f0 = (double)prev_fp / (double)s->N;
	f1 = (double)s->fp / (double)s->N;
	if (f0 >= s->aupro_limit)
		return;
	if (f1 <= s->aupro_limit) {
		s->aupro_area += (long double)(s->fp - prev_fp) / (long double)s->N *
				 ((long double)before + after) / 2;
	} else {
		long double w = lim - f0;
		long double y = before + ((long double)after - before) * w / ((long double)f1 - f0);

		s->aupro_area += w * ((long double)before + y) / 2;
	}
}

/* The shared FPR of the scores above t (*above) and at or above t (*at),
 * moving along the table (t only decreases). */
static void shared_fpr_at(struct adt_sweep *s, double t, double *above, double *at)
{
	const struct adt_aupimo *a = &s->aupimo;
	size_t k = s->shared_at;

	while (k < a->shared_n && a->score[k] > t)
		k++;
	*above = k ? a->shared_fpr[k - 1] : 0;
	if (k < a->shared_n && a->score[k] == t)
		k++;
	*at = k ? a->shared_fpr[k - 1] : 0;
	s->shared_at = k;
}

/* AUPIMO after a step at t that added the positives [prev_tp, tp): each
 * adds h(t) to its image's sum (see struct adt_aupimo). */
static void aupimo_step(struct adt_sweep *s, double t, uint64_t prev_tp)
{
	const struct adt_aupimo *a = &s->aupimo;
	double above, at, lnl, lnu, xp, xn, cn, lo, hi, h;

	shared_fpr_at(s, t, &above, &at);
	if (above >= a->upper) {
		/* Below the band from here on: nothing more to add. */
		s->aupimo_done = 1;
		return;
	}
	if (at <= a->lower) {
		for (uint64_t k = prev_tp; k < s->tp; k++)
			s->aupimo_full[a->image_of[k]]++;
		return;
	}
	lnl = log(a->lower);
	lnu = log(a->upper);
	xn = log(at);
	cn = xn < lnl ? lnl : xn > lnu ? lnu : xn;
	h = lnu - cn;
	if (above > 0) {
		/* The slanted part: TPR rises linearly from x_prev to x_new. */
		xp = log(above);
		lo = xp > lnl ? xp : lnl;
		hi = xn < lnu ? xn : lnu;
		if (hi > lo)
			h += (hi - lo) * ((lo + hi) / 2 - xp) / (xn - xp);
	}
	h /= lnu - lnl;
	for (uint64_t k = prev_tp; k < s->tp; k++) {
		uint32_t i = a->image_of[k];

		add_compensated(&s->aupimo_band[i], &s->aupimo_comp[i], h);
	}
}

/* Keeps the point at t (see enum adt_record). */
static void record_point(struct adt_sweep *s, double t)
{
	if (s->record == ADT_RECORD_PLOT) {
		/* FPR, recall and precision: the coordinates of both curves. */
		double at[3] = {s->N ? (double)s->fp / (double)s->N : 0,
				s->P ? (double)s->tp / (double)s->P : 0,
				(double)s->tp / (double)(s->tp + s->fp)};

		if (s->points.n > 0 && fabs(at[0] - s->kept[0]) < 1e-5 &&
		    fabs(at[1] - s->kept[1]) < 1e-5 && fabs(at[2] - s->kept[2]) < 1e-5)
			return;
		memcpy(s->kept, at, sizeof(at));
	}
	adt_points_push(&s->points, t, s->tp, s->fp);
}

void adt_sweep_step(struct adt_sweep *s, double t, uint64_t pos, uint64_t neg)
{
	uint64_t prev_tp = s->tp, prev_fp = s->fp;
	u128 auc, area;

	s->tp += pos;
	s->fp += neg;
	if (s->steps == 0) {
		s->first = t;
		s->first_tp = s->tp;
		s->first_fp = s->fp;
	}
	s->last = t;
	s->last_prev_tp = prev_tp;
	s->last_prev_fp = prev_fp;
	if (s->has_given && t >= s->given) {
		s->given_seen = 1;
		s->given_tp = s->tp;
		s->given_fp = s->fp;
		if (t > s->given) {
			s->given_gt_seen = 1;
			s->given_gt_tp = s->tp;
			s->given_gt_fp = s->fp;
		}
	}

	/* Trapezoid from (prev_fp, prev_tp) to (fp, tp), doubled; in 64 bits
	 * with a carry when the factors are small enough, as they nearly
	 * always are. */
	if (neg > 0 && (neg | s->tp) < (UINT64_C(1) << 31)) {
		uint64_t a = neg * (prev_tp + s->tp);

		s->auc_lo += a;
		s->auc_hi += s->auc_lo < a;
	} else if (neg > 0) {
		area = (u128)neg * ((u128)prev_tp + s->tp);
		auc = ((u128)s->auc_hi << 64 | s->auc_lo) + area;
		s->auc_hi = (uint64_t)(auc >> 64);
		s->auc_lo = (uint64_t)auc;
	}

	if (pos > 0)
		add_compensated(&s->ap_sum, &s->ap_comp,
				(double)pos / (double)s->P *
				    ((double)s->tp / (double)(s->tp + s->fp)));

	/* The partial area up to max_fpr, the last segment cut where the FPR
	 * reaches it (linear interpolation, as scikit-learn does). */
	if (s->max_fpr > 0 && neg > 0 && s->N > 0) {
		long double limit = (long double)s->max_fpr * (long double)s->N;

		if ((long double)s->fp <= limit) {
			s->pauc += (long double)neg * ((long double)prev_tp + s->tp) / 2;
		} else if ((long double)prev_fp < limit) {
			long double w = limit - prev_fp;
			long double tp_at = prev_tp + (long double)pos * w / (long double)neg;

			s->pauc += w * ((long double)prev_tp + tp_at) / 2;
		}
	}

	if (s->aupro_limit > 0)
		aupro_step(s, prev_tp, prev_fp);
	if (pos > 0 && s->aupimo_full && !s->aupimo_done)
		aupimo_step(s, t, prev_tp);
	if (s->record)
		record_point(s, t);

	if (better(s, pos, s->tp, s->fp)) {
		s->best_found = 1;
		s->best_t = t;
		s->best_tp = s->tp;
		s->best_fp = s->fp;
		s->best_prev_tp = prev_tp;
		s->best_prev_fp = prev_fp;
	}
	/* After the first step, a step without positives changes only the
	 * choices of fpr, precision and fixed thresholds; most steps of a
	 * pixel level are such steps. */
	for (size_t i = 0; (pos > 0 || s->steps == 0 || s->compare_every) && i < s->ncompare; i++)
		choice_step(s, &s->compare[i], t, pos, prev_tp, prev_fp);
	s->steps++;
}

/* Whether the choice of policy p in the lower part of a sweep, at (ltp,
 * lfp), replaces that of the upper part (found: there is one, at (tp,
 * fp)). */
static int prefer_lower(const struct adt_policy *p, uint64_t P, uint64_t N, int found, uint64_t tp,
			uint64_t fp, uint64_t ltp, uint64_t lfp)
{
	if (!found)
		return 1;
	switch (p->kind) {
	case ADT_POLICY_F1:
		return f1_at_least(ltp, lfp, tp, fp, P);
	case ADT_POLICY_YOUDEN:
		return youden_at_least(ltp, lfp, tp, fp, P, N);
	case ADT_POLICY_CORNER:
		return corner_at_most(ltp, lfp, tp, fp, P, N);
	case ADT_POLICY_RECALL:
		return 0; /* the upper part holds the highest threshold meeting it */
	case ADT_POLICY_FPR:
	case ADT_POLICY_PRECISION:
		return 1; /* the lower part holds a lower one */
	case ADT_POLICY_SIGMA:
		break;
	}
	return 0;
}

static int take_lower(const struct adt_sweep *s, const struct adt_sweep *lower)
{
	return lower->best_found && prefer_lower(&s->policy, s->P, s->N, s->best_found, s->best_tp,
						 s->best_fp, lower->best_tp, lower->best_fp);
}

void adt_sweep_merge(struct adt_sweep *s, struct adt_sweep *lower)
{
	u128 auc;

	if (lower->steps == 0) {
		adt_points_release(&lower->points);
		s->aupimo_failed |= lower->aupimo_failed;
		aupimo_free(lower);
		return;
	}
	if (s->steps == 0) {
		adt_points_release(&s->points);
		lower->aupimo_failed |= s->aupimo_failed;
		aupimo_free(s);
		*s = *lower;
		memset(&lower->points, 0, sizeof(lower->points));
		lower->aupimo_full = NULL;
		lower->aupimo_band = lower->aupimo_comp = NULL;
		return;
	}
	s->tp = lower->tp;
	s->fp = lower->fp;
	s->last = lower->last;
	s->last_prev_tp = lower->last_prev_tp;
	s->last_prev_fp = lower->last_prev_fp;
	/* The lower part has the lower thresholds: it wins ties. */
	if (take_lower(s, lower)) {
		s->best_found = 1;
		s->best_t = lower->best_t;
		s->best_tp = lower->best_tp;
		s->best_fp = lower->best_fp;
		s->best_prev_tp = lower->best_prev_tp;
		s->best_prev_fp = lower->best_prev_fp;
	}
	auc = ((u128)s->auc_hi << 64 | s->auc_lo) + ((u128)lower->auc_hi << 64 | lower->auc_lo);
	s->auc_hi = (uint64_t)(auc >> 64);
	s->auc_lo = (uint64_t)auc;
	add_compensated(&s->ap_sum, &s->ap_comp, lower->ap_sum);
	s->ap_comp += lower->ap_comp;
	s->pauc += lower->pauc;
	/* The lower part started from the PRO above it: its sum is the total. */
	s->pro_sum = lower->pro_sum;
	s->pro_comp = lower->pro_comp;
	s->aupro_area += lower->aupro_area;
	/* Each image's sum is over its pixels: the parts' sums add up. */
	s->aupimo_failed |= lower->aupimo_failed;
	for (uint64_t i = 0; s->aupimo_full && lower->aupimo_full && i < s->aupimo.images; i++) {
		s->aupimo_full[i] += lower->aupimo_full[i];
		add_compensated(&s->aupimo_band[i], &s->aupimo_comp[i], lower->aupimo_band[i]);
		s->aupimo_comp[i] += lower->aupimo_comp[i];
	}
	aupimo_free(lower);
	adt_points_append(&s->points, &lower->points);
	s->steps += lower->steps;
	for (size_t i = 0; i < s->ncompare && i < lower->ncompare; i++) {
		struct adt_choice *c = &s->compare[i];
		const struct adt_choice *l = &lower->compare[i];

		/* A fixed threshold's counts come from the lowest step at or
		 * above it, as a given one's. */
		if (l->found && (c->c.fixed || prefer_lower(&c->c.policy, s->P, s->N, c->found,
							    c->tp, c->fp, l->tp, l->fp)))
			*c = *l;
	}
	if (lower->given_seen) {
		s->given_seen = 1;
		s->given_tp = lower->given_tp;
		s->given_fp = lower->given_fp;
	}
	if (lower->given_gt_seen) {
		s->given_gt_seen = 1;
		s->given_gt_tp = lower->given_gt_tp;
		s->given_gt_fp = lower->given_gt_fp;
	}
}

static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : NAN;
}

double adt_f1(uint64_t tp, uint64_t fp, uint64_t fn)
{
	u128 den = (u128)2 * tp + fp + fn;

	return den ? (double)(2 * (u128)tp) / (double)den : NAN;
}

double adt_precision(uint64_t tp, uint64_t fp)
{
	return ratio(tp, tp + fp);
}

double adt_recall(uint64_t tp, uint64_t fn)
{
	return ratio(tp, tp + fn);
}

/* Whether policy p can choose on a level of P positives and N negatives:
 * fpr needs normal samples, the others both classes. */
static int applies(const struct adt_policy *p, uint64_t P, uint64_t N)
{
	return N > 0 && (P > 0 || !adt_policy_needs_anomalies(p));
}

/* Where fpr:F lands when no score meets it: the next value above the
 * highest score, in the scores' precision; it flags nothing. */
static double above_all(const struct adt_sweep *s)
{
	return s->single ? (double)nextafterf((float)s->first, INFINITY)
			 : nextafter(s->first, INFINITY);
}

/* A compared policy's threshold and its counts under rule. */
static void choice_result(const struct adt_sweep *s, const struct adt_choice *c, enum adt_rule rule,
			  struct adt_policy_result *pr)
{
	memset(pr, 0, sizeof(*pr));
	snprintf(pr->name, sizeof(pr->name), "%s", c->c.policy.name);
	pr->threshold = pr->precision = pr->recall = pr->f1 = pr->fpr = NAN;
	if (!c->c.fixed && !c->found && c->c.policy.kind == ADT_POLICY_FPR && s->N > 0 &&
	    isfinite(above_all(s))) {
		pr->defined = 1;
		pr->threshold = above_all(s);
		pr->fn = s->P;
		pr->tn = s->N;
		pr->recall = adt_recall(0, s->P);
		pr->f1 = s->P ? 0 : NAN;
		pr->fpr = 0;
		return;
	}
	if (c->c.fixed ? isnan(c->c.at) : !c->found || !applies(&c->c.policy, s->P, s->N))
		return;
	pr->defined = 1;
	/* A fixed threshold above every score flags nothing. */
	pr->threshold = c->c.fixed ? c->c.at : c->t;
	pr->tp = rule == ADT_RULE_GT ? c->prev_tp : c->tp;
	pr->fp = rule == ADT_RULE_GT ? c->prev_fp : c->fp;
	pr->fn = s->P - pr->tp;
	pr->tn = s->N - pr->fp;
	pr->precision = adt_precision(pr->tp, pr->fp);
	pr->recall = adt_recall(pr->tp, pr->fn);
	pr->f1 = adt_f1(pr->tp, pr->fp, pr->fn);
	pr->fpr = ratio(pr->fp, s->N);
	if (s->P == 0) /* as the main result of a level without anomalies */
		pr->precision = pr->f1 = NAN;
}

/* Image i's AUPIMO: in units of the band, the pixels that cover it all
 * and the shares of the others, over the image's anomalous pixels. */
static double aupimo_of(const struct adt_sweep *s, uint64_t i)
{
	if (!s->aupimo_full || s->aupimo_failed || s->aupimo.shared_n == 0)
		return NAN;
	return ((double)s->aupimo_full[i] + (s->aupimo_band[i] + s->aupimo_comp[i])) /
	       (double)s->aupimo.positives[i];
}

void adt_sweep_aupimo(const struct adt_sweep *s, double *out)
{
	for (uint64_t i = 0; i < s->aupimo.images; i++)
		out[i] = aupimo_of(s, i);
}

/* The mean and population std of the images' AUPIMO, in two passes. */
static void aupimo_moments(const struct adt_sweep *s, double *mean, double *std)
{
	double sum = 0, comp = 0, m, v;
	uint64_t n = s->aupimo.images;

	for (uint64_t i = 0; i < n; i++)
		add_compensated(&sum, &comp, aupimo_of(s, i));
	m = (sum + comp) / (double)n;
	sum = comp = 0;
	for (uint64_t i = 0; i < n; i++) {
		v = aupimo_of(s, i) - m;
		add_compensated(&sum, &comp, v * v);
	}
	*mean = m;
	*std = sqrt((sum + comp) / (double)n);
}

void adt_sweep_result(const struct adt_sweep *s, enum adt_rule rule, struct adt_level_result *r)
{
	uint64_t tp, fp, prev_tp, prev_fp;
	long double auc;

	memset(r, 0, sizeof(*r));
	r->n = s->P + s->N;
	r->positives = s->P;
	r->negatives = s->N;
	r->rule = rule;
	r->max = s->first;
	r->min = s->last;
	r->single = s->single;
	if (s->has_given) {
		/* Counted on the way; before any score at or above it, nothing. */
		r->threshold = s->given;
		tp = s->given_seen ? s->given_tp : 0;
		fp = s->given_seen ? s->given_fp : 0;
		prev_tp = s->given_gt_seen ? s->given_gt_tp : 0;
		prev_fp = s->given_gt_seen ? s->given_gt_fp : 0;
		r->given = 1;
	} else if (s->P == 0 && adt_policy_needs_anomalies(&s->policy)) {
		/* anomalib >= 2.3: no anomalous sample, flag nothing but the top. */
		r->threshold = s->first;
		tp = s->first_tp;
		fp = s->first_fp;
		prev_tp = prev_fp = 0;
		r->one_class = 1;
	} else if (s->N == 0) {
		/* No normal sample: flag everything. */
		r->threshold = s->last;
		tp = s->tp;
		fp = s->fp;
		prev_tp = s->last_prev_tp;
		prev_fp = s->last_prev_fp;
		r->one_class = 1;
	} else if (!s->best_found && s->policy.kind == ADT_POLICY_FPR) {
		/* Even the highest score flags too many normal samples: the next
		 * value above it flags none. */
		r->threshold = above_all(s);
		tp = fp = prev_tp = prev_fp = 0;
		r->above = 1;
	} else if (!s->best_found) {
		/* No threshold meets the target: report the counts of none. */
		r->threshold = NAN;
		tp = fp = prev_tp = prev_fp = 0;
		r->unmet = 1;
	} else {
		r->threshold = s->best_t;
		tp = s->best_tp;
		fp = s->best_fp;
		prev_tp = s->best_prev_tp;
		prev_fp = s->best_prev_fp;
	}
	snprintf(r->policy, sizeof(r->policy), "%s", r->given ? "given" : s->policy.name);
	if (rule == ADT_RULE_GT) {
		/* score > t holds exactly for the scores above t: the previous step. */
		tp = prev_tp;
		fp = prev_fp;
	}
	r->tp = tp;
	r->fp = fp;
	r->fn = s->P - tp;
	r->tn = s->N - fp;
	r->f1 = adt_f1(r->tp, r->fp, r->fn);
	r->precision = adt_precision(r->tp, r->fp);
	r->recall = adt_recall(r->tp, r->fn);
	r->fpr = ratio(r->fp, s->N);
	if (s->P == 0 && !r->one_class) {
		/* Without anomalies only the normal side is defined. */
		r->normal_only = 1;
		r->f1 = r->precision = NAN;
	}
	if (s->P > 0 && s->N > 0) {
		auc = (long double)s->auc_hi * 18446744073709551616.0L + (long double)s->auc_lo;
		r->auroc = (double)(auc / (2.0L * (long double)s->P * (long double)s->N));
	} else {
		r->auroc = NAN;
	}
	r->ap = s->P > 0 ? s->ap_sum + s->ap_comp : NAN;
	r->max_fpr = s->max_fpr;
	r->pauroc = NAN;
	if (s->max_fpr > 0 && s->P > 0 && s->N > 0) {
		/* McClish's standardisation, as scikit-learn: 0.5 for a chance
		 * curve, 1 for a perfect one. */
		long double partial = s->pauc / ((long double)s->P * (long double)s->N);
		long double lo = 0.5L * s->max_fpr * s->max_fpr, hi = s->max_fpr;

		r->pauroc = (double)(0.5L * (1 + (partial - lo) / (hi - lo)));
	}
	r->aupimo_lower = s->aupimo.lower;
	r->aupimo_upper = s->aupimo.upper;
	r->aupimo_images = s->aupimo.images;
	r->aupimo = r->aupimo_std = NAN;
	if (s->aupimo.upper > 0 && s->aupimo.images > 0 && s->aupimo.shared_n > 0 &&
	    s->aupimo_full && !s->aupimo_failed)
		aupimo_moments(s, &r->aupimo, &r->aupimo_std);
	r->aupro_limit = s->aupro_limit;
	r->aupro = NAN;
	if (s->aupro_limit > 0 && s->regions > 0 && s->N > 0)
		r->aupro =
		    (double)(s->aupro_area / (long double)s->regions / (long double)s->aupro_limit);
	for (size_t i = 0; i < s->ncompare; i++)
		choice_result(s, &s->compare[i], rule, &r->policies[i]);
	r->npolicies = s->ncompare;
}

double adt_normalize_minmax(double x, double t, double min, double max)
{
	double d = x - t, range = max - min, v;

	if (!(max > min))
		return NAN;
	if (isinf(d) || isinf(range)) {
		/* A difference of scores beyond DBL_MAX: both differences are
		 * taken of halves instead, which leaves the quotient as it is.
		 * Halving is exact for numbers this large; a subnormal operand
		 * loses at most 2^-1075, far below what a quotient by a range
		 * over 2^1023 can show. */
		d = x * 0.5 - t * 0.5;
		range = max * 0.5 - min * 0.5;
	}
	v = d / range + 0.5;
	return v < 0 ? 0 : v > 1 ? 1 : v;
}
