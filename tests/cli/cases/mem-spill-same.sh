# --memory 1M holds 131072 keys: the 655360 pixels spill to temporary files
# in runs, and every output is the same as with every key in memory.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$d" && /usr/bin/python3 -c '
import numpy as np
rng = np.random.default_rng(7)
m = rng.random((40, 128, 128)).astype(np.float32)
k = np.zeros((40, 128, 128), np.uint8)
for i in range(0, 40, 2):
    k[i, 10:40, 20:60] = 1
    m[i, 10:40, 20:60] += 0.3
m[5] = np.round(m[5] * 10) / 10
np.save("m.npy", m)
np.save("k.npy", k)' || exit 1
for opts in "" "--aupro --max-fpr 0.2" "--rule gt --policy fpr:0.01" "--per-image p.csv --threads 1" "--compare-policies --threads 2"; do
	rm -f p.csv a.json b.json pa.csv
	adthresh --maps m.npy --masks k.npy $opts -f json >a.json || exit 1
	[ -f p.csv ] && mv p.csv pa.csv
	adthresh --memory 1M --maps m.npy --masks k.npy $opts -f json >b.json || exit 1
	cmp a.json b.json && { [ ! -f pa.csv ] || cmp pa.csv p.csv; } && echo "same: $opts"
done
# sigma:K sums the normal scores in another order: equal to 1e-12.
adthresh --maps m.npy --masks k.npy --policy sigma:2 -f json >a.json &&
adthresh --memory 1M --maps m.npy --masks k.npy --policy sigma:2 -f json >b.json &&
/usr/bin/python3 -c '
import json
a, b = (json.load(open(f))["pixel"] for f in ("a.json", "b.json"))
assert abs(a["normal_mean"] - b["normal_mean"]) <= 1e-12 * abs(a["normal_mean"])
assert abs(a["normal_std"] - b["normal_std"]) <= 1e-12 * abs(a["normal_std"])
print("sigma:2 counts equal:", (a["tp"], a["fp"]) == (b["tp"], b["fp"]))'
ls
