#!/usr/bin/python3
"""Cross-check adthresh's pixel-level AU-PRO (--aupro[=LIMIT]) against two references.

AU-PRO as the MVTec AD evaluation script defines it, computed in float64:
every mask is split into 8-connected regions (scipy.ndimage.label with a 3x3
structure of ones; two pixels touching only at a corner are one region, and
regions never join across images); R is the number of regions over all
images and N the number of normal pixels (an image without a mask is all
normal).  Sorting every pixel by score, highest first, a normal pixel adds
1/N to the false-positive rate and an anomalous pixel of a region of s
pixels adds 1/(R s) to the per-region overlap (PRO); of a run of equal
scores only the point after the whole run is kept, and (0, 0) is put in
front.  The area under PRO(FPR) by the trapezoidal rule up to FPR = LIMIT
(when LIMIT is not an FPR of the curve: the partial trapezoid up to the PRO
interpolated linearly between the points on either side of it, found by
bisect_right; the points beyond LIMIT cut off), divided by LIMIT, is the
AU-PRO.  It is undefined (null) without a region or without a normal pixel.

  curve_reference   the script's vectorised computation: one stable sort,
                    cumulative sums (the FPR from integer counts divided by N;
                    the PRO summed in long double, so that its own rounding
                    stays far below the tolerance on 10^5 pixels), then the
                    script's trapezoid() with its x_max handling
  brute_reference   a second one for small data, sharing no code with the
                    first: its own 8-connected labelling (a flood fill), then
                    for every distinct score t a pass over the pixels giving
                    FPR(t) = #(normal >= t) / N and PRO(t) = the mean over the
                    regions of #(region pixels >= t) / size, all as exact
                    fractions, and the area integrated exactly up to the
                    limit (read as the exact value of its double)

The two must agree within 1e-12 on every case small enough for the second
(oracle self-check), and a hand-computed case (8-connected chain beside a
single pixel, ties between classes) must give 61/84, 19/63 and 15/56 for the
limits 1, 0.3 and 0.25.  adthresh's pixel.aupro must be within 1e-12 of the
reference (null when undefined), pixel.aupro_limit the limit's double, and
the rest of the JSON document identical to the same run without --aupro (so
the threshold, counts, AUROC and AP are unchanged by it).

Cases (MVTec AD layout: maps/test/<defect>/NNN.tiff float32 maps,
gt/ground_truth/<defect>/NNN_mask.png masks 0/255, test/good/ without masks,
run as --maps maps --masks gt):

  hand          the hand-computed case
  mvtec-gauss   several regions per mask drawn in separate cells: rectangles,
                ellipses, rings, lines, single pixels, diagonal staircases,
                checkerboard patches and rectangles meeting only at a corner
                (one region each under 8-connectivity), two pixels one
                apart (two regions), a pair split by the row wrap (the last
                column of one row and the first of the next); a defect image
                with an all-zero mask; per-region detection strength
  mvtec-ties    the same with scores quantised to steps of 0.5: heavy ties,
                also between anomalous and normal pixels; also --rule gt
  exact-limit   exactly N = 100 normal pixels, so that the limits 0.25, 0.05,
                0.07, 0.5 and 1 are FPR values of the curve (the script's
                no-interpolation branch), 0.055 is not, and 0.001 lies below
                the first nonzero FPR
  large         8 maps of 200 x 200 (320,000 pixels), some quantised; limits
                default, 0.05, 1.0 and 1e-4; --threads 1 and --threads 2
                must give identical aupro
  stack-f64     a stacked float64 .npy (<f8, [N, H, W]) with a uint8 .npy of
                masks; scores a few ulps apart that float32 would tie (checked
                to change the AU-PRO); regions at the same place in
                consecutive images, and in the last row of one image and
                the first row of the next, stay separate; also --rule gt
  no-regions, no-normal-pixels
                every mask empty / every pixel anomalous, with
                --allow-one-class: aupro null
  limits        --aupro=0, 1.5, -0.25, nan, x: exit 2, nothing on stdout
  batch         --batch over three categories (float32 TIFF, float64 NPY maps
                in folders, few-level scores): each category's pixel.aupro
                and aupro_limit, mean.pixel.aupro the mean of the three (also
                of the reported ones), the rest as without --aupro

Limits are spelled --aupro (the default, 0.3), --aupro=0.05, --aupro=0.3,
--aupro=1.0 and so on.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/aupro_oracle.py

Environment:
  ADTHRESH=PATH     the binary (default build/adthresh; relative to the repo root)
  ORACLE_ONLY=TEXT  only cases whose name contains TEXT
  ORACLE_KEEP=DIR   write the files to a new folder in DIR and keep them

Output: one line per failure (`FAIL case/run: ...`), a line with the time
the references took, `aupro-oracle: C cases, R tests in S s` and, last,
`aupro-oracle: N passed, M failed`, where one test is one adthresh run
checked or one case's reference self-check.  Exit status 1 if anything
failed.
"""

import copy
import math
import os
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import first_line  # noqa: E402

with harness.needs("aupro-oracle", "numpy, scipy, tifffile and PIL"):
    import numpy as np
    from scipy import ndimage
    import tifffile  # noqa: F401  (pixel_oracle's TIFF writer needs it)
    from PIL import Image  # noqa: F401

