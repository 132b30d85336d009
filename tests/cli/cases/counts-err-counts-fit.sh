# A step with more anomalous pixels than the head holds.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps tests/cli/inputs/px/stack/maps.npy --masks tests/cli/inputs/px/stack/masks.npy --aupro --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); k, pos, neg, sizes = c.steps[0]; c.steps[0] = (k, c.P + 1, neg, sizes + [1] * c.P); save("c.adtc", c)' &&
	adthresh --merge c.adtc
