# A varint not in its shortest form (0 as two bytes).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c '
import adtc
c = adtc.load("i.adtc")
adtc.save("c.adtc", adtc.build(c, raw={"words": b"\x80\x00"}))' &&
	adthresh --merge c.adtc