import oracle as image_oracle  # noqa: E402
import pixel_oracle as px  # noqa: E402  (map/mask writers and the runner)

TOLERANCE = image_oracle.TOLERANCE
SEED = 20241215
DEFAULT_LIMIT = 0.3
STRUCTURE = np.ones((3, 3), dtype=bool)
BRUTE_PIXELS = 40_000      # pixels up to which the brute-force reference runs
BRUTE_THRESHOLDS = 30_000  # distinct scores up to which it runs
HAND = {"1.0": Fraction(61, 84), "0.3": Fraction(19, 63), "0.25": Fraction(15, 56)}
MISSING = image_oracle.MISSING
AUPRO_KEYS = ("aupro", "aupro_limit")


# ---------------------------------------------------------------------------
# Data


@dataclass
class Item:
    folder: str          # defect name or "good"; the stack index for stacks
    id: str
    values: np.ndarray   # 2-D float32 or float64: exactly what adthresh reads
    mask: np.ndarray     # 2-D bool
    mask_file: bool = True
    fmt: str = "tif32"


@dataclass
class Case:
    name: str
    items: list
    layout: str = "mvtec"   # mvtec | stack
    runs: list = field(default_factory=list)   # (name, extra args, --aupro spelling)
    base_extra: list = field(default_factory=list)  # args of every run (e.g. --allow-one-class)
    claims: tuple = ()      # what the masks must contain: "diagonal", "single",
    #                         "empty-mask", "wrap" (row-wrap pair), "across-images"
    checks: list = field(default_factory=list)  # extra self-checks: callables -> [problems]


def limit_of(flag):
    return DEFAULT_LIMIT if flag == "--aupro" else float(flag.split("=", 1)[1])


def _free(m, y, x):
    """True when (y, x) and its 8 neighbours are all unset."""
    h, w = m.shape
    return not m[max(0, y - 1):min(h, y + 2), max(0, x - 1):min(w, x + 2)].any()


def draw_feature(rng, sub, kind):
    """Draws one region (two for "pair") somewhere inside sub (a view)."""
    sh, sw = sub.shape

    def box(min_h=1, min_w=1):
        bh = int(rng.integers(min_h, sh + 1))
        bw = int(rng.integers(min_w, sw + 1))
        return bh, bw, int(rng.integers(0, sh - bh + 1)), int(rng.integers(0, sw - bw + 1))

    if kind == "rect":
        bh, bw, y, x = box()
        sub[y:y + bh, x:x + bw] = True
    elif kind == "ellipse":
        bh, bw, y, x = box()
        yy, xx = np.ogrid[:bh, :bw]
        e = ((yy - (bh - 1) / 2) / max(bh / 2, 0.5)) ** 2 + \
            ((xx - (bw - 1) / 2) / max(bw / 2, 0.5)) ** 2 <= 1.0
        sub[y:y + bh, x:x + bw] |= e
    elif kind == "single":
        sub[int(rng.integers(sh)), int(rng.integers(sw))] = True
    elif kind == "diagonal":  # a staircase: pixels touching only at corners
        n = int(rng.integers(2, min(sh, sw) + 1))
        y, x = int(rng.integers(0, sh - n + 1)), int(rng.integers(0, sw - n + 1))
        anti = rng.random() < 0.5
        for i in range(n):
            sub[y + i, x + (n - 1 - i if anti else i)] = True
    elif kind == "checker":  # one region under 8-connectivity, many under 4
        bh, bw, y, x = box(2, 2)
        yy, xx = np.ogrid[:bh, :bw]
        sub[y:y + bh, x:x + bw] |= (yy + xx) % 2 == int(rng.integers(2))
        if not sub.any():
            sub[y, x] = True
    elif kind == "corners":  # two rectangles meeting at one corner only
        a, b = int(rng.integers(1, sh)), int(rng.integers(1, sw))
        c, d = int(rng.integers(1, sh - a + 1)), int(rng.integers(1, sw - b + 1))
        sub[0:a, 0:b] = True
        sub[a:a + c, b:b + d] = True
    elif kind == "ring":
        bh, bw, y, x = box(min(3, sh), min(3, sw))
        sub[y:y + bh, x:x + bw] = True
        if bh > 2 and bw > 2:
            sub[y + 1:y + bh - 1, x + 1:x + bw - 1] = False
    elif kind == "line":
        if rng.random() < 0.5:
            y = int(rng.integers(sh))
            sub[y, :] = True
        else:
            x = int(rng.integers(sw))
            sub[:, x] = True
    elif kind == "pair":  # two single pixels one pixel apart: two regions
        if sw >= 3:
            y, x = int(rng.integers(sh)), int(rng.integers(0, sw - 2))
            sub[y, x] = sub[y, x + 2] = True
        else:
            sub[0, 0] = True
    else:
        raise ValueError(kind)


FEATURES = ("rect", "ellipse", "single", "diagonal", "checker", "corners", "ring", "line", "pair")


