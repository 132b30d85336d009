/* Metrics of one level (image or pixel) from a sweep over its distinct
 * scores, from the highest to the lowest.  Counts are exact 64-bit
 * integers; selections compare exact integer cross-products. */
#ifndef ADTHRESH_METRICS_H
#define ADTHRESH_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/points.h"

/* How a threshold t is applied: anomalous when score >= t, or > t. */
enum adt_rule { ADT_RULE_GE = 0, ADT_RULE_GT };

/* How a threshold is chosen (always under score >= t):
 *   f1          the highest F1, the lowest threshold on ties (anomalib's);
 *   recall:R    the highest threshold whose recall is at least R;
 *   fpr:F       the lowest threshold whose false-positive rate is at most F;
 *   precision:P the lowest threshold whose precision is at least P (the
 *               one with the most recall among those);
 *   youden      the highest TPR - FPR, the lowest threshold on ties;
 *   corner      the ROC point closest to the top-left corner: the lowest
 *               FPR^2 + (1 - TPR)^2, the lowest threshold on ties;
 *   sigma:K     mean + K standard deviations (population, ddof = 0) of the
 *               normal samples' scores, computed before the sweep and then
 *               counted as a given threshold is.
 * Targets are kept as exact decimal fractions (0.95 = 95/100) and compared
 * with integer counts.  fpr:F and sigma:K need only normal samples; the
 * others need both classes (see adt_policy_needs_anomalies).  When no
 * score meets fpr:F (the highest score is normal and F is below its
 * rate), the threshold is the next value above the highest score in the
 * level's precision, which flags nothing.  corner compares fp^2 P^2 +
 * fn^2 N^2 (the distance times N^2 P^2) in 256-bit integers: fp <= N and
 * fn <= P, so each term is at most (N P)^2 < 2^252 for any counts whose
 * total fits 64 bits. */
enum adt_policy_kind {
	ADT_POLICY_F1 = 0,
	ADT_POLICY_RECALL,
	ADT_POLICY_FPR,
	ADT_POLICY_PRECISION,
	ADT_POLICY_YOUDEN,
	ADT_POLICY_SIGMA,
	ADT_POLICY_CORNER
};

struct adt_policy {
	enum adt_policy_kind kind;
	uint64_t num, den; /* the target R, F or P as num / den */
	double k;	   /* sigma:K */
	char name[40];	   /* as reported: "f1", "recall:0.95", ... */
};

/* Parses f1, youden, corner, recall:R, fpr:F, precision:P (R, F, P
 * decimals in [0, 1] with at most 18 decimals), sigma:K (K a decimal >= 0
 * of at most 30 characters).  Returns 0, or -1 with ADT_EUSAGE. */
int adt_policy_parse(const char *text, struct adt_policy *p, struct adt_error *err);

/* Whether p needs anomalous samples to choose a threshold: all but fpr:F
 * and sigma:K, which work on normal samples alone. */
int adt_policy_needs_anomalies(const struct adt_policy *p);

/* The default policy, f1. */
void adt_policy_default(struct adt_policy *p);

/* At most this many policies are compared at one level. */
#define ADT_COMPARE_MAX 8

/* Policies to compare (--compare-policies), without duplicates. */
struct adt_policy_list {
	struct adt_policy v[ADT_COMPARE_MAX];
	size_t n;
};

/* Adds p to l unless l has it already (the same kind and target: 0.9 and
 * 0.90 are one).  Returns 0, or -1 when l is full. */
int adt_policy_list_add(struct adt_policy_list *l, const struct adt_policy *p);

/* What a compared policy gives at one level.  defined is 0 when the
 * policy cannot apply to the data (a one-class level: f1, youden, corner,
 * recall and precision need both classes, fpr normal samples) or no
 * threshold meets its target; the numbers are undefined then. */
struct adt_policy_result {
	char name[40];
	int defined;
	double threshold;
	uint64_t tp, fp, fn, tn;	   /* under the level's rule */
	double precision, recall, f1, fpr; /* NaN where 0/0 */
};

/* The result of one level.  Real numbers that are undefined for the data
 * (0/0) are NaN; the report prints them as null / n/a. */
