adthresh --fail-under image.auroc=0.5,image.bogus=1 tests/cli/inputs/px/mvtec/scores.csv
