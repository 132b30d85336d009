#!/usr/bin/python3
"""Cross-check adthresh --curves against scikit-learn's curves.

For generated image-level score files (CSV) and stacked NPY pixel data
(float32 and float64), the rows of --curves --curve-points all must be,
level by level, the points of scikit-learn's
roc_curve(drop_intermediate=False) and precision_recall_curve at every
distinct score, from the highest down: thresholds equal (==, the float32
maps' values widened exactly), tp and fp equal to the cumulative counts,
precision, recall and fpr equal to the same quotients in double.  The rows
of --curve-points corners must be those of
roc_curve(drop_intermediate=True) in the same way.  The default rows are
those corners 1e-5 apart: a subset of them in order, with the first and
the last; every corner left out less than 1e-5 from the row written before
it in fpr, recall and precision, and every row but the ends 1e-5 or more
from the row before (exact rational comparisons, 1e-5 = 1/100000); equal
to the corners when both classes have at most 100,000 samples (checked up
to exactly 100,000), fewer than them on 400,000 continuous pixels with
more than 100,000 in each class.  scikit-learn's curves start with an extra point, (0, 0)
at a threshold above every score (the highest score + 1 in 1.2, +inf from
1.3); the CLI's rows start at the highest score, so row i is scikit-learn's
point i + 1.  --curve-points N must keep rows of rank
round(k (n - 1) / (N - 1)) (halves up) of every point, always the first and
the last.  A batch run of two score files must carry a category column
with each file's rows.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/curves_oracle.py

Environment:
  ADTHRESH=PATH    the binary (default build/adthresh)

Ends with "curves-oracle: N passed, M failed".
"""
import csv
import io
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.metrics import precision_recall_curve, roc_curve

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BIN = str(harness.adthresh_path())

passed = 0
failed = 0


