# A counts file that does not exist.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$d" && adthresh --merge c.adtc
