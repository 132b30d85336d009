# A defect folder whose scores do not decrease.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps data/bottle --masks data/bottle --per-defect --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); g = c.groups[0]; st = g[4]; st[1] = (st[0][0],) + st[1][1:]; c.groups[0] = g[:4] + (st,); save("c.adtc", c)' &&
	adthresh --merge c.adtc
