#!/usr/bin/python3
"""Cross-check adthresh's pixel level (--maps/--masks) against numpy and scikit-learn.

The suite writes result folders in the MVTec AD layout

    <case>/maps/test/<defect>/<id>.<ext>             anomaly maps
    <case>/gt/ground_truth/<defect>/<id>_mask.<ext>  masks (none for good/)

and stacked pairs ([N,H,W] or [N,1,H,W] NPY maps and masks, multi-page TIFF
maps and masks, and the two mixed), runs
`adthresh --format json --maps MAPS --masks MASKS [SCORES]` on them, and
compares every field of the "pixel" and "image" objects with a reference
computed on the exact values adthresh sees:

  float32 maps (TIFF, NPY <f4 and >f4), float16 maps (converted exactly to
  float32) and 8/16-bit PNG maps (np.float32(v) / np.float32(255 or 65535),
  checked at start-up to be the correctly rounded float32 quotient) pool as
  float32; float64 maps (TIFF, NPY <f8) as float64 (a dataset mixing float32
  and float64 maps pools as float64, which holds both exactly).

  threshold      the distinct pixel score maximising F1 = 2TP / (2TP + FP + FN),
                 the lowest one among exact ties; counts from per-class sorted
                 values (np.searchsorted), F1 candidates compared as fractions
                 of Python ints; ==, in the map's own precision.  On small
                 cases also checked against oracle.f1_max_threshold (a second
                 implementation) and sklearn's precision_recall_curve
  tp fp fn tn n positives negatives min max                     exact
  f1 precision recall   sklearn f1/precision/recall_score          1e-12
                        (from the exact counts above 2M pixels)
  auroc ap       roc_auc_score / average_precision_score on float64
                 copies of the values                              1e-12

The image level without SCORES is the maximum of each map against "the mask
has an anomalous pixel", checked with oracle.py's reference; with a SCORES
CSV (ids like bottle/test/crack/003.png in random order, with or without a
label column; for a stack, no ids and rows in stack order) it is the CSV's.
A multi-page TIFF is a stack like an NPY [N,H,W]: page i is image i.

Datasets (see build_catalogue): float32 TIFF (strips, zlib, tiled with padded
edge tiles, big-endian), float16 and float64 TIFF, NPY <f4 >f4 <f8 <f2, 8-
and 16-bit PNG maps, per-dataset mixes of formats, stacks as NPY and as
multi-page TIFF (each storage variant, with TIFF or NPY masks, and NPY maps
with TIFF masks); masks as PNG 0/255, 0/1,
1-bit, 16-bit 0/1 and arbitrary nonzero values, NPY bool/uint8/float32,
TIFF uint8 (plain, zlib) and 1-bit; masks named <id>_mask.* or <id>.*,
all-zero masks for good images, defect images with an empty mask; roots
given as the folders holding test/ and ground_truth/, as those subfolders,
as one shared result folder or as plain folders; normal folders named good,
ok or normal; decoy files outside test/ and ground_truth/; sizes from
1x1 to 256x256, lines, non-square, mixed within a dataset; Gaussian,
smoothed, quantised and few-level maps (heavy ties), scores far outside
[0, 1] (1e6, 1e37, 1e300, all negative), saturated sigmoids (exact 0 and 1),
-0.0 mixed with 0.0, float32 and float16 subnormals, ulp ladders, constant
maps, separable and reversed maps, constructed exact F1 ties; masks resized
with --resize-masks nearest; one huge stacked case of more than 2^24 pixels
(more than 2^24 normal ones, where float32 counting breaks).  Some runs add
--rule gt, --threads 1 or --threads 3.  Error cases (a map without a mask,
a mask without a map, two maps for one image, size mismatches, NaN/inf map
pixels and NaN mask pixels naming the pixel, an integer map, stacks of
different lengths, a SCORES id naming no map, one-class data) must exit 2
with nothing on stdout and name the file (and pixel) on stderr.

Threshold policies and the partial AUROC (oracle.py describes the reference):
every fourth case and every one with tied pixel scores (not one-class) is
also run with --policy P for both levels and --max-fpr F (--rule gt on every
fifth case), and with one of --policy image=P (the pixel level must stay f1),
--policy pixel=P with --max-fpr, or both named; every third with --policy
pixel=KIND:T where T is an 18-decimal target next to an achieved pixel ratio.
Pixel thresholds are chosen on the map values in their own precision (float32
or float64), from the same exact counts as the F1 sweep; the image level with
oracle.py's reference; pauroc of each level against roc_auc_score(max_fpr=F)
on float64 copies.  The huge case gets one run, --policy image=youden
--policy pixel=fpr:T (more than 2^24 normal pixels), without --max-fpr.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/pixel_oracle.py

Environment:
  ADTHRESH=PATH     the binary (default build/adthresh; relative to the repo root)
  ORACLE_QUICK=1    leave out the huge case
  ORACLE_ONLY=TEXT  only cases whose name contains TEXT
  ORACLE_KEEP=DIR   write the files (and each case's expected.json) to DIR and
                    keep them, instead of using a temporary directory
  ORACLE_JOBS=N     worker processes (default 2)

Output: one line per failure (`FAIL case/run: level.field: ...`), a line on
the huge case's peak memory, `pixel-oracle: C cases, R runs in S s` and, last,
`pixel-oracle: N passed, M failed`, where one test is one adthresh run
checked.  Exit status 1 if anything failed.
"""

import concurrent.futures
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import Result, first_line  # noqa: E402

