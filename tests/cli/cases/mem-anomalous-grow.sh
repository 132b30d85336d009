# The anomalous pixels stay in memory: past the bound the buffer grows for
# them, on every run alike whatever the threads' timing, with the result of
# a run in memory.  A map larger than the bound holds is an error naming it.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$d" && /usr/bin/python3 -c '
import numpy as np
rng = np.random.default_rng(1)
np.save("m.npy", rng.random((60, 100, 100)).astype(np.float32))
k = np.ones((60, 100, 100), np.uint8)
k[:, :, :8] = 0
k[59] = 0
np.save("k.npy", k)
np.save("big.npy", rng.random((3, 600, 600)).astype(np.float32))
np.save("bigk.npy", (rng.random((3, 600, 600)) < 0.1).astype(np.uint8))' || exit 1
adthresh --maps m.npy --masks k.npy -f json >a.json || exit 1
for t in 1 2 2 2 2; do
	adthresh --threads $t --memory 1M --maps m.npy --masks k.npy -f json >b.json &&
		cmp a.json b.json && echo "same, $t threads"
done
# 360000-pixel maps: --memory 4M holds 524288 keys, one map at a time.
adthresh --maps big.npy --masks bigk.npy -f json >a.json &&
adthresh --memory 4M --maps big.npy --masks bigk.npy -f json >b.json && cmp a.json b.json &&
	echo "same, maps of 360000 pixels"
adthresh --memory 2M --maps big.npy --masks bigk.npy
