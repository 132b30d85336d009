# Counts saved with other evaluation options do not merge.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --maps data/bottle --masks data/bottle --shard 1/2 --save-counts a.adtc || exit 1
adthresh --maps data/bottle --masks data/bottle --shard 2/2 --rule gt --save-counts b.adtc || exit 1
adthresh --merge a.adtc b.adtc
