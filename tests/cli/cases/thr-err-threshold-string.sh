printf '{"adthresh": "0.1.0", "rule": ">=",\n "image": {"threshold": "high"}}\n' > "$TMPDIR/t.json" && cd "$TMPDIR" && adthresh --thresholds t.json "$OLDPWD/tests/cli/inputs/px/mvtec/scores.csv"
