# --per-defect: each shard counts each defect folder's pixels apart; the
# merge counts them at its thresholds, as one run over all the maps does.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
for k in 1 2 3; do
	adthresh --maps data/bottle --masks data/bottle --per-defect --rule gt --shard $k/3 --save-counts s$k.adtc || exit 1
done
adthresh --maps data/bottle --masks data/bottle --per-defect --rule gt -f json >whole.json
adthresh --merge s3.adtc s2.adtc s1.adtc -f json | cmp - whole.json && echo "json: same"
adthresh --merge s1.adtc s2.adtc s3.adtc --gate 'defect.contamination.pixel.recall>=0.8'
echo "exit $?"
adthresh --merge s1.adtc s2.adtc s3.adtc --save-counts all.adtc; echo "exit $?"
