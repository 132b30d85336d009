adthresh --format csv --image-threshold 0.1 tests/cli/inputs/px/mvtec/scores.csv
