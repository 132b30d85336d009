# An empty file.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$d" && : >c.adtc && adthresh --merge c.adtc
