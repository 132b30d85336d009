"""make bench: adthresh against the scikit-learn reference, same files, same run.

Environment: ADTHRESH (binary), BENCH_DIR (data cache, default build/bench),
BENCH_SIZES (default "1e6 1e7 1e8": stacked float32 NPY cases), BENCH_FOLDER
(default "1e7": TIFF + PNG folder cases; empty for none), BENCH_JOIN (default
"1e5": result folders of that many tiny maps, two per defect folder, for the
score-id join and the per-defect breakdown; empty for none), BENCH_RUNS
(default 3: the median is reported), BENCH_REF_RUNS (default BENCH_RUNS),
BENCH_ROWS (default "plain aupro aupimo memory shards read reference": which runs
of the pixel cases; the plain run always runs, as the others are compared to
it), BENCH_COLD (1: empty the page cache before every timed run, as root,
so that each reads its inputs from the disk), BENCH_LARGE (1: add the stacked 1e9 case, 5 GB on disk, without the
scikit-learn reference, which would need about 60 GB).
Bounded memory: "memory" runs the stacked cases again with --memory 256M
(and the 1e9 case with --memory 16G too, every key in memory as before the
bound existed); "agree" says whether their JSON is byte-identical to the
plain run's.  Sharded runs: "shards" runs the stacked cases as 4 shards
(--shard K/4 --save-counts), one after another, then --merge of their counts;
"agree" says whether the merge's JSON is byte-identical to the plain run's,
and a ratio line gives the longest shard plus the merge (the wall time with a
machine a shard) against the plain run.  "read" times `cat MAPS MASKS > /dev/null`, the time to read
the two input files once, in the same run; the ratio lines compare to it.
The --aupimo run's cost is also shown as its ratio to the plain run's time,
both measured in this run.
Wall time and peak RSS come from /usr/bin/time around each process; the
reference's time excludes its Python imports (measured inside it).
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable


def drop_caches():
    """With BENCH_COLD=1, empties the page cache (root only) so that the next
    run reads its files from the disk, as a first run on fresh data does."""
    if os.environ.get("BENCH_COLD") != "1":
        return
    subprocess.run(["sync"], check=True)
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    except OSError as e:
        sys.exit(f"bench: BENCH_COLD=1 needs to write /proc/sys/vm/drop_caches: {e}")


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (stdout, wall s, user+sys s, peak RSS bytes)."""
    drop_caches()
    proc = subprocess.run(["/usr/bin/time", "-f", "@@time %e %U %S %M"] + cmd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stats = [line for line in proc.stderr.splitlines() if line.startswith("@@time ")]
    if proc.returncode != 0 or not stats:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr}")
    _, wall, user, system, rss_kb = stats[-1].split()
    return proc.stdout, float(wall), float(user) + float(system), int(rss_kb) * 1024


def ensure(case_dir, pixels, kind):
    marker = os.path.join(case_dir, ".done")
    if not os.path.exists(marker):
        unit = "images" if kind == "join" else "pixels"
        print(f"bench: generating {kind} data of {pixels} {unit} in {case_dir}", flush=True)
        subprocess.run([PY, os.path.join(HERE, "gen.py"), case_dir, pixels, kind], check=True)
        open(marker, "w").close()


def read_once(paths, runs):
    """The median wall time of reading the files once (cat > /dev/null)."""
    walls = []
    for _ in range(runs):
        drop_caches()
        start = time.monotonic()
        subprocess.run(["cat", *paths], stdout=subprocess.DEVNULL, check=True)
        walls.append(time.monotonic() - start)
    return statistics.median(walls)


def median_run(cmd, runs, parse):
    walls, cpus, rss, out = [], [], [], None
    for _ in range(runs):
        out, wall, cpu, peak = timed(cmd)
        walls.append(parse(out) if parse else wall)
        cpus.append(cpu)
        rss.append(peak)
    return out, statistics.median(walls), statistics.median(cpus), max(rss)


