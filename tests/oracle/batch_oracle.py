#!/usr/bin/python3
"""Cross-check adthresh's batch mode and threshold transfer against numpy and scikit-learn.

The suite writes a result tree and a data set in the MVTec AD layout

    results/<category>/test/<defect>/<id>.<ext>            anomaly maps
    results/<category>/scores.csv                          image scores (some categories)
    dataset/<category>/ground_truth/<defect>/<id>_mask.<ext>
    dataset/<category>/test/good/000.png                   a decoy image, never read

with six categories of different map formats (float32/float64 TIFF, NPY, 8-bit
PNG, mixtures), value kinds (Gaussian, quantised with heavy ties, constructed
exact F1 ties) and image levels (from a scores.csv with or without labels, or
from the maps), plus a folder of image-level score files (CSV/TSV, JSON, JSON
Lines; one category each, named by stem).  It builds the data with
pixel_oracle.py's and oracle.py's writers and reference code, and checks
every category's "image" and "pixel" object exactly as pixel_oracle.py does
(threshold and counts exact, in the maps' own precision; metrics within
1e-12), and the "mean" object (the arithmetic mean of f1, precision, recall,
auroc and ap over the categories, null when one is null; within 1e-12).

Runs, each one test:

  chosen           --batch --save-thresholds T: every category and the mean;
                   the saved file holds exactly the reported thresholds
  chosen-gt        the same with --rule gt (counted with >)
  threads-1/3      byte-identical to the chosen run
  reapply, reapply-gt
                   --thresholds T (and T_gt with --rule gt): policy "given",
                   the counts of the chosen run exactly, every field as the
                   reference for that given threshold
  given-between    --image-threshold X --pixel-threshold Y between two
                   distinct scores (Y not representable in float32)
  given-at-score-gt  X and Y equal to scores, with --rule gt
  given-outside    X above every score, Y below every score
  given-below-image-min  X below every image score, Y above every pixel
  file-per-category  a hand-written thresholds file with its own thresholds per
                   category (one ulp off a score, in double)
                   For every given threshold t the counts must equal numpy's
                   count of (score >= t) (or > t) with the score widened
                   exactly to float64.
  single-CATEGORY  the category alone (--maps results/C --masks dataset/C
                   [scores]) gives the batch's objects; its --save-thresholds
                   file applied again gives the same counts
  broken-stops, keep-going
                   a seventh category with a NaN pixel: without --keep-going,
                   exit 2, nothing on stdout, the category named on stderr;
                   with it, exit 2, the others as in the chosen run, the broken
                   one {"error": ...}, the mean over the others
  scores-folder, scores-folder-given
                   --batch FOLDER of score files, chosen and given
  mvtec-ad2        the same maps and masks rearranged as MVTec AD 2 (see
                   build_ad2), --batch --map-maxima: every category's pixel
                   level as in the chosen run, its image level from the map
                   maxima and mask labels; then --split validation with
                   --policy fpr:0.1 --allow-one-class on its normal maps
  visa             the same as VisA (see build_visa), masks named as their maps

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/batch_oracle.py

Environment:
  ADTHRESH=PATH    the binary (default build/adthresh; relative to the repo root)
  ORACLE_KEEP=DIR  write the files to a new folder in DIR and keep them

Output: one line per failure (`FAIL run: ...`), `batch-oracle: R runs in S s`
and, last, `batch-oracle: N passed, M failed`.  Exit status 1 if anything
failed.
"""

import json
import math
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import first_line, parse_json, run  # noqa: E402

with harness.needs("batch-oracle", "numpy, scikit-learn, tifffile and PIL"):
    import numpy as np
    import tifffile
    from PIL import Image
    from sklearn.metrics import f1_score, precision_score, recall_score

import oracle as image_oracle  # noqa: E402
import pixel_oracle as px  # noqa: E402

TOLERANCE = image_oracle.TOLERANCE
SEED = 20241201
MEAN_FIELDS = ("f1", "precision", "recall", "auroc", "ap")
LEVELS = ("image", "pixel")

