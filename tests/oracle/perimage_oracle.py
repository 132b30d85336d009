#!/usr/bin/python3
"""Cross-check adthresh's per-image list (--per-image) against numpy.

The suite writes

  - a SCORES CSV (image_path,gt_label,pred_score) of ids such as
    bottle/test/<defect>/NNN.png in random order, scores with heavy ties,
    some ids in no folder and one folder whose name holds a comma;
  - result folders in the MVTec AD layout

        <case>/maps/test/<defect>/<id>.npy             float32 or float64 maps
        <case>/gt/ground_truth/<defect>/<id>_mask.png  0/255 masks (none for good/)

    of maps of different sizes with tied values (levels such as 0.1, 0.3
    and 0.7, which float32 cannot hold, and multiples of 1/8), a defect
    image whose mask is empty, and a SCORES CSV for them in random order;
  - a batch of two such categories, one with results/<category>/scores.csv;

runs `adthresh --per-image FILE -f json -o REPORT ...` and recounts every row
with numpy at the thresholds the JSON report gives (image.threshold,
pixel.threshold) and its rule (>= or >):

  header     [category,]image,folder,label,score,predicted,outcome and, with
             maps, pixels,anomalous_pixels,pixel_tp,pixel_fp,pixel_fn,pixel_tn
  order      every image listed once, in input order: the rows of SCORES when
             there are no maps; else the maps as the folder walk pairs them
             (sorted by path component), ids being the map's path below
             test/ without extension; in a batch the categories by name
  image      the id; folder its last folder ("" for none); label; score, whose
             text reads back as the very double of the input (the SCORES
             file's, or the float32/float64 map maximum); predicted =
             score >= t (or > t) in float64; outcome TP/FP/FN/TN from both
  pixels     map size, mask's anomalous pixels, and tp, fp, fn, tn of
             map.astype(float64) >= t (or > t) against the mask
  sums       the rows' outcomes and pixel counts add up to the report's
             tp, fp, fn, tn of each level

Runs: scores alone (>=, >, a given threshold equal to a tied score); maps of
each precision with map maxima and with the SCORES file, each under >= and >,
and with given thresholds equal to a tied map maximum and a tied pixel value;
the batch under >= and >; and `--per-image -` gives the bytes of the file.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/perimage_oracle.py

Environment:
  ADTHRESH=PATH    the binary (default build/adthresh; relative to the repo root)
  ORACLE_KEEP=DIR  write the files to a new folder in DIR and keep them

Output: one line per failure (`FAIL name: ...`), `perimage-oracle: R runs in S
s` and, last, `perimage-oracle: N passed, M failed`.  Exit status 1 if
anything failed.
"""

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import first_line, run  # noqa: E402

with harness.needs("perimage-oracle", "numpy and PIL"):
    import numpy as np
    from PIL import Image

SEED = 1313
IMAGE_COLUMNS = ["label", "score", "predicted", "outcome"]
PIXEL_COLUMNS = ["pixels", "anomalous_pixels", "pixel_tp", "pixel_fp", "pixel_fn", "pixel_tn"]
NORMAL = ("good", "ok", "normal")


@dataclass
class Img:
    """One image as adthresh should list it."""

    id: str  # as the row names it
    label: int
    score: float
    values: object = None  # the map (float32 or float64), or None
    mask: object = None  # bool array, or None


def flagged(x, t, rule):
    return x > t if rule == ">" else x >= t


def folder_of(id_):
    parts = id_.replace("\\", "/").split("/")
    return parts[-2] if len(parts) > 1 and parts[-2] else ""


def outcome(label, pred):
    return ("T" if label == pred else "F") + ("P" if pred else "N")


# ---------------------------------------------------------------------------
# Data


def write_scores_csv(path, images):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["image_path", "gt_label", "pred_score"])
        for im in images:
            w.writerow([im.id, im.label, repr(im.score)])


def scores_case(rng):
    """Images of a SCORES file alone, in file order."""
    images = []
    for d, n, label in (("good", 7, 0), ("crack", 5, 1), ("a,b", 3, 1), ("hole", 4, 1)):
        for k in range(n):
            images.append(Img(f"bottle/test/{d}/{k:03d}.png", label, 0.0))
    images += [Img("loose.png", 0, 0.0), Img("other.png", 1, 0.0)]
    scores = np.round(rng.random(len(images)) * 12) / 8
    for im, s in zip(images, scores):
        im.score = float(s)
    images[3].score = 0.1 + 0.2  # a double no short decimal names
    order = rng.permutation(len(images))
    return [images[i] for i in order]


def map_values(rng, shape, mask, dtype):
    """Tied values: levels 0.1/0.3/0.7 on some maps, multiples of 1/8 on others."""
    if rng.random() < 0.5:
        v = rng.choice([0.1, 0.3, 0.7], size=shape) + 0.7 * mask
    else:
        v = np.round(rng.random(shape) * 8) / 8 + 0.25 * mask
    return v.astype(dtype)


