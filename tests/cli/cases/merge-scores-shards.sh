# Image scores alone: shards of the rows; the merged counts saved and
# merged again with counts of other data.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
for k in 1 2 3 4; do adthresh data/scores.csv --rule gt --shard $k/4 --save-counts i$k.adtc || exit 1; done
adthresh data/scores.csv --rule gt -f json >whole.json
adthresh --merge i1.adtc i2.adtc i3.adtc i4.adtc --save-counts all.adtc -f json >merged.json || exit 1
cmp merged.json whole.json && echo "merged and saved: same"
adthresh --merge all.adtc -f json | cmp - whole.json && echo "merge of a merge: same"
adthresh --merge i1.adtc i2.adtc i3.adtc i4.adtc -f csv