# name -> pixel_oracle.Spec arguments (name, maps, masks, kind, size, defects,
# per_defect, good) and the image scores: "" (from the maps), "csv", "csv-nolabel"
CATEGORIES = [
    ("bottle", ("tif32", "png255", "gauss", (48, 48), 2, 3, 3), "csv"),
    ("cable", ("npy4", "npybool", "quantised", (32, 40), 3, 2, 2), ""),
    ("capsule", ("png8", "png01", "unit", (40, 40), 2, 2, 3), "csv-nolabel"),
    ("grid", ("tif64", "tiffu8", "gauss", (24, 36), 2, 3, 2), ""),
    ("screw", ("tif32", "png255", "f1-tie", (40, 40), 2, 3, 2), ""),
    ("zipper", (("tif32", "tif32z", "npy4", "tif16", "png16"), ("png255", "npybool", "tiffu8"),
                "smooth", "vary", 3, 2, 2), "csv"),
]

# image-level score files: (stem, generator, n, positives, writer)
SCORE_FILES = [
    ("carpet", "gauss", 60, 20, "csv"),
    ("leather", "rounded", 45, 30, "json"),
    ("metal_nut", "detector", 80, 25, "csv"),
    ("tile", "f1-tie", 50, 16, "json"),
]


# ---------------------------------------------------------------------------
# Data


class Category:
    """What adthresh sees for one category: pooled pixels and image scores."""

    def __init__(self, name, values, labels, img_scores, img_labels):
        self.name = name
        self.values = values          # float32 or float64, every pixel
        self.labels = labels          # bool
        self.img_scores = np.asarray(img_scores, dtype=np.float64)
        self.img_labels = np.asarray(img_labels, dtype=np.int64)
        self.sweep = px.f1_max_sweep(values, labels) if values is not None else None
        self.px = (px.expected_levels(values, labels, self.sweep, (">=", ">"))
                   if values is not None else None)
        self.img = {rule: px.expected_image(self.img_scores, self.img_labels, rule)
                    for rule in (">=", ">")}
        self.scores_path = None

    def expected(self, rule):
        out = {"image": self.img[rule]}
        if self.px is not None:
            out["pixel"] = self.px[rule]
        return out


def build_tree(work):
    """Writes results/ and dataset/; returns [Category] in name order."""
    results, dataset, stage = work / "results", work / "dataset", work / "stage"
    cats = []
    for i, (name, args, scores) in enumerate(CATEGORIES):
        spec = px.Spec(name, *args, scores=scores, index=i, seed=SEED + 7919 * i)
        rng = np.random.default_rng(spec.seed)
        built = px.build_folder(spec, rng, stage / name)
        results.mkdir(parents=True, exist_ok=True)
        dataset.mkdir(parents=True, exist_ok=True)
        (stage / name / "maps").rename(results / name)  # holds test/
        (stage / name / "gt").rename(dataset / name)    # holds ground_truth/
        decoy = dataset / name / "test" / "good" / "000.png"  # the data set's own images
        decoy.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((5, 7, 3), 200, np.uint8)).save(decoy)
        values, labels = px.pooled(built.items)
        if scores:
            path, img_scores, img_labels = px.write_scores(spec, rng, built, results / name)
        else:
            path = None
            img_scores = [float(it.values.max()) for it in built.items]
            img_labels = [int(it.mask.any()) for it in built.items]
        cat = Category(name, values, labels, img_scores, img_labels)
        cat.scores_path = path
        cat.items = built.items
        cats.append(cat)
    shutil.rmtree(stage)
    (results / "README.txt").write_text("not a category\n", encoding="utf-8")
    return cats


