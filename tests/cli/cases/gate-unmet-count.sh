adthresh --format csv --fail-under image.tp=3 tests/cli/inputs/px/mvtec/scores.csv
