# Two image samples with one id.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); c.images[5] = c.images[5][:2] + (c.images[1][2],); save("c.adtc", c)' &&
	adthresh --merge c.adtc
