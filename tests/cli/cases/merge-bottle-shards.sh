# Three shards of the sample's maps, saved apart and merged in another
# order, report what one run over all of them reports (text and JSON).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
for k in 1 2 3; do
	adthresh --maps data/bottle --masks data/bottle --aupro --shard $k/3 --save-counts s$k.adtc || exit 1
done
adthresh --maps data/bottle --masks data/bottle --aupro -f json >whole.json
adthresh --merge s3.adtc s1.adtc s2.adtc -f json >merged.json && cmp whole.json merged.json && echo "json: same"
adthresh --merge s2.adtc s3.adtc s1.adtc
