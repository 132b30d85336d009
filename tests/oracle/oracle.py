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
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

try:
    import numpy as np
    from sklearn.metrics import (
        average_precision_score,
        f1_score,
        precision_recall_curve,
        precision_score,
        recall_score,
        roc_auc_score,
    )
except ImportError as exc:  # pragma: no cover - environment problem
    sys.exit(f"oracle: needs numpy and scikit-learn ({exc}); run it with /usr/bin/python3")

REPO = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-12
RUN_TIMEOUT = 120  # seconds per adthresh run
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
# Running adthresh.


@dataclass
class RunResult:
    label: str  # "dataset/run"
    problems: list = field(default_factory=list)
    context: str = ""  # how the input file was written, shown with failures


def _adthresh_path():
    path = Path(os.environ.get("ADTHRESH") or "build/adthresh")
    return path if path.is_absolute() else REPO / path


def run_adthresh(args, path):
    cmd = [str(_adthresh_path()), "--format", "json", *args, str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {RUN_TIMEOUT} s"
    except OSError as exc:  # e.g. the binary is being rebuilt
        return None, "", f"cannot run {cmd[0]}: {exc}"
    return proc.returncode, proc.stdout, proc.stderr


def _first_line(text):
    text = text.strip()
    return text.splitlines()[0] if text else "(empty)"


def check_success_run(path, args, expected):
    rc, out, err = run_adthresh(args, path)
    if rc != 0:
        return [f"exit: expected 0, got {rc}; stderr: {_first_line(err)}"]
    try:
        doc = json.loads(out)
    except ValueError as exc:
        return [f"output: not JSON ({exc}): {_first_line(out)}"]
    if not isinstance(doc, dict) or not isinstance(doc.get("image"), dict):
        return [f"output: no \"image\" object: {_first_line(out)}"]
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
        problems.append(f"stdout: expected no result, got {_first_line(out)}")
    return problems


def check_dataset(spec, workdir):
    """Generates, writes and checks one dataset; returns its RunResults."""
    warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning on one-class data
    scores, labels = generate(spec)
    rng = np.random.default_rng(spec.seed + 1)  # file-format choices
    base = Path(workdir) / spec.name
    csv_path, csv_desc = write_csv(base.with_suffix(".csv"), rng, scores, labels)
    json_path, json_desc = write_json(base.with_suffix(".json"), rng, scores, labels)

    positives = int(labels.sum())
    one_class = positives in (0, spec.n)
    self_check = []
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
        results.append(RunResult(f"{spec.name}/{run_name}", problems,
                                 " ".join([path.name, *options]) + f": {description}"))

    if os.environ.get("ORACLE_KEEP"):
        with open(base.with_suffix(".expected.json"), "w", encoding="utf-8") as f:
            json.dump({"csv": [csv_path.name, csv_desc], "json": [json_path.name, json_desc],
                       "image": ge, "image_rule_gt": gt}, f, indent=1)
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


def main():
    binary = _adthresh_path()
    if not os.access(binary, os.X_OK):
        print(f"oracle: {binary} is missing or not executable (run make first)", file=sys.stderr)
        print("oracle: 0 passed, 1 failed")
        return 1
    specs = select_specs()
    jobs = int(os.environ.get("ORACLE_JOBS") or 2)
    keep = os.environ.get("ORACLE_KEEP")
    start = time.monotonic()
    passed = failed = 0
    if keep:
        os.makedirs(keep, exist_ok=True)
        workdir_context = contextlib.nullcontext(keep)
    else:
        workdir_context = tempfile.TemporaryDirectory(prefix="adthresh-oracle-")
    with workdir_context as workdir:
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(check_dataset, spec, workdir) for spec in specs]
            for spec, future in zip(specs, futures):
                try:
                    results = future.result()
                except Exception as exc:  # a bug in the oracle itself: report, go on
                    results = [RunResult(f"{spec.name}/oracle", [f"oracle error: {exc!r}"])]
                for result in results:
                    if result.problems:
                        failed += 1
                        for problem in result.problems:
                            print(f"FAIL {result.label}: {problem}")
                        if result.context:
                            print(f"     ({result.context})")
                    else:
                        passed += 1
                sys.stdout.flush()
    elapsed = time.monotonic() - start
    where = f"; files kept in {keep}" if keep else ""
    print(f"oracle: {len(specs)} datasets, {passed + failed} runs in {elapsed:.1f} s{where}")
    print(f"oracle: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
