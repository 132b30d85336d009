adthresh --image-threshold nan tests/cli/inputs/px/mvtec/scores.csv
