# A shard of normal images alone, or one on which the policy's target is
# out of reach, is counted without a word; the merge chooses.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
for k in 1 2 3; do
	adthresh --maps data/bottle --masks data/bottle --map-maxima --policy pixel=precision:0.95 --shard $k/3 --save-counts s$k.adtc; echo "exit $?"
done
adthresh --merge s1.adtc s2.adtc s3.adtc; echo "exit $?"
adthresh --maps data/bottle --masks data/bottle --map-maxima --policy pixel=precision:0.95 -f json >whole.json
adthresh --merge s3.adtc s2.adtc s1.adtc -f json | cmp - whole.json && echo "same"
