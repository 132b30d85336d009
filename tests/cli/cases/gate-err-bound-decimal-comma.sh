adthresh --fail-under 'image.auroc=0,9' tests/cli/inputs/px/mvtec/scores.csv
