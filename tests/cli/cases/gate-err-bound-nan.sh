adthresh --fail-under image.auroc=nan tests/cli/inputs/px/mvtec/scores.csv
