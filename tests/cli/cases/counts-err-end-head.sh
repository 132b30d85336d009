# The file ends in its head (in the shard fields).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); save("c.adtc", build(c)[:22])' &&
	adthresh --merge c.adtc