def join_bench(adthresh, root, sizes, runs):
    """The joins a run with N images makes: (a) the maps alone, (b) with a
    scores file naming every image (the score-id join), (c) with
    --per-defect (the breakdown over N/2 folders).  What (b) and (c) add to
    (a) is the cost of the join and of the breakdown."""
    rows = []
    for size in sizes:
        case_dir = os.path.join(root, f"join-{size}")
        ensure(case_dir, size, "join")
        n = int(float(size))
        base = [adthresh, "--format", "json", "--maps", os.path.join(case_dir, "maps"),
                "--masks", os.path.join(case_dir, "masks")]
        runs_of = [("(a) maps", base),
                   ("(b) + scores.csv", base + [os.path.join(case_dir, "scores.csv")]),
                   ("(c) + --per-defect", base + ["--per-defect"])]
        first = None
        for name, cmd in runs_of:
            out, wall, cpu, rss = median_run(cmd, runs, None)
            doc = json.loads(out)
            if doc["image"]["n"] != n or (name.startswith("(c)")
                                          and len(doc.get("defects", {})) != (n + 1) // 2):
                sys.exit(f"bench: join {size} {name}: unexpected output {out[:300]}")
            first = first or (wall, cpu)
            extra = ["", ""]
            if not name.startswith("(a)"):
                extra = [f"{x - x0:+.2f} s ({(x - x0) / x0:+.0%})"
                         for x, x0 in ((wall, first[0]), (cpu, first[1]))]
            rows.append((f"join {size}", name, wall, cpu, rss, *extra))
    return rows


def print_join(rows, runs):
    head = ("case", "run", "wall s", "cpu s", "peak RSS MB", "wall - (a)", "cpu - (a)")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for case, name, wall, cpu, rss, wall_extra, cpu_extra in rows:
        print(f"| {case} | {name} | {wall:.3f} | {cpu:.2f} | {rss / 1e6:.0f} | {wall_extra} | "
              f"{cpu_extra} |")
    print(f"(median of {runs} runs; (b) - (a) is the score-id join, (c) - (a) the per-defect "
          "breakdown, each also as a share of (a))")


def shard_rows(adthresh, case_dir, maps, masks, case, out, wall, n, speed, ratios):
    """4 shards saved one after another, then merged; the rows of both."""
    files = [os.path.join(case_dir, f"shard-{k}.adtc") for k in range(1, 5)]
    try:
        shards = [timed([adthresh, "--maps", maps, "--masks", masks, "--shard", f"{k}/4",
                         "--save-counts", f]) for k, f in enumerate(files, 1)]
        m_out, m_wall, m_cpu, m_rss = timed([adthresh, "--format", "json", "--merge", *files])
        size = sum(os.path.getsize(f) for f in files)
    finally:
        for f in files:
            if os.path.exists(f):
                os.remove(f)
    s_wall = sum(s[1] for s in shards)
    s_rss = max(s[3] for s in shards)
    longest = max(s[1] for s in shards)
    ratios.append(f"{case}: 4 shards take {longest:.2f} s at most and their merge "
                  f"{m_wall:.2f} s: {(longest + m_wall) / wall:.2f}x the plain run's wall time "
                  f"with a machine a shard; counts files {size / n:.2f} bytes a pixel in all")
    return [(case, "adthresh --shard K/4 --save-counts (all 4)", s_wall,
             sum(s[2] for s in shards), s_rss, s_rss / n, speed(s_wall), ""),
            (case, "adthresh --merge (the 4 counts files)", m_wall, m_cpu, m_rss, m_rss / n,
             speed(m_wall), "yes" if m_out == out else "NO")]


def main():
    adthresh = os.environ.get("ADTHRESH", "build/adthresh")
    root = os.environ.get("BENCH_DIR", "build/bench")
    sizes = os.environ.get("BENCH_SIZES", "1e6 1e7 1e8").split()
    folders = os.environ.get("BENCH_FOLDER", "1e7").split()
    joins = os.environ.get("BENCH_JOIN", "1e5").split()
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    want = os.environ.get("BENCH_ROWS",
                          "plain aupro aupimo memory shards read reference").split()
    if os.environ.get("BENCH_LARGE") == "1" and "1e9" not in sizes:
        sizes.append("1e9")
    ref_runs = int(os.environ.get("BENCH_REF_RUNS", str(runs)))
    cases = [("stacked", s) for s in sizes] + [("folder", s) for s in folders]
    rows, ratios = [], []
    for kind, size in cases:
        case_dir = os.path.join(root, f"{kind}-{size}")
        ensure(case_dir, size, kind)
        if kind == "stacked":
            maps, masks = os.path.join(case_dir, "maps.npy"), os.path.join(case_dir, "masks.npy")
        else:
            maps, masks = os.path.join(case_dir, "maps"), os.path.join(case_dir, "masks")
        # The plain run and the runs with --aupro / --aupimo take turns, so
        # that a change in the machine's load weighs on all of them alike.
        large = kind == "stacked" and float(size) >= 1e9
        flags = [f for f in ("aupro", "aupimo") if f in want and not large]
        extra = [[f"--{f}"] for f in flags]
        if kind == "stacked" and "memory" in want:
            extra += [["--memory", "256M"]] + ([["--memory", "16G"]] if large else [])
        cmds = [[adthresh, "--format", "json", *flag, "--maps", maps, "--masks", masks]
                for flag in [[]] + extra]
        timed_runs = [[] for _ in cmds]
        for _ in range(runs):
            for k, cmd in enumerate(cmds):
                timed_runs[k].append(timed(cmd))
        medians = [(t[0][0], statistics.median(x[1] for x in t),
                    statistics.median(x[2] for x in t), max(x[3] for x in t))
                   for t in timed_runs]
        out, wall, cpu, rss = medians[0]
        ours = json.loads(out)["pixel"]
        n = ours["n"]
        ref_wall = None
        read_wall = read_once([maps, masks], runs) \
            if kind == "stacked" and "read" in want else None
        if "reference" in want and not large:
            ref_out, ref_wall, ref_cpu, ref_rss = median_run(
                [PY, os.path.join(HERE, "reference.py"), kind, maps, masks], ref_runs,
                lambda text: json.loads(text)["seconds"])
            ref = json.loads(ref_out)
            agree = (ours["threshold"] == ref["threshold"] and ours["tp"] == ref["tp"]
                     and ours["fp"] == ref["fp"] and abs(ours["auroc"] - ref["auroc"]) < 1e-9
                     and abs(ours["ap"] - ref["ap"]) < 1e-9)
            if not agree:
                print(f"bench: {kind} {size}: adthresh {ours} vs reference {ref}", flush=True)
        speed = (lambda w: ref_wall / w) if ref_wall else (lambda w: float("nan"))
        rows.append((f"{kind} {size}", "adthresh", wall, cpu, rss, rss / n, speed(wall),
                     "" if ref_wall is None else "yes" if agree else "NO"))
        # The same run with AU-PRO: regions labelled, anomalous pixels sorted
        # with their region sizes, the area integrated in the same sweep.
        # With AUPIMO: anomalous pixels sorted with their images, the shared
        # FPR tabulated from the normal images' highest pixels, the per-image
        # areas summed in the same sweep.
        for flag, (x_out, x_wall, x_cpu, x_rss) in zip(extra, medians[1:]):
            same = "" if flag[0] != "--memory" else "yes" if x_out == out else "NO"
            rows.append((f"{kind} {size}", f"adthresh {' '.join(flag)}", x_wall, x_cpu, x_rss,
                         x_rss / n, speed(x_wall), same))
            ratios.append(f"{kind} {size}: {' '.join(flag)} takes {x_wall / wall:.2f}x the "
                          f"plain run's wall time ({x_wall - wall:+.2f} s), {x_cpu / cpu:.2f}x "
                          f"its cpu time, {x_rss / rss:.2f}x its peak RSS")
        if kind == "stacked" and "shards" in want:
            rows += shard_rows(adthresh, case_dir, maps, masks, f"{kind} {size}", out, wall, n,
                               speed, ratios)
        if read_wall is not None:
            rows.append((f"{kind} {size}", "cat maps masks > /dev/null", read_wall, float("nan"),
                         0, 0.0, float("nan"), ""))
            ratios.append(f"{kind} {size}: the plain run takes {wall / read_wall:.2f}x the time "
                          f"to read the two files once ({wall:.2f} s against {read_wall:.2f} s); "
                          f"peak RSS {rss / 2**30:.2f} GiB")
        if ref_wall is not None:
            rows.append((f"{kind} {size}", "scikit-learn", ref_wall, ref_cpu, ref_rss,
                         ref_rss / n, 1.0, ""))
    head = ("case", "tool", "wall s", "cpu s", "peak RSS MB", "bytes/px", "speed-up", "agree")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for case, tool, wall, cpu, rss, bpp, ratio, agree in rows:
        speed = "-" if ratio != ratio else f"{ratio:.1f}x"
        cpu_s = "-" if cpu != cpu else f"{cpu:.2f}"
        rss_s, bpp_s = ("-", "-") if rss == 0 else (f"{rss / 1e6:.0f}", f"{bpp:.1f}")
        print(f"| {case} | {tool} | {wall:.3f} | {cpu_s} | {rss_s} | {bpp_s} | "
              f"{speed} | {agree} |")
    if "reference" in want:
        print(f"(median of {runs} adthresh runs and {ref_runs} reference runs; speed-up = "
              "reference wall / adthresh wall; the reference's time excludes its imports)")
    else:
        print(f"(median of {runs} adthresh runs; no reference runs: BENCH_ROWS)")
    for line in ratios:
        print(line)
    if joins:
        print()
        print_join(join_bench(adthresh, root, joins, runs), runs)


if __name__ == "__main__":
    main()