def build_broken(work):
    """A copy of results/ and dataset/ with a seventh category whose map has a NaN."""
    results, dataset = work / "broken" / "results", work / "broken" / "dataset"
    shutil.copytree(work / "results", results)
    shutil.copytree(work / "dataset", dataset)
    bad = np.full((6, 6), 0.25, np.float32)
    bad[2, 4] = np.nan
    (results / "hazelnut" / "test" / "crack").mkdir(parents=True)
    tifffile.imwrite(results / "hazelnut" / "test" / "crack" / "000.tiff", bad,
                     photometric="minisblack")
    (dataset / "hazelnut" / "ground_truth" / "crack").mkdir(parents=True)
    Image.fromarray(np.full((6, 6), 255, np.uint8)).save(
        dataset / "hazelnut" / "ground_truth" / "crack" / "000_mask.png")
    return results, dataset


def build_scores_folder(work):
    folder = work / "scores"
    folder.mkdir()
    cats = []
    for i, (stem, kind, n, k, writer) in enumerate(SCORE_FILES):
        rng = np.random.default_rng(SEED + 31 * i + 5)
        scores, labels = image_oracle.GENERATORS[kind](rng, n, k)
        scores = np.asarray(scores, dtype=np.float64)
        labels = np.asarray(labels, dtype=np.int64)
        if writer == "csv":
            image_oracle.write_csv(folder / f"{stem}.csv", rng, scores, labels)
        else:
            image_oracle.write_json(folder / f"{stem}.json", rng, scores, labels)
        cats.append(Category(stem, None, None, scores, labels))
    (folder / "notes.txt").write_text("not a score file\n", encoding="utf-8")
    return folder, cats


# ---------------------------------------------------------------------------
# References for given thresholds and means


def expected_given(values, labels, t, rule, chosen):
    """Every field of a level object when threshold t is given: counts by numpy
    on the values widened exactly to float64, ratios by sklearn, the rest as
    in the chosen run's reference `chosen`."""
    v = np.asarray(values).astype(np.float64)
    y = np.asarray(labels).astype(bool)
    pred = v >= t if rule == ">=" else v > t
    tp = int(np.count_nonzero(pred & y))
    fp = int(np.count_nonzero(pred & ~y))
    P = int(np.count_nonzero(y))
    fn, tn = P - tp, len(y) - P - fp
    yi, pi = y.astype(np.int8), pred.astype(np.int8)
    return {
        **chosen,
        "threshold": float(t), "rule": rule, "policy": "given",
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "f1": None if 2 * tp + fp + fn == 0 else float(f1_score(yi, pi, zero_division=0)),
        "precision": None if tp + fp == 0 else float(precision_score(yi, pi, zero_division=0)),
        "recall": None if P == 0 else float(recall_score(yi, pi, zero_division=0)),
    }


def given_levels(cat, rule, t_image, t_pixel):
    out = {"image": expected_given(cat.img_scores, cat.img_labels, t_image, rule, cat.img[rule])}
    if cat.px is not None:
        out["pixel"] = expected_given(cat.values, cat.labels, t_pixel, rule, cat.px[rule])
    return out


def expected_mean(per_category):
    """{level: {"categories": k, field: mean or None}} over [{level: object}]."""
    out = {}
    for level in LEVELS:
        objs = [c[level] for c in per_category if level in c]
        if not objs:
            continue
        m = {"categories": len(objs)}
        for f in MEAN_FIELDS:
            vals = [o[f] for o in objs]
            m[f] = None if any(v is None for v in vals) else math.fsum(vals) / len(vals)
        out[level] = m
    return out


# ---------------------------------------------------------------------------
# Comparing


def compare_mean(want, got):
    problems = []
    if not isinstance(got, dict):
        return [f"mean: not an object: {got!r}"]
    if set(got) != set(want):
        problems.append(f"mean: levels {sorted(got)}, expected {sorted(want)}")
    for level, w in want.items():
        g = got.get(level)
        if not isinstance(g, dict):
            continue
        if g.get("categories") != w["categories"]:
            problems.append(f"mean.{level}.categories: expected {w['categories']}, "
                            f"got {g.get('categories')!r}")
        for f in MEAN_FIELDS:
            v = g.get(f, image_oracle.MISSING)
            if w[f] is None:
                if v is not None:
                    problems.append(f"mean.{level}.{f}: expected null, got {v!r}")
            elif not (image_oracle._is_number(v) and abs(float(v) - w[f]) <= TOLERANCE):
                problems.append(f"mean.{level}.{f}: expected {w[f]!r}, got {v!r}")
    return problems


