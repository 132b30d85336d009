adthresh --batch --save-thresholds "$TMPDIR/t.json" tests/cli/inputs/batch/scores > /dev/null && cat "$TMPDIR/t.json"
