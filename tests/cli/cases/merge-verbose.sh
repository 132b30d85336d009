# -v tells which images each shard took and what the merge read.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
adthresh -v --maps data/bottle --masks data/bottle --shard 2/2 --save-counts b.adtc
adthresh -v --maps data/bottle --masks data/bottle --shard 1/2 --save-counts a.adtc
adthresh -v --merge a.adtc b.adtc -f json >/dev/null
