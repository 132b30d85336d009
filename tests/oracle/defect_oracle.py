#!/usr/bin/python3
"""Cross-check adthresh's per-defect breakdown (--per-defect) against numpy.

The suite writes result folders in the MVTec AD layout

    <case>/maps/test/<defect>/<id>.tiff              float32 anomaly maps
    <case>/gt/ground_truth/<defect>/<id>_mask.png    0/255 masks (none for good/)

with 2 to 4 defect folders, defect images whose mask is empty, one folder
whose images all have empty masks, one whose single image is anomalous in
every pixel, and map values with heavy ties (a few levels such as 0.1, 0.3
and 0.7, which float32 cannot hold, or values quantised to 1/4), so that many
pixels and image maxima lie exactly at the chosen thresholds.  It reads the
files back (tifffile, PIL), runs

    adthresh --maps MAPS --masks MASKS [SCORES] --per-defect -f json

and recomputes every count of the "defects" object with numpy at the
thresholds adthresh reports (image.threshold, pixel.threshold) and its rule:

  image   per folder, the images whose score (the SCORES file's, else the
          map maximum widened exactly to float64) is flagged; anomalous =
          the label column (without one, the folder is not good/ok/normal;
          without SCORES, the mask has an anomalous pixel)
  pixel   per folder, the map pixels flagged, against the mask; float32
          pixels are compared as float64 with the float64 threshold
          (px.astype(np.float64) >= t), never with a float32 threshold
  n positives negatives tp fp fn tn   exact
  recall = tp / positives, fpr = fp / negatives, precision = tp / (tp + fp)
          as the correctly rounded double (null when the denominator is 0)

and that the folders are exactly the test/ subfolders, sorted bytewise, each
object with exactly these fields; the sums over the folders equal the level's
n, positives, negatives, tp, fp, fn, tn; and the level's own counts equal a
recount at its threshold.  Where the threshold is known in advance it is
checked too: F1-max (pixel_oracle's sweep, oracle.py's image reference),
--policy recall:0.9 (oracle.policy_index), and given thresholds.

Runs, each one test:

  default, rule-gt      F1-max thresholds, >= and --rule gt
  given-ge, given-gt, given-at-values, given-at-values-gt
                        --image-threshold X --pixel-threshold Y: 0.7 and 0.1
                        (not float32 values, next to tied float32 map values
                        that a float32 comparison would count differently;
                        checked to be so on the level maps), and thresholds
                        equal to a tied map maximum / pixel value
  policy-recall         --policy recall:0.9
  threads               --threads 1 and --threads 2 give byte-identical output
  csv                   -f csv: the header ends with defect,fpr; every defect
                        row (one per folder and level) has the JSON counts,
                        recall, fpr, precision, f1 = 2tp/(2tp+fp+fn), the
                        level's threshold, rule and policy; the level rows an
                        empty defect and fpr = fp / negatives
  text                  the "Per defect folder" table has the JSON counts
  scores, scores-gt, scores-nolabel
                        a SCORES CSV with ids bottle/test/<defect>/NNN.png in
                        random order, scores with ties (labels by folder, so
                        that the defect images with empty masks are anomalous
                        by their label); without a label column, ids
                        <defect>/NNN.png and labels from the folder names
  document-scores, document-maps
                        --maps DOC.json, a JSON array of per-image objects with
                        image_path bottle/test/<defect>/NNN.png, anomaly_map and
                        gt_mask (null under good/), with and without pred_score
                        and gt_label: the breakdown by the ids' folders
  error-scores-no-folder, error-scores-only-no-folder, error-stacked-npy
                        ids without a folder (with --maps, and a SCORES file
                        alone) and stacked NPY maps: exit 2, nothing on
                        stdout, a message on stderr (naming "folder" where
                        the id reached the breakdown)
  batch, batch-gt, batch-threads, batch-csv
                        --batch with 2 categories (one with scores.csv):
                        each category's "defects" as above, --threads 1 and 2
                        identical, the CSV's defect rows as the JSON

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/defect_oracle.py

Environment:
  ADTHRESH=PATH    the binary (default build/adthresh; relative to the repo root)
  ORACLE_KEEP=DIR  write the files to a new folder in DIR and keep them

Output: one line per failure (`FAIL case/run: ...`), `defect-oracle: R runs in
S s` and, last, `defect-oracle: N passed, M failed`.  Exit status 1 if
anything failed.
"""

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import first_line, run  # noqa: E402