with harness.needs("pixel-oracle", "numpy, scikit-learn, tifffile and PIL"):
    import numpy as np
    import tifffile
    from PIL import Image
    from sklearn.metrics import (
        average_precision_score,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

import oracle as image_oracle  # noqa: E402  (the image-level oracle: shared reference code)

TOLERANCE = image_oracle.TOLERANCE
RUN_TIMEOUT = 300  # seconds per adthresh run
CATALOGUE_SEED = 20241121
SKLEARN_PRF_LIMIT = 2_000_000  # pixels up to which f1/precision/recall come from sklearn
SELF_CHECK_LIMIT = 300_000     # distinct scores up to which the slow cross-checks run
HUGE_MAPS, HUGE_SIDE = 270, 256  # 270 * 256 * 256 = 17,694,720 pixels > 2^24

DEFECTS = ["crack", "scratch", "contamination", "broken_large", "hole", "print", "cut_lead"]


# ---------------------------------------------------------------------------
# Catalogue


@dataclass(frozen=True)
class Spec:
    """One dataset.  maps/masks: a format name or a tuple to pick from per image."""

    name: str
    maps: object = "tif32"
    masks: object = "png255"
    kind: str = "gauss"
    size: object = (32, 32)       # (H, W), a list of them (per image) or "vary"
    defects: int = 2
    per_defect: int = 2
    good: int = 2
    layout: str = "mvtec"         # mvtec | shared | explicit | plain | stack | huge
    empty_defect: int = 0         # defect images with an all-zero mask
    good_masks: bool = False      # write all-zero masks for good images too
    same_name_masks: bool = False  # <id>.<ext> instead of <id>_mask.<ext>
    resize: object = None         # (fy, fx) mask size factors; needs --resize-masks
    scores: str = ""              # "", "csv" or "csv-nolabel"
    one_class: bool = False       # every mask empty
    stack4d: bool = False
    good_name: str = "good"       # the normal folder: good, ok or normal
    decoy: bool = False           # files outside test/ and ground_truth/ to be ignored
    index: int = 0
    seed: int = 0

    @property
    def label(self):
        return f"{self.index:02d}-{self.name}"


def build_catalogue():
    S = Spec
    f32_any = ("tif32", "tif32z", "tif32tile", "tif32be", "tif16", "npy4", "npy4be", "npy2",
               "png8", "png16")
    masks_any = ("png255", "png01", "png1bit", "png16mask", "pngany", "npybool", "npyu8",
                 "npyf4", "tiffu8", "tiffu8z", "tiff1bit")
    plan = [
        # float32 TIFF in its storage variants
        S("tif32-gauss", "tif32", "png255", "gauss", (64, 64), 3, 3, 3),
        S("tif32z-smooth", "tif32z", "png01", "smooth", (100, 80), 2, 3, 2),
        S("tif32tile-gauss-edges", "tif32tile", "png255", "gauss", (37, 50), 2, 2, 2),
        S("tif32tile-256", "tif32tile", "tiffu8z", "smooth", (256, 256), 2, 2, 1),
        S("tif32be-quantised", "tif32be", "npybool", "quantised", (48, 48), 2, 3, 2),
        S("tif32strips-levels", "tif32strips", "tiffu8", "levels", (45, 30), 3, 2, 2),
        # float16 and float64 TIFF
        S("tif16-gauss", "tif16", "png255", "gauss", (64, 32), 2, 3, 2),
        S("tif16-subnormal", "tif16", "npyu8", "f16sub", (20, 24), 2, 2, 2),
        S("tif16z-quantised", "tif16z", "png1bit", "quantised", (33, 47), 3, 2, 1),
        S("tif64-gauss", "tif64", "png255", "gauss", (40, 60), 2, 2, 2),
        S("tif64-scaled1e300", "tif64", "npybool", "scaled1e300", (30, 30), 2, 2, 2),
        S("tif64z-ulp", "tif64z", "tiff1bit", "ulp64", (25, 35), 2, 2, 2),
        # NPY maps
        S("npy4-gauss-vary", "npy4", "png255", "gauss", "vary", 3, 2, 2),
        S("npy4be-scaled1e6", "npy4be", "tiffu8z", "scaled1e6", (50, 40), 2, 2, 2),
        S("npy8-gauss", "npy8", "npyu8", "gauss", (64, 48), 2, 2, 2),
        S("npy8-negative", "npy8", "png01", "negative", (32, 40), 2, 3, 1),
        S("npy2-gauss", "npy2", "npybool", "gauss", (40, 40), 2, 2, 2),
        S("npy2-quantised", "npy2", "png1bit", "quantised", (16, 64), 2, 2, 2),
        # PNG maps, scaled to [0, 1]
        S("png8-unit", "png8", "png255", "unit", (64, 64), 2, 3, 2),
        S("png8-levels-mask16", "png8", "png16mask", "levels", (30, 50), 2, 2, 2),
        S("png16-unit", "png16", "png255", "unit", (80, 60), 2, 2, 2),
        S("png16-smooth-vary", "png16", "npybool", "smooth", "vary", 2, 3, 2),
        # mixtures
        S("mixed32", f32_any, masks_any, "unit", (24, 36), 4, 4, 3),
        S("mixed32-vary", f32_any, masks_any, "smooth", "vary", 3, 3, 2),
        S("mixed64", ("tif32", "npy4", "tif64", "npy8", "png8"), masks_any, "gauss", (30, 20),
          3, 3, 2),
        # sizes
        S("size-1x1", "tif32", "png255", "gauss", (1, 1), 3, 4, 4),
        S("size-lines", "npy4", "npyu8", "gauss", [(1, 57), (43, 1), (1, 1), (2, 90)], 2, 3, 2),
        S("size-vary-z", "tif32z", "png255", "gauss", "vary", 2, 3, 2),
        # values
        S("scaled1e6-f32", "tif32", "png255", "scaled1e6", (40, 40), 2, 2, 2),
        S("negative-f32", "npy4", "png01", "negative", (35, 45), 2, 2, 2),
        S("scaled1e37-f32", "tif32", "npybool", "scaled1e37", (20, 30), 2, 2, 2),
        S("tiny1e-30-f32", "npy4", "png255", "tiny", (20, 30), 2, 2, 2),
        S("sigmoid-f32", "tif32z", "png255", "sigmoid", (64, 64), 2, 2, 2),
        S("signed-zero-f32", "npy4", "npybool", "signed-zero", (20, 20), 2, 2, 2),
        S("subnormal-f32", "tif32", "png255", "subnormal32", (24, 24), 2, 2, 2),
        S("constant", "tif32", "png255", "constant", (16, 16), 2, 2, 2),
        S("separable", "npy4", "png255", "separable", (30, 30), 2, 2, 2),
        S("reversed", "tif32", "npyu8", "reversed", (30, 30), 2, 2, 2),
        S("uniform", "tif32", "png255", "uniform", (50, 50), 2, 2, 2),
        S("ulp-f32", "npy4", "png255", "ulp32", (30, 30), 2, 2, 2),
        S("f1-tie-f32", "tif32", "png255", "f1-tie", (40, 40), 2, 3, 2),
        S("f1-tie-f64", "npy8", "npybool", "f1-tie", (30, 50), 2, 2, 2),
        # layouts and pairing
        S("empty-defect-masks", "tif32", "png255", "gauss", (32, 32), 2, 3, 2, empty_defect=2,
          good_masks=True),
        S("same-name-masks", ("tif32", "npy4"), ("png255", "npybool", "tiffu8"), "gauss",
          (32, 24), 2, 3, 2, same_name_masks=True),
        S("good-folder-ok", "tif32", "png255", "gauss", (20, 20), 2, 2, 2, good_name="ok"),
        S("good-folder-normal", "npy4", "npybool", "gauss", (20, 20), 2, 2, 2,
          good_name="normal"),
        S("decoy-train-folder", "tif32", "png255", "gauss", (24, 24), 2, 2, 2, decoy=True),
        S("layout-plain", "tif32", "png255", "gauss", (32, 32), 2, 2, 2, layout="plain"),
        S("layout-shared-root", "tif32", "png255", "gauss", (32, 32), 2, 2, 2, layout="shared"),
        S("layout-explicit", "npy4", "png255", "gauss", (32, 32), 2, 2, 2, layout="explicit"),
        S("resize-mask-smaller", "tif32", "png255", "gauss", (64, 48), 2, 2, 2, resize=(0.5, 0.5)),
        S("resize-mask-larger-odd", "npy4", "npybool", "smooth", (30, 21), 2, 2, 2,
          resize=(1.7, 2.3)),
        S("scores-csv", "tif32", "png255", "gauss", (32, 32), 3, 3, 3, scores="csv"),
        S("scores-csv-nolabel", "png8", "png255", "unit", (24, 24), 2, 3, 2,
          scores="csv-nolabel"),
        S("one-class-pixels", "tif32", "png255", "gauss", (16, 16), 2, 2, 2, one_class=True),
        # stacked NPY pairs
        S("stack-f4", "npy4", "npybool", "gauss", (32, 32), 1, 12, 0, layout="stack"),
        S("stack-f4-4d", "npy4", "npyu8", "smooth", (40, 24), 1, 10, 0, layout="stack",
          stack4d=True),
        S("stack-f8", "npy8", "npyu8", "scaled1e6", (30, 30), 1, 8, 0, layout="stack"),
        S("stack-f2", "npy2", "npybool", "quantised", (28, 36), 1, 9, 0, layout="stack"),
        S("stack-f4-maskf4", "npy4", "npyf4", "levels", (20, 20), 1, 7, 0, layout="stack"),
        S("stack-f4be-1x1", "npy4be", "npybool", "gauss", (1, 1), 1, 30, 0, layout="stack"),
        S("stack-scores", "npy4", "npybool", "gauss", (16, 16), 1, 12, 0, layout="stack",
          scores="csv"),
        S("huge-stack", "npy4", "npybool", "huge", (HUGE_SIDE, HUGE_SIDE), 1, HUGE_MAPS, 0,
          layout="huge"),
        # stacked TIFF pairs (one page an image), and TIFF stacks with NPY stacks
        S("stack-tif32", "tif32", "tiffu8", "gauss", (32, 32), 1, 12, 0, layout="stack"),
        S("stack-tif32z-4d", "tif32z", "tiffu8z", "smooth", (40, 24), 1, 10, 0, layout="stack",
          stack4d=True),
        S("stack-tif32tile-1bit", "tif32tile", "tiff1bit", "levels", (37, 50), 1, 6, 0,
          layout="stack"),
        S("stack-tif32be-npybool", "tif32be", "npybool", "quantised", (28, 36), 1, 9, 0,
          layout="stack"),
        S("stack-tif64-npyu8", "tif64", "npyu8", "scaled1e6", (30, 30), 1, 8, 0, layout="stack"),
        S("stack-tif16-tiffu8", "tif16", "tiffu8", "gauss", (20, 20), 1, 7, 0, layout="stack"),
        S("stack-npy8-tiff1bit", "npy8", "tiff1bit", "ulp64", (30, 50), 1, 8, 0,
          layout="stack"),
        S("stack-tif32-scores", "tif32", "tiffu8", "gauss", (16, 16), 1, 12, 0, layout="stack",
          scores="csv"),
    ]
    return [Spec(**{**s.__dict__, "index": i, "seed": CATALOGUE_SEED + 104729 * i})
            for i, s in enumerate(plan)]


# ---------------------------------------------------------------------------
# Masks and latent maps (float64, before the format's cast)


def random_mask(rng, h, w, anomalous):
    m = np.zeros((h, w), dtype=bool)
    if not anomalous:
        return m
    for _ in range(int(rng.integers(1, 4))):
        bh, bw = int(rng.integers(1, max(2, h // 2 + 1))), int(rng.integers(1, max(2, w // 2 + 1)))
        y, x = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
        if rng.random() < 0.5:  # an ellipse inside the box
            yy, xx = np.ogrid[:bh, :bw]
            cy, cx = (bh - 1) / 2, (bw - 1) / 2
            m[y:y + bh, x:x + bw] |= ((yy - cy) / max(bh / 2, 0.5)) ** 2 + \
                ((xx - cx) / max(bw / 2, 0.5)) ** 2 <= 1.0
        else:
            m[y:y + bh, x:x + bw] = True
    if not m.any():
        m[int(rng.integers(0, h)), int(rng.integers(0, w))] = True
    return m


def _blur(a, k):
    """Box blur of half-width k with edge padding (numpy only)."""
    if k <= 0:
        return a
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (k + 1, k)
        c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis)
        n = a.shape[axis]
        hi = np.take(c, np.arange(2 * k + 1, 2 * k + 1 + n), axis=axis)
        lo = np.take(c, np.arange(0, n), axis=axis)
        a = (hi - lo) / (2 * k + 1)
    return a


def _ladder(x0, steps, dtype):
    out = [dtype(x0)]
    for _ in range(steps - 1):
        out.append(np.nextafter(out[-1], dtype(np.inf)))
    return np.array(out, dtype=dtype)


def latent(kind, rng, mask):
    """A float64 map for this mask (anomalous pixels tend to score higher)."""
    h, w = mask.shape
    m = mask.astype(np.float64)
    shift = rng.uniform(0.5, 3.0)
    z = rng.normal(size=(h, w))
    if kind == "gauss":
        return z + shift * m
    if kind == "smooth":
        return _blur(z, 2) * 2.0 + shift * _blur(m, 1)
    if kind == "quantised":
        return np.round((z + shift * m) * rng.choice([1, 2, 4])) / 4.0
    if kind == "levels":
        values = np.array([0.1, 0.25, 0.5, 0.7, 0.9])
        neg = rng.choice(values, size=(h, w), p=[0.4, 0.3, 0.15, 0.1, 0.05])
        pos = rng.choice(values, size=(h, w), p=[0.05, 0.1, 0.2, 0.3, 0.35])
        return np.where(mask, pos, neg)
    if kind == "unit":
        return 1.0 / (1.0 + np.exp(-1.5 * (z + shift * m - 1.0)))
    if kind == "sigmoid":  # float32 saturates to exact 0.0 and 1.0
        return 1.0 / (1.0 + np.exp(-40.0 * (z + shift * m - 1.0)))
    if kind == "scaled1e6":
        return (z + shift * m) * 1e6 - 3e6
    if kind == "negative":
        return -1000.0 + 50.0 * (z + shift * m)
    if kind == "scaled1e37":
        return (z + shift * m) * 1e37
    if kind == "scaled1e300":
        return (z + shift * m) * -1e300  # anomalous lower: also tests the sweep direction
    if kind == "tiny":
        return (z + shift * m) * 1e-30
    if kind == "signed-zero":
        s = rng.choice([-0.0, 0.0, 0.0, -1e-9, 1e-9, 0.25], size=(h, w))
        return np.where(mask & (rng.random((h, w)) < 0.5), 0.25, s)
    if kind == "subnormal32":
        k = rng.integers(-3, 40, size=(h, w)) + rng.integers(0, 6, size=(h, w)) * mask
        return k * 2.0 ** -149
    if kind == "f16sub":
        k = rng.integers(0, 40, size=(h, w)) + rng.integers(0, 8, size=(h, w)) * mask
        return k * 2.0 ** -24
    if kind == "constant":
        return np.full((h, w), 0.625)
    if kind == "separable":
        return np.where(mask, 1.0 + rng.random((h, w)), rng.random((h, w)))
    if kind == "reversed":
        return -np.where(mask, 1.0 + rng.random((h, w)), rng.random((h, w)))
    if kind == "uniform":
        return rng.random((h, w))
    if kind in ("ulp32", "ulp64"):
        dtype = np.float32 if kind == "ulp32" else np.float64
        ladder = _ladder(0.1, 8, dtype).astype(np.float64)
        idx = rng.integers(0, 6, size=(h, w)) + rng.integers(0, 3, size=(h, w)) * mask
        return ladder[np.minimum(idx, 7)]
    raise ValueError(kind)


def f1_tie_pixels(rng, n, dtype):
    """n pixel scores and labels where several thresholds share F1 = 2/3 exactly
    (the construction of oracle.gen_f1_tie, with values distinct in dtype)."""
    k = max(4, n // 8)
    first = int(rng.integers((k + 1) // 2, k))
    steps, rest = [], k - first
    while rest > 0:
        steps.append(int(rng.integers(1, rest + 1)))
        rest -= steps[-1]
    blocks = [(first, 2 * first - k)] + [(d, 2 * d) for d in steps]
    below = n - k - sum(neg for _, neg in blocks)
    assert below >= 0
    if rng.random() < 0.5:  # block scores 1 ulp apart in the map's precision
        values = _ladder(rng.normal(), len(blocks), dtype)[::-1]
    else:
        values = np.sort(rng.normal(size=len(blocks)) * 10.0 + 50.0).astype(dtype)[::-1]
    scores, labels = [], []
    for value, (pos, neg) in zip(values, blocks):
        scores += [value] * (pos + neg)
        labels += [True] * pos + [False] * neg
    scores += list((float(values[-1]) - 1.0 - 10.0 * rng.random(below)).astype(dtype))
    labels += [False] * below
    order = rng.permutation(n)
    return np.array(scores, dtype=dtype)[order], np.array(labels)[order]


# ---------------------------------------------------------------------------
# Writers: each returns the values adthresh will see (float32 or float64).

MAP_EXT = {"tif32": ".tiff", "tif32z": ".tif", "tif32tile": ".tiff", "tif32be": ".tiff",
           "tif32strips": ".tif", "tif16": ".tiff", "tif16z": ".tiff", "tif64": ".tiff",
           "tif64z": ".tif", "npy4": ".npy", "npy4be": ".npy", "npy8": ".npy", "npy2": ".npy",
           "png8": ".png", "png16": ".png"}
MASK_EXT = {"png255": ".png", "png01": ".png", "png1bit": ".png", "png16mask": ".png",
            "pngany": ".png", "npybool": ".npy", "npyu8": ".npy", "npyf4": ".npy",
            "tiffu8": ".tiff", "tiffu8z": ".tif", "tiff1bit": ".tiff"}


def png_scale(q, bits):
    """What adthresh makes of an integer PNG sample: float32(v) / 255.0f or 65535.0f."""
    return q.astype(np.float32) / np.float32(255 if bits == 8 else 65535)


def map_values(fmt, lat):
    """(array to store, values adthresh sees) for a latent map and a map format."""
    if fmt in ("png8", "png16"):
        top = 255 if fmt == "png8" else 65535
        q = np.clip(np.rint(lat * top), 0, top).astype(np.uint8 if top == 255 else np.uint16)
        return q, png_scale(q, 8 if top == 255 else 16)
    if fmt in ("tif16", "tif16z", "npy2"):
        stored = np.clip(lat, -60000.0, 60000.0).astype(np.float16)
        return stored, stored.astype(np.float32)  # exact
    if fmt in ("tif64", "tif64z", "npy8"):
        return lat.astype(np.float64), lat.astype(np.float64)
    stored = lat.astype(np.float32)
    if fmt == "npy4be":
        return stored.astype(">f4"), stored
    return stored, stored


def tiff_options(fmt, rng):
    """tifffile.imwrite's options for a TIFF map format."""
    kw = {}
    if fmt in ("tif32z", "tif16z", "tif64z"):
        kw["compression"] = "zlib"
    if fmt == "tif32tile":
        kw["tile"] = [(16, 16), (32, 48), (16, 64)][int(rng.integers(3))]
        if rng.random() < 0.7:
            kw["compression"] = "zlib"
    if fmt == "tif32be":
        kw["byteorder"] = ">"
    if fmt == "tif32strips":
        kw["rowsperstrip"] = int(rng.integers(1, 8))
    return kw


def write_map(base, fmt, lat, rng):
    """Writes base + extension; returns (path, values adthresh sees)."""
    stored, seen = map_values(fmt, lat)
    path = Path(str(base) + MAP_EXT[fmt])
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt.startswith("tif"):
        tifffile.imwrite(path, stored, photometric="minisblack", **tiff_options(fmt, rng))
    elif fmt.startswith("npy"):
        np.save(path, stored)
    else:
        Image.fromarray(stored).save(path)
    return path, seen


def write_mask(base, fmt, mask, rng):
    path = Path(str(base) + MASK_EXT[fmt])
    path.parent.mkdir(parents=True, exist_ok=True)
    u8 = mask.astype(np.uint8)
    if fmt == "png255":
        Image.fromarray(u8 * 255).save(path)
    elif fmt == "png01":
        Image.fromarray(u8).save(path)
    elif fmt == "png1bit":
        Image.fromarray(mask).save(path)
    elif fmt == "png16mask":  # 16-bit 0/1: a reader keeping only the high byte loses it
        Image.fromarray(u8.astype(np.uint16)).save(path)
    elif fmt == "pngany":  # any nonzero value is anomalous
        Image.fromarray(u8 * rng.integers(1, 256, size=mask.shape).astype(np.uint8)).save(path)
    elif fmt == "npybool":
        np.save(path, mask)
    elif fmt == "npyu8":
        np.save(path, u8 * np.uint8(rng.choice([1, 255])))
    elif fmt == "npyf4":
        np.save(path, mask.astype(np.float32))
    elif fmt in ("tiffu8", "tiffu8z"):
        tifffile.imwrite(path, u8 * 255, photometric="minisblack",
                         **({"compression": "zlib"} if fmt == "tiffu8z" else {}))
    elif fmt == "tiff1bit":
        tifffile.imwrite(path, mask, photometric="minisblack")
    else:
        raise ValueError(fmt)
    return path


def stack_mask(fmt, masks):
    if fmt in ("npybool", "tiff1bit"):
        return masks
    if fmt == "npyu8":
        return masks.astype(np.uint8)
    if fmt == "npyf4":
        return masks.astype(np.float32)
    if fmt in ("tiffu8", "tiffu8z"):
        return masks.astype(np.uint8) * np.uint8(255)
    raise ValueError(fmt)


def save_stack(path, fmt, stored, rng):
    """A stack [N,H,W] (or [N,1,H,W]) as an NPY, or as a TIFF of N pages."""
    if not fmt.startswith("tif"):
        np.save(path, stored)
        return
    kw = tiff_options(fmt, rng)
    if fmt == "tiffu8z":
        kw["compression"] = "zlib"
    tifffile.imwrite(path, stored, photometric="minisblack", **kw)


def resize_nearest(mask, h, w):
    """PyTorch's "nearest" (adthresh --resize-masks nearest): src = floor(dst * in / out)."""
    ys = (np.arange(h) * mask.shape[0]) // h
    xs = (np.arange(w) * mask.shape[1]) // w
    return mask[ys][:, xs]


# ---------------------------------------------------------------------------
# Building a case: files on disk + what adthresh sees


@dataclass
class Item:
    id: str            # "crack/003" or the stack index
    values: np.ndarray  # 2-D, float32 or float64, exactly what adthresh reads
    mask: np.ndarray    # 2-D bool at the map's size (all False without a mask)


@dataclass
class Built:
    maps: str
    masks: str
    items: list
    runs: list = field(default_factory=list)  # (name, extra args, image-level override)
    note: str = ""


def _pick(rng, choice):
    if isinstance(choice, tuple):
        return choice[int(rng.integers(len(choice)))]
    return choice


def _size(rng, spec):
    if spec.size == "vary":
        h, w = int(rng.integers(1, 257)), int(rng.integers(1, 257))
        if rng.random() < 0.5:  # keep most of them small
            h, w = max(1, h // 8), max(1, w // 4)
        return h, w
    if isinstance(spec.size, list):
        return spec.size[int(rng.integers(len(spec.size)))]
    return spec.size


def plan_images(spec, rng):
    """[(defect or 'good', id, (h, w), anomalous)] with both image classes."""
    images = []
    defects = DEFECTS[:spec.defects]
    for d in defects:
        for j in range(spec.per_defect):
            images.append((d, f"{j:03d}", _size(rng, spec), not spec.one_class))
    for j in range(spec.good):
        images.append((spec.good_name, f"{j:03d}", _size(rng, spec), False))
    # empty masks in defect folders: image label 0 although not under good/
    for k in range(spec.empty_defect):
        d, i, s, _ = images[k * spec.per_defect]
        images[k * spec.per_defect] = (d, i, s, False)
    return images


def build_folder(spec, rng, case_dir):
    images = plan_images(spec, rng)
    layout = spec.layout
    if layout == "shared":
        maps_root, masks_root = case_dir / "result", case_dir / "result"
        map_dir, mask_dir = maps_root / "test", masks_root / "ground_truth"
        maps_arg = masks_arg = maps_root
    elif layout == "plain":
        map_dir, mask_dir = case_dir / "maps", case_dir / "masks"
        maps_arg, masks_arg = map_dir, mask_dir
    else:
        map_dir, mask_dir = case_dir / "maps" / "test", case_dir / "gt" / "ground_truth"
        if layout == "explicit":
            maps_arg, masks_arg = map_dir, mask_dir
        else:
            maps_arg, masks_arg = case_dir / "maps", case_dir / "gt"

    masks = [random_mask(rng, h, w, a) for _, _, (h, w), a in images]
    if spec.kind == "f1-tie":
        # the constructed pixels fill the defect images; good images score
        # below every block, where F1 only falls
        dtype = np.float64 if spec.maps in ("npy8", "tif64", "tif64z") else np.float32
        sizes = [h * w for d, _, (h, w), _ in images if d != spec.good_name]
        scores, labels = f1_tie_pixels(rng, sum(sizes), dtype)
        floor = float(scores.min()) - 20.0
        cut = np.cumsum([0] + sizes)
        lats, masks, k = [], [], 0
        for d, _, (h, w), _ in images:
            if d == spec.good_name:
                lats.append(floor - rng.random((h, w)))
                masks.append(np.zeros((h, w), dtype=bool))
            else:
                lats.append(scores[cut[k]:cut[k + 1]].reshape(h, w).astype(np.float64))
                masks.append(labels[cut[k]:cut[k + 1]].reshape(h, w))
                k += 1
    else:
        lats = [latent(spec.kind, rng, m) for m in masks]

    items = []
    for (d, i, (h, w), _), m, lat in zip(images, masks, lats):
        fmt = _pick(rng, spec.maps)
        _, seen = write_map(map_dir / d / i, fmt, lat, rng)
        rel = f"{d}/{i}"
        if d != spec.good_name or spec.good_masks:
            stored = m
            if spec.resize:
                mh = max(1, int(round(h * spec.resize[0])))
                mw = max(1, int(round(w * spec.resize[1])))
                stored = random_mask(rng, mh, mw, m.any())
                m = resize_nearest(stored, h, w)
            mfmt = _pick(rng, spec.masks)
            suffix = "" if spec.same_name_masks else "_mask"
            write_mask(mask_dir / d / (i + suffix), mfmt, stored, rng)
        items.append(Item(rel, seen, m))
    if spec.decoy:  # outside test/ and ground_truth/: must not be read
        bad = np.full((4, 4), np.nan, dtype=np.float32)
        write_map(case_dir / "maps" / "train" / "good" / "000", "tif32", bad, rng)
        write_map(case_dir / "maps" / "validation" / "crack" / "000", "npy4", bad, rng)
        write_mask(case_dir / "gt" / "other" / "crack" / "009_mask", "png255",
                   np.ones((4, 4), dtype=bool), rng)
    return Built(str(maps_arg), str(masks_arg), items)


def build_stack(spec, rng, case_dir):
    n, (h, w) = spec.per_defect, spec.size
    masks = np.stack([random_mask(rng, h, w, rng.random() < 0.7) for _ in range(n)])
    masks[0] = False  # image level: at least one normal image ...
    masks[-1] = random_mask(rng, h, w, True)  # ... and one anomalous
    lats = [latent(spec.kind, rng, m) for m in masks]
    pairs = [map_values(spec.maps, lat) for lat in lats]
    stored = np.stack([p[0] for p in pairs])
    seen = [p[1] for p in pairs]
    mstored = stack_mask(spec.masks, masks)
    if spec.stack4d:
        stored, mstored = stored[:, None], mstored[:, None]
    case_dir.mkdir(parents=True, exist_ok=True)
    maps_path = case_dir / ("maps" + MAP_EXT[spec.maps])
    masks_path = case_dir / ("masks" + MASK_EXT[spec.masks])
    save_stack(maps_path, spec.maps, stored, rng)
    save_stack(masks_path, spec.masks, mstored, rng)
    items = [Item(str(i), seen[i], masks[i]) for i in range(n)]
    return Built(str(maps_path), str(masks_path), items)


def build_huge(spec, rng, case_dir):
    """HUGE_MAPS maps of HUGE_SIDE^2 float32 pixels: more than 2^24 normal pixels."""
    n, side = spec.per_defect, spec.size[0]
    masks = np.zeros((n, side, side), dtype=bool)
    for i in range(n // 4, n):  # the first quarter: normal images
        for _ in range(int(rng.integers(1, 3))):
            bh, bw = rng.integers(4, 40, size=2)
            y, x = rng.integers(0, side - 40, size=2)
            masks[i, y:y + bh, x:x + bw] = True
    maps = rng.standard_normal((n, side, side), dtype=np.float32)
    maps += np.float32(2.5) * masks
    maps[::3] = np.round(maps[::3] * np.float32(64)) / np.float32(64)  # ties
    case_dir.mkdir(parents=True, exist_ok=True)
    np.save(case_dir / "maps.npy", maps)
    np.save(case_dir / "masks.npy", masks)
    items = [Item(str(i), maps[i], masks[i]) for i in range(n)]
    return Built(str(case_dir / "maps.npy"), str(case_dir / "masks.npy"), items)


def write_scores(spec, rng, built, case_dir):
    """A SCORES CSV naming the images like anomalib (bottle/test/crack/003.png)
    in random order; returns (path, float64 scores, 0/1 labels) in item order."""
    n = len(built.items)
    labels = np.array([0 if it.id.startswith(spec.good_name + "/") else 1
                       for it in built.items])
    if spec.layout == "stack":
        labels = np.array([int(it.mask.any()) for it in built.items])
    scores = rng.normal(size=n) + 1.5 * labels
    tied = rng.random(n) < 0.3
    scores[tied] = np.round(scores[tied], 1)
    scores = np.round(scores, 6)
    path = case_dir / "scores.csv"
    rows = list(range(n))
    if spec.layout == "stack":  # no ids: the rows follow the stack order
        lines = ["pred_score,gt_label"] + [f"{scores[i]!r},{labels[i]}" for i in rows]
    else:
        rng.shuffle(rows)
        ids = [f"bottle/test/{built.items[i].id}.png" for i in rows]
        if spec.scores == "csv-nolabel":  # labels from the folder names
            lines = ["image_path,anomaly_score"] + [f"{p},{scores[i]!r}" for p, i in zip(ids, rows)]
        else:
            words = ("false", "true")
            lines = ["image_path,gt_label,pred_score"] + [
                f"{p},{words[labels[i]]},{scores[i]!r}" for p, i in zip(ids, rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, scores.astype(np.float64), labels


# ---------------------------------------------------------------------------
# Reference


def pooled(items):
    """All pixels as one array in the precision adthresh keeps, and their labels."""
    wide = any(it.values.dtype == np.float64 for it in items)
    dtype = np.float64 if wide else np.float32
    values = np.concatenate([it.values.astype(dtype, copy=False).ravel() for it in items])
    labels = np.concatenate([it.mask.ravel() for it in items])
    return values, labels


@dataclass
class Sweep:
    pos: np.ndarray   # anomalous values, sorted
    neg: np.ndarray   # normal values, sorted
    threshold: object  # numpy scalar in the values' precision
    n_distinct: int
    picks: dict = field(default_factory=dict)  # policy -> its threshold, None if unmet

    def counts(self, t, rule):
        side = "left" if rule == ">=" else "right"
        tp = len(self.pos) - int(np.searchsorted(self.pos, t, side))
        fp = len(self.neg) - int(np.searchsorted(self.neg, t, side))
        return tp, fp, len(self.pos) - tp, len(self.neg) - fp


def f1_max_sweep(values, labels, policies=(), near=None):
    """The exact F1-max threshold (lowest on exact ties), vectorised for 1e7 pixels.

    TP(t) and FP(t) for every distinct value come from per-class sorted arrays;
    the float F1 only short-lists: x > y as fractions implies float(x) >= float(y),
    so every exact maximum has the largest float F1, and the short list is then
    compared with Python ints.

    Also the threshold of every policy in policies (oracle.policy_index, exact) and,
    with near(tp, fp, P, N) -> policy, of the policy it makes from the counts."""
    pos, neg = np.sort(values[labels]), np.sort(values[~labels])
    distinct = np.unique(values)
    P = len(pos)
    tp = P - np.searchsorted(pos, distinct, "left")
    fp = len(neg) - np.searchsorted(neg, distinct, "left")
    num, den = 2 * tp, tp + fp + P
    if P == 0 or len(neg) == 0:
        t = values.max() if P == 0 else values.min()
        return Sweep(pos, neg, t, len(distinct))
    f = num / den
    best = None
    for i in np.flatnonzero(f == f.max()).tolist():  # ascending thresholds
        if best is None or int(num[i]) * int(den[best]) > int(num[best]) * int(den[i]):
            best = i
    del f, num, den
    policies = list(policies)
    if near is not None:
        policies.append(near(tp, fp, P, len(neg)))
    picks = {}
    for policy in policies:
        index = image_oracle.policy_index(tp, fp, P, len(neg), policy)
        picks[policy] = None if index is None else distinct[index]
        if index is None and policy.startswith("fpr:"):
            picks[policy] = image_oracle.above(distinct[-1], values.dtype != np.float64)
    return Sweep(pos, neg, distinct[best], len(distinct), picks)


def expected_levels(values, labels, sweep, rules):
    """{rule: every field of a JSON level object}, as oracle.expected_image gives
    them; AUROC and AP (the slow part on 1e7 pixels) are computed once."""
    P, N = len(sweep.pos), len(sweep.neg)
    as64 = values.astype(np.float64)
    auroc = float(roc_auc_score(labels, as64)) if P and N else None
    ap = float(average_precision_score(labels, as64)) if P else None
    del as64
    lo, hi = float(values.min()), float(values.max())
    t = sweep.threshold
    out = {}
    for rule in rules:
        tp, fp, fn, tn = sweep.counts(t, rule)
        f1 = None if 2 * tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)
        precision = None if tp + fp == 0 else tp / (tp + fp)
        recall = None if P == 0 else tp / P
        if len(values) <= SKLEARN_PRF_LIMIT:
            y = labels.astype(np.int8)
            pred = ((values >= t) if rule == ">=" else (values > t)).astype(np.int8)
            if f1 is not None:
                f1 = float(f1_score(y, pred, zero_division=0))
            if precision is not None:
                precision = float(precision_score(y, pred, zero_division=0))
            if recall is not None:
                recall = float(recall_score(y, pred, zero_division=0))
        out[rule] = {
            "n": len(values), "positives": P, "negatives": N,
            "threshold": float(t), "rule": rule, "policy": "f1",
            "f1": f1, "precision": precision, "recall": recall,
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "auroc": auroc, "ap": ap, "min": lo, "max": hi,
        }
    return out


def pixel_self_check(values, labels, sweep):
    """A second, independent reference on small data (oracle.py's loop and sklearn's
    precision_recall_curve)."""
    if sweep.n_distinct > SELF_CHECK_LIMIT or not len(sweep.pos) or not len(sweep.neg):
        return []
    as64, y = values.astype(np.float64), labels.astype(np.int64)
    t, n_distinct = image_oracle.f1_max_threshold(as64, y)
    problems = []
    if t != float(sweep.threshold):
        problems.append(f"oracle.f1_max_threshold gives {t!r}, "
                        f"the sweep {float(sweep.threshold)!r}")
    problems += image_oracle.check_against_pr_curve(as64, y, t, n_distinct)
    return problems


def expected_image(scores, labels, rule):
    """The image level (float64 scores, 0/1 labels) with oracle.py's reference."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=np.int64)
    positives = int(labels.sum())
    if positives in (0, len(labels)):
        t = float(scores.max() if positives == 0 else scores.min())
    else:
        t, _ = image_oracle.f1_max_threshold(scores, labels)
    return image_oracle.expected_image(scores, labels, t, rule)


# ---------------------------------------------------------------------------
# Threshold policies (--policy [LEVEL=]P) and the partial AUROC (--max-fpr)


def plan_policy_runs(spec, rng):
    """The --policy/--max-fpr runs of a case: [(run name, [(LEVEL or "", policy)],
    max_fpr or None, rule)] and the kind of the near-target policy (or None), whose
    target near_target makes from the pixel counts and which stands as NEAR here.

    policy: one policy for both levels, with --max-fpr (--rule gt on every fifth case);
    policy-image / policy-pixel / policy-levels: image=P only (the pixel level stays
    f1), pixel=P only with --max-fpr, or both named; policy-near (every third case):
    pixel=KIND:NEAR with an 18-decimal target next to an achieved pixel ratio.  The huge
    case has one run, image=youden and pixel=fpr:NEAR, without --max-fpr (scikit-learn's
    partial AUROC of 1.8e7 pixels would take 15 s)."""
    P = image_oracle
    if spec.layout == "huge":
        return [("policy", [("image", "youden"), ("pixel", "NEAR")], None, ">=")], "fpr"
    kinds = [str(k) for k in rng.permutation(P.POLICY_KINDS)]
    runs = [("policy", [("", P.random_policy(rng, kinds[0]))], str(rng.choice(P.MAX_FPRS)),
             ">" if spec.index % 5 == 0 else ">=")]
    image, pixel = P.random_policy(rng, kinds[1]), P.random_policy(rng, kinds[2])
    form = int(rng.integers(3))
    if form == 0:
        runs.append(("policy-image", [("image", image)], None, ">="))
    elif form == 1:
        runs.append(("policy-pixel", [("pixel", pixel)], str(rng.choice(P.MAX_FPRS)), ">="))
    else:
        runs.append(("policy-levels", [("image", image), ("pixel", pixel)], None, ">="))
    near = None
    if spec.index % 3 == 0:
        near = str(rng.choice(["recall", "fpr", "precision"]))
        runs.append(("policy-near", [("pixel", "NEAR")], None, ">="))
    return runs, near


def level_policy(pairs, level):
    """The policy a level gets from (LEVEL or "", policy) pairs: the last one naming it."""
    chosen = "f1"
    for name, policy in pairs:
        if name in ("", level):
            chosen = policy
    return chosen


def pixel_policy_self_check(values, labels, sweep):
    """The pixel policy thresholds again, from oracle.sweep_counts on float64 copies
    (with its own self-check against roc_curve and policy_index_slow)."""
    if sweep.n_distinct > SELF_CHECK_LIMIT or not sweep.picks:
        return []
    as64, y = values.astype(np.float64), labels.astype(np.int64)
    distinct, tp, fp = image_oracle.sweep_counts(as64, y)
    problems = image_oracle.sweep_self_check(as64, y, distinct, tp, fp, list(sweep.picks))
    for policy, t in sweep.picks.items():
        i = image_oracle.policy_index(tp, fp, int(tp[0]), int(fp[0]), policy)
        want = None if i is None else float(distinct[i])
        if i is None and policy.startswith("fpr:"):
            want = image_oracle.above(distinct[-1], values.dtype != np.float64)
        if want != (None if t is None else float(t)):
            problems.append(f"pixel {policy}: oracle.sweep_counts gives {want!r}, "
                            f"the sweep {t!r}")
    return problems


def check_policy(run, want_px, want_img, max_fpr, pauroc_px, pauroc_img):
    """A --policy run: both levels as check_success, and max_fpr/pauroc in each; a level
    expected None (no threshold meets its target) makes the run an error."""
    if want_px is None or want_img is None:
        return image_oracle.check_unmet(run.rc, run.out, run.err)
    problems = check_success(run, want_px, want_img)
    if run.rc != 0:
        return problems
    try:
        doc = json.loads(run.out)
    except ValueError:
        return problems
    for level, pauroc in (("pixel", pauroc_px), ("image", pauroc_img)):
        got = doc.get(level) if isinstance(doc, dict) else None
        if isinstance(got, dict):
            problems += [f"{level}.{p}" for p in
                         image_oracle.compare_pauroc(max_fpr, pauroc, got)]
    return problems


# ---------------------------------------------------------------------------
# Running adthresh


@dataclass
class Run:
    rc: object
    out: str
    err: str
    maxrss_kb: int = 0
    seconds: float = 0.0


# Linux keeps a process's peak RSS across exec, and a child forked from this
# (large) Python process starts from our own peak; so the measured run is
# forked from a small helper, which reports the child's rusage.
RSS_HELPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_adthresh(args, measure=False):
    """Runs adthresh --format json ARGS; with measure, also its peak RSS."""
    cmd = [str(harness.adthresh_path()), "--format", "json", *map(str, args)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as status:
        launch = [sys.executable, "-S", "-c", RSS_HELPER, status.name, *cmd] if measure else cmd
        start = time.monotonic()
        try:
            proc = subprocess.Popen(launch, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True)
        except OSError as exc:
            return Run(None, "", f"cannot run {cmd[0]}: {exc}")
        try:
            proc.wait(timeout=RUN_TIMEOUT)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            timed_out = True
        seconds = time.monotonic() - start
        rc, maxrss = proc.returncode, 0
        if measure and not timed_out:
            try:
                rc, maxrss = map(int, status.read().split())
            except ValueError:
                rc = f"unknown (the RSS helper failed, exit {proc.returncode})"
        out.seek(0)
        err.seek(0)
        text_out = out.read().decode("utf-8", "replace")
        text_err = err.read().decode("utf-8", "replace")
    if timed_out:
        return Run(None, text_out, f"timed out after {RUN_TIMEOUT} s", 0, seconds)
    return Run(rc, text_out, text_err, maxrss, seconds)


def check_success(run, expected_pixel, expected_img):
    doc, problems = harness.parse_json(run.rc, run.out, run.err)
    if doc is None:
        return problems
    if "adthresh" not in doc:
        problems.append("adthresh: version key missing")
    for level, want in (("pixel", expected_pixel), ("image", expected_img)):
        got = doc.get(level)
        if not isinstance(got, dict):
            problems.append(f"{level}: no \"{level}\" object")
            continue
        problems += [f"{level}.{p}" for p in image_oracle.compare_image(want, got)]
    return problems


def check_error(run, needles):
    """Exit 2, nothing on stdout, a message on stderr matching every regex in needles."""
    problems = []
    if run.rc != 2:
        problems.append(f"exit: expected 2, got {run.rc}; stderr: {first_line(run.err)}")
    if run.out.strip():
        problems.append(f"stdout: expected nothing, got {first_line(run.out)}")
    if not run.err.strip():
        problems.append("stderr: expected an error message, got nothing")
    elif not run.err.startswith("adthresh: "):
        problems.append(f"stderr: expected 'adthresh: ...', got {first_line(run.err)}")
    for needle in needles:
        if run.err.strip() and not re.search(needle, run.err):
            problems.append(f"stderr: expected /{needle}/ in {first_line(run.err)!r}")
    return problems


def check_case(spec, workdir):
    """Builds one case, runs adthresh on it; returns [Result] and a note."""
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(spec.seed)
    case_dir = Path(workdir) / spec.label
    if spec.layout == "huge":
        built = build_huge(spec, rng, case_dir)
    elif spec.layout == "stack":
        built = build_stack(spec, rng, case_dir)
    else:
        built = build_folder(spec, rng, case_dir)

    values, labels = pooled(built.items)
    policy_rng = np.random.default_rng(spec.seed + 2)  # not the stream the files come from
    policy_plan, near_kind = plan_policy_runs(spec, policy_rng)
    near_made = []  # the NEAR policy, once near_target has seen the pixel counts

    def near(tp, fp, P, N):
        near_made.append(f"{near_kind}:"
                         f"{image_oracle.near_target(policy_rng, near_kind, tp, fp, P, N)}")
        return near_made[0]

    sweep = f1_max_sweep(values, labels, {policy for _, pairs, _, _ in policy_plan
                                          for _, policy in pairs if policy != "NEAR"},
                         near if near_kind else None)
    self_check = [f"oracle self-check: {p}" for p in pixel_self_check(values, labels, sweep)]
    px = expected_levels(values, labels, sweep, (">=", ">"))
    img_scores = [float(it.values.max()) for it in built.items]
    img_single = values.dtype != np.float64  # the maxima of float32 maps are float32
    img_labels = [int(it.mask.any()) for it in built.items]
    img = {rule: expected_image(img_scores, img_labels, rule) for rule in (">=", ">")}
    # --policy and --max-fpr: every fourth case and every one with tied pixel scores
    if spec.one_class or not (spec.index % 4 == 0 or sweep.n_distinct < len(values)):
        policy_plan = []
    policy_self_check, px_pauroc = [], {}
    if policy_plan:
        policy_self_check = [f"oracle self-check: {p}"
                             for p in pixel_policy_self_check(values, labels, sweep)]
        for _, _, max_fpr, _ in policy_plan:
            if max_fpr and max_fpr not in px_pauroc:
                px_pauroc[max_fpr] = image_oracle.partial_auroc(labels, values, max_fpr)
    px_policy = []  # the expected pixel level of each policy run (None: target unmet)
    for i, (name, pairs, max_fpr, rule) in enumerate(policy_plan):
        pairs = [(level, near_made[0] if policy == "NEAR" else policy) for level, policy in pairs]
        policy_plan[i] = name, pairs, max_fpr, rule
        policy = level_policy(pairs, "pixel")
        t = sweep.picks.get(policy)
        px_policy.append(px[rule] if policy == "f1" else None if t is None else
                         image_oracle.level_at(px[">="], t, rule, policy, *sweep.counts(t, rule)))
    del values, labels, sweep

    base = ["--maps", built.maps, "--masks", built.masks]
    if spec.resize:
        base += ["--resize-masks", "nearest"]
    runs = []  # (name, args, expected pixel, expected image) ; expected None: refusal
    if spec.one_class:
        runs.append(("refused", base, None, None))
        base = base + ["--allow-one-class"]
    runs.append(("default", base, px[">="], img[">="]))
    if spec.index % 3 == 0 or spec.one_class or spec.layout == "huge":
        runs.append(("rule-gt", base + ["--rule", "gt"], px[">"], img[">"]))
    if spec.index % 5 == 1:
        runs.append(("threads-1", base + ["--threads", "1"], px[">="], img[">="]))
    if spec.index % 7 == 3:
        runs.append(("threads-3", base + ["--threads", "3"], px[">="], img[">="]))
    if spec.scores:
        path, scores, slabels = write_scores(spec, rng, built, case_dir)
        runs.append(("scores", base + [path], px[">="], expected_image(scores, slabels, ">=")))
        if spec.index % 2 == 0:
            runs.append(("scores-gt", base + ["--rule", "gt", path], px[">"],
                         expected_image(scores, slabels, ">")))

    results, note = [], ""
    for name, args, want_px, want_img in runs:
        huge = spec.layout == "huge"
        run = run_adthresh(args, measure=huge)
        if want_px is None:
            problems = check_error(run, [r"pixel|image"])
        else:
            problems = check_success(run, want_px, want_img)
        if self_check and not results:
            problems = self_check + problems
        results.append(Result(f"{spec.label}/{name}", problems,
                              "adthresh --format json " + " ".join(map(str, args))))
        if huge and name == "default":
            note = (f"pixel-oracle: huge case: {px['>=']['n']} pixels "
                    f"({px['>=']['negatives']} normal), adthresh {run.seconds:.1f} s, "
                    f"peak RSS {run.maxrss_kb / 1024:.0f} MB "
                    f"({run.maxrss_kb * 1024 / px['>=']['n']:.1f} bytes/pixel); "
                    f"oracle worker peak RSS "
                    f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    img_arrays = np.array(img_scores, dtype=np.float64), np.array(img_labels, dtype=np.int64)
    img_sweep = image_oracle.sweep_counts(*img_arrays)
    kept = []
    for (name, pairs, max_fpr, rule), want_px in zip(policy_plan, px_policy):
        args = list(base)
        for level, policy in pairs:
            args += ["--policy", f"{level}={policy}" if level else policy]
        if max_fpr:
            args += ["--max-fpr", max_fpr]
        if rule == ">":
            args += ["--rule", "gt"]
        policy = level_policy(pairs, "image")
        want_img = img[rule] if policy == "f1" else image_oracle.policy_level(
            *img_arrays, policy, rule, img[">="], img_sweep, single=img_single)
        img_pauroc = image_oracle.partial_auroc(img_arrays[1], img_arrays[0], max_fpr) \
            if max_fpr else None
        run = run_adthresh(args)
        problems = check_policy(run, want_px, want_img, max_fpr, px_pauroc.get(max_fpr),
                                img_pauroc)
        if policy_self_check:  # counts once, with the first policy run
            problems, policy_self_check = policy_self_check + problems, []
        results.append(Result(f"{spec.label}/{name}", problems,
                              "adthresh --format json " + " ".join(map(str, args))))
        kept.append({"run": name, "args": list(map(str, args)),
                     "pixel": want_px, "image": want_img,
                     "pauroc": [px_pauroc.get(max_fpr), img_pauroc]})

    if os.environ.get("ORACLE_KEEP"):
        with open(case_dir / "expected.json", "w", encoding="utf-8") as f:
            json.dump({"runs": [[n, list(map(str, a))] for n, a, _, _ in runs],
                       "pixel": px, "image": img, "policy_runs": kept}, f, indent=1,
                      default=float)
    return results, note


# ---------------------------------------------------------------------------
# Error cases: exit 2, nothing on stdout, the message names file and pixel.


def _tif(path, a):
    path.parent.mkdir(parents=True, exist_ok=True)
    tifffile.imwrite(path, a, photometric="minisblack")


def _png(path, a):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(a).save(path)


def error_cases():
    """[(name, builder(dir) -> (args, [regex]))]"""
    rng = np.random.default_rng(CATALOGUE_SEED - 1)
    mask = np.zeros((9, 20), dtype=np.uint8)
    mask[2:5, 3:9] = 255
    good = rng.random((9, 20)).astype(np.float32)

    def base(d):
        _tif(d / "maps/test/good/000.tiff", good)
        _tif(d / "maps/test/crack/000.tiff", good + 1)
        _png(d / "gt/ground_truth/crack/000_mask.png", mask)
        return ["--maps", d / "maps", "--masks", d / "gt"]

    def missing_mask(d):
        args = base(d)
        _tif(d / "maps/test/crack/001.tiff", good)
        return args, [r"crack/001\.tiff"]

    def size_mismatch(d):
        args = base(d)
        _tif(d / "maps/test/hole/000.tiff", good)
        _png(d / "gt/ground_truth/hole/000_mask.png", mask.T.copy())
        return args, [r"hole/000", r"20\D+9", r"9\D+20"]

    def nan_f32(d):
        args = base(d)
        bad = good.copy()
        bad[6, 13] = np.nan  # x = 13, y = 6
        _tif(d / "maps/test/crack/000.tiff", bad)
        return args, [r"crack/000\.tiff", r"NaN", r"\b13\b\D{1,4}\b6\b"]

    def inf_f64_npy(d):
        args = base(d)
        bad = good.astype(np.float64)
        bad[0, 17] = -np.inf  # x = 17, y = 0
        (d / "maps/test/good").mkdir(parents=True, exist_ok=True)
        np.save(d / "maps/test/good/001.npy", bad)
        return args, [r"good/001\.npy", r"\b17\b\D{1,4}\b0\b", r"(?i)inf"]

    def nan_stacked(d):
        d.mkdir(parents=True, exist_ok=True)
        maps = rng.random((6, 5, 7)).astype(np.float32)
        maps[4, 3, 2] = np.nan  # image 4, x = 2, y = 3
        masks = np.zeros((6, 5, 7), dtype=bool)
        masks[1:, 1, 1] = True
        np.save(d / "maps.npy", maps)
        np.save(d / "masks.npy", masks)
        return (["--maps", d / "maps.npy", "--masks", d / "masks.npy"],
                [r"maps\.npy", r"\b4\b", r"NaN", r"\b2\b\D{1,4}\b3\b"])

    def nan_mask(d):
        args = base(d)
        m = (mask > 0).astype(np.float32)
        m[8, 19] = np.nan
        np.save(d / "gt/ground_truth/crack/000_mask.npy", m)
        (d / "gt/ground_truth/crack/000_mask.png").unlink()
        return args, [r"000_mask\.npy", r"NaN", r"\b19\b\D{1,4}\b8\b"]

    def stack_count(d):
        d.mkdir(parents=True, exist_ok=True)
        np.save(d / "maps.npy", rng.random((5, 4, 4)).astype(np.float32))
        np.save(d / "masks.npy", rng.random((4, 4, 4)) < 0.3)
        return ["--maps", d / "maps.npy", "--masks", d / "masks.npy"], [r"\b5\b", r"\b4\b"]

    def orphan_mask(d):
        args = base(d)
        _png(d / "gt/ground_truth/scratch/004_mask.png", mask)
        return args, [r"scratch/004_mask\.png"]

    def integer_map(d):
        args = base(d)
        np.save(d / "maps/test/crack/000.npy", (good * 100).astype(np.int32))
        (d / "maps/test/crack/000.tiff").unlink()
        return args, [r"crack/000\.npy"]

    def duplicate_map(d):
        args = base(d)  # crack/000.tiff and crack/000.npy: two maps for one image
        np.save(d / "maps/test/crack/000.npy", good)
        return args, [r"crack/000"]

    def scores_unknown_id(d):
        args = base(d)
        (d / "scores.csv").write_text(
            "image_path,gt_label,pred_score\nbottle/test/good/000.png,0,0.5\n"
            "bottle/test/crack/007.png,1,0.9\n", encoding="utf-8")
        return args + [d / "scores.csv"], [r"crack/007"]

    def image_one_class(d):  # pixel level fine, but no normal image in the scores
        # (labels only implied by the masks give a warning and no image level
        # instead: tests/cli/cases/px-implied-image-one-class)
        _tif(d / "maps/test/crack/000.tiff", good)
        _png(d / "gt/ground_truth/crack/000_mask.png", mask)
        (d / "scores.csv").write_text("image_path,gt_label,pred_score\ncrack/000.png,1,0.5\n",
                                      encoding="utf-8")
        return (["--maps", d / "maps", "--masks", d / "gt", d / "scores.csv"],
                [r"image level", r"\b1 anomalous\b", r"\b0 normal\b"])

    return [("missing-mask", missing_mask), ("size-mismatch", size_mismatch),
            ("nan-f32-tiff", nan_f32), ("inf-f64-npy", inf_f64_npy),
            ("nan-stacked", nan_stacked), ("nan-mask", nan_mask),
            ("stack-count", stack_count), ("orphan-mask", orphan_mask),
            ("integer-map", integer_map), ("duplicate-map", duplicate_map),
            ("scores-unknown-id", scores_unknown_id), ("image-one-class", image_one_class)]


def check_errors(workdir, only):
    results = []
    for name, builder in error_cases():
        if only and only not in name:
            continue
        d = Path(workdir) / f"error-{name}"
        args, needles = builder(d)
        run = run_adthresh(args)
        results.append(Result(f"error-{name}", check_error(run, needles),
                               "adthresh --format json " + " ".join(map(str, args))))
    return results


# ---------------------------------------------------------------------------


def png_scale_self_check():
    """np.float32(v) / np.float32(d) must be the correctly rounded v/d, as C's
    (float)v / 255.0f is: the float64 quotient rounded to float32 is (double
    rounding is innocuous for division when 53 >= 2 * 24 + 2)."""
    problems = []
    for bits, d in ((8, 255), (16, 65535)):
        v = np.arange(d + 1)
        got = png_scale(v, bits)
        want = (v.astype(np.float64) / d).astype(np.float32)
        bad = np.flatnonzero(got != want)
        if len(bad):
            problems.append(f"float32({bad[0]}) / {d}: numpy {got[bad[0]]!r}, "
                            f"correctly rounded {want[bad[0]]!r}")
    return problems


def select_specs():
    specs = build_catalogue()
    if os.environ.get("ORACLE_QUICK", "") not in ("", "0"):
        specs = [s for s in specs if s.layout != "huge"]
    only = os.environ.get("ORACLE_ONLY")
    if only:
        specs = [s for s in specs if only in s.label]
    return specs


def check_all(work, suite):
    """The cases and the error cases, in worker processes; returns "C cases"."""
    for p in png_scale_self_check():
        suite.record("oracle self-check", [p])
    specs = select_specs()
    # the huge case first, so that it overlaps the small ones
    specs.sort(key=lambda s: s.layout != "huge")
    jobs = int(os.environ.get("ORACLE_JOBS") or 2)
    only = os.environ.get("ORACLE_ONLY")
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(check_case, spec, work) for spec in specs]
        errors = pool.submit(check_errors, work, only)
        for spec, future in zip(specs, futures):
            try:
                results, note = future.result()
            except Exception as exc:  # a bug in the oracle itself: report, go on
                results, note = [Result(f"{spec.label}/oracle",
                                        [f"oracle error: {exc!r}"])], ""
            if note:
                suite.notes.append(note)
            suite.report(results)
        try:
            suite.report(errors.result())
        except Exception as exc:
            suite.record("error-cases/oracle", [f"oracle error: {exc!r}"])
    return f"{len(specs)} cases"


def main():
    return harness.run_suite("pixel-oracle", check_all, keep_in_new_folder=False)


if __name__ == "__main__":
    sys.exit(main())
