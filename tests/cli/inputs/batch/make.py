#!/usr/bin/python3
"""Writes the inputs of the batch, threshold-transfer and gate golden tests
(tests/cli/cases/batch-*, thr-*, gate-*).

Run with Debian's /usr/bin/python3 (numpy, tifffile, Pillow) from anywhere:
    /usr/bin/python3 tests/cli/inputs/batch/make.py
It deletes and rewrites everything it owns below this folder, byte for byte
the same on every run.

mvtec/results/<category>/test/<defect>/<id>.tiff   float32 4x4 maps
mvtec/results/bottle/scores.csv                    image scores (bottle only)
mvtec/dataset/<category>/ground_truth/<defect>/<id>_mask.png
mvtec/dataset/<category>/train/good/000.png         a decoy (not a mask)

Scores are levels in sixteenths (exact in float32).  Per category:

bottle  the maps of tests/cli/inputs/px/mvtec (see px/make.py):
          pixel: 64 pixels, 6 anomalous; t = 0.5, TP 6 FP 2 FN 0 TN 56,
                 F1 6/7, P 3/4, R 1, AUROC 342.5/348, AP 0.84722...
          image (scores.csv 0.2-, 0.4-, 0.7+, 0.9+): t 0.7, F1 1, AUROC 1
carpet  crack/000  0.25, 0.625 at (0..2, 0);     mask (0..3, 0)   4 anomalous
        hole/000   0.1875, 0.9375 at (2, 2);      mask (2,2),(3,3)  2 anomalous
        good/000   0.3125, 0.6875 at (1, 1)
        good/001   0.0625
          pixel: 64 pixels, 6 anomalous {0.9375, 0.625 x3, 0.25, 0.1875},
                 58 normal {0.6875, 0.3125 x15, 0.25 x12, 0.1875 x14, 0.0625 x16}
                 t = 0.625: TP 4 FP 1 FN 2 TN 57, F1 8/11
          image (map max; 0.625+, 0.9375+, 0.6875-, 0.0625-): t 0.625,
                 TP 2 FP 1 FN 0 TN 1, F1 0.8, AUROC 0.75
screw   scratch/000  0.5, 0.75 at (3, 3);         mask (3, 3)     1 anomalous
        scratch/001  0.125, 0.875 at (0, 1), (1, 1); mask those    2 anomalous
        good/000     0.375
        good/001     0.125, 0.8125 at (2, 2)
        good/002     0.25
          pixel: 80 pixels, 3 anomalous {0.875 x2, 0.75}; t = 0.75,
                 TP 3 FP 1 (0.8125) FN 0 TN 76, F1 6/7
          image (map max; 0.75+, 0.875+, 0.375-, 0.8125-, 0.25-): t 0.75,
                 TP 2 FP 1 FN 0 TN 2, F1 0.8, AUROC 5/6

scores/   image-only batch, one category per score file (stem), plus a
          README.txt that is not a score file:
  bottle.csv    the scores of px/mvtec: t 0.7, F1 1, AUROC 1
  cable.json    an array of objects: 0.1-, 0.3+, 0.5-, 0.7+, 0.9+
                  t 0.3: TP 3 FP 1 FN 0 TN 1, F1 6/7, AUROC 5/6
  wood.jsonl    JSON Lines: 0.2-, 0.6+, 0.6-, 0.8+
                  t 0.6: TP 2 FP 1 FN 0 TN 1, F1 0.8, AUROC 0.875
"""

import os
import shutil

import numpy as np
import tifffile
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OWNED = ["mvtec", "scores"]


def path(*parts):
    p = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def tiff(p, a):
    tifffile.imwrite(path(p), a, metadata=None, software=False)


def png(p, a):
    Image.fromarray(a).save(path(p), optimize=False)


def text(p, s):
    with open(path(p), "w", newline="\n") as f:
        f.write(s)