with harness.needs("defect-oracle", "numpy, scikit-learn, tifffile and PIL"):
    import numpy as np
    import tifffile
    from PIL import Image

import oracle as image_oracle  # noqa: E402
import pixel_oracle as px  # noqa: E402

SEED = 20241219
LEVELS = ("image", "pixel")
COUNT_FIELDS = ("n", "positives", "negatives", "tp", "fp", "fn", "tn")
RATIO_FIELDS = ("recall", "fpr", "precision")
DEFECT_FIELDS = set(COUNT_FIELDS + RATIO_FIELDS)
NORMAL_FOLDERS = ("good", "ok", "normal")
DUPLICATES = "\0duplicates"  # the key _pairs adds to an object with duplicate keys
LEVEL_VALUES = np.array([0.1, 0.3, 0.5, 0.7, 0.9])  # 0.1, 0.3, 0.7: no float32 holds them


# ---------------------------------------------------------------------------
# Datasets


@dataclass(frozen=True)
class Case:
    """One dataset: folders [(name, images, images with an empty mask)]."""

    name: str
    kind: str                 # levels | quantised | unit
    folders: tuple
    good: int = 3
    size: object = (32, 32)   # (H, W) or "vary"
    full: str = ""            # a folder of one image anomalous in every pixel
    scores: bool = False      # also the SCORES runs
    seed: int = 0


CASES = [
    Case("levels-3", "levels", (("crack", 4, 1), ("hole", 3, 0), ("scratch", 2, 2)), 5,
         (48, 64), scores=True),
    Case("quantised-4", "quantised", (("broken_large", 3, 1), ("broken_small", 3, 0),
                                      ("contamination", 2, 1), ("Cut_lead", 1, 0)), 4,
         (40, 40), full="Cut_lead", scores=True),
    Case("unit-2-vary", "unit", (("crack", 5, 1), ("print", 4, 1)), 4, "vary", scores=True),
    Case("levels-2-full", "levels", (("bent", 3, 1), ("squeeze", 1, 0)), 2, (16, 40),
         full="squeeze"),
]
CASES = [Case(**{**c.__dict__, "seed": SEED + 7919 * i}) for i, c in enumerate(CASES)]


@dataclass
class Sample:
    defect: str
    id: str              # "crack/003"
    values: np.ndarray   # float32, as read back from the file
    mask: np.ndarray     # bool (all False without a mask file)


@dataclass
class Data:
    maps: Path
    masks: Path
    images: list                 # [Sample], read back from the files
    folders: list = field(default_factory=list)


def latent(kind, rng, mask, cap):
    h, w = mask.shape
    if kind == "levels":
        # few levels: heavy ties of pixels and of image maxima; a normal
        # image's pixels stay at or below its cap level
        neg = rng.choice(LEVEL_VALUES[:cap + 1], size=(h, w))
        pos = rng.choice(LEVEL_VALUES[2:], size=(h, w), p=[0.2, 0.35, 0.45])
        return np.where(mask, pos, neg)
    z = rng.normal(size=(h, w)) + rng.uniform(0.5, 2.5) * mask
    if kind == "quantised":
        return np.round(z * 4.0) / 4.0
    if kind == "unit":
        return np.round(1.0 / (1.0 + np.exp(-1.5 * (z - 1.0))), 2)  # 0.01 steps: ties
    raise ValueError(kind)


def size_of(case, rng):
    if case.size == "vary":
        return int(rng.integers(1, 80)), int(rng.integers(1, 80))
    return case.size


def build(case, rng, root):
    """Writes maps/ and gt/ under root; returns Data read back from the files."""
    maps, masks = root / "maps", root / "gt"
    plan = [("good", f"{j:03d}", False) for j in range(case.good)]
    for name, count, empty in case.folders:
        plan += [(name, f"{j:03d}", j >= empty) for j in range(count)]
    for defect, ident, anomalous in plan:
        h, w = size_of(case, rng)
        if defect == case.full:
            mask = np.ones((h, w), dtype=bool)
        else:
            mask = px.random_mask(rng, h, w, anomalous)
        cap = int(rng.integers(0, 4)) if not mask.any() else 4
        values = latent(case.kind, rng, mask, cap).astype(np.float32)
        p = maps / "test" / defect / f"{ident}.tiff"
        p.parent.mkdir(parents=True, exist_ok=True)
        tifffile.imwrite(p, values, photometric="minisblack")
        if defect != "good":
            q = masks / "ground_truth" / defect / f"{ident}_mask.png"
            q.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(mask.astype(np.uint8) * 255).save(q)
    return read_back(maps, masks)


