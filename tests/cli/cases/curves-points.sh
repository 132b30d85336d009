adthresh --maps data/bottle --masks data/bottle --curves "$TMPDIR/c.csv" --curve-points 4 --format json data/bottle/scores.csv >/dev/null && cat "$TMPDIR/c.csv"