def level_map(base, spots):
    """A 4x4 map of `base` sixteenths with {(x, y): level} spots."""
    a = np.full((4, 4), base, np.int64)
    for (x, y), v in spots.items():
        a[y, x] = v
    return (a / 16.0).astype(np.float32)


def mask(points):
    m = np.zeros((4, 4), np.uint8)
    for x, y in points:
        m[y, x] = 255
    return m


# category -> {id: (map, mask or None)}
CATEGORIES = {
    "bottle": {
        "crack/000": (level_map(2, {(1, 1): 12, (2, 1): 12, (1, 2): 12, (2, 2): 12}),
                      mask([(1, 1), (2, 1), (1, 2), (2, 2)])),
        "crack/001": (level_map(2, {(0, 3): 8, (3, 3): 8, (1, 3): 14}), mask([(0, 3), (1, 3)])),
        "good/000": (level_map(2, {(3, 0): 13}), None),
        "good/001": (level_map(4, {}), None),
    },
    "carpet": {
        "crack/000": (level_map(4, {(0, 0): 10, (1, 0): 10, (2, 0): 10}),
                      mask([(0, 0), (1, 0), (2, 0), (3, 0)])),
        "hole/000": (level_map(3, {(2, 2): 15}), mask([(2, 2), (3, 3)])),
        "good/000": (level_map(5, {(1, 1): 11}), None),
        "good/001": (level_map(1, {}), None),
    },
    "screw": {
        "scratch/000": (level_map(8, {(3, 3): 12}), mask([(3, 3)])),
        "scratch/001": (level_map(2, {(0, 1): 14, (1, 1): 14}), mask([(0, 1), (1, 1)])),
        "good/000": (level_map(6, {}), None),
        "good/001": (level_map(2, {(2, 2): 13}), None),
        "good/002": (level_map(4, {}), None),
    },
}

BOTTLE_SCORES = ("image_path,gt_label,pred_score\n"
                 "bottle/test/good/000.png,0,0.2\n"
                 "bottle/test/good/001.png,0,0.4\n"
                 "bottle/test/crack/000.png,1,0.7\n"
                 "bottle/test/crack/001.png,1,0.9\n")


def mvtec():
    for cat, images in CATEGORIES.items():
        for i, (m, k) in images.items():
            tiff("mvtec/results/%s/test/%s.tiff" % (cat, i), m)
            if k is not None:
                png("mvtec/dataset/%s/ground_truth/%s_mask.png" % (cat, i), k)
        # the data set's training images are no masks: never read
        png("mvtec/dataset/%s/train/good/000.png" % cat, np.full((4, 4), 128, np.uint8))
    text("mvtec/results/bottle/scores.csv", BOTTLE_SCORES)


def scores():
    text("scores/bottle.csv", BOTTLE_SCORES)
    text("scores/cable.json",
         '[{"image_path": "cable/test/good/000.png", "label": 0, "score": 0.1},\n'
         ' {"image_path": "cable/test/bent/000.png", "label": 1, "score": 0.3},\n'
         ' {"image_path": "cable/test/good/001.png", "label": 0, "score": 0.5},\n'
         ' {"image_path": "cable/test/bent/001.png", "label": 1, "score": 0.7},\n'
         ' {"image_path": "cable/test/cut/000.png", "label": 1, "score": 0.9}]\n')
    text("scores/wood.jsonl",
         '{"image_path": "wood/test/good/000.png", "label": "good", "score": 0.2}\n'
         '{"image_path": "wood/test/hole/000.png", "label": "defect", "score": 0.6}\n'
         '{"image_path": "wood/test/good/001.png", "label": "good", "score": 0.6}\n'
         '{"image_path": "wood/test/hole/001.png", "label": "defect", "score": 0.8}\n')
    text("scores/README.txt", "Image scores of three categories, one file each.\n")


def main():
    for d in OWNED:
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    mvtec()
    scores()


if __name__ == "__main__":
    main()
