# One image counted twice: the maps folder spelt two ways, or shards cut
# from two stacks, are refused.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --maps data/bottle --masks data/bottle --save-counts a.adtc || exit 1
adthresh --maps data/bottle/ --masks data/bottle --save-counts b.adtc || exit 1
adthresh --maps ./data/bottle --masks data/bottle --shard 1/2 --save-counts s1.adtc || exit 1
adthresh --maps data/bottle --masks data/bottle --shard 2/2 --save-counts s2.adtc || exit 1
adthresh --merge a.adtc b.adtc 2>err.txt; echo "exit $?"
sed 's/@[0-9a-f]\{16\}/@<hash>/' err.txt >&2
adthresh --merge s1.adtc s2.adtc -f json >m.json && adthresh --maps data/bottle --masks data/bottle -f json | cmp - m.json && echo "shards of one folder spelt two ways: same"
/usr/bin/python3 -c '
import numpy as np
rng = np.random.default_rng(9)
for name in ("m", "n"):
    np.save(name + ".npy", rng.random((6, 8, 8)).astype(np.float32))
k = (rng.random((6, 8, 8)) > 0.9).astype(np.uint8)
k[2] = 0
np.save("k.npy", k)' || exit 1
adthresh --maps m.npy --masks k.npy --shard 1/2 --save-counts c1.adtc || exit 1
adthresh --maps n.npy --masks k.npy --shard 2/2 --save-counts c2.adtc || exit 1
adthresh --merge c1.adtc c2.adtc; echo "exit $?"
