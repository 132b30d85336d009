mkdir "$TMPDIR/sf" && cd "$TMPDIR/sf" && /usr/bin/python3 -c '
import numpy as np
# 1025 x 1024 distinct float32 scores: past the 2^20 points a curve keeps in memory
np.save("m.npy", np.arange(1025 * 1024, dtype=np.float32).reshape(1, 1025, 1024))
k = np.zeros((1, 1025, 1024), dtype=np.uint8)
k[0, :100] = 1
np.save("k.npy", k)' && TMPDIR=/nonexistent adthresh --maps m.npy --masks k.npy --curves c.csv; s=$?; ls; exit $s
