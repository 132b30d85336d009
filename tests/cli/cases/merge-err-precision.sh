# float32 and float64 maps count different keys.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
/usr/bin/python3 -c '
import numpy as np
rng = np.random.default_rng(3)
m = rng.random((4, 16, 16))
k = (rng.random((4, 16, 16)) > 0.8).astype(np.uint8)
np.save("m64.npy", m); np.save("m32.npy", m.astype(np.float32)); np.save("k.npy", k)' || exit 1
adthresh --maps m32.npy --masks k.npy --shard 1/2 --save-counts a.adtc || exit 1
adthresh --maps m64.npy --masks k.npy --shard 2/2 --save-counts b.adtc || exit 1
adthresh --merge a.adtc b.adtc
