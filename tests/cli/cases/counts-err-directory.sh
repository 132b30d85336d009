# A directory given as a counts file: a read error, not a format error.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$d" && mkdir c.adtc && adthresh --merge c.adtc