struct adt_level_result {
	uint64_t n, positives, negatives;
	double threshold;
	enum adt_rule rule;
	uint64_t tp, fp, fn, tn;
	double f1, precision, recall;
	double auroc, ap;
	double min, max;
	int one_class;	    /* nonzero: anomalib's one-class fallback was used */
	int given;	    /* nonzero: the threshold was given, not chosen */
	int unmet;	    /* nonzero: no threshold meets the policy's target */
	int normal_only;    /* nonzero: no anomalous sample, and a policy that
			     * needs none chose the threshold */
	int above;	    /* nonzero: fpr:F met by no score, so the threshold
			     * is the next value above the highest (single:
			     * in float32) and flags nothing */
	int single;	    /* the level's scores are float32 values */
	double fpr;	    /* fp / negatives */
	double normal_mean, normal_std; /* sigma:K: of the normal scores */
	char policy[40];    /* "f1", "recall:0.95", ..., "given" */
	double max_fpr;	    /* 0: no partial AUROC */
	double pauroc;	    /* McClish-standardised partial AUROC up to max_fpr */
	int normalize;	    /* nonzero: also report anomalib's min-max normalisation */
	double aupro_limit; /* 0: no AU-PRO */
	double aupro;	    /* AU-PRO up to the FPR aupro_limit, divided by it */
	double aupimo_lower, aupimo_upper; /* 0: no AUPIMO; else its shared-FPR band */
	uint64_t aupimo_images;		   /* the anomalous images averaged */
	double aupimo, aupimo_std;	   /* their mean and population std */
	const char *source; /* image level: where its scores came from (a file
			     * name, "map maxima"); NULL: not said */
	/* With --compare-policies: each policy's threshold, in the order
	 * asked (npolicies 0: no comparison). */
	struct adt_policy_result policies[ADT_COMPARE_MAX];
	size_t npolicies;
};

/* anomalib's min-max normalisation of a score x for threshold t and the
 * range [min, max]: clamp((x - t) / (max - min) + 0.5, 0, 1), so that t
 * maps to 0.5; NaN unless max > min.  Any finite doubles are fine: where
 * x - t or max - min would overflow (scores near +-DBL_MAX) the
 * differences are taken of halves.  The result is within 2^-52 of the
 * exact value (tests/oracle/normalize_oracle.py). */
double adt_normalize_minmax(double x, double t, double min, double max);

/* Which points of the curve a sweep keeps: none; every one; or, for a
 * picture, only points that move 1e-5 or more (in recall, precision or
 * FPR) away from the last one kept, and the last point: at most a few
 * million points however many scores there are, none of them further
 * than 1e-5 from the curve (a thousandth of a pixel at a plot's scale). */
enum adt_record { ADT_RECORD_NONE = 0, ADT_RECORD_ALL, ADT_RECORD_PLOT };

/* A policy compared besides the main one: chosen in the sweep, or fixed
 * (its threshold `at` known before the sweep, from the scores: the sweep
 * only counts there, as at a given threshold; NaN: undefined). */
struct adt_compare {
	struct adt_policy policy;
	int fixed;
	double at;
};

/* A compared policy's choice so far: the threshold t with the counts of
 * score >= t (tp, fp) and of score > t (prev_tp, prev_fp). */
struct adt_choice {
	struct adt_compare c;
	int found;
	double t;
	uint64_t tp, fp, prev_tp, prev_fp;
};

/* What the sweep needs for AUPIMO (Bertoldo et al., BMVC 2024) at the
 * pixel level.  The shared FPR S(t) is the mean over the normal images
 * (empty mask) of FP_j(t) / pixels_j; TPR_i(t) = TP_i(t) / positives_i
 * for each anomalous image i; AUPIMO_i is the area under the points
 * (ln S(t), TPR_i(t)) of every distinct score t with S(t) > 0, joined by
 * straight lines, between ln lower and ln upper (the bounds reached by
 * linear interpolation), divided by ln(upper / lower).
 *
 * How the sweep gets it without O(images) work per step: the area under
 * image i's polyline is the sum, over its anomalous pixels, of what each
 * pixel adds to it.  A pixel at score t raises TPR_i by 1 / positives_i
 * from x_prev = ln S(just above t) to x_new = ln S(t): by 0 left of
 * x_prev, linearly in between, fully right of x_new.  Its share of the
 * band [ln lower, ln upper] is h(t) = (ln upper - clip(x_new)) + the
 * integral of (x - x_prev) / (x_new - x_prev) over [x_prev, x_new] cut
 * to the band, which depends on the step only.  So AUPIMO_i =
 * sum of h over i's pixels / (positives_i * (ln upper - ln lower)).  h is
 * the whole band (counted as an integer) while S(t) <= lower, 0 once
 * S(just above t) >= upper, and needs two logarithms only for the few
 * steps in between.  Per-image sums add up, so parallel parts merge by
 * adding them.
 *
 * S needs only the normal pixels with the highest scores: while S stays
 * below upper, image j has fewer than upper * normal images * pixels_j
 * pixels flagged.  The caller gives S as a table over those scores. */
