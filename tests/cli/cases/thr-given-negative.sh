adthresh --format csv --image-threshold -1e300 tests/cli/inputs/px/mvtec/scores.csv
