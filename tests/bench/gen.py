"""Deterministic benchmark data for `make bench`.

Usage: gen.py OUTDIR PIXELS [stacked|folder]
       gen.py OUTDIR IMAGES join
  stacked: OUTDIR/maps.npy (float32 [N,256,256]) and OUTDIR/masks.npy (bool)
  folder:  OUTDIR/maps/test/<defect>/<id>.tiff (float32, zlib) and
           OUTDIR/masks/ground_truth/<defect>/<id>_mask.png
About 1.5-2 % of the pixels are anomalous, in blobs on a noisy background,
with scores quantised to 1e-4 on some images so that ties occur as in real
exports.
  join:    IMAGES tiny maps, two per defect folder, for the score-id join
           and the per-defect breakdown rather than the pixels:
           OUTDIR/maps/test/d<k>/<i>.npy (float32 4x4),
           OUTDIR/masks/ground_truth/d<k>/<i>_mask.npy (uint8 4x4, every
           second one empty) and OUTDIR/scores.csv naming every image as
           bottle/test/d<k>/<i>.png (another extension, a longer path), in
           a shuffled order.
"""
import io
import os
import random
import sys

import numpy as np

SIDE = 256


def blobs(rng, n):
    """n masks of SIDE x SIDE with one or two elliptic defects on most."""
    yy, xx = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    masks = np.zeros((n, SIDE, SIDE), bool)
    bumps = np.zeros((n, SIDE, SIDE), np.float32)
    for i in range(n):
        if i % 5 == 0:
            continue  # a good image
        for _ in range(1 + (i % 3 == 0)):
            cy, cx = rng.uniform(40, SIDE - 40, 2)
            ry, rx = rng.uniform(8, 26, 2)
            r2 = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
            masks[i] |= r2 <= 1
            bumps[i] += rng.uniform(0.5, 2.5) * np.exp(-r2 / 1.5)
    return masks, bumps


def images(rng, n):
    masks, bumps = blobs(rng, n)
    maps = rng.normal(1.0, 0.35, (n, SIDE, SIDE)).astype(np.float32) + bumps
    maps[::7] = np.round(maps[::7], 4)
    return maps, masks


def npy_bytes(arr):
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def join_case(out, n):
    """n 4x4 maps in n/2 folders with their masks, and a shuffled scores file."""
    rng = np.random.default_rng(4242 + n)
    maps = rng.random((n, 4, 4), dtype=np.float32) * np.float32(0.5)
    maps[1::2, 1:3, 1:3] += np.float32(0.4)
    empty, marked = np.zeros((4, 4), np.uint8), np.zeros((4, 4), np.uint8)
    marked[1:3, 1:3] = 1
    masks = [npy_bytes(empty), npy_bytes(marked)]
    width = len(str(max(n // 2 - 1, 0)))
    rows = []
    for i in range(n):
        folder = f"d{i // 2:0{width}d}"
        for sub in (("maps", "test"), ("masks", "ground_truth")):
            if i % 2 == 0:
                os.makedirs(os.path.join(out, *sub, folder), exist_ok=True)
        name = f"{i:06d}"
        with open(os.path.join(out, "maps", "test", folder, name + ".npy"), "wb") as f:
            f.write(npy_bytes(maps[i]))
        with open(os.path.join(out, "masks", "ground_truth", folder, name + "_mask.npy"),
                  "wb") as f:
            f.write(masks[i % 2])
        rows.append(f"bottle/test/{folder}/{name}.png,{i % 2},{float(maps[i].max())!r}\n")
    random.Random(n).shuffle(rows)
    with open(os.path.join(out, "scores.csv"), "w") as f:
        f.write("image_path,label,score\n")
        f.writelines(rows)


def main():
    out, pixels = sys.argv[1], int(float(sys.argv[2]))
    kind = sys.argv[3] if len(sys.argv) > 3 else "stacked"
    if kind == "join":
        join_case(out, pixels)
        return
    n = max(1, round(pixels / (SIDE * SIDE)))
    rng = np.random.default_rng(12345 + n)
    os.makedirs(out, exist_ok=True)
    if kind == "stacked":
        maps = np.lib.format.open_memmap(os.path.join(out, "maps.npy"), "w+", np.float32,
                                         (n, SIDE, SIDE))
        masks = np.lib.format.open_memmap(os.path.join(out, "masks.npy"), "w+", np.bool_,
                                          (n, SIDE, SIDE))
        for start in range(0, n, 256):
            m, k = images(rng, min(256, n - start))
            maps[start:start + len(m)] = m
            masks[start:start + len(k)] = k
        maps.flush()
        masks.flush()
        return
    import tifffile
    from PIL import Image
    defects = ["good", "crack", "scratch", "hole", "stain"]
    for start in range(0, n, 256):
        m, k = images(rng, min(256, n - start))
        for j in range(len(m)):
            i = start + j
            defect = "good" if not k[j].any() else defects[1 + i % 4]
            d = os.path.join(out, "maps", "test", defect)
            os.makedirs(d, exist_ok=True)
            tifffile.imwrite(os.path.join(d, f"{i:05d}.tiff"), m[j], compression="zlib")
            if defect != "good":
                g = os.path.join(out, "masks", "ground_truth", defect)
                os.makedirs(g, exist_ok=True)
                Image.fromarray(k[j].astype(np.uint8) * 255).save(
                    os.path.join(g, f"{i:05d}_mask.png"))


if __name__ == "__main__":
    main()
