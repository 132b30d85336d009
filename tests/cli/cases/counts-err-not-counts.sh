# A file that is not a counts file (a scores CSV).
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp data/scores.csv "$d/scores.csv" && cd "$d" &&
	adthresh --merge scores.csv
