/* Evaluating one level from its samples (see eval.h). */
#include "adthresh/eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/curve.h"
#include "adthresh/moments.h"

void adt_eval_sweep_opts(const struct adt_eval_opts *o, struct adt_sweep_opts *so)
{
	memset(so, 0, sizeof(*so));
	if (o->policy.name[0])
		so->policy = o->policy;
	else
		adt_policy_default(&so->policy);
	so->max_fpr = o->max_fpr;
	for (size_t i = 0; i < o->compare.n; i++)
		so->compare[i].policy = o->compare.v[i];
	so->ncompare = o->compare.n;
	so->has_given = o->has_threshold;
	so->given = o->threshold;
	so->aupro_limit = o->aupro_limit;
	so->aupimo.lower = o->aupimo_lower;
	so->aupimo.upper = o->aupimo_upper;
	so->record = !o->curve ? ADT_RECORD_NONE : o->record ? o->record : ADT_RECORD_ALL;
	so->record_memory = o->record_memory;
}

int adt_eval_classes_missing(const struct adt_eval_opts *o, uint64_t P, uint64_t N)
{
	if (P > 0 && N > 0)
		return 0;
	if (P == 0 && N > 0 && !adt_policy_needs_anomalies(&o->policy))
		return 0;
	return !o->allow_one_class && !o->has_threshold;
}

int adt_eval_wants_moments(const struct adt_eval_opts *o, const struct adt_sweep_opts *so)
{
	int want = so->policy.kind == ADT_POLICY_SIGMA && !o->has_threshold;

	for (size_t i = 0; i < so->ncompare; i++)
		want |= so->compare[i].policy.kind == ADT_POLICY_SIGMA;
	return want;
}

int adt_eval_sigma(const struct adt_eval_opts *o, struct adt_sweep_opts *so, double mean,
		   double std, const char *level, struct adt_error *err)
{
	/* Compared sigma:K policies count at theirs; NaN (no normal
	 * sample, or an overflow) leaves them undefined. */
	for (size_t i = 0; i < so->ncompare; i++) {
		struct adt_compare *c = &so->compare[i];

		if (c->policy.kind != ADT_POLICY_SIGMA)
			continue;
		c->fixed = 1;
		c->at = mean + c->policy.k * std;
		if (!isfinite(c->at))
			c->at = NAN;
	}
	if (so->policy.kind != ADT_POLICY_SIGMA || o->has_threshold)
		return 0;
	if (isnan(mean))
		return adt_error_set(err, ADT_EDATA, "%s level has no normal sample; %s needs them",
				     level, o->policy.name);
	so->has_given = 1;
	so->given = mean + o->policy.k * std;
	if (!isfinite(so->given))
		return adt_error_set(err, ADT_EDATA,
				     "%s level: %s overflows: the normal scores' mean is %g and "
				     "their standard deviation %g",
				     level, o->policy.name, mean, std);
	return 0;
}

int adt_eval_finish(struct adt_sweep *s, const char *level, const struct adt_eval_opts *o,
		    struct adt_level_result *r, struct adt_error *err)
{
	adt_sweep_result(s, o->rule, r);
	if (o->policy.kind == ADT_POLICY_SIGMA && !o->has_threshold) {
		/* Counted as a given threshold, but chosen by the policy. */
		r->given = 0;
		snprintf(r->policy, sizeof(r->policy), "%s", o->policy.name);
	}
	if (r->above && !isfinite(r->threshold))
		return adt_error_set(err, ADT_EDATA,
				     "%s level: no score meets %s and no finite threshold lies "
				     "above the highest one",
				     level, o->policy.name);
	if (o->curve && adt_sweep_take_points(s, o->curve)) {
		adt_points_error(o->curve, level, err);
		adt_points_release(o->curve);
		return -1;
	}
	return 0;
}

int adt_eval_samples(const struct adt_samples *s, const char *level, const struct adt_eval_opts *o,
		     struct adt_level_result *r, struct adt_error *err)
{
	size_t npos = 0, nneg = 0;
	double *pos = NULL, *neg = NULL, mean = NAN, std = NAN;
	struct adt_sweep sw;
	struct adt_sweep_opts so;
	int ret = -1;

	memset(&sw, 0, sizeof(sw));
	if (s->n == 0)
		return adt_error_set(err, ADT_EDATA, "%s level has no samples", level);
	for (size_t i = 0; i < s->n; i++)
		npos += s->label[i];
	nneg = s->n - npos;
	if (adt_eval_classes_missing(o, npos, nneg))
		return adt_error_set(
		    err, ADT_EDATA,
		    "%s level has %zu anomalous and %zu normal samples; a threshold "
		    "needs both (--allow-one-class falls back as anomalib does)",
		    level, npos, nneg);
	pos = malloc((npos ? npos : 1) * sizeof(*pos));
	neg = malloc((nneg ? nneg : 1) * sizeof(*neg));
	if (!pos || !neg) {
		adt_error_set(err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	npos = nneg = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->label[i])
			pos[npos++] = s->score[i];
		else
			neg[nneg++] = s->score[i];
	}
	adt_sweep_init(&sw, npos, nneg);
	adt_eval_sweep_opts(o, &so);
	if (adt_eval_wants_moments(o, &so)) {
		if (nneg > 0)
			adt_mean_std(neg, nneg, &mean, &std);
		if (adt_eval_sigma(o, &so, mean, std, level, err))
			goto out;
	}
	adt_sweep_configure(&sw, &so);
	if (adt_curve_sweep_f64(pos, npos, neg, nneg, &sw, err))
		goto out;
	sw.single = s->single;
	if (adt_eval_finish(&sw, level, o, r, err))
		goto out;
	r->normal_mean = mean;
	r->normal_std = std;
	if (r->unmet) {
		adt_error_set(err, ADT_EDATA, "%s level: no threshold meets %s", level,
			      so.policy.name);
		goto out;
	}
	ret = 0;
out:
	adt_sweep_release(&sw);
	free(pos);
	free(neg);
	return ret;
}