def compare_batch(doc, expected, failed=None):
    """expected: {category: {level: object}}; failed: names expected as {"error": ...}."""
    problems = []
    failed = failed or []
    cats = doc.get("categories")
    if not isinstance(cats, dict):
        return ["categories: missing or not an object"]
    names = list(cats)
    want_names = sorted(list(expected) + failed)
    if names != want_names:
        problems.append(f"categories: {names}, expected {want_names} (sorted)")
    for name, levels in expected.items():
        got = cats.get(name)
        if not isinstance(got, dict):
            problems.append(f"{name}: missing")
            continue
        if set(got) != set(levels):
            problems.append(f"{name}: levels {sorted(got)}, expected {sorted(levels)}")
        for level, want in levels.items():
            if isinstance(got.get(level), dict):
                problems += [f"{name}.{level}.{p}"
                             for p in image_oracle.compare_image(want, got[level])]
    for name in failed:
        got = cats.get(name)
        if not (isinstance(got, dict) and set(got) == {"error"} and
                isinstance(got["error"], str) and got["error"]):
            problems.append(f"{name}: expected {{\"error\": ...}}, got {got!r}")
    problems += compare_mean(expected_mean(list(expected.values())), doc.get("mean"))
    # the mean must also be the mean of what adthresh reported for the categories
    reported = [cats[n] for n in expected if isinstance(cats.get(n), dict)]
    try:
        problems += [f"(self-consistency) {p}"
                     for p in compare_mean(expected_mean(reported), doc.get("mean"))]
    except (TypeError, KeyError) as exc:
        problems.append(f"mean: cannot recompute from the categories ({exc!r})")
    return problems


def counts(obj):
    return tuple(obj.get(k) for k in ("tp", "fp", "fn", "tn"))


