adthresh --allow-one-class --format csv --fail-under pixel.auroc=0.5,pixel.ap=0 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty tests/cli/inputs/px/mvtec/scores.csv
