#!/usr/bin/python3
"""Cross-check adthresh --curves against scikit-learn's curves.

For generated image-level score files (CSV) and stacked NPY pixel data
(float32 and float64), the rows of --curves --curve-points all must be,
level by level, the points of scikit-learn's
roc_curve(drop_intermediate=False) and precision_recall_curve at every
distinct score, from the highest down: thresholds equal (==, the float32
maps' values widened exactly), tp and fp equal to the cumulative counts,
precision, recall and fpr equal to the same quotients in double.  The rows
of --curves by default must be those of roc_curve(drop_intermediate=True)
in the same way.  scikit-learn's curves start with an extra point, (0, 0)
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
            out1 = os.path.join(d, f"img{k}-corners.csv")
            rc, _, err = run(["-q", "--curves", out1, path])
            problems = [f"exit {rc}: {err.strip()}"] if rc else \
                compare("", read_rows(out1), reference(y, s, drop=True), "image")
            result(f"image-{n}-corners", problems)
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
            for threads, mode in (("1", "all"), ("2", "all"), ("1", "corners"), ("2", "corners")):
                points = ["--curve-points", "all"] if mode == "all" else []
                drop = mode == "corners"
                rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out,
                                  "--threads", threads] + points)
                if rc:
                    result(f"{name}-{mode}-threads-{threads}", [f"exit {rc}: {err.strip()}"])
                    continue
                rows = read_rows(out)
                y = masks.ravel().astype(int)
                s = maps.ravel().astype(np.float64)
                problems = compare(name, rows, reference(y, s, drop), "pixel")
                img_y = masks.reshape(shape[0], -1).max(axis=1)
                img_s = maps.reshape(shape[0], -1).max(axis=1).astype(np.float64)
                if len(set(img_y)) == 2:
                    problems += compare(name, rows, reference(img_y, img_s, drop), "image")
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
        for mode in ("all", "corners"):
            points = ["--curve-points", "all"] if mode == "all" else []
            rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out] + points)
            problems = [f"exit {rc}: {err.strip()}"] if rc else \
                compare("q", read_rows(out), reference(y, s, mode == "corners"), "pixel")
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
            # The default rows: the corners, read back from the same file.
            rc, _, err = run(["-q", "--maps", mp, "--masks", kp, "--curves", out, "--threads", "1"])
            if rc:
                problems.append(f"exit {rc}: {err.strip()}")
            else:
                second = np.diff(want[:, 1:], n=2, axis=0).any(axis=1)
                keep = np.r_[True, second, True]
                with open(out) as f:
                    f.readline()
                    rows = [line.split(",")[1:4] for line in f if line.startswith("pixel,")]
                got = np.array(rows, dtype=np.float64)
                if got.shape != want[keep].shape or not np.array_equal(got, want[keep]):
                    problems.append(f"{len(rows)} corner rows differ from the "
                                    f"{int(keep.sum())} reference corners")
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

    print(f"curves-oracle: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
