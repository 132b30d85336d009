# The file ends in its head (in the shard fields).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c '
import adtc
c = adtc.load("i.adtc")
adtc.save("c.adtc", adtc.build(c)[:22])' &&
	adthresh --merge c.adtc
