cd "$(mktemp -d)" && cp "$OLDPWD/tests/cli/inputs/px/mvtec/scores.csv" . && adthresh --save-thresholds t.json scores.csv > /dev/null && adthresh --rule gt --thresholds t.json scores.csv
