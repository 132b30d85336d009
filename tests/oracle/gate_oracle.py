#!/usr/bin/python3
"""Cross-check the exit status and the unmet lines of --gate and --fail-under
against numpy recounts.

Each case writes a folder of image-level score files, one category each
(columns image_path,label,score; ids <category>/test/<defect>/NNN.png, label
1 outside good/, 0 in it, and a few anomalous images in a folder that also
holds normal ones), with scores quantised to eighths so that many tie with
the threshold, and picks a threshold among the scores.  With that threshold
given (--image-threshold T, so that nothing depends on how adthresh chooses
one), numpy recounts at score >= T, per category and per defect folder:

  level   n positives negatives tp fp fn tn, threshold, min, max,
          precision = tp / (tp + fp), recall = tp / positives,
          f1 = 2tp / (2tp + fp + fn)
  mean    categories, and f1, precision, recall averaged over the categories
          in name order (undefined in one of them: undefined)
  defect  n positives negatives tp fp fn tn, recall, fpr = fp / negatives,
          precision (undefined where the denominator is 0)

It then draws gates at random over these paths (CATEGORY., *. and mean.
in a batch; LEVEL.FIELD and defect.NAME.LEVEL.FIELD in a single run), each
with >= or <= and a bound at the value, one step (the next double, or 1 for
a count) either side of it, or a whole unit away, plus a few --fail-under
gates, and runs

    adthresh [--batch] --image-threshold T --per-defect -f json --gate G
             [--gate G2] [--fail-under F] SCORES

The exit status must be 1 exactly when a gate is not met (else 0), the JSON
report must still be printed, and the unmet lines on stderr must be, in
order (--fail-under's gates, then each --gate's; a *. gate category by
category in name order), exactly those of the gates numpy says are not met
(an undefined value never meets its bound), each naming its path and the
value ("is 3, not <= 2", "is undefined, so not >= 0.5", and --fail-under's
"is 0.5, under 0.6").  A last case asks for a defect folder no category has:
exit 2 and a message naming the folders there are.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/gate_oracle.py
"""

import math
import random
import re
import sys

import harness

with harness.needs("gate_oracle", "numpy"):
    import numpy as np

CASES = 60
DEFECTS = ["crack", "good", "hole", "scratch"]
COUNTS = ["n", "positives", "negatives", "tp", "fp", "fn", "tn"]
LEVEL_FIELDS = COUNTS + ["threshold", "min", "max", "f1", "precision", "recall"]
DEFECT_FIELDS = COUNTS + ["recall", "fpr", "precision"]
MEAN_FIELDS = ["f1", "precision", "recall"]
# "PATH is V, not <= B", "PATH is undefined, so not >= B" (--gate);
# "PATH is V, under B", "PATH is undefined, so not at least B" (--fail-under).
UNMET = re.compile(r"^adthresh: gate not met: (\S+) is (?:undefined, so not (>=|<=|at least)"
                   r"|(\S+), (?:not (>=|<=)|(under))) (\S+)$")


def ratio(num, den):
    return num / den if den else math.nan


def counts(scores, labels, t):
    flagged = scores >= t
    n, pos = len(scores), int(labels.sum())
    tp = int((flagged & (labels == 1)).sum())
    fp = int((flagged & (labels == 0)).sum())
    return {"n": n, "positives": pos, "negatives": n - pos, "tp": tp, "fp": fp,
            "fn": pos - tp, "tn": n - pos - fp}


def make_category(rng, name):
    """(rows, {defect: (scores, labels)}, scores, labels) of one category."""
    folders = ["good"] + sorted(rng.sample([d for d in DEFECTS if d != "good"],
                                           rng.randint(1, 3)))
    rows = []
    for d in folders:
        for i in range(rng.randint(1, 6)):
            # The first image of each defect folder is anomalous: every
            # category has both classes.
            label = 0 if d == "good" else (0 if i and rng.random() < 0.15 else 1)
            score = rng.randint(0, 16) / 8 if rng.random() < 0.8 else rng.random() * 2
            rows.append((f"{name}/test/{d}/{i:03d}.png", label, score))
    rng.shuffle(rows)
    return rows


