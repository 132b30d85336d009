# Shards must be parts of one data set, each once, none missing.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
for k in 1 2 3 4; do adthresh data/scores.csv --shard $k/4 --save-counts s$k.adtc || exit 1; done
adthresh data/scores.csv --shard 2/3 --save-counts t2.adtc || exit 1
cp s2.adtc copy.adtc
adthresh data/scores.csv --save-counts whole.adtc || exit 1
adthresh --merge s1.adtc s2.adtc s4.adtc; echo "exit $?"
adthresh --merge s1.adtc s3.adtc; echo "exit $?"
adthresh --merge s1.adtc s2.adtc s3.adtc copy.adtc s4.adtc; echo "exit $?"
adthresh --merge s1.adtc t2.adtc; echo "exit $?"
adthresh --merge s1.adtc whole.adtc; echo "exit $?"
adthresh --merge s1.adtc s2.adtc s1.adtc; echo "exit $?"
