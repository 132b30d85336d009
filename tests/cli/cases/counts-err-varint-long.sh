# A varint of more than 64 bits (the option word count).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c '
import adtc
c = adtc.load("i.adtc")
adtc.save("c.adtc", adtc.build(c, raw={"words": b"\xff" * 9 + b"\x02"}))' &&
	adthresh --merge c.adtc
