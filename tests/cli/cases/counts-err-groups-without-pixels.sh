# The defect-folder flag on counts of image scores alone.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh --maps data/bottle --masks data/bottle --per-defect --save-counts "$d/p.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("p.adtc"); c.flags &= ~(PIXEL | REGIONS | WIDE); c.steps = []; c.groups = []; c.flags |= DEFECTS; save("c.adtc", c)' &&
	adthresh --merge c.adtc
