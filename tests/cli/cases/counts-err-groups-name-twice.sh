# The same defect folder twice.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps data/bottle --masks data/bottle --per-defect --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); c.groups[1] = (c.groups[0][0],) + c.groups[1][1:]; save("c.adtc", c)' &&
	adthresh --merge c.adtc
