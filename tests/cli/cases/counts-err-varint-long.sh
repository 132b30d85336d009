# A varint of more than 64 bits (the option word count).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); save("c.adtc", build(c, raw={"words": b"\xff" * 9 + b"\x02"}))' &&
	adthresh --merge c.adtc
