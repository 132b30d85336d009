adthresh --fail-under image.auroc=1,pixel.f1=0.8,pixel.auroc=0.98 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv
