# AU-PRO needs region sizes: counts saved without --aupro differ in their
# options from counts saved with it.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --maps data/bottle --masks data/bottle --aupro --shard 1/2 --save-counts a.adtc || exit 1
adthresh --maps data/bottle --masks data/bottle --shard 2/2 --save-counts b.adtc || exit 1
adthresh --merge a.adtc b.adtc
