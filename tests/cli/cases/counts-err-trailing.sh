# Bytes after the checksum.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c '
import adtc
c = adtc.load("i.adtc")
adtc.save("c.adtc", adtc.build(c) + b"\n")' &&
	adthresh --merge c.adtc
