#!/usr/bin/python3
"""Cross-check sharded evaluation: counts saved in parts and merged must report
what one run over all the data reports.

The suite writes five data sets (numpy default_rng, fixed seeds):

  npy32     stacked float32 NPY maps [N,H,W] with uint8 masks; a third of the
            maps quantised to 1/8, so equal scores fall in different shards
            and on normal and anomalous pixels alike
  npy64     the same as float64 maps (values not representable in float32)
  folder    the MVTec AD layout in one folder: test/<defect>/<id>.tiff
            (float32) or .png (8-bit) maps, ground_truth/<defect>/<id>_mask.png
  csv       a scores-only CSV with ids, labels and tied scores
  maps-csv  the folder's maps with a scores CSV naming them in random order

and for each, with each option set

  default; --rule gt; --policy fpr:0.01 --compare-policies;
  --policy pixel=sigma:3 --max-fpr 0.3 --normalize minmax; --aupro=0.2;
  --image-threshold X --pixel-threshold Y (pixel options become image ones
  on the scores-only data set)

runs adthresh once over all the data (-f json) and the four shards with GNU
parallel as the README shows,

  parallel adthresh ... --shard {}/4 --save-counts s{}.adtc ::: 1 2 3 4
  adthresh --merge s1.adtc s2.adtc s3.adtc s4.adtc -f json

and compares the two JSON documents: the same keys, strings and integers
equal, every "threshold", "min" and "max" equal, every other real within
1e-12 relative (null equal to null).  Further runs, each one test:

  shards-N       2, 3 and 7 shards (run one after the other) merged in a
                 shuffled order of arguments, with rotating option sets
  groups         separate runs (no --shard) over separate NPY stacks of
                 image groups, merged in a shuffled order, against the run
                 over the stacks concatenated; the folder's test/good,
                 test/crack and test/scratch evaluated as their own maps (and
                 masks) folders, against the folder run
  merge-of-merge four separate stacks: --merge a b --save-counts ab, then
                 --merge d ab c; and the saved merge of the four shards of
                 the whole stack merged alone
  sklearn        npy32 and folder, default and --rule gt: the merged pixel
                 and image AUROC and AP against roc_auc_score and
                 average_precision_score, and the counts at the merged
                 thresholds against numpy's count (>= or >)
  curves         every data set: --curves --curve-points all of the merge of
                 the default option set byte-identical to the whole run's
  per-defect     the folder and maps-csv data sets with --per-defect (and
                 with --rule gt --aupro), in 4 and 3 shards: the per-defect
                 table of the merge against the whole run's

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/merge_oracle.py

Environment:
  ADTHRESH=PATH    the binary (default build/adthresh; relative to the repo root)
  ORACLE_KEEP=DIR  write the files to a new folder in DIR and keep them

Output: one line per failure (`FAIL data/check: ...`), `merge-oracle: 5 data
sets, C checks in S s` and, last, `merge-oracle: N passed, M failed`.  Exit
status 1 if anything failed.
"""

import concurrent.futures
import functools
import math
import shlex
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import first_line, parse_json, run  # noqa: E402

with harness.needs("merge-oracle", "numpy, scikit-learn, tifffile and PIL"):
    import numpy as np
    import tifffile
    from PIL import Image
    from sklearn.metrics import average_precision_score, roc_auc_score

SEED = 20261204
TOLERANCE = 1e-12
EXACT = ("threshold", "min", "max")  # scores: equal, not close
SIDE = 20
DEFECTS = ("crack", "scratch")


# ---------------------------------------------------------------------------
# Data


