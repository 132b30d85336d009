# Shards saved with --thresholds FILE: the merge reads the file and
# evaluates at its thresholds, as one run over all the maps does.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --maps data/bottle --masks data/bottle --policy youden --save-thresholds t.json -o /dev/null || exit 1
for k in 1 2 3; do adthresh --maps data/bottle --masks data/bottle --thresholds t.json --shard $k/3 --save-counts s$k.adtc || exit 1; done
adthresh --maps data/bottle --masks data/bottle --thresholds t.json -f json >whole.json
adthresh --merge s1.adtc s2.adtc s3.adtc -f json | cmp - whole.json && echo "same"
adthresh --merge s1.adtc s2.adtc s3.adtc
