# An option word of 4097 bytes (at most 4096).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); c.words = [b"--" + b"a" * 4095]; save("c.adtc", c)' &&
	adthresh --merge c.adtc
