adthresh --gate 'image.fp<3' --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv
