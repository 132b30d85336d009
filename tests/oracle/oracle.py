#!/usr/bin/python3
"""Cross-check adthresh's image-level results against scikit-learn.

The suite generates a few hundred score/label datasets from fixed seeds, writes
each one as CSV/TSV and as JSON (array of objects, parallel arrays or JSON
Lines), runs `adthresh --format json` on the files and compares every field of
the "image" object with a reference computed by scikit-learn on the very same
float64 arrays:

  threshold      the distinct score maximising F1 = 2TP / (2TP + FP + FN),
                 lowest threshold among exact ties (chosen with integer
                 arithmetic, then checked against precision_recall_curve);
                 compared with ==
  tp fp fn tn    counted at that threshold with the run's rule (>= or >); exact
  n positives negatives min max                                      exact
  f1 precision recall   f1_score / precision_score / recall_score    1e-12
  auroc ap       roc_auc_score / average_precision_score             1e-12

A metric whose denominator is zero (precision with no predicted anomaly,
recall and AP with no anomalous sample, F1 with neither, AUROC with a missing
class) must be null.  One-class datasets must fail with exit status 2 unless
--allow-one-class is given, in which case the threshold is the maximum score
(no anomalous sample) or the minimum score (no normal sample).

Datasets (see build_catalogue) have 1 to 100000 samples, log-spread, 1%-99%
anomalous: Gaussian, uniform, detector-like probabilities (some float32),
saturated sigmoids, heavy ties, scores scaled far outside [0, 1] (1e-300 to
1e300, negative), integers up to 1e17, scores a few ulps apart, -0.0 mixed
with 0.0, subnormals, all scores equal, separable (also by one ulp), reversed,
constructed exact F1 ties between thresholds, and one-class data.  The files
vary the column names, column order, label spellings (0/1, true/false,
normal/anomalous; JSON numbers, booleans or strings), delimiter, quoting, BOM,
line ends and id columns.  Each dataset is run as CSV and as JSON; every third
one, and every one-class one, also with --rule gt.

Threshold policies and the partial AUROC: every fourth two-class dataset and
every one with tied scores is also run with --policy P (recall:R, fpr:F,
precision:Q or youden, R/F/Q drawn from 0.5 0.9 0.95 0.99 1 0 0.1, some
spelled .5, 0.90, 1.0, 0.000, 0.100, some as image=P) and --max-fpr F (0.05,
0.3 or 1): policy-a on the CSV with --max-fpr, policy-b on the JSON (the CSV
above 20000 samples; --max-fpr half the time, --rule gt on every fifth
dataset) and, on every third dataset,
policy-near, an 18-decimal target next to a ratio some threshold achieves
(ceil or floor of it to 1e-18: the same double, so only an exact reading
chooses right).  A dataset where distinct thresholds tie for the best
TPR - FPR always gets a youden run.  The reference (policy_index) uses the
exact counts TP(t), FP(t) of every distinct score t and the target as a
fractions.Fraction of its spelling:

  recall:R     the highest t with TP/P >= R
  fpr:F        the lowest t with FP/N <= F
  precision:Q  the lowest t with TP/(TP+FP) >= Q
  youden       the largest TP/P - FP/N, the lowest t on exact ties
  threshold ==, tp fp fn tn exact (counted with >= or > at that threshold),
  f1 precision recall from those counts within 1e-12, "policy" the policy as
  given (without image=); max_fpr == the double of F, pauroc within 1e-12 of
  roc_auc_score(y, s, max_fpr=F) (no max_fpr/pauroc fields without --max-fpr).
  fpr:F that no score meets: the next double above the highest score, nothing
  flagged.  Any other target no threshold meets: exit 2, "no threshold meets" on stderr, nothing
  on stdout.

On small datasets the reference is itself checked against roc_curve's counts
and a literal fractions.Fraction re-derivation (oracle self-check).

Run it with Debian's Python, which has scikit-learn and numpy:

    /usr/bin/python3 tests/oracle/oracle.py

Environment:
  ADTHRESH=PATH     the binary (default build/adthresh; relative to the repo root)
  ORACLE_QUICK=1    every fifth dataset only, for development
  ORACLE_ONLY=TEXT  only datasets whose name contains TEXT
  ORACLE_KEEP=DIR   write the generated files (and the expected results) to DIR
                    and keep them, instead of using a temporary directory
  ORACLE_JOBS=N     worker processes (default 2)

Output: one line per failure (`FAIL dataset/run: field: ...`), then
`oracle: D datasets, R runs in S s` and, last, `oracle: N passed, M failed`,
where one test is one adthresh run checked.  Exit status 1 if anything failed.
"""

import concurrent.futures
import json
import math
import os
import sys
import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import Result, first_line  # noqa: E402

with harness.needs("oracle", "numpy and scikit-learn"):
    import numpy as np
    from sklearn.metrics import (
        average_precision_score,
        f1_score,
        precision_recall_curve,
        precision_score,
        recall_score,
        roc_auc_score,
        roc_curve,
    )

TOLERANCE = 1e-12
CATALOGUE_SEED = 20240917

# Column names and label spellings adthresh must recognise (DESIGN.md §3).
SCORE_COLUMNS = ["score", "pred_score", "anomaly_score", "pred_scores", "prediction"]
LABEL_COLUMNS = ["label", "gt_label", "target", "y_true", "is_anomalous", "anomalous"]
ID_COLUMNS = ["image_path", "path", "filename", "file", "image"]
# Keys of the "object of parallel arrays" JSON layout (plural names allowed).
ARRAY_SCORE_KEYS = ["pred_scores", "scores", "score", "anomaly_score", "prediction"]
ARRAY_LABEL_KEYS = ["gt_labels", "labels", "label", "target", "y_true"]
# (normal, anomalous) spellings in text files.
LABEL_WORDS = [("0", "1"), ("false", "true"), ("normal", "anomalous")]


# ---------------------------------------------------------------------------
# Dataset catalogue


@dataclass(frozen=True)
class Spec:
    """A dataset to generate: everything derives from (kind, n, positives, seed)."""

    index: int
    kind: str
    n: int
    positives: int
    seed: int

    @property
    def name(self):
        return f"{self.index:03d}-{self.kind}-n{self.n}-p{self.positives}"


def _log_spread_sizes(rng, count, low=2, high=100_000, skew=1.6):
    """`count` sizes between low and high, log-spread, most of them small."""
    u = rng.random(count) ** skew
    return [int(round(low * (high / low) ** x)) for x in u]


def _positive_count(rng, n):
    """Anomalous count for an anomalous fraction in [1%, 99%], both classes kept."""
    frac = rng.uniform(0.01, 0.99)
    return min(max(int(round(frac * n)), 1), n - 1)


def build_catalogue():
    """The full, deterministic list of dataset specs."""
    rng = np.random.default_rng(CATALOGUE_SEED)
    plan = []  # (kind, n, positives or None)

    def add(kind, count, **size_args):
        plan.extend((kind, n, None) for n in _log_spread_sizes(rng, count, **size_args))

    def add_sizes(kind, *sizes):
        plan.extend((kind, n, None) for n in sizes)

    add("gauss", 70)
    add_sizes("gauss", 100_000, 50_000)
    add("uniform", 20)
    add("detector", 30)           # probabilities in [0,1], some float32-rounded
    add("saturated", 12)          # sigmoid outputs with many exact 0s and 1s
    add("rounded", 35)            # heavy ties: gauss rounded to 0-2 decimals
    add_sizes("rounded", 100_000)
    add("smallset", 25)           # scores drawn from 2-6 values
    add_sizes("smallset", 100_000)
    add("scaled", 40)             # far outside [0,1]: 1e6, 1e-300, 1e300, negative
    add("integers", 8)
    add("ulp", 20, high=5_000)    # scores a few ulps apart
    add("separable", 10)
    add_sizes("separable", 100_000)
    add("ulp-separable", 6, high=5_000)
    add("reversed", 10)
    add("one-swap", 6)
    add("all-equal", 10, high=20_000)
    add("signed-zero", 5, high=2_000)
    add("subnormal", 5, high=2_000)
    add("tiny", 25, low=2, high=6, skew=1.0)
    # Exact F1 ties between distinct thresholds; positives <= n/3 leaves room
    # for the normal samples the construction needs.
    for n in _log_spread_sizes(rng, 16, low=6, high=20_000):
        plan.append(("f1-tie", n, int(rng.integers(2, n // 3 + 1))))

    # One-class datasets: (kind, n, positives) with positives 0 or n.
    for n in (1, 1, 2, 7, 60, 3_000):
        plan.append(("one-class", n, 0))
    for n in (1, 3, 40, 2_000):
        plan.append(("one-class", n, n))
    plan.append(("one-class-equal", 25, 0))
    plan.append(("one-class-equal", 25, 25))

    specs = []
    for index, (kind, n, positives) in enumerate(plan):
        if positives is None:
            positives = _positive_count(rng, n)
        specs.append(Spec(index, kind, n, positives, seed=CATALOGUE_SEED + 7919 * index))
    return specs


# ---------------------------------------------------------------------------
# Generators: (rng, n, k) -> float64 scores, 0/1 labels with k anomalous.


def _labels(rng, n, k):
    y = np.zeros(n, dtype=np.int64)
    y[rng.choice(n, size=k, replace=False)] = 1
    return y


def _shift_gauss(rng, y):
    shift = rng.uniform(-0.5, 3.0)
    return rng.normal(size=len(y)) + shift * y


def gen_gauss(rng, n, k):
    y = _labels(rng, n, k)
    return _shift_gauss(rng, y), y


def gen_uniform(rng, n, k):
    y = _labels(rng, n, k)  # scores independent of labels: AUROC near 0.5
    return rng.random(n), y


def gen_detector(rng, n, k):
    y = _labels(rng, n, k)
    a, b = rng.uniform(0.5, 5.0, size=2)
    s = np.where(y == 1, rng.beta(b, a, size=n), rng.beta(a, b, size=n))
    if rng.random() < 0.5:  # torch exports float32
        s = s.astype(np.float32).astype(np.float64)
    return s, y


def gen_saturated(rng, n, k):
    y = _labels(rng, n, k)
    z = _shift_gauss(rng, y) * rng.uniform(5.0, 60.0)
    return 1.0 / (1.0 + np.exp(-z)), y


def gen_rounded(rng, n, k):
    y = _labels(rng, n, k)
    return np.round(_shift_gauss(rng, y), int(rng.integers(0, 3))), y


def gen_smallset(rng, n, k):
    y = _labels(rng, n, k)
    m = int(rng.integers(2, 7))
    values = np.sort(rng.normal(size=m) * rng.choice([1.0, 100.0]))
    p_neg, p_pos = rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(m))
    s = np.where(y == 1, rng.choice(values, size=n, p=p_pos), rng.choice(values, size=n, p=p_neg))
    return s, y


def gen_scaled(rng, n, k):
    y = _labels(rng, n, k)
    s = _shift_gauss(rng, y)
    if rng.random() < 0.3:
        s = np.round(s, 1)
    scale = rng.choice([1e6, 1e12, 1e-6, 1e-300, 1e300, -1.0, -1e6, 3.7e-200])
    offset = rng.choice([0.0, 0.0, -1e6, -50.0, 1e9])
    s = s * scale
    if abs(scale) > 1e-100:  # an offset would swallow the tiny scales
        s = s + offset
    return s, y


def gen_integers(rng, n, k):
    y = _labels(rng, n, k)
    base = rng.choice([0.0, -100.0, 2.0**53 - 64, 1e17])
    step = max(1.0, float(np.spacing(base)))  # keep the sums exactly representable
    counts = rng.poisson(3.0, size=n) + rng.integers(0, 4) * y
    return base + step * counts.astype(np.float64), y


def _ulp_ladder(x0, steps, direction):
    ladder = [float(x0)]
    for _ in range(steps - 1):
        ladder.append(float(np.nextafter(ladder[-1], direction)))
    return np.array(sorted(ladder))


def gen_ulp(rng, n, k):
    """Scores on a ladder of consecutive doubles (sometimes across a binade)."""
    y = _labels(rng, n, k)
    x0 = rng.choice([0.5, 1.0, 0.1, -2.5, 1e-300, 7.5e300, 123456.789, 2.0])
    ladder = _ulp_ladder(x0, int(rng.integers(2, 9)), rng.choice([np.inf, -np.inf]))
    idx = rng.integers(0, len(ladder), size=n) + rng.integers(0, 3) * y
    return ladder[np.minimum(idx, len(ladder) - 1)], y


def gen_separable(rng, n, k):
    y = _labels(rng, n, k)
    s = np.where(y == 1, 1.0 + rng.random(n), rng.random(n))
    return s, y


def gen_ulp_separable(rng, n, k):
    """Every anomalous score is exactly 1 ulp above the largest normal one."""
    y = _labels(rng, n, k)
    top = rng.choice([0.5, 1.0, -1e-3, 4e9])
    normal = top - np.abs(rng.normal(size=n)) * abs(top)
    s = np.where(y == 1, np.nextafter(top, np.inf), np.minimum(normal, top))
    s[np.flatnonzero(y == 0)[0]] = top
    return s, y


def gen_reversed(rng, n, k):
    s, y = gen_separable(rng, n, k)
    return -s, y


def gen_one_swap(rng, n, k):
    """Separable except one anomalous sample scored below every normal one."""
    s, y = gen_separable(rng, n, k)
    s[np.flatnonzero(y == 1)[0]] = -1.0
    return s, y


def gen_all_equal(rng, n, k):
    y = _labels(rng, n, k)
    return np.full(n, rng.choice([0.5, 0.0, -3.0, 1e6, 1e-300, 1.0])), y


def gen_signed_zero(rng, n, k):
    """-0.0 and 0.0 mixed: one candidate threshold, not two."""
    y = _labels(rng, n, k)
    s = rng.choice([-0.0, 0.0, 0.0, -1e-9, 1e-9, 0.25], size=n)
    s = np.where((y == 1) & (rng.random(n) < 0.4), 0.25, s)
    return s, y


def gen_subnormal(rng, n, k):
    y = _labels(rng, n, k)
    tiny = np.nextafter(0.0, 1.0)  # 4.9e-324
    return tiny * (rng.integers(-3, 40, size=n) + rng.integers(0, 5) * y), y


def gen_tiny(rng, n, k):
    y = _labels(rng, n, k)
    return rng.choice([0.1, 0.2, 0.3], size=n), y


def gen_f1_tie(rng, n, k):
    """Several distinct thresholds share the maximum F1 exactly (2/3).

    F1 >= 2/3 exactly when FP <= 2 TP - P.  The top score holds t1 >= P/2
    anomalous and 2 t1 - P normal samples, each lower block d more anomalous
    and 2 d more normal ones, so every block ends on the line FP = 2 TP - P;
    the remaining normal samples sit below, where F1 < 2/3.  The lowest block
    must win.
    """
    first = int(rng.integers((k + 1) // 2, k))  # at least two blocks
    steps = []  # anomalous count per block, top first
    rest = k - first
    while rest > 0:
        steps.append(int(rng.integers(1, rest + 1)))
        rest -= steps[-1]
    blocks = [(first, 2 * first - k)] + [(d, 2 * d) for d in steps]
    below = n - k - sum(neg for _, neg in blocks)
    if rng.random() < 0.5:  # block scores 1 ulp apart
        values = _ulp_ladder(rng.normal(), len(blocks), np.inf)[::-1]
    else:
        values = np.sort(rng.normal(size=len(blocks)) * 10.0 + 50.0)[::-1]
    scores, labels = [], []
    for value, (pos, neg) in zip(values, blocks):
        scores += [value] * (pos + neg)
        labels += [1] * pos + [0] * neg
    scores += list(rng.uniform(-10.0, values[-1], size=below))  # below every block
    labels += [0] * below
    order = rng.permutation(n)
    return np.array(scores)[order], np.array(labels)[order]


def gen_one_class(rng, n, k):
    y = np.full(n, 1 if k else 0, dtype=np.int64)
    s = rng.normal(size=n)
    if rng.random() < 0.5:
        s = np.round(s, 1)
    return s, y


def gen_one_class_equal(rng, n, k):
    return np.full(n, 0.75), np.full(n, 1 if k else 0, dtype=np.int64)


GENERATORS = {
    "gauss": gen_gauss,
    "uniform": gen_uniform,
    "detector": gen_detector,
    "saturated": gen_saturated,
    "rounded": gen_rounded,
    "smallset": gen_smallset,
    "scaled": gen_scaled,
    "integers": gen_integers,
    "ulp": gen_ulp,
    "separable": gen_separable,
    "ulp-separable": gen_ulp_separable,
    "reversed": gen_reversed,
    "one-swap": gen_one_swap,
    "all-equal": gen_all_equal,
    "signed-zero": gen_signed_zero,
    "subnormal": gen_subnormal,
    "tiny": gen_tiny,
    "f1-tie": gen_f1_tie,
    "one-class": gen_one_class,
    "one-class-equal": gen_one_class_equal,
}


def generate(spec):
    rng = np.random.default_rng(spec.seed)
    scores, labels = GENERATORS[spec.kind](rng, spec.n, spec.positives)
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    assert scores.shape == labels.shape == (spec.n,), spec
    assert np.all(np.isfinite(scores)), spec
    assert int(labels.sum()) == spec.positives, spec
    return scores, labels


# ---------------------------------------------------------------------------
# Writers. Floats are written with repr(), which round-trips exactly.


def _ids(labels):
    return [f"test/{'defect' if v else 'good'}/{i:06d}.png" for i, v in enumerate(labels.tolist())]


def write_csv(path, rng, scores, labels):
    """Writes a CSV/TSV with randomised column names, order, label spellings,
    delimiter, quoting, BOM and line ends; returns the path actually written
    and a short description."""
    delimiter = rng.choice([",", ",", ",", ";", "\t"])
    if delimiter == "\t":
        path = path.with_suffix(".tsv")
    newline = "\r\n" if rng.random() < 0.15 else "\n"
    normal_word, anomalous_word = LABEL_WORDS[rng.integers(len(LABEL_WORDS))]
    columns = {
        rng.choice(SCORE_COLUMNS): [repr(x) for x in scores.tolist()],
        rng.choice(LABEL_COLUMNS): [anomalous_word if v else normal_word for v in labels.tolist()],
    }
    if rng.random() < 0.5:
        columns[rng.choice(ID_COLUMNS)] = _ids(labels)
    if rng.random() < 0.15:
        columns["defect_type"] = ["crack" if v else "good" for v in labels.tolist()]
    names = list(columns)
    rng.shuffle(names)
    quoted = rng.random() < 0.15  # R's write.csv style: every text field quoted
    if quoted:
        for name in names:
            if name not in SCORE_COLUMNS:
                columns[name] = [f'"{v}"' for v in columns[name]]
    header = [f'"{name}"' if quoted else name for name in names]
    bom = "\ufeff" if rng.random() < 0.1 else ""  # as spreadsheet exports write it
    rows = zip(*(columns[name] for name in names))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(bom + delimiter.join(header) + newline)
        f.writelines(delimiter.join(row) + newline for row in rows)
    described = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    extras = "".join(
        [" quoted" if quoted else "", " BOM" if bom else "", " CRLF" if newline == "\r\n" else ""]
    )
    return path, (f"{described}{extras} {'/'.join(names)} "
                  f"labels={normal_word}/{anomalous_word}")


def _json_label(style, v):
    if style == "int":
        return int(v)
    if style == "bool":
        return bool(v)
    return "anomalous" if v else "normal"


def write_json(path, rng, scores, labels):
    """Writes JSON in one of the three layouts; returns the path and a description."""
    layout = ["objects", "arrays", "lines"][rng.integers(3)]
    style = ["int", "bool", "word"][rng.integers(3)]
    values = scores.tolist()
    marks = [_json_label(style, v) for v in labels.tolist()]
    if layout == "arrays":
        skey, lkey = rng.choice(ARRAY_SCORE_KEYS), rng.choice(ARRAY_LABEL_KEYS)
        doc = {skey: values, lkey: marks}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1 if rng.random() < 0.3 else None)
        return path, f"arrays {skey}/{lkey} labels={style}"
    skey, lkey = rng.choice(SCORE_COLUMNS), rng.choice(LABEL_COLUMNS)
    ikey = rng.choice(ID_COLUMNS) if rng.random() < 0.5 else None
    ids = _ids(labels)
    records = []
    for i, (s, m) in enumerate(zip(values, marks)):
        record = {skey: s, lkey: m}
        if ikey:
            record[ikey] = ids[i]
        records.append(record)
    if layout == "lines":
        path = path.with_suffix(".jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r) + "\n" for r in records)
    else:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(records, f, indent=1 if rng.random() < 0.3 else None)
    return path, f"{layout} {skey}/{lkey}{'/' + ikey if ikey else ''} labels={style}"


# ---------------------------------------------------------------------------
# Reference results from scikit-learn.


def f1_max_threshold(scores, labels):
    """The distinct score with the largest F1 = 2TP/(2TP+FP+FN), lowest among
    exact ties, chosen with integer arithmetic (no rounding can split a tie)."""
    distinct, inverse = np.unique(scores, return_inverse=True)  # ascending
    pos = np.bincount(inverse[labels == 1], minlength=len(distinct))
    neg = np.bincount(inverse[labels == 0], minlength=len(distinct))
    tp = np.cumsum(pos[::-1])[::-1].tolist()  # anomalous with score >= t
    fp = np.cumsum(neg[::-1])[::-1].tolist()
    total_pos = int(labels.sum())
    best, best_num, best_den = None, 0, 1
    for i in range(len(distinct)):
        num, den = 2 * tp[i], tp[i] + fp[i] + total_pos  # 2TP / (2TP + FP + FN)
        if best is None or num * best_den > best_num * den:  # strictly better only
            best, best_num, best_den = i, num, den
    return float(distinct[best]), len(distinct)


def check_against_pr_curve(scores, labels, threshold, n_distinct):
    """Cross-checks the chosen threshold with precision_recall_curve; returns
    problems (empty when consistent)."""
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    problems = []
    if len(thresholds) != n_distinct:
        problems.append(f"{len(thresholds)} curve thresholds, {n_distinct} distinct scores")
    p, r = precision[:-1], recall[:-1]  # the last point (P=1, R=0) has no threshold
    denom = p + r
    f1 = np.divide(2 * p * r, denom, out=np.zeros_like(p), where=denom > 0)
    at = np.flatnonzero(thresholds == threshold)
    if len(at) != 1:
        problems.append(f"threshold {threshold!r} is not a precision_recall_curve threshold")
    elif abs(f1[at[0]] - f1.max()) > TOLERANCE:
        problems.append(f"F1 at threshold {f1[at[0]]!r} but sklearn's max F1 is {f1.max()!r}")
    return problems


def expected_image(scores, labels, threshold, rule):
    """Every field of the JSON "image" object for this threshold and rule."""
    y = labels == 1
    pred = scores >= threshold if rule == ">=" else scores > threshold
    tp = int(np.sum(pred & y))
    fp = int(np.sum(pred & ~y))
    fn = int(np.sum(~pred & y))
    tn = int(np.sum(~pred & ~y))
    positives, negatives = tp + fn, fp + tn
    pred_int = pred.astype(np.int64)
    return {
        "n": len(scores),
        "positives": positives,
        "negatives": negatives,
        "threshold": threshold,
        "rule": rule,
        "policy": "f1",
        "f1": None if 2 * tp + fp + fn == 0
        else float(f1_score(labels, pred_int, pos_label=1, zero_division=0)),
        "precision": None if tp + fp == 0
        else float(precision_score(labels, pred_int, pos_label=1, zero_division=0)),
        "recall": None if positives == 0
        else float(recall_score(labels, pred_int, pos_label=1, zero_division=0)),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "auroc": float(roc_auc_score(labels, scores)) if positives and negatives else None,
        "ap": float(average_precision_score(labels, scores)) if positives else None,
        "min": float(scores.min()),
        "max": float(scores.max()),
    }


EXACT_INTS = ("n", "positives", "negatives", "tp", "fp", "fn", "tn")
EXACT_REALS = ("threshold", "min", "max")
CLOSE_REALS = ("f1", "precision", "recall", "auroc", "ap")
STRINGS = ("rule", "policy")


class _Missing:
    def __repr__(self):
        return "<missing>"


MISSING = _Missing()


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _show(v):
    """A value as the JSON output spells it."""
    return "null" if v is None else repr(v)


def compare_image(expected, got):
    """Failure messages ("field: ...") comparing an "image" object with the reference."""
    problems = []
    for key in EXACT_INTS:
        v = got.get(key, MISSING)
        if not (isinstance(v, int) and not isinstance(v, bool) and v == expected[key]):
            problems.append(f"{key}: expected {expected[key]}, got {_show(v)}")
    for key in EXACT_REALS:
        v = got.get(key, MISSING)
        if not (_is_number(v) and float(v) == expected[key]):
            problems.append(f"{key}: expected {expected[key]!r}, got {_show(v)}")
    for key in CLOSE_REALS:
        want, v = expected[key], got.get(key, MISSING)
        if want is None:
            if v is not None:
                problems.append(f"{key}: expected null, got {_show(v)}")
        elif not (_is_number(v) and abs(float(v) - want) <= TOLERANCE):
            diff = f" (diff {float(v) - want:.3g})" if _is_number(v) else ""
            problems.append(f"{key}: expected {want!r}, got {_show(v)}{diff}")
    for key in STRINGS:
        v = got.get(key, MISSING)
        if v != expected[key]:
            problems.append(f"{key}: expected {expected[key]!r}, got {_show(v)}")
    return problems


# ---------------------------------------------------------------------------
# Threshold policies (--policy) and the partial AUROC (--max-fpr).

POLICY_KINDS = ("recall", "fpr", "precision", "youden")
POLICY_TARGETS = ("0.5", "0.9", "0.95", "0.99", "1", "0", "0.1")
# other spellings of the same fractions: the "policy" field must echo them as given
TARGET_SPELLINGS = {"0.5": ".5", "0.9": "0.90", "1": "1.0", "0": "0.000", "0.1": "0.100"}
MAX_FPRS = ("0.05", "0.3", "1")
UNMET = "no threshold meets"
SELF_CHECK_SAMPLES = 20_000  # samples up to which sweep_self_check runs
POLICY_JSON_LIMIT = 20_000  # samples above which the policy runs read the CSV only
SLOW_CHECK_LIMIT = 3_000  # distinct scores up to which the policy choice is re-derived slowly


def parse_policy(policy):
    """'recall:0.95' -> ('recall', Fraction(19, 20)), 'youden' -> ('youden', None); a
    LEVEL= prefix is dropped.  The target is the exact decimal fraction it spells."""
    policy = policy.split("=", 1)[-1]
    kind, _, target = policy.partition(":")
    if kind not in POLICY_KINDS:
        raise ValueError(f"not a policy: {policy!r}")
    return kind, (Fraction(target) if target else None)


def sweep_counts(scores, labels):
    """The distinct scores ascending and, for each t, TP(t) and FP(t) of score >= t (int64)."""
    distinct, inverse = np.unique(scores, return_inverse=True)
    pos = np.bincount(inverse[labels == 1], minlength=len(distinct))
    neg = np.bincount(inverse[labels == 0], minlength=len(distinct))
    tp = np.cumsum(pos[::-1])[::-1].astype(np.int64)
    fp = np.cumsum(neg[::-1])[::-1].astype(np.int64)
    return distinct, tp, fp


def _exact(a, factor):
    """a (non-negative int64) itself if a * factor cannot overflow int64, else as Python ints."""
    top = int(a.max()) if len(a) else 0
    return a if top * max(int(factor), 1) < 2**62 else a.astype(object)


def policy_index(tp, fp, P, N, policy):
    """The index (into the ascending distinct scores) of the threshold a policy picks, or
    None when no threshold meets its target; exact rational arithmetic on the counts:
      recall:R     the highest t with TP/P >= R
      fpr:F        the lowest t with FP/N <= F
      precision:Q  the lowest t with TP/(TP+FP) >= Q  (TP+FP >= 1 at every distinct score)
      youden       the largest TP/P - FP/N (compared as TP*N - FP*P), lowest t on ties"""
    kind, target = parse_policy(policy)
    if kind == "youden":
        j = _exact(tp, N) * N - _exact(fp, P) * P
        return int(np.argmax(j))  # the first maximum: the lowest threshold
    a, b = target.numerator, target.denominator
    if kind == "recall":
        ok, pick = _exact(tp, b) * b >= a * P, -1
    elif kind == "fpr":
        ok, pick = _exact(fp, b) * b <= a * N, 0
    else:
        ok, pick = _exact(tp, b) * b >= _exact(tp + fp, b) * a, 0
    hits = np.flatnonzero(np.asarray(ok, dtype=bool))
    return int(hits[pick]) if len(hits) else None


def above(top, single):
    """Where fpr:F lands when no score meets it: the next value above the highest score
    in the level's precision (float32 for float32 maps, else double)."""
    if single:
        return float(np.nextafter(np.float32(top), np.float32(np.inf)))
    return float(np.nextafter(float(top), np.inf))


def policy_index_slow(tp, fp, P, N, policy):
    """policy_index again, literally, with fractions.Fraction (a second implementation)."""
    kind, target = parse_policy(policy)
    tp, fp = [int(v) for v in tp], [int(v) for v in fp]
    if kind == "youden":
        best = None
        for i in range(len(tp)):
            j = Fraction(tp[i], P) - Fraction(fp[i], N)
            if best is None or j > best[1]:
                best = (i, j)
        return best[0]
    if kind == "recall":
        met = [i for i in range(len(tp)) if Fraction(tp[i], P) >= target]
    elif kind == "fpr":
        met = [i for i in range(len(tp)) if Fraction(fp[i], N) <= target]
    else:
        met = [i for i in range(len(tp)) if Fraction(tp[i], tp[i] + fp[i]) >= target]
    if not met:
        return None
    return max(met) if kind == "recall" else min(met)


def sweep_self_check(scores, labels, distinct, tp, fp, policies):
    """sweep_counts against sklearn's roc_curve (up to SELF_CHECK_SAMPLES samples), and
    policy_index against policy_index_slow (up to SLOW_CHECK_LIMIT distinct scores);
    returns problems (empty when consistent)."""
    problems = []
    P, N = int(tp[0]), int(fp[0])
    if len(scores) <= SELF_CHECK_SAMPLES:
        fpr, tpr, thresholds = roc_curve(labels, scores, drop_intermediate=False)
        if not (len(thresholds) == len(distinct) + 1
                and np.array_equal(thresholds[1:], distinct[::-1])
                and np.array_equal(np.rint(tpr[1:] * P).astype(np.int64), tp[::-1])
                and np.array_equal(np.rint(fpr[1:] * N).astype(np.int64), fp[::-1])):
            problems.append("sweep_counts disagrees with roc_curve")
    if len(distinct) <= SLOW_CHECK_LIMIT:
        for policy in policies:
            fast, slow = policy_index(tp, fp, P, N, policy), policy_index_slow(tp, fp, P, N, policy)
            if fast != slow:
                problems.append(f"{policy}: policy_index {fast}, policy_index_slow {slow}")
    return problems


def near_target(rng, kind, tp, fp, P, N):
    """An 18-decimal target right next to a ratio q some threshold achieves, so that it
    reads as the same double as q: only an exact comparison tells whether that threshold
    meets it.  Mostly on the side where it does not (q rounded up to 1e-18 for recall and
    precision, down for fpr; q itself when it has at most 18 decimals), else the other."""
    for _ in range(8):  # prefer a ratio that is no short decimal
        i = int(rng.integers(len(tp)))
        t, f = int(tp[i]), int(fp[i])
        q = {"recall": Fraction(t, P), "fpr": Fraction(f, N),
             "precision": Fraction(t, t + f)}[kind]
        scaled = q * 10**18
        if scaled.denominator != 1:
            break
    up = (kind != "fpr") == (rng.random() < 0.75)
    v = math.ceil(scaled) if up else math.floor(scaled)
    return "1" if v >= 10**18 else f"0.{v:018d}"


def random_policy(rng, kind):
    if kind == "youden":
        return "youden"
    target = str(rng.choice(POLICY_TARGETS))
    if target in TARGET_SPELLINGS and rng.random() < 0.15:
        target = TARGET_SPELLINGS[target]
    return f"{kind}:{target}"


def level_at(base, threshold, rule, policy, tp, fp, fn, tn):
    """A level object as `base` (n, positives, negatives, auroc, ap, min, max) at another
    threshold: the counts given, f1/precision/recall the doubles nearest their fractions."""
    out = dict(base)
    out.update({
        "threshold": float(threshold), "rule": rule, "policy": policy,
        "f1": None if 2 * tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn),
        "precision": None if tp + fp == 0 else tp / (tp + fp),
        "recall": None if tp + fn == 0 else tp / (tp + fn),
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
    })
    return out


def policy_level(scores, labels, policy, rule, base, sweep=None, single=False):
    """The expected level object of a --policy run (policy without its LEVEL= prefix),
    counts taken by comparing every score with the chosen threshold; None when no
    threshold meets the target.  sweep: sweep_counts(scores, labels) if already known;
    single: the scores are float32 values (fpr:F that none meets lands on a float32)."""
    distinct, tp, fp = sweep if sweep is not None else sweep_counts(scores, labels)
    index = policy_index(tp, fp, int(tp[0]), int(fp[0]), policy)
    if index is None and policy.startswith("fpr:"):
        t = above(distinct[-1], single)
    elif index is None:
        return None
    else:
        t = distinct[index]
    y = labels == 1
    pred = scores >= t if rule == ">=" else scores > t
    return level_at(base, t, rule, policy, int(np.sum(pred & y)), int(np.sum(pred & ~y)),
                    int(np.sum(~pred & y)), int(np.sum(~pred & ~y)))


def partial_auroc(labels, scores, max_fpr):
    """scikit-learn's McClish-standardised partial AUROC (the plain AUROC for 1)."""
    return float(roc_auc_score(labels, np.asarray(scores, dtype=np.float64),
                               max_fpr=float(Fraction(max_fpr))))


def compare_pauroc(max_fpr, pauroc, got):
    """Failure messages for the "max_fpr" and "pauroc" fields (absent without --max-fpr)."""
    if max_fpr is None:
        return [f"{key}: expected no such field without --max-fpr, got {_show(got[key])}"
                for key in ("max_fpr", "pauroc") if key in got]
    problems = []
    v = got.get("max_fpr", MISSING)
    if not (_is_number(v) and float(v) == float(max_fpr)):
        problems.append(f"max_fpr: expected {float(max_fpr)!r}, got {_show(v)}")
    v = got.get("pauroc", MISSING)
    if not (_is_number(v) and abs(float(v) - pauroc) <= TOLERANCE):
        diff = f" (diff {float(v) - pauroc:.3g})" if _is_number(v) else ""
        problems.append(f"pauroc: expected {pauroc!r}, got {_show(v)}{diff}")
    return problems


def check_unmet(rc, out, err):
    """A policy target no threshold meets: exit 2, "no threshold meets" on stderr, no result."""
    problems = []
    if rc != 2:
        problems.append(f"exit: expected 2 (no threshold meets the target), got {rc}")
    if UNMET not in err:
        problems.append(f"stderr: expected {UNMET!r}, got {first_line(err)!r}")
    if out.strip():
        problems.append(f"stdout: expected no result, got {first_line(out)}")
    return problems


# ---------------------------------------------------------------------------
# Running adthresh.


def run_adthresh(args, path):
    return harness.run(["--format", "json", *args, path])


def check_success_run(path, args, expected):
    doc, problems = harness.parse_json(*run_adthresh(args, path), level="image")
    if doc is None:
        return problems
    problems = compare_image(expected, doc["image"])
    if "adthresh" not in doc:
        problems.append("adthresh: version key missing")
    if "pixel" in doc:
        problems.append("pixel: present although no pixel input was given")
    return problems


def check_refusal_run(path, args):
    """A one-class input without --allow-one-class: exit 2, a message, no result."""
    rc, out, err = run_adthresh(args, path)
    problems = []
    if rc != 2:
        problems.append(f"exit: expected 2 for one-class input, got {rc}")
    if not err.strip():
        problems.append("stderr: expected an error message, got nothing")
    if out.strip():
        problems.append(f"stdout: expected no result, got {first_line(out)}")
    return problems


def check_policy_run(path, args, expected, max_fpr, pauroc):
    """A --policy/--max-fpr run: expected None means no threshold meets the target."""
    rc, out, err = run_adthresh(args, path)
    if expected is None:
        return check_unmet(rc, out, err)
    doc, problems = harness.parse_json(rc, out, err, level="image")
    if doc is None:
        return problems
    return compare_image(expected, doc["image"]) + compare_pauroc(max_fpr, pauroc, doc["image"])


def plan_policy_runs(spec, scores, labels, base, csv_file, json_file):
    """The --policy/--max-fpr runs of one dataset: [(run name, file, description, options,
    expected level or None, max_fpr or None, pauroc)], and oracle self-check problems.

    policy-a: a random policy with --max-fpr, on the CSV; policy-b: another policy,
    sometimes as image=P, sometimes with --max-fpr, with --rule gt on every fifth dataset,
    on the JSON (on the CSV above POLICY_JSON_LIMIT samples); policy-near (every third
    dataset): an 18-decimal target next to an achieved ratio (see near_target)."""
    rng = np.random.default_rng(spec.seed + 2)  # not the file-format stream
    distinct, tp, fp = sweep_counts(scores, labels)
    P, N = int(tp[0]), int(fp[0])
    kinds = [str(k) for k in rng.permutation(POLICY_KINDS)]
    youden = _exact(tp, N) * N - _exact(fp, P) * P
    if np.sum(youden == youden.max()) > 1 and "youden" not in kinds[:2]:
        kinds[1] = "youden"  # distinct thresholds tie for the best TPR - FPR: run it
    plans = [("policy-a", csv_file, random_policy(rng, kinds[0]), "",
              str(rng.choice(MAX_FPRS)), ">=")]
    prefix = "image=" if rng.random() < 0.25 else ""
    max_fpr = str(rng.choice(MAX_FPRS)) if rng.random() < 0.5 else None
    big = spec.n > POLICY_JSON_LIMIT  # the JSON reader is slower; the JSON runs above cover it
    plans.append(("policy-b", csv_file if big else json_file, random_policy(rng, kinds[1]),
                  prefix, max_fpr, ">" if spec.index % 5 == 0 else ">="))
    if spec.index % 3 == 0:
        kind = str(rng.choice(["recall", "fpr", "precision"]))
        file = csv_file if big or rng.random() < 0.5 else json_file
        plans.append(("policy-near", file, f"{kind}:{near_target(rng, kind, tp, fp, P, N)}",
                      "", None, ">="))

    self_check = sweep_self_check(scores, labels, distinct, tp, fp, [p[2] for p in plans])
    paurocs, runs = {}, []
    for name, (path, description), policy, prefix, max_fpr, rule in plans:
        options = ["--policy", prefix + policy]
        if max_fpr is not None:
            options += ["--max-fpr", max_fpr]
            if max_fpr not in paurocs:
                paurocs[max_fpr] = partial_auroc(labels, scores, max_fpr)
        if rule == ">":
            options += ["--rule", "gt"]
        expected = policy_level(scores, labels, policy, rule, base, (distinct, tp, fp))
        runs.append((name, path, description, options, expected, max_fpr,
                     paurocs.get(max_fpr)))
    return runs, self_check


def check_dataset(spec, workdir):
    """Generates, writes and checks one dataset; returns its Results."""
    warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning on one-class data
    scores, labels = generate(spec)
    rng = np.random.default_rng(spec.seed + 1)  # file-format choices
    base = Path(workdir) / spec.name
    csv_path, csv_desc = write_csv(base.with_suffix(".csv"), rng, scores, labels)
    json_path, json_desc = write_json(base.with_suffix(".json"), rng, scores, labels)

    positives = int(labels.sum())
    one_class = positives in (0, spec.n)
    self_check = []
    n_distinct = spec.n
    if one_class:
        threshold = float(scores.max() if positives == 0 else scores.min())
    else:
        threshold, n_distinct = f1_max_threshold(scores, labels)
        self_check = check_against_pr_curve(scores, labels, threshold, n_distinct)
    ge = expected_image(scores, labels, threshold, ">=")
    gt = expected_image(scores, labels, threshold, ">")

    csv_file, json_file = (csv_path, csv_desc), (json_path, json_desc)
    flag = ["--allow-one-class"] if one_class else []
    runs = []  # (run name, file, description, options, expected or None for a refusal)
    if one_class:
        runs.append(("csv-refused", *csv_file, [], None))
        runs.append(("json-refused", *json_file, [], None))
    runs.append(("csv", *csv_file, flag, ge))
    runs.append(("json", *json_file, flag, ge))
    if one_class or spec.index % 3 == 0:
        gt_file = csv_file if spec.index % 2 == 0 else json_file
        runs.append(("rule-gt", *gt_file, [*flag, "--rule", "gt"], gt))

    results = []
    for run_name, path, description, options, expected in runs:
        if expected is None:
            problems = check_refusal_run(path, options)
        else:
            problems = check_success_run(path, options, expected)
        if self_check and not results:  # an oracle inconsistency counts once
            problems = [f"oracle self-check: {p}" for p in self_check] + problems
        results.append(Result(f"{spec.name}/{run_name}", problems,
                                 " ".join([path.name, *options]) + f": {description}"))

    # --policy and --max-fpr: every fourth dataset and every one with tied scores
    policy_plan = []
    if not one_class and (spec.index % 4 == 0 or n_distinct < spec.n):
        policy_plan, policy_self_check = plan_policy_runs(spec, scores, labels, ge,
                                                          csv_file, json_file)
        for run_name, path, description, options, expected, max_fpr, pauroc in policy_plan:
            problems = check_policy_run(path, options, expected, max_fpr, pauroc)
            if policy_self_check:  # counts once, with the first policy run
                problems = [f"oracle self-check: {p}" for p in policy_self_check] + problems
                policy_self_check = []
            results.append(Result(f"{spec.name}/{run_name}", problems,
                                     " ".join([path.name, *options]) + f": {description}"))

    if os.environ.get("ORACLE_KEEP"):
        with open(base.with_suffix(".expected.json"), "w", encoding="utf-8") as f:
            json.dump({"csv": [csv_path.name, csv_desc], "json": [json_path.name, json_desc],
                       "image": ge, "image_rule_gt": gt,
                       "policy_runs": [{"run": r[0], "file": r[1].name, "options": r[3],
                                        "image": r[4] if r[4] is not None else UNMET,
                                        "pauroc": r[6]} for r in policy_plan]},
                      f, indent=1)
    return results


# ---------------------------------------------------------------------------


def select_specs():
    specs = build_catalogue()
    if os.environ.get("ORACLE_QUICK", "") not in ("", "0"):
        specs = [s for s in specs if s.index % 5 == 0 or s.kind.startswith("one-class")]
    only = os.environ.get("ORACLE_ONLY")
    if only:
        specs = [s for s in specs if only in s.name]
    return specs


def check_all(work, suite):
    """The datasets, in worker processes; returns "D datasets"."""
    specs = select_specs()
    jobs = int(os.environ.get("ORACLE_JOBS") or 2)
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(check_dataset, spec, work) for spec in specs]
        for spec, future in zip(specs, futures):
            try:
                results = future.result()
            except Exception as exc:  # a bug in the oracle itself: report, go on
                results = [Result(f"{spec.name}/oracle", [f"oracle error: {exc!r}"])]
            suite.report(results)
    return f"{len(specs)} datasets"


def main():
    return harness.run_suite("oracle", check_all, keep_in_new_folder=False)


if __name__ == "__main__":
    sys.exit(main())
