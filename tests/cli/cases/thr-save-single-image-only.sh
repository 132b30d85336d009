adthresh --format csv --save-thresholds "$TMPDIR/t.json" data/scores.csv && cat "$TMPDIR/t.json"
