adthresh --fail-under '' tests/cli/inputs/px/mvtec/scores.csv