def read_saved(path, batch, rule):
    """{category or None: {level: threshold}} from a --save-thresholds file."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if doc.get("rule") != rule:
        raise ValueError(f"rule {doc.get('rule')!r}, expected {rule!r}")
    if batch:
        return {c: {lv: o["threshold"] for lv, o in v.items()}
                for c, v in doc["categories"].items()}
    return {None: {lv: doc[lv]["threshold"] for lv in LEVELS if lv in doc}}


# ---------------------------------------------------------------------------


def ulp_between(a, b):
    """A double strictly between the float64 values a < b, and no float32 value
    when there is one (the midpoint, or the double after it), so that a
    threshold rounded to float32 would count differently."""
    a, b = float(a), float(b)
    mid = a + (b - a) / 2
    if not a < mid < b:  # adjacent doubles: nothing between, use a
        return a
    if float(np.float32(mid)) == mid and float(np.nextafter(mid, b)) < b:
        mid = float(np.nextafter(mid, b))
    return mid


def check_all(work, suite):
    cats = build_tree(work)
    by_name = {c.name: c for c in cats}
    results, dataset = work / "results", work / "dataset"
    base = ["--batch", "--format", "json", "--maps", results, "--masks", dataset]

    def expected_all(rule):
        return {c.name: c.expected(rule) for c in cats}

    # chosen (>= and >), with the thresholds saved
    saved = {}
    chosen_docs = {}
    for rule, flag, tag in ((">=", [], "chosen"), (">", ["--rule", "gt"], "chosen-gt")):
        path = work / f"{tag}.thresholds.json"
        rc, out, err = run(base + flag + ["--save-thresholds", path])
        doc, problems = parse_json(rc, out, err)
        if doc is not None:
            problems += compare_batch(doc, expected_all(rule))
            chosen_docs[rule] = (doc, out)
            try:
                s = read_saved(path, True, rule)
                saved[rule] = path
                for c in cats:
                    want = {lv: o["threshold"] for lv, o in c.expected(rule).items()}
                    if s.get(c.name) != want:
                        problems.append(f"saved thresholds of {c.name}: {s.get(c.name)}, "
                                        f"expected {want}")
                if set(s) != set(by_name):
                    problems.append(f"saved categories {sorted(s)}")
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                problems.append(f"saved thresholds file: {exc!r}")
        suite.record(tag, problems, " ".join(map(str, base + flag)))

    # threads: byte-identical output
    for n in (1, 3):
        rc, out, err = run(base + ["--threads", n])
        problems = [] if rc == 0 else [f"exit {rc}: {first_line(err)}"]
        if ">=" in chosen_docs and out != chosen_docs[">="][1]:
            problems.append("output differs from the default run")
        suite.record(f"threads-{n}", problems)

    # saved thresholds applied again: the chosen counts exactly
    for rule, flag, tag in ((">=", [], "reapply"), (">", ["--rule", "gt"], "reapply-gt")):
        if rule not in saved or rule not in chosen_docs:
            suite.record(tag, ["no saved thresholds to apply"])
            continue
        rc, out, err = run(base + flag + ["--thresholds", saved[rule]])
        doc, problems = parse_json(rc, out, err)
        if doc is not None:
            if err.strip():
                problems.append(f"stderr: expected nothing, got {first_line(err)}")
            want = {c.name: given_levels(c, rule, c.expected(rule)["image"]["threshold"],
                                         c.expected(rule).get("pixel", {}).get("threshold"))
                    for c in cats}
            problems += compare_batch(doc, want)
            chosen = chosen_docs[rule][0].get("categories") or {}
            for c in cats:
                for lv in c.expected(rule):
                    a = counts(chosen.get(c.name, {}).get(lv, {}))
                    b = counts(doc.get("categories", {}).get(c.name, {}).get(lv, {}))
                    if a != b:
                        problems.append(f"{c.name}.{lv}: counts {b}, the chosen run's {a}")
        suite.record(tag, problems)

    # given thresholds, the same for every category
    b0 = cats[0]
    img_d = np.unique(b0.img_scores)
    px_d = np.unique(b0.values.astype(np.float64))
    mid = len(px_d) // 2
    lo_all = min(float(c.values.min()) for c in cats)
    img_lo = min(float(c.img_scores.min()) for c in cats)
    img_hi = max(float(c.img_scores.max()) for c in cats)
    given_runs = [
        ("given-between", ">=", ulp_between(img_d[len(img_d) // 2], img_d[len(img_d) // 2 + 1]),
         ulp_between(px_d[mid], px_d[mid + 1])),
        ("given-at-score-gt", ">", float(img_d[1]), float(px_d[mid])),
        ("given-outside", ">=", img_hi * 2 + 1.0 if img_hi > 0 else 1e300,
         lo_all - abs(lo_all) - 1.0),
        ("given-below-image-min", ">=", img_lo - 1.0, float(px_d[-1]) + 1.0),
    ]
    for tag, rule, ti, tp_ in given_runs:
        flag = ["--rule", "gt"] if rule == ">" else []
        args = base + flag + ["--image-threshold", repr(ti), "--pixel-threshold", repr(tp_)]
        rc, out, err = run(args)
        doc, problems = parse_json(rc, out, err)
        if doc is not None:
            problems += compare_batch(doc, {c.name: given_levels(c, rule, ti, tp_) for c in cats})
        suite.record(tag, problems, f"image threshold {ti!r}, pixel threshold {tp_!r}, {rule}")

    # a hand-written per-category file, thresholds one ulp off a score (in double)
    rng = np.random.default_rng(SEED + 1)
    per = {}
    for c in cats:
        s = float(rng.choice(c.img_scores))
        p = float(rng.choice(c.values.astype(np.float64)))
        per[c.name] = {"image": float(np.nextafter(s, -np.inf)),
                       "pixel": float(np.nextafter(p, np.inf))}
    lines = ['{"adthresh": "0.1.0", "rule": ">=",', ' "categories": {']
    items = []
    for name, t in per.items():
        items.append(f'  "{name}": {{"image": {{"threshold": {t["image"]!r}}}, '
                     f'"pixel": {{"threshold": {t["pixel"]!r}}}}}')
    lines.append(",\n".join(items) + "}}")
    hand = work / "hand.thresholds.json"
    hand.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, out, err = run(base + ["--thresholds", hand])
    doc, problems = parse_json(rc, out, err)
    if doc is not None:
        problems += compare_batch(doc, {c.name: given_levels(c, ">=", per[c.name]["image"],
                                                             per[c.name]["pixel"])
                                        for c in cats})
    suite.record("file-per-category", problems, str(hand))

    # each category alone, and its own thresholds file: a single run of
    # the category folder finds its scores file as the batch does
    chosen = chosen_docs.get(">=", ({}, ""))[0].get("categories", {})
    for c in cats:
        t = work / f"single-{c.name}.json"
        args = ["--format", "json", "--maps", results / c.name, "--masks", dataset / c.name]
        rc, out, err = run(args + ["--save-thresholds", t])
        doc, problems = parse_json(rc, out, err)
        if doc is not None:
            for lv, want in c.expected(">=").items():
                problems += [f"{lv}.{p}" for p in image_oracle.compare_image(want, doc.get(lv, {}))]
                if chosen.get(c.name, {}).get(lv) != doc.get(lv):
                    problems.append(f"{lv}: differs from the batch run's {c.name}.{lv}")
            source = Path(c.scores_path).name if c.scores_path else "map maxima"
            if doc.get("image", {}).get("source") != source:
                problems.append(f"image.source: {doc.get('image', {}).get('source')!r}, "
                                f"expected {source!r}")
            rc2, out2, err2 = run(args + ["--thresholds", t])
            doc2, p2 = parse_json(rc2, out2, err2)
            problems += [f"reapplied: {p}" for p in p2]
            if doc2 is not None:
                for lv in c.expected(">="):
                    g = doc2.get(lv, {})
                    if counts(g) != counts(doc.get(lv, {})) or g.get("policy") != "given":
                        problems.append(f"reapplied {lv}: counts {counts(g)} policy "
                                        f"{g.get('policy')!r}, chosen {counts(doc.get(lv, {}))}")
        suite.record(f"single-{c.name}", problems, " ".join(map(str, args)))

    # a broken category: stops the run, or is listed with --keep-going
    bres, bdata = build_broken(work)
    bbase = ["--batch", "--format", "json", "--maps", bres, "--masks", bdata]
    rc, out, err = run(bbase)
    problems = []
    if rc != 2:
        problems.append(f"exit: expected 2, got {rc}")
    if out.strip():
        problems.append(f"stdout: expected nothing, got {first_line(out)}")
    if not re.search(r"hazelnut", err) or not re.search(r"NaN", err):
        problems.append(f"stderr: expected the category and NaN, got {first_line(err)!r}")
    suite.record("broken-stops", problems)
    rc, out, err = run(bbase + ["--keep-going"])
    doc, problems = parse_json(rc, out, err, want_rc=2)
    if doc is not None:
        problems += compare_batch(doc, expected_all(">="), failed=["hazelnut"])
        if ">=" in chosen_docs and doc.get("mean") != chosen_docs[">="][0].get("mean"):
            problems.append("mean differs from the run without the broken category")
        if "hazelnut" not in err:
            problems.append(f"stderr: expected the category, got {first_line(err)!r}")
    suite.record("keep-going", problems)

    # a folder of score files
    folder, scats = build_scores_folder(work)
    rc, out, err = run(["--batch", "--format", "json", folder])
    doc, problems = parse_json(rc, out, err)
    if doc is not None:
        problems += compare_batch(doc, {c.name: c.expected(">=") for c in scats})
    suite.record("scores-folder", problems, str(folder))
    allsc = np.unique(np.concatenate([c.img_scores for c in scats]))
    ti = ulp_between(allsc[len(allsc) // 3], allsc[len(allsc) // 3 + 1])
    rc, out, err = run(["--batch", "--format", "json", "--image-threshold", repr(ti), folder])
    doc, problems = parse_json(rc, out, err)
    if doc is not None:
        problems += compare_batch(doc, {c.name: {"image": expected_given(
            c.img_scores, c.img_labels, ti, ">=", c.img[">="])} for c in scats})
    suite.record("scores-folder-given", problems, f"image threshold {ti!r}")

    check_layouts(work, cats, suite)


# ---------------------------------------------------------------------------
# The same maps and masks in the MVTec AD 2 and VisA layouts


def _files(folder, stem):
    """The files of folder named stem.<ext>."""
    return sorted(p for p in folder.glob(stem + ".*") if p.is_file())


def _rearrange(work, cats, place_map, place_mask):
    """Copies each category's maps and masks to the paths place_map(cat, defect,
    id, ext) and place_mask(cat, defect, id, ext) give (None: not copied)."""
    for c in cats:
        for it in c.items:
            defect, ident = it.id.split("/")
            for src in _files(work / "results" / c.name / "test" / defect, ident):
                dst = place_map(c.name, defect, ident, src.suffix)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
            gt = work / "dataset" / c.name / "ground_truth" / defect
            for src in _files(gt, ident + "_mask"):
                dst = place_mask(c.name, defect, ident, src.suffix)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)


def _decoy(path):
    """An image of the data set that is never read as a map or a mask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((5, 7, 3), 200, np.uint8)).save(path, format="PNG")


