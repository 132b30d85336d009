adthresh --image-threshold high tests/cli/inputs/px/mvtec/scores.csv
