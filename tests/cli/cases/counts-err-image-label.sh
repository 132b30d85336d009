# Image label 2.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); c.images[2] = (c.images[2][0], 2, c.images[2][2]); save("c.adtc", c)' &&
	adthresh --merge c.adtc
