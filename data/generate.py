"""Regenerates the sample result folder data/bottle (deterministic).

An MVTec AD-like test split of one category: raw PatchCore-like anomaly
maps as float32 TIFF (test/<defect>/<id>.tiff), 8-bit PNG ground-truth
masks (ground_truth/<defect>/<id>_mask.png, none for good) and image
scores from a separate image head (scores.csv).  Needs numpy, tifffile and
Pillow (Debian: python3-numpy python3-tifffile python3-pil).
"""
import os

import numpy as np
import tifffile
from PIL import Image

SIZE = 96
SPLIT = {"good": 6, "broken_large": 4, "broken_small": 4, "contamination": 4}
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bottle")


def smooth(a, passes=3):
    for _ in range(passes):
        a = (a + np.roll(a, 1, 0) + np.roll(a, -1, 0) + np.roll(a, 1, 1) + np.roll(a, -1, 1)) / 5
    return a


def blob(rng, yy, xx, big):
    cy, cx = rng.uniform(0.25, 0.75, 2) * SIZE
    ry, rx = rng.uniform(8, 16, 2) if big else rng.uniform(3, 6, 2)
    angle = rng.uniform(0, np.pi)
    dy, dx = yy - cy, xx - cx
    u = (dx * np.cos(angle) + dy * np.sin(angle)) / rx
    v = (-dx * np.sin(angle) + dy * np.cos(angle)) / ry
    return u * u + v * v


def main():
    rng = np.random.default_rng(20261127)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    rows = []
    for defect, count in SPLIT.items():
        os.makedirs(os.path.join(ROOT, "test", defect), exist_ok=True)
        if defect != "good":
            os.makedirs(os.path.join(ROOT, "ground_truth", defect), exist_ok=True)
        for i in range(count):
            name = f"{i:03d}"
            amap = 0.9 + 0.35 * smooth(rng.normal(0, 1, (SIZE, SIZE)))
            mask = np.zeros((SIZE, SIZE), bool)
            if defect != "good":
                r2 = blob(rng, yy, xx, defect != "broken_small")
                mask = r2 <= 1.0
                strength = rng.uniform(0.2, 2.2)
                amap = amap + strength * np.exp(-r2 / 1.6)
            elif i % 3 == 2:
                # a reflection the model finds odd: a false alarm on a good part
                amap = amap + 1.1 * np.exp(-blob(rng, yy, xx, False) / 1.6)
            amap = smooth(amap, 1).astype(np.float32)
            tifffile.imwrite(os.path.join(ROOT, "test", defect, name + ".tiff"), amap,
                             compression="zlib")
            if defect != "good":
                Image.fromarray((mask * 255).astype(np.uint8)).save(
                    os.path.join(ROOT, "ground_truth", defect, name + "_mask.png"))
            score = float(np.max(amap)) + rng.normal(0, 0.3)
            rows.append((f"bottle/test/{defect}/{name}.png", defect != "good", round(score, 6)))
    with open(os.path.join(ROOT, "scores.csv"), "w") as f:
        f.write("image_path,gt_label,pred_score\n")
        for path, label, score in rows:
            f.write(f"{path},{str(label).lower()},{score!r}\n")


if __name__ == "__main__":
    main()
