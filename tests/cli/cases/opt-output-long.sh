adthresh --output "$TMPDIR/opt-output-long.txt" data/scores.csv && cat "$TMPDIR/opt-output-long.txt"
