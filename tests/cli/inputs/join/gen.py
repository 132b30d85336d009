#!/usr/bin/python3
"""Writes a result folder of N tiny maps for the golden cases of the
score-id join and the per-defect breakdown (tests/cli/cases/px-join-*).

Usage: /usr/bin/python3 tests/cli/inputs/join/gen.py OUTDIR [N]   (N = 3000)

    OUTDIR/maps/test/good/<iiii>.npy                  every fifth image, no mask
    OUTDIR/maps/test/g<k%3>/d<kkkk>/<r>.npy           the others, three per
    OUTDIR/masks/ground_truth/g<k%3>/d<kkkk>/<r>_mask.npy   defect folder k

Maps are 4x4 float32, masks 4x4 uint8; every second defect image has
anomalous pixels, the others an empty mask.  The names r (00, 01, 02)
repeat in every defect folder, so a bare name matches many maps.

OUTDIR/scores.csv (image_path,label,score) names every image once, in a
shuffled order, in one of the forms the join accepts: a longer path with
another extension (bottle/test/g0/d0001/01.png), a shorter one
(d0001/01.tiff), backslashes (g0\\d0001\\01.npy) and no extension
(test/g0/d0001/01); the label is whether the mask marks a pixel, except on
five rows where it is flipped.  Variants of it for the error cases:

    scores-ambiguous.csv   a bare '01.png' on line 3, after two unknown ids
    scores-taken.csv       the same '01.png' on the last line
    scores-twice.csv       an image named a second time in another form
    scores-unknown.csv     four ids that match no map (a name cut inside a
                           folder name, a longer name, another folder) and
                           four images left out
    scores-unlisted.csv    five images left out

The same seed gives the same bytes on every run.
"""
import os
import random
import sys

import numpy as np


def npy(path, arr):
    with open(path, "wb") as f:
        np.save(f, arr)


def write(path, rows):
    with open(path, "w", newline="") as f:
        f.write("image_path,label,score\n")
        f.writelines(rows)


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rng = np.random.default_rng(20250112)
    pick = random.Random(20250112)
    rows = []
    for i in range(n):
        m = (rng.random((4, 4)) * 0.5).astype(np.float32)
        if i % 5 == 0:
            rel = ("good", f"{i:04d}")
            form = pick.choice([lambda p: f"bottle/test/{'/'.join(p)}.png",
                                lambda p: "/".join(p)])
            anomalous = False
        else:
            k = i // 3
            rel = (f"g{k % 3}", f"d{k:04d}", f"{i % 3:02d}")
            anomalous = i % 2 == 1
            form = pick.choice([lambda p: f"bottle/test/{'/'.join(p)}.png",
                                lambda p: f"{p[1]}/{p[2]}.tiff",
                                lambda p: "\\".join(p) + ".npy",
                                lambda p: f"test/{'/'.join(p)}"])
            mask = np.zeros((4, 4), np.uint8)
            if anomalous:
                mask[1:3, 1:3] = 1
                m[1:3, 1:3] += np.float32(0.3)
            g = os.path.join(out, "masks", "ground_truth", *rel[:-1])
            os.makedirs(g, exist_ok=True)
            npy(os.path.join(g, rel[-1] + "_mask.npy"), mask)
        d = os.path.join(out, "maps", "test", *rel[:-1])
        os.makedirs(d, exist_ok=True)
        npy(os.path.join(d, rel[-1] + ".npy"), m)
        rid = form(rel)
        label = int(anomalous) ^ (i % 601 == 7)
        rows.append(f"{rid},{label},{float(m.max()):.6f}\n")
    pick.shuffle(rows)
    write(os.path.join(out, "scores.csv"), rows)
    unknown = ["g0/d0001/1.png", "0001/01.png", "g0/d0001/011.png", "zzz/d0002/02.png"]
    write(os.path.join(out, "scores-ambiguous.csv"),
          [f"{unknown[0]},1,0.5\n", f"{unknown[1]},1,0.5\n", "01.png,1,0.5\n"] + rows)
    write(os.path.join(out, "scores-taken.csv"), rows + ["01.png,1,0.5\n"])
    again = next(r for r in rows if r.startswith("bottle/test/g"))
    write(os.path.join(out, "scores-twice.csv"),
          rows[:100] + [again.replace("bottle/test/", "", 1)] + rows[100:])
    write(os.path.join(out, "scores-unknown.csv"),
          rows[:10] + [f"{u},0,0.5\n" for u in unknown] + rows[14:])
    write(os.path.join(out, "scores-unlisted.csv"), rows[:-5])


if __name__ == "__main__":
    main()
