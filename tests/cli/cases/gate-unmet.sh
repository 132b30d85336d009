adthresh --fail-under image.auroc=1.5,pixel.f1=0.9,pixel.ap=0.8,pixel.precision=0.75 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv
