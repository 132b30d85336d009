# PNG maps larger than 64 KiB, one with 100 KB of text before its image
# data: probed from a prefix, or from the whole file when the header
# chunks do not fit in it.
cd "$TMPDIR" && mkdir -p big/test/crack big/ground_truth/crack && "${PYTHON:-/usr/bin/python3}" -c '
import numpy as np
from PIL import Image, PngImagePlugin
rng = np.random.default_rng(7)
for i, text in ((0, ""), (1, "x" * 100000)):
    m = rng.integers(0, 65536, size=(300, 300)).astype(np.uint16)
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("comment", text)
    Image.fromarray(m).save(f"big/test/crack/{i:03d}.png", pnginfo=info)
    k = np.zeros((300, 300), np.uint8)
    k[100:140, 50:90] = 255
    Image.fromarray(k).save(f"big/ground_truth/crack/{i:03d}_mask.png")
' && ls -l big/test/crack | awk '$5 > 65536 {n++} END {print n, "maps over 64 KiB"}' && adthresh --maps big --masks big --allow-one-class -q --format csv | cut -d, -f1-4
