# Counts with a pixel level and counts of image scores alone do not merge;
# counts whose image scores came from differently named files do, and
# their source reads "merged counts".
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh --maps data/bottle --masks data/bottle --shard 1/2 --save-counts a.adtc || exit 1
adthresh data/scores.csv --shard 2/2 --save-counts b.adtc || exit 1
adthresh --maps data/bottle --masks data/bottle data/bottle/scores.csv --shard 2/2 --save-counts c.adtc || exit 1
adthresh --merge a.adtc b.adtc; echo "exit $?"
adthresh --merge a.adtc c.adtc; echo "exit $?"
