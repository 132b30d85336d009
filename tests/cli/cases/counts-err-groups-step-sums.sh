# A defect folder whose steps hold fewer pixels than its head says.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps data/bottle --masks data/bottle --per-defect --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); g = c.groups[0]; c.groups[0] = (g[0], g[1], g[2] + 1) + g[3:]; save("c.adtc", c)' &&
	adthresh --merge c.adtc