def write_csv(path, rows):
    with open(path, "w") as f:
        f.write("image_path,label,score\n")
        for id_, label, score in rows:
            f.write(f"{id_},{label},{score!r}\n")


def values_of(rows, t):
    """{path without the category: value} at threshold t."""
    scores = np.array([r[2] for r in rows], dtype=np.float64)
    labels = np.array([r[1] for r in rows], dtype=np.int64)
    c = counts(scores, labels, t)
    v = {f"image.{k}": c[k] for k in COUNTS}
    v["image.threshold"] = t
    v["image.min"] = float(scores.min())
    v["image.max"] = float(scores.max())
    v["image.precision"] = ratio(c["tp"], c["tp"] + c["fp"])
    v["image.recall"] = ratio(c["tp"], c["positives"])
    den = 2 * c["tp"] + c["fp"] + c["fn"]
    v["image.f1"] = ratio(2 * c["tp"], den)
    folders = np.array([r[0].split("/")[-2] for r in rows])
    for d in sorted(set(folders)):
        k = folders == d
        dc = counts(scores[k], labels[k], t)
        for f in COUNTS:
            v[f"defect.{d}.image.{f}"] = dc[f]
        v[f"defect.{d}.image.recall"] = ratio(dc["tp"], dc["positives"])
        v[f"defect.{d}.image.fpr"] = ratio(dc["fp"], dc["negatives"])
        v[f"defect.{d}.image.precision"] = ratio(dc["tp"], dc["tp"] + dc["fp"])
    return v


def bound_near(rng, v, op, count):
    """A bound at v, or one step (the next double; 1 for a count) or a whole
    unit from it, on the side that meets the gate three times in four."""
    if isinstance(v, float) and math.isnan(v):
        return 0.5
    v = float(v)
    if rng.random() < 0.2:
        return v
    side = 1.0 if (op == "<=") == (rng.random() < 0.75) else -1.0
    if rng.random() < 0.5:
        return v + side
    return v + side if count else math.nextafter(v, side * math.inf)


def met(v, op, bound):
    if isinstance(v, float) and math.isnan(v):
        return False
    return v >= bound if op == ">=" else v <= bound


def shown(v):
    """A value as an unmet line prints it (the shortest round trip)."""
    if isinstance(v, float) and math.isnan(v):
        return "undefined"
    f = float(v)
    return str(int(f)) if f == int(f) and abs(f) < 1e15 else repr(f)