struct adt_aupimo {
	double lower, upper; /* the band of shared FPR, 0 < lower < upper <= 1 */
	uint64_t images;     /* anomalous images (K) */
	/* image_of[k]: the anomalous image (0 .. images - 1) of the k-th
	 * positive in sweep order (highest score first; among equal scores
	 * any order); positives[i]: the anomalous pixels of image i. */
	const uint32_t *image_of;
	const uint64_t *positives;
	/* shared_fpr[k] = S(score[k]), score[] strictly decreasing: every
	 * distinct score of the normal images' pixels from the highest down
	 * to the first where S reaches upper (or to the lowest). */
	const double *score, *shared_fpr;
	size_t shared_n;
};

/* The sweep state.  Feed it every distinct score once, in strictly
 * decreasing order, with how many positives and negatives have exactly
 * that score. */
struct adt_sweep {
	uint64_t P, N;	    /* totals, known up front */
	uint64_t tp, fp;    /* cumulative: samples with score >= last threshold */
	uint64_t steps;	    /* distinct scores seen */
	double first, last; /* highest and lowest threshold seen */
	int single;	    /* the scores are float32 values (see adt_sweep_result) */
	uint64_t first_tp, first_fp;
	/* the policy's choice so far (for f1: the best F1, lowest on ties) */
	struct adt_policy policy;
	int best_found;
	double best_t;
	uint64_t best_tp, best_fp, best_prev_tp, best_prev_fp;
	/* the compared policies' choices (--compare-policies) */
	struct adt_choice compare[ADT_COMPARE_MAX];
	size_t ncompare;
	int compare_every; /* some choice may change on a step without positives */
	/* partial AUROC: the area up to max_fpr, in units of N * P */
	double max_fpr;
	long double pauc;
	uint64_t last_prev_tp, last_prev_fp;
	/* AUROC: 2 * area * P * N, as a 128-bit integer */
	uint64_t auc_lo, auc_hi;
	/* AP: compensated sum of (R_k - R_{k-1}) * P_k */
	double ap_sum, ap_comp;
	/* A given threshold: the counts of score >= it and of score > it, and
	 * whether a step at or above it (above it) was seen. */
	int has_given, given_seen, given_gt_seen;
	double given;
	uint64_t given_tp, given_fp, given_gt_tp, given_gt_fp;
	/* AU-PRO: region_size[k] is the size of the region of the k-th
	 * positive in sweep order; pro_sum + pro_comp is the sum of 1 / size
	 * over the positives counted so far (PRO times the region count);
	 * aupro_area the area under the PRO curve up to the limit, in units
	 * of 1 / regions. */
	double aupro_limit;
	const uint32_t *region_size;
	uint64_t regions;
	double pro_sum, pro_comp;
	long double aupro_area;
	/* AUPIMO (see adt_sweep_opts): the shared FPR's table and where the
	 * sweep is in it (shared_at entries have scores above the last step
	 * with positives); per anomalous image, the pixels whose whole band
	 * counts (full) and the compensated sum of the others' shares of it
	 * (band + band_comp), in units of ln U - ln L.  aupimo_failed: the
	 * per-image sums could not be allocated. */
	struct adt_aupimo aupimo;
	size_t shared_at;
	int aupimo_done, aupimo_failed;
	uint64_t *aupimo_full;
	double *aupimo_band, *aupimo_comp;
	/* The curve's points, when asked for (adt_sweep_release releases them);
	 * for ADT_RECORD_PLOT the coordinates of the last point kept. */
	enum adt_record record;
	struct adt_points points;
	double kept[3]; /* FPR, recall, precision */
};

/* Starts a sweep over P positives and N negatives. */
void adt_sweep_init(struct adt_sweep *s, uint64_t P, uint64_t N);

/* Starts a sweep over a part of the scores: the tp0 positives and fp0
 * negatives above it have been counted elsewhere (another thread). */
void adt_sweep_init_at(struct adt_sweep *s, uint64_t P, uint64_t N, uint64_t tp0, uint64_t fp0);

/* Appends the sweep `lower`, over scores all below those of s (started
 * with adt_sweep_init_at where s ended), to s: the result is the sweep
 * over both parts.  Either may have no steps.  lower's recorded points
 * move to s. */
void adt_sweep_merge(struct adt_sweep *s, struct adt_sweep *lower);

