# The same image in two shards would count twice: shards cut from one
# data set name their images alike, so a shard of another cut that
# overlaps is refused.  Runs over separate stacks merge although both
# name their images 0, 1, ...
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
/usr/bin/python3 -c '
import numpy as np
rng = np.random.default_rng(5)
m = rng.random((6, 8, 8)).astype(np.float32)
k = (rng.random((6, 8, 8)) > 0.9).astype(np.uint8)
k[1] = k[4] = 0
np.save("m.npy", m); np.save("k.npy", k)
np.save("m1.npy", m[:3]); np.save("k1.npy", k[:3]); np.save("m2.npy", m[3:]); np.save("k2.npy", k[3:])' || exit 1
adthresh --maps m.npy --masks k.npy --shard 1/2 --save-counts a.adtc || exit 1
adthresh --maps m.npy --masks k.npy --shard 2/2 --save-counts b.adtc || exit 1
/usr/bin/python3 -c '
import sys
d = bytearray(open("a.adtc", "rb").read())
# Shard 1/2 (images 0 to 2) claims to be shard 2/2: k at byte 16.
d[16] = 2
import zlib
d[-4:] = zlib.crc32(bytes(d[:-4])).to_bytes(4, "little")
open("c.adtc", "wb").write(bytes(d))' || exit 1
# (The id's hash of the resolved path of m.npy differs between machines.)
adthresh --merge a.adtc c.adtc 2>err.txt; echo "exit $?"
sed 's/@[0-9a-f]\{16\}/@<hash>/' err.txt >&2
adthresh --maps m1.npy --masks k1.npy --save-counts p1.adtc || exit 1
adthresh --maps m2.npy --masks k2.npy --save-counts p2.adtc || exit 1
adthresh --maps m.npy --masks k.npy -f json >whole.json
adthresh --merge p1.adtc p2.adtc -f json | cmp - whole.json && echo "separate stacks: same"