def read_back(maps, masks):
    """What the files hold: every map under maps/test/<defect>/, its mask or none."""
    images = []
    for p in sorted((maps / "test").glob("*/*.tiff")):
        defect, ident = p.parent.name, p.stem
        values = tifffile.imread(p)
        assert values.dtype == np.float32 and values.ndim == 2, p
        q = masks / "ground_truth" / defect / f"{ident}_mask.png"
        if q.exists():
            mask = np.asarray(Image.open(q)) > 0
            assert mask.shape == values.shape, q
        else:
            mask = np.zeros(values.shape, dtype=bool)
        images.append(Sample(defect, f"{defect}/{ident}", values, mask))
    return Data(maps, masks, images, sorted({im.defect for im in images}))


@dataclass
class ImageLevel:
    """The image level's samples: (folder, float64 score, 0/1 label) per image."""

    defect: list
    score: np.ndarray
    label: np.ndarray


def from_maps(data):
    return ImageLevel([im.defect for im in data.images],
                      np.array([float(im.values.max()) for im in data.images]),
                      np.array([int(im.mask.any()) for im in data.images]))


def write_scores(data, rng, path, with_labels=True, prefix="bottle/test/"):
    """A SCORES CSV in random order, scores rounded to 0.1 (heavy ties); labels by
    folder (a defect image with an empty mask is anomalous by its label)."""
    n = len(data.images)
    labels = np.array([0 if im.defect in NORMAL_FOLDERS else 1 for im in data.images])
    scores = np.round(rng.normal(size=n) + 1.2 * labels, 1)
    rows = rng.permutation(n)
    if with_labels:
        lines = ["image_path,gt_label,pred_score"] + [
            f"{prefix}{data.images[i].id}.png,{labels[i]},{scores[i]!r}" for i in rows]
    else:
        lines = ["image_path,anomaly_score"] + [
            f"{prefix}{data.images[i].id}.png,{scores[i]!r}" for i in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ImageLevel([data.images[i].defect for i in range(n)], scores.astype(np.float64),
                      labels)


# ---------------------------------------------------------------------------
# Reference


def flagged(values, t, rule):
    """values compared as float64 (float32 widened exactly) with the float64 t."""
    v = np.asarray(values).astype(np.float64)
    return v >= t if rule == ">=" else v > t


def counts(n, positives, tp, fp):
    negatives = n - positives
    return {"n": n, "positives": positives, "negatives": negatives,
            "tp": tp, "fp": fp, "fn": positives - tp, "tn": negatives - fp,
            "recall": None if positives == 0 else tp / positives,
            "fpr": None if negatives == 0 else fp / negatives,
            "precision": None if tp + fp == 0 else tp / (tp + fp)}


def expected_defects(data, img, t_image, t_pixel, rule):
    """{folder: {"image": counts, "pixel": counts}} at the given thresholds."""
    acc = {}
    for im in data.images:
        pred = flagged(im.values, t_pixel, rule)
        a = acc.setdefault(im.defect, {lv: [0, 0, 0, 0] for lv in LEVELS})["pixel"]
        a[0] += im.values.size
        a[1] += int(np.count_nonzero(im.mask))
        a[2] += int(np.count_nonzero(pred & im.mask))
        a[3] += int(np.count_nonzero(pred & ~im.mask))
    pred = flagged(img.score, t_image, rule)
    for defect, p, y in zip(img.defect, pred, img.label):
        a = acc.setdefault(defect, {lv: [0, 0, 0, 0] for lv in LEVELS})["image"]
        a[0] += 1
        a[1] += int(y)
        a[2] += int(p and y)
        a[3] += int(p and not y)
    return {d: {lv: counts(*acc[d][lv]) for lv in LEVELS} for d in sorted(acc)}


def level_totals(values, labels, t, rule):
    pred = flagged(values, t, rule)
    return counts(len(labels), int(np.count_nonzero(labels)),
                  int(np.count_nonzero(pred & labels)), int(np.count_nonzero(pred & ~labels)))


class Reference:
    """Per dataset and image level: the pooled pixels and the thresholds known ahead."""

    def __init__(self, data, img):
        self.data, self.img = data, img
        self.values = np.concatenate([im.values.ravel() for im in data.images])
        self.labels = np.concatenate([im.mask.ravel() for im in data.images])
        self.sweep = px.f1_max_sweep(self.values, self.labels, ("recall:0.9",))
        self._img_sweep = image_oracle.sweep_counts(img.score, img.label)

    def threshold(self, level, policy):
        """The threshold adthresh must choose (float), or None if not known."""
        if level == "pixel":
            t = self.sweep.threshold if policy == "f1" else self.sweep.picks.get(policy)
            return None if t is None else float(t)
        if policy == "f1":
            return px.expected_image(self.img.score, self.img.label, ">=")["threshold"]
        distinct, tp, fp = self._img_sweep
        i = image_oracle.policy_index(tp, fp, int(tp[0]), int(fp[0]), policy)
        return None if i is None else float(distinct[i])


# ---------------------------------------------------------------------------
# Reading and comparing the output


def _pairs(pairs):
    """JSON objects as dicts that remember duplicate keys."""
    d = dict(pairs)
    if len(d) != len(pairs):
        d[DUPLICATES] = [k for k, _ in pairs]
    return d


def parse(rc, out, err, want_rc=0):
    """harness.parse_json, keeping duplicate keys (see _pairs)."""
    return harness.parse_json(rc, out, err, want_rc, object_pairs_hook=_pairs)


def same_number(want, got):
    if want is None:
        return got is None
    return image_oracle._is_number(got) and float(got) == want


def compare_defects(want, got, where="defects"):
    """want: expected_defects(...); got: the JSON "defects" object."""
    if not isinstance(got, dict):
        return [f"{where}: missing or not an object: {got!r}"]
    if DUPLICATES in got:
        return [f"{where}: duplicate folders {got[DUPLICATES]}"]
    problems = []
    names = list(got)
    if names != sorted(names):
        problems.append(f"{where}: folders not sorted bytewise: {names}")
    if set(names) != set(want):
        problems.append(f"{where}: folders {sorted(names)}, expected {sorted(want)}")
    for d, levels in want.items():
        g = got.get(d)
        if not isinstance(g, dict):
            continue
        if set(g) != set(LEVELS):
            problems.append(f"{where}.{d}: levels {sorted(g)}, expected {list(LEVELS)}")
        for lv, w in levels.items():
            o = g.get(lv)
            if not isinstance(o, dict):
                continue
            if set(o) != DEFECT_FIELDS:
                problems.append(f"{where}.{d}.{lv}: fields {sorted(o)}, "
                                f"expected {sorted(DEFECT_FIELDS)}")
            for f in COUNT_FIELDS + RATIO_FIELDS:
                if not same_number(w[f], o.get(f, image_oracle.MISSING)):
                    problems.append(f"{where}.{d}.{lv}.{f}: expected {w[f]!r}, "
                                    f"got {o.get(f, '(missing)')!r}")
    return problems


def check_sums(doc, where=""):
    """The counts of the folders add up to the level's."""
    problems = []
    defects = doc.get("defects")
    if not isinstance(defects, dict):
        return problems
    for lv in LEVELS:
        level = doc.get(lv)
        if not isinstance(level, dict):
            continue
        for f in COUNT_FIELDS:
            try:
                total = sum(o[lv][f] for k, o in defects.items() if k != DUPLICATES)
            except (KeyError, TypeError):
                problems.append(f"{where}defects: cannot sum {lv}.{f}")
                continue
            if total != level.get(f):
                problems.append(f"{where}sum over defects of {lv}.{f} = {total}, "
                                f"{lv}.{f} = {level.get(f)!r}")
    return problems


def check_doc(doc, ref, rule, policy="f1", given=None, where=""):
    """One result object (a single run's document or a batch category): thresholds
    (when known), level totals and the breakdown recounted at the reported thresholds."""
    problems = []
    t = {}
    for lv in LEVELS:
        level = doc.get(lv)
        if not isinstance(level, dict) or not image_oracle._is_number(level.get("threshold")):
            problems.append(f"{where}{lv}: missing or without a threshold")
            continue
        t[lv] = float(level["threshold"])
        if level.get("rule") != rule:
            problems.append(f"{where}{lv}.rule: expected {rule!r}, got {level.get('rule')!r}")
        want_policy = "given" if given else policy
        if level.get("policy") != want_policy:
            problems.append(f"{where}{lv}.policy: expected {want_policy!r}, "
                            f"got {level.get('policy')!r}")
        want_t = given[lv] if given else ref.threshold(lv, policy)
        if want_t is not None and t[lv] != want_t:
            problems.append(f"{where}{lv}.threshold: expected {want_t!r}, got {t[lv]!r}")
        if lv == "pixel":
            tot = level_totals(ref.values, ref.labels, t[lv], rule)
        else:
            tot = level_totals(ref.img.score, ref.img.label.astype(bool), t[lv], rule)
        for f in COUNT_FIELDS:
            if level.get(f) != tot[f]:
                problems.append(f"{where}{lv}.{f}: {level.get(f)!r}, a recount at the "
                                f"reported threshold gives {tot[f]}")
    if len(t) == 2:
        want = expected_defects(ref.data, ref.img, t["image"], t["pixel"], rule)
        problems += compare_defects(want, doc.get("defects"), f"{where}defects")
    problems += check_sums(doc, where)
    return problems


def csv_defect_rows(text, batch=False):
    """(header, {(category, defect, level): row}) of -f csv output."""
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)), [])
    table = {}
    for r in rows:
        key = (r.get("category") if batch else None, r.get("defect"), r.get("level"))
        table.setdefault(key, []).append(r)
    return header, table


