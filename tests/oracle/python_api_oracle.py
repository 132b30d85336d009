#!/usr/bin/python3
"""Cross-check the Python API (src/python/adthresh) against the program.

On generated data, adthresh.evaluate(...) on arrays must return exactly the
dict json.loads makes of `adthresh --format json` run on the same data
written to files: maps and masks saved with numpy.save as maps.npy and
masks.npy, the image scores as a CSV named `scores` (score,label rows in
the order of the maps, so that the CLI pairs them by order and names its
source "scores", as the API names its scores).  Every combination of

  inputs    scores only; maps and masks (image level from the map maxima);
            scores, maps and masks
  maps      float32 and float64, [N,H,W] and [N,1,H,W]; masks bool and uint8
  policy    f1, fpr:F, recall:R, sigma:K, youden, precision:P, per level
  rule      ge, gt
  options   aupro (default and a limit), max_fpr, compare_policies, normalize

is compared, plus file inputs given to the API by name, and the files
save_thresholds, curves, plot and per_image write (the same bytes as the
CLI's; none left behind when one cannot be written).  Errors must raise
adthresh.Error whose text is the CLI's stderr line without "adthresh: "
(the file maps.npy written "maps" there, as the API names its arrays); unmet
gates raise GateError holding the CLI's report; warnings come as
AdthreshWarning with the CLI's text.

Zero copy: adthresh._copy (the package's one copying function) is replaced
by one that counts its calls; a read-only memory-mapped float32 stack
(np.load(..., mmap_mode="r")), [N,H,W] or [N,1,H,W], must be evaluated
without a call, a strided, Fortran-ordered or big-endian one with exactly
one call per array.  Also: calls from several threads at once, and the
search for the library (ADTHRESH_LIBRARY, an installed layout, the error
that names where it looked).
"""

import itertools
import os
import re
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import harness

with harness.needs("python-api-oracle", "numpy (python3-numpy)"):
    import numpy as np

PACKAGE = harness.REPO / "src" / "python"


def library_path():
    """The shared library beside the binary under test."""
    given = os.environ.get("ADTHRESH_LIBRARY")
    path = Path(given) if given else harness.adthresh_path().parent / "libadthresh.so.1"
    return path.resolve()


def import_adthresh():
    os.environ["ADTHRESH_LIBRARY"] = str(library_path())
    sys.path.insert(0, str(PACKAGE))
    import adthresh  # noqa: E402

    return adthresh


