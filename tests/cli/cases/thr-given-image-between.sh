adthresh --format json --image-threshold 0.5 tests/cli/inputs/px/mvtec/scores.csv
