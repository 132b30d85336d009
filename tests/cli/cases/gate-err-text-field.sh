adthresh --fail-under image.rule=1 tests/cli/inputs/px/mvtec/scores.csv