def build_ad2(work, cats):
    """MVTec AD 2: results/<c>/test_public/{good,bad}/<id>.<ext> (defect images
    renamed <defect>_<id>), validation/good (the good maps again) and
    test_private (never read); dataset/<c>/test_public/ground_truth/bad/
    <defect>_<id>_mask.<ext>, beside the data set's own images."""
    root = work / "ad2"

    def split_of(defect):
        return ("good", "") if defect == "good" else ("bad", defect + "_")

    def place_map(c, defect, ident, ext):
        folder, prefix = split_of(defect)
        return root / "results" / c / "test_public" / folder / f"{prefix}{ident}{ext}"

    def place_mask(c, defect, ident, ext):
        folder, prefix = split_of(defect)
        return (root / "dataset" / c / "test_public" / "ground_truth" / folder /
                f"{prefix}{ident}_mask{ext}")

    _rearrange(work, cats, place_map, place_mask)
    for c in cats:
        res, data = root / "results" / c.name, root / "dataset" / c.name
        shutil.copytree(res / "test_public" / "good", res / "validation" / "good")
        shutil.copytree(res / "test_public" / "good", res / "test_private")
        (res / "test_public" / "bad" / "notes.txt").write_text("hi\n", encoding="utf-8")
        for sub in ("test_public/good/000.png", "test_public/bad/000.png",
                    "validation/good/000.png", "train/good/000.png", "test_private/000.png"):
            _decoy(data / sub)
    return root / "results", root / "dataset"


