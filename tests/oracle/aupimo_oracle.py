#!/usr/bin/python3
"""Cross-check adthresh's pixel-level AUPIMO (--aupimo[=L:U]) against references.

AUPIMO (Bertoldo, Ameln, Vaidya, Akcay, BMVC 2024), for the rule score >= t:
the normal images are those whose mask marks no pixel, the anomalous ones
the others.  At every distinct score t of the level, the shared FPR S(t) is
the mean over the normal images of FP_j(t) / pixels_j (a mean of rates, so
images of different sizes weigh the same), and TPR_i(t) = TP_i(t) /
anomalous pixels of image i.  Image i's PIMO curve is the points
(ln S(t), TPR_i(t)) with S(t) > 0 in order of decreasing t, joined by
straight lines; AUPIMO_i is the area under it from ln L to ln U (the bounds
reached by linear interpolation between the neighbouring points), divided
by ln(U / L).  adthresh reports the mean and population std over the
anomalous images, and fails (exit 2, naming the bound) when the lowest
shared FPR above 0 is above L.

  vector_reference  numpy: per image sorted scores and searchsorted for every
                    distinct score; the polyline cut to [ln L, ln U] segment by
                    segment (the partial segments interpolated), summed with
                    math.fsum
  brute_reference   small data only, sharing no code with the first: for each
                    distinct score a pass over every pixel, S(t) and TPR_i(t)
                    as exact fractions, then a walk along the points that
                    integrates the trapezoids between the bounds
  anomalib_port     anomalib.metrics.pimo's procedure, written anew: 300,000
                    thresholds linearly spaced from the lowest to the highest
                    score of the normal images (in the maps' precision), S and
                    TPR at each, each bound snapped to the threshold whose S is
                    nearest to it, the points between them (S > 0) integrated
                    with numpy's trapezoid over ln S, divided by ln(U / L)

The vector and brute references must agree within 1e-12 (oracle self-check);
adthresh's pixel.aupimo.mean and .std within 1e-12 (relative to 1) of the
vector reference, images = the anomalous images, fpr_lower / fpr_upper the
bounds.  Against the anomalib port the tolerance is the grid's resolution,
computed for each run from the exact curve: a snapped bound moves the
integration range by |ln S(grid point) - ln bound| at each end, and between
two grid thresholds the grid's straight line can differ from the exact
(monotone) curve by at most that cell's width in ln S times the TPR it
covers, so per image the difference is at most (the two snapping offsets +
the widest cell in the band) / ln(U / L); the mean differs by no more.

Cases (MVTec AD layout, maps/test/<defect>/NNN.npy, masks PNG, good/ without
masks): different-sizes (normal images of three sizes: the mean of rates and
the pooled rate differ, which the oracle checks on the data), ties (scores
quantised to 1/64, ties across images and classes), on-point (4 normal
images of 25,000 pixels: L = 1e-5 is exactly the first point of the curve
and U = 1e-4 the tenth), float32 and float64 maps, --threads 1 and 2 (equal
output), --rule gt (the same AUPIMO), an unreachable lower bound, a
--batch of two categories with the mean, and the bundled data/bottle.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/aupimo_oracle.py

Environment: ADTHRESH=PATH (default build/adthresh), ORACLE_ONLY=TEXT (only
cases whose name contains TEXT), ORACLE_KEEP=DIR (keep the files).
"""

import math
import os
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import first_line  # noqa: E402

with harness.needs("aupimo-oracle", "numpy, tifffile and PIL"):
    import numpy as np
    import tifffile  # noqa: F401  (pixel_oracle's writers need it)
    from PIL import Image  # noqa: F401

import pixel_oracle as px  # noqa: E402  (map/mask writers and the runner)

TOLERANCE = 1e-12
SEED = 20261204
GRID = 300_000
BRUTE_PIXELS = 20_000


@dataclass
class Item:
    folder: str
    id: str
    values: np.ndarray  # float32 or float64, what adthresh reads
    mask: np.ndarray    # bool


# ---------------------------------------------------------------------------
# Data


