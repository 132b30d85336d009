#!/usr/bin/python3
"""Cross-check calibration on normal data against numpy.

A validation folder holds only normal images (val/good/NNN.npy, no masks);
a labelled test folder holds good and defective images
(test/test/{good,crack}/NNN.npy, test/ground_truth/crack/NNN_mask.npy).
Maps are float32 or float64, of different sizes, often with tied values.
For each generated case:

  fpr:F    on the validation folder, at both levels (the image level from
           the map maxima): the threshold must be the lowest distinct score
           whose false-positive rate #(normal >= t) / #normal is at most F,
           compared as exact fractions; when none is, the next value above
           the highest score in the level's precision (float32 maps and
           their maxima: the next float32; float64 maps and score files: the
           next double).
           Also on the test folder, with anomalies present.
  sigma:K  mean + K * std (numpy, float64, ddof=0) of the normal scores, on
           the validation folder and on the test folder (where only its
           normal pixels and images count): within 1e-12 relative of
           numpy's value, as are normal_mean and normal_std; with 1 and 2
           threads.
  counts   tp, fp, fn, tn and fpr at every reported threshold, recounted
           with numpy under the case's rule (>= or >); recall, precision,
           F1, AUROC and AP null on a level without anomalies.
  flow     --save-thresholds on the validation folder, then --thresholds on
           the test folder (--map-maxima): the counts there equal numpy's at
           the saved values.
  scores   a scores CSV of doubles (all normal, or mixed) with fpr:F and
           sigma:K at the image level.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/calibration_oracle.py

Environment:
  ADTHRESH=PATH      the binary (default build/adthresh)
  ORACLE_KEEP=DIR    keep the generated files in DIR

Ends with "calibration-oracle: N passed, M failed".
"""
import json
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import run  # noqa: E402

with harness.needs("calibration-oracle", "numpy (Debian: python3-numpy)"):
    import numpy as np

CASES = 16
SEED = 20261204
FPRS = ["0", "0.001", "0.01", "0.05", "0.25", "1"]
KS = ["0", "1", "2.5", "3"]
REL = 1e-12


def write_map(path, values):
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, values)


def make_values(rng, dtype, h, w, shift=0.0):
    """Scores with many ties (quantised) or none, as the case says."""
    v = rng.normal(0.5 + shift, 0.15, (h, w))
    if rng.random() < 0.5:
        v = np.round(v * 64) / 64
    return v.astype(dtype)


def build(rng, root, dtype):
    """Writes val/ and test/ under root; returns (val images, test images),
    each image (id, values as float64, mask as bool)."""
    val, test = [], []
    for j in range(int(rng.integers(3, 8))):
        h, w = int(rng.integers(4, 30)), int(rng.integers(4, 30))
        v = make_values(rng, dtype, h, w)
        write_map(root / "val" / "good" / f"{j:03d}.npy", v)
        val.append((f"good/{j:03d}", v.astype(np.float64), np.zeros((h, w), bool)))
    for folder, count in (("good", int(rng.integers(2, 5))), ("crack", int(rng.integers(2, 5)))):
        for j in range(count):
            h, w = int(rng.integers(4, 30)), int(rng.integers(4, 30))
            mask = np.zeros((h, w), bool)
            if folder == "crack":
                y, x = int(rng.integers(0, h - 2)), int(rng.integers(0, w - 2))
                mask[y:y + int(rng.integers(1, h - y)), x:x + int(rng.integers(1, w - x))] = True
            v = make_values(rng, dtype, h, w)
            v = np.where(mask, (v.astype(np.float64) + 0.3).astype(dtype), v)
            write_map(root / "test" / "test" / folder / f"{j:03d}.npy", v)
            if folder == "crack":
                write_map(root / "test" / "ground_truth" / folder / f"{j:03d}_mask.npy",
                          mask.astype(np.uint8))
            test.append((f"{folder}/{j:03d}", v.astype(np.float64), mask))
    return val, test


def levels(images):
    """{level: (scores float64, labels bool)}: every pixel; the map maxima."""
    px = np.concatenate([v.ravel() for _, v, _ in images])
    pl = np.concatenate([m.ravel() for _, _, m in images])
    iv = np.array([v.max() for _, v, _ in images])
    il = np.array([m.any() for _, _, m in images])
    return {"image": (iv, il), "pixel": (px, pl)}


def flagged(scores, t, rule):
    return scores > t if rule == "gt" else scores >= t


def next_up(x, single):
    if single:
        return float(np.nextafter(np.float32(x), np.float32(np.inf)))
    return float(np.nextafter(x, np.inf))


def fpr_threshold(scores, labels, f, single):
    """The lowest distinct score whose FPR is at most f (exact), else the next
    value above the highest score."""
    neg = np.sort(scores[~labels])
    n = len(neg)
    best = None
    for t in np.unique(scores):
        fp = n - np.searchsorted(neg, t, side="left")
        if Fraction(int(fp), n) <= f:
            best = float(t)
            break
    return best if best is not None else next_up(float(scores.max()), single)


def close(a, b):
    return abs(a - b) <= REL * max(abs(a), abs(b), 1e-300)


