adthresh --save-thresholds "$TMPDIR/t.json" data/scores.csv > /dev/null && adthresh --thresholds "$TMPDIR/t.json" data/scores.csv
