# Classes alternating pixel by pixel: every one of 1049600 points is a
# corner, and a file of more than a million rows is said without -v, with
# the hint.  The default keeps the corners 1e-5 apart (524800 samples a
# class), said with -v.
mkdir "$TMPDIR/cn" && cd "$TMPDIR/cn" && /usr/bin/python3 -c '
import numpy as np
np.save("m.npy", np.arange(1025 * 1024, dtype=np.float32).reshape(1, 1025, 1024))
k = np.zeros(1025 * 1024, dtype=np.uint8)
k[::2] = 1
np.save("k.npy", k.reshape(1, 1025, 1024))' && adthresh --maps m.npy --masks k.npy --curves c.csv --curve-points corners -o /dev/null && wc -l <c.csv && adthresh -v --maps m.npy --masks k.npy --curves c.csv -o /dev/null 2>&1 | grep curves && wc -l <c.csv && head -n 3 c.csv && tail -n 2 c.csv