def blob_mask(rng, h, w):
    mask = np.zeros((h, w), dtype=bool)
    for _ in range(int(rng.integers(1, 4))):
        y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
        ry, rx = int(rng.integers(1, max(2, h // 5))), int(rng.integers(1, max(2, w // 5)))
        yy, xx = np.ogrid[:h, :w]
        mask |= ((yy - y) / ry) ** 2 + ((xx - x) / rx) ** 2 <= 1
    return mask


def scores(rng, mask, dtype, quantum=None, strength=None):
    lat = rng.normal(size=mask.shape)
    if mask.any():
        lat[mask] += strength if strength is not None else rng.uniform(0.5, 4.0)
    if quantum:
        lat = np.round(lat / quantum) * quantum
    return lat.astype(dtype)


def make_items(rng, sizes_good, sizes_bad, dtype, quantum=None):
    items = []
    for k, (h, w) in enumerate(sizes_good):
        items.append(Item("good", f"{k:03d}", scores(rng, np.zeros((h, w), bool), dtype,
                                                      quantum), np.zeros((h, w), bool)))
    for k, (h, w) in enumerate(sizes_bad):
        m = blob_mask(rng, h, w)
        if not m.any():
            m[h // 2, w // 2] = True
        items.append(Item("crack" if k % 2 else "scratch", f"{k:03d}",
                          scores(rng, m, dtype, quantum), m))
    return items


def write(items, root):
    rng = np.random.default_rng(1)
    for it in items:
        fmt = "npy8" if it.values.dtype == np.float64 else "npy4"
        _, seen = px.write_map(root / "maps" / "test" / it.folder / it.id, fmt,
                               it.values.astype(np.float64), rng)
        assert seen.dtype == it.values.dtype and np.array_equal(seen, it.values)
        if it.folder != "good":
            px.write_mask(root / "gt" / "ground_truth" / it.folder / f"{it.id}_mask", "png255",
                          it.mask, rng)
    (root / "gt").mkdir(parents=True, exist_ok=True)
    return ["--maps", str(root / "maps"), "--masks", str(root / "gt")]


# ---------------------------------------------------------------------------
# References


def split(items):
    normal = [it.values.ravel() for it in items if not it.mask.any()]
    anomalous = [(it.values[it.mask], it) for it in items if it.mask.any()]
    return normal, anomalous


def curve(items):
    """(S, TPR): S at every distinct score (descending), TPR one row per anomalous image."""
    normal, anomalous = split(items)
    t = np.unique(np.concatenate([it.values.ravel() for it in items]).astype(np.float64))[::-1]
    s = np.zeros(len(t))
    for v in normal:
        srt = np.sort(v.astype(np.float64))
        s += (len(srt) - np.searchsorted(srt, t, side="left")) / len(srt)
    s /= len(normal)
    tpr = np.empty((len(anomalous), len(t)))
    for i, (v, _) in enumerate(anomalous):
        srt = np.sort(v.astype(np.float64))
        tpr[i] = (len(srt) - np.searchsorted(srt, t, side="left")) / len(srt)
    return s, tpr


def area_between(x, y, a, b):
    """Area under the polyline (x ascending, repeats allowed) from a to b, with
    the points at the cut interpolated."""
    parts = []
    for k in range(len(x) - 1):
        x0, x1, y0, y1 = x[k], x[k + 1], y[k], y[k + 1]
        lo, hi = max(x0, a), min(x1, b)
        if not hi > lo:
            continue
        ylo = y0 + (y1 - y0) * (lo - x0) / (x1 - x0)
        yhi = y0 + (y1 - y0) * (hi - x0) / (x1 - x0)
        parts.append((hi - lo) * (ylo + yhi) / 2)
    if x[-1] < b:  # past the last point the curve stays (never at S = 1)
        parts.append((b - max(x[-1], a)) * y[-1])
    return math.fsum(parts)


def vector_reference(items, lower, upper):
    """Per-image AUPIMO, or the string 'unreachable' when S never gets down to lower."""
    s, tpr = curve(items)
    keep = s > 0
    x = np.log(s[keep])
    if x[0] > math.log(lower):
        return "unreachable", float(s[keep][0])
    a, b = math.log(lower), math.log(upper)
    vals = [area_between(x, row[keep], a, b) / (b - a) for row in tpr]
    return vals, float(s[keep][0])


def brute_reference(items, lower, upper):
    """The same by one pass over the pixels per distinct score, in exact fractions."""
    flat = [(float(v), it_k, bool(m)) for it_k, it in enumerate(items)
            for v, m in zip(it.values.ravel().tolist(), it.mask.ravel().tolist())]
    normal = [k for k, it in enumerate(items) if not it.mask.any()]
    anomalous = [k for k, it in enumerate(items) if it.mask.any()]
    size = {k: items[k].mask.size for k in normal}
    pos = {k: int(items[k].mask.sum()) for k in anomalous}
    points = []
    for t in sorted({v for v, _, _ in flat}, reverse=True):
        fp = {k: 0 for k in normal}
        tp = {k: 0 for k in anomalous}
        for v, k, m in flat:
            if v >= t:
                if k in fp:
                    fp[k] += 1
                elif m:
                    tp[k] += 1
        s = sum(Fraction(fp[k], size[k]) for k in normal) / len(normal)
        if s > 0:
            points.append((math.log(s), [Fraction(tp[k], pos[k]) for k in anomalous]))
    a, b = math.log(lower), math.log(upper)
    out = []
    for i in range(len(anomalous)):
        area = []
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            y0, y1 = float(y0[i]), float(y1[i])
            lo, hi = max(x0, a), min(x1, b)
            if hi > lo:
                f = lambda x: y0 + (y1 - y0) * (x - x0) / (x1 - x0)  # noqa: E731
                area.append((hi - lo) * (f(lo) + f(hi)) / 2)
        out.append(math.fsum(area) / (b - a))
    return out


def anomalib_port(items, lower, upper):
    """(per-image AUPIMO on anomalib's grid, its tolerance against the exact values)."""
    normal, anomalous = split(items)
    dtype = items[0].values.dtype
    allnormal = np.concatenate(normal)
    grid = np.linspace(float(allnormal.min()), float(allnormal.max()), GRID).astype(dtype)
    grid = grid.astype(np.float64)  # ascending
    s = np.zeros(GRID)
    for v in normal:
        srt = np.sort(v.astype(np.float64))
        s += (len(srt) - np.searchsorted(srt, grid, side="left")) / len(srt)
    s /= len(normal)
    tpr = np.empty((len(anomalous), GRID))
    for i, (v, _) in enumerate(anomalous):
        srt = np.sort(v.astype(np.float64))
        tpr[i] = (len(srt) - np.searchsorted(srt, grid, side="left")) / len(srt)
    i_lo = int(np.argmin(np.abs(s - lower)))   # the grid point nearest each bound
    i_hi = int(np.argmin(np.abs(s - upper)))
    seg = slice(i_hi, i_lo + 1)                 # S descends with the thresholds
    x = np.log(s[seg])[::-1]
    y = tpr[:, seg][:, ::-1]
    ok = np.isfinite(x)
    x, y = x[ok], y[:, ok]
    width = math.log(upper / lower)
    vals = np.trapz(y, x=x, axis=1) / width
    cells = np.diff(x)
    tol = (abs(x[0] - math.log(lower)) + abs(x[-1] - math.log(upper))
           + (float(cells.max()) if len(cells) else 0.0)) / width
    return [float(v) for v in np.clip(vals, 0, 1)], tol


def moments(vals):
    m = math.fsum(vals) / len(vals)
    return m, math.sqrt(math.fsum((v - m) ** 2 for v in vals) / len(vals))


# ---------------------------------------------------------------------------
# Runs


def close(a, b, tol=TOLERANCE):
    return isinstance(a, (int, float)) and abs(a - b) <= tol * max(1.0, abs(b))


def check_obj(obj, want, lower, upper, tol=TOLERANCE):
    problems = []
    if not isinstance(obj, dict):
        return [f"no aupimo object: {obj!r}"]
    m, sd = moments(want)
    for key, exp in (("fpr_lower", lower), ("fpr_upper", upper)):
        if obj.get(key) != exp:
            problems.append(f"aupimo.{key}: expected {exp!r}, got {obj.get(key)!r}")
    if obj.get("images") != len(want):
        problems.append(f"aupimo.images: expected {len(want)}, got {obj.get('images')!r}")
    if not close(obj.get("mean"), m, tol):
        problems.append(f"aupimo.mean: expected {m!r}, got {obj.get('mean')!r}")
    if not close(obj.get("std"), sd, tol):
        problems.append(f"aupimo.std: expected {sd!r}, got {obj.get('std')!r}")
    return problems


def spelled(lower, upper):
    return "--aupimo" if (lower, upper) == (1e-5, 1e-4) else f"--aupimo={lower!r}:{upper!r}"


def run_json(args):
    r = px.run_adthresh(args)
    doc, problems = harness.parse_json(r.rc, r.out, r.err, level="pixel")
    return doc, problems


def one_case(suite, work, name, items, bounds, extra_runs=(), brute=True, port=True):
    base = write(items, work / name)
    for lower, upper in bounds:
        want, smin = vector_reference(items, lower, upper)
        label = f"{name}/{lower!r}:{upper!r}"
        args = base + [spelled(lower, upper)]
        if want == "unreachable":
            suite.notes.append(f"aupimo-oracle: {label}: the lowest shared FPR is {smin:.3g}")
            r = px.run_adthresh(args)
            problems = []
            if r.rc != 2 or r.out.strip():
                problems.append(f"expected exit 2 and no output, got {r.rc}: {first_line(r.out)}")
            which = "upper" if smin > upper else "lower"
            if f"{which} bound" not in r.err or "reachable range" not in r.err:
                problems.append(f"stderr: {first_line(r.err)}")
            suite.record(label + "/unreachable", problems, " ".join(map(str, args)))
            continue
        if brute and sum(it.mask.size for it in items) <= BRUTE_PIXELS:
            b = brute_reference(items, lower, upper)
            bad = [f"image {k}: vector {v!r}, brute {w!r}" for k, (v, w) in
                   enumerate(zip(want, b)) if not close(v, w)]
            suite.record(label + "/self-check", bad)
        doc, problems = run_json(args)
        if doc is not None:
            problems += check_obj(doc["pixel"].get("aupimo"), want, lower, upper)
        suite.record(label, problems, " ".join(map(str, args)))
        if port:
            grid, tol = anomalib_port(items, lower, upper)
            bad = [f"image {k}: exact {v!r}, anomalib grid {w!r} (tolerance {tol:.3g})"
                   for k, (v, w) in enumerate(zip(want, grid)) if abs(v - w) > tol + 1e-12]
            suite.record(label + "/anomalib-grid", bad)
            suite.notes.append(f"aupimo-oracle: {label}: anomalib grid within "
                               f"{max(abs(v - w) for v, w in zip(want, grid)):.2g} of the exact "
                               f"values (tolerance {tol:.2g})")
        outs = {}
        for run_name, more in extra_runs:
            doc2, problems = run_json(args + more)
            if doc2 is not None:
                problems += check_obj(doc2["pixel"].get("aupimo"), want, lower, upper)
                outs[run_name] = doc2["pixel"].get("aupimo")
            suite.record(f"{label}/{run_name}", problems, " ".join(map(str, args + more)))
        if "threads-1" in outs and "threads-2" in outs:
            suite.record(f"{label}/threads-identical",
                         [] if outs["threads-1"] == outs["threads-2"] else
                         [f"{outs['threads-1']} vs {outs['threads-2']}"])


def pooled_differs(items):
    """The case's claim: the pooled FPR of the normal images is not the mean of rates."""
    normal, _ = split(items)
    t = float(np.quantile(np.concatenate(normal), 0.999))
    pooled = sum(int((v >= t).sum()) for v in normal) / sum(len(v) for v in normal)
    mean = sum(float((v >= t).mean()) for v in normal) / len(normal)
    return [] if abs(pooled - mean) > 1e-6 else [f"pooled {pooled} equals the mean {mean}"]


def batch(suite, work, rng):
    cats = {"bottle": make_items(rng, [(60, 60)] * 4, [(60, 60)] * 3, np.float32),
            "cable": make_items(rng, [(50, 70), (40, 40), (70, 50)], [(40, 40)] * 3,
                                np.float64, quantum=1 / 32)}
    lower, upper = 1e-4, 1e-2
    results, dataset = work / "batch" / "results", work / "batch" / "dataset"
    want = {}
    for name, items in cats.items():
        write(items, work / "batch" / "stage" / name)
        results.mkdir(parents=True, exist_ok=True)
        dataset.mkdir(parents=True, exist_ok=True)
        (work / "batch" / "stage" / name / "maps").rename(results / name)
        (work / "batch" / "stage" / name / "gt").rename(dataset / name)
        want[name], _ = vector_reference(items, lower, upper)
    args = ["--batch", "--maps", results, "--masks", dataset, spelled(lower, upper)]
    r = px.run_adthresh(args)
    doc, problems = harness.parse_json(r.rc, r.out, r.err)
    if doc is not None:
        for name in cats:
            problems += [f"{name}: {p}" for p in check_obj(
                doc["categories"][name]["pixel"].get("aupimo"), want[name], lower, upper)]
        mean = math.fsum(moments(want[n])[0] for n in cats) / len(cats)
        if not close(doc["mean"]["pixel"].get("aupimo"), mean):
            problems.append(f"mean.pixel.aupimo: expected {mean!r}, got "
                            f"{doc['mean']['pixel'].get('aupimo')!r}")
    suite.record("batch", problems, " ".join(map(str, args)))


def bundled(suite):
    """data/bottle as it is (float32 TIFF maps, PNG masks): the default lower
    bound lies below its lowest shared FPR, 1/55296; other bands are checked."""
    from PIL import Image as PILImage
    root = harness.REPO / "data" / "bottle"
    items = []
    for f in sorted((root / "test").glob("*/*.tiff")):
        values = tifffile.imread(f)
        mask = np.zeros(values.shape, bool)
        if f.parent.name != "good":
            png = root / "ground_truth" / f.parent.name / f"{f.stem}_mask.png"
            mask = np.asarray(PILImage.open(png)) > 0
        items.append(Item(f.parent.name, f.stem, values, mask))
    for lower, upper in ((1e-5, 1e-4), (1e-4, 1e-3), (2e-5, 2e-4)):
        args = ["--maps", root, "--masks", root, spelled(lower, upper), root / "scores.csv"]
        want, smin = vector_reference(items, lower, upper)
        if want == "unreachable":
            r = px.run_adthresh(args)
            ok = r.rc == 2 and "lower bound" in r.err and not r.out.strip()
            suite.record(f"bundled/{lower!r}:{upper!r}/unreachable",
                         [] if ok else [f"exit {r.rc}: {first_line(r.err)}"])
            continue
        doc, problems = run_json(args)
        if doc is not None:
            problems += check_obj(doc["pixel"].get("aupimo"), want, lower, upper)
        suite.record(f"bundled/{lower!r}:{upper!r}", problems, " ".join(map(str, args)))


def check_all(work, suite):
    rng = np.random.default_rng(SEED)
    only = os.environ.get("ORACLE_ONLY", "")
    cases = []
    sizes = make_items(rng, [(120, 100), (60, 50), (200, 160)], [(80, 90), (60, 60), (30, 200)],
                       np.float32)
    suite.record("different-sizes/claim", pooled_differs(sizes))
    cases.append(("different-sizes", sizes, [(1e-5, 1e-4), (1e-4, 1e-3), (1e-4, 1e-2),
                                             (1e-3, 1.0)],
                  [("threads-1", ["--threads", "1"]), ("threads-2", ["--threads", "2"]),
                   ("rule-gt", ["--rule", "gt"])]))
    ties = make_items(rng, [(128, 128)] * 16, [(100, 100)] * 4, np.float32, quantum=1 / 64)
    cases.append(("ties", ties, [(1e-5, 1e-4), (1e-3, 0.1)],
                  [("threads-1", ["--threads", "1"]), ("threads-2", ["--threads", "2"])]))
    onpoint = make_items(rng, [(250, 100)] * 4, [(50, 50)] * 3, np.float32)
    smin = vector_reference(onpoint, 1e-5, 1e-4)[1]
    suite.record("on-point/claim", [] if smin == 1e-5 else [f"lowest shared FPR {smin!r}"])
    cases.append(("on-point", onpoint, [(1e-5, 1e-4)], []))
    f64 = make_items(rng, [(90, 110), (100, 100)], [(64, 64)] * 3, np.float64)
    cases.append(("float64", f64, [(1e-4, 1e-3), (1e-3, 0.5)],
                  [("threads-1", ["--threads", "1"]), ("threads-2", ["--threads", "2"])]))
    small = make_items(rng, [(20, 30), (25, 25)], [(20, 20), (16, 24)], np.float32,
                       quantum=1 / 8)
    cases.append(("small-brute", small, [(0.002, 0.05), (0.01, 1.0), (1e-5, 1e-4)], []))
    for name, items, bounds, extra in cases:
        if only in name:
            one_case(suite, work, name, items, bounds, extra)
    if only in "batch":
        batch(suite, work, rng)
    if only in "bundled":
        bundled(suite)
    return f"{len(cases) + 2} cases"


if __name__ == "__main__":
    sys.exit(harness.run_suite("aupimo-oracle", check_all))
