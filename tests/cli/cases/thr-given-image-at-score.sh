adthresh --format csv --image-threshold 0.9 tests/cli/inputs/px/mvtec/scores.csv && adthresh --format csv --rule gt --image-threshold 0.9 tests/cli/inputs/px/mvtec/scores.csv
