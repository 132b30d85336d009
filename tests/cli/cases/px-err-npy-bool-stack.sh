cd "$TMPDIR" && /usr/bin/python3 -c '
import numpy as np
np.save("m.npy", np.linspace(0, 1, 48, dtype=np.float32).reshape(3, 4, 4))
k = np.zeros((3, 4, 4), dtype=np.bool_)
np.save("k.npy", k)
b = bytearray(open("k.npy", "rb").read())
b[-16 + 4 * 3 + 1] = 2  # image 2, pixel (1, 3)
open("k.npy", "wb").write(b)' && adthresh --maps m.npy --masks k.npy
