adthresh --resize-masks nearest tests/cli/inputs/px/mvtec/scores.csv