def feature_mask(rng, h, w, features, wrap=False):
    """A mask with each feature inside its own cell (cells keep a one-pixel margin,
    so features never merge); with wrap, also a pixel in the last column of a row
    and one in the first column of the next (two regions, adjacent in memory)."""
    m = np.zeros((h, w), dtype=bool)
    n = len(features)
    if n:
        cols = math.ceil(math.sqrt(n))
        rows = math.ceil(n / cols)
        ch, cw = h // rows, w // cols
        assert ch >= 4 and cw >= 4, (h, w, n)
        for f, c in zip(features, rng.permutation(rows * cols)[:n]):
            r0, c0 = (int(c) // cols) * ch, (int(c) % cols) * cw
            draw_feature(rng, m[r0 + 1:r0 + ch - 1, c0 + 1:c0 + cw - 1], f)
    if wrap and w >= 4 and h >= 2:
        for _ in range(50):
            y = int(rng.integers(0, h - 1))
            if _free(m, y, w - 1) and _free(m, y + 1, 0):
                m[y, w - 1] = m[y + 1, 0] = True
                break
    return m


def latent_scores(rng, mask, kind):
    """float64 scores: Gaussian noise plus a detection strength per region."""
    labeled, n = ndimage.label(mask, structure=STRUCTURE)
    shift = np.zeros(n + 1)
    shift[1:] = rng.uniform(-0.5, 3.0, size=n)
    z = rng.normal(size=mask.shape) + shift[labeled]
    if kind == "quantised":
        return np.round(z * 2.0) / 2.0
    if kind == "fine-quantised":
        return np.round(z * 64.0) / 64.0
    if kind == "levels":
        return np.clip(np.round(z), -2.0, 4.0)
    if kind == "gauss":
        return z
    raise ValueError(kind)


def as_format(lat, fmt):
    return lat.astype(np.float64 if fmt == "npy8" else np.float32)


def random_items(rng, defects, per_defect, good, size, kind, fmt="tif32", empty=0,
                 features=FEATURES):
    """MVTec-like items: defect images with feature masks (the first `empty` with an
    all-zero mask), good images without masks."""
    h, w = size
    items = []
    for d in defects:
        for j in range(per_defect):
            k = int(rng.integers(3, len(features) + 1))
            chosen = [str(f) for f in rng.choice(features, size=k, replace=False)]
            mask = feature_mask(rng, h, w, chosen, wrap=rng.random() < 0.6)
            items.append(Item(d, f"{j:03d}", None, mask, True, fmt))
    for k in range(min(empty, len(items))):
        items[k * per_defect].mask = np.zeros((h, w), dtype=bool)
    for j in range(good):
        items.append(Item("good", f"{j:03d}", None, np.zeros((h, w), dtype=bool), False, fmt))
    for it in items:
        it.values = as_format(latent_scores(rng, it.mask, kind), fmt)
    return items


def hand_items():
    """The hand-computed case.  crack/000, 3 x 4 (A: anomalous):
         A .9 | .7  | A .5 | .5         regions: {(0,0), (1,1), (0,2)}, a chain
         .3   | A .7| .1   | .2         touching at corners (size 3), and the
         .2   | .3  | .1   | A .3       single pixel (2,3): R = 2
    good/000, 2 x 3: .8 .6 .4 / .2 .1 .05.  N = 14.  Points (FPR in 14ths, PRO):
    (0,0) (0,1/6) (1,1/6) (2,1/3) (3,1/3) (4,1/2) (5,1/2) (7,1) (10,1) (13,1) (14,1):
    AU-PRO 61/84 up to 1, 19/63 up to 0.3, 15/56 up to 0.25.  With 4-connectivity
    (four regions of one pixel) PRO(0.9) would be 1/4."""
    v0 = np.array([[.9, .7, .5, .5], [.3, .7, .1, .2], [.2, .3, .1, .3]], dtype=np.float32)
    m0 = np.array([[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=bool)
    v1 = np.array([[.8, .6, .4], [.2, .1, .05]], dtype=np.float32)
    return [Item("crack", "000", v0, m0, True), Item("good", "000", v1,
                                                      np.zeros((2, 3), dtype=bool), False)]


def exact_limit_items(rng):
    """Exactly 100 normal pixels; normal scores distinct, some anomalous pixels
    tied with normal ones."""
    items = []
    for j, (h, w, feats) in enumerate([(8, 8, ["diagonal", "checker", "single", "corners"]),
                                       (5, 6, ["rect"])]):
        mask = feature_mask(rng, h, w, feats)
        items.append(Item("crack", f"{j:03d}", None, mask, True))
    k = 100 - sum(int((~it.mask).sum()) for it in items)
    assert k > 0
    a = max(d for d in range(1, int(math.isqrt(k)) + 1) if k % d == 0)
    items.append(Item("good", "000", None, np.zeros((a, k // a), dtype=bool), False))
    normal = rng.permutation(np.linspace(0.0, 1.0, 100, dtype=np.float32))
    pos = 0
    for it in items:
        v = np.zeros(it.mask.shape, dtype=np.float32)
        n_norm = int((~it.mask).sum())
        v[~it.mask] = normal[pos:pos + n_norm]
        pos += n_norm
        n_anom = int(it.mask.sum())
        anom = (rng.random(n_anom) * 0.8 + 0.3).astype(np.float32)
        tie = rng.random(n_anom) < 0.4
        anom[tie] = rng.choice(normal, size=int(tie.sum()))
        v[it.mask] = anom
        it.values = v
    return items


def large_items(rng):
    items = []
    feats = list(FEATURES) * 2
    for j in range(8):
        good = j >= 6
        if good:
            mask = np.zeros((200, 200), dtype=bool)
        else:
            mask = feature_mask(rng, 200, 200, [str(f) for f in rng.permutation(feats)],
                                wrap=True)
        kind = "fine-quantised" if j % 2 else "gauss"
        items.append(Item("good" if good else ("crack" if j < 3 else "hole"), f"{j % 6:03d}",
                          as_format(latent_scores(rng, mask, kind), "tif32"), mask, not good))
    return items


def stack_f64_items(rng):
    """10 maps of 40 x 50 float64; values a few ulps apart on a 0.25 grid (float32
    would tie them); regions at the same place in consecutive images and in the
    last row of one image / first row of the next."""
    n, h, w = 10, 40, 50
    masks = []
    for i in range(n):
        if i in (0, 4):
            masks.append(np.zeros((h, w), dtype=bool))
        else:
            k = int(rng.integers(3, 7))
            masks.append(feature_mask(rng, h, w, [str(f) for f in
                                                  rng.choice(FEATURES, size=k, replace=False)],
                                      wrap=True))
    for i in range(1, n - 1):  # vertical neighbours across the image boundary
        if i in (3, 4):
            continue
        for _ in range(50):
            x = int(rng.integers(w))
            if _free(masks[i], h - 1, x) and _free(masks[i + 1], 0, x):
                masks[i][h - 1, x] = masks[i + 1][0, x] = True
                break
    # the same 3x3 block in images 5, 6 and 7
    for _ in range(50):
        y, x = int(rng.integers(0, h - 4)), int(rng.integers(0, w - 4))
        if all(not masks[i][max(0, y - 1):y + 4, max(0, x - 1):x + 4].any() for i in (5, 6, 7)):
            for i in (5, 6, 7):
                masks[i][y:y + 3, x:x + 3] = True
            break
    items = []
    for i, m in enumerate(masks):
        base = np.round(latent_scores(rng, m, "gauss") * 4.0) / 4.0
        ulps = rng.integers(0, 2, size=m.shape) + rng.integers(0, 3, size=m.shape) * m
        v = base.copy()
        for _ in range(int(ulps.max())):
            step = ulps > 0
            v[step] = np.nextafter(v[step], np.inf)
            ulps = ulps - step
        items.append(Item(str(i), str(i), v.astype(np.float64), m, True, "npy8"))
    return items


# ---------------------------------------------------------------------------
# Reference 1: the evaluation script's vectorised computation


def curve_reference(items):
    """(fpr, pro) float64 arrays starting at (0, 0), or None when undefined."""
    scores, fp_change, pro_change = [], [], []
    regions = normal = 0
    for it in items:
        labeled, n = ndimage.label(it.mask, structure=STRUCTURE)
        ok = labeled == 0
        normal += int(np.count_nonzero(ok))
        regions += n
        sizes = np.bincount(labeled.ravel(), minlength=n + 1).astype(np.longdouble)
        change = np.zeros(labeled.shape, dtype=np.longdouble)
        change[~ok] = np.longdouble(1) / sizes[labeled[~ok]]
        scores.append(it.values.astype(np.float64).ravel())
        fp_change.append(ok.ravel())
        pro_change.append(change.ravel())
    if regions == 0 or normal == 0:
        return None
    s = np.concatenate(scores)
    order = np.argsort(s, kind="stable")[::-1]   # highest first
    s = s[order]
    fp = np.cumsum(np.concatenate(fp_change)[order], dtype=np.int64)
    pro = np.cumsum(np.concatenate(pro_change)[order])
    keep = np.append(np.diff(s) != 0, True)      # the last point of each run of ties
    fpr = np.concatenate(([0.0], fp[keep].astype(np.float64) / normal))
    pro = np.concatenate(([0.0], (pro[keep] / regions).astype(np.float64)))
    return fpr, pro


def trapezoid(x, y, x_max):
    """The evaluation script's trapezoid(x, y, x_max) (all values finite)."""
    correction = 0.0
    if not np.any(x == x_max):
        ins = int(np.searchsorted(x, x_max, side="right"))  # bisect.bisect_right
        assert 0 < ins < len(x), (ins, len(x))
        y_interp = y[ins - 1] + (y[ins] - y[ins - 1]) * (x_max - x[ins - 1]) / \
            (x[ins] - x[ins - 1])
        correction = 0.5 * (y_interp + y[ins - 1]) * (x_max - x[ins - 1])
    keep = x <= x_max
    x, y = x[keep], y[keep]
    return math.fsum((0.5 * (y[1:] + y[:-1]) * (x[1:] - x[:-1])).tolist()) + correction


def aupro_from_curve(curve, limit):
    if curve is None:
        return None
    return float(trapezoid(curve[0], curve[1], limit) / limit)


# ---------------------------------------------------------------------------
# Reference 2: brute force, exact


def label8(mask):
    """Regions of a 2-D bool mask under 8-connectivity, as lists of (y, x) (flood fill)."""
    rows = mask.tolist()
    h, w = len(rows), len(rows[0]) if rows else 0
    seen = [[False] * w for _ in range(h)]
    regions = []
    for y0 in range(h):
        for x0 in range(w):
            if not rows[y0][x0] or seen[y0][x0]:
                continue
            seen[y0][x0] = True
            stack, region = [(y0, x0)], []
            while stack:
                y, x = stack.pop()
                region.append((y, x))
                for ny in (y - 1, y, y + 1):
                    for nx in (x - 1, x, x + 1):
                        if 0 <= ny < h and 0 <= nx < w and rows[ny][nx] and not seen[ny][nx]:
                            seen[ny][nx] = True
                            stack.append((ny, nx))
            regions.append(region)
    return regions


def brute_points(items):
    """[(FPR, PRO)] as Fractions, (0, 0) first, one point per distinct score, or None."""
    normal, regions, everything = [], [], []
    for it in items:
        v = it.values.astype(np.float64)
        for region in label8(it.mask):
            regions.append(np.array([v[y, x] for y, x in region]))
        normal.append(v[~it.mask])
        everything += v.ravel().tolist()
    normal = np.concatenate(normal)
    R, N = len(regions), len(normal)
    if R == 0 or N == 0:
        return None
    # PRO(t) = sum_r count_r(t) / size_r / R = sum_r count_r(t) * (L / size_r) / (L R)
    # with L the least common multiple of the sizes: exact, in integers
    L = math.lcm(*(len(r) for r in regions))
    weights = [L // len(r) for r in regions]
    points = [(Fraction(0), Fraction(0))]
    for t in sorted(set(everything), reverse=True):
        fp = int(np.count_nonzero(normal >= t))
        overlap = sum(int(np.count_nonzero(r >= t)) * wt for r, wt in zip(regions, weights))
        points.append((Fraction(fp, N), Fraction(overlap, L * R)))
    return points


def brute_aupro(points, limit):
    if points is None:
        return None
    L = Fraction(limit)
    area = Fraction(0)
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x1 <= L:
            area += (y0 + y1) * (x1 - x0) / 2
            continue
        if x0 < L:
            y = y0 + (y1 - y0) * (L - x0) / (x1 - x0)
            area += (y0 + y) * (L - x0) / 2
        break
    return float(area / L)


# ---------------------------------------------------------------------------
# Self-checks of the references and of what a case covers


def self_check(case, limits, curve, timings):
    problems = []
    pixels = sum(it.values.size for it in case.items)
    distinct = len(np.unique(np.concatenate([it.values.astype(np.float64).ravel()
                                             for it in case.items])))
    # the labelling: scipy's against the flood fill, and what the case claims
    diag = single = empty = False
    for it in case.items:
        labeled, n = ndimage.label(it.mask, structure=STRUCTURE)
        own = label8(it.mask)
        if n != len(own) or sorted(np.bincount(labeled.ravel())[1:].tolist()) != \
                sorted(len(r) for r in own):
            problems.append(f"{it.folder}/{it.id}: scipy finds {n} regions, the flood fill "
                            f"{len(own)}")
        _, n4 = ndimage.label(it.mask)
        diag |= n4 > n
        single |= any(len(r) == 1 for r in own)
        empty |= it.mask_file and not it.mask.any()
    wrap = any(it.mask.shape[1] >= 3 and (it.mask[:-1, -1] & it.mask[1:, 0]).any()
               for it in case.items)
    across = any(a.mask.shape == b.mask.shape and (a.mask[-1] & b.mask[0]).any()
                 for a, b in zip(case.items, case.items[1:]))
    for claim, holds in (("diagonal", diag), ("single", single), ("empty-mask", empty),
                         ("wrap", wrap), ("across-images", across)):
        if claim in case.claims and not holds:
            problems.append(f"the case was meant to have a {claim} region/mask and has none")
    if pixels <= BRUTE_PIXELS and distinct <= BRUTE_THRESHOLDS:
        start = time.monotonic()
        points = brute_points(case.items)
        for limit in limits:
            a, b = aupro_from_curve(curve, limit), brute_aupro(points, limit)
            if (a is None) != (b is None) or (a is not None and not abs(a - b) <= TOLERANCE):
                problems.append(f"limit {limit!r}: the curve reference gives {a!r}, "
                                f"the brute force {b!r}")
        timings["brute"] += time.monotonic() - start
    for check in case.checks:
        problems += check(curve)
    return problems


def hand_check(curve):
    problems = []
    for spelled, want in HAND.items():
        got = aupro_from_curve(curve, float(spelled))
        if got is None or abs(got - float(want)) > 1e-15:
            problems.append(f"hand case, limit {spelled}: reference {got!r}, by hand "
                            f"{want} = {float(want)!r}")
    return problems


def exact_limit_check(curve):
    """The case must exercise both branches of trapezoid()."""
    problems = []
    if curve is None:
        return ["exact-limit: undefined"]
    fpr = curve[0]
    for limit in (0.25, 0.05, 0.07, 0.5, 1.0):
        if not np.any(fpr == limit):
            problems.append(f"exact-limit: {limit} is not an FPR of the curve")
    if np.any(fpr == 0.055):
        problems.append("exact-limit: 0.055 is an FPR of the curve")
    if not (fpr[fpr > 0].min() > 0.001):
        problems.append("exact-limit: 0.001 is not below the first nonzero FPR")
    return problems


def f32_matters_check(items):
    def check(curve):
        narrowed = [Item(it.folder, it.id, it.values.astype(np.float32), it.mask)
                    for it in items]
        a = aupro_from_curve(curve, 0.3)
        b = aupro_from_curve(curve_reference(narrowed), 0.3)
        if a is None or b is None or abs(a - b) < 1e-6:
            return [f"stack-f64: narrowing to float32 changes AU-PRO (0.3) only from "
                    f"{a!r} to {b!r}: the case does not tell float64 from float32"]
        return []
    return check


# ---------------------------------------------------------------------------
# Writing


def write_mvtec(items, root, rng):
    """root/maps/test/<folder>/<id>.<ext> and root/gt/ground_truth/<folder>/<id>_mask.png;
    returns the --maps and --masks arguments."""
    maps, gt = root / "maps", root / "gt"
    for it in items:
        _, seen = px.write_map(maps / "test" / it.folder / it.id, it.fmt,
                               it.values.astype(np.float64), rng)
        assert seen.dtype == it.values.dtype and np.array_equal(seen, it.values)
        if it.mask_file:
            px.write_mask(gt / "ground_truth" / it.folder / f"{it.id}_mask", "png255",
                          it.mask, rng)
    gt.mkdir(parents=True, exist_ok=True)
    return [str(maps), str(gt)]


def write_stack(items, root):
    root.mkdir(parents=True, exist_ok=True)
    maps = np.stack([it.values for it in items]).astype("<f8")
    masks = np.stack([it.mask for it in items]).astype(np.uint8)
    np.save(root / "maps.npy", maps)
    np.save(root / "masks.npy", masks)
    return [str(root / "maps.npy"), str(root / "masks.npy")]


# ---------------------------------------------------------------------------
# Running and comparing


def parse(run, want_rc=0):
    return harness.parse_json(run.rc, run.out, run.err, want_rc)


def strip_aupro(doc):
    """The document without the AU-PRO fields of every pixel object."""
    doc = copy.deepcopy(doc)
    objs = [doc.get("pixel")]
    if isinstance(doc.get("categories"), dict):
        objs += [c.get("pixel") for c in doc["categories"].values() if isinstance(c, dict)]
    if isinstance(doc.get("mean"), dict):
        objs.append(doc["mean"].get("pixel"))
    for o in objs:
        if isinstance(o, dict):
            for k in AUPRO_KEYS:
                o.pop(k, None)
    return doc


def differences(a, b, path=""):
    """Where two JSON values differ (paths), at most a few."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}{k}: only with --aupro ({b[k]!r})")
            elif k not in b:
                out.append(f"{path}{k}: missing with --aupro (was {a[k]!r})")
            else:
                out += differences(a[k], b[k], f"{path}{k}.")
        return out
    if a != b or type(a) is not type(b):
        return [f"{path.rstrip('.')}: {a!r} without --aupro, {b!r} with it"]
    return []


def compare_aupro(obj, want, limit, where="pixel"):
    problems = []
    if not isinstance(obj, dict):
        return [f"{where}: no object"]
    got = obj.get("aupro", MISSING)
    if want is None:
        if got is not None:
            problems.append(f"{where}.aupro: expected null, got {image_oracle._show(got)}")
    elif not (image_oracle._is_number(got) and abs(float(got) - want) <= TOLERANCE):
        diff = f" (diff {float(got) - want:.3g})" if image_oracle._is_number(got) else ""
        problems.append(f"{where}.aupro: expected {want!r}, got {image_oracle._show(got)}{diff}")
    lim = obj.get("aupro_limit", MISSING)
    if not (image_oracle._is_number(lim) and float(lim) == limit):
        problems.append(f"{where}.aupro_limit: expected {limit!r}, got {image_oracle._show(lim)}")
    return problems


def without_threads(args):
    """args without --threads N (the output must not depend on it)."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a == "--threads":
            skip = True
        else:
            out.append(a)
    return out


def cmdline(args):
    return "adthresh --format json " + " ".join(map(str, args))


def run_case(case, work, suite, timings):
    rng = np.random.default_rng(SEED + sum(map(ord, case.name)))
    root = work / case.name
    files = write_stack(case.items, root) if case.layout == "stack" else \
        write_mvtec(case.items, root, rng)
    base = ["--maps", files[0], "--masks", files[1], *case.base_extra]

    limits = sorted({limit_of(flag) for _, _, flag in case.runs})
    start = time.monotonic()
    curve = curve_reference(case.items)
    want = {limit: aupro_from_curve(curve, limit) for limit in limits}
    timings["curve"] += time.monotonic() - start
    try:
        problems = self_check(case, limits, curve, timings)
    except Exception as exc:  # a bug in the oracle itself
        problems = [f"oracle error: {exc!r}"]
    suite.record(f"{case.name}/oracle-self-check", problems)

    plain = {}   # extra args -> document without --aupro
    got = {}     # run name -> reported aupro
    for name, extra, flag in case.runs:
        key = tuple(without_threads(extra))
        if key not in plain:
            args = base + list(key)
            doc, problems = parse(px.run_adthresh(args))
            suite.record(f"{case.name}/without-aupro{'-' + '-'.join(key) if key else ''}",
                         problems, cmdline(args))
            plain[key] = doc
        args = base + list(extra) + [flag]
        limit = limit_of(flag)
        doc, problems = parse(px.run_adthresh(args))
        if doc is not None:
            problems += compare_aupro(doc.get("pixel"), want[limit], limit)
            if plain[key] is not None:
                problems += differences(strip_aupro(plain[key]), strip_aupro(doc))
            if isinstance(doc.get("pixel"), dict):
                got[name] = doc["pixel"].get("aupro", MISSING)
        suite.record(f"{case.name}/{name}", problems, cmdline(args))
    names = [name for name, _, _ in case.runs]
    if "threads-1" in names and "threads-2" in names:
        a, b = got.get("threads-1", MISSING), got.get("threads-2", MISSING)
        ok = image_oracle._is_number(a) and image_oracle._is_number(b) and a == b
        suite.record(f"{case.name}/threads-identical",
                     [] if ok else [f"aupro {image_oracle._show(a)} with --threads 1, "
                                    f"{image_oracle._show(b)} with --threads 2"])


def limit_errors(work, suite):
    """Limits outside (0, 1] or not numbers: exit 2, nothing on stdout."""
    items = hand_items()
    files = write_mvtec(items, work / "limits", np.random.default_rng(SEED - 1))
    for spelled in ("0", "1.5", "-0.25", "nan", "x"):
        args = ["--maps", files[0], "--masks", files[1], f"--aupro={spelled}"]
        run = px.run_adthresh(args)
        problems = []
        if run.rc != 2:
            problems.append(f"exit: expected 2, got {run.rc}")
        if run.out.strip():
            problems.append(f"stdout: expected nothing, got {first_line(run.out)}")
        if not run.err.startswith("adthresh: "):
            problems.append(f"stderr: expected 'adthresh: ...', got "
                            f"{first_line(run.err)!r}")
        suite.record(f"limits/aupro={spelled}", problems, cmdline(args))


def batch(work, suite, timings):
    rng = np.random.default_rng(SEED + 7)
    cats = {
        "bottle": random_items(rng, ["broken_large", "contamination"], 2, 2, (40, 40), "gauss"),
        "cable": random_items(rng, ["cut_lead", "poke"], 2, 2, (32, 48), "quantised",
                              fmt="npy8", empty=1),
        "grid": random_items(rng, ["bent", "glue", "thread"], 2, 1, (36, 36), "levels"),
    }
    results, dataset = work / "batch" / "results", work / "batch" / "dataset"
    want = {}
    for name, items in cats.items():
        stage = work / "batch" / "stage" / name
        write_mvtec(items, stage, rng)
        results.mkdir(parents=True, exist_ok=True)
        dataset.mkdir(parents=True, exist_ok=True)
        (stage / "maps").rename(results / name)
        (stage / "gt").rename(dataset / name)
        start = time.monotonic()
        curve = curve_reference(items)
        want[name] = {limit: aupro_from_curve(curve, limit) for limit in (0.2, DEFAULT_LIMIT)}
        timings["curve"] += time.monotonic() - start
        case = Case(f"batch-{name}", items, claims=("diagonal", "single"))
        suite.record(f"batch/{name}/oracle-self-check",
                     self_check(case, (0.2, DEFAULT_LIMIT), curve, timings))
    base = ["--batch", "--maps", results, "--masks", dataset]
    plain, problems = parse(px.run_adthresh(base))
    suite.record("batch/without-aupro", problems, cmdline(base))
    for flag in ("--aupro=0.2", "--aupro"):
        limit = limit_of(flag)
        args = base + [flag]
        doc, problems = parse(px.run_adthresh(args))
        if doc is not None:
            got = doc.get("categories")
            if not isinstance(got, dict) or sorted(got) != sorted(cats):
                problems.append(f"categories: {sorted(got) if isinstance(got, dict) else got!r}, "
                                f"expected {sorted(cats)}")
                got = got if isinstance(got, dict) else {}
            for name in cats:
                c = got.get(name)
                problems += compare_aupro(c.get("pixel") if isinstance(c, dict) else None,
                                          want[name][limit], limit, f"{name}.pixel")
            values = [want[n][limit] for n in cats]
            mean = math.fsum(values) / len(values)
            m = doc.get("mean", {}).get("pixel") if isinstance(doc.get("mean"), dict) else None
            g = m.get("aupro", MISSING) if isinstance(m, dict) else MISSING
            if not (image_oracle._is_number(g) and abs(float(g) - mean) <= TOLERANCE):
                problems.append(f"mean.pixel.aupro: expected {mean!r}, got {image_oracle._show(g)}")
            reported = [(got.get(n) or {}).get("pixel") for n in cats]
            reported = [r.get("aupro") if isinstance(r, dict) else None for r in reported]
            if all(image_oracle._is_number(r) for r in reported) and image_oracle._is_number(g):
                own = math.fsum(reported) / len(reported)
                if abs(float(g) - own) > TOLERANCE:
                    problems.append(f"mean.pixel.aupro: {g!r} is not the mean {own!r} of the "
                                    f"reported categories")
            if plain is not None:
                problems += differences(strip_aupro(plain), strip_aupro(doc))
        suite.record(f"batch/{flag.lstrip('-')}", problems, cmdline(args))


def build_cases():
    rng = np.random.default_rng(SEED)
    limits4 = [("default", [], "--aupro"), ("limit-0.05", [], "--aupro=0.05"),
               ("limit-0.3", [], "--aupro=0.3"), ("limit-1.0", [], "--aupro=1.0")]
    hand = Case("hand", hand_items(), runs=[
        ("default", [], "--aupro"), ("limit-1.0", [], "--aupro=1.0"),
        ("limit-0.25", [], "--aupro=0.25"), ("limit-1", [], "--aupro=1")],
        claims=("diagonal", "single"))
    hand.checks.append(hand_check)
    gauss = Case("mvtec-gauss", random_items(rng, ["crack", "scratch"], 3, 3, (48, 64), "gauss",
                                             empty=1),
                 runs=limits4, claims=("diagonal", "single", "empty-mask", "wrap"))
    ties = Case("mvtec-ties", random_items(rng, ["hole", "print", "cut"], 2, 2, (40, 40),
                                           "quantised", empty=1),
                runs=limits4 + [("rule-gt", ["--rule", "gt"], "--aupro"),
                                ("rule-gt-1.0", ["--rule", "gt"], "--aupro=1.0")],
                claims=("diagonal", "single", "empty-mask", "wrap"))
    exact = Case("exact-limit", exact_limit_items(rng), runs=[
        ("limit-0.25", [], "--aupro=0.25"), ("limit-0.05", [], "--aupro=0.05"),
        ("limit-0.07", [], "--aupro=0.07"), ("limit-0.5", [], "--aupro=0.5"),
        ("limit-1.0", [], "--aupro=1.0"), ("limit-0.055", [], "--aupro=0.055"),
        ("limit-0.001", [], "--aupro=0.001"), ("default", [], "--aupro")],
        claims=("diagonal", "single"))
    exact.checks.append(exact_limit_check)
    large = Case("large", large_items(rng), runs=[
        ("default", [], "--aupro"), ("limit-0.05", [], "--aupro=0.05"),
        ("limit-1.0", [], "--aupro=1.0"), ("limit-1e-4", [], "--aupro=1e-4"),
        ("threads-1", ["--threads", "1"], "--aupro"),
        ("threads-2", ["--threads", "2"], "--aupro")],
        claims=("diagonal", "single"))
    stack_items = stack_f64_items(rng)
    stack = Case("stack-f64", stack_items, layout="stack",
                 runs=limits4 + [("rule-gt", ["--rule", "gt"], "--aupro=0.3")],
                 claims=("diagonal", "single", "empty-mask", "wrap", "across-images"))
    stack.checks.append(f32_matters_check(stack_items))
    none = random_items(rng, ["crack"], 2, 2, (16, 16), "gauss")
    for it in none:
        it.mask = np.zeros_like(it.mask)
    no_regions = Case("no-regions", none, base_extra=["--allow-one-class"],
                      runs=[("default", [], "--aupro"), ("limit-1.0", [], "--aupro=1.0")])
    full = [Item("crack", f"{j:03d}", as_format(rng.normal(size=(6, 7)), "tif32"),
                 np.ones((6, 7), dtype=bool)) for j in range(3)]
    no_normal = Case("no-normal-pixels", full, base_extra=["--allow-one-class"],
                     runs=[("default", [], "--aupro")])
    return [hand, gauss, ties, exact, large, stack, no_regions, no_normal]


def check_all(work, suite):
    """Every case, then the limits and the batch; returns "C cases"."""
    timings = {"curve": 0.0, "brute": 0.0}
    only = os.environ.get("ORACLE_ONLY")
    ncases = 0
    try:
        cases = build_cases()
    except Exception as exc:  # a bug in the oracle itself: report it as a failure
        cases = []
        suite.record("oracle", [f"oracle error building the cases: {exc!r}"])
    for case in cases:
        if only and only not in case.name:
            continue
        ncases += 1
        try:
            run_case(case, work, suite, timings)
        except Exception as exc:
            suite.record(f"{case.name}/oracle", [f"oracle error: {exc!r}"])
    for name, fn in (("limits", lambda: limit_errors(work, suite)),
                     ("batch", lambda: batch(work, suite, timings))):
        if only and only not in name:
            continue
        ncases += 1
        try:
            fn()
        except Exception as exc:
            suite.record(f"{name}/oracle", [f"oracle error: {exc!r}"])
    suite.notes.append(f"aupro-oracle: references {timings['curve']:.2f} s (curve), "
                       f"{timings['brute']:.2f} s (brute force)")
    return f"{ncases} cases"


def main():
    return harness.run_suite("aupro-oracle", check_all, unit="tests")


if __name__ == "__main__":
    sys.exit(main())