def _csv_num(s):
    return None if s == "" else float(s)


def compare_csv(text, doc, batch=False):
    """The CSV's defect rows (and the level rows' fpr) against the JSON document."""
    problems = []
    header, table = csv_defect_rows(text, batch)
    tail = ["defect", "fpr", "error"] if batch else ["defect", "fpr"]
    if header[-1:] == ["source"]:
        # The image level names where its scores came from, last.
        tail.append("source")
    if header[-len(tail):] != tail:
        problems.append(f"csv header: expected it to end with {','.join(tail)}, got {header}")
    if batch:
        objs = {c: o for c, o in (doc.get("categories") or {}).items()}
    else:
        objs = {None: doc}
    seen = set()
    for cat, obj in objs.items():
        for lv in LEVELS:
            level = obj.get(lv)
            if not isinstance(level, dict):
                continue
            rows = table.get((cat, "", lv), [])
            if len(rows) != 1:
                problems.append(f"csv: {len(rows)} rows for {cat or ''} level {lv}, expected 1")
            else:
                seen.add((cat, "", lv))
                neg = level.get("negatives")
                want = None if not neg else level["fp"] / neg
                if not same_number(want, _csv_num(rows[0]["fpr"])):
                    problems.append(f"csv {lv} row: fpr {rows[0]['fpr']!r}, expected {want!r}")
            for d, o in (obj.get("defects") or {}).items():
                if d == DUPLICATES:
                    continue
                rows = table.get((cat, d, lv), [])
                where = f"csv {cat + '/' if cat else ''}{d}/{lv}"
                if len(rows) != 1:
                    problems.append(f"{where}: {len(rows)} rows, expected 1")
                    continue
                seen.add((cat, d, lv))
                r, w = rows[0], o[lv]
                for f in COUNT_FIELDS:
                    if r.get(f) != str(w[f]):
                        problems.append(f"{where}.{f}: {r.get(f)!r}, JSON {w[f]!r}")
                for f in RATIO_FIELDS:
                    if not same_number(w[f], _csv_num(r.get(f, ""))):
                        problems.append(f"{where}.{f}: {r.get(f)!r}, JSON {w[f]!r}")
                den = 2 * w["tp"] + w["fp"] + w["fn"]
                f1 = None if den == 0 else 2 * w["tp"] / den
                if not same_number(f1, _csv_num(r.get("f1", ""))):
                    problems.append(f"{where}.f1: {r.get('f1')!r}, expected {f1!r}")
                for f in ("threshold", "rule", "policy"):
                    v = _csv_num(r.get(f, "")) if f == "threshold" else r.get(f)
                    if v != level.get(f):
                        problems.append(f"{where}.{f}: {r.get(f)!r}, the level's "
                                        f"{level.get(f)!r}")
    extra = [k for k in table if k not in seen and k[0] != "mean"]
    if extra:
        problems.append(f"csv: unexpected rows {extra}")
    return problems


