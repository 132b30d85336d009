# The anomalous pixels stay in memory: more of them than --memory holds is
# an error that says so.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$d" && /usr/bin/python3 -c '
import numpy as np
np.save("m.npy", np.random.default_rng(1).random((4, 256, 256)).astype(np.float32))
k = np.ones((4, 256, 256), np.uint8)
k[:, :, :8] = 0
np.save("k.npy", k)' && adthresh --threads 1 --memory 1M --maps m.npy --masks k.npy