def check_counts(lv, scores, labels, rule, where):
    t = lv["threshold"]
    f = flagged(scores, t, rule)
    want = {"tp": int((f & labels).sum()), "fp": int((f & ~labels).sum()),
            "fn": int((~f & labels).sum()), "tn": int((~f & ~labels).sum())}
    problems = [f"{where}: {k} {lv.get(k)}, numpy {v} at {t!r}"
                for k, v in want.items() if lv.get(k) != v]
    neg = int((~labels).sum())
    fpr = want["fp"] / neg if neg else None
    if fpr is None and lv.get("fpr") is not None or fpr is not None and lv.get("fpr") != fpr:
        problems.append(f"{where}: fpr {lv.get('fpr')}, numpy {fpr}")
    if not labels.any():
        for k in ("recall", "precision", "f1", "auroc", "ap"):
            if lv.get(k) is not None:
                problems.append(f"{where}: {k} {lv.get(k)} without anomalies, expected null")
    return problems


def check_level(doc, level, data, policy, rule, single, where):
    lv = doc.get(level)
    scores, labels = data[level]
    if not isinstance(lv, dict):
        return [f"{where}: no {level} level"]
    problems = []
    if policy.startswith("fpr:"):
        want = fpr_threshold(scores, labels, Fraction(policy[4:]), single)
        if lv["threshold"] != want:
            problems.append(f"{where}: {level} threshold {lv['threshold']!r}, numpy {want!r}")
    else:
        k = float(policy[6:])
        neg = scores[~labels]
        mean, std = float(np.mean(neg)), float(np.std(neg))
        want = mean + k * std
        if not close(lv["threshold"], want):
            problems.append(f"{where}: {level} threshold {lv['threshold']!r}, numpy {want!r}")
        if not close(lv.get("normal_mean", 0.0), mean) or \
                not (abs(lv.get("normal_std", -1.0) - std) <= REL * max(abs(std), abs(mean))):
            problems.append(f"{where}: {level} mean/std {lv.get('normal_mean')!r} "
                            f"{lv.get('normal_std')!r}, numpy {mean!r} {std!r}")
    if lv.get("policy") != policy:
        problems.append(f"{where}: {level} policy {lv.get('policy')!r}")
    return problems + check_counts(lv, scores, labels, rule, f"{where} {level}")


def json_run(args):
    rc, out, err = run([*args, "--format", "json"])
    return harness.parse_json(rc, out, err)


def check_case(work, rng, case, suite):
    dtype = np.float32 if case % 2 == 0 else np.float64
    single = dtype == np.float32
    rule = "gt" if case % 4 >= 2 else "ge"
    root = work / f"case{case:02d}"
    val, test = build(rng, root, dtype)
    vdata, tdata = levels(val), levels(test)
    tag = f"case{case:02d} {np.dtype(dtype).name} {rule}"
    vargs = ["--maps", root / "val", "--rule", rule]
    targs = ["--maps", root / "test", "--masks", root / "test", "--rule", rule, "--map-maxima"]
    for policy in [f"fpr:{f}" for f in FPRS] + [f"sigma:{k}" for k in KS]:
        for name, args, data in (("val", vargs, vdata), ("test", targs, tdata)):
            threads = ["--threads", "1" if case % 3 else "2"]
            doc, problems = json_run([*args, *threads, "--policy", policy])
            where = f"{tag} {name} {policy}"
            if doc:
                for level in ("image", "pixel"):
                    problems += check_level(doc, level, data, policy, rule, single, where)
            suite.record(where, problems, " ".join(map(str, args)))
    # The flow: calibrate on val, apply on test.
    policy = f"pixel=sigma:{KS[case % len(KS)]}"
    saved = root / "thr.json"
    rc, out, err = run([*vargs, "--policy", f"image=fpr:{FPRS[case % len(FPRS)]}",
                        "--policy", policy, "--save-thresholds", saved, "-q"])
    problems = [] if rc == 0 else [f"save: exit {rc}: {harness.first_line(err)}"]
    if rc == 0:
        thr = json.loads(saved.read_text())
        doc, problems = json_run([*targs, "--thresholds", saved])
        for level in ("image", "pixel") if doc else ():
            want = thr[level]["threshold"]
            if doc[level]["threshold"] != want:
                problems.append(f"{level} threshold {doc[level]['threshold']!r}, saved {want!r}")
            problems += check_counts(doc[level], *tdata[level], rule, f"flow {level}")
    suite.record(f"{tag} flow", problems)


def check_scores(work, rng, suite):
    """Double scores from a CSV: all normal, and mixed."""
    for case in range(8):
        n = int(rng.integers(3, 40))
        scores = rng.normal(0, 1, n) * 10.0 ** float(rng.integers(-3, 4))
        if case % 2:
            scores = np.round(scores, 1)
        labels = np.zeros(n, bool) if case < 4 else rng.random(n) < 0.4
        labels[0] = False
        path = work / f"scores{case}.csv"
        path.write_text("score,label\n" + "".join(
            f"{s!r},{int(l)}\n" for s, l in zip(scores.tolist(), labels)))
        rule = "gt" if case % 3 == 0 else "ge"
        data = {"image": (scores, labels)}
        for policy in [f"fpr:{f}" for f in FPRS] + [f"sigma:{k}" for k in KS]:
            doc, problems = json_run([path, "--rule", rule, "--policy", policy])
            if doc:
                problems += check_level(doc, "image", data, policy, rule, False,
                                        f"scores{case}")
            suite.record(f"scores{case} {rule} {policy}", problems)


def check_all(work, suite):
    rng = np.random.default_rng(SEED)
    for case in range(CASES):
        check_case(work, rng, case, suite)
    check_scores(work, rng, suite)
    return f"{CASES} folder cases, 8 score files"


def main():
    return harness.run_suite("calibration-oracle", check_all)


if __name__ == "__main__":
    sys.exit(main())
