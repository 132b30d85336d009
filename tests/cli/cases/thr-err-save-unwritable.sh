adthresh --save-thresholds tests/cli/inputs/batch/no-such-folder/t.json tests/cli/inputs/px/mvtec/scores.csv
