adthresh --fail-under image.auroc=high tests/cli/inputs/px/mvtec/scores.csv