def compare_text(text, doc):
    """The "Per defect folder" table's rows against the JSON counts."""
    lines = text.splitlines()
    start = next((i for i, s in enumerate(lines) if s.startswith("Per defect folder")), None)
    if start is None:
        return [f"text: no 'Per defect folder' table: {first_line(text)}"]
    problems, got = [], {}
    for s in lines[start + 2:]:
        parts = s.split()
        if len(parts) != 10 or parts[1] not in LEVELS:
            break
        got[(parts[0], parts[1])] = parts[2:8]
    want = {}
    for d, o in (doc.get("defects") or {}).items():
        if d == DUPLICATES:
            continue
        for lv in LEVELS:
            w = o[lv]
            want[(d, lv)] = [str(w[f]) for f in ("n", "positives", "tp", "fp", "fn", "tn")]
    if list(got) != list(want):
        problems.append(f"text: rows {list(got)}, expected {list(want)}")
    for k, w in want.items():
        if k in got and got[k] != w:
            problems.append(f"text {k[0]}/{k[1]}: n anomalous TP FP FN TN {got[k]}, JSON {w}")
    return problems


def check_error(rc, out, err, needle=None):
    problems = []
    if rc != 2:
        problems.append(f"exit: expected 2, got {rc}; stderr: {first_line(err)}")
    if out.strip():
        problems.append(f"stdout: expected nothing, got {first_line(out)}")
    if not err.strip():
        problems.append("stderr: expected an error message, got nothing")
    elif needle and needle not in err:
        problems.append(f"stderr: expected {needle!r} in {first_line(err)!r}")
    return problems


