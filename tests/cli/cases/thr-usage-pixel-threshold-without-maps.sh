adthresh --pixel-threshold 0.5 tests/cli/inputs/px/mvtec/scores.csv
