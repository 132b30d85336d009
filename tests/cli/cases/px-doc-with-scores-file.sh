adthresh --format json --maps tests/cli/inputs/px/doc/results.json tests/cli/inputs/px/mvtec/scores.csv
