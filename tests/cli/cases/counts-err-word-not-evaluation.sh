# A saved option word that is an option, but not an evaluation option.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && h=$PWD/tests/cli/inputs/counts &&
	adthresh data/scores.csv --save-counts "$d/i.adtc" && cd "$d" &&
	PYTHONPATH=$h /usr/bin/python3 -c 'from adtc import *; c = load("i.adtc"); c.words = [b"--maps=m.npy"]; save("c.adtc", c)' &&
	adthresh --merge c.adtc
