# The file ends in the pixel steps.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps tests/cli/inputs/px/stack/maps.npy --masks tests/cli/inputs/px/stack/masks.npy --aupro --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); save("c.adtc", build(c)[:offset(c, "steps") + 4])' &&
	adthresh --merge c.adtc