def build_folder(root, rng, dtype, defects=(("good", 4), ("crack", 3), ("scratch", 2))):
    """maps/test/<defect>/<id>.npy and gt/ground_truth/<defect>/<id>_mask.png;
    returns the images in the order adthresh walks them."""
    images = []
    for d, n in defects:
        (root / "maps" / "test" / d).mkdir(parents=True, exist_ok=True)
        if d not in NORMAL:
            (root / "gt" / "ground_truth" / d).mkdir(parents=True, exist_ok=True)
        for k in range(n):
            h, w = int(rng.integers(6, 20)), int(rng.integers(6, 20))
            mask = np.zeros((h, w), dtype=bool)
            if d not in NORMAL and not (d == "scratch" and k == 0):  # one empty mask
                y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
                mask[y:y + 3, x:x + int(rng.integers(1, 4))] = True
            values = map_values(rng, (h, w), mask, dtype)
            np.save(root / "maps" / "test" / d / f"{k:03d}.npy", values)
            if d not in NORMAL:
                Image.fromarray(mask.astype(np.uint8) * 255).save(
                    root / "gt" / "ground_truth" / d / f"{k:03d}_mask.png")
            images.append(Img(f"{d}/{k:03d}", int(mask.any()), float(values.max()),
                              values, mask))
    images.sort(key=lambda im: im.id.split("/"))
    return images


def with_scores(images, rng, path, prefix):
    """A SCORES CSV for the maps in random order (labels by folder); the images
    with those scores and labels, still in map order."""
    scored = [Img(im.id, int(folder_of(im.id) not in NORMAL),
                  float(np.round(rng.random() * 10) / 8), im.values, im.mask)
              for im in images]
    rows = [Img(f"{prefix}{im.id}.png", im.label, im.score) for im in scored]
    write_scores_csv(path, [rows[i] for i in rng.permutation(len(rows))])
    return scored


# ---------------------------------------------------------------------------
# Checks


def check_rows(rows, images, doc, category=None):
    """The rows of one category against its images and its report."""
    problems = []
    where = f"{category}: " if category else ""
    ids = [r["image"] for r in rows]
    want = [im.id for im in images]
    if ids != want:
        return [f"{where}rows {ids[:6]}..., expected {want[:6]}... ({len(ids)} rows, "
                f"{len(want)} images)"]
    if len(set(ids)) != len(ids):
        problems.append(f"{where}an image listed twice")
    levels = {lv: doc.get(lv) for lv in ("image", "pixel") if isinstance(doc.get(lv), dict)}
    sums = {lv: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for lv in levels}
    for r, im in zip(rows, images):
        at = f"{where}{im.id}"
        exp = {"folder": folder_of(im.id)}
        if "image" in levels:
            lv = levels["image"]
            pred = int(flagged(im.score, lv["threshold"], lv["rule"]))
            exp.update(label=str(im.label), predicted=str(pred),
                       outcome=outcome(im.label, pred))
            try:
                if float(r["score"]) != im.score:
                    problems.append(f"{at}: score {r['score']!r} reads back as "
                                    f"{float(r['score'])!r}, expected {im.score!r}")
            except ValueError:
                problems.append(f"{at}: score {r['score']!r} is not a number")
            sums["image"][exp["outcome"].lower()] += 1
        if "pixel" in levels:
            lv = levels["pixel"]
            hit = flagged(im.values.astype(np.float64), lv["threshold"], lv["rule"])
            tp, fp = int((hit & im.mask).sum()), int((hit & ~im.mask).sum())
            pos = int(im.mask.sum())
            c = {"pixel_tp": tp, "pixel_fp": fp, "pixel_fn": pos - tp,
                 "pixel_tn": im.values.size - pos - fp}
            exp.update({k: str(v) for k, v in c.items()},
                       pixels=str(im.values.size), anomalous_pixels=str(pos))
            for k in ("tp", "fp", "fn", "tn"):
                sums["pixel"][k] += c["pixel_" + k]
        got = {k: r.get(k) for k in exp}
        for k in exp:
            if got[k] != exp[k]:
                problems.append(f"{at}: {k} {got[k]!r}, expected {exp[k]!r}")
    for lv, s in sums.items():
        for k, v in s.items():
            if levels[lv].get(k) != v:
                problems.append(f"{where}{lv}.{k} {levels[lv].get(k)!r}, the rows add up "
                                f"to {v}")
    return problems[:20]


def header_of(batch, image, pixel):
    return (["category"] if batch else []) + ["image", "folder"] + \
        (IMAGE_COLUMNS if image else []) + (PIXEL_COLUMNS if pixel else [])


