adthresh --batch tests/cli/inputs/px/mvtec/scores.csv
