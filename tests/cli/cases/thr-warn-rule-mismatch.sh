cd "$TMPDIR" && adthresh --save-thresholds t.json "$OLDPWD/tests/cli/inputs/px/mvtec/scores.csv" > /dev/null && adthresh --rule gt --thresholds t.json "$OLDPWD/tests/cli/inputs/px/mvtec/scores.csv"
