adthresh --maps data/bottle --masks data/bottle --curves "$TMPDIR/c.csv" --curve-points 1 data/bottle/scores.csv
