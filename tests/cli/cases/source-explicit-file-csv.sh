adthresh -f csv tests/cli/inputs/px/mvtec/scores.csv
