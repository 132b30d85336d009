adthresh --thresholds tests/cli/inputs/batch/no-such-file.json tests/cli/inputs/px/mvtec/scores.csv