def cli(work, args):
    """adthresh --format json ARGS in work: (status, stdout, stderr)."""
    p = subprocess.run([str(harness.adthresh_path()), "--format", "json", *args], cwd=work,
                       capture_output=True, text=True, timeout=harness.RUN_TIMEOUT,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def words(options):
    """The CLI words of evaluate()'s options (as the package writes them)."""
    out = []
    for key, value in options.items():
        for v in value if isinstance(value, list) else [value]:
            name = "--" + key.replace("_", "-")
            if v is True:
                out.append(name)
            elif v is not False and v is not None:
                out.append(f"{name}={v!r}" if isinstance(v, float) else f"{name}={v}")
    return out


def generate(rng, n=8, h=12, w=10):
    """Maps with ties (quantised values), masks with a blob or two on the
    anomalous images, image scores with ties and their labels."""
    maps = np.round(rng.random((n, h, w)) * 64) / 64
    masks = np.zeros((n, h, w), dtype=bool)
    labels = np.zeros(n, dtype=np.uint8)
    for i in range(n):
        if i % 3 == 0:
            continue
        labels[i] = 1
        for _ in range(1 + i % 2):
            y, x = rng.integers(0, h - 3), rng.integers(0, w - 3)
            dy, dx = rng.integers(1, 4), rng.integers(1, 4)
            masks[i, y:y + dy, x:x + dx] = True
            maps[i, y:y + dy, x:x + dx] += rng.random() * 0.5
    scores = np.round(rng.random(n) * 8) / 8 + labels * rng.random(n) * 0.5
    return maps, masks, scores, labels


def write(work, name, maps, masks, scores, labels):
    """The files of one variant in work/name: maps.npy, masks.npy, scores."""
    d = work / name
    d.mkdir()
    if maps is not None:
        np.save(d / "maps.npy", maps)
        np.save(d / "masks.npy", masks)
    if scores is not None:
        with open(d / "scores", "w") as f:
            f.write("score,label\n")
            for s, y in zip(scores, labels):
                f.write(f"{float(s)!r},{int(y)}\n")
    return d


class Checker:
    def __init__(self, adthresh, suite):
        self.a = adthresh
        self.suite = suite

    def same(self, label, d, cli_args, call):
        """The API's dict (call()) equals the CLI's JSON, or both fail alike."""
        rc, out, err = cli(d, cli_args)
        problems = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                got, got_err = call(), None
            except self.a.Error as e:
                got, got_err = e.result, e
        want_warnings = [line[len("adthresh: warning: "):] for line in err.splitlines()
                         if line.startswith("adthresh: warning: ")]
        got_warnings = [str(w.message) for w in caught
                        if issubclass(w.category, self.a.AdthreshWarning)]
        if rc == 0:
            doc, problems = harness.parse_json(rc, out, err)
            if got_err is not None:
                problems.append(f"API raised {got_err!r}; the CLI exits 0")
            elif doc is not None and got != doc:
                problems.append(f"dicts differ:\n  API {got}\n  CLI {doc}")
        else:
            want = "\n".join(line[len("adthresh: "):] for line in err.splitlines()
                             if line.startswith("adthresh: ") and
                             not line.startswith("adthresh: warning: "))
            want = want.replace("maps.npy", "maps").replace("masks.npy", "masks")
            if got_err is None:
                problems.append(f"API returned; the CLI exits {rc}: {harness.first_line(err)}")
            elif str(got_err) != want or got_err.status != rc:
                problems.append(f"error: API {got_err.status} {str(got_err)!r}, "
                                f"CLI {rc} {want!r}")
            elif rc == 1:
                doc, p = harness.parse_json(rc, out, err, want_rc=1)
                problems += p
                if doc is not None and got_err.result != doc:
                    problems.append("the GateError's result is not the CLI's report")
        if got_warnings != want_warnings:
            problems.append(f"warnings: API {got_warnings}, CLI {want_warnings}")
        self.suite.record(label, problems, "adthresh --format json " + " ".join(cli_args))

    def error(self, label, call, want):
        try:
            call()
        except self.a.Error as e:
            self.suite.record(label, [] if str(e) == want else [f"{str(e)!r} != {want!r}"])
            return
        except Exception as e:  # noqa: BLE001 - any other exception is a failure
            self.suite.record(label, [f"raised {e!r}, not adthresh.Error"])
            return
        self.suite.record(label, ["no error"])


POLICIES = [
    {},
    {"policy": "fpr:0.05"},
    {"policy": "recall:0.8"},
    {"policy": "sigma:2"},
    {"policy": "youden"},
    {"policy": "precision:0.5"},
    {"policy": ["image=youden", "pixel=fpr:0.01"]},
]
EXTRAS = [
    {},
    {"aupro": True, "max_fpr": 0.1},
    {"aupro": 0.2},
    {"max_fpr": 0.5, "compare_policies": True},
    {"normalize": "minmax"},
]


def check_variants(c, work, rng):
    a = c.a
    base_maps, base_masks, scores, labels = generate(rng)
    for dtype, layout, mask_dtype in itertools.product(
            (np.float32, np.float64), ("NHW", "N1HW"), (bool, np.uint8)):
        maps = base_maps.astype(dtype)
        masks = base_masks.astype(mask_dtype)
        if layout == "N1HW":
            maps, masks = maps[:, None], masks[:, None]
        name = f"{np.dtype(dtype).name}-{layout}-{np.dtype(mask_dtype).name}"
        d = write(work, name, maps, masks, scores, labels)
        k = 0
        for kind in ("scores", "maps", "both"):
            for policy, rule in itertools.product(POLICIES, ("ge", "gt")):
                opts = {"rule": rule, **policy}
                if kind != "scores":
                    opts.update(EXTRAS[k % len(EXTRAS)])
                    k += 1
                args = words(opts)
                arrays = {}
                if kind in ("scores", "both"):
                    arrays.update(scores=scores, labels=labels)
                if kind in ("maps", "both"):
                    arrays.update(maps=maps, masks=masks)
                    args += ["--maps", "maps.npy", "--masks", "masks.npy"]
                if kind in ("scores", "both"):
                    args.append("scores")
                c.same(f"{name}/{kind}/{rule}/{opts}", d, args,
                       lambda arrays=arrays, opts=opts: a.evaluate(**arrays, **opts))
    # File inputs given to the API by name.
    d = work / "float32-NHW-bool"
    c.same("files/maps", d, ["--maps", "maps.npy", "--masks", "masks.npy", "--aupro"],
           lambda: a.evaluate(maps=d / "maps.npy", masks=str(d / "masks.npy"), aupro=True))
    c.same("files/scores", d, ["--rule", "gt", str(d / "scores")],
           lambda: a.evaluate(scores=str(d / "scores"), rule="gt"))
    return base_maps.astype(np.float32), base_masks, scores, labels, d


def check_errors(c, work, maps, masks, scores, labels, d):
    a = c.a
    both = {"maps": maps, "masks": masks}
    cases = [
        ("unknown option", ["--bogus=1", "scores"], {"scores": scores, "labels": labels,
                                                     "bogus": 1}),
        ("ambiguous option", ["--ver", "scores"], {"scores": scores, "labels": labels,
                                                   "ver": True}),
        ("bad rule", ["--rule=gte", "scores"], {"scores": scores, "labels": labels,
                                                 "rule": "gte"}),
        ("bad policy", ["--policy=fpr:2", "scores"], {"scores": scores, "labels": labels,
                                                       "policy": "fpr:2"}),
        ("aupro without maps", ["--aupro", "scores"], {"scores": scores, "labels": labels,
                                                        "aupro": True}),
        ("bad aupro", ["--aupro=2", "--maps", "maps.npy", "--masks", "masks.npy"],
         {**both, "aupro": 2}),
        ("pixel threshold without maps", ["--pixel-threshold=0.5", "scores"],
         {"scores": scores, "labels": labels, "pixel_threshold": 0.5}),
        ("per-defect without folders", ["--per-defect", "--maps", "maps.npy", "--masks",
                                        "masks.npy"], {**both, "per_defect": True}),
        ("missing thresholds file", ["--thresholds=nonexistent.json", "scores"],
         {"scores": scores, "labels": labels, "thresholds": "nonexistent.json"}),
        ("gate unmet", ["--fail-under=image.f1=1.01", "scores"],
         {"scores": scores, "labels": labels, "fail_under": "image.f1=1.01"}),
        ("gate met", ["--gate=pixel.auroc>=0.1", "--maps", "maps.npy", "--masks",
                      "masks.npy"], {**both, "gate": "pixel.auroc>=0.1"}),
        ("given thresholds", ["--image-threshold=0.5", "--pixel-threshold=0.25", "--maps",
                              "maps.npy", "--masks", "masks.npy", "scores"],
         {**both, "scores": scores, "labels": labels, "image_threshold": 0.5,
          "pixel_threshold": 0.25}),
    ]
    for label, args, kw in cases:
        c.same(f"error/{label}", d, args, lambda kw=kw: a.evaluate(**kw))
    # NaN in a map: the CLI names the file maps.npy, the API "maps".
    bad = maps.copy()
    bad[2, 3, 4] = np.nan
    e = write(work, "nan-map", bad, masks, None, None)
    c.same("error/nan map", e, ["--maps", "maps.npy", "--masks", "masks.npy"],
           lambda: a.evaluate(maps=bad, masks=masks))
    # One class: an error, or with --allow-one-class warnings.
    normal = np.zeros(len(scores), dtype=np.uint8)
    e = write(work, "one-class", maps, np.zeros_like(masks), scores, normal)
    c.same("error/one class", e, ["scores"],
           lambda: a.evaluate(scores=scores, labels=normal))
    c.same("warning/one class", e, ["--allow-one-class", "scores"],
           lambda: a.evaluate(scores=scores, labels=normal, allow_one_class=True))
    c.same("warning/quiet", e, ["--allow-one-class", "-q", "scores"],
           lambda: a.evaluate(scores=scores, labels=normal, allow_one_class=True, quiet=True))
    c.same("warning/maps of one class", e, ["--maps", "maps.npy", "--masks", "masks.npy",
                                            "--policy=fpr:0.1"],
           lambda: a.evaluate(maps=maps, masks=np.zeros_like(masks), policy="fpr:0.1"))
    # The API's own errors.
    c.error("API/arrays and files", lambda: a.evaluate(maps=maps, masks=masks,
                                                       scores=str(d / "scores")),
            "inputs given as arrays cannot be combined with --maps, --masks or a scores file")
    c.error("API/file maps, array masks",
            lambda: a.evaluate(maps=str(d / "maps.npy"), masks=masks),
            "inputs given as arrays cannot be combined with --maps, --masks or a scores file")
    c.error("API/labels of a file", lambda: a.evaluate(scores=str(d / "scores"), labels=labels),
            "labels go with scores given as an array; a scores file has its own")
    c.error("API/score count", lambda: a.evaluate(scores=scores[:-1], labels=labels[:-1],
                                                  maps=maps, masks=masks),
            f"{len(scores) - 1} scores for {len(maps)} maps: give one score per map, in the "
            "order of the maps")
    flipped = labels.copy()
    flipped[0] = 1 - flipped[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a.evaluate(scores=scores, labels=flipped, maps=maps, masks=masks)
    got = [str(w.message) for w in caught if issubclass(w.category, a.AdthreshWarning)]
    want = [f"scores: image '0' is labelled {'anomalous' if flipped[0] else 'normal'} but its "
            f"mask {'marks no pixel' if flipped[0] else 'marks anomalous pixels'} "
            f"(1 of {len(scores)} images disagree with their masks)"]
    c.suite.record("API/label against mask", [] if got == want else [f"{got} != {want}"])
    c.error("API/no input", lambda: a.evaluate(rule="gt"),
            "no input: give scores and labels, or maps and masks")
    for opt, value in (("save_counts", "s.adtc"), ("merge", True), ("shard", "1/2")):
        c.error(f"API/{opt}", lambda: a.evaluate(scores=scores, labels=labels, **{opt: value}),
                f"--{opt.replace('_', '-')}: sharded runs are the program's (this call returns "
                "a report of its inputs)")
    c.error("API/maps without masks", lambda: a.evaluate(maps=maps),
            "maps need masks (nonzero = anomalous)")
    c.error("API/scores without labels", lambda: a.evaluate(scores=scores),
            "scores need labels")
    c.error("API/output", lambda: a.evaluate(scores=scores, labels=labels, output="r.json"),
            "-o writes the report to a file; this call returns it")
    c.error("API/csv format", lambda: a.evaluate(scores=scores, labels=labels, format="csv"),
            "this call returns the JSON report, not --format csv")
    c.error("API/batch", lambda: a.evaluate(maps=maps, masks=masks, batch=True),
            "--batch evaluates folders, not arrays")
    c.error("API/integer map", lambda: a.evaluate(maps=(maps * 10).astype(np.int32),
                                                  masks=masks),
            "unsupported map dtype 'int32'")
    c.error("API/float mask", lambda: a.evaluate(maps=maps, masks=masks.astype(np.float32)),
            "unsupported mask dtype 'float32'")
    c.error("API/NaN score", lambda: a.evaluate(scores=[0.1, float("nan")], labels=[0, 1]),
            "scores: element 1: score is NaN")
    c.error("API/label 2", lambda: a.evaluate(scores=[0.1, 0.2], labels=[0, 2]),
            "labels: element 1: label 2 is not 0 or 1")
    c.error("API/shape", lambda: a.evaluate(maps=maps[0], masks=masks[0]),
            f"maps must be [N,H,W] or [N,1,H,W], not of shape {maps[0].shape}")
    c.error("API/mask shape", lambda: a.evaluate(maps=maps, masks=masks[:, :-1]),
            f"masks must have the shape of maps: {masks[:, :-1].shape} and {maps.shape}")


def check_files(c, maps, masks, scores, labels, d):
    """The files the options name: the same bytes from the API as from the CLI."""
    outputs = {"save_thresholds": "t.json", "curves": "c.csv", "plot": "p.svg",
               "per_image": "i.csv"}
    for label, opts in [("both levels", {"curve_points": 5}), ("given", {"rule": "gt"})]:
        args = words({k: f"cli-{v}" for k, v in outputs.items()}) + words(opts)
        args += ["--maps", "maps.npy", "--masks", "masks.npy", "scores"]
        files = {k: str(d / f"api-{v}") for k, v in outputs.items()}
        c.same(f"files/{label}", d, args,
               lambda opts=opts, files=files: a_evaluate(c, maps=maps, masks=masks,
                                                         scores=scores, labels=labels,
                                                         **files, **opts))
        problems = []
        for v in outputs.values():
            cli_file, api_file = d / f"cli-{v}", d / f"api-{v}"
            if v.endswith(".svg") and api_file.exists():
                # The picture's title is the input's name: the maps file's
                # for the CLI, "maps" for arrays; the rest of its text alike.
                texts = [svg_text(f) for f in (cli_file, api_file)]
                if texts[0][2:] != texts[1][2:] or texts[1][:2] != ["maps", "maps"]:
                    problems.append(f"{api_file.name} differs from {cli_file.name}: {texts}")
            elif not api_file.exists() or cli_file.read_bytes() != api_file.read_bytes():
                problems.append(f"{api_file.name} differs from {cli_file.name}")
            for f in (cli_file, api_file):
                f.unlink(missing_ok=True)
        c.suite.record(f"files/{label}/contents", problems)
    # All or nothing: a file that cannot be written leaves none behind.
    c.same("files/unwritable", d, ["--curves=cli-c.csv", "--save-thresholds=no/t.json",
                                   "scores"],
           lambda: a_evaluate(c, scores=scores, labels=labels, curves=str(d / "api-c.csv"),
                              save_thresholds="no/t.json"))
    left = [f.name for f in d.iterdir() if f.name.startswith(("api-", ".api-"))]
    c.suite.record("files/unwritable/nothing left", [f"left {left}"] if left else [])


def svg_text(path):
    """The title and the lines of the description of an SVG plot."""
    text = path.read_text()
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    desc = re.search(r"<desc>(.*?)</desc>", text, re.S)
    return [title.group(1) if title else None] + \
        (desc.group(1).strip().splitlines() if desc else [])


def a_evaluate(c, **kw):
    return c.a.evaluate(**kw)


def check_copies(c, work, maps, masks, d):
    """The arrays read in place, and the ones copied once."""
    a = c.a
    calls = []
    real = a._copy

    def counting(x, dtype=None):
        calls.append(x.shape)
        return real(x, dtype)

    want = a.evaluate(maps=maps, masks=masks)
    a._copy = counting
    try:
        for layout in ("NHW", "N1HW"):
            m, k = (maps, masks) if layout == "NHW" else (maps[:, None], masks[:, None])
            e = work / f"mmap-{layout}"
            e.mkdir()
            np.save(e / "maps.npy", m)
            np.save(e / "masks.npy", k)
            mm = np.load(e / "maps.npy", mmap_mode="r")
            km = np.load(e / "masks.npy", mmap_mode="r")
            calls.clear()
            problems = []
            if mm.flags.writeable:
                problems.append("the memory-mapped maps are writeable")
            got = a.evaluate(maps=mm, masks=km)
            if calls:
                problems.append(f"copied {len(calls)} arrays")
            if got != want:
                problems.append("a result other than the array's in memory")
            c.suite.record(f"zero copy/mmap {layout}", problems)
        for label, m, k in [
            ("strided maps", np.repeat(maps, 2, axis=2)[:, :, ::2], masks),
            ("Fortran-ordered maps", np.asfortranarray(maps), masks),
            ("big-endian maps", maps.astype(">f4"), masks),
            ("strided maps and masks", np.repeat(maps, 2, axis=1)[:, ::2],
             np.repeat(masks, 2, axis=1)[:, ::2]),
        ]:
            calls.clear()
            got = a.evaluate(maps=m, masks=k)
            n = 1 + (k is not masks)
            problems = [] if got == want else ["a result other than the contiguous array's"]
            if len(calls) != n:
                problems.append(f"{len(calls)} copies, expected {n}")
            c.suite.record(f"copy once/{label}", problems)
    finally:
        a._copy = real


def check_threads(c, maps, masks, scores, labels):
    """Calls at once from several threads give the results of calls in turn."""
    a = c.a
    jobs = [dict(maps=maps, masks=masks, rule=r, policy=p, aupro=True)
            for r in ("ge", "gt") for p in ("f1", "youden", "fpr:0.1", "sigma:1")]
    jobs += [dict(scores=scores, labels=labels, rule="gt", bogus=1)]
    want = []
    for j in jobs:
        try:
            want.append(a.evaluate(**j))
        except a.Error as e:
            want.append(str(e))
    got = [None] * len(jobs)

    def work(i):
        for _ in range(5):
            try:
                r = a.evaluate(**jobs[i])
            except a.Error as e:
                r = str(e)
            if got[i] is None or r != want[i]:
                got[i] = r
    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bad = [i for i in range(len(jobs)) if got[i] != want[i]]
    c.suite.record("threads", [f"call {i} differs under threads" for i in bad])


def check_loading(c, work):
    """ImportError naming where it looked; an installed layout found alone."""
    env = {k: v for k, v in os.environ.items() if k != "ADTHRESH_LIBRARY"}
    env["PYTHONPATH"] = str(PACKAGE)
    p = subprocess.run([sys.executable, "-c", "import adthresh"], capture_output=True,
                       text=True, env={**env, "ADTHRESH_LIBRARY": str(work / "none.so")})
    problems = []
    if p.returncode == 0 or "ImportError" not in p.stderr or "none.so" not in p.stderr:
        problems.append(f"a missing ADTHRESH_LIBRARY: {harness.first_line(p.stderr)}")
    c.suite.record("library/missing", problems)
    # PREFIX/lib/python3/dist-packages/adthresh beside PREFIX/lib/libadthresh.so.1.
    lib = work / "prefix" / "lib"
    pkg = lib / "python3" / "dist-packages" / "adthresh"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_bytes((PACKAGE / "adthresh" / "__init__.py").read_bytes())
    (lib / "libadthresh.so.1").write_bytes(library_path().read_bytes())
    env["PYTHONPATH"] = str(pkg.parent)
    code = ("import adthresh, sys; r = adthresh.evaluate(scores=[0.1, 0.9], labels=[0, 1]);"
            "print(r['image']['threshold'], adthresh._library_path()[0])")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    want = f"0.9 {lib / 'libadthresh.so.1'}"
    c.suite.record("library/installed", [] if p.stdout.strip() == want else
                   [f"printed {p.stdout.strip()!r} {harness.first_line(p.stderr)}, "
                    f"expected {want!r}"])
    pkg.joinpath("..", "..", "..", "libadthresh.so.1").resolve().unlink()
    p = subprocess.run([sys.executable, "-c", "import adthresh"], capture_output=True,
                       text=True, env=env)
    c.suite.record("library/not found", [] if "looked at" in p.stderr and
                   str(lib / "libadthresh.so.1") in p.stderr else
                   [f"stderr {harness.first_line(p.stderr)!r}"])


def check_all(work, suite):
    if not library_path().exists():
        suite.record("library", [f"{library_path()} is missing (run make)"])
        return None
    adthresh = import_adthresh()
    c = Checker(adthresh, suite)
    rng = np.random.default_rng(15)
    maps, masks, scores, labels, d = check_variants(c, work, rng)
    check_errors(c, work, maps, masks, scores, labels, d)
    check_files(c, maps, masks, scores, labels, d)
    check_copies(c, work, maps, masks, d)
    check_threads(c, maps, masks, scores, labels)
    check_loading(c, work)
    return None


if __name__ == "__main__":
    sys.exit(harness.run_suite("python-api-oracle", check_all))
