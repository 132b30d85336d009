adthresh --image-threshold 1 tests/cli/inputs/px/mvtec/scores.csv
