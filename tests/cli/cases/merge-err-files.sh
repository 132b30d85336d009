# Counts files that cannot be read: missing, a folder, not counts.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --merge missing.adtc; echo "exit $?"
adthresh --merge data; echo "exit $?"
adthresh --merge data/scores.csv; echo "exit $?"
: >empty.adtc
adthresh --merge empty.adtc; echo "exit $?"
# An output that is one of the counts files is refused; the file stays.
adthresh data/scores.csv --shard 1/2 --save-counts a.adtc && adthresh data/scores.csv --shard 2/2 --save-counts b.adtc || exit 1
cp a.adtc before.adtc
adthresh --merge a.adtc b.adtc --save-counts a.adtc; echo "exit $?"
adthresh --merge a.adtc b.adtc -o b.adtc; echo "exit $?"
cmp a.adtc before.adtc && echo "a.adtc unchanged"
