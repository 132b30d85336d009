printf '[0.7]\n' > "$TMPDIR/t.json" && cd "$TMPDIR" && adthresh --thresholds t.json "$OLDPWD/tests/cli/inputs/px/mvtec/scores.csv"