def masks_and_maps(rng, n, dtype):
    """n masks (the first third normal) and maps: anomalous pixels higher,
    every third map quantised to 1/8 so normal and anomalous pixels tie."""
    masks = np.zeros((n, SIDE, SIDE), dtype=np.uint8)
    for i in range(n // 3, n):
        for _ in range(int(rng.integers(1, 3))):
            h, w = rng.integers(2, 8, size=2)
            y, x = rng.integers(0, SIDE - 8, size=2)
            masks[i, y:y + h, x:x + w] = 1
    maps = 0.3 * rng.standard_normal((n, SIDE, SIDE)) + 0.4 + 0.5 * masks
    maps[::3] = np.round(maps[::3] * 8) / 8
    if dtype == np.float64:
        maps[1::3] += 1e-9 * rng.random(maps[1::3].shape)  # not float32 values
    return masks, maps.astype(dtype)


class Data:
    """One data set: how to run adthresh on it, and the values it sees."""

    def __init__(self, name, inputs, pixels=None, labels=None, image=None):
        self.name = name
        self.inputs = inputs   # the input arguments of a run over all of it
        self.pixels = pixels   # every pixel value as adthresh sees it (or None)
        self.labels = labels   # their labels (bool)
        self.image = image     # (scores, labels) of the image level
        self.given = None      # (image threshold, pixel threshold or None)
        self.sklearn = False   # cross-check the merges with scikit-learn


def build_stack(work, name, dtype, seed):
    rng = np.random.default_rng(seed)
    masks, maps = masks_and_maps(rng, 36, dtype)
    np.save(work / f"{name}-maps.npy", maps)
    np.save(work / f"{name}-masks.npy", masks)
    data = Data(name, ["--maps", work / f"{name}-maps.npy", "--masks", work / f"{name}-masks.npy"],
                maps.ravel(), masks.ravel().astype(bool),
                (maps.reshape(len(maps), -1).max(axis=1).astype(np.float64),
                 masks.reshape(len(masks), -1).max(axis=1).astype(np.int64)))
    data.maps, data.masks = maps, masks
    data.given = (float(np.median(data.image[0])), 0.625)
    return data


def build_folder(work, seed):
    """test/<defect>/<id> maps (float32 TIFF, 8-bit PNG for scratch) and
    ground_truth/<defect>/<id>_mask.png; returns the Data and its items."""
    rng = np.random.default_rng(seed)
    root = work / "folder"
    groups = (("good", 7), ("crack", 8), ("scratch", 6))
    items = []  # (relative id, values seen, mask)
    for defect, n in groups:
        masks, maps = masks_and_maps(rng, 3 * n, np.float32)
        masks, maps = masks[-n:], maps[-n:]  # the anomalous thirds
        if defect == "good":
            masks[:] = 0
        for i in range(n):
            stem = f"{i:03d}"
            (root / "test" / defect).mkdir(parents=True, exist_ok=True)
            if defect == "scratch":
                q = np.clip(np.rint(maps[i] / 1.5 * 255), 0, 255).astype(np.uint8)
                Image.fromarray(q).save(root / "test" / defect / f"{stem}.png")
                seen = q.astype(np.float32) / np.float32(255)
                ext = ".png"
            else:
                tifffile.imwrite(root / "test" / defect / f"{stem}.tiff", maps[i],
                                 photometric="minisblack")
                seen, ext = maps[i], ".tiff"
            if defect != "good":
                (root / "ground_truth" / defect).mkdir(parents=True, exist_ok=True)
                Image.fromarray(masks[i] * np.uint8(255)).save(
                    root / "ground_truth" / defect / f"{stem}_mask.png")
            items.append((f"{defect}/{stem}{ext}", seen, masks[i].astype(bool)))
    pixels = np.concatenate([v.ravel() for _, v, _ in items])
    labels = np.concatenate([m.ravel() for _, _, m in items])
    image = (np.array([float(v.max()) for _, v, _ in items]),
             np.array([0 if i.startswith("good/") else 1 for i, _, _ in items]))
    data = Data("folder", ["--maps", root, "--masks", root], pixels, labels, image)
    data.given = (float(np.median(image[0])), float(np.float32(128) / np.float32(255)))
    return data, items


def tied_scores(rng, labels):
    scores = rng.normal(size=len(labels)) + 1.2 * labels
    tied = rng.random(len(labels)) < 0.4
    scores[tied] = np.round(scores[tied] * 4) / 4  # ties across the classes
    return np.round(scores, 6)


def build_csv(work, seed):
    rng = np.random.default_rng(seed)
    labels = (rng.random(150) < 0.4).astype(np.int64)
    scores = tied_scores(rng, labels)
    lines = ["image_path,score,label"] + [
        f"test/{'crack' if y else 'good'}/{i:03d}.png,{s!r},{y}"
        for i, (s, y) in enumerate(zip(scores, labels))]
    path = work / "scores.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = Data("csv", [path], image=(scores, labels))
    data.given = (0.5, None)
    return data


def build_maps_csv(work, folder, items, seed):
    rng = np.random.default_rng(seed)
    labels = folder.image[1]
    scores = tied_scores(rng, labels)
    rows = rng.permutation(len(items))
    lines = ["image_path,gt_label,pred_score"] + [
        f"widget/test/{items[i][0]},{labels[i]},{scores[i]!r}" for i in rows]
    path = work / "folder-scores.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = Data("maps-csv", [*folder.inputs, path], folder.pixels, folder.labels,
                (scores, labels))
    data.given = (0.5, folder.given[1])
    return data