# ---------------------------------------------------------------------------


def pick_values(ref, rng):
    """A map maximum and a pixel value, each shared by several samples if possible."""
    def tied(a):
        u, c = np.unique(np.asarray(a, dtype=np.float64), return_counts=True)
        inner = [i for i in np.argsort(-c, kind="stable") if 0 < i < len(u) - 1]
        return float(u[inner[0]] if inner else u[len(u) // 2])
    return tied(ref.img.score), tied(ref.values)


def check_case(case, work, suite):
    rng = np.random.default_rng(case.seed)
    root = work / case.name
    data = build(case, rng, root)
    ref = Reference(data, from_maps(data))
    base = ["--maps", data.maps, "--masks", data.masks, "--per-defect"]
    json_args = base + ["-f", "json"]
    ctx = " ".join(map(str, json_args))
    label = case.name

    # F1-max, >= and >; the default run's output is kept for csv/text/threads
    default_doc, default_out = None, None
    for tag, rule, flag in (("default", ">=", []), ("rule-gt", ">", ["--rule", "gt"])):
        rc, out, err = run(json_args + flag)
        doc, problems = parse(rc, out, err)
        if doc is not None:
            problems += check_doc(doc, ref, rule)
            if tag == "default":
                default_doc, default_out = doc, out
        suite.record(f"{label}/{tag}", problems, ctx + " " + " ".join(flag))

    # given thresholds: 0.7 and 0.1, which float32 cannot hold (float32(0.7) lies below
    # 0.7 and float32(0.1) above 0.1, so that a comparison in float32 counts the tied
    # map values at those levels differently), and map values themselves
    at_img, at_px = pick_values(ref, rng)
    for tag, rule, t_img, t_px in (("given-ge", ">=", 0.7, 0.7),
                                   ("given-gt", ">", at_img, 0.1),
                                   ("given-at-values", ">=", at_img, at_px),
                                   ("given-at-values-gt", ">", 0.1, at_px)):
        flag = (["--rule", "gt"] if rule == ">" else []) + [
            "--image-threshold", repr(t_img), "--pixel-threshold", repr(t_px)]
        rc, out, err = run(json_args + flag)
        doc, problems = parse(rc, out, err)
        if doc is not None:
            problems += check_doc(doc, ref, rule, given={"image": t_img, "pixel": t_px})
        if tag == "given-ge" and case.kind != "quantised":
            # the data must tell a float64 comparison from a float32 one
            narrow = expected_defects(data, ref.img, float(np.float32(t_img)),
                                      float(np.float32(t_px)), rule)
            if narrow == expected_defects(data, ref.img, t_img, t_px, rule):
                problems.append("oracle self-check: no map value tied near 0.7")
        suite.record(f"{label}/{tag}", problems, ctx + " " + " ".join(flag))

    # --policy recall:0.9 for both levels
    flag = ["--policy", "recall:0.9"]
    rc, out, err = run(json_args + flag)
    doc, problems = parse(rc, out, err)
    if doc is not None:
        problems += check_doc(doc, ref, ">=", policy="recall:0.9")
    suite.record(f"{label}/policy-recall", problems, ctx + " " + " ".join(flag))

    # threads: byte-identical
    outs = []
    problems = []
    for n in (1, 2):
        rc, out, err = run(json_args + ["--threads", n])
        if rc != 0:
            problems.append(f"--threads {n}: exit {rc}: {first_line(err)}")
        outs.append(out)
    if not problems and outs[0] != outs[1]:
        problems.append("--threads 1 and --threads 2 outputs differ")
    if not problems and default_out is not None and outs[0] != default_out:
        problems.append("--threads 1 output differs from the default run")
    suite.record(f"{label}/threads", problems, ctx)

    # csv and text against the default JSON
    for tag, fmt, compare in (("csv", "csv", compare_csv), ("text", "text", compare_text)):
        rc, out, err = run(base + ["-f", fmt])
        problems = [] if rc == 0 else [f"exit: expected 0, got {rc}; stderr: {first_line(err)}"]
        if rc == 0 and default_doc is not None:
            problems += compare(out, default_doc)
        elif default_doc is None:
            problems.append("no default JSON to compare with")
        suite.record(f"{label}/{tag}", problems, " ".join(map(str, base + ["-f", fmt])))

    if not case.scores:
        return
    # a SCORES CSV: ids bottle/test/<defect>/NNN.png, labels by folder
    path = root / "scores.csv"
    img = write_scores(data, rng, path)
    sref = Reference(data, img)
    for tag, rule, flag in (("scores", ">=", []), ("scores-gt", ">", ["--rule", "gt"])):
        rc, out, err = run(json_args + flag + [path])
        doc, problems = parse(rc, out, err)
        if doc is not None:
            problems += check_doc(doc, sref, rule)
            if tag == "scores":
                rc2, out2, err2 = run(base + ["-f", "csv", path])
                if rc2 != 0:
                    problems.append(f"csv: exit {rc2}: {first_line(err2)}")
                else:
                    problems += compare_csv(out2, doc)
        suite.record(f"{label}/{tag}", problems, ctx + " " + " ".join(flag) + f" {path}")
    path2 = root / "scores-nolabel.csv"
    img2 = write_scores(data, rng, path2, with_labels=False, prefix="")
    rc, out, err = run(json_args + [path2])
    doc, problems = parse(rc, out, err)
    if doc is not None:
        problems += check_doc(doc, Reference(data, img2), ">=")
    suite.record(f"{label}/scores-nolabel", problems, ctx + f" {path2}")

    # ids without a folder: with the maps, and a SCORES file alone
    bare = root / "scores-bare.csv"
    lines = ["image_path,gt_label,pred_score"] + [
        f"{im.id.replace('/', '_')}.png,{int(y)},{s!r}"
        for im, y, s in zip(data.images, img.label, img.score)]
    bare.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, out, err = run(json_args + [bare])
    suite.record(f"{label}/error-scores-no-folder", check_error(rc, out, err),
                 ctx + f" {bare}")
    rc, out, err = run(["--per-defect", "-f", "json", bare])
    suite.record(f"{label}/error-scores-only-no-folder",
                 check_error(rc, out, err, "folder"), f"--per-defect -f json {bare}")


def check_stacked(work, suite):
    rng = np.random.default_rng(SEED - 1)
    d = work / "stacked"
    d.mkdir(parents=True)
    masks = np.zeros((6, 12, 10), dtype=bool)
    masks[3:, 2:6, 3:7] = True
    maps = (rng.random((6, 12, 10)) + masks).astype(np.float32)
    np.save(d / "maps.npy", maps)
    np.save(d / "masks.npy", masks)
    args = ["--maps", d / "maps.npy", "--masks", d / "masks.npy", "--per-defect", "-f", "json"]
    rc, out, err = run(args)
    suite.record("error-stacked-npy", check_error(rc, out, err, "folder"),
                 " ".join(map(str, args)))


def check_document(work, suite):
    """--maps DOC.json of per-image objects (image_path, anomaly_map, gt_mask and,
    in one of the two documents, pred_score and gt_label): the ids name the folders."""
    case = Case("document", "quantised", (("crack", 3, 1), ("hole", 2, 0), ("scratch", 2, 2)),
                3, (9, 12), seed=SEED + 17)
    rng = np.random.default_rng(case.seed)
    data = build(case, rng, work / "document")
    img = write_scores(data, rng, work / "document" / "unused.csv")
    for tag, with_scores in (("document-scores", True), ("document-maps", False)):
        lines = []
        for i in rng.permutation(len(data.images)):
            im = data.images[i]
            obj = {"image_path": f"bottle/test/{im.id}.png",
                   "anomaly_map": [[float(v) for v in row] for row in im.values],
                   "gt_mask": None if im.defect == "good" else im.mask.astype(int).tolist()}
            if with_scores:
                obj["pred_score"], obj["gt_label"] = float(img.score[i]), int(img.label[i])
            lines.append(json.dumps(obj))
        path = work / "document" / f"{tag}.json"
        path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
        ref = Reference(data, img if with_scores else from_maps(data))
        args = ["--maps", path, "--per-defect", "-f", "json"]
        rc, out, err = run(args)
        doc, problems = parse(rc, out, err)
        if doc is not None:
            problems += check_doc(doc, ref, ">=")
        suite.record(tag, problems, " ".join(map(str, args)))


def check_batch(work, suite):
    """Two categories: one from the maps, one with results/<category>/scores.csv."""
    results, dataset = work / "batch" / "results", work / "batch" / "dataset"
    refs = {}
    for i, case in enumerate([
            Case("capsule", "levels", (("crack", 3, 1), ("faulty_imprint", 2, 0),
                                       ("squeeze", 2, 2)), 3, (20, 24)),
            Case("transistor", "quantised", (("bent_lead", 3, 0), ("misplaced", 2, 1)), 3,
                 (18, 18))]):
        rng = np.random.default_rng(SEED + 31 * i + 3)
        stage = work / "batch" / "stage" / case.name
        data = build(case, rng, stage)
        (results / case.name).parent.mkdir(parents=True, exist_ok=True)
        (dataset / case.name).parent.mkdir(parents=True, exist_ok=True)
        (stage / "maps").rename(results / case.name)
        (stage / "gt").rename(dataset / case.name)
        data = read_back(results / case.name, dataset / case.name)
        img = from_maps(data)
        if i == 1:
            img = write_scores(data, rng, results / case.name / "scores.csv",
                               prefix=f"{case.name}/test/")
        refs[case.name] = Reference(data, img)
    base = ["--batch", "--maps", results, "--masks", dataset, "--per-defect"]
    ctx = " ".join(map(str, base))

    def check(doc, rule):
        problems = []
        cats = doc.get("categories")
        if not isinstance(cats, dict) or sorted(cats) != sorted(refs):
            return [f"categories: {None if not isinstance(cats, dict) else list(cats)}, "
                    f"expected {sorted(refs)}"]
        for name, ref in refs.items():
            problems += check_doc(cats[name], ref, rule, where=f"{name}.")
        if "defects" in doc:
            problems.append("a top-level \"defects\" object in batch mode")
        return problems

    out_ge = None
    doc_ge = None
    for tag, rule, flag in (("batch", ">=", []), ("batch-gt", ">", ["--rule", "gt"])):
        rc, out, err = run(base + ["-f", "json"] + flag)
        doc, problems = parse(rc, out, err)
        if doc is not None:
            problems += check(doc, rule)
            if rule == ">=":
                out_ge, doc_ge = out, doc
        suite.record(tag, problems, ctx + " " + " ".join(flag))

    problems = []
    outs = []
    for n in (1, 2):
        rc, out, err = run(base + ["-f", "json", "--threads", n])
        if rc != 0:
            problems.append(f"--threads {n}: exit {rc}: {first_line(err)}")
        outs.append(out)
    if not problems and (outs[0] != outs[1] or outs[0] != out_ge):
        problems.append("--threads 1, --threads 2 and the default run differ")
    suite.record("batch-threads", problems, ctx)

    rc, out, err = run(base + ["-f", "csv"])
    problems = [] if rc == 0 else [f"exit: expected 0, got {rc}; stderr: {first_line(err)}"]
    if rc == 0 and doc_ge is not None:
        problems += compare_csv(out, doc_ge, batch=True)
    suite.record("batch-csv", problems, ctx + " -f csv")


def check_all(work, suite):
    for case in CASES:
        check_case(case, work, suite)
    check_stacked(work, suite)
    check_document(work, suite)
    check_batch(work, suite)


def main():
    return harness.run_suite("defect-oracle", check_all)


if __name__ == "__main__":
    sys.exit(main())
