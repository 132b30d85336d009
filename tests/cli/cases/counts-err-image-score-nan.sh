# An image score that is NaN.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c '
import adtc
c = adtc.load("i.adtc")
c.images[3] = (float("nan"),) + c.images[3][1:]
adtc.save("c.adtc", c)' &&
	adthresh --merge c.adtc
