# Counts files that cannot be read: missing, a folder, not counts.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --merge missing.adtc; echo "exit $?"
adthresh --merge data; echo "exit $?"
adthresh --merge data/scores.csv; echo "exit $?"
: >empty.adtc
adthresh --merge empty.adtc; echo "exit $?"
