# A defect folder with more distinct scores than pixels.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps data/bottle --masks data/bottle --per-defect --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); g = c.groups[0]; c.groups[0] = g[:3] + (g[1] + g[2] + 1, g[4]); save("c.adtc", c)' &&
	adthresh --merge c.adtc
