cp tests/cli/inputs/px/mvtec/scores.csv "$TMPDIR" && cd "$TMPDIR" && adthresh --save-thresholds t.json scores.csv > /dev/null && adthresh --quiet --rule gt --thresholds t.json scores.csv
