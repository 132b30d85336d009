#!/usr/bin/python3
"""Cross-check --policy corner and --compare-policies against a brute force.

For generated data, every distinct score is a candidate threshold; the counts
at each (score >= t) come from numpy, and each policy's choice is made with
exact Python integers (fractions cross-multiplied):

  f1           the highest 2 tp / (tp + fp + P), the lowest t on ties
  youden       the highest tp / P - fp / N, the lowest t on ties
  corner       the lowest (fp / N)^2 + (fn / P)^2, the lowest t on ties
  recall:R     the highest t with tp / P >= R
  fpr:F        the lowest t with fp / N <= F
  precision:P  the lowest t with tp / (tp + fp) >= P

Every entry of each level's "policies" object must hold that threshold and
the counts of the run's rule at it (score >= t, or score > t with --rule gt),
with precision, recall, f1 and fpr the double quotients of those counts; an
entry a policy cannot fill (one class, a target no score meets) is all null.
The main result of --policy corner must be the corner entry.

Data: image-level scores CSV files (continuous, rounded to few levels, with
heavy ties) and pixel folders of NPY maps (float32 and float64) with PNG
masks in the MVTec AD layout (image level from the map maxima); rules ge and
gt; one run on a level with normal samples only.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/compare_oracle.py

Environment:
  ADTHRESH=PATH    the binary (default build/adthresh)

Ends with "compare-oracle: N passed, M failed".
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

with harness.needs("compare-oracle", "numpy and PIL"):
    import numpy as np
    from PIL import Image

SEED = 20261204
TARGETS = ("recall:0.9", "fpr:0.05", "precision:0.8")
STANDARD = ("f1", "youden", "corner")


def fraction(text):
    """A decimal target as (num, den)."""
    whole, _, frac = text.partition(".")
    return int(whole + frac), 10 ** len(frac)


def counts(values, labels):
    """Distinct scores from the highest down, with tp(t), fp(t) of score >= t and
    tp, fp of score > t, as Python ints."""
    pos, neg = np.sort(values[labels]), np.sort(values[~labels])
    distinct = np.unique(values)[::-1]
    tp = len(pos) - np.searchsorted(pos, distinct, "left")
    fp = len(neg) - np.searchsorted(neg, distinct, "left")
    tp_gt = len(pos) - np.searchsorted(pos, distinct, "right")
    fp_gt = len(neg) - np.searchsorted(neg, distinct, "right")
    return (distinct, [int(x) for x in tp], [int(x) for x in fp], [int(x) for x in tp_gt],
            [int(x) for x in fp_gt], len(pos), len(neg))


def choose(policy, tp, fp, P, N):
    """The index (into the descending distinct scores) that policy picks, or None."""
    n = len(tp)
    if N == 0 or (P == 0 and not policy.startswith("fpr:")):
        return None
    if policy in STANDARD:
        def key(i):  # a pair (numerator, denominator) to maximise
            if policy == "f1":
                return 2 * tp[i], tp[i] + fp[i] + P
            if policy == "youden":
                return tp[i] * N - fp[i] * P, N * P
            fn = P - tp[i]
            return -(fp[i] * fp[i] * P * P + fn * fn * N * N), N * N * P * P
        best = 0
        for i in range(1, n):  # lower thresholds later: >= keeps the lowest on ties
            a, b = key(i), key(best)
            if a[0] * b[1] >= b[0] * a[1]:
                best = i
        return best
    kind, target = policy.split(":")
    num, den = fraction(target)
    if kind == "recall":
        ok = [i for i in range(n) if tp[i] * den >= num * P]
        return ok[0] if ok else None
    if kind == "fpr":
        ok = [i for i in range(n) if fp[i] * den <= num * N]
    else:
        ok = [i for i in range(n) if tp[i] + fp[i] > 0 and tp[i] * den >= num * (tp[i] + fp[i])]
    return ok[-1] if ok else None


def quotient(a, b):
    return a / b if b else None


def expected(values, labels, policies, rule):
    """{policy: the entry the JSON must hold}."""
    distinct, tp, fp, tp_gt, fp_gt, P, N = counts(values, labels)
    want = {}
    for policy in policies:
        i = choose(policy, tp, fp, P, N)
        if i is None and policy.startswith("fpr:") and N > 0:
            # No score meets it: the next value above the highest score, in
            # the scores' precision, which flags nothing.
            top = distinct[0]
            above = float(np.nextafter(np.float32(top), np.float32(np.inf))) \
                if values.dtype == np.float32 else float(np.nextafter(float(top), np.inf))
            want[policy] = {"threshold": above, "precision": None,
                            "recall": quotient(0, P), "f1": 0.0 if P else None,
                            "fpr": 0.0, "tp": 0, "fp": 0, "fn": P, "tn": N}
            continue
        if i is None:
            want[policy] = dict.fromkeys(
                ("threshold", "precision", "recall", "f1", "fpr", "tp", "fp", "fn", "tn"))
            continue
        t, f = (tp_gt[i], fp_gt[i]) if rule == "gt" else (tp[i], fp[i])
        want[policy] = {"threshold": float(distinct[i]), "precision": quotient(t, t + f),
                        "recall": quotient(t, P), "f1": quotient(2 * t, 2 * t + f + (P - t)),
                        "fpr": quotient(f, N), "tp": t, "fp": f, "fn": P - t, "tn": N - f}
        if P == 0:  # a level without anomalies: precision and F1 say nothing
            want[policy]["precision"] = want[policy]["f1"] = None
    return want


def compare_level(got, want, where):
    problems = []
    entries = got.get("policies")
    if not isinstance(entries, dict):
        return [f"{where}: no \"policies\" object"]
    if list(entries) != list(want):
        problems.append(f"{where}: policies {list(entries)}, expected {list(want)}")
    for policy, fields in want.items():
        entry = entries.get(policy, {})
        for name, value in fields.items():
            if entry.get(name, "missing") != value:
                problems.append(f"{where} {policy}.{name}: got {entry.get(name, 'missing')}, "
                                f"expected {value}")
    return problems


def policy_args(policies):
    """--policy options that make every policy compared and leave f1 the main one."""
    args = []
    for p in policies:
        if p not in STANDARD:
            args += ["--policy", p]
    return args + ["--policy", "f1"]


# ---------------------------------------------------------------------------
# Data


def image_scores(rng, kind, n):
    labels = rng.random(n) < rng.uniform(0.2, 0.8)
    labels[0], labels[1] = True, False
    scores = rng.normal(0, 1, n) + labels * rng.uniform(0.5, 2.5)
    if kind == "rounded":
        scores = np.round(scores, 1)
    elif kind == "levels":
        scores = rng.integers(0, 6, n) + labels * rng.integers(0, 3, n) * 1.0
    elif kind == "normal-only":
        labels[:] = False
    return scores.astype(np.float64), labels


def write_csv(path, scores, labels):
    with open(path, "w") as f:
        f.write("image_path,score,label\n")
        for i, (s, y) in enumerate(zip(scores, labels)):
            f.write(f"img{i}.png,{float(s)!r},{int(y)}\n")


def pixel_folder(rng, root, dtype, images, side):
    """Maps in root/test/<defect>/<id>.npy and masks in
    root/ground_truth/<defect>/<id>_mask.png; the pooled pixels and labels."""
    values, labels = [], []
    for k in range(images):
        good = k % 3 == 0
        defect = "good" if good else "crack"
        mask = np.zeros((side, side), bool)
        if not good:
            y, x = rng.integers(0, side - 8, 2)
            mask[y:y + rng.integers(2, 9), x:x + rng.integers(2, 9)] = True
        lat = rng.normal(0, 1, (side, side)) + mask * rng.uniform(0.5, 3)
        if k % 2:
            lat = np.round(lat, 1)  # ties within and across classes
        m = lat.astype(dtype)
        (root / "test" / defect).mkdir(parents=True, exist_ok=True)
        np.save(root / "test" / defect / f"{k:03d}.npy", m)
        if not good:
            (root / "ground_truth" / defect).mkdir(parents=True, exist_ok=True)
            Image.fromarray(mask.astype(np.uint8) * 255).save(
                root / "ground_truth" / defect / f"{k:03d}_mask.png")
        values.append(m.ravel().astype(np.float64))
        labels.append(mask.ravel())
    return values, labels


# ---------------------------------------------------------------------------
# Runs


def check_run(suite, args, levels, label):
    """levels: {level: (values, labels, policies, rule)}."""
    rc, out, err = harness.run(args)
    doc, problems = harness.parse_json(rc, out, err)
    for level, (values, labels, policies, rule) in levels.items():
        if doc is None:
            break
        if not isinstance(doc.get(level), dict):
            problems.append(f"no {level} level")
            continue
        problems += compare_level(doc[level], expected(values, labels, policies, rule), level)
    suite.record(label, problems, " ".join(["adthresh", *map(str, args)]))
    return doc


def check_all(work, suite):
    rng = np.random.default_rng(SEED)
    policies = (*STANDARD, *TARGETS)
    cases = 0
    for kind in ("continuous", "rounded", "levels"):
        for n in (2, 7, 60, 500, 3000):
            scores, labels = image_scores(rng, kind, n)
            path = work / f"{kind}-{n}.csv"
            write_csv(path, scores, labels)
            cases += 1
            for rule in ("ge", "gt"):
                check_run(suite, ["--compare-policies", "--rule", rule, "--format", "json",
                                  *policy_args(policies), path],
                          {"image": (scores, labels, policies, rule)}, f"image {path.name} {rule}")
            # corner as the main policy is the corner entry.
            rc, out, err = harness.run(["--policy", "corner", "--format", "json", path])
            doc, problems = harness.parse_json(rc, out, err, level="image")
            if doc:
                want = expected(scores, labels, ["corner"], "ge")["corner"]
                for name in ("threshold", "tp", "fp", "fn", "tn"):
                    if doc["image"].get(name) != want[name]:
                        problems.append(f"corner {name}: got {doc['image'].get(name)}, "
                                        f"expected {want[name]}")
            suite.record(f"image {path.name} --policy corner", problems)
    # A level of normal samples only: fpr applies, the others are null.
    scores, labels = image_scores(rng, "normal-only", 40)
    path = work / "normal-only.csv"
    write_csv(path, scores, labels)
    cases += 1
    check_run(suite, ["--compare-policies", "--allow-one-class", "-q", "--format", "json",
                      *policy_args(policies), path],
              {"image": (scores, labels, policies, "ge")}, "image normal-only")
    # The largest spans many buckets of the parallel count (--threads 2).
    for dtype, images, side in ((np.float32, 6, 16), (np.float32, 9, 40), (np.float32, 12, 128),
                                (np.float64, 6, 16), (np.float64, 9, 40)):
        root = work / f"px-{np.dtype(dtype).name}-{images}x{side}"
        values, labels = pixel_folder(rng, root, dtype, images, side)
        maxima = np.array([v.max() for v in values])
        marked = np.array([y.any() for y in labels])
        cases += 1
        for rule in ("ge", "gt"):
            pixel_policies = (*STANDARD, "recall:0.5", "fpr:0.01", "precision:0.9")
            check_run(suite, ["--compare-policies", "--rule", rule, "--format", "json",
                              "--threads", "2", "--maps", root, "--masks", root,
                              *policy_args(pixel_policies)],
                      {"pixel": (np.concatenate(values), np.concatenate(labels),
                                 pixel_policies, rule),
                       "image": (maxima, marked, pixel_policies, rule)},
                      f"pixel {root.name} {rule}")
    return f"{cases} data sets"


if __name__ == "__main__":
    sys.exit(harness.run_suite("compare-oracle", check_all))