def check_case(work, rng, case):
    batch = case % 3 != 2
    names = sorted(rng.sample(["alpha", "beta", "delta", "gamma", "omega"],
                              rng.randint(2, 3) if batch else 1))
    folder = work / f"case{case}"
    folder.mkdir()
    cats = {}
    for name in names:
        rows = make_category(rng, name)
        cats[name] = rows
        write_csv(folder / f"{name}.csv", rows)
    all_scores = [r[2] for rows in cats.values() for r in rows]
    t = rng.choice(all_scores)
    vals = {c: values_of(rows, t) for c, rows in cats.items()}

    # Candidate paths by kind: (path, [(category, path, value), ...]), the
    # targets in the order their lines come.
    kinds = {"level": [], "defect": [], "every": [], "mean": []}
    for c in names:
        for p, v in vals[c].items():
            kinds["defect" if p.startswith("defect.") else "level"].append(
                ((f"{c}." if batch else "") + p, [(c, p, v)]))
    if batch:
        paths = sorted({p for c in names for p in vals[c]})
        for p in paths:
            kinds["every"].append(
                (f"*.{p}", [(c, p, vals[c][p]) for c in names if p in vals[c]]))
        for f in MEAN_FIELDS:
            s = 0.0
            for c in names:
                s += vals[c][f"image.{f}"]
            kinds["mean"].append((f"mean.image.{f}", [("mean", f"image.{f}", s / len(names))]))
        kinds["mean"].append(("mean.image.categories", [("mean", "image.categories", len(names))]))
    kinds = [k for k in kinds.values() if k]

    fail_under = []

    def add(path, targets, op, two_sided):
        count = path.split(".")[-1] in COUNTS + ["categories"]
        bound = bound_near(rng, targets[0][2], op, count)
        text = f"{path}{op if two_sided else '='}{bound!r}"
        lines = []
        for c, p, v in targets:
            if met(v, op, bound):
                continue
            where = "" if not batch else f"{c}."
            lines.append((where + p, shown(v), op if two_sided else "at least", bound))
        return text, lines

    fu_lines = []
    for _ in range(rng.randint(0, 2)):
        path, targets = rng.choice(rng.choice(kinds))
        text, lines = add(path, targets, ">=", False)
        fail_under.append(text)
        fu_lines += lines
    gate_args = []
    gate_lines = []
    for _ in range(rng.randint(1, 2)):
        items = []
        for _ in range(rng.randint(1, 3)):
            path, targets = rng.choice(rng.choice(kinds))
            text, lines = add(path, targets, rng.choice([">=", "<="]), True)
            items.append(text)
            gate_lines += lines
        gate_args.append(",".join(items))
    expected = fu_lines + gate_lines

    args = ["--image-threshold", repr(t), "--per-defect", "-f", "json"]
    if batch:
        args.append("--batch")
    for g in gate_args:
        args += ["--gate", g]
    if fail_under:
        args += ["--fail-under", ",".join(fail_under)]
    args.append(folder if batch else folder / f"{names[0]}.csv")
    rc, out, err = harness.run(args)
    problems = []
    doc, p = harness.parse_json(rc, out, err, want_rc=1 if expected else 0)
    problems += p
    got = []
    for line in err.splitlines():
        m = UNMET.match(line)
        if m:
            path, undef_op, v, op, under, bound = m.groups()
            got.append((path, "undefined" if undef_op else float(v),
                        undef_op or op or "at least", float(bound)))
        elif line.strip():
            problems.append(f"stderr: unexpected line {line!r}")
    want = [(p, v if v == "undefined" else float(v), op, b) for p, v, op, b in expected]
    if got != want:
        problems.append(f"unmet lines: expected {want}, got {got}")
    context = "adthresh " + " ".join(f"'{a}'" for a in args)
    return problems, context


def check_unknown_defect(work):
    folder = work / "unknown"
    folder.mkdir()
    write_csv(folder / "alpha.csv", [("alpha/test/good/0.png", 0, 0.1),
                                     ("alpha/test/crack/0.png", 1, 0.9)])
    write_csv(folder / "beta.csv", [("beta/test/good/0.png", 0, 0.2),
                                    ("beta/test/hole/0.png", 1, 0.8)])
    args = ["--batch", "--per-defect", "--gate", "*.defect.dent.image.recall>=0.5", folder]
    rc, out, err = harness.run(args)
    problems = []
    if rc != 2:
        problems.append(f"exit: expected 2, got {rc}")
    if out:
        problems.append(f"stdout: expected nothing, got {harness.first_line(out)}")
    want = ("adthresh: gate '*.defect.dent.image.recall>=0.5': no defect folder 'dent' "
            "(defects: crack, good, hole)")
    if err.strip() != want:
        problems.append(f"stderr: expected {want!r}, got {err.strip()!r}")
    return problems


def check_all(work, suite):
    rng = random.Random(20261204)
    for case in range(CASES):
        problems, context = check_case(work, rng, case)
        suite.record(f"case{case}", problems, context)
    suite.record("unknown-defect", check_unknown_defect(work))
    return f"{CASES} random gate sets"


if __name__ == "__main__":
    sys.exit(harness.run_suite("gate-oracle", check_all))