def result(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print(f"FAIL {name}: " + "; ".join(problems[:5]))
    else:
        passed += 1
        print(f"ok {name}")


def run(args):
    p = subprocess.run([BIN] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def reference(y, s, drop=False):
    """Points at every distinct score (with drop, those roc_curve's
    drop_intermediate keeps), highest first: (t, tp, fp, p, r, fpr)."""
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=drop)
    prec, rec, thr_pr = precision_recall_curve(y, s)
    P = int(np.sum(y == 1))
    N = int(np.sum(y == 0))
    # roc_curve prepends a point above every score (threshold max + 1 or
    # +inf) that the CLI does not write; precision_recall_curve lists
    # thresholds ascending (sklearn 1.2 keeps every one).
    thr = thr[1:]
    tps = np.rint(tpr[1:] * P).astype(np.int64) if P else np.zeros(len(thr), np.int64)
    fps = np.rint(fpr[1:] * N).astype(np.int64) if N else np.zeros(len(thr), np.int64)
    pr = {float(t): (float(p), float(r)) for t, p, r in zip(thr_pr, prec[:-1], rec[:-1])}
    out = []
    for t, tp, fp in zip(thr, tps, fps):
        p, r = pr[float(t)]
        out.append((float(t), int(tp), int(fp), p, r, fp / N if N else None))
    return out


def compare(name, rows, ref, level):
    problems = []
    got = [r for r in rows if r["level"] == level]
    if len(got) != len(ref):
        return [f"{level}: {len(got)} rows, want {len(ref)}"]
    for i, (g, w) in enumerate(zip(got, ref)):
        t, tp, fp, p, r, fpr = w
        if float(g["threshold"]) != t or int(g["tp"]) != tp or int(g["fp"]) != fp:
            problems.append(f"{level} row {i}: {g} want t={t!r} tp={tp} fp={fp}")
        elif float(g["precision"]) != p or float(g["recall"]) != r:
            problems.append(f"{level} row {i}: P/R {g['precision']}/{g['recall']} want {p!r}/{r!r}")
        elif (g["fpr"] == "") != (fpr is None) or (fpr is not None and float(g["fpr"]) != fpr):
            problems.append(f"{level} row {i}: fpr {g['fpr']} want {fpr!r}")
    return problems


def moved(a, b, P, N):
    """Whether the point b = (t, tp, fp) lies 1e-5 or more from the point a
    before it in fpr, recall or precision, in exact integers."""
    dtp, dfp = b[1] - a[1], b[2] - a[2]
    d = abs(b[1] * a[2] - a[1] * b[2])  # precision's difference, times na nb
    return (dfp > 0 and dfp * 100000 >= N) or (dtp > 0 and dtp * 100000 >= P) or \
        (d > 0 and d * 100000 >= (a[1] + a[2]) * (b[1] + b[2]))


def thinned(level, rows, corners, P, N):
    """Checks the default rows of a level against its corners, both as
    (t, tp, fp, ...) from the highest threshold down; returns the problems
    and the indices of the corners written."""
    kept, j = [], 0
    for i, r in enumerate(rows):
        while j < len(corners) and corners[j][:3] != r[:3]:
            j += 1
        if j == len(corners):
            return [f"{level} row {i} {r[:3]} is not a corner after row {i - 1}"], kept
        kept.append(j)
        j += 1
    if not kept or kept[0] != 0 or kept[-1] != len(corners) - 1:
        return [f"{level}: the first or the last corner is missing"], kept
    problems = []
    w = 0  # kept[w]: the last row written at or before corner k
    for k, c in enumerate(corners):
        if w + 1 < len(kept) and kept[w + 1] == k:
            w += 1
        if kept[w] != k and moved(corners[kept[w]], c, P, N):
            problems.append(f"{level} corner {k} {c[:3]} left out, 1e-5 or more from row "
                            f"{corners[kept[w]][:3]}")
    for a, b in zip(kept, kept[1:-1]):
        if not moved(corners[a], corners[b], P, N):
            problems.append(f"{level} corner {b} {corners[b][:3]} written, less than 1e-5 "
                            f"from row {corners[a][:3]}")
    if P <= 100000 and N <= 100000 and len(kept) != len(corners):
        problems.append(f"{level}: {len(kept)} rows of {len(corners)} corners with "
                        f"P = {P}, N = {N}")
    return problems, kept


def check_default(name, rows, ref, level, P, N):
    """The default rows of level against ref, scikit-learn's corners."""
    got = [r for r in rows if r["level"] == level]
    tuples = [(float(r["threshold"]), int(r["tp"]), int(r["fp"])) for r in got]
    problems, kept = thinned(level, tuples, ref, P, N)
    if not problems:
        problems = compare(name, got, [ref[j] for j in kept], level)
    return problems, len(kept)


def picked(n, m):
    """Ranks --curve-points m keeps of n rows."""
    if m >= n:
        return list(range(n))
    return sorted({(2 * k * (n - 1) + (m - 1)) // (2 * (m - 1)) for k in range(m)})


def scores_csv(path, y, s):
    with open(path, "w") as f:
        f.write("image_path,score,label\n")
        for i, (a, b) in enumerate(zip(y, s)):
            f.write(f"img{i}.png,{float(b)!r},{int(a)}\n")


def main():
    rng = np.random.default_rng(20261127)
    with tempfile.TemporaryDirectory() as d:
        # Image level: sizes, class balance and ties.
        for k, (n, frac, levels) in enumerate(
            [(1, 0.0, 0), (2, 0.5, 0), (50, 0.3, 0), (400, 0.1, 5), (3000, 0.5, 40), (20000, 0.02, 0)]
        ):
            y = (rng.random(n) < frac).astype(int)
            if n >= 2:
                y[0], y[1] = 1, 0
            s = rng.normal(size=n) + y
            if levels:
                s = np.round(s * levels) / levels
            path = os.path.join(d, f"img{k}.csv")
            scores_csv(path, y, s)
            out = os.path.join(d, f"img{k}-curves.csv")
            extra = ["--allow-one-class"] if n < 2 else []
            rc, _, err = run(["-q", "--curves", out, "--curve-points", "all", path] + extra)
            if rc != 0:
                result(f"image-{n}", [f"exit {rc}: {err.strip()}"])
                continue
            rows = read_rows(out)
            if n < 2:
                ok = len(rows) == 1 and float(rows[0]["threshold"]) == float(s[0])
                result(f"image-{n}", [] if ok else [f"rows {rows}"])
                continue
            ref = reference(y, s)
            result(f"image-{n}", compare(f"image-{n}", rows, ref, "image"))
            # Fewer than 100,000 samples: the default rows are the corners.
            for mode in ("corners", "default"):
                out1 = os.path.join(d, f"img{k}-{mode}.csv")
                points = ["--curve-points", "corners"] if mode == "corners" else []
                rc, _, err = run(["-q", "--curves", out1, path] + points)
                problems = [f"exit {rc}: {err.strip()}"] if rc else \
                    compare("", read_rows(out1), reference(y, s, drop=True), "image")
                result(f"image-{n}-{mode}", problems)
            for m in (2, 3, 10, 1000000):
                out2 = os.path.join(d, f"img{k}-{m}.csv")
                rc, _, err = run(["--curves", out2, "--curve-points", str(m), path])
                want = [ref[i] for i in picked(len(ref), m)]
                problems = [f"exit {rc}: {err.strip()}"] if rc else compare("", read_rows(out2), want, "image")
                result(f"image-{n}-points-{m}", problems)

        # Pixel level: stacked NPY maps and masks, float32 and float64.
        for dtype, shape in ((np.float32, (6, 40, 50)), (np.float64, (4, 30, 30)), (np.float32, (3, 200, 300))):
            masks = np.zeros(shape, np.uint8)
            for i in range(shape[0]):
                y0, x0 = rng.integers(0, shape[1] - 8), rng.integers(0, shape[2] - 8)
                masks[i, y0:y0 + 8, x0:x0 + 6] = 1
            maps = (rng.normal(size=shape) + 1.5 * masks).astype(dtype)
            maps[0, :5, :5] = 0.25  # ties across classes
            masks[0, :2, :2] = 1
            mp, kp = os.path.join(d, "maps.npy"), os.path.join(d, "masks.npy")
            np.save(mp, maps)
            np.save(kp, masks)
            out = os.path.join(d, "px-curves.csv")
            name = f"pixel-{np.dtype(dtype).name}-{maps.size}"
            for threads, mode in (("1", "all"), ("2", "all"), ("1", "corners"), ("2", "corners"),
                                  ("1", "default"), ("2", "default")):
                points = ["--curve-points", mode] if mode != "default" else []
                drop = mode != "all"
                rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out,
                                  "--threads", threads] + points)
                if rc:
                    result(f"{name}-{mode}-threads-{threads}", [f"exit {rc}: {err.strip()}"])
                    continue
                rows = read_rows(out)
                y = masks.ravel().astype(int)
                s = maps.ravel().astype(np.float64)
                img_y = masks.reshape(shape[0], -1).max(axis=1)
                img_s = maps.reshape(shape[0], -1).max(axis=1).astype(np.float64)
                levels = [("pixel", y, s)] + ([("image", img_y, img_s)] if len(set(img_y)) == 2 else [])
                problems = []
                for level, ly, ls in levels:
                    if mode == "default":
                        problems += check_default(name, rows, reference(ly, ls, drop), level,
                                                  int(ly.sum()), int((ly == 0).sum()))[0]
                    else:
                        problems += compare(name, rows, reference(ly, ls, drop), level)
                result(f"{name}-{mode}-threads-{threads}", problems)

        # Quantised scores: few distinct values, long runs of equal steps
        # are rare, but vertical and horizontal runs are many.
        shape = (4, 60, 80)
        masks = np.zeros(shape, np.uint8)
        masks[:, 10:30, 20:50] = 1
        maps = np.round((rng.random(shape) + 0.6 * masks) * 20).astype(np.float32) / 20
        maps[:, :, :5] = 0.05  # a long run of negatives at one score
        mp, kp = os.path.join(d, "q-maps.npy"), os.path.join(d, "q-masks.npy")
        np.save(mp, maps)
        np.save(kp, masks)
        out = os.path.join(d, "q-curves.csv")
        y = masks.ravel().astype(int)
        s = maps.ravel().astype(np.float64)
        for mode in ("all", "corners", "default"):
            points = ["--curve-points", mode] if mode != "default" else []
            rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out] + points)
            problems = [f"exit {rc}: {err.strip()}"] if rc else \
                compare("q", read_rows(out), reference(y, s, mode != "all"), "pixel")
            result(f"pixel-quantised-{mode}", problems)

        # More points than a sweep keeps in memory (2^20): the rest goes
        # through a temporary file and must come back whole and in order.
        shape = (5, 500, 460)
        masks = np.zeros(shape, np.uint8)
        masks[:, 100:160, 200:230] = 1
        maps = (rng.normal(size=shape) + masks).astype(np.float32)
        mp, kp = os.path.join(d, "big-maps.npy"), os.path.join(d, "big-masks.npy")
        np.save(mp, maps)
        np.save(kp, masks)
        out = os.path.join(d, "big-curves.csv")
        rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out, "--threads", "1",
                          "--curve-points", "all"])
        problems = [f"exit {rc}: {err.strip()}"] if rc else []
        if not rc:
            # Distinct scores from the highest down with cumulative counts,
            # straight from numpy (sklearn's curves agree on the small cases).
            s_all = maps.ravel().astype(np.float64)
            y_all = masks.ravel().astype(np.int64)
            order = np.argsort(-s_all, kind="stable")
            s_all, y_all = s_all[order], y_all[order]
            last = np.append(np.diff(s_all) != 0, True)
            want = np.stack([s_all[last], np.cumsum(y_all)[last],
                             np.cumsum(1 - y_all)[last]], axis=1)
            with open(out) as f:
                f.readline()
                rows = [line.split(",")[1:4] for line in f if line.startswith("pixel,")]
            got = np.array(rows, dtype=np.float64)
            if len(want) <= 1 << 20:
                problems.append(f"only {len(want)} points: the case does not reach the file")
            if got.shape != want.shape or not np.array_equal(got, want):
                problems.append(f"{len(rows)} rows differ from the {len(want)} reference points")
            # The corners, read back from the same file; the default
            # rows among them (N > 100,000).
            second = np.diff(want[:, 1:], n=2, axis=0).any(axis=1)
            keep = np.r_[True, second, True]
            corners = [(float(t), int(tp), int(fp)) for t, tp, fp in want[keep]]
            for mode in ("corners", "default"):
                points = ["--curve-points", "corners"] if mode == "corners" else []
                rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out,
                                  "--threads", "1"] + points)
                if rc:
                    problems.append(f"exit {rc}: {err.strip()}")
                    continue
                with open(out) as f:
                    f.readline()
                    rows = [line.split(",")[1:4] for line in f if line.startswith("pixel,")]
                got = [(float(t), int(tp), int(fp)) for t, tp, fp in rows]
                if mode == "corners" and got != corners:
                    problems.append(f"{len(rows)} corner rows differ from the "
                                    f"{len(corners)} reference corners")
                if mode == "default":
                    problems += thinned("pixel", got, corners, int(y_all.sum()),
                                        int((y_all == 0).sum()))[0]
        result(f"pixel-spilled-{maps.size}", problems)

        # Batch of score files: a category column, each file's rows.
        bd = os.path.join(d, "batch")
        os.mkdir(bd)
        refs = {}
        for cat in ("alpha", "beta"):
            y = (rng.random(300) < 0.3).astype(int)
            y[0], y[1] = 1, 0
            s = np.round(rng.normal(size=300) + y, 2)
            scores_csv(os.path.join(bd, f"{cat}.csv"), y, s)
            refs[cat] = reference(y, s)
        out = os.path.join(d, "batch-curves.csv")
        rc, _, err = run(["--batch", "--curves", out, "--curve-points", "all", bd])
        problems = [f"exit {rc}: {err.strip()}"] if rc else []
        if not rc:
            rows = read_rows(out)
            if list(rows[0].keys())[0] != "category":
                problems.append(f"header {list(rows[0].keys())}")
            for cat, ref in refs.items():
                problems += compare(cat, [r for r in rows if r["category"] == cat], ref, "image")
        result("batch", problems)

        # The default rows around 100,000 samples a class, continuous
        # float32 scores: exactly 100,000 in each class (one sample moves
        # FPR or recall by exactly 1e-5: every corner stays), then more
        # than 100,000 in each (corners close together are left out).
        for shape, anomalous in (((2, 400, 250), 1), ((4, 316, 316), 3)):
            masks = np.zeros(shape, np.uint8)
            if anomalous == 1:
                masks[0] = 1
            else:
                masks[1:, :, :158] = 1
            maps = (rng.normal(size=shape) + 0.5 * masks).astype(np.float32)
            mp, kp = os.path.join(d, "c-maps.npy"), os.path.join(d, "c-masks.npy")
            np.save(mp, maps)
            np.save(kp, masks)
            out = os.path.join(d, "c-curves.csv")
            y = masks.ravel().astype(int)
            P, N = int(y.sum()), int((y == 0).sum())
            name = f"pixel-default-P{P}-N{N}"
            rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out])
            if rc:
                result(name, [f"exit {rc}: {err.strip()}"])
                continue
            ref = reference(y, maps.ravel().astype(np.float64), drop=True)
            problems, rows = check_default(name, read_rows(out), ref, "pixel", P, N)
            if P > 100000 and N > 100000 and rows >= len(ref):
                problems.append(f"all {len(ref)} corners written: nothing thinned")
            print(f"   {name}: {rows} rows of {len(ref)} corners")
            result(name, problems)

    print(f"curves-oracle: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
