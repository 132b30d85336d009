# Keys past --memory need a temporary folder: a missing one is an error
# naming it, and nothing is printed.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$d" && /usr/bin/python3 -c '
import numpy as np
np.save("m.npy", np.random.default_rng(1).random((8, 256, 256)).astype(np.float32))
np.save("k.npy", np.zeros((8, 256, 256), np.uint8) | (np.arange(256) < 9)[None, None, :])' &&
TMPDIR=missing adthresh --memory 1M --maps m.npy --masks k.npy
