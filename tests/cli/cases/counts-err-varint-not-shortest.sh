# A varint not in its shortest form (0 as two bytes).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); save("c.adtc", build(c, raw={"words": b"\x80\x00"}))' &&
	adthresh --merge c.adtc