def run_list(work, args, tag):
    """Runs adthresh with --per-image FILE and the JSON report in another file:
    (report, rows, header, problems)."""
    listing, report = work / f"{tag}.csv", work / f"{tag}.json"
    rc, out, err = run(["--per-image", listing, "-f", "json", "-o", report, *args])
    if rc != 0:
        return None, None, None, [f"exit {rc}: {first_line(err)}"]
    if out:
        return None, None, None, [f"stdout: expected nothing, got {first_line(out)}"]
    doc = json.loads(report.read_text(encoding="utf-8"))
    text = listing.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = [dict(zip(header, r)) for r in reader]
    bad = [r for r in rows if len(r) != len(header)]
    return doc, rows, header, [f"a row of {len(bad[0])} fields"] if bad else []


def check_single(work, suite, name, args, images, image=True, pixel=True):
    doc, rows, header, problems = run_list(work, args, name)
    if doc is not None and not problems:
        want = header_of(False, image, pixel)
        if header != want:
            problems.append(f"header {header}, expected {want}")
        else:
            problems += check_rows(rows, images, doc)
    suite.record(name, problems, " ".join(map(str, args)))
    return doc


def tied_value(values):
    """A value many samples share, not the lowest or highest."""
    u, c = np.unique(np.asarray(values, dtype=np.float64), return_counts=True)
    inner = [i for i in np.argsort(-c, kind="stable") if 0 < i < len(u) - 1]
    return float(u[inner[0]] if inner else u[len(u) // 2])


def check_scores(work, suite):
    rng = np.random.default_rng(SEED)
    images = scores_case(rng)
    path = work / "scores.csv"
    write_scores_csv(path, images)
    for rule in ("ge", "gt"):
        check_single(work, suite, f"scores-{rule}", ["--rule", rule, path], images, pixel=False)
    t = tied_value([im.score for im in images])
    check_single(work, suite, "scores-given-gt",
                 ["--rule", "gt", "--image-threshold", repr(t), path], images, pixel=False)
    # standard output holds the very bytes of the file
    rc, out, err = run(["--per-image", "-", "-o", work / "r.txt", path])
    problems = [] if rc == 0 else [f"exit {rc}: {first_line(err)}"]
    if rc == 0:
        run(["--per-image", work / "same.csv", "-o", work / "r.txt", path])
        if out != (work / "same.csv").read_text(encoding="utf-8"):
            problems.append("--per-image - and --per-image FILE differ")
    suite.record("scores-stdout", problems, f"--per-image - {path}")


def check_maps(work, suite):
    for dtype, tag in ((np.float32, "f32"), (np.float64, "f64")):
        rng = np.random.default_rng(SEED + (1 if tag == "f32" else 2))
        root = work / tag
        images = build_folder(root, rng, dtype)
        base = ["--maps", root / "maps", "--masks", root / "gt"]
        scored = with_scores(images, rng, root / "scores.csv", "bottle/test/")
        for rule in ("ge", "gt"):
            check_single(work, suite, f"{tag}-maxima-{rule}", base + ["--rule", rule], images)
            check_single(work, suite, f"{tag}-scores-{rule}",
                         base + ["--rule", rule, root / "scores.csv"], scored)
        t_img = tied_value([im.score for im in images])
        t_px = tied_value(np.concatenate([im.values.ravel() for im in images]))
        for rule in ("ge", "gt"):
            check_single(work, suite, f"{tag}-given-{rule}",
                         base + ["--rule", rule, "--image-threshold", repr(t_img),
                                 "--pixel-threshold", repr(t_px)], images)


def check_batch(work, suite):
    results, dataset = work / "batch" / "results", work / "batch" / "dataset"
    want = {}
    for i, (cat, dtype) in enumerate((("capsule", np.float32), ("zipper", np.float64))):
        rng = np.random.default_rng(SEED + 10 + i)
        stage = work / "batch" / "stage" / cat
        images = build_folder(stage, rng, dtype, (("good", 3), ("broken", 3), ("rough", 2)))
        results.mkdir(parents=True, exist_ok=True)
        dataset.mkdir(parents=True, exist_ok=True)
        (stage / "maps").rename(results / cat)
        (stage / "gt").rename(dataset / cat)
        if i == 1:
            images = with_scores(images, rng, results / cat / "scores.csv", f"{cat}/test/")
        want[cat] = images
    for rule in ("ge", "gt"):
        args = ["--batch", "--maps", results, "--masks", dataset, "--rule", rule]
        doc, rows, header, problems = run_list(work, args, f"batch-{rule}")
        if doc is not None and not problems:
            if header != header_of(True, True, True):
                problems.append(f"header {header}")
            cats = [r["category"] for r in rows]
            if cats != sorted(cats) or sorted(set(cats)) != sorted(want):
                problems.append(f"categories {sorted(set(cats))} out of order or not "
                                f"{sorted(want)}")
            for cat, images in want.items():
                problems += check_rows([r for r in rows if r["category"] == cat], images,
                                       doc["categories"][cat], cat)
        suite.record(f"batch-{rule}", problems, " ".join(map(str, args)))


def check_all(work, suite):
    check_scores(work, suite)
    check_maps(work, suite)
    check_batch(work, suite)


def main():
    return harness.run_suite("perimage-oracle", check_all)


if __name__ == "__main__":
    sys.exit(main())
