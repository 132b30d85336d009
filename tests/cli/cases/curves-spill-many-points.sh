mkdir "$TMPDIR/sp" && cd "$TMPDIR/sp" && /usr/bin/python3 -c '
import numpy as np
# 1025 x 1024 distinct float32 scores: past the 2^20 points a curve keeps in memory
np.save("m.npy", np.arange(1025 * 1024, dtype=np.float32).reshape(1, 1025, 1024))
k = np.zeros((1, 1025, 1024), dtype=np.uint8)
k[0, :100] = 1
np.save("k.npy", k)' && mkdir spill && TMPDIR=spill adthresh --maps m.npy --masks k.npy --curves c.csv --curve-points all -f csv && wc -l <c.csv && sed -n '2p;3p;1049601p;1049602p' c.csv && ls spill