/* Everything a sweep can be asked besides the defaults. */
struct adt_sweep_opts {
	struct adt_policy policy;
	double max_fpr; /* 0: no partial AUROC */
	int has_given;	/* nonzero: count at `given` and report there */
	double given;
	/* AU-PRO up to the FPR aupro_limit (0: none): region_size holds, for
	 * the positives in sweep order (highest score first; the order among
	 * equal scores does not matter), the size of each one's region, and
	 * regions the number of regions. */
	double aupro_limit;
	const uint32_t *region_size;
	uint64_t regions;
	/* AUPIMO (aupimo.upper 0: none); the sweep borrows its arrays. */
	struct adt_aupimo aupimo;
	enum adt_record record;
	size_t record_memory; /* points kept in memory before the earlier ones
			       * go to a temporary file (0: all in memory) */
	/* Policies whose thresholds the same sweep also finds (at most
	 * ADT_COMPARE_MAX); adt_sweep_result reports them in r->policies. */
	struct adt_compare compare[ADT_COMPARE_MAX];
	size_t ncompare;
};

/* Applies o (NULL: nothing) to a freshly started sweep.  With AUPIMO it
 * allocates the per-image sums (s->aupimo_failed when it cannot). */
void adt_sweep_configure(struct adt_sweep *s, const struct adt_sweep_opts *o);

/* Releases what a sweep holds (its recorded points, AUPIMO's sums). */
void adt_sweep_release(struct adt_sweep *s);

/* Moves the recorded points out of s into pts (emptied first).  Returns 0,
 * or -1 when some could not be kept: pts->failed says why (see
 * adt_points_error) and the caller releases pts. */
int adt_sweep_take_points(struct adt_sweep *s, struct adt_points *pts);

/* Chooses the threshold by policy p instead of f1 (before the first
 * step). */
void adt_sweep_set_policy(struct adt_sweep *s, const struct adt_policy *p);

/* Asks the sweep to find the threshold of c as well (before the first
 * step); ignored once ADT_COMPARE_MAX are asked. */
void adt_sweep_compare(struct adt_sweep *s, const struct adt_compare *c);

/* Asks for the McClish-standardised partial AUROC up to the false-positive
 * rate max_fpr in (0, 1] (before the first step), as scikit-learn's
 * roc_auc_score(max_fpr=...). */
void adt_sweep_set_max_fpr(struct adt_sweep *s, double max_fpr);

/* Asks the sweep to count at threshold t as well (a threshold chosen
 * before, on other data); adt_sweep_result then reports at t.  Call after
 * adt_sweep_init or adt_sweep_init_at, before the first step. */
void adt_sweep_give(struct adt_sweep *s, double t);

/* One distinct score t (lower than every earlier one) held by pos
 * positives and neg negatives; pos + neg > 0. */
void adt_sweep_step(struct adt_sweep *s, double t, uint64_t pos, uint64_t neg);

/* Fills r from a finished sweep (at least one step).  The threshold the
 * policy chooses (f1: the F1-maximising one, lowest on ties); for a policy
 * that needs anomalies, with P == 0 the highest score and with N == 0 the
 * lowest (anomalib >= 2.3), flagged in r->one_class; or the given
 * threshold (adt_sweep_give), flagged in r->given (a sigma:K threshold,
 * counted as a given one, is relabelled by adt_eval_finish).  With P == 0 and a policy that needs no anomalies, recall,
 * precision and F1 are NaN and r->normal_only is set.  fpr:F met by no
 * score: the next value above the highest score (float32 when s->single),
 * r->above set; infinite when there is none.  The counts and P, R, F1,
 * FPR are those of `rule` applied at the threshold.  r->policies holds
 * the compared policies' thresholds (adt_sweep_compare), counted under
 * `rule` as well.  With AUPIMO, the mean and population std of the
 * images' values (NaN without an anomalous image or normal pixel). */
void adt_sweep_result(const struct adt_sweep *s, enum adt_rule rule, struct adt_level_result *r);

/* Each anomalous image's AUPIMO from a finished sweep with AUPIMO:
 * out[i] for i < s->aupimo.images (NaN where out of memory). */
void adt_sweep_aupimo(const struct adt_sweep *s, double *out);

/* F1 = 2 tp / (2 tp + fp + fn), precision = tp / (tp + fp),
 * recall = tp / (tp + fn); NaN where the denominator is 0. */
double adt_f1(uint64_t tp, uint64_t fp, uint64_t fn);
double adt_precision(uint64_t tp, uint64_t fp);
double adt_recall(uint64_t tp, uint64_t fn);

#endif
