adthresh --fail-under image.auroc= tests/cli/inputs/px/mvtec/scores.csv
