# A wrong checksum (the images renamed so that the right one is the same
# on every machine: an id made from maps holds a hash of their path).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps tests/cli/inputs/px/stack/maps.npy --masks tests/cli/inputs/px/stack/masks.npy --aupro --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); c.images = [(x, y, b"img%d" % i) for i, (x, y, _) in enumerate(c.images)]; save("c.adtc", build(c, crc=0x12345678))' &&
	adthresh --merge c.adtc
