adthresh --keep-going tests/cli/inputs/px/mvtec/scores.csv