def build_visa(work, cats):
    """VisA: results/<c>/Data/Images/{Normal,Anomaly}/<id>.<ext> (defect images
    renamed <defect>_<id>); dataset/<c>/Data/Masks/Anomaly/<defect>_<id>.<ext>,
    named as the image, beside the data set's own .JPG images and split_csv/."""
    root = work / "visa"

    def name_of(defect, ident):
        return ("Normal", ident) if defect == "good" else ("Anomaly", f"{defect}_{ident}")

    def place_map(c, defect, ident, ext):
        folder, name = name_of(defect, ident)
        return root / "results" / c / "Data" / "Images" / folder / (name + ext)

    def place_mask(c, defect, ident, ext):
        folder, name = name_of(defect, ident)
        return root / "dataset" / c / "Data" / "Masks" / folder / (name + ext)

    _rearrange(work, cats, place_map, place_mask)
    for c in cats:
        for it in c.items:
            folder, name = name_of(*it.id.split("/"))
            _decoy(root / "dataset" / c.name / "Data" / "Images" / folder / (name + ".JPG"))
    (root / "dataset" / "split_csv").mkdir(parents=True)
    (root / "dataset" / "split_csv" / "1cls.csv").write_text(
        "object,split,label,image,mask\n", encoding="utf-8")
    return root / "results", root / "dataset"


