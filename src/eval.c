/* Evaluating one level from its samples (see eval.h). */
#include "adthresh/eval.h"

#include <stdlib.h>
#include <string.h>

#include "adthresh/curve.h"

void adt_eval_sweep_opts(const struct adt_eval_opts *o, struct adt_sweep_opts *so)
{
	memset(so, 0, sizeof(*so));
	if (o->policy.name[0])
		so->policy = o->policy;
	else
		adt_policy_default(&so->policy);
	so->max_fpr = o->max_fpr;
	so->has_given = o->has_threshold;
	so->given = o->threshold;
	so->aupro_limit = o->aupro_limit;
	so->aupimo.lower = o->aupimo_lower;
	so->aupimo.upper = o->aupimo_upper;
	so->record = !o->curve ? ADT_RECORD_NONE : o->record ? o->record : ADT_RECORD_ALL;
	so->record_memory = o->record_memory;
}

int adt_eval_finish(struct adt_sweep *s, const char *level, const struct adt_eval_opts *o,
		    struct adt_level_result *r, struct adt_error *err)
{
	adt_sweep_result(s, o->rule, r);
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
	double *pos = NULL, *neg = NULL;
	struct adt_sweep sw;
	struct adt_sweep_opts so;
	int ret = -1;

	memset(&sw, 0, sizeof(sw));
	if (s->n == 0)
		return adt_error_set(err, ADT_EDATA, "%s level has no samples", level);
	for (size_t i = 0; i < s->n; i++)
		npos += s->label[i];
	nneg = s->n - npos;
	if ((npos == 0 || nneg == 0) && !o->allow_one_class && !o->has_threshold)
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
	adt_sweep_configure(&sw, &so);
	if (adt_curve_sweep_f64(pos, npos, neg, nneg, &sw, err) ||
	    adt_eval_finish(&sw, level, o, r, err))
		goto out;
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
