cd "$TMPDIR" && adthresh --save-thresholds same.txt -o same.txt "$OLDPWD/tests/cli/inputs/px/mvtec/scores.csv"
