# Shard 3 of 2: no part.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); c.shard_k, c.shard_n, c.items = 3, 2, 83; save("c.adtc", c)' &&
	adthresh --merge c.adtc
