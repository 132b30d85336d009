adthresh --curves "$TMPDIR/c.csv" --curve-points every data/scores.csv