def build_all(work):
    npy32 = build_stack(work, "npy32", np.float32, SEED)
    npy64 = build_stack(work, "npy64", np.float64, SEED + 1)
    folder, items = build_folder(work, SEED + 2)
    return [npy32, npy64, folder, build_csv(work, SEED + 3),
            build_maps_csv(work, folder, items, SEED + 4)]


# ---------------------------------------------------------------------------
# Options


OPTION_SETS = [
    ("default", []),
    ("gt", ["--rule", "gt"]),
    ("fpr", ["--policy", "fpr:0.01", "--compare-policies"]),
    ("sigma", ["--policy", "pixel=sigma:3", "--max-fpr", "0.3", "--normalize", "minmax"]),
    ("aupro", ["--aupro=0.2"]),
    ("given", None),
]


def options(data, name, opts):
    """The option set for data: pixel options become image ones without maps."""
    if opts is None:
        x, y = data.given
        opts = ["--image-threshold", repr(x)]
        if y is not None:
            opts += ["--pixel-threshold", repr(y)]
    if data.pixels is None:
        if name == "sigma":
            opts = ["--policy", "sigma:3", "--max-fpr", "0.3", "--normalize", "minmax"]
        elif name == "aupro":
            opts = ["--policy", "youden"]
    return opts


# ---------------------------------------------------------------------------
# Running


def shards(work, tag, args, n, recipe=True):
    """Runs the n shards of args, with GNU parallel as the README shows or
    one after the other; returns (counts files, problems)."""
    files = [work / f"{tag}-s{k}.adtc" for k in range(1, n + 1)]
    if not recipe:
        return files, [p for k, f in enumerate(files, 1)
                       for p in save([*args, "--shard", f"{k}/{n}"], f)]
    cmd = ["parallel", str(harness.adthresh_path()), *map(shlex.quote, map(str, args)),
           "--shard", f"{{}}/{n}", "--save-counts", shlex.quote(str(work / f"{tag}-s{{}}.adtc")),
           ":::", *map(str, range(1, n + 1))]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           timeout=harness.RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return files, ["parallel timed out"]
    if p.returncode != 0:
        return files, [f"parallel exited {p.returncode}: {first_line(p.stderr)}"]
    missing = [f.name for f in files if not f.is_file()]
    if missing:
        return files, [f"no counts file {', '.join(missing)}"]
    return files, []


@functools.lru_cache(maxsize=None)
def _json_run(args):
    rc, out, err = run([*args, "-f", "json"])
    return parse_json(rc, out, err)


def json_run(args, extra=()):
    """(document or None, problems) of adthresh ARGS EXTRA -f json; the runs
    without extra are made once."""
    if extra:
        rc, out, err = run([*args, *extra, "-f", "json"])
        return parse_json(rc, out, err)
    return _json_run(tuple(map(str, args)))


def save(args, path):
    rc, out, err = run([*args, "--save-counts", path])
    if rc != 0:
        return [f"--save-counts {path.name}: exit {rc}: {first_line(err)}"]
    return []