def from_maxima(c, rule, pixel=True, items=None):
    """The levels of category c with its image level from the map maxima and
    the masks (the --map-maxima rule), over items (default all)."""
    items = c.items if items is None else items
    scores = [float(it.values.max()) for it in items]
    labels = [int(it.mask.any()) for it in items]
    out = {"image": px.expected_image(scores, labels, rule)}
    if pixel:
        out["pixel"] = c.px[rule]
    return out


def check_layouts(work, cats, suite):
    """The MVTec AD 2 and VisA trees give the numbers of the MVTec AD tree."""
    for tag, build in (("mvtec-ad2", build_ad2), ("visa", build_visa)):
        results, dataset = build(work, cats)
        args = ["--batch", "--format", "json", "--map-maxima", "-v", "--maps", results,
                "--masks", dataset]
        rc, out, err = run(args)
        doc, problems = parse_json(rc, out, err)
        if doc is not None:
            problems += compare_batch(doc, {c.name: from_maxima(c, ">=") for c in cats})
        if tag == "mvtec-ad2":
            for c in cats:
                for what in (f"{c.name}/test_public/bad/notes.txt: not a map format",
                             f"{c.name}/test_private: a private test split"):
                    if what not in err:
                        problems.append(f"stderr: no note '... {what}'")
        suite.record(tag, problems, " ".join(map(str, args)))
    # MVTec AD 2's validation split: normal maps only, no ground truth
    results, dataset = work / "ad2" / "results", work / "ad2" / "dataset"
    args = ["--batch", "--format", "json", "--map-maxima", "--split", "validation",
            "--policy", "fpr:0.1", "--allow-one-class", "--maps", results, "--masks", dataset]
    rc, out, err = run(args)
    doc, problems = parse_json(rc, out, err)
    if doc is not None:
        got = doc.get("categories") or {}
        for c in cats:
            good = [it for it in c.items if it.id.startswith("good/")]
            values = np.concatenate([it.values.ravel() for it in good])
            g = got.get(c.name, {}).get("pixel", {})
            want = (len(values), 0, len(values))
            if (g.get("n"), g.get("positives"), g.get("negatives")) != want:
                problems.append(f"{c.name}.pixel: n, positives, negatives "
                                f"{(g.get('n'), g.get('positives'), g.get('negatives'))}, "
                                f"expected {want}")
            # fpr:0.1 flags at most a tenth of the normal pixels, and the
            # threshold is the lowest that does
            t = g.get("threshold")
            if not isinstance(t, (int, float)):
                problems.append(f"{c.name}.pixel.threshold: {t!r}")
                continue
            v = values.astype(np.float64)
            fp = int(np.count_nonzero(v >= t))
            if g.get("fp") != fp or fp > 0.1 * len(v):
                problems.append(f"{c.name}.pixel: fp {g.get('fp')!r}, numpy counts {fp} "
                                f"of {len(v)} at {t!r}")
            below = v[v < t]
            if below.size and int(np.count_nonzero(v >= below.max())) <= 0.1 * len(v):
                problems.append(f"{c.name}.pixel: {below.max()!r}, below {t!r}, "
                                f"also meets fpr:0.1")
    suite.record("mvtec-ad2-validation", problems, " ".join(map(str, args)))


def main():
    return harness.run_suite("batch-oracle", check_all)


if __name__ == "__main__":
    sys.exit(main())
