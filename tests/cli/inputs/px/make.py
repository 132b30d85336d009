#!/usr/bin/python3
"""Writes the pixel-level inputs of the CLI golden tests (tests/cli/cases/px-*).

Run with Debian's /usr/bin/python3 (numpy, tifffile, Pillow) from anywhere:
    /usr/bin/python3 tests/cli/inputs/px/make.py
It deletes and rewrites everything it owns below this folder, byte for byte
the same on every run.

The base data set: four 4x4 maps in the MVTec AD layout.  Scores are levels
in sixteenths (exact in float16, float32 and float64):

    crack/000  0.125 everywhere, 0.75 on the 2x2 block x,y in {1,2}
               mask: that block                                 (4 anomalous)
    crack/001  0.125 everywhere, 0.5 at (0,3) and (3,3), 0.875 at (1,3)
               mask: (0,3) and (1,3)                            (2 anomalous)
    good/000   0.125 everywhere, 0.8125 at (3,0)                (no mask)
    good/001   0.25 everywhere                                  (no mask)

Pixels: 64, 6 anomalous with scores {0.875, 0.75 x4, 0.5}, 58 normal with
{0.8125, 0.5, 0.25 x16, 0.125 x40}.
  t = 0.875: TP 1 FP 0 FN 5   F1 2/7
  t = 0.8125: TP 1 FP 1 FN 5  F1 2/8
  t = 0.75:  TP 5 FP 1 FN 1   F1 10/12
  t = 0.5:   TP 6 FP 2 FN 0   F1 12/14 = 6/7   <- the threshold (P 3/4, R 1)
  t = 0.25:  TP 6 FP 18       F1 12/30
  with --rule gt at 0.5: TP 5 FP 1 FN 1 TN 57, F1 = P = R = 5/6.
  AUROC = (58 + 4*57 + 56.5) / (6*58) = 342.5/348
  AP = 1/6 * 1 + 4/6 * 5/6 + 1/6 * 6/8
Images from the maps (score = map maximum, label = mask has an anomalous
pixel): 0.875 (+), 0.8125 (-), 0.75 (+), 0.25 (-): threshold 0.75, F1 0.8,
TP 2 FP 1 FN 0 TN 1, AUROC 0.75.
Images from mvtec/scores.csv: 0.9 (+), 0.7 (+), 0.4 (-), 0.2 (-): threshold
0.7, F1 1, AUROC 1.
"""

import json
import os
import shutil

import numpy as np
import tifffile
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))

# Every folder below HERE that this script writes (and deletes first).
OWNED = [
    "mvtec", "maps-f16", "maps-f64", "maps-npy", "maps-png8", "maps-png16", "maps-csv",
    "masks-png01", "masks-npy", "masks-tiff", "masks-samename", "masks-big",
    "masks-empty", "stack", "doc", "pairing", "bad",
]

# Levels in sixteenths.
L = {
    "crack/000": np.full((4, 4), 2, np.int64),
    "crack/001": np.full((4, 4), 2, np.int64),
    "good/000": np.full((4, 4), 2, np.int64),
    "good/001": np.full((4, 4), 4, np.int64),
}
L["crack/000"][1:3, 1:3] = 12
L["crack/001"][3, 0] = 8
L["crack/001"][3, 3] = 8
L["crack/001"][3, 1] = 14
L["good/000"][0, 3] = 13

M = {
    "crack/000": np.zeros((4, 4), np.uint8),
    "crack/001": np.zeros((4, 4), np.uint8),
}
M["crack/000"][1:3, 1:3] = 1
M["crack/001"][3, 0:2] = 1

IDS = sorted(L)  # crack/000, crack/001, good/000, good/001
CRACKS = [i for i in IDS if i.startswith("crack/")]

# Image scores of mvtec/scores.csv and doc/results.json.
SCORES = {"crack/000": 0.7, "crack/001": 0.9, "good/000": 0.2, "good/001": 0.4}


def path(*parts):
    p = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def fmap(i, dtype=np.float32):
    return (L[i] / 16.0).astype(dtype)


def tiff(p, a):
    tifffile.imwrite(path(p), a, metadata=None, software=False)


def png(p, a, mode=None):
    Image.fromarray(a, mode).save(path(p), optimize=False)


def npy(p, a):
    np.save(path(p), a, allow_pickle=False)


def text(p, s):
    with open(path(p), "w", newline="\n") as f:
        f.write(s)


def csv_matrix(a):
    return "".join(",".join(repr(float(v)) for v in row) + "\n" for row in a)


def scores_csv(ids):
    rows = ["image_path,gt_label,pred_score"]
    for i in ids:
        rows.append("mvtec/test/%s.png,%d,%s" % (i, 0 if i.startswith("good/") else 1, SCORES.get(i, 0.5)))
    return "\n".join(rows) + "\n"


def base():
    for i in IDS:
        tiff("mvtec/maps/test/%s.tiff" % i, fmap(i))
    for i in CRACKS:
        png("mvtec/masks/ground_truth/%s_mask.png" % i, M[i] * 255)
    text("mvtec/scores.csv", scores_csv(["good/000", "good/001", "crack/000", "crack/001"]))
    # An id that matches no map, and a map (good/001) without a row.
    text("mvtec/scores-extra.csv",
         scores_csv(["good/000", "good/001", "crack/000", "crack/001", "crack/002"]))
    text("mvtec/scores-missing.csv", scores_csv(["good/000", "crack/000", "crack/001"]))


def map_variants():
    for i in IDS:
        tiff("maps-f16/test/%s.tiff" % i, fmap(i, np.float16))
        tiff("maps-f64/test/%s.tiff" % i, fmap(i, np.float64))
        npy("maps-npy/test/%s.npy" % i, fmap(i))
        # PNG maps are scaled to [0, 1] by 255 or 65535: same order, same counts.
        png("maps-png8/test/%s.png" % i, (L[i] * 16).astype(np.uint8))
        png("maps-png16/test/%s.png" % i, (L[i] * 4096).astype(np.uint16), "I;16")
        text("maps-csv/test/%s.csv" % i, csv_matrix(fmap(i, np.float64)))


def mask_variants():
    for i in CRACKS:
        png("masks-png01/ground_truth/%s_mask.png" % i, M[i])
        npy("masks-npy/ground_truth/%s_mask.npy" % i, M[i].astype(bool))
        tiff("masks-tiff/ground_truth/%s_mask.tiff" % i, M[i] * 255)
        png("masks-samename/ground_truth/%s.png" % i, M[i] * 255)
        png("masks-empty/ground_truth/%s_mask.png" % i, M[i] * 0)
        # 8x8 masks: the even pixels (2x, 2y) are the 4x4 mask, which is what
        # PyTorch's "nearest" picks; the odd ones (2x+1, 2y+1) its inverse.
        big = np.zeros((8, 8), np.uint8)
        big[0::2, 0::2] = M[i]
        big[1::2, 1::2] = 1 - M[i]
        png("masks-big/ground_truth/%s_mask.png" % i, big * 255)


def stacked():
    maps = np.stack([fmap(i) for i in IDS])
    masks = np.stack([M.get(i, np.zeros((4, 4), np.uint8)) for i in IDS])
    npy("stack/maps.npy", maps)
    npy("stack/masks.npy", masks.astype(bool))
    npy("stack/masks4d.npy", masks[:, None, :, :])
    npy("stack/masks3.npy", masks[:3].astype(bool))
    nan = maps.copy()
    nan[2, 3, 1] = np.nan  # image 2, pixel (x 1, y 3)
    npy("stack/maps-nan.npy", nan)
    fmask = masks.astype(np.float32)
    fmask[1, 0, 2] = np.nan  # image 1, mask pixel (x 2, y 0)
    npy("stack/masks-nan.npy", fmask)


def document():
    images = []
    for i in IDS:
        images.append({
            "image_path": "mvtec/test/%s.png" % i,
            "pred_score": SCORES[i],
            "gt_label": 0 if i.startswith("good/") else 1,
            "anomaly_map": fmap(i, np.float64).tolist(),
            "gt_mask": M[i].tolist() if i in M else None,
        })
    text("doc/results.json", "[\n" + ",\n".join(json.dumps(x) for x in images) + "\n]\n")


def pairing():
    m, k = fmap("crack/000"), M["crack/000"] * 255
    # crack/001 has no mask.
    tiff("pairing/nomask/test/crack/000.tiff", m)
    tiff("pairing/nomask/test/crack/001.tiff", m)
    tiff("pairing/nomask/test/good/000.tiff", m)
    png("pairing/nomask/ground_truth/crack/000_mask.png", k)
    # crack/001_mask.png has no map.
    tiff("pairing/orphan/test/crack/000.tiff", m)
    png("pairing/orphan/ground_truth/crack/000_mask.png", k)
    png("pairing/orphan/ground_truth/crack/001_mask.png", k)
    # Two masks for crack/000.
    tiff("pairing/twomasks/test/crack/000.tiff", m)
    png("pairing/twomasks/ground_truth/crack/000.png", k)
    png("pairing/twomasks/ground_truth/crack/000_mask.png", k)
    # A NaN and an inf pixel in float32 maps of a folder.
    nan = fmap("crack/000")
    nan[1, 2] = np.nan  # pixel (2, 1)
    tiff("pairing/nan/test/crack/000.tiff", nan)
    png("pairing/nan/ground_truth/crack/000_mask.png", k)
    inf = fmap("crack/000")
    inf[0, 3] = np.inf  # pixel (3, 0)
    tiff("pairing/inf/test/crack/000.tiff", inf)
    png("pairing/inf/ground_truth/crack/000_mask.png", k)


def broken():
    m, k = fmap("crack/000"), M["crack/000"] * 255
    tiff("bad/map.tiff", m)
    png("bad/mask.png", k)
    # The float32 map cut in the middle of its pixel data (32 of its 64 bytes).
    with open(path("bad/map.tiff"), "rb") as f:
        data = f.read()
    with open(path("bad/truncated.tiff"), "wb") as f:
        f.write(data[: len(data) - 32])
    # A 4x4 mask PNG cut inside its IDAT chunk.
    png("bad/whole_mask.png", k)
    with open(path("bad/whole_mask.png"), "rb") as f:
        data = f.read()
    idat = data.index(b"IDAT")
    with open(path("bad/truncated_mask.png"), "wb") as f:
        f.write(data[: idat + 8])
    os.remove(path("bad/whole_mask.png"))
    # An NPY map whose header dict is cut short (no closing brace).
    npy("bad/corrupt.npy", m)
    with open(path("bad/corrupt.npy"), "rb") as f:
        data = f.read()
    data = data.replace(b"(4, 4), }", b"(4, 4),  ")
    with open(path("bad/corrupt.npy"), "wb") as f:
        f.write(data)
    # An 8-bit integer TIFF used as a map.
    tiff("bad/u8.tiff", (L["crack/000"] * 16).astype(np.uint8))
    # A Fortran-order NPY map.
    npy("bad/fortran.npy", np.asfortranarray(m.T))


def main():
    for d in OWNED:
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    base()
    map_variants()
    mask_variants()
    stacked()
    document()
    pairing()
    broken()


if __name__ == "__main__":
    main()