def close(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def compare(want, got, where=""):
    """The problems of got against want (see the module's docstring)."""
    if isinstance(want, dict) and isinstance(got, dict):
        problems = []
        if list(want) != list(got):
            problems.append(f"{where or 'top'}: keys {list(got)}, expected {list(want)}")
        for k in want:
            if k in got:
                problems += compare(want[k], got[k], f"{where}.{k}" if where else k)
        return problems
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return [f"{where}: {len(got)} items, expected {len(want)}"]
        return [p for i, (a, b) in enumerate(zip(want, got))
                for p in compare(a, b, f"{where}[{i}]")]
    numbers = (int, float)
    if (isinstance(want, numbers) and isinstance(got, numbers)
            and not isinstance(want, bool) and not isinstance(got, bool)):
        exact = (where.rsplit(".", 1)[-1] in EXACT
                 or (isinstance(want, int) and isinstance(got, int)))
        if (want == got) if exact else close(float(want), float(got)):
            return []
        return [f"{where}: {got!r}, expected {want!r}"]
    if want != got or type(want) is not type(got):
        return [f"{where}: {got!r}, expected {want!r}"]
    return []


def merged_against(want, files, extra=()):
    doc, problems = json_run(["--merge", *files, *extra])
    if doc is None:
        return problems
    return compare(want, doc)


# ---------------------------------------------------------------------------
# Checks, each returning (label, problems, context)


def check_shards(work, data, name, opts, n=4, shuffle=None):
    """The merge of n shards against the whole run; the 4 shards of the
    recipe also give the curves (default) and scikit-learn (default, gt)
    checks."""
    label = f"{data.name}/{name}" + (f"/shards-{n}" if n != 4 else "")
    tag = label.replace("/", "-")
    args = [*data.inputs, *opts]
    context = " ".join(map(str, args))
    curves = name == "default" and n == 4
    whole, merged = work / f"{tag}-whole.csv", work / f"{tag}-merged.csv"
    want, problems = json_run(args, ("--curves", whole, "--curve-points", "all") if curves else ())
    if want is None:
        return [(label, problems, context)]
    files, problems = shards(work, tag, args, n, recipe=shuffle is None)
    if problems:
        return [(label, problems, context)]
    if shuffle is not None:
        files = [files[i] for i in np.random.default_rng(shuffle).permutation(n)]
    got, problems = json_run(["--merge", *files],
                             ("--curves", merged, "--curve-points", "all") if curves else ())
    results = [(label, problems or compare(want, got), context)]
    if got is not None and curves:
        results.append((f"{data.name}/curves", same_curves(whole, merged), context))
    if got is not None and name in ("default", "gt") and n == 4 and data.sklearn:
        rule = ">" if name == "gt" else ">="
        results.append((f"{data.name}/sklearn-{name}", check_sklearn(data, got, rule), ""))
    return results


def same_curves(whole, merged):
    """The curves of the merge byte for byte those of the whole run."""
    if whole.read_bytes() == merged.read_bytes():
        return []
    a, b = whole.read_text().splitlines(), merged.read_text().splitlines()
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return [f"curves differ at line {at + 1} ({len(b)} lines, expected {len(a)}): "
            f"{b[at] if at < len(b) else 'end'!r} against {a[at] if at < len(a) else 'end'!r}"]


def split_stack(work, tag, data, cuts, opts):
    """The stack cut at cuts into separate stacks, each saved on its own."""
    edges = [0, *cuts, len(data.maps)]
    files, problems = [], []
    for g, (a, b) in enumerate(zip(edges, edges[1:])):
        maps, masks = work / f"{tag}-g{g}-maps.npy", work / f"{tag}-g{g}-masks.npy"
        np.save(maps, data.maps[a:b])
        np.save(masks, data.masks[a:b])
        files.append(work / f"{tag}-g{g}.adtc")
        problems += save(["--maps", maps, "--masks", masks, *opts], files[-1])
    return files, problems


def check_groups(work, data, opts, label):
    want, problems = json_run([*data.inputs, *opts])
    if want is None:
        return [(label, problems, "")]
    files, problems = split_stack(work, label.replace("/", "-"), data, (5, 17, 30), opts)
    if not problems:
        order = np.random.default_rng(len(label)).permutation(len(files))
        problems = merged_against(want, [files[i] for i in order])
    return [(label, problems, " ".join(opts))]


def check_folder_groups(work, data, opts, label):
    """Each folder of test/ evaluated as its own maps (and masks) folder."""
    root = data.inputs[1]
    want, problems = json_run([*data.inputs, *opts])
    if want is None:
        return [(label, problems, "")]
    files = []
    for defect in ("good", *DEFECTS):
        args = ["--maps", root / "test" / defect]
        if defect != "good":
            args += ["--masks", root / "ground_truth" / defect]
        files.append(work / f"{label.replace('/', '-')}-{defect}.adtc")
        problems += save([*args, *opts], files[-1])
    if not problems:
        problems = merged_against(want, files[::-1])
    return [(label, problems, " ".join(opts))]


def check_merge_of_merge(work, data):
    """--merge a b --save-counts ab, then --merge ab c d; and the saved merge
    of complete shards merged alone."""
    label = f"{data.name}/merge-of-merge"
    want, problems = json_run(data.inputs)
    if want is None:
        return [(label, problems, "")]
    files, problems = split_stack(work, f"{data.name}-mm", data, (9, 18, 27), [])
    ab, whole = work / f"{data.name}-ab.adtc", work / f"{data.name}-all.adtc"
    if not problems:
        problems = save(["--merge", files[0], files[1]], ab)
    if not problems:
        problems = merged_against(want, [files[3], ab, files[2]])
    if not problems:
        files, problems = shards(work, f"{data.name}-mm", data.inputs, 4, recipe=False)
    if not problems:
        problems = save(["--merge", *files], whole)
    if not problems:
        problems = merged_against(want, [whole])
    return [(label, problems, "")]


def counts_at(values, labels, t, rule):
    hit = values > t if rule == ">" else values >= t
    tp = int(np.count_nonzero(hit & labels))
    fp = int(np.count_nonzero(hit & ~labels))
    return {"tp": tp, "fp": fp, "fn": int(np.count_nonzero(labels)) - tp,
            "tn": int(np.count_nonzero(~labels)) - fp}


def check_sklearn(data, doc, rule):
    """A merged document against scikit-learn's AUROC and AP and numpy's
    counts at its thresholds."""
    problems = []
    levels = (("pixel", data.pixels.astype(np.float64), data.labels),
              ("image", data.image[0], data.image[1].astype(bool)))
    for level, values, labels in levels:
        got = doc.get(level, {})
        for field, want in (("auroc", roc_auc_score(labels, values)),
                            ("ap", average_precision_score(labels, values))):
            if not (isinstance(got.get(field), (int, float))
                    and close(float(got[field]), float(want))):
                problems.append(f"{level}.{field}: {got.get(field)!r}, scikit-learn {want!r}")
        t = got.get("threshold")
        if not isinstance(t, (int, float)):
            problems.append(f"{level}.threshold: {t!r}")
            continue
        if level == "pixel" and data.pixels.dtype == np.float32 and float(np.float32(t)) != t:
            problems.append(f"pixel.threshold {t!r} is not a float32 value")
        for field, want in counts_at(values, labels, t, rule).items():
            if got.get(field) != want:
                problems.append(f"{level}.{field}: {got.get(field)!r}, numpy counts {want}")
    return problems


def plan(work, datasets):
    """Every check as a callable returning [(label, problems, context)]."""
    checks = []
    for data in datasets:
        for name, opts in OPTION_SETS:
            checks.append(lambda d=data, n=name, o=options(data, name, opts):
                          check_shards(work, d, n, o))
        for i, n in enumerate((2, 3, 7)):
            name, opts = OPTION_SETS[(i + 3) % len(OPTION_SETS)]
            checks.append(lambda d=data, n=n, name=name, o=options(data, name, opts):
                          check_shards(work, d, name, o, n, shuffle=SEED + n))
    npy32, npy64, folder = datasets[:3]
    for data in (npy32, npy64):
        for name, opts in (("default", []), ("aupro", ["--aupro"]),
                           ("sigma", options(data, "sigma", OPTION_SETS[3][1]))):
            checks.append(lambda d=data, o=opts, lb=f"{data.name}/groups-{name}":
                          check_groups(work, d, o, lb))
        checks.append(lambda d=data: check_merge_of_merge(work, d))
    for name, opts in (("default", []), ("aupro", ["--aupro"])):
        checks.append(lambda o=opts, lb=f"folder/groups-{name}":
                      check_folder_groups(work, folder, o, lb))
    # The per-defect table: each shard counts its defect folders apart.
    for data in (folder, datasets[4]):
        for name, opts in (("per-defect", ["--per-defect"]),
                           ("per-defect-gt", ["--per-defect", "--rule", "gt", "--aupro"])):
            checks.append(lambda d=data, n=name, o=opts: check_shards(work, d, n, o))
            checks.append(lambda d=data, n=name, o=opts:
                          check_shards(work, d, n, o, 3, shuffle=SEED + 3))
    return checks


def check_all(work, suite):
    datasets = build_all(work)
    datasets[0].sklearn = datasets[2].sklearn = True  # npy32, folder
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        for results in pool.map(lambda c: c(), plan(work, datasets)):
            for label, problems, context in results:
                suite.record(label, problems, context)
    return f"{len(datasets)} data sets"


def main():
    return harness.run_suite("merge-oracle", check_all, unit="checks")


if __name__ == "__main__":
    sys.exit(main())
